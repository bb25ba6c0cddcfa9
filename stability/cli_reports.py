"""``stability show``, ``report``, ``gate`` and ``export``: reading what runs recorded.

Kept apart from :mod:`stability.cli` (the run commands and the entry point);
the main group adds these with ``add_command``. Nothing here calls a model.
"""

from __future__ import annotations

import csv
import io
import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from stability.aggregate import GROUP_FIELDS, Selection, build_report, select_runs
from stability.cli_types import db_option
from stability.errors import (
    EXIT_GATE_FAILED,
    UsageError,
)
from stability.gate import Rule, evaluate, junit_xml, parse_rule, summary_markdown
from stability.html_report import write_html
from stability.report import (
    compare as compare_groups,
)
from stability.report import (
    label,
    render_compare,
    render_json,
    render_markdown,
    render_table,
)
from stability.safe_text import safe_text
from stability.show import render_run
from stability.store import Store

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.command(context_settings=CONTEXT)
@click.argument("run_id", type=int)
@click.option("--full", is_flag=True, help="Show whole reasoning texts, not a preview.")
@click.option(
    "--prompt",
    "prompt_turn",
    type=int,
    default=None,
    metavar="TURN",
    help="Print the whole request of turn TURN instead (recall prompts are rebuilt from "
    "their recorded seed and checked against their sha256).",
)
@db_option
def show(run_id: int, full: bool, prompt_turn: int | None, db_path: str) -> None:
    """Print the transcript of run RUN_ID, turn by turn.

    Model text is shown inert: escape sequences and markup a model wrote are
    printed as visible text, never interpreted by the terminal.
    """
    store = Store.open(db_path, readonly=True)
    try:
        if prompt_turn is not None:
            _show_prompt(store, run_id, prompt_turn, db_path)
            return
        if not render_run(store, run_id, Console(highlight=False), full=full):
            raise UsageError(f"no run {run_id} in {db_path}")
    finally:
        store.close()


def _show_prompt(store: Store, run_id: int, idx: int, db_path: str) -> None:
    """Print a turn's request messages, rebuilding a recall prompt from its recipe."""
    from scenarios.registry import build_scenario

    run = store.db.conn.execute(
        "SELECT scenario, params FROM runs WHERE id = ?", [run_id]
    ).fetchone()
    if run is None:
        raise UsageError(f"no run {run_id} in {db_path}")
    rows = store.db.conn.execute(
        "SELECT idx, request_prefix, request_messages FROM turns WHERE run_id = ? AND idx <= ? "
        "ORDER BY idx",
        [run_id, idx],
    ).fetchall()
    if not rows or rows[-1][0] != idx:
        raise UsageError(f"run {run_id} has no turn {idx}")
    messages: list[dict[str, Any]] = []
    for _, prefix, stored in rows:  # each turn stores what changed since the previous one
        messages = messages[: int(prefix or 0)] + json.loads(stored or "[]")
    marker = "[recall prompt, rebuilt by `stability show`: "
    last = messages[-1].get("content") if messages else None
    if run[0] == "recall" and isinstance(last, str) and last.startswith(marker):
        scenario: Any = build_scenario("recall", json.loads(run[1])["scenario"])
        messages = scenario.rebuild(json.loads(last[len(marker) : -1])).messages()
    for message in messages:
        content = safe_text(str(message.get("content") or ""))
        click.echo(f"── {message.get('role')}\n{content}")


def selection_options(f: Any) -> Any:
    """Filters shared by report and gate."""
    options = [
        click.option("--run", "run_ids", type=int, multiple=True, help="Only these run ids."),
        click.option("--scenario", default=None, help="Only runs of this scenario."),
        click.option("--model", default=None, help="Only runs of this model spec."),
        click.option("--tag", default=None, help="Only runs with this tag."),
        click.option(
            "--since",
            default=None,
            metavar="DATE",
            help="Only runs started at or after this ISO date/time (UTC).",
        ),
        click.option(
            "--group-by",
            default="scenario,model",
            show_default=True,
            help="Group runs by any of scenario, model, tag (comma-separated).",
        ),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _selection(
    run_ids: tuple[int, ...],
    scenario: str | None,
    model: str | None,
    tag: str | None,
    since: str | None,
    group_by: str,
) -> Selection:
    fields = tuple(f.strip() for f in group_by.split(",") if f.strip())
    bad = [f for f in fields if f not in GROUP_FIELDS]
    if bad or not fields:
        raise UsageError(f"--group-by takes scenario, model and/or tag, not {group_by!r}")
    if since is not None:
        try:
            datetime.fromisoformat(since)
        except ValueError:
            raise UsageError(f"--since {since!r} is not an ISO date, e.g. 2026-11-29") from None
    return Selection(run_ids, scenario, model, tag, since, fields)


def _find_group(report: dict[str, Any], selector: str) -> int:
    """Index of the one group whose values include ``selector`` (or FIELD=VALUE)."""
    field, sep, value = selector.partition("=")
    matches = [
        i
        for i, g in enumerate(report["groups"])
        if (g.get(field) == value if sep else selector in [str(g[f]) for f in report["group_by"]])
    ]
    if len(matches) != 1:
        names = ", ".join(label(g, report["group_by"]) for g in report["groups"]) or "none"
        raise UsageError(f"--compare {selector!r} matches {len(matches)} groups; groups: {names}")
    return matches[0]


@click.command(context_settings=CONTEXT)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "markdown", "json"]),
    default="table",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--compare",
    nargs=2,
    metavar="A B",
    default=None,
    help="Put two groups side by side and test whether each rate differs beyond "
    "the noise. A and B name a group by a value (a model, a tag) or FIELD=VALUE.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Also write a self-contained HTML report with charts to this file.",
)
@selection_options
@db_option
def report(
    fmt: str, compare: tuple[str, str] | None, html_path: str | None, db_path: str, **selected: Any
) -> None:
    """Outcomes, rates, tokens and timings per scenario and model.

    termination rate = (completed + forfeit) / (runs − infra − interrupted) and
    completion rate = completed / the same, each with a Wilson 95% interval;
    infra and interrupted runs are counted beside them, never hidden.
    """
    sel = _selection(**selected)
    store = Store.open(db_path, readonly=True)
    try:
        data = build_report(store, sel)
        if html_path:
            write_html(store, data, Path(html_path))
    finally:
        store.close()
    console = Console(highlight=False)
    if compare:
        result = compare_groups(data, _find_group(data, compare[0]), _find_group(data, compare[1]))
        if fmt == "json":
            click.echo(json.dumps(result, indent=2))
        else:
            render_compare(result, console)
        return
    if fmt == "json":
        click.echo(render_json(data))
    elif fmt == "markdown":
        click.echo(render_markdown(data))
    else:
        render_table(data, console)


@click.command(context_settings=CONTEXT)
@click.option(
    "--min-termination-rate",
    type=click.FloatRange(0, 1),
    default=None,
    help="Fail when a group's termination rate is below this.",
)
@click.option(
    "--min-completion-rate",
    type=click.FloatRange(0, 1),
    default=None,
    help="Fail when a group's completion rate is below this.",
)
@click.option(
    "--max-loop-rate",
    type=click.FloatRange(0, 1),
    default=None,
    help="Fail when more than this share of a group's runs stopped in a loop.",
)
@click.option(
    "--fail-under",
    multiple=True,
    metavar="METRIC=V",
    help="Fail when a report metric (dotted JSON path) is below V (repeatable).",
)
@click.option(
    "--fail-over",
    multiple=True,
    metavar="METRIC=V",
    help="Fail when a report metric is above V (repeatable).",
)
@click.option(
    "--on-lower-bound",
    is_flag=True,
    help="Judge rates on their Wilson 95% bound (lower for minimums, upper for "
    "maximums), so a small sample cannot pass by luck.",
)
@click.option(
    "--junit",
    "junit_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write JUnit XML: a testcase per run and per gate.",
)
@click.option(
    "--summary",
    "summary_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set).",
)
@selection_options
@db_option
def gate(
    min_termination_rate: float | None,
    min_completion_rate: float | None,
    max_loop_rate: float | None,
    fail_under: tuple[str, ...],
    fail_over: tuple[str, ...],
    on_lower_bound: bool,
    junit_path: str | None,
    summary_path: str | None,
    db_path: str,
    **selected: Any,
) -> None:
    """Exit 1 when any selected group misses a threshold; 0 when all pass.

    Exit 2 on bad usage or when no runs match the selection.

    \b
    Example:
      stability gate --min-termination-rate 0.95 --fail-over tokens.completion.p95=8000
    """
    rules = [
        Rule(m, "min", v)
        for m, v in (
            ("termination_rate", min_termination_rate),
            ("completion_rate", min_completion_rate),
        )
        if v is not None
    ]
    if max_loop_rate is not None:
        rules.append(Rule("loop_rate", "max", max_loop_rate))
    rules += [parse_rule(t, "min") for t in fail_under]
    rules += [parse_rule(t, "max") for t in fail_over]
    if not rules:
        raise UsageError("no thresholds given; e.g. --min-termination-rate 0.95")
    sel = _selection(**selected)
    store = Store.open(db_path, readonly=True)
    try:
        data = build_report(store, sel)
        runs = select_runs(store, sel)
    finally:
        store.close()
    if not data["groups"]:
        raise UsageError("no runs match the selection; nothing to gate")
    results = evaluate(data, rules, on_lower_bound)
    for r in results:
        mark = "pass" if r.passed else "FAIL"
        click.echo(f"{mark}  {r.group}: {r.rule.text}  ({r.detail})")
    if junit_path:
        Path(junit_path).write_text(junit_xml(data, runs, results), encoding="utf-8")
    summary = summary_markdown(results, render_markdown(data))
    if summary_path:
        Path(summary_path).write_text(summary, encoding="utf-8")
    if os.environ.get("GITHUB_STEP_SUMMARY"):
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
            handle.write(summary)
    failed = sum(not r.passed for r in results)
    click.echo(
        f"gate {'FAILED' if failed else 'passed'}: {len(results) - failed} of "
        f"{len(results)} checks passed",
        err=True,
    )
    if failed:
        raise SystemExit(EXIT_GATE_FAILED)


CSV_COLUMNS = [
    "id",
    "batch",
    "scenario",
    "model",
    "base_url",
    "seed",
    "tags",
    "status",
    "outcome",
    "reason",
    "detail",
    "started_at",
    "ended_at",
    "turns",
    "prompt_tokens",
    "completion_tokens",
    "reasoning_tokens",
]


@click.command(context_settings=CONTEXT)
@click.argument("run_id", type=int, required=False)
@click.option("--pgn", "fmt", flag_value="pgn", help="The chess game of RUN_ID as PGN.")
@click.option("--jsonl", "fmt", flag_value="jsonl", help="Every turn of RUN_ID, one JSON a line.")
@click.option("--csv", "fmt", flag_value="csv", help="The runs table as CSV (no RUN_ID).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to a file instead of stdout.",
)
@db_option
def export(run_id: int | None, fmt: str | None, output: str | None, db_path: str) -> None:
    """Export a run as PGN (chess) or JSON lines, or every run as CSV.

    \b
    Examples:
      stability export 3 --pgn > game.pgn
      stability export 3 --jsonl -o turns.jsonl
      stability export --csv -o runs.csv
    """
    if fmt is None:
        raise UsageError("choose a format: --pgn, --jsonl or --csv")
    if (fmt == "csv") == (run_id is not None):
        raise UsageError(
            "--csv exports every run and takes no RUN_ID; --pgn and --jsonl need one"
            if fmt == "csv"
            else f"--{fmt} needs a RUN_ID"
        )
    store = Store.open(db_path, readonly=True)
    try:
        if fmt == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, CSV_COLUMNS, extrasaction="ignore", lineterminator="\n")
            writer.writeheader()
            writer.writerows(store.runs())
            text = buffer.getvalue()
        else:
            assert run_id is not None
            run_row = store.run(run_id)
            if run_row is None:
                raise UsageError(f"no run {run_id} in {db_path}")
            if fmt == "pgn":
                text = _pgn(run_row)
            else:
                text = "".join(
                    json.dumps(t, ensure_ascii=False, sort_keys=True) + "\n"
                    for t in store.turns(run_id)
                )
    finally:
        store.close()
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


def _pgn(run_row: dict[str, Any]) -> str:
    from scenarios.chess_pgn import game_pgn

    if run_row["scenario"] != "chess":
        raise UsageError(f"run {run_row['id']} is a {run_row['scenario']} run; --pgn is for chess")
    checkpoint = json.loads(run_row["checkpoint"] or "{}")
    outcome = f"{run_row.get('outcome') or 'unfinished'}/{run_row.get('reason') or '-'}"
    # Only deterministic headers: the same seed must give byte-identical PGN.
    headers = {"Round": str(run_row["seed"]), "StabilityOutcome": outcome}
    return game_pgn(checkpoint, headers, model=str(run_row["model"]))

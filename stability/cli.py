"""The ``stability`` command: parse options, build a config, call the library.

This is the composition root: the only core module that may import the
scenario and watchdog packages (and the dashboard, lazily). Every command
maps errors to exit codes in one place, :func:`main`: 0 ok, 1 a gate failed,
2 bad usage/config/input (one line on stderr), 3 the harness failed,
130 interrupted.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from rich.console import Console

from stability import __version__
from stability._guard import check_watchdog_package
from stability.aggregate import GROUP_FIELDS, Selection, build_report, select_runs
from stability.cli_models import models
from stability.cli_recall import read_timeout_for, run_recall
from stability.cli_types import budget_options, db_option, model_options
from stability.config import (
    load_config,
    merge,
    parse_overrides,
    watchdog_settings_from_config,
)
from stability.errors import (
    EXIT_GATE_FAILED,
    EXIT_INTERRUPTED,
    EXIT_USAGE,
    ConfigError,
    StabilityError,
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
from stability.resources import ResourceMonitor
from stability.safe_text import safe_line, safe_text
from stability.scan import scan_file
from stability.show import render_run
from stability.store import Store

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="stability")
def cli() -> None:
    """Will this model finish long work, or loop, drift and run all night?

    stability drives a model through long tasks over any OpenAI-compatible API,
    watches every streamed token, stops what will not stop, records every turn
    in SQLite, and turns the result into rates a CI job can gate on.

    \b
    Quick start:
      stability run chess --model sim:oracle --games 4
      stability report
      stability show 1
    """


@cli.group(context_settings=CONTEXT)
def run() -> None:
    """Run a scenario against a model and record every turn."""


run.add_command(run_recall)


@run.command("chess", context_settings=CONTEXT)
@model_options
@click.option(
    "--games",
    "--runs",
    "games",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Games to play.",
)
@click.option(
    "--opponent",
    type=click.Choice(["random", "engine", "stockfish", "model"]),
    default="random",
    show_default=True,
    help="Who plays the other side: a random mover, the built-in engine, Stockfish "
    "(must be on PATH), or the model itself (self-play).",
)
@click.option(
    "--color",
    type=click.Choice(["white", "black", "alternate"]),
    default="white",
    show_default=True,
    help="The model's side; alternate switches every game.",
)
@click.option(
    "--ply-cap",
    type=click.IntRange(1),
    default=200,
    show_default=True,
    help="Plies before the game is adjudicated a draw.",
)
@click.option(
    "--retries-per-move",
    type=click.IntRange(1),
    default=3,
    show_default=True,
    help="Bad replies (illegal, unparseable, cut off) allowed per move before a forfeit.",
)
@click.option(
    "--show-legal/--hide-legal",
    default=True,
    show_default=True,
    help="List the legal moves in the prompt.",
)
@click.option(
    "--history/--no-history",
    "show_history",
    default=None,
    help="List the moves so far in the prompt [default: on; off for local models, "
    "which copy a move from the list instead of choosing one].",
)
@click.option(
    "--tools/--no-tools",
    "offer_tool",
    default=None,
    help="Offer a make_move tool besides the 'MOVE: <move>' text format "
    "[default: on; off for local models, which write tool calls as plain text].",
)
@budget_options
@db_option
def run_chess(
    games: int,
    opponent: str,
    color: str,
    ply_cap: int,
    retries_per_move: int,
    show_legal: bool,
    show_history: bool | None,
    offer_tool: bool | None,
    **common: Any,
) -> None:
    """Play chess games: the model against an opponent, move by move.

    Each game ends by the rules of chess (checkmate, stalemate, draws), by
    forfeit after too many bad replies, by a watchdog (loops, stalls, a turn
    that never ends) or by a budget. Every turn is recorded with its FEN.

    \b
    Examples:
      stability run chess --games 1 --max-wall 10m      (the embedded model)
      stability run chess --model sim:oracle --games 4 --concurrency 4 --seed 1
      stability run chess --base-url http://127.0.0.1:8000/v1 --model qwen3 --max-wall 2h
    """
    from scenarios.registry import build_scenario, close_scenario
    from stability.local_server import is_local_spec

    small = is_local_spec(common["model"] or "local")
    if offer_tool is None:
        offer_tool = not small
    if show_history is None:
        show_history = not small
    options = {
        "opponent": opponent,
        "ply_cap": ply_cap,
        "retries_per_move": retries_per_move,
        "show_legal": show_legal,
        "show_history": show_history,
        "offer_tool": offer_tool,
    }
    colors = ["white", "black"] if color == "alternate" else [color]
    scenarios = {c: build_scenario("chess", {**options, "color": c}) for c in colors}
    try:
        _launch(common, games, lambda i: scenarios[colors[i % len(colors)]])
    finally:
        for scenario in scenarios.values():
            close_scenario(scenario)


@run.command("agent", context_settings=CONTEXT)
@model_options
@click.option("--runs", type=click.IntRange(1), default=1, show_default=True, help="Runs to play.")
@click.option(
    "--tasks",
    type=click.IntRange(1),
    default=20,
    show_default=True,
    help="Tickets in each run's queue (each takes ~6 tool calls).",
)
@click.option(
    "--context",
    "strategy",
    type=click.Choice(["full", "window", "summary"]),
    default="full",
    show_default=True,
    help="What the model sees: the full history, the last --window exchanges, or a "
    "summary once the history is long.",
)
@click.option(
    "--window",
    type=click.IntRange(2),
    default=12,
    show_default=True,
    help="Exchanges kept by --context window (and after a summary).",
)
@click.option(
    "--tools/--no-tools",
    "offer_tools",
    default=True,
    show_default=True,
    help="OpenAI function calling, or a plain-JSON text protocol.",
)
@click.option(
    "--max-tool-errors",
    type=click.IntRange(1),
    default=10,
    show_default=True,
    help="Bad tool calls in a row before a forfeit.",
)
@click.option(
    "--repeat",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Tries per seed, so the report can give pass^k (all k tries succeed).",
)
@budget_options
@db_option
def run_agent(
    repeat: int,
    runs: int,
    tasks: int,
    strategy: str,
    window: int,
    offer_tools: bool,
    max_tool_errors: int,
    **common: Any,
) -> None:
    """Work a seeded support-desk queue with tools for hundreds of turns.

    Every ticket's correct resolution follows from the seeded data and the
    policy base; the result is checked exactly. Each turn reports progress
    (tickets correctly resolved), the action and the observation to the
    watchdogs. Without --max-turns the step cap is 12 turns per ticket + 20.

    \b
    Example:
      stability run agent --model sim:oracle --tasks 100
    """
    from scenarios.registry import build_scenario

    scenario = build_scenario(
        "agent",
        {
            "tasks": tasks,
            "strategy": strategy,
            "window": window,
            "offer_tools": offer_tools,
            "max_tool_errors": max_tool_errors,
        },
    )
    if common["max_turns"] is None:
        common["max_turns"] = 12 * tasks + 20
    common["repeat"] = repeat
    _launch(common, runs * repeat, lambda i: scenario)


def watchdog_settings(common: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Config file, then the dedicated options, then ``--watchdog`` overrides."""
    from_options: dict[str, dict[str, Any]] = {}
    for (name, param), option in {
        ("turn_tokens", "limit"): "turn_max_tokens",
        ("stall", "timeout_s"): "stall_timeout",
        ("stall", "first_timeout_s"): "first_token_timeout",
        ("wall", "max_wall_s"): "max_wall",
        ("wall", "turn_max_wall_s"): "turn_max_wall",
        ("run_tokens", "limit"): "max_tokens",
        ("resources", "max_rss_mb"): "max_rss",
    }.items():
        if common.get(option) is not None:
            from_options.setdefault(name, {})[param] = common[option]
    if common.get("stop_on_projection"):
        from_options.setdefault("projection", {})["stop"] = True
    file_settings = watchdog_settings_from_config(load_config(common.get("config_path")))
    return merge(file_settings, from_options, parse_overrides(common.get("watchdog_overrides", ())))


def _run_with_dashboard(
    config: Any, scenario_for: Any, chain_factory: Any, monitor: Any
) -> tuple[int, Any]:
    """Run the batch on a worker thread while the dashboard owns the terminal.

    Quitting the dashboard cancels the runs still going; they are recorded
    ``interrupted`` (reason ``dashboard_quit``) and can be resumed.
    """
    import dataclasses
    import threading

    from dashboard.app import DashboardApp
    from stability.launch import run_batch

    config = dataclasses.replace(config, quiet=True, handle_signals=False)
    holder: dict[str, Any] = {}
    outcome: dict[str, Any] = {"code": 0, "result": None}

    def work() -> None:
        try:
            outcome["code"], outcome["result"] = run_batch(
                config,
                scenario_for,
                chain_factory,
                monitor=monitor,
                on_runner=lambda runner, loop: holder.update(runner=runner, loop=loop),
            )
        except BaseException as exc:  # reported after the dashboard closes
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="runner", daemon=True)
    thread.start()
    DashboardApp(config.db_path).run()
    if "runner" in holder and thread.is_alive():
        holder["loop"].call_soon_threadsafe(holder["runner"].interrupt, "dashboard_quit")
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["code"], outcome["result"]


def _launch(common: dict[str, Any], runs: int, scenario_for: Any) -> None:
    check_watchdog_package()
    from stability.launch import BatchConfig, run_batch  # openai + aiohttp: only when running
    from stability.models import resolve_model
    from watchdog import build_chain

    target = resolve_model(common["model"], common["base_url"])
    settings = watchdog_settings(common)
    monitor = ResourceMonitor()
    config = BatchConfig(
        read_timeout_s=common.get("read_timeout_s", 900.0),
        target=target,
        db_path=Path(common["db_path"]),
        runs=runs,
        seed=common["seed"],
        repeat=common.get("repeat", 1),
        concurrency=common["concurrency"],
        max_turns=common["max_turns"],
        tags=tuple(common["tags"]),
        api_key_env=common["api_key_env"],
        temperature=common["temperature"],
        max_retries=common["max_retries"],
        show_progress=common["show_progress"],
    )

    def chain_factory(started: float, used: int) -> Any:
        return build_chain(settings, run_started=started, tokens_used=used, monitor=monitor)

    chain_factory(0.0, 0)  # validate every setting now: a bad one is exit 2 before any run
    if common.get("with_dashboard"):
        code, result = _run_with_dashboard(config, scenario_for, chain_factory, monitor)
    else:
        code, result = run_batch(config, scenario_for, chain_factory, monitor=monitor)
    if result is not None and result.results:
        click.echo(
            f"recorded {len(result.results)} run(s) in {config.db_path}; "
            f"see `stability report --db {config.db_path}`",
            err=True,
        )
    if code:
        raise SystemExit(code)


def _recorded_settings(recorded: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Watchdog settings from a run's recorded thresholds (absent ones were off)."""
    from watchdog import WATCHDOG_DEFAULTS

    out: dict[str, dict[str, Any]] = {}
    for name, defaults in WATCHDOG_DEFAULTS.items():
        if name not in recorded:
            out[name] = {"enabled": False}
            continue
        known = {**defaults, "code": None} if name == "text_loop" else defaults
        out[name] = {k: v for k, v in recorded[name].items() if k in known}
    return out


@cli.command(context_settings=CONTEXT)
@click.argument("run_ids", type=int, nargs=-1)
@click.option("--all", "resume_all", is_flag=True, help="Resume every interrupted run.")
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Server to continue against (default: the URL recorded with the run).",
)
@click.option(
    "--api-key-env",
    default="OPENAI_API_KEY",
    show_default=True,
    metavar="VAR",
    help="Environment variable that holds the API key (never stored).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1024),
    default=4,
    show_default=True,
    help="Runs resumed at once.",
)
@click.option(
    "--progress/--no-progress",
    "show_progress",
    default=None,
    help="Progress bar (default: on when stderr is a terminal).",
)
@db_option
def resume(
    run_ids: tuple[int, ...],
    resume_all: bool,
    base_url: str | None,
    api_key_env: str,
    concurrency: int,
    show_progress: bool | None,
    db_path: str,
) -> None:
    """Continue interrupted runs from their last recorded turn.

    The scenario is restored from the checkpoint committed with that turn and
    new turns are appended to the same run, numbered on from it: no turn is
    lost or repeated. Budgets count what the run already spent. A run whose
    process died (found by its pid or a stale heartbeat) counts as interrupted.
    """
    check_watchdog_package()
    from scenarios.registry import build_scenario, close_scenario
    from stability.launch import BatchConfig, run_batch
    from stability.models import resolve_model
    from stability.session import ResumePoint, RunSpec
    from watchdog import build_chain

    if not run_ids and not resume_all:
        raise UsageError("name the runs to resume, or pass --all")
    store = Store.open(db_path)
    try:
        store.reap_dead()
        if resume_all:
            rows = [r for r in store.runs() if r["outcome"] == "interrupted"]
            if not rows:
                raise UsageError(f"no interrupted runs in {db_path}")
        else:
            rows = []
            for run_id in run_ids:
                row = store.run(run_id)
                if row is None:
                    raise UsageError(f"no run {run_id} in {db_path}")
                if row["status"] == "running":
                    raise UsageError(f"run {run_id} is still running (pid {row['pid']})")
                if row["outcome"] != "interrupted":
                    raise UsageError(
                        f"run {run_id} already ended ({row['outcome']}/"
                        f"{row['reason']}); only interrupted runs resume"
                    )
                rows.append(row)
        models = sorted({r["model"] for r in rows})
        if len(models) > 1:
            raise UsageError(
                f"these runs use different models ({', '.join(models)}); "
                "resume each model's runs separately"
            )
        plans = []
        for row in rows:
            next_idx = store.db.execute(
                "SELECT COALESCE(MAX(idx) + 1, 0) FROM turns WHERE run_id = ?", [row["id"]]
            ).fetchone()[0]
            end = row["ended_at"] or row["heartbeat_at"] or row["started_at"]
            elapsed = (
                datetime.fromisoformat(end) - datetime.fromisoformat(row["started_at"])
            ).total_seconds()
            params = json.loads(row["params"] or "{}")
            plans.append(
                (
                    row,
                    params,
                    ResumePoint(
                        row["id"],
                        next_idx,
                        int(row["completion_tokens"] or 0),
                        max(elapsed, 0.0),
                        json.loads(row["checkpoint"] or "{}"),
                    ),
                )
            )
    finally:
        store.close()
    first = plans[0][0]
    target = resolve_model(first["model"], base_url or first["base_url"] or None)
    scenarios = [
        build_scenario(row["scenario"], params.get("scenario", {})) for row, params, _ in plans
    ]
    monitor = ResourceMonitor()

    def factory_for(settings: dict[str, dict[str, Any]]) -> Any:
        def factory(started: float, used: int) -> Any:
            return build_chain(settings, run_started=started, tokens_used=used, monitor=monitor)

        return factory

    def specs_for(target: Any, batch: str, url: str) -> list[Any]:
        return [
            RunSpec(
                scenario=scenario,
                seed=row["seed"],
                model=row["model"],
                base_url=url,
                batch=row["batch"],
                params=params,
                tags=tuple(json.loads(row["tags"] or "[]")),
                max_turns=params.get("max_turns"),
                resume=point,
                chain_factory=factory_for(_recorded_settings(params.get("watchdogs", {}))),
            )
            for (row, params, point), scenario in zip(plans, scenarios, strict=True)
        ]

    config = BatchConfig(
        read_timeout_s=max(read_timeout_for(p.get("scenario", {})) for _, p, _ in plans),
        target=target,
        db_path=Path(db_path),
        runs=len(plans),
        concurrency=concurrency,
        api_key_env=api_key_env,
        show_progress=show_progress,
    )
    try:
        code, _ = run_batch(config, lambda i: scenarios[i], factory_for({}), monitor, specs_for)
    finally:
        for scenario in scenarios:
            close_scenario(scenario)
    if code:
        raise SystemExit(code)


@cli.command(context_settings=CONTEXT)
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
    out = click.get_text_stream("stdout")
    for message in messages:
        content = safe_text(str(message.get("content") or ""))
        out.write(f"── {message.get('role')}\n{content}\n")


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


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
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


@cli.command(context_settings=CONTEXT)
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


SCAN_DEFAULTS: dict[str, dict[str, Any]] = {
    # Offline transcripts carry no timing, prompts or parse results: only the
    # watchdogs that judge text and actions apply. A repeated tool *result* is
    # common in legitimate polling logs, so state revisits are off by default.
    name: {"enabled": False}
    for name in (
        "turn_tokens",
        "stall",
        "wall",
        "run_tokens",
        "state_loop",
        "no_progress",
        "format_drift",
        "latency_drift",
        "projection",
        "resources",
    )
}


@cli.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--watchdog",
    "watchdog_overrides",
    multiple=True,
    metavar="NAME.PARAM=VALUE",
    help="Override a watchdog threshold (repeatable), e.g. text_loop.short_span=300.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False),
    default=None,
    help="TOML file with [watchdog.NAME] tables (default: ./stability.toml if present).",
)
@click.option(
    "--warnings/--no-warnings",
    default=True,
    show_default=True,
    help="Print warn verdicts as well as stops.",
)
def scan(
    files: tuple[str, ...],
    watchdog_overrides: tuple[str, ...],
    config_path: str | None,
    warnings: bool,
) -> None:
    """Run the watchdogs over recorded transcripts; exit 1 on a stop verdict.

    A plain text file is one stream; source files (.py, .js, .json, ...) are
    judged as code (higher thresholds, counters never count as loops). A
    .jsonl file of OpenAI chat messages is a conversation: each assistant
    message is a turn, each following tool message its result.

    \b
    Examples:
      stability scan reasoning_dump.txt
      stability scan agent_log.jsonl --watchdog action_loop.repeats=4
    """
    check_watchdog_package()
    from watchdog import build_chain

    settings = merge(
        SCAN_DEFAULTS,
        watchdog_settings_from_config(load_config(config_path)),
        parse_overrides(watchdog_overrides),
    )

    def chain_for(code: bool) -> Any:
        return build_chain(merge(settings, {"text_loop": {"code": code}}), run_started=0.0)

    chain_for(False)  # bad settings: exit 2 before reading anything
    stops = warns = 0
    for name in files:
        for finding in scan_file(Path(name), chain_for):
            verdict = finding.verdict
            if verdict.is_stop:
                stops += 1
            else:
                warns += 1
                if not warnings:
                    continue
            click.echo(
                f"{safe_line(finding.path)}: {finding.where}: {verdict.severity.value} "
                f"{verdict.code}: {safe_line(verdict.detail, 300)}"
            )
    click.echo(
        f"scanned {len(files)} file(s): {stops} stop verdict(s), {warns} warning(s)", err=True
    )
    if stops:
        raise SystemExit(EXIT_GATE_FAILED)


@cli.command(context_settings=CONTEXT)
@db_option
def dashboard(db_path: str) -> None:
    """Watch a database live: runs, the turn streaming now, events, charts.

    Follows a database another process is writing (start a run in one
    terminal, the dashboard in another). Keys: arrows, enter, escape, / filter,
    s sort, f follow, ? help, q quit.
    """
    from dashboard.app import DashboardApp

    path = Path(db_path)
    if path.exists():
        Store.open(path, readonly=True).close()  # one clear line for a foreign or broken file
    DashboardApp(path).run()


cli.add_command(models)


@cli.command("sim-server", context_settings=CONTEXT)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; keep loopback unless you know why not.",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0 picks a free one).",
)
def sim_server(host: str, port: int) -> None:
    """Serve the sim personas over the OpenAI API for other tools.

    Point any OpenAI client at the printed URL and use a persona spec as the
    model name, e.g. model="looper?after=3&tps=40".
    """
    from stability.sim import run_sim_server

    run_sim_server(host, port)


def main(argv: Sequence[str] | None = None) -> None:
    """Entry point: run the CLI and map every failure to one line and an exit code."""
    try:
        code = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="stability",
            standalone_mode=False,
        )
    except click.exceptions.Abort:
        sys.exit(EXIT_INTERRUPTED)
    except click.ClickException as exc:
        click.echo(f"stability: error: {exc.format_message()}", err=True)
        sys.exit(EXIT_USAGE)
    except StabilityError as exc:
        click.echo(f"stability: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    sys.exit(code if isinstance(code, int) else 0)


__all__ = ["ConfigError", "cli", "main"]

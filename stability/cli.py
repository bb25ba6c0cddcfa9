"""The ``stability`` command: parse options, build a config, call the library.

This is the composition root: the only core module that may import the
scenario and watchdog packages (and the dashboard, lazily). Every command
maps errors to exit codes in one place, :func:`main`: 0 ok, 1 a gate failed,
2 bad usage/config/input (one line on stderr), 3 the harness failed,
130 interrupted.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from stability import __version__
from stability._guard import check_watchdog_package
from stability.cli_models import models
from stability.cli_recall import context_for, read_timeout_for, run_recall
from stability.cli_reports import export, gate, report, show
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
from stability.resources import ResourceMonitor
from stability.safe_text import safe_line
from stability.scan import scan_file
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

    target = resolve_model(common["model"], common["base_url"], common.get("min_context"))
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
    target = resolve_model(
        first["model"],
        base_url or first["base_url"] or None,
        max(
            (n for _, p, _ in plans if (n := context_for(p.get("scenario", {}))) is not None),
            default=None,
        ),
    )
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


cli.add_command(show)
cli.add_command(report)
cli.add_command(gate)
cli.add_command(export)


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

"""`stability run agent` end to end over the sim server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlite_utils

from tests.e2e.conftest import run_cli, wait_for_turns


def only_run(db: Path) -> dict:
    (run,) = sqlite_utils.Database(db).query("SELECT * FROM runs")
    return run


@pytest.mark.slow
@pytest.mark.timeout(300)
def test_oracle_solves_a_hundred_tickets_checked_exactly(db: Path) -> None:
    result = run_cli(
        ["run", "agent", "--model", "sim:oracle", "--tasks", "100", "--db", str(db)], timeout=280
    )
    assert result.returncode == 0, result.stderr
    run = only_run(db)
    assert (run["outcome"], run["reason"]) == ("completed", "all_resolved")
    checkpoint = json.loads(run["checkpoint"])
    assert checkpoint["correct"] == 100 and len(checkpoint["resolved"]) == 100
    assert run["turns"] >= 500  # hundreds of tool calls


@pytest.mark.parametrize(
    ("context", "tools", "tasks"), [("window", "--tools", "15"), ("summary", "--no-tools", "30")]
)
def test_context_strategies_and_text_protocol(
    db: Path, context: str, tools: str, tasks: str
) -> None:
    result = run_cli(
        [
            "run",
            "agent",
            "--model",
            "sim:oracle",
            "--tasks",
            tasks,
            "--context",
            context,
            tools,
            "--db",
            str(db),
        ]
    )
    assert result.returncode == 0, result.stderr
    run = only_run(db)
    assert run["reason"] == "all_resolved"
    params = json.loads(run["params"])["scenario"]
    assert params["strategy"] == context and params["offer_tools"] is (tools == "--tools")
    if context == "summary":
        assert json.loads(run["checkpoint"])["summary"]


def test_looper_is_stopped_for_repeating_one_call(db: Path) -> None:
    result = run_cli(
        ["run", "agent", "--model", "sim:looper?after=8", "--tasks", "10", "--db", str(db)]
    )
    assert result.returncode == 0, result.stderr
    run = only_run(db)
    assert (run["outcome"], run["reason"]) == ("stopped", "loop.action")
    assert run["turns"] == 8 + 6  # stopped on the sixth identical call (action_loop.repeats)


def test_forgetful_is_stopped_for_no_progress(db: Path) -> None:
    result = run_cli(["run", "agent", "--model", "sim:forgetful", "--tasks", "10", "--db", str(db)])
    assert result.returncode == 0, result.stderr
    run = only_run(db)
    assert (run["outcome"], run["reason"]) == ("stopped", "nontermination.no_progress")
    warns = list(
        sqlite_utils.Database(db).query(
            "SELECT code FROM events WHERE kind = 'warn' AND code = 'nontermination.no_progress'"
        )
    )
    assert warns


def test_meltdown_warns_then_is_stopped_for_drift(db: Path) -> None:
    result = run_cli(["run", "agent", "--model", "sim:meltdown", "--tasks", "10", "--db", str(db)])
    assert result.returncode == 0, result.stderr
    run = only_run(db)
    assert run["outcome"] == "stopped" and run["reason"].startswith("drift.")
    events = list(
        sqlite_utils.Database(db).query(
            "SELECT kind, code, turn_idx FROM events WHERE code LIKE 'drift.%' ORDER BY id"
        )
    )
    assert events[0]["kind"] == "warn" and events[-1]["kind"] == "stop"
    assert events[0]["turn_idx"] < events[-1]["turn_idx"]


def test_agent_runs_resume(db: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stability",
            "run",
            "agent",
            "--model",
            "sim:oracle?tps=200",
            "--tasks",
            "8",
            "--db",
            str(db),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=os.environ.copy(),
    )
    wait_for_turns(db, proc, "SELECT COUNT(*) FROM turns WHERE idx >= 10")
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=10) == 130
    assert run_cli(["resume", "--all", "--db", str(db)]).returncode == 0
    run = only_run(db)
    assert run["reason"] == "all_resolved"
    idx = [r["idx"] for r in sqlite_utils.Database(db).query("SELECT idx FROM turns ORDER BY idx")]
    assert idx == list(range(len(idx)))

"""The fault matrix: every server misbehaviour has an expected outcome and no hang.

Each row runs `stability run chess` against the sim's `flaky` persona restricted
to one fault kind, with tight timeouts, and checks the recorded outcome/reason,
the retry events, and that the whole command stayed inside its time bound.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlite_utils

from tests.e2e.conftest import run_cli, wait_for_turns

FAST = [
    "--max-retries",
    "3",
    "--stall-timeout",
    "2s",
    "--first-token-timeout",
    "2s",
    "--max-turns",
    "2",
]

# (fault, persona params, expected outcome/reason, retry codes that must appear, seconds)
MATRIX = [
    ("429", "", ("budget", "max_turns"), {"http_429"}, 20),
    ("429bare", "", ("budget", "max_turns"), {"http_429"}, 25),
    ("500", "", ("budget", "max_turns"), {"http_500"}, 20),
    ("502", "", ("budget", "max_turns"), {"http_502"}, 20),
    ("503", "", ("budget", "max_turns"), {"http_503"}, 20),
    ("reset", "", ("budget", "max_turns"), {"connection_dropped"}, 20),
    ("drop", "", ("budget", "max_turns"), {"connection_dropped"}, 20),
    ("malformed", "", ("budget", "max_turns"), {"malformed_stream"}, 20),
    ("badutf8", "", ("budget", "max_turns"), set(), 20),
    ("hang", "&max_faults=9", ("stopped", "stall"), set(), 10),
    ("huge", "&max_faults=9", ("stopped", "nontermination.turn_tokens"), set(), 30),
    ("badtool", "&max_faults=9&tools=always", ("forfeit", "format_errors"), set(), 20),
    ("500", "&max_faults=9", ("infra", "http_500"), {"http_500"}, 20),
]


@pytest.mark.parametrize(
    ("fault", "extra", "expected", "retries", "bound"),
    MATRIX,
    ids=[f"{m[0]}{m[1]}" for m in MATRIX],
)
def test_fault(
    tmp_path: Path,
    fault: str,
    extra: str,
    expected: tuple[str, str],
    retries: set[str],
    bound: float,
) -> None:
    db = tmp_path / "f.db"
    faults = "" if "max_faults" in extra else "&max_faults=2"
    model = f"sim:flaky?rate=1{faults}&faults={fault}{extra}"
    t0 = time.monotonic()
    more = ["--max-turns", "5"] if fault == "badtool" else []  # forfeit takes 3 bad replies
    result = run_cli(
        ["run", "chess", "--model", model, *FAST, *more, "--db", str(db)], timeout=bound + 30
    )
    elapsed = time.monotonic() - t0
    assert result.returncode == 0, result.stderr
    assert elapsed < bound, elapsed
    rows = sqlite_utils.Database(db)
    (run,) = rows.query("SELECT outcome, reason FROM runs")
    assert (run["outcome"], run["reason"]) == expected
    codes = {e["code"] for e in rows.query("SELECT code FROM events WHERE kind = 'retry'")}
    assert retries <= codes
    if fault == "badtool":
        parses = [t["parse_detail"] for t in rows.query("SELECT parse_detail FROM turns")]
        assert all("JSON" in (p or "") or "json" in (p or "") for p in parses), parses


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_server_gone_mid_run_is_infra_connect(tmp_path: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "stability", "sim-server", "--port", str(port)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and "listening" in server.stdout.readline()
    db = tmp_path / "gone.db"
    run = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stability",
            "run",
            "chess",
            "--base-url",
            f"http://127.0.0.1:{port}/v1",
            "--model",
            "oracle?tps=20",
            "--max-retries",
            "2",
            "--db",
            str(db),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    wait_for_turns(db, run)
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=10)
    assert run.wait(timeout=30) == 0, run.stderr.read() if run.stderr else ""
    (row,) = sqlite_utils.Database(db).query("SELECT outcome, reason, base_url FROM runs")
    assert (row["outcome"], row["reason"]) == ("infra", "connect")
    assert row["base_url"] == f"http://127.0.0.1:{port}/v1"
    assert (
        json.loads(run_cli(["report", "--format", "json", "--db", str(db)]).stdout)["groups"][0][
            "counts"
        ]["infra"]
        == 1
    )

"""Ctrl-C mid-run: quick exit, runs marked interrupted, database intact."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import wait_for_turns


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_signal_mid_run_marks_runs_interrupted(tmp_path: Path, sig: signal.Signals) -> None:
    db = tmp_path / "runs.db"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "stability",
            "run",
            "chess",
            "--model",
            "sim:oracle?tps=30",
            "--games",
            "3",
            "--concurrency",
            "2",
            "--db",
            str(db),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    wait_for_turns(db, proc, at_least=2)
    t0 = time.monotonic()
    proc.send_signal(sig)
    proc.wait(timeout=10)
    assert time.monotonic() - t0 < 2.0
    assert proc.returncode == 130
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        runs = conn.execute("SELECT status, outcome, reason FROM runs").fetchall()
        live = conn.execute("SELECT COUNT(*) FROM live").fetchone()[0]
    assert len(runs) == 2  # the third never started
    expected = "sigint" if sig == signal.SIGINT else "sigterm"
    assert runs == [("finished", "interrupted", expected)] * 2
    assert live == 0

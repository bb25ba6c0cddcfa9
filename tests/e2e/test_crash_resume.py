"""SIGKILL the runner at random moments, then resume: nothing lost, nothing repeated."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import run_cli

RUN = [
    "run",
    "chess",
    "--model",
    "sim:oracle?tps=300",
    "--games",
    "2",
    "--concurrency",
    "2",
    "--seed",
    "5",
]


def _pgns(db: Path) -> list[str]:
    return [run_cli(["export", str(i), "--pgn", "--db", str(db)]).stdout for i in (1, 2)]


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_sigkill_at_random_moments_then_resume(tmp_path: Path) -> None:
    reference = tmp_path / "reference.db"
    assert run_cli([*RUN, "--db", str(reference)]).returncode == 0
    expected = _pgns(reference)
    rng = random.Random(20261129)
    resumed = 0
    for attempt in range(20):
        db = tmp_path / f"killed{attempt}.db"
        proc = subprocess.Popen(
            [sys.executable, "-m", "stability", *RUN, "--db", str(db)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=os.environ.copy(),
        )
        time.sleep(rng.uniform(0.3, 3.0))  # the random moment of the crash, not a sync
        proc.kill()
        proc.wait(timeout=10)
        if not db.exists():
            continue  # killed before the database was created: nothing to lose
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            unfinished = conn.execute(
                "SELECT COUNT(*) FROM runs WHERE status = 'running'"
            ).fetchone()[0]
        if unfinished:
            result = run_cli(["resume", "--all", "--db", str(db)])
            assert result.returncode == 0, result.stderr
            resumed += 1
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            runs = conn.execute("SELECT id, status, outcome FROM runs ORDER BY id").fetchall()
            for run_id, status, outcome in runs:
                assert (status, outcome) == ("finished", "completed"), (attempt, run_id)
                idx = [
                    r[0]
                    for r in conn.execute(
                        "SELECT idx FROM turns WHERE run_id = ? ORDER BY idx", [run_id]
                    )
                ]
                assert idx == list(range(len(idx))), (attempt, run_id)  # no gap, no duplicate
        if len(runs) == 2:
            assert _pgns(db) == expected  # the resumed games are the games that would have been
    assert resumed >= 10

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest


def run_cli(
    args: Sequence[str],
    *,
    timeout: float = 120,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "stability", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "runs.db"


def wait_for_turns(
    db: Path,
    proc: subprocess.Popen[str],
    sql: str = "SELECT COUNT(*) FROM turns",
    at_least: int = 1,
    limit_s: float = 30,
) -> None:
    """Poll a database another process writes until ``sql`` counts ``at_least`` rows."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.stderr.read() if proc.stderr else "the writer exited"
        if db.exists():
            try:
                with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
                    if conn.execute(sql).fetchone()[0] >= at_least:
                        return
            except sqlite3.OperationalError:
                pass  # schema not created yet
        time.sleep(0.05)
    pytest.fail(f"{sql!r} did not reach {at_least} within {limit_s}s")

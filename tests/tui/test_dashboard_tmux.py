"""`stability dashboard` in a real terminal (tmux) following a database being written."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.tui.test_dashboard import craft

pytestmark = [
    pytest.mark.tui,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed"),
]


def capture(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=True
    ).stdout


def wait_for(session: str, needle: str, limit_s: float = 15.0) -> str:
    deadline = time.monotonic() + limit_s
    screen = ""
    while time.monotonic() < deadline:
        screen = capture(session)
        if needle in screen:
            return screen
        time.sleep(0.1)
    raise AssertionError(f"{needle!r} not on screen:\n{screen}")


def test_dashboard_in_tmux_shows_live_rows(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    craft(db)
    session = f"stab-{uuid.uuid4().hex[:8]}"
    command = f"{sys.executable} -m stability dashboard --db {db}"
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "30", command],
        check=True,
        env={"TERM": "xterm-256color", "PATH": "/usr/bin:/bin"},
    )
    try:
        screen = wait_for(session, "sim:looper")
        assert "loop.text" in screen and "checkmate" in screen
        subprocess.run(
            [
                sys.executable,
                "-m",
                "stability",
                "run",
                "chess",
                "--model",
                "sim:illegal",
                "--db",
                str(db),
            ],
            check=True,
            capture_output=True,
        )
        screen = wait_for(session, "illegal_moves")  # a row written by another process
        assert "sim:illegal" in screen
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            alive = subprocess.run(["tmux", "has-session", "-t", session], capture_output=True)
            if alive.returncode != 0:
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the dashboard did not quit on q")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_run_with_dashboard_quit_interrupts_cleanly(tmp_path: Path) -> None:
    import sqlite3

    db = tmp_path / "r.db"
    session = f"stab-{uuid.uuid4().hex[:8]}"
    done = tmp_path / "exit-code"
    command = (
        f"{sys.executable} -m stability run chess --model 'sim:oracle?tps=10' --games 2 "
        f"--concurrency 2 --dashboard --db {db}; echo $? > {done}; sleep 30"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "30", command],
        check=True,
        env={"TERM": "xterm-256color", "PATH": "/usr/bin:/bin"},
    )
    try:
        wait_for(session, "running")
        subprocess.run(["tmux", "send-keys", "-t", session, "q"], check=True)
        deadline = time.monotonic() + 10
        while not done.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert done.read_text().strip() == "130"
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT status, outcome, reason FROM runs").fetchall()
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert rows == [("finished", "interrupted", "dashboard_quit")] * 2
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)

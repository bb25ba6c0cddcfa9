"""Reads a database another process is writing, cheaply, for the live dashboard.

Measured pattern (STYLE.md): poll at a fixed rate on a worker thread with a
read-only connection, skip all work when ``PRAGMA data_version`` has not
changed, read only rows newer than the last seen id, keep bounded tails.
No Textual here: the feed is tested on its own.
"""

from __future__ import annotations

import json
import sqlite3
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

EVENT_TAIL = 500  # events kept per run for the timeline
TURN_TAIL = 400  # turns kept per run for sparklines and the inspector list


@dataclass
class RunView:
    """What the dashboard knows about one run."""

    row: dict[str, Any]
    turns: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=TURN_TAIL))
    events: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=EVENT_TAIL))
    live: dict[str, Any] | None = None
    last_turn_idx: int = -1
    # recall runs: (length, depth) -> [passes, answers], over every turn (not just the tail)
    recall_cells: dict[tuple[int, float], list[int]] = field(default_factory=dict)
    last_recall_idx: int = -1


@dataclass(frozen=True)
class Update:
    """What changed since the previous poll (empty when nothing did)."""

    changed: bool
    runs: dict[int, RunView]


class Feed:
    """Incremental reader of one stability database.

    Args:
        path: the database file (it may not exist yet: the feed waits).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self._last_event = 0
        self.runs: dict[int, RunView] = {}
        self.resources: dict[str, Any] | None = None  # the latest harness sample

    def close(self) -> None:
        """Close the connection."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _connect(self) -> sqlite3.Connection | None:
        if self._conn is None:
            if not self.path.exists():
                return None
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA busy_timeout = 2000")
            self._conn = conn
        return self._conn

    def poll(self) -> Update:
        """Read what is new; cheap when nothing changed."""
        conn = self._connect()
        if conn is None:
            return Update(False, self.runs)
        try:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            if version == self._version:
                return Update(False, self.runs)
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if "runs" not in tables:
                return Update(False, self.runs)
            self._version = version
            self._read(conn)
        except sqlite3.OperationalError:
            return Update(False, self.runs)  # a writer holds a lock: try next tick
        return Update(True, self.runs)

    def _read(self, conn: sqlite3.Connection) -> None:
        for row in conn.execute(
            "SELECT id, scenario, model, status, outcome, reason, detail, seed, "
            "started_at, ended_at, turns, completion_tokens, "
            "reasoning_tokens, checkpoint, params FROM runs"
        ):
            view = self.runs.get(row["id"])
            if view is None:
                self.runs[row["id"]] = RunView(dict(row))
            else:
                view.row = dict(row)
        for row in conn.execute(
            "SELECT * FROM events WHERE id > ? ORDER BY id", [self._last_event]
        ):
            self._last_event = row["id"]
            view = self.runs.get(row["run_id"])
            if view is not None:
                view.events.append(dict(row))
        sample = conn.execute("SELECT * FROM samples ORDER BY id DESC LIMIT 1").fetchone()
        self.resources = dict(sample) if sample is not None else None
        live = {row["run_id"]: dict(row) for row in conn.execute("SELECT * FROM live")}
        for run_id, view in self.runs.items():
            view.live = live.get(run_id)
            if view.row["turns"] - 1 > view.last_turn_idx:
                self._read_turns(conn, view)

    def _read_turns(self, conn: sqlite3.Connection, view: RunView) -> None:
        start = max(view.last_turn_idx + 1, view.row["turns"] - TURN_TAIL)
        for row in conn.execute(
            "SELECT idx, attempt, latency_ms, ttft_ms, tokens_per_s, prompt_tokens, "
            "completion_tokens, reasoning_tokens, finish_reason, request_messages, reasoning, "
            "content, tool_calls, parse, parse_detail, state, cut_by FROM turns "
            "WHERE run_id = ? AND idx >= ? ORDER BY idx",
            [view.row["id"], start],
        ):
            view.turns.append(dict(row))
            view.last_turn_idx = row["idx"]
        if view.row["scenario"] == "recall":
            self._read_recall(conn, view)

    def _read_recall(self, conn: sqlite3.Connection, view: RunView) -> None:
        """Fold new recall marks into the run's heatmap (bounded by its grid)."""
        for idx, scores in conn.execute(
            "SELECT idx, scores FROM turns WHERE run_id = ? AND idx > ? ORDER BY idx",
            [view.row["id"], view.last_recall_idx],
        ):
            view.last_recall_idx = idx
            try:
                marks = json.loads(scores or "{}")
                if marks.get("recall.control", 0) != 0 or "recall.pass" not in marks:
                    continue
                key = (int(marks["recall.length"]), float(marks["recall.depth"]))
            except (ValueError, KeyError, TypeError):
                continue
            cell = view.recall_cells.setdefault(key, [0, 0])
            cell[0] += int(marks["recall.pass"] >= 1.0)
            cell[1] += 1


def board_fen(view: RunView) -> str | None:
    """The current chess position of a run, if it is a chess run."""
    if view.turns and view.turns[-1].get("state"):
        return str(view.turns[-1]["state"])
    try:
        checkpoint = json.loads(view.row.get("checkpoint") or "{}")
    except ValueError:
        return None
    fen = checkpoint.get("fen")
    return str(fen) if fen else None

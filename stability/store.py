"""The only module that writes SQL: runs, turns, events, samples and live rows.

One SQLite file in WAL mode; every turn is committed with its run's totals
and checkpoint in one transaction, so a crash loses at most the turn in
flight and a reader in another process never sees half a turn. The store
refuses to touch a file that is not a SQLite database or not ours.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
import sqlite_utils

from stability.errors import StoreError
from stability.resources import Sample
from stability.run_stats import RunStats
from stability.schema import APP_NAME, MIGRATIONS, SCHEMA_VERSION
from stability.types import Outcome, RunStatus

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000  # a dashboard or a second runner may hold the lock briefly


def utcnow() -> str:
    """The current time as ISO 8601 UTC with microseconds (sorts as text)."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def check_db_path(path: Path) -> None:
    """Refuse paths that cannot be a stability database before SQLite touches them."""
    if path.is_dir():
        raise StoreError(f"--db {path} is a directory; give a file path")
    if path.exists():
        try:
            with path.open("rb") as handle:
                header = handle.read(len(SQLITE_MAGIC))
        except OSError as exc:
            raise StoreError(f"cannot read --db {path}: {exc.strerror}") from exc
        if header and header != SQLITE_MAGIC:
            raise StoreError(f"--db {path} is not a SQLite database; refusing to touch it")
    elif not path.parent.is_dir():
        raise StoreError(f"cannot create --db {path}: folder {path.parent} does not exist")
    elif not os.access(path.parent, os.W_OK):
        raise StoreError(f"cannot create --db {path}: folder {path.parent} is not writable")


STALE_S = 30.0  # 6 missed heartbeats (one every 5 s): the process is gone


def is_dead(run: Mapping[str, Any], now: datetime | None = None) -> bool:
    """Whether a ``running`` run's process is gone.

    On this host the pid is checked directly; elsewhere a heartbeat older than
    ``STALE_S`` means dead.
    """
    if run.get("status") != RunStatus.RUNNING.value:
        return False
    if run.get("host") == socket.gethostname() and run.get("pid"):
        if not psutil.pid_exists(int(run["pid"])):
            return True
        if int(run["pid"]) == os.getpid():
            return False
    beat = run.get("heartbeat_at") or run.get("started_at")
    if not beat:
        return True
    age = ((now or datetime.now(UTC)) - datetime.fromisoformat(beat)).total_seconds()
    return age > STALE_S


class _NeedsMigration(Exception):
    """A read-only open found an older schema."""


class Store:
    """Read/write access to one stability database.

    Use :meth:`open` rather than the constructor: it validates the file and
    applies migrations.
    """

    def __init__(self, db: sqlite_utils.Database, path: Path) -> None:
        self.db = db
        self.path = path

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, readonly: bool = False) -> Store:
        """Open (creating or migrating) the database at ``path``.

        Raises:
            StoreError: the path is unwritable, not SQLite, foreign, or newer.
        """
        target = Path(path)
        check_db_path(target)
        if readonly and not target.exists():
            raise StoreError(f"no database at {target}; run a scenario first or pass --db")
        if readonly:
            try:
                return cls._open(target, readonly=True)
            except _NeedsMigration:
                cls._open(target, readonly=False).close()  # additive migrations, then read
                return cls._open(target, readonly=True)
        return cls._open(target, readonly=False)

    @classmethod
    def _open(cls, target: Path, *, readonly: bool) -> Store:
        try:
            if readonly:
                conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True, check_same_thread=False)
            else:
                conn = sqlite3.connect(target, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db = sqlite_utils.Database(conn)
            store = cls(db, target)
            try:
                store._prepare(readonly)
            except BaseException:
                conn.close()
                raise
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"cannot use --db {target}: {exc}") from exc
        return store

    def _prepare(self, readonly: bool) -> None:
        tables = set(self.db.table_names())
        version = 0
        if "meta" in tables:
            meta = {row["key"]: row["value"] for row in self.db.table("meta").rows}
            if meta.get("app") != APP_NAME:
                raise StoreError(
                    f"--db {self.path} belongs to another program; refusing to touch it"
                )
            version = int(meta.get("schema_version", "0"))
        elif tables - {"sqlite_sequence"}:
            raise StoreError(f"--db {self.path} is not a stability database; refusing to touch it")
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"--db {self.path} has schema v{version}, newer than this stability "
                f"(v{SCHEMA_VERSION}); upgrade llm-stability"
            )
        if readonly:
            if version < SCHEMA_VERSION:
                raise _NeedsMigration
            return
        self.db.execute("PRAGMA journal_mode = WAL")
        self.db.execute("PRAGMA synchronous = NORMAL")  # WAL + NORMAL: no corruption on crash
        self.db.execute("PRAGMA foreign_keys = ON")
        for step in range(version, SCHEMA_VERSION):
            with self.db.conn:
                if step == 0:
                    self.db.table("meta").create(
                        {"key": str, "value": str}, pk="key", if_not_exists=True
                    )
                    self.db.table("meta").insert({"key": "app", "value": APP_NAME}, replace=True)
                MIGRATIONS[step](self.db)
                self.db.table("meta").insert(
                    {"key": "schema_version", "value": str(step + 1)}, replace=True
                )

    def close(self) -> None:
        """Close the connection (checkpointing the WAL when we are the last)."""
        self.db.conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Commit everything inside at once, or nothing."""
        with self.db.conn:
            yield

    # ---- runs ---------------------------------------------------------------

    def create_run(
        self,
        *,
        batch: str,
        scenario: str,
        model: str,
        base_url: str,
        params: Mapping[str, Any],
        seed: int,
        tags: list[str],
        checkpoint: Mapping[str, Any],
    ) -> int:
        """Insert a run in status ``running`` and return its id."""
        now = utcnow()
        with self.db.conn:
            table = self.db.table("runs")
            table.insert(
                {
                    "batch": batch,
                    "scenario": scenario,
                    "model": model,
                    "base_url": base_url,
                    "params": json.dumps(params, sort_keys=True),
                    "seed": seed,
                    "tags": json.dumps(tags),
                    "status": RunStatus.RUNNING.value,
                    "started_at": now,
                    "heartbeat_at": now,
                    "pid": os.getpid(),
                    "host": socket.gethostname(),
                    "checkpoint": json.dumps(checkpoint, sort_keys=True),
                }
            )
            run_id = table.last_pk
        assert isinstance(run_id, int)
        return run_id

    def record_turn(self, row: Mapping[str, Any], checkpoint: Mapping[str, Any]) -> None:
        """Commit one turn with the run's new totals, summary and checkpoint."""
        run_id = row["run_id"]
        with self.db.conn:
            self.db.table("turns").insert(dict(row))
            current = self.db.execute("SELECT stats FROM runs WHERE id = ?", [run_id]).fetchone()
            stats = RunStats.from_json(current[0] if current else None)
            stats.add_turn(row)
            self.db.execute(
                "UPDATE runs SET turns = turns + 1, prompt_tokens = prompt_tokens + ?, "
                "completion_tokens = completion_tokens + ?, "
                "reasoning_tokens = reasoning_tokens + ?, checkpoint = ?, heartbeat_at = ?, "
                "stats = ? WHERE id = ?",
                [
                    row.get("prompt_tokens") or 0,
                    row.get("completion_tokens") or 0,
                    row.get("reasoning_tokens") or 0,
                    json.dumps(checkpoint, sort_keys=True),
                    utcnow(),
                    stats.to_json(),
                    run_id,
                ],
            )

    def record_event(
        self,
        run_id: int,
        turn_idx: int | None,
        *,
        source: str,
        kind: str,
        code: str,
        detail: str,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        """Commit one event (a verdict, a retry, a note)."""
        with self.db.conn:
            self.db.table("events").insert(
                {
                    "run_id": run_id,
                    "turn_idx": turn_idx,
                    "at": utcnow(),
                    "source": source,
                    "kind": kind,
                    "code": code,
                    "detail": detail,
                    "data": json.dumps(data or {}, sort_keys=True, default=str),
                }
            )

    def finish_run(self, run_id: int, outcome: Outcome, reason: str, detail: str = "") -> None:
        """Mark a run finished with its one outcome and reason; drop its live row."""
        with self.db.conn:
            self.db.execute(
                "UPDATE runs SET status = ?, outcome = ?, reason = ?, detail = ?, ended_at = ? "
                "WHERE id = ?",
                [RunStatus.FINISHED.value, outcome.value, reason, detail, utcnow(), run_id],
            )
            self.db.execute("DELETE FROM live WHERE run_id = ?", [run_id])

    def reopen_run(self, run_id: int) -> None:
        """Mark an interrupted run running again, owned by this process."""
        with self.db.conn:
            self.db.execute(
                "UPDATE runs SET status = ?, outcome = NULL, reason = NULL, detail = NULL, "
                "ended_at = NULL, heartbeat_at = ?, pid = ?, host = ? WHERE id = ?",
                [RunStatus.RUNNING.value, utcnow(), os.getpid(), socket.gethostname(), run_id],
            )

    def reap_dead(self) -> list[int]:
        """Mark runs whose process died as ``interrupted/found_dead``; return their ids."""
        dead = [
            r["id"]
            for r in self.db.query("SELECT * FROM runs WHERE status = ?", [RunStatus.RUNNING.value])
            if is_dead(r)
        ]
        for run_id in dead:
            self.finish_run(
                run_id,
                Outcome.INTERRUPTED,
                "found_dead",
                "the process running it stopped without recording an outcome",
            )
        return dead

    def heartbeat(self, run_ids: list[int]) -> None:
        """Record that these runs' process is alive."""
        if not run_ids:
            return
        marks = ",".join("?" * len(run_ids))
        with self.db.conn:
            self.db.execute(
                f"UPDATE runs SET heartbeat_at = ? WHERE id IN ({marks})", [utcnow(), *run_ids]
            )

    def record_samples(self, samples: Iterable[Sample], run_id: int | None = None) -> None:
        """Commit resource readings (``run_id`` None: the harness as a whole)."""
        now = utcnow()
        rows = [
            {
                "run_id": run_id,
                "at": now,
                "pid": s.pid,
                "rss_bytes": s.rss_bytes,
                "cpu_percent": s.cpu_percent,
                "open_files": s.open_files,
            }
            for s in samples
        ]
        if rows:
            with self.db.conn:
                self.db.table("samples").insert_all(rows)

    def write_live(self, row: Mapping[str, Any]) -> None:
        """Replace a run's live row: the turn streaming now, for other processes."""
        with self.db.conn:
            self.db.table("live").insert(dict(row), replace=True)

    # ---- reads --------------------------------------------------------------

    def run(self, run_id: int) -> dict[str, Any] | None:
        """One run row, or None."""
        rows = list(self.db.query("SELECT * FROM runs WHERE id = ?", [run_id]))
        return rows[0] if rows else None

    def runs(self) -> list[dict[str, Any]]:
        """All run rows, oldest first."""
        return list(self.db.query("SELECT * FROM runs ORDER BY id"))

    def turns(self, run_id: int) -> list[dict[str, Any]]:
        """A run's turns in order."""
        return list(self.db.query("SELECT * FROM turns WHERE run_id = ? ORDER BY idx", [run_id]))

    def events(self, run_id: int) -> list[dict[str, Any]]:
        """A run's events in order."""
        return list(self.db.query("SELECT * FROM events WHERE run_id = ? ORDER BY id", [run_id]))

"""Metrics over the store: per group of runs (scenario, model, tag) and per run.

One pass over the selected runs and one over their turns (a single SQL query,
streamed): 10K runs and 1M turns aggregate in about a second. Everything here
is plain data — the JSON report is exactly :func:`build_report`'s value — so
the gate, the HTML report and the terminal tables all read the same numbers.
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from stability.metrics import pass_hat_k, summarise, wilson
from stability.recall_metrics import recall_report, recall_rows
from stability.run_stats import RunStats
from stability.store import Store, is_dead

GROUP_FIELDS = ("scenario", "model", "tag")
BROKEN = frozenset({"forfeit", "stopped"})  # the model failed; budget/infra are censored


@dataclass(frozen=True, slots=True)
class Selection:
    """Which runs a report or gate looks at (all filters combine with AND)."""

    runs: tuple[int, ...] = ()
    scenario: str | None = None
    model: str | None = None
    tag: str | None = None
    since: str | None = None  # ISO date or datetime; runs started at or after it
    group_by: tuple[str, ...] = field(default=("scenario", "model"))


def select_runs(store: Store, sel: Selection) -> list[dict[str, Any]]:
    """Run rows matching the selection, oldest first."""
    where: list[str] = []
    args: list[Any] = []
    if sel.runs:
        where.append(f"id IN ({','.join('?' * len(sel.runs))})")
        args += list(sel.runs)
    for column in ("scenario", "model"):
        value = getattr(sel, column)
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    if sel.tag is not None:
        where.append("EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE value = ?)")
        args.append(sel.tag)
    if sel.since is not None:
        where.append("started_at >= ?")
        args.append(sel.since)
    sql = "SELECT * FROM runs" + (" WHERE " + " AND ".join(where) if where else "")
    rows = list(store.db.query(sql + " ORDER BY id", args))
    # A run whose process died is reported as interrupted even before a writer
    # (the next `run` or `resume`) records it so.
    return [
        {**r, "status": "finished", "outcome": "interrupted", "reason": "found_dead"}
        if is_dead(r)
        else r
        for r in rows
    ]


def group_key(run: Mapping[str, Any], fields: Sequence[str]) -> tuple[str, ...]:
    """A run's group: its scenario, model and/or tags (joined)."""
    out = []
    for name in fields:
        if name == "tag":
            out.append(",".join(sorted(json.loads(run.get("tags") or "[]"))) or "-")
        else:
            out.append(str(run[name]))
    return tuple(out)


def percentile(values: Sequence[float], q: float) -> float | None:
    """Nearest-rank percentile of sorted values (None when empty)."""
    if not values:
        return None
    rank = max(1, math.ceil(q / 100 * len(values)))
    return float(values[rank - 1])


@contextmanager
def _selected(store: Store, run_ids: Iterable[int]) -> Iterator[None]:
    """A temporary table ``_sel`` of run ids to join against (works read-only)."""
    conn = store.db.conn
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS _sel (run_id INTEGER PRIMARY KEY)")
    conn.execute("DELETE FROM _sel")
    conn.executemany("INSERT INTO _sel VALUES (?)", [(r,) for r in run_ids])
    try:
        yield
    finally:
        conn.execute("DELETE FROM _sel")


def tokens_by_turn(store: Store, run_ids: Iterable[int], limit: int = 1000) -> list[list[float]]:
    """Mean completion tokens at each turn index over the given runs (for charts)."""
    with _selected(store, run_ids):
        rows = store.db.conn.execute(
            "SELECT t.idx, AVG(t.completion_tokens) FROM turns t JOIN _sel USING (run_id) "
            "WHERE t.idx < ? GROUP BY t.idx ORDER BY t.idx",
            [limit],
        ).fetchall()
    return [[idx, round(mean, 1)] for idx, mean in rows if mean is not None]


def _events_per_run(store: Store) -> dict[int, Counter[str]]:
    """Warn and stop events per run, by family (``loop``, ``drift``, ...)."""
    out: dict[int, Counter[str]] = defaultdict(Counter)
    cursor = store.db.conn.execute(
        "SELECT e.run_id, substr(e.code, 1, instr(e.code || '.', '.') - 1), COUNT(*) "
        "FROM events e JOIN _sel USING (run_id) "
        "WHERE e.kind IN ('warn', 'stop') GROUP BY 1, 2"
    )
    for run_id, family, count in cursor:
        out[run_id][family] += count
    return out


def _chess(runs: Sequence[Mapping[str, Any]], stats: RunStats) -> dict[str, Any]:
    """Chess-only metrics: bad moves per 1000, W/D/L, length, survival."""
    moves = sum(stats.parses.values())
    wins = draws = losses = 0
    lengths: list[float] = []
    lives: list[tuple[int, bool]] = []  # (plies, broke?)
    for run in runs:
        cp = json.loads(run.get("checkpoint") or "{}")
        params = json.loads(run.get("params") or "{}").get("scenario", {})
        plies = len(cp.get("moves", []))
        cap = params.get("ply_cap") or 200
        lengths.append(plies / cap)
        color, winner, result = cp.get("model_color"), cp.get("winner"), cp.get("result")
        if color in ("white", "black") and result:
            if result == "1/2-1/2":
                draws += 1
            elif winner == color:
                wins += 1
            elif winner:
                losses += 1
        if run.get("outcome") not in (None, "infra", "interrupted"):
            lives.append((plies, run.get("outcome") in BROKEN))
    curve, half = survival(lives)
    return {
        "illegal_per_1000": round(1000 * stats.parses.get("illegal", 0) / moves, 2)
        if moves
        else None,
        "format_errors_per_1000": round(1000 * stats.format_errors / moves, 2) if moves else None,
        "wins": wins,
        "draws": draws,
        "losses": losses,
        "length_pct_of_cap": round(100 * sum(lengths) / len(lengths), 1) if lengths else None,
        "survival": curve,
        "half_broken_ply": half,
    }


def _agent(runs: Sequence[Mapping[str, Any]], first_anomaly: Mapping[int, int]) -> dict[str, Any]:
    """Agent metrics: exact success, pass^k over repeated seeds, anomaly and break turns."""
    judged = [r for r in runs if r.get("outcome") not in (None, "infra", "interrupted")]
    success = [r.get("reason") == "all_resolved" for r in judged]
    per_seed: dict[int, tuple[int, int]] = {}
    for run, ok in zip(judged, success, strict=True):
        c, n = per_seed.get(run["seed"], (0, 0))
        per_seed[run["seed"]] = (c + ok, n + 1)
    most = max((n for _, n in per_seed.values()), default=0)
    anomalies = sorted(first_anomaly[r["id"]] for r in runs if r["id"] in first_anomaly)
    _, half = survival([(int(r.get("turns") or 0), r.get("outcome") in BROKEN) for r in judged])
    return {
        "success_rate": wilson(sum(success), len(success)).as_dict(),
        "pass_k": {str(k): pass_hat_k(per_seed, k) for k in range(1, min(most, 4) + 1)},
        "first_anomaly_turn_p50": percentile(anomalies, 50),
        "half_broken_turn": half,
    }


def survival(lives: Sequence[tuple[int, bool]]) -> tuple[list[list[float]], int | None]:
    """Kaplan–Meier share of games still valid at each ply where one broke.

    Args:
        lives: per game, (plies played, whether it broke there); games that
            ended by themselves or hit a budget are censored at their length.

    Returns:
        The step curve as ``[[ply, share], ...]`` starting at ``[0, 1.0]``, and
        the first ply at which half or more have broken (None if never).
    """
    breaks = Counter(p for p, broke in lives if broke)
    ends = Counter(p for p, _ in lives)
    at_risk = len(lives)
    share = 1.0
    curve: list[list[float]] = [[0, 1.0]]
    half: int | None = None
    for ply in sorted(ends):
        if breaks[ply] and at_risk:
            share *= 1 - breaks[ply] / at_risk
            curve.append([ply, round(share, 4)])
            if half is None and share <= 0.5:
                half = ply
        at_risk -= ends[ply]
    return curve, half


def build_report(store: Store, sel: Selection) -> dict[str, Any]:
    """The whole report: one entry per group, plus the selection it came from."""
    runs = select_runs(store, sel)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    run_group: dict[int, tuple[str, ...]] = {}
    for run in runs:
        key = group_key(run, sel.group_by)
        groups[key].append(run)
        run_group[run["id"]] = key
    with _selected(store, run_group):
        events = _events_per_run(store)
        first_anomaly = dict(
            store.db.conn.execute(
                "SELECT e.run_id, MIN(e.turn_idx) FROM events e JOIN _sel USING (run_id) "
                "WHERE e.kind IN ('warn', 'stop') AND e.turn_idx IS NOT NULL GROUP BY 1"
            ).fetchall()
        )
    out = []
    for key, rows in sorted(groups.items()):
        s = RunStats()
        for run in rows:
            s.merge(RunStats.from_json(run.get("stats")))
        summary = summarise(rows)
        reasons = Counter(f"{r['outcome']}/{r['reason']}" for r in rows if r.get("outcome"))
        finished = [r for r in rows if r.get("outcome")]
        loops = sum(
            1
            for r in finished
            if r["outcome"] == "stopped" and str(r["reason"]).startswith("loop.")
        )
        per_run = [events.get(r["id"], Counter()) for r in rows]
        entry: dict[str, Any] = {
            **dict(zip(sel.group_by, key, strict=True)),
            "runs": len(rows),
            **summary.as_dict(),
            "reasons": dict(reasons.most_common()),
            "loop_rate": round(loops / len(finished), 4) if finished else None,
            "loop_events_per_run": round(sum(c["loop"] for c in per_run) / len(rows), 3),
            "drift_events_per_run": round(sum(c["drift"] for c in per_run) / len(rows), 3),
            "turns": sum(int(r.get("turns") or 0) for r in rows),
            "tokens": {
                "prompt": s.spread("prompt_tokens"),
                "completion": s.spread("completion_tokens"),
                "reasoning": s.spread("reasoning_tokens"),
            },
            "latency_ms": s.spread("latency_ms"),
            "ttft_ms": s.spread("ttft_ms"),
            "run_ids": [r["id"] for r in rows],
        }
        if all(r["scenario"] == "chess" for r in rows):
            entry["chess"] = _chess(rows, s)
        if all(r["scenario"] == "agent" for r in rows):
            entry["agent"] = _agent(rows, first_anomaly)
        if all(r["scenario"] == "recall" for r in rows):
            entry["recall"] = recall_report(recall_rows(store, [r["id"] for r in rows]))
        out.append(entry)
    return {"group_by": list(sel.group_by), "runs": len(runs), "groups": out}

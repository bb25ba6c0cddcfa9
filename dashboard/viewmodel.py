"""What the dashboard shows, computed without Textual (unit-tested on its own).

Every string that came from a model passes through
:func:`stability.safe_text.safe_text` here, so the widgets only ever receive
inert text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import chess
from rich.text import Text

from dashboard.feed import RunView, board_fen
from stability.report_recall import size_label
from stability.safe_text import safe_line, safe_text

__all__ = ["safe_line", "safe_text"]  # re-exported for the widgets

COLUMNS = ("run", "status", "scenario", "model", "turns", "tokens", "reason", "tok/s", "ETA")
SORT_KEYS = ("run", "status", "turns", "tokens")
SEVERITY_STYLE = {"stop": "bold red", "warn": "yellow", "retry": "magenta", "info": "dim"}


def _status(row: dict[str, Any]) -> str:
    return str(row["outcome"] or row["status"])


def _eta(view: RunView) -> str:
    """Seconds to the ply cap at the recent pace (chess), as a rough upper bound."""
    turns = [t for t in view.turns if t.get("latency_ms")]
    if view.row["outcome"] or len(turns) < 3:
        return "-"
    try:
        cap = json.loads(view.row.get("params") or "{}").get("scenario", {}).get("ply_cap")
        plies = len(json.loads(view.row.get("checkpoint") or "{}").get("moves", []))
    except ValueError:
        return "-"
    if not cap or plies <= 0:
        return "-"
    per_turn = sum(t["latency_ms"] for t in turns[-10:]) / len(turns[-10:]) / 1000
    plies_per_turn = max(plies / max(view.row["turns"], 1), 0.5)
    seconds = (cap - plies) / plies_per_turn * per_turn
    return f"{seconds / 60:.0f}m" if seconds >= 60 else f"{seconds:.0f}s"


def _speed(view: RunView) -> str:
    for turn in reversed(view.turns):
        if turn.get("tokens_per_s"):
            return f"{turn['tokens_per_s']:.0f}"
    return "-"


@dataclass(frozen=True)
class RunRow:
    """One row of the runs overview."""

    run_id: int
    cells: tuple[str, ...]
    stopped: bool


def run_rows(runs: Iterable[RunView], filter_text: str = "", sort: str = "run") -> list[RunRow]:
    """The runs overview: filtered by a substring, sorted by a column."""
    rows = []
    needle = filter_text.lower().strip()
    for view in runs:
        r = view.row
        tokens = int(r["completion_tokens"] or 0)
        if view.live and not r["outcome"]:
            tokens += int(view.live.get("tokens") or 0)
        cells = (
            str(r["id"]),
            _status(r),
            safe_line(str(r["scenario"])),
            safe_line(str(r["model"]), 40),
            str(r["turns"]),
            str(tokens),
            safe_line(str(r["reason"] or ""), 40),
            _speed(view),
            _eta(view),
        )
        if needle and needle not in " ".join(cells).lower():
            continue
        rows.append(RunRow(r["id"], cells, r["outcome"] == "stopped"))
    index = {"run": 0, "status": 1, "turns": 4, "tokens": 5}[sort if sort in SORT_KEYS else "run"]
    numeric = index in (0, 4, 5)
    rows.sort(
        key=lambda row: int(row.cells[index]) if numeric else row.cells[index],
        reverse=sort in ("turns", "tokens"),
    )
    return rows


def event_lines(view: RunView) -> list[tuple[str, str]]:
    """(text, style) for the events timeline, oldest first."""
    out = []
    for e in view.events:
        turn = "-" if e["turn_idx"] is None else e["turn_idx"]
        out.append(
            (
                f"turn {turn} {e['kind']:<5} {safe_line(e['code'])}: "
                f"{safe_line(e['detail'] or '', 160)}",
                SEVERITY_STYLE.get(e["kind"], ""),
            )
        )
    return out


def series(view: RunView) -> dict[str, list[float]]:
    """Per-turn series for sparklines: tokens, latency (s), tokens/s."""
    turns = list(view.turns)
    return {
        "tokens": [float(t["completion_tokens"] or 0) for t in turns],
        "latency": [float(t["latency_ms"] or 0) / 1000 for t in turns],
        "tok/s": [float(t["tokens_per_s"] or 0) for t in turns],
    }


def live_text(view: RunView) -> tuple[str, str, str]:
    """(header, reasoning tail, content tail) of the turn streaming now."""
    live = view.live
    if not live:
        state = _status(view.row)
        reason = f" ({view.row['reason']})" if view.row["reason"] else ""
        return f"{state}{reason}", "", ""
    header = (
        f"turn {live['turn_idx']} streaming · {live['tokens']} tokens "
        f"(reasoning {live['reasoning_tokens']}, content {live['content_tokens']})"
    )
    return header, safe_text(live["tail_reasoning"] or ""), safe_text(live["tail_content"] or "")


def recall_heatmap(view: RunView) -> Text:
    """A recall run's accuracy by length (rows, longest first) and depth (columns)."""
    cells = view.recall_cells
    if not cells:
        return Text("recall: no answers yet", style="dim")
    lengths = sorted({length for length, _ in cells}, reverse=True)
    depths = sorted({depth for _, depth in cells})
    out = Text("recall accuracy\n", style="bold")
    out.append("len\\depth " + "".join(f"{d:>5g}%" for d in depths) + "\n", style="dim")
    for length in lengths:
        out.append(f"{size_label(length):>9} ", style="dim")
        for depth in depths:
            passed, n = cells.get((length, depth), (0, 0))
            if not n:
                out.append("     ·", style="dim")
                continue
            rate = passed / n
            style = "green" if rate >= 0.85 else "yellow" if rate >= 0.5 else "red"
            out.append(f"{rate:>6.2f}", style=f"bold {style}")
        out.append("\n")
    return out


def board_text(view: RunView) -> Text:
    """The middle panel: the chess board, or a recall run's heatmap."""
    if view.row.get("scenario") == "recall":
        return recall_heatmap(view)
    return Text(board(view))


def board(view: RunView) -> str:
    """The chess position as a text board, or an empty string."""
    fen = board_fen(view)
    if not fen:
        return ""
    try:
        return chess.Board(fen).unicode(borders=False, empty_square="·")
    except ValueError:
        return ""


def turn_detail(view: RunView, idx: int) -> str:
    """Everything about one turn: prompt delta, reasoning, content, parse, verdicts."""
    turn = next((t for t in view.turns if t["idx"] == idx), None)
    if turn is None:
        return f"turn {idx} is not loaded"
    parts = [
        f"turn {idx} · attempt {turn['attempt']} · {turn['completion_tokens']} tokens · "
        f"finish {turn['finish_reason']}"
    ]
    try:
        messages: Sequence[dict[str, Any]] = json.loads(turn["request_messages"] or "[]")
    except ValueError:
        messages = []
    for m in messages:
        content = m.get("content")
        parts.append(f"[{m.get('role')}] {safe_text(content if isinstance(content, str) else '')}")
    if turn["reasoning"]:
        parts.append("reasoning:\n" + safe_text(turn["reasoning"]))
    if turn["content"]:
        parts.append("content:\n" + safe_text(turn["content"]))
    if turn["tool_calls"] and turn["tool_calls"] != "[]":
        parts.append("tool calls: " + safe_text(turn["tool_calls"]))
    if turn["parse"]:
        parts.append(f"parse: {turn['parse']} — {safe_line(turn['parse_detail'] or '')}")
    verdicts = [e for e in view.events if e["turn_idx"] == idx and e["kind"] != "info"]
    for e in verdicts:
        parts.append(
            f"verdict: {e['kind']} {safe_line(e['code'])} — {safe_line(e['detail'] or '')}"
        )
    return "\n\n".join(parts)


def resources_text(sample: dict[str, Any] | None) -> str:
    """The resource panel: the harness's latest psutil reading."""
    if not sample:
        return "resources: no samples yet"
    return (
        f"harness pid {sample['pid']} · RSS {sample['rss_bytes'] / 2**20:.0f} MB · "
        f"CPU {sample['cpu_percent']:.0f}% · open files {sample['open_files']} · "
        f"at {str(sample['at'])[11:19]}"
    )

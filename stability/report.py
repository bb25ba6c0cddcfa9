"""``stability report``: outcomes and rates per scenario and model.

Builds a plain data structure first (the JSON format is exactly it), then
renders it as a rich table or Markdown. Every string that came from a model or
a user passes through :func:`~stability.safe_text.safe_line` first.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from stability.metrics import Rate, summarise
from stability.safe_text import safe_line
from stability.types import Outcome

OUTCOME_ORDER = [o.value for o in Outcome]


def build_report(runs: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Group run rows by (scenario, model) and summarise each group."""
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for run in runs:
        groups[(str(run["scenario"]), str(run["model"]))].append(run)
    out: list[dict[str, Any]] = []
    for (scenario, model), rows in sorted(groups.items()):
        summary = summarise(rows)
        reasons = Counter(f"{r['outcome']}/{r['reason']}" for r in rows if r.get("outcome"))
        turns = sum(int(r.get("turns") or 0) for r in rows)
        tokens = sum(int(r.get("completion_tokens") or 0) for r in rows)
        out.append(
            {
                "scenario": scenario,
                "model": model,
                "runs": len(rows),
                **summary.as_dict(),
                "reasons": dict(reasons.most_common()),
                "turns": turns,
                "completion_tokens": tokens,
                "tokens_per_turn": round(tokens / turns, 1) if turns else None,
            }
        )
    return {"groups": out}


def _rate(rate: Mapping[str, Any]) -> str:
    if rate["value"] is None:
        return "n/a"
    return f"{rate['value']:.2f} ({rate['low']:.2f}–{rate['high']:.2f}) n={rate['n']}"


def render_json(report: Mapping[str, Any]) -> str:
    """The report as indented JSON."""
    return json.dumps(report, indent=2, sort_keys=True)


def render_markdown(report: Mapping[str, Any]) -> str:
    """The report as a Markdown table (for CI summaries and PRs)."""
    head = ["scenario", "model", "runs", *OUTCOME_ORDER, "termination", "completion", "top reasons"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for g in report["groups"]:
        reasons = ", ".join(f"{k} ×{v}" for k, v in list(g["reasons"].items())[:3])
        cells = [
            safe_line(g["scenario"]),
            safe_line(g["model"]),
            str(g["runs"]),
            *(str(g["counts"].get(o, 0)) for o in OUTCOME_ORDER),
            _rate(g["termination_rate"]),
            _rate(g["completion_rate"]),
            safe_line(reasons),
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def render_table(report: Mapping[str, Any], console: Console) -> None:
    """Print the report as a rich table; model strings are never parsed as markup."""
    table = Table(title="stability report", show_lines=False)
    for name in [
        "scenario",
        "model",
        "runs",
        *OUTCOME_ORDER,
        "termination (95% CI)",
        "completion (95% CI)",
        "top reasons",
    ]:
        table.add_column(name, overflow="fold")
    for g in report["groups"]:
        reasons = "\n".join(f"{k} ×{v}" for k, v in list(g["reasons"].items())[:3])
        cells = [
            safe_line(g["scenario"]),
            safe_line(g["model"]),
            str(g["runs"]),
            *(str(g["counts"].get(o, 0)) for o in OUTCOME_ORDER),
            _rate(g["termination_rate"]),
            _rate(g["completion_rate"]),
            safe_line(reasons, 400),
        ]
        table.add_row(*(Text(c) for c in cells))  # Text: cells are never parsed as markup
    if not report["groups"]:
        console.print("no runs recorded yet", markup=False)
        return
    console.print(table, markup=False)


def rate_line(rate: Rate) -> str:
    """A rate for one-line summaries."""
    return _rate(rate.as_dict())

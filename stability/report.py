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
    """Print the report as one block per group, readable at any terminal width.

    Rates lead, infra and interrupted counts sit beside them (they are
    excluded from the denominators and must stay visible), then each outcome
    with its reasons. Strings are printed as ``Text``, never parsed as markup.
    """
    if not report["groups"]:
        console.print("no runs recorded yet", markup=False)
        return
    for g in report["groups"]:
        head = Text()
        head.append(f"{safe_line(g['scenario'])} · {safe_line(g['model'])}", style="bold")
        head.append(f" — {g['runs']} run{'s' if g['runs'] != 1 else ''}")
        if g["running"]:
            head.append(f" ({g['running']} running)", style="yellow")
        rates = Text("  termination ")
        rates.append(_short_rate(g["termination_rate"]), style="bold")
        rates.append(" · completion ")
        rates.append(_short_rate(g["completion_rate"]), style="bold")
        rates.append(f" · n={g['termination_rate']['n']}")
        excluded = Text(
            f"  not counted: infra {g['counts'].get('infra', 0)}"
            f" · interrupted {g['counts'].get('interrupted', 0)}",
            style="dim",
        )
        console.print(head)
        console.print(rates)
        console.print(excluded)
        for outcome in OUTCOME_ORDER:
            count = g["counts"].get(outcome, 0)
            if not count:
                continue
            why = ", ".join(
                f"{safe_line(k.split('/', 1)[1])} {v}"
                for k, v in g["reasons"].items()
                if k.startswith(outcome + "/")
            )
            line = Text(f"  {outcome:<12}", style=_STYLE.get(outcome, ""))
            line.append(f"{count:>5}  {why}", style="")
            console.print(line)
        tokens = g["tokens_per_turn"]
        console.print(
            Text(
                f"  {g['turns']} turns · {g['completion_tokens']} tokens out"
                + (f" · {tokens} per turn" if tokens is not None else ""),
                style="dim",
            )
        )
        console.print()


_STYLE = {
    "completed": "green",
    "forfeit": "yellow",
    "stopped": "red",
    "budget": "magenta",
    "infra": "blue",
    "interrupted": "dim",
}


def _short_rate(rate: Mapping[str, Any]) -> str:
    if rate["value"] is None:
        return "n/a"
    return f"{rate['value']:.2f} ({rate['low']:.2f}–{rate['high']:.2f})"


def rate_line(rate: Rate) -> str:
    """A rate for one-line summaries."""
    return _rate(rate.as_dict())

"""``stability report``: render the aggregated metrics as a terminal report, Markdown or JSON.

The numbers come from :func:`stability.aggregate.build_report`; this module
only formats them (and compares two groups). Every string that came from a
model or a user passes through :func:`~stability.safe_text.safe_line` and is
printed as ``rich.text.Text``, never parsed as markup.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.text import Text

from stability.metrics import Rate, two_proportion_test
from stability.report_recall import render_recall
from stability.safe_text import safe_line
from stability.types import Outcome

OUTCOME_ORDER = [o.value for o in Outcome]
_STYLE = {
    "completed": "green",
    "forfeit": "yellow",
    "stopped": "red",
    "budget": "magenta",
    "infra": "blue",
    "interrupted": "dim",
}


def label(group: Mapping[str, Any], fields: list[str]) -> str:
    """A group's name: its scenario, model and tag values joined."""
    return " · ".join(safe_line(str(group[f])) for f in fields)


def rate_text(rate: Mapping[str, Any]) -> str:
    """``0.93 (0.81–0.98)`` or ``n/a``."""
    if rate["value"] is None:
        return "n/a"
    return f"{rate['value']:.2f} ({rate['low']:.2f}–{rate['high']:.2f})"


def rate_line(rate: Rate) -> str:
    """A rate for one-line summaries."""
    return rate_text(rate.as_dict())


def _num(value: Any, digits: int = 0) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def render_json(report: Mapping[str, Any]) -> str:
    """The report as indented JSON (exactly the data the gate reads)."""
    return json.dumps(report, indent=2, sort_keys=True)


def render_markdown(report: Mapping[str, Any]) -> str:
    """The report as a Markdown table (CI summaries, pull requests)."""
    fields = report["group_by"]
    head = [
        "group",
        "runs",
        *OUTCOME_ORDER,
        "termination (95% CI)",
        "completion (95% CI)",
        "tokens/turn p50/p95",
        "top reasons",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for g in report["groups"]:
        reasons = ", ".join(f"{k} ×{v}" for k, v in list(g["reasons"].items())[:3])
        tokens = g["tokens"]["completion"]
        cells = [
            label(g, fields),
            str(g["runs"]),
            *(str(g["counts"].get(o, 0)) for o in OUTCOME_ORDER),
            rate_text(g["termination_rate"]),
            rate_text(g["completion_rate"]),
            f"{_num(tokens['p50'])} / {_num(tokens['p95'])}",
            safe_line(reasons),
        ]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def render_table(report: Mapping[str, Any], console: Console) -> None:
    """One block per group, readable at any terminal width.

    Rates lead, infra and interrupted counts sit beside them (they are
    excluded from the denominators and must stay visible), then each outcome
    with its reasons, then tokens, timings and the scenario's own metrics.
    """
    if not report["groups"]:
        console.print("no runs match", markup=False)
        return
    fields = report["group_by"]
    for g in report["groups"]:
        head = Text()
        head.append(label(g, fields), style="bold")
        head.append(f" — {g['runs']} run{'s' if g['runs'] != 1 else ''}")
        if g["running"]:
            head.append(f" ({g['running']} running)", style="yellow")
        rates = Text("  termination ")
        rates.append(rate_text(g["termination_rate"]), style="bold")
        rates.append(" · completion ")
        rates.append(rate_text(g["completion_rate"]), style="bold")
        rates.append(f" · n={g['termination_rate']['n']}")
        console.print(head)
        console.print(rates)
        console.print(
            Text(
                f"  not counted: infra {g['counts'].get('infra', 0)}"
                f" · interrupted {g['counts'].get('interrupted', 0)}",
                style="dim",
            )
        )
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
        tokens, lat, ttft = g["tokens"], g["latency_ms"], g["ttft_ms"]
        console.print(
            Text(
                f"  {g['turns']} turns · tokens/turn out {_num(tokens['completion']['mean'], 1)} "
                f"(p95 {_num(tokens['completion']['p95'])}), reasoning "
                f"{_num(tokens['reasoning']['mean'], 1)}, in {_num(tokens['prompt']['mean'], 1)} · "
                f"latency p50 {_num(lat['p50'])} ms p95 {_num(lat['p95'])} ms · "
                f"ttft p50 {_num(ttft['p50'])} ms",
                style="dim",
            )
        )
        console.print(
            Text(
                f"  loops {_num(g['loop_events_per_run'], 2)}/run · drift "
                f"{_num(g['drift_events_per_run'], 2)}/run · loop rate "
                f"{_num(g['loop_rate'], 2)}",
                style="dim",
            )
        )
        agent = g.get("agent")
        if agent:
            half = agent["half_broken_turn"]
            passes = " ".join(
                f"pass^{k} {v:.2f}" for k, v in agent["pass_k"].items() if v is not None
            )
            console.print(
                Text(
                    f"  agent: success {rate_text(agent['success_rate'])} · {passes} · first "
                    f"anomaly turn p50 {agent['first_anomaly_turn_p50'] or '-'} · half broken by "
                    f"turn {'-' if half is None else half}",
                    style="dim",
                )
            )
        if g.get("recall"):
            render_recall(g["recall"], console)
        chess = g.get("chess")
        if chess:
            console.print(
                Text(
                    f"  chess: W/D/L {chess['wins']}/{chess['draws']}/{chess['losses']} · "
                    f"illegal {_num(chess['illegal_per_1000'], 1)}/1000 moves · format errors "
                    f"{_num(chess['format_errors_per_1000'], 1)}/1000 · length "
                    f"{_num(chess['length_pct_of_cap'], 1)}% of the ply cap · half broken by ply "
                    f"{chess['half_broken_ply'] if chess['half_broken_ply'] is not None else '-'}",
                    style="dim",
                )
            )
        console.print()


def compare(report: Mapping[str, Any], a: int, b: int) -> dict[str, Any]:
    """Two groups side by side: each rate's difference and whether it beats the noise."""
    ga, gb = report["groups"][a], report["groups"][b]
    rows = []
    for key in ("termination_rate", "completion_rate"):
        ra, rb = ga[key], gb[key]
        test = two_proportion_test(ra["successes"], ra["n"], rb["successes"], rb["n"])
        rows.append(
            {
                "metric": key,
                "a": ra["value"],
                "b": rb["value"],
                "difference": test.difference,
                "z": test.z,
                "p_value": test.p_value,
                "significant": test.significant,
            }
        )
    return {"a": label(ga, report["group_by"]), "b": label(gb, report["group_by"]), "rates": rows}


def render_compare(result: Mapping[str, Any], console: Console) -> None:
    """Print a comparison: which differences exceed the noise (two-proportion z-test)."""
    console.print(Text(f"A: {result['a']}\nB: {result['b']}", style="bold"))
    for row in result["rates"]:
        if row["p_value"] is None:
            verdict = "not enough runs to compare"
        elif row["significant"]:
            verdict = f"differs beyond the noise (p = {row['p_value']:.3f})"
        else:
            verdict = f"within the noise (p = {row['p_value']:.3f})"
        a = "-" if row["a"] is None else f"{row['a']:.2f}"
        b = "-" if row["b"] is None else f"{row['b']:.2f}"
        console.print(Text(f"  {row['metric']:<18} A {a}  B {b}  — {verdict}"))

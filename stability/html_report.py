"""``stability report --html FILE``: one self-contained page, tables and SVG charts.

No scripts, fonts or stylesheets are fetched: charts are inline SVG drawn
here, so the file opens offline, in CI artifacts and in mail, and cannot fail
to load anything. Every string from the database is HTML-escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from stability.aggregate import tokens_by_turn
from stability.report import OUTCOME_ORDER, label, rate_text
from stability.store import Store

COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"]
OUTCOME_COLORS = {
    "completed": "#2ca02c",
    "forfeit": "#ff7f0e",
    "stopped": "#d62728",
    "budget": "#9467bd",
    "infra": "#1f77b4",
    "interrupted": "#7f7f7f",
}
CSS = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#222}
h1{font-size:22px}h2{font-size:17px;margin-top:28px}table{border-collapse:collapse;margin:8px 0}
td,th{border:1px solid #ddd;padding:4px 8px;text-align:right}th{background:#f4f4f4}
td:first-child,th:first-child{text-align:left}.chart{margin:8px 0 20px}
.legend span{display:inline-block;margin-right:14px}.sw{display:inline-block;width:10px;
height:10px;margin-right:4px;vertical-align:middle}svg text{font:11px sans-serif;fill:#444}
"""

Series = tuple[str, Sequence[Sequence[float]]]


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def line_chart(
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    step: bool = False,
    y_max: float | None = None,
) -> str:
    """An SVG line (or step) chart of one or more series of (x, y) points."""
    width, height, pad = 640, 260, 44
    points = [p for _, pts in series for p in pts]
    if not points:
        return f"<p><em>{_e(title)}: no data</em></p>"
    x_hi = max(p[0] for p in points) or 1
    y_hi = y_max if y_max is not None else (max(p[1] for p in points) or 1)

    def sx(x: float) -> float:
        return pad + (width - 2 * pad) * x / x_hi

    def sy(y: float) -> float:
        return height - pad - (height - 2 * pad) * y / y_hi

    parts = [
        f'<svg class="chart" role="img" aria-label="{_e(title)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
        f'<line x1="{pad}" y1="{height - pad}" x2="{width - pad}" y2="{height - pad}" '
        'stroke="#999"/>',
        f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{height - pad}" stroke="#999"/>',
        f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle">{_e(x_label)} '
        f"(0–{x_hi:g})</text>",
        f'<text x="8" y="{pad - 12}">{_e(y_label)} (max {y_hi:.3g})</text>',
    ]
    for i, (_, pts) in enumerate(series):
        coords: list[str] = []
        prev_y: float | None = None
        for x, y in pts:
            if step and prev_y is not None:
                coords.append(f"{sx(x):.1f},{sy(prev_y):.1f}")
            coords.append(f"{sx(x):.1f},{sy(y):.1f}")
            prev_y = y
        if step and prev_y is not None:
            coords.append(f"{sx(x_hi):.1f},{sy(prev_y):.1f}")
        parts.append(
            f'<polyline fill="none" stroke="{COLORS[i % len(COLORS)]}" '
            f'stroke-width="2" points="{" ".join(coords)}"/>'
        )
    parts.append("</svg>")
    legend = "".join(
        f'<span><i class="sw" style="background:{COLORS[i % len(COLORS)]}"></i>{_e(name)}</span>'
        for i, (name, _) in enumerate(series)
    )
    return f"<h3>{_e(title)}</h3>" + "".join(parts) + f'<div class="legend">{legend}</div>'


def outcome_bars(groups: Sequence[Mapping[str, Any]], fields: list[str]) -> str:
    """Horizontal stacked bars: each group's runs by outcome."""
    width, row_h, left = 640, 26, 200
    height = row_h * len(groups) + 30
    parts = [
        f'<svg class="chart" role="img" aria-label="outcomes" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, g in enumerate(groups):
        y = 10 + i * row_h
        total = sum(g["counts"].values()) + g["running"] or 1
        x = float(left)
        parts.append(f'<text x="4" y="{y + 15}">{_e(label(g, fields)[:34])}</text>')
        for outcome in OUTCOME_ORDER:
            n = g["counts"].get(outcome, 0)
            if not n:
                continue
            w = (width - left - 10) * n / total
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row_h - 6}" '
                f'fill="{OUTCOME_COLORS[outcome]}"><title>{outcome}: {n}</title></rect>'
            )
            x += w
    parts.append("</svg>")
    legend = "".join(
        f'<span><i class="sw" style="background:{c}"></i>{o}</span>'
        for o, c in OUTCOME_COLORS.items()
    )
    return "<h3>Outcomes</h3>" + "".join(parts) + f'<div class="legend">{legend}</div>'


def _table(groups: Sequence[Mapping[str, Any]], fields: list[str]) -> str:
    head = [
        "group",
        "runs",
        *OUTCOME_ORDER,
        "termination (95% CI)",
        "completion (95% CI)",
        "tokens/turn mean",
        "p95",
        "latency p50 ms",
        "p95",
        "ttft p50 ms",
    ]
    rows = ["<tr>" + "".join(f"<th>{_e(h)}</th>" for h in head) + "</tr>"]
    for g in groups:
        t, lat = g["tokens"]["completion"], g["latency_ms"]
        cells = [
            label(g, fields),
            g["runs"],
            *(g["counts"].get(o, 0) for o in OUTCOME_ORDER),
            rate_text(g["termination_rate"]),
            rate_text(g["completion_rate"]),
            t["mean"],
            t["p95"],
            lat["p50"],
            lat["p95"],
            g["ttft_ms"]["p50"],
        ]
        rows.append(
            "<tr>" + "".join(f"<td>{_e('-' if c is None else c)}</td>" for c in cells) + "</tr>"
        )
    return "<table>" + "".join(rows) + "</table>"


def render_html(report: Mapping[str, Any], turn_series: Sequence[Series]) -> str:
    """The whole page."""
    fields = report["group_by"]
    groups = report["groups"]
    body = [
        f"<h1>stability report — {report['runs']} runs</h1>",
        "<p>termination rate = (completed + forfeit) / (runs − infra − interrupted); "
        "completion rate = completed / the same. Intervals are Wilson 95%.</p>",
        _table(groups, fields),
        outcome_bars(groups, fields),
        line_chart(
            turn_series,
            title="Tokens per turn over the run",
            x_label="turn",
            y_label="mean completion tokens",
        ),
    ]
    survival = [(label(g, fields), g["chess"]["survival"]) for g in groups if g.get("chess")]
    if survival:
        extended = [
            (name, [*pts, [max(2, *(p[0] for p in pts)), pts[-1][1]]]) for name, pts in survival
        ]
        body.append(
            line_chart(
                extended,
                title="Survival: share of games still valid at ply n",
                x_label="ply",
                y_label="share",
                step=True,
                y_max=1.0,
            )
        )
    reasons = "".join(
        f"<h3>{_e(label(g, fields))}</h3><ul>"
        + "".join(f"<li>{_e(k)} × {v}</li>" for k, v in g["reasons"].items())
        + "</ul>"
        for g in groups
    )
    body.append("<h2>Reasons</h2>" + reasons)
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<title>stability report</title><meta name="viewport" '
        'content="width=device-width,initial-scale=1">'
        f"<style>{CSS}</style></head><body>" + "".join(body) + "</body></html>\n"
    )


def write_html(store: Store, report: Mapping[str, Any], path: Path) -> None:
    """Render the report with its per-turn series and write it to ``path``."""
    series = [
        (label(g, report["group_by"]), tokens_by_turn(store, g["run_ids"]))
        for g in report["groups"]
    ]
    path.write_text(render_html(report, series), encoding="utf-8")

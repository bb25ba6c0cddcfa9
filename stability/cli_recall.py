"""``stability run recall``: where long-context recall breaks, for one model on one server.

Kept apart from :mod:`stability.cli`; the run group adds it with
``add_command``. The shared launcher is imported when the command runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import click

from stability.cli_types import budget_options, db_option, model_options
from stability.errors import ConfigError
from stability.units import parse_size

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
BASE_READ_TIMEOUT_S = 900.0
READ_TIMEOUT_S_PER_1K = 1.0  # a slow server's prefill: ~1 s per 1K prompt tokens


def read_timeout_for(scenario_params: Mapping[str, Any]) -> float:
    """The client's read timeout for a run: sized from its longest recall prompt."""
    lengths = scenario_params.get("lengths") or [0]
    return BASE_READ_TIMEOUT_S + max(int(n) for n in lengths) / 1000 * READ_TIMEOUT_S_PER_1K


def context_for(scenario_params: Mapping[str, Any]) -> int | None:
    """The context an embedded model needs for a run, or None without recall lengths.

    The longest recall prompt plus 15% (another tokenizer counts differently:
    Qwen's +5.8% over o200k here) and room for the answer.
    """
    lengths = scenario_params.get("lengths")
    if not lengths:
        return None
    return int(max(int(n) for n in lengths) * 1.15) + 1024


def _sizes(text: str) -> list[int]:
    try:
        return [parse_size(part.strip()) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigError(f"--lengths {text!r}: {exc}") from exc


def _depths(text: str) -> list[float]:
    try:
        return [float(part.strip().rstrip("%")) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigError(f"--depths {text!r} must be numbers between 0 and 100") from exc


@click.command("recall", context_settings=CONTEXT)
@model_options
@click.option(
    "--families",
    default="all",
    show_default=True,
    help="Task families, comma-separated (see below), or all; one run each.",
)
@click.option(
    "--lengths",
    default="8k,32k,128k",
    show_default=True,
    help="Prompt lengths in tokens (8k, 128k, 1m…), asked longest first.",
)
@click.option(
    "--depths",
    default="0,25,50,75,100",
    show_default=True,
    help="Where the needle goes, in percent of the document.",
)
@click.option(
    "--samples", type=click.IntRange(1), default=1, show_default=True, help="Prompts per cell."
)
@click.option(
    "--tokenizer",
    type=click.Choice(["o200k", "cl100k"]),
    default="o200k",
    show_default=True,
    help="The BPE vocabulary lengths are counted in (shipped offline); the server's own "
    "count is recorded beside it.",
)
@click.option(
    "--controls/--no-controls",
    default=True,
    show_default=True,
    help="Add a 2K-token short-context control at every depth and a no-context control.",
)
@budget_options
@db_option
def run_recall(
    families: str,
    lengths: str,
    depths: str,
    samples: int,
    tokenizer: str,
    controls: bool,
    **common: Any,
) -> None:
    """Measure long-context recall over a length × depth grid.

    Each family is one run; each cell one request: a seeded haystack of
    invented prose of exactly the asked length (counted with a real BPE
    tokenizer) with needles at the asked depth, and a question scored
    without an LLM judge. `stability report` shows the heatmap, effective
    length and area under the curve; `stability show RUN --prompt N`
    rebuilds any prompt from its recorded seed and hash.

    \b
    Families: niah_single, niah_multikey, niah_multivalue, niah_multiquery,
    absent (the right answer is "not present"), mrcr_2, mrcr_4, mrcr_8
    (reproduce the k-th of several notes with a random prefix), vt
    (variable tracking through chains of assignments).

    \b
    Examples:
      stability run recall --model sim:oracle --lengths 8k,128k,1m --depths 0,50,100
      stability run recall --base-url http://127.0.0.1:8000/v1 --model qwen3 \\
          --families niah_single,mrcr_4 --lengths 32k,128k,512k --samples 3
    """
    from scenarios.registry import RECALL_FAMILIES, build_scenario
    from stability.cli import _launch

    names = [f.strip() for f in families.split(",") if f.strip()]
    if names == ["all"]:
        names = list(RECALL_FAMILIES)
    unknown = [f for f in names if f not in RECALL_FAMILIES]
    if unknown or not names:
        raise ConfigError(
            f"unknown recall family {', '.join(unknown) or '(none)'}; choose from: "
            f"{', '.join(RECALL_FAMILIES)} (or all)"
        )
    options = {
        "lengths": _sizes(lengths),
        "depths": _depths(depths),
        "samples": samples,
        "tokenizer": tokenizer,
        "controls": controls,
    }
    scenarios = [build_scenario("recall", {**options, "family": name}) for name in names]
    common["read_timeout_s"] = read_timeout_for(options)
    common["min_context"] = context_for(options)
    _launch(common, len(scenarios), lambda i: scenarios[i])

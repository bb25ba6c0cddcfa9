"""Rates with honest uncertainty: termination and completion (DESIGN §5).

termination rate = (completed + forfeit) / (all − infra − interrupted): the
share of runs that ended by themselves; completion rate = completed / the same
denominator. Infra and interrupted runs say nothing about the model, so they
are excluded from the denominator and reported beside it, never hidden.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stability.types import Outcome

Z_95 = 1.959963984540054  # two-sided 95% normal quantile


@dataclass(frozen=True, slots=True)
class Rate:
    """A proportion with its Wilson 95% interval; ``value`` is None when n = 0."""

    successes: int
    n: int
    value: float | None
    low: float | None
    high: float | None

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "successes": self.successes,
            "n": self.n,
            "value": self.value,
            "low": self.low,
            "high": self.high,
        }


def wilson(successes: int, n: int, z: float = Z_95) -> Rate:
    """The Wilson score interval: well-behaved at 0, 1 and small n."""
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")
    if n == 0:
        return Rate(0, 0, None, None, None)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # Clamp through p itself: float rounding can put a bound a hair past it at 0 or n.
    return Rate(successes, n, p, max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))


@dataclass(frozen=True, slots=True)
class OutcomeSummary:
    """Outcome counts of a group of runs and the rates built on them."""

    counts: Mapping[str, int]
    running: int
    termination: Rate
    completion: Rate

    @property
    def total(self) -> int:
        """Finished runs of every outcome."""
        return sum(self.counts.values())

    def as_dict(self) -> dict[str, Any]:
        """JSON-friendly form."""
        return {
            "counts": dict(self.counts),
            "running": self.running,
            "total": self.total,
            "termination_rate": self.termination.as_dict(),
            "completion_rate": self.completion.as_dict(),
        }


def summarise(runs: Iterable[Mapping[str, Any]]) -> OutcomeSummary:
    """Count outcomes of run rows (``outcome`` column) and compute the rates."""
    counts: Counter[str] = Counter({o.value: 0 for o in Outcome})
    running = 0
    for run in runs:
        outcome = run.get("outcome")
        if outcome is None:
            running += 1
        else:
            counts[str(outcome)] += 1
    denominator = sum(counts.values()) - counts["infra"] - counts["interrupted"]
    ended_alone = counts["completed"] + counts["forfeit"]
    return OutcomeSummary(
        counts=dict(counts),
        running=running,
        termination=wilson(ended_alone, denominator),
        completion=wilson(counts["completed"], denominator),
    )

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stability.metrics import summarise, wilson


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # reference values from the closed-form Wilson score interval (z = 1.96)
        (0, 10, 0.0, 0.27753),
        (10, 10, 0.72247, 1.0),
        (5, 10, 0.23659, 0.76341),
        (93, 100, 0.86249, 0.96568),
        (1, 1, 0.20654, 1.0),
    ],
)
def test_wilson_reference_values(k: int, n: int, low: float, high: float) -> None:
    rate = wilson(k, n)
    assert rate.low == pytest.approx(low, abs=1e-4)
    assert rate.high == pytest.approx(high, abs=1e-4)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_contains_the_point_estimate(case: tuple[int, int]) -> None:
    k, n = case
    rate = wilson(k, n)
    assert rate.low is not None and rate.high is not None and rate.value is not None
    assert 0 <= rate.low <= rate.value <= rate.high <= 1


def test_empty_and_invalid() -> None:
    assert wilson(0, 0).value is None
    with pytest.raises(ValueError):
        wilson(3, 2)


def test_denominator_excludes_infra_and_interrupted() -> None:
    runs = (
        [{"outcome": "completed"}] * 6
        + [{"outcome": "forfeit"}] * 2
        + [{"outcome": "stopped"}] * 2
        + [{"outcome": "infra"}] * 3
        + [{"outcome": "interrupted"}]
        + [{"outcome": None}]
    )
    summary = summarise(runs)
    assert summary.termination.n == 10
    assert summary.termination.value == pytest.approx(0.8)
    assert summary.completion.value == pytest.approx(0.6)
    assert summary.counts["infra"] == 3 and summary.counts["interrupted"] == 1
    assert summary.running == 1

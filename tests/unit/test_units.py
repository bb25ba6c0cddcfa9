from __future__ import annotations

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stability.errors import ConfigError
from stability.units import format_duration, parse_duration, parse_size


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("45m", 2700),
        ("2h", 7200),
        ("1h30m", 5400),
        ("250ms", 0.25),
        ("3", 3),
        ("1.5h", 5400),
        (" 2H ", 7200),
    ],
)
def test_durations(text: str, seconds: float) -> None:
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize("text", ["", "abc", "3x", "h", "-5s", "0s", "5s5", "1h 30m", "nan", "inf"])
def test_bad_durations(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "size"),
    [("8k", 8000), ("128k", 128_000), ("1m", 1_000_000), ("512", 512), ("1.5k", 1500)],
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "k", "8kb", "-1", "0", "1t"])
def test_bad_sizes(text: str) -> None:
    with pytest.raises(ConfigError):
        parse_size(text)


@given(st.integers(1, 10**6), st.sampled_from(["s", "m", "h"]))
def test_duration_round_trip(n: int, unit: str) -> None:
    assert parse_duration(f"{n}{unit}") == n * {"s": 1, "m": 60, "h": 3600}[unit]


@given(st.text(max_size=12))
def test_duration_parser_never_crashes(text: str) -> None:
    with contextlib.suppress(ConfigError):
        assert parse_duration(text) > 0


def test_format_duration() -> None:
    assert format_duration(4.21) == "4.2s"
    assert format_duration(185) == "3m05s"
    assert format_duration(3720) == "1h02m"

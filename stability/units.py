"""Parsing of human-friendly durations (``90s``, ``45m``, ``2h``) and sizes (``8k``, ``1m``)."""

from __future__ import annotations

import re

from stability.errors import ConfigError

_DURATION_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}
_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d)")
_SIZE_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "g": 1_000_000_000}
_SIZE = re.compile(r"(\d+(?:\.\d+)?)([kmg]?)")


def parse_duration(text: str) -> float:
    """Parse a duration into seconds.

    Accepts a bare number of seconds (``"90"``), one unit (``"90s"``,
    ``"45m"``, ``"2h"``, ``"250ms"``) or a sum of units (``"1h30m"``).

    Raises:
        ConfigError: the text is not a positive duration.
    """
    raw = text.strip().lower()
    if not raw:
        raise ConfigError("empty duration; use e.g. 90s, 45m or 2h")
    try:
        value = float(raw)
    except ValueError:
        pos, total = 0, 0.0
        for match in _DURATION_PART.finditer(raw):
            if match.start() != pos:
                break
            total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
            pos = match.end()
        if pos != len(raw) or pos == 0:
            raise ConfigError(f"malformed duration {text!r}; use e.g. 90s, 45m or 2h") from None
        value = total
    if value <= 0 or value != value or value == float("inf"):
        raise ConfigError(f"duration {text!r} must be positive")
    return value


def parse_size(text: str) -> int:
    """Parse a token count: ``"8k"`` → 8000, ``"1m"`` → 1000000, ``"512"`` → 512.

    Sizes are decimal (``k`` = 1,000), as context lengths are advertised.

    Raises:
        ConfigError: the text is not a positive size.
    """
    raw = text.strip().lower()
    match = _SIZE.fullmatch(raw)
    if not match:
        raise ConfigError(f"malformed size {text!r}; use e.g. 512, 8k, 128k or 1m")
    value = round(float(match.group(1)) * _SIZE_UNITS[match.group(2)])
    if value <= 0:
        raise ConfigError(f"size {text!r} must be positive")
    return value


def format_duration(seconds: float) -> str:
    """Render seconds compactly for progress lines: ``1h02m``, ``3m05s``, ``4.2s``."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(int(seconds), 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"

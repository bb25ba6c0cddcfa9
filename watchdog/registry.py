"""Builds a session's watchdog chain from thresholds, with documented defaults."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from stability.protocols import Watchdog
from watchdog.base import WatchdogChain
from watchdog.termination import (
    RunTokenBudgetWatchdog,
    StallWatchdog,
    TurnTokenWatchdog,
    WallWatchdog,
)

# Defaults, and why:
# - turn_max_tokens 32768: long enough for a reasoning model's hard chess move
#   (8-20K thinking tokens is common), short enough to stop a rambler within
#   minutes at 100 tok/s.
# - stall_timeout_s 60: a healthy server streams a token every <0.5 s; 60 s of
#   silence mid-stream is a hung request, not a slow one.
# - first_token_timeout_s 600: prompt processing of a 1M-token context on a
#   busy server takes minutes before the first token.
WATCHDOG_DEFAULTS: dict[str, Any] = {
    "turn_max_tokens": 32768,
    "stall_timeout_s": 60.0,
    "first_token_timeout_s": 600.0,
    "max_wall_s": None,
    "turn_max_wall_s": None,
    "max_tokens": None,
}


def build_chain(
    thresholds: Mapping[str, Any], *, run_started: float, tokens_used: int = 0
) -> WatchdogChain:
    """The default chain for one run.

    Args:
        thresholds: overrides of ``WATCHDOG_DEFAULTS`` (unknown keys rejected).
        run_started: monotonic start of the run, for the wall budget.
        tokens_used: tokens already spent (a resumed run keeps its budget).

    Raises:
        ValueError: an unknown threshold name.
    """
    unknown = set(thresholds) - set(WATCHDOG_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown watchdog setting(s): {', '.join(sorted(unknown))}")
    t = {**WATCHDOG_DEFAULTS, **thresholds}
    stall_first = t["first_token_timeout_s"]
    if stall_first is not None and stall_first < t["stall_timeout_s"]:
        stall_first = t["stall_timeout_s"]
    chain: list[Watchdog] = [
        TurnTokenWatchdog(int(t["turn_max_tokens"])),
        StallWatchdog(float(t["stall_timeout_s"]), stall_first),
        WallWatchdog(run_started, t["max_wall_s"], t["turn_max_wall_s"]),
    ]
    if t["max_tokens"] is not None:
        chain.append(RunTokenBudgetWatchdog(int(t["max_tokens"]), tokens_used))
    return WatchdogChain(chain)

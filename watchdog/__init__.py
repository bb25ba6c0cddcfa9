"""Watchdogs: detectors of non-termination, loops, drift and resource trouble.

Each module holds one family; :class:`~watchdog.base.WatchdogChain` runs many
as one, and :func:`~watchdog.registry.build_chain` builds the default chain
from thresholds.
"""

from __future__ import annotations

from watchdog.base import WatchdogChain
from watchdog.registry import WATCHDOG_DEFAULTS, build_chain
from watchdog.termination import (
    RunTokenBudgetWatchdog,
    StallWatchdog,
    TurnTokenWatchdog,
    WallWatchdog,
)

__all__ = [
    "WATCHDOG_DEFAULTS",
    "RunTokenBudgetWatchdog",
    "StallWatchdog",
    "TurnTokenWatchdog",
    "WallWatchdog",
    "WatchdogChain",
    "build_chain",
]

# Marker checked by stability's import guard: the PyPI package of the same
# top-level name (filesystem events) has no such attribute.
IS_STABILITY_WATCHDOG = True

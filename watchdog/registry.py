"""Every watchdog with its documented defaults, and the chain built from settings.

Settings are ``{watchdog name: {param: value}}``, from CLI options, from
``--watchdog NAME.PARAM=VALUE`` and from a ``[watchdog.NAME]`` table in
``stability.toml``; the chain's ``params()`` — every threshold in force — is
recorded with each run.

Why the defaults are what they are:

- ``turn_tokens.limit`` 32768: a reasoning model's hard chess move takes
  8–20K thinking tokens; a rambler is stopped within minutes at 100 tok/s.
- ``stall.timeout_s`` 60: a healthy server streams a token every < 0.5 s.
- ``stall.first_timeout_s`` 600: prompt processing of a 1M-token context on a
  busy server takes minutes.
- ``text_loop``: see :class:`~watchdog.period.LoopThresholds`; measured on
  the labelled corpus under ``tests/corpus`` and on the installed packages'
  source and documentation (no false stop).
- ``reply_loop`` 3 replies at ≥ 0.9 similarity; ``action_loop`` 6 identical
  (action, result) pairs or a cycle of ≤ 4 steps three times; ``state_loop``
  a third visit (chess's threefold repetition); ``no_progress`` 30 turns.
- drift: a baseline of 5 turns; format stops at 60% errors over 10 turns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from stability.errors import ConfigError
from stability.protocols import Watchdog
from stability.resources import ResourceMonitor
from watchdog.actions import ActionLoopWatchdog, NoProgressWatchdog, StateLoopWatchdog
from watchdog.base import WatchdogChain
from watchdog.drift import (
    FormatDriftWatchdog,
    LatencyDriftWatchdog,
    TaskDriftWatchdog,
    VerbosityDriftWatchdog,
)
from watchdog.loops import ReplyLoopWatchdog, TextLoopWatchdog
from watchdog.period import LoopThresholds
from watchdog.projection import ProjectionWatchdog
from watchdog.resources import ResourceWatchdog
from watchdog.termination import (
    RunTokenBudgetWatchdog,
    StallWatchdog,
    TurnTokenWatchdog,
    WallWatchdog,
)

_LOOP_DEFAULTS = {f.name: f.default for f in fields(LoopThresholds)}

WATCHDOG_DEFAULTS: dict[str, dict[str, Any]] = {
    "turn_tokens": {"limit": 32768},
    "stall": {"timeout_s": 60.0, "first_timeout_s": 600.0},
    "wall": {"max_wall_s": None, "turn_max_wall_s": None},
    "run_tokens": {"limit": None},
    "text_loop": {**_LOOP_DEFAULTS, "code": False},
    "reply_loop": {"similarity": 0.9, "repeats": 3, "min_words": 12},
    "action_loop": {"repeats": 6, "max_cycle": 4, "cycles": 3},
    "state_loop": {"visits": 3},
    "no_progress": {"turns": 30},
    "format_drift": {
        "window": 10,
        "baseline_turns": 5,
        "warn_rate": 0.3,
        "stop_rate": 0.6,
        "margin": 0.2,
    },
    "verbosity_drift": {"baseline_turns": 5, "lambda_": 3.0, "stop_ratio": 8.0, "window": 5},
    "latency_drift": {"baseline_turns": 5, "lambda_": 3.0, "stop_fraction": 0.0, "window": 5},
    "task_drift": {"baseline_turns": 5, "window": 5, "warn_drop": 0.25, "stop_score": 0.1},
    "projection": {"stop": False, "min_turns": 5},
    "resources": {"max_rss_mb": None, "growth_mb_per_min": 50.0, "window": 12},
}
"""Every watchdog's parameters and defaults; each also takes ``enabled``."""


def _coerce(name: str, param: str, value: Any, default: Any) -> Any:
    """Convert a setting to its default's type (settings arrive as text from the CLI)."""
    where = f"watchdog setting {name}.{param}"
    if isinstance(default, bool) or param == "enabled":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ConfigError(f"{where} must be true or false, not {value!r}")
    if value is None or (isinstance(value, str) and value.strip().lower() in ("none", "off")):
        if default is None:
            return None
        raise ConfigError(f"{where} cannot be turned off; use {name}.enabled=false")
    kind = int if isinstance(default, int) else float
    try:
        number = kind(value) if not isinstance(value, str) else kind(float(value))
    except (TypeError, ValueError):
        raise ConfigError(f"{where} must be a number, not {value!r}") from None
    if number < 0:
        raise ConfigError(f"{where} must not be negative")
    return number


def resolve_settings(settings: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """Defaults overlaid with settings, validated and typed.

    Raises:
        ConfigError: an unknown watchdog or parameter, or a bad value.
    """
    out = {name: {"enabled": True, **params} for name, params in WATCHDOG_DEFAULTS.items()}
    for name, params in settings.items():
        if name not in out:
            raise ConfigError(f"unknown watchdog {name!r}; choose from: {', '.join(out)}")
        for param, value in params.items():
            if param not in out[name]:
                known = ", ".join(out[name])
                raise ConfigError(f"unknown setting {name}.{param}; {name} takes: {known}")
            out[name][param] = _coerce(name, param, value, out[name][param])
    return out


def build_chain(
    settings: Mapping[str, Mapping[str, Any]],
    *,
    run_started: float,
    tokens_used: int = 0,
    monitor: ResourceMonitor | None = None,
) -> WatchdogChain:
    """The chain for one run.

    Args:
        settings: overrides of ``WATCHDOG_DEFAULTS`` by watchdog name.
        run_started: monotonic start of the run, for the wall budget.
        tokens_used: tokens already spent (a resumed run keeps its budget).
        monitor: the shared resource sampler; no resource watchdog without one.

    Raises:
        ConfigError: bad settings.
    """
    s = resolve_settings(settings)
    on = {name for name, params in s.items() if params.pop("enabled")}
    stall = s["stall"]
    chain: list[Watchdog] = []
    if "turn_tokens" in on:
        chain.append(TurnTokenWatchdog(int(s["turn_tokens"]["limit"])))
    if "stall" in on:
        first = max(stall["first_timeout_s"], stall["timeout_s"])
        chain.append(StallWatchdog(stall["timeout_s"], first))
    if "wall" in on:
        chain.append(WallWatchdog(run_started, **s["wall"]))
    if "run_tokens" in on and s["run_tokens"]["limit"] is not None:
        chain.append(RunTokenBudgetWatchdog(int(s["run_tokens"]["limit"]), tokens_used))
    if "text_loop" in on:
        loop = dict(s["text_loop"])
        code = loop.pop("code")
        chain.append(TextLoopWatchdog(LoopThresholds(**loop), code=code))
    # Turn-level watchdogs, most specific first: the first stop names the reason.
    simple: list[tuple[str, type[Any]]] = [
        ("state_loop", StateLoopWatchdog),
        ("action_loop", ActionLoopWatchdog),
        ("reply_loop", ReplyLoopWatchdog),
        ("no_progress", NoProgressWatchdog),
        ("format_drift", FormatDriftWatchdog),
        ("verbosity_drift", VerbosityDriftWatchdog),
        ("latency_drift", LatencyDriftWatchdog),
        ("task_drift", TaskDriftWatchdog),
    ]
    chain.extend(cls(**s[name]) for name, cls in simple if name in on)
    if "projection" in on:
        chain.append(
            ProjectionWatchdog(
                run_started, s["wall"]["max_wall_s"], s["run_tokens"]["limit"], **s["projection"]
            )
        )
    if "resources" in on and monitor is not None:
        chain.append(ResourceWatchdog(monitor, **s["resources"]))
    return WatchdogChain(chain)

"""Scenario names and how to build each one from loose options.

The CLI and the runner only know names; this registry maps a name to a
factory that validates its options and returns a ready scenario. It is the
one place a new scenario is added.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from scenarios.agent import AgentOptions, AgentScenario
from scenarios.base import Scenario
from scenarios.chess import ChessScenario
from scenarios.recall import RecallScenario
from scenarios.recall_tasks import FAMILIES as RECALL_FAMILIES
from stability.errors import ConfigError

_FACTORIES: dict[str, Callable[[Mapping[str, object]], Scenario[Any]]] = {
    ChessScenario.name: ChessScenario.from_options,
    "agent": lambda options: AgentScenario(_agent_options(options)),
    RecallScenario.name: RecallScenario.from_options,
}
SCENARIO_NAMES: tuple[str, ...] = tuple(_FACTORIES)
__all__ = ["RECALL_FAMILIES", "SCENARIO_NAMES", "build_scenario", "close_scenario"]


def build_scenario(name: str, options: Mapping[str, object]) -> Scenario[Any]:
    """Build the scenario called ``name`` with ``options`` (None values = defaults).

    A scenario may hold a resource (the chess Stockfish opponent); call its
    ``close()`` when the run ends, e.g. through :func:`close_scenario`.

    Raises:
        ConfigError: an unknown name, an unknown option, or a bad option value.
    """
    factory = _FACTORIES.get(name)
    if factory is None:
        raise ConfigError(f"unknown scenario {name!r}; choose one of: {', '.join(SCENARIO_NAMES)}")
    return factory(options)


def close_scenario(scenario: object) -> None:
    """Release a scenario's resources if it has any (calls its ``close()``)."""
    close = getattr(scenario, "close", None)
    if callable(close):
        close()


def _agent_options(options: Mapping[str, object]) -> AgentOptions:
    known = {f for f in AgentOptions.__dataclass_fields__}
    unknown = set(options) - known
    if unknown:
        raise ConfigError(f"unknown agent option(s): {', '.join(sorted(unknown))}")
    try:
        return AgentOptions(**{k: v for k, v in options.items() if v is not None})  # type: ignore[arg-type]
    except TypeError as exc:
        raise ConfigError(f"bad agent option: {exc}") from exc

"""Tasks a model is run through; each is a pure state machine (``Scenario``).

Build one by name with :func:`build_scenario`; :data:`SCENARIO_NAMES` lists
the names the CLI accepts.
"""

from __future__ import annotations

from scenarios.base import Scenario
from scenarios.chess import ChessOptions, ChessScenario, ChessState
from scenarios.chess_moves import MoveParse, parse_move
from scenarios.chess_pgn import game_pgn
from scenarios.registry import SCENARIO_NAMES, build_scenario, close_scenario

__all__ = [
    "SCENARIO_NAMES",
    "ChessOptions",
    "ChessScenario",
    "ChessState",
    "MoveParse",
    "Scenario",
    "build_scenario",
    "close_scenario",
    "game_pgn",
    "parse_move",
]

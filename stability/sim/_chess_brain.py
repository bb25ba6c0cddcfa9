"""The personas' chess: reading the position off the wire and choosing moves.

Wire convention (the chess scenario follows it): the last user message holds
a line ``FEN: <fen>``; the answer ends with a line ``MOVE: <move>`` in SAN or
UCI, or is a ``make_move`` tool call with arguments ``{"move": "<move>"}``.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any

import chess

from stability.chess_engine import best_move
from stability.sim._text import join_moves

MOVE_TOOL = "make_move"
_FEN_LINE = re.compile(r"^[ \t]*FEN:[ \t]*(\S[^\n]*?)[ \t]*$", re.MULTILINE)


def message_text(message: Mapping[str, Any]) -> str:
    """The text of one chat message (plain string or a list of text parts)."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = [p.get("text", "") for p in content if isinstance(p, dict)]
        return "\n".join(p for p in parts if isinstance(p, str))
    return ""


def find_fen(messages: Sequence[Mapping[str, Any]]) -> str | None:
    """The FEN on the last ``FEN:`` line of the last user message, if any."""
    for message in reversed(messages):
        if message.get("role") == "user":
            found = _FEN_LINE.findall(message_text(message))
            return found[-1] if found else None
    return None


def read_board(fen: str | None) -> chess.Board | None:
    """A board for ``fen``, or None when it is missing or not a valid position."""
    if fen is None:
        return None
    try:
        board = chess.Board(fen)
    except ValueError:
        return None
    return board if board.is_valid() else None


def turn_number(messages: Sequence[Mapping[str, Any]], fen: str | None) -> int:
    """The request's turn: assistant messages so far, or the FEN's move count − 1.

    Both are used so a scenario that sends only the current position (no
    history) still ages the persona as the game goes on.
    """
    turns = sum(1 for m in messages if m.get("role") == "assistant")
    if fen is not None:
        fields = fen.split()
        if len(fields) >= 6 and fields[5].isdigit():
            turns = max(turns, int(fields[5]) - 1)
    return turns


def oracle_move(board: chess.Board, seed: int) -> chess.Move:
    """The oracle's move: the built-in engine at depth 2, ties broken by ``seed``."""
    return best_move(board, depth=2, seed=seed)


def oracle_reasoning(board: chess.Board, move: chess.Move, rng: random.Random) -> str:
    """Two to four sentences weighing candidate moves and settling on ``move``."""
    san = board.san(move)
    others = sorted(board.san(m) for m in board.legal_moves if m != move)
    alternatives = rng.sample(others, k=min(len(others), rng.randint(1, 3)))
    sentences: list[str] = []
    if not alternatives:
        sentences.append(f"Only {san} is legal here.")
    else:
        candidates = [san, *alternatives]
        rng.shuffle(candidates)
        side = "White" if board.turn == chess.WHITE else "Black"
        opener = rng.choice(
            (
                "Candidate moves for {side} are {list}.",
                "{side} to move; I am considering {list}.",
                "Let me compare {list}.",
            )
        )
        sentences.append(opener.format(side=side, list=join_moves(candidates)))
        if board.is_capture(move):
            sentences.append(f"{san} wins material.")
        elif board.gives_check(move):
            sentences.append(f"{san} gives check and keeps the initiative.")
        else:
            sentences.append(
                rng.choice(
                    (
                        f"{san} improves my position without creating weaknesses.",
                        f"{san} keeps my pieces coordinated.",
                        f"{san} looks the most solid.",
                    )
                )
            )
        if rng.random() < 0.5:
            sentences.append(f"{alternatives[0]} is playable, but it achieves less.")
    sentences.append(rng.choice((f"So I play {san}.", f"I'll go with {san}.", f"{san} it is.")))
    return " ".join(sentences)


def move_answer(move_text: str, rng: random.Random) -> str:
    """The content of a chess answer: a short sentence then the ``MOVE:`` line."""
    lead = rng.choice(("I play", "My move is", "I choose"))
    return f"{lead} {move_text}.\nMOVE: {move_text}"


def illegal_move(board: chess.Board, rng: random.Random) -> str:
    """A well-formed move that is illegal for the side to move.

    Prefers a legal-looking move of the side *not* to move (rendered in SAN
    when that SAN names no legal move here, else in UCI, whose from-square
    then holds an enemy piece); falls back to a UCI move from an empty square.
    """
    flipped = board.copy(stack=False)
    flipped.turn = not board.turn
    flipped.ep_square = None
    theirs = sorted(flipped.pseudo_legal_moves, key=lambda m: m.uci())
    rng.shuffle(theirs)
    for move in theirs:
        if board.is_legal(move):
            continue
        if rng.random() < 0.5:
            san = _san_or_none(flipped, move)
            if san is not None and _is_illegal_san(board, san):
                return san
        return move.uci()
    empty = [s for s in chess.SQUARES if board.piece_at(s) is None]
    start = rng.choice(empty) if empty else chess.E4
    target = (start + 8) % 64
    return chess.square_name(start) + chess.square_name(target)


def _san_or_none(board: chess.Board, move: chess.Move) -> str | None:
    try:
        return board.san(move).rstrip("+#")
    except (ValueError, AssertionError):
        return None


def _is_illegal_san(board: chess.Board, san: str) -> bool:
    try:
        board.parse_san(san)
    except chess.IllegalMoveError:
        return True
    except ValueError:  # invalid or ambiguous: not the "illegal" kind we want
        return False
    return False


def offers_move_tool(tools: Sequence[str]) -> bool:
    """Whether the request offered the ``make_move`` function."""
    return MOVE_TOOL in tools


# Each side's king knight hops between its home square and the square in front
# of the bishop's pawn: in self-play the position repeats every four plies.
_SHUFFLES = {
    chess.WHITE: (
        (chess.G1, chess.F3),
        (chess.F3, chess.G1),
        (chess.B1, chess.C3),
        (chess.C3, chess.B1),
    ),
    chess.BLACK: (
        (chess.G8, chess.F6),
        (chess.F6, chess.G8),
        (chess.B8, chess.C6),
        (chess.C6, chess.B8),
    ),
}


def shuffle_move(board: chess.Board | None) -> str | None:
    """The shuffler's knight hop in SAN, or None when no hop is legal."""
    if board is None:
        return None
    for start, target in _SHUFFLES[board.turn]:
        move = chess.Move(start, target)
        if board.is_legal(move):
            return board.san(move)
    return None

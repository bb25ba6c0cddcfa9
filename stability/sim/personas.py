"""What each sim persona says: a request in, a script of sim tokens out.

A persona is a pure function of the request (its messages, offered tools and
the persona spec). It returns a :class:`Script`: a lazy, possibly endless
iterator of :class:`Token` plus how the reply ends (finish reason, or a stall
after N tokens). The server turns scripts into OpenAI-shaped JSON or SSE, so
the personas know nothing about HTTP; only ``flaky``'s faults need server
state, kept in a :class:`FaultLedger` the server owns.

Every random choice comes from a ``random.Random`` seeded by a SHA-256 of the
persona name, its ``seed`` parameter and the request's messages, so the same
request always gets a byte-identical reply.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import itertools
import json
import random
import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import chess

from stability.sim._agent_brain import (
    forgetful_action,
    is_agent,
    meltdown_text,
    oracle_action,
)
from stability.sim._chess_brain import (
    MOVE_TOOL,
    find_fen,
    illegal_move,
    move_answer,
    oracle_move,
    oracle_reasoning,
    read_board,
    shuffle_move,
    turn_number,
)
from stability.sim._recall_brain import recall_answer, recall_question, visible
from stability.sim._text import (
    generic_reply,
    inline_reply,
    prose_reply,
    ramble,
    repeat_forever,
    stream_tokens,
    tokenize,
)
from stability.sim.spec import PersonaSpec, persona_params

_ARG_FRAGMENT = re.compile(r"\w+|\W+")
THINK_OPEN = "<think>"
THINK_CLOSE = "</think>"


class Kind(enum.Enum):
    """Which delta field a token travels in."""

    REASONING = "reasoning"
    CONTENT = "content"
    TOOL = "tool"


@dataclass(frozen=True, slots=True)
class ToolRef:
    """Which tool call a tool-argument token belongs to.

    ``id`` and ``name`` are set on the first fragment of a call only, as
    OpenAI streams them.
    """

    index: int
    id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Token:
    """One sim token, streamed as one delta.

    Attributes:
        kind: the delta field it goes in.
        text: the token text (a tool-argument fragment for ``TOOL``).
        thought: counts as reasoning in usage even though it travels as
            content (``<think>`` tag mode).
        tool: for ``TOOL`` tokens, the call it belongs to.
    """

    kind: Kind
    text: str
    thought: bool = False
    tool: ToolRef | None = None

    @property
    def is_reasoning(self) -> bool:
        """Whether usage counts this token as a reasoning token."""
        return self.thought or self.kind is Kind.REASONING


@dataclass(slots=True)
class Script:
    """A persona's reply before it is put on the wire.

    Attributes:
        tokens: the tokens in order; may never end.
        finish_reason: what the final chunk says when ``tokens`` runs out.
        stall_after: go silent after this many tokens (or when the tokens
            run out, if sooner) instead of finishing; None to finish.
        endless: ``tokens`` never runs out; the server caps non-streamed
            replies of such scripts.
    """

    tokens: Iterator[Token]
    finish_reason: str = "stop"
    stall_after: int | None = None
    endless: bool = False


@dataclass(frozen=True)
class Turn:
    """What a persona sees of one chat request.

    Attributes:
        spec: the persona and its parameters.
        messages: the request's messages, as sent.
        tools: names of the functions the request offers.
        tool_choice: the request's ``tool_choice`` (None when absent).
    """

    spec: PersonaSpec
    messages: Sequence[Mapping[str, Any]]
    tools: tuple[str, ...] = ()
    tool_choice: Any = None

    @functools.cached_property
    def digest(self) -> str:
        """SHA-256 of persona name, seed and messages: the root of all randomness."""
        blob = json.dumps(
            [self.spec.name, self.spec.int_param("seed"), self.messages],
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return hashlib.sha256(blob.encode()).hexdigest()


def seeded(*parts: object) -> random.Random:
    """A ``random.Random`` seeded by a stable hash of ``parts`` (not ``hash()``)."""
    blob = "\x1f".join(str(p) for p in parts).encode()
    return random.Random(int.from_bytes(hashlib.sha256(blob).digest()[:8], "big"))


def compose(turn: Turn) -> Script:
    """The script persona ``turn.spec.name`` answers ``turn`` with.

    May take tens of milliseconds (the oracle searches two plies), so the
    server runs it off the event loop.
    """
    spec = turn.spec
    rng = seeded(turn.digest)
    if is_agent(turn.messages):
        script = _agent(turn, rng)
        script.tokens = shape_thinking(script.tokens, spec.str_param("think"), script.endless)
        return script
    fen = find_fen(turn.messages)
    number = turn_number(turn.messages, fen)
    name = spec.name
    recall = recall_question(turn.messages)
    if recall is not None and name in ("forgetful", "adversary"):
        script = _recall_script(turn, recall)
    elif name == "rambler":
        script = Script(_as(Kind.REASONING, stream_tokens(ramble(rng))), endless=True)
    elif name == "looper" and number >= spec.int_param("after"):
        phrase = spec.str_param("phrase")
        if not phrase[-1].isspace():
            phrase += " "
        script = Script(_as(Kind.REASONING, stream_tokens(repeat_forever(phrase))), endless=True)
    elif name == "illegal":
        script = _illegal(rng, fen)
    elif name == "drifter" and rng.random() < min(1.0, number / spec.float_param("decay")):
        board = read_board(fen)
        if spec.str_param("drift") == "inline" and board is not None and any(board.legal_moves):
            move = board.san(oracle_move(board, spec.int_param("seed")))
            script = _text_script(*inline_reply(rng, move))
        else:
            script = _text_script(*prose_reply(rng))
    elif name == "shuffler" and (shuffle := shuffle_move(read_board(fen))) is not None:
        script = _text_script(f"I will move the knight: {shuffle}.", move_answer(shuffle, rng))
    else:
        script = _oracle(turn, rng, fen) if recall is None else _recall_script(turn, recall)
        if name == "staller" and number >= spec.int_param("after"):
            script.stall_after = spec.int_param("before")
    script.tokens = shape_thinking(script.tokens, spec.str_param("think"), script.endless)
    return script


def shape_thinking(tokens: Iterable[Token], mode: str, endless: bool = False) -> Iterator[Token]:
    """Put reasoning where the ``think`` parameter says.

    ``field`` keeps reasoning tokens (sent as ``reasoning_content``); ``tag``
    moves them into content inside ``<think>…</think>``; ``none`` drops
    them, except in endless scripts, whose never-ending text then becomes
    the content (a model without a reasoning channel loops in its answer).
    """
    if mode == "field":
        yield from tokens
        return
    if mode == "none":
        for token in tokens:
            if token.kind is not Kind.REASONING:
                yield token
            elif endless:
                yield Token(Kind.CONTENT, token.text)
        return
    inside, closed = False, False
    for token in tokens:
        if token.kind is Kind.REASONING:
            text = token.text
            if not inside:
                yield Token(Kind.CONTENT, THINK_OPEN, thought=True)
                inside, text = True, "\n" + text.lstrip()
            yield Token(Kind.CONTENT, text, thought=True)
            continue
        if inside:
            yield Token(Kind.CONTENT, "\n" + THINK_CLOSE, thought=True)
            inside, closed = False, True
        if closed and token.kind is Kind.CONTENT:
            token = Token(Kind.CONTENT, "\n\n" + token.text.lstrip())
            closed = False
        yield token
    if inside:
        yield Token(Kind.CONTENT, "\n" + THINK_CLOSE, thought=True)


def _as(kind: Kind, texts: Iterable[str]) -> Iterator[Token]:
    return (Token(kind, text) for text in texts)


def _text_script(reasoning: str, content: str) -> Script:
    tokens = itertools.chain(
        _as(Kind.REASONING, tokenize(reasoning)), _as(Kind.CONTENT, tokenize(content))
    )
    return Script(tokens)


def _oracle(turn: Turn, rng: random.Random, fen: str | None) -> Script:
    """Chess from the FEN when there is one; otherwise a short generic answer."""
    board = read_board(fen)
    if board is None or not any(board.legal_moves):
        return _text_script(*generic_reply(rng))
    move = oracle_move(board, turn.spec.int_param("seed"))
    reasoning = oracle_reasoning(board, move, rng)
    san = board.san(move)
    if _wants_tool(turn, rng):
        return _tool_script(reasoning, MOVE_TOOL, {"move": san}, call_id=f"call_{turn.digest[:24]}")
    return _text_script(reasoning, move_answer(san, rng))


def _recall_script(turn: Turn, recall: tuple[str, str]) -> Script:
    """A recall answer: searched for real in what the persona can see."""
    document, question = recall
    spec = turn.spec
    window = spec.int_param("window") if spec.name == "forgetful" else None
    mode = spec.str_param("mode") if spec.name == "adversary" else "oracle"
    return _text_script(*recall_answer(visible(document, window), question, mode))


def _wants_tool(turn: Turn, rng: random.Random) -> bool:
    """Whether to answer with a ``make_move`` call: offered, allowed, and chosen."""
    if MOVE_TOOL not in turn.tools or turn.tool_choice == "none":
        return False
    mode = turn.spec.str_param("tools")
    if mode != "auto":
        return mode == "always"
    if turn.tool_choice == "required" or isinstance(turn.tool_choice, Mapping):
        return True
    return rng.random() < 0.5


def _tool_script(reasoning: str, name: str, arguments: dict[str, Any], call_id: str) -> Script:
    """Reasoning, then one tool call whose JSON arguments stream in fragments."""
    fragments = _ARG_FRAGMENT.findall(json.dumps(arguments))
    call = [
        Token(Kind.TOOL, text, tool=ToolRef(0, call_id, name) if i == 0 else ToolRef(0))
        for i, text in enumerate(fragments)
    ]
    tokens = itertools.chain(_as(Kind.REASONING, tokenize(reasoning)), call)
    return Script(tokens, finish_reason="tool_calls")


def _illegal(rng: random.Random, fen: str | None) -> Script:
    """A confident answer in the right format with a move that is not legal."""
    board = read_board(fen)
    if board is None:
        return _text_script(*generic_reply(rng))
    move = illegal_move(board, rng)
    side = "White" if board.turn == chess.WHITE else "Black"
    reasoning = f"{side} to move. {move} looks strong. I will play {move}."
    return _text_script(reasoning, move_answer(move, rng))


@dataclass(frozen=True, slots=True)
class Fault:
    """A failure the ``flaky`` persona injects into one attempt.

    Attributes:
        kind: one of ``429``, ``500``, ``503``, ``drop``, ``malformed``.
        after: for ``drop`` and ``malformed``, tokens streamed before it.
    """

    kind: str
    after: int = 0


class FaultLedger:
    """Per request body: attempts seen and faults given in a row (bounded, LRU).

    Retries of the same body count as attempts of one request, so a client
    that retries always gets through after at most ``max_faults`` faults.
    """

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._entries: OrderedDict[str, tuple[int, int]] = OrderedDict()

    def decide(self, key: str, spec: PersonaSpec) -> Fault | None:
        """Count an attempt at request ``key`` and choose whether it fails.

        Args:
            key: a stable hash of the whole request body (persona spec included).
            spec: the flaky persona's spec (``rate``, ``max_faults``, ``faults``).
        """
        attempts, streak = self._entries.pop(key, (0, 0))
        rng = seeded(key, "fault", attempts)
        fault: Fault | None = None
        if streak < spec.int_param("max_faults") and rng.random() < spec.float_param("rate"):
            kinds = spec.str_param("faults").split(",")
            fault = Fault(rng.choice(kinds), after=rng.randint(2, 5))
        self._entries[key] = (attempts + 1, streak + 1 if fault else 0)
        while len(self._entries) > self._capacity:
            self._entries.popitem(last=False)
        return fault

    def __len__(self) -> int:
        return len(self._entries)


def broken_tool_script(turn: Turn) -> Script:
    """A ``make_move`` call whose arguments are cut-off JSON (the fault matrix)."""
    call_id = f"call_{turn.digest[:24]}"
    fragments = ['{"mo', 've": "', "e4"]  # never closed: not JSON
    tokens = [
        Token(Kind.TOOL, text, tool=ToolRef(0, call_id, MOVE_TOOL) if i == 0 else ToolRef(0))
        for i, text in enumerate(fragments)
    ]
    return Script(
        iter([Token(Kind.REASONING, "I will call the tool."), *tokens]), finish_reason="tool_calls"
    )


def _agent(turn: Turn, rng: random.Random) -> Script:
    """Support-desk personas: a tool call (or its JSON text form), or a melt-down."""
    name, spec = turn.spec.name, turn.spec
    number = sum(1 for m in turn.messages if m.get("role") == "assistant")
    after = spec.int_param("after") if "after" in persona_params(name) else 0
    if name == "looper" and number >= after:
        action: tuple[str, dict[str, Any]] = ("list_queue", {})
    elif name == "forgetful" and number >= after:
        action = forgetful_action(turn.messages, rng)
    elif name == "meltdown" and number >= after:
        return _text_script("Everything is falling apart.", meltdown_text(rng))
    else:
        action = oracle_action(turn.messages)
    tool, args = action
    reasoning = f"Next I will call {tool}."
    allowed = "tools" not in persona_params(name) or spec.str_param("tools") != "never"
    if turn.tools and allowed:
        return _tool_script(reasoning, tool, args, call_id=f"call_{turn.digest[:24]}")
    return _text_script(reasoning, json.dumps({"tool": tool, "arguments": args}))

from __future__ import annotations

import pytest

from stability.errors import ConfigError
from stability.types import Chunk, ChunkKind, Outcome, Reply, Severity, TurnSummary, Usage
from watchdog import (
    RunTokenBudgetWatchdog,
    StallWatchdog,
    TurnTokenWatchdog,
    WallWatchdog,
    WatchdogChain,
    build_chain,
)
from watchdog.base import BaseWatchdog


def chunk(at: float, tokens: int = 1, kind: ChunkKind = ChunkKind.REASONING) -> Chunk:
    return Chunk(kind, "x", tokens, at)


def turn(tokens: int) -> TurnSummary:
    reply = Reply("", "", (), "stop", Usage(None, tokens, 0, "stream"), 0.1, 1.0)
    return TurnSummary(0, reply, None, 0.0, 1.0)


def test_turn_tokens_stops_on_the_first_token_past_the_limit() -> None:
    w = TurnTokenWatchdog(400)
    w.begin_stream(0.0)
    verdicts = [w.on_chunk(chunk(i)) for i in range(401)]
    assert all(v is None for v in verdicts[:400])
    last = verdicts[400]
    assert last is not None and last.is_stop and last.code == "nontermination.turn_tokens"
    w.begin_stream(1.0)  # a retry starts from zero
    assert w.on_chunk(chunk(2.0)) is None


def test_stall_deadline_follows_the_last_chunk() -> None:
    w = StallWatchdog(timeout_s=1.0, first_timeout_s=5.0)
    w.begin_stream(10.0)
    assert w.deadline() == 15.0
    assert w.on_tick(14.9) is None
    w.on_chunk(chunk(11.0))
    assert w.deadline() == 12.0
    verdict = w.on_tick(12.0)
    assert verdict is not None and verdict.code == "stall" and verdict.data["silence_s"] == 1.0
    assert verdict.data["first_token"] is False


def test_stall_before_first_token_uses_its_own_limit() -> None:
    w = StallWatchdog(timeout_s=1.0, first_timeout_s=5.0)
    w.begin_stream(0.0)
    assert w.on_tick(4.0) is None
    verdict = w.on_tick(5.0)
    assert verdict is not None and verdict.data["first_token"] is True


def test_wall_budget_is_a_budget_outcome_and_turn_wall_is_a_stop() -> None:
    w = WallWatchdog(run_started=100.0, max_wall_s=3.0, turn_max_wall_s=1.0)
    w.begin_stream(100.5)
    assert w.deadline() == 101.5
    turn_verdict = w.on_tick(101.5)
    assert turn_verdict is not None and turn_verdict.code == "nontermination.turn_wall"
    assert turn_verdict.outcome is Outcome.STOPPED
    budget = w.on_tick(103.0)
    assert budget is not None and budget.code == "max_wall" and budget.outcome is Outcome.BUDGET


def test_run_token_budget_spans_turns() -> None:
    w = RunTokenBudgetWatchdog(limit=10, already_used=4)
    w.begin_stream(0.0)
    assert all(w.on_chunk(chunk(0.0)) is None for _ in range(6))
    verdict = w.on_chunk(chunk(0.0))
    assert (
        verdict is not None and verdict.outcome is Outcome.BUDGET and verdict.code == "max_tokens"
    )


class _Warner(BaseWatchdog):
    name = "warner"

    def on_chunk(self, c: Chunk):  # type: ignore[override]
        from stability.types import Verdict

        return Verdict(self.name, Severity.WARN, "warn.me", "w")


def test_chain_keeps_warnings_and_returns_first_stop() -> None:
    chain = WatchdogChain([_Warner(), TurnTokenWatchdog(1)])
    chain.begin_stream(0.0)
    assert chain.on_chunk(chunk(0.0)) is None
    stop = chain.on_chunk(chunk(0.0))
    assert stop is not None and stop.code == "nontermination.turn_tokens"
    assert [v.code for v in chain.drain_warnings()] == ["warn.me", "warn.me"]
    assert chain.drain_warnings() == []


def test_chain_deadline_is_the_earliest() -> None:
    chain = build_chain(
        {"stall": {"timeout_s": 2.0, "first_timeout_s": 2.0}, "wall": {"max_wall_s": 1.0}},
        run_started=0.0,
    )
    chain.begin_stream(0.0)
    assert chain.deadline() == 1.0
    assert chain.params()["stall"] == {"timeout_s": 2.0, "first_timeout_s": 2.0}


def test_build_chain_rejects_unknown_settings() -> None:
    with pytest.raises(ConfigError, match="unknown watchdog"):
        build_chain({"bogus": {}}, run_started=0.0)
    with pytest.raises(ConfigError, match=r"unknown setting stall\.bogus"):
        build_chain({"stall": {"bogus": 1}}, run_started=0.0)
    with pytest.raises(ConfigError, match="must be a number"):
        build_chain({"stall": {"timeout_s": "soon"}}, run_started=0.0)


def test_run_budget_on_turn() -> None:
    w = RunTokenBudgetWatchdog(limit=10)
    assert w.on_turn(turn(5)) is None
    verdict = w.on_turn(turn(5))
    assert verdict is not None and verdict.data == {"limit": 10, "used": 10}

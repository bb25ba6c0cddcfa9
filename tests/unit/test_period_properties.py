"""Properties of the text-loop engine, checked with Hypothesis.

Detection bound (stated in the issue note and the README): a block of period
p repeated from raw offset s is reported by raw offset
``s + span_for(p) + BLOCK`` at the latest, where span_for(p) is the
threshold span for that period (256 characters for short units, 5 copies and
≥ 200 characters for 8–63, 4 copies for 64–399, 3 copies from 400) and BLOCK
(64) is the check granularity.
"""

from __future__ import annotations

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from watchdog.period import BLOCK, LoopThresholds, TextLoopDetector

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
T = LoopThresholds()


def run(pieces: list[str], detector: TextLoopDetector | None = None):
    d = detector or TextLoopDetector()
    for piece in pieces:
        found = d.feed(piece)
        if found is not None:
            return found
    return d.finish()


def chunk(text: str, cuts: list[int]) -> list[str]:
    points = sorted({c % (len(text) + 1) for c in cuts})
    return [text[a:b] for a, b in zip([0, *points], [*points, len(text)], strict=True)]


def smallest_period(unit: str) -> int:
    return (unit + unit).find(unit, 1)


# Words of random letters separated by single spaces: normalisation leaves them
# unchanged, so raw and normalised offsets agree.
word = st.text(alphabet=LETTERS, min_size=1, max_size=9)
noise = st.lists(word, min_size=1, max_size=120).map(" ".join)
unit_text = st.lists(word, min_size=1, max_size=40).map(lambda ws: " ".join(ws) + " ")


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(prefix=noise, unit=unit_text, cuts=st.lists(st.integers(0, 10**6), max_size=40))
def test_a_loop_is_reported_within_the_bound(prefix: str, unit: str, cuts: list[int]) -> None:
    period = smallest_period(unit)
    assume(period <= T.window // T.longest_copies)
    start = len(prefix) + 1
    need = T.span_for(period, unit[-period:], structured=False)
    copies = need // period + 4
    text = prefix + " " + unit * copies
    found = run(chunk(text, cuts))
    assert found is not None, (period, need, len(text))
    assert found.raw_detected_at <= start + need + BLOCK
    assert found.period <= period and period % found.period == 0


@settings(max_examples=80, deadline=None)
@given(a=noise, unit=unit_text, b=noise, cuts=st.lists(st.integers(0, 10**6), max_size=40))
def test_repetition_shorter_than_the_threshold_is_never_flagged(
    a: str, unit: str, b: str, cuts: list[int]
) -> None:
    period = smallest_period(unit)
    need = T.span_for(period, unit[-period:], structured=False)
    copies = max(1, (need - 2 * period) // len(unit))  # safely under the threshold
    assume(len(unit) * copies + period < need)
    # "|" never occurs in units, so the repetition cannot extend into a or b.
    text = a + " | " + unit * copies + "| " + b
    assert run(chunk(text, cuts)) is None


@settings(max_examples=50, deadline=None)
@given(words=st.lists(word, max_size=2000))
def test_text_without_repeats_is_never_flagged(words: list[str]) -> None:
    text = " ".join(words)
    assert run([text]) is None


any_text = st.one_of(
    st.text(max_size=3000),
    st.tuples(noise, unit_text, st.integers(1, 80)).map(lambda t: t[0] + " " + t[1] * t[2]),
    st.tuples(noise, st.integers(1, 400)).map(
        lambda t: t[0] + "".join(f" step {i} again," for i in range(t[1]))
    ),
    st.tuples(st.sampled_from([".", "1", "\n", " ", "ab", "[/INST] "]), st.integers(1, 3000)).map(
        lambda t: t[0] * t[1]
    ),
)


@settings(max_examples=100, deadline=None)
@given(
    text=any_text,
    cuts_a=st.lists(st.integers(0, 10**6), max_size=60),
    cuts_b=st.lists(st.integers(0, 10**6), max_size=60),
)
def test_verdicts_do_not_depend_on_chunking(
    text: str, cuts_a: list[int], cuts_b: list[int]
) -> None:
    assert run(chunk(text, cuts_a)) == run(chunk(text, cuts_b)) == run([text])


def test_window_memory_is_bounded() -> None:
    d = TextLoopDetector()
    for i in range(20000):
        d.feed(f"sentence number {i} talks about topic {i * 7919 % 10007}. ")
    assert len(d._buf) <= 2 * T.window
    assert len(d._blocks) <= 2 * T.window

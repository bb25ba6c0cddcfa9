"""The text-loop engine: finds a block repeating at the end of a growing stream.

How it works, and why it is fast and chunking-independent:

1. Raw text is cut into fixed blocks of ``BLOCK`` characters *by stream
   position*, whatever the server's chunking; everything below is a function
   of those blocks, so the verdict is identical for every chunking.
2. Each block is normalised with C-speed ``re`` passes: whitespace runs become
   one space (or one newline), short numbers become a marker so that
   "Step 7 … Step 8 …" repeats exactly; the marker is later checked to be a
   counter (every number column an arithmetic progression), so numeric tables
   with differing values never look like loops.
3. After each block, the last ``PROBE`` normalised characters are searched
   backwards with ``str.rfind`` (C speed): each earlier occurrence at distance
   ``d`` proposes a period ``d``; the tail is periodic with period ``d`` over
   ``span`` characters iff ``buf[-span:-d] == buf[-span+d:]``, one ``memcmp``.
   The required span depends on the unit length (see :class:`LoopThresholds`)
   and is raised inside code fences and tables instead of switching off.

Work per character is O(1) amortised (a block is processed once, the search
touches at most ``window`` characters per block); memory is O(window).
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

MARK = "\ue000"  # private-use character standing for one short number
BLOCK = 64  # raw characters per normalisation/check step: detection delay ≤ 64 chars
PROBE = 16  # characters searched for; must be ≤ the smallest span threshold / 2
MAX_GROUP = 4  # copies per cycle tried when numbers differ between neighbouring copies
# A counter advances by a small constant per copy: 1 per item, or 2 when a copy
# holds two numbered items (a move pair "23. Nf3 Nf6 24. Ng1 Ng8").
COUNTING_STEPS = frozenset(range(MAX_GROUP + 1))

_WS_NEWLINE = re.compile(r"[^\S\n]*\n\s*")
_WS = re.compile(r"[^\S\n]+")
# Spacing around brackets and separators is style, not content: {"a": 1} and
# {"a":1} are the same tool call.
_PUNCT = '{}[]():,;="'
_WS_PUNCT = re.compile(r"\s*([{}\[\]():,;=\"])\s*")
# Numbers of up to 8 digits are counters or values; longer digit runs (a model
# emitting "1111111…") stay literal so a single-digit loop is still a loop.
_NUMBER = re.compile(r"(?<!\d)\d{1,8}(?!\d)")


@dataclass(frozen=True, slots=True)
class LoopThresholds:
    """When a periodic tail counts as a loop (normalised characters).

    Defaults come from measurement on real documentation, source code and
    looping model outputs (see ``benchmarks/``): short units need a long run
    because markdown rules and dot leaders legitimately repeat a few dozen
    characters; long units need few copies because no document repeats a
    400-character paragraph three times verbatim.

    Attributes:
        short_unit: units shorter than this use ``short_span``.
        short_span: span for short units with a letter or digit.
        punct_span: span for short units of punctuation/whitespace only.
        mid_unit: units from ``short_unit`` to below this need ``mid_copies``
            and at least ``mid_min_span``.
        mid_copies: copies for mid-length units.
        mid_min_span: floor on the span for mid-length units.
        long_unit: units from ``mid_unit`` to below this need ``long_copies``;
            longer ones need ``longest_copies``.
        long_copies: copies for units of ``mid_unit`` to ``long_unit``.
        longest_copies: copies for units of ``long_unit`` and more.
        structured_factor: span multiplier inside code fences and tables.
        counting_factor: span multiplier when the copies differ by counters
            (``Step 7`` … ``Step 8``): version lists and numbered lines in
            documents count too, so a counting loop must run longer.
        window: normalised characters kept; the longest unit found is
            ``window / longest_copies``.
        whitespace_run: raw whitespace characters in a row that are a loop.
        max_candidates: periods tried per check.
    """

    short_unit: int = 8
    short_span: int = 256
    punct_span: int = 512
    mid_unit: int = 64
    mid_copies: int = 5
    mid_min_span: int = 200
    long_unit: int = 400
    long_copies: int = 4
    longest_copies: int = 3
    structured_factor: float = 4.0
    counting_factor: float = 3.0
    window: int = 16384
    whitespace_run: int = 2048
    max_candidates: int = 32

    def span_for(self, period: int, unit: str, structured: bool) -> int:
        """Normalised characters of periodic tail needed to call a loop."""
        if period < self.short_unit:
            punct = not any(c.isalnum() for c in unit.replace(MARK, ""))
            span = self.punct_span if punct else self.short_span
        elif period < self.mid_unit:
            span = max(self.mid_copies * period, self.mid_min_span)
        elif period < self.long_unit:
            span = self.long_copies * period
        else:
            span = self.longest_copies * period
        if structured:
            # Code and tables repeat short lines legitimately; a block of
            # hundreds of characters repeated verbatim is a loop anywhere.
            factor = self.structured_factor if period < self.long_unit else 4 / 3
            span = int(span * factor)
        return max(span, period + PROBE)


@dataclass(frozen=True, slots=True)
class LoopFinding:
    """A detected loop.

    Attributes:
        period: length of the repeating unit in normalised characters.
        span: normalised characters covered by the loop (all copies).
        start: normalised stream offset where the loop begins.
        detected_at: normalised stream offset where it was detected.
        raw_start: raw stream offset of the block where the loop begins.
        raw_detected_at: raw stream offset where it was detected.
        unit: the repeated text, normalised (numbers shown as ``#``).
    """

    period: int
    span: int
    start: int
    detected_at: int
    raw_start: int
    raw_detected_at: int
    unit: str

    @property
    def copies(self) -> float:
        """How many times the unit repeats in the loop."""
        return self.span / self.period


class TextLoopDetector:
    """Streams text in, reports the first loop found (then stays quiet)."""

    def __init__(self, thresholds: LoopThresholds | None = None, *, code: bool = False) -> None:
        """Create a detector.

        Args:
            thresholds: loop thresholds; the defaults are measured.
            code: the whole stream is source code (``stability scan`` of a
                ``.py`` file), so every position counts as structured.
        """
        self.t = thresholds or LoopThresholds()
        self.code = code
        self.reset()

    def reset(self) -> None:
        """Forget everything: a new stream starts."""
        self._pending: list[str] = []
        self._pending_len = 0
        self._buf = ""
        self._base = 0  # stream offset of _buf[0]
        self._raw_pos = 0  # raw characters consumed into blocks
        self._blocks: deque[tuple[int, int, str]] = deque()  # (raw offset, norm offset, raw)
        self._numbers: deque[tuple[int, str]] = deque()  # (norm offset of its mark, digits)
        self._carry = ""  # trailing whitespace held for the next block
        self._prev_digit = False
        self._prev_punct = False
        self._fences = 0
        self.finding: LoopFinding | None = None

    def feed(self, text: str) -> LoopFinding | None:
        """Add streamed text; returns a finding the first time a loop is seen."""
        if self.finding is not None or not text:
            return None
        self._pending.append(text)
        self._pending_len += len(text)
        if self._pending_len < BLOCK:
            return None
        raw = "".join(self._pending)
        full = len(raw) - len(raw) % BLOCK
        rest = raw[full:]
        self._pending = [rest] if rest else []
        self._pending_len = len(rest)
        for at in range(0, full, BLOCK):
            found = self._block(raw[at : at + BLOCK])
            if found is not None:
                return found
        return None

    def finish(self) -> LoopFinding | None:
        """End of stream: check the last partial block too."""
        if self.finding is not None or not (self._pending_len or self._carry):
            return None
        raw = "".join(self._pending)
        self._pending, self._pending_len = [], 0
        return self._block(raw, final=True)

    def _block(self, raw: str, final: bool = False) -> LoopFinding | None:
        raw_offset = self._raw_pos
        self._raw_pos += len(raw)
        # Trailing whitespace waits for the next block, so a whitespace run is
        # always normalised whole (a block edge never splits " :" from ":").
        text = self._carry + raw.replace(MARK, "")
        core = text.rstrip()
        self._carry = "" if final else text[len(core) :]
        if not core:
            if len(self._carry) >= self.t.whitespace_run:
                return self._whitespace_finding()
            return None
        if self._prev_punct:
            core = core.lstrip()  # whitespace after a separator ending the previous block
        spaced = _WS.sub(" ", _WS_NEWLINE.sub("\n", _WS_PUNCT.sub(r"\1", core)))
        norm = _NUMBER.sub(MARK, spaced)
        values = _NUMBER.findall(spaced) if MARK in norm else []
        if self._prev_digit and norm[:1] == MARK and core[0].isdigit():
            norm = norm[1:]  # the number began in the previous block: one number, one mark
            if self._numbers:
                pos, digits = self._numbers.pop()
                self._numbers.append((pos, digits + values.pop(0)))
        self._prev_digit = core[-1].isdigit() and not self._carry
        self._prev_punct = core[-1] in _PUNCT
        if not norm:
            return None
        offset = self._base + len(self._buf)
        self._blocks.append((raw_offset, offset, raw))
        if values:
            at = -1
            for digits in values:  # markers and matches appear in the same order
                at = norm.find(MARK, at + 1)
                self._numbers.append((offset + at, digits))
        self._buf += norm
        if "```" in norm:
            self._fences += norm.count("```")
        if len(self._buf) > 2 * self.t.window:
            cut = len(self._buf) - self.t.window
            self._buf = self._buf[cut:]
            self._base += cut
            while len(self._blocks) > 1 and self._blocks[1][1] <= self._base:
                self._blocks.popleft()
            while self._numbers and self._numbers[0][0] < self._base:
                self._numbers.popleft()
        return self._check()

    def _structured(self, end: int) -> bool:
        if self.code or self._fences % 2:
            return True
        line = self._buf.rfind("\n", 0, end) + 1
        return self._buf.startswith("|", line)

    def _check(self) -> LoopFinding | None:
        buf = self._buf
        end = len(buf)
        if end <= PROBE:
            return None
        probe = buf[end - PROBE :]
        hi = end - 1
        structured = self._structured(end)
        short = self.t.short_unit
        for _ in range(self.t.max_candidates):
            at = buf.rfind(probe, 0, hi)
            if at < 0:
                return None
            hi = at + PROBE - 1
            period = end - PROBE - at
            span = self.t.span_for(
                period, buf[end - period :] if period < short else "", structured
            )
            if span > end or not self._periodic(period, span, end):
                continue
            # Judge a unit by its smallest period ("........" is a 1-char unit),
            # which may need a longer span than the multiple that matched first.
            unit = buf[end - period :]
            smallest = (unit + unit).find(unit, 1)
            if smallest < period:
                period, unit = smallest, unit[:smallest]
                needed = self.t.span_for(period, unit, structured)
                if needed > span:
                    if needed > end or not self._periodic(period, needed, end):
                        return None  # a loop in the making: larger periods say the same
                    span = needed
            if MARK in unit and not self._numbers_step(unit, span, end, {0}):
                # Larger candidates are multiples of this period: decide here.
                return self._numbered(period, unit, span, end, structured)
            return self._found(period, span, end)
        return None

    def _numbered(
        self, period: int, unit: str, span: int, end: int, structured: bool
    ) -> LoopFinding | None:
        """The words repeat but the numbers change: a counter, a cycle of copies, or data."""
        if not structured:
            counted = int(span * self.t.counting_factor)
            if (
                counted <= end
                and self._periodic(period, counted, end)
                and self._numbers_step(unit, counted, end, COUNTING_STEPS)
            ):
                return self._found(period, counted, end)
        for k in range(2, MAX_GROUP + 1):  # e.g. a 4-move cycle with the same numbers
            group = period * k
            need = self.t.span_for(group, "", structured)
            if need > end:
                break
            if self._periodic(period, need, end) and self._numbers_step(unit * k, need, end, {0}):
                return self._found(group, need, end)
        return None

    def _periodic(self, period: int, span: int, end: int) -> bool:
        """Whether the last ``span`` characters have period ``period``."""
        buf = self._buf
        head = end - span
        # Cheap pre-check at the far end (where a non-loop differs), then memcmp.
        if buf[head : head + 8] != buf[head + period : head + period + 8]:
            return False
        return buf[head : end - period] == buf[head + period : end]

    def _numbers_step(
        self, unit: str, span: int, end: int, allowed: set[int] | frozenset[int]
    ) -> bool:
        """Whether every number column steps by one constant in ``allowed`` per copy.

        ``{0}`` asks for an exact repeat; ``COUNTING_STEPS`` also accepts
        numbers that merely count up. Generated code and tables count legitimately
        (``gray0 … gray100``), so structured text only ever asks for ``{0}``.
        Reads only the numbers inside the span: O(copies) work.
        """
        per_copy = unit.count(MARK)
        start = self._base + end - span
        tail: list[int] = []
        for pos, digits in reversed(self._numbers):
            if pos < start:
                break
            tail.append(int(digits))
        copies = len(tail) // per_copy
        if copies < 2:
            return True
        tail = tail[: copies * per_copy][::-1]
        rows = [tail[i * per_copy : (i + 1) * per_copy] for i in range(copies)]
        for col in range(per_copy):
            steps = {rows[i + 1][col] - rows[i][col] for i in range(copies - 1)}
            if len(steps) != 1 or not steps <= allowed:
                return False
        return True

    def _found(self, period: int, span: int, end: int) -> LoopFinding:
        buf = self._buf
        # Extend the span backwards as far as the periodicity holds (verdict path only).
        low, high = span, span
        while high < end:
            high = min(end, high * 2)
            if buf[end - high : end - period] != buf[end - high + period : end]:
                break
            low = high
        while high - low > 1:
            mid = (low + high) // 2
            if buf[end - mid : end - period] == buf[end - mid + period : end]:
                low = mid
            else:
                high = mid
        start = self._base + end - low
        raw_start = next(
            (r for r, n, _ in reversed(self._blocks) if n <= start), self._blocks[0][0]
        )
        self.finding = LoopFinding(
            period=period,
            span=low,
            start=start,
            detected_at=self._base + end,
            raw_start=raw_start,
            raw_detected_at=self._raw_pos,
            unit=buf[end - period :].replace(MARK, "#"),
        )
        return self.finding

    def _whitespace_finding(self) -> LoopFinding:
        at = self._base + len(self._buf)
        self.finding = LoopFinding(
            period=1,
            span=len(self._carry),
            start=at,
            detected_at=at,
            raw_start=self._raw_pos - len(self._carry),
            raw_detected_at=self._raw_pos,
            unit=" ",
        )
        return self.finding

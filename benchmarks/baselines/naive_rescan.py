"""Naive text-loop detector that re-scans the stream tail on every chunk.

What: the obvious way to find a repeating block at the end of a growing
stream. After each chunk it looks at the last ``window`` characters and tries
every period ``p`` from 1 to ``window // 3``, shortest first, asking whether
the tail ends with at least ``MIN_COPIES`` copies of a ``p``-character unit
covering at least ``MIN_SPAN`` characters.

Why: it is the baseline that shows why incremental detection matters. Each
chunk costs up to ``window // 3`` slice comparisons of up to ``window``
characters, i.e. O(window²) work per chunk however small the chunk, whereas
an incremental detector does O(1) amortised work per character.

The test for one period is exact: a string ``s`` of length ``L`` has period
``p`` iff ``s[p:] == s[:-p]``. It is applied to the last
``max(MIN_COPIES * p, MIN_SPAN)`` characters; if a longer suffix were
``p``-periodic, so would be this one, so nothing is missed. There are no
exemptions for code, tables or lists: a run of 200 ``-`` is a loop here.
"""

from __future__ import annotations

MIN_COPIES = 3  # the tail must hold at least this many copies of the unit
MIN_SPAN = 200  # ... and the repeated run must cover at least this many characters


class NaiveRescanDetector:
    """Re-scan the last ``window`` characters for a period after every chunk.

    Attributes:
        window: how many trailing characters are scanned; periods go up to
            ``window // 3``.
        period: the period found, or None while no loop has been detected.
    """

    def __init__(self, window: int = 4096) -> None:
        """Create a detector.

        Args:
            window: trailing characters re-scanned per chunk (at least 3).

        Raises:
            ValueError: if ``window`` is smaller than 3.
        """
        if window < MIN_COPIES:
            raise ValueError(f"window must be at least {MIN_COPIES}, got {window}")
        self.window = window
        self.period: int | None = None
        self._chunks: list[str] = []
        self._tail = ""

    def reset(self) -> None:
        """Forget the stream and any detection, as a newly constructed detector."""
        self.period = None
        self._chunks = []
        self._tail = ""

    @property
    def text(self) -> str:
        """Return the whole stream fed since construction or the last reset."""
        return "".join(self._chunks)

    def feed(self, text: str) -> bool:
        """Append one streamed chunk and re-scan the tail.

        Args:
            text: the chunk as streamed; the verdict does not depend on how
                the stream is cut into chunks, only on when it is checked.

        Returns:
            True once a loop has been detected; it then stays True until
            :meth:`reset`.
        """
        if self.period is not None:
            return True
        if not text:
            return False
        # The whole stream is kept as a list of chunks (appending to one big
        # string held in an attribute would copy it on every chunk).
        self._chunks.append(text)
        self._tail = (self._tail + text)[-self.window :]
        self.period = self._shortest_period()
        return self.period is not None

    def _shortest_period(self) -> int | None:
        """Return the shortest period repeating at the end of the tail, if any."""
        tail = self._tail
        n = len(tail)
        for p in range(1, self.window // 3 + 1):
            span = max(MIN_COPIES * p, MIN_SPAN)
            if span > n:
                break  # span only grows with p: no longer period can fit either
            if tail[n - span + p :] == tail[n - span : n - p]:
                return p
        return None


if __name__ == "__main__":
    from benchmarks.baselines._selfcheck import feed_in_chunks, varied_prose

    detector = NaiveRescanDetector()
    loop_text = "Wait, let me reconsider the position once more. " * 60
    looped = feed_in_chunks(detector, loop_text, 4)
    print(
        f"(a) loop x60 in 4-char chunks: detected={looped} period={detector.period} (expected True)"
    )

    detector.reset()
    prose = varied_prose(0, 20 * 1024)
    prose_flagged = feed_in_chunks(detector, prose, 4)
    print(f"(b) {len(prose)} chars of varied prose: detected={prose_flagged} (expected False)")

    ok = looped and not prose_flagged
    print("self-check:", "PASS" if ok else "FAIL")
    raise SystemExit(0 if ok else 1)

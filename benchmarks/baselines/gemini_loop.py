"""Port of Gemini CLI's streaming content-loop detection, as a benchmark baseline.

What: a Python port of the *content* part of ``LoopDetectionService`` from
Gemini CLI, so our own text-loop watchdog can be compared with it on the same
streams (speed, misses, false positives). Why a port rather than a sketch:
Gemini CLI is the best-known open-source detector of "chanting" models, so the
comparison is only meaningful if its rules are reproduced exactly.

Source read:
    repository ``google-gemini/gemini-cli`` (Apache-2.0),
    file ``packages/core/src/services/loopDetectionService.ts``,
    commit ``022f913dc748df9dbc4d88c6555fe475606cb379``.
    Cross-checked against the unit tests in
    ``packages/core/src/services/loopDetectionService.test.ts`` (commit
    ``027684383b97f6e08768d254b91429c3da0905b7``), whose content-loop cases
    this port reproduces. The npm release number of that commit was not
    available to me; the commit hash is the reference. An older stored
    revision (commit ``6f72e5b6ba45b1712b380895b46b7f7342446300``) has the same
    constants and rules but lacks the "unique periods" check (rule 6 below).

Ported (constants and rules as upstream):
    1. ``CONTENT_CHUNK_SIZE = 50``: every 50-character window of the kept
       history, at every offset (a sliding window advancing one character),
       is hashed with SHA-256 and its start index recorded per hash.
    2. ``CONTENT_LOOP_THRESHOLD = 10``: a window must have occurred 10 times.
    3. "Close together": the last 10 occurrences must have an average distance
       ``(last - first) / 9`` of at most ``CONTENT_CHUNK_SIZE * 5 = 250``.
    4. ``MAX_HISTORY_LENGTH = 5000``: the history is cut to its last 5000
       characters after each append; stored indices are shifted and indices
       that fall off the front are dropped (hashes left empty are forgotten).
    5. Hash hits are confirmed by comparing the text at the first stored index
       (a mismatch is ignored without recording the occurrence).
    6. The texts between consecutive occurrences among the last 10 (the
       "periods") must take at most ``CONTENT_LOOP_THRESHOLD // 2 = 5``
       distinct values; otherwise it is a list of items sharing a prefix.
    7. Per streamed chunk, before anything else: if the chunk contains a code
       fence, a table row, a list item, a heading, a blockquote, or *is* a
       divider line, all tracking (history, hashes, position) is reset. The
       regular expressions are upstream's, translated to Python ``re`` with
       JavaScript semantics kept (see "Translation notes").
    8. Code fences: the number of triple backticks in the chunk toggles an
       "in code block" flag when odd. A chunk that starts inside, ends inside,
       or is a divider is not appended to the history at all.
    9. Once a loop is reported, every later call reports it again (upstream's
       ``loopDetected`` flag) until :meth:`GeminiLoopDetector.reset`.

Not ported (out of scope): the repeated-tool-call check
(``TOOL_CALL_LOOP_THRESHOLD = 5`` identical consecutive calls, which also reset
content tracking), the LLM-based check with its turn counting, telemetry, the
session/config "disable" switches and the human-readable loop detail.

Translation notes and guesses:
    - JavaScript strings are indexed in UTF-16 code units. To keep window sizes,
      distances and the 5000 cut identical, text outside the Basic Multilingual
      Plane is stored as surrogate pairs, and SHA-256 is fed what Node's
      ``hash.update(string)`` feeds it (UTF-8, lone surrogates as U+FFFD).
      Checked by feeding ~2,100 random streams (markdown, fences, emoji,
      U+2028, BOM, random chunkings, streams past 5000 characters) to this
      class and to a JavaScript transcription of the upstream content methods
      run under Node 20: identical verdicts after every chunk. The
      transcription was mine, not upstream's compiled module.
    - JavaScript regex classes differ from Python's: ``\\s`` is spelled out as
      ECMAScript's whitespace set, ``.`` excludes ``\\r``, U+2028 and U+2029
      as in JavaScript, ``\\d`` is ASCII, ``$`` (no ``m`` flag) is the very
      end of input, so the divider test uses ``fullmatch``.
    - Upstream quirks kept on purpose, because they change verdicts:
      ``[*-+]`` in the list-item rule is a *range* (``*`` and ``+`` only, so
      ``"- item"`` is not a list item, though ``"---"`` still counts as a
      table rule), and ``[+-_...]`` in the divider rule is the range U+002B to
      U+005F, so a chunk made only of digits, capitals and punctuation such as
      ``"42"``, ``"OK."`` or ``","`` counts as a divider: it resets tracking
      and is dropped.
    - Deviation: upstream ``reset()`` does not clear the "in code block" flag
      (it survives into the next prompt); here :meth:`reset` returns to the
      freshly constructed state, because the benchmark reuses one detector
      for independent streams.
    - Upstream is fed only ``Content`` events (not thoughts); this class is fed
      whatever single stream the caller chooses.
    - Cost: once the history exceeds 5000 characters, every chunk rewrites the
      index lists of all stored hashes (upstream ``truncateAndUpdate``), i.e.
      O(distinct windows in the history) per chunk. That is kept as is.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
import re

CONTENT_LOOP_THRESHOLD = 10
CONTENT_CHUNK_SIZE = 50
MAX_HISTORY_LENGTH = 5000
MAX_ALLOWED_AVERAGE_DISTANCE = CONTENT_CHUNK_SIZE * 5
MAX_UNIQUE_PERIODS = CONTENT_LOOP_THRESHOLD // 2

# ECMAScript ``\s`` (WhiteSpace + LineTerminator); Python's ``\s`` differs
# (it adds U+001C..U+001F and U+0085, and lacks U+FEFF).
_WS = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
# ECMAScript ``.`` without the ``s`` flag: anything but a line terminator.
_DOT = "[^\n\r\u2028\u2029]"

_FENCE = "```"
# /(^|\n)\s*(\|.*\||[|+-]{3,})/
_TABLE = re.compile(rf"(?:^|\n){_WS}*(?:\|{_DOT}*\||[|+-]{{3,}})")
# /(^|\n)\s*[*-+]\s/  -- "*-+" is the range U+002A..U+002B, i.e. "*" or "+".
_LIST_BULLET = re.compile(rf"(?:^|\n){_WS}*[*-+]{_WS}")
# /(^|\n)\s*\d+\.\s/
_LIST_NUMBER = re.compile(rf"(?:^|\n){_WS}*[0-9]+\.{_WS}")
# /(^|\n)#+\s/
_HEADING = re.compile(rf"(?:^|\n)#+{_WS}")
# /(^|\n)>\s/
_BLOCKQUOTE = re.compile(rf"(?:^|\n)>{_WS}")
# /^[+-_=*\u2500-\u257F]+$/  -- "+-_" is the range U+002B..U+005F.
_DIVIDER = re.compile("[+-_=*\u2500-\u257f]+")

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_JS_UTF8_ERRORS = "benchmarks.baselines.gemini_loop.js_utf8"


def _split_astral(match: re.Match[str]) -> str:
    """Return the UTF-16 surrogate pair of one non-BMP character."""
    code = ord(match.group()) - 0x10000
    return chr(0xD800 + (code >> 10)) + chr(0xDC00 + (code & 0x3FF))


def _to_utf16_units(text: str) -> str:
    """Return ``text`` with one Python character per UTF-16 code unit.

    Why: upstream measures lengths and offsets in UTF-16 code units; storing
    non-BMP characters as surrogate pairs makes ``len`` and slicing agree.
    """
    if text.isascii():
        return text
    return _ASTRAL.sub(_split_astral, text)


def _js_utf8_errors(error: UnicodeError) -> tuple[bytes, int]:
    """Encode surrogates as Node's ``hash.update(string)`` does.

    Valid surrogate pairs become their code point, lone surrogates U+FFFD.
    Returns bytes because CPython's UTF-8 encoder only accepts ASCII text
    replacements.
    """
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text, i, end = error.object, error.start, error.end
    out: list[str] = []
    while i < end:
        unit = ord(text[i])
        if 0xD800 <= unit <= 0xDBFF and i + 1 < len(text) and 0xDC00 <= ord(text[i + 1]) <= 0xDFFF:
            out.append(chr(0x10000 + ((unit - 0xD800) << 10) + (ord(text[i + 1]) - 0xDC00)))
            i += 2
        else:
            out.append("\ufffd")
            i += 1
    return "".join(out).encode("utf-8"), i


codecs.register_error(_JS_UTF8_ERRORS, _js_utf8_errors)


def _sha256_hex(chunk: str) -> str:
    """Return the hex SHA-256 of ``chunk`` as Node's ``createHash`` computes it."""
    return hashlib.sha256(chunk.encode("utf-8", _JS_UTF8_ERRORS)).hexdigest()


class GeminiLoopDetector:
    """Gemini CLI's content "chanting" detector, fed one streamed chunk at a time.

    Mirrors ``LoopDetectionService.addAndCheck`` for ``Content`` events: see the
    module docstring for the rules, the source commit and the deviations.
    """

    def __init__(self) -> None:
        self._history = ""
        self._stats: dict[str, list[int]] = {}
        self._last_index = 0
        self._in_code_block = False
        self._loop_detected = False

    def reset(self) -> None:
        """Forget everything, as a newly constructed detector.

        Upstream ``reset()`` keeps the code-block flag; this one clears it.
        """
        self._reset_content_tracking()
        self._in_code_block = False
        self._loop_detected = False

    def feed(self, text: str) -> bool:
        """Process one streamed content chunk.

        Args:
            text: the chunk exactly as streamed; chunk boundaries matter,
                because the markdown rules look at one chunk at a time.

        Returns:
            True once a content loop has been detected; it then stays True
            until :meth:`reset`.
        """
        if self._loop_detected:
            return True
        self._loop_detected = self._check_content_loop(_to_utf16_units(text))
        return self._loop_detected

    def _reset_content_tracking(self) -> None:
        """Drop the history, the hash table and the scan position."""
        self._history = ""
        self._stats = {}
        self._last_index = 0

    def _check_content_loop(self, content: str) -> bool:
        """Apply the markdown rules to one chunk, then scan the new windows."""
        num_fences = content.count(_FENCE)
        has_table = _TABLE.search(content) is not None
        has_list_item = (
            _LIST_BULLET.search(content) is not None or _LIST_NUMBER.search(content) is not None
        )
        has_heading = _HEADING.search(content) is not None
        has_blockquote = _BLOCKQUOTE.search(content) is not None
        is_divider = _DIVIDER.fullmatch(content) is not None

        if num_fences or has_table or has_list_item or has_heading or has_blockquote or is_divider:
            self._reset_content_tracking()

        was_in_code_block = self._in_code_block
        if num_fences % 2 == 1:
            self._in_code_block = not self._in_code_block
        if was_in_code_block or self._in_code_block or is_divider:
            return False

        self._history += content
        self._truncate_and_update()
        return self._analyze_content_chunks_for_loop()

    def _truncate_and_update(self) -> None:
        """Keep the last MAX_HISTORY_LENGTH characters and shift stored indices."""
        if len(self._history) <= MAX_HISTORY_LENGTH:
            return
        cut = len(self._history) - MAX_HISTORY_LENGTH
        self._history = self._history[cut:]
        self._last_index = max(0, self._last_index - cut)
        stats: dict[str, list[int]] = {}
        for digest, indices in self._stats.items():
            adjusted = [index - cut for index in indices if index >= cut]
            if adjusted:
                stats[digest] = adjusted
        self._stats = stats

    def _analyze_content_chunks_for_loop(self) -> bool:
        """Slide the 50-character window over every not yet scanned offset."""
        history = self._history
        while self._last_index + CONTENT_CHUNK_SIZE <= len(history):
            start = self._last_index
            chunk = history[start : start + CONTENT_CHUNK_SIZE]
            if self._is_loop_detected_for_chunk(chunk, _sha256_hex(chunk)):
                return True
            self._last_index += 1
        return False

    def _is_loop_detected_for_chunk(self, chunk: str, digest: str) -> bool:
        """Record one window occurrence and decide whether it closes a loop."""
        indices = self._stats.get(digest)
        if indices is None:
            self._stats[digest] = [self._last_index]
            return False

        first = indices[0]
        if self._history[first : first + CONTENT_CHUNK_SIZE] != chunk:
            return False  # hash collision: ignored, as upstream

        indices.append(self._last_index)
        if len(indices) < CONTENT_LOOP_THRESHOLD:
            return False

        recent = indices[-CONTENT_LOOP_THRESHOLD:]
        average_distance = (recent[-1] - recent[0]) / (CONTENT_LOOP_THRESHOLD - 1)
        if average_distance > MAX_ALLOWED_AVERAGE_DISTANCE:
            return False

        periods = {self._history[a:b] for a, b in itertools.pairwise(recent)}
        return len(periods) <= MAX_UNIQUE_PERIODS


if __name__ == "__main__":
    from benchmarks.baselines._selfcheck import feed_in_chunks, varied_prose

    detector = GeminiLoopDetector()
    loop_text = "Wait, let me reconsider the position once more. " * 60
    looped = feed_in_chunks(detector, loop_text, 4)
    print(f"(a) loop x60 in 4-char chunks: detected={looped} (expected True)")

    detector.reset()
    prose = varied_prose(0, 20 * 1024)
    prose_flagged = feed_in_chunks(detector, prose, 4)
    print(f"(b) {len(prose)} chars of varied prose: detected={prose_flagged} (expected False)")

    ok = looped and not prose_flagged
    print("self-check:", "PASS" if ok else "FAIL")
    raise SystemExit(0 if ok else 1)

"""The labelled corpus under tests/corpus: loops caught, legitimate repetition never stopped.

Files are streamed in token-sized pieces (a word with its leading space), as a
server would stream them, through the text-loop detector at default thresholds.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from watchdog.period import TextLoopDetector

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
LOOPS = json.loads((CORPUS / "loop" / "index.json").read_text(encoding="utf-8"))
LEGIT = sorted(p.name for p in (CORPUS / "legit").glob("*.txt"))
TOKEN = re.compile(r"\s*\S+|\s+")


def stream(text: str):
    detector = TextLoopDetector()
    for match in TOKEN.finditer(text):
        found = detector.feed(match.group())
        if found is not None:
            return found
    return detector.finish()


def test_corpus_is_large_enough() -> None:
    assert len(LOOPS) >= 40
    assert len(LEGIT) >= 40


def test_recall_on_looping_texts() -> None:
    caught, missed, delays = 0, [], []
    for name, info in sorted(LOOPS.items()):
        text = (CORPUS / "loop" / name).read_text(encoding="utf-8")
        found = stream(text)
        if found is None:
            missed.append(name)
            continue
        caught += 1
        # never before the loop began (one unit of tolerance: the label is fuzzy there)
        assert found.raw_detected_at >= info["loop_start"] - info["unit_chars"], name
        delays.append(found.raw_detected_at - info["loop_start"])
    recall = caught / len(LOOPS)
    assert recall >= 0.95, f"recall {recall:.3f}; missed {missed}"


@pytest.mark.parametrize("name", LEGIT)
def test_no_false_stop_on_legitimate_repetition(name: str) -> None:
    text = (CORPUS / "legit" / name).read_text(encoding="utf-8")
    found = stream(text)
    assert found is None, f"{name}: {found}"

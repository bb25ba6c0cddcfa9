"""Shared pieces of the baselines' self-checks: varied prose and chunked feeding."""

from __future__ import annotations

import random
from typing import Any


def varied_prose(rng_seed: int, size: int) -> str:
    """Return about ``size`` characters of deterministic, non-repeating prose."""
    rng = random.Random(rng_seed)
    subjects = [
        "The engineer", "A small committee", "Our neighbour", "The old captain",
        "Every student", "The river pilot", "A tired courier", "The museum guard",
        "My cousin", "The baker", "A visiting professor", "The night nurse",
    ]  # fmt: skip
    verbs = [
        "inspected", "repainted", "forgot about", "described", "carried",
        "measured", "photographed", "argued over", "repaired", "sold",
        "borrowed", "catalogued",
    ]  # fmt: skip
    objects = [
        "the broken lantern", "a stack of letters", "the northern bridge",
        "three wooden crates", "the blue bicycle", "an unfinished map",
        "the station clock", "a jar of honey", "the garden gate",
        "two silver keys", "the weather report", "a borrowed violin",
    ]  # fmt: skip
    tails = [
        "before dawn", "after the storm", "on a quiet Tuesday", "near the harbour",
        "in the library", "without telling anyone", "while it rained",
        "during the long meeting", "at the edge of town", "for no clear reason",
    ]  # fmt: skip
    parts: list[str] = []
    total = 0
    while total < size:
        sentence = (
            f"{rng.choice(subjects)} {rng.choice(verbs)} {rng.choice(objects)} "
            f"{rng.choice(tails)}, spending {rng.randint(2, 95)} minutes on it. "
        )
        if rng.random() < 0.1:
            sentence += "\n\n"
        parts.append(sentence)
        total += len(sentence)
    return "".join(parts)


def feed_in_chunks(detector: Any, text: str, size: int) -> bool:
    """Feed ``text`` in ``size``-character chunks; return the final verdict."""
    result = False
    for i in range(0, len(text), size):
        result = detector.feed(text[i : i + size])
    return result

"""Watchdog chain: throughput, memory and detection delay, beside two baselines.

Measured in one run and printed as tables:

1. Throughput of the whole default chain (every per-chunk watchdog) on N
   million tokens of mixed text (the labelled corpus's legitimate files and
   synthetic prose, one stream per file), on one core; RSS at each million.
2. Detection on the labelled corpus (tests/corpus): recall, false stops and the
   delay in tokens after the loop began — for our detector, a faithful port of
   Gemini CLI's loop detector, and a naive re-scanning detector.
3. Throughput of the three detectors alone on the same text, as ratios.

Run: python benchmarks/watchdogs.py [--million-tokens 10] [--baseline-tokens 200000]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.baselines.gemini_loop import GeminiLoopDetector  # noqa: E402
from benchmarks.baselines.naive_rescan import NaiveRescanDetector  # noqa: E402
from stability.types import Chunk, ChunkKind  # noqa: E402
from watchdog import TextLoopDetector, build_chain  # noqa: E402

CORPUS = ROOT / "tests" / "corpus"
TOKEN = re.compile(r"\s*\S+|\s+")


def mixed_streams() -> list[list[str]]:
    """Token lists: every legitimate corpus file plus seeded synthetic prose."""
    streams = [
        TOKEN.findall(p.read_text(encoding="utf-8"))
        for p in sorted((CORPUS / "legit").glob("*.txt"))
    ]
    rng = random.Random(0)
    words = [
        "the",
        "position",
        "knight",
        "bishop",
        "rook",
        "queen",
        "king",
        "pawn",
        "centre",
        "file",
        "rank",
        "attack",
        "defend",
        "plan",
        "tempo",
        "develop",
        "castle",
        "trade",
        "endgame",
        "opening",
        "structure",
        "weakness",
        "initiative",
        "pressure",
        "square",
    ]
    for _ in range(20):
        text = " ".join(
            rng.choice(words) + ("." if rng.random() < 0.08 else "") for _ in range(20000)
        )
        streams.append(TOKEN.findall(text))
    return streams


def chain_throughput(streams: list[list[str]], total: int) -> tuple[float, list[tuple[int, int]]]:
    """Seconds to push ``total`` tokens through the default chain; RSS per million."""
    settings = {"turn_tokens": {"limit": 10**12}}
    proc = psutil.Process()
    rss: list[tuple[int, int]] = []
    done = 0
    elapsed = 0.0
    kind = ChunkKind.CONTENT
    while done < total:
        for tokens in streams:
            chain = build_chain(settings, run_started=time.monotonic())
            now = time.monotonic()
            chain.begin_stream(now)
            on_chunk = chain.on_chunk
            take = tokens[: total - done]
            t0 = time.perf_counter()
            for token in take:
                if on_chunk(Chunk(kind, token, 1, now)) is not None:
                    raise AssertionError("a legitimate stream was stopped")
            elapsed += time.perf_counter() - t0
            before = done
            done += len(take)
            if done // 1_000_000 > before // 1_000_000:
                rss.append((done, proc.memory_info().rss))
            if done >= total:
                break
    return elapsed, rss


Detector = Callable[[], object]


def detect(make: Detector, tokens: list[str]) -> int | None:
    """Index of the token at which the detector fired, or None."""
    detector = make()
    if isinstance(detector, TextLoopDetector):
        for i, token in enumerate(tokens):
            if detector.feed(token) is not None:
                return i
        return len(tokens) if detector.finish() is not None else None
    for i, token in enumerate(tokens):
        if detector.feed(token):  # type: ignore[attr-defined]
            return i
    return None


def corpus_rows(makers: dict[str, Detector]) -> list[tuple[str, str, str, str, str]]:
    index = json.loads((CORPUS / "loop" / "index.json").read_text(encoding="utf-8"))
    legit = [
        TOKEN.findall(p.read_text(encoding="utf-8"))
        for p in sorted((CORPUS / "legit").glob("*.txt"))
    ]
    rows = []
    for name, make in makers.items():
        delays: list[int] = []
        early = 0
        for file, info in sorted(index.items()):
            text = (CORPUS / "loop" / file).read_text(encoding="utf-8")
            tokens = TOKEN.findall(text)
            at = detect(make, tokens)
            if at is None:
                continue
            start_token = len(TOKEN.findall(text[: info["loop_start"]]))
            if at < start_token - 2:
                early += 1  # fired in the non-looping prefix: a false stop
                continue
            delays.append(max(at - start_token, 0))
        false = sum(detect(make, t) is not None for t in legit) + early
        q = statistics.quantiles(delays, n=10) if len(delays) > 1 else [0] * 9
        rows.append(
            (
                name,
                f"{len(delays)}/{len(index)}",
                f"{false}/{len(legit)}",
                f"{statistics.median(delays):.0f}" if delays else "-",
                f"{q[8]:.0f} / {max(delays)}" if delays else "-",
            )
        )
    return rows


def detector_throughput(makers: dict[str, Detector], tokens: list[str]) -> dict[str, float]:
    out = {}
    for name, make in makers.items():
        detector = make()
        feed = detector.feed  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        for token in tokens:
            feed(token)
        out[name] = time.perf_counter() - t0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--million-tokens", type=float, default=10.0)
    parser.add_argument("--baseline-tokens", type=int, default=200_000)
    args = parser.parse_args()
    streams = mixed_streams()
    total = int(args.million_tokens * 1_000_000)

    seconds, rss = chain_throughput(streams, total)
    print(f"\n1. Whole default chain on {total:,} tokens of mixed text (one core)")
    print(f"{'tokens':>12} {'seconds':>9} {'µs/token':>9} {'tokens/s':>12}")
    print(f"{total:>12,} {seconds:>9.2f} {seconds / total * 1e6:>9.2f} {total / seconds:>12,.0f}")
    print("   RSS (MB) at each million tokens: " + " ".join(f"{r / 2**20:.0f}" for _, r in rss))

    makers: dict[str, Detector] = {
        "stability": TextLoopDetector,
        "gemini-cli port": GeminiLoopDetector,
        "naive rescan": NaiveRescanDetector,
    }
    print("\n2. Labelled corpus (tests/corpus): tokens streamed one by one")
    print(
        f"{'detector':<16} {'caught':>8} {'false stops':>12} {'delay p50':>10} "
        f"{'delay p90 / max':>16}"
    )
    for row in corpus_rows(makers):
        print(f"{row[0]:<16} {row[1]:>8} {row[2]:>12} {row[3]:>10} {row[4]:>16}")

    flat = [t for s in streams[-5:] for t in s][: args.baseline_tokens]
    times = detector_throughput(makers, flat)
    ours = times["stability"]
    print(f"\n3. Detector alone on {len(flat):,} tokens of prose")
    print(f"{'detector':<16} {'seconds':>9} {'µs/token':>9} {'tokens/s':>12} {'× ours':>8}")
    for name, sec in times.items():
        print(
            f"{name:<16} {sec:>9.3f} {sec / len(flat) * 1e6:>9.2f} "
            f"{len(flat) / sec:>12,.0f} {sec / ours:>8.1f}"
        )


if __name__ == "__main__":
    main()

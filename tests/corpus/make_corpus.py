#!/usr/bin/env python3
# ruff: noqa: E501
"""Generate the text-loop detector corpus: tests/corpus/loop/ and tests/corpus/legit/.

Deterministic and stdlib-only: every file draws from its own ``random.Random(seed)``.
Re-running rewrites every ``.txt`` file and both ``index.json`` files byte for byte.

    python tests/corpus/make_corpus.py

See README.md in this directory for the label rule and the categories.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import random
import re
import textwrap
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
LOOP_DIR = HERE / "loop"
LEGIT_DIR = HERE / "legit"

# name -> record; insertion order gives the NN prefix of the file name
LOOPS: dict[str, dict[str, object]] = {}
LEGITS: dict[str, dict[str, object]] = {}


def T(s: str) -> str:
    """Dedent a triple-quoted block and drop the surrounding blank lines."""
    return textwrap.dedent(s).strip("\n")


def loop(
    name: str,
    kind: str,
    prefix: str,
    unit: str | Callable[[int], str],
    *,
    seed: int,
    reps: int | None = None,
    min_reps: int = 15,
    min_chars: int = 3000,
    extra: float = 0.4,
    cut: bool = True,
) -> None:
    """Register a LOOP file: prefix + copies of unit (or unit(i) for i = 0, 1, ...).

    Without ``reps``, copies are added until there are at least ``min_reps`` of them
    and at least ``min_chars`` characters, then up to ``extra`` (fraction) more.
    With ``cut`` the file ends part-way through one more copy, as a stream that was
    cancelled or hit its token limit would.
    """
    rng = random.Random(seed)
    fn: Callable[[int], str] = unit if callable(unit) else (lambda _i: unit)  # type: ignore[assignment]
    parts: list[str] = []
    total = 0
    if reps is None:
        while len(parts) < min_reps or total < min_chars:
            u = fn(len(parts))
            parts.append(u)
            total += len(u)
        for _ in range(int(len(parts) * rng.uniform(0, extra))):
            parts.append(fn(len(parts)))
    else:
        parts = [fn(i) for i in range(reps)]
    unit_chars = round(sum(len(p) for p in parts) / len(parts))
    if cut:
        nxt = fn(len(parts))
        if len(nxt) > 1:
            parts.append(nxt[: rng.randint(1, len(nxt) - 1)])
    body = "".join(parts)
    assert 50 <= len(prefix) <= 3000, (name, len(prefix))
    assert len(body) >= 3000, (name, len(body))
    if not callable(unit):
        variation = "exact"
    elif len({"".join(p.split()) for p in parts[:5]}) == 1:
        variation = "whitespace"
    else:
        variation = "counter"
    LOOPS[name] = {
        "text": prefix + body,
        "loop_start": len(prefix),
        "unit_chars": unit_chars,
        "kind": kind,
        "variation": variation,
    }


def tabify(s: str) -> str:
    """Turn each leading group of four spaces into a tab (Go source, Java stack frames)."""
    out = []
    for line in s.split("\n"):
        stripped = line.lstrip(" ")
        n = (len(line) - len(stripped)) // 4
        out.append("\t" * n + line[4 * n :] if n else line)
    return "\n".join(out)


def legit(name: str, kind: str, text: str) -> None:
    """Register a LEGIT file."""
    text = text.rstrip("\n") + "\n"
    assert 1000 <= len(text) <= 40000, (name, len(text))
    LEGITS[name] = {"text": text, "kind": kind}


def wobble(s: str, rng: random.Random, n: int = 2) -> str:
    """Whitespace-only variation: double a few spaces, maybe a trailing space/newline."""
    words = s.split(" ")
    for _ in range(n):
        if len(words) > 2 and rng.random() < 0.7:
            k = rng.randrange(1, len(words))
            words[k] = " " + words[k]
    out = " ".join(words)
    r = rng.random()
    if r < 0.25:
        out = out.rstrip("\n") + " \n" + ("\n" if out.endswith("\n\n") else "")
    elif r < 0.45:
        out += "\n"
    return out


# --- minimal legal-move chess, used for realistic PGN and UCI text --------------

FILES = "abcdefgh"
VALUE = {"P": 1, "N": 3, "B": 3, "R": 5, "Q": 9, "K": 0}
KN = ((1, 2), (2, 1), (2, -1), (1, -2), (-1, -2), (-2, -1), (-2, 1), (-1, 2))
KG = ((1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1), (0, -1), (1, -1))
DIAG = ((1, 1), (1, -1), (-1, 1), (-1, -1))
ORTH = ((1, 0), (-1, 0), (0, 1), (0, -1))


def sqname(s: int) -> str:
    return FILES[s % 8] + str(s // 8 + 1)


def sqparse(n: str) -> int:
    return FILES.index(n[0]) + 8 * (int(n[1]) - 1)


def white(p: str) -> bool:
    return p.isupper()


class Pos:
    def __init__(self) -> None:
        back = "RNBQKBNR"
        self.b = list(back + "P" * 8 + "." * 32 + "p" * 8 + back.lower())
        self.w = True  # white to move
        self.castle = "KQkq"
        self.ep: int | None = None

    def copy(self) -> Pos:
        p = Pos.__new__(Pos)
        p.b = self.b[:]
        p.w = self.w
        p.castle = self.castle
        p.ep = self.ep
        return p

    def key(self) -> str:
        return "".join(self.b) + ("w" if self.w else "b") + self.castle + str(self.ep)

    def own(self, p: str, w: bool) -> bool:
        return p != "." and white(p) == w

    def attacked(self, s: int, by_white: bool) -> bool:
        b, f, r = self.b, s % 8, s // 8
        for df, dr in KN:
            ff, rr = f + df, r + dr
            if 0 <= ff < 8 and 0 <= rr < 8 and b[rr * 8 + ff] == ("N" if by_white else "n"):
                return True
        for df, dr in KG:
            ff, rr = f + df, r + dr
            if 0 <= ff < 8 and 0 <= rr < 8 and b[rr * 8 + ff] == ("K" if by_white else "k"):
                return True
        pr = r - 1 if by_white else r + 1
        if 0 <= pr < 8:
            for df in (-1, 1):
                ff = f + df
                if 0 <= ff < 8 and b[pr * 8 + ff] == ("P" if by_white else "p"):
                    return True
        for dirs, kinds in ((DIAG, "BQ"), (ORTH, "RQ")):
            for df, dr in dirs:
                ff, rr = f + df, r + dr
                while 0 <= ff < 8 and 0 <= rr < 8:
                    p = b[rr * 8 + ff]
                    if p != ".":
                        if white(p) == by_white and p.upper() in kinds:
                            return True
                        break
                    ff += df
                    rr += dr
        return False

    def attackers(self, s: int, by_white: bool) -> list[int]:
        """Values of pieces of colour by_white attacking s (approximate, no x-rays)."""
        out = []
        b, f, r = self.b, s % 8, s // 8
        for df, dr in KN:
            ff, rr = f + df, r + dr
            if 0 <= ff < 8 and 0 <= rr < 8 and b[rr * 8 + ff] == ("N" if by_white else "n"):
                out.append(3)
        for df, dr in KG:
            ff, rr = f + df, r + dr
            if 0 <= ff < 8 and 0 <= rr < 8 and b[rr * 8 + ff] == ("K" if by_white else "k"):
                out.append(100)
        pr = r - 1 if by_white else r + 1
        if 0 <= pr < 8:
            for df in (-1, 1):
                ff = f + df
                if 0 <= ff < 8 and b[pr * 8 + ff] == ("P" if by_white else "p"):
                    out.append(1)
        for dirs, kinds in ((DIAG, "BQ"), (ORTH, "RQ")):
            for df, dr in dirs:
                ff, rr = f + df, r + dr
                while 0 <= ff < 8 and 0 <= rr < 8:
                    p = b[rr * 8 + ff]
                    if p != ".":
                        if white(p) == by_white and p.upper() in kinds:
                            out.append(VALUE[p.upper()])
                        break
                    ff += df
                    rr += dr
        return out

    def king(self, w: bool) -> int:
        return self.b.index("K" if w else "k")

    def in_check(self) -> bool:
        return self.attacked(self.king(self.w), not self.w)

    def pseudo(self) -> list[tuple[int, int, str]]:
        b, w, mv = self.b, self.w, []
        for s in range(64):
            p = b[s]
            if p == "." or white(p) != w:
                continue
            f, r, u = s % 8, s // 8, p.upper()
            if u == "P":
                d = 1 if w else -1
                last = 7 if w else 0
                t = s + 8 * d
                if 0 <= t < 64 and b[t] == ".":
                    if t // 8 == last:
                        mv += [(s, t, q) for q in "QRBN"]
                    else:
                        mv.append((s, t, ""))
                        if r == (1 if w else 6) and b[t + 8 * d] == ".":
                            mv.append((s, t + 8 * d, ""))
                for df in (-1, 1):
                    ff = f + df
                    if not 0 <= ff < 8:
                        continue
                    t = (r + d) * 8 + ff
                    if (b[t] != "." and white(b[t]) != w) or t == self.ep:
                        if t // 8 == last:
                            mv += [(s, t, q) for q in "QRBN"]
                        else:
                            mv.append((s, t, ""))
            elif u in "NK":
                for df, dr in KN if u == "N" else KG:
                    ff, rr = f + df, r + dr
                    if 0 <= ff < 8 and 0 <= rr < 8:
                        t = rr * 8 + ff
                        if not self.own(b[t], w):
                            mv.append((s, t, ""))
            else:
                dirs = DIAG if u == "B" else ORTH if u == "R" else DIAG + ORTH
                for df, dr in dirs:
                    ff, rr = f + df, r + dr
                    while 0 <= ff < 8 and 0 <= rr < 8:
                        t = rr * 8 + ff
                        if b[t] == ".":
                            mv.append((s, t, ""))
                        else:
                            if white(b[t]) != w:
                                mv.append((s, t, ""))
                            break
                        ff += df
                        rr += dr
        # castling
        home = 0 if w else 56
        k, q = ("K", "Q") if w else ("k", "q")
        if b[home + 4] == ("K" if w else "k") and not self.attacked(home + 4, not w):
            if (
                k in self.castle
                and b[home + 5] == "."
                and b[home + 6] == "."
                and b[home + 7] == ("R" if w else "r")
                and not self.attacked(home + 5, not w)
            ):
                mv.append((home + 4, home + 6, ""))
            if (
                q in self.castle
                and b[home + 3] == "."
                and b[home + 2] == "."
                and b[home + 1] == "."
                and b[home] == ("R" if w else "r")
                and not self.attacked(home + 3, not w)
            ):
                mv.append((home + 4, home + 2, ""))
        return mv

    def push(self, m: tuple[int, int, str]) -> Pos:
        s, t, promo = m
        n = self.copy()
        b = n.b
        p = b[s]
        u = p.upper()
        if u == "P" and t == self.ep:
            b[t - 8 if self.w else t + 8] = "."
        b[t] = p
        b[s] = "."
        if promo:
            b[t] = promo if self.w else promo.lower()
        if u == "K" and abs(t - s) == 2:
            if t > s:
                b[s + 1], b[s + 3] = b[s + 3], "."
            else:
                b[s - 1], b[s - 4] = b[s - 4], "."
        n.ep = (s + t) // 2 if u == "P" and abs(t - s) == 16 else None
        c = n.castle
        for sq, rights in ((4, "KQ"), (60, "kq"), (0, "Q"), (7, "K"), (56, "q"), (63, "k")):
            if s == sq or t == sq:
                for ch in rights:
                    c = c.replace(ch, "")
        n.castle = c
        n.w = not self.w
        return n

    def legal(self) -> list[tuple[int, int, str]]:
        out = []
        for m in self.pseudo():
            n = self.push(m)
            if not n.attacked(n.king(self.w), n.w):
                out.append(m)
        return out

    def san(self, m: tuple[int, int, str], legal: list[tuple[int, int, str]] | None = None) -> str:
        s, t, promo = m
        p = self.b[s].upper()
        if p == "K" and abs(t - s) == 2:
            core = "O-O" if t > s else "O-O-O"
        else:
            cap = self.b[t] != "." or (p == "P" and t == self.ep)
            if p == "P":
                core = (FILES[s % 8] + "x" if cap else "") + sqname(t)
                if promo:
                    core += "=" + promo
            else:
                legal = legal if legal is not None else self.legal()
                others = [o for o in legal if o[1] == t and o[0] != s and self.b[o[0]].upper() == p]
                dis = ""
                if others:
                    if all(o[0] % 8 != s % 8 for o in others):
                        dis = FILES[s % 8]
                    elif all(o[0] // 8 != s // 8 for o in others):
                        dis = str(s // 8 + 1)
                    else:
                        dis = sqname(s)
                core = p + dis + ("x" if cap else "") + sqname(t)
        n = self.push(m)
        if n.in_check():
            core += "#" if not n.legal() else "+"
        return core

    def uci(self, m: tuple[int, int, str]) -> str:
        return sqname(m[0]) + sqname(m[1]) + m[2].lower()

    def material(self) -> int:
        """White minus black material."""
        tot = 0
        for p in self.b:
            if p != ".":
                tot += VALUE[p.upper()] * (1 if white(p) else -1)
        return tot

    def fen(self) -> str:
        rows = []
        for r in range(7, -1, -1):
            row, e = "", 0
            for f in range(8):
                p = self.b[r * 8 + f]
                if p == ".":
                    e += 1
                else:
                    row += (str(e) if e else "") + p
                    e = 0
            rows.append(row + (str(e) if e else ""))
        return (
            "/".join(rows)
            + (" w " if self.w else " b ")
            + (self.castle or "-")
            + " "
            + (sqname(self.ep) if self.ep is not None else "-")
        )


CENTER = {27, 28, 35, 36}
NEAR_CENTER = {18, 19, 20, 21, 26, 29, 34, 37, 42, 43, 44, 45}


def move_score(pos: Pos, m: tuple[int, int, str], rng: random.Random, ply: int) -> float:
    s, t, promo = m
    b = pos.b
    p = b[s].upper()
    gain = 0.0
    if b[t] != ".":
        gain += VALUE[b[t].upper()]
    elif p == "P" and t == pos.ep:
        gain += 1
    if promo:
        gain += VALUE[promo] - 1 + (0 if promo == "Q" else -6)
    n = pos.push(m)
    # does the moved piece hang?
    mover_val = VALUE[promo] if promo else VALUE[p]
    att = n.attackers(t, not pos.w)
    if att and p != "K":
        defn = n.attackers(t, pos.w)
        if not defn:
            gain -= mover_val
        else:
            gain -= max(0, mover_val - min(att))
    # is any other of our pieces now en prise to a cheaper piece / undefended?
    worst = 0
    for sq in range(64):
        q = n.b[sq]
        if q == "." or white(q) != pos.w or q.upper() == "K" or sq == t:
            continue
        a = n.attackers(sq, not pos.w)
        if a:
            v = VALUE[q.upper()]
            d = n.attackers(sq, pos.w)
            loss = v if not d else max(0, v - min(a))
            worst = max(worst, loss)
    gain -= 0.8 * worst
    # positional sugar
    if ply < 24:
        if t in CENTER:
            gain += 0.35
        elif t in NEAR_CENTER:
            gain += 0.15
        if p in "NB" and s // 8 in (0, 7):
            gain += 0.3
        if p == "K" and abs(t - s) == 2:
            gain += 0.6
        if p == "Q" and ply < 14:
            gain -= 0.4
        if p == "K" and abs(t - s) != 2:
            gain -= 0.5
    else:
        if p == "P":
            adv = t // 8 if pos.w else 7 - t // 8
            gain += 0.05 * adv
    if n.in_check():
        gain += 0.25
        if not n.legal():
            gain += 1000
    return gain + rng.uniform(0, 0.45)


BOOK = [
    "e4 e5 Nf3 Nc6 Bb5 a6 Ba4 Nf6 O-O Be7 Re1 b5 Bb3 d6 c3 O-O h3",
    "e4 c5 Nf3 d6 d4 cxd4 Nxd4 Nf6 Nc3 a6 Be3 e5 Nb3 Be6 f3 Be7",
    "d4 d5 c4 e6 Nc3 Nf6 Bg5 Be7 e3 O-O Nf3 h6 Bh4 b6",
    "e4 e6 d4 d5 Nc3 Nf6 Bg5 Be7 e5 Nfd7 Bxe7 Qxe7 f4 O-O Nf3 c5",
    "d4 Nf6 c4 g6 Nc3 Bg7 e4 d6 Nf3 O-O Be2 e5 O-O Nc6 d5 Ne7",
    "e4 c6 d4 d5 Nc3 dxe4 Nxe4 Bf5 Ng3 Bg6 h4 h6 Nf3 Nd7 h5 Bh7",
    "c4 e5 Nc3 Nf6 Nf3 Nc6 g3 d5 cxd5 Nxd5 Bg2 Nb6 O-O Be7",
    "e4 e5 Nf3 Nc6 Bc4 Bc5 c3 Nf6 d3 d6 O-O O-O Re1 a6 Bb3 Ba7",
    "d4 Nf6 c4 e6 Nf3 b6 g3 Ba6 b3 Bb4 Bd2 Be7 Bg2 c6 Bc3 d5",
]


def play_game(rng: random.Random, max_plies: int, book: str | None = None, resign_after: int = 60):
    """Return (sans, ucis, result, final_pos, positions) for a heuristic game."""
    pos = Pos()
    seen = {pos.key(): 1}
    sans, ucis, positions = [], [], [pos]
    book_moves = book.split() if book else []
    result = "*"
    for ply in range(max_plies):
        legal = pos.legal()
        if not legal:
            result = ("0-1" if pos.w else "1-0") if pos.in_check() else "1/2-1/2"
            break
        m = None
        if ply < len(book_moves):
            for cand in legal:
                if pos.san(cand, legal).rstrip("+#") == book_moves[ply]:
                    m = cand
                    break
        if m is None:
            scored = sorted(legal, key=lambda x: -move_score(pos, x, rng, ply))
            m = scored[0]
            for cand in scored:
                if pos.push(cand).key() not in seen:
                    m = cand
                    break
        sans.append(pos.san(m, legal))
        ucis.append(pos.uci(m))
        pos = pos.push(m)
        positions.append(pos)
        seen[pos.key()] = seen.get(pos.key(), 0) + 1
        pieces = [p for p in pos.b if p != "."]
        mat = pos.material()
        if ply > resign_after and abs(mat) >= 7:
            # the side that is down resigns after its opponent's move
            loser_white = mat < 0
            if loser_white == pos.w:
                result = "1-0" if mat > 0 else "0-1"
                break
        if len(pieces) <= 3 and all(p.upper() in "KNB" for p in pieces):
            result = "1/2-1/2"
            break
    else:
        result = "1/2-1/2"
    if sans and sans[-1].endswith("#"):
        result = "1-0" if len(sans) % 2 == 1 else "0-1"
    return sans, ucis, result, pos, positions


def movetext(sans: list[str], start_ply: int = 0, width: int = 80) -> str:
    toks = []
    for i, s in enumerate(sans):
        ply = start_ply + i
        if ply % 2 == 0:
            toks.append(f"{ply // 2 + 1}. {s}")
        elif i == 0:
            toks.append(f"{ply // 2 + 1}... {s}")
        else:
            toks.append(s)
    lines, cur = [], ""
    for t in toks:
        if cur and len(cur) + 1 + len(t) > width:
            lines.append(cur)
            cur = t
        else:
            cur = f"{cur} {t}" if cur else t
    if cur:
        lines.append(cur)
    return "\n".join(lines)


# =============================================================================
# LOOP files
# =============================================================================


def loops_reasoning() -> None:
    k = "reasoning"
    loop(
        "reasoning_wait_reconsider",
        k,
        T("""
            <think>
            Okay, so the question is: a stationery shop sells notebooks at $3.40 each and pens at $1.15 each. Maria buys 7 notebooks and some pens and pays $31.55 in total. How many pens did she buy?

            This is a linear equation with one unknown. Let p be the number of pens. Then the total cost is 7 × 3.40 + 1.15 × p = 31.55. I need to solve for p, and p has to be a non-negative whole number, since you can't buy a fraction of a pen. If the result isn't a whole number, either I've made an arithmetic mistake or the problem has a typo.

            First, the notebooks: 7 × 3.40 = 23.80. So the pens cost 31.55 − 23.80 = 7.75. Then 7.75 / 1.15 = 6.739..., which is not a whole number. Hmm, that's strange, because you can't buy part of a pen. Maybe I misread the prices. The problem says notebooks are $3.40 and pens are $1.15, and the total is $31.55. Let me make sure I subtracted correctly: 31.55 − 23.80. 31.55 − 23 = 8.55, and 8.55 − 0.80 = 7.75. Yes.

            Let me try the nearby whole numbers to see how far off they are. 6 pens would cost 6 × 1.15 = 6.90, giving a total of 23.80 + 6.90 = 30.70. 7 pens would cost 8.05, giving 31.85. Neither is 31.55. The difference between 31.55 and 30.70 is 0.85, and between 31.85 and 31.55 is 0.30. So 7 pens is closer, but still not exact.

            Maybe the notebooks are $3.45 instead? Then 7 × 3.45 = 24.15, and 31.55 − 24.15 = 7.40, and 7.40 / 1.15 = 6.43. Still not whole. What if the pens are $1.25? 7.75 / 1.25 = 6.2. No. What if the pens are $1.55? 7.75 / 1.55 = 5. That works! So if the pen price were $1.55 the answer would be 5 pens. But the problem clearly says $1.15.

        """)
        + "\n\n",
        "Wait, let me reconsider. 7 × 3.40 is 23.80, and 31.55 − 23.80 = 7.75. Dividing 7.75 by 1.15 gives about 6.74, which is not an integer. Actually, let me re-check the multiplication: 3.40 × 7 = 23.80. Yes, that's right. So the pens cost 7.75, and 7.75 / 1.15 ≈ 6.74. That can't be right, since she must have bought a whole number of pens.\n\n",
        seed=101,
    )

    para = "Actually, let me re-check the loop bounds. The range is range(1, n), so it stops at n - 1, which means the last element is never visited. If I change it to range(1, n + 1) then the index goes out of bounds on the final iteration, because the list only has n elements. So the original bound must be correct after all, and the bug is somewhere else.\n\n"
    loop(
        "reasoning_recheck_whitespace_variants",
        k,
        T("""
            The user says `moving_average([1, 2, 3, 4, 5], 2)` returns `[1.5, 2.5, 3.5]` instead of `[1.5, 2.5, 3.5, 4.5]`. Let me look at the function:

            ```python
            def moving_average(xs, w):
                out = []
                for i in range(1, len(xs) - w + 1):
                    out.append(sum(xs[i - 1:i - 1 + w]) / w)
                return out
            ```

            With len(xs) = 5 and w = 2, the range is range(1, 4), which yields i = 1, 2, 3. For i = 1 the slice is xs[0:2] = [1, 2] → 1.5. For i = 3 the slice is xs[2:4] = [3, 4] → 3.5. So we never reach the window [4, 5].
        """)
        + "\n\n",
        lambda i: wobble(para, random.Random(2000 + i)),
        seed=102,
    )

    prefix = (
        T("""
        We need to fill the highlighted cell at row 3, column 5 of the Sudoku. Candidates from the row: row 3 already contains 1, 2, 4, 7 and 9, so the cell can be 3, 5, 6 or 8. Column 5 contains 3, 6 and 8. That leaves only 5. But the 3×3 box (rows 1–3, columns 4–6) already has a 5 in row 1, column 6. So something is off with my reading of the grid.

        Attempt 1: Re-read row 3 from the puzzle: 4 . 9 | 2 . . | 7 1 . — so the row has 4, 9, 2, 7, 1. Same as before. Candidates 3, 5, 6, 8.
        Attempt 2: Re-read column 5 top to bottom: 8, ., ., 6, ., 3, ., ., . — contains 8, 6, 3. Candidates narrow to 5.
        Attempt 3: Re-read the box: row 1 columns 4–6 are ". 8 5", row 2 is "1 . .", row 3 is "2 . .". So the box has 8, 5, 1, 2. 5 is already used, which contradicts the column result.
    """)
        + "\n"
    )
    loop(
        "reasoning_attempt_counter",
        k,
        prefix,
        lambda i: (
            f"Attempt {i + 4}: Place 5 in row 3, column 5. Check the box: the box already contains 5 at row 1, column 6. Conflict. Undo and re-read the grid.\n"
        ),
        seed=103,
    )

    prefix = (
        T("""
        **Problem.** Find the local extrema of f(x) = x³ − 6x² + 9x + 2 on the real line.

        Step 1: Differentiate. f'(x) = 3x² − 12x + 9.
        Step 2: Factor out 3: f'(x) = 3(x² − 4x + 3).
        Step 3: Factor the quadratic: x² − 4x + 3 = (x − 1)(x − 3).
        Step 4: Critical points are x = 1 and x = 3.
        Step 5: Second derivative: f''(x) = 6x − 12. f''(1) = −6 < 0, so x = 1 is a local maximum; f''(3) = 6 > 0, so x = 3 is a local minimum.
        Step 6: Values: f(1) = 1 − 6 + 9 + 2 = 6 and f(3) = 27 − 54 + 27 + 2 = 2.
    """)
        + "\n"
    )
    loop(
        "reasoning_step_counter",
        k,
        prefix,
        lambda i: (
            f"Step {i + 7}: Let me double-check the derivative before concluding. f'(x) = 3x² − 12x + 9, and setting it to zero gives x² − 4x + 3 = 0, so x = 1 or x = 3. Now let me verify by plugging these back in.\n"
        ),
        seed=104,
    )

    loop(
        "reasoning_actually_no_short",
        k,
        T("""
            The user wants to know whether 2,147,483,647 is prime. That's 2^31 − 1, a Mersenne number. Mersenne numbers 2^p − 1 can only be prime if p is prime, and 31 is prime, so it's a candidate. I recall that 2^31 − 1 was proven prime by Euler in 1772, using the fact that any prime divisor must be of the form 62k + 1 and checking all such candidates up to the square root, which is about 46,341. So the answer is yes, it's prime. But let me make sure I'm not confusing it with 2^32 − 1 = 4,294,967,295, which is obviously divisible by 5 since it ends in 5. No, 2^31 − 1 ends in 7. So it's prime.
        """)
        + " ",
        "Actually, no. ",
        seed=105,
    )

    unit = (
        T("""
        Let me trace through the loop again with the failing input `[3, 1, 2]`.

        - `lo = 0`, `hi = 2`. `mid = (0 + 2) // 2 = 1`. `arr[1] = 1`, target is 2, so 1 < 2 and we set `lo = mid + 1 = 2`.
        - `lo = 2`, `hi = 2`. The condition is `while lo < hi`, so the loop exits with `lo = 2`.
        - We return `lo = 2`, and `arr[2] = 2`, which matches the target.

        So the search finds the element. But the test says it returns -1. The test calls `binary_search([3, 1, 2], 2)`. Wait, the array is not sorted. Binary search requires a sorted array, but the function sorts a copy first:

        ```python
        arr = sorted(arr)
        ```

        So the sorted array is `[1, 2, 3]`, and I should trace with that instead.
    """)
        + "\n\nHmm, but the trace above used the unsorted array. "
    )
    loop(
        "reasoning_debug_trace_long",
        k,
        T("""
            I'm debugging why `test_search_unsorted` fails. The function under test:

            ```python
            def binary_search(arr, target):
                arr = sorted(arr)
                lo, hi = 0, len(arr) - 1
                while lo < hi:
                    mid = (lo + hi) // 2
                    if arr[mid] < target:
                        lo = mid + 1
                    else:
                        hi = mid
                return lo if arr[lo] == target else -1
            ```

            The failing assertion is `assert binary_search([3, 1, 2], 2) == 2`. The function returns an index into the *sorted* copy, not into the caller's list, so even a correct search would return 1 here.
        """)
        + "\n\n",
        unit,
        seed=106,
        min_reps=15,
    )

    loop(
        "reasoning_verify_answer_cycle",
        k,
        T("""
            <think>
            The user asks: "What is 6 times 7?" This is basic multiplication. 6 × 7: I can compute 6 × 7 = 6 + 6 + 6 + 6 + 6 + 6 + 6 = 42. Alternatively 7 × 6 = 7 × 5 + 7 = 35 + 7 = 42. Both agree.
        """)
        + " ",
        "So the answer is 42. But wait, let me verify: 6 × 7 = 42. Yes. ",
        seed=107,
    )

    base = "Actually, let me re-check the boundary condition. At t = 0 the concentration is C0, and the solution C(t) = C0·e^(−kt) gives C(0) = C0·1 = C0. That matches."
    loop(
        "reasoning_recheck_newline_variants",
        k,
        T("""
            We're modelling first-order decay: dC/dt = −kC with C(0) = C0 = 0.80 mol/L and k = 0.035 min⁻¹. The question asks for the time when C drops to 0.20 mol/L.

            Separating variables: dC/C = −k dt, integrate: ln C = −kt + const. Exponentiate: C(t) = A·e^(−kt). Using C(0) = C0 gives A = C0. So C(t) = 0.80·e^(−0.035t).

            Setting 0.20 = 0.80·e^(−0.035t): e^(−0.035t) = 0.25, so −0.035t = ln 0.25 = −1.3863, giving t = 39.6 minutes.
        """)
        + "\n\n",
        lambda i: (" " if i % 5 == 3 else "") + base + "\n" * (1 + (i * 7) % 3),
        seed=108,
    )

    loop(
        "reasoning_reread_question_pass",
        k,
        T("""
            The question: "If a bat and a ball cost $1.10 in total, and the bat costs $1.00 more than the ball, how much does the ball cost?"

            Intuitive answer: 10 cents. But check: if the ball is $0.10, the bat is $1.10, total $1.20. Wrong. Let the ball be b. Then the bat is b + 1.00, and b + (b + 1.00) = 1.10, so 2b = 0.10 and b = 0.05. The ball costs 5 cents and the bat costs $1.05. Total $1.10, difference $1.00. Correct.

            Hmm, but the user wrote "costs $1.00 more than the ball" — let me re-read to be sure I have the right relationship.
        """)
        + "\n\n",
        lambda i: (
            f'Re-reading the question (pass {i + 2}): "the bat costs $1.00 more than the ball". So bat = ball + 1.00. That\'s the relationship I used. Let me re-read once more to be sure.\n\n'
        ),
        seed=109,
    )


def loops_counting() -> None:
    k = "counting"
    loop(
        "counting_commas_into_thousands",
        k,
        "To find the 25th prime I'll just go through the positive integers in order and mark each prime as I reach it. Starting from the beginning:\n\n",
        lambda i: f"{i + 1}, ",
        seed=201,
        min_chars=9000,
        extra=0.2,
    )
    loop(
        "counting_apples",
        k,
        T("""
            Great question! Let's make it fun for your daughter. Counting objects one by one is the best way for a 4-year-old to learn that numbers stand for quantities, not just words in a song. Put the apples in a row on the table, touch each one as you say the number, and move it to the other side once it has been counted.

            Let me count:
        """)
        + " ",
        lambda i: f"{i + 1} apple, " if i == 0 else f"{i + 1} apples, ",
        seed=202,
        min_chars=7000,
    )
    items = [
        "item 001  Hex bolt M6×20, zinc-plated, box of 100",
        "item 002  Hex nut M6, zinc-plated, box of 200",
        "item 003  Flat washer M6 DIN 125, box of 200",
        "item 004  Spring washer M6 DIN 127, box of 200",
        "item 005  Socket cap screw M5×16, A2 stainless, box of 50",
        "item 006  Wood screw 4×40 Torx, yellow zinc, box of 250",
        "item 007  Wall plug 6×30 nylon, box of 100",
        "item 008  Cable tie 200×4.8 mm, black UV, pack of 100",
        "item 009  Threaded rod M8×1000, grade 4.8",
        "item 010  Anchor bolt M10×90, box of 20",
    ]
    loop(
        "counting_item_lines",
        k,
        "Here is the cleaned inventory list from the spreadsheet you pasted (duplicates removed, descriptions normalised):\n\n"
        + "\n".join(items)
        + "\n",
        lambda i: f"item {i + 11:03d}\n",
        seed=203,
        min_chars=6000,
    )
    loop(
        "counting_sheep",
        k,
        T("""
            Here's a gentle bedtime story for Theo:

            Once upon a time, on a hill covered in soft clover, there lived a shepherd named Oona and her flock of fluffy sheep. Every evening, when the sky turned the colour of peaches, Oona opened the little wooden gate and the sheep hopped over the low stone fence, one at a time, into their warm barn. Theo, can you help Oona count them as they go?
        """)
        + "\n\n",
        lambda i: f"Sheep number {i + 1} hops over the fence.\n",
        seed=204,
        min_chars=5000,
    )
    loop(
        "counting_empty_numbered_list",
        k,
        T("""
            ## Classic focaccia

            1. Stir 7 g instant yeast into 450 ml lukewarm water and leave for 5 minutes.
            2. Add 600 g bread flour and 12 g fine salt; mix until no dry flour remains.
            3. Pour 2 tbsp olive oil over the dough, cover, and rest for 30 minutes.
            4. Do four sets of stretch-and-folds, 15 minutes apart.
            5. Cover and refrigerate for 12–24 hours.
            6. Oil a 23×33 cm tin generously, tip in the dough and let it rise for 2–3 hours.
            7. Dimple with oiled fingers, drizzle more oil and scatter flaky salt and rosemary.
            8. Bake at 230 °C for 22–25 minutes until deep golden.
            9. Cool on a rack for 10 minutes before slicing.
        """)
        + "\n",
        lambda i: f"{i + 10}.\n",
        seed=205,
        min_chars=3000,
        min_reps=40,
    )


def loops_template() -> None:
    k = "template"
    loop(
        "template_inst_closing_tags",
        k,
        "The capital of Australia is Canberra, not Sydney as many people assume. Canberra was purpose-built as a compromise between Sydney and Melbourne and became the seat of government in 1927. ",
        "[/INST] ",
        seed=301,
    )
    loop(
        "template_im_end_assistant",
        k,
        T("""
            To convert a string to a datetime in Python, use `datetime.strptime`:

            ```python
            from datetime import datetime

            dt = datetime.strptime("2024-03-14 09:26:53", "%Y-%m-%d %H:%M:%S")
            print(dt.year, dt.month, dt.day)  # 2024 3 14
            ```

            If your strings are ISO 8601, `datetime.fromisoformat` is faster and needs no format string.
        """),
        "<|im_end|>\n<|im_start|>assistant\n",
        seed=302,
    )
    loop(
        "template_eos_s_tags",
        k,
        'Sure — here\'s the corrected sentence: "Neither the manager nor the employees were aware of the change." With "neither … nor", the verb agrees with the nearer subject, which is plural here.',
        "</s>",
        seed=303,
    )
    loop(
        "template_endoftext",
        k,
        T("""
            def fizzbuzz(n: int) -> list[str]:
                out = []
                for i in range(1, n + 1):
                    if i % 15 == 0:
                        out.append("FizzBuzz")
                    elif i % 3 == 0:
                        out.append("Fizz")
                    elif i % 5 == 0:
                        out.append("Buzz")
                    else:
                        out.append(str(i))
                return out
        """)
        + "\n",
        "<|endoftext|>",
        seed=304,
    )
    loop(
        "template_llama3_header",
        k,
        "The main difference is scope: `let` and `const` are block-scoped, while `var` is function-scoped and hoisted. `const` also prevents reassignment of the binding (though not mutation of the object it points to).",
        "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n",
        seed=305,
    )
    loop(
        "template_fake_turns_thanks",
        k,
        T("""
            Your Wi-Fi drops every evening most likely because of channel congestion: when neighbours come home, more routers compete on the same 2.4 GHz channels. Try this:

            1. Log in to the router (usually http://192.168.1.1).
            2. Switch the 2.4 GHz band to channel 1, 6 or 11, whichever your Wi-Fi analyzer app shows as least busy.
            3. If your devices support it, connect them to the 5 GHz network instead.
            4. Update the router firmware.

            If the drops continue after that, check the router's system log for "DHCP lease" or "PPPoE" errors around the time of the disconnects.
        """),
        "<|im_end|>\n<|im_start|>user\nthanks!<|im_end|>\n<|im_start|>assistant\nYou're welcome! Let me know if you have any other questions.",
        seed=306,
    )
    loop(
        "template_gemma_turns",
        k,
        "Photosynthesis converts light energy into chemical energy: chlorophyll absorbs light, water is split to release oxygen, and the energy is used to fix carbon dioxide into glucose in the Calvin cycle.",
        "<end_of_turn>\n<start_of_turn>model\n",
        seed=307,
    )


def loops_degenerate() -> None:
    k = "degenerate"
    loop(
        "degenerate_dots",
        k,
        "Let me think about which of the three suppliers is cheapest once shipping is included. Supplier A charges €4.20 per unit plus €35 flat shipping; for 40 units that's 168 + 35 = €203. Supplier B",
        ".",
        seed=401,
        min_chars=4000,
    )
    loop(
        "degenerate_error_word",
        k,
        "Build log summary for job #8841:\n\nCompiling core v0.4.2\nCompiling net v0.4.2\nLinking target app\nStatus: ",
        "ERROR",
        seed=402,
    )
    loop(
        "degenerate_digit_ones",
        k,
        "The binary representation of 255 is 11111111, and of 1023 is 1111111111. In general 2^n − 1 is written as n ones. So 2^64 − 1 in binary is ",
        "1",
        seed=403,
        min_chars=3500,
    )
    loop(
        "degenerate_exclamation",
        k,
        "Congratulations on passing your driving test on the first try, that's a huge achievement and you should be really proud of yourself",
        "!",
        seed=404,
    )
    loop(
        "degenerate_the_the",
        k,
        T("""
            ## How railways changed the idea of time

            In the second half of the nineteenth century, the rapid expansion of the railway network changed how people thought about distance. Towns that had been a day's ride apart were suddenly an hour away, and journeys that once required an overnight stay at a coaching inn could be made before lunch. Merchants who had sold only to their own county found customers in cities they had never visited, and newspapers printed in London in the early morning were read in Birmingham and Bristol the same day.

            The change in distance brought an unexpected problem with time. Until the 1840s, every town in Britain kept its own local time, set by the position of the sun. Noon in Bristol came roughly ten minutes after noon in London, and nobody minded, because nobody could travel between the two quickly enough to notice. A stagecoach passenger simply adjusted his watch on arrival, if he owned one at all.

            Railways made this arrangement unworkable. A timetable that listed departures in the local time of each station was almost impossible to read, and the risk of collisions on single-track lines made precise coordination a matter of life and death. In 1840 the Great Western Railway adopted London time for all its stations, and other companies soon followed. By 1855 the great majority of public clocks in Britain showed Greenwich Mean Time, distributed by telegraph from the Royal Observatory, although the law did not formally recognise it until 1880.

            The same pattern repeated itself elsewhere, with local variations. In the United States, where the distances were far greater, the railway companies themselves divided the country into four time zones on 18 November 1883, a day that became known as "the day of two noons" because so many towns had to set their clocks back. Congress did not make the zones official until 1918. Across Europe, national railways pushed governments towards a single national time, and the International Meridian Conference of 1884 established Greenwich as the prime meridian for the world.

            What is striking in the contemporary accounts is how quickly people accepted an abstract, standardised time that no longer matched the sun overhead. Within a generation, the idea that the clock on the station wall should agree with the clock in a city two hundred miles away went from a novelty to something nobody questioned. Historians have argued that this shift prepared the ground for the factory shift, the office working day and, eventually, the global coordination of trade and communication. And the"""),
        " the",
        seed=405,
    )
    loop(
        "degenerate_newlines_and_word",
        k,
        "Here is a short summary of the meeting:\n\n- Budget for Q3 approved with a 5% buffer.\n- Hiring freeze lifted for the platform team.\n- Next review on 12 June.\n\nOkay",
        "\n\n\nOkay",
        seed=406,
    )
    loop(
        "degenerate_emoji",
        k,
        "Happy birthday to the best little brother in the world! Hope your day is full of cake, games and absolutely zero homework ",
        "🎉",
        seed=407,
        min_chars=3000,
        min_reps=600,
        extra=0.1,
    )
    loop(
        "degenerate_cjk_char",
        k,
        "这个问题的关键在于理解递归函数的调用栈。每次调用都会在栈上创建一个新的帧，保存局部变量和返回地址。当递归深度过大时，就会发生栈溢出。所以我们需要",
        "的",
        seed=408,
        min_chars=3000,
        min_reps=1500,
        extra=0.1,
    )
    loop(
        "degenerate_equals_rule",
        k,
        "# Quarterly report\n\nRevenue grew 12% quarter over quarter, driven mostly by the enterprise tier.\n\n",
        "=",
        seed=409,
        min_chars=4000,
    )
    loop(
        "degenerate_haha",
        k,
        "lol okay that's actually hilarious, the part where the cat knocks the whole cake off the counter and then just sits there looking at you like it was your fault ",
        "ha",
        seed=410,
    )


def loops_tool_calls() -> None:
    k = "tool_call"
    loop(
        "toolcall_json_search_order",
        k,
        "I'll look up the current status of your order so I can tell you when it will arrive.\n\n",
        '{"name": "search", "arguments": {"query": "order 1182 status"}}\n',
        seed=501,
    )
    loop(
        "toolcall_tagged_with_text",
        k,
        T("""
            <|im_start|>user
            Hi, I returned a jacket three weeks ago (order #A-55120) and I still haven't got my money back. The tracking says the parcel was delivered to your warehouse on the 3rd. What's going on?<|im_end|>
            <|im_start|>assistant
            I'm sorry about the wait. Let me look up the return first.
            <tool_call>
            {"name": "get_return", "arguments": {"order_id": "A-55120"}}
            </tool_call><|im_end|>
            <|im_start|>tool
            {"return_id": "ret_8812", "order_id": "A-55120", "status": "received", "received_at": "2024-05-03T10:14:00Z", "inspection": "passed", "refund_id": "rf_7Q2K9"}<|im_end|>
            <|im_start|>assistant
            The return was received on 3 May and passed inspection, and a refund was created for it. The customer asked why the refund hasn't arrived, so I need to check the refund record next and then the payment provider status.
        """)
        + "\n\n",
        'Let me check the refund record.\n<tool_call>\n{"name": "get_refund", "arguments": {"refund_id": "rf_7Q2K9", "include_events": true}}\n</tool_call>\n',
        seed=502,
    )
    loop(
        "toolcall_function_line",
        k,
        T("""
            Plan:
            1. Read the config loader to see where the timeout default comes from.
            2. Find every caller that overrides it.
            3. Patch the default and add a test.

        """)
        + "\n",
        'read_file(path="src/app/config/loader.py", start_line=1, end_line=200)\n',
        seed=503,
    )
    loop(
        "toolcall_react_action",
        k,
        "Question: Should I bring an umbrella to the conference in Paris tomorrow?\n\n",
        'Thought: I need the weather forecast for Paris tomorrow.\nAction: get_weather\nAction Input: {"city": "Paris", "date": "tomorrow"}\n',
        seed=504,
    )
    loop(
        "toolcall_shell_command",
        k,
        "I'll find where the deprecated `parse_legacy` helper is still used before removing it.\n\n",
        '```bash\ngrep -rn "parse_legacy" src/ tests/\n```\n\n',
        seed=505,
    )
    forms = [
        '{"name": "get_weather", "arguments": {"city": "Lyon", "unit": "celsius"}}\n',
        '{"name":"get_weather","arguments":{"city":"Lyon","unit":"celsius"}}\n',
        '{ "name": "get_weather", "arguments": { "city": "Lyon", "unit": "celsius" } }\n',
        '{"name": "get_weather",\n "arguments": {"city": "Lyon", "unit": "celsius"}}\n',
        '{"name": "get_weather", "arguments": {"city": "Lyon",  "unit": "celsius"}}\n\n',
    ]
    loop(
        "toolcall_json_spacing_variants",
        k,
        T("""
            The user is flying to Lyon on Friday and wants to know whether to pack a raincoat. I'll call the weather tool for Lyon; the user's profile says they prefer Celsius.
        """)
        + "\n\n",
        lambda i: forms[(i * 3 + i // 4) % len(forms)],
        seed=506,
    )


def find_shuffle(pos: Pos) -> list[tuple[int, int, str]] | None:
    """A legal 4-ply cycle (white out, black out, white back, black back) from pos."""
    for m1 in pos.legal():
        if pos.b[m1[0]].upper() not in "NBRQ" or pos.b[m1[1]] != ".":
            continue
        p1 = pos.push(m1)
        for m2 in p1.legal():
            if p1.b[m2[0]].upper() not in "NBRQ" or p1.b[m2[1]] != ".":
                continue
            p2 = p1.push(m2)
            back1 = (m1[1], m1[0], "")
            if back1 not in p2.legal():
                continue
            p3 = p2.push(back1)
            back2 = (m2[1], m2[0], "")
            if back2 in p3.legal() and not p3.push(back2).in_check() and not p2.in_check():
                return [m1, m2, back1, back2]
    return None


def loops_chess() -> None:
    k = "chess"
    loop(
        "chess_same_move_again",
        k,
        T("""
            Current position after 1. e4 e5, White to move. The most natural developing move is to attack the e5 pawn with the king's knight. Nf3 develops a piece, controls d4 and e5, and prepares castling. Alternatives like Bc4 (Italian ideas) or d4 (Centre Game) are playable but Nf3 is the most flexible.
        """)
        + "\n\n",
        "I will play Nf3. MOVE: Nf3\n",
        seed=601,
    )
    loop(
        "chess_knight_shuffle_reasoning",
        k,
        T("""
            The position is closed and neither side can make progress on the queenside. My knight on g1 is not doing much, but on f3 it would cover e5 and h4. On the other hand, from g1 it protects e2 and h3. Maybe the plan is to wait and see what Black does. If I play
        """)
        + " ",
        "Nf3 then Ng1 then ",
        seed=602,
    )
    analysis = (
        T("""
        Let me evaluate the position again. White has the bishop pair and a space advantage on the kingside, but the d4 pawn is isolated and blockaded by the knight on d5. Black's pieces are well coordinated: the rook on c8 controls the open file and the queen on b6 pressures both d4 and b2. If White plays Qd2, Black can respond with Nxe3, trading a knight for the dark-squared bishop and leaving White with weak dark squares. If White plays Rc1 instead, the c-file is contested and Black's rook has to decide whether to trade. The key question is whether the isolated pawn is a weakness or a strength here.
    """)
        + "\n\n"
    )
    loop(
        "chess_analysis_paragraph_repeat",
        k,
        T("""
            Position (FEN): 2r2rk1/pp2bppp/1q2p3/3n4/3P4/2NBBN2/PP3PPP/R2Q1RK1 w - - 0 15

            White to move. Material is equal. Pawn structure: White has an isolated queen's pawn on d4; Black has a solid pawn chain on the kingside.
        """)
        + "\n\n",
        analysis,
        seed=603,
    )
    loop(
        "chess_candidate_moves_repeat",
        k,
        T("""
            [Game: you are Black. Moves so far: 1. d4 Nf6 2. c4 e6 3. Nc3 Bb4 4. Qc2 O-O 5. a3 Bxc3+ 6. Qxc3 b6 7. Bg5 Bb7 8. f3 h6 9. Bh4 d5 10. e3 Nbd7 11. cxd5 Nxd5 12. Bxd8 Nxc3 13. Bh4 Nd5]

            White just played 14. Bf2. It's my move. The queens are off and material is level, but White's king is still in the centre and my pieces are more active.
        """)
        + "\n\n",
        "Candidate moves: c5, Rfc8, f5. c5 strikes at the centre and opens lines for my pieces while White's king is still in the middle. Rfc8 is solid. f5 weakens e6. I'll go with c5. MOVE: c5\n\n",
        seed=604,
    )
    rng = random.Random(605)
    sans, _ucis, _res, _pos, positions = play_game(rng, 60, BOOK[0])
    ply = 44
    pos = positions[ply]
    cyc = find_shuffle(pos)
    assert cyc is not None
    cyc_san = []
    p = pos
    for m in cyc:
        cyc_san.append(p.san(m))
        p = p.push(m)
    head = (
        T("""
        [Event "Casual game"]
        [Site "?"]
        [Date "????.??.??"]
        [White "Engine A"]
        [Black "Engine B"]
        [Result "*"]
    """)
        + "\n\n"
        + movetext(sans[:ply], width=10**6)
        + " "
    )
    first = ply // 2 + 1

    def shuffle_unit(i: int) -> str:
        a = first + 2 * i
        return f"{a}. {cyc_san[0]} {cyc_san[1]} {a + 1}. {cyc_san[2]} {cyc_san[3]} "

    loop("chess_pgn_move_cycle", k, head, shuffle_unit, seed=606)


LONG_UNITS: list[tuple[str, str, str, int]] = []


def loops_long_units() -> None:
    k = "long_unit"
    essay = "Remote work has reshaped how teams communicate, and not always in the ways people predicted. Early in the shift, many managers worried that productivity would collapse without the visibility of a shared office. In practice, output stayed roughly the same for most knowledge work, but the cost moved elsewhere: onboarding became slower, informal mentoring nearly disappeared, and junior employees reported feeling disconnected from the decisions that shaped their work. The teams that adapted best were the ones that wrote more things down. Decision logs, design documents, and recorded demos replaced the hallway conversations that used to spread context for free. Writing takes time, of course, and some engineers resented what felt like bureaucracy, but the alternative was a slow drift in which everyone was technically informed and nobody actually understood why things were the way they were.\n\n"
    loop(
        "longunit_essay_paragraph_x4",
        k,
        "# The hidden costs of remote work\n\nThis essay looks at what changed for software teams after 2020, beyond the obvious commute savings.\n\n",
        essay,
        seed=701,
        reps=4,
    )
    code = (
        T('''
        ```python
        import csv
        from collections import defaultdict
        from pathlib import Path


        def summarise_sales(path: Path) -> dict[str, dict[str, float]]:
            """Aggregate revenue and units per region from a CSV export.

            The file is expected to have the columns: date, region, sku, units, unit_price.
            Rows with a missing or non-numeric unit price are skipped and counted.
            """
            totals: dict[str, dict[str, float]] = defaultdict(lambda: {"units": 0.0, "revenue": 0.0})
            skipped = 0
            with path.open(newline="", encoding="utf-8") as fh:
                for row in csv.DictReader(fh):
                    try:
                        units = float(row["units"])
                        price = float(row["unit_price"])
                    except (KeyError, ValueError):
                        skipped += 1
                        continue
                    region = row.get("region", "unknown").strip() or "unknown"
                    totals[region]["units"] += units
                    totals[region]["revenue"] += units * price
            if skipped:
                print(f"skipped {skipped} malformed rows")
            return dict(totals)


        if __name__ == "__main__":
            import sys

            for region, t in sorted(summarise_sales(Path(sys.argv[1])).items()):
                print(f"{region:<12} {t['units']:>10.0f} {t['revenue']:>14,.2f}")
        ```
    ''')
        + "\n\nThis reads the file once, keeps a running total per region, and prints a sorted summary.\n\n"
    )
    loop(
        "longunit_code_block_x3",
        k,
        "Here's a script that does what you described — it reads the CSV export and prints revenue per region:\n\n",
        code,
        seed=702,
        reps=3,
    )
    tcp = (
        T("""
        ### How the TCP three-way handshake works

        Before any application data is exchanged, TCP establishes a connection with a three-step exchange:

        1. **SYN** — The client picks a random initial sequence number (ISN), say `x`, and sends a segment with the SYN flag set and `seq = x`. The client moves to the `SYN-SENT` state.
        2. **SYN-ACK** — The server, if it is listening on that port, picks its own ISN `y` and replies with both SYN and ACK set: `seq = y`, `ack = x + 1`. The server moves to `SYN-RECEIVED`.
        3. **ACK** — The client acknowledges the server's ISN with `ack = y + 1`. Both sides are now `ESTABLISHED`.

        The random ISNs protect against old duplicate segments from a previous connection being accepted as part of the new one, and make blind spoofing harder. If the server's backlog of half-open connections fills up (for example during a SYN flood), new SYNs are dropped unless SYN cookies are enabled, in which case the server encodes the connection state in its ISN and keeps no memory until the final ACK arrives.

        Closing is a separate four-step exchange (FIN, ACK, FIN, ACK), and the side that closes first waits in `TIME_WAIT` for twice the maximum segment lifetime.
    """)
        + "\n\n"
    )
    loop(
        "longunit_tcp_explanation_x3",
        k,
        "Good question — the handshake is easier to follow once you see which side holds which state.\n\n",
        tcp,
        seed=703,
        reps=3,
    )
    obj = (
        T("""
        {
          "id": "evt_01HV3K8Q2M",
          "type": "invoice.payment_failed",
          "created": "2024-04-11T08:41:07Z",
          "data": {
            "invoice": "in_1P4xQ2LkdIwHu7ix",
            "customer": "cus_Q1a2B3c4D5",
            "amount_due": 4900,
            "currency": "eur",
            "attempt_count": 2,
            "next_payment_attempt": "2024-04-14T08:41:07Z",
            "failure_reason": "card_declined",
            "decline_code": "insufficient_funds",
            "payment_method": {
              "type": "card",
              "brand": "visa",
              "last4": "4242",
              "exp_month": 8,
              "exp_year": 2026
            },
            "billing_reason": "subscription_cycle",
            "subscription": "sub_1OzR7kLkdIwHu7ixT3q9Wm2A"
          },
          "request": {"id": null, "idempotency_key": null},
          "livemode": true
        },
    """)
        + "\n"
    )
    loop(
        "longunit_json_object_x5",
        k,
        "Here are the webhook events from the last hour that match your filter (`type = invoice.payment_failed`):\n\n[\n",
        obj,
        seed=704,
        reps=5,
    )
    section = (
        T("""
        ## Deployment checklist

        Before every production release, the on-call engineer confirms the following:

        - **Migrations reviewed.** Every migration in the release has been reviewed by someone other than its author and tested against a snapshot of production data no older than seven days.
        - **Feature flags.** New behaviour is behind a flag that defaults to *off*. The flag name, owner and planned removal date are recorded in the flag registry.
        - **Rollback plan.** The release notes state how to roll back, including whether the migrations are reversible. If a migration is not reversible, the release is split so that the irreversible step ships alone.
        - **Dashboards.** Error rate, p95 latency and saturation dashboards for the affected services are open before the deploy starts.
        - **Communication.** The #releases channel has a message with the version, the change summary and the expected duration.

        ### During the rollout

        Deploy to the canary pool first and wait at least 15 minutes. Compare the canary's error rate and latency with the baseline pool. If either is more than 10% worse, stop and roll back the canary. Otherwise continue to 25%, 50% and 100%, waiting 10 minutes at each step.

        ### After the rollout

        Watch the dashboards for 30 minutes after reaching 100%. Close the release ticket with links to the dashboards and note anything unexpected, even if it did not require action.
    """)
        + "\n\n"
    )
    loop(
        "longunit_markdown_section_x3",
        k,
        T("""
            You asked for a checklist that a new on-call engineer can follow without having been in the room when the process was designed. A few principles guided what went in and what was left out.

            First, every item has to be checkable. "Be careful with migrations" is advice, not a checklist item; "every migration has been tested against a snapshot no older than seven days" is something you can verify and tick. Where the team does not yet have the tooling to make an item checkable, I have left it out rather than including a vague version of it.

            Second, the checklist only covers what has actually gone wrong before. Your incident log from the last eighteen months shows three categories that account for almost every rollback: irreversible migrations that shipped together with application changes, features that were switched on for everyone at once, and releases where nobody was watching the dashboards during the rollout. Each of those maps to one section below.

            Third, it is short enough to use. Long checklists get skimmed, and a skimmed checklist is worse than none because it creates false confidence. If you find yourself wanting to add an item, consider whether an existing one can be removed or automated first. The canary comparison in particular is a good candidate for automation once the metrics pipeline supports it.

            Finally, the timings (15 minutes on the canary, 10 minutes per step, 30 minutes of watching afterwards) are starting points taken from the median time-to-detect in your incident reports. Adjust them once you have a few months of data from using the checklist.

            Here it is, ready to paste into the team wiki:
        """)
        + "\n\n",
        section,
        seed=705,
        reps=3,
    )
    sql = (
        T("""
        ```sql
        SELECT c.customer_id,
               c.email,
               COUNT(o.order_id)            AS orders_90d,
               SUM(o.total_cents) / 100.0   AS revenue_90d,
               MAX(o.created_at)            AS last_order_at
        FROM customers AS c
        JOIN orders AS o
          ON o.customer_id = c.customer_id
         AND o.created_at >= CURRENT_DATE - INTERVAL '90 days'
         AND o.status IN ('paid', 'shipped', 'delivered')
        GROUP BY c.customer_id, c.email
        HAVING COUNT(o.order_id) >= 3
        ORDER BY revenue_90d DESC
        LIMIT 100;
        ```

        The join condition filters orders to the last 90 days before grouping, so customers with older orders only are excluded. `HAVING` keeps customers with at least three qualifying orders, and the result is sorted by revenue.
    """)
        + "\n\n"
    )
    loop(
        "longunit_sql_with_explanation_x4",
        k,
        "To get your top repeat customers over the last quarter, you can use this query:\n\n",
        sql,
        seed=706,
        reps=4,
    )
    story = (
        T("""
        The lighthouse keeper's daughter had never seen the mainland in winter. Every October the supply boat stopped coming, and the island folded in on itself: the gulls left, the grass went the colour of old rope, and the only sounds were the generator and the sea. Her father spent the dark afternoons repairing the lamp mechanism, which did not need repairing, and writing long letters that he could not send until spring. She spent them in the lantern room, reading the same six books and watching the horizon for ships that never came close.

        That year, in the second week of December, a ship did come close. It appeared at dusk, low and grey, without lights, moving against the wind as if the wind did not concern it. She ran down the spiral stairs to tell her father, but when they climbed back up together the sea was empty. He said it must have been a trawler blown off course, and that its crew would have lit their lamps once they saw the beam. She knew it had not been a trawler. Trawlers had masts and nets and men shouting on deck. This ship had nothing, not even a name painted on the bow.

        She began to keep a notebook. Every evening at dusk she climbed to the lantern room and wrote down the time, the direction of the wind, the state of the sea and whether the ship appeared. For eleven days it did not. On the twelfth it came again, closer this time, and she saw that its deck was covered with something pale that moved slightly, like a field of grass in a breeze. She did not run for her father. She watched until the light failed, and then she wrote everything down in small careful letters, and underlined the date twice.

        In January the storms came, and for three weeks nobody climbed the lantern stairs except to tend the lamp. Her father grew quiet and careful with the oil, counting the drums in the store twice a day. When the weather finally broke, the morning was so still that the sea looked like hammered tin, and on the rocks below the north cliff, just above the tide line, there was a single wooden plank, grey and smooth, with one word burned into it in letters she did not recognise.
    """)
        + "\n\n"
    )
    loop(
        "longunit_story_x3",
        k,
        "Here's the opening of a short story in the style you asked for — quiet, atmospheric, with a slow reveal:\n\n",
        story,
        seed=707,
        reps=3,
    )
    summary = (
        T("""
        **Summary of the paper.** The authors propose a retrieval-augmented method for long-document question answering in which the retriever is trained jointly with the reader using the reader's attention weights as a soft supervision signal. On three benchmarks (NarrativeQA, QuALITY and a new legal-contracts dataset) the method improves exact-match accuracy by 2.1–4.7 points over a frozen-retriever baseline while using 40% fewer retrieved passages per question. The ablations show that most of the gain comes from the joint training rather than from the larger retrieval index, and the error analysis suggests the remaining failures are dominated by questions that require aggregating information from more than five separate passages.
    """)
        + "\n\n"
    )
    loop(
        "longunit_paper_summary_x5",
        k,
        "Here's a concise summary you can use for the reading group:\n\n",
        summary,
        seed=708,
        reps=5,
    )


def loops_non_english() -> None:
    k = "non_english"
    loop(
        "nonenglish_german_reasoning",
        k,
        T("""
            Die Aufgabe: Ein Zug fährt um 8:15 Uhr in München ab und kommt um 12:47 Uhr in Berlin an. Die Strecke ist 584 km lang. Wie hoch ist die Durchschnittsgeschwindigkeit?

            Zuerst die Fahrzeit: von 8:15 bis 12:15 sind es 4 Stunden, dazu 32 Minuten, also 4 Stunden 32 Minuten = 4,533 Stunden. Dann 584 / 4,533 ≈ 128,8 km/h.
        """)
        + "\n\n",
        "Moment, ich muss das noch einmal überprüfen. Von 8:15 bis 12:47 sind es 4 Stunden und 32 Minuten, das sind 4,533 Stunden. 584 geteilt durch 4,533 ergibt ungefähr 128,8 km/h. Aber stimmt die Fahrzeit wirklich?\n\n",
        seed=801,
    )
    loop(
        "nonenglish_spanish_closing",
        k,
        T("""
            Para renovar el pasaporte en España necesitas pedir cita previa en la web de la Policía Nacional, llevar el pasaporte anterior, el DNI en vigor y una fotografía reciente en color con fondo blanco. La tasa actual es de 30 euros y se paga en el momento. Normalmente el pasaporte se entrega el mismo día si no hay incidencias.
        """)
        + "\n\n",
        "Espero que esta información te sea útil. Si tienes alguna otra pregunta, no dudes en preguntar. ",
        seed=802,
    )
    loop(
        "nonenglish_chinese_recheck",
        k,
        T("""
            题目：一个长方形的周长是 36 厘米，长比宽多 4 厘米，求面积。

            设宽为 x 厘米，则长为 x + 4 厘米。周长 = 2(x + x + 4) = 4x + 8 = 36，所以 x = 7，长为 11 厘米。面积 = 7 × 11 = 77 平方厘米。
        """)
        + "\n\n",
        "我们再检查一下：宽是 7 厘米，长是 11 厘米，周长是 2 × (7 + 11) = 36 厘米，正确。面积是 7 × 11 = 77 平方厘米。不过，我们再检查一下：\n",
        seed=803,
    )
    loop(
        "nonenglish_japanese_confirm",
        k,
        T("""
            ご質問ありがとうございます。東京から大阪まで新幹線「のぞみ」を利用した場合、所要時間は約2時間30分です。料金は指定席で片道およそ14,720円です。繁忙期は指定席が混み合うため、早めの予約をおすすめします。
        """)
        + "\n\n",
        "もう一度確認します。東京から大阪までは「のぞみ」で約2時間30分、指定席は片道およそ14,720円です。",
        seed=804,
    )
    loop(
        "nonenglish_russian_check",
        k,
        T("""
            Нужно найти корни уравнения x² − 5x + 6 = 0. Дискриминант D = 25 − 24 = 1, значит корни x₁ = (5 + 1)/2 = 3 и x₂ = (5 − 1)/2 = 2.
        """)
        + "\n\n",
        "Давайте проверим ещё раз: 3² − 5·3 + 6 = 9 − 15 + 6 = 0, и 2² − 5·2 + 6 = 4 − 10 + 6 = 0. Всё верно. ",
        seed=805,
    )


def loops_code_fence() -> None:
    k = "code_fence"
    loop(
        "codefence_print_line",
        k,
        T("""
            You're seeing `ModuleNotFoundError: No module named 'greet'` because the script is being run from the wrong directory: Python adds the directory of the script you execute to `sys.path`, not your current working directory, and your package lives one level up. There are three common fixes:

            1. **Install the project in editable mode.** From the repository root run `pip install -e .`. This makes `greet` importable from anywhere in the virtual environment and is the most robust option.
            2. **Run it as a module.** From the repository root, `python -m greet.cli Alice` runs the file with the root on `sys.path`.
            3. **Set `PYTHONPATH`.** `PYTHONPATH=. python greet/cli.py Alice` works but is easy to forget, so I'd only use it for quick experiments.

            Whichever you choose, it also helps to give the script a proper entry point so that it can be called from a console script later. Here's a minimal version of `greet/cli.py` that greets the user and exits with status 0:

            ```python
            import sys


            def main() -> int:
                name = sys.argv[1] if len(sys.argv) > 1 else "World"
        """)
        + "\n",
        '    print(f"Hello, {name}!")\n',
        seed=901,
    )
    loop(
        "codefence_dict_entry",
        k,
        T("""
            You can keep the locale names in a plain mapping and fall back to the language code when a locale is missing:

            ```javascript
            const LOCALE_NAMES = {
              "de-DE": "Deutsch (Deutschland)",
              "en-GB": "English (United Kingdom)",
        """)
        + "\n",
        '  "en-US": "English (United States)",\n',
        seed=902,
    )
    loop(
        "codefence_shell_install",
        k,
        T("""
            To set up the project locally:

            ```bash
            git clone https://github.com/example-org/weather-dashboard.git
            cd weather-dashboard
            python -m venv .venv
            source .venv/bin/activate
        """)
        + "\n",
        "pip install -r requirements.txt\n",
        seed=903,
    )


def loops_table() -> None:
    k = "table"
    loop(
        "table_same_row_forever",
        k,
        T("""
            Here are the daily sign-ups for March, from the analytics export you attached:

            | date | sign-ups | conversion | source |
            |---|---|---|---|
            | 2024-03-01 | 184 | 3.1% | organic |
            | 2024-03-02 | 97 | 2.4% | organic |
            | 2024-03-03 | 112 | 2.7% | newsletter |
            | 2024-03-04 | 231 | 3.6% | paid |
            | 2024-03-05 | 205 | 3.3% | paid |
            | 2024-03-06 | 176 | 2.9% | organic |
            | 2024-03-07 | 163 | 2.8% | organic |
            | 2024-03-08 | 148 | 2.5% | referral |
            | 2024-03-09 | 91 | 2.2% | organic |
            | 2024-03-10 | 104 | 2.6% | newsletter |
            | 2024-03-11 | 219 | 3.4% | paid |
            | 2024-03-12 | 240 | 3.7% | paid |
            | 2024-03-13 | 198 | 3.2% | organic |
            | 2024-03-14 | 187 | 3.0% | organic |
            | 2024-03-15 | 172 | 2.9% | referral |

            The paid campaign that started on the 4th is clearly visible. Continuing with the second half of the month:

            | date | sign-ups | conversion | source |
            |---|---|---|---|
            | 2024-03-16 | 88 | 2.1% | organic |
            | 2024-03-17 | 95 | 2.3% | newsletter |
        """)
        + "\n",
        "| 2024-03-18 | 0 | 0.0% | n/a |\n",
        seed=951,
    )
    loop(
        "table_todo_rows_counter",
        k,
        T("""
            ## API endpoint inventory

            | # | endpoint | method | owner | status |
            |---|---|---|---|---|
            | 1 | /v1/users | GET | identity | stable |
            | 2 | /v1/users/{id} | PATCH | identity | stable |
            | 3 | /v1/orders | POST | commerce | beta |
            | 4 | /v1/orders/{id}/refund | POST | commerce | beta |
            | 5 | /v1/reports/export | GET | analytics | deprecated |
        """)
        + "\n",
        lambda i: f"| {i + 6} | TODO | TODO | TODO | TODO |\n",
        seed=952,
    )


# =============================================================================
# LEGIT files
# =============================================================================


def md_table(header: list[str], rows: list[list[str]], align: list[str] | None = None) -> str:
    sep = []
    for i, _ in enumerate(header):
        a = (align or ["l"] * len(header))[i]
        sep.append("---:" if a == "r" else ":---:" if a == "c" else "---")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(sep) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)


def legit_tables() -> None:
    k = "table"
    rng = random.Random(1001)
    models = [
        ("Llama-3.1-8B-Instruct", 8.0),
        ("Llama-3.1-70B-Instruct", 70.6),
        ("Llama-3.2-3B-Instruct", 3.2),
        ("Qwen2.5-7B-Instruct", 7.6),
        ("Qwen2.5-14B-Instruct", 14.8),
        ("Qwen2.5-32B-Instruct", 32.8),
        ("Mistral-7B-Instruct-v0.3", 7.2),
        ("Mistral-Nemo-Instruct-12B", 12.2),
        ("Gemma-2-9B-it", 9.2),
        ("Gemma-2-27B-it", 27.2),
        ("Phi-3.5-mini-instruct", 3.8),
        ("DeepSeek-R1-Distill-Qwen-7B", 7.6),
        ("DeepSeek-R1-Distill-Llama-8B", 8.0),
        ("Yi-1.5-9B-Chat", 8.8),
        ("Command-R-35B", 35.0),
        ("Granite-3.0-8B-Instruct", 8.2),
        ("OLMo-2-7B-Instruct", 7.3),
        ("SmolLM2-1.7B-Instruct", 1.7),
    ]
    quants = [
        ("Q4_K_M", 4.85),
        ("Q5_K_M", 5.69),
        ("Q6_K", 6.59),
        ("Q8_0", 8.5),
        ("F16", 16.0),
        ("IQ4_XS", 4.25),
    ]
    combos = [(m, q) for m in models for q in quants]
    rng.shuffle(combos)
    combos = sorted(combos[:72], key=lambda c: (c[0][1], c[0][0], c[1][1]))
    rows = []
    for i, ((name, params), (q, bits)) in enumerate(combos, 1):
        size = params * bits / 8 * 1.02
        vram = size + 0.6 + params * 0.045
        fits = vram <= 24.0
        bw = 936 if fits else 58  # GB/s: GPU vs partial offload
        tg = bw / size * rng.uniform(0.55, 0.72)
        pp = (
            (9000 / params if fits else 380 / params)
            * rng.uniform(0.8, 1.15)
            * (1.3 if q.startswith("Q4") else 1)
        )
        ttft = 512 / pp * 1000 + rng.uniform(8, 40)
        note = "" if fits else "partial offload"
        if q == "F16" and params < 4:
            note = "reference"
        rows.append(
            [
                str(i),
                name,
                f"{params:.1f}B",
                q,
                f"{size:.2f}",
                f"{pp:,.1f}",
                f"{tg:.2f}",
                f"{ttft:,.0f}",
                f"{vram:.1f}",
                note,
            ]
        )
    text = "# llama.cpp throughput on a single RTX 3090 (24 GB)\n\n"
    text += "Build b3871, CUDA 12.4, driver 550.107, `-ngl 99 -fa -c 8192`, batch 2048 / ubatch 512. Each cell is the median of 5 runs of `llama-bench -p 512 -n 128`. Models that did not fit in VRAM were run with as many layers offloaded as would fit; those rows are marked.\n\n"
    text += md_table(
        [
            "#",
            "model",
            "params",
            "quant",
            "file (GB)",
            "pp512 (t/s)",
            "tg128 (t/s)",
            "TTFT 512 (ms)",
            "VRAM (GB)",
            "notes",
        ],
        rows,
        ["r", "l", "r", "l", "r", "r", "r", "r", "r", "l"],
    )
    text += "\n\n**Observations.** Token generation is memory-bandwidth bound, so tg128 scales almost exactly with the inverse of the file size until the model spills out of VRAM, at which point it drops by an order of magnitude. Prompt processing is compute bound and benefits from the larger ubatch; the Q4 K-quants are consistently a little faster at pp512 than Q5/Q6 because of the dequantisation kernels.\n"
    legit("table_llm_benchmark_72_rows", k, text)

    rng = random.Random(1002)
    roles = [
        "api",
        "api",
        "api",
        "worker",
        "worker",
        "db-primary",
        "db-replica",
        "cache",
        "ingest",
        "search",
    ]
    azs = ["eu-west-1a", "eu-west-1b", "eu-west-1c"]
    hdr = [
        "host",
        "role",
        "az",
        "vCPU",
        "mem GiB",
        "cpu% p50",
        "cpu% p95",
        "mem%",
        "disk%",
        "net in MB/s",
        "net out MB/s",
        "load1",
        "load5",
        "load15",
        "conns",
        "p99 ms",
        "err/min",
        "uptime d",
    ]
    rows = []
    counters: dict[str, int] = {}
    for _ in range(46):
        role = rng.choice(roles)
        counters[role] = counters.get(role, 0) + 1
        vcpu = rng.choice([4, 8, 8, 16, 32])
        p50 = rng.uniform(4, 70)
        rows.append(
            [
                f"{role}-{counters[role]:02d}.prod.internal",
                role,
                rng.choice(azs),
                str(vcpu),
                str(vcpu * rng.choice([2, 4, 8])),
                f"{p50:.1f}",
                f"{min(99.9, p50 * rng.uniform(1.2, 1.9)):.1f}",
                f"{rng.uniform(20, 92):.1f}",
                f"{rng.uniform(8, 87):.0f}",
                f"{rng.uniform(0.2, 180):.1f}",
                f"{rng.uniform(0.1, 240):.1f}",
                f"{vcpu * p50 / 100 * rng.uniform(0.8, 1.3):.2f}",
                f"{vcpu * p50 / 100 * rng.uniform(0.8, 1.2):.2f}",
                f"{vcpu * p50 / 100 * rng.uniform(0.85, 1.1):.2f}",
                str(rng.randint(12, 4800)),
                f"{rng.uniform(3, 900):.0f}",
                f"{rng.choice([0, 0, 0, 0.1, 0.3, 1.2, 4.8]):.1f}",
                str(rng.randint(1, 210)),
            ]
        )
    rows.sort(key=lambda r: r[0])
    text = "## Fleet snapshot — 2024-05-21 14:00 UTC\n\nCollected from node_exporter and the service mesh over the previous 60 minutes. Percentiles are per-host; load averages are raw (not normalised by vCPU).\n\n"
    text += md_table(hdr, rows, ["l", "l", "l"] + ["r"] * 15)
    text += "\n\nHosts above 80% disk: flag for the storage review on Thursday. The two ingest hosts with error rates above 1/min were restarted at 14:12 after the upstream Kafka broker rebalance.\n"
    legit("table_wide_fleet_18_columns", k, text)

    rng = random.Random(1003)
    rows = []
    d = _dt.date(2024, 1, 1)
    tot_orders = 0
    tot_rev = 0.0
    for i in range(91):
        day = d + _dt.timedelta(days=i)
        wk = day.weekday()
        base = 420 if wk < 5 else 610
        orders = int(
            base * rng.uniform(0.78, 1.22) * (1.35 if day.month == 2 and 10 <= day.day <= 14 else 1)
        )
        aov = rng.uniform(38, 61)
        rev = orders * aov
        refunds = rng.randint(0, max(1, orders // 45))
        conv = rng.uniform(1.8, 3.9)
        tot_orders += orders
        tot_rev += rev
        rows.append(
            [
                day.isoformat(),
                day.strftime("%a"),
                str(orders),
                f"{rev:,.2f}",
                f"{aov:.2f}",
                str(refunds),
                f"{conv:.2f}%",
            ]
        )
    text = "### Q1 2024 daily web-shop sales (EUR)\n\n"
    text += md_table(
        ["date", "day", "orders", "revenue", "avg order", "refunds", "conversion"],
        rows,
        ["l", "l", "r", "r", "r", "r", "r"],
    )
    text += f"\n\n**Totals:** {tot_orders:,} orders, €{tot_rev:,.2f} revenue, average order value €{tot_rev / tot_orders:.2f}. Weekend days average roughly 45% more orders than weekdays; the Valentine's week bump (10–14 Feb) is visible in the order counts.\n"
    legit("table_daily_sales_q1", k, text)

    feats = [
        ("Projects", "3", "Unlimited", "Unlimited", "Unlimited"),
        ("Storage", "5 GB", "100 GB", "1 TB", "Custom"),
        ("Members", "1", "1", "Up to 50", "Unlimited"),
        ("Version history", "7 days", "90 days", "1 year", "Unlimited"),
        ("Custom domains", "❌", "✅", "✅", "✅"),
        ("Password-protected links", "❌", "✅", "✅", "✅"),
        ("Comments", "✅", "✅", "✅", "✅"),
        ("Real-time collaboration", "✅", "✅", "✅", "✅"),
        ("Offline mode", "❌", "✅", "✅", "✅"),
        ("Export to PDF", "✅", "✅", "✅", "✅"),
        ("Export to Word / Markdown", "❌", "✅", "✅", "✅"),
        ("API access", "❌", "✅", "✅", "✅"),
        ("Webhooks", "❌", "❌", "✅", "✅"),
        ("Shared workspaces", "❌", "❌", "✅", "✅"),
        ("Guest accounts", "❌", "❌", "✅", "✅"),
        ("Admin console", "❌", "❌", "✅", "✅"),
        ("Usage analytics", "❌", "❌", "✅", "✅"),
        ("SSO (SAML)", "❌", "❌", "❌", "✅"),
        ("SCIM provisioning", "❌", "❌", "❌", "✅"),
        ("Audit log", "❌", "❌", "❌", "✅"),
        ("Data residency (EU / US)", "❌", "❌", "❌", "✅"),
        ("Custom retention policies", "❌", "❌", "❌", "✅"),
        ("Dedicated success manager", "❌", "❌", "❌", "✅"),
        ("Uptime SLA", "—", "—", "99.9%", "99.95%"),
        ("Support", "Community", "Email", "Email + chat", "24/7 phone"),
        ("Two-factor authentication", "✅", "✅", "✅", "✅"),
        ("Enforced 2FA for all members", "❌", "❌", "✅", "✅"),
        ("IP allow-listing", "❌", "❌", "❌", "✅"),
        ("Templates", "✅", "✅", "✅", "✅"),
        ("Custom templates", "❌", "✅", "✅", "✅"),
        ("Integrations (Slack, GitHub, Jira)", "✅", "✅", "✅", "✅"),
        ("Salesforce integration", "❌", "❌", "✅", "✅"),
        ("Automations per month", "100", "5,000", "50,000", "Unlimited"),
        ("AI writing assistant", "❌", "Add-on", "Add-on", "✅"),
        ("Price (per user / month, billed yearly)", "€0", "€8", "€15", "Contact us"),
    ]
    text = "## Plans and features\n\nAll plans include unlimited pages, the mobile apps and end-to-end TLS. Prices exclude VAT.\n\n"
    text += md_table(
        ["Feature", "Free", "Pro", "Team", "Enterprise"],
        [list(f) for f in feats],
        ["l", "c", "c", "c", "c"],
    )
    text += "\n\n✅ = included, ❌ = not available, — = no commitment. Add-ons can be purchased from the billing page and are prorated to the end of the current billing period.\n"
    legit("table_feature_matrix_checkmarks", k, text)

    rng = random.Random(1005)
    regions = [
        ("North America", 41.2),
        ("Europe", 33.5),
        ("Asia-Pacific", 18.9),
        ("Latin America", 6.1),
        ("Middle East & Africa", 3.4),
    ]
    text = "# FY2023 regional performance\n\nThe tables below show net revenue (USD millions), gross margin, active customers and net revenue retention (NRR) by quarter for each region. Figures are unaudited.\n\n"
    comments = [
        "Growth was steady through the year, with Q4 benefiting from two large public-sector renewals that had slipped from Q3.",
        "The euro's strength in H2 added roughly two points to reported growth; in constant currency the region grew in line with plan.",
        "Customer count grew fastest here, driven by the self-serve tier in Australia and Japan, though NRR remains below the company average.",
        "A smaller base and several mid-market wins in Brazil and Mexico made this the fastest-growing region by revenue percentage.",
        "The new Dubai office opened in Q2; most revenue is still from a handful of enterprise accounts, which explains the volatility.",
    ]
    for (name, base), comment in zip(regions, comments, strict=True):
        rows = []
        rev = base
        for qn in range(1, 5):
            rev *= rng.uniform(1.01, 1.09)
            rows.append(
                [
                    f"Q{qn}",
                    f"{rev:.1f}",
                    f"{rng.uniform(68, 79):.1f}%",
                    f"{int(base * rng.uniform(190, 260) * (1 + qn * 0.03)):,}",
                    f"{rng.uniform(102, 124):.0f}%",
                ]
            )
        text += f"## {name}\n\n{comment}\n\n"
        text += md_table(
            ["quarter", "net revenue", "gross margin", "active customers", "NRR"],
            rows,
            ["l", "r", "r", "r", "r"],
        )
        text += "\n\n"
    text += "Totals may not sum due to rounding. Regional assignment follows the billing address of the contracting entity.\n"
    legit("table_regional_report_sections", k, text)


SLUG_CASES = [
    ("Hello World", "simple"),
    ("  leading and trailing  ", "strips_whitespace"),
    ("Already-slugged", "keeps_hyphen"),
    ("Multiple   spaces   inside", "collapses_spaces"),
    ("Crème brûlée à la carte", "strips_accents"),
    ("C'est la vie!", "drops_punctuation"),
    ("100% Pure Orange Juice", "keeps_digits"),
    ("snake_case_name", "underscores"),
    ("Ünïcödé Tëxt", "unicode_letters"),
    ("Über München", "german_umlauts"),
    ("a--b---c", "collapses_hyphens"),
    ("-dash-at-ends-", "strips_dashes"),
    ("Tabs\tand\nnewlines", "control_whitespace"),
    ("CamelCaseWords", "camel_case"),
    ("Q&A: what's new?", "ampersand"),
    ("2024-05-21 release notes", "dates"),
    ("email@example.com", "email"),
    ("path/to/file.txt", "slashes"),
    ("   ", "only_spaces"),
    ("", "empty"),
    ("¡Hola, señor!", "spanish"),
    ("Rock 'n' Roll", "quotes"),
    ("The quick brown fox jumps over the lazy dog", "long_sentence"),
    ("v1.2.3", "version"),
    ("#hashtag @mention", "symbols"),
]


def slugify(s: str) -> str:

    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii").lower()
    out = []
    for ch in s:
        out.append(ch if ch.isalnum() else "-")
    slug = "".join(out)
    while "--" in slug:
        slug = slug.replace("--", "-")
    return slug.strip("-")


def legit_code() -> None:
    k = "code"
    fields = [
        ("model_name", "str", '"gpt2"'),
        ("tokenizer_name", "str | None", "None"),
        ("max_seq_len", "int", "1024"),
        ("batch_size", "int", "32"),
        ("micro_batch_size", "int", "8"),
        ("grad_accum_steps", "int", "4"),
        ("learning_rate", "float", "3e-4"),
        ("min_learning_rate", "float", "3e-5"),
        ("weight_decay", "float", "0.1"),
        ("beta1", "float", "0.9"),
        ("beta2", "float", "0.95"),
        ("eps", "float", "1e-8"),
        ("warmup_steps", "int", "2000"),
        ("max_steps", "int", "600_000"),
        ("lr_schedule", "str", '"cosine"'),
        ("grad_clip", "float", "1.0"),
        ("dropout", "float", "0.0"),
        ("attn_dropout", "float", "0.0"),
        ("n_layer", "int", "12"),
        ("n_head", "int", "12"),
        ("n_embd", "int", "768"),
        ("vocab_size", "int", "50304"),
        ("bias", "bool", "False"),
        ("dtype", "str", '"bfloat16"'),
        ("compile", "bool", "True"),
        ("seed", "int", "1337"),
        ("eval_interval", "int", "2000"),
        ("eval_iters", "int", "200"),
        ("log_interval", "int", "10"),
        ("checkpoint_dir", "str", '"checkpoints"'),
        ("resume_from", "str | None", "None"),
        ("save_every", "int", "5000"),
        ("keep_last", "int", "3"),
        ("wandb_project", "str | None", "None"),
        ("wandb_run_name", "str | None", "None"),
        ("data_dir", "str", '"data/openwebtext"'),
        ("num_workers", "int", "4"),
        ("pin_memory", "bool", "True"),
        ("device", "str", '"cuda"'),
        ("ddp_backend", "str", '"nccl"'),
    ]
    lines = [
        '"""Training configuration for the GPT-style language model."""',
        "",
        "from __future__ import annotations",
        "",
        "import json",
        "from pathlib import Path",
        "from typing import Any",
        "",
        "",
        "class TrainingConfig:",
        '    """All hyper-parameters and run settings in one place."""',
        "",
        "    def __init__(",
        "        self,",
    ]
    for n, t, dflt in fields:
        lines.append(f"        {n}: {t} = {dflt},")
    lines.append("    ) -> None:")
    for n, _, _ in fields:
        lines.append(f"        self.{n} = {n}")
    lines += [
        "        self._validate()",
        "",
        "    def _validate(self) -> None:",
        "        if self.batch_size % self.micro_batch_size:",
        '            raise ValueError("batch_size must be a multiple of micro_batch_size")',
        "        if self.n_embd % self.n_head:",
        '            raise ValueError("n_embd must be divisible by n_head")',
        "        if not 0.0 <= self.dropout < 1.0:",
        '            raise ValueError(f"dropout out of range: {self.dropout}")',
        '        if self.lr_schedule not in {"cosine", "linear", "constant"}:',
        '            raise ValueError(f"unknown lr_schedule: {self.lr_schedule!r}")',
        "",
        "    @property",
        "    def tokens_per_step(self) -> int:",
        "        return self.batch_size * self.max_seq_len",
        "",
        "    def to_dict(self) -> dict[str, Any]:",
        "        return {",
    ]
    for n, _, _ in fields:
        lines.append(f'            "{n}": self.{n},')
    lines += [
        "        }",
        "",
        "    @classmethod",
        "    def from_json(cls, path: str | Path) -> TrainingConfig:",
        '        with open(path, encoding="utf-8") as fh:',
        "            raw = json.load(fh)",
        "        unknown = set(raw) - set(cls().to_dict())",
        "        if unknown:",
        '            raise KeyError(f"unknown config keys: {sorted(unknown)}")',
        "        return cls(**raw)",
        "",
        "    def __repr__(self) -> str:",
        '        inner = ", ".join(f"{k}={v!r}" for k, v in self.to_dict().items())',
        '        return f"TrainingConfig({inner})"',
        "",
    ]
    legit("code_python_config_self_assignments", k, "\n".join(lines))

    lines = [
        '"""Tests for text.slugify."""',
        "",
        "import pytest",
        "",
        "from text import slugify",
        "",
        "",
    ]
    for src, case in SLUG_CASES[:20]:
        lines += [
            f"def test_slugify_{case}() -> None:",
            f"    assert slugify({src!r}) == {slugify(src)!r}",
            "",
            "",
        ]
    lines += ["@pytest.mark.parametrize(", '    ("text", "expected"),', "    ["]
    for src, _ in SLUG_CASES[20:]:
        lines.append(f"        ({src!r}, {slugify(src)!r}),")
    lines += [
        "    ],",
        ")",
        "def test_slugify_table(text: str, expected: str) -> None:",
        "    assert slugify(text) == expected",
        "",
        "",
        "def test_slugify_is_idempotent() -> None:",
        "    for src, _ in CASES:",
        "        once = slugify(src)",
        "        assert slugify(once) == once",
        "",
        "",
        "def test_slugify_rejects_bytes() -> None:",
        "    with pytest.raises(TypeError):",
        '        slugify(b"bytes")  # type: ignore[arg-type]',
        "",
        "",
        "def test_slugify_max_length() -> None:",
        '    slug = slugify("word " * 100, max_length=40)',
        "    assert len(slug) <= 40",
        '    assert not slug.endswith("-")',
        "",
        "",
        "CASES = [",
    ]
    for src, _ in SLUG_CASES:
        lines.append(f"    ({src!r}, {slugify(src)!r}),")
    lines.append("]")
    legit("code_pytest_similar_tests", k, "\n".join(lines))

    rng = random.Random(1008)
    cats = [
        "fasteners",
        "adhesives",
        "power-tools",
        "hand-tools",
        "electrical",
        "plumbing",
        "paint",
        "safety",
    ]
    nouns = [
        "hex bolt",
        "wood screw",
        "epoxy",
        "drill driver",
        "claw hammer",
        "cable tie",
        "PTFE tape",
        "masking tape",
        "safety glasses",
        "wall plug",
        "angle grinder",
        "spirit level",
        "utility knife",
        "wire stripper",
        "pipe wrench",
        "silicone sealant",
        "paint roller",
        "work gloves",
        "socket set",
        "tape measure",
        "stud finder",
        "circuit tester",
        "jigsaw",
        "chisel set",
        "ear defenders",
        "primer",
        "wood glue",
        "compression fitting",
        "junction box",
        "dust mask",
    ]
    sql = (
        T("""
        -- 0007_catalogue.sql
        -- Creates the catalogue schema and seeds the initial product range.
        BEGIN;

        CREATE TABLE IF NOT EXISTS categories (
            id          SERIAL PRIMARY KEY,
            slug        TEXT NOT NULL UNIQUE,
            name        TEXT NOT NULL,
            created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        CREATE TABLE IF NOT EXISTS products (
            id           SERIAL PRIMARY KEY,
            sku          TEXT NOT NULL UNIQUE,
            name         TEXT NOT NULL,
            category_id  INTEGER NOT NULL REFERENCES categories (id),
            price_cents  INTEGER NOT NULL CHECK (price_cents >= 0),
            stock        INTEGER NOT NULL DEFAULT 0,
            weight_g     INTEGER,
            active       BOOLEAN NOT NULL DEFAULT TRUE,
            created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
            updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
        );

        CREATE INDEX IF NOT EXISTS products_category_idx ON products (category_id);
        CREATE INDEX IF NOT EXISTS products_active_price_idx ON products (active, price_cents);

        ALTER TABLE products ADD COLUMN IF NOT EXISTS barcode TEXT;
        ALTER TABLE products ADD COLUMN IF NOT EXISTS discontinued_at TIMESTAMPTZ;
        ALTER TABLE products ADD CONSTRAINT products_barcode_len CHECK (barcode IS NULL OR length(barcode) IN (8, 12, 13));
    """)
        + "\n\n"
    )
    sql += (
        "INSERT INTO categories (slug, name) VALUES\n"
        + ",\n".join(f"    ('{c}', '{c.replace('-', ' ').title()}')" for c in cats)
        + ";\n\n"
    )
    sql += "INSERT INTO products (sku, name, category_id, price_cents, stock, weight_g, barcode) VALUES\n"
    vals = []
    for i in range(64):
        noun = rng.choice(nouns)
        variant = rng.choice(
            [
                "",
                " 250 ml",
                " M6",
                " 18 V",
                " 5 m",
                " large",
                " pro",
                " 2-pack",
                " 10 mm",
                " heavy duty",
            ]
        )
        ean = "".join(str(rng.randint(0, 9)) for _ in range(13))
        vals.append(
            f"    ('SKU-{10400 + i * 7}', '{(noun + variant).capitalize()}', {rng.randint(1, len(cats))}, {rng.randint(49, 24999)}, {rng.randint(0, 900)}, {rng.randint(5, 4200)}, '{ean}')"
        )
    sql += ",\n".join(vals) + ";\n\n"
    sql += "UPDATE products SET active = FALSE, discontinued_at = now() WHERE stock = 0 AND price_cents < 200;\n\nCOMMIT;\n"
    legit("code_sql_migration_inserts", k, sql)

    css = [":root {"]
    palette = {
        "gray": (220, 9),
        "blue": (217, 91),
        "green": (142, 71),
        "red": (0, 72),
        "amber": (38, 92),
    }
    for name, (h, s) in palette.items():
        for step, light in zip(
            [50, 100, 200, 300, 400, 500, 600, 700, 800, 900],
            [97, 94, 86, 77, 65, 53, 45, 37, 27, 18],
            strict=True,
        ):
            css.append(f"  --{name}-{step}: hsl({h} {s}% {light}%);")
    css += [
        "  --radius-sm: 4px;",
        "  --radius-md: 8px;",
        "  --radius-lg: 14px;",
        '  --font-sans: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;',
        "}",
        "",
    ]
    for variant, bg, fg in [
        ("primary", "blue-600", "gray-50"),
        ("secondary", "gray-200", "gray-900"),
        ("success", "green-600", "gray-50"),
        ("danger", "red-600", "gray-50"),
        ("warning", "amber-400", "gray-900"),
    ]:
        hover = bg.rsplit("-", 1)[0] + "-" + str(int(bg.rsplit("-", 1)[1]) + 100)
        css += [
            f".btn-{variant} {{",
            f"  background-color: var(--{bg});",
            f"  color: var(--{fg});",
            f"  border: 1px solid var(--{hover});",
            "}",
            "",
            f".btn-{variant}:hover {{",
            f"  background-color: var(--{hover});",
            "}",
            "",
        ]
    for prop, short in [
        ("margin-top", "mt"),
        ("margin-bottom", "mb"),
        ("padding", "p"),
        ("gap", "gap"),
    ]:
        for n in range(0, 13):
            css.append(f".{short}-{n} {{ {prop}: {n * 0.25:g}rem; }}")
        css.append("")
    for bp, w in [("sm", 640), ("md", 768), ("lg", 1024), ("xl", 1280)]:
        css += [
            f"@media (min-width: {w}px) {{",
            f"  .container {{ max-width: {w - 32}px; }}",
            f"  .{bp}\\:hidden {{ display: none; }}",
            f"  .{bp}\\:flex {{ display: flex; }}",
            "}",
            "",
        ]
    legit("code_css_utilities_and_palette", k, "\n".join(css))

    rng = random.Random(1010)
    books = [
        ("The Left Hand of Darkness", "Ursula K. Le Guin", 1969),
        ("Kindred", "Octavia E. Butler", 1979),
        ("Middlemarch", "George Eliot", 1871),
        ("The Remains of the Day", "Kazuo Ishiguro", 1989),
        ("Beloved", "Toni Morrison", 1987),
        ("One Hundred Years of Solitude", "Gabriel García Márquez", 1967),
        ("The Master and Margarita", "Mikhail Bulgakov", 1967),
        ("Things Fall Apart", "Chinua Achebe", 1958),
        ("The Name of the Rose", "Umberto Eco", 1980),
        ("Never Let Me Go", "Kazuo Ishiguro", 2005),
        ("Wolf Hall", "Hilary Mantel", 2009),
        ("The Road", "Cormac McCarthy", 2006),
        ("Rebecca", "Daphne du Maurier", 1938),
        ("A Wizard of Earthsea", "Ursula K. Le Guin", 1968),
        ("The Dispossessed", "Ursula K. Le Guin", 1974),
        ("Frankenstein", "Mary Shelley", 1818),
        ("Jane Eyre", "Charlotte Brontë", 1847),
        ("Persuasion", "Jane Austen", 1817),
        ("Emma", "Jane Austen", 1815),
        ("Moby-Dick", "Herman Melville", 1851),
        ("The Trial", "Franz Kafka", 1925),
        ("Invisible Cities", "Italo Calvino", 1972),
        ("If on a winter's night a traveler", "Italo Calvino", 1979),
        ("The Blind Assassin", "Margaret Atwood", 2000),
        ("The Handmaid's Tale", "Margaret Atwood", 1985),
        ("Atonement", "Ian McEwan", 2001),
        ("Gilead", "Marilynne Robinson", 2004),
        ("Housekeeping", "Marilynne Robinson", 1980),
        ("The Age of Innocence", "Edith Wharton", 1920),
        ("Mrs Dalloway", "Virginia Woolf", 1925),
        ("To the Lighthouse", "Virginia Woolf", 1927),
        ("Dune", "Frank Herbert", 1965),
        ("Solaris", "Stanisław Lem", 1961),
        ("Pedro Páramo", "Juan Rulfo", 1955),
        ("The Leopard", "Giuseppe Tomasi di Lampedusa", 1958),
        ("Austerlitz", "W. G. Sebald", 2001),
        ("The Sea, the Sea", "Iris Murdoch", 1978),
        ("Disgrace", "J. M. Coetzee", 1999),
        ("Midnight's Children", "Salman Rushdie", 1981),
        ("The God of Small Things", "Arundhati Roy", 1997),
        ("A Fine Balance", "Rohinton Mistry", 1995),
        ("Station Eleven", "Emily St. John Mandel", 2014),
        ("Piranesi", "Susanna Clarke", 2020),
        ("The Overstory", "Richard Powers", 2018),
        ("Klara and the Sun", "Kazuo Ishiguro", 2021),
        ("Lonesome Dove", "Larry McMurtry", 1985),
        ("Blood Meridian", "Cormac McCarthy", 1985),
        ("Cloud Atlas", "David Mitchell", 2004),
        ("The Unconsoled", "Kazuo Ishiguro", 1995),
        ("North and South", "Elizabeth Gaskell", 1855),
        ("Great Expectations", "Charles Dickens", 1861),
        ("Bleak House", "Charles Dickens", 1853),
        ("Anna Karenina", "Leo Tolstoy", 1878),
        ("Crime and Punishment", "Fyodor Dostoevsky", 1866),
        ("Fathers and Sons", "Ivan Turgenev", 1862),
        ("The Good Soldier", "Ford Madox Ford", 1915),
        ("The Quiet American", "Graham Greene", 1955),
        ("Brighton Rock", "Graham Greene", 1938),
        ("A Passage to India", "E. M. Forster", 1924),
        ("Howards End", "E. M. Forster", 1910),
        ("Their Eyes Were Watching God", "Zora Neale Hurston", 1937),
        ("Invisible Man", "Ralph Ellison", 1952),
        ("Giovanni's Room", "James Baldwin", 1956),
        ("The Bell Jar", "Sylvia Plath", 1963),
        ("Wide Sargasso Sea", "Jean Rhys", 1966),
        ("The Tin Drum", "Günter Grass", 1959),
        ("Buddenbrooks", "Thomas Mann", 1901),
        ("The Magic Mountain", "Thomas Mann", 1924),
        ("Stoner", "John Williams", 1965),
        ("The Color Purple", "Alice Walker", 1982),
        ("Possession", "A. S. Byatt", 1990),
    ]
    html = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '  <meta charset="utf-8">',
        '  <meta name="viewport" content="width=device-width, initial-scale=1">',
        "  <title>Staff picks — Riverside Books</title>",
        '  <link rel="stylesheet" href="/static/css/site.css">',
        "</head>",
        "<body>",
        '  <nav class="site-nav">',
        "    <ul>",
        '      <li><a href="/">Home</a></li>',
        '      <li><a href="/new">New releases</a></li>',
        '      <li><a href="/picks" aria-current="page">Staff picks</a></li>',
        '      <li><a href="/events">Events</a></li>',
        '      <li><a href="/about">About us</a></li>',
        "    </ul>",
        "  </nav>",
        '  <main class="container">',
        "    <h1>Staff picks</h1>",
        "    <p>Our booksellers' favourite novels, in no particular order. Prices include VAT.</p>",
        '    <ul class="book-list">',
    ]
    for title, author, year in books:
        slug = slugify(title)
        price = rng.choice([8.99, 9.99, 10.99, 12.99, 14.99, 16.99, 18.99])
        html += [
            f'      <li class="book" data-year="{year}">',
            f'        <a href="/books/{slug}">{title}</a>',
            f'        <span class="author">{author}</span>',
            f'        <span class="price">£{price:.2f}</span>',
            "      </li>",
        ]
    html += [
        "    </ul>",
        "  </main>",
        '  <footer class="site-footer">',
        "    <p>&copy; 2024 Riverside Books Ltd. 14 Mill Lane, Norwich.</p>",
        "  </footer>",
        "</body>",
        "</html>",
    ]
    legit("code_html_book_list", k, "\n".join(html))

    rng = random.Random(1011)
    svcs = [
        ("api-gateway", 8080, "ghcr.io/acme/api-gateway:2.14.1"),
        ("orders", 8081, "ghcr.io/acme/orders:1.9.0"),
        ("payments", 8082, "ghcr.io/acme/payments:3.2.4"),
        ("notifications", 8083, "ghcr.io/acme/notifications:0.18.2"),
    ]
    docs = []
    for name, port, image in svcs:
        reps = rng.choice([2, 3, 4])
        cpu = rng.choice(["100m", "250m", "500m"])
        mem = rng.choice(["128Mi", "256Mi", "512Mi"])
        docs.append(
            T(f"""
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: {name}
              namespace: shop
              labels:
                app.kubernetes.io/name: {name}
                app.kubernetes.io/part-of: shop
            spec:
              replicas: {reps}
              selector:
                matchLabels:
                  app.kubernetes.io/name: {name}
              template:
                metadata:
                  labels:
                    app.kubernetes.io/name: {name}
                spec:
                  containers:
                    - name: {name}
                      image: {image}
                      ports:
                        - containerPort: {port}
                      env:
                        - name: LOG_LEVEL
                          value: {rng.choice(["info", "info", "debug"])}
                        - name: OTEL_SERVICE_NAME
                          value: {name}
                      resources:
                        requests:
                          cpu: {cpu}
                          memory: {mem}
                        limits:
                          memory: {mem}
                      readinessProbe:
                        httpGet:
                          path: /healthz
                          port: {port}
                        periodSeconds: {rng.choice([5, 10])}
        """)
        )
        docs.append(
            T(f"""
            apiVersion: v1
            kind: Service
            metadata:
              name: {name}
              namespace: shop
            spec:
              selector:
                app.kubernetes.io/name: {name}
              ports:
                - port: 80
                  targetPort: {port}
        """)
        )
        docs.append(
            T(f"""
            apiVersion: autoscaling/v2
            kind: HorizontalPodAutoscaler
            metadata:
              name: {name}
              namespace: shop
            spec:
              scaleTargetRef:
                apiVersion: apps/v1
                kind: Deployment
                name: {name}
              minReplicas: {reps}
              maxReplicas: {reps * rng.choice([3, 4, 5])}
              metrics:
                - type: Resource
                  resource:
                    name: cpu
                    target:
                      type: Utilization
                      averageUtilization: {rng.choice([60, 70, 75])}
        """)
        )
    legit("code_yaml_k8s_manifests", k, "---\n".join(d + "\n" for d in docs))

    rng = random.Random(1012)
    deps = [
        ("serde", "1.0", '{ version = "1.0", features = ["derive"] }'),
        ("serde_json", "1.0", None),
        ("tokio", "1", '{ version = "1.38", features = ["full"] }'),
        ("axum", "0.7", None),
        ("tower", "0.4", None),
        ("tower-http", "0.5", '{ version = "0.5", features = ["trace", "cors"] }'),
        ("tracing", "0.1", None),
        ("tracing-subscriber", "0.3", '{ version = "0.3", features = ["env-filter", "json"] }'),
        (
            "sqlx",
            "0.7",
            '{ version = "0.7", features = ["runtime-tokio", "postgres", "uuid", "chrono"] }',
        ),
        ("uuid", "1", '{ version = "1.8", features = ["v4", "serde"] }'),
        (
            "chrono",
            "0.4",
            '{ version = "0.4", default-features = false, features = ["clock", "serde"] }',
        ),
        ("anyhow", "1.0", None),
        ("thiserror", "1.0", None),
        ("clap", "4", '{ version = "4.5", features = ["derive", "env"] }'),
        (
            "reqwest",
            "0.12",
            '{ version = "0.12", default-features = false, features = ["rustls-tls", "json"] }',
        ),
        ("once_cell", "1.19", None),
        ("regex", "1.10", None),
        ("dashmap", "5.5", None),
        ("metrics", "0.23", None),
        ("metrics-exporter-prometheus", "0.15", None),
    ]
    toml = [
        T("""
        [package]
        name = "inventory-service"
        version = "0.12.3"
        edition = "2021"
        rust-version = "1.76"
        description = "Stock levels and reservations for the shop backend"
        license = "MIT OR Apache-2.0"
        publish = false
    """),
        "",
        "[dependencies]",
    ]
    for n, v, spec in deps:
        toml.append(f"{n} = {spec}" if spec else f'{n} = "{v}"')
    toml += [
        "",
        "[dev-dependencies]",
        'pretty_assertions = "1.4"',
        'wiremock = "0.6"',
        'proptest = "1.4"',
        "",
        "[profile.release]",
        'lto = "thin"',
        "codegen-units = 1",
        "strip = true",
        "",
    ]
    for i in range(26):
        city = rng.choice(["fra", "ams", "lon", "par", "mad", "waw", "sto", "mil", "dub", "vie"])
        toml += [
            "[[package.metadata.warehouses]]",
            f'code = "{city}-{i + 1:02d}"',
            f"capacity_pallets = {rng.randint(200, 5000)}",
            f'cutoff = "{rng.randint(13, 18)}:{rng.choice(["00", "30"])}"',
            f"cold_storage = {str(rng.random() < 0.3).lower()}",
            "",
        ]
    legit("code_toml_cargo_warehouses", k, "\n".join(toml))

    ops = [
        ("ADD", "+"),
        ("SUB", "-"),
        ("MUL", "*"),
        ("DIV", "/"),
        ("MOD", "%"),
        ("BAND", "&"),
        ("BOR", "|"),
        ("BXOR", "^"),
        ("SHL", "<<"),
        ("SHR", ">>"),
        ("EQ", "=="),
        ("NE", "!="),
        ("LT", "<"),
        ("LE", "<="),
        ("GT", ">"),
        ("GE", ">="),
    ]
    c = [
        T("""
        /* vm.c — dispatch loop for the bytecode interpreter. */
        #include <stdint.h>
        #include <stdio.h>
        #include "vm.h"

        #define READ_BYTE() (*vm->ip++)
        #define READ_SHORT() (vm->ip += 2, (uint16_t)((vm->ip[-2] << 8) | vm->ip[-1]))
        #define READ_CONST() (vm->chunk->constants.values[READ_BYTE()])

        InterpretResult vm_run(VM *vm) {
            for (;;) {
                uint8_t instruction = READ_BYTE();
                switch (instruction) {
                case OP_CONSTANT: {
                    push(vm, READ_CONST());
                    break;
                }
                case OP_NIL:
                    push(vm, NIL_VAL);
                    break;
                case OP_TRUE:
                    push(vm, BOOL_VAL(true));
                    break;
                case OP_FALSE:
                    push(vm, BOOL_VAL(false));
                    break;
                case OP_POP:
                    pop(vm);
                    break;
    """)
    ]
    for name, sym in ops:
        guard = ""
        if name in ("DIV", "MOD"):
            guard = f'            if (AS_INT(b) == 0) {{\n                runtime_error(vm, "{"division" if name == "DIV" else "modulo"} by zero");\n                return INTERPRET_RUNTIME_ERROR;\n            }}\n'
        result = "BOOL_VAL" if name in ("EQ", "NE", "LT", "LE", "GT", "GE") else "INT_VAL"
        c.append(
            f"        case OP_{name}: {{\n            Value b = pop(vm);\n            Value a = pop(vm);\n            if (!IS_INT(a) || !IS_INT(b)) {{\n                runtime_error(vm, \"operands of '{sym}' must be integers\");\n                return INTERPRET_RUNTIME_ERROR;\n            }}\n{guard}            push(vm, {result}(AS_INT(a) {sym} AS_INT(b)));\n            break;\n        }}"
        )
    c.append(
        T("""
                case OP_NOT:
                    push(vm, BOOL_VAL(is_falsey(pop(vm))));
                    break;
                case OP_NEGATE:
                    if (!IS_INT(peek(vm, 0))) {
                        runtime_error(vm, "operand must be an integer");
                        return INTERPRET_RUNTIME_ERROR;
                    }
                    push(vm, INT_VAL(-AS_INT(pop(vm))));
                    break;
                case OP_GET_LOCAL: {
                    uint8_t slot = READ_BYTE();
                    push(vm, vm->frame->slots[slot]);
                    break;
                }
                case OP_SET_LOCAL: {
                    uint8_t slot = READ_BYTE();
                    vm->frame->slots[slot] = peek(vm, 0);
                    break;
                }
                case OP_JUMP: {
                    uint16_t offset = READ_SHORT();
                    vm->ip += offset;
                    break;
                }
                case OP_JUMP_IF_FALSE: {
                    uint16_t offset = READ_SHORT();
                    if (is_falsey(peek(vm, 0))) vm->ip += offset;
                    break;
                }
                case OP_LOOP: {
                    uint16_t offset = READ_SHORT();
                    vm->ip -= offset;
                    break;
                }
                case OP_PRINT:
                    print_value(pop(vm));
                    putchar('\\n');
                    break;
                case OP_RETURN:
                    return INTERPRET_OK;
                default:
                    runtime_error(vm, "unknown opcode %d", instruction);
                    return INTERPRET_RUNTIME_ERROR;
                }
            }
        }
    """)
    )
    legit("code_c_switch_interpreter", k, "\n".join(c))

    go = [
        T("""
        package store

        import (
            "context"
            "database/sql"
            "errors"
            "fmt"
            "time"
        )

        var ErrNotFound = errors.New("not found")

        type Store struct {
            db *sql.DB
        }
    """),
        "",
    ]
    entities = [
        ("User", "users", ["id", "email", "name", "created_at"]),
        ("Order", "orders", ["id", "user_id", "total_cents", "status", "created_at"]),
        ("Invoice", "invoices", ["id", "order_id", "number", "issued_at"]),
        ("Shipment", "shipments", ["id", "order_id", "carrier", "tracking_code", "shipped_at"]),
        ("Address", "addresses", ["id", "user_id", "line1", "city", "postcode", "country"]),
        ("Coupon", "coupons", ["id", "code", "percent_off", "expires_at"]),
    ]
    for ent, table, cols in entities:
        low = ent.lower()
        scan = ", ".join(
            f"&{low}.{''.join(p.title() for p in col.split('_')).replace('Id', 'ID')}"
            for col in cols
        )
        go.append(
            T(f"""
            func (s *Store) Get{ent}(ctx context.Context, id int64) (*{ent}, error) {{
                ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
                defer cancel()
                row := s.db.QueryRowContext(ctx, `SELECT {", ".join(cols)} FROM {table} WHERE id = $1`, id)
                var {low} {ent}
                if err := row.Scan({scan}); err != nil {{
                    if errors.Is(err, sql.ErrNoRows) {{
                        return nil, fmt.Errorf("get {low} %d: %w", id, ErrNotFound)
                    }}
                    return nil, fmt.Errorf("get {low} %d: %w", id, err)
                }}
                return &{low}, nil
            }}

            func (s *Store) Delete{ent}(ctx context.Context, id int64) error {{
                tx, err := s.db.BeginTx(ctx, nil)
                if err != nil {{
                    return fmt.Errorf("delete {low}: begin: %w", err)
                }}
                defer tx.Rollback()
                res, err := tx.ExecContext(ctx, `DELETE FROM {table} WHERE id = $1`, id)
                if err != nil {{
                    return fmt.Errorf("delete {low} %d: %w", id, err)
                }}
                n, err := res.RowsAffected()
                if err != nil {{
                    return fmt.Errorf("delete {low} %d: rows affected: %w", id, err)
                }}
                if n == 0 {{
                    return fmt.Errorf("delete {low} %d: %w", id, ErrNotFound)
                }}
                if err := tx.Commit(); err != nil {{
                    return fmt.Errorf("delete {low} %d: commit: %w", id, err)
                }}
                return nil
            }}
        """)
        )
        go.append("")
    legit("code_go_err_nil_checks", k, tabify("\n".join(go)))

    elements = (
        T("""
        1 H Hydrogen 1.008|2 He Helium 4.0026|3 Li Lithium 6.94|4 Be Beryllium 9.0122|5 B Boron 10.81|6 C Carbon 12.011
        7 N Nitrogen 14.007|8 O Oxygen 15.999|9 F Fluorine 18.998|10 Ne Neon 20.180|11 Na Sodium 22.990|12 Mg Magnesium 24.305
        13 Al Aluminium 26.982|14 Si Silicon 28.085|15 P Phosphorus 30.974|16 S Sulfur 32.06|17 Cl Chlorine 35.45|18 Ar Argon 39.948
        19 K Potassium 39.098|20 Ca Calcium 40.078|21 Sc Scandium 44.956|22 Ti Titanium 47.867|23 V Vanadium 50.942|24 Cr Chromium 51.996
        25 Mn Manganese 54.938|26 Fe Iron 55.845|27 Co Cobalt 58.933|28 Ni Nickel 58.693|29 Cu Copper 63.546|30 Zn Zinc 65.38
        31 Ga Gallium 69.723|32 Ge Germanium 72.630|33 As Arsenic 74.922|34 Se Selenium 78.971|35 Br Bromine 79.904|36 Kr Krypton 83.798
        37 Rb Rubidium 85.468|38 Sr Strontium 87.62|39 Y Yttrium 88.906|40 Zr Zirconium 91.224|41 Nb Niobium 92.906|42 Mo Molybdenum 95.95
        43 Tc Technetium 98|44 Ru Ruthenium 101.07|45 Rh Rhodium 102.91|46 Pd Palladium 106.42|47 Ag Silver 107.87|48 Cd Cadmium 112.41
        49 In Indium 114.82|50 Sn Tin 118.71|51 Sb Antimony 121.76|52 Te Tellurium 127.60|53 I Iodine 126.90|54 Xe Xenon 131.29
    """)
        .replace("\n", "|")
        .split("|")
    )
    period_of = [(2, 1), (10, 2), (18, 3), (36, 4), (54, 5)]
    py = [
        '"""Static element data for the first five periods."""',
        "",
        "ELEMENTS: dict[str, dict[str, object]] = {",
    ]
    for e in elements:
        z, sym, name, mass = e.split()
        period = next(p for lim, p in period_of if int(z) <= lim)
        py.append(
            f'    "{sym}": {{"z": {z}, "name": "{name}", "mass": {mass}, "period": {period}}},'
        )
    py += ["}", "", "HTTP_STATUS: dict[int, str] = {"]
    for code, phrase in [
        (100, "Continue"),
        (101, "Switching Protocols"),
        (200, "OK"),
        (201, "Created"),
        (202, "Accepted"),
        (204, "No Content"),
        (206, "Partial Content"),
        (301, "Moved Permanently"),
        (302, "Found"),
        (303, "See Other"),
        (304, "Not Modified"),
        (307, "Temporary Redirect"),
        (308, "Permanent Redirect"),
        (400, "Bad Request"),
        (401, "Unauthorized"),
        (403, "Forbidden"),
        (404, "Not Found"),
        (405, "Method Not Allowed"),
        (406, "Not Acceptable"),
        (408, "Request Timeout"),
        (409, "Conflict"),
        (410, "Gone"),
        (411, "Length Required"),
        (412, "Precondition Failed"),
        (413, "Content Too Large"),
        (415, "Unsupported Media Type"),
        (418, "I'm a teapot"),
        (422, "Unprocessable Content"),
        (425, "Too Early"),
        (428, "Precondition Required"),
        (429, "Too Many Requests"),
        (431, "Request Header Fields Too Large"),
        (451, "Unavailable For Legal Reasons"),
        (500, "Internal Server Error"),
        (501, "Not Implemented"),
        (502, "Bad Gateway"),
        (503, "Service Unavailable"),
        (504, "Gateway Timeout"),
        (505, "HTTP Version Not Supported"),
    ]:
        py.append(f'    {code}: "{phrase}",')
    py += [
        "}",
        "",
        "",
        "def molar_mass(formula: dict[str, int]) -> float:",
        '    """Molar mass in g/mol of a formula given as {symbol: count}."""',
        '    return sum(float(ELEMENTS[s]["mass"]) * n for s, n in formula.items())  # type: ignore[arg-type]',
        "",
    ]
    legit("code_python_dict_literals", k, "\n".join(py))

    table = []
    for n in range(256):
        cval = n
        for _ in range(8):
            cval = (cval >> 1) ^ 0xEDB88320 if cval & 1 else cval >> 1
        table.append(cval)
    c = [
        "/* crc32.c — table-driven CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320). */",
        "#include <stddef.h>",
        "#include <stdint.h>",
        "",
        "static const uint32_t crc_table[256] = {",
    ]
    for i in range(0, 256, 4):
        c.append(
            "    " + ", ".join(f"0x{v:08x}" for v in table[i : i + 4]) + ("," if i < 252 else "")
        )
    c += [
        "};",
        "",
        "uint32_t crc32_update(uint32_t crc, const uint8_t *buf, size_t len) {",
        "    crc = ~crc;",
        "    while (len--) {",
        "        crc = crc_table[(crc ^ *buf++) & 0xff] ^ (crc >> 8);",
        "    }",
        "    return ~crc;",
        "}",
        "",
    ]
    legit("code_c_crc32_hex_table", k, "\n".join(c))

    rng = random.Random(1016)
    payload = zlib.compress(("\n".join(f"{slugify(t)},{a},{y}" for t, a, y in books)).encode(), 9)
    header = (
        b"PKGF"
        + bytes([2, 0, 1, 0])
        + len(payload).to_bytes(4, "little")
        + zlib.crc32(payload).to_bytes(4, "little")
    )
    header += b"inventory.csv".ljust(32, b"\0") + bytes(rng.randrange(256) for _ in range(16))
    data = header + bytes(96) + payload
    out = [f"$ hexdump -C dist/catalogue.pkg | head -n {len(data) // 16 + 2}"]
    prev = None
    starred = False
    for off in range(0, len(data), 16):
        chunk = data[off : off + 16]
        if chunk == prev and len(chunk) == 16:
            if not starred:
                out.append("*")
                starred = True
            continue
        starred = False
        prev = chunk
        hx = (
            " ".join(f"{b:02x}" for b in chunk[:8]) + "  " + " ".join(f"{b:02x}" for b in chunk[8:])
        )
        asc = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        out.append(f"{off:08x}  {hx:<48}  |{asc}|")
    out.append(f"{len(data):08x}")
    legit("code_hexdump_binary_file", k, "\n".join(out))

    endpoints = [
        ("listProducts", "GET", "/products", "ProductPage", "ListProductsParams"),
        ("getProduct", "GET", "/products/{id}", "Product", None),
        ("createProduct", "POST", "/products", "Product", "CreateProductInput"),
        ("updateProduct", "PATCH", "/products/{id}", "Product", "UpdateProductInput"),
        ("deleteProduct", "DELETE", "/products/{id}", "void", None),
        ("listOrders", "GET", "/orders", "OrderPage", "ListOrdersParams"),
        ("getOrder", "GET", "/orders/{id}", "Order", None),
        ("cancelOrder", "POST", "/orders/{id}/cancel", "Order", "CancelOrderInput"),
        ("refundOrder", "POST", "/orders/{id}/refunds", "Refund", "RefundInput"),
        ("listCustomers", "GET", "/customers", "CustomerPage", "ListCustomersParams"),
        ("getCustomer", "GET", "/customers/{id}", "Customer", None),
        ("mergeCustomers", "POST", "/customers/merge", "Customer", "MergeCustomersInput"),
    ]
    ts = [
        T("""
        // Generated by hand from openapi.yaml (v2.3). Keep method order in sync with the spec.
        import type * as T from "./types";

        export class ShopClient {
          constructor(private readonly baseUrl: string, private readonly token: string) {}

          private async request<R>(method: string, path: string, body?: unknown, query?: Record<string, string | number | undefined>): Promise<R> {
            const url = new URL(path, this.baseUrl);
            for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
            const res = await fetch(url, {
              method,
              headers: { Authorization: `Bearer ${this.token}`, "Content-Type": "application/json" },
              body: body === undefined ? undefined : JSON.stringify(body),
            });
            if (!res.ok) throw new ApiError(res.status, await res.text());
            return (res.status === 204 ? undefined : await res.json()) as R;
          }
    """),
        "",
    ]
    for name, method, path, ret, arg in endpoints:
        has_id = "{id}" in path
        params = []
        if has_id:
            params.append("id: string")
        if arg:
            params.append(("params" if method == "GET" else "input") + f": T.{arg}")
        tpath = (
            "`" + path.replace("{id}", "${encodeURIComponent(id)}") + "`" if has_id else f'"{path}"'
        )
        if arg and method == "GET":
            call = f'this.request<{"void" if ret == "void" else "T." + ret}>("{method}", {tpath}, undefined, {{ ...params }})'
        elif arg:
            call = f'this.request<{"void" if ret == "void" else "T." + ret}>("{method}", {tpath}, input)'
        else:
            call = f'this.request<{"void" if ret == "void" else "T." + ret}>("{method}", {tpath})'
        ts += [
            f"  /** {method} {path} */",
            f"  {name}({', '.join(params)}): Promise<{'void' if ret == 'void' else 'T.' + ret}> {{",
            f"    return {call};",
            "  }",
            "",
        ]
    ts += [
        "}",
        "",
        "export class ApiError extends Error {",
        "  constructor(public readonly status: number, public readonly body: string) {",
        "    super(`API error ${status}: ${body.slice(0, 200)}`);",
        "  }",
        "}",
        "",
    ]
    legit("code_typescript_api_client", k, "\n".join(ts))


ECO = ["C92", "B90", "D55", "C14", "E97", "B19", "A29", "C54", "E15"]
OPENING = [
    "Ruy Lopez, Closed",
    "Sicilian, Najdorf, English Attack",
    "Queen's Gambit Declined",
    "French, Classical",
    "King's Indian, Classical",
    "Caro-Kann, Classical",
    "English, Four Knights",
    "Italian, Giuoco Pianissimo",
    "Queen's Indian",
]
PLAYERS = [
    "Kowalczyk, Marta",
    "Lindqvist, Erik",
    "Okafor, Chidi",
    "Brandt, Henrik",
    "Silva, Joana",
    "Tanaka, Ryo",
    "Dubois, Camille",
    "Novak, Petr",
    "Haddad, Yasmin",
    "Moreau, Julien",
    "Ivanova, Daria",
    "O'Connell, Sean",
    "Schmid, Lea",
    "Rossi, Matteo",
]


def pgn_game(
    rng: random.Random,
    book_idx: int,
    min_plies: int,
    max_plies: int,
    event: str,
    rnd: str,
    date: str,
) -> str:
    for _attempt in range(200):
        sans, _u, res, _p, _ps = play_game(rng, max_plies, BOOK[book_idx], resign_after=min_plies)
        if len(sans) >= min_plies:
            break
    w, b = rng.sample(PLAYERS, 2)
    tags = [
        ("Event", event),
        ("Site", "Leipzig GER"),
        ("Date", date),
        ("Round", rnd),
        ("White", w),
        ("Black", b),
        ("Result", res),
        ("WhiteElo", str(rng.randint(1850, 2350))),
        ("BlackElo", str(rng.randint(1850, 2350))),
        ("ECO", ECO[book_idx]),
        ("Opening", OPENING[book_idx]),
        ("PlyCount", str(len(sans))),
    ]
    return "\n".join(f'[{t} "{v}"]' for t, v in tags) + "\n\n" + movetext(sans) + " " + res + "\n"


def legit_chess() -> None:
    k = "chess"
    rng = random.Random(1101)
    legit(
        "chess_pgn_long_game",
        k,
        pgn_game(rng, 3, 130, 300, "Leipzig Open 2024", "7.12", "2024.08.17"),
    )

    rng = random.Random(1102)
    games = [
        pgn_game(rng, bi, 80, 220, "Bundesliga Reserve 2023/24", f"{r}.{bd}", d)
        for bi, r, bd, d in [
            (0, 5, 1, "2024.01.20"),
            (2, 5, 2, "2024.01.20"),
            (4, 6, 3, "2024.01.21"),
            (6, 6, 4, "2024.01.21"),
        ]
    ]
    legit("chess_pgn_database_four_games", k, "\n".join(games))

    rng = random.Random(1103)
    book = BOOK[1].split()
    pos = Pos()
    for s in book:
        legal = pos.legal()
        pos = pos.push(next(m for m in legal if pos.san(m, legal).rstrip("+#") == s))
    legal = pos.legal()
    scored = sorted(legal, key=lambda m: -move_score(pos, m, random.Random(7), 16))
    lines = [f"position fen {pos.fen()} 0 9", "go depth 24 multipv 3"]
    nodes = 0
    t = 0
    for depth in range(1, 25):
        for pv_i in range(1, 4):
            first = scored[
                (pv_i - 1 + (1 if depth in (5, 6, 11) and pv_i < 3 else 0)) % len(scored)
            ]
            p = pos.push(first)
            pv = [pos.uci(first)]
            lrng = random.Random(depth * 31 + pv_i)
            for _ in range(min(depth, 2 + depth // 2)):
                lg = p.legal()
                if not lg:
                    break
                m = max(lg, key=lambda x, p=p, lrng=lrng: move_score(p, x, lrng, 30))
                pv.append(p.uci(m))
                p = p.push(m)
            nodes += int(300 * 1.75 ** min(depth, 20) * rng.uniform(0.7, 1.3))
            t = max(t + 1, int(nodes / rng.uniform(1.35e6, 1.55e6) * 1000))
            nps = int(nodes / max(t, 1) * 1000)
            cp = int(38 - 9 * (pv_i - 1) + rng.randint(-14, 14) - (6 if depth < 8 else 0))
            lines.append(
                f"info depth {depth} seldepth {depth + rng.randint(0, depth // 2 + 2)} multipv {pv_i} score cp {cp} nodes {nodes} nps {nps} "
                f"hashfull {min(999, nodes // 40000)} tbhits 0 time {t} pv {' '.join(pv)}"
            )
    lines.append(f"bestmove {pos.uci(scored[0])} ponder {lines[-3].split(' pv ')[1].split()[1]}")
    legit("chess_uci_multipv_analysis", k, "\n".join(lines))

    rng = random.Random(1104)
    sans, _u, res, _p, positions = play_game(rng, 120, BOOK[7], resign_after=90)
    out = [
        "# Post-game review: Italian Game, Giuoco Pianissimo",
        "",
        "Notes from the club analysis session. Move numbers refer to the game score at the end.",
        "",
    ]
    for ply in (18, 27, 36, 49):
        if ply >= len(positions) - 1:
            continue
        p = positions[ply]
        side = "White" if p.w else "Black"
        out.append(
            f"## After {(ply - 1) // 2 + 1}{'...' if p.w else '.'} {sans[ply - 1]} — {side} to move"
        )
        out.append("")
        out.append(f"FEN: `{p.fen()} 0 {ply // 2 + 1}`")
        out.append("")
        legal = p.legal()
        cands = sorted(legal, key=lambda m, p=p: -move_score(p, m, random.Random(ply), ply))[:3]
        for li, m in enumerate(cands, 1):
            q = p.push(m)
            seq = [m]
            lr = random.Random(ply * 10 + li)
            for _ in range(5):
                lg = q.legal()
                if not lg:
                    break
                mm = max(lg, key=lambda x, q=q, lr=lr: move_score(q, x, lr, ply + 5))
                seq.append(mm)
                q = q.push(mm)
            sanseq = []
            r = p
            for mm in seq:
                sanseq.append(r.san(mm))
                r = r.push(mm)
            ev = rng.uniform(-1.2, 1.6) * (1 if p.w else -1)
            out.append(f"- Line {li} ({ev:+.2f}): " + movetext(sanseq, start_ply=ply, width=10**6))
        out.append("")
        out.append(
            rng.choice(
                [
                    "The first line is the engine's choice, but the second keeps more tension and is easier to play over the board.",
                    "In the game the player chose a different move; all three lines show that the position was more dynamic than it looked.",
                    "Here the evaluation swings depending on whether the queens come off, so the practical choice matters more than the number.",
                    "The third line looks risky but every move is forcing, which is what you want when the clock is low.",
                ]
            )
        )
        out.append("")
    out += ["## Game score", "", movetext(sans) + " " + res]
    legit("chess_annotated_review_lines", k, "\n".join(out))

    legit(
        "chess_reasoning_candidates",
        k,
        T("""
        <think>
        Position after 1. e4 e5 2. Nf3 Nc6 3. Bc4 Bc5 4. c3 Nf6 5. d4 exd4 6. cxd4 Bb4+. I'm White and I'm in check from the bishop on b4.

        Options to meet the check: 7. Bd2, 7. Nc3, 7. Kf1. Kf1 gives up castling, so it's out unless the others are bad.

        7. Bd2 is the quiet move: after 7...Bxd2+ 8. Nbxd2 d5 Black strikes the centre and my e4 pawn is under pressure, with roughly equal chances. It's solid and I know the structure.

        7. Nc3 is the Møller-style gambit idea: after 7...Nxe4 8. O-O Bxc3 9. d5 it gets very sharp. I don't remember the theory well enough, and one wrong move there loses outright.

        Let me revisit 7. Bd2 once more from Black's side. If Black doesn't trade and plays 7...Nxe4 instead, then 8. Bxb4 Nxb4 9. Bxf7+ Kxf7 10. Qb3+ d5 11. Ne5+ and I win back the material with a strong attack. So the quiet move also has a sting if Black gets greedy.

        Comparing: 7. Bd2 keeps things under control and punishes the greedy capture; 7. Nc3 is riskier for a small practical gain. I'll play Bd2.
        </think>

        I'll block the check with the bishop, which keeps my structure intact and sets a small trap if Black grabs the e4 pawn.

        MOVE: Bd2
    """),
    )


COUNTRIES = (
    T("""
    Afghanistan|Kabul|Asia;Albania|Tirana|Europe;Algeria|Algiers|Africa;Andorra|Andorra la Vella|Europe;Angola|Luanda|Africa
    Argentina|Buenos Aires|South America;Armenia|Yerevan|Asia;Australia|Canberra|Oceania;Austria|Vienna|Europe;Azerbaijan|Baku|Asia
    Bahamas|Nassau|North America;Bahrain|Manama|Asia;Bangladesh|Dhaka|Asia;Belarus|Minsk|Europe;Belgium|Brussels|Europe
    Belize|Belmopan|North America;Benin|Porto-Novo|Africa;Bhutan|Thimphu|Asia;Bolivia|Sucre|South America;Botswana|Gaborone|Africa
    Brazil|Brasília|South America;Bulgaria|Sofia|Europe;Burkina Faso|Ouagadougou|Africa;Cambodia|Phnom Penh|Asia;Cameroon|Yaoundé|Africa
    Canada|Ottawa|North America;Chile|Santiago|South America;China|Beijing|Asia;Colombia|Bogotá|South America;Costa Rica|San José|North America
    Croatia|Zagreb|Europe;Cuba|Havana|North America;Cyprus|Nicosia|Europe;Czechia|Prague|Europe;Denmark|Copenhagen|Europe
    Ecuador|Quito|South America;Egypt|Cairo|Africa;Estonia|Tallinn|Europe;Ethiopia|Addis Ababa|Africa;Fiji|Suva|Oceania
    Finland|Helsinki|Europe;France|Paris|Europe;Georgia|Tbilisi|Asia;Germany|Berlin|Europe;Ghana|Accra|Africa
    Greece|Athens|Europe;Guatemala|Guatemala City|North America;Hungary|Budapest|Europe;Iceland|Reykjavík|Europe;India|New Delhi|Asia
    Indonesia|Jakarta|Asia;Iran|Tehran|Asia;Iraq|Baghdad|Asia;Ireland|Dublin|Europe;Israel|Jerusalem|Asia
    Italy|Rome|Europe;Jamaica|Kingston|North America;Japan|Tokyo|Asia;Jordan|Amman|Asia;Kazakhstan|Astana|Asia
    Kenya|Nairobi|Africa;Kuwait|Kuwait City|Asia;Laos|Vientiane|Asia;Latvia|Riga|Europe;Lebanon|Beirut|Asia
    Lithuania|Vilnius|Europe;Luxembourg|Luxembourg|Europe;Madagascar|Antananarivo|Africa;Malaysia|Kuala Lumpur|Asia;Mali|Bamako|Africa
    Malta|Valletta|Europe;Mexico|Mexico City|North America;Moldova|Chișinău|Europe;Mongolia|Ulaanbaatar|Asia;Morocco|Rabat|Africa
    Mozambique|Maputo|Africa;Nepal|Kathmandu|Asia;Netherlands|Amsterdam|Europe;New Zealand|Wellington|Oceania;Nigeria|Abuja|Africa
    North Macedonia|Skopje|Europe;Norway|Oslo|Europe;Oman|Muscat|Asia;Pakistan|Islamabad|Asia;Panama|Panama City|North America
    Paraguay|Asunción|South America;Peru|Lima|South America;Philippines|Manila|Asia;Poland|Warsaw|Europe;Portugal|Lisbon|Europe
    Qatar|Doha|Asia;Romania|Bucharest|Europe;Rwanda|Kigali|Africa;Saudi Arabia|Riyadh|Asia;Senegal|Dakar|Africa
    Serbia|Belgrade|Europe;Singapore|Singapore|Asia;Slovakia|Bratislava|Europe;Slovenia|Ljubljana|Europe;South Africa|Pretoria|Africa
    South Korea|Seoul|Asia;Spain|Madrid|Europe;Sri Lanka|Sri Jayawardenepura Kotte|Asia;Sweden|Stockholm|Europe;Switzerland|Bern|Europe
    Tanzania|Dodoma|Africa;Thailand|Bangkok|Asia;Tunisia|Tunis|Africa;Turkey|Ankara|Asia;Uganda|Kampala|Africa
    Ukraine|Kyiv|Europe;United Kingdom|London|Europe;Uruguay|Montevideo|South America;Uzbekistan|Tashkent|Asia;Vietnam|Hanoi|Asia
""")
    .replace("\n", ";")
    .split(";")
)


def legit_lists() -> None:
    k = "list"
    rows = [c.strip().split("|") for c in COUNTRIES if c.strip()]
    out = [f"Here are {len(rows)} countries with their capitals, in alphabetical order:", ""]
    for i, (country, cap, cont) in enumerate(rows, 1):
        out.append(f"{i}. **{country}** — {cap} ({cont})")
    out += [
        "",
        "Notes: Bolivia's seat of government is La Paz, while Sucre is the constitutional capital. South Africa has three capitals (Pretoria, executive; Cape Town, legislative; Bloemfontein, judicial); only the executive one is listed. The status of Jerusalem is disputed internationally.",
    ]
    legit("list_numbered_countries_capitals", k, "\n".join(out))

    rng = random.Random(1202)
    fixes = [
        "a crash when the config file is empty",
        "wrong timezone in exported CSV files",
        "a memory leak in the websocket reconnect loop",
        "duplicate notifications after reconnecting",
        "incorrect rounding of invoice totals in EUR",
        "the sidebar collapsing on Safari 17",
        "retries ignoring the Retry-After header",
        "a race condition when two workers claim the same job",
        "broken pagination when filtering by tag",
        "high CPU usage while idle on Windows",
        "dark-mode colours in the date picker",
        "slow startup with more than 10k projects",
        "a deadlock when closing the database pool",
        "keyboard focus being lost after closing a modal",
        "missing translations in the Polish locale",
        "upload progress stuck at 99%",
        "the CLI exiting 0 on failed migrations",
        "stale cache after renaming a workspace",
        "incorrect ETag handling for gzip responses",
        "emoji breaking the search index",
        "logout not revoking refresh tokens",
    ]
    adds = [
        "bulk export to Parquet",
        "a `--dry-run` flag for `migrate`",
        "SAML single sign-on",
        "webhooks for invoice events",
        "an audit log view for admins",
        "keyboard shortcuts for the board view",
        "OpenTelemetry traces for background jobs",
        "a read-only API token scope",
        "support for PostgreSQL 16",
        "per-project rate limits",
        "Markdown tables in comments",
        "a health endpoint with dependency checks",
        "German and Japanese translations",
        "S3-compatible storage backends",
        "configurable retention for deleted items",
        "an ARM64 Docker image",
    ]
    changes = [
        "Upgraded the bundled SQLite to 3.45.1",
        "Reduced the Docker image size from 412 MB to 168 MB",
        "Dropped support for Node 16",
        "Renamed `max_conn` to `max_connections` (the old name still works and logs a warning)",
        "Moved the settings page under Account",
        "Default request timeout is now 30 s instead of 60 s",
        "The importer now streams files instead of loading them into memory",
        "Deprecated the v1 search endpoint; it will be removed in 3.0",
        "Replaced moment.js with date-fns",
        "Improved error messages for invalid cron expressions",
        "Switched password hashing to Argon2id for new accounts",
    ]
    rng.shuffle(fixes)
    rng.shuffle(adds)
    rng.shuffle(changes)
    out = [
        "# Changelog",
        "",
        "All notable changes to this project are documented here. The format follows Keep a Changelog and the project uses semantic versioning.",
        "",
    ]
    ver = [2, 14, 1]
    day = _dt.date(2024, 6, 3)
    issue = 2431
    while fixes or adds or changes:
        out.append(f"## [{ver[0]}.{ver[1]}.{ver[2]}] — {day.isoformat()}")
        out.append("")
        for title, pool, n in (
            ("Added", adds, rng.randint(0, 3)),
            ("Changed", changes, rng.randint(0, 2)),
            ("Fixed", fixes, rng.randint(1, 4)),
        ):
            take = [pool.pop() for _ in range(min(n, len(pool)))]
            if take:
                out.append(f"### {title}")
                out.append("")
                for t in take:
                    issue -= rng.randint(3, 40)
                    out.append(
                        f"- {'Fixed ' + t if title == 'Fixed' else ('Added ' + t if title == 'Added' else t)} (#{issue})"
                    )
                out.append("")
        if ver[2] > 0:
            ver[2] -= 1
        else:
            ver[1] -= 1
            ver[2] = rng.randint(0, 3)
        day -= _dt.timedelta(days=rng.randint(6, 30))
    legit("list_bulleted_changelog", k, "\n".join(out))

    legit(
        "list_step_by_step_install",
        k,
        T("""
        # Installing the self-hosted build server on Ubuntu 24.04

        These steps assume a fresh VM with at least 4 vCPUs, 8 GB RAM and 100 GB of disk, and a user with sudo rights.

        1. Update the package index and upgrade installed packages:
           `sudo apt update && sudo apt upgrade -y`
        2. Install the prerequisites:
           `sudo apt install -y ca-certificates curl gnupg git unzip`
        3. Create a dedicated system user that will own the service:
           `sudo useradd --system --create-home --shell /usr/sbin/nologin buildsrv`
        4. Add Docker's official GPG key:
           `sudo install -m 0755 -d /etc/apt/keyrings && curl -fsSL https://download.docker.com/linux/ubuntu/gpg | sudo gpg --dearmor -o /etc/apt/keyrings/docker.gpg`
        5. Add the Docker repository for your release (`noble`) to `/etc/apt/sources.list.d/docker.list`.
        6. Install Docker Engine and the compose plugin:
           `sudo apt update && sudo apt install -y docker-ce docker-ce-cli containerd.io docker-compose-plugin`
        7. Allow the service user to talk to Docker:
           `sudo usermod -aG docker buildsrv`
        8. Download the latest release archive from the releases page and verify its checksum against `SHA256SUMS`.
        9. Unpack it into `/opt/buildsrv` and make the service user the owner:
           `sudo tar -xzf buildsrv-3.8.2-linux-amd64.tar.gz -C /opt && sudo chown -R buildsrv: /opt/buildsrv`
        10. Copy the example configuration:
            `sudo cp /opt/buildsrv/config.example.toml /etc/buildsrv/config.toml`
        11. Edit `/etc/buildsrv/config.toml` and set `public_url`, `data_dir` and the database URL.
        12. Generate a secret key and paste it into the `secret_key` field:
            `openssl rand -hex 32`
        13. Create the PostgreSQL database and role (see the database guide if Postgres is not installed yet).
        14. Run the database migrations as the service user:
            `sudo -u buildsrv /opt/buildsrv/bin/buildsrv migrate --config /etc/buildsrv/config.toml`
        15. Install the systemd unit shipped in the archive:
            `sudo cp /opt/buildsrv/contrib/buildsrv.service /etc/systemd/system/`
        16. Reload systemd and enable the service so it starts on boot:
            `sudo systemctl daemon-reload && sudo systemctl enable --now buildsrv`
        17. Check that it is running: `systemctl status buildsrv` should show `active (running)`.
        18. Open port 443 in the firewall: `sudo ufw allow 443/tcp`.
        19. Put a reverse proxy in front of it (the archive includes example Caddy and nginx configs in `contrib/`).
        20. Visit `https://<your-host>/setup` and create the first administrator account.
        21. Under **Settings → Runners**, create a registration token.
        22. On each build machine, install the runner package and register it with the token from the previous step.
        23. Trigger the sample pipeline from **Projects → hello-world** and confirm it finishes green.
        24. Configure backups of `/var/lib/buildsrv` and the database; the backup guide has a ready-made cron job.
        25. Subscribe to the security announcements mailing list so you hear about updates.

        If any step fails, run `journalctl -u buildsrv -n 200` and include the output when you ask for help.
    """),
    )

    chapters = [
        (
            "Foundations",
            [
                "What makes a system distributed",
                "Failure models",
                "Time, clocks and ordering",
                "Network partitions in practice",
            ],
        ),
        (
            "Replication",
            [
                "Leader-based replication",
                "Multi-leader replication",
                "Leaderless replication and quorums",
                "Replication lag and its anomalies",
                "Conflict resolution",
            ],
        ),
        (
            "Partitioning",
            [
                "Partitioning by key range",
                "Partitioning by hash",
                "Secondary indexes",
                "Rebalancing",
                "Request routing",
            ],
        ),
        (
            "Transactions",
            [
                "ACID revisited",
                "Weak isolation levels",
                "Serializability",
                "Distributed transactions and two-phase commit",
            ],
        ),
        (
            "Consensus",
            [
                "The consensus problem",
                "Paxos",
                "Raft",
                "Membership changes",
                "Consensus in production",
            ],
        ),
        (
            "Stream processing",
            [
                "Logs as a foundation",
                "Event time and watermarks",
                "Exactly-once semantics",
                "Stateful operators",
            ],
        ),
        (
            "Storage engines",
            [
                "Log-structured merge trees",
                "B-trees",
                "Compaction strategies",
                "Write amplification",
            ],
        ),
        (
            "Observability",
            [
                "Metrics that matter",
                "Tracing across services",
                "Structured logging",
                "Alerting without fatigue",
            ],
        ),
        (
            "Operating at scale",
            [
                "Capacity planning",
                "Load shedding and backpressure",
                "Deployments and rollbacks",
                "Incident response",
                "Postmortems",
            ],
        ),
        (
            "Case studies",
            [
                "A payments ledger",
                "A global chat service",
                "A metrics pipeline",
                "A multi-region key-value store",
            ],
        ),
    ]
    out = ["DESIGNING RELIABLE DISTRIBUTED SYSTEMS", "", "Contents", ""]
    page = 1
    rng = random.Random(1204)

    def leader(left: str, pg: int, width: int = 72) -> str:
        dots = width - len(left) - len(str(pg)) - 2
        return f"{left} {'.' * dots} {pg}"

    out.append(f"Preface {'.' * (72 - len('Preface') - len('ix') - 2)} ix")
    for ci, (title, secs) in enumerate(chapters, 1):
        out.append("")
        out.append(leader(f"{ci}  {title}", page))
        for si, s in enumerate(secs, 1):
            out.append(leader(f"    {ci}.{si}  {s}", page + 1))
            page += rng.randint(4, 14)
        out.append(leader(f"    {ci}.{len(secs) + 1}  Summary and further reading", page))
        page += rng.randint(3, 6)
    out += ["", leader("Bibliography", page), leader("Index", page + rng.randint(18, 30))]
    legit("list_toc_with_dot_leaders", k, "\n".join(out))

    common = [
        "Fresh install from the release build",
        "Upgrade from the previous release keeps user data",
        "Sign up with email and verify the link",
        "Log in with Google",
        "Reset password end to end",
        "Create, rename and delete a project",
        "Invite a member and accept the invite",
        "Upload a 200 MB file and cancel halfway",
        "Search finds items created in the last minute",
        "Switch language to German and back",
    ]
    specific = {
        "iOS": [
            "Face ID unlock after 5 minutes in background",
            "Share sheet extension uploads a photo",
            "Push notification opens the right screen",
            "Dynamic Type at the largest size does not clip buttons",
            "Offline mode: edits sync after airplane mode is turned off",
        ],
        "Android": [
            "Back gesture on every top-level screen",
            "App survives 'Don't keep activities' developer option",
            "Notification channels are listed in system settings",
            "Split-screen on a tablet",
            "Runs on Android 10 (minSdk) emulator",
        ],
        "Web": [
            "Works in Safari 17, Firefox ESR and Chrome stable",
            "Keyboard-only navigation through the main flow",
            "Screen reader announces toasts",
            "Page loads under 2.5 s LCP on throttled 4G",
            "Content-Security-Policy has no violations in the console",
        ],
        "Desktop": [
            "Auto-update from the previous version on macOS and Windows",
            "Deep links open the app when it is closed",
            "Tray icon menu on Windows 11",
            "Code signing verified on both platforms",
            "Window position is restored after restart",
        ],
    }
    out = [
        "# Release 5.2 — QA sign-off checklist",
        "",
        "Tick each item on the device listed in the test matrix. Attach a screenshot or a link to the recording for anything marked as failed.",
        "",
    ]
    for plat, spec in specific.items():
        items = common[:]
        rng.shuffle(items)
        items = items[:7] + spec
        rng.shuffle(items)
        out.append(f"## {plat}")
        out.append("")
        out += [f"- [{'x' if rng.random() < 0.6 else ' '}] {it}" for it in items]
        out.append("")
    out += ["## Sign-off", "", "- [ ] QA lead", "- [ ] Product owner", "- [ ] Release manager"]
    legit("list_qa_checklist_by_platform", k, "\n".join(out))


def legit_songs() -> None:
    k = "song"
    chorus = T("""
        So leave the harbour lights on, love,
        leave the harbour lights on,
        I'll steer by the glow when the fog rolls low
        and be home before the dawn.
    """)
    verses = [
        T("""
            The nets came up with nothing but the weed,
            the engine coughed the whole way past the point,
            the radio was crackling out the weather
            and the skipper said the season's out of joint.
        """),
        T("""
            There's a photo of you taped above the compass,
            gone soft and curling in the salt and spray,
            you're laughing at some joke I can't remember
            on the pier at Kilronan, back in May.
        """),
        T("""
            They're talking of a bigger boat in Galway,
            of quotas and of licences and loans,
            but all I want's a kettle on the cooker
            and your voice across the kitchen, not the phones.
        """),
        T("""
            And if some night the sea decides to keep me,
            don't stand there at the window in the rain;
            just leave them burning one more hour, darling,
            and then go up to bed, and start again.
        """),
    ]
    bridge = T("""
        The gulls don't know the difference
        between the going and the coming back,
        but I do, I do.
    """)
    parts = ["Harbour Lights", "(words and music: original)", ""]
    for i, v in enumerate(verses):
        parts += [f"[Verse {i + 1}]", v, "", "[Chorus]", chorus, ""]
        if i == 2:
            parts += ["[Bridge]", bridge, ""]
    parts += ["[Outro]", "leave the harbour lights on..."]
    legit("song_chorus_between_verses", k, "\n".join(parts))

    legit(
        "poem_villanelle_two_refrains",
        k,
        T("""
        Here is a villanelle, as requested. The form has nineteen lines: five tercets and a closing quatrain, with only two rhyme sounds. The first and third lines of the opening stanza are refrains that alternate as the last line of each following tercet and come together as the final couplet.

        **The Hallway Lamp**

        I leave the hallway lamp on every night
        though no one comes who used to use the door,
        in case you find the road back by its light.

        The neighbours think the habit isn't right;
        they say the bill alone should make me sore.
        I leave the hallway lamp on every night.

        The moths arrive in August, pale and white,
        and beat against the glass and ask for more,
        in case you find the road back by its light.

        I've changed the bulb for one that burns less bright,
        I've swept the salt and sand across the floor.
        I leave the hallway lamp on every night.

        The winters here are long, the days are slight,
        and still I set two cups out, as before,
        in case you find the road back by its light.

        It costs so little, keeping hope in sight:
        a switch, a wire, a window facing shore.
        I leave the hallway lamp on every night
        in case you find the road back by its light.

        The repetition is the point of the form: each time a refrain returns, the stanza before it has shifted its meaning a little, from habit, to stubbornness, to something closer to grief.
    """),
    )

    nums = ["ten", "nine", "eight", "seven", "six", "five", "four", "three", "two", "one", "no"]
    out = ["Ten Green Bottles (traditional)", ""]
    for i in range(10):
        n, m = nums[i], nums[i + 1]
        cap = n.capitalize()
        bottles = "bottle" if n == "one" else "bottles"
        nb = "bottle" if m == "one" else "bottles"
        out += [
            f"{cap} green {bottles} hanging on the wall,",
            f"{cap} green {bottles} hanging on the wall,",
            "And if one green bottle should accidentally fall,",
            f"There'll be {m} green {nb} hanging on the wall.",
            "",
        ]
    legit("rhyme_ten_green_bottles", k, "\n".join(out))

    gifts = [
        "A partridge in a pear tree.",
        "Two turtle doves,",
        "Three French hens,",
        "Four calling birds,",
        "Five gold rings,",
        "Six geese a-laying,",
        "Seven swans a-swimming,",
        "Eight maids a-milking,",
        "Nine ladies dancing,",
        "Ten lords a-leaping,",
        "Eleven pipers piping,",
        "Twelve drummers drumming,",
    ]
    ords = [
        "first",
        "second",
        "third",
        "fourth",
        "fifth",
        "sixth",
        "seventh",
        "eighth",
        "ninth",
        "tenth",
        "eleventh",
        "twelfth",
    ]
    out = ["The Twelve Days of Christmas (traditional English carol)", ""]
    for d in range(12):
        out.append(f"On the {ords[d]} day of Christmas my true love sent to me")
        for g in range(d, -1, -1):
            line = gifts[g]
            if g == 0 and d > 0:
                line = "And a partridge in a pear tree."
            out.append(line)
        out.append("")
    legit("song_twelve_days_cumulative", k, "\n".join(out))

    chorus = "Way hay and up she rises,\nWay hay and up she rises,\nWay hay and up she rises,\nEarly in the morning!"
    vs = [
        "What will we do with a drunken sailor",
        "Put him in the longboat till he's sober",
        "Pull out the plug and wet him all over",
        "Put him in the scuppers with a hose-pipe on him",
        "Shave his belly with a rusty razor",
        "Put him in bed with the captain's daughter",
        "That's what we do with a drunken sailor",
    ]
    out = [
        "Drunken Sailor (traditional sea shanty, capstan/windlass)",
        "",
        "Leader sings the verse lines; everyone joins the chorus.",
        "",
    ]
    for v in vs:
        out += [
            f"{v},",
            f"{v},",
            f"{v},",
            "Early in the morning?" if v.startswith("What") else "Early in the morning.",
            "",
            chorus,
            "",
        ]
    legit("song_shanty_drunken_sailor", k, "\n".join(out))

    words = ["Five", "Four", "Three", "Two", "One"]
    out = [
        "## Counting rhymes for the under-fives",
        "",
        "Two traditional rhymes that practise counting backwards and forwards. Hold up the matching number of fingers on each verse.",
        "",
        "### Five Little Monkeys",
        "",
    ]
    for i, w in enumerate(words):
        monkeys = "monkey" if w == "One" else "monkeys"
        out += [
            f"{w} little {monkeys} jumping on the bed,",
            ("He" if w == "One" else "One") + " fell off and bumped his head,",
            "Mama called the doctor and the doctor said,",
            '"Put those monkeys straight to bed!"'
            if w == "One"
            else '"No more monkeys jumping on the bed!"',
            "",
        ]
        if i == 1:
            out += ['*(Tap your head on "bumped his head", mime a phone for the doctor.)*', ""]
    out += [
        "### One, Two, Buckle My Shoe",
        "",
        "One, two, buckle my shoe;",
        "Three, four, knock at the door;",
        "Five, six, pick up sticks;",
        "Seven, eight, lay them straight;",
        "Nine, ten, a big fat hen;",
        "Eleven, twelve, dig and delve;",
        "Thirteen, fourteen, maids a-courting;",
        "Fifteen, sixteen, maids in the kitchen;",
        "Seventeen, eighteen, maids in waiting;",
        "Nineteen, twenty, my plate's empty.",
    ]
    legit("rhyme_counting_monkeys_and_shoe", k, "\n".join(out))


FIRST = [
    "Anna",
    "Ben",
    "Chloé",
    "Dmitri",
    "Elif",
    "Farah",
    "Gustav",
    "Hana",
    "Ivan",
    "Jonas",
    "Kaito",
    "Lena",
    "Mateo",
    "Nadia",
    "Oskar",
    "Priya",
    "Quentin",
    "Rosa",
    "Sven",
    "Tomasz",
    "Uma",
    "Viktor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
]
LAST = [
    "Andersen",
    "Bauer",
    "Costa",
    "Dimitrov",
    "Eriksen",
    "Fischer",
    "García",
    "Hoffmann",
    "Ito",
    "Jansen",
    "Kowalski",
    "López",
    "Müller",
    "Nakamura",
    "Okonkwo",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schulz",
    "Tanaka",
    "Usman",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhang",
]


def legit_json() -> None:
    k = "data"
    rng = random.Random(1301)
    users = []
    used = set()
    for i in range(120):
        while True:
            f, last = rng.choice(FIRST), rng.choice(LAST)
            if (f, last) not in used:
                used.add((f, last))
                break
        plan = rng.choice(["free", "free", "pro", "pro", "team", "enterprise"])
        users.append(
            {
                "id": 40211 + i * rng.randint(1, 9),
                "name": f"{f} {last}",
                "email": f"{slugify(f)}.{slugify(last)}@example.{rng.choice(['com', 'org', 'de', 'io'])}",
                "country": rng.choice(
                    ["DE", "FR", "PL", "ES", "IT", "NL", "SE", "JP", "US", "BR", "IN", "TR"]
                ),
                "plan": plan,
                "seats": 1 if plan in ("free", "pro") else rng.randint(3, 240),
                "mrr_eur": 0
                if plan == "free"
                else round(rng.uniform(8, 9000 if plan == "enterprise" else 600), 2),
                "signup_date": f"202{rng.randint(1, 4)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                "active": rng.random() > 0.12,
            }
        )
    legit("json_array_120_user_objects", k, json.dumps(users, indent=2, ensure_ascii=False))

    rng = random.Random(1302)
    vals = []
    x = 21.4
    for i in range(300):
        x += 0.3 * (21.0 + 3.5 * math.sin(2 * math.pi * i / 144) - x) + rng.gauss(0, 0.18)
        vals.append(round(x, 3))
    doc = {
        "sensor_id": "th-0417",
        "location": "greenhouse-2/bench-B",
        "quantity": "air_temperature",
        "unit": "degC",
        "start": "2024-04-02T00:00:00Z",
        "interval_s": 600,
        "values": vals,
    }
    txt = json.dumps(doc, indent=2)
    legit("json_300_float_readings", k, txt)

    rng = random.Random(1303)
    lon, lat = 13.3777, 52.5163
    coords = []
    heading = 0.7
    for _ in range(260):
        heading += rng.gauss(0, 0.25)
        lon += 0.0009 * math.cos(heading)
        lat += 0.0006 * math.sin(heading)
        coords.append([round(lon, 6), round(lat, 6)])
    stops = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": coords[i]},
            "properties": {"name": n, "stop_index": j, "dwell_s": rng.randint(20, 180)},
        }
        for j, (i, n) in enumerate(
            [
                (0, "Brandenburger Tor"),
                (64, "Tiergarten Nord"),
                (131, "Lützowplatz"),
                (199, "Nollendorfplatz"),
                (259, "Kleistpark"),
            ]
        )
    ]
    poly = [
        [
            round(13.36 + 0.02 * math.cos(a / 10 * 2 * math.pi) + rng.uniform(-0.002, 0.002), 6),
            round(52.51 + 0.012 * math.sin(a / 10 * 2 * math.pi) + rng.uniform(-0.001, 0.001), 6),
        ]
        for a in range(10)
    ]
    poly.append(poly[0])
    fc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": coords},
                "properties": {"route": "M29-test", "recorded": "2024-05-02", "device": "gps-17"},
            },
            *stops,
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [poly]},
                "properties": {"zone": "low-emission-pilot"},
            },
        ],
    }
    txt = json.dumps(fc, indent=1)
    # keep coordinate pairs on one line each, as most GeoJSON tools do
    txt = txt.replace("[\n     ", "[").replace(",\n     ", ", ")
    txt = re.sub(r"\[\s+(-?\d+\.\d+),\s+(-?\d+\.\d+)\s+\]", r"[\1, \2]", txt)
    legit("geojson_route_coordinates", k, txt)

    rng = random.Random(1304)
    msgs: list[dict[str, object]] = [
        {
            "role": "system",
            "content": "You are a support agent for an online bookshop. Use the tools to look things up; never guess order data.",
        },
        {
            "role": "user",
            "content": "Hi, I ordered three books last week (orders 1182, 1185 and 1190) and only one arrived. Can you check the other two?",
        },
    ]
    calls = [
        ("get_order", {"order_id": "1182"}),
        ("get_order", {"order_id": "1185"}),
        ("get_order", {"order_id": "1190"}),
        ("get_shipment", {"tracking_code": "JD014600006281230197"}),
        ("get_shipment", {"tracking_code": "JD014600006281231844"}),
        ("search_inventory", {"isbn": "9780553283686"}),
        ("create_ticket", {"order_id": "1190", "reason": "backorder", "priority": "normal"}),
    ]
    results = [
        {"order_id": "1182", "status": "delivered", "delivered_at": "2024-05-14T11:02:00Z"},
        {
            "order_id": "1185",
            "status": "shipped",
            "carrier": "DHL",
            "tracking_code": "JD014600006281230197",
        },
        {
            "order_id": "1190",
            "status": "processing",
            "items": [{"isbn": "9780553283686", "qty": 1}],
        },
        {
            "tracking_code": "JD014600006281230197",
            "last_event": "in delivery vehicle",
            "eta": "2024-05-17",
        },
        {"error": "tracking code not found"},
        {"isbn": "9780553283686", "title": "Hyperion", "in_stock": 0, "restock_eta": "2024-05-24"},
        {"ticket_id": "T-88213", "status": "open"},
    ]
    for i, ((name, args), res) in enumerate(zip(calls, results, strict=True)):
        cid = f"call_{rng.getrandbits(48):012x}"
        msgs.append(
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": cid,
                        "type": "function",
                        "function": {"name": name, "arguments": json.dumps(args)},
                    }
                ],
            }
        )
        msgs.append({"role": "tool", "tool_call_id": cid, "content": json.dumps(res)})
        if i == 4:
            msgs.append(
                {
                    "role": "assistant",
                    "content": "The second tracking code I tried doesn't exist; it was a typo on my side. Order 1185 uses the first code, so no second shipment to check.",
                }
            )
    msgs.append(
        {
            "role": "assistant",
            "content": "Order 1182 was delivered on 14 May. Order 1185 is out for delivery with DHL and should arrive on 17 May. Order 1190 is waiting for a restock of *Hyperion*, expected on 24 May; I've opened ticket T-88213 so you'll get an email when it ships.",
        }
    )
    legit(
        "json_agent_transcript_distinct_tool_calls",
        k,
        json.dumps(msgs, indent=2, ensure_ascii=False),
    )


def legit_logs() -> None:
    k = "log"

    rng = random.Random(1401)
    t = _dt.datetime(2024, 5, 21, 14, 2, 1)
    next_probe = t
    paths = [
        ("GET", "/", 200, 5120),
        ("GET", "/api/v1/products?page=2", 200, 18342),
        ("GET", "/api/v1/products/8812", 200, 2211),
        ("POST", "/api/v1/cart/items", 201, 412),
        ("GET", "/static/js/app.4f9c2e.js", 200, 184221),
        ("GET", "/static/css/site.91ab0d.css", 200, 40211),
        ("GET", "/api/v1/search?q=garden+hose", 200, 9932),
        ("GET", "/api/v1/search?q=drill", 200, 12004),
        ("POST", "/api/v1/login", 200, 623),
        ("POST", "/api/v1/login", 401, 88),
        ("GET", "/favicon.ico", 304, 0),
        ("GET", "/api/v1/orders/1182", 200, 1440),
        ("GET", "/wp-login.php", 404, 153),
        ("GET", "/api/v1/products/99999", 404, 61),
        ("POST", "/api/v1/checkout", 502, 157),
        ("GET", "/api/v1/recommendations?sku=SKU-10477", 200, 3310),
        ("PUT", "/api/v1/cart/items/3", 200, 398),
    ]
    uas = [
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15",
        "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "okhttp/4.12.0",
        "python-requests/2.31.0",
    ]
    lines = []
    while len(lines) < 170:
        if t >= next_probe:
            ts = next_probe
            lines.append(
                f'10.42.0.1 - - [{ts.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "GET /healthz HTTP/1.1" 200 2 "-" "kube-probe/1.29" rt=0.00{rng.randint(1, 3)}'
            )
            next_probe += _dt.timedelta(seconds=10)
            continue
        m, p, st, size = rng.choice(paths)
        ip = f"{rng.choice([81, 93, 185, 212, 46, 178])}.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"
        ref = rng.choice(
            [
                '"-"',
                '"https://shop.example.com/"',
                '"https://www.google.com/"',
                '"https://shop.example.com/cart"',
            ]
        )
        rt = rng.uniform(0.002, 0.35) if st != 502 else rng.uniform(5, 30)
        lines.append(
            f'{ip} - - [{t.strftime("%d/%b/%Y:%H:%M:%S")} +0000] "{m} {p} HTTP/{rng.choice(["1.1", "2.0"])}" {st} {size + (rng.randint(-40, 40) if size > 500 else 0)} {ref} "{rng.choice(uas)}" rt={rt:.3f}'
        )
        t += _dt.timedelta(seconds=rng.choice([0, 0, 1, 1, 2, 3, 5]))
    legit("log_nginx_access_with_probes", k, "\n".join(lines))

    rng = random.Random(1402)
    t = _dt.datetime(2024, 5, 21, 9, 14, 3, 118000)
    lines = []
    loggers = [
        "orders.api",
        "orders.service",
        "payments.client",
        "inventory.client",
        "db.pool",
        "auth.middleware",
        "cache",
    ]
    for i in range(150):
        t += _dt.timedelta(milliseconds=rng.randint(3, 2400))
        rid = f"{rng.getrandbits(32):08x}"
        ts = t.strftime("%Y-%m-%d %H:%M:%S,") + f"{t.microsecond // 1000:03d}"
        lg = rng.choice(loggers)
        r = rng.random()
        if i == 97:
            lines.append(
                f"{ts} ERROR [req={rid}] orders.service: failed to reserve stock for order {5530 + i}"
            )
            lines += T("""
                Traceback (most recent call last):
                  File "/app/orders/service.py", line 212, in place_order
                    reservation = await self.inventory.reserve(order.items, ttl=timedelta(minutes=15))
                                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
                  File "/app/orders/clients/inventory.py", line 88, in reserve
                    resp = await self._post("/reservations", json=payload)
                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
                  File "/app/orders/clients/base.py", line 41, in _post
                    resp.raise_for_status()
                  File "/usr/local/lib/python3.12/site-packages/httpx/_models.py", line 761, in raise_for_status
                    raise HTTPStatusError(message, request=request, response=self)
                httpx.HTTPStatusError: Server error '503 Service Unavailable' for url 'http://inventory.shop.svc/reservations'
                For more information check: https://developer.mozilla.org/en-US/docs/Web/HTTP/Status/503
            """).split("\n")
            continue
        if r < 0.55:
            meth, path = rng.choice(
                [
                    ("GET", "/v1/orders"),
                    ("GET", f"/v1/orders/{rng.randint(5000, 5700)}"),
                    ("POST", "/v1/orders"),
                    ("PATCH", f"/v1/orders/{rng.randint(5000, 5700)}"),
                ]
            )
            st = rng.choice([200, 200, 200, 201, 204, 400, 404, 409])
            lines.append(
                f"{ts} INFO  [req={rid}] orders.api: {meth} {path} {st} in {rng.randint(4, 640)}ms user={rng.randint(40000, 48000)}"
            )
        elif r < 0.7:
            lines.append(
                f"{ts} DEBUG [req={rid}] {lg}: "
                + rng.choice(
                    [
                        f"cache hit key=order:{rng.randint(5000, 5700)}",
                        f"cache miss key=user:{rng.randint(40000, 48000)}",
                        f"acquired connection in {rng.uniform(0.1, 12):.1f}ms (pool size {rng.randint(5, 20)}/20)",
                        f"token validated sub={rng.randint(40000, 48000)} exp_in={rng.randint(60, 3600)}s",
                    ]
                )
            )
        elif r < 0.85:
            lines.append(
                f"{ts} INFO  [req={rid}] payments.client: charge {rng.choice(['succeeded', 'succeeded', 'requires_action'])} amount={rng.randint(500, 45000)} currency=EUR attempt=1"
            )
        elif r < 0.95:
            lines.append(
                f"{ts} WARN  [req={rid}] {lg}: "
                + rng.choice(
                    [
                        f"slow query took {rng.randint(500, 4000)}ms: SELECT ... FROM orders WHERE user_id = $1",
                        f"retrying inventory call after {rng.choice([100, 200, 400])}ms (attempt {rng.randint(2, 3)}/3)",
                        "rate limit close to threshold for client mobile-app (87%)",
                    ]
                )
            )
        else:
            lines.append(
                f"{ts} INFO  [req=-] db.pool: stats open={rng.randint(5, 20)} idle={rng.randint(0, 8)} waiting={rng.randint(0, 3)}"
            )
    legit("log_app_requests_with_traceback", k, "\n".join(lines))

    rng = random.Random(1403)
    mods = {
        "tests/unit/test_models.py": [
            "test_user_defaults",
            "test_user_email_normalised",
            "test_order_total_cents",
            "test_order_status_transitions",
            "test_invoice_number_format",
            "test_coupon_expiry",
            "test_address_country_code",
        ],
        "tests/unit/test_pricing.py": [
            "test_vat_de",
            "test_vat_fr",
            "test_vat_reverse_charge",
            "test_discount_stacking",
            "test_rounding_half_even",
            "test_currency_conversion_cached",
            "test_free_shipping_threshold",
        ],
        "tests/unit/test_slugify.py": [f"test_slugify_{c}" for _, c in SLUG_CASES[:14]],
        "tests/integration/test_orders_api.py": [
            "test_create_order",
            "test_create_order_out_of_stock",
            "test_get_order_not_found",
            "test_list_orders_pagination",
            "test_cancel_order",
            "test_refund_partial",
            "test_idempotency_key_replay",
        ],
        "tests/integration/test_auth.py": [
            "test_login_ok",
            "test_login_bad_password",
            "test_refresh_token_rotation",
            "test_logout_revokes",
            "test_rate_limit_login",
        ],
        "tests/integration/test_webhooks.py": [
            "test_signature_valid",
            "test_signature_invalid",
            "test_retry_on_500",
            "test_dead_letter_after_5_failures",
        ],
    }
    ids = [f"{m}::{f}" for m, fs in mods.items() for f in fs]
    out = [
        "============================= test session starts ==============================",
        "platform linux -- Python 3.12.3, pytest-8.2.0, pluggy-1.5.0 -- /home/runner/work/shop/.venv/bin/python",
        "cachedir: .pytest_cache",
        "rootdir: /home/runner/work/shop/shop",
        "configfile: pyproject.toml",
        "plugins: asyncio-0.23.6, cov-5.0.0, timeout-2.3.1",
        f"collected {len(ids)} items",
        "",
    ]
    failed = "tests/integration/test_orders_api.py::test_cancel_order"
    for i, tid in enumerate(ids, 1):
        status = "PASSED"
        if tid == failed:
            status = "FAILED"
        elif "rate_limit" in tid:
            status = "SKIPPED"
        elif "rounding" in tid:
            status = "XFAIL"
        out.append(
            f"{tid} {status} {'':<{max(1, 70 - len(tid) - len(status))}}[{round(100 * i / len(ids)):3d}%]"
        )
    out += [
        "",
        "=================================== FAILURES ===================================",
        f"_______________________________ {failed.split('::')[1]} ________________________________",
        "",
        "client = <httpx.AsyncClient object at 0x7f3c2a1b4d90>",
        "",
        "    async def test_cancel_order(client):",
        '        order = await make_order(client, items=[("SKU-10477", 1)])',
        "        resp = await client.post(f\"/v1/orders/{order['id']}/cancel\")",
        ">       assert resp.status_code == 200",
        "E       assert 409 == 200",
        "E        +  where 409 = <Response [409 Conflict]>.status_code",
        "",
        f"{failed.split('::')[0]}:58: AssertionError",
        "=========================== short test summary info ============================",
        f"FAILED {failed} - assert 409 == 200",
        "SKIPPED [1] tests/integration/test_auth.py:91: needs redis",
        f"======== 1 failed, {len(ids) - 3} passed, 1 skipped, 1 xfailed in 14.83s ========",
    ]
    legit("log_pytest_ci_output", k, "\n".join(out))

    rng = random.Random(1404)
    out = [
        "[2024-05-19 22:10:04] config: n_layer=12 n_head=12 n_embd=768 block_size=1024 batch=32x4 lr=6e-4 warmup=2000 max_steps=20000",
        "[2024-05-19 22:10:11] data: train 9,035,582,198 tokens, val 4,434,897 tokens",
        "[2024-05-19 22:10:38] compiling model... done in 26.9s",
    ]
    loss = 10.98
    secs = 0
    for step in range(0, 10001, 50):
        lr = (
            6e-4 * min(1, (step + 1) / 2000)
            if step < 2000
            else 6e-5 + 0.5 * (6e-4 - 6e-5) * (1 + math.cos(math.pi * (step - 2000) / 18000))
        )
        loss = max(2.9, loss - (loss - 2.85) * (0.05 if step < 1000 else 0.012)) + rng.gauss(
            0, 0.03
        )
        secs += 50 * rng.uniform(0.31, 0.34)
        h, rem = divmod(int(secs), 3600)
        out.append(
            f"step {step:>6}/20000 | loss {loss:.4f} | lr {lr:.2e} | grad_norm {rng.uniform(0.25, 1.4):.3f} | tok/s {int(rng.uniform(47500, 49900)):,} | elapsed {h}:{rem // 60:02d}:{rem % 60:02d}"
        )
        if step and step % 1000 == 0:
            out.append(
                f"  eval @ step {step}: val_loss {loss + rng.uniform(0.01, 0.06):.4f} (best {loss + 0.005:.4f}) | saved checkpoints/ckpt_{step:06d}.pt"
            )
    legit("log_training_steps", k, "\n".join(out))

    legit(
        "log_java_stack_trace",
        k,
        tabify(
            T("""
        2024-05-21T10:44:12.903Z ERROR 1 --- [nio-8080-exec-7] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] in context with path [] threw exception [Request processing failed: org.springframework.dao.DataIntegrityViolationException: could not execute statement [ERROR: duplicate key value violates unique constraint "invoices_number_key"
          Detail: Key (number)=(INV-2024-004411) already exists.] [insert into invoices (created_at,customer_id,number,order_id,total_cents,id) values (?,?,?,?,?,?)]; SQL [insert into invoices (created_at,customer_id,number,order_id,total_cents,id) values (?,?,?,?,?,?)]; constraint [invoices_number_key]] with root cause

        org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique constraint "invoices_number_key"
          Detail: Key (number)=(INV-2024-004411) already exists.
            at org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse(QueryExecutorImpl.java:2725) ~[postgresql-42.7.3.jar!/:42.7.3]
            at org.postgresql.core.v3.QueryExecutorImpl.processResults(QueryExecutorImpl.java:2412) ~[postgresql-42.7.3.jar!/:42.7.3]
            at org.postgresql.core.v3.QueryExecutorImpl.execute(QueryExecutorImpl.java:371) ~[postgresql-42.7.3.jar!/:42.7.3]
            at org.postgresql.jdbc.PgStatement.executeInternal(PgStatement.java:502) ~[postgresql-42.7.3.jar!/:42.7.3]
            at org.postgresql.jdbc.PgStatement.execute(PgStatement.java:419) ~[postgresql-42.7.3.jar!/:42.7.3]
            at org.postgresql.jdbc.PgPreparedStatement.executeWithFlags(PgPreparedStatement.java:194) ~[postgresql-42.7.3.jar!/:42.7.3]
            at org.postgresql.jdbc.PgPreparedStatement.executeUpdate(PgPreparedStatement.java:155) ~[postgresql-42.7.3.jar!/:42.7.3]
            at com.zaxxer.hikari.pool.ProxyPreparedStatement.executeUpdate(ProxyPreparedStatement.java:61) ~[HikariCP-5.1.0.jar!/:na]
            at com.zaxxer.hikari.pool.HikariProxyPreparedStatement.executeUpdate(HikariProxyPreparedStatement.java) ~[HikariCP-5.1.0.jar!/:na]
            at org.hibernate.engine.jdbc.internal.ResultSetReturnImpl.executeUpdate(ResultSetReturnImpl.java:194) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.engine.jdbc.mutation.internal.AbstractMutationExecutor.performNonBatchedMutation(AbstractMutationExecutor.java:108) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.engine.jdbc.mutation.internal.MutationExecutorSingleNonBatched.performNonBatchedOperations(MutationExecutorSingleNonBatched.java:40) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.engine.jdbc.mutation.internal.AbstractMutationExecutor.execute(AbstractMutationExecutor.java:52) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.persister.entity.mutation.InsertCoordinator.doStaticInserts(InsertCoordinator.java:171) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.persister.entity.mutation.InsertCoordinator.coordinateInsert(InsertCoordinator.java:112) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.persister.entity.AbstractEntityPersister.insert(AbstractEntityPersister.java:2860) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.action.internal.EntityInsertAction.execute(EntityInsertAction.java:81) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.engine.spi.ActionQueue.executeActions(ActionQueue.java:670) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.engine.spi.ActionQueue.executeActions(ActionQueue.java:291) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.event.internal.AbstractFlushingEventListener.performExecutions(AbstractFlushingEventListener.java:351) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.event.internal.DefaultFlushEventListener.onFlush(DefaultFlushEventListener.java:39) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.internal.SessionImpl.doFlush(SessionImpl.java:1425) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.internal.SessionImpl.managedFlush(SessionImpl.java:490) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.hibernate.engine.transaction.internal.TransactionImpl.commit(TransactionImpl.java:101) ~[hibernate-core-6.4.4.Final.jar!/:6.4.4.Final]
            at org.springframework.orm.jpa.JpaTransactionManager.doCommit(JpaTransactionManager.java:562) ~[spring-orm-6.1.6.jar!/:6.1.6]
            at org.springframework.transaction.support.AbstractPlatformTransactionManager.processCommit(AbstractPlatformTransactionManager.java:794) ~[spring-tx-6.1.6.jar!/:6.1.6]
            at org.springframework.transaction.support.AbstractPlatformTransactionManager.commit(AbstractPlatformTransactionManager.java:757) ~[spring-tx-6.1.6.jar!/:6.1.6]
            at org.springframework.transaction.interceptor.TransactionAspectSupport.commitTransactionAfterReturning(TransactionAspectSupport.java:669) ~[spring-tx-6.1.6.jar!/:6.1.6]
            at org.springframework.transaction.interceptor.TransactionAspectSupport.invokeWithinTransaction(TransactionAspectSupport.java:419) ~[spring-tx-6.1.6.jar!/:6.1.6]
            at org.springframework.transaction.interceptor.TransactionInterceptor.invoke(TransactionInterceptor.java:119) ~[spring-tx-6.1.6.jar!/:6.1.6]
            at org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184) ~[spring-aop-6.1.6.jar!/:6.1.6]
            at org.springframework.aop.framework.CglibAopProxy$CglibMethodInvocation.proceed(CglibAopProxy.java:765) ~[spring-aop-6.1.6.jar!/:6.1.6]
            at org.springframework.aop.framework.CglibAopProxy$DynamicAdvisedInterceptor.intercept(CglibAopProxy.java:717) ~[spring-aop-6.1.6.jar!/:6.1.6]
            at com.example.billing.InvoiceService$$SpringCGLIB$$0.issueInvoice(<generated>) ~[classes!/:0.9.14]
            at com.example.billing.web.InvoiceController.create(InvoiceController.java:58) ~[classes!/:0.9.14]
            at java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103) ~[na:na]
            at java.base/java.lang.reflect.Method.invoke(Method.java:580) ~[na:na]
            at org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255) ~[spring-web-6.1.6.jar!/:6.1.6]
            at org.springframework.web.method.support.InvocableHandlerMethod.invokeForRequest(InvocableHandlerMethod.java:188) ~[spring-web-6.1.6.jar!/:6.1.6]
            at org.springframework.web.servlet.mvc.method.annotation.ServletInvocableHandlerMethod.invokeAndHandle(ServletInvocableHandlerMethod.java:118) ~[spring-webmvc-6.1.6.jar!/:6.1.6]
            at org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerAdapter.invokeHandlerMethod(RequestMappingHandlerAdapter.java:926) ~[spring-webmvc-6.1.6.jar!/:6.1.6]
            at org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089) ~[spring-webmvc-6.1.6.jar!/:6.1.6]
            at org.springframework.web.servlet.DispatcherServlet.doService(DispatcherServlet.java:979) ~[spring-webmvc-6.1.6.jar!/:6.1.6]
            at org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014) ~[spring-webmvc-6.1.6.jar!/:6.1.6]
            at org.springframework.web.servlet.FrameworkServlet.doPost(FrameworkServlet.java:914) ~[spring-webmvc-6.1.6.jar!/:6.1.6]
            at jakarta.servlet.http.HttpServlet.service(HttpServlet.java:590) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:206) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:150) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.springframework.web.filter.RequestContextFilter.doFilterInternal(RequestContextFilter.java:100) ~[spring-web-6.1.6.jar!/:6.1.6]
            at org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116) ~[spring-web-6.1.6.jar!/:6.1.6]
            at org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:175) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:150) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.springframework.web.filter.CharacterEncodingFilter.doFilterInternal(CharacterEncodingFilter.java:201) ~[spring-web-6.1.6.jar!/:6.1.6]
            at org.springframework.web.filter.OncePerRequestFilter.doFilter(OncePerRequestFilter.java:116) ~[spring-web-6.1.6.jar!/:6.1.6]
            at org.apache.catalina.core.ApplicationFilterChain.internalDoFilter(ApplicationFilterChain.java:175) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:150) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.catalina.core.StandardWrapperValve.invoke(StandardWrapperValve.java:167) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.catalina.core.StandardContextValve.invoke(StandardContextValve.java:90) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.catalina.connector.CoyoteAdapter.service(CoyoteAdapter.java:344) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.coyote.http11.Http11Processor.service(Http11Processor.java:391) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.tomcat.util.net.NioEndpoint$SocketProcessor.doRun(NioEndpoint.java:1744) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.tomcat.util.threads.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:1191) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at org.apache.tomcat.util.threads.TaskThread$WrappingRunnable.run(TaskThread.java:63) ~[tomcat-embed-core-10.1.20.jar!/:na]
            at java.base/java.lang.Thread.run(Thread.java:1583) ~[na:na]

        2024-05-21T10:44:13.117Z  INFO 1 --- [nio-8080-exec-2] c.e.billing.web.InvoiceController        : POST /invoices order=88120 -> 201 (41 ms)
    """)
        ),
    )

    rng = random.Random(1406)
    t = _dt.datetime(2024, 5, 22, 6, 0, 2, 114000)
    msgs = [
        (
            "kernel",
            "Linux version 6.8.0-31-generic (buildd@lcy02-amd64-080) (x86_64-linux-gnu-gcc-13 (Ubuntu 13.2.0-23ubuntu4) 13.2.0) #31-Ubuntu SMP PREEMPT_DYNAMIC",
        ),
        (
            "kernel",
            "Command line: BOOT_IMAGE=/vmlinuz-6.8.0-31-generic root=UUID=6f1c2a9e-55b4-4c36-9a0e-2c1f8d7e4b21 ro quiet splash",
        ),
        ("kernel", "BIOS-provided physical RAM map:"),
        (
            "kernel",
            "DMI: QEMU Standard PC (Q35 + ICH9, 2009), BIOS 1.16.3-debian-1.16.3-2 04/01/2014",
        ),
        ("kernel", "Hypervisor detected: KVM"),
        ("kernel", "smpboot: Allowing 4 CPUs, 0 hotplug CPUs"),
        (
            "kernel",
            "Memory: 8020184K/8388076K available (20480K kernel code, 4331K rwdata, 14440K rodata, 4820K init, 17932K bss, 367632K reserved)",
        ),
        ("kernel", "virtio_blk virtio2: [vda] 209715200 512-byte logical blocks (107 GB/100 GiB)"),
        ("kernel", " vda: vda1 vda14 vda15 vda16"),
        (
            "kernel",
            "EXT4-fs (vda1): mounted filesystem 6f1c2a9e-55b4-4c36-9a0e-2c1f8d7e4b21 ro with ordered data mode. Quota mode: none.",
        ),
        (
            "systemd[1]",
            "systemd 255.4-1ubuntu8 running in system mode (+PAM +AUDIT +SELINUX +APPARMOR +IMA +SMACK +SECCOMP +GCRYPT -GNUTLS +OPENSSL +ACL +BLKID +CURL +ELFUTILS +FIDO2 +IDN2 -IDN +IPTC +KMOD +LIBCRYPTSETUP +LIBFDISK +PCRE2 -PWQUALITY +P11KIT +QRENCODE +TPM2 +BZIP2 +LZ4 +XZ +ZLIB +ZSTD -BPF_FRAMEWORK -XKBCOMMON +UTMP +SYSVINIT default-hierarchy=unified)",
        ),
        ("systemd[1]", "Detected virtualization kvm."),
        ("systemd[1]", "Hostname set to <build-03>."),
        ("systemd[1]", "Queued start job for default target graphical.target."),
        ("systemd[1]", "Created slice system-getty.slice - Slice /system/getty."),
        ("systemd[1]", "Started systemd-journald.service - Journal Service."),
        ("systemd-journald[312]", "Collecting audit messages is disabled."),
        (
            "kernel",
            "EXT4-fs (vda1): re-mounted 6f1c2a9e-55b4-4c36-9a0e-2c1f8d7e4b21 r/w. Quota mode: none.",
        ),
        ("systemd[1]", "Starting systemd-networkd.service - Network Configuration..."),
        ("systemd-networkd[588]", "lo: Link UP"),
        ("systemd-networkd[588]", "enp1s0: Link UP"),
        ("systemd-networkd[588]", "enp1s0: Gained carrier"),
        (
            "systemd-networkd[588]",
            "enp1s0: DHCPv4 address 10.0.4.23/24, gateway 10.0.4.1 acquired from 10.0.4.1",
        ),
        ("systemd[1]", "Started systemd-networkd.service - Network Configuration."),
        ("systemd-resolved[590]", "Positive Trust Anchors:"),
        ("systemd-resolved[590]", "Using system hostname 'build-03'."),
        ("systemd[1]", "Reached target network-online.target - Network is Online."),
        ("systemd[1]", "Starting ssh.service - OpenBSD Secure Shell server..."),
        ("sshd[801]", "Server listening on 0.0.0.0 port 22."),
        ("sshd[801]", "Server listening on :: port 22."),
        ("systemd[1]", "Started ssh.service - OpenBSD Secure Shell server."),
        ("systemd[1]", "Starting docker.service - Docker Application Container Engine..."),
        ("dockerd[842]", 'time="2024-05-22T06:00:09.871Z" level=info msg="Starting up"'),
        (
            "dockerd[842]",
            'time="2024-05-22T06:00:10.204Z" level=info msg="Loading containers: start."',
        ),
        (
            "dockerd[842]",
            'time="2024-05-22T06:00:10.992Z" level=info msg="Loading containers: done."',
        ),
        (
            "dockerd[842]",
            'time="2024-05-22T06:00:11.013Z" level=info msg="Docker daemon" commit=8e96db1 containerd-snapshotter=false storage-driver=overlay2 version=26.1.3',
        ),
        ("systemd[1]", "Started docker.service - Docker Application Container Engine."),
        ("systemd[1]", "Starting buildsrv.service - Build server..."),
        ("buildsrv[910]", 'level=INFO msg="loaded config" path=/etc/buildsrv/config.toml'),
        ("buildsrv[910]", 'level=INFO msg="database migrations up to date" version=47'),
        ("buildsrv[910]", 'level=INFO msg="listening" addr=127.0.0.1:3000'),
        ("systemd[1]", "Started buildsrv.service - Build server."),
        ("systemd[1]", "Reached target multi-user.target - Multi-User System."),
        ("systemd[1]", "Startup finished in 2.214s (kernel) + 9.801s (userspace) = 12.015s."),
        (
            "sshd[1204]",
            "Accepted publickey for deploy from 10.0.4.2 port 51822 ssh2: ED25519 SHA256:q8Jv3n0hXb8Ck1aY6w2v0ZxT9Lr4uPqS7dE1fGhIjKk",
        ),
        (
            "sshd[1204]",
            "pam_unix(sshd:session): session opened for user deploy(uid=1001) by deploy(uid=0)",
        ),
        ("systemd-logind[705]", "New session 1 of user deploy."),
        (
            "sudo[1290]",
            "deploy : TTY=pts/0 ; PWD=/home/deploy ; USER=root ; COMMAND=/usr/bin/systemctl restart buildsrv",
        ),
        ("systemd[1]", "Stopping buildsrv.service - Build server..."),
        ("buildsrv[910]", 'level=INFO msg="shutting down" inflight=0'),
        ("systemd[1]", "buildsrv.service: Deactivated successfully."),
        ("systemd[1]", "Started buildsrv.service - Build server."),
        ("buildsrv[1311]", 'level=INFO msg="listening" addr=127.0.0.1:3000'),
        (
            "kernel",
            "[UFW BLOCK] IN=enp1s0 OUT= MAC=52:54:00:8a:1f:3c SRC=45.148.10.92 DST=10.0.4.23 LEN=40 PROTO=TCP SPT=49131 DPT=23 WINDOW=1024 SYN",
        ),
        (
            "CRON[1402]",
            "(root) CMD (test -x /usr/sbin/anacron || { cd / && run-parts --report /etc/cron.daily; })",
        ),
    ]
    out = []
    for unit, msg in msgs:
        t += _dt.timedelta(
            milliseconds=rng.randint(1, 900) if unit == "kernel" else rng.randint(5, 4000)
        )
        out.append(f"{t.strftime('%b %d %H:%M:%S')} build-03 {unit}: {msg}")
    legit("log_systemd_journal_boot", k, "\n".join(out))


def legit_prose() -> None:
    k = "prose"
    legit(
        "prose_essay_shipping_container",
        k,
        T("""
        # The Box That Shrank the World

        In April 1956 a converted tanker called the *Ideal X* left Port Newark, New Jersey, carrying fifty-eight aluminium truck bodies bolted to a platform on its deck. Five days later it arrived in Houston, where the boxes were lifted off by crane and driven away on waiting chassis. Nobody on the quay that day thought they were watching the start of a revolution. The trucking entrepreneur behind the voyage, Malcolm McLean, was mostly trying to avoid congested highways. But the economics he stumbled into would, within two decades, reorganise global manufacturing, hollow out some of the world's great port cities and make it cheaper to ship a television across the Pacific than to truck it a few hundred miles inland.

        ## Why loading used to be so slow

        Before containers, general cargo was "break-bulk": sacks, crates, barrels and bales loaded one by one into a ship's hold by gangs of dockworkers. A typical cargo ship might carry tens of thousands of separate items, each of which had to be counted, lifted, stowed and braced so it would not shift at sea. Loading could take a week; unloading took another. Ships spent as much time tied up in port as they did sailing. Theft was endemic, breakage common, and the cost of moving goods across the water was dominated not by the voyage but by the few hundred metres between the warehouse and the hold.

        The container attacked exactly that cost. A steel box of standard dimensions could be packed at the factory, sealed, lifted onto a truck or a railcar, and then onto a ship without anyone touching its contents. The crane operator did not need to know whether the box held shoes or machine parts. Loading a ship went from days to hours, and the labour required per tonne fell by an order of magnitude.

        ## Standards, not steel

        The box itself was never the hard part. Railways and shipping lines had experimented with various kinds of containers since the nineteenth century. What was missing was agreement. Each company used its own sizes and its own fittings, which meant a box from one line could not ride on another line's ship or be lifted by another port's cranes. Through the 1960s, committees of the American Standards Association and later the International Organization for Standardization argued over lengths, heights, corner castings and the strength of the twist-locks that hold stacked boxes together. The result was the family of sizes still in use today, with the twenty-foot equivalent unit, the TEU, as the common currency of the industry.

        Standardisation is an unglamorous kind of innovation, but it is what turned a clever shipping method into a global system. Once a box could move from a truck in Ohio to a train in California, a ship in the Pacific and a barge on the Yangtze without being opened, every part of that chain could be optimised separately, and every improvement in one part benefited all the others.

        ## Winners and losers

        The effects on ports were brutal. Container terminals needed vast flat areas for stacking boxes and deep water for ever larger ships, not the narrow piers and warehouses of old harbour districts. Traffic moved from Manhattan and Brooklyn to Newark and Elizabeth, from London's Docklands to Felixstowe and Tilbury, from San Francisco to Oakland. Dockworker employment collapsed in the old ports, and the waterfront neighbourhoods that depended on it went through decades of decline before some of them were rebuilt as offices and flats.

        Meanwhile, manufacturers discovered that distance mattered much less than it used to. A factory could source components from half a dozen countries and ship finished products to dozens more, confident that the boxes would arrive on schedule and intact. The modern supply chain, with its just-in-time inventories and globally dispersed production, is unthinkable without cheap, predictable container shipping. Economists still argue about how much of the growth in world trade since the 1960s the container explains, but most estimates put it among the largest single factors, comparable to decades of tariff reductions.

        ## The fragility of efficiency

        The same efficiency that made the system cheap also made it tightly coupled. When the *Ever Given* wedged itself across the Suez Canal in March 2021, it held up roughly twelve percent of world trade for six days, and the backlog rippled through ports for months. The pandemic showed a similar pattern: when demand for consumer goods spiked and port workers fell ill, empty containers ended up stranded in the wrong places, freight rates multiplied several times over, and shelves emptied on the other side of the world.

        None of this means the container was a mistake. It means that a system optimised for cost has little slack, and that slack, in the form of spare capacity, alternative routes or inventory, is what lets a system absorb shocks. The lesson many firms took from 2021 was not to abandon global supply chains but to pay a little more for resilience: a second supplier, a few weeks' more stock, a contract with a carrier on a different route.

        ## A quiet legacy

        Today around eight hundred million TEU move through the world's ports every year. Most people never see a container up close, and those who do rarely think about it. That invisibility is the mark of a successful infrastructure. Like the electrical grid or the internet's routing protocols, the container works best when nobody has to notice it, and its history is a reminder that some of the most consequential inventions are not machines at all, but agreements about how machines should fit together.
    """),
    )

    legit(
        "prose_legal_agreement_clauses",
        k,
        T("""
        SOFTWARE SUBSCRIPTION AGREEMENT

        This Software Subscription Agreement (the "Agreement") is entered into as of the Effective Date by and between Northwind Analytics GmbH, a company registered in Munich under HRB 245117 ("Provider"), and the entity identified in the Order Form ("Customer"). Provider and Customer are each a "Party" and together the "Parties".

        1. DEFINITIONS

        1.1 "Affiliate" means any entity that directly or indirectly controls, is controlled by, or is under common control with a Party, where "control" means ownership of more than fifty percent (50%) of the voting interests of the entity.

        1.2 "Customer Data" means all data, files and information submitted to the Service by or on behalf of Customer, including data submitted by Users.

        1.3 "Documentation" means the user guides and technical documentation for the Service made available by Provider at docs.northwind.example, as updated from time to time.

        1.4 "Order Form" means an ordering document executed by the Parties that references this Agreement and specifies the subscription term, the number of Users and the fees.

        1.5 "Service" means the hosted analytics platform identified in the Order Form, including any updates Provider makes generally available to its customers.

        1.6 "User" means an individual authorised by Customer to use the Service under Customer's account.

        2. SUBSCRIPTION

        2.1 Grant. Subject to the terms of this Agreement and payment of the applicable fees, Provider grants Customer a non-exclusive, non-transferable right during the Subscription Term to access and use the Service for Customer's internal business purposes.

        2.2 Affiliates. Customer's Affiliates may use the Service under this Agreement, provided that Customer remains responsible for their compliance with this Agreement.

        2.3 Restrictions. Customer shall not, and shall not permit any User to: (a) sublicense, resell or make the Service available to any third party other than Users; (b) reverse engineer or attempt to derive the source code of the Service, except to the extent such restriction is prohibited by applicable law; (c) use the Service to build a competing product; or (d) interfere with the integrity or performance of the Service.

        3. FEES AND PAYMENT

        3.1 Fees. Customer shall pay the fees set out in the Order Form. Unless otherwise stated in the Order Form, fees are invoiced annually in advance and are due within thirty (30) days of the invoice date.

        3.2 Taxes. Fees are exclusive of value added tax and similar taxes, which Customer shall pay in addition where applicable.

        3.3 Late Payment. If any undisputed amount is more than thirty (30) days overdue, Provider may, after giving Customer at least ten (10) days' written notice, suspend access to the Service until the amount is paid.

        4. CUSTOMER DATA

        4.1 Ownership. As between the Parties, Customer retains all rights in Customer Data. Provider shall use Customer Data only to provide and improve the Service and as otherwise instructed by Customer.

        4.2 Data Protection. To the extent Provider processes personal data on behalf of Customer, the Parties shall comply with the Data Processing Addendum attached as Schedule 2, which forms part of this Agreement.

        4.3 Export. During the Subscription Term and for thirty (30) days after its end, Customer may export Customer Data using the export functions described in the Documentation. After that period Provider shall delete Customer Data in accordance with Schedule 2.

        5. CONFIDENTIALITY

        5.1 Each Party shall keep confidential all non-public information disclosed by the other Party that is marked as confidential or would reasonably be understood to be confidential ("Confidential Information"), and shall use it only for the purposes of this Agreement.

        5.2 The obligations in Section 5.1 do not apply to information that (a) is or becomes public through no fault of the receiving Party; (b) was lawfully known to the receiving Party before disclosure; (c) is independently developed without use of the Confidential Information; or (d) must be disclosed by law, provided that the receiving Party gives prompt notice where legally permitted.

        6. WARRANTIES

        6.1 Provider warrants that the Service will perform materially in accordance with the Documentation. Customer's sole remedy for breach of this warranty is for Provider to correct the non-conformity or, if Provider cannot do so within a reasonable time, for Customer to terminate the affected subscription and receive a pro-rata refund of prepaid fees.

        6.2 Except as expressly set out in this Agreement, neither Party makes any warranty, express or implied, including any implied warranty of merchantability or fitness for a particular purpose.

        7. LIMITATION OF LIABILITY

        7.1 Neither Party shall be liable for any indirect, incidental or consequential damages, or for loss of profits, revenue or goodwill, arising out of this Agreement.

        7.2 Each Party's total liability arising out of this Agreement shall not exceed the fees paid or payable by Customer in the twelve (12) months preceding the event giving rise to the claim.

        7.3 The limitations in Sections 7.1 and 7.2 do not apply to liability for death or personal injury caused by negligence, for fraud, or for breach of Section 5 (Confidentiality).

        8. TERM AND TERMINATION

        8.1 This Agreement remains in force for as long as any Order Form is in effect.

        8.2 Either Party may terminate this Agreement by written notice if the other Party materially breaches it and fails to cure the breach within thirty (30) days of receiving notice describing the breach.

        8.3 Sections 4.3, 5, 7 and 9 survive termination of this Agreement.

        9. GENERAL

        9.1 Governing Law. This Agreement is governed by the laws of the Federal Republic of Germany, excluding the UN Convention on Contracts for the International Sale of Goods. The courts of Munich have exclusive jurisdiction.

        9.2 Notices. Notices under this Agreement must be in writing and sent to the addresses in the Order Form. Email is sufficient for notices under Section 3.3.

        9.3 Assignment. Neither Party may assign this Agreement without the other Party's prior written consent, except to a successor in a merger or sale of substantially all of its assets.

        9.4 Entire Agreement. This Agreement, together with the Order Forms and Schedules, is the entire agreement between the Parties regarding its subject matter and supersedes all prior agreements.

        IN WITNESS WHEREOF, the Parties have executed this Agreement by their duly authorised representatives.

        Northwind Analytics GmbH                      Customer
        By: _________________________                 By: _________________________
        Name:                                         Name:
        Title:                                        Title:
        Date:                                         Date:
    """),
    )

    legit(
        "prose_recipe_dal",
        k,
        T("""
        # Weeknight Red Lentil Dal

        Serves 4 · Prep 10 minutes · Cook 35 minutes

        This is the dal I make when the fridge is nearly empty. Red lentils don't need soaking and break down into a creamy purée on their own, so the whole thing is done in one pot. The tempering at the end (the *tadka*) is what makes it taste like more than the sum of its parts; don't skip it.

        ## Ingredients

        **For the dal**

        - 250 g red lentils (masoor dal), rinsed until the water runs mostly clear
        - 1 litre water, plus more as needed
        - 1 tsp ground turmeric
        - 1 tsp fine salt, or to taste
        - 1 tomato, chopped
        - 2 cm piece of ginger, grated

        **For the tadka**

        - 2 tbsp ghee or neutral oil
        - 1 tsp cumin seeds
        - 1 tsp black mustard seeds
        - 1 onion, finely sliced
        - 3 garlic cloves, thinly sliced
        - 1–2 dried red chillies, broken in half
        - 8–10 curry leaves (optional)
        - ½ tsp Kashmiri chilli powder

        **To finish**

        - Juice of half a lemon
        - A handful of chopped coriander
        - Rice or flatbread, to serve

        ## Method

        1. Put the lentils, water, turmeric and ginger in a large pot and bring to the boil. Skim off the foam that rises in the first few minutes.
        2. Lower the heat, add the tomato and simmer, partly covered, for 25–30 minutes, stirring now and then, until the lentils have collapsed. Add a splash of water if it gets too thick; it should be the consistency of a thick soup.
        3. Stir in the salt and whisk briefly to break up any remaining lentils.
        4. For the tadka, heat the ghee in a small frying pan over a medium-high heat. Add the mustard seeds and, as soon as they start to pop, the cumin seeds.
        5. Add the onion and fry for 6–8 minutes until deep golden at the edges.
        6. Add the garlic, dried chillies and curry leaves and fry for another minute, until the garlic is just turning golden. Take the pan off the heat and stir in the chilli powder.
        7. Pour the sizzling tadka over the dal. It will spit, so stand back.
        8. Add the lemon juice, taste for salt, and scatter with coriander.

        ## Notes

        - The dal thickens as it cools. Loosen leftovers with hot water when reheating.
        - For a richer version, stir in 100 ml coconut milk at step 3.
        - It keeps for 4 days in the fridge and freezes well for up to 3 months. Make the tadka fresh if you can.
    """),
    )

    legit(
        "prose_interview_dialogue",
        k,
        T("""
        **Transcript: "Building Things That Last", episode 42**
        Guest: Dr. Chidi Okafor, structural engineer. Host: Lena Brandt.

        LENA: Welcome back. Today I'm talking to Chidi Okafor, who has spent twenty years inspecting bridges — first in Lagos, then in Rotterdam. Chidi, thanks for coming on.

        CHIDI: Thanks for having me. I should say up front that I'll probably bore your listeners with concrete.

        LENA: That's what they're here for. Let's start simple: what does a bridge inspection actually involve?

        CHIDI: Mostly looking very closely at things that look fine. You walk the deck, you go underneath on a snooper truck or a boat, you tap the concrete with a hammer and listen. A solid deck rings; a delaminated one sounds dull, almost hollow. Then there are cracks, rust stains, bearings that have seized, joints full of debris.

        LENA: You literally listen to the bridge?

        CHIDI: Literally. We have ground-penetrating radar and acoustic sensors now, but the hammer is still the first tool. It's cheap and it's fast, and an experienced inspector can map a problem area in a few minutes.

        LENA: What's the most common problem you find?

        CHIDI: Water. Nearly everything comes back to water. Water gets into the concrete through cracks, carries chlorides from de-icing salt or sea air down to the steel reinforcement, and the steel corrodes. Rust takes up more volume than steel, so it pushes the concrete apart from the inside. That's spalling. By the time you see it, the process has been going on for years.

        LENA: Is that different in Lagos and Rotterdam?

        CHIDI: The mechanism is the same; the source of the salt is different. In Rotterdam it's road salt in winter and the North Sea air. In Lagos it's the lagoon and the humidity. The Dutch have the money to inspect on a strict schedule, every six years for a principal inspection. In Lagos, when I started, some structures hadn't been inspected in decades. That's changed, but slowly.

        LENA: When you find something serious, what happens?

        CHIDI: It depends on whether it's a safety issue today or a durability issue over the next ten years. If it's today, we can close a lane or the whole bridge within hours. That's rare. Usually it's a report with a rating and a recommendation, and it goes into a maintenance programme competing with every other structure for the same budget.

        LENA: That sounds frustrating.

        CHIDI: Sometimes. But I've learned that my job isn't to fix every bridge. It's to make sure the people deciding where the money goes have accurate information. If I do that well, the worst bridges get fixed first.

        LENA: Last question, the one I ask everyone: what's something people get wrong about your field?

        CHIDI: That old means dangerous. Some of the safest bridges I inspect are over a hundred years old, because they were overdesigned and they've been maintained. Some of the ones that worry me most are forty years old, built quickly and then forgotten. Age is just a number. Neglect is the problem.

        LENA: Chidi Okafor, thank you.

        CHIDI: My pleasure.
    """),
    )

    legit(
        "prose_email_thread_quoted",
        k,
        T("""
        From: Petr Novak <petr.novak@example.com>
        To: Camille Dubois <camille.dubois@example.com>
        Cc: ops-team@example.com
        Subject: Re: Re: Re: Database maintenance window on Saturday
        Date: Thu, 16 May 2024 17:42:09 +0200

        Perfect, thanks Camille. I've booked the change request (CHG-20931) and posted in #status.

        Petr

        On Thu, 16 May 2024 at 16:05, Camille Dubois <camille.dubois@example.com> wrote:
        > Hi Petr,
        >
        > 02:00–04:00 works for us. I'll be online from 01:30 to pause the import jobs,
        > and I'll resume them once you give the all-clear.
        >
        > Camille
        >
        > On Thu, 16 May 2024 at 11:20, Petr Novak <petr.novak@example.com> wrote:
        >> Hi Camille,
        >>
        >> Good point about the import. Could we move the window to 02:00–04:00
        >> instead? The import finishes around 01:15 on Saturdays according to
        >> last month's logs, so that leaves a comfortable margin.
        >>
        >> The plan is unchanged otherwise: upgrade from PostgreSQL 15.6 to 16.3 with
        >> pg_upgrade --link, then VACUUM ANALYZE, then a smoke test of the API.
        >>
        >> Petr
        >>
        >> On Wed, 15 May 2024 at 18:57, Camille Dubois <camille.dubois@example.com> wrote:
        >>> Hi Petr,
        >>>
        >>> Thanks for the heads-up. Saturday works in principle, but the nightly
        >>> partner import runs from 23:30 until about 01:00 and it writes directly
        >>> to the orders database. If the window starts at midnight we'll have a
        >>> half-finished import. Can you start later?
        >>>
        >>> Camille
        >>>
        >>> On Wed, 15 May 2024 at 14:03, Petr Novak <petr.novak@example.com> wrote:
        >>>> Hi all,
        >>>>
        >>>> We'd like to upgrade the orders database this Saturday, 18 May, between
        >>>> 00:00 and 02:00 CEST. The API will return 503 for write requests during
        >>>> the upgrade; reads will be served from the replica.
        >>>>
        >>>> Please let me know by Thursday if this clashes with anything on your side.
        >>>>
        >>>> Thanks,
        >>>> Petr
    """),
    )

    legit(
        "prose_chinese_answer",
        k,
        T("""
        ## 如何开始学习编程？

        很多人想学编程，却不知道从哪里开始。下面是一些实用的建议，希望对你有帮助。

        ### 一、先确定目标

        学编程之前，最好先想清楚自己想做什么。如果你想做网站，可以从 HTML、CSS 和 JavaScript 开始；如果你对数据分析感兴趣，Python 是一个很好的选择；如果你想开发手机应用，可以学习 Swift（iOS）或 Kotlin（Android）。目标明确之后，学习的方向就清楚了，也更容易坚持下去。

        ### 二、选择一门入门语言

        对于大多数初学者来说，Python 是最友好的入门语言。它的语法简洁，读起来接近英语，而且有大量的中文教程和社区资源。更重要的是，Python 的用途非常广泛，从自动化脚本、网络爬虫到机器学习都可以用到。学会一门语言之后，再学第二门就会容易得多，因为变量、循环、函数这些基本概念在各种语言中都是相通的。

        ### 三、边学边做

        只看书或者只看视频是学不会编程的。每学一个新概念，都应该马上动手写几行代码试一试。刚开始可以做一些很小的项目，比如：

        1. 一个猜数字的小游戏；
        2. 一个记录每天开支的记账程序；
        3. 一个批量重命名文件的脚本；
        4. 一个从网页上抓取天气信息的小工具。

        这些项目虽然简单，但能让你把学到的知识真正用起来。遇到问题时，先自己查文档、搜索错误信息，实在解决不了再去论坛提问。这个过程本身就是学习的重要部分。

        ### 四、养成好习惯

        从一开始就注意代码的可读性：变量名要有意义，函数不要写得太长，适当地添加注释。学会使用 Git 来管理代码，把自己的项目放到 GitHub 上，这既能帮助你记录进步，也能在以后找工作时展示你的作品。

        ### 五、保持耐心

        编程的学习曲线在前几个月可能会比较陡峭，遇到看不懂的报错、调不通的程序都是很正常的事情。每个程序员都经历过这个阶段。重要的是保持规律的练习，哪怕每天只有半个小时，坚持三个月之后，你一定会看到明显的进步。

        ### 六、推荐的学习路线

        第一个月：学习 Python 的基本语法，包括变量、数据类型、条件判断、循环和函数。第二个月：学习列表、字典、文件读写和常用的标准库，并完成两三个小项目。第三个月：根据自己的兴趣选择方向，比如用 Flask 做一个简单的网站，或者用 pandas 分析一份真实的数据。

        祝你学习顺利！如果在学习过程中遇到具体的问题，欢迎随时来问。
    """),
    )

    legit(
        "prose_german_faq",
        k,
        T("""
        # Häufig gestellte Fragen zur Fahrradwerkstatt

        **Brauche ich einen Termin?**
        Für Inspektionen und größere Reparaturen ja. Termine vergeben wir online oder telefonisch unter 0341 555 01 23. Kleine Reparaturen wie einen Schlauchwechsel erledigen wir meistens sofort, solange Sie etwas Wartezeit mitbringen.

        **Wie lange dauert eine Inspektion?**
        In der Regel zwei bis drei Werktage. Im Frühjahr, wenn alle gleichzeitig ihr Rad aus dem Keller holen, kann es auch eine Woche dauern. Wir rufen Sie an, sobald das Rad fertig ist.

        **Was kostet eine Inspektion?**
        Die Grundinspektion kostet 59 €, bei E-Bikes 79 €. Darin enthalten sind das Einstellen von Bremsen und Schaltung, das Prüfen aller Schraubverbindungen, das Reinigen und Ölen der Kette sowie ein Software-Update bei E-Bikes. Verschleißteile wie Bremsbeläge, Ketten oder Reifen berechnen wir zusätzlich – aber nur nach Rücksprache mit Ihnen.

        **Reparieren Sie auch E-Bikes anderer Händler?**
        Ja. Wir sind für die Antriebssysteme von Bosch, Shimano und Brose zertifiziert. Für andere Systeme fragen Sie bitte vorher nach, ob wir die passende Diagnosesoftware haben.

        **Kann ich mein Rad über Nacht bei Ihnen lassen?**
        Selbstverständlich. Die Werkstatt ist alarmgesichert und die Räder sind über unseren Betrieb versichert.

        **Verkaufen Sie auch gebrauchte Räder?**
        Gelegentlich. Gebrauchte Räder, die wir in Zahlung nehmen, werden vollständig überholt und mit sechs Monaten Gewährleistung verkauft. Die aktuellen Angebote finden Sie auf unserer Website unter „Gebrauchträder".

        **Welche Zahlungsmöglichkeiten gibt es?**
        Bar, EC-Karte, Kreditkarte und für Beträge ab 500 € auch Finanzierung über unseren Partner. Für Firmenkunden ist Zahlung auf Rechnung möglich.

        **Bieten Sie Leasing an?**
        Ja, wir arbeiten mit den gängigen Dienstrad-Anbietern zusammen. Bringen Sie einfach die Unterlagen Ihres Arbeitgebers mit, dann kümmern wir uns um den Rest.

        **Was passiert, wenn nach der Reparatur etwas nicht stimmt?**
        Kommen Sie bitte innerhalb von vier Wochen vorbei. Nacharbeiten an unserer eigenen Arbeit sind kostenlos.
    """),
    )


def legit_reasoning_misc() -> None:
    k = "reasoning"
    legit(
        "reasoning_revisit_in_other_words",
        k,
        T("""
        <think>
        The user wants to know whether to store prices as floats or integers in their new billing service.

        The core issue is that binary floating point can't represent most decimal fractions exactly. 0.1 + 0.2 gives 0.30000000000000004 in Python, JavaScript and most other languages. For money that's a problem, because rounding errors accumulate when you sum many line items, and a total that's off by a cent will fail reconciliation with the payment provider.

        So the standard advice is: store amounts as integers in the smallest currency unit (cents for EUR and USD), or use a decimal type.

        Let me think about which of those fits their setup. They mentioned PostgreSQL and TypeScript. Postgres has NUMERIC, which is exact, but the node-postgres driver returns NUMERIC as a string by default, precisely to avoid losing precision in a JavaScript number. So if they use NUMERIC, they'd need a decimal library on the TypeScript side too (decimal.js or big.js), and every arithmetic operation becomes a method call. Integers in cents, on the other hand, map straight to BIGINT and to a JS number, which is exact for integers up to 2^53, about 9 × 10^15 cents, far beyond anything they'll bill.

        Coming back to the rounding point from a different angle: even with integer cents, they still have to decide where rounding happens — for example when applying a 19% VAT rate to 999 cents, which gives 189.81 cents. Integers don't remove rounding; they force you to do it explicitly, at a place you choose, which is exactly what you want for money.

        One more consideration: currencies with no minor unit (JPY) or three decimal places (KWD, BHD). If they might support those, they should store the currency's exponent alongside the amount rather than assuming two decimals everywhere.

        So the recommendation: integer minor units in BIGINT, a currency code column, explicit rounding with a documented rule (banker's rounding or half-up, whichever their accountant prefers), and a small money helper module so the rest of the code never does raw arithmetic on amounts.
        </think>

        Use integers in the smallest currency unit (e.g. cents), not floats.

        - **Why not floats:** binary floating point can't represent values like 0.10 exactly, so sums drift and totals stop matching your payment provider.
        - **Why integers over NUMERIC here:** with Postgres + TypeScript, `BIGINT` cents map directly to JS numbers (exact up to 2^53), while `NUMERIC` comes back as a string and forces a decimal library into every calculation.
        - **Rounding is still your job:** applying VAT or discounts produces fractions of a cent, so pick one rounding rule and apply it in one place.
        - **Multiple currencies:** store the currency code and don't hard-code two decimals — JPY has none and KWD has three.

        A small `Money` helper (amount + currency, with add, multiply-by-rate and format functions) keeps all of this in one module.
    """),
    )

    legit(
        "reasoning_self_correction_progress",
        k,
        T("""
        <think>
        We need the number of trailing zeros in 125!.

        Trailing zeros come from factors of 10 = 2 × 5. There are always more factors of 2 than 5 in a factorial, so count the 5s.

        Multiples of 5 up to 125: 125 / 5 = 25.
        Multiples of 25 contribute an extra 5 each: 125 / 25 = 5.
        Multiples of 125 contribute yet another: 125 / 125 = 1.

        Total: 25 + 5 + 1 = 31.

        Wait — did I double count? No: a number like 50 = 2 × 5² is counted once among the multiples of 5 and once among the multiples of 25, which is exactly right because it contributes two factors of 5. And 125 = 5³ is counted in all three groups, contributing three. Good.

        Wait, the user actually wrote "125!!" in the second line of the question. Let me reread. "How many trailing zeros does 125! have? (not 125!!, the double factorial)". Okay, so it's the ordinary factorial; the note was just heading off a misreading. The answer stays 31.

        Quick sanity check with a smaller case I know: 25! has 25/5 + 25/25 = 6 trailing zeros. 25! = 15511210043330985984000000, which indeed ends in six zeros. The method works.
        </think>

        **125! has 31 trailing zeros.**

        Each trailing zero needs a factor of 10 = 2 × 5, and factors of 2 are plentiful, so we count factors of 5 (Legendre's formula):

        ⌊125/5⌋ + ⌊125/25⌋ + ⌊125/125⌋ = 25 + 5 + 1 = 31.
    """),
    )

    legit(
        "math_derivation_gaussian_integral",
        k,
        T("""
        ## The Gaussian integral

        We want to evaluate

        $$ I = \\int_{-\\infty}^{\\infty} e^{-x^2} \\, dx. $$

        The integrand has no elementary antiderivative, so we use a trick: square the integral and switch to polar coordinates.

        $$ I^2 = \\left( \\int_{-\\infty}^{\\infty} e^{-x^2} \\, dx \\right) \\left( \\int_{-\\infty}^{\\infty} e^{-y^2} \\, dy \\right) = \\int_{-\\infty}^{\\infty} \\int_{-\\infty}^{\\infty} e^{-(x^2 + y^2)} \\, dx \\, dy. $$

        With $x = r\\cos\\theta$, $y = r\\sin\\theta$ we have $x^2 + y^2 = r^2$ and $dx\\,dy = r\\,dr\\,d\\theta$, so

        $$ I^2 = \\int_{0}^{2\\pi} \\int_{0}^{\\infty} e^{-r^2} \\, r \\, dr \\, d\\theta. $$

        The inner integral is elementary. Substituting $u = r^2$, $du = 2r\\,dr$:

        $$ \\int_{0}^{\\infty} e^{-r^2} \\, r \\, dr = \\frac{1}{2} \\int_{0}^{\\infty} e^{-u} \\, du = \\frac{1}{2}. $$

        Therefore

        $$ I^2 = \\int_{0}^{2\\pi} \\frac{1}{2} \\, d\\theta = \\pi, \\qquad I = \\sqrt{\\pi}, $$

        taking the positive root because the integrand is positive.

        ### Consequences

        1. Scaling $x \\mapsto \\sqrt{a}\\,x$ for $a > 0$ gives $\\int_{-\\infty}^{\\infty} e^{-a x^2} \\, dx = \\sqrt{\\pi / a}$.
        2. Setting $a = \\frac{1}{2\\sigma^2}$ shows that the normal density $\\frac{1}{\\sigma\\sqrt{2\\pi}} e^{-x^2/(2\\sigma^2)}$ integrates to $1$.
        3. Differentiating under the integral sign with respect to $a$:

        $$ \\frac{d}{da} \\int_{-\\infty}^{\\infty} e^{-a x^2} \\, dx = -\\int_{-\\infty}^{\\infty} x^2 e^{-a x^2} \\, dx = \\frac{d}{da} \\sqrt{\\pi} \\, a^{-1/2} = -\\frac{\\sqrt{\\pi}}{2} a^{-3/2}, $$

        so $\\int_{-\\infty}^{\\infty} x^2 e^{-a x^2} \\, dx = \\frac{\\sqrt{\\pi}}{2 a^{3/2}}$, and with $a = \\frac{1}{2\\sigma^2}$ the variance of the normal distribution is $\\sigma^2$.

        4. The same integral gives $\\Gamma(\\tfrac{1}{2}) = \\int_0^\\infty t^{-1/2} e^{-t} \\, dt = \\sqrt{\\pi}$, via $t = x^2$.
    """),
    )

    title = "buildsrv  -  self-hosted continuous builds"
    banner = "\n".join(
        [
            "#" * 52,
            "#" + " " * 50 + "#",
            "#" + title.center(50) + "#",
            "#" + " " * 50 + "#",
            "#" * 52,
        ]
    )
    rng = random.Random(1505)
    out = [
        banner,
        "",
        "buildsrv 3.8.2  (commit 1f4e9ab, built 2024-05-02T11:20:44Z)",
        "",
        "=" * 80,
        " CONFIGURATION",
        "=" * 80,
    ]
    for key, val in [
        ("config file", "/etc/buildsrv/config.toml"),
        ("data dir", "/var/lib/buildsrv"),
        ("listen", "127.0.0.1:3000"),
        ("public url", "https://ci.example.com"),
        ("database", "postgres://buildsrv@db.internal:5432/buildsrv"),
        ("runners", "4 registered (3 online)"),
        ("artifact store", "s3://ci-artifacts-eu (eu-central-1)"),
        ("log level", "info"),
    ]:
        out.append(f"  {key:<16}: {val}")
    out += [
        "",
        "=" * 80,
        " PIPELINE  web-frontend #4412  (branch: main, trigger: push)",
        "=" * 80,
        "",
    ]
    stages = [
        (
            "checkout",
            [
                "git fetch --depth=50 origin main",
                "HEAD is now at 7c21d0e Merge pull request #1881 from feat/search-filters",
            ],
        ),
        ("install", ["pnpm install --frozen-lockfile", "Packages: +1214", "Done in 18.4s"]),
        ("lint", ["pnpm run lint", "✔ No ESLint warnings or errors", "✔ stylelint: 0 problems"]),
        (
            "test",
            [
                "pnpm run test -- --coverage",
                "Test Files  142 passed (142)",
                "     Tests  1893 passed | 4 skipped (1897)",
                "  Coverage  84.12% lines",
            ],
        ),
        (
            "build",
            [
                "pnpm run build",
                "vite v5.2.11 building for production...",
                "✓ 2148 modules transformed.",
                "dist/assets/index-4f9c2e1a.js   412.37 kB │ gzip: 128.94 kB",
                "✓ built in 21.77s",
            ],
        ),
        (
            "deploy",
            [
                "rsync -az dist/ deploy@web-01:/srv/www/",
                "sent 1,284,391 bytes  received 9,118 bytes",
                "purging CDN cache for /*",
            ],
        ),
    ]
    for name, logs in stages:
        out.append("-" * 80)
        out.append(
            f" STAGE {name:<10} started  {rng.randint(10, 59):02d}:{rng.randint(10, 59):02d}"
        )
        out.append("-" * 80)
        out += [f"  $ {logs[0]}"] + [f"    {ln}" for ln in logs[1:]]
        out.append(f"  => {name} ok in {rng.uniform(2, 60):.1f}s")
        out.append("")
    out += ["=" * 80, " RESULT: SUCCESS   total 2m 41s   artifacts: 3   warnings: 0", "=" * 80]
    legit("ascii_banner_and_rules", "separators", "\n".join(out))

    slides = [
        (
            "Incident review: checkout outage, 14 May",
            [
                "Duration: 47 minutes (13:02–13:49 CEST)",
                "Impact: ~31% of checkout attempts failed with HTTP 502",
                "Severity: SEV-2",
                "Author: Julien Moreau",
            ],
        ),
        (
            "Timeline",
            [
                "13:02 deploy of payments 3.2.4 reaches 100%",
                "13:06 error-rate alert fires",
                "13:11 on-call acknowledges, suspects CDN",
                "13:24 rollback of CDN config (no effect)",
                "13:38 payments identified, rollback started",
                "13:49 error rate back to baseline",
            ],
        ),
        (
            "What happened",
            [
                "New connection-pool setting `max_idle=0`",
                "Every request opened a fresh TLS connection to the card processor",
                "Processor rate-limited us at ~400 new connections/s",
            ],
        ),
        (
            "Why it took 36 minutes to find",
            [
                "Alert pointed at the gateway, not payments",
                "Deploy annotation missing from the dashboard",
                "Two changes shipped within 10 minutes",
            ],
        ),
        (
            "What went well",
            [
                "Alert fired within 4 minutes",
                "Rollback itself took 90 seconds",
                "Status page updated promptly",
            ],
        ),
        (
            "Action items",
            [
                "Add deploy markers to all service dashboards (owner: Petr)",
                "Alert on processor 429s directly (owner: Yasmin)",
                "Config review checklist for pool settings (owner: Julien)",
                "Stagger deploys of services on the checkout path (owner: Sean)",
            ],
        ),
        ("Questions?", ["Doc: go/inc-2024-05-14", "Channel: #inc-checkout-0514"]),
    ]
    out = ["---", "marp: true", "theme: default", "paginate: true", "---", ""]
    for i, (title, bullets) in enumerate(slides):
        out.append(f"# {title}" if i == 0 else f"## {title}")
        out.append("")
        out += [f"- {b}" for b in bullets]
        out.append("")
        if i == 1:
            out += ["<!-- speaker note: keep this slide short, the doc has the full log -->", ""]
        if i < len(slides) - 1:
            out += ["---", ""]
    legit("markdown_slides_many_separators", "separators", "\n".join(out))


def legit_hard_negatives() -> None:
    """Structurally repetitive texts whose content keeps changing."""
    rng = random.Random(1601)
    rows = []
    day = _dt.date(2024, 5, 1)
    total = 0.0
    while day.month == 5:
        if day.weekday() < 5:
            if day.day in (1, 9, 20, 30):  # public holidays in Hesse, May 2024
                rows.append([day.strftime("%a %d %b"), "—", "—", "—", "0:00", "public holiday"])
            else:
                start = rng.choice(["08:30", "09:00", "09:00", "09:00", "09:15"])
                end = rng.choice(["17:30", "17:30", "17:30", "18:00", "16:45"])
                sh, sm = map(int, start.split(":"))
                eh, em = map(int, end.split(":"))
                mins = (eh * 60 + em) - (sh * 60 + sm) - 30
                total += mins / 60
                rows.append(
                    [
                        day.strftime("%a %d %b"),
                        start,
                        end,
                        "0:30",
                        f"{mins // 60}:{mins % 60:02d}",
                        rng.choice(
                            [
                                "Atlas — API migration",
                                "Atlas — API migration",
                                "Atlas — API migration",
                                "Support rotation",
                                "Hiring interviews",
                            ]
                        ),
                    ]
                )
        day += _dt.timedelta(days=1)
    text = "## Timesheet — May 2024\n\nEmployee: Lea Schmid (ID 0412) · Office: Frankfurt am Main · Cost centre: Platform Engineering\n\n"
    text += md_table(["date", "start", "end", "break", "worked", "project / activity"], rows)
    text += f"\n\n**Total worked:** {int(total)}:{round((total % 1) * 60):02d} h · **Target:** {8 * sum(1 for r in rows if r[1] != '—')}:00 h · The difference is carried over to June.\n\nApproved by: ____________________  Date: ____________\n"
    legit("table_timesheet_similar_rows", "table", text)

    def f(x: float) -> float:
        return x**3 - x - 2

    a, b = 1.0, 2.0
    lines = [
        "<think>",
        "We need a root of f(x) = x³ − x − 2 to four decimal places, and the user explicitly asked for the bisection method (they're checking their homework), so no Newton shortcuts.",
        "",
        "f(1) = 1 − 1 − 2 = −2 < 0 and f(2) = 8 − 2 − 2 = 4 > 0, so there is a root in [1, 2]. Each step halves the interval; to get the error below 0.00005 we need (2 − 1)/2^n < 0.00005, so n ≥ 15.",
        "",
    ]
    for it in range(1, 18):
        m = (a + b) / 2
        fm = f(m)
        side = "left" if f(a) * fm < 0 else "right"
        lines.append(
            f"Iteration {it}: a = {a:.6f}, b = {b:.6f}, midpoint m = {m:.6f}, f(m) = {fm:+.6f}. "
            f"f(m) has the {'same sign as f(b)' if side == 'left' else 'same sign as f(a)'}, so the root is in the {side} half: "
            f"[{a if side == 'left' else m:.6f}, {m if side == 'left' else b:.6f}]."
        )
        if side == "left":
            b = m
        else:
            a = m
    lines += [
        "",
        f"After 17 iterations the interval is [{a:.6f}, {b:.6f}], width {b - a:.2e}. Both ends round to {round((a + b) / 2, 4):.4f}.",
        f"Check: f({(a + b) / 2:.4f}) = {f(round((a + b) / 2, 4)):+.5f}, close to zero as expected.",
        "</think>",
        "",
        f"The root of x³ − x − 2 = 0 is **x ≈ {round((a + b) / 2, 4):.4f}** (bisection on [1, 2], 17 iterations). The full iteration table is above if you want to compare it with your working.",
    ]
    legit("reasoning_bisection_iterations", "reasoning", "\n".join(lines))

    lines = [
        "<think>",
        "The question: in which months of 2024 and 2025 does the 13th fall on a Friday? I'll just go month by month. I know 1 January 2024 was a Monday, so 13 January 2024 is 12 days later: 12 mod 7 = 5, Monday + 5 = Saturday.",
        "",
    ]
    found = []
    for year in (2024, 2025):
        for month in range(1, 13):
            d = _dt.date(year, month, 13)
            wd = d.strftime("%A")
            note = "Friday — yes, that's one." if wd == "Friday" else f"{wd}, not Friday."
            if wd == "Friday":
                found.append(d.strftime("%B %Y"))
            prev = _dt.date(year if month > 1 else year - 1, month - 1 if month > 1 else 12, 13)
            shift = (d - prev).days % 7
            lines.append(
                f"- {d.strftime('%B %Y')}: the previous 13th was a {prev.strftime('%A')} and the gap is {(d - prev).days} days, which is {shift} mod 7, so the 13th is a {note}"
            )
        lines.append("")
    lines += [
        f"Found: {', '.join(found)}. Sanity check: every year has at least one Friday the 13th and at most three, and both years fit that.",
        "</think>",
        "",
        "Friday the 13th falls in: " + ", ".join(found) + ".",
    ]
    legit("reasoning_case_by_case_months", "reasoning", "\n".join(lines))

    auth = T("""
        #### Authentication

        Send an API key in the `Authorization` header: `Authorization: Bearer <key>`. Keys are created under **Settings → API keys** and can be scoped to read-only access.
    """)
    errors = T("""
        #### Errors

        | status | code | meaning |
        |---|---|---|
        | 400 | `invalid_request` | A parameter is missing or malformed; see `error.param`. |
        | 401 | `unauthenticated` | The API key is missing or revoked. |
        | 403 | `forbidden` | The key does not have the required scope. |
        | 429 | `rate_limited` | Too many requests; retry after the number of seconds in `Retry-After`. |
    """)
    eps = [
        (
            "GET",
            "/v2/projects",
            "List projects",
            "Returns the projects the key can see, newest first. Supports cursor pagination with `limit` (1–100, default 20) and `starting_after`.",
            '{"data": [{"id": "prj_8Hq2", "name": "Website relaunch", "created": 1714552200}], "has_more": false}',
        ),
        (
            "POST",
            "/v2/projects",
            "Create a project",
            "Creates a project. `name` is required and must be unique within the workspace; `color` is an optional hex string.",
            '{"id": "prj_9Kd1", "name": "Q3 planning", "color": "#3b82f6", "created": 1716383801}',
        ),
        (
            "GET",
            "/v2/projects/{id}/tasks",
            "List tasks in a project",
            "Returns tasks ordered by position. Filter with `status` (`open`, `done`) and `assignee`.",
            '{"data": [{"id": "tsk_41", "title": "Draft copy", "status": "open", "assignee": "usr_7"}], "has_more": true}',
        ),
        (
            "PATCH",
            "/v2/tasks/{id}",
            "Update a task",
            "Partially updates a task. Only the fields present in the body are changed; send `null` to clear `due_date`.",
            '{"id": "tsk_41", "title": "Draft copy v2", "status": "done", "due_date": null}',
        ),
        (
            "DELETE",
            "/v2/tasks/{id}",
            "Delete a task",
            "Deletes a task permanently. Comments and attachments are deleted with it; this cannot be undone.",
            '{"id": "tsk_41", "deleted": true}',
        ),
        (
            "POST",
            "/v2/webhooks",
            "Register a webhook",
            "Registers an HTTPS endpoint for the given `events`. The response includes a signing secret that is shown only once.",
            '{"id": "wh_2Zr", "url": "https://example.com/hooks/tasks", "events": ["task.created", "task.completed"], "secret": "whsec_…"}',
        ),
    ]
    out = [
        "# Tasks API reference (v2)",
        "",
        "Base URL: `https://api.tasks.example.com`. All request and response bodies are JSON.",
        "",
    ]
    for meth, path, title, desc, example in eps:
        out += [
            f"### {title}",
            "",
            f"`{meth} {path}`",
            "",
            desc,
            "",
            auth,
            "",
            "#### Example response",
            "",
            "```json",
            example,
            "```",
            "",
            errors,
            "",
        ]
    legit("docs_api_reference_repeated_blocks", "prose", "\n".join(out))

    script = [
        "[waves breaking]",
        "You came back.",
        "I said I would.",
        "You said that last time.",
        "Last time the ferry didn't run.",
        "It's run every day since March.",
        "I know.",
        "[gulls crying]",
        "Is the lamp still working?",
        "Dad fixes it every winter whether it needs it or not.",
        "How is he?",
        "Older. Quieter.",
        "Does he know I'm here?",
        "He saw the boat before I did.",
        "♪ ♪",
        "[door creaks]",
        "Mara.",
        "Hello, Dad.",
        "You'll want tea.",
        "I'd love some.",
        "The kettle's where it always was.",
        "[kettle whistling]",
        "You kept my room.",
        "Your mother wouldn't let me touch it.",
        "She's been gone six years.",
        "Then I suppose it's habit now.",
        "♪ ♪",
        "Why did you really come?",
        "The company is closing the station.",
        "They've said that before.",
        "This time there's a date. October.",
        "And they sent you to tell me.",
        "I asked to be the one.",
        "[wind rising]",
        "Then you'd better stay until October.",
        "I was hoping you'd say that.",
        "♪ ♪",
    ]
    out = []
    t = 3.2
    for i, line in enumerate(script, 1):
        dur = 1.2 + 0.06 * len(line) + random.Random(i).uniform(0, 0.8)

        def ts(x: float) -> str:
            ms = round(x * 1000)
            return (
                f"{ms // 3600000:02d}:{ms // 60000 % 60:02d}:{ms // 1000 % 60:02d},{ms % 1000:03d}"
            )

        out += [str(i), f"{ts(t)} --> {ts(t + dur)}", line, ""]
        t += dur + random.Random(100 + i).uniform(0.3, 4.5)
    legit("subtitles_srt_short_film", "prose", "\n".join(out))

    rng = random.Random(1606)
    out = ["timestamp,station,temp_c,rh_pct,pressure_hpa,wind_ms,wind_dir_deg,rain_mm"]
    tt = _dt.datetime(2024, 4, 10, 0, 0)
    temps = {"LEJ": 7.5, "DRS": 6.9, "ERF": 5.8}
    for _ in range(110):
        for st in ("LEJ", "DRS", "ERF"):
            hour = tt.hour + tt.minute / 60
            temps[st] += 0.35 * (
                9 + 6 * math.sin((hour - 9) / 24 * 2 * math.pi) - temps[st]
            ) + rng.gauss(0, 0.25)
            rain = round(max(0.0, rng.gauss(-0.6, 0.5)), 1)
            out.append(
                f"{tt.isoformat()}Z,{st},{temps[st]:.1f},{min(100, max(30, 78 - 3 * (temps[st] - 8) + rng.gauss(0, 4))):.0f},"
                f"{1012 + rng.gauss(0, 1.5):.1f},{abs(rng.gauss(3.2, 1.4)):.1f},{int(rng.gauss(250, 35)) % 360},{rain}"
            )
        tt += _dt.timedelta(minutes=30)
    legit("csv_weather_station_readings", "data", "\n".join(out))

    legit(
        "code_unified_diff_version_bumps",
        "code",
        T("""
        diff --git a/packages/api/package.json b/packages/api/package.json
        index 3f1c2e4..8a90b17 100644
        --- a/packages/api/package.json
        +++ b/packages/api/package.json
        @@ -12,14 +12,14 @@
           "dependencies": {
        -    "@fastify/cors": "^8.5.0",
        -    "@fastify/helmet": "^11.1.1",
        -    "fastify": "^4.26.0",
        -    "pino": "^8.17.2",
        -    "zod": "^3.22.4"
        +    "@fastify/cors": "^9.0.1",
        +    "@fastify/helmet": "^11.1.1",
        +    "fastify": "^4.27.0",
        +    "pino": "^9.1.0",
        +    "zod": "^3.23.8"
           },
           "devDependencies": {
        -    "typescript": "^5.3.3",
        -    "vitest": "^1.2.2"
        +    "typescript": "^5.4.5",
        +    "vitest": "^1.6.0"
           }
         }
        diff --git a/packages/web/package.json b/packages/web/package.json
        index 77b0d2a..c41e9f3 100644
        --- a/packages/web/package.json
        +++ b/packages/web/package.json
        @@ -9,18 +9,18 @@
           "dependencies": {
        -    "react": "^18.2.0",
        -    "react-dom": "^18.2.0",
        -    "react-router-dom": "^6.21.3",
        -    "@tanstack/react-query": "^5.17.19"
        +    "react": "^18.3.1",
        +    "react-dom": "^18.3.1",
        +    "react-router-dom": "^6.23.1",
        +    "@tanstack/react-query": "^5.37.1"
           },
           "devDependencies": {
        -    "@vitejs/plugin-react": "^4.2.1",
        -    "typescript": "^5.3.3",
        -    "vite": "^5.0.12",
        -    "vitest": "^1.2.2"
        +    "@vitejs/plugin-react": "^4.3.0",
        +    "typescript": "^5.4.5",
        +    "vite": "^5.2.11",
        +    "vitest": "^1.6.0"
           }
         }
        diff --git a/packages/api/src/server.ts b/packages/api/src/server.ts
        index 5d2e1aa..f0b3c62 100644
        --- a/packages/api/src/server.ts
        +++ b/packages/api/src/server.ts
        @@ -1,6 +1,6 @@
         import Fastify from "fastify";
         import cors from "@fastify/cors";
        -import { logger } from "./logger";
        +import { logger } from "./logger.js";
         import { registerRoutes } from "./routes";

         export async function buildServer() {
        @@ -8,7 +8,9 @@ export async function buildServer() {
             logger,
             trustProxy: true,
           });
        -  await app.register(cors, { origin: true });
        +  // @fastify/cors 9 no longer reflects the request origin by default
        +  await app.register(cors, { origin: process.env.CORS_ORIGIN?.split(",") ?? true });
           await registerRoutes(app);
           return app;
         }
    """),
    )

    rng = random.Random(1608)
    t = _dt.datetime(2024, 5, 23, 3, 12, 40)
    out = []
    for ln in [
        "worker-2 INFO  job=export-7731 picked up (queue=exports, priority=normal)",
        "worker-2 INFO  job=export-7731 fetching 18,204 rows from warehouse",
        "worker-1 INFO  job=thumb-99120 done in 0.84s",
    ]:
        t += _dt.timedelta(seconds=rng.randint(1, 4))
        out.append(f"{t.isoformat(timespec='milliseconds')}Z {ln}")
    delay = 1.0
    for attempt in range(1, 7):
        t += _dt.timedelta(seconds=delay + rng.uniform(0, 0.4))
        out.append(
            f"{t.isoformat(timespec='milliseconds')}Z worker-2 WARN  job=export-7731 upload to s3://exports-eu/7731.csv.gz failed: "
            f"{rng.choice(['connection reset by peer', 'SlowDown: please reduce your request rate', 'read timeout after 30s'])} (attempt {attempt}/8, next retry in {delay * 2:.0f}s)"
        )
        if attempt in (2, 4):
            t += _dt.timedelta(seconds=0.3)
            out.append(
                f"{t.isoformat(timespec='milliseconds')}Z worker-1 INFO  job=thumb-{99120 + attempt * 3} done in {rng.uniform(0.4, 1.9):.2f}s"
            )
        delay *= 2
    t += _dt.timedelta(seconds=delay)
    out.append(
        f"{t.isoformat(timespec='milliseconds')}Z worker-2 INFO  job=export-7731 upload succeeded on attempt 7 (4.1 MB, 2.3s)"
    )
    out.append(
        f"{t.isoformat(timespec='milliseconds')}Z worker-2 INFO  job=export-7731 done in {(delay * 2 + 12):.0f}s, notifying user 40931"
    )
    for _ in range(14):
        t += _dt.timedelta(seconds=rng.randint(2, 40))
        w = rng.choice(["worker-1", "worker-2", "worker-3"])
        out.append(
            f"{t.isoformat(timespec='milliseconds')}Z {w} INFO  job=thumb-{rng.randint(99130, 99400)} done in {rng.uniform(0.3, 2.4):.2f}s"
        )
    legit("log_worker_retry_backoff", "log", "\n".join(out))


# =============================================================================
# main
# =============================================================================


def write_all() -> None:
    for d in (LOOP_DIR, LEGIT_DIR):
        d.mkdir(parents=True, exist_ok=True)
        for old in d.glob("*.txt"):
            old.unlink()
    loop_index: dict[str, dict[str, object]] = {}
    for i, (name, rec) in enumerate(LOOPS.items(), 1):
        fname = f"{i:02d}_{name}.txt"
        (LOOP_DIR / fname).write_text(str(rec["text"]), encoding="utf-8", newline="")
        loop_index[fname] = {
            "loop_start": rec["loop_start"],
            "unit_chars": rec["unit_chars"],
            "kind": rec["kind"],
            "variation": rec["variation"],
        }
    legit_index: dict[str, dict[str, object]] = {}
    order = [
        "table",
        "code",
        "chess",
        "list",
        "song",
        "data",
        "log",
        "prose",
        "reasoning",
        "separators",
    ]
    legit_items = sorted(LEGITS.items(), key=lambda kv: order.index(str(kv[1]["kind"])))
    for i, (name, rec) in enumerate(legit_items, 1):
        fname = f"{i:02d}_{name}.txt"
        (LEGIT_DIR / fname).write_text(str(rec["text"]), encoding="utf-8", newline="")
        legit_index[fname] = {"kind": rec["kind"], "chars": len(str(rec["text"]))}
    (LOOP_DIR / "index.json").write_text(
        json.dumps(loop_index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    (LEGIT_DIR / "index.json").write_text(
        json.dumps(legit_index, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def main() -> None:
    loops_reasoning()
    loops_counting()
    loops_template()
    loops_degenerate()
    loops_tool_calls()
    loops_chess()
    loops_long_units()
    loops_non_english()
    loops_code_fence()
    loops_table()
    legit_tables()
    legit_code()
    legit_chess()
    legit_lists()
    legit_songs()
    legit_json()
    legit_logs()
    legit_prose()
    legit_reasoning_misc()
    legit_hard_negatives()
    write_all()
    size = sum(p.stat().st_size for d in (LOOP_DIR, LEGIT_DIR) for p in d.glob("*.txt"))
    print(f"loop files: {len(LOOPS)}, legit files: {len(LEGITS)}, total {size:,} bytes")


if __name__ == "__main__":
    main()

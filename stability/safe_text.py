"""Make model text inert before it reaches a terminal.

Model output may contain ANSI/OSC escape sequences (which can retitle a
window, hide text or write to the clipboard) and Rich markup. Everything a
model wrote passes through :func:`safe_text` before display: escape sequences
and control characters become visible ``\\x1b``-style escapes, and callers
print with markup off.
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (0x80-0x9f, which
# some terminals treat as CSI/OSC introducers), plus bidi overrides that can
# reorder what a reader sees.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """Return ``text`` with every control character shown as an escape.

    Newlines and tabs are kept; carriage returns are escaped so a model
    cannot overwrite a line already printed.
    """
    return _UNSAFE.sub(_escape, text)


def safe_line(text: str, limit: int = 200) -> str:
    """One line of safe text, bounded, for tables and progress lines."""
    flat = safe_text(text).replace("\n", " ").replace("\t", " ")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

"""Check that the top-level ``watchdog`` package is ours, not PyPI's namesake.

Our wheel ships a top-level ``watchdog`` package; the popular PyPI package of
the same name (filesystem events) would shadow or overwrite it if installed
into the same environment. We cannot share the name with it, so we detect the
clash and tell the user how to isolate the install instead of failing later
with a confusing ImportError.
"""

from __future__ import annotations

import importlib
import importlib.util

from stability.errors import HarnessError

ADVICE = (
    "install llm-stability into its own environment: "
    "'pipx install llm-stability' or 'uv tool install llm-stability'"
)


def check_watchdog_package() -> None:
    """Raise HarnessError with one line of advice when ``watchdog`` is not ours."""
    spec = importlib.util.find_spec("watchdog")
    where = spec.origin if spec is not None else None
    if spec is None:
        raise HarnessError(f"stability's 'watchdog' package is missing; {ADVICE}")
    try:
        module = importlib.import_module("watchdog")
    except ImportError as exc:
        raise HarnessError(f"cannot import 'watchdog' ({exc}); {ADVICE}") from exc
    if getattr(module, "IS_STABILITY_WATCHDOG", False) is not True:
        raise HarnessError(
            f"the 'watchdog' package at {where} is the PyPI filesystem-events package, "
            f"not stability's; {ADVICE}"
        )

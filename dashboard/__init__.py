"""The live Textual dashboard (``stability dashboard``).

Only this package imports Textual; headless runs never load it (the CLI
imports :mod:`dashboard.app` inside its command). :mod:`dashboard.feed` and
:mod:`dashboard.viewmodel` hold everything that does not need Textual.
"""

from __future__ import annotations

__all__: list[str] = []

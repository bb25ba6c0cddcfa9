"""The live Textual dashboard (``stability dashboard``).

Only this package imports Textual; headless runs never load it. The screens
arrive with the dashboard issue; the package exists now so the wheel and the
import contracts already have their final shape.
"""

from __future__ import annotations

__all__: list[str] = []

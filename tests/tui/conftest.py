from __future__ import annotations

import os

# Snapshots and Pilot timing must not depend on animations.
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

"""stability: will this model finish long work, or loop, drift and run all night?

The core package: shared types, the model client, the sim server, the store,
sessions and the runner. Scenarios and watchdogs live in their own packages
and plug in through :mod:`stability.protocols`.
"""

from __future__ import annotations

from stability.errors import StabilityError
from stability.types import Chunk, ChunkKind, Outcome, Reply, Severity, Step, Verdict

__all__ = [
    "Chunk",
    "ChunkKind",
    "Outcome",
    "Reply",
    "Severity",
    "StabilityError",
    "Step",
    "Verdict",
    "__version__",
]

__version__ = "0.1.0"

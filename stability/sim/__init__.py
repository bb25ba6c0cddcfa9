"""Simulated models served over real HTTP, so every failure path meets a real wire.

``sim:PERSONA[?k=v&…]`` model specs name a persona (:data:`PERSONAS`) and its
parameters; :class:`SimServer` serves them on loopback from a background
thread, :func:`run_sim_server` in the foreground (``stability sim-server``).
"""

from __future__ import annotations

from stability.sim.server import SimServer, create_app, run_sim_server
from stability.sim.spec import FAULT_KINDS, PERSONAS, PersonaSpec, parse_persona_spec

__all__ = [
    "FAULT_KINDS",
    "PERSONAS",
    "PersonaSpec",
    "SimServer",
    "create_app",
    "parse_persona_spec",
    "run_sim_server",
]

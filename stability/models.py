"""Resolving ``--model SPEC`` into a server to talk to.

Three kinds of spec (DESIGN §1): ``sim:PERSONA[?k=v&…]`` starts the built-in
sim server on loopback; ``local[:NAME]`` is the embedded model; anything else
is a model name on an OpenAI-compatible server given by ``--base-url`` or
``OPENAI_BASE_URL``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from stability.errors import ConfigError
from stability.sim import PERSONAS, SimServer, parse_persona_spec

SIM_PREFIX = "sim:"
LOCAL_NAME = "local"


@dataclass(frozen=True, slots=True)
class ModelTarget:
    """A resolved model: what to record, what to send, and where.

    Attributes:
        label: recorded as the run's ``model`` (the spec the user gave).
        wire_model: the ``model`` field of each request.
        base_url: the server's base URL, with any credentials removed.
        sim_spec: the persona spec when the sim server must be started.
    """

    label: str
    wire_model: str
    base_url: str
    sim_spec: str | None = None


def redact_url(url: str) -> str:
    """Drop user:password and the query string: keys must never be stored."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def resolve_model(spec: str | None, base_url: str | None) -> ModelTarget:
    """Turn the user's ``--model``/``--base-url`` into a target.

    Raises:
        ConfigError: no model given, an unknown persona, a missing base URL,
            or the embedded model is not installed.
    """
    base_url = base_url or os.environ.get("OPENAI_BASE_URL") or None
    if not spec:
        raise ConfigError(
            "no --model given and the embedded local model is not installed; "
            "pass --model sim:oracle to try the tool, or --base-url URL --model NAME"
        )
    if spec.startswith(SIM_PREFIX):
        persona = spec[len(SIM_PREFIX) :]
        parse_persona_spec(persona)  # validate now: one clear error before anything starts
        return ModelTarget(label=spec, wire_model=persona, base_url="", sim_spec=persona)
    if spec == LOCAL_NAME or spec.startswith(LOCAL_NAME + ":"):
        raise ConfigError(
            "the embedded local model is not available in this version; "
            "pass --model sim:oracle, or --base-url URL --model NAME"
        )
    if not base_url:
        raise ConfigError(
            f"--model {spec} needs a server: pass --base-url URL (or set OPENAI_BASE_URL)"
        )
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"--base-url {base_url!r} is not an http(s) URL")
    return ModelTarget(label=spec, wire_model=spec, base_url=base_url.rstrip("/"))


@contextmanager
def serving(target: ModelTarget) -> Iterator[ModelTarget]:
    """Start what the target needs (the sim server) for the duration of a block."""
    if target.sim_spec is None:
        yield target
        return
    server = SimServer()
    url = server.start()
    try:
        yield ModelTarget(target.label, target.wire_model, url, target.sim_spec)
    finally:
        server.stop()


def catalog() -> list[tuple[str, str, str]]:
    """Model specs available here as (spec, status, description) rows."""
    rows = [(f"sim:{name}", "built in", text) for name, text in PERSONAS.items()]
    rows.append(
        (
            LOCAL_NAME,
            "not installed",
            "embedded small real model (coming; use sim:oracle or --base-url meanwhile)",
        )
    )
    rows.append(
        (
            "NAME --base-url URL",
            "any server",
            "any OpenAI-compatible server (vLLM, llama.cpp, SGLang, hosted APIs); "
            "key from $OPENAI_API_KEY or --api-key-env",
        )
    )
    return rows

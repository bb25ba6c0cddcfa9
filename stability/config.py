"""Configuration from ``stability.toml`` and ``--watchdog NAME.PARAM=VALUE``.

Precedence, lowest first: built-in defaults, the config file's
``[watchdog.NAME]`` tables, then command-line options. Values are validated
by the watchdog registry; this module only parses and merges.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from stability.errors import ConfigError

DEFAULT_CONFIG = "stability.toml"

Settings = dict[str, dict[str, Any]]


def load_config(path: str | Path | None) -> dict[str, Any]:
    """Read a TOML config; a missing default file is an empty config.

    Raises:
        ConfigError: the named file is missing or not valid TOML.
    """
    explicit = path is not None
    target = Path(path) if path is not None else Path(DEFAULT_CONFIG)
    if not target.exists():
        if explicit:
            raise ConfigError(f"config file {target} does not exist")
        return {}
    try:
        data = tomllib.loads(target.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {target} is not valid TOML: {exc}") from exc
    unknown = set(data) - {"watchdog"}
    if unknown:
        raise ConfigError(f"config file {target}: unknown section(s) {', '.join(sorted(unknown))}")
    return data


def watchdog_settings_from_config(config: Mapping[str, Any]) -> Settings:
    """The ``[watchdog.NAME]`` tables as settings.

    Raises:
        ConfigError: ``[watchdog]`` holds something other than tables.
    """
    section = config.get("watchdog", {})
    out: Settings = {}
    for name, params in section.items():
        if not isinstance(params, dict):
            raise ConfigError(f"[watchdog] {name} must be a table like [watchdog.{name}]")
        out[name] = dict(params)
    return out


def parse_overrides(items: Iterable[str]) -> Settings:
    """Parse ``NAME.PARAM=VALUE`` items.

    Raises:
        ConfigError: an item without a dot or an equals sign.
    """
    out: Settings = {}
    for item in items:
        key, sep, value = item.partition("=")
        name, dot, param = key.strip().partition(".")
        if not sep or not dot or not name or not param:
            raise ConfigError(
                f"--watchdog {item!r}: expected NAME.PARAM=VALUE, e.g. text_loop.short_span=300"
            )
        out.setdefault(name, {})[param] = value.strip()
    return out


def merge(*layers: Mapping[str, Mapping[str, Any]]) -> Settings:
    """Later layers override earlier ones, parameter by parameter."""
    out: Settings = {}
    for layer in layers:
        for name, params in layer.items():
            out.setdefault(name, {}).update(params)
    return out

"""Settings: defaults, then a YAML/JSON config file, then ``MOCKAPI_*`` environment variables, then flags."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

VALIDATION_LEVELS = ("faithful", "schema")


class ConfigError(ValueError):
    """The config file or an environment variable is invalid; the message names the source."""


@dataclass(frozen=True)
class KeyInfo:
    """What a configured API key maps to: the organizations and projects it may act in, and its tier.

    ``organizations``/``projects`` list what the ``OpenAI-Organization``/``OpenAI-Project`` headers may
    select; the first is the default (``organization``/``project``, which a config may give alone).
    """

    organization: str | None = None
    project: str | None = None
    tier: str | None = None
    admin: bool | None = None  # an admin key for the Administration API; unset: keys starting ``sk-admin-`` are admin
    organizations: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # One source of truth: the default leads the allowed list, and the list's head is the default.
        for single, plural in (("organization", "organizations"), ("project", "projects")):
            listed = getattr(self, plural)
            listed = (listed,) if isinstance(listed, str) else tuple(listed or ())
            allowed = tuple(dict.fromkeys(v for v in (getattr(self, single), *listed) if v))
            if not all(isinstance(v, str) for v in allowed):
                raise ConfigError(f"{plural} must be names (strings), not {allowed!r}")
            object.__setattr__(self, plural, allowed)
            object.__setattr__(self, single, allowed[0] if allowed else None)


@dataclass(frozen=True)
class Settings:
    """Everything that shapes one mock server (or one in-process engine)."""

    host: str = "127.0.0.1"
    port: int = 8000
    seed: int = 0
    validation: str = "faithful"
    keys: Mapping[str, KeyInfo] = field(default_factory=dict)
    models: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    fixtures: tuple[str, ...] = ()
    tier: str = "tier-5"
    store: str = "memory"
    admin_token: str | None = None
    unknown_ids: str = "404"
    journal_size: int = 1000
    latency: str = "off"
    workers: int = 1
    frozen_time: float | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def with_overrides(self, **changes: Any) -> "Settings":
        """A copy with the non-None ``changes`` applied and checked."""
        clean = {k: v for k, v in changes.items() if v is not None}
        return _checked(replace(self, **clean))


_ENV = {
    "MOCKAPI_HOST": ("host", str),
    "MOCKAPI_PORT": ("port", int),
    "MOCKAPI_SEED": ("seed", int),
    "MOCKAPI_VALIDATION": ("validation", str),
    "MOCKAPI_STORE": ("store", str),
    "MOCKAPI_ADMIN_TOKEN": ("admin_token", str),
    "MOCKAPI_WORKERS": ("workers", int),
    "MOCKAPI_TIER": ("tier", str),
    "MOCKAPI_LATENCY": ("latency", str),
    "MOCKAPI_UNKNOWN_IDS": ("unknown_ids", str),
    "MOCKAPI_FIXTURES": ("fixtures", lambda v: tuple(p for p in v.split(os.pathsep) if p)),
}

# The environment variables the server reads; the compose file and the docs name only these.
ENV_VARS = tuple(sorted([*_ENV, "MOCKAPI_CONFIG"]))


def _checked(settings: Settings) -> Settings:
    if settings.validation not in VALIDATION_LEVELS:
        raise ConfigError(f"validation must be one of {VALIDATION_LEVELS}, not {settings.validation!r}")
    if settings.unknown_ids not in ("404", "synthesize"):
        raise ConfigError(f"unknown_ids must be '404' or 'synthesize', not {settings.unknown_ids!r}")
    if not 0 < settings.port < 65536:
        raise ConfigError(f"port must be 1-65535, not {settings.port}")
    azure = settings.extra.get("azure")
    if azure is not None:
        if not isinstance(azure, Mapping) or set(azure) - {"default_model", "unknown_deployments"}:
            raise ConfigError("azure must be a mapping with default_model and/or unknown_deployments")
        if str(azure.get("unknown_deployments", "serve")) not in ("serve", "404"):
            raise ConfigError(f"azure.unknown_deployments must be 'serve' or '404', not {azure['unknown_deployments']!r}")
        if not isinstance(azure.get("default_model", ""), (str, Mapping)):
            raise ConfigError("azure.default_model must be a model id, or a mapping of operation path to model id")
    webhooks = settings.extra.get("webhooks")
    if webhooks is not None and (not isinstance(webhooks, Mapping) or set(webhooks) - {"url", "secret"}
                                 or not str(webhooks.get("url") or "").startswith(("http://", "https://"))):
        raise ConfigError("webhooks must be a mapping with an http(s) url and optionally a secret (whsec_...)")
    if settings.store != "memory" and not settings.store.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"store must be 'memory' or a redis:// URL, not {settings.store!r}")
    return settings


def load_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML or JSON config file into a dict, failing loudly with its path."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ConfigError(f"{p}: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{p}: the config must be a mapping")
    return data


def from_mapping(data: Mapping[str, Any], base: Settings | None = None, source: str = "config") -> Settings:
    """Settings from a config mapping (as read from a file)."""
    known = {f.name for f in fields(Settings)}
    values: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in data.items():
        if key == "keys":
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: keys must map each API key to its organization/project/tier")
            values["keys"] = {str(k): _key_info(source, str(k), v) for k, v in value.items()}
        elif key == "fixtures":
            values["fixtures"] = tuple([value] if isinstance(value, str) else value)
        elif key in known:
            values[key] = value
        else:
            extra[key] = value
    if extra:
        values["extra"] = extra
    try:
        return _checked(replace(base or Settings(), **values))
    except TypeError as exc:
        raise ConfigError(f"{source}: {exc}") from exc


def _key_info(source: str, key: str, value: Any) -> KeyInfo:
    """One ``keys:`` entry: a mapping of organization(s), project(s) and tier."""
    if value is not None and not isinstance(value, Mapping):
        raise ConfigError(f"{source}: keys.{_masked(key)} must be a mapping of organizations/projects/tier")
    try:
        return KeyInfo(**(value or {}))
    except TypeError as exc:
        known = ", ".join(f.name for f in fields(KeyInfo))
        raise ConfigError(f"{source}: keys.{_masked(key)}: {exc} (known fields: {known})") from None


def _masked(key: str) -> str:
    """A configured key as error messages name it (never the whole secret)."""
    return key[:6] + "…" if len(key) > 8 else "…"


def load_settings(config: str | Path | None = None, env: Mapping[str, str] | None = None, **flags: Any) -> Settings:
    """Defaults < config file (``config`` or ``MOCKAPI_CONFIG``) < environment < flags."""
    env = os.environ if env is None else env
    settings = Settings()
    path = config or env.get("MOCKAPI_CONFIG")
    if path:
        settings = from_mapping(load_file(path), settings, source=str(path))
    env_values: dict[str, Any] = {}
    for name, (attr, conv) in _ENV.items():
        if env.get(name):
            try:
                env_values[attr] = conv(env[name])
            except ValueError as exc:
                raise ConfigError(f"{name}: {exc}") from exc
    return settings.with_overrides(**env_values).with_overrides(**flags)

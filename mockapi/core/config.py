"""Settings: defaults, then a YAML/JSON config file, then ``MOCKAPI_*`` environment variables, then flags."""

from __future__ import annotations

import difflib
import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Mapping

import yaml

VALIDATION_LEVELS = ("faithful", "schema")
# sk: keys must look like OpenAI keys (sk-, sk-proj-...); any: every bearer token passes; auto (the default): sk at
# level faithful, any at level schema, where generated SDK suites send "My API Key" as spec mocks let them.
KEY_FORMATS = ("auto", "sk", "any")
# Config keys kept in ``Settings.extra`` that some part of the mock reads (docs name each one).
EXTRA_KEYS = ("azure", "azure_deployments", "journal", "limits", "progress", "public_url", "rate_limits", "recording",
              "webhooks")


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
    key_format: str = "auto"
    extra: Mapping[str, Any] = field(default_factory=dict)

    def with_overrides(self, **changes: Any) -> "Settings":
        """A copy with the non-None ``changes`` applied and checked."""
        clean = {k: v for k, v in changes.items() if v is not None}
        return _checked(replace(self, **clean))

    @property
    def any_key(self) -> bool:
        """Whether every bearer token passes as a key (``key_format``, or ``auto`` at level ``schema``)."""
        return self.key_format == "any" or (self.key_format == "auto" and self.validation == "schema")


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
    "MOCKAPI_KEY_FORMAT": ("key_format", str),
    "MOCKAPI_FIXTURES": ("fixtures", lambda v: tuple(p for p in v.split(os.pathsep) if p)),
}

# The environment variables the server reads; the compose file and the docs name only these.
ENV_VARS = tuple(sorted([*_ENV, "MOCKAPI_CONFIG"]))


def known_keys() -> tuple[str, ...]:
    """Every key a config file may hold."""
    return tuple(sorted({f.name for f in fields(Settings)} - {"extra"} | set(EXTRA_KEYS)))


def _unknown_key(key: str, source: str) -> ConfigError:
    close = difflib.get_close_matches(str(key), known_keys(), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f"; known keys: {', '.join(known_keys())}"
    return ConfigError(f"{source}: unknown config key {key!r}{hint}")


# The type each plain setting must have (bool is refused where a number is expected: YAML reads `yes` as True).
_TYPES: dict[str, tuple[type, ...]] = {
    "host": (str,), "port": (int,), "seed": (int,), "validation": (str,), "tier": (str,), "store": (str,),
    "unknown_ids": (str,), "journal_size": (int,), "latency": (str,), "workers": (int,), "key_format": (str,),
}


def _check_types(settings: Settings) -> None:
    for name, types in _TYPES.items():
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, types):
            kind = "an integer" if types == (int,) else "a string"
            raise ConfigError(f"{name} must be {kind}, not {value!r}")
    if settings.admin_token is not None and not isinstance(settings.admin_token, str):
        raise ConfigError(f"admin_token must be a string, not {settings.admin_token!r}")
    if settings.frozen_time is not None and (isinstance(settings.frozen_time, bool)
                                             or not isinstance(settings.frozen_time, (int, float))):
        raise ConfigError(f"frozen_time must be a number of seconds, not {settings.frozen_time!r}")
    if not isinstance(settings.models, Mapping) or not all(isinstance(v, Mapping) for v in settings.models.values()):
        raise ConfigError("models must map each model id to its fields (context_window, max_output_tokens...)")
    if not all(isinstance(f, (str, os.PathLike)) for f in settings.fixtures):
        raise ConfigError(f"fixtures must be a directory or a list of directories, not {list(settings.fixtures)!r}")


def _check_store(store: str) -> None:
    if store == "memory":
        return
    if not store.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(f"store must be 'memory' or a redis:// URL, not {store!r}")
    from urllib.parse import urlsplit

    try:
        url = urlsplit(store)
        url.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ConfigError(f"store {store!r} is not a valid URL: {exc}") from None
    if url.scheme != "unix" and not url.hostname:
        raise ConfigError(f"store {store!r} names no host (expected redis://host:port/db)")
    db = url.path.strip("/")
    if url.scheme != "unix" and db and not db.isdigit():
        raise ConfigError(f"store {store!r}: the database must be a number (redis://host:port/0), not {db!r}")


def _checked(settings: Settings) -> Settings:
    _check_types(settings)
    if settings.validation not in VALIDATION_LEVELS:
        raise ConfigError(f"validation must be one of {VALIDATION_LEVELS}, not {settings.validation!r}")
    if settings.unknown_ids not in ("404", "synthesize"):
        raise ConfigError(f"unknown_ids must be '404' or 'synthesize', not {settings.unknown_ids!r}")
    if not 0 < settings.port < 65536:
        raise ConfigError(f"port must be 1-65535, not {settings.port}")
    if settings.workers < 1:
        raise ConfigError(f"workers must be at least 1, not {settings.workers}")
    if settings.journal_size < 0:
        raise ConfigError(f"journal_size must be 0 or more, not {settings.journal_size}")
    if settings.key_format not in KEY_FORMATS:
        raise ConfigError(f"key_format must be one of {KEY_FORMATS}, not {settings.key_format!r}")
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
    _check_store(settings.store)
    return settings


def describe_read_error(exc: BaseException) -> str:
    """A file's read or parse error on one line (YAML's own message spans several, with a caret)."""
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        mark = exc.problem_mark
        return f"not valid YAML at line {mark.line + 1}, column {mark.column + 1}: {exc.problem}"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return " ".join(str(exc).split())


def load_file(path: str | Path) -> dict[str, Any]:
    """Read a YAML or JSON config file into a dict, failing loudly with its path."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
        data = json.loads(text) if p.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ConfigError(f"{p}: {describe_read_error(exc)}") from None
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
            if not isinstance(value, (str, list, tuple, type(None))):
                raise ConfigError(f"{source}: fixtures must be a directory or a list of directories, not {value!r}")
            values["fixtures"] = tuple([value] if isinstance(value, str) else value or ())
        elif key in known and key != "extra":
            values[key] = value
        elif key in EXTRA_KEYS:
            extra[key] = value
        elif key == "extra" and isinstance(value, Mapping):  # settings handed to workers as JSON
            extra.update(value)
        else:
            raise _unknown_key(key, source)
    if extra:
        values["extra"] = extra
    try:
        return _checked(replace(base or Settings(), **values))
    except ConfigError as exc:
        raise ConfigError(f"{source}: {exc}") from None
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

"""The model catalogue: ids, owners and capabilities, kept as data."""

from __future__ import annotations

import datetime
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from .errors import (
    InvalidRequestError,
    MockAPIError,
    ModelNotFoundError,
    NotFoundError,
    PermissionDeniedError,
)
from .paths import fixtures_dir

# A fixed creation time per model keeps `GET /models` byte-stable across runs.
_EPOCH = 1_700_000_000
_DATE_IN_ID = re.compile(r"(20\d\d)-(\d\d)-(\d\d)")


@dataclass(frozen=True)
class ModelInfo:
    """One model the mock serves, with the capabilities the engine enforces."""

    id: str
    kind: str = "chat"
    owned_by: str = "system"
    created: int = _EPOCH
    context_window: int = 128_000
    max_output_tokens: int = 16_384
    vision: bool = True
    tools: bool = True
    json_mode: bool = True
    reasoning: bool = False
    reasoning_efforts: tuple[str, ...] = ()
    default_effort: str | None = None
    sampling: bool = True
    search: bool = False
    audio: bool = False
    voices: tuple[str, ...] = ()
    source: str = ""
    dimensions: int | None = None
    reducible: bool = False
    base: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)

    def to_api(self) -> dict[str, Any]:
        """The model as ``GET /v1/models`` renders it."""
        return {"id": self.id, "object": "model", "created": self.created, "owned_by": self.owned_by}

    def effort(self, asked: Any) -> str | None:
        """The reasoning effort a request runs at: the one asked for, else the model's default."""
        return asked if isinstance(asked, str) else self.default_effort

    def reasons(self, asked: Any) -> bool:
        """Whether a request asking for effort ``asked`` makes the model reason (spend reasoning tokens)."""
        return self.reasoning and self.effort(asked) not in (None, "none")


_FIELDS = {f for f in ModelInfo.__dataclass_fields__} - {"id", "extra"}


class Catalog:
    """Look up models by id; fine-tune ids (``ft:<base>:…``) resolve to their base."""

    def __init__(self, models: Iterable[ModelInfo]) -> None:
        self._models = {m.id: m for m in models}

    def __contains__(self, model_id: str) -> bool:
        return self.find(model_id) is not None

    def all(self) -> list[ModelInfo]:
        """Every model, sorted by id."""
        return [self._models[k] for k in sorted(self._models)]

    def find(self, model_id: str) -> ModelInfo | None:
        """The model with this id, or ``None``."""
        found = self._models.get(model_id)
        if found is not None:
            return found
        if model_id.startswith("ft:"):
            base = self._models.get(model_id.split(":")[1])
            if base is not None:
                parts = model_id.split(":")
                owner = parts[2] if len(parts) > 2 and parts[2] else "user"
                return _replace(base, id=model_id, owned_by=owner, base=base.id)
        return None

    def get(self, model_id: Any, *, param: str = "model", kinds: Iterable[str] | None = None) -> ModelInfo:
        """The model with this id, or the real API's error for an unknown model or one of the wrong kind.

        An unknown model is a 404 ``model_not_found`` whose ``param`` is null, whatever the endpoint:
        ``{"message": "The model `computer-use-preview-2025-03-11` does not exist or you do not have access
        to it.", "type": "invalid_request_error", "param": null, "code": "model_not_found"}``
        (github.com/openai/openai-agents-python/issues/458, 2025; the same body in
        github.com/Dooy/chatgpt-web-midjourney-proxy/issues/271). ``param`` names the field only for
        the wrong-kind errors below.
        """
        model = self.find(model_id) if isinstance(model_id, str) else None
        if model is None:
            raise ModelNotFoundError(f"The model `{model_id}` does not exist or you do not have access to it.")
        if kinds is not None and model.kind not in set(kinds):
            raise _wrong_kind(model, tuple(kinds), param)
        return model


def _wrong_kind(model: ModelInfo, kinds: tuple[str, ...], param: str) -> MockAPIError:
    """The error an endpoint gives for a model of another kind (the real bodies where they are known)."""
    if kinds == ("chat",):
        # source: 404 {"message": "This is not a chat model and thus not supported in the v1/chat/completions
        # endpoint. Did you mean to use v1/completions?", "type": "invalid_request_error", "param": "model",
        # "code": null} (github.com/egoist/chatwise-releases/issues/1256, 2026; a realtime model in
        # github.com/SciSharp/BotSharp/pull/959, 2025)
        return NotFoundError("This is not a chat model and thus not supported in the v1/chat/completions endpoint. "
                             "Did you mean to use v1/completions?", param=param)
    if kinds == ("embedding",):
        # source: 403 {"message": "You are not allowed to generate embeddings from this model", "type":
        # "invalid_request_error", "param": null, "code": null} for gpt-4o (github.com/infiniflow/ragflow/issues/1835,
        # 2024) and gpt-3.5-turbo (github.com/langchain-ai/langchain/issues/9270)
        error = PermissionDeniedError("You are not allowed to generate embeddings from this model")
        error.code = None
        return error
    # No real body found for the other endpoints: a 400 naming the model.
    return InvalidRequestError(f"The model `{model.id}` is not supported by this endpoint (it is a {model.kind} model).",
                               param=param, code="model_not_supported")


def _replace(model: ModelInfo, **changes: Any) -> ModelInfo:
    from dataclasses import replace

    return replace(model, **changes)


def load_catalog(sdk_models: Mapping[str, list[str]], extra: Mapping[str, Mapping[str, Any]] | None = None,
                 source: Path | None = None) -> Catalog:
    """Build the catalogue from the fixture, the SDK's model names and config additions."""
    # libyaml's parser when installed (PyYAML's wheels carry it): the pure-Python one took ~30% of an engine's start-up.
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load((source or fixtures_dir() / "models.yaml").read_text(), Loader=loader)  # noqa: S506 - a safe loader
    families = [(re.compile(f.pop("pattern")), f) for f in (dict(x) for x in data["families"])]

    def defaults_for(model_id: str) -> dict[str, Any]:
        for pattern, fields in families:
            if pattern.search(model_id):
                return dict(fields)
        return {}

    ids: dict[str, dict[str, Any]] = {}
    for family_ids in sdk_models.values():
        for model_id in family_ids:
            ids[model_id] = {}
    for model_id, fields in (data.get("models") or {}).items():
        ids[model_id] = dict(fields or {})
    for model_id, fields in (extra or {}).items():
        ids[model_id] = dict(fields or {})
    models = []
    for model_id, fields in ids.items():
        merged = {**defaults_for(model_id), **fields}
        known = {k: _field(k, v) for k, v in merged.items() if k in _FIELDS}
        known["created"] = created_at(model_id, merged.get("created"))
        models.append(ModelInfo(id=model_id, extra={k: v for k, v in merged.items() if k not in _FIELDS}, **known))
    return Catalog(models)


def _field(name: str, value: Any) -> Any:
    return tuple(value) if name in ("reasoning_efforts", "voices") else value


def created_at(model_id: str, given: Any) -> int:
    """The model's ``created`` timestamp: the date in its id, else the catalogue's date or timestamp.

    A date becomes a time of day derived from the id, so aliases released together still differ
    as real listings do, and the value is stable across runs.
    """
    found = _DATE_IN_ID.search(model_id)
    if found:
        given = found.group(0)
    if isinstance(given, int):
        return given
    if isinstance(given, datetime.date):  # YAML reads an unquoted date as a date
        given = given.isoformat()
    if isinstance(given, str):
        day = datetime.datetime.strptime(given, "%Y-%m-%d").replace(tzinfo=datetime.timezone.utc)
        return int(day.timestamp()) + zlib.crc32(model_id.encode()) % 86_400
    return _EPOCH

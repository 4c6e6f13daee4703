"""The model catalogue: ids, owners and capabilities, kept as data."""

from __future__ import annotations

import datetime
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from .errors import ModelNotFoundError
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
        """The model with this id, or a 404 ``model_not_found`` naming it."""
        model = self.find(model_id) if isinstance(model_id, str) else None
        if model is None:
            raise ModelNotFoundError(f"The model `{model_id}` does not exist or you do not have access to it.", param=param)
        if kinds is not None and model.kind not in set(kinds):
            from .errors import InvalidRequestError

            raise InvalidRequestError(
                f"The model `{model_id}` is not supported by this endpoint (it is a {model.kind} model).",
                param=param, code="model_not_supported",
            )
        return model


def _replace(model: ModelInfo, **changes: Any) -> ModelInfo:
    from dataclasses import replace

    return replace(model, **changes)


def load_catalog(sdk_models: Mapping[str, list[str]], extra: Mapping[str, Mapping[str, Any]] | None = None,
                 source: Path | None = None) -> Catalog:
    """Build the catalogue from the fixture, the SDK's model names and config additions."""
    data = yaml.safe_load((source or fixtures_dir() / "models.yaml").read_text())
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

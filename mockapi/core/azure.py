"""Azure OpenAI routes: an ``/openai/...`` request rewritten to the ``/v1/...`` operation it means.

The ``AzureOpenAI`` SDK client sends (seed-inventory E29, R6):

- ``/openai/deployments/{deployment}/<op>?api-version=…`` for the deployment operations below, where the
  deployment names a model: ``azure_deployments`` in the config maps it, else a model id is itself, else the
  longest model id the name contains (``prod-gpt-4o-mini`` -> gpt-4o-mini), else a default model; with
  ``azure: {unknown_deployments: "404"}`` an unmapped name that is not a model id is Azure's 404;
- ``/openai/<path>?api-version=…`` for every other operation (files, assistants, batches, …);
- ``/openai/v1/<path>`` for Azure's v1 API, where ``api-version`` is optional and ``model`` stays in the body.

Credentials are the ``api-key`` header or an ``Authorization: Bearer`` (Entra) token, in any format.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Iterable, Mapping, Protocol
from urllib.parse import parse_qsl, urlencode

from .config import Settings
from .errors import InvalidRequestError, NotFoundError, UnknownURLError
from .jsonutil import dumps, loads

PREFIX = "/openai/"
API_VERSION = "api-version"
# Operations the SDK sends to /openai/deployments/{model}/… (openai/lib/azure.py `_deployments_endpoints`).
DEPLOYMENT_OPERATIONS = frozenset({
    "/completions", "/chat/completions", "/embeddings", "/audio/transcriptions", "/audio/translations",
    "/audio/speech", "/images/generations", "/images/edits",
})
_DEPLOYMENT_PATH = re.compile(r"^/openai(?P<v1>/v1)?/deployments/(?P<deployment>[^/]+)(?P<operation>/.*)$")
_V1_PATH = re.compile(r"^/openai/v1(?P<rest>/.*)$")
# What an unknown deployment serves when its name contains no model id (``azure: {default_model: …}`` overrides
# it, for every operation with a string, or per operation with a mapping).
DEFAULT_MODELS = {
    "/chat/completions": "gpt-4o-mini", "/completions": "gpt-3.5-turbo-instruct", "/embeddings": "text-embedding-3-small",
    "/audio/transcriptions": "whisper-1", "/audio/translations": "whisper-1", "/audio/speech": "tts-1",
    "/images/generations": "dall-e-3", "/images/edits": "dall-e-2",
}
UNKNOWN_DEPLOYMENTS = ("serve", "404")
# Azure spells some model names without the dot (gpt-35-turbo): deployment names cannot contain one.
_AZURE_SPELLINGS = (("gpt-35", "gpt-3.5"),)
_FORM_MODEL = re.compile(rb'(name="model"\r\n(?:[^\r\n]+\r\n)*\r\n)([^\r\n]*)')


def is_azure(path: str) -> bool:
    """Whether ``path`` is an Azure OpenAI route."""
    return path.startswith(PREFIX)


def deployments(settings: Settings) -> Mapping[str, str]:
    """The deployment -> model map from the config (``azure_deployments``)."""
    raw = settings.extra.get("azure_deployments") or {}
    return {str(k): str(v.get("model") if isinstance(v, Mapping) else v) for k, v in raw.items()}


class Models(Protocol):
    """The model catalogue, as far as deployment names need it."""

    def __contains__(self, model_id: str) -> bool: ...

    def all(self) -> Iterable[Any]: ...


def options(settings: Settings) -> dict[str, Any]:
    """The ``azure:`` config section with its defaults: ``default_model`` and ``unknown_deployments``."""
    raw = settings.extra.get("azure") or {}
    return {"default_model": raw.get("default_model"), "unknown_deployments": str(raw.get("unknown_deployments", "serve"))}


def rewrite(request: Any, settings: Settings, models: Models) -> Any:
    """The ``/v1`` request an Azure request means, or a 400/404 in the Azure route's terms."""
    query = parse_qsl(request.query, keep_blank_values=True)
    version = next((v for k, v in query if k == API_VERSION), None)
    rest_query = urlencode([(k, v) for k, v in query if k != API_VERSION])
    found = _DEPLOYMENT_PATH.match(request.path)
    if found:
        v1 = bool(found["v1"])
        _require_version(version, v1)
        operation = found["operation"]
        if operation not in DEPLOYMENT_OPERATIONS:
            raise UnknownURLError(f"Invalid URL ({request.method} {request.path}): '{operation}' is not a deployment operation.")
        model = _model_for(found["deployment"], operation, settings, models)
        request = _with_model(request, model)
        return replace(request, path="/v1" + operation, query=rest_query)
    found = _V1_PATH.match(request.path)
    if found:
        return replace(request, path="/v1" + found["rest"], query=rest_query)
    _require_version(version, False)
    return replace(request, path="/v1/" + request.path[len(PREFIX):], query=rest_query)


def _require_version(version: str | None, v1: bool) -> None:
    if v1:
        return
    if not version:
        raise InvalidRequestError(
            "Missing required query parameter 'api-version'. Azure OpenAI routes need it, "
            "for example ?api-version=2024-10-21.", param=API_VERSION, code="missing_required_parameter")


def _model_for(deployment: str, operation: str, settings: Settings, models: Models) -> str:
    mapped = deployments(settings)
    if deployment in mapped:
        return mapped[deployment]
    if deployment in models:
        return deployment
    config = options(settings)
    if config["unknown_deployments"] == "404":
        # source: Azure OpenAI's answer for a deployment that does not exist, HTTP 404 (DeploymentNotFound), e.g.
        # https://github.com/MicrosoftLearning/mslearn-ai-semantic-kernel/issues/10
        raise NotFoundError(
            "The API deployment for this resource does not exist. If you created the deployment within the last "
            "5 minutes, please wait a moment and try again.", code="DeploymentNotFound")
    return contained_model(deployment, (m.id for m in models.all())) or _default_model(config["default_model"], operation)


def contained_model(deployment: str, model_ids: Iterable[str]) -> str | None:
    """The longest model id a deployment name contains as a whole (``my-gpt-4-deployment`` -> gpt-4), or None."""
    name = deployment.lower()
    for azure_spelling, model_spelling in _AZURE_SPELLINGS:
        name = re.sub(rf"(?<![a-z0-9]){azure_spelling}(?![0-9])", model_spelling, name)
    best = None
    for model_id in model_ids:
        if (best is None or len(model_id) > len(best)) and re.search(rf"(?<![a-z0-9.]){re.escape(model_id.lower())}(?![a-z0-9.])", name):
            best = model_id
    return best


def _default_model(configured: Any, operation: str) -> str:
    if isinstance(configured, Mapping):
        configured = configured.get(operation)
    return str(configured) if configured else DEFAULT_MODELS[operation]


def _with_model(request: Any, model: str) -> Any:
    """The request with its body's ``model`` set to the deployment's model."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/"):
        raw = _read(request)
        swapped = _FORM_MODEL.sub(lambda m: m.group(1) + model.encode(), raw, count=1)
        return request if swapped == raw else replace(request, body=swapped, body_file=None)
    if not request.body.strip():
        return request
    try:
        body = loads(request.body)
    except ValueError:
        return request  # the engine answers the invalid JSON
    if not isinstance(body, dict) or body.get("model") == model:
        return request
    return replace(request, body=dumps({**body, "model": model}))


def _read(request: Any) -> bytes:
    if request.body_file is None:
        return request.body
    request.body_file.seek(0)
    data = request.body_file.read()
    request.body_file.seek(0)
    return data

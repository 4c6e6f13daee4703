"""Azure OpenAI routes: an ``/openai/...`` request rewritten to the ``/v1/...`` operation it means.

The ``AzureOpenAI`` SDK client sends (seed-inventory E29, R6):

- ``/openai/deployments/{deployment}/<op>?api-version=…`` for the deployment operations below, where the
  deployment names a model (``azure_deployments`` in the config maps it; by default it is the model id);
- ``/openai/<path>?api-version=…`` for every other operation (files, assistants, batches, …);
- ``/openai/v1/<path>`` for Azure's v1 API, where ``api-version`` is optional and ``model`` stays in the body.

Credentials are the ``api-key`` header or an ``Authorization: Bearer`` (Entra) token, in any format.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Callable, Mapping
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
_FORM_MODEL = re.compile(rb'(name="model"\r\n(?:[^\r\n]+\r\n)*\r\n)([^\r\n]*)')


def is_azure(path: str) -> bool:
    """Whether ``path`` is an Azure OpenAI route."""
    return path.startswith(PREFIX)


def deployments(settings: Settings) -> Mapping[str, str]:
    """The deployment -> model map from the config (``azure_deployments``)."""
    raw = settings.extra.get("azure_deployments") or {}
    return {str(k): str(v.get("model") if isinstance(v, Mapping) else v) for k, v in raw.items()}


def rewrite(request: Any, settings: Settings, known_model: Callable[[str], bool]) -> Any:
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
        model = _model_for(found["deployment"], settings, known_model)
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


def _model_for(deployment: str, settings: Settings, known_model: Callable[[str], bool]) -> str:
    mapped = deployments(settings)
    if deployment in mapped:
        return mapped[deployment]
    if known_model(deployment):
        return deployment
    raise NotFoundError(
        "The API deployment for this resource does not exist. If you created the deployment within the last "
        "5 minutes, please wait a moment and try again.", code="DeploymentNotFound")


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

"""What a video request asks for: the form (or JSON) of ``POST /videos`` and friends, checked as the real API checks it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockapi.core.errors import InvalidRequestError, InvalidValueError, supported_values
from mockapi.core.forms import parse_form
from mockapi.core.jsonutil import loads

# source: the SDK's VideoSeconds and VideoSize types (openai/types/video_seconds.py, video_size.py)
SECONDS = ("4", "8", "12")
# An extension's own length: the SDK's docstring lists 4 to 20 though its type says 4/8/12; accept the wider set.
EXTENSION_SECONDS = ("4", "8", "12", "16", "20")
SIZES = ("720x1280", "1280x720", "1024x1792", "1792x1024")
DEFAULT_SECONDS, DEFAULT_SIZE, DEFAULT_MODEL = "4", "720x1280", "sora-2"
# sora-2 renders 720p only; sora-2-pro adds the 1024x1792 / 1792x1024 sizes.
# source: https://platform.openai.com/docs/models/sora-2 and /docs/models/sora-2-pro (output resolutions),
# https://platform.openai.com/docs/guides/video-generation ("size: 720x1280, 1280x720 for sora-2")
PRO_ONLY_SIZES = ("1024x1792", "1792x1024")
UPLOAD_LIMIT = 50 * 1024 * 1024


@dataclass
class VideoRequest:
    """The fields of a video request (form or JSON); ``uploads`` names the file parts sent."""

    fields: dict[str, Any]
    uploads: dict[str, Any]


def read(request: Any) -> VideoRequest:
    """The request's fields, from a multipart form (what the SDK sends) or a JSON body."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/json":
        try:
            body = loads(request.body) if request.body.strip() else {}
        except ValueError:
            body = None
        if not isinstance(body, dict):
            raise InvalidRequestError("We could not parse the JSON body of your request.", param=None, code=None)
        return VideoRequest(body, {})
    too_large = lambda u: InvalidRequestError(  # the form reader calls it with the upload
        f"Uploaded file is too large: it must be less than 50 MB, got {u.size} bytes or more.", param=None,
        code="file_too_large")
    form = parse_form(request, UPLOAD_LIMIT, too_large)
    fields: dict[str, Any] = {}
    for name, value in form.fields.items():
        outer, _, inner = name.partition("[")
        if inner:  # input_reference[file_id]=... is the nested object, sent as a form field
            fields.setdefault(outer, {})[inner.rstrip("]")] = value
        else:
            fields[name] = value
    return VideoRequest(fields, {name: uploads[0] for name, uploads in form.files.items()})


def reject_unknown(req: VideoRequest, allowed: set[str]) -> None:
    """The real API's answer to a parameter it does not know."""
    unknown = sorted((set(req.fields) | set(req.uploads)) - allowed)
    if unknown:
        raise InvalidRequestError(f"Unrecognized request argument supplied: {unknown[0]}", param=None, code=None)


def prompt(req: VideoRequest) -> str:
    """The required ``prompt``."""
    value = req.fields.get("prompt")
    if not isinstance(value, str) or not value:
        raise InvalidRequestError("Missing required parameter: 'prompt'.", param="prompt", code="missing_required_parameter")
    return value


def seconds(req: VideoRequest, default: str | None = DEFAULT_SECONDS, allowed: tuple[str, ...] = SECONDS) -> str:
    """``seconds``: one of the SDK's VideoSeconds strings (numbers are accepted as their text)."""
    value = req.fields.get("seconds", default)
    text = str(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else repr(value)
    if value is None:
        raise InvalidRequestError("Missing required parameter: 'seconds'.", param="seconds", code="missing_required_parameter")
    if text not in allowed:
        # source: "Invalid value: '10'. Supported values are: '4', '8', and '12'." (param seconds, code invalid_value),
        # quoted verbatim from the real API's 400 in several public projects' notes and test fixtures; no issue URL found
        raise InvalidValueError(f"Invalid value: '{text}'. Supported values are: {supported_values(allowed)}.", param="seconds")
    return text


def size(req: VideoRequest, model: str) -> str:
    """``size``: one of the SDK's VideoSize values that ``model`` renders."""
    value = str(req.fields.get("size") or DEFAULT_SIZE)
    if value not in SIZES:
        # source: "Invalid value: '1920x1080'. Supported values are: '720x1280', '1280x720', '1024x1792', and
        # '1792x1024'." quoted from the real API in public project notes; 1920x1080 is "not part of the supported public
        # Videos API size contract" (OpenAI staff, github.com/openai/openai-node/issues/1789)
        raise InvalidValueError(f"Invalid value: '{value}'. Supported values are: {supported_values(SIZES)}.", param="size")
    if value in PRO_ONLY_SIZES and "pro" not in model:
        # documented limit (sora-2 renders 720x1280 and 1280x720, see PRO_ONLY_SIZES above); no public report quotes the
        # server's words, so the generic invalid_value wording (the model-specific "Supported values for model ..."
        # wording was invented)
        allowed = tuple(s for s in SIZES if s not in PRO_ONLY_SIZES)
        raise InvalidValueError(f"Invalid value: '{value}'. Supported values are: {supported_values(allowed)}.", param="size")
    return value


def reference_id(req: VideoRequest, name: str) -> str | None:
    """The id in a ``{"id": ...}`` reference (``video`` of edits and extensions), or None for an upload."""
    value = req.fields.get(name)
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return value["id"]
    if name in req.uploads:
        return None
    raise InvalidRequestError(f"Missing required parameter: '{name}'.", param=name, code="missing_required_parameter")

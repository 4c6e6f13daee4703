"""Request limits: body size, JSON nesting depth and read timeouts, plus parsing a JSON body within them.

Configured under ``limits:`` in the config file (every field optional)::

    limits: {max_body_bytes: 64MB, max_json_depth: 128, body_timeout: 30, keep_alive_timeout: 5,
             max_multipart_bytes: {files: 10MB, audio: 1MB},   # or one size for every upload route
             max_unstored_responses: 10000}

``max_body_bytes`` bounds JSON (and every other non-multipart) body; ``max_multipart_bytes`` bounds a
``multipart/form-data`` body, per upload route (defaults: :data:`MULTIPART_DEFAULTS`). The doors
enforce both while reading (no byte past the limit is buffered) and the read timeout; the engine checks
size and depth again, so an in-process transport gets the same answers. ``max_unstored_responses`` bounds
what the mock remembers of ``store: false`` responses (their ids, per tenant; the oldest are forgotten first).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from .errors import InvalidJSONError, InvalidRequestError, PayloadTooLargeError
from .jsonutil import loads

# The real API's largest JSON bodies are vision requests: "Up to 50 MB total payload size per request"
# (source: https://platform.openai.com/docs/guides/images-vision, "Image input requirements"). The default
# leaves room above that, so no body the real API takes is refused here.
DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024
# Deeper JSON than this is refused before validation, whose recursion would otherwise fail near 1,000
# levels. Real bodies are shallow: a strict structured-output schema allows 10 levels of nesting
# (source: https://platform.openai.com/docs/guides/structured-outputs, "Supported schemas"), about 30 JSON levels.
DEFAULT_MAX_JSON_DEPTH = 128
# A multipart body holds its files plus text fields and part headers: this much room is left above the files.
FORM_OVERHEAD = 1 << 20
_MiB = 1 << 20
# The largest multipart body each upload route takes, by route name (config: limits.max_multipart_bytes).
MULTIPART_DEFAULTS: dict[str, int] = {
    # "Individual files can be up to 512 MB" (https://platform.openai.com/docs/api-reference/files/create)
    "files": 512 * _MiB + FORM_OVERHEAD,
    # "Each Part can be at most 64 MB" (https://platform.openai.com/docs/api-reference/uploads/add-part)
    "upload_parts": 64 * _MiB + FORM_OVERHEAD,
    # The whole request, observed: 413 "Maximum content size limit (26214400) exceeded (222592852 bytes read)"
    # (github.com/chidiwilliams/buzz/issues/381); the docs: "File uploads are currently limited to 25 MB".
    "audio": 26214400,
    # "each image should be a png, webp, or jpg file less than 50MB. You can provide up to 16 images", and a
    # mask "less than 4MB" (https://platform.openai.com/docs/api-reference/images/createEdit)
    "images": 16 * 50 * _MiB + 4 * _MiB + FORM_OVERHEAD,
    # an input_reference / video upload: the videos family refuses one over 50 MB (mockapi/api/videos/params.py)
    "videos": 50 * _MiB + FORM_OVERHEAD,
    # a skill's files total at most 50 MB (mockapi/api/skills/bundle.py)
    "skills": 50 * _MiB + FORM_OVERHEAD,
    # container files take the same files as /v1/files (up to 512 MB each)
    "container_files": 512 * _MiB + FORM_OVERHEAD,
    # any other multipart body (the realtime SDP offer): the largest documented upload
    "default": 512 * _MiB + FORM_OVERHEAD,
}
# Which route a path is: matched at its end, so /v1/..., the root and Azure's /openai/deployments/... all match.
_MULTIPART_ROUTES = (
    (re.compile(r"/audio/(?:transcriptions|translations)/?$"), "audio"),
    (re.compile(r"/images/(?:edits|variations)/?$"), "images"),
    (re.compile(r"/uploads/[^/]+/parts/?$"), "upload_parts"),
    (re.compile(r"/videos(?:/characters|/edits|/extensions)?/?$"), "videos"),
    (re.compile(r"/skills(?:/[^/]+/versions)?/?$"), "skills"),
    (re.compile(r"/containers/[^/]+/files/?$"), "container_files"),
    (re.compile(r"/files/?$"), "files"),
)
# How many store:false responses (ids only) each tenant's state remembers, to tell a later reference why it fails.
DEFAULT_MAX_UNSTORED_RESPONSES = 10_000
DEFAULT_BODY_TIMEOUT = 30.0  # seconds a request body may stall between two chunks
DEFAULT_KEEP_ALIVE_TIMEOUT = 5.0  # seconds an idle keep-alive connection stays open (uvicorn's default)

_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "kib": 1024, "mib": 1024**2, "gib": 1024**3}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.IGNORECASE)
_NOT_JSON = ("We could not parse the JSON body of your request. (HINT: This likely means you aren't using your "
             "HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)")


def parse_size(value: Any, name: str = "size") -> int:
    """A byte count from an int or a text like ``64MB`` / ``512KiB`` (MB = 10^6 bytes, MiB = 2^20)."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a byte count, not {value!r}")
    if isinstance(value, (int, float)):
        return int(value)
    found = _SIZE.match(str(value))
    if not found or found.group(2).lower() not in _UNITS:
        raise ValueError(f"{name} must be a byte count like 65536 or '64MB', not {value!r}")
    return int(float(found.group(1)) * _UNITS[found.group(2).lower()])


@dataclass(frozen=True)
class RequestLimits:
    """How big, how deep and how slow a request may be (and how many unstored responses are remembered)."""

    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    max_json_depth: int = DEFAULT_MAX_JSON_DEPTH
    body_timeout: float = DEFAULT_BODY_TIMEOUT
    keep_alive_timeout: float = DEFAULT_KEEP_ALIVE_TIMEOUT
    max_multipart_bytes: Mapping[str, int] = field(default_factory=lambda: dict(MULTIPART_DEFAULTS))
    max_unstored_responses: int = DEFAULT_MAX_UNSTORED_RESPONSES

    def multipart_limit(self, path: str) -> int:
        """The largest multipart body the upload route at ``path`` takes."""
        return self.max_multipart_bytes[multipart_route(path)]

    def body_limit(self, path: str, content_type: str) -> int:
        """The largest body a request to ``path`` with ``content_type`` may send (multipart or not)."""
        if content_type.lstrip().lower().startswith("multipart/"):
            return self.multipart_limit(path)
        return self.max_body_bytes

    @classmethod
    def from_config(cls, config: Mapping[str, Any] | None) -> "RequestLimits":
        """The limits a ``limits:`` config mapping sets (defaults for what it leaves out)."""
        config = dict(config or {})
        unknown = set(config) - {"max_body_bytes", "max_json_depth", "body_timeout", "keep_alive_timeout",
                                 "max_multipart_bytes", "max_unstored_responses"}
        if unknown:
            raise ValueError(f"limits: unknown fields {sorted(unknown)}")
        made = cls(
            max_body_bytes=parse_size(config.get("max_body_bytes", DEFAULT_MAX_BODY_BYTES), "limits.max_body_bytes"),
            max_json_depth=int(config.get("max_json_depth", DEFAULT_MAX_JSON_DEPTH)),
            body_timeout=float(config.get("body_timeout", DEFAULT_BODY_TIMEOUT)),
            keep_alive_timeout=float(config.get("keep_alive_timeout", DEFAULT_KEEP_ALIVE_TIMEOUT)),
            max_multipart_bytes=_multipart_limits(config.get("max_multipart_bytes")),
            max_unstored_responses=int(config.get("max_unstored_responses", DEFAULT_MAX_UNSTORED_RESPONSES)),
        )
        if made.max_unstored_responses < 1 or min(made.max_multipart_bytes.values()) < 1 or made.max_body_bytes < 1 or made.max_json_depth < 1 or made.body_timeout <= 0 or made.keep_alive_timeout <= 0:
            raise ValueError("limits: every limit must be positive")
        return made


def multipart_route(path: str) -> str:
    """The upload route name (a key of :data:`MULTIPART_DEFAULTS`) of a request path."""
    for pattern, name in _MULTIPART_ROUTES:
        if pattern.search(path):
            return name
    return "default"


def _multipart_limits(value: Any) -> dict[str, int]:
    """Per-route multipart limits from config: one size for every route, or a mapping naming some routes."""
    limits = dict(MULTIPART_DEFAULTS)
    if value is None:
        return limits
    if not isinstance(value, Mapping):
        size = parse_size(value, "limits.max_multipart_bytes")
        return {name: size for name in limits}
    unknown = set(value) - set(limits)
    if unknown:
        raise ValueError(f"limits.max_multipart_bytes: unknown routes {sorted(unknown)} (known: {sorted(limits)})")
    for name, given in value.items():  # not ``size``: compiled, a name keeps the type of its first value
        limits[name] = parse_size(given, f"limits.max_multipart_bytes.{name}")
    return limits


def too_large(limit: int) -> PayloadTooLargeError:
    """The 413 for a body over ``limit`` bytes."""
    return PayloadTooLargeError(f"Request body too large: the limit is {limit} bytes.", code="request_too_large")


def upload_too_large(limit: int, read: int) -> PayloadTooLargeError:
    """The 413 for a multipart body over ``limit`` bytes, ``read`` of them read (or declared): the real wording."""
    return PayloadTooLargeError(f"Maximum content size limit ({limit}) exceeded ({read} bytes read)",
                                code="request_too_large")


def check_body_size(path: str, content_type: str, size: int, limits: RequestLimits) -> None:
    """Refuse a body of ``size`` bytes over the limit for its route and content type (413)."""
    limit = limits.body_limit(path, content_type)
    if size > limit:
        multipart = content_type.lstrip().lower().startswith("multipart/")
        raise upload_too_large(limit, size) if multipart else too_large(limit)


def too_deep(limit: int) -> InvalidRequestError:
    """The 400 for JSON nested deeper than ``limit``."""
    return InvalidRequestError(f"Invalid body: nested too deeply (more than {limit} levels of JSON arrays and objects).",
                               code="invalid_body")


def json_depth_exceeds(value: Any, limit: int) -> bool:
    """Whether ``value`` nests arrays and objects more than ``limit`` deep (iterative: any depth is safe)."""
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def parse_json_body(body: bytes, content_type: str, limits: RequestLimits) -> dict[str, Any]:
    """The JSON object of a request body, or the real API's 400 (or a 413 / a 400 for a body over the limits)."""
    if len(body) > limits.max_body_bytes:
        raise too_large(limits.max_body_bytes)
    content_type = content_type.split(";")[0].strip().lower()
    if not body.strip():
        raise InvalidJSONError(_NOT_JSON)
    if content_type and content_type != "application/json" and not content_type.endswith("+json"):
        raise InvalidJSONError(
            f"Invalid Content-Type header ({content_type}), expected application/json. The OpenAI API expects a JSON payload.",
            code="invalid_content_type")
    try:
        parsed = loads(body)
    except ValueError:  # orjson also refuses nesting past its own limit (1,024) here
        raise InvalidJSONError(_NOT_JSON) from None
    if not isinstance(parsed, dict):
        raise InvalidJSONError("The request body must be a JSON object.", code="invalid_type")
    # Only a body with more brackets than the limit can nest past it: most bodies skip the walk.
    if body.count(b"[") + body.count(b"{") > limits.max_json_depth and json_depth_exceeds(parsed, limits.max_json_depth):
        raise too_deep(limits.max_json_depth)
    return parsed


def body_size(request: Any) -> int:
    """The bytes of a request's body, held in memory or spooled to a file by the door."""
    if request.body_file is None:
        return len(request.body)
    request.body_file.seek(0, 2)
    size = request.body_file.tell()
    request.body_file.seek(0)
    return size

"""The one error catalogue: every error the mock returns is a small named class.

Each class fixes the HTTP status, the OpenAI error ``type`` and a default ``code``;
the body is always ``{"error": {"message", "type", "param", "code"}}`` so that the
official SDKs raise the exception class their status maps to.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, Iterable, Mapping, Sized


class MockAPIError(Exception):
    """Base of every error the engine turns into an OpenAI-shaped error response."""

    status: ClassVar[int] = 500
    error_type: ClassVar[str] = "server_error"
    default_code: ClassVar[str | None] = None
    injected: bool = False  # set on errors a fault rule or canned reply asked for, which every level keeps

    def __init__(
        self,
        message: str,
        *,
        param: str | None = None,
        code: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        self.code = code if code is not None else self.default_code
        self.headers = dict(headers or {})

    def body(self) -> dict[str, Any]:
        """Render the OpenAI error body."""
        return {"error": {"message": self.message, "type": self.error_type, "param": self.param, "code": self.code}}


class InvalidRequestError(MockAPIError):
    """400: the request is malformed or breaks a documented rule."""

    status = 400
    error_type = "invalid_request_error"


class UnknownParameterError(InvalidRequestError):
    """400: a top-level parameter the API does not know."""

    default_code = "unknown_parameter"


class InvalidValueError(InvalidRequestError):
    """400: a parameter value outside its documented range or enum."""

    default_code = "invalid_value"


class InvalidJSONError(InvalidRequestError):
    """400: the body is not JSON, or not a JSON object."""

    default_code = "invalid_json"


class ImageGenerationUserError(InvalidRequestError):
    """400: a request the image generator itself refuses (its own error ``type``, e.g. PNG with compression)."""

    error_type = "image_generation_user_error"


class ContextLengthExceededError(InvalidRequestError):
    """400: the prompt does not fit the model's context window."""

    default_code = "context_length_exceeded"


class MaxTokensPerRequestError(InvalidRequestError):
    """400: an embeddings request over its request-wide token cap (the real body has its own ``type`` as well as ``code``).

    source: {"message": "Requested 416735 tokens, max 300000 tokens per request", "type": "max_tokens_per_request",
    "param": null, "code": "max_tokens_per_request"} (github.com/assafelovic/gpt-researcher/issues/1524,
    github.com/OpenDataBox/CrackSQL/pull/27)
    """

    error_type = "max_tokens_per_request"
    default_code = "max_tokens_per_request"


class AuthenticationError(MockAPIError):
    """401: no key, or a key the mock does not accept."""

    status = 401
    error_type = "invalid_request_error"
    default_code = "invalid_api_key"


class InsufficientScopesError(AuthenticationError):
    """401: the key is valid but lacks a scope the operation needs (e.g. an ordinary key on the Administration API)."""

    default_code = None


class PermissionDeniedError(MockAPIError):
    """403: the key may not use this model, project or operation."""

    status = 403
    error_type = "invalid_request_error"
    default_code = "permission_denied"


class NotFoundError(MockAPIError):
    """404: an unknown object id or route."""

    status = 404
    error_type = "invalid_request_error"
    default_code = None


class UnknownURLError(NotFoundError):
    """404: no operation at this path."""

    default_code = "unknown_url"


class ModelNotFoundError(NotFoundError):
    """404: the model does not exist or the key has no access to it."""

    default_code = "model_not_found"


class MethodNotAllowedError(MockAPIError):
    """405: the path exists but not with this method."""

    status = 405
    error_type = "invalid_request_error"
    default_code = "method_not_allowed"


class ConflictError(MockAPIError):
    """409: the object is busy (for example a thread with an active run)."""

    status = 409
    error_type = "invalid_request_error"
    default_code = "conflict"


class PayloadTooLargeError(MockAPIError):
    """413: the upload is larger than the endpoint accepts."""

    status = 413
    error_type = "invalid_request_error"
    default_code = "file_too_large"


class UnsupportedMediaTypeError(MockAPIError):
    """415: the content type is not one the endpoint reads."""

    status = 415
    error_type = "invalid_request_error"
    default_code = "unsupported_media_type"


class UnprocessableEntityError(MockAPIError):
    """422: well-formed but unprocessable."""

    status = 422
    error_type = "invalid_request_error"
    default_code = "unprocessable_entity"


class RateLimitError(MockAPIError):
    """429: a rate limit was hit; the caller should wait ``retry-after``."""

    status = 429
    error_type = "requests"
    default_code = "rate_limit_exceeded"


class InsufficientQuotaError(MockAPIError):
    """429 that must not be retried: the account is out of quota."""

    status = 429
    error_type = "insufficient_quota"
    default_code = "insufficient_quota"


class InternalServerError(MockAPIError):
    """500: the server failed (only ever injected on purpose)."""

    status = 500
    error_type = "server_error"
    default_code = "server_error"


class RequestTimeoutError(MockAPIError):
    """408: the request (its body) did not arrive in time."""

    status = 408
    error_type = "invalid_request_error"
    default_code = "request_timeout"


class ServiceUnavailableError(MockAPIError):
    """503: a backend the mock needs (its Redis store) is unreachable; retrying later may work."""

    status = 503
    error_type = "server_error"
    default_code = "service_unavailable"


# Status codes the fault injector and the error table can force, with the class that renders them.
_BY_STATUS: dict[int, type[MockAPIError]] = {
    400: InvalidRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    405: MethodNotAllowedError,
    409: ConflictError,
    413: PayloadTooLargeError,
    415: UnsupportedMediaTypeError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
}

_DEFAULT_MESSAGES: dict[int, str] = {
    400: "Invalid request.",
    401: "Incorrect API key provided.",
    403: "You are not allowed to perform this request.",
    404: "The requested resource was not found.",
    408: "Request timed out.",
    409: "The request conflicted with another request.",
    413: "Request entity too large.",
    415: "Unsupported media type.",
    422: "Unprocessable entity.",
    429: "Rate limit reached. Please try again later.",
    500: "The server had an error while processing your request. Sorry about that!",
    502: "Bad gateway.",
    503: "The engine is currently overloaded, please try again later.",
    504: "Gateway timeout.",
}


def error_for_status(status: int, message: str | None = None, **kwargs: Any) -> MockAPIError:
    """Build the catalogue error for an arbitrary HTTP status (used by fault injection)."""
    cls = _BY_STATUS.get(status)
    if cls is None:
        cls = type(f"Status{status}Error", (InternalServerError if status >= 500 else InvalidRequestError,), {"status": status})
    error = cls(message or _DEFAULT_MESSAGES.get(status, f"HTTP {status}"), **kwargs)
    error.injected = True
    return error


def quoted(value: Any) -> str:
    """A value as the real messages quote it: ``'low'`` (a string as it is, anything else as JSON)."""
    return f"'{value if isinstance(value, str) else json.dumps(value)}'"


def supported_values(values: Iterable[Any]) -> str:
    """Values as the real "Supported values are: ..." messages list them: 'a', 'b', and 'c'; 'a' and 'b'.

    source: "Invalid value: '1254x836'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'."
    (github.com/pollinations/pollinations/issues/5037); "Supported values are: 'output_text' and 'refusal'." for an
    assistant item's input_text part (Responses)
    """
    listed = [quoted(v) for v in values]
    return " and ".join(listed) if len(listed) <= 2 else ", ".join(listed[:-1]) + ", and " + listed[-1]


def out_of_range(param: str, value: Any, bound: Any, *, below: bool) -> InvalidValueError:
    """A number outside its range, in the real API's words.

    source: "Invalid 'n': integer above maximum value. Expected a value <= 128, but got 130 instead.", code
    integer_above_max_value (quoted in mockapi/core/query.py); a decimal is "decimal above maximum value".
    """
    kind = "integer" if isinstance(value, int) and not isinstance(value, bool) else "decimal"
    side, op, short = ("below minimum", ">=", "below_min") if below else ("above maximum", "<=", "above_max")
    return InvalidValueError(f"Invalid '{param}': {kind} {side} value. Expected a value {op} {bound}, but got {value} instead.",
                             param=param, code=f"{kind}_{short}_value")


def wrong_length(param: str | None, value: Sized, bound: int, *, too_long: bool) -> InvalidRequestError:
    """An array or a string of the wrong length, in the real API's words.

    source: "Invalid 'stop': array too long. Expected an array with maximum length 4, but got an array with length 9
    instead.", code array_above_max_length (github.com/continuedev/continue/issues/2461); "Invalid 'tools': empty array.
    Expected an array with minimum length 1, but got an empty array instead." (github.com/continuedev/continue/issues/3370),
    code empty_array (github.com/CopilotKit/CopilotKit/issues/529); "Invalid 'tools[11].function.name': string too long.
    Expected a string with maximum length 64, but got a string with length 74 instead.", code string_above_max_length
    (github.com/home-assistant/core/issues/121325); "Invalid 'input[4].name': empty string. Expected a string with minimum
    length 1, but got an empty string instead." (github.com/diegosouzapw/OmniRoute/issues/346). The codes of a short
    non-empty value and of an empty string follow the same naming.
    """
    kind = "string" if isinstance(value, (str, bytes)) else "array"
    a, size = "a" if kind == "string" else "an", len(value)
    if too_long:
        what, code = f"{kind} too long. Expected {a} {kind} with maximum length {bound}", f"{kind}_above_max_length"
    elif size == 0:
        what, code = f"empty {kind}. Expected {a} {kind} with minimum length {bound}", f"empty_{kind}"
    else:
        what, code = f"{kind} too short. Expected {a} {kind} with minimum length {bound}", f"{kind}_below_min_length"
    got = f"an empty {kind}" if size == 0 else f"{a} {kind} with length {size}"
    return InvalidRequestError(f"Invalid '{param}': {what}, but got {got} instead.", param=param, code=code)

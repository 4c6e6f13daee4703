"""Ask the engine itself, as the same caller: eval runs sample and model graders grade with the live answers."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Request
from mockapi.core.jsonutil import dumps, loads

# The caller's identity and validation level travel with the inner request, so it lands in the same tenant.
_FORWARDED = ("authorization", "api-key", "openai-organization", "openai-project", "x-mockapi-validation")


def post(call: Any, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """``POST /v1{path}`` through the engine; (status, parsed JSON body)."""
    headers = {k: v for k, v in call.request.headers.items() if k in _FORWARDED}
    headers["content-type"] = "application/json"
    reply = call.engine.handle(Request("POST", f"/v1{path}", headers, dumps(body)))
    raw = reply.body if reply.stream is None else b"".join(c for c in reply.stream if isinstance(c, bytes))
    try:
        parsed = loads(raw) if raw else {}
    except ValueError:
        parsed = {"error": {"code": "invalid_response", "message": raw[:200].decode("utf-8", "replace")}}
    return reply.status, parsed if isinstance(parsed, dict) else {}

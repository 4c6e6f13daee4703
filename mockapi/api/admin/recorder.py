"""The usage recorder: counts what went through the mock, for the usage and costs endpoints.

An engine observer (installed by :func:`install`, from the composition root): every successful model
call adds its requests and tokens to counters in the store, per organization, project, model, API key,
kind (completions, embeddings, ...) and minute of the mock's clock. The counters are the store's
(``incr``), so workers sharing a Redis store share them; a small index object per counter group lets the
usage endpoints find them. Tokens are the ones the answer reported (its ``usage``); a stream is counted
when it ends, from the usage its operation left in ``call.meta["usage"]`` (the usage its stream reports,
so its frames need no reading), or else from its usage event, or else as the tokens it charged the rate limiter.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING, Any, Iterator

from mockapi.core.determinism import digest
from mockapi.core.jsonutil import loads

from .access import is_admin_key, org_repo, organization_of, presented_key
from .keys import seen_in_traffic
from .projects import default_project_id, ensure_organization

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine, Request
    from mockapi.core.results import Reply

USAGE_INDEX = "admin.usage_index"
FOREVER = 10 * 365 * 86400.0
KIND_OF_OPERATION = {
    "createChatCompletion": "completions", "createCompletion": "completions", "createResponse": "completions",
    "createEmbedding": "embeddings", "createModeration": "moderations",
    "createImage": "images", "createImageEdit": "images", "createImageVariation": "images",
    "createSpeech": "audio_speeches", "createTranscription": "audio_transcriptions", "createTranslation": "audio_transcriptions",
}
IMAGE_SOURCE = {"createImage": "image.generation", "createImageEdit": "image.edit", "createImageVariation": "image.variation"}
COUNTERS = ("num_model_requests", "input_tokens", "output_tokens", "input_cached_tokens", "images", "characters", "seconds")


def install(engine: "Engine") -> None:
    """Register the recorder as an observer of ``engine``."""
    engine.observers.append(observe)


def observe(request: "Request", call: "Call | None", reply: "Reply") -> None:
    """Count one finished exchange (a stream: once it has been read to its end); never fails the exchange."""
    try:
        _observe(call, reply)
    except Exception:  # counting is bookkeeping: a failure is logged, the caller still gets its answer
        logging.getLogger("mockapi").exception("the usage recorder failed")


def _observe(call: "Call | None", reply: "Reply") -> None:
    if call is None or reply.status >= 400 or call.op.operation_id not in KIND_OF_OPERATION:
        return
    if is_admin_key(presented_key(call.request.headers), call.settings.keys):
        return  # admin keys cannot call models
    if reply.stream is not None and reply.body in (b"", None):
        reply.stream = _counting(call, reply.stream)
        return
    record(call, _usage_of_body(reply))


def _counting(call: "Call", stream: Iterator[Any]) -> Iterator[Any]:
    found: dict[str, int] | None = None
    try:
        if call.meta.get("usage") is not None:
            # The operation left the usage its stream reports (Chat Completions): nothing to look for in
            # the frames, which is most of what this wrapper would cost per chunk.
            yield from stream
            return
        for chunk in stream:
            if isinstance(chunk, (bytes, bytearray)) and b'"usage"' in chunk:
                found = _usage_in_frames(bytes(chunk)) or found
            yield chunk
    finally:
        try:
            record(call, found)
        except Exception:
            logging.getLogger("mockapi").exception("the usage recorder failed")


def _usage_in_frames(chunk: bytes) -> dict[str, int] | None:
    found = None
    for line in chunk.split(b"\n"):
        if line.startswith(b"data:"):
            try:
                data = json.loads(line[5:])
            except ValueError:
                continue
            if isinstance(data, dict):
                found = _tokens(data.get("usage") or (data.get("response") or {}).get("usage")) or found
    return found


def _usage_of_body(reply: "Reply") -> dict[str, int] | None:
    body = reply.body
    if not body or b'"usage"' not in body and b'"data"' not in body:
        return None
    rendered = reply.meta.get("json")
    if rendered is not None and rendered[0] is body:  # the object the engine just encoded: no need to parse it back
        data = rendered[1]
    else:
        try:
            data = loads(body)
        except ValueError:
            return None
    if not isinstance(data, dict):
        return None
    tokens = _tokens(data.get("usage")) or {}
    if isinstance(data.get("data"), list) and data.get("created") is not None:  # an images answer: count its images
        tokens["images"] = len(data["data"])
    return tokens or None


def _tokens(usage: Any) -> dict[str, int] | None:
    """Input, output and cached input tokens from any of the API's usage shapes."""
    if not isinstance(usage, dict):
        return None
    input_tokens = usage.get("input_tokens", usage.get("prompt_tokens"))
    output_tokens = usage.get("output_tokens", usage.get("completion_tokens", 0))
    if not isinstance(input_tokens, int):
        return None
    details = usage.get("input_tokens_details") or usage.get("prompt_tokens_details") or {}
    return {"input_tokens": input_tokens, "output_tokens": output_tokens if isinstance(output_tokens, int) else 0,
            "input_cached_tokens": int(details.get("cached_tokens") or 0) if isinstance(details, dict) else 0}


def record(call: "Call", tokens: dict[str, int] | None) -> None:
    """Add one request and its tokens to the organization's counters for this minute."""
    kind = KIND_OF_OPERATION[call.op.operation_id]
    body = call.body if isinstance(call.body, dict) else {}
    counts = dict(tokens or _tokens(call.meta.get("usage")) or {"input_tokens": call.charged_tokens})
    counts["num_model_requests"] = 1
    if kind == "audio_speeches":
        counts = {"num_model_requests": 1, "characters": len(str(body.get("input", "")))}
    elif kind == "images":
        n = str(body.get("n") or 1)  # a form sends text; level schema lets "null" through
        counts.setdefault("images", int(n) if n.isdigit() else 1)
    organization = organization_of(call.request.headers, call.key.organization)
    repo = org_repo(call)
    ensure_organization(repo, organization)
    project = call.request.headers.get("openai-project") or call.key.project or default_project_id(call.seed, organization)
    secret = presented_key(call.request.headers)
    key_id = seen_in_traffic(repo, organization, project, secret) if secret else None
    minute = int(call.clock.now() // 60) * 60
    model = body.get("model") or call.meta.get("model")  # multipart operations may leave theirs in call.meta
    group = {"kind": kind, "start": minute, "project_id": project, "model": model if isinstance(model, str) else None,
             "api_key_id": key_id, "source": IMAGE_SOURCE.get(call.op.operation_id), "size": body.get("size")}
    group_id = _group_id(group)
    if repo.store.get(repo.tenant, USAGE_INDEX, group_id) is None:
        repo.put(USAGE_INDEX, {"id": group_id, **group})
    call.store.incr_many([(f"{repo.tenant}:usage:{group_id}:{name}", int(value), FOREVER)
                          for name, value in counts.items() if name in COUNTERS and value])


_GROUP_IDS: dict[tuple[Any, ...], str] = {}
_GROUP_IDS_MAX = 4096


def _group_id(group: dict[str, Any]) -> str:
    """``digest(group)``, remembered: the same few groups (one per minute, model and key) recur on every call."""
    try:
        key = (*group.values(), type(group.get("size")))  # the caller's size: 1, 1.0 and True digest apart
        found = _GROUP_IDS.get(key)
    except TypeError:  # an unhashable value (a malformed ``size``): digest it afresh
        return digest(group)
    if found is None:
        if len(_GROUP_IDS) >= _GROUP_IDS_MAX:
            _GROUP_IDS.clear()
        found = _GROUP_IDS[key] = digest(group)
    return found


def counters(store: Any, tenant: str, group_id: str) -> dict[str, int]:
    """The current values of one group's counters (read as an increment by zero)."""
    values = store.incr_many([(f"{tenant}:usage:{group_id}:{name}", 0, FOREVER) for name in COUNTERS])
    return dict(zip(COUNTERS, values))

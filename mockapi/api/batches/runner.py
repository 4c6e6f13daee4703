"""Each line of a batch answered by the engine itself, and the output and error files written.

A line becomes an engine request (its method, url and body, with the batch owner's credentials),
goes through the same routing, validation and operation as a live request, and its reply becomes
``{"id": "batch_req_…", "custom_id", "response": {"status_code", "request_id", "body"}, "error": null}``.
The traffic layer (rate limits, faults, latency, journal) stays out: batch requests draw on their own
queue, not on the per-model limits (source: the Batch guide, "Rate limits"). A failing line keeps its
real error body in the error file with ``error: null`` (observed: openai/openai-openapi#302).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from mockapi.core.determinism import HEX, digest, make_id
from mockapi.core.engine import Request
from mockapi.core.errors import MockAPIError
from mockapi.core.jsonutil import dumps, loads
from mockapi.core.repo import Repo

from ..files import files
from ..files.blobs import blobs_for
from ..files.multipart import FilePart
from .lines import Line

EXPIRED = {"code": "batch_expired", "message": "This request could not be executed before the completion window expired."}


@dataclass
class Outcome:
    """What running (or expiring) a batch's lines produced."""

    output_file_id: str | None = None
    error_file_id: str | None = None
    completed: int = 0
    failed: int = 0
    usage: dict[str, Any] = field(default_factory=lambda: {
        "input_tokens": 0, "input_tokens_details": {"cached_tokens": 0}, "output_tokens": 0,
        "output_tokens_details": {"reasoning_tokens": 0}, "total_tokens": 0})


def request_id(batch_id: str, line: Line) -> str:
    """The ``request_id`` of one line's answer (hex, as the real output files show it)."""
    return digest("batch-request", batch_id, line.custom_id, size=16)


def answer(engine: Any, auth: dict[str, str], batch_id: str, line: Line) -> tuple[int, Any]:
    """The engine's (status, body) for one line, exactly as the live endpoint would answer it."""
    request = Request(line.method.upper(), line.url, {**auth, "content-type": "application/json"}, dumps(line.body))
    try:  # the engine's own steps (route, auth, parse, validate, dispatch) without the traffic hooks
        call = engine._prepare(request, request_id(batch_id, line))
        reply = engine._dispatch(call)
    except MockAPIError as exc:
        reply = engine.error_reply(exc)
    except Exception as exc:  # noqa: BLE001 - a bug answers this line in the OpenAI shape; the batch goes on
        reply = engine.error_reply(MockAPIError(f"The mock failed unexpectedly: {type(exc).__name__}: {exc}"))
    raw = reply.body if reply.stream is None else b"".join(c for c in reply.stream if isinstance(c, bytes))
    rendered = reply.meta.get("json")
    if rendered is not None and rendered[0] is raw:  # the object just encoded (written out before the next line runs)
        return reply.status, rendered[1]
    try:
        return reply.status, loads(raw)
    except ValueError:
        return reply.status, raw.decode("utf-8", "replace")


def _add_usage(total: dict[str, Any], body: Any) -> None:
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return
    inp = usage.get("input_tokens", usage.get("prompt_tokens", 0)) or 0
    out = usage.get("output_tokens", usage.get("completion_tokens", 0)) or 0
    details = usage.get("input_tokens_details") or usage.get("prompt_tokens_details") or {}
    reasoning = (usage.get("output_tokens_details") or usage.get("completion_tokens_details") or {}).get("reasoning_tokens", 0)
    total["input_tokens"] += inp
    total["output_tokens"] += out
    total["total_tokens"] += usage.get("total_tokens", inp + out) or 0
    total["input_tokens_details"]["cached_tokens"] += details.get("cached_tokens", 0) or 0
    total["output_tokens_details"]["reasoning_tokens"] += reasoning or 0


class _FileWriter:
    """A JSONL result file streamed into a blob, stored as a File only when it got a line."""

    def __init__(self, repo: Repo, name: str) -> None:
        self.repo = repo
        self.name = name
        self.blob = blobs_for(repo.store).writer()
        self.lines = 0

    def write(self, record: dict[str, Any]) -> None:
        self.blob.write(dumps(record) + b"\n")
        self.lines += 1

    def close(self, expires_at: int | None) -> str | None:
        if not self.lines:
            self.blob.abort()
            return None
        stored = files.store_file(self.repo, FilePart(self.name, "application/jsonl", self.blob), "batch_output", expires_at)
        return stored["id"]


def _line_id(batch_id: str, line: Line) -> str:
    return make_id("batch_req_", batch_id, line.custom_id, length=32, alphabet=HEX)


def run(repo: Repo, engine: Any, batch: dict[str, Any], requests: Iterable[Line], expires_at: int | None) -> Outcome:
    """Answer every line through the engine; write the output file (2xx) and the error file (the rest)."""
    outcome = Outcome()
    output = _FileWriter(repo, f"{batch['id']}_output.jsonl")
    errors = _FileWriter(repo, f"{batch['id']}_error.jsonl")
    try:
        for line in requests:
            status, body = answer(engine, batch["_auth"], batch["id"], line)
            record = {"id": _line_id(batch["id"], line), "custom_id": line.custom_id,
                      "response": {"status_code": status, "request_id": request_id(batch["id"], line), "body": body},
                      "error": None}
            if status < 400:
                outcome.completed += 1
                _add_usage(outcome.usage, body)
                output.write(record)
            else:
                outcome.failed += 1
                errors.write(record)
    except BaseException:
        output.blob.abort()
        errors.blob.abort()
        raise
    outcome.output_file_id = output.close(expires_at)
    outcome.error_file_id = errors.close(expires_at)
    return outcome


def expire(repo: Repo, batch: dict[str, Any], requests: Iterable[Line], expires_at: int | None) -> Outcome:
    """The error file of a batch that ran out of time: every unfinished request with ``batch_expired``.

    Source: the Batch guide, "Batch expiration" (the line shape and message).
    """
    outcome = Outcome()
    errors = _FileWriter(repo, f"{batch['id']}_error.jsonl")
    for line in requests:
        errors.write({"id": _line_id(batch["id"], line), "custom_id": line.custom_id, "response": None, "error": EXPIRED})
        outcome.failed += 1
    outcome.error_file_id = errors.close(expires_at)
    return outcome

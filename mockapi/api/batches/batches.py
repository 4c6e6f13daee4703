"""Batches: the object, and its status machine on the mock clock.

validating -> in_progress -> finalizing -> completed; validating -> failed (a malformed input file);
validating | in_progress -> expired (past ``expires_at``); validating | in_progress -> cancelling -> cancelled.
Each step waits for the batch's progress rule (``x-mockapi-progress``: immediate, polls:N, seconds:T;
see mockapi/core/progress.py); under ``immediate`` one retrieve takes a batch all the way. The lines are
answered when the batch leaves ``in_progress``, never at create time. A terminal status publishes its
webhook event (``batch.completed`` | ``batch.failed`` | ``batch.expired`` | ``batch.cancelled``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockapi.core import outbox, progress
from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import InvalidRequestError, NotFoundError
from mockapi.core.pages import paginate
from mockapi.core.repo import Repo, metadata_of, public

from ..files import files
from ..files.blobs import blobs_for
from . import lines, runner

KIND = "batch"
TERMINAL = ("completed", "failed", "expired", "cancelled")
WINDOW_SECONDS = 24 * 3600  # completion_window "24h", the only value (source: BatchCreateParams)
OUTPUT_TTL = 30 * 86400  # source: the Batch guide, "The output file will automatically be deleted 30 days after"
LOCK_TTL = 120.0  # a batch of 50,000 lines is answered well within this
AUTH_HEADERS = ("authorization", "api-key", "openai-organization", "openai-project", "x-mockapi-validation")


def create(repo: Repo, call: Any, body: dict[str, Any]) -> dict[str, Any]:
    """``POST /batches``: a new batch in ``validating``; its file is read when it moves on."""
    input_file = files.require(repo, body["input_file_id"])
    if call.faithful and input_file["purpose"] != "batch":
        # source: BatchCreateParams.input_file_id, "must be uploaded with the purpose `batch`"
        raise InvalidRequestError(f"Invalid 'input_file_id': file '{input_file['id']}' has purpose "
                                  f"'{input_file['purpose']}'; a batch input file must be uploaded with purpose 'batch'.",
                                  param="input_file_id", code="invalid_value")
    expires_after = body.get("output_expires_after")
    if expires_after and not 3600 <= int(expires_after.get("seconds", 0)) <= 2592000:
        # source: OutputExpiresAfter.seconds, "Must be between 3600 (1 hour) and 2592000 (30 days)"
        raise InvalidRequestError(f"Invalid 'output_expires_after.seconds': expected a value between 3600 and 2592000, "
                                  f"but got {expires_after.get('seconds')} instead.", param="output_expires_after.seconds",
                                  code="invalid_value")
    now = repo.now()
    batch = {
        "id": make_id("batch_", call.id_digest(), length=32, alphabet=HEX), "object": "batch",
        "endpoint": body["endpoint"], "errors": None, "input_file_id": input_file["id"],
        "completion_window": body["completion_window"], "status": "validating", "output_file_id": None,
        "error_file_id": None, "created_at": now, "in_progress_at": None, "expires_at": now + WINDOW_SECONDS,
        "finalizing_at": None, "completed_at": None, "failed_at": None, "expired_at": None, "cancelling_at": None,
        "cancelled_at": None, "request_counts": {"total": 0, "completed": 0, "failed": 0},
        "metadata": metadata_of(body, None), "model": None, "usage": None,
        "_rule": progress.rule_for(call), "_since": repo.clock.now(), "_stage": 0,
        "_output_ttl": int(expires_after["seconds"]) if expires_after else OUTPUT_TTL,
        "_auth": {k: v for k, v in call.request.headers.items() if k in AUTH_HEADERS},
    }
    repo.put(KIND, batch)
    outbox.schedule(call.engine, repo.tenant, KIND, batch["id"], _next_tick(batch))
    return public(batch)


def require(repo: Repo, batch_id: str) -> dict[str, Any]:
    """The stored batch, or the real 404."""
    found = repo.get(KIND, batch_id)
    if found is None:
        raise NotFoundError(f"No batch found with id '{batch_id}'.", param="batch_id")
    return found


def view(repo: Repo, engine: Any, batch_id: str, polled: bool = False) -> dict[str, Any]:
    """The batch as it stands now: moved on as far as its rule and the clock allow."""
    return public(advance(repo, engine, require(repo, batch_id), polled))


def list_page(repo: Repo, engine: Any, query: dict[str, str]) -> dict[str, Any]:
    """``GET /batches``: newest first, ``after``/``limit`` (default 20, at most 100)."""
    batches = [public(advance(repo, engine, b)) for b in repo.list(KIND)]
    return paginate(batches, query, default_order="desc", default_limit=20, max_limit=100)


def cancel(repo: Repo, batch_id: str) -> dict[str, Any]:
    """``POST /batches/{id}/cancel``: a batch not yet finalizing moves to ``cancelling``.

    A batch that is finalizing or already done is returned as it is: the real API's answer there
    is not documented, and at level faithful the mock accepts when unsure.
    """
    batch = require(repo, batch_id)
    if batch["status"] in ("validating", "in_progress"):
        batch.update(status="cancelling", cancelling_at=repo.now(), _since=repo.clock.now(), _stage=batch["_stage"] + 1)
        repo.put(KIND, batch)
        outbox.schedule(repo.call.engine, repo.tenant, KIND, batch["id"], _next_tick(batch))
    return public(batch)


# -- the status machine -----------------------------------------------------------------------
def advance(repo: Repo, engine: Any, batch: dict[str, Any], polled: bool = False) -> dict[str, Any]:
    """Bring a batch up to date; a poll (``polled``) counts toward ``polls:N``. One worker moves it at a time."""
    if batch["status"] in TERMINAL:
        return batch
    key = f"{repo.tenant}:batchlock:{batch['id']}"
    if repo.store.incr(key, 1, LOCK_TTL) != 1:  # another request is answering its lines: show it as it stands
        repo.store.incr(key, -1, LOCK_TTL)
        return batch
    try:
        fresh = repo.get(KIND, batch["id"]) or batch
        return _advance_locked(repo, engine, fresh, polled)
    finally:
        repo.store.incr(key, -1, LOCK_TTL)


def _advance_locked(repo: Repo, engine: Any, batch: dict[str, Any], polled: bool) -> dict[str, Any]:
    kind, amount = progress.parse(batch["_rule"])
    while batch["status"] not in TERMINAL:
        polls = repo.counter(f"batchpolls:{batch['id']}:{batch['_stage']}", 1 if polled else 0)
        polled = False  # one request is one poll, however many steps it takes
        at = batch["_since"] + amount if kind == "seconds" else repo.clock.now()
        running = batch["status"] in ("validating", "in_progress")
        if running and min(at, repo.clock.now()) >= batch["expires_at"]:
            _expire(repo, batch)
            break
        if not progress.due(batch["_rule"], polls, batch["_since"], repo.clock.now()):
            break
        ended = _step(repo, engine, batch, int(at))
        batch.update(_since=at, _stage=batch["_stage"] + 1)
        repo.put(KIND, batch)
        if ended:  # announced once the new status is stored, so a receiver that looks sees it
            outbox.publish(engine, repo.tenant, ended, batch["id"], created_at=int(at))
    outbox.schedule(engine, repo.tenant, KIND, batch["id"], _next_tick(batch))
    return batch


def _step(repo: Repo, engine: Any, batch: dict[str, Any], at: int) -> str | None:
    """Take one step; the webhook event type when it ends the batch."""
    status = batch["status"]
    if status == "validating":
        requests, errors = _read(repo, batch)
        if errors:
            batch.update(status="failed", failed_at=at, errors={"object": "list", "data": errors})
            return "batch.failed"
        batch.update(status="in_progress", in_progress_at=at, model=lines.model_of(requests),
                     request_counts={"total": len(requests), "completed": 0, "failed": 0})
    elif status == "in_progress":
        requests, _ = _read(repo, batch)
        outcome = runner.run(repo, engine, batch, requests, at + batch["_output_ttl"])
        batch.update(status="finalizing", finalizing_at=at, output_file_id=outcome.output_file_id,
                     error_file_id=outcome.error_file_id, usage=outcome.usage,
                     request_counts={"total": len(requests), "completed": outcome.completed, "failed": outcome.failed})
    elif status == "finalizing":
        batch.update(status="completed", completed_at=at)
        return "batch.completed"
    elif status == "cancelling":
        batch.update(status="cancelled", cancelled_at=at)
        return "batch.cancelled"
    return None


def _read(repo: Repo, batch: dict[str, Any]) -> tuple[list[lines.Line], list[dict[str, Any]]]:
    if repo.get(files.KIND, batch["input_file_id"]) is None:
        return [], [{"code": "invalid_file", "message": f"The input file '{batch['input_file_id']}' no longer exists.",
                     "param": "input_file_id", "line": None}]
    data = b"".join(blobs_for(repo.store).chunks(batch["input_file_id"]))
    return lines.read(data, batch["endpoint"])


def _expire(repo: Repo, batch: dict[str, Any]) -> None:
    """Past ``expires_at`` before the lines ran: every request goes to the error file as ``batch_expired``."""
    at = batch["expires_at"]
    requests, errors = _read(repo, batch) if batch["status"] == "in_progress" else ([], [])
    outcome = runner.expire(repo, batch, requests if not errors else [], at + batch["_output_ttl"])
    batch.update(status="expired", expired_at=at, error_file_id=outcome.error_file_id,
                 request_counts={"total": len(requests), "completed": 0, "failed": outcome.failed})
    repo.put(KIND, batch)
    outbox.publish(repo.call.engine, repo.tenant, "batch.expired", batch["id"], created_at=at)


# -- ticks: the webhook sender moves a batch nobody polls -------------------------------------
def _next_tick(batch: dict[str, Any]) -> float | None:
    """When the batch next moves without a poll: its next step under ``immediate``/``seconds:T``, else its expiry."""
    if batch["status"] in TERMINAL:
        return None
    kind, amount = progress.parse(batch["_rule"])
    expiry = float(batch["expires_at"]) if batch["status"] in ("validating", "in_progress") else None
    step = batch["_since"] + amount if kind in ("seconds", "immediate") else None
    return min(t for t in (step, expiry) if t is not None) if step is not None or expiry is not None else None


@dataclass
class _Owner:
    """What a Repo reads of a Call, for the webhook sender's ticks (no request in sight): the owner's tenant."""

    engine: Any
    tenant: str
    faithful: bool = True

    def __getattr__(self, name: str) -> Any:  # store, clock, seed, settings: the engine's
        return getattr(self.engine, name)


def tick(engine: Any, tenant: str, batch_id: str) -> float | None:
    """Move a batch on outside any request (registered in ``outbox.TICKERS``); when it next needs a tick."""
    repo = Repo(_Owner(engine, tenant))
    found = repo.get(KIND, batch_id)
    return None if found is None else _next_tick(advance(repo, engine, found))


outbox.TICKERS[KIND] = tick

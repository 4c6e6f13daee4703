"""Batches: create, retrieve (a poll), list and cancel."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.progress import POLL_AFTER_MS
from mockapi.core.repo import Repo

from . import batches


def create_batch(call: Call) -> dict[str, Any]:
    """``POST /v1/batches``."""
    return batches.create(Repo(call), call, call.body)


def retrieve_batch(call: Call) -> dict[str, Any]:
    """``GET /v1/batches/{batch_id}`` (a poll: it counts toward ``polls:N``)."""
    call.response_headers["openai-poll-after-ms"] = POLL_AFTER_MS
    return batches.view(Repo(call), call.engine, call.path_params["batch_id"], polled=True)


def list_batches(call: Call) -> dict[str, Any]:
    """``GET /v1/batches``."""
    return batches.list_page(Repo(call), call.engine, call.query)


def cancel_batch(call: Call) -> dict[str, Any]:
    """``POST /v1/batches/{batch_id}/cancel``."""
    return batches.cancel(Repo(call), call.path_params["batch_id"])


HANDLERS = {
    "createBatch": create_batch, "retrieveBatch": retrieve_batch,
    "listBatches": list_batches, "cancelBatch": cancel_batch,
}

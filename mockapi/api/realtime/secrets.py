"""Ephemeral client secrets (``ek_...``): made per tenant, found again by value when a client connects.

A secret is valid for ``expires_after.seconds`` (10 to 7200, default 600) after it was made; it
can open several sessions until then. source: the SDK's client_secret_create_params docstrings
and https://platform.openai.com/docs/api-reference/realtime-sessions/create-realtime-client-secret
"""

from __future__ import annotations

from typing import Any

from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import out_of_range
from mockapi.core.repo import Repo

KIND = "realtime_client_secret"
INDEX_TENANT = "_realtime_index"  # value -> tenant, so a WebSocket door can find a secret by its value alone
DEFAULT_TTL, MIN_TTL, MAX_TTL = 600, 10, 7200


def ttl(body: dict[str, Any]) -> int:
    """The secret's lifetime in seconds, checked against the documented range."""
    expires = body.get("expires_after") or {}
    seconds = expires.get("seconds", DEFAULT_TTL)
    if seconds < MIN_TTL:
        raise out_of_range("expires_after.seconds", seconds, MIN_TTL, below=True)
    if seconds > MAX_TTL:
        raise out_of_range("expires_after.seconds", seconds, MAX_TTL, below=False)
    return int(seconds)


def issue(repo: Repo, identity: str, seconds: int, kind: str) -> dict[str, Any]:
    """A new secret record: its value, session id, expiry and tenant (the session is filled in by the caller)."""
    record = {"id": make_id("ek_", "client-secret", identity, length=32, alphabet=HEX),
              "session_id": make_id("sess_", "realtime-session", identity, length=21),
              "created_at": repo.now(), "expires_at": repo.now() + seconds, "tenant": repo.tenant, "kind": kind}
    record["value"] = record["id"]
    return record


def save(repo: Repo, record: dict[str, Any]) -> dict[str, Any]:
    """Store a secret under its tenant, and its value in the lookup index."""
    repo.put(KIND, record)
    repo.store.put(INDEX_TENANT, KIND, record["value"], {"id": record["value"], "tenant": repo.tenant})
    return record


def find_client_secret(store: Any, value: str, now: float | None = None) -> dict[str, Any] | None:
    """The live secret whose value is ``value`` (with its ``tenant`` and ``session``), or None.

    ``now`` (the mock clock's time) drops an expired secret; without it, expiry is not checked.
    """
    entry = store.get(INDEX_TENANT, KIND, value)
    if entry is None:
        return None
    record = store.get(entry["tenant"], KIND, value)  # gone when the tenant's state was reset
    if record is None or (now is not None and now >= record["expires_at"]):
        return None
    return record

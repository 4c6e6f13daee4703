"""API keys: admin keys, project keys and the service accounts that own some of them.

A key's secret is shown once, in the create answer (an admin key's ``value``, a service account's
``api_key.value``); afterwards only its ``redacted_value`` is. The keys the mock hands out work: an
``sk-admin-`` value is an admin key, an ``sk-svcacct-`` value calls the API. Keys seen in traffic join
their project's key list (the real dashboard lists every key used in a project), so ``api_keys.list()``
and the usage ``api_key_id`` agree.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from mockapi.core.determinism import digest, make_id
from mockapi.core.repo import Repo
from mockapi.core.store import MemoryStore

from .projects import get as get_project
from .projects import owner, require_active

ADMIN_KEY = "admin.admin_key"
PROJECT_KEY = "admin.project_key"
SERVICE_ACCOUNT = "admin.service_account"
KEY_INDEX = "admin.key_index"  # digest of a secret -> its key id, so traffic finds its key


def redact(secret: str) -> str:
    """A secret as the API shows it after creation: its prefix and last four characters."""
    prefix = next((p for p in ("sk-admin-", "sk-svcacct-", "sk-proj-", "sk-") if secret.startswith(p)), "")
    return f"{prefix}...{secret[-4:]}" if len(secret) > len(prefix) + 4 else f"{prefix}..."


@lru_cache(maxsize=1024)
def secret_digest(secret: str) -> str:
    """The digest a secret is indexed under (cached: every model call looks its key up twice)."""
    return digest(secret)


def key_id_for(seed: int, secret: str) -> str:
    """The tracking id (``key_…``) of a key the mock did not issue itself."""
    return make_id("key_", seed, "api-key", secret_digest(secret))


def _secret(repo: Repo, prefix: str, kind: str, length: int = 48) -> str:
    return make_id(prefix, repo.seed, repo.tenant, "secret", kind, repo.counter(f"secret:{kind}"), length=length)


def _index(repo: Repo, secret: str, key_id: str, project_id: str | None) -> None:
    repo.put(KEY_INDEX, {"id": secret_digest(secret), "key_id": key_id, "project_id": project_id})


def revoke(repo: Repo, key_ids: set[str]) -> None:
    """Mark deleted keys' secrets revoked: the mock refuses them from now on (see revocation.py)."""
    for entry in repo.list(KEY_INDEX):
        if entry["key_id"] in key_ids:
            repo.put(KEY_INDEX, {**entry, "revoked": True})


def is_revoked(store: Any, tenant: str, secret: str) -> bool:
    """Whether ``secret`` belongs to a key deleted through the Administration API."""
    if isinstance(store, MemoryStore):  # every model call asks: the stored text says "no" without being parsed
        text = store.text(tenant, KEY_INDEX, secret_digest(secret))
        if text is None or '"revoked"' not in text:  # no such key anywhere in it (a string value escapes its quotes)
            return False
    entry = store.get(tenant, KEY_INDEX, secret_digest(secret))
    return bool(entry and entry.get("revoked"))


def _owner_view(user: Mapping[str, Any]) -> dict[str, Any]:
    return {"object": "organization.user", "type": "user", "id": user["id"], "name": user.get("name"),
            "role": user.get("role", "owner"), "created_at": user.get("added_at")}


# -- admin keys -------------------------------------------------------------------------------
def create_admin_key(repo: Repo, organization: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """A new admin key; the answer (only this one) carries its ``value``."""
    secret = _secret(repo, "sk-admin-", ADMIN_KEY, 64)
    now = repo.now()
    expires = body.get("expires_in_seconds")
    key_id = repo.new_id("key_", ADMIN_KEY)
    key = {"object": "organization.admin_api_key", "id": key_id, "name": body.get("name"),
           "redacted_value": redact(secret), "created_at": now, "last_used_at": None,
           "expires_at": now + int(expires) if expires else None, "owner": _owner_view(owner(repo, organization))}
    repo.put(ADMIN_KEY, key)
    _index(repo, secret, key_id, None)
    return {**key, "value": secret}


def get_admin_key(repo: Repo, key_id: str) -> dict[str, Any]:
    """An admin key (without its secret), or the real 404."""
    return repo.require(ADMIN_KEY, key_id, "admin API key", "key_")


def delete_admin_key(repo: Repo, key_id: str) -> dict[str, Any]:
    """Revoke an admin key."""
    key = get_admin_key(repo, key_id)
    repo.delete(ADMIN_KEY, key_id)
    revoke(repo, {key_id})
    return key


# -- service accounts -------------------------------------------------------------------------
def create_service_account(repo: Repo, project_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """A service account in an active project, with its first key (``api_key.value`` shown only here)."""
    require_active(get_project(repo, project_id))
    now = repo.now()
    account = {"object": "organization.project.service_account", "id": repo.new_id("svc_acct_", SERVICE_ACCOUNT),
               "name": body["name"], "role": "member", "created_at": now}
    repo.put(f"{SERVICE_ACCOUNT}:{project_id}", account)
    key = issue_service_account_key(repo, project_id, account, body.get("expires_in_seconds"))
    return {**account, "api_key": key}


def issue_service_account_key(repo: Repo, project_id: str, account: Mapping[str, Any],
                              expires_in: Any = None) -> dict[str, Any]:
    """A new ``sk-svcacct-`` key for a service account; the project's key list shows it redacted."""
    secret = _secret(repo, "sk-svcacct-", PROJECT_KEY)
    now = repo.now()
    expires_at = now + int(expires_in) if expires_in else None
    key_id = repo.new_id("key_", PROJECT_KEY)
    repo.put(f"{PROJECT_KEY}:{project_id}", {
        "object": "organization.project.api_key", "id": key_id, "name": "Secret Key", "redacted_value": redact(secret),
        "created_at": now, "last_used_at": None, "expires_at": expires_at, "owner_project_access": "active",
        "owner": {"type": "service_account", "service_account": {"id": account["id"], "name": account["name"],
                                                                 "role": account["role"], "created_at": account["created_at"]}},
    })
    _index(repo, secret, key_id, project_id)
    return {"object": "organization.project.service_account.api_key", "id": key_id, "name": "Secret Key",
            "value": secret, "created_at": now, "expires_at": expires_at}


def get_service_account(repo: Repo, project_id: str, account_id: str) -> dict[str, Any]:
    """A project's service account, or the real 404."""
    get_project(repo, project_id)
    return repo.require(f"{SERVICE_ACCOUNT}:{project_id}", account_id, "service account", "svc_acct_")


def update_service_account(repo: Repo, project_id: str, account_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Rename or re-role a service account."""
    require_active(get_project(repo, project_id))
    account = get_service_account(repo, project_id, account_id)
    account.update({k: v for k, v in body.items() if v is not None and k in ("name", "role")})
    return repo.put(f"{SERVICE_ACCOUNT}:{project_id}", account)


def delete_service_account(repo: Repo, project_id: str, account_id: str) -> None:
    """Delete a service account and the keys it owns."""
    get_service_account(repo, project_id, account_id)
    repo.delete(f"{SERVICE_ACCOUNT}:{project_id}", account_id)
    owned = {k["id"] for k in repo.list(f"{PROJECT_KEY}:{project_id}")
             if (k["owner"].get("service_account") or {}).get("id") == account_id}
    for key_id in owned:
        repo.delete(f"{PROJECT_KEY}:{project_id}", key_id)
    revoke(repo, owned)


# -- project keys -----------------------------------------------------------------------------
def get_project_key(repo: Repo, project_id: str, key_id: str) -> dict[str, Any]:
    """A project's API key, or the real 404."""
    get_project(repo, project_id)
    return repo.require(f"{PROJECT_KEY}:{project_id}", key_id, "API key", "key_")


def update_project_key(repo: Repo, project_id: str, key_id: str, body: Mapping[str, Any]) -> dict[str, Any]:
    """Rename a project key (or set its expiry)."""
    key = get_project_key(repo, project_id, key_id)
    if body.get("name") is not None:
        key["name"] = body["name"]
    if body.get("expires_in_seconds"):
        key["expires_at"] = repo.now() + int(body["expires_in_seconds"])
    return repo.put(f"{PROJECT_KEY}:{project_id}", key)


def delete_project_key(repo: Repo, project_id: str, key_id: str) -> dict[str, Any]:
    """Delete a project key."""
    key = get_project_key(repo, project_id, key_id)
    repo.delete(f"{PROJECT_KEY}:{project_id}", key_id)
    revoke(repo, {key_id})
    return key


def seen_in_traffic(repo: Repo, organization: str, project_id: str, secret: str, now: int | None = None) -> str:
    """The id of the key ``secret`` (listed in its project from now on, used at ``now``); called by the usage recorder."""
    known = repo.store.get(repo.tenant, KEY_INDEX, secret_digest(secret))  # reads without copies: this runs on every model call
    if known is not None:
        key_id = known["key_id"]
    else:
        key_id = key_id_for(repo.seed, secret)
        _index(repo, secret, key_id, project_id)
    kind = f"{PROJECT_KEY}:{project_id}"
    stored = repo.store.get(repo.tenant, kind, key_id)
    if now is None:
        now = repo.now()
    if stored is not None and stored.get("last_used_at") == now:
        return key_id
    key = None if stored is None else dict(stored)
    if key is None and known is None:
        user = owner(repo, organization)
        key = {"object": "organization.project.api_key", "id": key_id, "name": "Secret key", "redacted_value": redact(secret),
               "created_at": now, "expires_at": None, "owner_project_access": "active",
               "owner": {"type": "user", "user": {"id": user["id"], "name": user.get("name"), "email": user.get("email"),
                                                   "role": "owner", "created_at": user.get("added_at", now)}}}
    if key is not None and key.get("last_used_at") != now:
        key["last_used_at"] = now
        repo.put(kind, key)
    return key_id

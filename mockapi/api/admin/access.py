"""Who may call the Administration API, and which organization's state a call sees.

The real API answers an ordinary project key on ``/v1/organization/...`` with a 401 naming the scope
the key lacks (``api.management.read`` for the management endpoints, ``api.usage.read`` for usage and
costs), type ``invalid_request_error``, ``param`` and ``code`` null.
source: https://community.openai.com/t/admin-api-key-doesnt-work-unless-explicit-permissions-are-given/1368874
        https://community.openai.com/t/admin-keys-not-working-missing-scopes-despite-all-permissions/1345041
        https://community.openai.com/t/introducing-the-usage-api-track-api-usage-and-costs-programmatically/1043058
        ("the new /costs API requires an admin key, not an API key").
Each operation's scope is the contract's ``x-admin-scope`` (mockapi/contractgen/ops_admin.py).

Admin objects belong to the organization, not to one key: every key of an organization (the
``OpenAI-Organization`` header, or the organization a configured key names; without either, the
mock's one default organization) sees the same projects, users and usage.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Mapping

from mockapi.core.errors import InsufficientScopesError
from mockapi.core.repo import Repo

from .projects import ensure_organization

ADMIN_KEY_PREFIX = "sk-admin-"
DEFAULT_ORGANIZATION = "org-mockapi"
MANAGEMENT_SCOPE = "api.management.read"


def presented_key(headers: Mapping[str, str]) -> str:
    """The key a request carries (``Authorization: Bearer`` or Azure's ``api-key``), or ''."""
    return _bearer_token(headers.get("authorization", "")) or headers.get("api-key", "").strip()


@lru_cache(maxsize=1024)  # twice per model call (the revoked-key check, the usage recorder); the same few keys recur
def _bearer_token(auth: str) -> str:
    """The token of an ``Authorization: Bearer`` value, or ''."""
    scheme, _, token = auth.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def is_admin_key(key: str, configured: Mapping[str, Any]) -> bool:
    """Whether ``key`` is an admin key: a configured key says so with ``admin:``; otherwise its ``sk-admin-`` prefix."""
    info = configured.get(key)
    if info is not None and getattr(info, "admin", None) is not None:
        return bool(info.admin)
    return key.startswith(ADMIN_KEY_PREFIX)


def require_admin(call: Any) -> None:
    """Refuse an ordinary key the way the real server does (401, the missing scope named).

    At validation level ``schema`` any key will do, as any key format does there (spec mocks check shapes,
    not credentials; the SDK's own generated suite sends ``admin_api_key="My Admin API Key"``).
    """
    if not call.faithful or is_admin_key(presented_key(call.request.headers), call.settings.keys):
        return
    scope = call.op.raw.get("x-admin-scope", MANAGEMENT_SCOPE)
    raise InsufficientScopesError(
        f"You have insufficient permissions for this operation. Missing scopes: {scope}. Check that you have the "
        "correct role in your organization, and if you're using a restricted API key, that it has the necessary scopes.")


def organization_of(headers: Mapping[str, str], key_organization: str | None) -> str:
    """The organization a request acts in: its header, its configured key's, or the mock's default one."""
    return headers.get("openai-organization") or key_organization or DEFAULT_ORGANIZATION


def org_tenant(organization: str) -> str:
    """The store tenant holding one organization's admin objects and usage."""
    return f"admin:{organization}"


def org_repo(call: Any) -> Repo:
    """The organization's view of the store for this call (admin objects are shared by all its keys)."""
    repo = Repo(call)
    repo.tenant = org_tenant(organization_of(call.request.headers, call.key.organization))
    return repo


def admin_call(call: Any) -> Repo:
    """The check every admin handler starts with: an admin key, then the organization's repo (owner and default project made)."""
    require_admin(call)
    repo = org_repo(call)
    ensure_organization(repo, organization_of(call.request.headers, call.key.organization))
    return repo

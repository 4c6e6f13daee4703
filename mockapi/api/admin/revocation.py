"""Deleted keys stop working: a key deleted through the Administration API is refused like a wrong one.

Deleting a project API key, a service account (its keys) or an admin key marks its secret revoked in the
organization's key index (mockapi/api/admin/keys.py); this hook then answers that secret with the real
401 for an unknown key ("Incorrect API key provided: …", code ``invalid_api_key``), before the operation runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mockapi.core.engine import redact_key
from mockapi.core.errors import AuthenticationError

from .access import org_tenant, organization_of, presented_key
from .keys import is_revoked

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine
    from mockapi.core.results import Reply


class RevokedKeys:
    """An engine hook refusing revoked secrets."""

    def before(self, call: "Call") -> "Reply | None":
        """Refuse a revoked key; otherwise go on."""
        secret = presented_key(call.request.headers)
        tenant = org_tenant(organization_of(call.request.headers, call.key.organization))
        if secret and is_revoked(call.engine.store, tenant, secret):
            raise AuthenticationError(f"Incorrect API key provided: {redact_key(secret)}. You can find your API key at "
                                      "https://platform.openai.com/account/api-keys.")
        return None

    def after(self, call: "Call", reply: "Reply") -> "Reply":
        """Nothing to change."""
        return reply


def install(engine: "Engine") -> None:
    """Put the check before every other hook."""
    engine.hooks.insert(0, RevokedKeys())



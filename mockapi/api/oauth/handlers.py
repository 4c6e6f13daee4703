"""``POST /oauth/token``: the token exchange behind the SDK's workload identity (``OpenAI(workload_identity=...)``).

The SDK posts its subject token (a Kubernetes, Azure, GCP or custom JWT) to ``https://auth.openai.com/oauth/token``
as an RFC 8693 token exchange and sends the ``access_token`` it gets back as its bearer key until ``expires_in``
runs out, when it exchanges again (``openai/auth/_workload.py``). The mock cannot verify the subject token, so any
non-empty one is taken. Each access token stands for its service account: every token issued to the same
identity provider and service account acts as one key, so state survives a refresh. A token is refused (401)
once the mock's clock passes its expiry, and the SDK then exchanges again. The pytest plugin intercepts
``https://auth.openai.com`` by default. A live server answers the same path at its root.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from mockapi.core.determinism import digest
from mockapi.core.engine import Engine, Request
from mockapi.core.jsonutil import dumps, loads
from mockapi.core.results import Reply

PATH = "/oauth/token"
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:token-exchange"  # the SDK's TOKEN_EXCHANGE_GRANT_TYPE
SUBJECT_TOKEN_TYPES = ("urn:ietf:params:oauth:token-type:jwt", "urn:ietf:params:oauth:token-type:id_token")
ISSUED_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"
LIFETIME = 3600  # seconds; the SDK refreshes 20 minutes (its refresh buffer) before the end
_TENANT, _KIND = "_oauth", "oauth.access_token"


def routes(engine: Engine) -> list[tuple[str, Any]]:
    """The token endpoint, and the engine's reading of the tokens it issues."""
    engine.token_readers.append(lambda token: _stands_for(engine, token))
    return [(PATH, lambda request: exchange(engine, request) if request.path == PATH else None)]


def exchange(engine: Engine, request: Request) -> Reply:
    """Answer one token exchange: an access token for the service account, or an RFC 6749 error."""
    if request.method != "POST":
        return _error(405, "invalid_request", f"The token endpoint takes POST, not {request.method}.")
    form = _form(request)
    if form is None:
        return _error(400, "invalid_request", "The request body must be a JSON object or a form.")
    if form.get("grant_type") != GRANT_TYPE:
        return _error(400, "unsupported_grant_type", f"grant_type must be '{GRANT_TYPE}'.")
    for field in ("subject_token", "subject_token_type", "identity_provider_id", "service_account_id"):
        if not isinstance(form.get(field), str) or not form[field]:
            return _error(400, "invalid_request", f"Missing required parameter: '{field}'.")
    if form["subject_token_type"] not in SUBJECT_TOKEN_TYPES:
        return _error(400, "invalid_request", f"Unsupported subject_token_type: '{form['subject_token_type']}'.")
    account = f"workload:{form['identity_provider_id']}:{form['service_account_id']}"
    issued = engine.store.incr(f"{_TENANT}:issued", 1, 10 * 365 * 86400.0)  # each exchange, its own token
    token = "oat_" + digest(engine.seed, "oauth-token", account, issued, size=24)
    engine.store.put(_TENANT, _KIND, token, {"account": account, "expires_at": engine.clock.now() + LIFETIME})
    return _json(200, {"access_token": token, "issued_token_type": ISSUED_TOKEN_TYPE, "token_type": "Bearer",
                       "expires_in": LIFETIME})


def _stands_for(engine: Engine, token: str) -> str | None:
    """The key an unexpired issued token acts as, or None."""
    if not token.startswith("oat_"):
        return None
    found = engine.store.get(_TENANT, _KIND, token)
    if found is None or engine.clock.now() >= found["expires_at"]:
        return None
    return found["account"]


def _form(request: Request) -> dict[str, Any] | None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type == "application/x-www-form-urlencoded":
        return dict(parse_qsl(request.body.decode("utf-8", "replace")))
    try:
        parsed = loads(request.body or b"null")
    except ValueError:
        return None
    return parsed if isinstance(parsed, dict) else None


def _error(status: int, code: str, description: str) -> Reply:
    return _json(status, {"error": code, "error_description": description})


def _json(status: int, body: dict[str, Any]) -> Reply:
    # no-store, as RFC 6749 5.1 asks of every answer that carries a token
    return Reply(status, [("content-type", "application/json"), ("cache-control", "no-store")], dumps(body))

"""``mockapi.control.Client``: the control plane from Python, over HTTP or straight into an engine."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import TYPE_CHECKING, Any, Mapping
from urllib.parse import urlencode

if TYPE_CHECKING:
    from mockapi.core.engine import Engine


# The mock is reached directly: an HTTP(S)_PROXY in the environment must not route control calls.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ControlError(RuntimeError):
    """The control plane refused a request; ``status`` and ``body`` say why."""

    def __init__(self, status: int, body: Any) -> None:
        message = body.get("error", {}).get("message") if isinstance(body, dict) else body
        super().__init__(f"{status}: {message}")
        self.status = status
        self.body = body


class Client:
    """A small client for ``/_mockapi``: ``Client("http://127.0.0.1:8000")`` or ``Client(engine=engine)``.

    ``token`` is the admin token; with keys configured, ``api_key`` (and ``organization``/``project``)
    instead act for that key's own tenant only.
    """

    def __init__(self, base_url: str | None = None, *, token: str | None = None, engine: "Engine | None" = None,
                 timeout: float = 10.0, api_key: str | None = None, organization: str | None = None,
                 project: str | None = None) -> None:
        if (base_url is None) == (engine is None):
            raise ValueError("give either a base URL or an engine")
        root = (base_url or "").rstrip("/")
        self.root = root[: -len("/v1")] if root.endswith("/v1") else root
        self.token = token
        self.engine = engine
        self.timeout = timeout
        self.tenant_headers = {name: value for name, value in (
            ("authorization", f"Bearer {api_key}" if api_key else None), ("openai-organization", organization),
            ("openai-project", project)) if value}

    # -- transport -------------------------------------------------------------------------
    def request(self, method: str, path: str, body: Mapping[str, Any] | None = None,
                query: Mapping[str, Any] | None = None) -> Any:
        """Call one control endpoint and return its decoded JSON."""
        qs = urlencode({k: v for k, v in (query or {}).items() if v is not None})
        data = json.dumps(dict(body)).encode() if body is not None else b""
        headers = {"content-type": "application/json", **self.tenant_headers}
        if self.token:
            headers["x-mockapi-admin-token"] = self.token
        full = f"/_mockapi/{path}".rstrip("/")
        if self.engine is not None:
            from mockapi.core.engine import Request

            reply = self.engine.handle(Request(method, full, headers, data, qs))
            status, raw = reply.status, reply.body
        else:
            url = self.root + full + (f"?{qs}" if qs else "")
            req = urllib.request.Request(url, data=data if method != "GET" else None, headers=headers, method=method)
            try:
                with _OPENER.open(req, timeout=self.timeout) as resp:
                    status, raw = resp.status, resp.read()
            except urllib.error.HTTPError as exc:
                status, raw = exc.code, exc.read()
        decoded = json.loads(raw) if raw else None
        if status >= 400:
            raise ControlError(status, decoded)
        return decoded

    # -- state -----------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """Seed, clock, journal and fault counts."""
        return self.request("GET", "state")

    def reset(self, tenant: str | None = None) -> dict[str, Any]:
        """Drop all state (and faults, queued replies, the journal), or one tenant's."""
        return self.request("POST", "reset", {"tenant": tenant} if tenant else {})

    def seed(self, seed: int) -> dict[str, Any]:
        """Change the seed of every generated answer."""
        return self.request("POST", "seed", {"seed": seed})

    def freeze(self, at: float | None = None) -> float:
        """Freeze the clock (now, or at ``at``); return the time."""
        return self.request("POST", "clock", {"freeze": True if at is None else at})["now"]

    def advance(self, seconds: float) -> float:
        """Move the clock forward; return the new time."""
        return self.request("POST", "clock", {"advance": seconds})["now"]

    def unfreeze(self) -> float:
        """Let the clock run again."""
        return self.request("POST", "clock", {"unfreeze": True})["now"]

    # -- faults, replies, limits -------------------------------------------------------------
    def add_fault(self, fault: str | Mapping[str, Any], **match: Any) -> dict[str, Any]:
        """Add a fault rule (match: path, model, tenant, body; times, probability); return it with its id."""
        return self.request("POST", "faults", {"fault": fault, **match})

    def faults(self) -> list[dict[str, Any]]:
        """Every fault rule with its hit count."""
        return self.request("GET", "faults")["data"]

    def delete_fault(self, rule_id: str) -> None:
        """Remove one fault rule."""
        self.request("DELETE", f"faults/{rule_id}")

    def clear_faults(self) -> int:
        """Remove every fault rule."""
        return self.request("DELETE", "faults")["deleted"]

    def queue_reply(self, reply: Mapping[str, Any], match: Mapping[str, Any] | None = None, times: int = 1) -> dict[str, Any]:
        """Answer the next ``times`` matching requests with a canned reply."""
        return self.request("POST", "replies", {"reply": dict(reply), "match": dict(match or {}), "times": times})

    def set_limits(self, key: str | None = None, *, tenant: str | None = None, **limits: Any) -> dict[str, Any]:
        """Override rpm/tpm/rpd/tpd/ipm/quota/tier for one key or tenant."""
        return self.request("POST", "limits", {"key": key, "tenant": tenant, **limits})

    def advance_runs(self, **body: Any) -> dict[str, Any]:
        """Run the run-lifecycle hooks (``seconds`` also advances the clock)."""
        return self.request("POST", "runs/advance", body)

    # -- webhooks --------------------------------------------------------------------------
    def set_webhooks(self, url: str | None, secret: str | None = None) -> dict[str, Any]:
        """Send webhook events to ``url`` signed with ``secret`` (``whsec_…``); None stops them."""
        return self.request("POST", "webhooks", {"url": url, "secret": secret})

    def deliver_webhooks(self) -> list[dict[str, Any]]:
        """Send the webhook events due on the mock clock now; the attempts made."""
        return self.request("POST", "webhooks/deliver", {})["data"]

    # -- journal ---------------------------------------------------------------------------
    def journal(self, *, path: str | None = None, status: str | int | None = None, tenant: str | None = None,
                since: int | None = None, limit: int | None = None, full: bool = False) -> list[dict[str, Any]]:
        """Journal entries, newest first."""
        query = {"path": path, "status": status, "tenant": tenant, "since": since, "limit": limit, "full": "1" if full else None}
        return self.request("GET", "journal", query=query)["data"]

    def entry(self, entry_id: str) -> dict[str, Any]:
        """One journal entry in full."""
        return self.request("GET", f"journal/{entry_id}")

    def clear_journal(self) -> None:
        """Forget every journal entry."""
        self.request("DELETE", "journal")

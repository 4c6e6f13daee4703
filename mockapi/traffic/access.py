"""Who may use the control plane, and for which tenant.

Three layers, checked in this order for every ``/_mockapi`` request:

1. **Browsers from elsewhere are refused** (403): a web page the developer visits must not read the
   journal (it holds request bodies), reset state or inject faults. Browsers mark their requests:
   ``Sec-Fetch-Site: cross-site``/``same-site`` (another site, or another port of the same host) or an
   ``Origin`` that is not this server's own host. The inspector page is same-origin and passes; scripts
   and SDKs send neither header and pass. The control plane answers no CORS, so a page cannot read a
   reply either (see ``mockapi.doors.app``).
2. **Credentials**: the admin token (``MOCKAPI_ADMIN_TOKEN``; header ``x-mockapi-admin-token``,
   ``Authorization: Bearer`` or ``?token=``) sees everything. With keys configured, an API key
   (``Authorization: Bearer``, with its ``OpenAI-Organization``/``OpenAI-Project`` headers) acts for its
   own tenant only: its journal entries, fault rules, limits and state; a call with neither is refused,
   since tenants share the server. Without keys and without an admin token the control plane is open
   on a loopback address only (and only to requests addressed to a loopback name, so a DNS-rebound
   page cannot pass as local).
3. Global switches (seed, clock, queued replies, run advance) need the admin, never a tenant.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping
from urllib.parse import urlsplit

from mockapi.core.errors import AuthenticationError, PermissionDeniedError

if TYPE_CHECKING:
    from mockapi.core.engine import Engine, Request

LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "ip6-localhost"})
_BROWSER_SITES = frozenset({"cross-site", "same-site"})
_DEFAULT_PORTS = {"http": "80", "https": "443"}


@dataclass(frozen=True)
class Caller:
    """Who is calling: the admin (``tenant`` None) or one tenant."""

    tenant: str | None = None

    @property
    def admin(self) -> bool:
        """True when the caller may touch every tenant and the global switches."""
        return self.tenant is None

    def require_admin(self, what: str) -> None:
        """Refuse a tenant a global switch (403)."""
        if not self.admin:
            raise PermissionDeniedError(f"{what} affects every tenant: it needs the admin token (MOCKAPI_ADMIN_TOKEN).",
                                        code="admin_required")

    def require_own(self, tenant: str | None, param: str = "tenant") -> str | None:
        """The tenant to act on: the caller's own for a tenant (naming another is a 403), any for the admin."""
        if self.admin:
            return tenant
        if tenant and tenant != self.tenant:
            raise PermissionDeniedError("A tenant's key reaches only its own tenant on the control plane.",
                                        param=param, code="tenant_mismatch")
        return self.tenant

    def sees(self, tenant: str | None) -> bool:
        """Whether something belonging to ``tenant`` is visible to this caller."""
        return self.admin or tenant == self.tenant


def refuse_foreign_browsers(headers: Mapping[str, str]) -> None:
    """403 for a browser request sent by a page of another origin (Sec-Fetch-Site, then Origin against Host)."""
    site = headers.get("sec-fetch-site", "").strip().lower()
    if site in _BROWSER_SITES:
        raise PermissionDeniedError(f"The control plane refuses requests from other web pages (Sec-Fetch-Site: {site}); "
                                    "use the inspector at /_mockapi/ui or a script.", code="cross_origin_refused")
    origin = headers.get("origin")
    if origin is None:
        return
    if _origin_host(origin) != _host(headers.get("host", ""), urlsplit(origin).scheme.lower()):
        raise PermissionDeniedError(f"The control plane refuses requests from other web pages (Origin: {origin[:100]}); "
                                    "use the inspector at /_mockapi/ui or a script.", code="cross_origin_refused")


def identify(engine: "Engine", request: "Request", query: Mapping[str, str]) -> Caller:
    """The caller of a control request, or a 401/403 when it may not call at all."""
    settings = engine.settings
    headers = request.headers
    auth = headers.get("authorization", "")
    bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    token = settings.admin_token
    if token:
        for given in (headers.get("x-mockapi-admin-token"), query.get("token"), bearer):
            if given and hmac.compare_digest(given.encode(), token.encode()):
                return Caller()
    if settings.keys and (bearer or headers.get("api-key")):
        tenant, _ = engine.authenticate(headers)  # an unknown key or a foreign organization: the API's own 401
        return Caller(tenant)
    if token:
        raise AuthenticationError("The control plane needs the admin token"
                                  + (" or one of the configured API keys." if settings.keys else "."),
                                  code="invalid_admin_token")
    if settings.keys:  # tenants share this server: nobody is the admin by saying nothing
        raise AuthenticationError("With keys configured, the control plane needs one of them (Authorization: Bearer) "
                                  "for its own tenant, or the admin token for everything: set MOCKAPI_ADMIN_TOKEN.",
                                  code="invalid_admin_token")
    if settings.host not in LOOPBACK:
        raise PermissionDeniedError("The control plane is disabled on a non-loopback address without an admin "
                                    "token; set admin_token (MOCKAPI_ADMIN_TOKEN).")
    host = headers.get("host")
    if host is not None and not _is_loopback_name(_host(host, "http").rpartition(":")[0] or host):
        raise PermissionDeniedError(f"The control plane answers only requests addressed to a loopback name, not "
                                    f"{host[:100]!r}, unless an admin token is set.", code="host_not_allowed")
    return Caller()


def _origin_host(origin: str) -> str:
    parts = urlsplit(origin.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "\0"  # "null" (sandboxed frames, file://) and the like never match a host
    return _host(parts.netloc, parts.scheme)


def _host(netloc: str, scheme: str) -> str:
    """``host:port`` lower-cased, with the scheme's default port made explicit."""
    netloc = netloc.strip().lower().rpartition("@")[2]
    if netloc.endswith("]") or ":" not in netloc.rsplit("]", 1)[-1]:
        netloc = f"{netloc}:{_DEFAULT_PORTS.get(scheme, '80')}"
    return netloc


def _is_loopback_name(name: str) -> bool:
    name = name.strip("[]").lower()
    if name in LOOPBACK or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False

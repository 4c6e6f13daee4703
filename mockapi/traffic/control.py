"""The control plane at ``/_mockapi/``: program the mock while it runs, and read its journal.

Endpoints (JSON in, JSON out): ``POST reset`` {tenant?}, ``POST seed`` {seed}, ``GET|POST clock``
{freeze?, advance?, unfreeze?}, ``GET|POST|DELETE faults`` and ``DELETE faults/{id}``, ``POST|DELETE replies``
(queued canned replies), ``GET|POST limits``, ``POST runs/advance`` (run-lifecycle hook point),
``GET|POST webhooks`` {url, secret} (where events go) and ``POST webhooks/deliver`` (send what is due now),
``GET|DELETE journal``, ``GET journal/{id}``, ``GET journal/events`` (SSE), ``GET ui`` (the inspector).
Who may call, and for which tenant, is :mod:`mockapi.traffic.access`: browser requests from other
pages are refused, the admin token sees everything, and with keys configured an API key sees only its
own tenant (its journal entries, fault rules, limits and state).
"""

from __future__ import annotations

import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator
from urllib.parse import parse_qsl

from mockapi.core import sse
from mockapi.core.errors import InvalidRequestError, MockAPIError, NotFoundError
from mockapi.core.jsonutil import dumps, loads
from mockapi.core.results import Pause, Reply

from .access import LOOPBACK, Caller, identify, refuse_foreign_browsers  # noqa: F401 - LOOPBACK: its old home
from .client import Client  # noqa: F401 - ``mockapi.control.Client`` is the public name

if TYPE_CHECKING:
    from mockapi.core.engine import Engine, Request

    from . import Traffic

PREFIX = "/_mockapi"
FEED_SECONDS = 60.0  # a live feed ends after this long; EventSource reconnects by itself
FEED_POLL = 0.2
_UI = Path(__file__).resolve().parents[1] / "data" / "inspector.html"

Advancer = Callable[[dict[str, Any]], Any]
Endpoint = Callable[[dict[str, Any], dict[str, str], Caller], Any]
# The inspector page: never framed by another site (a framed page could be clicked into a reset), never
# sniffed, and its ``?token=`` never sent on as a referrer.
_UI_HEADERS = [("content-type", "text/html; charset=utf-8"), ("cache-control", "no-store"),
               ("x-frame-options", "DENY"), ("content-security-policy", "frame-ancestors 'none'"),
               ("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer")]


class ControlPlane:
    """The ``/_mockapi`` route of one engine."""

    def __init__(self, engine: "Engine", traffic: "Traffic") -> None:
        self.engine = engine
        self.traffic = traffic
        self.advancers: list[Advancer] = []  # run-lifecycle hooks: each gets the request body, returns a summary
        self._table: dict[tuple[str, str], Endpoint] = {
            ("GET", ""): self._index, ("GET", "state"): self._state, ("POST", "reset"): self._reset,
            ("POST", "seed"): self._seed, ("GET", "clock"): self._clock, ("POST", "clock"): self._clock,
            ("GET", "faults"): self._faults, ("POST", "faults"): self._add_fault, ("DELETE", "faults"): self._clear_faults,
            ("POST", "replies"): self._queue_reply, ("DELETE", "replies"): self._clear_replies,
            ("GET", "limits"): self._limits, ("POST", "limits"): self._set_limits,
            ("POST", "runs/advance"): self._advance_runs,
            ("GET", "journal"): self._journal, ("DELETE", "journal"): self._clear_journal,
            ("GET", "webhooks"): self._webhook_settings, ("POST", "webhooks"): self._webhooks,
            ("POST", "webhooks/deliver"): self._deliver_webhooks,
        }

    def route(self, request: "Request") -> Reply | None:
        """Answer a control-plane request (None for paths outside the prefix)."""
        path = request.path
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return None
        sub = path[len(PREFIX):].strip("/")
        query = dict(parse_qsl(request.query, keep_blank_values=True))
        try:
            if request.method == "GET" and sub == "ui":
                # A static page holding no data (a link from anywhere may open it): everything it shows, it
                # fetches with its token through the checks below, and it says so when they refuse it.
                return Reply(200, list(_UI_HEADERS), _UI.read_bytes())
            refuse_foreign_browsers(request.headers)
            caller = identify(self.engine, request, query)
            if request.method == "GET" and sub == "journal/events":
                return self._feed(query, caller)
            if sub.startswith("journal/") and request.method == "GET":
                return _json(self._entry(sub[len("journal/"):], caller))
            if sub.startswith("faults/") and request.method == "DELETE":
                rule_id = sub[len("faults/"):]
                owned = [r for r in self.traffic.faults.rules() if r["id"] == rule_id and caller.sees(r.get("tenant"))]
                if not owned or not self.traffic.faults.delete_rule(rule_id):
                    raise NotFoundError(f"No fault rule {rule_id!r}.", param="id")
                return _json({"deleted": True})
            handler = self._table.get((request.method, sub))
            if handler is None:
                raise NotFoundError(f"Invalid URL ({request.method} {path}): not a control-plane endpoint.", code="unknown_url")
            return _json(handler(_body(request), query, caller))
        except MockAPIError as exc:
            return self.engine.error_reply(exc)
        except (TypeError, ValueError) as exc:  # unexpected fields in a JSON body, a number that is not one
            return self.engine.error_reply(InvalidRequestError(f"Bad control request: {exc}", param=None))

    # -- endpoints -------------------------------------------------------------------------
    # Each gets (JSON body, query, caller); a tenant caller sees and changes only its own tenant's things.
    def _index(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        return {"endpoints": sorted({f"{m} {PREFIX}/{p}".rstrip("/") for m, p in self._table}
                                    | {f"GET {PREFIX}/ui", f"GET {PREFIX}/journal/events", f"GET {PREFIX}/journal/{{id}}",
                                       f"DELETE {PREFIX}/faults/{{id}}"})}

    def _state(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        clock = self.engine.clock
        journal = self.traffic.journal
        entries = len(journal) if caller.admin else len(journal.query(tenant=caller.tenant, limit=journal.size))
        state = {"seed": self.engine.seed, "clock": {"now": clock.now(), "frozen": clock.frozen},
                 "journal": {"entries": entries, "size": journal.size},
                 "faults": len(self._faults(body, query, caller)["data"]),
                 "latency": self.engine.settings.latency, "tier": self.engine.settings.tier}
        if caller.admin:
            state["queued_replies"] = len(self.engine.overrides.queued)
        else:
            state["tenant"] = caller.tenant
        return state

    def _reset(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        tenant = caller.require_own(body.get("tenant"))
        self.engine.reset(tenant)
        return {"reset": tenant or "all"}

    def _seed(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        caller.require_admin("The seed")
        if not isinstance(body.get("seed"), int):
            raise InvalidRequestError("seed must be an integer.", param="seed")
        self.engine.seed = body["seed"]
        return {"seed": self.engine.seed}

    def _clock(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        clock = self.engine.clock
        if body:
            caller.require_admin("The clock")
        if body.get("unfreeze"):
            clock.unfreeze()
        freeze = body.get("freeze")
        if freeze is True:
            clock.freeze()
        elif isinstance(freeze, (int, float)) and not isinstance(freeze, bool):
            clock.freeze(float(freeze))
        advance = body.get("advance")
        if advance is not None:
            if not isinstance(advance, (int, float)) or advance < 0:
                raise InvalidRequestError("advance must be a number of seconds, 0 or more.", param="advance")
            clock.advance(float(advance))
        return {"now": clock.now(), "frozen": clock.frozen}

    def _faults(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        return {"data": [r for r in self.traffic.faults.rules() if caller.sees(r.get("tenant"))]}

    def _add_fault(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        if "fault" not in body:
            raise InvalidRequestError("A fault rule needs `fault`, e.g. \"503\" or \"cut after=3\".", param="fault")
        return self.traffic.faults.add_rule(**{**body, "tenant": caller.require_own(body.get("tenant"))})

    def _clear_faults(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        if caller.admin:
            return {"deleted": self.traffic.faults.clear_rules()}
        owned = self._faults(body, query, caller)["data"]
        return {"deleted": sum(self.traffic.faults.delete_rule(r["id"]) for r in owned)}

    def _queue_reply(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        caller.require_admin("A queued reply")
        if not isinstance(body.get("reply"), dict):
            raise InvalidRequestError("A queued reply needs a `reply` mapping.", param="reply")
        try:
            rule = self.engine.overrides.queue(body.get("match") or {}, body["reply"], int(body.get("times", 1)))
        except ValueError as exc:
            raise InvalidRequestError(str(exc), param="match") from None
        return {"queued": len(self.engine.overrides.queued), "match": dict(rule.match), "reply": dict(rule.reply),
                "times": rule.times}

    def _clear_replies(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        caller.require_admin("The reply queue")
        self.engine.overrides.clear_queue()
        return {"queued": 0}

    def _limits(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        return {"data": [o for o in self.traffic.limiter.overrides() if caller.sees(o.get("tenant"))]}

    def _set_limits(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        limiter = self.traffic.limiter
        if not caller.admin:
            named = body.get("tenant") or (limiter.tenant_of(str(body["key"])) if body.get("key") else None)
            body = {**body, "key": None, "tenant": caller.require_own(named)}
        return limiter.set_override(**body)

    def _advance_runs(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        caller.require_admin("Advancing runs")
        if body.get("seconds"):
            self.engine.clock.advance(float(body["seconds"]))
        results = [advance(body) for advance in self.advancers]
        return {"advanced": len(self.advancers), "results": results, "now": self.engine.clock.now()}

    def _webhook_settings(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        caller.require_admin("Webhook delivery")
        return self.traffic.webhooks.settings()

    def _deliver_webhooks(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        caller.require_admin("Webhook delivery")
        return {"data": self.traffic.webhooks.deliver_due()}

    def _webhooks(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        caller.require_admin("Webhook delivery")
        url, secret = body.get("url"), body.get("secret")
        if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
            raise InvalidRequestError("url must be an http:// or https:// URL, or null to stop deliveries.", param="url")
        if secret is not None and not isinstance(secret, str):
            raise InvalidRequestError("secret must be a string such as whsec_<base64>.", param="secret")
        return self.traffic.webhooks.configure(url, secret)

    def _journal(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        entries = self.traffic.journal.query(path=query.get("path") or None, status=query.get("status") or None,
                                             tenant=caller.require_own(query.get("tenant") or None),
                                             since=int(query.get("since") or 0),
                                             limit=min(1000, int(query.get("limit") or 100)))
        full = query.get("full") in ("1", "true")
        return {"data": [e.to_dict() if full else e.summary() for e in entries]}

    def _entry(self, entry_id: str, caller: Caller) -> dict[str, Any]:
        entry = self.traffic.journal.get(entry_id)
        if entry is None or not caller.sees(entry.tenant):  # another tenant's entry does not exist for this caller
            raise NotFoundError(f"No journal entry {entry_id!r} (it may have left the ring).", param="id")
        return entry.to_dict()

    def _clear_journal(self, body: dict[str, Any], query: dict[str, str], caller: Caller) -> dict[str, Any]:
        return {"cleared": True, "entries": self.traffic.journal.clear(caller.tenant)}

    def _feed(self, query: dict[str, str], caller: Caller) -> Reply:
        headers = [("content-type", "text/event-stream; charset=utf-8"), ("cache-control", "no-cache")]
        return Reply(200, headers, stream=self._events(int(query.get("since") or 0), caller))

    def _events(self, since: int, caller: Caller) -> Iterator[Any]:
        """Journal summaries as SSE: the backlog after ``since``, then new entries until the feed's time is up."""
        journal = self.traffic.journal
        pending: deque[Any] = deque(maxlen=1000)
        unsubscribe = journal.subscribe(lambda entry: pending.append(entry) if caller.sees(entry.tenant) else None)
        try:
            yield b"retry: 1000\n\n"
            for entry in reversed(journal.query(since=since, tenant=caller.tenant, limit=journal.size)):
                yield sse.frame(entry.summary(), "entry")
            deadline = time.monotonic() + FEED_SECONDS
            polls = 0
            while time.monotonic() < deadline:
                while pending:
                    yield sse.frame(pending.popleft().summary(), "entry")
                polls += 1
                if polls % 5 == 0:
                    yield sse.comment("ping")  # a write now and then is how a door notices a client has left
                yield Pause(FEED_POLL)
            yield sse.frame({"reconnect": True}, "bye")  # the page reconnects from its newest entry
        finally:
            unsubscribe()


def _body(request: "Request") -> dict[str, Any]:
    if not request.body.strip():
        return {}
    try:
        body = loads(request.body)
    except ValueError:
        raise InvalidRequestError("The control-plane body must be JSON.", param=None) from None
    if not isinstance(body, dict):
        raise InvalidRequestError("The control-plane body must be a JSON object.", param=None)
    return body


def _json(data: Any) -> Reply:
    return Reply(200, [("content-type", "application/json")], dumps(data))


__all__ = ["Client", "ControlPlane", "PREFIX"]

"""The control plane at ``/_mockapi/``: program the mock while it runs, and read its journal.

Endpoints (JSON in, JSON out): ``POST reset`` {tenant?}, ``POST seed`` {seed}, ``GET|POST clock``
{freeze?, advance?, unfreeze?}, ``GET|POST|DELETE faults`` and ``DELETE faults/{id}``, ``POST|DELETE replies``
(queued canned replies), ``GET|POST limits``, ``POST runs/advance`` (run-lifecycle hook point),
``GET|POST webhooks`` {url, secret} (where events go) and ``POST webhooks/deliver`` (send what is due now),
``GET|DELETE journal``, ``GET journal/{id}``, ``GET journal/events`` (SSE), ``GET ui`` (the inspector).
When bound to a non-loopback address it needs the admin token (``Authorization: Bearer …``,
``x-mockapi-admin-token`` or ``?token=``); when a token is set it is always needed.
"""

from __future__ import annotations

import hmac
import time
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator
from urllib.parse import parse_qsl

from mockapi.core import sse
from mockapi.core.errors import (
    AuthenticationError,
    InvalidRequestError,
    MockAPIError,
    NotFoundError,
    PermissionDeniedError,
)
from mockapi.core.jsonutil import dumps, loads
from mockapi.core.results import Pause, Reply

from .client import Client  # noqa: F401 - ``mockapi.control.Client`` is the public name

if TYPE_CHECKING:
    from mockapi.core.engine import Engine, Request

    from . import Traffic

PREFIX = "/_mockapi"
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "ip6-localhost"})
FEED_SECONDS = 60.0  # a live feed ends after this long; EventSource reconnects by itself
FEED_POLL = 0.2
_UI = Path(__file__).resolve().parents[1] / "data" / "inspector.html"

Advancer = Callable[[dict[str, Any]], Any]


class ControlPlane:
    """The ``/_mockapi`` route of one engine."""

    def __init__(self, engine: "Engine", traffic: "Traffic") -> None:
        self.engine = engine
        self.traffic = traffic
        self.advancers: list[Advancer] = []  # run-lifecycle hooks: each gets the request body, returns a summary
        self._table: dict[tuple[str, str], Callable[[dict[str, Any], dict[str, str]], Any]] = {
            ("GET", ""): self._index, ("GET", "state"): self._state, ("POST", "reset"): self._reset,
            ("POST", "seed"): self._seed, ("GET", "clock"): self._clock, ("POST", "clock"): self._clock,
            ("GET", "faults"): lambda b, q: {"data": self.traffic.faults.rules()},
            ("POST", "faults"): self._add_fault,
            ("DELETE", "faults"): lambda b, q: {"deleted": self.traffic.faults.clear_rules()},
            ("POST", "replies"): self._queue_reply, ("DELETE", "replies"): self._clear_replies,
            ("GET", "limits"): lambda b, q: {"data": self.traffic.limiter.overrides()},
            ("POST", "limits"): lambda b, q: self.traffic.limiter.set_override(**b),
            ("POST", "runs/advance"): self._advance_runs,
            ("GET", "journal"): self._journal, ("DELETE", "journal"): self._clear_journal,
            ("GET", "webhooks"): lambda b, q: self.traffic.webhooks.settings(), ("POST", "webhooks"): self._webhooks,
            ("POST", "webhooks/deliver"): lambda b, q: {"data": self.traffic.webhooks.deliver_due()},
        }

    def route(self, request: "Request") -> Reply | None:
        """Answer a control-plane request (None for paths outside the prefix)."""
        path = request.path
        if path != PREFIX and not path.startswith(PREFIX + "/"):
            return None
        sub = path[len(PREFIX):].strip("/")
        query = dict(parse_qsl(request.query, keep_blank_values=True))
        try:
            self._authorize(request, query)
            if request.method == "GET" and sub == "ui":
                return Reply(200, [("content-type", "text/html; charset=utf-8"), ("cache-control", "no-store")],
                             _UI.read_bytes())
            if request.method == "GET" and sub == "journal/events":
                return self._feed(query)
            if sub.startswith("journal/") and request.method == "GET":
                return _json(self._entry(sub[len("journal/"):]))
            if sub.startswith("faults/") and request.method == "DELETE":
                if not self.traffic.faults.delete_rule(sub[len("faults/"):]):
                    raise NotFoundError(f"No fault rule {sub[len('faults/'):]!r}.", param="id")
                return _json({"deleted": True})
            handler = self._table.get((request.method, sub))
            if handler is None:
                raise NotFoundError(f"Invalid URL ({request.method} {path}): not a control-plane endpoint.", code="unknown_url")
            return _json(handler(_body(request), query))
        except MockAPIError as exc:
            return self.engine.error_reply(exc)
        except TypeError as exc:  # unexpected fields in a JSON body
            return self.engine.error_reply(InvalidRequestError(f"Bad control request: {exc}", param=None))

    # -- access ----------------------------------------------------------------------------
    def _authorize(self, request: "Request", query: dict[str, str]) -> None:
        token = self.engine.settings.admin_token
        if not token:
            if self.engine.settings.host not in LOOPBACK:
                raise PermissionDeniedError("The control plane is disabled on a non-loopback address without an admin "
                                            "token; set admin_token (MOCKAPI_ADMIN_TOKEN).")
            return
        auth = request.headers.get("authorization", "")
        given = request.headers.get("x-mockapi-admin-token") or (auth[7:].strip() if auth.lower().startswith("bearer ") else "")
        given = given or query.get("token", "")
        if not hmac.compare_digest(given.encode(), token.encode()):
            raise AuthenticationError("The control plane needs the admin token.", code="invalid_admin_token")

    # -- endpoints -------------------------------------------------------------------------
    def _index(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        return {"endpoints": sorted({f"{m} {PREFIX}/{p}".rstrip("/") for m, p in self._table}
                                    | {f"GET {PREFIX}/ui", f"GET {PREFIX}/journal/events", f"GET {PREFIX}/journal/{{id}}",
                                       f"DELETE {PREFIX}/faults/{{id}}"})}

    def _state(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        clock = self.engine.clock
        return {"seed": self.engine.seed, "clock": {"now": clock.now(), "frozen": clock.frozen},
                "journal": {"entries": len(self.traffic.journal), "size": self.traffic.journal.size},
                "faults": len(self.traffic.faults.rules()), "queued_replies": len(self.engine.overrides.queued),
                "latency": self.engine.settings.latency, "tier": self.engine.settings.tier}

    def _reset(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        tenant = body.get("tenant")
        self.engine.reset(tenant)
        return {"reset": tenant or "all"}

    def _seed(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        if not isinstance(body.get("seed"), int):
            raise InvalidRequestError("seed must be an integer.", param="seed")
        self.engine.seed = body["seed"]
        return {"seed": self.engine.seed}

    def _clock(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        clock = self.engine.clock
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

    def _add_fault(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        if "fault" not in body:
            raise InvalidRequestError("A fault rule needs `fault`, e.g. \"503\" or \"cut after=3\".", param="fault")
        return self.traffic.faults.add_rule(**body)

    def _queue_reply(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        if not isinstance(body.get("reply"), dict):
            raise InvalidRequestError("A queued reply needs a `reply` mapping.", param="reply")
        try:
            rule = self.engine.overrides.queue(body.get("match") or {}, body["reply"], int(body.get("times", 1)))
        except ValueError as exc:
            raise InvalidRequestError(str(exc), param="match") from None
        return {"queued": len(self.engine.overrides.queued), "match": dict(rule.match), "reply": dict(rule.reply),
                "times": rule.times}

    def _clear_replies(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        self.engine.overrides.clear_queue()
        return {"queued": 0}

    def _advance_runs(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        if body.get("seconds"):
            self.engine.clock.advance(float(body["seconds"]))
        results = [advance(body) for advance in self.advancers]
        return {"advanced": len(self.advancers), "results": results, "now": self.engine.clock.now()}

    def _webhooks(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        url, secret = body.get("url"), body.get("secret")
        if url is not None and (not isinstance(url, str) or not url.startswith(("http://", "https://"))):
            raise InvalidRequestError("url must be an http:// or https:// URL, or null to stop deliveries.", param="url")
        if secret is not None and not isinstance(secret, str):
            raise InvalidRequestError("secret must be a string such as whsec_<base64>.", param="secret")
        return self.traffic.webhooks.configure(url, secret)

    def _journal(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        entries = self.traffic.journal.query(path=query.get("path") or None, status=query.get("status") or None,
                                             tenant=query.get("tenant") or None, since=int(query.get("since") or 0),
                                             limit=min(1000, int(query.get("limit") or 100)))
        full = query.get("full") in ("1", "true")
        return {"data": [e.to_dict() if full else e.summary() for e in entries]}

    def _entry(self, entry_id: str) -> dict[str, Any]:
        entry = self.traffic.journal.get(entry_id)
        if entry is None:
            raise NotFoundError(f"No journal entry {entry_id!r} (it may have left the ring).", param="id")
        return entry.to_dict()

    def _clear_journal(self, body: dict[str, Any], query: dict[str, str]) -> dict[str, Any]:
        self.traffic.journal.clear()
        return {"cleared": True}

    def _feed(self, query: dict[str, str]) -> Reply:
        headers = [("content-type", "text/event-stream; charset=utf-8"), ("cache-control", "no-cache")]
        return Reply(200, headers, stream=self._events(int(query.get("since") or 0)))

    def _events(self, since: int) -> Iterator[Any]:
        """Journal summaries as SSE: the backlog after ``since``, then new entries until the feed's time is up."""
        journal = self.traffic.journal
        pending: deque[Any] = deque(maxlen=1000)
        unsubscribe = journal.subscribe(pending.append)
        try:
            yield b"retry: 1000\n\n"
            for entry in reversed(journal.query(since=since, limit=journal.size)):
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

"""Webhook delivery: queued events (mockapi/core/outbox.py) signed and POSTed to the configured URL.

Signing follows standard-webhooks, as the SDK's ``client.webhooks.unwrap()`` verifies it
(openai/lib/_webhooks.py): headers ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature:
v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">``, the key being the base64 after ``whsec_``.
The timestamp is the wall clock, not the mock clock: receivers reject a signature more than five
minutes off their own time, and a frozen mock clock is usually far in the past.

A delivery that fails (no answer, or a status that is not 2xx) is tried again after a backoff on the
mock clock (advance it to get there), at most ``MAX_ATTEMPTS`` times. Sending happens in a background
thread, started when a request leaves events waiting, so request handling never waits for a receiver;
``POST /_mockapi/webhooks/deliver`` sends whatever is due at once. The journal shows every attempt.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import threading
import time
from typing import TYPE_CHECKING, Any

from mockapi.core import outbox
from mockapi.core.engine import Request
from mockapi.core.errors import ServiceUnavailableError
from mockapi.core.jsonutil import dumps
from mockapi.core.results import Reply

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine

    from .journal import Journal

BACKOFF_SECONDS = (5, 30, 120, 600, 1800, 3600, 7200)  # mock-clock wait before attempt 2, 3, …
MAX_ATTEMPTS = len(BACKOFF_SECONDS) + 1
TIMEOUT = 10.0  # real seconds a receiver has to answer one delivery
POLL = 0.05  # real seconds between looks at the outbox while events wait
IDLE_EXIT = 30.0  # the sender thread stops after this long with nothing due; the next request restarts it
CLAIM_TTL = 60.0


def sign(secret: str, webhook_id: str, timestamp: int, payload: bytes) -> str:
    """The ``webhook-signature`` header value for one delivery."""
    key = base64.b64decode(secret[len("whsec_"):]) if secret.startswith("whsec_") else secret.encode()
    signed = f"{webhook_id}.{timestamp}.".encode() + payload
    return "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()


class Webhooks:
    """The webhook sender of one engine (``engine.traffic.webhooks``)."""

    def __init__(self, engine: Engine, journal: Journal) -> None:
        self.engine = engine
        self.journal = journal
        self._send_lock = threading.Lock()
        self._sender_lock = threading.Lock()
        self._sender: threading.Thread | None = None  # not "_thread": compiled, the C field "__thread", a gcc keyword

    # -- configuration (the control plane) ----------------------------------------------------
    def settings(self) -> dict[str, Any]:
        """The current target (the secret masked) and the events waiting."""
        current = outbox.config(self.engine) or {}
        secret = str(current.get("secret") or "")
        return {"url": current.get("url"), "secret": (secret[:6] + "****") if secret else None,
                "pending": [self._summary(r) for r in outbox.pending(self.engine)]}

    def configure(self, url: str | None, secret: str | None = None) -> dict[str, Any]:
        """Point deliveries at ``url`` (None switches them off), signed with ``secret``."""
        outbox.set_config(self.engine, {"url": url, "secret": secret} if url else None)
        return self.settings()

    # -- sending ----------------------------------------------------------------------------
    def observe(self, request: Request, call: Call | None, reply: Reply) -> None:
        """An engine observer: after a request that left events waiting, make sure the sender runs."""
        if call is None or reply.status == 503 and reply.meta.get("error") is not None:
            return  # nothing new was made; and with the store down there is nothing to read
        try:
            if outbox.config(self.engine) is not None and outbox.has_work(self.engine):
                self.kick()
        except ServiceUnavailableError:
            pass  # the store went away after the reply was made: the sender retries when it is back

    def kick(self) -> None:
        """Start the sender thread unless it runs."""
        with self._sender_lock:
            if self._sender is None or not self._sender.is_alive():
                self._sender = threading.Thread(target=self._run, name="mockapi-webhooks", daemon=True)
                self._sender.start()

    def _run(self) -> None:
        idle_since = time.monotonic()
        while outbox.has_work(self.engine) and time.monotonic() - idle_since < IDLE_EXIT:
            if self.deliver_due():
                idle_since = time.monotonic()
            time.sleep(POLL)  # the sender's own pacing in its own thread, never a request's

    def deliver_due(self) -> list[dict[str, Any]]:
        """Tick what is due, then send every event due on the mock clock now; the attempts made, as journaled."""
        target = outbox.config(self.engine)
        if target is None:
            return []
        attempts = []
        with self._send_lock:
            outbox.run_ticks(self.engine)  # a batch nobody polls moves on here, and may publish its end
            now = self.engine.clock.now()
            for record in sorted(outbox.pending(self.engine), key=lambda r: (r["_due"], r["_order"])):
                if record["_due"] <= now and self._claim(record):
                    attempts.append(self._attempt(record, target))
        return attempts

    def _claim(self, record: dict[str, Any]) -> bool:
        key = f"{outbox.SCOPE}:claim:{record['id']}:{record['_attempts']}"
        return self.engine.store.incr(key, 1, CLAIM_TTL) == 1  # workers sharing a store send each attempt once

    def _attempt(self, record: dict[str, Any], target: Any) -> dict[str, Any]:
        event = record["event"]
        payload = dumps(event)
        webhook_id = outbox.delivery_id(event["id"])
        stamp = int(time.time())
        headers = {"content-type": "application/json", "user-agent": "OpenAI/1.0 (+https://platform.openai.com/docs/webhooks)",
                   "webhook-id": webhook_id, "webhook-timestamp": str(stamp)}
        if target.get("secret"):
            headers["webhook-signature"] = sign(str(target["secret"]), webhook_id, stamp, payload)
        attempt = record["_attempts"] + 1
        started = time.perf_counter()
        import httpx  # here, not at module level: it costs ~50 ms at start-up and only a delivery needs it

        try:
            with httpx.Client(timeout=TIMEOUT) as client:
                answer = client.post(str(target["url"]), content=payload, headers=headers)
            status, body, failure = answer.status_code, answer.content, None
        except httpx.HTTPError as exc:
            status, body, failure = 0, b"", f"{type(exc).__name__}: {exc}"
        delivered = 200 <= status < 300
        if delivered:
            outbox.withdraw(self.engine, event["type"], event["data"]["id"])
        elif attempt >= MAX_ATTEMPTS:
            self.engine.store.delete(outbox.SCOPE, outbox.OUTBOX, record["id"])  # given up: the journal keeps the trail
        else:
            record.update(_attempts=attempt, _due=self.engine.clock.now() + BACKOFF_SECONDS[attempt - 1])
            self.engine.store.put(outbox.SCOPE, outbox.OUTBOX, record["id"], record)
        result = {"event_id": event["id"], "type": event["type"], "attempt": attempt, "status": status,
                  "delivered": delivered, "error": failure, "next_attempt_at": None if delivered or attempt >= MAX_ATTEMPTS
                  else record["_due"]}
        self._journal(str(target["url"]), headers, payload, result, body, started)
        return result

    def _journal(self, url: str, headers: dict[str, str], payload: bytes, result: dict[str, Any], body: bytes,
                 started: float) -> None:
        elapsed = max(1, int((time.perf_counter() - started) * 1000))
        reply_headers = [("x-request-id", f"{headers['webhook-id']}.{result['attempt']}"), ("openai-processing-ms", str(elapsed)),
                         ("x-mockapi-webhook", f"{result['type']} attempt {result['attempt']}")]
        if result["error"]:
            reply_headers.append(("x-mockapi-webhook-error", result["error"]))
        self.journal.observe(Request("POST", url, headers, payload), None, Reply(result["status"], reply_headers, body))

    @staticmethod
    def _summary(record: dict[str, Any]) -> dict[str, Any]:
        return {"event": record["event"], "attempts": record["_attempts"], "due": record["_due"]}

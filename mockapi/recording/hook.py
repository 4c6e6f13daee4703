"""The record/replay engine hook: replay what a fixture answers, forward (and record) the rest.

Installed after the traffic hooks (:func:`install`), so its ``before`` runs last: a fault or a rate
limit answers first, and the traffic layer's ``after`` hooks (latency, faults) wrap a replayed or
forwarded reply exactly as they wrap a generated one.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from mockapi.core.determinism import digest
from mockapi.core.errors import NotFoundError
from mockapi.core.results import Reply

from . import objects
from .fixture import Cassette, Fixture
from .match import candidates, canonical, closest, meaning
from .options import RecordingOptions
from .replay import reply_of, usage_tokens
from .scrub import Scrubber

if TYPE_CHECKING:
    import httpx  # forwarding needs it (record modes); a replay never does, nor an httpx2-only install

    from mockapi.core.engine import Call, Engine

OCCURRENCE_TTL = 10 * 365 * 86400.0


class RecordReplay:
    """Serves fixtures of a cassette directory, and forwards misses upstream in the recording modes."""

    def __init__(self, engine: Engine, options: RecordingOptions) -> None:
        self.engine = engine
        self.options = options
        self.cassette = Cassette(options.directory)
        self.scrubber = Scrubber(options.scrub_patterns)
        if options.upstream_key:
            self.scrubber.remember("key", options.upstream_key)
        self._client: httpx.Client | None = None
        self._lock = threading.Lock()

    @property
    def client(self) -> httpx.Client:
        """The upstream HTTP client (made on first use: a replay never needs one)."""
        with self._lock:
            if self._client is None:
                import httpx

                from . import proxy

                self._client = httpx.Client(timeout=self.options.timeout, follow_redirects=False,
                                            transport=proxy.DirectTransport())
            return self._client

    def close(self) -> None:
        """Close the upstream client."""
        if self._client is not None:
            self._client.close()

    def before(self, call: Call) -> Reply | None:
        """A replayed or forwarded reply, a strict miss's 404, or None to let the mock answer."""
        self.scrubber.headers(call.request.headers.items())  # learn this caller's secrets before scrubbing its body
        request = meaning(call, self.scrubber)
        if self.options.mode != "record":
            found = candidates(self.cassette.fixtures, request)
            if found:
                return self._replay(call, request, found)
        if self.options.forwards:
            return self._forward(call, request)
        if self.options.strict:
            raise NotFoundError(self._miss_message(request), code="fixture_not_found")
        return None

    def after(self, call: Call, reply: Reply) -> Reply:
        """Nothing to change: the reply is final here."""
        return reply

    def _replay(self, call: Call, request: dict, found: list) -> Reply:
        # The n-th identical request gets the n-th matching fixture (the last one repeats).
        n = call.store.incr(f"{call.tenant}:replay:{digest(canonical(request))}", 1, OCCURRENCE_TTL)
        if self.options.label:  # the recording test's own fixtures first (pytest plugin: one cassette per module)
            found = sorted(found, key=lambda f: f.extra.get("test") != self.options.label)
        fixture = found[min(n, len(found)) - 1]
        objects.register(call, fixture)
        call.charged_tokens = usage_tokens(fixture)
        return reply_of(fixture, call.op.stream_dialect, self.options.replay_speed)

    def _forward(self, call: Call, request: dict) -> Reply:
        if not call.faithful and call.op.request_schema is not None and call.op.request_content == "application/json":
            # Recording validates as at level faithful whatever the caller asked: a refused request is not forwarded.
            self.engine.contract.validate_request(call.op, call.body, faithful=True)
        from . import proxy

        response, started = proxy.forward(call, self.client, str(self.options.upstream), self.options.upstream_key)
        return proxy.record(call, response, started, self.scrubber, request, self._save)

    def _save(self, fixture: Fixture, binary: bytes | None) -> None:
        if self.options.label:
            fixture.extra["test"] = self.options.label
        self.cassette.add(fixture, binary)

    def _miss_message(self, request: dict) -> str:
        best, differs = closest(self.cassette.fixtures, request)
        where = f"in {self.options.directory}"
        if best is None:
            return f"No recorded fixture matches this {request['operation']} request: the cassette {where} is empty (mockapi replay, strict)."
        return (f"No recorded fixture matches this {request['operation']} request {where} (mockapi replay, strict). "
                f"Closest: {best.name}, which differs in: {', '.join(differs) or 'nothing (an occurrence)'}.")


def install(engine: Engine, options: RecordingOptions) -> RecordReplay:
    """Add the record/replay hook to ``engine``, after the traffic hooks; reachable as ``engine.recording``."""
    uninstall(engine)
    hook = RecordReplay(engine, options)
    engine.hooks.append(hook)
    engine.recording = hook  # type: ignore[attr-defined]
    return hook


def uninstall(engine: Engine) -> None:
    """Remove the record/replay hook from ``engine`` (if any)."""
    hook = getattr(engine, "recording", None)
    if hook is not None:
        engine.hooks[:] = [h for h in engine.hooks if h is not hook]
        hook.close()
        engine.recording = None  # type: ignore[attr-defined]

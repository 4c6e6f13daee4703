"""``MockSession``: what the ``mockapi`` and ``mockapi_server`` fixtures hand a test.

The same object in both modes: this test's calls, queued replies, faults, the clock, the seed,
rate limits and ready-made SDK clients. :func:`inprocess` and :func:`live` are the context managers
the fixtures wrap; they work outside pytest too.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import os
import re
from typing import TYPE_CHECKING, Any, Iterator, Mapping, Sequence

from .calls import Calls
from .mocking import Baseline, Options, apply, new_engine, reset

if TYPE_CHECKING:
    from mockapi.core.engine import Engine
    from mockapi.doors.intercept import Interceptor
    from mockapi.doors.live import LiveServer

# Status and fault replies queued without a path hit the next generation request, not a GET /models.
GENERATION_PATHS = r"/v1/(?:chat/completions|completions|responses|embeddings)"
_RETRYABLE = frozenset({408, 409, 429})


class RateLimits:
    """The engine's rate limiter, with ``set(rpm=…)`` defaulting to this session's API key."""

    def __init__(self, limiter: Any, api_key: str) -> None:
        self.limiter = limiter
        self.api_key = api_key

    def set(self, key: str | None = None, **limits: Any) -> dict[str, Any]:
        """Override rpm/tpm/rpd/tpd/ipm/quota/tier for ``key`` (default: the session's key) until reset."""
        return self.limiter.set_override(key=key or self.api_key, **limits)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.limiter, name)


class MockSession:
    """One test's handle on the mock (``mode`` is ``"inprocess"`` or ``"live"``)."""

    def __init__(self, engine: "Engine", base_url: str, mode: str, options: Options, baseline: Baseline,
                 interceptor: "Interceptor | None" = None) -> None:
        self.engine = engine
        self.base_url = base_url
        self.mode = mode
        self.options = options
        self.api_key = options.api_key
        self.interceptor = interceptor
        self._baseline = baseline
        self._clients: dict[str, Any] = {}

    # -- state -----------------------------------------------------------------------------
    @property
    def calls(self) -> Calls:
        """This test's requests, oldest first, with ``assert_called``, ``last`` and ``retry_count``."""
        return Calls(self.engine.traffic.journal)

    @property
    def faults(self) -> Any:
        """The fault rules (``add_rule("503", path=…, times=1)``, ``rules()``, ``clear_rules()``)."""
        return self.engine.traffic.faults

    @property
    def clock(self) -> Any:
        """The engine's clock (``freeze``, ``advance``, ``now``)."""
        return self.engine.clock

    @property
    def seed(self) -> int:
        """The seed every generated answer derives from."""
        return self.engine.seed

    @seed.setter
    def seed(self, value: int) -> None:
        self.engine.seed = int(value)

    @property
    def rate_limits(self) -> RateLimits:
        """The rate limiter; ``rate_limits.set(rpm=2)`` limits this session's key."""
        return RateLimits(self.engine.traffic.limiter, self.api_key)

    def reset(self) -> None:
        """Forget every object, queued reply, fault, counter and call; re-apply this test's options."""
        reset(self.engine, self._baseline, self.options)

    @contextlib.contextmanager
    def fresh(self) -> Iterator["MockSession"]:
        """Reset on entry: a clean mock for each Hypothesis example (fixtures are not re-run per example)."""
        self.reset()
        yield self

    # -- canned replies --------------------------------------------------------------------
    def queue(self, content: str | None = None, *, tool_calls: Sequence[Mapping[str, Any]] | None = None,
              refusal: str | None = None, finish_reason: str | None = None, status: int | None = None,
              error: str | None = None, retry_after: float | None = None, fault: str | Mapping[str, Any] | None = None,
              model: str | None = None, message: str | None = None, tools: Sequence[str] | None = None,
              path: str | None = None, times: int = 1) -> None:
        """Answer the next ``times`` matching requests with content, tool calls, a refusal, an error or a fault."""
        if status is not None or fault is not None:
            spec = fault if fault is not None else _status_fault(int(status or 500), error, retry_after)
            self.faults.add_rule(spec, path=_fault_path(path), model=model, body=_body_pattern(message, tools),
                                 times=times)
            return
        reply: dict[str, Any] = {k: v for k, v in (("content", content), ("tool_calls", tool_calls),
                                                   ("refusal", refusal), ("finish_reason", finish_reason)) if v is not None}
        if not reply:
            raise TypeError("queue() needs content, tool_calls, refusal, status or fault")
        match = {k: v for k, v in (("model", model), ("message", message), ("tools", list(tools or ())),
                                   ("path", _operation_path(path))) if v}
        self.engine.overrides.queue(match, reply, times)

    # -- SDK clients -----------------------------------------------------------------------
    @property
    def client(self) -> Any:
        """An ``openai.OpenAI`` pointed at the mock (default HTTP client: in-process it is intercepted)."""
        if "sync" not in self._clients:
            self._clients["sync"] = self.openai_client()
        return self._clients["sync"]

    @property
    def async_client(self) -> Any:
        """An ``openai.AsyncOpenAI`` pointed at the mock."""
        if "async" not in self._clients:
            self._clients["async"] = self.openai_client(async_=True)
        return self._clients["async"]

    def openai_client(self, *, async_: bool = False, **kwargs: Any) -> Any:
        """A new SDK client for the mock; ``kwargs`` go to the constructor (e.g. ``max_retries=0``)."""
        import openai

        cls = openai.AsyncOpenAI if async_ else openai.OpenAI
        if "http_client" not in kwargs:
            http_client = _sdk_http_client(openai, async_)
            if http_client is not None:
                kwargs["http_client"] = http_client
        return cls(**{"api_key": self.api_key, "base_url": self.base_url, **kwargs})

    def close(self) -> None:
        """Close the sync client (async ones hold no socket in-process, and their loop is gone by now)."""
        sync = self._clients.pop("sync", None)
        if sync is not None:
            sync.close()
        self._clients.clear()

    def __repr__(self) -> str:
        return f"<MockSession {self.mode} {self.base_url} calls={len(self.calls)}>"


@contextlib.contextmanager
def inprocess(options: Options | None = None) -> Iterator[MockSession]:
    """Serve the options' base URLs from a fresh engine, in-process, for the duration of the block."""
    from mockapi.doors import intercept

    options = options or Options()
    engine = new_engine(options)
    baseline = Baseline.of(engine)
    apply(engine, baseline, options)
    interceptor = intercept.Interceptor(engine, options.base_urls, options.passthrough)
    intercept.activate(interceptor)
    _warm_sdk()
    session = MockSession(engine, options.base_url, "inprocess", options, baseline, interceptor)
    try:
        yield session
    finally:
        intercept.deactivate()
        session.close()


def start_server(options: Options | None = None) -> tuple["LiveServer", Baseline]:
    """A started live server for a whole test session, and its engine's pristine baseline."""
    from mockapi.doors import intercept
    from mockapi.doors.live import LiveServer

    engine = new_engine(options or Options())
    server = LiveServer(engine).start()
    intercept.allow_live_server(server.host, server.port)
    return server, Baseline.of(engine)


@contextlib.contextmanager
def live(server: "LiveServer", baseline: Baseline, options: Options | None = None) -> Iterator[MockSession]:
    """One test's view of a running live server: state reset on entry, options applied."""
    options = options or Options()
    reset(server.engine, baseline, options)
    session = MockSession(server.engine, server.base_url, "live", options, baseline)
    try:
        yield session
    finally:
        session.close()


# One verifying TLS context per process (and CA settings) for the SDK clients sessions build: building one
# reads the CA bundle, ~30 ms of every `mockapi.client`. It is the context the SDK's client would build itself.
_TLS: dict[tuple[str, str | None, str | None], Any] = {}


def _tls_context(openai: Any) -> tuple[str, Any] | None:
    """(httpx library name, shared TLS context) for the installed SDK, or None when it can't be built."""
    try:
        library = next(c.__module__.split(".")[0] for c in openai.DefaultHttpxClient.__mro__ if c.__name__ == "Client")
        key = (library, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
        if key not in _TLS:
            _TLS[key] = importlib.import_module(library).create_ssl_context()
        return library, _TLS[key]
    except Exception:  # an SDK without DefaultHttpxClient, a library without create_ssl_context: SDK defaults
        return None


def _sdk_http_client(openai: Any, async_: bool) -> Any:
    """The SDK's own default HTTP client class, with the process's shared TLS context."""
    found = _tls_context(openai)
    if found is None:
        return None
    cls = openai.DefaultAsyncHttpxClient if async_ else openai.DefaultHttpxClient
    return cls(verify=found[1])


def _warm_sdk() -> None:
    """Import the SDK and build the TLS context once, in fixture set-up, so a test's first client is cheap."""
    if importlib.util.find_spec("openai") is None:
        return
    import openai

    _tls_context(openai)


def _status_fault(status: int, error: str | None, retry_after: float | None) -> dict[str, Any]:
    if retry_after is None and (status in _RETRYABLE or status >= 500):
        retry_after = 0.01  # SDKs honour retry-after-ms: a retried test takes milliseconds, not seconds
    fault: dict[str, Any] = {"kind": "status", "status": status}
    if error:
        fault["message"] = error
    if retry_after is not None:
        fault["retry_after_ms"] = max(1, int(retry_after * 1000))
    return fault


def _operation_path(path: str | None) -> str | None:
    if not path:
        return None
    path = "/" + path.strip("/")
    return path[3:] if path.startswith("/v1/") else path


def _fault_path(path: str | None) -> str:
    operation = _operation_path(path)
    return "/v1" + re.escape(operation) if operation else GENERATION_PATHS


def _body_pattern(message: str | None, tools: Sequence[str] | None) -> str | None:
    parts = [f"(?=.*{message})" if message else ""]
    parts += [f"(?=.*\"{re.escape(name)}\")" for name in tools or ()]
    joined = "".join(parts)
    return f"(?s)^{joined}" if joined else None

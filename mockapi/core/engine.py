"""The engine: a request in, a reply out, with no HTTP framework in sight.

The Starlette app, the in-process transport of the pytest plugin and the CLI are thin doors
over :meth:`Engine.handle`. The API families (``mockapi.api``) register one function per operation;
hooks (rate limits, faults, the journal) wrap them all. Neither is imported here: the composition
root, :mod:`mockapi.assembly`, registers them.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, Mapping
from urllib.parse import parse_qsl

from . import azure, sse, tenancy
from .catalog import Catalog, ModelInfo, load_catalog
from .clock import Clock
from .compiled import interpreted_class
from .config import KeyInfo, Settings
from .contract import Contract, OperationSpec, load_contract
from .determinism import digest, digest_text, request_digest, rng
from .errors import (
    AuthenticationError,
    InvalidRequestError,
    MethodNotAllowedError,
    MockAPIError,
    UnknownURLError,
)
from .hooks import Hook, NoRateHeaders, RateHeaders
from .jsonutil import dumps
from .limits import RequestLimits, body_size, check_body_size, parse_json_body
from .overrides import Overrides
from .query import validate_query
from .results import JSON, Binary, Chunk, Event, Reply, Stream
from .sdk_shape import sdk_answer
from .store import MemoryStore, Store, open_store

API_PREFIX = "/v1"
OPENAI_VERSION = "2020-10-01"
VALIDATION_HEADER = "x-mockapi-validation"
OCCURRENCE_TTL = 10 * 365 * 86400.0  # in memory occurrence counters live as long as the state (the store caps their number)
SHARED_OCCURRENCE_TTL = 7 * 86400.0  # in Redis they expire a week (real time) after the first identical call
RATE_HEADERS = frozenset({"x-ratelimit-limit-requests", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-requests",
                          "x-ratelimit-remaining-tokens", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"})
_ANY_KEY = KeyInfo()  # what an unconfigured key may do (frozen, so shared: built once, not per request)


@dataclass
class Request:
    """A transport-free request. Header names are lower-case."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    query: str = ""
    body_file: Any = None  # a spooled file for large multipart uploads, when the door streams them


@dataclass
class Call:
    """Everything one operation needs: the parsed request plus the engine's shared parts."""

    engine: "Engine"
    request: Request
    op: OperationSpec
    path_params: dict[str, str]
    query: dict[str, str]
    body: Any
    tenant: str
    key: KeyInfo
    faithful: bool
    request_id: str
    charged_tokens: int = 0
    response_headers: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Settings:
        """The engine's settings."""
        return self.engine.settings

    @property
    def store(self) -> Store:
        """The state backend."""
        return self.engine.store

    @property
    def clock(self) -> Clock:
        """The one clock."""
        return self.engine.clock

    @property
    def catalog(self) -> Catalog:
        """The model catalogue."""
        return self.engine.catalog

    @property
    def seed(self) -> int:
        """The engine's seed."""
        return self.engine.seed

    def digest(self) -> str:
        """The digest of this request's meaning (operation and body, minus transport fields)."""
        cached = self.meta.get("digest")
        if cached is None:
            body = self.body if isinstance(self.body, dict) else {"_": self.body}
            cached = self.meta["digest"] = request_digest(self.seed, self.op.operation_id, {**body, **self.path_params})
        return cached

    def id_digest(self) -> str:
        """The identity of this call: its content digest and how many identical calls came before it.

        The n-th identical request says the same thing but is its own object, so its ids differ;
        the occurrence counter lives in the store (shared by workers, dropped with the tenant's
        state), so the same sequence of requests gives the same ids on every run.
        """
        cached = self.meta.get("id_digest")
        if cached is None:
            content = self.digest()
            ttl = OCCURRENCE_TTL if isinstance(self.store, MemoryStore) else SHARED_OCCURRENCE_TTL
            n = self.store.incr(f"{self.tenant}:occurrence:{self.op.operation_id}:{content}", 1, ttl)
            cached = self.meta["id_digest"] = content if n == 1 else digest(content, "occurrence", n)
        return cached

    def rng(self, *parts: Any):  # noqa: ANN201 - random.Random
        """A private RNG for this request and purpose."""
        return rng(self.digest(), *parts)

    def model(self, param: str = "model", kinds: tuple[str, ...] | None = None) -> ModelInfo:
        """The request's model from the catalogue (404 ``model_not_found`` when unknown)."""
        value = self.body.get(param) if isinstance(self.body, dict) else None
        return self.catalog.get(value, param=param, kinds=kinds)


Handler = Callable[[Call], Any]


@interpreted_class  # see mockapi/core/compiled.py
class Engine:
    """The mock: contract-driven routing, auth, validation, dispatch and rendering.

    Built bare it serves nothing: :func:`mockapi.assembly.build_engine` registers the API families
    (handlers, routes, explainers, reset hooks) and the traffic layer (hooks, observers, limiter).
    """

    def __init__(self, settings: Settings | None = None, *, store: Store | None = None, clock: Clock | None = None,
                 contract: Contract | None = None) -> None:
        self.settings = settings or Settings()
        self.contract = contract or load_contract()
        self.clock = clock or Clock(self.settings.frozen_time)
        self.store: Store = store or open_store(self.settings.store)
        self.seed = self.settings.seed
        self.limits = RequestLimits.from_config(self.settings.extra.get("limits"))
        self.catalog = load_catalog(self.contract.sdk_models, self.settings.models)
        self.overrides = Overrides.load(self.settings.fixtures)
        self.rate_limiter: RateHeaders = NoRateHeaders()  # the traffic layer registers its limiter
        self.handlers: dict[str, Handler] = {}  # operationId -> handler, registered by the API families
        self.explainers: dict[str, Callable[[Any, Any], Any]] = {}  # operationId -> a clearer 400 for a contract 400
        self.hooks: list[Hook] = []
        self.routes: list[tuple[str, Callable[[Request], Reply | None]]] = []  # extra prefixes (control plane, assets)
        # Bearer tokens the mock issued itself (an OAuth token exchange): token -> the key it acts as, or None.
        self.token_readers: list[Callable[[str], str | None]] = []
        # Called with (request, call or None, reply) for every API request once its reply is final (the journal).
        self.observers: list[Callable[[Request, "Call | None", Reply], None]] = []
        # Called with (store, tenant or None) before the store drops a tenant's state (or all of it).
        self.reset_hooks: list[Callable[[Store, str | None], None]] = []
        self._counter = itertools.count()
        self.worker = _worker_identity(self.settings, self.store)
        self._lock = threading.Lock()
        # Request ids hash (seed, "request", worker, n) as ``digest`` does: the constant head is hashed once.
        self._request_ids = hashlib.blake2b(digest_text(self.seed, "request", self.worker), digest_size=16)

    def reset(self, tenant: str | None = None) -> None:
        """Drop state: one tenant's objects and counters, or everything (queued replies and the journal too)."""
        for hook in self.reset_hooks:
            hook(self.store, tenant)
        self.store.reset(tenant)
        if tenant is None:
            self.overrides.clear_queue()

    # -- the one entry point -------------------------------------------------------------
    def handle(self, request: Request) -> Reply:
        """Answer one request. Never raises: every failure is an OpenAI-shaped error reply."""
        started = time.perf_counter()
        self.store.refresh()  # a shared store: see every worker's writes made before now (no I/O: it cannot fail)
        request_id = self._request_id()
        for prefix, route in self.routes:
            if request.path.startswith(prefix):
                reply = route(request)
                if reply is not None:
                    reply.headers.append(("x-request-id", request_id))
                    return reply
        call: Call | None = None
        try:
            call = self._prepare(request, request_id)
            reply = None
            for hook in self.hooks:
                reply = hook.before(call)
                if reply is not None:
                    break
            if reply is None:
                reply = self._dispatch(call)
        except MockAPIError as exc:
            reply = self.error_reply(exc)
        except Exception as exc:  # a bug must still answer in the OpenAI shape, never hang
            import logging

            logging.getLogger("mockapi").exception("unhandled error in %s %s", request.method, request.path)
            reply = self.error_reply(MockAPIError(f"The mock failed unexpectedly: {type(exc).__name__}: {exc}"))
        if call is not None:
            for hook in reversed(self.hooks):
                reply = hook.after(call, reply)
        if call is not None and call.meta.get("fault"):
            reply.meta["fault"] = call.meta["fault"]  # doors keep a faulted stream's chunking as it is
        self._standard_headers(reply, call, request_id, started)
        for observe in self.observers:
            observe(request, call, reply)
        return reply

    # -- steps ---------------------------------------------------------------------------
    def _request_id(self) -> str:
        with self._lock:
            n = next(self._counter)
        hasher = self._request_ids.copy()
        hasher.update(b"%d\x1f" % n)
        return "req_" + hasher.hexdigest()

    def _prepare(self, request: Request, request_id: str) -> Call:
        azure_route = azure.is_azure(request.path)
        if azure_route:  # /openai/... (Azure OpenAI) means a /v1 operation; see mockapi/core/azure.py
            request = azure.rewrite(request, self.settings, self.catalog)
        path = request.path
        # The contract's paths are served under /v1 and, as spec mocks such as Prism serve them, at the
        # root too: generated SDK suites point their base URL at the server root.
        api_path = path[len(API_PREFIX):] if path.startswith(API_PREFIX + "/") else path
        op, params, allowed = self.contract.match(request.method, api_path)
        if op is None:
            if allowed:
                raise MethodNotAllowedError(
                    f"Invalid method for URL ({request.method} {path}): expected one of {', '.join(sorted(set(allowed)))}",
                    headers={"allow": ", ".join(sorted(set(allowed)))},
                )
            raise UnknownURLError(f"Invalid URL ({request.method} {path})")
        tenant, key = self.authenticate(request.headers, any_key_format=azure_route)  # `sk-` keys at faithful (key_format)
        level = request.headers.get(VALIDATION_HEADER) or self.settings.validation
        if level not in ("faithful", "schema"):
            raise InvalidRequestError(f"{VALIDATION_HEADER} must be 'faithful' or 'schema', not {level!r}", param=None)
        query = dict(parse_qsl(request.query, keep_blank_values=True)) if request.query else {}
        validate_query(op, query, faithful=level == "faithful")  # `order=sideways`: both levels; `limit=0`: faithful
        body = self._parse_body(request, op)
        if level == "faithful" and type(body) is dict and None in body.values():
            op.drop_absent_nulls(body)
        call = Call(self, request, op, params, query, body, tenant, key, level == "faithful", request_id)
        if op.request_schema is not None and op.request_content == "application/json":
            try:
                self.contract.validate_request(op, body, faithful=call.faithful)
            except InvalidRequestError as exc:  # a resource may name the shape the caller meant (EXPLAIN)
                explain = self.explainers.get(op.operation_id)
                raise (explain(body, exc) if explain else exc) from None
        return call

    def authenticate(self, headers: Mapping[str, str], *, any_key_format: bool = False) -> tuple[str, KeyInfo]:
        """The tenant and key info for a request's credentials, or a 401 (Azure keys and tokens: ``any_key_format``)."""
        auth = headers.get("authorization")
        if auth:
            scheme, _, token = auth.partition(" ")
            key = token.strip() if scheme.lower() == "bearer" else ""
        else:
            key = (headers.get("api-key") or "").strip()
        if not key:
            raise AuthenticationError(
                "You didn't provide an API key. You need to provide your API key in an Authorization header "
                "using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).", code=None)
        configured = self.settings.keys
        if configured:
            info = configured.get(key)
        else:
            info = _ANY_KEY if tenancy.well_formed_key(key) or any_key_format or self.settings.any_key else None
        if info is None:
            stands_for = tenancy.first_reading(self.token_readers, key)
            if stands_for is None:
                raise AuthenticationError(f"Incorrect API key provided: {redact_key(key)}. "
                                          "You can find your API key at https://platform.openai.com/account/api-keys.")
            key, info = stands_for, _ANY_KEY  # an issued token acts as its account's key, with nothing configured for it
        return tenancy.scope(key, info, headers.get("openai-organization"), headers.get("openai-project"))

    def _parse_body(self, request: Request, op: OperationSpec) -> Any:
        check_body_size(request.path, request.headers.get("content-type", ""), body_size(request), self.limits)
        if op.request_content != "application/json":
            return None  # multipart and bodiless operations parse their own input
        return parse_json_body(request.body, request.headers.get("content-type", ""), self.limits)

    def _dispatch(self, call: Call) -> Reply:
        handler = self.handlers.get(call.op.operation_id)
        if handler is None:
            raise UnknownURLError(f"The mock does not serve {call.op.operation_id} ({call.request.method} {call.request.path}) yet: "
                                  "the real API has this operation, mockapi has no answer for it.")
        try:
            result = handler(call)
            return self.render(call, result if call.faithful else sdk_answer(call.op, result))
        except MockAPIError as exc:
            if call.faithful or exc.injected or exc.status not in (400, 404, 409, 413, 415, 422):
                raise
            # Level `schema`: a request that fits the contract gets a contract-shaped answer, whatever
            # faithful rule the operation would have applied (see mockapi/core/synthesize.py).
            from . import synthesize

            return self.render(call, synthesize.answer(call, refused=exc))

    # -- rendering -------------------------------------------------------------------------
    def render(self, call: Call, result: Any) -> Reply:
        """Turn an operation's result into a reply."""
        if isinstance(result, Reply):
            return result
        if isinstance(result, JSON):
            headers = [("content-type", "application/json"), *result.headers.items()]
            body = dumps(result.body)
            return Reply(result.status, headers, body, meta={"json": (body, result.body)})
        if isinstance(result, Stream):
            headers = [("content-type", "text/event-stream; charset=utf-8"), ("cache-control", "no-cache"),
                       *result.headers.items()]
            return Reply(200, headers, stream=self.encode_stream(result), meta={"dialect": result.dialect})
        if isinstance(result, Binary):
            headers = [("content-type", result.media_type), *result.headers.items()]
            return Reply(result.status, headers, stream=iter(result.chunks))
        body = dumps(result)
        return Reply(200, [("content-type", "application/json")], body, meta={"json": (body, result)})

    def encode_stream(self, stream: Stream) -> Iterator[Chunk]:
        """Frame a stream's events with the one SSE encoder and its dialect's terminator."""
        terminator = self.contract.stream_dialects.get(stream.dialect, {}).get("terminator")
        ending = (terminator.encode(),) if terminator else ()
        events = stream.events
        if isinstance(events, sse.Framed):  # frames already: passed on in C, no Python per event
            return itertools.chain(events.frames, ending)
        return itertools.chain(sse.framed(events, Event), ending)

    def error_reply(self, error: MockAPIError) -> Reply:
        """The OpenAI-shaped error reply for ``error``."""
        headers = [("content-type", "application/json"), *error.headers.items()]
        return Reply(error.status, headers, dumps(error.body()), meta={"error": error})

    def _standard_headers(self, reply: Reply, call: Call | None, request_id: str, started: float) -> None:
        present = {k.lower() for k, _ in reply.headers}
        extra: dict[str, str] = {
            "x-request-id": request_id,
            "openai-version": OPENAI_VERSION,
            "openai-processing-ms": str(max(1, int((time.perf_counter() - started) * 1000))),
        }
        if call is not None:
            named = call.body.get("model") if isinstance(call.body, dict) else None
            model = named if isinstance(named, str) else ""
            tier = call.key.tier or self.settings.tier
            if reply.status < 400 and not call.meta.get("rate_accounted"):  # the limiter may have counted it already
                extra.update(self.rate_limiter.charge(call.tenant, tier, model, call.charged_tokens))
            elif not RATE_HEADERS <= present:  # the limiter usually gave all six already: nothing to look up
                extra.update(self.rate_limiter.peek(tier, model))
            if call.key.organization or call.request.headers.get("openai-organization"):
                extra["openai-organization"] = call.request.headers.get("openai-organization") or call.key.organization or ""
            extra.update(call.response_headers)
        else:
            extra.update(self.rate_limiter.peek(self.settings.tier, ""))
        fresh = extra.items() if present.isdisjoint(extra) else [(k, v) for k, v in extra.items() if k not in present]
        reply.headers.extend(fresh)  # usually none was there: no filter to run once per header


def _worker_identity(settings: Settings, store: Store) -> str:
    """What tells this process's request ids from another worker's.

    A lone process on its own memory store needs nothing, so its request ids are the same run after run;
    worker processes, or processes sharing a store (and so maybe one load balancer), add their process id
    (uvicorn does not tell a worker its index).
    """
    shared = settings.workers > 1 or not isinstance(store, MemoryStore)
    return f"pid:{os.getpid()}" if shared else "single"


def redact_key(key: str) -> str:
    """A key as error messages show it: its start and its last four characters."""
    if len(key) <= 8:
        return "*" * len(key)
    return f"{key[:3]}*{'*' * 10}{key[-4:]}"

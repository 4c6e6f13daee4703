"""Fault injection: the ``x-mockapi-fault`` header and the rules set through the control plane.

A fault spec is a short text, e.g. ``503``, ``429 retry-after-ms=20``, ``500 should-retry=false``,
``reset``, ``stall``, ``cut after=3``, ``error after=2``, ``split bytes=7 keepalive crlf``,
``insufficient_quota``. Rules (stored in the store, so workers share them) match by path, model,
tenant and a body regex, and fire for the first ``times`` matches or with a seeded probability.
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Any, Mapping

from mockapi.core.determinism import rng
from mockapi.core.errors import (
    InsufficientQuotaError,
    InvalidValueError,
    MockAPIError,
    error_for_status,
)
from mockapi.core.results import Cut, Reply

from . import streams
from .ratelimits import format_duration

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine

HEADER = "x-mockapi-fault"
ADMIN_TENANT = "_mockapi"  # state of the control plane lives in the store under this tenant
_RULE_KIND = "fault_rule"
_FOREVER = 10 * 365 * 86400
# A bare 429 fault's wait: the whole-second ``retry-after`` and ``retry-after-ms`` then say the same thing,
# and the SDK's retry sleeps only this long (``429 retry-after-ms=…`` sets another wait).
SPENT_WINDOW_MS = 1000
_KINDS = ("status", "reset", "stall", "cut", "error", "chaos")


@dataclass
class Fault:
    """What to do to one request."""

    kind: str = "status"
    status: int = 500
    code: str | None = None
    message: str | None = None
    retry_after_ms: int | None = None
    should_retry: bool | None = None
    after: int = 0  # events (or none) sent before a cut or an error event
    split: int | None = None  # re-cut the stream into pieces of at most this many bytes
    keepalive: bool = False
    crlf: bool = False

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise InvalidValueError(f"Unknown fault kind {self.kind!r}; use one of {', '.join(_KINDS)}.", param=HEADER)
        if not 100 <= int(self.status) <= 599:
            raise InvalidValueError(f"Fault status must be 100-599, not {self.status}.", param=HEADER)

    @property
    def before_headers(self) -> bool:
        """Whether the fault answers instead of the operation."""
        return self.kind in ("status", "reset", "stall")


def parse(spec: str | Mapping[str, Any]) -> Fault:
    """A :class:`Fault` from its text (see the module doc) or its dict form."""
    if isinstance(spec, Mapping):
        known = {f.name for f in fields(Fault)}
        unknown = set(spec) - known
        if unknown:
            raise InvalidValueError(f"Unknown fault fields {sorted(unknown)}.", param="fault")
        return Fault(**spec)
    tokens = [t for t in re.split(r"[\s,;]+", spec.strip()) if t]
    if not tokens:
        raise InvalidValueError("An empty fault spec.", param=HEADER)
    values: dict[str, Any] = {}
    head = tokens[0].lower()
    if head.isdigit():
        values.update(kind="status", status=int(head))
    elif head in ("rate_limit", "rate_limit_exceeded"):
        values.update(kind="status", status=429, code="rate_limit_exceeded")
    elif head == "insufficient_quota":
        values.update(kind="status", status=429, code="insufficient_quota")
    elif head in ("reset", "stall", "cut", "error"):
        values["kind"] = head
    elif head in ("timeout",):
        values["kind"] = "stall"
    elif head in ("split", "keepalive", "crlf"):
        values["kind"] = "chaos"
        tokens.insert(1, head)
    else:
        raise InvalidValueError(f"Unknown fault {tokens[0]!r} in {HEADER}.", param=HEADER)
    for token in tokens[1:]:
        name, _, value = token.partition("=")
        name = name.lower().replace("-", "_")
        try:
            if name == "retry_after":
                values["retry_after_ms"] = max(1, int(math.ceil(float(value) * 1000)))
            elif name == "retry_after_ms":
                values["retry_after_ms"] = max(1, int(value))
            elif name == "should_retry":
                values["should_retry"] = value.lower() in ("1", "true", "yes")
            elif name in ("after", "events"):
                values["after"] = int(value)
            elif name == "split":
                values["split"] = int(value) if value else 16
            elif name == "bytes":
                values["split"] = max(1, int(value))
            elif name in ("keepalive", "crlf"):
                values[name] = True
            elif name in ("code", "message"):
                values[name] = value.replace("+", " ")
            else:
                raise ValueError(f"unknown parameter {name!r}")
        except ValueError as exc:
            raise InvalidValueError(f"Bad {HEADER} {spec!r}: {exc}.", param=HEADER) from None
    return Fault(**values)


class Faults:
    """The fault hook: decides in ``before``, reshapes streams in ``after``."""

    def __init__(self, engine: "Engine") -> None:
        self.engine = engine

    # -- rules -----------------------------------------------------------------------------
    def add_rule(self, fault: str | Mapping[str, Any], *, path: str | None = None, model: str | None = None,
                 tenant: str | None = None, body: str | None = None, times: int | None = None,
                 probability: float | None = None) -> dict[str, Any]:
        """Store a rule; return it with its id."""
        parsed = parse(fault)
        for name, pattern in (("path", path), ("model", model), ("body", body)):
            if pattern:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    raise InvalidValueError(f"Bad {name} regex: {exc}.", param=name) from None
        if probability is not None and not 0 <= float(probability) <= 1:
            raise InvalidValueError("probability must be between 0 and 1.", param="probability")
        if times is not None and int(times) < 0:
            raise InvalidValueError("times must be 0 or more.", param="times")
        number = self.engine.store.incr(f"{ADMIN_TENANT}:fault_seq", 1, _FOREVER)
        rule = {"id": f"fault_{number}", "fault": asdict(parsed), "spec": fault if isinstance(fault, str) else None,
                "path": path, "model": model, "tenant": tenant, "body": body,
                "times": None if times is None else int(times),
                "probability": None if probability is None else float(probability)}
        self.engine.store.put(ADMIN_TENANT, _RULE_KIND, f"fault_{number}", rule)
        return {**rule, "hits": 0}

    def rules(self) -> list[dict[str, Any]]:
        """Every rule with how many requests it has matched so far."""
        return [{**rule, "hits": self._hits(rule["id"], 0)} for rule in self.engine.store.list(ADMIN_TENANT, _RULE_KIND)]

    def delete_rule(self, rule_id: str) -> bool:
        """Remove one rule; True when it existed."""
        return self.engine.store.delete(ADMIN_TENANT, _RULE_KIND, rule_id)

    def clear_rules(self) -> int:
        """Remove every rule; return how many there were."""
        rules = self.engine.store.list(ADMIN_TENANT, _RULE_KIND)
        for rule in rules:
            self.engine.store.delete(ADMIN_TENANT, _RULE_KIND, rule["id"])
        return len(rules)

    def _hits(self, rule_id: str, add: int) -> int:
        return self.engine.store.incr(f"{ADMIN_TENANT}:fault_hits:{rule_id}", add, _FOREVER)

    def _from_rules(self, call: Any) -> tuple[Fault, str] | None:
        """The first matching rule's fault (``call``: a Call, or the Realtime door's stand-in with its path, tenant
        and model: typed Any, as compiled code checks a Call's type)."""
        for rule in self.engine.store.list(ADMIN_TENANT, _RULE_KIND):
            if not _matches(rule, call):
                continue
            hits = self._hits(rule["id"], 1)
            if rule["times"] is not None and hits > rule["times"]:
                continue
            if rule["probability"] is not None and rng(self.engine.seed, "fault", rule["id"], hits).random() >= rule["probability"]:
                continue
            return Fault(**rule["fault"]), f"{rule['id']}: {rule.get('spec') or rule['fault']['kind']}"
        return None

    # -- the hook --------------------------------------------------------------------------
    def before(self, call: "Call") -> Reply | None:
        """Answer with the fault when it replaces the operation; remember stream faults for ``after``."""
        spec = call.request.headers.get(HEADER)
        if spec:
            fault, label = parse(spec), spec
        else:
            found = self._from_rules(call)
            if found is None:
                return None
            fault, label = found
        call.meta["fault"], call.meta["fault_spec"] = fault, label
        if fault.kind == "status":
            return self.error_reply(fault, call)
        if fault.kind in ("reset", "stall"):
            reply = self.error_reply(Fault(status=503, message=f"Simulated connection {fault.kind}."))
            reply.meta.update(connection=fault.kind, fault_spec=label)
            return reply
        return None

    def after(self, call: "Call", reply: Reply) -> Reply:
        """Reshape a successful reply for cut, error-event and chaos faults."""
        fault: Fault | None = call.meta.get("fault")
        if fault is None or fault.before_headers or reply.status >= 400:
            return reply
        reply.meta["fault"] = call.meta.get("fault_spec")  # doors must keep the reshaped writes as they are
        if reply.stream is None:
            if fault.kind == "cut":
                reply.stream, reply.body = streams.cut_body(reply.body), b""
            return reply
        dialect = reply.meta.get("dialect", "chat")
        spec = self.engine.contract.stream_dialects.get(dialect, {})
        terminators = [spec["terminator"].encode()] if spec.get("terminator") else []
        chunks = reply.stream
        if fault.kind == "cut":
            chunks = streams.stop_after(chunks, fault.after, Cut(f"cut after {fault.after} events"), terminators)
        elif fault.kind == "error":
            error = {k: v for k, v in (("code", fault.code), ("message", fault.message)) if v}
            chunks = streams.stop_after(chunks, fault.after, streams.error_frame(dialect, fault.after, error), terminators)
        if fault.keepalive:
            chunks = streams.keepalive(chunks)
        if fault.crlf:
            chunks = streams.crlf(chunks)
        if fault.split:
            chunks = streams.split(chunks, call.rng("fault-split"), fault.split)
        reply.stream = chunks
        return reply

    def error_reply(self, fault: Fault, call: "Call | None" = None) -> Reply:
        """The error reply a status fault sends, with its retry headers."""
        headers: dict[str, str] = {}
        rate_limited = fault.status == 429 and fault.code != "insufficient_quota"
        wait_ms = fault.retry_after_ms
        if rate_limited and wait_ms is None:
            wait_ms = SPENT_WINDOW_MS  # a real rate-limit 429 always says when to come back
        if wait_ms is not None:
            headers["retry-after-ms"] = str(wait_ms)
            headers["retry-after"] = str(max(1, math.ceil(wait_ms / 1000)))
        if rate_limited and call is not None and wait_ms is not None:
            headers.update(self._spent_window(call, wait_ms))
        if fault.code == "insufficient_quota":
            error: MockAPIError = InsufficientQuotaError(fault.message or "You exceeded your current quota, please check your plan and "
                                           "billing details.", headers=headers)
            if fault.should_retry is None:
                fault.should_retry = False
        else:
            kwargs = {"code": fault.code} if fault.code else {}
            error = error_for_status(fault.status, fault.message, headers=headers, **kwargs)
        if fault.should_retry is not None:
            error.headers["x-should-retry"] = "true" if fault.should_retry else "false"
        return self.engine.error_reply(error)

    def _spent_window(self, call: "Call", retry_after_ms: int) -> dict[str, str]:
        """The ``x-ratelimit-*`` headers of a request window spent until the fault's retry-after."""
        limiter: Any = self.engine.rate_limiter
        model = call.body.get("model") if isinstance(call.body, dict) else None
        model = model if isinstance(model, str) else ""
        limits, _ = limiter.limits(call.tenant, call.key.tier or self.engine.settings.tier, model)
        headers = limiter.headers(limits, limiter.usage(call.tenant, model))
        headers["x-ratelimit-remaining-requests"] = "0"
        headers["x-ratelimit-reset-requests"] = format_duration(retry_after_ms / 1000)
        return headers


def _matches(rule: Mapping[str, Any], call: Any) -> bool:  # Any: see ``_from_rules``
    path = call.request.path
    if rule.get("path") and not (rule["path"] == path or re.fullmatch(rule["path"], path)):
        return False
    if rule.get("tenant") and rule["tenant"] != call.tenant:
        return False
    if rule.get("model"):
        model = call.body.get("model") if isinstance(call.body, dict) else None
        if not isinstance(model, str) or not (rule["model"] == model or re.fullmatch(rule["model"], model)):
            return False
    if rule.get("body") and not re.search(rule["body"], call.request.body.decode("utf-8", errors="replace")):
        return False
    return True

"""Rate limits: the tier table, the six ``x-ratelimit-*`` headers, accounting and enforcement.

Requests and tokens are counted per tenant and model in minute and day windows of the engine's
clock, images per minute, and tokens against an optional quota. Counters live in the store, so
workers sharing a Redis store share them. Limits come from the tier table (fixtures/tiers.yaml),
overlaid by the config (``rate_limits: {tiers: {...}, keys: {KEY: {tier, rpm, tpm, rpd, tpd, ipm, quota}}}``)
and by overrides set at run time through the control plane.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping

from mockapi.core.errors import (
    InsufficientQuotaError,
    InvalidValueError,
    MockAPIError,
    RateLimitError,
    ServiceUnavailableError,
)
from mockapi.core.results import Reply
from mockapi.core.store import MemoryStore
from mockapi.core.tokenizer import count_value_tokens

from .tiers import Limits, family_of, format_duration, limits_for, overlay

__all__ = ["Limiter", "Limits", "Usage", "estimate_tokens", "family_of", "format_duration", "limits_for"]

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine

MINUTE, DAY = 60, 86400
_NONE: Mapping[str, Any] = {}  # no override (shared: never written to)
IMAGE_OPERATIONS = frozenset({"createImage", "createImageEdit", "createImageVariation"})
LIMIT_FIELDS = ("rpm", "tpm", "rpd", "tpd", "ipm", "quota", "tier")
_OVERRIDES = "limits"
_FOREVER = 10 * 365 * DAY
_WINDOW_TTL = 2 * MINUTE  # a minute window's counter outlives its minute (see ``_window_keys``)
_DAY_TTL = 2 * DAY
# The counters of one tenant and model, in the order of Usage's fields, and how long each lives.
_COUNTERS = ("req_minute", "tok_minute", "req_day", "tok_day", "img_minute", "quota_used")
_TTLS = (_WINDOW_TTL, _WINDOW_TTL, _DAY_TTL, _DAY_TTL, _WINDOW_TTL, _FOREVER)
_KEYS_CACHED = 4096  # (tenant, model, minute, day) -> counter keys; cleared when full


@dataclass(frozen=True)
class Usage:
    """A tenant's counters for one model right now."""

    req_minute: int
    tok_minute: int
    req_day: int
    tok_day: int
    img_minute: int
    quota_used: int


def estimate_tokens(body: Any) -> int:
    """Tokens a request may use, as the real API estimates before answering: prompt plus max output × n."""
    if not isinstance(body, dict):
        return 0
    prompt = sum(count_value_tokens(body.get(k)) for k in ("messages", "input", "prompt", "instructions") if k in body)
    most = body.get("max_completion_tokens") or body.get("max_tokens") or body.get("max_output_tokens") or 0
    n = body.get("n")
    n = n if isinstance(n, int) and n > 0 else 1
    return prompt + (most if isinstance(most, int) else 0) * n


class Limiter:
    """The engine's rate limiter: consistent headers, and 429s when a window is spent (an engine hook)."""

    def __init__(self, engine: "Engine") -> None:
        self.store = engine.store
        self.clock = engine.clock
        self.engine = engine
        config = dict(engine.settings.extra.get("rate_limits") or {})
        self.enforce = bool(config.get("enforce", True))
        self.tier_overrides: Mapping[str, Mapping[str, Any]] = config.get("tiers") or {}
        self._key_overrides: Mapping[str, Mapping[str, Any]] = config.get("keys") or {}
        self._by_tenant: dict[str, Mapping[str, Any]] | None = None
        self._tier_cache: dict[tuple[str, str], tuple[dict[str, int], str, Limits, tuple[str, str]]] = {}
        self._key_cache: dict[tuple[str, str, int, int], tuple[str, ...]] = {}

    def peek(self, tier: str, model: str) -> dict[str, str]:
        """Headers for a request that charges nothing (errors before accounting)."""
        limits = limits_for(tier, model)
        return {
            "x-ratelimit-limit-requests": str(limits.rpm),
            "x-ratelimit-limit-tokens": str(limits.tpm),
            "x-ratelimit-remaining-requests": str(limits.rpm),
            "x-ratelimit-remaining-tokens": str(limits.tpm),
            "x-ratelimit-reset-requests": "0ms",
            "x-ratelimit-reset-tokens": "0ms",
        }

    # -- limits ----------------------------------------------------------------------------
    def tenant_of(self, key: str) -> str:
        """The tenant an API key counts as."""
        return self.engine.authenticate({"authorization": f"Bearer {key}"})[0]

    def set_override(self, *, key: str | None = None, tenant: str | None = None, **values: Any) -> dict[str, Any]:
        """Override limits for one key (or tenant) at run time; None values remove a field."""
        if not (key or tenant):
            raise InvalidValueError("Name a key or a tenant to override limits for.", param="key")
        unknown = set(values) - set(LIMIT_FIELDS)
        if unknown:
            raise InvalidValueError(f"Unknown limit fields {sorted(unknown)}; use {list(LIMIT_FIELDS)}.", param="limits")
        if not tenant:
            try:
                tenant = self.tenant_of(str(key))
            except MockAPIError:
                raise InvalidValueError("That key is not one the mock accepts (see `keys` in the config).", param="key") from None
        current = dict(self.engine.store.get("_mockapi", _OVERRIDES, tenant) or {"tenant": tenant})
        current.update(values)
        current = {k: v for k, v in current.items() if v is not None}
        self.engine.store.put("_mockapi", _OVERRIDES, tenant, current)
        return current

    def overrides(self) -> list[dict[str, Any]]:
        """Every run-time override."""
        return self.engine.store.list("_mockapi", _OVERRIDES)

    def _override(self, tenant: str) -> Mapping[str, Any]:
        """The configured and run-time overrides of ``tenant`` merged (an empty mapping when none: read it only)."""
        if self._by_tenant is None:
            by_tenant = {}
            for key, values in self._key_overrides.items():
                try:
                    by_tenant[self.tenant_of(key)] = values
                except MockAPIError:  # a key the mock refuses can never be charged; its limits are moot
                    continue
            self._by_tenant = by_tenant
        configured = self._by_tenant.get(tenant)
        at_run_time = self.engine.store.get("_mockapi", _OVERRIDES, tenant)
        if not at_run_time:
            return configured or _NONE
        found = dict(configured or {})
        found.update(at_run_time)
        return found

    def limits(self, tenant: str, tier: str, model: str) -> tuple[Limits, int | None]:
        """The limits (and token quota, None for none) of ``tenant`` on ``tier`` for ``model``."""
        return self._limits(self._override(tenant), tier, model)

    def _limits(self, override: Mapping[str, Any], tier: str, model: str) -> tuple[Limits, int | None]:
        if not override:
            return self._tier_limits(tier, model)[2], None
        tier = override.get("tier") or tier
        values, family, limits, _ = self._tier_limits(tier, model)
        if override.keys() & {"rpm", "tpm", "rpd", "tpd", "ipm"}:
            values = dict(values)
            overlay(values, override, family)
            limits = Limits(**values)
        quota = override.get("quota")
        return limits, None if quota is None else int(quota)

    def _tier_limits(self, tier: str, model: str) -> tuple[dict[str, int], str, Limits, tuple[str, str]]:
        """The tier's limits for ``model`` (as asked: its counted name is worked out once), and their header texts."""
        found = self._tier_cache.get((tier, model))
        if found is None:
            counted = self.counted_model(model)
            base, family = limits_for(tier, counted), family_of(counted)
            values = {"rpm": base.rpm, "tpm": base.tpm, "rpd": base.rpd, "tpd": base.tpd, "ipm": base.ipm}
            overlay(values, self.tier_overrides.get(tier) or {}, family)
            limits = Limits(**values)
            if len(self._tier_cache) >= _KEYS_CACHED:  # keyed on the model a request named: bounded
                self._tier_cache.clear()
            found = self._tier_cache[(tier, model)] = (values, family, limits, (str(limits.rpm), str(limits.tpm)))
        return found

    # -- counters --------------------------------------------------------------------------
    def _window_keys(self, tenant: str, model: str, now: float, minute: int | None = None) -> tuple[str, ...]:
        """The store keys of ``tenant``'s counters for ``model`` at ``now`` (its ``minute``), in the order of ``_COUNTERS``."""
        if minute is None:
            minute = math.floor(now / MINUTE)
        day = math.floor(now / DAY)
        cache_key = (tenant, model, minute, day)  # the model as asked: its counted name is worked out once
        found = self._key_cache.get(cache_key)
        if found is None:
            base = f"{tenant}:rl:{self.counted_model(model)}"
            found = (f"{base}:req:m{minute}", f"{base}:tok:m{minute}", f"{base}:req:d{day}", f"{base}:tok:d{day}",
                     f"{tenant}:rl:img:m{minute}", f"{tenant}:rl:quota")
            if len(self._key_cache) >= _KEYS_CACHED:
                self._key_cache.clear()
            self._key_cache[cache_key] = found
        return found

    def usage(self, tenant: str, model: str, skip: tuple[str, ...] = ()) -> Usage:
        """The counters without charging anything (``skip``: counters not needed, read as 0)."""
        keys = self._window_keys(tenant, model, self.clock.now())
        wanted = [i for i, name in enumerate(_COUNTERS) if name not in skip]
        values = self.store.incr_many([(keys[i], 0, _TTLS[i]) for i in wanted])
        counts = [0] * len(_COUNTERS)
        for i, value in zip(wanted, values):
            counts[i] = value
        return Usage(*counts)

    def charge(self, tenant: str, tier: str, model: str, tokens: int) -> dict[str, str]:
        """Count one request of ``tokens`` in every window and return the six headers after it."""
        now = self.clock.now()
        minute = math.floor(now / MINUTE)
        req_minute, tok_minute, req_day, tok_day, _, quota = self._window_keys(tenant, model, now, minute)
        # The headers need both minute counters even when no token is added; images are counted apart.
        items: list[tuple[str, int, float]]
        if tokens:
            items = [(req_minute, 1, _WINDOW_TTL), (tok_minute, tokens, _WINDOW_TTL),
                     (req_day, 1, _DAY_TTL), (tok_day, tokens, _DAY_TTL), (quota, tokens, _FOREVER)]
        else:
            items = [(req_minute, 1, _WINDOW_TTL), (tok_minute, 0, _WINDOW_TTL), (req_day, 1, _DAY_TTL)]
        store = self.store
        if type(store) is MemoryStore and store.clock is self.clock:  # its clock is ours: no second reading of it
            values = store.incr_many(items, now)
        else:
            values = store.incr_many(items)
        override = self._override(tenant)
        if override:
            limits, texts = self._limits(override, tier, model)[0], None  # _headers writes this tenant's limits out
        else:
            _, _, limits, texts = self._tier_limits(tier, model)
        return self._headers(limits, values[0], values[1], now, texts, minute)

    def charge_images(self, tenant: str, images: int) -> None:
        """Count generated images against images per minute."""
        key = self._window_keys(tenant, "", self.clock.now())[4]
        self.store.incr(key, images, _WINDOW_TTL)

    def headers(self, limits: Limits, usage: Usage) -> dict[str, str]:
        """The six ``x-ratelimit-*`` headers for these counters."""
        return self._headers(limits, usage.req_minute, usage.tok_minute, self.clock.now())

    @staticmethod
    def _headers(limits: Limits, requests: int, tokens: int, now: float, texts: tuple[str, str] | None = None,
                 minute: int | None = None) -> dict[str, str]:
        """The six headers for this minute's request and token counts at ``now`` (``texts``: the two limits as text;
        ``minute``: ``now``'s, when known). Every answered request renders them: no max() or min() calls."""
        reset = ((math.floor(now / MINUTE) if minute is None else minute) + 1) * MINUTE - now
        rpm, tpm = limits.rpm, limits.tpm
        rpm_text, tpm_text = texts or (str(rpm), str(tpm))
        requests_left, tokens_left, used = rpm - requests, tpm - tokens, tokens / (tpm if tpm > 1 else 1)
        return {
            "x-ratelimit-limit-requests": rpm_text,
            "x-ratelimit-limit-tokens": tpm_text,
            "x-ratelimit-remaining-requests": str(requests_left if requests_left > 0 else 0),
            "x-ratelimit-remaining-tokens": str(tokens_left if tokens_left > 0 else 0),
            "x-ratelimit-reset-requests": format_duration(reset if requests else 0),
            "x-ratelimit-reset-tokens": format_duration(reset * (used if used < 1.0 else 1.0)),
        }

    # -- enforcement -----------------------------------------------------------------------
    # Check and charge are one atomic step (``Store.reserve``: one lock in memory, one Lua script in Redis): a
    # request takes its place in every window before it runs, so N workers sharing a store can never let more
    # through than the limit. ``after`` then settles the reservation: refunded when the reply is an error (errors
    # are not counted), the estimated tokens swapped for those the reply used.
    def before(self, call: "Call") -> Reply | None:
        """Reserve this request in every window, or refuse it with a 429 when one (or the quota) is spent."""
        if not self.enforce:
            return None
        model = _model(call)
        limits, quota = self.limits(call.tenant, call.key.tier or self.engine.settings.tier, model)
        images, tokens = _images(call), estimate_tokens(call.body)
        req_minute, tok_minute, req_day, tok_day, img_minute, quota_key = self._window_keys(call.tenant, model, self.clock.now())
        # (key, need, amount, limit, ttl): requests and tokens first (``_settle`` finds them there), then images and quota.
        plan: list[tuple[str, int, int, int | None, float]] = [
            (req_minute, 1, 1, limits.rpm, _WINDOW_TTL), (tok_minute, tokens, tokens, limits.tpm if tokens else None, _WINDOW_TTL),
            (req_day, 1, 1, limits.rpd, _DAY_TTL), (tok_day, tokens, tokens, limits.tpd if tokens else None, _DAY_TTL)]
        if images:
            plan.append((img_minute, images, images, limits.ipm, _WINDOW_TTL))
        counts_quota = quota is not None or bool(tokens)  # quota: refused once used up, even by a request of 0 tokens
        if counts_quota:
            plan.append((quota_key, max(1, tokens) if quota is not None else 0, tokens, quota, _FOREVER))
        ok, values = self.store.reserve(plan)
        if ok:
            call.meta["rate_reserved"] = (plan, tokens, counts_quota)
            call.meta["rate_limits"] = (model, limits)  # ``after`` reuses them when the model is still the same
            return None
        usage = Usage(values[0], values[1], values[2], values[3], values[4] if images else 0,
                      values[-1] if counts_quota else 0)
        refusal = self._refusal(call, model, limits, quota, usage, tokens, images)
        assert refusal is not None  # the store refused: some window (or the quota) is spent
        reply = self.engine.error_reply(refusal)
        reply.headers.extend(self.headers(limits, usage).items())
        return reply

    def check(self, call: "Call") -> RateLimitError | InsufficientQuotaError | None:
        """The 429 this request would earn now, or None when every window has room (charges nothing)."""
        model = _model(call)
        limits, quota = self.limits(call.tenant, call.key.tier or self.engine.settings.tier, model)
        images = _images(call)
        return self._refusal(call, model, limits, quota, self.usage(call.tenant, model), estimate_tokens(call.body), images)

    def _refusal(self, call: "Call", model: str, limits: Limits, quota: int | None, usage: Usage, tokens: int,
                 images: int) -> RateLimitError | InsufficientQuotaError | None:
        if quota is not None and (usage.quota_used >= quota or usage.quota_used + tokens > quota):
            return InsufficientQuotaError("You exceeded your current quota, please check your plan and billing details. "
                                          "For more information on this error, read the docs: "
                                          "https://platform.openai.com/docs/guides/error-codes/api-errors.",
                                          headers={"x-should-retry": "false"})
        now = self.clock.now()
        to_minute = (math.floor(now / MINUTE) + 1) * MINUTE - now
        to_day = (math.floor(now / DAY) + 1) * DAY - now
        spent = [(label, kind, limit, used, asked, wait) for label, kind, limit, used, asked, wait in (
            ("requests per day (RPD)", "requests", limits.rpd, usage.req_day, 1, to_day),
            ("tokens per day (TPD)", "tokens", limits.tpd, usage.tok_day, tokens, to_day),
            ("requests per min (RPM)", "requests", limits.rpm, usage.req_minute, 1, to_minute),
            ("tokens per min (TPM)", "tokens", limits.tpm, usage.tok_minute, tokens, to_minute),
            ("images per minute (IPM)", "requests", limits.ipm, usage.img_minute, images, to_minute),
        ) if asked and used + asked > limit]
        if not spent:
            return None
        label, kind, limit, used, asked, wait = max(spent, key=lambda s: s[5])
        org = call.key.organization or call.request.headers.get("openai-organization") or "org-mockapi"
        error = RateLimitError(
            f"Rate limit reached for {_model(call, known_only=False) or 'requests'} in organization {org} on {label}: "
            f"Limit {limit}, Used {used}, Requested {asked}. Please try again in {format_duration(wait)}. "
            "Visit https://platform.openai.com/account/rate-limits to learn more.",
            headers={"retry-after": str(max(1, math.ceil(wait))), "retry-after-ms": str(max(1, math.ceil(wait * 1000)))})
        error.error_type = kind  # type: ignore[misc]  # the real API names the bucket: requests or tokens
        return error

    def after(self, call: "Call", reply: Reply) -> Reply:
        """Settle the reservation (refund an error, true up the tokens) and give the reply matching headers."""
        reserved = call.meta.pop("rate_reserved", None)
        if reserved is None and reply.status < 400 and call.op.operation_id not in IMAGE_OPERATIONS:
            return reply  # not enforcing, no images: the engine charges the success (a 503 is never < 400)
        if isinstance(reply.meta.get("error"), ServiceUnavailableError):
            return reply  # the store is down: nothing to settle or read (the engine adds the plain headers)
        try:
            if reserved is None:  # not enforcing, or an earlier hook answered: the engine charges a success
                if reply.status < 400 and _images(call):
                    self.charge_images(call.tenant, _images(call))
                elif reply.status >= 400:
                    self._snapshot(call, reply)
                return reply
            self._settle(call, reply, *reserved)
        except ServiceUnavailableError:
            pass  # the store went away mid-request: the reply stands, its counters are lost with the store
        return reply

    def _settle(self, call: "Call", reply: Reply, plan: list[tuple[str, int, int, int | None, float]], estimated: int,
                counts_quota: bool) -> None:
        model = _model(call)
        # Settle the keys that were reserved (``before``'s plan): the model read now may differ from the one read
        # before the handler (a multipart form names its model only once parsed), so nothing here assumes they agree.
        if reply.status >= 400:
            changes = [(key, -amount, ttl) for key, _, amount, _, ttl in plan if amount]
        else:
            delta = call.charged_tokens - estimated
            token_items = (plan[1], plan[3], plan[-1]) if counts_quota else (plan[1], plan[3])  # minute, day, quota
            changes = [(key, delta, ttl) for key, _, _, _, ttl in token_items] if delta else []
            call.meta["rate_accounted"] = True  # the engine does not charge again
        # This minute's requests and tokens.
        reads: list[tuple[str, int, float]] = [(plan[0][0], 0, _WINDOW_TTL), (plan[1][0], 0, _WINDOW_TTL)]
        values = self.store.incr_many(changes + reads)[len(changes):]
        if not any(k.lower() == "x-ratelimit-limit-requests" for k, _ in reply.headers):
            before = call.meta.get("rate_limits")
            if before is not None and before[0] == model:
                limits = before[1]
            else:
                limits, _ = self.limits(call.tenant, call.key.tier or self.engine.settings.tier, model)
            reply.headers.extend(self._headers(limits, values[0], values[1], self.clock.now()).items())

    def _snapshot(self, call: "Call", reply: Reply) -> None:
        present = {k.lower() for k, _ in reply.headers}
        if "x-ratelimit-limit-requests" in present:
            return
        model = _model(call)
        limits, _ = self.limits(call.tenant, call.key.tier or self.engine.settings.tier, model)
        reply.headers.extend(self.headers(limits, self.usage(call.tenant, model)).items())

    def counted_model(self, model: str) -> str:
        """The model name counters are kept under: a known model, or ``-`` (names from requests never become keys)."""
        return model if model and model in self.engine.catalog else "-"


def _model(call: "Call", known_only: bool = True) -> str:
    model = call.body.get("model") if isinstance(call.body, dict) else None
    if not isinstance(model, str):
        return ""
    return model if not known_only or model in call.engine.catalog else ""


def _images(call: "Call") -> int:
    if call.op.operation_id not in IMAGE_OPERATIONS:
        return 0
    n = call.body.get("n") if isinstance(call.body, dict) else None
    return n if isinstance(n, int) and n > 0 else 1

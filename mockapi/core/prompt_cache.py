"""Prompt caching as the real API reports it: prefixes written to a cache, read back by later requests.

The real API keeps the model state of prompt prefixes per organization and reports what a request reused in
``cached_tokens`` (``usage.prompt_tokens_details`` in Chat, ``usage.input_tokens_details`` in Responses). The
prompt caching guide (developers.openai.com/api/docs/guides/prompt-caching, quoted in openai/openai-dotnet#1247,
ax-llm/ax#573, iii-hq/workers#1202 and mindroom-ai/mindroom#2134) tells two generations apart:

- gpt-5.6 and later: exact matching at cache breakpoints. A request writes up to four breakpoints: an implicit
  one at the latest user or tool message (unless ``prompt_cache_options.mode`` is ``explicit``) and the latest
  content parts marked ``prompt_cache_breakpoint`` (three of them next to the implicit one, else four). A later
  request reads the longest of its prefixes that was written, at its exact length; a prefix that was never a
  breakpoint is never read ("it does not automatically fall back to the longest matching unmarked prefix").
  ``explicit`` mode with no marked part does not use the cache. Writes are reported in ``cache_write_tokens``:
  the tokens written past what the request read ("a longer cache write does not bill the already cached
  tokens again"). An entry lives ``prompt_cache_options.ttl`` (``30m`` by default, or the part's own ``ttl``)
  after its last write or read.
- earlier models: automatic best-effort reuse of the longest matching prefix, counted in increments of 128
  tokens from 1,024; no writes are reported. ``prompt_cache_retention: 24h`` keeps entries a day, else they
  live 10 minutes after their last use (the guide's in-memory retention: "5 to 10 minutes of inactivity").

Both need a prefix of at least 1,024 tokens, so a shorter prompt never touches the cache. Prefixes are the
family's own: each API family cuts its prompt at message and content-part boundaries, counting their tokens
as its usage does (:class:`Prefixes`), and this module reads and writes them in the store, one object per
organization, model and ``prompt_cache_key``, expiring on the mock clock.
"""

from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass
from typing import Any, Mapping

from .catalog import ModelInfo
from .store import Store

MIN_PREFIX = 1024  # "Minimum cacheable prefix: 1,024 tokens" (shorter prompts report cached_tokens 0)
BLOCK = 128  # earlier models: "hits extend in 128-token increments" past the minimum
MAX_WRITES = 4  # "Each request can write up to four breakpoints" (PromptCacheOptions in the SDK)
MAX_ENTRIES = 512  # per organization, model and key: past this, the entries closest to expiring go first
KIND = "prompt_cache"
TTL_SECONDS = {"30m": 1800, "12h": 43_200}  # prompt_cache_options.ttl and prompt_cache_breakpoint.ttl
RETENTION_SECONDS = {"in_memory": 600, "24h": 86_400}  # prompt_cache_retention, models before gpt-5.6
# "Supported for gpt-5.6 and later models" (the SDK's PromptCacheOptions): the catalogue's gpt-5.6+ family pattern.
_BREAKPOINT_MODELS = re.compile(r"^gpt-(5\.[6-9]|[6-9])")


@dataclass(frozen=True)
class CacheUse:
    """What a request read from the cache and wrote to it (``written`` None: not reported for this model)."""

    cached: int = 0
    written: int | None = None


_UNREPORTED = CacheUse()
_NOTHING_WRITTEN = CacheUse(0, 0)


@dataclass(frozen=True)
class Boundary:
    """The end of one prompt prefix: its tokens and digest, and whether a breakpoint sits there."""

    tokens: int
    digest: str
    breakpoint: str | None = None  # a marked part's ttl ("" when it inherits the request's), None when unmarked


class Prefixes:
    """A prompt's prefixes as a family feeds it in prompt order: bytes of what it renders, then a boundary."""

    def __init__(self, head: bytes) -> None:
        self._hash = hashlib.blake2b(head, digest_size=12)
        self.boundaries: list[Boundary] = []
        self.latest_turn: Boundary | None = None  # the end of the latest user or tool message: the implicit breakpoint

    def feed(self, data: bytes) -> None:
        """Add rendered bytes to the prefix."""
        self._hash.update(data)

    def mark(self, tokens: int, breakpoint: Any = None, *, turn: bool = False) -> None:
        """A boundary here, ``tokens`` into the prompt (``breakpoint``: the part's ``prompt_cache_breakpoint``)."""
        marked = None
        if isinstance(breakpoint, Mapping) and breakpoint.get("mode") == "explicit":
            marked = breakpoint.get("ttl") if breakpoint.get("ttl") in TTL_SECONDS else ""
        boundary = Boundary(tokens, self._hash.copy().hexdigest(), marked)
        self.boundaries.append(boundary)
        if turn:
            self.latest_turn = boundary


@functools.lru_cache(maxsize=256)
def _breakpoint_caching(model_id: str) -> bool:
    return _BREAKPOINT_MODELS.match(model_id) is not None


def breakpoint_caching(model: ModelInfo) -> bool:
    """Whether ``model`` caches at breakpoints and reports writes (gpt-5.6 and later), or reuses prefixes best-effort."""
    return _breakpoint_caching(model.base or model.id)


def unused(model: ModelInfo) -> CacheUse:
    """The cache use of a prompt too short to cache: nothing read, and nothing written where writes are reported."""
    return _NOTHING_WRITTEN if _breakpoint_caching(model.base or model.id) else _UNREPORTED  # on every request: one call


def organization_scope(tenant: str) -> str:
    """The part of a tenant the cache is shared by: its organization, every project of it alike.

    "Prompt caches are not shared between organizations." A tenant ``org:O/proj:P`` shares with ``org:O``'s other
    projects, a key's own tenant with its projects; a tenant granted a project but no organization keeps to itself.
    """
    head, projected, _ = tenant.partition("/proj:")
    if not projected or head == "org:-":
        return tenant
    return head.removesuffix("/org:-")


def forget(store: Store, tenant: str | None) -> None:
    """Drop the cache a tenant reads when its state is reset (an organization's is kept apart from its tenants' state).

    A reset starts the tenant over: the same requests then give the same answers, cached tokens included.
    """
    scope = tenant if tenant is None else organization_scope(tenant)
    if scope is not None and scope != tenant:  # else the store's own reset drops it
        for stored in store.list(scope, KIND):
            store.delete(scope, KIND, stored["id"])


def settle(store: Store, tenant: str, now: float, model: ModelInfo, body: Mapping[str, Any], prefixes: Prefixes) -> CacheUse:
    """Read the longest cached prefix of this prompt, write its breakpoints, and say what was read and written."""
    exact = breakpoint_caching(model)
    options = body.get("prompt_cache_options") if exact else None
    options = options if isinstance(options, Mapping) else {}
    explicit_only = options.get("mode") == "explicit"
    if explicit_only and all(b.breakpoint is None for b in prefixes.boundaries):
        return _NOTHING_WRITTEN  # explicit mode without a breakpoint: "the request does not use prompt caching"
    writes = _writes(prefixes, exact, explicit_only, options.get("ttl"), body.get("prompt_cache_retention"))
    scope = organization_scope(tenant)
    partition = hashlib.blake2b(f"{body.get('model')}\x1f{body.get('prompt_cache_key') or ''}".encode(), digest_size=12).hexdigest()
    stored = store.get(scope, KIND, partition) or {}
    entries: dict[str, list[float]] = {d: e for d, e in (stored.get("entries") or {}).items() if e[0] > now}
    hit = next((b for b in reversed(prefixes.boundaries) if b.digest in entries), None)
    cached = 0
    if hit is not None:
        cached = hit.tokens if exact else hit.tokens - (hit.tokens - MIN_PREFIX) % BLOCK
        ttl = entries[hit.digest][1]
        entries[hit.digest] = [now + ttl, ttl]  # reading refreshes the entry's lifetime
    new = [boundary.tokens for boundary, _ in writes if boundary.digest not in entries]
    for boundary, ttl in writes:
        entries[boundary.digest] = [now + ttl, ttl]
    if writes or hit is not None:
        store.put(scope, KIND, partition, {"id": partition, "entries": _bounded(entries)})
    if not exact:
        return CacheUse(cached) if cached else _UNREPORTED
    return CacheUse(cached, max(0, max(new, default=0) - cached))


def _writes(prefixes: Prefixes, exact: bool, explicit_only: bool, ttl: Any,
            retention: Any) -> list[tuple[Boundary, float]]:
    """The prefixes this request writes, each with its lifetime in seconds (only those long enough to cache)."""
    if not exact:  # best-effort: every prefix of the prompt is there to reuse
        seconds = RETENTION_SECONDS.get(retention, RETENTION_SECONDS["in_memory"])
        return [(b, seconds) for b in prefixes.boundaries if b.tokens >= MIN_PREFIX]
    default = TTL_SECONDS.get(ttl, TTL_SECONDS["30m"])
    marked = [b for b in prefixes.boundaries if b.breakpoint is not None]
    latest = marked[-(MAX_WRITES if explicit_only else MAX_WRITES - 1):]  # the implicit breakpoint takes one of the four
    writes = [(b, TTL_SECONDS.get(b.breakpoint or "", default)) for b in latest]
    if not explicit_only and prefixes.latest_turn is not None:
        writes.append((prefixes.latest_turn, default))
    return [(b, seconds) for b, seconds in writes if b.tokens >= MIN_PREFIX]


def _bounded(entries: dict[str, list[float]]) -> dict[str, list[float]]:
    """At most :data:`MAX_ENTRIES` entries, those that live longest (ties by digest, so every run keeps the same)."""
    if len(entries) <= MAX_ENTRIES:
        return entries
    kept = sorted(entries.items(), key=lambda item: (-item[1][0], item[0]))[:MAX_ENTRIES]
    return dict(kept)

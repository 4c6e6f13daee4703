"""The usage recorder: counts what went through the mock, for the usage and costs endpoints.

An engine observer (installed by :func:`install`, from the composition root): every successful model
call adds its requests and tokens to counters in the store, per organization, project, model, API key,
kind (completions, embeddings, ...) and minute of the mock's clock. The counters are the store's
(``incr``), so workers sharing a Redis store share them; a small index object per counter group lets the
usage endpoints find them. Tokens are the ones the answer reported (its ``usage``). A stream whose operation
left the usage it reports in ``call.meta["usage"]`` (Chat Completions, Responses) is counted from it at once, its
frames never read; any other stream is counted when it ends, from its usage event, or else as the tokens it
charged the rate limiter.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
import weakref
from typing import TYPE_CHECKING, Any, Callable

from mockapi.core.determinism import digest
from mockapi.core.jsonutil import loads
from mockapi.core.store import MemoryStore

from .access import is_admin_key, org_repo, org_tenant, organization_of, presented_key
from .keys import seen_in_traffic
from .projects import default_project_id, ensure_organization
from .usage_tap import counting

if TYPE_CHECKING:
    from mockapi.core.engine import Call, Engine, Request
    from mockapi.core.results import Reply

USAGE_INDEX = "admin.usage_index"
FOREVER = 10 * 365 * 86400.0
KIND_OF_OPERATION = {
    "createChatCompletion": "completions", "createCompletion": "completions", "createResponse": "completions",
    "createEmbedding": "embeddings", "createModeration": "moderations",
    "createImage": "images", "createImageEdit": "images", "createImageVariation": "images",
    "createSpeech": "audio_speeches", "createTranscription": "audio_transcriptions", "createTranslation": "audio_transcriptions",
}
IMAGE_SOURCE = {"createImage": "image.generation", "createImageEdit": "image.edit", "createImageVariation": "image.variation"}
GROUP_FIELDS = ("kind", "start", "project_id", "model", "api_key_id", "source", "size")  # what one group of counters is
COUNTERS = ("num_model_requests", "input_tokens", "output_tokens", "input_cached_tokens", "images", "characters", "seconds")


class Memo:
    """What the recorder keeps beside a :class:`MemoryStore`: what it already wrote, and the counts it has yet to add.

    ``keys``: (organization tenant, project, secret) -> (the second its key was marked used, its key id); the
    organization was made then too. ``groups``: (organization tenant, group id) whose usage index entry exists.
    Neither projects nor index entries are ever deleted but by a reset, and every reset of a store private to this
    process goes through ``engine.reset``, whose hook forgets it all; so a memo serves only a :class:`MemoryStore`
    (a shared store may be reset by another worker). Bounded: a full memo starts over.

    ``pending``: the counts of the requests not yet written, summed per (organization tenant, group) as they come
    (a group's minute read on the mock clock when its request was made); ``waiting``: how many requests those are.
    They reach the store's counters in batches (``fold``), one increment of each counter per group: once ``BATCH``
    wait, before any reset, and before anything reads the counters (``settle``), so readers see exactly what writing
    at once would have shown them. Summed on arrival: what waits is an entry per group (most traffic is a few),
    not one per request. One memo per store (``memo_of``): engines sharing a store share it.
    """

    LIMIT = 4096
    BATCH = 1024

    def __init__(self, store: Any) -> None:
        self._store = weakref.ref(store)  # not the store itself: the memo lives as long as its store (``_MEMOS``)
        self.keys: dict[tuple[str, str, str], tuple[int, str | None]] = {}
        self.groups: set[tuple[str, str]] = set()
        self.pending: dict[Any, tuple[str, tuple[Any, ...], dict[str, int]]] = {}  # in order of arrival
        self.waiting = 0
        self._unhashable = itertools.count()
        self._folding = threading.Lock()

    def forget(self, store: Any = None, tenant: str | None = None) -> None:
        """Forget everything (a reset hook: any tenant's reset may drop an organization's objects); count what waits first."""
        self.fold()
        self._start_over()

    def key_seen(self, where: tuple[str, str, str], second: int, key_id: str | None) -> None:
        """Remember that ``where``'s key was marked used at ``second``."""
        if len(self.keys) >= self.LIMIT:
            self._start_over()
        self.keys[where] = (second, key_id)

    def group_indexed(self, where: tuple[str, str]) -> None:
        """Remember that this usage index entry exists."""
        if len(self.groups) >= self.LIMIT:
            self._start_over()
        self.groups.add(where)

    def _start_over(self) -> None:
        """Drop what the memo remembers, not what waits to be counted: a full memo needs no fold (and
        ``group_indexed`` runs inside ``fold``, whose lock is not re-entrant); ``forget`` does both."""
        self.keys, self.groups = {}, set()

    def add(self, tenant: str, group: tuple[Any, ...], counts: dict[str, int]) -> None:
        """Count one request (written at the next ``fold``); ``counts`` becomes the memo's."""
        with self._folding:
            try:
                key: Any = (tenant, group, type(group[-1]))  # the caller's size: 1, 1.0 and True count apart
                found = self.pending.get(key)
            except TypeError:  # an unhashable value (a malformed ``size``): a group of its own
                key, found = next(self._unhashable), None
            if found is None:
                self.pending[key] = (tenant, group, counts)
            else:
                summed = found[2]
                for name, value in counts.items():
                    summed[name] = summed.get(name, 0) + value
            self.waiting += 1
            full = self.waiting >= self.BATCH
        if full:
            self.fold()

    def fold(self) -> None:
        """Add every waiting request to the store's counters (indexing new groups), in the order their groups came."""
        with self._folding:  # a reader that comes while another thread folds waits until the counts have landed
            pending, store = self.pending, self._store()
            if not pending or store is None:
                return
            self.pending, self.waiting = {}, 0  # what comes meanwhile waits for the next fold
            items = []
            for tenant, group, counts in pending.values():
                group_id = _group_id(group)
                if (tenant, group_id) not in self.groups:
                    _index(store, tenant, group, group_id)
                    self.group_indexed((tenant, group_id))
                prefix = f"{tenant}:usage:{group_id}:"
                items += [(prefix + name, int(value), FOREVER) for name, value in counts.items() if name in COUNTERS and value]
            store.incr_many(items)


_MEMOS: weakref.WeakKeyDictionary[Any, Memo] = weakref.WeakKeyDictionary()
_MEMOS_LOCK = threading.Lock()


def memo_of(store: Any) -> Memo:
    """The memo of a :class:`MemoryStore` (made on first use)."""
    with _MEMOS_LOCK:
        memo = _MEMOS.get(store)
        if memo is None:
            memo = _MEMOS[store] = Memo(store)
        return memo


def settle(store: Any) -> None:
    """Add what the recorder has yet to count to ``store``'s counters: every reader of them calls this first."""
    memo = _MEMOS.get(store) if isinstance(store, MemoryStore) else None
    if memo is not None and memo.waiting:
        memo.fold()


def install(engine: "Engine") -> None:
    """Register the recorder as an observer of ``engine``."""
    memo = memo_of(engine.store) if isinstance(engine.store, MemoryStore) else None
    if memo is not None:
        engine.reset_hooks.append(memo.forget)
    engine.observers.append(functools.partial(_observe, memo))  # positional: a keyword would cost a dict per call


def observe(request: "Request", call: "Call | None", reply: "Reply", memo: Memo | None = None) -> None:
    """Count one finished exchange (a stream: once it has been read to its end); never fails the exchange."""
    _observe(memo, request, call, reply)


def _observe(memo: Memo | None, request: "Request", call: "Call | None", reply: "Reply") -> None:
    try:  # one frame for what every exchange runs: most are answered here without another call
        if call is None or reply.status >= 400:
            return
        kind = KIND_OF_OPERATION.get(call.op.operation_id)
        if kind is None:
            return
        secret = presented_key(call.request.headers)
        if is_admin_key(secret, call.engine.settings.keys):
            return  # admin keys cannot call models
        if reply.stream is not None and reply.body in (b"", None) and call.meta.get("usage") is None:
            reply.stream = counting(reply.stream, _usage_in_frames, _recorded(call, secret, memo))  # usage is in its frames, if anywhere
            return
        _record(call, kind, _usage_of_body(reply), secret, memo)
    except Exception:  # counting is bookkeeping: a failure is logged, the caller still gets its answer
        logging.getLogger("mockapi").exception("the usage recorder failed")


def _recorded(call: "Call", secret: str, memo: Memo | None) -> Callable[[dict[str, int] | None], None]:
    """What counts a stream's exchange once it ends, with the usage found in its frames (never fails the stream)."""
    def finish(found: dict[str, int] | None) -> None:
        try:
            record(call, found, secret, memo)
        except Exception:
            logging.getLogger("mockapi").exception("the usage recorder failed")

    return finish


def _usage_in_frames(chunk: bytes) -> dict[str, int] | None:
    found = None
    for line in chunk.split(b"\n"):
        if line.startswith(b"data:"):
            try:
                data = loads(line[5:])
            except ValueError:
                continue
            if isinstance(data, dict):
                found = _tokens(data.get("usage") or (data.get("response") or {}).get("usage")) or found
    return found


def _usage_of_body(reply: "Reply") -> dict[str, int] | None:
    body = reply.body
    if not body:
        return None
    rendered = reply.meta.get("json")
    if rendered is not None and rendered[0] is body:  # the object the engine just encoded: no need to parse it back
        data = rendered[1]
    elif b'"usage"' not in body and b'"data"' not in body:
        return None
    else:
        try:
            data = loads(body)
        except ValueError:
            return None
    if not isinstance(data, dict):
        return None
    tokens = _tokens(data.get("usage")) or {}
    if isinstance(data.get("data"), list) and data.get("created") is not None:  # an images answer: count its images
        tokens["images"] = len(data["data"])
    return tokens or None


def _tokens(usage: Any) -> dict[str, int] | None:
    """Input, output and cached input tokens from any of the API's usage shapes."""
    if not isinstance(usage, dict):
        return None
    input_tokens = usage.get("input_tokens", usage.get("prompt_tokens"))
    output_tokens = usage.get("output_tokens", usage.get("completion_tokens", 0))
    if not isinstance(input_tokens, int):
        return None
    details = usage.get("input_tokens_details") or usage.get("prompt_tokens_details") or {}
    return {"input_tokens": input_tokens, "output_tokens": output_tokens if isinstance(output_tokens, int) else 0,
            "input_cached_tokens": int(details.get("cached_tokens") or 0) if isinstance(details, dict) else 0}


def record(call: "Call", tokens: dict[str, int] | None, secret: str | None = None, memo: Memo | None = None) -> None:
    """Add one request and its tokens to the organization's counters for this minute.

    ``secret``: the key the request presented (read from its headers when not given).
    """
    secret = presented_key(call.request.headers) if secret is None else secret
    _record(call, KIND_OF_OPERATION[call.op.operation_id], tokens, secret, memo)


def _record(call: "Call", kind: str, tokens: dict[str, int] | None, secret: str, memo: Memo | None) -> None:
    body = call.body if isinstance(call.body, dict) else {}
    counts = dict(tokens or _tokens(call.meta.get("usage")) or {"input_tokens": call.charged_tokens})
    counts["num_model_requests"] = 1
    if kind == "audio_speeches":
        counts = {"num_model_requests": 1, "characters": len(str(body.get("input", "")))}
    elif kind == "images":
        n = str(body.get("n") or 1)  # a form sends text; level schema lets "null" through
        counts.setdefault("images", int(n) if n.isdigit() else 1)
    engine, headers, key = call.engine, call.request.headers, call.key
    organization = organization_of(headers, key.organization)
    tenant = org_tenant(organization)
    project = headers.get("openai-project") or key.project or default_project_id(engine.seed, organization)
    moment = engine.clock.now()  # the mock's time of the request: its second marks the key, its minute is the group's
    now = int(moment)
    seen = memo.keys.get((tenant, project, secret)) if memo is not None else None
    if seen is not None and seen[0] == now:  # this second's call already made the organization and marked the key
        key_id = seen[1]
    else:
        repo = org_repo(call)
        ensure_organization(repo, organization)
        key_id = seen_in_traffic(repo, organization, project, secret, now) if secret else None
        if memo is not None:
            memo.key_seen((tenant, project, secret), now, key_id)
    model = body.get("model") or call.meta.get("model")  # multipart operations may leave theirs in call.meta
    group = (kind, int(moment // 60) * 60, project, model if isinstance(model, str) else None, key_id,
             IMAGE_SOURCE.get(call.op.operation_id), body.get("size"))
    if memo is not None:
        memo.add(tenant, group, counts)
        return
    group_id = _group_id(group)
    _index(call.store, tenant, group, group_id)
    prefix = f"{tenant}:usage:{group_id}:"
    call.store.incr_many([(prefix + name, int(value), FOREVER) for name, value in counts.items() if name in COUNTERS and value])


def _index(store: Any, tenant: str, group: tuple[Any, ...], group_id: str) -> None:
    """Make the usage index entry of a group unless it exists (the usage endpoints list these)."""
    if store.get(tenant, USAGE_INDEX, group_id) is None:
        store.put(tenant, USAGE_INDEX, group_id, {"id": group_id, **dict(zip(GROUP_FIELDS, group))})


_GROUP_IDS: dict[tuple[Any, ...], str] = {}
_GROUP_IDS_MAX = 4096


def _group_id(group: tuple[Any, ...]) -> str:
    """The digest of a group (its ``GROUP_FIELDS`` values), remembered: the same few groups recur on every call."""
    try:
        key = (*group, type(group[-1]))  # the caller's size: 1, 1.0 and True digest apart
        found = _GROUP_IDS.get(key)
    except TypeError:  # an unhashable value (a malformed ``size``): digest it afresh
        return digest(dict(zip(GROUP_FIELDS, group)))
    if found is None:
        if len(_GROUP_IDS) >= _GROUP_IDS_MAX:
            _GROUP_IDS.clear()
        found = _GROUP_IDS[key] = digest(dict(zip(GROUP_FIELDS, group)))
    return found


def counters(store: Any, tenant: str, group_id: str) -> dict[str, int]:
    """The current values of one group's counters (read as an increment by zero)."""
    settle(store)
    values = store.incr_many([(f"{tenant}:usage:{group_id}:{name}", 0, FOREVER) for name in COUNTERS])
    return dict(zip(COUNTERS, values))

"""The compiled hot path: which modules a non-editable install compiles with mypyc, and whether this process runs them.

A chat request runs through a few hundred small Python functions; compiled, the same source runs ~19% fewer
instructions per chat and ~23% per Responses call (bench/PROFILE.md, thirteenth and
fourteenth passes). ``setup.py`` compiles :data:`HOT_MODULES` when mypyc
and a C compiler are there and the install is not editable (an editable checkout stays pure Python, so edits
take effect, and start-up says nothing of it); an install built elsewhere runs the same modules as plain Python,
answers the same bytes, and start-up logs it (:mod:`mockapi.core.speedups`). This module stays import-free: ``setup.py`` reads it before mockapi is installed.
"""

from __future__ import annotations

import importlib
import importlib.machinery
from typing import TypeVar

# Every module here type-checks (tests/core/test_compiled.py runs mypy over them: mypyc trusts the annotations).
# Left out on purpose: mockapi/core/json_memo.py (mypyc 2.4 miscompiles its closure-per-reader decorator),
# mockapi/traffic/journal_entry.py (its redacting descriptors set ``__doc__``, which a native class cannot), and
# the journal's and the usage recorder's taps on streams (journal_capture.py, usage_tap.py): generators with a
# ``finally`` (the entry done, the usage counted), which a compiled generator skips when dropped unclosed.
HOT_MODULES = (
    "mockapi/api/admin/access.py",
    "mockapi/api/admin/keys.py",
    "mockapi/api/admin/recorder.py",
    "mockapi/api/admin/revocation.py",
    "mockapi/api/chat/audio.py",
    "mockapi/api/chat/generate.py",
    "mockapi/api/chat/handlers.py",
    "mockapi/api/chat/render.py",
    "mockapi/api/chat/request.py",
    "mockapi/api/chat/rules.py",
    "mockapi/api/chat/search.py",
    "mockapi/api/responses/build.py",
    "mockapi/api/responses/caching.py",
    "mockapi/api/responses/events.py",
    "mockapi/api/responses/filesearch.py",
    "mockapi/api/responses/generate.py",
    "mockapi/api/responses/handlers.py",
    "mockapi/api/responses/items.py",
    "mockapi/api/responses/request.py",
    "mockapi/api/responses/rules.py",
    "mockapi/api/responses/service.py",
    "mockapi/api/responses/state.py",
    "mockapi/api/responses/toolsearch.py",
    "mockapi/content/assigned.py",
    "mockapi/content/cues.py",
    "mockapi/content/formats.py",
    "mockapi/content/people.py",
    "mockapi/content/prompt_values.py",
    "mockapi/content/reasoning.py",
    "mockapi/content/replies.py",
    "mockapi/content/said_words.py",
    "mockapi/content/speakers.py",
    "mockapi/content/strict.py",
    "mockapi/content/textgen.py",
    "mockapi/content/tools.py",
    "mockapi/content/understanding.py",
    "mockapi/core/azure.py",
    "mockapi/core/catalog.py",
    "mockapi/core/clock.py",
    "mockapi/core/contract.py",
    "mockapi/core/contract_cache.py",
    "mockapi/core/determinism.py",
    "mockapi/core/engine.py",
    "mockapi/core/instances.py",
    "mockapi/core/jsonutil.py",
    "mockapi/core/limits.py",
    "mockapi/core/outbox.py",
    "mockapi/core/overrides.py",
    "mockapi/core/prompt_cache.py",
    "mockapi/core/query.py",
    "mockapi/core/repo.py",
    "mockapi/core/results.py",
    "mockapi/core/routing.py",
    "mockapi/core/store.py",
    "mockapi/core/tenancy.py",
    "mockapi/core/tokenizer.py",
    "mockapi/traffic/faults.py",
    "mockapi/traffic/journal.py",
    "mockapi/traffic/latency.py",
    "mockapi/traffic/ratelimits.py",
    "mockapi/traffic/redaction.py",
    "mockapi/traffic/tiers.py",
    "mockapi/traffic/webhooks.py",
)

_Class = TypeVar("_Class", bound=type)


def interpreted_class(cls: _Class) -> _Class:
    """Keep ``cls`` a plain Python class when its module is compiled (mypyc makes a decorated class a normal one).

    For classes that need what a native class lacks: weak references (the usage recorder keys its memo by the
    store) or attributes set from outside (the engine's ``traffic`` and ``recording``, set by the assembly).
    """
    return cls


def module_names() -> list[str]:
    """The hot path's modules by their import names."""
    return [path.removesuffix(".py").replace("/", ".") for path in HOT_MODULES]


def is_compiled(name: str) -> bool:
    """Whether the module ``name`` runs compiled here (it is imported to find out)."""
    origin = getattr(importlib.import_module(name), "__file__", None) or ""
    return origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))

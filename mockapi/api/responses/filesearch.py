"""``file_search`` results from the vector-store state (mockapi.api), when that state exists.

Returns None when no listed vector store is known, so the caller falls back to fixtures.
"""

from __future__ import annotations

from typing import Any, Callable


def searcher(call: Any) -> Callable[[list[str], str, int], list[dict[str, Any]] | None]:
    """A search function over this tenant's vector stores: (store ids, query, limit) -> results or None."""

    def search(vector_store_ids: list[str], query: str, limit: int) -> list[dict[str, Any]] | None:
        try:
            from mockapi.core.repo import Repo

            from ..vector_stores import relevance, vectors
        except ImportError:  # the stateful platform is not installed in this tree
            return None
        known = [v for v in vector_store_ids if call.store.get(call.tenant, vectors.KIND, v) is not None]
        if not known:
            return None
        repo = Repo(call)
        wanted = relevance.terms(query)
        scored: list[tuple[float, int, dict[str, Any]]] = []
        for vs_id in known:
            for entry in call.store.list(call.tenant, vectors.files_kind(vs_id)):
                if entry.get("status") not in (None, "completed", "in_progress"):
                    continue
                meta = call.store.get(call.tenant, "file", entry["id"]) or {}
                for piece in relevance.chunks(vectors.file_text(repo, entry["id"])):
                    score = round(relevance.cosine(wanted, relevance.terms(piece)), 4)
                    scored.append((score, len(scored), {"file_id": entry["id"], "filename": meta.get("filename") or entry["id"],
                                                        "text": piece, "score": score, "attributes": entry.get("attributes") or {}}))
        scored.sort(key=lambda s: (-s[0], s[1]))
        return [s[2] for s in scored[:limit]]

    return search

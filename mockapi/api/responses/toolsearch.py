"""Tool search: deferred function tools (``defer_loading``) and namespaces, loaded by a ``tool_search`` tool.

A deferred tool stays out of the model's context until a tool search loads it: the whole namespace it belongs
to, or the function itself at the top level. The mock plans calls over every function as usual; a call to a
deferred tool that no earlier ``tool_search_output`` loaded is preceded by the search that loads it. With server
execution (the default) the ``tool_search_call`` and its ``tool_search_output`` come before the function call in
the same response; with client execution the turn ends at the ``tool_search_call`` and the client answers with a
``tool_search_output`` item, after which the call is made. Without a ``tool_search`` tool nothing is searched:
deferred tools are called directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable

from mockapi.content.tools import PlannedCall
from mockapi.core.determinism import make_id
from mockapi.core.tokenizer import count_tokens

from .items import output_id


@dataclass
class Search:
    """The items a response puts before its function calls, and whether its turn ends with them."""

    items: list[dict[str, Any]] = field(default_factory=list)
    tokens: int = 0
    ends_turn: bool = False


def loaded(items: Iterable[dict[str, Any]]) -> set[str]:
    """The names (namespaces and top-level functions) that the ``tool_search_output`` items among ``items`` loaded."""
    names: set[Any] = set()
    for item in items:
        if item.get("type") == "tool_search_output":
            names.update(t.get("name") for t in item.get("tools") or [] if isinstance(t, dict) and t.get("name"))
    return names


def search_for(request: Any, context: list[dict[str, Any]], calls: list[PlannedCall], ident: str) -> Search:
    """The search that must come before ``calls``: none when every tool they call is loaded or needs no loading."""
    tool = request.tool_search
    if tool is None:
        return Search()
    done = loaded(context)
    paths = list(dict.fromkeys(request.deferred[c.tool.name] for c in calls if c.tool.name in request.deferred))
    paths = [p for p in paths if p not in done]
    if not paths:
        return Search()
    execution = tool.get("execution") or "server"
    arguments = {"paths": paths}
    call = {"id": output_id("tsc_", ident), "type": "tool_search_call", "execution": execution, "status": "completed",
            "arguments": arguments, "call_id": make_id("call_", ident, "tool_search") if execution == "client" else None}
    search = Search([call], count_tokens(json.dumps(arguments)) + 3, ends_turn=execution == "client")
    if execution == "server":
        search.items.append({"id": output_id("tso_", ident), "type": "tool_search_output", "execution": "server",
                             "status": "completed", "call_id": None, "tools": [request.searchable[p] for p in paths]})
    return search

"""Built-in tools, executed by nobody: deterministic ``*_call`` items in the SDK's shapes.

``wanted`` decides (for ``tool_choice: auto``) whether a prompt calls for a hosted tool; each
builder returns the call item and, for tools the server runs, what the answer cites.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from mockapi.core.determinism import make_id

from ..containers.containers import container_id as auto_container_id
from ..images.formats import picture
from .items import output_id

_TRIGGERS = {
    "web_search": r"\b(search|latest|news|today|current(ly)?|recent|web|online|look up|this week)\b",
    "file_search": r"\b(documents?|files?|knowledge base|uploaded|according to|in the docs?)\b",
    "code_interpreter": r"\b(calculate|compute|code|python|plot|chart|fibonacci|solve|sum of|average|statistics|run the numbers)\b",
    "image_generation": r"\b(image|picture|draw|illustrat\w*|logo|photo|render|sketch)\b",
    "computer_use_preview": r"\b(click|browser|screen|navigate|website|open the page|scroll)\b",
    "shell": r"\b(shell|command|terminal|ls|directory|run the tests?|execute)\b",
    "local_shell": r"\b(shell|command|terminal|ls|directory|run the tests?|execute)\b",
    # ... or creating, writing or deleting a named file ("Create tasks.md with ...")
    "apply_patch": r"\b(patch|edit|fix|modify|rename|refactor|update the file|change the file)\b"
                   r"|\b(?:create|write|add|delete|remove)\b[^.?!\n]*?[\w/-]{2,}\.[a-z]{2,5}\b",
}
_FIXTURE_DOCS = [
    ("file-mockdocs0000000000000001", "handbook.md", "The handbook explains onboarding, the release process and how the on-call rotation works."),
    ("file-mockdocs0000000000000002", "faq.txt", "Frequently asked questions cover billing, data retention, rate limits and supported regions."),
    ("file-mockdocs0000000000000003", "notes.md", "Meeting notes record decisions about the roadmap, machine learning experiments and hiring."),
]


@dataclass
class HostedCall:
    """One simulated call: the item, and (for web and file search) the sources the answer cites."""

    item: dict[str, Any]
    citations: list[dict[str, Any]] = field(default_factory=list)
    client_side: bool = False


def wanted(kind: str, prompt: str) -> bool:
    """Whether ``prompt`` calls for the hosted tool ``kind`` under ``tool_choice: auto``."""
    pattern = _TRIGGERS.get(kind)
    return bool(pattern and re.search(pattern, prompt, re.I))


def _query(prompt: str) -> str:
    return re.sub(r"\s+", " ", prompt).strip().rstrip("?.!") or "latest updates"


def _slug(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:6]) or "topic"


def web_search(tool: dict[str, Any], prompt: str, ident: str, include: list[str]) -> HostedCall:
    """A ``web_search_call`` with a search action; two sources the answer cites with ``url_citation``."""
    query = _query(prompt)
    slug = _slug(query)
    allowed = [d for d in ((tool.get("filters") or {}).get("allowed_domains") or []) if isinstance(d, str) and d.strip()]
    if allowed:  # "filters.allowed_domains": results come from those domains only (a path under each, the first twice)
        domains = [allowed[0].strip().lower().rstrip("."), *(d.strip().lower().rstrip(".") for d in allowed[1:2])]
        sources = [{"url": f"https://{domain}/{slug}" + ("" if k == 0 else f"/{k}"), "title": f"{query.capitalize()} | {domain}"}
                   for k, domain in enumerate(domains if len(domains) == 2 else [domains[0], domains[0]])]
    else:
        sources = [
            {"url": f"https://en.wikipedia.org/wiki/{slug.replace('-', '_').title()}", "title": f"{query.title()} - Wikipedia"},
            {"url": f"https://www.reuters.com/technology/{slug}/", "title": f"{query.capitalize()} | Reuters"},
        ]
    action: dict[str, Any] = {"type": "search", "query": query, "queries": [query]}
    if "web_search_call.action.sources" in include:
        action["sources"] = [{"type": "url", "url": s["url"]} for s in sources]
    item = {"id": output_id("ws_", ident), "type": "web_search_call", "status": "completed", "action": action}
    return HostedCall(item, [{"type": "url_citation", **s} for s in sources])


def file_search(tool: dict[str, Any], prompt: str, ident: str, include: list[str],
                search: Callable[[list[str], str, int], list[dict[str, Any]] | None]) -> HostedCall:
    """A ``file_search_call`` whose results come from the vector stores (``search``), else from fixtures."""
    query = _query(prompt)
    limit = int(tool.get("max_num_results") or 3)
    results = search(list(tool.get("vector_store_ids") or []), query, limit)
    if results is None:
        words = set(re.findall(r"[a-z]+", query.lower()))
        ranked = sorted(_FIXTURE_DOCS, key=lambda d: -len(words & set(re.findall(r"[a-z]+", d[2].lower()))))
        results = [{"file_id": fid, "filename": name, "text": text, "score": round(0.92 - 0.11 * k, 4), "attributes": {}}
                   for k, (fid, name, text) in enumerate(ranked[:limit])]
    item: dict[str, Any] = {"id": output_id("fs_", ident), "type": "file_search_call", "status": "completed", "queries": [query],
                            "results": results if "file_search_call.results" in include else None}
    cites = [{"type": "file_citation", "file_id": r["file_id"], "filename": r["filename"]} for r in results[:2]]
    return HostedCall(item, cites)


def code_interpreter(tool: dict[str, Any], prompt: str, ident: str, include: list[str]) -> HostedCall:
    """A ``code_interpreter_call`` in the tool's container (``auto`` gets a fresh ``cntr_`` id)."""
    container = tool.get("container")
    container_id = container if isinstance(container, str) else auto_container_id(ident)
    if re.search(r"fibonacci", prompt, re.I):
        code = "a, b = 0, 1\nseq = []\nfor _ in range(20):\n    seq.append(a)\n    a, b = b, a + b\nprint(seq)"
        logs = "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144, 233, 377, 610, 987, 1597, 2584, 4181]\n"
    else:
        numbers = [int(n) for n in re.findall(r"\d+", prompt)[:6]] or [1, 2, 3]
        code = f"values = {numbers}\nprint(sum(values), sum(values) / len(values))"
        logs = f"{sum(numbers)} {sum(numbers) / len(numbers)}\n"
    outputs = [{"type": "logs", "logs": logs}] if "code_interpreter_call.outputs" in include else None
    item = {"id": output_id("ci_", ident), "type": "code_interpreter_call", "status": "completed", "code": code,
            "container_id": container_id, "outputs": outputs}
    return HostedCall(item)


def image_generation(tool: dict[str, Any], prompt: str, ident: str, include: list[str]) -> HostedCall:
    """An ``image_generation_call`` whose result is the artwork at the tool's size, in its output format."""
    size = tool.get("size") if tool.get("size") not in (None, "auto") else "1024x1024"
    width, height = _dimensions(size)
    fmt = tool.get("output_format") or "png"
    image = picture(f"{ident}:{prompt}", width, height, fmt, tool.get("output_compression"))
    item = {"id": output_id("ig_", ident), "type": "image_generation_call", "status": "completed",
            "result": base64.b64encode(image).decode(), "revised_prompt": _query(prompt), "size": size,
            "quality": tool.get("quality") if tool.get("quality") not in (None, "auto") else "high",
            "output_format": fmt,
            "background": tool.get("background") if tool.get("background") not in (None, "auto") else "opaque"}
    return HostedCall(item)


def partial_image(item: dict[str, Any], index: int) -> str:
    """The ``index``-th streamed preview of an ``image_generation_call``: base64, same size and format."""
    width, height = _dimensions(str(item.get("size") or ""))
    return base64.b64encode(picture(f"{item['id']}:partial:{index}", width, height, item.get("output_format") or "png")).decode()


def _dimensions(size: str) -> tuple[int, int]:
    """``WxH`` as integers; anything unreadable is the default square."""
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", str(size))
    return (int(match.group(1)), int(match.group(2))) if match else (1024, 1024)


def computer(tool: dict[str, Any], prompt: str, ident: str, include: list[str]) -> HostedCall:
    """A ``computer_call`` asking for a screenshot first, then clicking inside the display."""
    width, height = int(tool.get("display_width") or 1024), int(tool.get("display_height") or 768)
    action: dict[str, Any] = {"type": "screenshot"}
    if re.search(r"\bclick\b", prompt, re.I):
        action = {"type": "click", "button": "left", "x": width // 2, "y": height // 2}
    item = {"id": output_id("cu_", ident), "call_id": make_id("call_", ident), "type": "computer_call", "status": "completed",
            "action": action, "pending_safety_checks": []}
    return HostedCall(item, client_side=True)


def shell(tool: dict[str, Any], prompt: str, ident: str, include: list[str]) -> HostedCall:
    """A ``shell_call`` with the commands the prompt asks for (``ls -la`` when it names none)."""
    quoted = re.findall(r"`([^`]+)`", prompt)
    commands = quoted or (["pytest -q"] if re.search(r"\btests?\b", prompt, re.I) else ["ls -la"])
    item = {"id": output_id("sh_", ident), "call_id": make_id("call_", ident), "type": "shell_call", "status": "completed",
            "action": {"commands": commands, "timeout_ms": 60000, "max_output_length": 4096}}
    if hosted_type(tool) == "local_shell":
        item = {"id": output_id("lsh_", ident), "call_id": make_id("call_", ident), "type": "local_shell_call", "status": "completed",
                "action": {"type": "exec", "command": commands[0].split(), "env": {}}}
    return HostedCall(item, client_side=True)


def apply_patch(tool: dict[str, Any], prompt: str, ident: str, include: list[str]) -> HostedCall:
    """An ``apply_patch_call`` on the file the prompt names (``README.md`` when it names none): created when the
    prompt asks to create or add it, deleted when it asks to delete or remove it, else updated."""
    paths = re.findall(r"[\w./-]+\.\w{1,5}\b", prompt)
    path = paths[0] if paths else "README.md"
    if _CREATES.search(prompt):  # a new file's diff is its lines, each after a "+" (the V4A create syntax)
        operation = {"type": "create_file", "path": path, "diff": f"+# {path.rsplit('/', 1)[-1]}\n+\n+{_query(prompt)[:80]}\n"}
    elif _DELETES.search(prompt):
        operation = {"type": "delete_file", "path": path}
    else:
        operation = {"type": "update_file", "path": path, "diff": "@@\n-TODO: describe the change\n+" + _query(prompt)[:80] + "\n"}
    item = {"id": output_id("apc_", ident), "call_id": make_id("call_", ident), "type": "apply_patch_call", "status": "completed",
            "operation": operation}
    return HostedCall(item, client_side=True)


# The verb must name the file ("Create tasks.md", "delete the file old/notes.txt"): "add a comment to app.py" edits.
_CREATES = re.compile(r"\b(?:create|add|write|make)\s+(?:(?:a|an|the)\s+)?(?:new\s+)?(?:file\s+)?[\w./-]+\.\w{1,5}\b"
                      r"|\bnew file\b", re.I)
_DELETES = re.compile(r"\b(?:delete|remove)\s+(?:the\s+)?(?:file\s+)?[\w./-]+\.\w{1,5}\b", re.I)


def hosted_type(tool: dict[str, Any]) -> str:
    """The tool's type with any date suffix dropped."""
    from .request import hosted_kind

    return hosted_kind(str(tool.get("type")))


BUILDERS: dict[str, Callable[..., HostedCall]] = {
    "web_search": web_search, "code_interpreter": code_interpreter,
    "image_generation": image_generation, "computer_use_preview": computer,
    "shell": shell, "local_shell": shell, "apply_patch": apply_patch,
}

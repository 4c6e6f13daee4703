"""A Responses request read once: its input as items, its tools split into functions and hosted tools."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Mapping

from mockapi.content.strict import violations
from mockapi.content.tools import ToolSpec
from mockapi.content.vision import url_tokens
from mockapi.core.json_memo import once_per_json_text
from mockapi.core.jsonutil import loads
from mockapi.core.tokenizer import count_tokens, count_value_tokens

# Hosted tools the server runs itself (a *_call item, then the model goes on and answers).
SERVER_TOOLS = ("web_search", "file_search", "code_interpreter", "image_generation")
# Hosted tools the client runs (a *_call item with a call_id, and the response stops there).
CLIENT_TOOLS = ("computer_use_preview", "shell", "local_shell", "apply_patch")
_TEXT_FORMAT: Mapping[str, Any] = {"type": "text"}  # the absent format (read, never changed)
OUTPUT_TYPES = ("function_call_output", "computer_call_output", "shell_call_output", "local_shell_call_output",
                "apply_patch_call_output", "custom_tool_call_output")


def hosted_kind(tool_type: str) -> str:
    """A hosted tool type without its version or preview suffix (``web_search_preview`` -> ``web_search``)."""
    if tool_type.startswith("web_search"):
        return "web_search"
    if tool_type.startswith("computer"):
        return "computer_use_preview"
    for kind in SERVER_TOOLS + CLIENT_TOOLS:
        if tool_type == kind or tool_type.startswith(kind + "_2"):
            return kind
    return tool_type


def text_of(content: Any) -> str:
    """The text of an item's content: a string, or the text of its text parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(str(p.get("text") or p.get("refusal") or "") for p in content
                         if isinstance(p, dict) and p.get("type") in ("input_text", "output_text", "text", "refusal"))
    return ""


def normalise(item: dict[str, Any]) -> dict[str, Any]:
    """An input item with its ``type`` spelled out (an easy message has none) and its null fields dropped.

    The server reads a null field as absent (``item.model_dump()`` of a replayed output item sends
    every unset field as null), so the item is stored and listed with the server's defaults instead.
    """
    item = {k: v for k, v in item.items() if v is not None}
    if "type" not in item and "role" in item:
        return {"type": "message", **item}
    return item


# Strict-mode gaps the server closes itself when it normalises a schema (every property required,
# additionalProperties false); any other violation makes it fall back to non-strict.
_NORMALISED = ("'additionalProperties' is required", "'required' is required")


def function_strict(tool: dict[str, Any]) -> bool:
    """Whether the server runs a Responses function tool in strict mode.

    As given; when ``strict`` is omitted, strict if the parameters can be normalised into strict mode:
    "If you omit strict ... Responses requests will attempt to normalize your schema into strict mode
    when possible, and will fall back to non-strict ... When fallback happens, the response tool will
    show strict: false." (function-calling guide, strict mode; quoted in 0xPlaygrounds/rig#2477).
    """
    if tool.get("strict") is not None:
        return bool(tool["strict"])
    parameters = tool.get("parameters")
    if parameters is None:
        return True  # no parameters: the empty object, which is strict as it stands
    return all(message.startswith(_NORMALISED) for _, message in violations(parameters, "parameters"))


def read_tools(tools: list[Any]) -> tuple[int, tuple[ToolSpec | None, ...]]:
    """The input tokens of a request's tool definitions, and each function or custom tool as the engine sees it
    (None for a hosted tool): a function tool with the strictness the server settles on."""
    if not tools:
        return 0, ()
    return _read_tools(tools)


@lru_cache(maxsize=256)
def _large_tools_json(tools_json: bytes) -> tuple[int, tuple[bool | None, ...]]:
    tools = loads(tools_json)
    return _tool_tokens(tools), tuple(function_strict(tool) if tool.get("type") == "function" else None for tool in tools)


def _read_large_tools(tools: list[Any], tools_json: bytes) -> tuple[int, tuple[ToolSpec | None, ...]]:
    """A tool set over 64 kB of JSON keeps only its token count and strictness cached (its specs would keep a parsed
    copy of it, several times its text, for as long); its specs are made per request."""
    tokens, strictness = _large_tools_json(tools_json)
    return tokens, tuple(_spec(tool, strict) for tool, strict in zip(tools, strictness))


# A client sends the same tools with every request: the specs (frozen) are shared by every request with these tools,
# each set with its own parsed copy of them that nothing writes to; what a spec reads from its parameters is read once.
@once_per_json_text(too_large=_read_large_tools)
def _read_tools(tools: list[Any]) -> tuple[int, tuple[ToolSpec | None, ...]]:
    return _tool_tokens(tools), tuple(_spec(tool) for tool in tools)


def _tool_tokens(tools: list[Any]) -> int:
    return sum(8 + count_value_tokens(tool) for tool in tools)


def _spec(tool: dict[str, Any], strict: bool | None = None) -> ToolSpec | None:
    """A function or custom tool as the engine sees it (``strict``: the function's settled strictness, if known)."""
    kind = tool.get("type")
    if kind == "function":
        strict = function_strict(tool) if strict is None else strict
        return ToolSpec(tool.get("name", ""), tool.get("description") or "", tool.get("parameters"), strict)
    if kind == "custom":  # a custom tool's `parameters` slot carries its input format (text or a grammar)
        return ToolSpec(tool.get("name", ""), tool.get("description") or "", tool.get("format"), False, "custom")
    return None


@dataclass
class ResponsesRequest:
    """The parts of a ``POST /responses`` body the engine reasons about."""

    body: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)
    functions: list[ToolSpec] = field(default_factory=list)
    hosted: list[dict[str, Any]] = field(default_factory=list)
    # The strictness the server settled on for each function tool, by its index in ``tools`` (read once:
    # settling an omitted ``strict`` walks the schema, and the response echoes it).
    strict_at: dict[int, bool] = field(default_factory=dict)
    tool_tokens: int = 0  # the input tokens of the tool definitions
    # Tool search (toolsearch.py): the tool_search tool, each deferred function's path (its namespace or its own
    # name), the definition a search loads for each path, and the namespace of each namespaced function.
    tool_search: dict[str, Any] | None = None
    deferred: dict[str, str] = field(default_factory=dict)
    searchable: dict[str, dict[str, Any]] = field(default_factory=dict)
    namespace_of: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, body: dict[str, Any]) -> "ResponsesRequest":
        """Read the input items and the tools of a validated body."""
        raw = body.get("input")
        if isinstance(raw, str):
            items = [{"type": "message", "role": "user", "content": raw}]
        else:
            items = [normalise(i) for i in raw or [] if isinstance(i, dict)]
        functions: list[ToolSpec] = []
        hosted: list[dict[str, Any]] = []
        strict_at: dict[int, bool] = {}
        tools = body.get("tools") or []
        tool_tokens, specs = read_tools(tools)
        request = cls(body, items, functions, hosted, strict_at, tool_tokens)
        for i, spec in enumerate(specs):
            tool = tools[i]
            if spec is None:
                if tool.get("type") == "namespace":
                    request._namespace(tool)
                elif tool.get("type") == "tool_search":
                    request.tool_search = tool
                else:
                    hosted.append(tool)
                continue
            if spec.kind == "function":
                strict_at[i] = spec.strict
            if tool.get("defer_loading"):
                request.deferred[spec.name], request.searchable[spec.name] = spec.name, tool
                # Called in a namespace of its own name: the wire shape of a deferred top-level function that the
                # openai-agents SDK reads (agents/_tool_identity.py, is_reserved_synthetic_tool_namespace).
                request.namespace_of[spec.name] = spec.name
            functions.append(spec)
        return request

    def _namespace(self, tool: dict[str, Any]) -> None:
        """A namespace's functions, callable under its name; deferred ones load with the whole namespace."""
        name = str(tool.get("name") or "")
        for inner in tool.get("tools") or []:
            spec = _spec(inner) if isinstance(inner, dict) else None
            if spec is None:
                continue
            self.functions.append(spec)
            self.namespace_of[spec.name] = name
            if inner.get("defer_loading"):
                self.deferred[spec.name], self.searchable[name] = name, tool

    @property
    def model(self) -> str:
        """The model id asked for."""
        return str(self.body.get("model") or "")

    def tool_choice(self) -> Any:
        """``none``/``auto``/``required``, a forced function's name, or ``("hosted", kind)``."""
        choice = self.body.get("tool_choice")
        if isinstance(choice, dict):
            kind = choice.get("type")
            if kind in ("function", "custom"):
                return choice.get("name")
            if kind == "allowed_tools":
                return choice.get("mode", "auto")
            return ("hosted", hosted_kind(str(kind)))
        return choice or ("auto" if self.functions or self.hosted else "none")

    def allowed(self, tool: ToolSpec | dict[str, Any]) -> bool:
        """Whether ``tool_choice.allowed_tools`` (when given) lets the model call ``tool``."""
        choice = self.body.get("tool_choice")
        if not (isinstance(choice, dict) and choice.get("type") == "allowed_tools"):
            return True
        listed = [t for t in choice.get("tools") or [] if isinstance(t, dict)]
        if isinstance(tool, ToolSpec):
            return any(t.get("type") == tool.kind and t.get("name") == tool.name for t in listed)
        return any(hosted_kind(str(t.get("type"))) == hosted_kind(str(tool.get("type"))) for t in listed)

    def text_format(self) -> dict[str, Any]:
        """``text.format`` (``{"type": "text"}`` when absent), a copy the response can keep."""
        return dict(self.format_spec())

    def format_spec(self) -> Mapping[str, Any]:
        """``text.format`` as sent (``{"type": "text"}`` when absent), only to read: no copy is made."""
        return ((self.body.get("text") or {}).get("format")) or _TEXT_FORMAT

    def hosted_tool(self, kind: str) -> dict[str, Any] | None:
        """The request's hosted tool of ``kind``, if offered."""
        return next((t for t in self.hosted if hosted_kind(str(t.get("type"))) == kind), None)

    def instruction_texts(self) -> list[str]:
        """``instructions`` and the text of every system and developer message, in order."""
        found = [self.body["instructions"]] if isinstance(self.body.get("instructions"), str) else []
        return found + [text_of(i.get("content")) for i in self.items
                        if i.get("type") == "message" and i.get("role") in ("system", "developer")]

    def trailing_outputs(self) -> list[dict[str, Any]]:
        """Tool outputs at the end of this turn's input (the follow-up of a tool loop)."""
        if not self.items or self.items[-1].get("type") not in OUTPUT_TYPES:
            return []  # most turns end with a message
        found: list[dict[str, Any]] = []
        items = self.items
        for index in range(len(items) - 1, -1, -1):  # not reversed(): mypyc 2.4 fails to compile it here
            item = items[index]
            if item.get("type") not in OUTPUT_TYPES:
                break
            found.append(item)
        return list(reversed(found))


def user_turns(items: list[dict[str, Any]]) -> list[str]:
    """The text of every user message among ``items``, in order."""
    return [text_of(i.get("content")) for i in items if i.get("type") == "message" and i.get("role") == "user"]


def output_text(item: dict[str, Any]) -> str:
    """A tool output item's output as text."""
    output = item.get("output")
    if isinstance(output, str):
        return output
    if isinstance(output, list):
        return text_of(output)
    return "" if output is None else str(output)


def item_tokens(items: list[dict[str, Any]], ends: list[int] | None = None) -> int:
    """Input tokens of items: per-item overhead, text, images and everything else a tool carried.

    ``ends``: given, gets the running count at the end of each content part and of each item, in order (where the
    prompt cache, caching.py, cuts prefixes).
    """
    total = 0
    for item in items:
        total += 4
        content = item.get("content")
        if isinstance(content, str):
            total += count_tokens(content)
        elif isinstance(content, list):
            for part in content:
                if not isinstance(part, dict):
                    continue
                if part.get("type") == "input_image":
                    total += url_tokens(part.get("image_url") or "", part.get("detail") or "auto")
                elif isinstance(part.get("text"), str):
                    total += count_tokens(part["text"])
                else:
                    total += 50
                if ends is not None:
                    ends.append(total)
        else:
            total += count_value_tokens({k: v for k, v in item.items() if k not in ("id", "type", "status", "call_id")})
        if ends is not None:
            ends.append(total)
    return total

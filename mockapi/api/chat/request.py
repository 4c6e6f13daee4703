"""A chat request read once into the facts the rest of the engine needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

from mockapi.content.tools import ToolSpec
from mockapi.content.vision import url_tokens
from mockapi.core.json_memo import once_per_json_text
from mockapi.core.tokenizer import count_tokens, count_value_tokens


def text_of(content: Any) -> str:
    """The text of a message's content (a string or a list of parts)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p.get("text", "") or p.get("refusal", "") for p in content if isinstance(p, dict) and isinstance(p.get("text", p.get("refusal", "")), str))
    return ""


@dataclass
class ChatRequest:
    """The parts of a chat body the engine reasons about."""

    body: dict[str, Any]
    tools: list[ToolSpec] = field(default_factory=list)
    legacy_functions: bool = False

    @classmethod
    def parse(cls, body: dict[str, Any]) -> "ChatRequest":
        """Read tools (or legacy functions) from a validated body."""
        tools, legacy, tool_tokens = read_tools(body.get("tools"), body.get("functions"))
        request = cls(body, list(tools), legacy)
        request._tool_tokens = tool_tokens
        return request

    # Read by the rules, the reply, the overrides and the usage: worked out once per request, on first use.
    # (Plain attributes, not functools.cached_property: in Python 3.11 it takes a lock on every first access.)
    _messages: list[dict[str, Any]] | None = field(default=None, repr=False, compare=False)
    _turns: tuple[str, ...] | None = field(default=None, repr=False, compare=False)
    _prompt: int | None = field(default=None, repr=False, compare=False)
    _tool_tokens: int | None = field(default=None, repr=False, compare=False)
    _ends: list[int] = field(default_factory=list, repr=False, compare=False)

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The conversation."""
        if self._messages is None:
            self._messages = list(self.body.get("messages") or [])
        return self._messages

    def user_turns(self) -> list[str]:
        """The text of every user message, in order."""
        return list(self._user_turns)

    @property
    def _user_turns(self) -> tuple[str, ...]:
        if self._turns is None:
            self._turns = tuple(text_of(m.get("content")) for m in self.messages if m.get("role") == "user")
        return self._turns

    def speakers(self) -> list[tuple[str | None, str]]:
        """(the ``name`` a message gives its speaker, or None; its text) for each user and assistant message up to the last user one."""
        turns = [(str(m["name"]) if m.get("name") else None, text_of(m.get("content")), m.get("role") == "user")
                 for m in self.messages if m.get("role") in ("user", "assistant")]
        while turns and not turns[-1][2]:
            turns.pop()  # an assistant turn after the question (a prefill) is not part of what was said before it
        return [(name, text) for name, text, _ in turns]

    def instruction_texts(self) -> list[str]:
        """The text of every system and developer message, in order."""
        return [text_of(m.get("content")) for m in self.messages if m.get("role") in ("system", "developer")]

    def last_user_text(self) -> str:
        """The last user message's text."""
        turns = self._user_turns
        return turns[-1] if turns else ""

    def trailing_tool_results(self) -> list[str]:
        """Tool results that come after the last assistant turn (the follow-up of a tool loop)."""
        results: list[str] = []
        messages: list[Any] = self.messages
        for index in range(len(messages) - 1, -1, -1):  # not reversed(): mypyc 2.4 fails to compile it here
            message = messages[index]
            if message.get("role") in ("tool", "function"):
                results.append(text_of(message.get("content")))
            else:
                break
        return list(reversed(results))

    def trailing_tool_names(self) -> set[str]:
        """The names of the calls the trailing tool results answer (empty when they can't be matched)."""
        answered = {m.get("tool_call_id") for m in self.messages[len(self.messages) - len(self.trailing_tool_results()):]}
        calls = [c for m in self.messages if m.get("role") == "assistant" for c in m.get("tool_calls") or []]
        return {str((c.get("function") or c.get("custom") or {}).get("name")) for c in calls
                if isinstance(c, dict) and c.get("id") in answered}

    def tool_choice(self) -> Any:
        """``none``/``auto``/``required``, or the forced function's name."""
        choice = self.body.get("tool_choice")
        if self.legacy_functions:
            choice = self.body.get("function_call")
            if isinstance(choice, dict):
                return choice.get("name")
        if isinstance(choice, dict):
            inner = choice.get("function") or choice.get("custom") or {}
            if choice.get("type") == "allowed_tools":
                return (choice.get("allowed_tools") or {}).get("mode", "auto")
            return inner.get("name")
        return choice or ("auto" if self.tools else "none")

    def choosable_tools(self) -> list[ToolSpec]:
        """The tools the model may call: all of them, or those ``tool_choice.allowed_tools`` lists."""
        choice = self.body.get("tool_choice")
        if not (isinstance(choice, dict) and choice.get("type") == "allowed_tools"):
            return self.tools
        allowed = {(t.get("type"), (t.get(t.get("type")) or {}).get("name")) for t in (choice.get("allowed_tools") or {}).get("tools") or [] if isinstance(t, dict)}
        return [t for t in self.tools if (t.kind, t.name) in allowed]

    def images(self) -> list[tuple[str, str, str]]:
        """Every image part as (param path, url, detail)."""
        found = []
        for i, message in enumerate(self.messages):
            content = message.get("content")
            if isinstance(content, list):
                for j, part in enumerate(content):
                    if isinstance(part, dict) and part.get("type") == "image_url":
                        image = part.get("image_url") or {}
                        found.append((f"messages[{i}].content[{j}]", image.get("url", ""), image.get("detail") or "auto"))
        return found

    def prompt_tokens(self) -> int:
        """Prompt tokens: per-message overhead, text, images and tool definitions."""
        if self._prompt is None:
            self._prompt = self._count_prompt_tokens()
        return self._prompt

    def prompt_ends(self) -> list[int]:
        """The running prompt tokens at the end of each content part and of each message, in order (tools not
        counted): where the prompt cache (caching.py) cuts prefixes, so that they add up to the usage."""
        self.prompt_tokens()
        return self._ends

    def _count_prompt_tokens(self) -> int:
        total = 3
        ends = self._ends
        for message in self.messages:
            total += 3
            content = message.get("content")
            if isinstance(content, list):
                for part in content:
                    if not isinstance(part, dict):
                        continue
                    if part.get("type") == "image_url":
                        image = part.get("image_url") or {}
                        total += url_tokens(image.get("url", ""), image.get("detail") or "auto")
                    elif isinstance(part.get("text"), str):
                        total += count_tokens(part["text"])
                    else:
                        total += 50
                    ends.append(total)
            elif isinstance(content, str):
                total += count_tokens(content)
            if message.get("name"):
                total += 1 + count_tokens(str(message["name"]))
            for call in message.get("tool_calls") or []:
                total += count_value_tokens(call)
            ends.append(total)
        if self.tools:
            total += self._tool_tokens if self._tool_tokens is not None else _tool_tokens(self.tools)
        return total


def read_tools(tools: Any, functions: Any) -> tuple[tuple[ToolSpec, ...], bool, int]:
    """A body's tools (or legacy functions) as specs, whether they are legacy functions, and their prompt tokens."""
    if not tools and not functions:
        return (), False, 0
    return _read_tools([tools or None, functions or None])


# A client sends the same tools with every request: a tool list is read once per JSON text (up to 64 kB), and its
# specs (frozen, each keeping what it reads from its parameters) are shared by every request that sends it.
@once_per_json_text()
def _read_tools(tools_and_functions: list[Any]) -> tuple[tuple[ToolSpec, ...], bool, int]:
    tools, functions = tools_and_functions
    specs: list[ToolSpec] = []
    legacy = False
    for tool in tools or []:
        if tool.get("type") == "function" and isinstance(tool.get("function"), dict):
            fn = tool["function"]
            specs.append(ToolSpec(fn.get("name", ""), fn.get("description") or "", fn.get("parameters"), bool(fn.get("strict"))))
        elif tool.get("type") == "custom" and isinstance(tool.get("custom"), dict):
            custom = tool["custom"]
            # A custom tool's `parameters` slot carries its input format (text or a grammar).
            specs.append(ToolSpec(custom.get("name", ""), custom.get("description") or "", custom.get("format"), False, "custom"))
    if not specs and functions:
        legacy = True
        for fn in functions:
            specs.append(ToolSpec(fn.get("name", ""), fn.get("description") or "", fn.get("parameters")))
    return tuple(specs), legacy, _tool_tokens(specs) if specs else 0


def _tool_tokens(tools: Sequence[ToolSpec]) -> int:
    """The prompt tokens of tool definitions."""
    return 10 + sum(count_tokens(t.name) + count_tokens(t.description) + count_value_tokens(t.parameters) for t in tools)

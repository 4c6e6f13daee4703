"""Canned replies: fixture files loaded at start, and replies queued at run time.

A fixture file (YAML or JSON) holds a list of rules, or ``{"replies": [...]}``::

    - match: {model: gpt-4o, message: "(?i)weather", tools: [get_weather]}
      reply: {content: "Sunny.", finish_reason: stop}

``match`` keys are all optional: ``model`` (exact id or regex), ``message`` (a regex searched in
the last user message), ``tools`` (names that must all be offered), ``path`` (operation path).
``reply`` keys: ``content``, ``tool_calls`` ([{name, arguments}]), ``refusal``, ``finish_reason``.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import yaml

from .config import ConfigError, describe_read_error

_MATCH_KEYS = {"model", "message", "tools", "path"}
_REPLY_KEYS = {"content", "tool_calls", "refusal", "finish_reason", "status", "error", "fault"}


@dataclass
class Rule:
    """One canned reply and the requests it answers."""

    match: Mapping[str, Any]
    reply: Mapping[str, Any]
    times: int | None = None  # None: forever (fixtures); n: the next n matches (queued)
    source: str = ""
    _message: re.Pattern[str] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        unknown = set(self.match) - _MATCH_KEYS
        if unknown:
            raise ConfigError(f"{self.source}: unknown match keys {sorted(unknown)}; use {sorted(_MATCH_KEYS)}")
        unknown = set(self.reply) - _REPLY_KEYS
        if unknown:
            raise ConfigError(f"{self.source}: unknown reply keys {sorted(unknown)}; use {sorted(_REPLY_KEYS)}")
        problem = _shape_problem(self.match, self.reply)
        if problem:
            raise ConfigError(f"{self.source}: {problem}")
        try:
            self._message = re.compile(self.match["message"]) if self.match.get("message") else None
            if self.match.get("model"):
                re.compile(self.match["model"])
        except re.error as exc:
            raise ConfigError(f"{self.source}: bad regex: {exc}") from exc

    def matches(self, path: str, model: str | None, last_user: str, tools: Iterable[str]) -> bool:
        """Whether this rule answers a request with these traits."""
        m = self.match
        if m.get("path") and m["path"] != path:
            return False
        if m.get("model") and model is not None and not (m["model"] == model or re.fullmatch(m["model"], model)):
            return False
        if m.get("model") and model is None:
            return False
        if self._message is not None and not self._message.search(last_user or ""):
            return False
        if m.get("tools") and not set(m["tools"]) <= set(tools):
            return False
        return True


def _shape_problem(match: Mapping[str, Any], reply: Mapping[str, Any]) -> str | None:
    """What is wrong with a rule's value types (a wrong type would fail only when a request matched)."""
    for key in ("model", "message", "path"):
        if match.get(key) is not None and not isinstance(match[key], str):
            return f"match.{key} must be a string, not {match[key]!r}"
    tools = match.get("tools")
    if tools is not None and not (isinstance(tools, list) and all(isinstance(t, str) for t in tools)):
        return f"match.tools must be a list of tool names, not {tools!r}"
    for key in ("refusal", "finish_reason"):
        if reply.get(key) is not None and not isinstance(reply[key], str):
            return f"reply.{key} must be a string, not {reply[key]!r}"
    calls = reply.get("tool_calls")
    if calls is not None and not (isinstance(calls, list) and all(isinstance(c, dict) and isinstance(c.get("name", ""), str) for c in calls)):
        return "reply.tool_calls must be a list of {name, arguments} mappings"
    status = reply.get("status")
    if status is not None and (isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 599):
        return f"reply.status must be an HTTP status code, not {status!r}"
    error = reply.get("error")
    if error is not None and not isinstance(error, dict):
        return f"reply.error must be a mapping such as {{message: ...}}, not {error!r}"
    return None


class Overrides:
    """Fixture rules (permanent) and queued rules (consumed first, in order)."""

    def __init__(self, rules: list[Rule] | None = None) -> None:
        self.rules = list(rules or [])
        self.queued: list[Rule] = []
        self._lock = threading.Lock()

    @classmethod
    def load(cls, directories: Iterable[str | Path]) -> "Overrides":
        """Load every ``*.yaml``/``*.yml``/``*.json`` file under the given directories (or files); fail loudly."""
        rules: list[Rule] = []
        for directory in directories:
            root = Path(directory)
            if root.is_file():  # one fixture file (the pytest marker's ``fixtures="path"``)
                rules.extend(_load_file(root))
                continue
            if not root.is_dir():
                raise ConfigError(f"{root}: fixtures directory does not exist")
            for path in sorted(p for p in root.rglob("*") if p.suffix in (".yaml", ".yml", ".json")):
                rules.extend(_load_file(path))
        return cls(rules)

    def queue(self, match: Mapping[str, Any], reply: Mapping[str, Any], times: int = 1) -> Rule:
        """Answer the next ``times`` matching requests with ``reply``."""
        rule = Rule(dict(match), dict(reply), times=times, source="queue")
        with self._lock:
            self.queued.append(rule)
        return rule

    def clear_queue(self) -> None:
        """Forget every queued reply."""
        with self._lock:
            self.queued.clear()

    def find(self, path: str, model: str | None, last_user: str, tools: Iterable[str]) -> Mapping[str, Any] | None:
        """The reply for a request: a queued one first (consuming it), then a fixture."""
        if not self.queued and not self.rules:
            return None  # most engines have no canned replies: no lock to take per request
        tools = list(tools)
        with self._lock:
            for rule in self.queued:
                if rule.matches(path, model, last_user, tools):
                    rule.times = (rule.times or 1) - 1
                    if rule.times <= 0:
                        self.queued.remove(rule)
                    return rule.reply
        for rule in self.rules:
            if rule.matches(path, model, last_user, tools):
                return rule.reply
        return None


def _load_file(path: Path) -> list[Rule]:
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, ValueError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: {describe_read_error(exc)}") from None
    if isinstance(data, dict):
        data = data.get("replies")
    if not isinstance(data, list):
        raise ConfigError(f"{path}: expected a list of rules (or a mapping with `replies:`)")
    rules = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("reply"), dict):
            raise ConfigError(f"{path}: rule {i} needs a `reply` mapping")
        rules.append(Rule(item.get("match") or {}, item["reply"], source=f"{path}: rule {i}"))
    return rules

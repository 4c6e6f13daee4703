"""``{{item.field}}`` and ``{{sample.output_text}}`` references, filled in as the evals service does."""

from __future__ import annotations

import json
import re
from typing import Any

_REFERENCE = re.compile(r"\{\{\s*([A-Za-z_][\w]*(?:\.[\w]+)*)\s*\}\}")


def lookup(path: str, namespaces: dict[str, Any]) -> Any:
    """The value at a dotted path (``item.answer``), or None."""
    value: Any = namespaces
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def render(text: Any, namespaces: dict[str, Any]) -> str:
    """A template string with every reference replaced by its value's text."""
    if not isinstance(text, str):
        return _text(text)
    return _REFERENCE.sub(lambda m: _text(lookup(m.group(1), namespaces)), text)


def content_text(content: Any, namespaces: dict[str, Any]) -> str:
    """A message's content (a string, a content part or a list of them) rendered to text."""
    if isinstance(content, list):
        return "\n".join(content_text(part, namespaces) for part in content)
    if isinstance(content, dict):
        return render(content.get("text") or content.get("image_url") or "", namespaces)
    return render(content, namespaces)


def messages(template: list[dict[str, Any]], namespaces: dict[str, Any]) -> list[dict[str, str]]:
    """Chat messages from an ``input_messages`` template (plain or ``type: message`` items)."""
    return [{"role": m.get("role", "user"), "content": content_text(m.get("content"), namespaces)} for m in template]

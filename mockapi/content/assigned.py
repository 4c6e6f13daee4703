"""A value a prompt assigns to a property by name ("for sku='sku-42'", "customer_name: \"Acme\""), as its type."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1024)  # a property name's pattern, built once
def _assignment(name: str) -> re.Pattern[str]:
    """``name='value'``, ``name: "value"``, ``name=value``: how a prompt spells out one argument."""
    quoted = r"""'([^'\n]*)'|"([^"\n]*)"|`([^`\n]*)`|“([^”\n]*)”|‘([^’\n]*)’|「([^」\n]*)」|『([^』\n]*)』"""
    return re.compile(rf"(?<![\w-]){re.escape(name)}\s*(?:=\s*(?:{quoted}|([\w.@:/+-]+))|:\s*(?:{quoted}))", re.I)


def assigned(prompt: str, name: str) -> str | None:
    """The value ``prompt`` assigns to the property ``name``, if it writes one out."""
    if ("=" not in prompt and ":" not in prompt) or (name not in prompt and name.lower() not in prompt.lower()):
        return None  # most prompts assign nothing, or name no property: no pattern to build or run
    match = _assignment(name).search(prompt)
    return next((g for g in match.groups() if g is not None), None) if match else None


def typed(text: str, kind: Any) -> Any:
    """An assigned value's text as the property's type, or None when it is not one."""
    if kind in ("string", None):
        return text
    if kind in ("integer", "number"):
        try:
            number = float(text)
        except ValueError:
            return None
        if kind == "integer":
            return int(number) if number == int(number) else None
        return int(number) if number == int(number) and "." not in text else number
    if kind == "boolean" and text.lower() in ("true", "false"):
        return text.lower() == "true"
    return None

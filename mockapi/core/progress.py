"""When a pending object (run, vector store file, batch) moves on: immediately, after N polls, or after T seconds.

The rule comes from the ``x-mockapi-progress`` request header, else ``Settings.extra["progress"]``,
else ``immediate``; it is fixed on the object when it is created, so every worker applies the same one.
"""

from __future__ import annotations

from typing import Any

from .errors import InvalidRequestError

HEADER = "x-mockapi-progress"
POLL_AFTER_MS = "20"  # what `openai-poll-after-ms` says, so the SDK's poll helpers stay fast


def rule_for(call: Any) -> str:
    """The progress rule for objects this call creates, checked."""
    text = call.request.headers.get(HEADER) or str(call.settings.extra.get("progress", "immediate"))
    parse(text)
    return text


def parse(text: str) -> tuple[str, float]:
    """``immediate`` | ``polls:N`` | ``seconds:T`` as (kind, amount)."""
    kind, _, amount = text.partition(":")
    try:
        if kind == "immediate" and not amount:
            return kind, 0.0
        if kind in ("polls", "seconds") and float(amount) >= 0:
            return kind, float(amount)
    except ValueError:
        pass
    raise InvalidRequestError(f"{HEADER} must be 'immediate', 'polls:N' or 'seconds:T', not {text!r}", param=None)


def due(rule: str, polls: int, since: float, now: float) -> bool:
    """Whether an object pending since ``since`` and polled ``polls`` times moves on now."""
    kind, amount = parse(rule)
    if kind == "immediate":
        return True
    if kind == "polls":
        return polls >= amount
    return now - since >= amount

"""Helpers shared by the traffic tests (rate limits, faults, journal, control plane, inspector)."""

from __future__ import annotations

from typing import Any

import openai

from mockapi.control import Client
from mockapi.traffic.journal import Entry

API_KEY = "sk-test-0123456789"


def control(mock: Any) -> Client:
    """The control-plane client for a ``mock`` fixture: over HTTP when live, straight in otherwise."""
    return Client(mock.base_url) if mock.mode == "live" else Client(engine=mock.engine)


def last_seq(mock: Any) -> int:
    """The newest journal sequence number (entries after it belong to the current test)."""
    newest = mock.engine.traffic.journal.query(limit=1)
    return newest[0].seq if newest else 0


def entries_since(mock: Any, seq: int, path: str | None = None) -> list[Entry]:
    """Journal entries after ``seq``, oldest first."""
    return list(reversed(mock.engine.traffic.journal.query(since=seq, path=path, limit=10_000)))


def with_retries(mock: Any, retries: int, **options: Any) -> openai.OpenAI:
    """The fixture's client with another retry budget (and any other option)."""
    return mock.client.with_options(max_retries=retries, **options)


def chat(client: openai.OpenAI, text: str = "hello", **kwargs: Any) -> Any:
    """One small chat completion."""
    return client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}], **kwargs)

"""Shared helpers of the record/replay tests: an upstream mock on 127.0.0.1 and engines that record or replay it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openai
from conftest import API_KEY, inprocess_clients, make_engine

from mockapi.core.engine import Engine
from mockapi.doors.live import LiveServer
from mockapi.recording import RecordingOptions

UPSTREAM_SEED = 7  # the upstream says other things than the recording mock (seed 0) would


def start_upstream() -> LiveServer:
    """A second mock, with another seed, serving as the 'real API'."""
    return LiveServer(make_engine(seed=UPSTREAM_SEED)).start()


def recording_engine(directory: Path, mode: str = "record", upstream: str | None = None, **options: Any) -> Engine:
    """An engine recording to (or replaying from) ``directory``."""
    recording = RecordingOptions(str(directory), mode=mode, upstream=upstream, **options).to_mapping()
    return make_engine(extra={"recording": recording})


def client_of(engine: Engine, **kwargs: Any) -> openai.OpenAI:
    """A real SDK client whose transport is ``engine`` (no retries: a test sees every answer)."""
    return inprocess_clients(engine, max_retries=0, **kwargs)[0]


def upstream_requests(server: LiveServer) -> int:
    """How many API requests the upstream answered."""
    return len(server.engine.traffic.journal)


def files_text(directory: Path) -> str:
    """Every file the recording wrote, as one text (binary files decoded loosely)."""
    return "\n".join(p.read_bytes().decode("utf-8", errors="replace") for p in sorted(directory.rglob("*")) if p.is_file())


def dump(value: Any) -> Any:
    """An SDK object as plain JSON data."""
    return value.model_dump(mode="json") if hasattr(value, "model_dump") else value


__all__ = ["API_KEY", "client_of", "dump", "files_text", "recording_engine", "start_upstream", "upstream_requests"]

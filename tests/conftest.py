"""Shared fixtures: every behaviour test runs twice, in-process and against a live server."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import httpx2
import openai
import pytest

from mockapi.assembly import build_engine
from mockapi.contract import load_contract
from mockapi.core.clock import Clock
from mockapi.core.config import Settings
from mockapi.core.engine import Engine
from mockapi.core.store import MemoryStore
from mockapi.doors.live import LiveServer
from mockapi.doors.transport import transports

API_KEY = "sk-test-0123456789"
FROZEN_AT = 1_750_000_000.0


@dataclass
class Mock:
    """One way of reaching the mock, with SDK clients pointed at it."""

    mode: str
    engine: Engine
    base_url: str
    client: openai.OpenAI
    async_client: openai.AsyncOpenAI

    def validate(self, operation_id: str, body: Any, *, stream: bool = False) -> None:
        """Assert that a response body (or one stream event) conforms to the contract."""
        if hasattr(body, "model_dump"):
            body = body.model_dump(mode="json", exclude_unset=True, by_alias=True)
        errors = load_contract().response_errors(operation_id, body, stream=stream)
        assert not errors, f"{operation_id} response breaks the contract: {errors}"


def make_engine(**settings: Any) -> Engine:
    """An engine with a frozen clock and a fresh store."""
    return build_engine(Settings(**settings), store=MemoryStore(), clock=Clock(frozen_at=FROZEN_AT))


@pytest.fixture(scope="session")
def _live_engine() -> Engine:
    return make_engine()


@pytest.fixture(scope="session")
def _live_server(_live_engine: Engine) -> Iterator[LiveServer]:
    with LiveServer(_live_engine) as server:
        yield server


def inprocess_clients(engine: Engine, base_url: str = "https://api.openai.com/v1", **kwargs: Any) -> tuple[openai.OpenAI, openai.AsyncOpenAI]:
    """SDK clients whose httpx2 transport is the engine itself."""
    sync_t, async_t = transports("httpx2")
    client = openai.OpenAI(api_key=API_KEY, base_url=base_url, http_client=httpx2.Client(transport=sync_t(engine)), **kwargs)
    aclient = openai.AsyncOpenAI(api_key=API_KEY, base_url=base_url,
                                 http_client=httpx2.AsyncClient(transport=async_t(engine)), **kwargs)
    return client, aclient


@pytest.fixture
def live(request: pytest.FixtureRequest) -> Iterator[Mock]:
    """The live server alone (the WebSocket doors, which no httpx transport reaches), reset, with SDK clients."""
    server: LiveServer = request.getfixturevalue("_live_server")
    engine = server.engine
    engine.reset()
    engine.clock.freeze(FROZEN_AT)
    client = openai.OpenAI(api_key=API_KEY, base_url=server.base_url, max_retries=0)
    aclient = openai.AsyncOpenAI(api_key=API_KEY, base_url=server.base_url, max_retries=0)
    yield Mock("live", engine, server.base_url, client, aclient)


@pytest.fixture(scope="module")
def default_server() -> Iterator[LiveServer]:
    """A live mock of its own with default settings (level faithful, a running clock), for other projects' code."""
    with LiveServer(build_engine(store=MemoryStore())) as server:
        yield server


@pytest.fixture(params=["inprocess", "live"])
def mock(request: pytest.FixtureRequest) -> Iterator[Mock]:
    """The mock in both modes, with state reset and the clock frozen for each test."""
    if request.param == "inprocess":
        engine = make_engine()
        client, aclient = inprocess_clients(engine, max_retries=0)
        yield Mock("inprocess", engine, "https://api.openai.com/v1", client, aclient)
        return
    server: LiveServer = request.getfixturevalue("_live_server")
    engine = server.engine
    engine.reset()
    engine.seed = engine.settings.seed
    engine.clock.freeze(FROZEN_AT)
    client = openai.OpenAI(api_key=API_KEY, base_url=server.base_url, max_retries=0)
    aclient = openai.AsyncOpenAI(api_key=API_KEY, base_url=server.base_url, max_retries=0)
    yield Mock("live", engine, server.base_url, client, aclient)
    client.close()

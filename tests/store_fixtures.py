"""Fixtures shared by the store tests: a private redis-server per module, and each Store implementation."""

from __future__ import annotations

from typing import Iterator

import pytest
from services import redis_server

from mockapi.core.store import MemoryStore, open_store


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A private redis-server on a free loopback port for the module that uses it."""
    yield from redis_server(tmp_path_factory)


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest):  # noqa: ANN201
    """Each store implementation, empty."""
    if request.param == "memory":
        yield MemoryStore()
        return
    made = open_store(request.getfixturevalue("redis_url"))
    made.reset()
    yield made
    made.close()

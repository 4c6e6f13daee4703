"""A mock with configured keys (organizations, projects, an admin token), in-process and live, for the tenancy tests."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, Iterator

import httpx2
import openai
import pytest
from conftest import FROZEN_AT, make_engine

from mockapi.control import Client
from mockapi.core.config import KeyInfo
from mockapi.core.engine import Engine
from mockapi.doors.live import LiveServer
from mockapi.doors.transport import transports

KEY_A = "sk-team-a-000000000000000000000001"  # org-a (default) and org-b
KEY_A2 = "sk-team-a2-00000000000000000000002"  # org-a only: a colleague of KEY_A
KEY_C = "sk-team-c-000000000000000000000003"  # org-c, projects proj_c1 (default) and proj_c2
KEY_LONE = "sk-lone-0000000000000000000000004"  # configured with nothing: its own tenant
ADMIN_TOKEN = "admin-token-for-tests-0123456789"
KEYS = {
    KEY_A: KeyInfo(organizations=("org-a", "org-b")),
    KEY_A2: KeyInfo(organization="org-a"),
    KEY_C: KeyInfo(organization="org-c", projects=("proj_c1", "proj_c2")),
    KEY_LONE: KeyInfo(),
}


@dataclass
class Keyed:
    """The keyed mock reached one way: SDK clients and control clients for any key."""

    mode: str
    engine: Engine
    base_url: str

    def client(self, key: str, organization: str | None = None, project: str | None = None) -> openai.OpenAI:
        """An SDK client for ``key`` (sending the organization/project headers when given)."""
        options: dict[str, Any] = {"api_key": key, "organization": organization, "project": project, "max_retries": 0}
        if self.mode == "live":
            return openai.OpenAI(base_url=self.base_url, **options)
        sync_t, _ = transports("httpx2")
        return openai.OpenAI(base_url=self.base_url, http_client=httpx2.Client(transport=sync_t(self.engine)), **options)

    def control(self, key: str | None = None, token: str | None = None, **headers: Any) -> Client:
        """A control-plane client acting with an API key (its tenant), the admin token, or nothing."""
        where: dict[str, Any] = {"engine": self.engine} if self.mode == "inprocess" else {}
        base = self.base_url if self.mode == "live" else None
        return Client(base, token=token, api_key=key, **headers, **where)

    def tenant(self, key: str, organization: str | None = None, project: str | None = None) -> str:
        """The tenant a key acts as with these headers."""
        headers = {"authorization": f"Bearer {key}", "openai-organization": organization, "openai-project": project}
        return self.engine.authenticate({k: v for k, v in headers.items() if v})[0]


def keyed_engine() -> Engine:
    """An engine that accepts only :data:`KEYS` and has an admin token."""
    return make_engine(keys=KEYS, admin_token=ADMIN_TOKEN)


@pytest.fixture(scope="module")
def _keyed_server() -> Iterator[LiveServer]:
    with LiveServer(keyed_engine()) as server:
        yield server


@pytest.fixture(params=["inprocess", "live"])
def keyed(request: pytest.FixtureRequest) -> Iterator[Keyed]:
    """The keyed mock in both modes, with a clean state."""
    if request.param == "inprocess":
        yield Keyed("inprocess", keyed_engine(), "https://api.openai.com/v1")
        return
    server: LiveServer = request.getfixturevalue("_keyed_server")
    server.engine.reset()
    server.engine.clock.freeze(FROZEN_AT)
    yield Keyed("live", server.engine, server.base_url)


def upload(client: openai.OpenAI, name: str = "notes.txt", data: bytes = b"tenant data") -> Any:
    """Upload a small file (the object the issue's bypass read, listed and deleted)."""
    return client.files.create(file=(name, io.BytesIO(data)), purpose="assistants")

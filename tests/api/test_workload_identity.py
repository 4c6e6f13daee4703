"""Workload identity (``OpenAI(workload_identity=...)``, the SDK README's "Workload identity" section).

The SDK exchanges its subject token at ``https://auth.openai.com/oauth/token`` with a client of its own, so
in-process the plugin's interception must serve that host too; a live server answers the same path at its
root (the live test points the SDK's exchange there).
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx2
import openai
import pytest
from conftest import FROZEN_AT

from mockapi.doors.live import LiveServer
from mockapi.testing.mocking import Options
from mockapi.testing.session import MockSession, inprocess

IDENTITY = {"identity_provider_id": "idp-123", "service_account_id": "sa-456",
            "provider": {"token_type": "jwt", "get_token": lambda: "eyJhbGciOi.subject.token"}}
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello from a workload."}]}


@pytest.fixture
def session() -> Iterator[MockSession]:
    """The plugin's in-process mode, as a test using the ``mockapi`` fixture gets it."""
    with inprocess(Options()) as mock:
        yield mock


def _exchanges(session: MockSession) -> int:
    return session.engine.store.incr("_oauth:issued", 0, 1.0)


def test_a_workload_identity_client_works_in_process(session: MockSession) -> None:
    client = openai.OpenAI(workload_identity=IDENTITY, max_retries=0)
    done = client.chat.completions.create(**CHAT)
    assert done.choices[0].message.content
    uploaded = client.files.create(file=("a.jsonl", b'{"a": 1}\n'), purpose="batch")
    assert client.files.retrieve(uploaded.id).id == uploaded.id
    assert _exchanges(session) == 1  # one exchange, its token cached by the SDK
    sent = session.calls.last.headers["authorization"]
    assert "oat_" not in sent  # the journal shows the issued token redacted, as it shows keys


def test_an_expired_token_is_refused_and_the_sdk_exchanges_again_keeping_its_state(session: MockSession) -> None:
    client = openai.OpenAI(workload_identity=IDENTITY, max_retries=0)
    uploaded = client.files.create(file=("a.jsonl", b'{"a": 1}\n'), purpose="batch")
    session.engine.clock.freeze(FROZEN_AT + 3601)  # past the token's expires_in by the mock's clock
    assert client.files.retrieve(uploaded.id).id == uploaded.id  # a 401, a new exchange, the same account
    assert _exchanges(session) == 2
    assert [c.status for c in session.calls][-2:] == [401, 200]


def test_two_service_accounts_do_not_share_state(session: MockSession) -> None:
    first = openai.OpenAI(workload_identity=IDENTITY, max_retries=0)
    other = openai.OpenAI(workload_identity={**IDENTITY, "service_account_id": "sa-789"}, max_retries=0)
    uploaded = first.files.create(file=("a.jsonl", b'{"a": 1}\n'), purpose="batch")
    with pytest.raises(openai.NotFoundError):
        other.files.retrieve(uploaded.id)


@pytest.mark.parametrize(("change", "error"), [
    ({"grant_type": "client_credentials"}, "unsupported_grant_type"),
    ({"subject_token": ""}, "invalid_request"),
    ({"subject_token_type": "urn:ietf:params:oauth:token-type:saml2"}, "invalid_request"),
])
def test_a_bad_exchange_is_an_oauth_error(session: MockSession, change: dict, error: str) -> None:
    form = {"grant_type": "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token": "jwt",
            "subject_token_type": "urn:ietf:params:oauth:token-type:jwt", "identity_provider_id": "idp-1",
            "service_account_id": "sa-1", **change}
    answer = httpx2.post("https://auth.openai.com/oauth/token", json=form)
    assert answer.status_code == 400
    assert answer.json()["error"] == error and answer.json()["error_description"]


def test_a_token_the_mock_never_issued_is_a_401(session: MockSession) -> None:
    client = openai.OpenAI(api_key="oat_made_up", max_retries=0)
    with pytest.raises(openai.AuthenticationError) as refused:
        client.models.list()
    assert refused.value.code == "invalid_api_key"


def test_a_workload_identity_client_works_against_a_live_server(_live_server: LiveServer) -> None:
    _live_server.engine.reset()
    client = openai.OpenAI(workload_identity=IDENTITY, base_url=_live_server.base_url, max_retries=0)
    client._workload_identity_auth.token_exchange_url = _live_server.base_url.removesuffix("/v1") + "/oauth/token"  # type: ignore[union-attr]
    done = client.chat.completions.create(**CHAT)
    assert done.choices[0].message.content
    assert client.models.retrieve("gpt-4o-mini").id == "gpt-4o-mini"

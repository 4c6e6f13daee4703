"""Webhooks: events signed as `client.webhooks.unwrap()` verifies them, retried with backoff, journaled."""

from __future__ import annotations

import base64
import io
import json
import queue
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import openai
import pytest
from conftest import FROZEN_AT, inprocess_clients

from mockapi.assembly import build_engine
from mockapi.control import Client
from mockapi.core import outbox
from mockapi.core.clock import Clock
from mockapi.core.config import ConfigError, from_mapping
from mockapi.core.store import MemoryStore
from mockapi.traffic.webhooks import BACKOFF_SECONDS, sign

SECRET = "whsec_" + base64.b64encode(b"mockapi-webhook-test-secret-0001").decode()
WAIT = 10.0  # real seconds a test waits for a delivery before it fails


class Receiver:
    """A tiny HTTP server on 127.0.0.1 that records each POST and answers with the next scripted status."""

    def __init__(self) -> None:
        self.received: queue.Queue[tuple[dict[str, str], bytes]] = queue.Queue()
        self.statuses: list[int] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                status = owner.statuses.pop(0) if owner.statuses else 200
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()
                owner.received.put(({k.lower(): v for k, v in self.headers.items()}, body))

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/openai"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def next(self) -> tuple[dict[str, str], bytes]:
        """The next delivery (fails the test when none comes)."""
        return self.received.get(timeout=WAIT)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def _control(mock) -> Client:
    return Client(engine=mock.engine) if mock.mode == "inprocess" else Client(mock.base_url)


def _attempts(mock, url: str) -> queue.Queue[dict[str, Any]]:
    """Journal entries of deliveries to ``url``, as they are recorded."""
    seen: queue.Queue[dict[str, Any]] = queue.Queue()
    mock.engine.traffic.journal.subscribe(lambda entry: seen.put(entry.summary()) if entry.path == url else None)
    return seen


def test_a_completed_batch_is_announced_and_unwrap_verifies_it(mock, receiver):
    control = _control(mock)
    assert control.set_webhooks(receiver.url, SECRET)["url"] == receiver.url
    rows = [{"custom_id": "a", "method": "POST", "url": "/v1/chat/completions",
             "body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}}]
    file_id = mock.client.files.create(file=("in.jsonl", io.BytesIO(json.dumps(rows[0]).encode())), purpose="batch").id
    batch = mock.client.batches.create(input_file_id=file_id, endpoint="/v1/chat/completions", completion_window="24h")
    control.deliver_webhooks()  # the sender moves the batch on (or a poll does) and announces its end
    headers, body = receiver.next()
    event = mock.client.webhooks.unwrap(body, headers, secret=SECRET)
    assert isinstance(event, openai.types.webhooks.BatchCompletedWebhookEvent)
    assert event.type == "batch.completed" and event.data.id == batch.id and event.object == "event"
    done = mock.client.batches.retrieve(batch.id)
    assert done.status == "completed" and event.id.startswith("evt_") and event.created_at == done.completed_at
    assert headers["webhook-id"] and headers["webhook-signature"].startswith("v1,")
    with pytest.raises(openai.InvalidWebhookSignatureError):
        mock.client.webhooks.unwrap(body, headers, secret="whsec_" + base64.b64encode(b"another secret").decode())


def test_a_batch_nobody_polls_still_finishes_and_is_announced(mock, receiver):
    control = _control(mock)
    control.set_webhooks(receiver.url, SECRET)
    rows = [{"custom_id": "a", "method": "POST", "url": "/v1/embeddings", "body": {"model": "text-embedding-3-small", "input": "x"}}]
    file_id = mock.client.files.create(file=("in.jsonl", io.BytesIO(json.dumps(rows[0]).encode())), purpose="batch").id
    batch = mock.client.batches.create(input_file_id=file_id, endpoint="/v1/embeddings", completion_window="24h",
                                       extra_headers={"x-mockapi-progress": "seconds:60"})
    mock.engine.clock.advance(180)
    control.deliver_webhooks()  # the sender ticks the batch through its steps, then announces its end
    headers, body = receiver.next()
    event = mock.client.webhooks.unwrap(body, headers, secret=SECRET)
    assert event.type == "batch.completed" and event.data.id == batch.id and event.created_at == batch.created_at + 180
    assert mock.client.batches.retrieve(batch.id).status == "completed"


def test_a_failed_delivery_is_retried_after_the_backoff_and_journaled(mock, receiver):
    control = _control(mock)
    control.set_webhooks(receiver.url, SECRET)
    journaled = _attempts(mock, receiver.url)
    receiver.statuses = [500]
    response = mock.client.responses.create(model="gpt-4o-mini", input="Say hi", background=True)
    assert response.status == "queued"
    assert control.deliver_webhooks() == []  # the response finishes on the mock clock, not before
    mock.engine.clock.advance(3)
    control.deliver_webhooks()
    first_headers, first_body = receiver.next()
    assert journaled.get(timeout=WAIT)["status"] == 500
    mock.engine.clock.advance(BACKOFF_SECONDS[0])
    control.deliver_webhooks()
    headers, body = receiver.next()
    assert journaled.get(timeout=WAIT)["status"] == 200
    assert body == first_body and headers["webhook-id"] == first_headers["webhook-id"]  # a retry is the same message
    event = mock.client.webhooks.unwrap(body, headers, secret=SECRET)
    assert isinstance(event, openai.types.webhooks.ResponseCompletedWebhookEvent) and event.data.id == response.id
    assert mock.client.responses.retrieve(response.id).status == "completed"
    assert control.request("GET", "webhooks")["pending"] == []


def test_a_cancelled_background_response_announces_only_its_cancellation(mock, receiver):
    control = _control(mock)
    control.set_webhooks(receiver.url, SECRET)
    response = mock.client.responses.create(model="gpt-4o-mini", input="Say hi", background=True)
    mock.client.responses.cancel(response.id)
    mock.engine.clock.advance(10)
    control.deliver_webhooks()
    headers, body = receiver.next()
    event = mock.client.webhooks.unwrap(body, headers, secret=SECRET)
    assert event.type == "response.cancelled" and event.data.id == response.id
    assert control.request("GET", "webhooks")["pending"] == []


def test_nothing_is_queued_without_a_webhook_url(mock):
    mock.client.responses.create(model="gpt-4o-mini", input="Say hi", background=True)
    assert outbox.pending(mock.engine) == [] and _control(mock).deliver_webhooks() == []


def test_the_control_plane_refuses_a_url_that_is_not_http(mock):
    with pytest.raises(Exception) as refused:
        _control(mock).set_webhooks("ftp://example.com/hook", SECRET)
    assert getattr(refused.value, "status", None) == 400


def test_the_signature_is_the_one_the_sdk_computes():
    client = openai.OpenAI(api_key="sk-test", base_url="http://127.0.0.1:9/v1")
    payload = json.dumps({"id": "evt_1", "object": "event", "created_at": 1, "type": "batch.failed",
                          "data": {"id": "batch_1"}}).encode()
    stamp = int(time.time())
    headers = {"webhook-id": "wh_1", "webhook-timestamp": str(stamp), "webhook-signature": sign(SECRET, "wh_1", stamp, payload)}
    client.webhooks.verify_signature(payload, headers, secret=SECRET)
    assert client.webhooks.unwrap(payload, headers, secret=SECRET).type == "batch.failed"


def test_the_config_file_sets_the_target(receiver):
    settings = from_mapping({"webhooks": {"url": receiver.url, "secret": SECRET}})
    engine = build_engine(settings, store=MemoryStore(), clock=Clock(frozen_at=FROZEN_AT))
    client, _ = inprocess_clients(engine, max_retries=0)
    response = client.responses.create(model="gpt-4o-mini", input="Say hi", background=True)
    engine.clock.advance(3)
    Client(engine=engine).deliver_webhooks()
    headers, body = receiver.next()
    assert client.webhooks.unwrap(body, headers, secret=SECRET).data.id == response.id
    with pytest.raises(ConfigError):
        from_mapping({"webhooks": {"url": "ftp://example.com"}})

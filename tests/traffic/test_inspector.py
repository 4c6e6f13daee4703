"""The web inspector (issue 6) in a real headless Chromium: requests appear live, open, fault, reset; Realtime sessions."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from typing import Iterator

import openai
import pytest
from cdp import CHROMIUM, Browser
from conftest import API_KEY
from traffic_helpers import chat

from mockapi.doors.live import LiveServer

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "inspector.png"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed "
                                "(scripts/ensure-system-deps.sh installs it)")


@contextlib.contextmanager
def ui_root(mock) -> Iterator[str]:  # noqa: ANN001
    """The server root the browser uses: the live server, or one started over the in-process engine."""
    if mock.mode == "live":
        yield mock.base_url[: -len("/v1")]
        return
    with LiveServer(mock.engine) as server:
        yield server.base_url[: -len("/v1")]


def rows(browser: Browser) -> int:
    return browser.js("document.querySelectorAll('#entries tr').length")


def test_inspector_shows_requests_live_opens_one_sets_a_fault_and_resets(mock, tmp_path):
    mock.engine.traffic.journal.clear()  # the live server's journal holds earlier tests' requests
    with ui_root(mock) as root, Browser() as browser:
        browser.goto(root + "/_mockapi/ui")
        browser.wait_for("document.querySelector('#live').classList.contains('on')")

        mock.client.models.list()
        streamed = list(chat(mock.client, "stream me a haiku", stream=True))
        with pytest.raises(openai.NotFoundError):
            mock.client.models.retrieve("gpt-missing")
        with pytest.raises(openai.BadRequestError):
            mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "x"}], temperature=9)
        browser.wait_for("document.querySelectorAll('#entries tr').length === 4")

        # Contract violations stand out.
        assert browser.js("document.querySelectorAll('#entries tr.violation').length") == 1
        assert browser.js("document.querySelector('#entries tr.violation').dataset.status") == "400"

        # Filters narrow the list; clearing them brings everything back.
        browser.fill("#filter-status", "4xx")
        assert browser.js("[...document.querySelectorAll('#entries tr')].every(r => r.dataset.status.startsWith('4'))")
        browser.fill("#filter-status", "")
        browser.fill("#filter-path", "/chat/")
        assert browser.js("[...document.querySelectorAll('#entries tr td.path')].every(td => td.textContent.includes('/chat/'))")
        browser.fill("#filter-path", "")

        # Opening the violation shows it; opening the stream shows its frames.
        browser.click("#entries tr.violation")
        assert "temperature" in browser.wait_for("document.querySelector('#violations')?.textContent")
        browser.js("[...document.querySelectorAll('#entries tr')].find(r => r.querySelector('.badge:not(.bad):not(.fault)')).click()")
        frames = browser.wait_for("document.querySelectorAll('#frames pre').length")
        assert frames == len(streamed) + 1
        assert browser.js("[...document.querySelectorAll('#frames pre')].at(-1).textContent").startswith("data: [DONE]")
        assert "Bearer sk-****" in browser.js("document.querySelector('#detail').textContent")

        # A fault set in the page makes the next request fail.
        browser.fill("#fault-spec", "503")
        browser.fill("#fault-path", "/v1/models")
        browser.click("#fault-add")
        browser.wait_for("document.querySelectorAll('#rules .rule').length === 1")
        with pytest.raises(openai.InternalServerError):
            mock.client.models.list()
        browser.wait_for("[...document.querySelectorAll('#entries tr')].some(r => r.dataset.status === '503' "
                         "&& r.querySelector('.badge.fault'))")
        if mock.mode == "live":
            # The README's picture is refreshed only on request, so a test run leaves the tree clean.
            shot = SCREENSHOT if os.environ.get("MOCKAPI_UPDATE_SCREENSHOT") else tmp_path / "inspector.png"
            browser.click("#entries tr[data-status='503']")
            browser.wait_for("document.querySelector('#detail h2')?.textContent.includes('503')")
            browser.screenshot(str(shot))
            assert shot.stat().st_size > 10_000

        # Reset clears state, the rule and the list.
        browser.click("#reset")
        browser.wait_for("document.querySelectorAll('#entries tr').length === 0 "
                         "&& document.querySelectorAll('#rules .rule').length === 0")
        assert mock.client.models.list().data
        assert mock.engine.traffic.faults.rules() == []


MCP_TOKEN = "ghp_inspectorSecretToken0123456789"
HEADER_KEY = "hdr-secret-value-0123456789abcdef"


def _until(conn, kind: str) -> list[dict]:  # noqa: ANN001
    events = []
    while not events or events[-1]["type"] != kind:
        events.append(json.loads(conn.recv_bytes()))
    return events


def test_inspector_shows_a_realtime_session_with_its_events_both_ways_and_keys_masked(mock):
    mock.engine.traffic.journal.clear()
    with ui_root(mock) as root, Browser() as browser:
        browser.goto(root + "/_mockapi/ui")
        browser.wait_for("document.querySelector('#live').classList.contains('on')")
        client = openai.OpenAI(api_key=API_KEY, base_url=root + "/v1", max_retries=0)
        mcp = {"type": "mcp", "server_label": "docs", "server_url": "https://mcp.example.com/sse",
               "authorization": MCP_TOKEN, "headers": {"X-Api-Key": HEADER_KEY}}
        with client.realtime.connect(model="gpt-realtime") as conn:
            _until(conn, "session.created")
            conn.session.update(session={"type": "realtime", "output_modalities": ["text"], "tools": [mcp]})
            _until(conn, "session.updated")
            conn.send_raw(json.dumps({"type": "bogus.event"}))  # an error event; the session goes on
            _until(conn, "error")
            conn.conversation.item.create(item={"type": "message", "role": "user",
                                                "content": [{"type": "input_text", "text": "Hello there"}]})
            conn.response.create()
            served = _until(conn, "response.done")

            # The open session is listed as a WebSocket entry; its detail shows the events so far and refreshes.
            browser.wait_for("[...document.querySelectorAll('#entries tr')].some(r => r.dataset.status === '101')")
            assert browser.js("document.querySelector(\"#entries tr[data-status='101'] .badge.ws\") !== null")
            assert browser.js("document.querySelector(\"#entries tr[data-status='101'] td.path\").textContent") == "/v1/realtime"
            browser.click("#entries tr[data-status='101']")
            browser.wait_for("document.querySelector('#events .event.server[data-type=\"response.done\"]') !== null")
            assert "open" in browser.js("document.querySelector('#session-summary').textContent")
            conn.conversation.item.create(item={"type": "message", "role": "user",
                                                "content": [{"type": "input_text", "text": "And again"}]})
            _until(conn, "conversation.item.done")
            browser.wait_for("document.querySelectorAll('#events .event.client').length === 5")
        browser.wait_for("document.querySelector('#session-summary').textContent.includes('closed')")

        sides = browser.js("[...document.querySelectorAll('#events .event')].map(n => [n.dataset.side, n.dataset.type])")
        client_events = [t for side, t in sides if side == "client"]
        assert client_events == ["session.update", "bogus.event", "conversation.item.create", "response.create",
                                 "conversation.item.create"], client_events
        server_events = [t for side, t in sides if side == "server"]
        assert server_events[:2] == ["session.created", "session.updated"] and "error" in server_events
        assert server_events.count("response.output_text.delta") == sum(e["type"] == "response.output_text.delta" for e in served)
        assert browser.js("document.querySelectorAll('#events .event.error').length") == 1
        summary = browser.js("document.querySelector('#session-summary').textContent")
        assert "5 from the client" in summary and "1 error" in summary

        # Keys are masked: the bearer key in the headers, the MCP token and header in both directions.
        detail = browser.js("document.querySelector('#detail').textContent")
        assert "sk-test-****" in detail or "Bearer sk-****" in detail
        for secret in (API_KEY, MCP_TOKEN, HEADER_KEY):
            assert secret not in detail, secret
        update = browser.js("document.querySelector('#events .event.client[data-type=\"session.update\"] pre').textContent")
        assert '"authorization": "****' in update and '"server_url": "https://mcp.example.com/sse"' in update

        # The type filter narrows the events.
        browser.fill("#event-filter", "output_text")
        shown = browser.js("[...document.querySelectorAll('#events .event')].filter(n => !n.hidden).map(n => n.dataset.type)")
        assert shown and all("output_text" in t for t in shown)

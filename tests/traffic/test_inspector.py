"""The web inspector (issue 6) in a real headless Chromium: requests appear live, open, fault, reset."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

import openai
import pytest
from cdp import CHROMIUM, Browser
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

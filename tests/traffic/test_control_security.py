"""The control plane against other web pages and other tenants (issue 14).

A page the developer visits must not read the journal, reset state or inject faults; a tenant's key
must reach only its own tenant's journal, faults and limits. The browser cases are sent as browsers
send them (``Origin``, ``Sec-Fetch-Site``), and once from a real headless Chromium page on another port.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import threading
from typing import Any, Iterator

import httpx2
import openai
import pytest
from cdp import CHROMIUM, Browser
from conftest import API_KEY, make_engine
from tenant_helpers import ADMIN_TOKEN, KEY_A, KEY_C, KEYS, _keyed_server, keyed, upload  # noqa: F401 - fixtures
from traffic_helpers import chat

from mockapi.control import Client
from mockapi.doors.live import LiveServer, free_port
from mockapi.doors.transport import transports
from mockapi.traffic.client import ControlError

EVIL = "http://evil.example"


@contextlib.contextmanager
def served(mock: Any) -> Iterator[str]:
    """The server root over HTTP: the live server, or one started over the in-process engine."""
    if mock.mode == "live":
        yield mock.base_url[: -len("/v1")]
        return
    with LiveServer(mock.engine) as server:
        yield server.base_url[: -len("/v1")]


def raw(mock: Any, root: str | None = None) -> httpx2.Client:
    """A plain HTTP client to the mock (in-process: the engine behind a loopback-looking URL)."""
    if mock.mode == "inprocess" and root is None:
        sync_t, _ = transports("httpx2")
        return httpx2.Client(transport=sync_t(mock.engine), base_url="http://127.0.0.1:8000")
    return httpx2.Client(base_url=root or mock.base_url[: -len("/v1")])


def own_origin(client: httpx2.Client) -> str:
    return str(client.base_url).rstrip("/")


# (method, path, JSON body) of every kind of control call a hostile page would try.
ATTACKS = [
    ("POST", "/_mockapi/reset", "{}"),
    ("POST", "/_mockapi/faults", '{"fault": "500"}'),
    ("DELETE", "/_mockapi/faults", ""),
    ("POST", "/_mockapi/seed", '{"seed": 7}'),
    ("POST", "/_mockapi/clock", '{"advance": 3600}'),
    ("POST", "/_mockapi/replies", '{"reply": {"content": "pwned"}}'),
    ("POST", "/_mockapi/limits", '{"key": "sk-test-0123456789", "rpm": 0}'),
    ("DELETE", "/_mockapi/journal", ""),
    ("GET", "/_mockapi/journal?full=1", None),
    ("GET", "/_mockapi/journal/events", None),
    ("GET", "/_mockapi/state", None),
]
# How browsers mark a request from another page: another site, or another port of this host.
BROWSER_MARKS = [
    {"origin": EVIL, "sec-fetch-site": "cross-site"},
    {"origin": EVIL},  # a browser without Fetch Metadata still sends Origin
    {"sec-fetch-site": "cross-site"},
    {"origin": "http://127.0.0.1:3000", "sec-fetch-site": "same-site"},  # a dev server on another port
    {"origin": "null"},  # a sandboxed frame or a file:// page
]


@pytest.mark.parametrize("marks", BROWSER_MARKS, ids=["origin+fetch", "origin", "fetch-site", "same-site", "null"])
def test_control_calls_from_other_pages_are_refused_and_change_nothing(mock, marks):
    stored = chat(mock.client, "keep me", store=True)
    mock.engine.traffic.journal.clear()
    chat(mock.client, "a journaled request")
    seed, now = mock.engine.seed, mock.engine.clock.now()
    with raw(mock) as http:
        for method, path, body in ATTACKS:
            headers = {**marks, "content-type": "text/plain"}  # text/plain: a "simple" request, no preflight
            r = http.request(method, path, content=body, headers=headers)
            assert r.status_code == 403, (method, path, r.text)
            assert r.json()["error"]["type"] and r.json()["error"]["code"] == "cross_origin_refused"
            assert "access-control-allow-origin" not in r.headers
    assert len(mock.engine.traffic.journal) == 1 and mock.engine.traffic.limiter.overrides() == []
    assert mock.engine.traffic.faults.rules() == [] and not mock.engine.overrides.queued
    assert (mock.engine.seed, mock.engine.clock.now()) == (seed, now)
    assert mock.client.chat.completions.retrieve(stored.id).id == stored.id
    assert mock.client.models.list().data  # no fault was injected


def test_same_origin_and_scripts_still_work(mock):
    with raw(mock) as http:
        page = {"origin": own_origin(http), "sec-fetch-site": "same-origin"}
        assert http.post("/_mockapi/faults", json={"fault": "503", "path": "/v1/nothing"}, headers=page).status_code == 200
        assert http.get("/_mockapi/journal", headers={"sec-fetch-site": "same-origin"}).status_code == 200
        assert http.post("/_mockapi/reset", json={}, headers=page).json() == {"reset": "all"}
        assert http.get("/_mockapi/state").status_code == 200  # a script: no browser marks at all
        typed = http.get("/_mockapi/ui", headers={"sec-fetch-site": "none"})  # typed into the address bar
        followed = http.get("/_mockapi/ui", headers={"sec-fetch-site": "cross-site"})  # a link from elsewhere
    for ui in (typed, followed):
        assert ui.status_code == 200 and b"mockapi inspector" in ui.content
        assert ui.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in ui.headers["content-security-policy"]
    assert mock.engine.traffic.faults.rules() == []


def test_the_control_plane_answers_no_cors_while_the_api_keeps_it(mock):
    with served(mock) as root, raw(mock, root) as http:
        preflight = {"origin": EVIL, "access-control-request-method": "POST",
                     "access-control-request-headers": "content-type"}
        control_preflight = http.options("/_mockapi/reset", headers=preflight)
        assert control_preflight.status_code >= 400
        assert not any(h.startswith("access-control-") for h in control_preflight.headers)
        same = http.get("/_mockapi/state", headers={"origin": root, "sec-fetch-site": "same-origin"})
        assert same.status_code == 200 and "access-control-allow-origin" not in same.headers
        # Browsers may still call the API itself.
        api_preflight = http.options("/v1/chat/completions", headers={**preflight, "access-control-request-headers":
                                                                       "authorization,content-type"})
        assert api_preflight.status_code == 200 and api_preflight.headers["access-control-allow-origin"] in ("*", EVIL)
        api = http.get("/v1/models", headers={"origin": EVIL, "authorization": f"Bearer {API_KEY}"})
        assert api.status_code == 200 and api.headers["access-control-allow-origin"] in ("*", EVIL)


def test_a_dns_rebound_name_cannot_pass_as_local(mock):
    with raw(mock) as http:
        r = http.post("/_mockapi/reset", json={}, headers={"host": "attacker.example:8000"})
        assert r.status_code == 403 and r.json()["error"]["code"] == "host_not_allowed"
        for host in ("localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
            assert http.get("/_mockapi/state", headers={"host": host}).status_code == 200


class _EvilPage(http.server.BaseHTTPRequestHandler):
    page = b""

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        self.send_response(200)
        self.send_header("content-type", "text/html")
        self.end_headers()
        self.wfile.write(self.page)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")
def test_a_real_page_on_another_port_cannot_reset_read_or_fault(mock):
    stored = chat(mock.client, "survive the page", store=True)
    with served(mock) as root:
        port = free_port()
        evil = http.server.ThreadingHTTPServer(("127.0.0.1", port), _EvilPage)
        threading.Thread(target=evil.serve_forever, daemon=True).start()
        try:
            with Browser() as browser:
                browser.goto(f"http://127.0.0.1:{port}/")
                outcome = browser.js(f"""(async () => {{
                    const out = {{}};
                    const send = (path, init) => fetch("{root}/_mockapi/" + path, init).then(
                        r => "read " + r.status, e => "blocked");
                    out.reset = await fetch("{root}/_mockapi/reset", {{method: "POST", body: "{{}}", mode: "no-cors"}})
                        .then(r => r.type, e => "error");
                    out.fault = await fetch("{root}/_mockapi/faults", {{method: "POST", mode: "no-cors",
                        body: JSON.stringify({{fault: "500"}})}}).then(r => r.type, e => "error");
                    out.journal = await send("journal?full=1", {{}});
                    out.api = await fetch("{root}/v1/models", {{headers: {{authorization: "Bearer {API_KEY}"}}}})
                        .then(r => r.status, e => "blocked");
                    return out;
                }})()""")
        finally:
            evil.shutdown()
            evil.server_close()
    # The page got nothing readable; the server refused what it sent; the API stayed open to browsers.
    assert outcome == {"reset": "opaque", "fault": "opaque", "journal": "blocked", "api": 200}
    assert mock.client.chat.completions.retrieve(stored.id).id == stored.id
    assert mock.engine.traffic.faults.rules() == []


# -- tenants ---------------------------------------------------------------------------------


def test_a_tenant_key_sees_only_its_own_journal(keyed):
    a, c = keyed.client(KEY_A), keyed.client(KEY_C)
    a.models.list()
    c.models.retrieve("gpt-4o")
    ctl_a, ctl_c = keyed.control(KEY_A), keyed.control(KEY_C)
    tenant_a, tenant_c = keyed.tenant(KEY_A), keyed.tenant(KEY_C)
    assert {e["tenant"] for e in ctl_a.journal()} == {tenant_a}
    assert [e["path"] for e in ctl_c.journal(full=True)] == ["/v1/models/gpt-4o"]
    theirs = ctl_c.journal()[0]["id"]
    with pytest.raises(ControlError) as info:
        ctl_a.entry(theirs)
    assert info.value.status == 404
    with pytest.raises(ControlError) as info:
        ctl_a.journal(tenant=tenant_c)
    assert info.value.status == 403
    assert ctl_a.state()["journal"]["entries"] == 1 and ctl_a.state()["tenant"] == tenant_a
    ctl_a.clear_journal()
    assert ctl_c.journal() != [] and ctl_a.journal() == []
    admin = keyed.control(token=ADMIN_TOKEN)
    assert {e["tenant"] for e in admin.journal()} == {tenant_c}


def test_a_tenant_key_sets_and_clears_only_its_own_faults(keyed):
    a, c = keyed.client(KEY_A), keyed.client(KEY_C)
    ctl_a, ctl_c = keyed.control(KEY_A), keyed.control(KEY_C)
    rule = ctl_a.add_fault("503", path="/v1/models")
    assert rule["tenant"] == keyed.tenant(KEY_A)
    with pytest.raises(openai.InternalServerError):
        a.models.list()
    assert c.models.list().data  # another tenant's requests are untouched
    assert ctl_c.faults() == [] and [r["id"] for r in ctl_a.faults()] == [rule["id"]]
    with pytest.raises(ControlError) as info:
        ctl_c.delete_fault(rule["id"])
    assert info.value.status == 404
    assert ctl_c.clear_faults() == 0
    with pytest.raises(ControlError) as info:
        ctl_c.add_fault("500", tenant=keyed.tenant(KEY_A))
    assert info.value.status == 403
    with pytest.raises(openai.InternalServerError):
        a.models.list()
    assert ctl_a.clear_faults() == 1 and a.models.list().data


def test_a_tenant_key_resets_and_limits_only_its_own_tenant(keyed):
    a, c = keyed.client(KEY_A), keyed.client(KEY_C)
    kept, dropped = upload(a, "a.txt"), upload(c, "c.txt")
    ctl_c = keyed.control(KEY_C)
    for attempt in (lambda: ctl_c.reset(keyed.tenant(KEY_A)), lambda: ctl_c.set_limits(KEY_A, rpm=0),
                    lambda: ctl_c.set_limits(tenant=keyed.tenant(KEY_A), rpm=0)):
        with pytest.raises(ControlError) as info:
            attempt()
        assert info.value.status == 403
    assert ctl_c.reset() == {"reset": keyed.tenant(KEY_C)}
    assert a.files.retrieve(kept.id).id == kept.id
    with pytest.raises(openai.NotFoundError):
        c.files.retrieve(dropped.id)
    ctl_c.set_limits(rpm=1)
    c.models.list()
    with pytest.raises(openai.RateLimitError):
        c.models.list()
    assert a.models.list().data and a.models.with_raw_response.list().headers["x-ratelimit-limit-requests"] != "1"
    assert [o["tenant"] for o in ctl_c.request("GET", "limits")["data"]] == [keyed.tenant(KEY_C)]
    assert keyed.control(KEY_A).request("GET", "limits")["data"] == []


def test_global_switches_need_the_admin_token(keyed):
    ctl_a = keyed.control(KEY_A)
    for attempt in (lambda: ctl_a.seed(5), lambda: ctl_a.advance(60), lambda: ctl_a.queue_reply({"content": "x"}),
                    lambda: ctl_a.advance_runs(seconds=1), lambda: ctl_a.request("DELETE", "replies")):
        with pytest.raises(ControlError) as info:
            attempt()
        assert info.value.status == 403 and info.value.body["error"]["code"] == "admin_required"
    assert ctl_a.request("GET", "clock")["frozen"] is True  # reading the clock is harmless
    admin = keyed.control(token=ADMIN_TOKEN)
    assert admin.seed(5) == {"seed": 5} and admin.reset() == {"reset": "all"}
    admin.seed(0)


def test_keys_that_are_not_tenants_get_nothing(keyed):
    for ctl in (keyed.control(), keyed.control("sk-not-configured-0000000000"), keyed.control(token="wrong")):
        with pytest.raises(ControlError) as info:
            ctl.journal()
        assert info.value.status == 401
    with pytest.raises(ControlError) as info:
        keyed.control(KEY_C, organization="org-a").journal()
    assert info.value.status == 401 and info.value.body["error"]["code"] == "mismatched_organization"


def test_an_org_selected_by_header_is_the_tenant_the_control_call_acts_for(keyed):
    upload(keyed.client(KEY_A, organization="org-b"), "b.txt")
    in_b = keyed.control(KEY_A, organization="org-b")
    assert in_b.state()["tenant"] == "org:org-b/proj:-"
    assert [e["tenant"] for e in in_b.journal()] == ["org:org-b/proj:-"]
    assert keyed.control(KEY_A).journal() == []


def test_the_live_feed_carries_only_the_tenants_entries(keyed):
    if keyed.mode == "live":
        pytest.skip("the feed is an endless stream; read in-process, where the test owns its iteration")
    from mockapi.core.engine import Request
    from mockapi.core.results import Pause

    keyed.client(KEY_C).models.list()
    headers = {"authorization": f"Bearer {KEY_A}"}
    feed = keyed.engine.handle(Request("GET", "/_mockapi/journal/events", headers)).stream
    assert next(feed) == b"retry: 1000\n\n"
    keyed.client(KEY_C).models.retrieve("gpt-4o")
    keyed.client(KEY_A).models.retrieve("gpt-4o-mini")
    frames = []
    for item in feed:
        if isinstance(item, Pause):
            continue
        frames.append(item)
        if b"gpt-4o-mini" in item:
            break
    feed.close()
    entries = [f for f in frames if f.startswith(b"event: entry")]
    assert len(entries) == 1 and b"org:org-a/proj:-" in entries[0]


@pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="Debian chromium is not installed")
def test_the_inspector_works_with_the_admin_token_and_takes_it_out_of_the_address_bar(keyed):
    if keyed.mode == "inprocess":
        pytest.skip("the page needs a server; the live mode serves the same keyed engine")
    root = keyed.base_url[: -len("/v1")]
    with Browser() as browser:
        browser.goto(root + "/_mockapi/ui")  # no token: the page says why it shows nothing
        assert "admin token" in browser.wait_for("document.querySelector('#live').textContent.includes('token') "
                                                 "&& document.querySelector('#live').textContent")
        browser.goto(f"{root}/_mockapi/ui?token={ADMIN_TOKEN}")
        browser.wait_for("document.querySelector('#live').classList.contains('on')")
        assert browser.js("location.search") == ""
        keyed.client(KEY_A).models.list()
        keyed.client(KEY_C).models.list()
        browser.wait_for("document.querySelectorAll('#entries tr').length === 2")
        browser.js("window.previousPage = true")
        browser.goto(f"{root}/_mockapi/ui")  # opened again without it: the token stays with the tab
        browser.wait_for("!window.previousPage && document.querySelector('#live').classList.contains('on') "
                         "&& document.querySelectorAll('#entries tr').length === 2")
        browser.click("#reset")
        browser.wait_for("document.querySelectorAll('#entries tr').length === 0")
    assert len(keyed.engine.traffic.journal) == 0


def test_with_keys_and_no_admin_token_silence_is_not_admin():
    engine = make_engine(keys=KEYS)
    with pytest.raises(ControlError) as info:
        Client(engine=engine).reset()
    assert info.value.status == 401 and "MOCKAPI_ADMIN_TOKEN" in info.value.body["error"]["message"]
    assert Client(engine=engine, api_key=KEY_A).reset() == {"reset": "org:org-a/proj:-"}

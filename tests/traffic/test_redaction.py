"""Secrets never reach the journal or the access log, wherever a request puts them (issue 14).

Each case puts a fresh key somewhere a client (or a careless user) might: headers, the URL path, any
query parameter (plain, ``Bearer%20…``, ``sk%2D…``, doubly encoded, every byte escaped), bodies, a key
glued to a word. The journal entry (every string in it) and the server's access log line must hold no
form of it. The journal is checked in-process and live (the ``mock`` fixture); the access log is
checked on a real ``mockapi serve --log-level info`` process, as a user runs it.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator
from urllib.parse import quote

import httpx2
import openai
import pytest
from conftest import API_KEY

from mockapi.control import Client
from mockapi.doors.live import free_port
from mockapi.doors.transport import transports
from mockapi.traffic.redaction import RedactingFilter, redact

ADMIN_TOKEN = "adm1n-token-for-the-log-test-0042"
Send = Callable[[openai.OpenAI, httpx2.Client, str], Any]


def key(n: int) -> str:
    """A realistic project key, different for every case."""
    return f"sk-proj-{n:02d}Zq7Lm3Xv9Tb5Hc1Nd8Rf4Wk6Jp2Ys0GaQe"


def token(n: int) -> str:
    """A credential that is not an ``sk-`` key (a bearer token of another service)."""
    return f"tok{n:02d}A9b8C7d6E5f4G3h2J1k0"


def escaped(text: str) -> str:
    """Every byte percent-encoded."""
    return "".join(f"%{b:02X}" for b in text.encode())


def _chat(sdk: openai.OpenAI, content: str, **kwargs: Any) -> Any:
    return sdk.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": content}], **kwargs)


def _json_post(http: httpx2.Client, raw_body: str) -> Any:
    return http.post("/v1/chat/completions", content=raw_body.encode(), headers={"content-type": "application/json"})


# (case id, the secret it uses, how it sends it). At least 20 placements; each one request.
CASES: list[tuple[str, Callable[[int], str], Send]] = [
    ("authorization-header", key, lambda sdk, http, s: sdk.with_options(api_key=s).models.list()),
    ("azure-api-key-header", key, lambda sdk, http, s: http.get("/v1/models", headers={"api-key": s, "authorization": ""})),
    ("x-api-key-header", key, lambda sdk, http, s: sdk.models.list(extra_headers={"x-api-key": s})),
    ("unrelated-header", key, lambda sdk, http, s: sdk.models.list(extra_headers={"x-trace-note": f"note:{s}"})),
    ("cookie-header", token, lambda sdk, http, s: sdk.models.list(extra_headers={"cookie": f"session={s}"})),
    ("organization-header", key, lambda sdk, http, s: sdk.with_options(organization=s).models.list()),
    ("project-header", key, lambda sdk, http, s: sdk.with_options(project=s).models.list()),
    ("url-path", key, lambda sdk, http, s: sdk.models.retrieve(s)),
    ("url-path-bearer", key, lambda sdk, http, s: sdk.models.retrieve(f"Bearer {s}")),
    ("url-path-encoded-dashes", key, lambda sdk, http, s: http.get("/v1/models/" + s.replace("-", "%2D"))),
    ("query-secret-name", key, lambda sdk, http, s: sdk.models.list(extra_query={"api_key": s})),
    ("query-innocent-name", key, lambda sdk, http, s: sdk.models.list(extra_query={"q": s})),
    ("query-token-not-sk", token, lambda sdk, http, s: sdk.models.list(extra_query={"access_token": s})),
    ("query-bearer-%20", key, lambda sdk, http, s: http.get(f"/v1/models?auth=Bearer%20{s}")),
    ("query-bearer-plus", key, lambda sdk, http, s: http.get(f"/v1/models?q=Bearer+{s}")),
    ("query-sk%2D", key, lambda sdk, http, s: http.get("/v1/models?q=" + s.replace("-", "%2D"))),
    ("query-sk%2d-lowercase", key, lambda sdk, http, s: http.get("/v1/models?q=" + s.replace("-", "%2d"))),
    ("query-double-encoded", key, lambda sdk, http, s: http.get("/v1/models?q=" + s.replace("-", "%252D"))),
    ("query-every-byte-escaped", key, lambda sdk, http, s: http.get("/v1/models?q=" + escaped(s))),
    ("query-glued-to-a-letter", key, lambda sdk, http, s: http.get(f"/v1/models?q=x{s}")),
    ("body-message", key, lambda sdk, http, s: _chat(sdk, f"my key is {s}, keep it safe")),
    ("body-glued-to-a-letter", key, lambda sdk, http, s: _chat(sdk, f"tokenx{s}")),
    ("body-json-escaped-dashes", key, lambda sdk, http, s: _json_post(http, json.dumps(
        {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "@@"}]}).replace("@@", s.replace("-", "\\u002d")))),
    ("body-metadata", key, lambda sdk, http, s: _chat(sdk, "hi", store=True, metadata={"note": s})),
    ("body-bearer-token-not-sk", token, lambda sdk, http, s: _chat(sdk, f"curl -H 'Authorization: Bearer {s}'")),
    ("body-streamed", key, lambda sdk, http, s: list(_chat(sdk, f"repeat after me: {s}", stream=True))),
    ("body-embeddings-input", key, lambda sdk, http, s: sdk.embeddings.create(model="text-embedding-3-small", input=s)),
    ("body-unknown-argument-echoed", key, lambda sdk, http, s: _chat(sdk, "hi", extra_body={s: 1})),
    ("body-model-name-echoed", key, lambda sdk, http, s: sdk.chat.completions.create(
        model=s, messages=[{"role": "user", "content": "hi"}])),
    ("multipart-filename", key, lambda sdk, http, s: sdk.files.create(file=(f"{s}.txt", io.BytesIO(b"x")),
                                                                      purpose="assistants")),
    ("form-body", key, lambda sdk, http, s: http.post("/v1/chat/completions", content=f"api_key={s}&x=1".encode(),
                                                      headers={"content-type": "application/x-www-form-urlencoded"})),
]
assert len(CASES) >= 20
IDS = [case[0] for case in CASES]


def forms(secret: str) -> set[str]:
    """Every spelling of ``secret`` that would still give it away, and its random part alone."""
    random_part = secret[len("sk-proj-"):] if secret.startswith("sk-") else secret
    return {secret, random_part, quote(secret, safe=""), secret.replace("-", "%2D"), secret.replace("-", "%2d"),
            secret.replace("-", "%252D"), secret.replace("-", "\\u002d"), escaped(secret)}


def strings(value: Any) -> Iterator[str]:
    """Every string inside a JSON-like value (keys too)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from strings(v)


def assert_hidden(secret: str, entry: dict[str, Any], where: str) -> None:
    text = json.dumps(entry) + "\n" + "\n".join(strings(entry))
    leaked = [form for form in forms(secret) if form in text]
    assert not leaked, f"{where}: {leaked[0]!r} is in {text[:2000]}"


def send(how: Send, sdk: openai.OpenAI, http: httpx2.Client, secret: str) -> None:
    try:
        how(sdk, http, secret)
    except openai.APIStatusError:
        pass  # many placements are refused (a 401, 404 or 400): the journal keeps refused requests too


@pytest.mark.parametrize("n", range(len(CASES)), ids=IDS)
def test_no_secret_reaches_the_journal(mock, n):
    _, make, how = CASES[n]
    secret = make(n)
    if mock.mode == "live":
        http = httpx2.Client(base_url=mock.base_url[: -len("/v1")], headers={"authorization": f"Bearer {API_KEY}"})
    else:
        sync_t, _ = transports("httpx2")
        http = httpx2.Client(transport=sync_t(mock.engine), base_url="https://api.openai.com",
                             headers={"authorization": f"Bearer {API_KEY}"})
    seq = mock.engine.traffic.journal.query(limit=1)
    since = seq[0].seq if seq else 0
    with http:
        send(how, mock.client, http, secret)
    entries = mock.engine.traffic.journal.query(since=since, limit=10)
    assert len(entries) == 1
    assert_hidden(secret, entries[0].to_dict(), "journal")


# -- the access log of a real server process ----------------------------------------------------


class Served:
    """A ``mockapi serve --log-level info`` process whose output (the access log among it) is a file."""

    def __init__(self, root: str, log: Path, proc: subprocess.Popen) -> None:
        self.root, self.log, self.proc = root, log, proc
        self.control = Client(root, token=ADMIN_TOKEN)

    def new_lines(self, action: Callable[[], Any]) -> list[str]:
        """The access-log lines written while ``action`` ran.

        uvicorn logs a request's line before it sends the response's first byte, and its log handlers
        flush after each record, so the lines are in the file once the response has arrived.
        """
        before = self.log.stat().st_size
        action()
        with self.log.open(encoding="utf-8") as f:
            f.seek(before)
            return f.read().splitlines()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "output.log"
    env = {**os.environ, "MOCKAPI_ADMIN_TOKEN": ADMIN_TOKEN}
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-m", "mockapi", "serve", "--port", str(port), "--log-level", "info"],
                                env=env, stdout=err, stderr=subprocess.STDOUT)  # uvicorn's access log is stdout
    root = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"mockapi serve exited: {log.read_text()}")
            try:
                httpx2.get(root + "/health", timeout=1)
                break
            except httpx2.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)  # polling for the process to bind its port, not timing behaviour
        yield Served(root, log, proc)
    finally:
        proc.terminate()
        proc.wait(timeout=15)


@pytest.mark.parametrize("n", range(len(CASES)), ids=IDS)
def test_no_secret_reaches_the_access_log_or_the_served_journal(served, n):
    _, make, how = CASES[n]
    secret = make(n)
    sdk = openai.OpenAI(api_key=API_KEY, base_url=served.root + "/v1", max_retries=0)
    with httpx2.Client(base_url=served.root, headers={"authorization": f"Bearer {API_KEY}"}) as http:
        lines = served.new_lines(lambda: send(how, sdk, http, secret))
    access = [line for line in lines if "HTTP/1.1\"" in line]
    assert len(access) == 1, lines  # the access log is on, and this is the case's one request
    for form in forms(secret):
        assert form not in access[0], access[0]
    assert_hidden(secret, served.control.journal(limit=1, full=True)[0], "served journal")


def test_the_admin_token_never_reaches_the_access_log(served):
    for path in ("/_mockapi/state", "/_mockapi/ui"):
        lines = served.new_lines(lambda: httpx2.get(f"{served.root}{path}?token={ADMIN_TOKEN}").raise_for_status())
        assert any(f"{path}?token=" in line for line in lines), lines
        assert not any(ADMIN_TOKEN in line for line in lines), lines
    assert ADMIN_TOKEN not in served.log.read_text()


def test_worker_processes_install_the_same_filter(monkeypatch):
    import importlib
    import logging

    monkeypatch.setenv("MOCKAPI_SETTINGS_JSON", json.dumps({"keys": {"team-key-not-sk-shaped": {}}}))
    sys.modules.pop("mockapi.doors.worker", None)
    importlib.import_module("mockapi.doors.worker")
    filters = [f for f in logging.getLogger("uvicorn.access").filters if isinstance(f, RedactingFilter)]
    assert len(filters) == 1 and "team-key-not-sk-shaped" in filters[0].known
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/v1/models?q=team-key-not-sk-shaped", "1.1", 200), None)
    assert filters[0].filter(record) and "team-key-not-sk-shaped" not in record.getMessage()


@pytest.mark.parametrize("text", [
    "risk-free task-management desk-top-publishing", "the bearer of bad news", "max_tokens=5&order=asc",
    "asked-about-the-thing", "monkey=banana", "sk-", "Ask-Me-Anything",
])
def test_ordinary_text_is_left_readable(text):
    assert redact(text) == text


def test_redaction_is_idempotent():
    once = redact(f"a {key(1)} b?token=abc&q=Bearer%20{token(2)} x{key(3)}")
    assert redact(once) == once and "****" in once


@pytest.mark.parametrize("colours", [True, False])
def test_the_filter_keeps_uvicorns_formatters_working(colours):
    import logging

    from uvicorn.logging import AccessFormatter, DefaultFormatter

    secret = key(99)
    redacting = RedactingFilter([ADMIN_TOKEN])
    access = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", f"/v1/models?q={secret}&token={ADMIN_TOKEN}", "1.1", 200), None)
    started = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Uvicorn running on %s://%s:%d (%s)",
                                ("http", "127.0.0.1", 8000, secret), None)
    started.color_message = "Uvicorn running on \x1b[1m%s://%s:%d\x1b[0m (%s)"
    scope = logging.LogRecord("uvicorn.asgi", 5, __file__, 1, "ASGI [%d] Started scope=%s",
                              (1, {"headers": [(b"authorization", f"Bearer {secret}".encode())]}), None)
    formatted = []
    for record, formatter in ((access, AccessFormatter('%(client_addr)s - "%(request_line)s" %(status_code)s',
                                                       use_colors=colours)),
                              (started, DefaultFormatter("%(levelprefix)s %(message)s", use_colors=colours)),
                              (scope, DefaultFormatter("%(message)s", use_colors=colours))):
        assert redacting.filter(record)
        formatted.append(formatter.format(record))
    assert "GET /v1/models?q=sk-proj-****" in formatted[0] and "token=****" in formatted[0]
    assert "Uvicorn running on" in formatted[1] and "127.0.0.1:8000" in formatted[1] and "%s" not in formatted[1]
    assert "Started scope=" in formatted[2]
    for line in formatted:
        assert secret not in line and ADMIN_TOKEN not in line, line

"""The start-up shortcuts of issue 15 keep behaviour: lazy httpx patching, the contract cache, shared TLS."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run(code: str, tmp_path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MOCKAPI_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT,
                          check=True, timeout=120).stdout


def test_httpx_first_imported_during_an_interception_is_intercepted_and_restored(tmp_path: Path) -> None:
    out = _run("""
import sys
from mockapi.testing.mocking import Options
from mockapi.testing.session import inprocess
assert "httpx" not in sys.modules
with inprocess(Options()) as session:
    import httpx
    reply = httpx.post("https://api.openai.com/v1/chat/completions", headers={"authorization": "Bearer " + session.api_key},
                       json={"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]})
    print(reply.status_code, len(session.calls))
print(httpx.HTTPTransport.handle_request.__module__)
""", tmp_path)
    assert out.split() == ["200", "1", "httpx._transports.default"]


def test_a_cached_contract_reads_as_the_parsed_file(tmp_path: Path) -> None:
    from mockapi.core.contract_cache import read_document
    from mockapi.core.paths import contracts_dir

    source = contracts_dir() / "openapi.json"
    os.environ["MOCKAPI_CACHE_DIR"] = str(tmp_path)
    try:
        first = read_document(source)  # parses the file, writes the cache
        cached = read_document(source)  # reads the cache: schemas parsed on lookup
    finally:
        del os.environ["MOCKAPI_CACHE_DIR"]
    assert len(list(tmp_path.iterdir())) == 1
    schemas = cached["components"]["schemas"]
    assert list(schemas) == list(first["components"]["schemas"])
    assert json.loads(json.dumps({k: schemas[k] for k in schemas})) == first["components"]["schemas"]
    assert {k: v for k, v in cached.items() if k != "components"} == {k: v for k, v in first.items() if k != "components"}


def test_session_clients_share_one_tls_context(mockapi) -> None:  # noqa: ANN001 - the plugin's fixture
    first = mockapi.openai_client()
    second = mockapi.openai_client(async_=True)
    try:
        assert first.models.list().data
        pools = [c._client._transport._pool for c in (first, second)]
        assert pools[0]._ssl_context is pools[1]._ssl_context
    finally:
        first.close()

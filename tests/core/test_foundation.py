"""The foundation: contract-driven routing, validation levels, errors, auth, headers, CORS, config."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import httpx2
import openai
import pytest

from mockapi.assembly import build_engine
from mockapi.contract import load_contract
from mockapi.core.config import ConfigError, Settings, load_settings
from mockapi.core.engine import Request
from tests.conftest import API_KEY, inprocess_clients, make_engine

CHAT = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}


@pytest.fixture
def http(mock):
    """A raw HTTP client for the mock in both modes (for requests the SDK would never send)."""
    if mock.mode == "inprocess":
        from mockapi.doors.transport import transports

        client = httpx2.Client(transport=transports("httpx2")[0](mock.engine), base_url=mock.base_url)
    else:
        client = httpx2.Client(base_url=mock.base_url)
    yield client
    client.close()


AUTH = {"authorization": f"Bearer {API_KEY}"}


def test_contract_is_up_to_date_with_the_installed_sdk():
    from mockapi.contractgen import CONTRACT_PATH

    assert load_contract().sdk_version == openai.__version__, "tests/constraints.txt pins the SDK the contract was built from"
    # Built in a fresh interpreter, as `make contracts` builds it: pydantic caches a schema per type, and two Literal
    # types that differ only in order are equal, so in a process where another test already used the SDK's types an
    # enum could come out in that earlier type's order.
    built = subprocess.run([sys.executable, "-c", "import sys; from mockapi.contractgen import build_document, render; "
                            "sys.stdout.write(render(build_document()))"],
                           capture_output=True, encoding="utf-8", env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                           timeout=300, check=True, cwd=CONTRACT_PATH.parents[1]).stdout
    assert CONTRACT_PATH.read_text() == built, "run `make contracts`"


def test_contract_is_valid_openapi_3_1():
    doc = load_contract().document
    assert doc["openapi"] == "3.1.0"
    from jsonschema import Draft202012Validator

    for name, schema in doc["components"]["schemas"].items():
        Draft202012Validator.check_schema(schema)


def test_every_served_operation_is_in_the_contract():
    from mockapi.api import discover_handlers

    ids = {op.operation_id for op in load_contract().operations}
    assert set(discover_handlers()) <= ids


def test_unknown_path_is_404_and_wrong_method_405(http):
    r = http.get("/nothing/here", headers=AUTH)
    assert r.status_code == 404 and set(r.json()["error"]) == {"message", "type", "param", "code"}
    r = http.put("/chat/completions", headers=AUTH, json=CHAT)
    assert r.status_code == 405 and r.json()["error"]["type"] == "invalid_request_error"
    assert "POST" in r.headers["allow"]


def test_contract_operation_without_handler_is_404():
    from mockapi.contract import Contract

    doc = json.loads(json.dumps(load_contract().document))
    doc["paths"]["/made/up"] = {"get": {"operationId": "madeUp", "responses": {}}}
    engine = build_engine(contract=Contract(doc))
    reply = engine.handle(Request("GET", "/v1/made/up", {"authorization": f"Bearer {API_KEY}"}))
    assert reply.status == 404 and json.loads(reply.body)["error"]["code"] == "unknown_url"


@pytest.mark.parametrize("body,content_type", [
    (b"{not json", "application/json"),
    (b"", "application/json"),
    (b"[1, 2]", "application/json"),
    (json.dumps(CHAT).encode(), "text/plain"),
])
def test_malformed_bodies_are_400_never_500(http, body, content_type):
    r = http.post("/chat/completions", headers={**AUTH, "content-type": content_type}, content=body)
    assert r.status_code == 400
    assert r.json()["error"]["type"] == "invalid_request_error"


def test_unknown_top_level_parameter_is_rejected(http):
    r = http.post("/chat/completions", headers=AUTH, json={**CHAT, "temprature": 1})
    assert r.status_code == 400
    assert r.json()["error"] == {"message": "Unrecognized request argument supplied: temprature", "type": "invalid_request_error",
                                 "param": None, "code": None}


def test_violation_names_the_offending_path(http):
    r = http.post("/chat/completions", headers=AUTH, json={"model": "gpt-4o", "messages": [{"role": "robot", "content": "x"}]})
    assert r.status_code == 400 and r.json()["error"]["param"] == "messages[0].role"
    r = http.post("/chat/completions", headers=AUTH, json={"model": "gpt-4o"})
    assert r.json()["error"]["param"] == "messages" and r.json()["error"]["code"] == "missing_required_parameter"


@pytest.mark.parametrize("headers", [{}, {"authorization": "Basic abc"}, {"authorization": "Bearer"}, {"authorization": "Bearer not-a-key"}])
def test_bad_credentials_are_401(http, headers):
    r = http.get("/models", headers=headers)
    assert r.status_code == 401
    assert r.json()["error"]["type"] == "invalid_request_error"


@pytest.mark.parametrize("key", ["sk-abc123", "sk-proj-abc_DEF-123", "sk-svcacct-xyz"])
def test_key_prefixes_are_accepted(http, key):
    assert http.get("/models", headers={"authorization": f"Bearer {key}"}).status_code == 200


def test_sdk_raises_authentication_error(mock):
    client = mock.client.with_options(api_key="nonsense")
    with pytest.raises(openai.AuthenticationError) as info:
        client.models.list()
    assert info.value.code == "invalid_api_key"


def test_configured_keys_restrict_access_and_carry_the_organization():
    from mockapi.core.config import KeyInfo

    engine = build_engine(Settings(keys={"sk-only-this": KeyInfo(organization="org-acme", project="proj_1", tier="free")}))
    client, _ = inprocess_clients(engine, max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.models.list()
    ok = client.with_options(api_key="sk-only-this").models.with_raw_response.list()
    assert ok.headers["openai-organization"] == "org-acme"
    assert ok.headers["x-ratelimit-limit-requests"] == "3"  # the free tier


def test_standard_headers_on_success_and_error(http):
    for r in (http.get("/models", headers=AUTH), http.get("/models/nope", headers=AUTH)):
        assert re.fullmatch(r"req_[0-9a-f]{32}", r.headers["x-request-id"])
        assert r.headers["openai-version"] and int(r.headers["openai-processing-ms"]) >= 0
        for name in ("limit-requests", "limit-tokens", "remaining-requests", "remaining-tokens"):
            assert r.headers[f"x-ratelimit-{name}"].isdigit()
        for name in ("reset-requests", "reset-tokens"):
            assert re.fullmatch(r"(\d+h)?(\d+m)?(\d+(\.\d+)?s|\d+ms)", r.headers[f"x-ratelimit-{name}"])


def test_remaining_falls_with_each_call_and_tokens_are_charged(mock):
    first = mock.client.chat.completions.with_raw_response.create(**CHAT)
    second = mock.client.chat.completions.with_raw_response.create(**CHAT)
    assert int(second.headers["x-ratelimit-remaining-requests"]) == int(first.headers["x-ratelimit-remaining-requests"]) - 1
    used = second.parse().usage.total_tokens
    assert int(first.headers["x-ratelimit-remaining-tokens"]) - int(second.headers["x-ratelimit-remaining-tokens"]) == used


def test_request_id_reaches_the_sdk_error(mock):
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.models.retrieve("nope")
    assert info.value.request_id.startswith("req_")


def test_cors_preflight_and_exposed_headers(mock):
    if mock.mode != "live":
        pytest.skip("CORS is an HTTP concern: live mode only")
    with httpx2.Client(base_url=mock.base_url) as http:
        pre = http.options("/chat/completions", headers={
            "origin": "http://localhost:3000", "access-control-request-method": "POST",
            "access-control-request-headers": "authorization,content-type,x-stainless-os,openai-project"})
        assert pre.status_code == 200
        assert "authorization" in pre.headers["access-control-allow-headers"].lower()
        r = http.get("/models", headers={**AUTH, "origin": "http://localhost:3000"})
        exposed = r.headers["access-control-expose-headers"].lower()
        assert "x-request-id" in exposed and "x-ratelimit-remaining-requests" in exposed


GENERATED_SUITE_CALL = dict(
    # What a Stainless-generated SDK test sends: every parameter, placeholder values.
    messages=[{"content": "string", "role": "developer", "name": "name"}],
    model="gpt-4o", audio={"format": "wav", "voice": "alloy"}, frequency_penalty=-2, function_call="none",
    functions=[{"name": "name", "description": "description", "parameters": {"foo": "bar"}}],
    logit_bias={"foo": 0}, logprobs=True, max_completion_tokens=0, max_tokens=0, metadata={"foo": "string"},
    modalities=["text"], n=1, parallel_tool_calls=True, prediction={"content": "string", "type": "content"},
    presence_penalty=-2, reasoning_effort="none", response_format={"type": "text"}, seed=-9007199254740991,
    service_tier="auto", stop="\n", store=True, stream_options={"include_obfuscation": True, "include_usage": True},
    temperature=1, tool_choice="none",
    tools=[{"function": {"name": "name", "description": "description", "parameters": {"foo": "bar"}, "strict": True}, "type": "function"}],
    top_logprobs=0, top_p=1, user="user-1234", verbosity="low", web_search_options={"search_context_size": "low"},
)


def test_schema_level_answers_a_generated_sdk_suite_call():
    engine = make_engine(validation="schema", key_format="any")  # the generated suite's key is "My API Key"
    client, _ = inprocess_clients(engine, max_retries=0)
    r = client.with_options(api_key="My API Key").chat.completions.create(**GENERATED_SUITE_CALL)
    assert r.object == "chat.completion"


def test_faithful_level_rejects_the_same_call_and_header_switches_level(mock):
    with pytest.raises(openai.BadRequestError):
        mock.client.chat.completions.create(**GENERATED_SUITE_CALL)
    r = mock.client.chat.completions.create(**GENERATED_SUITE_CALL, extra_headers={"x-mockapi-validation": "schema"})
    assert r.object == "chat.completion"


def test_fixture_overrides_answer_matching_requests(tmp_path):
    (tmp_path / "replies.yaml").write_text(
        "- match: {model: gpt-4o, message: '(?i)capital of france'}\n  reply: {content: Paris.}\n"
        "- match: {message: refuse me}\n  reply: {refusal: I can't help with that.}\n"
        "- match: {tools: [get_weather]}\n  reply: {tool_calls: [{name: get_weather, arguments: {location: Oslo}}]}\n")
    engine = make_engine(fixtures=(str(tmp_path),))
    client, _ = inprocess_clients(engine, max_retries=0)
    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "What is the capital of France?"}])
    assert r.choices[0].message.content == "Paris."
    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "please refuse me"}])
    assert r.choices[0].message.refusal == "I can't help with that." and r.choices[0].message.content is None
    tool = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"location": {"type": "string"}}}}}
    r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hello"}], tools=[tool])
    assert json.loads(r.choices[0].message.tool_calls[0].function.arguments) == {"location": "Oslo"}


def test_bad_fixture_file_fails_loudly_with_its_path(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text("- match: {model: [unclosed\n")
    with pytest.raises(ConfigError, match="broken.yaml"):
        make_engine(fixtures=(str(tmp_path),))
    bad.write_text("- match: {colour: red}\n  reply: {content: x}\n")
    with pytest.raises(ConfigError, match="unknown match keys"):
        make_engine(fixtures=(str(tmp_path),))


def test_config_file_then_env_then_flags(tmp_path):
    cfg = tmp_path / "mock.yaml"
    cfg.write_text("seed: 5\nport: 9000\nmodels:\n  my-model: {context_window: 100}\n")
    s = load_settings(cfg, env={"MOCKAPI_PORT": "9100"})
    assert (s.seed, s.port) == (5, 9100)
    assert load_settings(cfg, env={"MOCKAPI_PORT": "9100"}, port=9200).port == 9200
    engine = build_engine(s)
    assert engine.catalog.get("my-model").context_window == 100
    with pytest.raises(ConfigError):
        load_settings(env={"MOCKAPI_VALIDATION": "loose"})


def test_frozen_clock_sets_created(mock):
    mock.engine.clock.advance(60)
    assert mock.client.chat.completions.create(**CHAT).created == 1_750_000_060


def test_engine_never_raises_on_garbage():
    engine = make_engine()
    for request in [
        Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {API_KEY}"}, b"\xff\xfe"),
        Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {API_KEY}"}, b'{"model": 1, "messages": "x"}'),
        Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {API_KEY}"}, b'{"model":"gpt-4o","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,!!!"}}]}]}'),
        Request("GET", "/v1/models/%00", {"authorization": f"Bearer {API_KEY}"}),
    ]:
        reply = engine.handle(request)
        assert 400 <= reply.status < 500 or reply.status == 200, reply.body
        if reply.status >= 400:
            assert set(json.loads(reply.body)["error"]) == {"message", "type", "param", "code"}


def test_contract_paths_are_served_at_the_root_too(http):
    """Generated SDK suites point at the server root, as they do with spec mocks like Prism."""
    root = str(http.base_url).rsplit("/v1", 1)[0]
    r = http.get(f"{root}/models", headers=AUTH)
    assert r.status_code == 200 and r.json()["object"] == "list"
    assert http.get(f"{root}/nothing", headers=AUTH).status_code == 404


def _schema_client():
    engine = make_engine(validation="schema", key_format="any")
    client, _ = inprocess_clients(engine, max_retries=0)
    return engine, client.with_options(api_key="My API Key")


def test_schema_level_answers_unknown_ids_and_refused_rules_with_contract_shapes():
    engine, client = _schema_client()
    completion = client.chat.completions.retrieve("completion_id")  # unknown, not even well-formed
    assert completion.id == "completion_id"
    errors = load_contract().response_errors("getChatCompletion", completion.model_dump(mode="json", by_alias=True, exclude_unset=True))
    assert not errors
    # dall-e-2 has no `style`; faithful refuses it, schema answers with the contract's shape.
    image = client.images.generate(prompt="a cat", model="dall-e-2", style="vivid")
    assert image.created
    faithful, _ = inprocess_clients(make_engine(), max_retries=0)
    with pytest.raises(openai.BadRequestError):
        faithful.images.generate(prompt="a cat", model="dall-e-2", style="vivid")


def test_schema_level_keeps_injected_faults():
    _, client = _schema_client()
    with pytest.raises(openai.InternalServerError):
        client.models.list(extra_headers={"x-mockapi-fault": "503"})

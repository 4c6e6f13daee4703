"""Validation level ``schema`` keeps the contract's promise: shapes only, but a request that breaks the
contract still gets a 400, keys must look like keys, and binary endpoints answer bytes."""

from __future__ import annotations

import json

import openai
import pytest
from conftest import make_engine

from mockapi.core.engine import VALIDATION_HEADER, Request

LEVELS = ["faithful", "schema"]


@pytest.mark.parametrize("level, query, param, message", [
    ("faithful", {"limit": 0}, "limit", "Invalid 'limit': integer below minimum value. Expected a value >= 1, but got 0 instead."),
    ("faithful", {"limit": 10001}, "limit", "Invalid 'limit': integer above maximum value. Expected a value <= 10000, but got 10001 instead."),
    ("faithful", {"order": "sideways"}, "order", "Invalid value: 'sideways'. Supported values are: 'asc' and 'desc'."),
    ("schema", {"order": "sideways"}, "order", "Invalid value: 'sideways'. Supported values are: 'asc' and 'desc'."),
])
def test_list_query_parameters_are_checked(mock, level, query, param, message):
    with pytest.raises(openai.BadRequestError) as caught:
        mock.client.files.list(**query, extra_headers={VALIDATION_HEADER: level})  # the SDK sends the query as given
    assert caught.value.status_code == 400
    assert caught.value.body["param"] == param and caught.value.body["message"] == message


@pytest.mark.parametrize("level", LEVELS)
def test_a_query_integer_that_is_not_a_number_is_a_type_error(mock, level):
    with pytest.raises(openai.BadRequestError) as caught:
        mock.client.chat.completions.list(extra_query={"limit": "ten"}, extra_headers={VALIDATION_HEADER: level})
    assert caught.value.body["code"] == "invalid_type" and caught.value.body["param"] == "limit"


def test_query_ranges_are_the_faithful_levels_rules(mock):
    # The SDK's generated suite sends limit=0, which the spec it comes from allows: level schema answers it.
    page = mock.client.files.list(limit=0, extra_headers={VALIDATION_HEADER: "schema"})
    assert page.object == "list"


@pytest.mark.parametrize("level", LEVELS)
def test_valid_query_parameters_still_list(mock, level):
    page = mock.client.files.list(limit=1, order="asc", extra_headers={VALIDATION_HEADER: level})
    assert page.object == "list"


def test_a_nullable_query_parameter_is_read_as_its_type(mock):
    # `limit: Optional[int]` is `anyOf [integer, null]` in the contract: the text "1" is the integer 1, and
    # a boolean flag passes as each SDK spells it (the SDK's generated suite sends both).
    usage = mock.client.with_options(admin_api_key="sk-admin-0123456789").admin.organization.usage
    page = usage.decisions(start_time=0, limit=1, batch=True, bucket_width="1d", extra_headers={VALIDATION_HEADER: "schema"})
    assert page.object == "page"
    with pytest.raises(openai.BadRequestError) as caught:
        usage.decisions(start_time=0, extra_query={"limit": "ten"}, extra_headers={VALIDATION_HEADER: "schema"})
    assert caught.value.body["code"] == "invalid_type" and caught.value.body["param"] == "limit"
    with pytest.raises(openai.BadRequestError) as caught:
        usage.decisions(start_time=0, extra_query={"bucket_width": "1y"}, extra_headers={VALIDATION_HEADER: "schema"})
    assert caught.value.body["param"] == "bucket_width"


def _upload(engine, path: str, parts: dict[str, str], content_type: str = "multipart/form-data; boundary=b0undary"):
    raw = b"".join(f'--b0undary\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                   for k, v in parts.items()) + b"--b0undary--\r\n"
    headers = {"authorization": "Bearer sk-test-0123456789", "content-type": content_type}
    return engine.handle(Request("POST", path, headers, raw))


@pytest.mark.parametrize("path, parts, missing", [
    ("/v1/files", {}, "file"),
    ("/v1/files", {"purpose": "assistants"}, "file"),
    ("/v1/audio/transcriptions", {"model": "whisper-1"}, "file"),
    ("/v1/images/edits", {"prompt": "a cat"}, "image"),
    ("/v1/uploads/upload_unknown/parts", {}, "data"),  # the unknown upload (a faithful 404) does not hide it
])
def test_schema_level_refuses_a_multipart_body_without_its_required_parts(path, parts, missing):
    reply = _upload(make_engine(validation="schema"), path, parts)
    error = json.loads(reply.body)["error"]
    assert reply.status == 400 and error["param"] == missing and error["code"] == "missing_required_parameter"


def test_schema_level_refuses_an_upload_that_is_not_multipart():
    reply = _upload(make_engine(validation="schema"), "/v1/audio/transcriptions", {}, content_type="application/json")
    assert reply.status == 400 and json.loads(reply.body)["error"]["code"] == "invalid_content_type"


def test_schema_level_answers_the_json_body_the_sdk_sends_a_form_operation_without_files(mock):
    # With no file to upload the SDK posts `{}` as JSON; the skill types require no part, so it fits the contract.
    skill = mock.client.skills.create(extra_headers={VALIDATION_HEADER: "schema"})
    assert skill.object == "skill"
    version = mock.client.skills.versions.create("skill_123", extra_headers={VALIDATION_HEADER: "schema"})
    assert version.object == "skill.version"
    with pytest.raises(openai.BadRequestError) as caught:  # a field of the wrong type is still the contract's 400
        mock.client.skills.versions.create("skill_123", extra_body={"default": "yes"}, extra_headers={VALIDATION_HEADER: "schema"})
    assert caught.value.body["param"] == "default"
    with pytest.raises(openai.BadRequestError) as caught:  # the faithful level keeps the form rule
        mock.client.skills.create(extra_headers={VALIDATION_HEADER: "faithful"})
    assert caught.value.body["code"] == "invalid_content_type"


@pytest.mark.parametrize("asked, reported", [("1536x1024", "1536x1024"), ("auto", "1024x1024"), ("256x256", "1024x1024")])
def test_a_made_up_image_answer_reports_a_size_image_models_produce(mock, asked, reported):
    # The answer's size is the output's: never "auto" or a DALL-E size, which the first 3.x SDKs' Literal refuses.
    answer = mock.client.images.generate(prompt="a cat", model="my-image-model", size=asked, extra_headers={VALIDATION_HEADER: "schema"})
    assert answer.size == reported


def test_schema_level_still_synthesizes_for_a_faithful_rule(mock):
    # temperature 3 breaks the real API's range (a faithful rule), not the contract's shape.
    reply = mock.client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}],
                                                temperature=3, extra_headers={VALIDATION_HEADER: "schema"})
    assert reply.object == "chat.completion"


@pytest.mark.parametrize("level, key_format", [("faithful", "auto"), ("faithful", "sk"), ("schema", "sk")])
@pytest.mark.parametrize("key", ["x", "My API Key", "Bearer-ish", "pk-123"])
def test_a_key_that_is_not_an_openai_key_is_refused(level, key_format, key):
    from conftest import inprocess_clients

    client, _ = inprocess_clients(make_engine(validation=level, key_format=key_format), max_retries=0)
    client = client.with_options(api_key=key)
    with pytest.raises(openai.AuthenticationError) as caught:
        client.models.list()
    assert caught.value.body["code"] == "invalid_api_key"


@pytest.mark.parametrize("level, key_format", [("faithful", "any"), ("schema", "any"), ("schema", "auto")])
def test_any_token_passes_with_key_format_any_and_at_level_schema_by_default(level, key_format):
    # Level schema is what spec mocks give, and generated SDK suites (openai-python's tests/api_resources) send
    # "My API Key": `mockapi serve --validation schema` must take it with no other setting.
    from conftest import inprocess_clients

    client, _ = inprocess_clients(make_engine(validation=level, key_format=key_format), max_retries=0)
    client = client.with_options(api_key="My API Key")
    assert client.models.list().object == "list"


def test_a_missing_key_is_refused_at_level_schema_too():
    from conftest import inprocess_clients

    client, _ = inprocess_clients(make_engine(validation="schema"), max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.models.list(extra_headers={"Authorization": ""})


def test_key_format_comes_from_the_flag_and_the_environment():
    from mockapi.cli import _settings, build_parser
    from mockapi.core.config import ConfigError, load_settings

    assert _settings(build_parser().parse_args(["serve", "--validation", "schema"])).any_key
    assert not _settings(build_parser().parse_args(["serve", "--validation", "schema", "--key-format", "sk"])).any_key
    assert load_settings(env={"MOCKAPI_KEY_FORMAT": "any"}).any_key
    with pytest.raises(ConfigError, match="key_format must be one of"):
        load_settings(env={"MOCKAPI_KEY_FORMAT": "loose"})


@pytest.mark.parametrize("level", LEVELS)
def test_speech_is_audio_bytes_at_every_level(mock, level):
    speech = mock.client.audio.speech.create(model="gpt-4o-mini-tts", voice="alloy", input="Hello there.",
                                             extra_headers={VALIDATION_HEADER: level})
    assert not speech.response.headers["content-type"].startswith("application/json")
    assert len(speech.content) > 0


def test_schema_level_answers_bytes_from_speech_even_when_a_faithful_rule_refuses(mock):
    # An unknown model is a faithful refusal; level schema synthesizes, and a synthesized speech is bytes.
    speech = mock.client.audio.speech.create(model="not-a-tts-model", voice="alloy", input="Hello there.",
                                             extra_headers={VALIDATION_HEADER: "schema"})
    assert speech.response.headers["content-type"] == "application/octet-stream"
    assert speech.content and not speech.content.startswith(b"{") and not speech.content.startswith(b'"')


def test_schema_level_answers_bytes_from_file_content_for_an_unknown_file(mock):
    content = mock.client.files.content("file-doesnotexist000000", extra_headers={VALIDATION_HEADER: "schema"})
    assert content.response.headers["content-type"] == "application/octet-stream"
    assert not content.content.startswith(b'"')

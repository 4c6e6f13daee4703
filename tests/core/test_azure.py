"""Azure OpenAI routes (reference §2.5, seed-inventory E29/R6) through the ``AzureOpenAI`` SDK client, in both modes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

import httpx2
import openai
import pytest
from conftest import FROZEN_AT, make_engine

from mockapi.contract import load_contract
from mockapi.doors.live import LiveServer
from mockapi.doors.transport import transports

AZURE_KEY = "0123456789abcdef0123456789abcdef"  # Azure keys are 32 hex characters, not sk-…
API_VERSION = "2024-10-21"
DEPLOYMENTS = {"prod-chat": "gpt-4o-mini", "legacy-text": "gpt-3.5-turbo-instruct", "search": "text-embedding-3-small",
               "voice": "tts-1", "ears": "whisper-1", "painter": "dall-e-3"}


def validate(operation_id: str, body: Any, *, stream: bool = False) -> None:
    """Assert that a body (or one stream event) conforms to the contract."""
    if hasattr(body, "model_dump"):
        body = body.model_dump(mode="json", exclude_unset=True)
    errors = load_contract().response_errors(operation_id, body, stream=stream)
    assert not errors, f"{operation_id} response breaks the contract: {errors}"


@dataclass
class Azure:
    """The mock reached as an Azure OpenAI resource."""

    mode: str
    endpoint: str
    engine: Any

    def client(self, **kwargs: Any) -> openai.AzureOpenAI:
        """An AzureOpenAI client on this endpoint (api-key auth unless told otherwise)."""
        kwargs.setdefault("api_key", None if "azure_ad_token" in kwargs else AZURE_KEY)
        http = httpx2.Client(transport=transports("httpx2")[0](self.engine)) if self.mode == "inprocess" else None
        return openai.AzureOpenAI(azure_endpoint=self.endpoint, api_version=API_VERSION, max_retries=0, http_client=http, **kwargs)

    def async_client(self) -> openai.AsyncAzureOpenAI:
        """An async AzureOpenAI client on this endpoint."""
        http = httpx2.AsyncClient(transport=transports("httpx2")[1](self.engine)) if self.mode == "inprocess" else None
        return openai.AsyncAzureOpenAI(azure_endpoint=self.endpoint, api_version=API_VERSION, api_key=AZURE_KEY,
                                       max_retries=0, http_client=http)

    def raw(self) -> httpx2.Client:
        """A plain HTTP client on this endpoint, for requests the SDK would never send."""
        if self.mode == "inprocess":
            return httpx2.Client(base_url=self.endpoint, transport=transports("httpx2")[0](self.engine))
        return httpx2.Client(base_url=self.endpoint)


@pytest.fixture(scope="module")
def _azure_server() -> Iterator[LiveServer]:
    with LiveServer(make_engine(extra={"azure_deployments": DEPLOYMENTS})) as server:
        yield server


@pytest.fixture(params=["inprocess", "live"])
def azure(request: pytest.FixtureRequest) -> Azure:
    """The mock with a deployment map, as an Azure resource, in both modes."""
    if request.param == "inprocess":
        return Azure("inprocess", "https://example-resource.openai.azure.com", make_engine(extra={"azure_deployments": DEPLOYMENTS}))
    server: LiveServer = request.getfixturevalue("_azure_server")
    server.engine.store.reset()
    server.engine.clock.freeze(FROZEN_AT)
    return Azure("live", f"http://{server.host}:{server.port}", server.engine)


def test_chat_on_a_mapped_deployment_answers_as_its_model(azure):
    completion = azure.client().chat.completions.create(model="prod-chat", messages=[{"role": "user", "content": "Hello"}])
    assert completion.model == "gpt-4o-mini" and completion.choices[0].message.content
    validate("createChatCompletion", completion)


def test_azure_answer_equals_the_openai_answer_for_the_same_model(azure):
    messages = [{"role": "user", "content": "Name three rivers."}]
    via_azure = azure.client().chat.completions.create(model="prod-chat", messages=messages)
    direct_engine = make_engine()
    sync_t, _ = transports("httpx2")
    direct = openai.OpenAI(api_key="sk-test-0123456789", http_client=httpx2.Client(transport=sync_t(direct_engine)))
    plain = direct.chat.completions.create(model="gpt-4o-mini", messages=messages)
    assert via_azure.choices[0].message.content == plain.choices[0].message.content


def test_chat_stream_through_azure(azure):
    stream = azure.client().chat.completions.create(model="prod-chat", messages=[{"role": "user", "content": "Stream please"}],
                                                    stream=True, stream_options={"include_usage": True})
    text, usage = "", None
    for chunk in stream:
        validate("createChatCompletion", chunk.model_dump(mode="json"), stream=True)
        assert chunk.model == "gpt-4o-mini"
        text += "".join(c.delta.content or "" for c in chunk.choices)
        usage = chunk.usage or usage
    assert text and usage is not None and usage.completion_tokens > 0


async def test_async_chat_stream_through_azure(azure):
    client = azure.async_client()
    stream = await client.chat.completions.create(model="prod-chat", messages=[{"role": "user", "content": "Hi"}], stream=True)
    finishes = [c.choices[0].finish_reason async for c in stream if c.choices and c.choices[0].finish_reason]
    assert finishes == ["stop"]
    await client.close()


def test_legacy_completions_on_a_deployment_stream_too(azure):
    client = azure.client()
    whole = client.completions.create(model="legacy-text", prompt="Once upon a time", max_tokens=5)
    assert whole.model == "gpt-3.5-turbo-instruct" and whole.choices[0].finish_reason == "length"
    streamed = "".join(c.choices[0].text for c in client.completions.create(model="legacy-text", prompt="Once upon a time",
                                                                              max_tokens=5, stream=True) if c.choices)
    assert streamed == whole.choices[0].text


def test_embeddings_on_a_deployment(azure):
    result = azure.client().embeddings.create(model="search", input=["alpha", "beta"])
    assert result.model == "text-embedding-3-small" and len(result.data) == 2 and len(result.data[0].embedding) == 1536


def test_audio_and_images_on_deployments(azure):
    client = azure.client()
    speech = client.audio.speech.create(model="voice", voice="alloy", input="Hello from Azure.", response_format="wav").read()
    assert speech[:4] == b"RIFF"
    # A multipart request: the form's model field becomes the deployment's model.
    transcript = client.audio.transcriptions.create(model="ears", file=("hello.wav", speech, "audio/wav"))
    assert transcript.text
    image = client.images.generate(model="painter", prompt="a red circle", size="1024x1024")
    assert len(image.data) == 1


def test_unmapped_deployment_named_like_a_model_is_that_model(azure):
    completion = azure.client().chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
    assert completion.model == "gpt-4o"


def test_client_bound_to_a_deployment_ignores_the_body_model(azure):
    client = azure.client(azure_deployment="prod-chat")
    completion = client.chat.completions.create(model="whatever-the-code-says", messages=[{"role": "user", "content": "Hi"}])
    assert completion.model == "gpt-4o-mini"


@pytest.mark.parametrize("deployment, model", [("my-gpt-4-deployment", "gpt-4"), ("prod-gpt-4o-mini", "gpt-4o-mini"),
                                               ("team-gpt-35-turbo", "gpt-3.5-turbo"), ("no-such-deployment", "gpt-4o-mini")])
def test_an_unmapped_deployment_serves_the_model_its_name_contains_else_the_default(azure, deployment, model):
    completion = azure.client().chat.completions.create(model=deployment, messages=[{"role": "user", "content": "Hi"}])
    assert completion.model == model


def test_an_unknown_deployment_gets_the_operations_default_model(azure):
    result = azure.client().embeddings.create(model="my-embedder", input="alpha")
    assert result.model == "text-embedding-3-small" and len(result.data[0].embedding) == 1536


def _azure_engine_client(azure_options: dict) -> openai.AzureOpenAI:
    engine = make_engine(extra={"azure_deployments": DEPLOYMENTS, "azure": azure_options})
    return Azure("inprocess", "https://example-resource.openai.azure.com", engine).client()


def test_a_configured_default_model_serves_unknown_deployments():
    client = _azure_engine_client({"default_model": "gpt-4o"})
    assert client.chat.completions.create(model="mystery", messages=[{"role": "user", "content": "Hi"}]).model == "gpt-4o"
    assert client.chat.completions.create(model="prod-chat", messages=[{"role": "user", "content": "Hi"}]).model == "gpt-4o-mini"


def test_unknown_deployments_can_be_azures_404():
    client = _azure_engine_client({"unknown_deployments": "404"})
    with pytest.raises(openai.NotFoundError) as info:
        client.chat.completions.create(model="my-gpt-4-deployment", messages=[{"role": "user", "content": "Hi"}])
    assert info.value.body["code"] == "DeploymentNotFound"
    assert info.value.body["message"].startswith("The API deployment for this resource does not exist.")
    assert client.chat.completions.create(model="prod-chat", messages=[{"role": "user", "content": "Hi"}]).model == "gpt-4o-mini"
    assert client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}]).model == "gpt-4o"


def test_the_azure_config_section_is_checked():
    from mockapi.core.config import ConfigError, from_mapping

    assert from_mapping({"azure": {"unknown_deployments": 404, "default_model": "gpt-4o"}}).extra["azure"]["default_model"] == "gpt-4o"
    for bad in ({"unknown_deployments": "maybe"}, {"default_modle": "gpt-4o"}, "serve", {"default_model": 3}):
        with pytest.raises(ConfigError):
            from_mapping({"azure": bad})


def test_the_references_azure_example_works_out_of_the_box():
    """Reference §2.5, as written (api-key, then an Entra token provider), on a mock with no config at all."""
    engine = make_engine()
    http = httpx2.Client(transport=transports("httpx2")[0](engine))
    client = openai.AzureOpenAI(api_key="...", api_version="2024-02-01", azure_endpoint="https://your-resource.openai.azure.com",
                                http_client=http, max_retries=0)
    response = client.chat.completions.create(
        model="my-gpt-4-deployment",  # Deployment name
        messages=[{"role": "user", "content": "Hello"}]
    )
    assert response.model == "gpt-4" and response.choices[0].message.content
    validate("createChatCompletion", response)
    entra = openai.AzureOpenAI(azure_ad_token_provider=lambda: "entra-token", api_version="2024-02-01",
                               azure_endpoint="https://your-resource.openai.azure.com", http_client=http, max_retries=0)
    again = entra.chat.completions.create(model="my-gpt-4-deployment", messages=[{"role": "user", "content": "Hello"}])
    assert again.choices[0].message.content == response.choices[0].message.content


def test_other_routes_go_to_openai_path(azure):
    models = azure.client().models.list()
    assert any(m.id == "gpt-4o" for m in models.data)


def test_api_version_is_required_on_classic_routes(azure):
    with azure.raw() as http:
        missing = http.post("/openai/deployments/prod-chat/chat/completions", headers={"api-key": AZURE_KEY},
                            json={"messages": [{"role": "user", "content": "Hi"}]})
        assert missing.status_code == 400
        assert missing.json()["error"]["param"] == "api-version"
        assert missing.json()["error"]["type"] == "invalid_request_error"
        assert http.get("/openai/models", headers={"api-key": AZURE_KEY}).status_code == 400
        ok = http.post(f"/openai/deployments/prod-chat/chat/completions?api-version={API_VERSION}", headers={"api-key": AZURE_KEY},
                       json={"messages": [{"role": "user", "content": "Hi"}]})
        assert ok.status_code == 200 and ok.json()["model"] == "gpt-4o-mini"


def test_credentials_api_key_or_bearer_and_none_is_401(azure):
    token_client = azure.client(azure_ad_token="eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl")
    assert token_client.chat.completions.create(model="prod-chat", messages=[{"role": "user", "content": "Hi"}]).choices
    with azure.raw() as http:
        anonymous = http.post(f"/openai/deployments/prod-chat/chat/completions?api-version={API_VERSION}",
                              json={"messages": [{"role": "user", "content": "Hi"}]})
        assert anonymous.status_code == 401
        # The Azure key format is accepted on Azure routes only: the OpenAI routes still want sk-… keys.
        openai_route = http.get("/v1/models", headers={"authorization": f"Bearer {AZURE_KEY}"})
        assert openai_route.status_code == 401


def test_deployment_route_for_a_non_deployment_operation_is_404(azure):
    with azure.raw() as http:
        reply = http.get(f"/openai/deployments/prod-chat/models?api-version={API_VERSION}", headers={"api-key": AZURE_KEY})
    assert reply.status_code == 404 and reply.json()["error"]["code"] == "unknown_url"


def test_v1_api_needs_no_api_version(azure):
    sync_t, _ = transports("httpx2")
    http = httpx2.Client(transport=sync_t(azure.engine)) if azure.mode == "inprocess" else None
    client = openai.OpenAI(base_url=f"{azure.endpoint}/openai/v1/", api_key=AZURE_KEY, max_retries=0, http_client=http)
    completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}])
    assert completion.model == "gpt-4o"
    chunks = list(client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == completion.choices[0].message.content


def test_multipart_deployment_requests_get_the_mapped_model():
    from mockapi.core import azure as azure_routes
    from mockapi.core.config import Settings
    from mockapi.core.engine import Request

    boundary = "b0undary"
    form = (f'--{boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nspeech-dep\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\nContent-Type: audio/wav\r\n\r\nRIFF\r\n'
            f'--{boundary}--\r\n').encode()
    request = Request("POST", "/openai/deployments/speech-dep/audio/transcriptions",
                      {"content-type": f"multipart/form-data; boundary={boundary}", "api-key": AZURE_KEY}, form,
                      query=f"api-version={API_VERSION}&timestamp_granularities=word")
    settings = Settings(extra={"azure_deployments": {"speech-dep": "whisper-1"}})
    rewritten = azure_routes.rewrite(request, settings, make_engine().catalog)
    assert rewritten.path == "/v1/audio/transcriptions"
    assert rewritten.query == "timestamp_granularities=word"
    assert b'name="model"\r\n\r\nwhisper-1\r\n' in rewritten.body and b"speech-dep" not in rewritten.body
    assert rewritten.body.endswith(f"--{boundary}--\r\n".encode())

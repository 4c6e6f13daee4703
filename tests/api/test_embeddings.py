"""Embeddings (§8): vectors real code can rank with, through the SDK, in both modes."""

from __future__ import annotations

import base64
import math
import struct

import openai
import pytest

from mockapi.api.embeddings.embed import cosine

DOCS = ["Machine learning is a subset of AI", "Deep learning uses neural networks", "Python is a programming language"]


def _norm(vector: list[float]) -> float:
    return math.sqrt(math.fsum(x * x for x in vector))


class SemanticSearch:
    """The reference's §8.8 example, verbatim in behaviour."""

    def __init__(self, client: openai.OpenAI, model: str = "text-embedding-3-small") -> None:
        self.client, self.model, self.documents = client, model, []

    def add_documents(self, texts: list[str]) -> None:
        response = self.client.embeddings.create(model=self.model, input=texts)
        self.documents += [(text, item.embedding) for text, item in zip(texts, response.data)]

    def search(self, query: str, top_k: int = 5) -> list[tuple[str, float]]:
        query_embedding = self.client.embeddings.create(model=self.model, input=query).data[0].embedding
        results = [(text, cosine(query_embedding, emb)) for text, emb in self.documents]
        return sorted(results, key=lambda x: x[1], reverse=True)[:top_k]


@pytest.mark.parametrize("query", ["What is machine learning?", "What is ML?"])
def test_semantic_search_ranks_the_matching_document_first(mock, query):
    search = SemanticSearch(mock.client)
    search.add_documents(DOCS)
    results = search.search(query, top_k=2)
    assert results[0][0] == "Machine learning is a subset of AI"
    assert results[0][1] > results[1][1]


def test_shared_words_score_higher_than_unrelated_texts(mock):
    texts = ["the cat sat on the mat", "a cat sat on a red mat", "quarterly revenue grew by ten percent"]
    vectors = [d.embedding for d in mock.client.embeddings.create(model="text-embedding-3-large", input=texts).data]
    assert cosine(vectors[0], vectors[1]) > cosine(vectors[0], vectors[2]) + 0.2


def test_vectors_are_normalized_deterministic_and_in_input_order(mock):
    texts = ["alpha", "beta", "gamma"]
    first = mock.client.embeddings.create(model="text-embedding-3-small", input=texts)
    again = mock.client.embeddings.create(model="text-embedding-3-small", input=list(reversed(texts)))
    assert [d.index for d in first.data] == [0, 1, 2]
    assert first.data[0].embedding == again.data[2].embedding  # a text's vector does not depend on its batch
    assert first.data[0].embedding != first.data[1].embedding
    for item in first.data:
        assert len(item.embedding) == 1536
        assert abs(_norm(item.embedding) - 1.0) < 1e-5
    assert first.model == "text-embedding-3-small" and first.object == "list"
    mock.validate("createEmbedding", first)


def test_model_default_sizes(mock):
    for model, size in [("text-embedding-3-small", 1536), ("text-embedding-3-large", 3072), ("text-embedding-ada-002", 1536)]:
        assert len(mock.client.embeddings.create(model=model, input="hi").data[0].embedding) == size


def test_float_and_base64_paths_agree(mock):
    # The SDK asks for base64 by default and decodes it; ask for floats explicitly and compare.
    decoded = mock.client.embeddings.create(model="text-embedding-3-small", input="hello world").data[0].embedding
    floats = mock.client.embeddings.create(model="text-embedding-3-small", input="hello world", encoding_format="float")
    assert floats.data[0].embedding == decoded
    mock.validate("createEmbedding", floats)


def test_raw_base64_is_little_endian_float32(mock):
    raw = mock.client.embeddings.with_raw_response.create(model="text-embedding-3-small", input="hello", encoding_format="base64")
    body = raw.http_response.json()
    packed = base64.b64decode(body["data"][0]["embedding"])
    assert len(packed) == 1536 * 4
    values = struct.unpack("<1536f", packed)
    assert abs(math.sqrt(math.fsum(v * v for v in values)) - 1.0) < 1e-5
    mock.validate("createEmbedding", body)


def test_dimensions_truncate_then_renormalize(mock):
    full = mock.client.embeddings.create(model="text-embedding-3-large", input="Hello world", encoding_format="float")
    short = mock.client.embeddings.create(model="text-embedding-3-large", input="Hello world", dimensions=256,
                                          encoding_format="float")
    head, vector = full.data[0].embedding[:256], short.data[0].embedding
    assert len(vector) == 256 and abs(_norm(vector) - 1.0) < 1e-5
    scale = _norm(head)
    assert all(abs(a / scale - b) < 1e-5 for a, b in zip(head, vector))


def test_lexical_similarity_survives_dimension_reduction(mock):
    def embed(texts: list[str]) -> list[list[float]]:
        data = mock.client.embeddings.create(model="text-embedding-3-large", input=texts, dimensions=256).data
        return [d.embedding for d in data]

    query, *docs = embed(["What is machine learning?", *DOCS])
    scores = [cosine(query, d) for d in docs]
    assert scores.index(max(scores)) == 0


def test_token_id_inputs_and_usage(mock):
    single = mock.client.embeddings.create(model="text-embedding-3-small", input=[1, 2, 3, 4])
    assert len(single.data) == 1 and single.usage.prompt_tokens == 4 == single.usage.total_tokens
    batch = mock.client.embeddings.create(model="text-embedding-3-small", input=[[1, 2], [3, 4, 5]])
    assert len(batch.data) == 2 and batch.usage.prompt_tokens == 5
    texts = mock.client.embeddings.create(model="text-embedding-3-small", input=["one two three", "four"])
    assert texts.usage.prompt_tokens == texts.usage.total_tokens >= 4


def test_rate_limit_headers_charge_the_input_tokens(mock):
    small = mock.client.embeddings.with_raw_response.create(model="text-embedding-3-small", input="hi")
    big = mock.client.embeddings.with_raw_response.create(model="text-embedding-3-small", input="word " * 1000)
    before = int(small.headers["x-ratelimit-remaining-tokens"])
    after = int(big.headers["x-ratelimit-remaining-tokens"])
    assert before - after >= 900


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        # A bad input gets the older validator's body, which names no param (mockapi/core/schema_errors.generic_error).
        ({"input": ""}, None),
        ({"input": []}, None),
        ({"input": ["x"] * 2049}, None),
        ({"input": [[]]}, None),
        ({"input": "word " * 8192}, "input"),
        ({"input": "hi", "dimensions": 0}, "dimensions"),
        ({"input": "hi", "dimensions": 1537}, "dimensions"),
        ({"input": "hi", "encoding_format": "hex"}, "encoding_format"),
    ],
)
def test_limits_give_400_naming_the_parameter(mock, kwargs, param):
    args = {"model": "text-embedding-3-small", **kwargs}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.embeddings.create(**args)
    assert info.value.body["param"] == param
    assert info.value.body["type"] == "invalid_request_error"


def test_over_300000_tokens_in_one_request_is_the_real_body(mock):
    # the real body has its own type and code, param null (assafelovic/gpt-researcher#1524, OpenDataBox/CrackSQL#27)
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.embeddings.create(model="text-embedding-3-small", input=["word " * 8000] * 38)
    body = info.value.body
    assert body["type"] == "max_tokens_per_request" and body["code"] == "max_tokens_per_request" and body["param"] is None
    assert body["message"].startswith("Requested ") and body["message"].endswith(" tokens, max 300000 tokens per request")


def test_dimensions_on_ada_and_a_chat_model_get_the_real_bodies(mock):
    # ada: 400, param and code null (SciPhi-AI/R2R#768); a chat model: 403 (infiniflow/ragflow#1835).
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.embeddings.create(model="text-embedding-ada-002", input="hi", dimensions=512)
    assert info.value.body == {"message": "This model does not support specifying dimensions.",
                               "type": "invalid_request_error", "param": None, "code": None}
    with pytest.raises(openai.PermissionDeniedError) as denied:
        mock.client.embeddings.create(model="gpt-4o", input="hi")
    assert denied.value.body == {"message": "You are not allowed to generate embeddings from this model",
                                 "type": "invalid_request_error", "param": None, "code": None}


def test_a_long_token_id_input_is_one_input(mock):
    response = mock.client.embeddings.create(model="text-embedding-3-small", input=list(range(3000)), dimensions=8)
    assert len(response.data) == 1 and response.usage.prompt_tokens == 3000


def test_the_largest_allowed_batch_and_input_pass(mock):
    many = mock.client.embeddings.create(model="text-embedding-3-small", input=["x"] * 2048, dimensions=8)
    assert len(many.data) == 2048
    long = mock.client.embeddings.create(model="text-embedding-3-small", input="word " * 8000, dimensions=8)
    assert long.usage.prompt_tokens <= 8191


def test_unknown_model_is_404(mock):
    with pytest.raises(openai.NotFoundError):
        mock.client.embeddings.create(model="text-embedding-9", input="hi")


async def test_async_client_embeds(mock):
    response = await mock.async_client.embeddings.create(model="text-embedding-3-small", input=["a b", "c d"])
    assert len(response.data) == 2 and abs(_norm(response.data[1].embedding) - 1.0) < 1e-5


def test_without_encoding_format_the_body_holds_json_floats(mock):
    # A client without the SDK's base64 default gets plain JSON numbers.
    body = mock.client.post("/embeddings", body={"model": "text-embedding-3-small", "input": "hi"}, cast_to=object)
    vector = body["data"][0]["embedding"]
    assert isinstance(vector, list) and len(vector) == 1536 and all(isinstance(x, float) for x in vector)
    mock.validate("createEmbedding", body)


def test_schema_level_answers_float_lists_as_spec_mocks_do():
    from conftest import inprocess_clients, make_engine

    # The SDK's generated suite sends "My API Key": level schema takes it once config says any key goes.
    client, _ = inprocess_clients(make_engine(validation="schema", key_format="any"), max_retries=0)
    raw = client.with_options(api_key="My API Key").embeddings.with_raw_response.create(model="text-embedding-3-small", input="hi")
    assert isinstance(raw.http_response.json()["data"][0]["embedding"], list)  # the SDK asked for base64

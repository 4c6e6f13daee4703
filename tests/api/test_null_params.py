"""A top-level ``null`` is the parameter left out, where the real server reads it so (level ``faithful``).

The SDK's types take ``None`` for fewer fields than the server does: llama-index's ``OpenAIResponses``
sends ``"user": null`` (and null ``include``, ``instructions``, ``metadata``, ``previous_response_id``,
``max_output_tokens``) on every call unless a user is set, and it works against the real API. A required
field is still refused when null, and level ``schema`` keeps the SDK's types.
"""

from __future__ import annotations

import openai
import pytest

VALIDATION_HEADER = "x-mockapi-validation"
HI = [{"role": "user", "content": "Tell me about bridges."}]


def test_the_request_llama_index_responses_sends_by_default_is_answered(mock):
    # llama-index-llms-openai 0.8's OpenAIResponses._get_model_kwargs with no user, tools or reasoning set.
    reply = mock.client.responses.create(
        model="gpt-4o-mini", input="Tell me about bridges.", include=None, instructions=None, max_output_tokens=None,
        metadata=None, previous_response_id=None, store=False, temperature=0.1, tools=[], top_p=1.0,
        truncation="disabled", user=None)
    assert reply.status == "completed" and reply.output_text


def test_null_chat_parameters_give_the_answer_their_absence_gives(mock):
    plain = mock.client.chat.completions.create(model="gpt-4o-mini", messages=HI)
    nulls = mock.client.chat.completions.create(
        model="gpt-4o-mini", messages=HI, user=None, tools=None, tool_choice=None, parallel_tool_calls=None,
        response_format=None, functions=None, function_call=None)
    assert nulls.choices[0].message.content == plain.choices[0].message.content
    assert nulls.choices[0].finish_reason == "stop"


def test_null_embedding_parameters_are_left_out(mock):
    reply = mock.client.embeddings.create(model="text-embedding-3-small", input="hi", user=None,
                                          encoding_format=None, dimensions=None)
    assert len(reply.data[0].embedding) == 1536


@pytest.mark.parametrize("call", ["chat", "responses"])
def test_a_required_field_is_still_refused_when_null(mock, call):
    with pytest.raises(openai.BadRequestError) as caught:
        if call == "chat":
            mock.client.chat.completions.create(model="gpt-4o-mini", messages=None)
        else:
            mock.client.responses.create(model=None, input="hi")
    assert caught.value.body["param"] in ("messages", "model")


def test_level_schema_keeps_the_sdk_types(mock):
    with pytest.raises(openai.BadRequestError) as caught:
        mock.client.responses.create(model="gpt-4o-mini", input="hi", user=None, extra_headers={VALIDATION_HEADER: "schema"})
    assert caught.value.body["param"] == "user"
    assert caught.value.body["code"] == "invalid_type"


def test_a_reasoning_model_refuses_max_tokens_even_when_null(mock):
    # "Invalid type for 'max_tokens': expected an unsupported value, but got null instead." on o3-mini
    # (github.com/cosmocode/dokuwiki-plugin-aichat/issues/34); a model without reasoning takes the null.
    with pytest.raises(openai.BadRequestError) as caught:
        mock.client.chat.completions.create(model="o3-mini", messages=HI, max_tokens=None)
    assert caught.value.body == {"message": "Invalid type for 'max_tokens': expected an unsupported value, but got null instead.",
                                 "type": "invalid_request_error", "param": "max_tokens", "code": "invalid_type"}
    assert mock.client.chat.completions.create(model="gpt-4o-mini", messages=HI, max_tokens=None).choices

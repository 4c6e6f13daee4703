"""Predicted Outputs (chat ``prediction``): the reply regenerates the prediction, usage counts what it reused.

The limits refused at level faithful are the guide's "Limitations" list
(https://developers.openai.com/api/docs/guides/predicted-outputs#limitations).
"""

from __future__ import annotations

import json
from textwrap import dedent

import openai
import pytest

from mockapi.core.tokenizer import count_tokens

# langchain-openai's integration test (libs/partners/openai/tests/integration_tests/chat_models/test_base.py).
CODE = dedent("""
    /// <summary>
    /// Represents a user with a first name, last name, and username.
    /// </summary>
    public class User
    {
        /// <summary>
        /// Gets or sets the user's first name.
        /// </summary>
        public string FirstName { get; set; }

        /// <summary>
        /// Gets or sets the user's last name.
        /// </summary>
        public string LastName { get; set; }

        /// <summary>
        /// Gets or sets the user's username.
        /// </summary>
        public string Username { get; set; }
    }
    """)
QUERY = "Replace the Username property with an Email property. Respond only with code, and with no markdown formatting."
MESSAGES = [{"role": "user", "content": QUERY}, {"role": "user", "content": CODE}]
PREDICTION = {"type": "content", "content": CODE}
# What gpt-4.1 answers (the langchain-openai docs print it): the property and the prose renamed, case kept.
EDITED = CODE.replace("Username", "Email").replace("username", "email")


def test_langchain_case_regenerates_the_file_with_the_rename(mock):
    r = mock.client.chat.completions.create(model="gpt-4.1-mini", messages=MESSAGES, prediction=PREDICTION)
    mock.validate("createChatCompletion", r)
    assert r.choices[0].message.content == EDITED and r.choices[0].finish_reason == "stop"
    details = r.usage.completion_tokens_details
    assert details.accepted_prediction_tokens > 0 and details.rejected_prediction_tokens > 0  # langchain asserts both
    # Every predicted token is either reused or rejected; rejected ones are billed as completion tokens.
    assert details.accepted_prediction_tokens + details.rejected_prediction_tokens == count_tokens(CODE)
    assert r.usage.completion_tokens == count_tokens(EDITED) + details.rejected_prediction_tokens
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens


def test_a_prediction_without_an_asked_edit_comes_back_whole(mock):
    messages = [{"role": "user", "content": "Add nothing, respond with the code as is."}, {"role": "user", "content": CODE}]
    r = mock.client.chat.completions.create(model="gpt-4o", messages=messages, prediction=PREDICTION)
    assert r.choices[0].message.content == CODE
    details = r.usage.completion_tokens_details
    assert (details.accepted_prediction_tokens, details.rejected_prediction_tokens) == (count_tokens(CODE), 0)
    assert r.usage.completion_tokens == count_tokens(CODE)


def test_rename_to_and_quoted_names(mock):
    code = 'class User {\n  firstName = "";\n  username = "";\n}\n\nexport default User;\n'
    ask = 'Rename the "username" property to "email". Respond only with code.'
    r = mock.client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": ask}, {"role": "user", "content": code}],
                                            prediction={"type": "content", "content": code})
    assert r.choices[0].message.content == code.replace("username", "email")
    # The ask and the file in one message (tests/corpus/chat.yaml's chat-predicted-output); "it" is no name to rename.
    line = "class User { firstName: string; username: string; }"
    for ask, reply in ((f"Rename the username property to email in: {line}", line.replace("username", "email")),
                       (f"Replace it with a loop: {line}", line)):
        r = mock.client.chat.completions.create(model="gpt-4.1", messages=[{"role": "user", "content": ask}],
                                                prediction={"type": "content", "content": line})
        assert r.choices[0].message.content == reply


def test_a_list_of_text_parts_is_one_prediction(mock):
    head, tail = CODE[:120], CODE[120:]
    parts = [{"type": "text", "text": head}, {"type": "text", "text": tail}]
    r = mock.client.chat.completions.create(model="gpt-4.1", messages=MESSAGES, prediction={"type": "content", "content": parts})
    plain = mock.client.chat.completions.create(model="gpt-4.1", messages=MESSAGES, prediction=PREDICTION)
    assert r.choices[0].message.content == EDITED
    assert r.usage.completion_tokens_details == plain.usage.completion_tokens_details


def test_streaming_sends_the_same_reply_and_usage(mock):
    plain = mock.client.chat.completions.create(model="gpt-4.1-mini", messages=MESSAGES, prediction=PREDICTION)
    chunks = list(mock.client.chat.completions.create(model="gpt-4.1-mini", messages=MESSAGES, prediction=PREDICTION, stream=True,
                                                      stream_options={"include_usage": True}))
    for chunk in chunks:
        mock.validate("createChatCompletion", chunk, stream=True)
    assert "".join(c.choices[0].delta.content or "" for c in chunks[:-1]) == EDITED
    assert chunks[-2].choices[0].finish_reason == "stop"
    assert chunks[-1].choices == [] and chunks[-1].usage == plain.usage


def test_max_tokens_cuts_the_reply_and_counts_rejected_tokens_within_it(mock):
    """Rejected tokens count "for purposes of billing, output, and context window limits" (CompletionTokensDetails)."""
    r = mock.client.chat.completions.create(model="gpt-4o", messages=MESSAGES, prediction=PREDICTION, max_tokens=25)
    content, details = r.choices[0].message.content, r.usage.completion_tokens_details
    assert r.choices[0].finish_reason == "length" and EDITED.startswith(content) and content != EDITED
    assert details.rejected_prediction_tokens > 0  # the first "username" comes before the cut
    assert r.usage.completion_tokens == count_tokens(content) + details.rejected_prediction_tokens == 25  # 24 sent, 1 rejected
    assert details.accepted_prediction_tokens == count_tokens(content) - count_tokens(" email")


def test_max_completion_tokens_truncates_at_level_schema_and_is_refused_at_faithful(mock):
    schema = {"x-mockapi-validation": "schema"}
    r = mock.client.chat.completions.create(model="gpt-4o", messages=MESSAGES, prediction=PREDICTION, max_completion_tokens=25,
                                            extra_headers=schema)
    cut = mock.client.chat.completions.create(model="gpt-4o", messages=MESSAGES, prediction=PREDICTION, max_tokens=25)
    assert r.choices[0].finish_reason == "length" and r.choices[0].message.content == cut.choices[0].message.content
    assert r.usage == cut.usage and r.usage.completion_tokens <= 25
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=MESSAGES, prediction=PREDICTION, max_completion_tokens=20)
    assert info.value.status_code == 400
    assert (info.value.body["type"], info.value.body["param"]) == ("invalid_request_error", "max_completion_tokens")


WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {}}}}


@pytest.mark.parametrize(("kwargs", "param"), [
    ({"n": 2}, "n"),
    ({"logprobs": True}, "logprobs"),
    ({"presence_penalty": 0.5}, "presence_penalty"),
    ({"frequency_penalty": 0.1}, "frequency_penalty"),
    ({"audio": {"voice": "alloy", "format": "wav"}}, "audio"),
    ({"modalities": ["text", "audio"]}, "modalities"),
    ({"max_completion_tokens": 500}, "max_completion_tokens"),
    ({"tools": [WEATHER]}, "tools"),
])
def test_the_guides_unsupported_parameters_are_refused(mock, kwargs, param):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model="gpt-4o", messages=MESSAGES, prediction=PREDICTION, **kwargs)
    body = info.value.body
    assert body["type"] == "invalid_request_error" and body["param"] == param and "predicted outputs" in body["message"]


def test_values_the_guide_allows_are_accepted(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=MESSAGES, prediction=PREDICTION, n=1, logprobs=False,
                                            presence_penalty=0, frequency_penalty=-0.5, modalities=["text"], temperature=0)
    assert r.choices[0].message.content == EDITED


@pytest.mark.parametrize("model", ["o3-mini", "gpt-5", "gpt-4-turbo", "gpt-3.5-turbo", "chatgpt-4o-latest"])
def test_models_outside_the_supported_series_refuse_a_prediction(mock, model):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.chat.completions.create(model=model, messages=MESSAGES, prediction=PREDICTION)
    body = info.value.body
    assert body["message"] == "Unsupported parameter: 'prediction' is not supported with this model."
    assert (body["param"], body["code"]) == ("prediction", "unsupported_parameter")


@pytest.mark.parametrize("model", ["gpt-4o", "gpt-4o-2024-08-06", "gpt-4o-mini", "gpt-4.1", "gpt-4.1-nano"])
def test_the_supported_series_take_a_prediction(mock, model):
    r = mock.client.chat.completions.create(model=model, messages=MESSAGES, prediction=PREDICTION)
    assert r.usage.completion_tokens_details.accepted_prediction_tokens > 0


def test_a_json_object_prediction_is_kept_in_json_mode(mock):
    config = json.dumps({"appName": "MyApp", "settings": {"enableFeatureX": False, "maxUsers": 100}}, indent=2)
    r = mock.client.chat.completions.create(model="gpt-4o", response_format={"type": "json_object"},
                                            messages=[{"role": "user", "content": "Return this JSON config unchanged."},
                                                      {"role": "user", "content": config}],
                                            prediction={"type": "content", "content": config})
    assert json.loads(r.choices[0].message.content) == json.loads(config)
    assert r.usage.completion_tokens_details.rejected_prediction_tokens == 0


def test_without_a_prediction_the_prediction_counts_stay_zero(mock):
    r = mock.client.chat.completions.create(model="gpt-4o", messages=MESSAGES)
    details = r.usage.completion_tokens_details
    assert (details.accepted_prediction_tokens, details.rejected_prediction_tokens) == (0, 0)
    assert r.choices[0].message.content != EDITED

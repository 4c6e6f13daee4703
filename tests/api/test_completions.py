"""Legacy Completions (reference §19.2, seed-inventory E28) through the SDK, in both modes."""

from __future__ import annotations

import openai
import pytest

INSTRUCT = "gpt-3.5-turbo-instruct"


def test_string_prompt_defaults_to_16_tokens_and_length(mock):
    completion = mock.client.completions.create(model=INSTRUCT, prompt="Say this is a test.")
    assert completion.object == "text_completion" and completion.id.startswith("cmpl-")
    assert completion.model == INSTRUCT
    (choice,) = completion.choices
    assert choice.index == 0 and choice.finish_reason == "length" and choice.logprobs is None
    assert completion.usage.completion_tokens == 16
    assert completion.usage.total_tokens == completion.usage.prompt_tokens + 16
    assert choice.text.strip()
    mock.validate("createCompletion", completion)


def test_same_request_gives_the_same_text(mock):
    first = mock.client.completions.create(model="davinci-002", prompt="Once upon a time", max_tokens=30)
    second = mock.client.completions.create(model="davinci-002", prompt="Once upon a time", max_tokens=30)
    other = mock.client.completions.create(model="davinci-002", prompt="Something else", max_tokens=30)
    assert first.choices[0].text == second.choices[0].text != other.choices[0].text
    assert first.id != second.id  # the same answer, but each call is its own completion


def test_list_prompt_with_n_is_prompt_major(mock):
    completion = mock.client.completions.create(model="babbage-002", prompt=["Hello", "World", "Again"], n=2, max_tokens=5)
    assert [c.index for c in completion.choices] == list(range(6))
    assert completion.usage.completion_tokens == sum(5 for _ in range(6))
    texts = [c.text for c in completion.choices]
    assert len(set(texts)) == 6
    mock.validate("createCompletion", completion)


def test_token_array_prompt_counts_its_tokens(mock):
    completion = mock.client.completions.create(model=INSTRUCT, prompt=[[1, 2, 3, 4], [5, 6]], max_tokens=3)
    assert completion.usage.prompt_tokens == 6 and len(completion.choices) == 2


def test_stop_sequence_cuts_the_text(mock):
    completion = mock.client.completions.create(model=INSTRUCT, prompt="Tell me about maps.", max_tokens=300, stop=[" the", "."])
    (choice,) = completion.choices
    assert choice.finish_reason == "stop"
    assert " the" not in choice.text and "." not in choice.text


def test_logprobs_lists_are_aligned(mock):
    completion = mock.client.completions.create(model=INSTRUCT, prompt="Write a line.", max_tokens=8, logprobs=3)
    lp = completion.choices[0].logprobs
    assert len(lp.tokens) == len(lp.token_logprobs) == len(lp.top_logprobs) == len(lp.text_offset) == 8
    assert "".join(lp.tokens) == completion.choices[0].text
    assert lp.text_offset[0] == len("Write a line.")  # offsets count from the prompt's start
    assert all(b - a == len(t) for a, b, t in zip(lp.text_offset, lp.text_offset[1:], lp.tokens))
    for token, logprob, top in zip(lp.tokens, lp.token_logprobs, lp.top_logprobs):
        assert len(top) == 3 and top[token] == logprob <= 0 and max(top.values()) == logprob
    mock.validate("createCompletion", completion)


def test_echo_returns_the_prompt_first(mock):
    completion = mock.client.completions.create(model=INSTRUCT, prompt="Echo me", echo=True, max_tokens=4, logprobs=1)
    choice = completion.choices[0]
    assert choice.text.startswith("Echo me") and len(choice.text) > len("Echo me")
    assert choice.logprobs.token_logprobs[0] is None and choice.logprobs.text_offset[0] == 0
    mock.validate("createCompletion", completion)
    only_prompt = mock.client.completions.create(model=INSTRUCT, prompt="Echo me", echo=True, max_tokens=0)
    assert only_prompt.choices[0].text == "Echo me" and only_prompt.usage.completion_tokens == 0


def test_suffix_only_on_instruct(mock):
    assert mock.client.completions.create(model=INSTRUCT, prompt="def f():", suffix="return x", max_tokens=5).choices
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.completions.create(model="davinci-002", prompt="def f():", suffix="return x")
    assert info.value.body["param"] == "suffix"


def test_best_of_returns_n_and_charges_every_candidate(mock):
    completion = mock.client.completions.create(model=INSTRUCT, prompt="Pick one.", best_of=3, n=1, max_tokens=5)
    assert len(completion.choices) == 1 and completion.usage.completion_tokens == 15
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.completions.create(model=INSTRUCT, prompt="x", best_of=1, n=2)
    assert info.value.body["param"] == "best_of"
    with pytest.raises(openai.BadRequestError):
        mock.client.completions.create(model=INSTRUCT, prompt="x", best_of=2, stream=True)


@pytest.mark.parametrize("params,param", [({"logprobs": 6}, "logprobs"), ({"n": 0}, "n"), ({"stop": ["a", "b", "c", "d", "e"]}, "stop"),
                                          ({"temperature": 3}, "temperature")])
def test_out_of_range_parameters_are_400(mock, params, param):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.completions.create(model=INSTRUCT, prompt="x", **params)
    assert info.value.body["param"] == param


def test_context_length_is_enforced(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.completions.create(model=INSTRUCT, prompt="word " * 200, max_tokens=4000)
    assert info.value.body["code"] == "context_length_exceeded"
    assert "maximum context length is 4096 tokens" in info.value.body["message"]


@pytest.mark.parametrize("model,code", [("gpt-4o", None), ("gpt-3.5-turbo", None), ("text-davinci-003", "model_not_found"),
                                        ("no-such-model", "model_not_found")])
def test_chat_retired_and_unknown_models_are_404(mock, model, code):
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.completions.create(model=model, prompt="Hello")
    assert info.value.body["code"] == code
    if code is None:
        assert "v1/chat/completions" in info.value.body["message"]


def test_stream_matches_the_json_answer_and_ends_with_done(mock):
    params = dict(model=INSTRUCT, prompt=["One", "Two"], n=2, max_tokens=6, logprobs=2)
    whole = mock.client.completions.create(**params)
    texts: dict[int, str] = {}
    finishes: dict[int, str] = {}
    usage = None
    ids: set[str] = set()
    for chunk in mock.client.completions.create(**params, stream=True, stream_options={"include_usage": True}):
        mock.validate("createCompletion", chunk.model_dump(mode="json"), stream=True)
        assert chunk.object == "text_completion"
        ids.add(chunk.id)
        for choice in chunk.choices:
            texts[choice.index] = texts.get(choice.index, "") + choice.text
            if choice.finish_reason:
                finishes[choice.index] = choice.finish_reason
        usage = chunk.usage or usage
    assert len(ids) == 1 and whole.id not in ids  # one id for the streamed completion, its own
    assert texts == {c.index: c.text for c in whole.choices}
    assert finishes == {c.index: c.finish_reason for c in whole.choices}
    assert usage is not None and usage.total_tokens == whole.usage.total_tokens


def test_raw_stream_is_chat_dialect_with_done(mock):
    with mock.client.completions.with_streaming_response.create(model=INSTRUCT, prompt="Hi", max_tokens=3, stream=True) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        lines = [line for line in response.iter_lines() if line]
    assert lines[-1] == "data: [DONE]"
    assert all(line.startswith("data: ") for line in lines) and not any(line.startswith("event:") for line in lines)


async def test_async_stream_with_echo(mock):
    stream = await mock.async_client.completions.create(model=INSTRUCT, prompt="Start", echo=True, max_tokens=3, stream=True)
    pieces = [chunk.choices[0].text async for chunk in stream if chunk.choices]
    assert pieces[0] == "Start" and pieces[-1] == ""
    assert len(pieces) == 1 + 3 + 1


def test_canned_reply_matches_the_prompt(mock):
    mock.engine.overrides.queue({"path": "/completions", "message": "^Translate"}, {"content": " Bonjour.", "finish_reason": "stop"})
    canned = mock.client.completions.create(model=INSTRUCT, prompt="Translate: hello", logprobs=1, echo=True)
    choice = canned.choices[0]
    assert choice.text == "Translate: hello Bonjour." and choice.finish_reason == "stop"
    assert "".join(choice.logprobs.tokens) == choice.text
    assert canned.usage.completion_tokens == 2  # " Bonjour" and "."
    generated = mock.client.completions.create(model=INSTRUCT, prompt="Translate: hello", logprobs=1, echo=True)
    assert generated.choices[0].text != choice.text  # the queued reply is used once

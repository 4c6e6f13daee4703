"""The model catalogue and the parameter rules it drives, through the SDK, in-process and live.

Each refused case has an accepted twin, so a rule that refuses too much fails as surely as one that
refuses too little. The rules and their sources are in mockapi/content/reasoning.py and mockapi/api/chat/rules.py.
"""

from __future__ import annotations

import datetime

import openai
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockapi.assembly import build_engine

USER = [{"role": "user", "content": "Explain retries with exponential backoff."}]


def error_of(info: pytest.ExceptionInfo) -> dict:
    return info.value.body if "message" in info.value.body else info.value.body["error"]


def chat(mock, model: str, **kwargs):
    return mock.client.chat.completions.create(model=model, messages=USER, **kwargs)


def chat_error(mock, model: str, error=openai.BadRequestError, **kwargs) -> dict:
    with pytest.raises(error) as info:
        chat(mock, model, **kwargs)
    return error_of(info)


def respond(mock, model: str, **kwargs):
    return mock.client.responses.create(model=model, input="Plan a three-step proof.", **kwargs)


def respond_error(mock, model: str, **kwargs) -> dict:
    with pytest.raises(openai.BadRequestError) as info:
        respond(mock, model, **kwargs)
    return error_of(info)


# -- sampling while reasoning -----------------------------------------------------------------------


@pytest.mark.parametrize("model", ["gpt-5", "gpt-5-mini", "o3", "gpt-5.2-2025-12-11"])
def test_temperature_other_than_1_is_refused_while_reasoning(mock, model):
    effort = {"reasoning_effort": "low"} if model.startswith("gpt-5.2") else {}
    error = chat_error(mock, model, temperature=0.7, **effort)
    assert error["message"] == ("Unsupported value: 'temperature' does not support 0.7 with this model. "
                                "Only the default (1) value is supported.")
    assert (error["param"], error["code"], error["type"]) == ("temperature", "unsupported_value", "invalid_request_error")
    assert chat(mock, model, temperature=1, **effort).choices[0].message.content


def test_top_p_is_refused_while_reasoning_and_sampling_is_fine_elsewhere(mock):
    assert chat_error(mock, "o4-mini", top_p=0.5)["param"] == "top_p"
    for model in ("gpt-4o", "gpt-4.1", "gpt-5-chat-latest", "gpt-5.1-chat-latest"):
        assert chat(mock, model, temperature=0.2, top_p=0.5).choices[0].message.content


def test_gpt_5_1_and_later_sample_at_effort_none(mock):
    # gpt-5.1 and later default to effort none, where temperature, top_p and logprobs are accepted.
    for model in ("gpt-5.1", "gpt-5.2", "gpt-5.4"):
        assert chat(mock, model, temperature=0.2, top_p=0.9).choices[0].message.content
        r = chat(mock, model, reasoning_effort="none", temperature=0.2, logprobs=True)
        assert r.choices[0].logprobs.content
    assert chat_error(mock, "gpt-5.1", reasoning_effort="low", temperature=0.2)["param"] == "temperature"
    with pytest.raises(openai.BadRequestError):
        respond(mock, "gpt-5.2", reasoning={"effort": "medium"}, temperature=0.3)
    assert respond(mock, "gpt-5.2", temperature=0.3).status == "completed"


def test_responses_temperature_is_refused_on_gpt_5(mock):
    error = respond_error(mock, "gpt-5", temperature=0.5)
    assert (error["param"], error["code"]) == ("temperature", "unsupported_value")
    assert respond(mock, "gpt-4o", temperature=0.5).temperature == 0.5


def test_logprobs_are_refused_while_reasoning(mock):
    for model in ("o4-mini", "gpt-5"):
        error = chat_error(mock, model, error=openai.PermissionDeniedError, logprobs=True)
        assert error["message"] == "You are not allowed to request logprobs from this model"
        assert (error["param"], error["code"]) == (None, None)
    assert chat(mock, "gpt-4o", logprobs=True, top_logprobs=2).choices[0].logprobs.content


def test_penalties_are_refused_while_reasoning(mock):
    error = chat_error(mock, "gpt-5-mini", presence_penalty=0.5)
    assert error["message"] == "Unsupported parameter: 'presence_penalty' is not supported with this model."
    assert (error["param"], error["code"]) == ("presence_penalty", "unsupported_parameter")
    assert chat_error(mock, "o4-mini", frequency_penalty=1.0)["param"] == "frequency_penalty"
    assert chat(mock, "gpt-4o", presence_penalty=0.5, frequency_penalty=0.5).choices
    assert chat(mock, "gpt-5-mini", presence_penalty=0).choices  # the default value passes


# -- max_tokens -------------------------------------------------------------------------------------


@pytest.mark.parametrize("model", ["gpt-5", "gpt-5.1", "o1", "o3-mini"])
def test_max_tokens_is_refused_on_reasoning_models(mock, model):
    error = chat_error(mock, model, max_tokens=500)
    assert error["message"] == ("Unsupported parameter: 'max_tokens' is not supported with this model. "
                                "Use 'max_completion_tokens' instead.")
    assert (error["param"], error["code"]) == ("max_tokens", "unsupported_parameter")
    r = chat(mock, model, max_completion_tokens=2000)
    assert r.usage.completion_tokens <= 2000


def test_max_tokens_is_fine_on_non_reasoning_models(mock):
    for model in ("gpt-4o", "gpt-5-chat-latest"):
        assert chat(mock, model, max_tokens=50).usage.completion_tokens <= 50


def test_gpt_5_output_limit_is_128k(mock):
    assert respond(mock, "gpt-5", max_output_tokens=128_000).status == "completed"
    assert respond_error(mock, "gpt-5", max_output_tokens=128_001)["param"] == "max_output_tokens"
    assert respond_error(mock, "gpt-5-chat-latest", max_output_tokens=16_385)["param"] == "max_output_tokens"


# -- reasoning effort values ------------------------------------------------------------------------


def test_reasoning_effort_on_a_non_reasoning_model(mock):
    error = chat_error(mock, "gpt-4o", reasoning_effort="low")
    assert error["message"] == "Unrecognized request argument supplied: reasoning_effort"
    assert (error["param"], error["code"]) == (None, None)
    error = respond_error(mock, "gpt-4.1", reasoning={"effort": "low"})
    assert error["message"] == "Unsupported parameter: 'reasoning.effort' is not supported with this model."
    assert (error["param"], error["code"]) == ("reasoning.effort", "unsupported_parameter")
    assert chat_error(mock, "gpt-5-chat-latest", reasoning_effort="low")["message"].startswith("Unrecognized")
    # o1-mini reasons but predates the parameter.
    assert chat_error(mock, "o1-mini", reasoning_effort="low")["code"] == "unsupported_parameter"
    assert chat(mock, "o1-mini").usage.completion_tokens_details.reasoning_tokens > 0


def test_an_effort_the_model_does_not_take(mock):
    error = respond_error(mock, "gpt-5.1", reasoning={"effort": "minimal"})
    assert error["message"] == ("Unsupported value: 'minimal' is not supported with the 'gpt-5.1' model. "
                                "Supported values are: 'none', 'low', 'medium', and 'high'.")
    assert (error["param"], error["code"]) == ("reasoning.effort", "unsupported_value")
    error = chat_error(mock, "gpt-5", reasoning_effort="none")
    assert error["message"] == ("Unsupported value: 'reasoning_effort' does not support 'none' with this model. "
                                "Supported values are: 'minimal', 'low', 'medium', and 'high'.")
    assert (error["param"], error["code"]) == ("reasoning_effort", "unsupported_value")
    assert chat_error(mock, "gpt-5.1", reasoning_effort="xhigh")["code"] == "unsupported_value"
    assert chat_error(mock, "gpt-5.1-chat-latest", reasoning_effort="high")["message"].endswith("Supported values are: 'medium'.")
    assert chat_error(mock, "gpt-5-pro", reasoning_effort="low")["code"] == "unsupported_value"


def test_the_efforts_each_family_takes(mock):
    accepted = {"gpt-5": "minimal", "gpt-5-nano": "minimal", "gpt-5.1": "none", "gpt-5.2": "xhigh", "gpt-5.1-codex-max": "xhigh",
                "o3": "high", "gpt-5.1-chat-latest": "medium", "gpt-5-pro": "high"}
    for model, effort in accepted.items():
        assert chat(mock, model, reasoning_effort=effort).choices[0].message.content
    r = respond(mock, "gpt-5", reasoning={"effort": "minimal"})  # what openai-agents sends first
    assert r.status == "completed" and r.reasoning.effort == "minimal"


# -- web search and voices --------------------------------------------------------------------------


def test_web_search_options_only_on_the_search_models(mock):
    for model in ("o4-mini", "gpt-5"):
        error = chat_error(mock, model, web_search_options={})
        assert error["message"] == "Unknown parameter: 'web_search_options'."
        assert (error["param"], error["code"]) == ("web_search_options", "unknown_parameter")
    error = chat_error(mock, "gpt-4o", web_search_options={})
    assert (error["message"], error["param"]) == ("Web search options not supported with this model.", "web_search_options")
    for model in ("gpt-4o-search-preview", "gpt-4o-mini-search-preview"):
        assert chat(mock, model, web_search_options={"search_context_size": "low"}).choices[0].message.content


def test_tts_1_lacks_the_newer_voices(mock):
    for voice in ("ballad", "verse", "marin", "cedar"):
        with pytest.raises(openai.BadRequestError) as info:
            mock.client.audio.speech.create(model="tts-1", voice=voice, input="Hi")
        assert (error_of(info)["param"], error_of(info)["code"]) == ("voice", "invalid_value")
        assert mock.client.audio.speech.create(model="gpt-4o-mini-tts", voice=voice, input="Hi").content
    assert mock.client.audio.speech.create(model="tts-1-hd", voice="coral", input="Hi").content


# -- reasoning output -------------------------------------------------------------------------------


def test_reasoning_tokens_in_chat_usage(mock):
    r = chat(mock, "gpt-5")
    details = r.usage.completion_tokens_details
    assert details.reasoning_tokens > 0 and r.usage.completion_tokens > details.reasoning_tokens
    assert r.usage.total_tokens == r.usage.prompt_tokens + r.usage.completion_tokens
    for model, kwargs in (("gpt-4o", {}), ("gpt-5-chat-latest", {}), ("gpt-5.1", {}), ("gpt-5.2", {"reasoning_effort": "none"})):
        assert chat(mock, model, **kwargs).usage.completion_tokens_details.reasoning_tokens == 0
    assert chat(mock, "gpt-5.1", reasoning_effort="low").usage.completion_tokens_details.reasoning_tokens > 0


def test_reasoning_tokens_in_the_streamed_usage_and_within_the_budget(mock):
    chunks = list(chat(mock, "o4-mini", stream=True, stream_options={"include_usage": True}))
    assert chunks[-1].usage.completion_tokens_details.reasoning_tokens > 0
    r = chat(mock, "gpt-5", reasoning_effort="high", max_completion_tokens=300)
    assert r.usage.completion_tokens <= 300


def test_responses_reasoning_item_for_the_gpt_5_family(mock):
    r = respond(mock, "gpt-5", reasoning={"summary": "auto"})
    assert [o.type for o in r.output] == ["reasoning", "message"] and r.reasoning.effort == "medium"
    assert r.output[0].summary and r.output[0].summary[0].type == "summary_text"
    assert r.usage.output_tokens_details.reasoning_tokens > 0
    plain = respond(mock, "gpt-5-mini")
    assert plain.output[0].type == "reasoning" and plain.output[0].summary == []
    for model in ("gpt-5.1", "gpt-5-chat-latest", "gpt-4o"):
        r = respond(mock, model)
        assert [o.type for o in r.output] == ["message"] and r.usage.output_tokens_details.reasoning_tokens == 0
    assert respond(mock, "gpt-5.1").reasoning.effort == "none"
    assert respond(mock, "gpt-4o").reasoning.effort is None
    assert respond(mock, "gpt-5.1", reasoning={"effort": "low"}).output[0].type == "reasoning"


EFFORTS = {"gpt-5": ["minimal", "low", "medium", "high"], "gpt-5.2": ["none", "low", "medium", "high", "xhigh"],
           "o3": ["low", "medium", "high"]}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(prompt=st.text(min_size=1, max_size=60), model=st.sampled_from(sorted(EFFORTS)), responses=st.booleans())
def test_reasoning_tokens_grow_with_effort(mock, prompt, model, responses):
    def spent(effort: str) -> int:
        if responses:
            r = mock.client.responses.create(model=model, input=prompt, reasoning={"effort": effort})
            return r.usage.output_tokens_details.reasoning_tokens
        r = mock.client.chat.completions.create(model=model, messages=[{"role": "user", "content": prompt}], reasoning_effort=effort)
        return r.usage.completion_tokens_details.reasoning_tokens

    counts = [spent(effort) for effort in EFFORTS[model]]
    assert counts == sorted(counts) and len(set(counts)) == len(counts)
    assert counts == [spent(effort) for effort in EFFORTS[model]]  # deterministic


# -- the listing and the data -----------------------------------------------------------------------


def test_models_have_plausible_created_dates(mock):
    listed = {m.id: m.created for m in mock.client.models.list().data}
    assert len(set(listed.values())) > len(listed) // 2
    day = lambda ts: datetime.datetime.fromtimestamp(ts, datetime.timezone.utc).date().isoformat()  # noqa: E731
    assert day(listed["gpt-5-2025-08-07"]) == "2025-08-07" and day(listed["o3-mini-2025-01-31"]) == "2025-01-31"
    assert listed["gpt-3.5-turbo"] < listed["gpt-4o"] < listed["gpt-5"] < listed["gpt-5.1"] < listed["gpt-5.2"]
    assert mock.client.models.retrieve("gpt-5").created == listed["gpt-5"]


def test_kinds_of_the_sdk_models(mock):
    listed = {m.id for m in mock.client.models.list().data}
    assert {"gpt-realtime", "sora-2", "gpt-image-1.5", "gpt-image-1-mini", "gpt-audio", "gpt-4o-mini-tts"} <= listed
    for model in ("gpt-realtime", "sora-2", "gpt-image-1", "tts-1"):
        assert chat_error(mock, model)["code"] == "model_not_supported"
    speak = {"modalities": ["text", "audio"], "audio": {"voice": "alloy", "format": "wav"}}
    assert chat(mock, "gpt-audio-mini", **speak).choices and chat(mock, "gpt-4o-audio-preview", **speak).choices


def test_every_catalogue_entry_has_a_source_and_the_gpt_5_family_is_reasoning():
    catalog = build_engine().catalog
    assert all(m.source for m in catalog.all())
    for model in catalog.all():
        if model.id.startswith(("gpt-5", "o1", "o3", "o4")) and "chat" not in model.id:
            assert model.reasoning and not model.sampling, model.id
        if model.id.startswith("gpt-5") and "chat" not in model.id:
            assert (model.context_window, model.max_output_tokens) >= (400_000, 128_000), model.id
    kinds = {m.id: m.kind for m in catalog.all()}
    assert (kinds["gpt-realtime"], kinds["sora-2"], kinds["gpt-image-1.5"], kinds["gpt-4o-search-preview"]) == (
        "realtime", "video", "image", "chat")

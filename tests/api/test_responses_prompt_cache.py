"""Prompt caching in the Responses API (mockapi/core/prompt_cache.py): ``usage.input_tokens_details``, through the SDK.

Sources as in tests/api/test_chat_prompt_cache.py; a gpt-5.6 Responses input of 9,658 tokens wrote 9,655
(openai/openai-dotnet#1247: the mock counts no reply priming in Responses, so its whole input is the prefix).
"""

from __future__ import annotations

from mockapi.core.tokenizer import count_tokens

LONG = "Stable, cacheable instructions and reference material. " * 400
ASKED = [{"role": "developer", "content": LONG}, {"role": "user", "content": "Say hello."}]
MARKED = [{"role": "user", "content": [{"type": "input_text", "text": LONG, "prompt_cache_breakpoint": {"mode": "explicit"}},
                                       {"type": "input_text", "text": "Say hello."}]}]


def create(mock, input, model="gpt-4o", **kwargs):
    return mock.client.responses.create(model=model, input=input, max_output_tokens=16, **kwargs)


def details(response) -> tuple[int, int]:
    found = response.usage.input_tokens_details
    return found.cached_tokens, found.cache_write_tokens


def steps(tokens: int) -> int:
    return tokens - (tokens - 1024) % 128


def test_a_repeated_long_input_reads_its_prefix_in_steps_of_128(mock):
    first, second = create(mock, ASKED), create(mock, ASKED)
    mock.validate("createResponse", second)
    assert details(first) == (0, 0)
    assert details(second) == (steps(second.usage.input_tokens), 0)  # before gpt-5.6: no writes reported
    assert mock.client.responses.retrieve(second.id).usage == second.usage  # stored as answered


def test_instructions_are_a_prefix_of_their_own(mock):
    create(mock, "Question one?", instructions=LONG)
    other = create(mock, "Question two?", instructions=LONG)
    assert details(other)[0] == steps(4 + count_tokens(LONG))


def test_a_short_input_never_caches(mock):
    for model in ("gpt-4o", "gpt-5.6"):
        assert [details(create(mock, "Say hello.", model=model)) for _ in range(3)] == [(0, 0)] * 3


def test_gpt_5_6_reads_the_chain_it_continues(mock):
    first = create(mock, ASKED, model="gpt-5.6")
    again = create(mock, ASKED, model="gpt-5.6")
    assert details(first) == (0, first.usage.input_tokens) and details(again) == (first.usage.input_tokens, 0)
    turn = create(mock, "And goodbye.", model="gpt-5.6", previous_response_id=first.id)
    mock.validate("createResponse", turn)
    assert details(turn) == (first.usage.input_tokens, turn.usage.input_tokens - first.usage.input_tokens)
    # No fall back to a prefix that was never a breakpoint.
    other = create(mock, [ASKED[0], {"role": "user", "content": "Something else."}], model="gpt-5.6")
    assert details(other) == (0, other.usage.input_tokens)


def test_an_explicit_breakpoint_is_read_back_at_its_exact_length(mock):
    options = {"prompt_cache_options": {"mode": "explicit"}}
    first, second = (create(mock, MARKED, model="gpt-5.6-sol", **options) for _ in range(2))
    marked = 4 + count_tokens(LONG)
    assert details(first) == (0, marked) and details(second) == (marked, 0)
    events = list(create(mock, MARKED, model="gpt-5.6-sol", stream=True, **options))
    assert events[-1].response.usage == second.usage  # the stream's last event reports the same usage


def test_explicit_mode_without_a_breakpoint_does_not_cache(mock):
    replies = [create(mock, ASKED, model="gpt-5.6", prompt_cache_options={"mode": "explicit"}) for _ in range(2)]
    assert [details(r) for r in replies] == [(0, 0), (0, 0)]


def test_prompt_cache_key_and_expiry(mock):
    create(mock, ASKED, model="gpt-5.6", prompt_cache_key="a")
    assert details(create(mock, ASKED, model="gpt-5.6", prompt_cache_key="b"))[0] == 0
    mock.engine.clock.advance(1799)
    assert details(create(mock, ASKED, model="gpt-5.6", prompt_cache_key="a"))[0] > 0
    mock.engine.clock.advance(1801)
    assert details(create(mock, ASKED, model="gpt-5.6", prompt_cache_key="a"))[0] == 0

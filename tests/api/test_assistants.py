"""Assistants v2 (§12.1–12.5, seed-inventory §2.15): threads, messages, the run status machine, streaming."""

from __future__ import annotations

import asyncio
import io
import json
from concurrent.futures import ThreadPoolExecutor

import openai
import pytest
from conftest import inprocess_clients, make_engine

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

WEATHER = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
    "required": ["city", "unit"]}}}


def _assistant(mock, **kwargs):
    return mock.client.beta.assistants.create(model="gpt-4o", instructions="Be brief.", **kwargs)


def _thread(mock, text: str = "Tell me about libraries."):
    return mock.client.beta.threads.create(messages=[{"role": "user", "content": text}])


def _text(message) -> str:
    return message.content[0].text.value


# -- assistants, threads, messages --------------------------------------------------------
def test_assistant_crud_and_v1_fields_rejected(mock):
    made = _assistant(mock, name="Analyst", tools=[{"type": "code_interpreter"}], metadata={"team": "data"})
    assert made.id.startswith("asst_") and made.object == "assistant" and made.tools[0].type == "code_interpreter"
    mock.validate("createAssistant", made)
    assert mock.client.beta.assistants.retrieve(made.id) == made
    changed = mock.client.beta.assistants.update(made.id, name="Renamed", model="gpt-4o-mini")
    assert (changed.name, changed.model) == ("Renamed", "gpt-4o-mini")
    with pytest.raises(openai.BadRequestError):
        mock.client.beta.assistants.create(model="gpt-4o", extra_body={"file_ids": ["file-abc"]})
    with pytest.raises(openai.BadRequestError):
        mock.client.beta.assistants.create(model="gpt-4o", tools=[{"type": "retrieval"}])
    with pytest.raises(openai.NotFoundError):
        mock.client.beta.assistants.create(model="gpt-nonexistent")
    assert mock.client.beta.assistants.delete(made.id).deleted
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.beta.assistants.retrieve(made.id)
    assert info.value.body["message"] == f"No assistant found with id '{made.id}'."


def test_messages_list_newest_first_with_cursors(mock):
    thread = _thread(mock, "one")
    for text in ("two", "three", "four"):
        mock.client.beta.threads.messages.create(thread.id, role="user", content=text)
    page = mock.client.beta.threads.messages.list(thread.id, limit=2)
    assert [_text(m) for m in page.data] == ["four", "three"] and page.has_more
    mock.validate("listMessages", page)
    assert [_text(m) for m in mock.client.beta.threads.messages.list(thread.id, limit=2)] == ["four", "three", "two", "one"]
    asc = mock.client.beta.threads.messages.list(thread.id, order="asc", after=page.data[1].id)
    assert [_text(m) for m in asc.data] == ["four"]
    first = mock.client.beta.threads.messages.list(thread.id, order="asc", limit=1).data[0]
    assert mock.client.beta.threads.messages.retrieve(first.id, thread_id=thread.id) == first
    tagged = mock.client.beta.threads.messages.update(first.id, thread_id=thread.id, metadata={"k": "v"})
    assert tagged.metadata == {"k": "v"}
    assert mock.client.beta.threads.messages.delete(first.id, thread_id=thread.id).deleted
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.beta.threads.messages.retrieve(first.id, thread_id=thread.id)
    assert info.value.body["message"] == f"No message found with id '{first.id}'."


def test_message_attachments_must_exist(mock):
    thread = _thread(mock)
    file_id = mock.client.files.create(file=("d.csv", io.BytesIO(b"a,b\n1,2\n")), purpose="assistants").id
    message = mock.client.beta.threads.messages.create(
        thread.id, role="user", content="Analyze this CSV.", attachments=[{"file_id": file_id, "tools": [{"type": "code_interpreter"}]}])
    assert message.attachments[0].file_id == file_id
    mock.validate("createMessage", message)
    with pytest.raises(openai.NotFoundError):
        mock.client.beta.threads.messages.create(thread.id, role="user", content="x", attachments=[{"file_id": "file-nope"}])


def test_an_attachment_without_a_file_is_accepted_and_attaches_nothing(mock):
    """``attachments: [{}]`` was a 500; no observed error shows the real API refusing it, so it is accepted."""
    thread = _thread(mock)
    file_id = mock.client.files.create(file=("d.csv", io.BytesIO(b"a,b\n1,2\n")), purpose="assistants").id
    message = mock.client.beta.threads.messages.create(thread.id, role="user", content="hi", attachments=[{}])
    assert message.attachments == [] and message.content[0].text.value == "hi"
    mock.validate("createMessage", message)
    mixed = mock.client.beta.threads.messages.create(
        thread.id, role="user", content="hi", attachments=[{"tools": [{"type": "file_search"}]}, {"file_id": file_id}])
    assert [a.file_id for a in mixed.attachments] == [file_id]
    made = mock.client.beta.threads.create(messages=[{"role": "user", "content": "hi", "attachments": [{}]}])
    assert mock.client.beta.threads.messages.list(made.id).data[0].attachments == []
    assistant = _assistant(mock)
    run = mock.client.beta.threads.runs.create(made.id, assistant_id=assistant.id,
                                               additional_messages=[{"role": "user", "content": "more", "attachments": [{}]}])
    assert run.status in ("queued", "in_progress", "completed")
    both = mock.client.beta.threads.create_and_run(
        assistant_id=assistant.id, thread={"messages": [{"role": "user", "content": "hi", "attachments": [{}]}]})
    assert both.thread_id.startswith("thread_")
    with pytest.raises(openai.BadRequestError) as info:  # a present but wrongly typed file_id is still refused
        mock.client.beta.threads.messages.create(thread.id, role="user", content="hi", attachments=[{"file_id": 3}])
    assert info.value.body["param"] == "attachments[0].file_id"


def test_thread_modify_delete_and_unknown_ids(mock):
    thread = _thread(mock)
    assert mock.client.beta.threads.update(thread.id, metadata={"user": "u1"}).metadata == {"user": "u1"}
    assert mock.client.beta.threads.delete(thread.id).deleted
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.beta.threads.retrieve(thread.id)
    assert info.value.body["message"] == f"No thread found with id '{thread.id}'."
    with pytest.raises(openai.NotFoundError) as info:
        mock.client.beta.threads.runs.retrieve("run_x", thread_id="thread_x")
    assert info.value.body["message"] == "No thread found with id 'thread_x'."


# -- runs ---------------------------------------------------------------------------------
def test_create_and_poll_completes_and_adds_the_reply(mock):
    assistant, thread = _assistant(mock), _thread(mock)
    run = mock.client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed" and run.completed_at is not None
    assert run.usage.total_tokens == run.usage.prompt_tokens + run.usage.completion_tokens > 0
    mock.validate("getRun", run)
    reply = mock.client.beta.threads.messages.list(thread.id).data[0]
    assert (reply.role, reply.run_id, reply.assistant_id, reply.status) == ("assistant", run.id, assistant.id, "completed")
    assert len(_text(reply)) > 20
    mock.validate("getMessage", reply)
    steps = mock.client.beta.threads.runs.steps.list(run.id, thread_id=thread.id)
    assert [(s.type, s.status) for s in steps.data] == [("message_creation", "completed")]
    assert steps.data[0].step_details.message_creation.message_id == reply.id
    mock.validate("listRunSteps", steps)
    assert mock.client.beta.threads.runs.steps.retrieve(steps.data[0].id, thread_id=thread.id, run_id=run.id).id == steps.data[0].id


def test_poll_after_header_is_small(mock):
    assistant, thread = _assistant(mock), _thread(mock)
    raw = mock.client.beta.threads.runs.with_raw_response.create(thread_id=thread.id, assistant_id=assistant.id)
    run = raw.parse()
    polled = mock.client.beta.threads.runs.with_raw_response.retrieve(run.id, thread_id=thread.id)
    assert int(polled.headers["openai-poll-after-ms"]) <= 100


def test_progress_after_n_polls(mock):
    assistant, thread = _assistant(mock), _thread(mock)
    run = mock.client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id,
                                               extra_headers={"x-mockapi-progress": "polls:3"})
    assert run.status == "queued"
    seen = [mock.client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status for _ in range(3)]
    assert seen == ["in_progress", "in_progress", "completed"]


def test_progress_after_seconds_on_the_mock_clock(mock):
    assistant, thread = _assistant(mock), _thread(mock)
    run = mock.client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id,
                                               extra_headers={"x-mockapi-progress": "seconds:30"})
    for _ in range(4):
        assert mock.client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "in_progress"
    mock.engine.clock.advance(30)
    assert mock.client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "completed"


def test_settings_choose_the_default_rule():
    engine = make_engine(extra={"progress": "polls:2"})
    client, _ = inprocess_clients(engine, max_retries=0)
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])
    run = client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "in_progress"
    assert client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "completed"


def test_requires_action_then_submit_tool_outputs_and_poll(mock):
    assistant = _assistant(mock, tools=[WEATHER])
    thread = _thread(mock, "What is the weather in Paris? Please call get_weather.")
    run = mock.client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "requires_action"
    calls = run.required_action.submit_tool_outputs.tool_calls
    assert [c.function.name for c in calls] == ["get_weather"] and calls[0].id.startswith("call_")
    assert json.loads(calls[0].function.arguments) == {"city": "Paris", "unit": "c"}
    mock.validate("getRun", run)
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=thread.id,
                                                          tool_outputs=[{"tool_call_id": "call_wrong", "output": "x"}])
    # the real body (microsoft/semantic-kernel#8701): Python list reprs, param and code null
    assert info.value.body["message"] == f"Expected tool outputs for call_ids ['{calls[0].id}'], got ['call_wrong']"
    assert (info.value.body["param"], info.value.body["code"]) == (None, None)
    with pytest.raises(openai.BadRequestError):
        mock.client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=thread.id, tool_outputs=[])
    done = mock.client.beta.threads.runs.submit_tool_outputs_and_poll(
        run_id=run.id, thread_id=thread.id, tool_outputs=[{"tool_call_id": calls[0].id, "output": "18C and sunny"}])
    assert done.status == "completed" and done.required_action is None
    steps = mock.client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    assert [s.type for s in steps] == ["tool_calls", "message_creation"]
    assert steps[0].step_details.tool_calls[0].function.output == "18C and sunny"
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.beta.threads.runs.submit_tool_outputs(run.id, thread_id=thread.id,
                                                          tool_outputs=[{"tool_call_id": calls[0].id, "output": "x"}])
    assert "completed" in info.value.body["message"]


def test_no_tool_call_when_the_prompt_does_not_ask(mock):
    assistant = _assistant(mock, tools=[WEATHER])
    run = mock.client.beta.threads.runs.create_and_poll(thread_id=_thread(mock, "Say hello.").id, assistant_id=assistant.id)
    assert run.status == "completed"


def test_one_active_run_per_thread_and_no_messages_meanwhile(mock):
    assistant, thread = _assistant(mock), _thread(mock)
    slow = {"x-mockapi-progress": "polls:5"}
    run = mock.client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, extra_headers=slow)
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id)
    assert info.value.body["message"] == f"Thread {thread.id} already has an active run {run.id}."
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.beta.threads.messages.create(thread.id, role="user", content="more")
    assert info.value.body["message"] == f"Can't add messages to {thread.id} while a run {run.id} is active."
    assert (info.value.body["param"], info.value.body["code"]) == (None, None)
    cancelling = mock.client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    assert cancelling.status == "cancelling"
    assert mock.client.beta.threads.runs.retrieve(run.id, thread_id=thread.id).status == "cancelled"
    with pytest.raises(openai.BadRequestError):
        mock.client.beta.threads.runs.cancel(run.id, thread_id=thread.id)
    again = mock.client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert again.status == "completed"
    runs = mock.client.beta.threads.runs.list(thread.id)
    assert [r.id for r in runs.data] == [again.id, run.id]
    mock.validate("listRuns", runs)
    tagged = mock.client.beta.threads.runs.update(run.id, thread_id=thread.id, metadata={"note": "cancelled on purpose"})
    assert tagged.metadata == {"note": "cancelled on purpose"} and tagged.status == "cancelled"


def test_scripted_failure_expiry_and_token_cap(mock):
    assistant = _assistant(mock, tools=[WEATHER])
    failed = mock.client.beta.threads.runs.create_and_poll(
        thread_id=_thread(mock).id, assistant_id=assistant.id, extra_headers={"x-mockapi-run-outcome": "failed"})
    assert failed.status == "failed" and failed.last_error.code == "server_error" and failed.failed_at
    waiting = mock.client.beta.threads.runs.create_and_poll(thread_id=_thread(mock, "call get_weather for Rome").id,
                                                            assistant_id=assistant.id)
    assert waiting.status == "requires_action"
    mock.engine.clock.advance(601)
    expired = mock.client.beta.threads.runs.retrieve(waiting.id, thread_id=waiting.thread_id)
    assert expired.status == "expired" and expired.required_action is None
    capped = mock.client.beta.threads.runs.create_and_poll(
        thread_id=_thread(mock, "Write about the sea in 600 words.").id, assistant_id=assistant.id, max_completion_tokens=256)
    assert capped.status == "incomplete" and capped.incomplete_details.reason == "max_completion_tokens"
    assert capped.usage.completion_tokens <= 256
    reply = mock.client.beta.threads.messages.list(capped.thread_id).data[0]
    assert reply.status == "incomplete" and reply.incomplete_details.reason == "max_tokens"
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.beta.threads.runs.create(thread_id=_thread(mock).id, assistant_id=assistant.id, max_completion_tokens=10)
    assert info.value.body["param"] == "max_completion_tokens"


def test_create_thread_and_run_poll(mock):
    assistant = _assistant(mock)
    run = mock.client.beta.threads.create_and_run_poll(assistant_id=assistant.id,
                                                       thread={"messages": [{"role": "user", "content": "Hi!"}]})
    assert run.status == "completed"
    assert [m.role for m in mock.client.beta.threads.messages.list(run.thread_id)] == ["assistant", "user"]
    with pytest.raises(openai.NotFoundError):
        mock.client.beta.threads.create_and_run(assistant_id="asst_missing")


def test_file_search_and_code_interpreter_are_simulated_as_steps(mock):
    file_id = mock.client.files.create(file=("faq.txt", io.BytesIO(b"Refunds are issued within 14 days of purchase.")),
                                       purpose="assistants").id
    store = mock.client.vector_stores.create(name="faq", file_ids=[file_id])
    assistant = _assistant(mock, tools=[{"type": "file_search"}, {"type": "code_interpreter"}],
                           tool_resources={"file_search": {"vector_store_ids": [store.id]}})
    thread = _thread(mock, "How many days until refunds are issued? Calculate it with code.")
    run = mock.client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
    assert run.status == "completed"
    steps = mock.client.beta.threads.runs.steps.list(run.id, thread_id=thread.id, order="asc").data
    tool_calls = steps[0].step_details.tool_calls
    assert [c.type for c in tool_calls] == ["file_search", "code_interpreter"]
    assert tool_calls[0].file_search.results[0].file_id == file_id
    assert tool_calls[0].file_search.results[0].content is None  # content only when included
    included = mock.client.beta.threads.runs.steps.retrieve(
        steps[0].id, thread_id=thread.id, run_id=run.id, include=["step_details.tool_calls[*].file_search.results[*].content"])
    assert included.step_details.tool_calls[0].file_search.results[0].content[0].text.startswith("Refunds")
    assert tool_calls[1].code_interpreter.outputs[0].logs.strip().isdigit()
    with pytest.raises(openai.NotFoundError):
        _assistant(mock, tool_resources={"file_search": {"vector_store_ids": ["vs_missing"]}})


# -- streaming ----------------------------------------------------------------------------
def test_runs_stream_event_handler(mock):
    assistant, thread = _assistant(mock), _thread(mock)
    deltas: list[str] = []

    class Handler(openai.AssistantEventHandler):
        def on_text_delta(self, delta, snapshot):  # noqa: ANN001
            deltas.append(delta.value)

    with mock.client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=Handler()) as stream:
        stream.until_done()
        run, messages = stream.get_final_run(), stream.get_final_messages()
    assert run.status == "completed"
    assert "".join(deltas) == _text(messages[0]) == _text(mock.client.beta.threads.messages.list(thread.id).data[0])
    stored = mock.client.beta.threads.runs.retrieve(run.id, thread_id=thread.id)
    assert stored.status == "completed"


def test_stream_events_follow_the_contract_and_end_with_done(mock):
    assistant, thread = _assistant(mock), _thread(mock)
    with mock.client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        events = list(stream)
    names = [e.event for e in events]
    assert names[:3] == ["thread.run.created", "thread.run.queued", "thread.run.in_progress"]
    assert names[-1] == "thread.run.completed" and "thread.message.delta" in names
    for event in events:
        mock.validate("createRun", {"event": event.event, "data": event.data.model_dump(mode="json")}, stream=True)
    raw = mock.client.beta.threads.runs.with_raw_response.create(thread_id=thread.id, assistant_id=assistant.id, stream=True)
    assert raw.http_response.read().decode().endswith("event: done\ndata: [DONE]\n\n")


def test_stream_stops_at_requires_action_and_submit_streams_the_rest(mock):
    assistant = _assistant(mock, tools=[WEATHER])
    thread = _thread(mock, "Use get_weather for Oslo.")
    with mock.client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id) as stream:
        names = [e.event for e in stream]
        run = stream.get_final_run()
    assert names[-1] == "thread.run.requires_action" and run.status == "requires_action"
    call = run.required_action.submit_tool_outputs.tool_calls[0]
    with mock.client.beta.threads.runs.submit_tool_outputs_stream(
            thread_id=thread.id, run_id=run.id, tool_outputs=[{"tool_call_id": call.id, "output": "cold"}]) as stream:
        rest = [e.event for e in stream]
        final = stream.get_final_run()
    assert rest[0] == "thread.run.step.completed" and rest[-1] == "thread.run.completed"
    assert final.status == "completed"


# -- concurrency, isolation, synthesized ids --------------------------------------------------
async def test_fifty_concurrent_run_creations_lose_nothing(mock):
    assistant = _assistant(mock)
    threads = [_thread(mock, f"question {i}") for i in range(50)]
    runs = await asyncio.gather(*(mock.async_client.beta.threads.runs.create(thread_id=t.id, assistant_id=assistant.id)
                                  for t in threads))
    assert len({r.id for r in runs}) == 50
    for thread, run in zip(threads, runs):
        assert [r.id for r in mock.client.beta.threads.runs.list(thread.id)] == [run.id]


def test_concurrent_runs_on_one_thread_admit_exactly_one():
    engine = make_engine(extra={"progress": "polls:10"})
    client, _ = inprocess_clients(engine, max_retries=0)
    assistant = client.beta.assistants.create(model="gpt-4o")
    thread = client.beta.threads.create(messages=[{"role": "user", "content": "hi"}])

    def attempt(_: int) -> str:
        try:
            return client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id).id
        except openai.BadRequestError:
            return "refused"

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(attempt, range(50)))
    winners = [o for o in outcomes if o != "refused"]
    assert len(winners) == 1
    assert [r.id for r in client.beta.threads.runs.list(thread.id)] == winners


def test_other_tenants_see_nothing(mock):
    assistant, thread = _assistant(mock), _thread(mock)
    other = mock.client.with_options(api_key="sk-other-tenant-0000000000")
    with pytest.raises(openai.NotFoundError):
        other.beta.threads.retrieve(thread.id)
    with pytest.raises(openai.NotFoundError):
        other.beta.assistants.retrieve(assistant.id)
    assert other.beta.assistants.list().data == []


def test_unknown_ids_can_be_synthesized_deterministically():
    engine = make_engine(unknown_ids="synthesize")
    client, _ = inprocess_clients(engine, max_retries=0)
    first = client.beta.threads.retrieve("thread_abc123")
    assert first.id == "thread_abc123" and first == client.beta.threads.retrieve("thread_abc123")
    assert client.beta.assistants.retrieve("asst_zzz").id == "asst_zzz"
    assert client.files.retrieve("file-xyz").id == "file-xyz"
    with pytest.raises(openai.NotFoundError):
        client.beta.threads.retrieve("not_a_thread_id")
    run = client.beta.threads.runs.retrieve("run_q", thread_id="thread_q")
    assert (run.id, run.thread_id, run.status) == ("run_q", "thread_q", "completed")


def test_schema_validation_level_implies_synthesized_ids(mock):
    with pytest.raises(openai.NotFoundError):
        mock.client.beta.threads.retrieve("thread_abc123")
    schema = mock.client.with_options(default_headers={"x-mockapi-validation": "schema"})
    assert schema.beta.threads.retrieve("thread_abc123").id == "thread_abc123"


def test_metadata_limits_are_enforced(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.beta.threads.create(metadata={f"k{i}": "v" for i in range(17)})
    assert info.value.body["param"] == "metadata"
    thread = mock.client.beta.threads.create(metadata={f"k{i}": "v" for i in range(16)})
    with pytest.raises(openai.BadRequestError):
        mock.client.beta.threads.update(thread.id, metadata={"k": "x" * 513})


def test_more_than_128_tools_is_the_real_array_too_long(mock):
    tools = [{"type": "function", "function": {"name": f"f{i}", "parameters": {"type": "object", "properties": {}}}}
             for i in range(129)]
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.beta.assistants.create(model="gpt-4o", tools=tools)
    body = info.value.body
    assert body["message"] == ("Invalid 'tools': array too long. Expected an array with maximum length 128, but got an "
                               "array with length 129 instead.")
    assert (body["param"], body["code"]) == ("tools", "array_above_max_length")
    assert len(mock.client.beta.assistants.create(model="gpt-4o", tools=tools[:128]).tools) == 128


def test_run_token_budgets_below_256_are_the_real_range_400(mock):
    assistant, thread = _assistant(mock), _thread(mock)
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.beta.threads.runs.create(thread_id=thread.id, assistant_id=assistant.id, max_prompt_tokens=255)
    body = info.value.body
    assert body["message"] == "Invalid 'max_prompt_tokens': integer below minimum value. Expected a value >= 256, but got 255 instead."
    assert (body["param"], body["code"]) == ("max_prompt_tokens", "integer_below_min_value")

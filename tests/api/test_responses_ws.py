"""The Responses API over WebSocket, driven through the real SDK's ``client.responses.connect()``.

The SDK opens its WebSocket with the ``websockets`` package directly, which no httpx transport can
intercept, so these tests run against the live server only. Every server event received is validated
against the SDK's own ``ResponsesServerEvent`` union.
"""

from __future__ import annotations

import json
from typing import Any

import openai
import pydantic
import pytest
from conftest import API_KEY, Mock
from openai.types.responses import ResponsesServerEvent
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect as ws_connect

SERVER_EVENT = pydantic.TypeAdapter(ResponsesServerEvent)
WEATHER = {"type": "function", "name": "get_weather", "description": "Current weather for a city",
           "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}


def received(conn: Any) -> dict[str, Any]:
    """The next server event as a dict, validated against the SDK's types."""
    event = json.loads(conn.recv_bytes())
    SERVER_EVENT.validate_python(event)
    return event


def until(conn: Any, *kinds: str) -> list[dict[str, Any]]:
    """Server events up to and including the first whose type is one of ``kinds``."""
    events = []
    while True:
        events.append(received(conn))
        if events[-1]["type"] in kinds:
            return events


def test_a_create_streams_the_responses_events_and_the_response_is_stored(live: Mock) -> None:
    with live.client.responses.connect() as conn:
        conn.response.create(model="gpt-4o-mini", input="Say hello over a socket.")
        events = until(conn, "response.completed")
    kinds = [e["type"] for e in events]
    assert kinds[:2] == ["response.created", "response.in_progress"]
    assert "response.output_text.delta" in kinds
    done = events[-1]["response"]
    text = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    assert done["output"][0]["content"][0]["text"] == text
    assert [e["sequence_number"] for e in events] == list(range(len(events)))
    assert all("stream_id" not in e for e in events)  # no lane was named
    assert live.client.responses.retrieve(done["id"]).output_text == text
    assert live.engine.traffic.journal.query(path="/v1/responses")  # type: ignore[attr-defined] - journaled as the POST it is


def test_the_same_create_says_the_same_as_over_http(live: Mock) -> None:
    over_http = live.client.responses.create(model="gpt-4o-mini", input="What is a bridge?")
    with live.client.responses.connect() as conn:
        conn.response.create(model="gpt-4o-mini", input="What is a bridge?")
        done = until(conn, "response.completed")[-1]["response"]
    assert done["output"][0]["content"][0]["text"] == over_http.output_text
    assert done["id"] != over_http.id  # its own object


def test_events_carry_the_lane_their_create_named(live: Mock) -> None:
    with live.client.responses.connect() as conn:
        conn.send({"type": "response.create", "model": "gpt-4o-mini", "input": "One.", "stream_id": "lane-a"})
        first = until(conn, "response.completed")
        conn.send({"type": "response.create", "model": "gpt-4o-mini", "input": "Two.", "stream_id": "lane-b"})
        second = until(conn, "response.completed")
    assert {e["stream_id"] for e in first} == {"lane-a"}
    assert {e["stream_id"] for e in second} == {"lane-b"}


def test_a_tool_loop_continues_with_previous_response_id_on_the_same_socket(live: Mock) -> None:
    with live.client.responses.connect() as conn:
        conn.response.create(model="gpt-4o-mini", input="What is the weather in Paris?", tools=[WEATHER], tool_choice="required")
        first = until(conn, "response.completed")[-1]["response"]
        call = next(item for item in first["output"] if item["type"] == "function_call")
        assert call["name"] == "get_weather"
        conn.response.create(model="gpt-4o-mini", previous_response_id=first["id"], tools=[WEATHER],
                             input=[{"type": "function_call_output", "call_id": call["call_id"], "output": "21C and sunny"}])
        second = until(conn, "response.completed")[-1]["response"]
    assert second["previous_response_id"] == first["id"]
    assert "21C and sunny" in second["output"][0]["content"][0]["text"]


def test_generate_false_prepares_state_without_output(live: Mock) -> None:
    with live.client.responses.connect() as conn:
        conn.send({"type": "response.create", "model": "gpt-4o-mini", "input": "Remember: my name is Ada.", "generate": False})
        warm = until(conn, "response.completed")
        assert warm[-1]["response"]["output"] == []
        assert not [e for e in warm if e["type"].startswith("response.output")]
        conn.response.create(model="gpt-4o-mini", input="What is my name?", previous_response_id=warm[-1]["response"]["id"])
        answer = until(conn, "response.completed")[-1]["response"]
    assert "Ada" in answer["output"][0]["content"][0]["text"]


def test_a_refused_create_is_an_error_event_and_the_socket_stays_open(live: Mock) -> None:
    with live.client.responses.connect() as conn:
        conn.send({"type": "response.create", "model": "no-such-model", "input": "Hi.", "stream_id": "lane-x"})
        error = received(conn)
        assert error["type"] == "error" and error["status"] == 404 and error["stream_id"] == "lane-x"
        assert error["error"]["code"] == "model_not_found" and error["error"]["type"] == "invalid_request_error"
        conn.send({"type": "response.create", "model": "gpt-4o-mini", "input": "Hi.", "temperature": 9})
        error = received(conn)
        assert error["status"] == 400 and error["error"]["param"] == "temperature"
        conn.response.create(model="gpt-4o-mini", input="Still there?")
        assert until(conn, "response.completed")[-1]["response"]["status"] == "completed"


def test_background_is_refused_over_a_socket(live: Mock) -> None:
    with live.client.responses.connect() as conn:
        conn.send({"type": "response.create", "model": "gpt-4o-mini", "input": "Later.", "background": True})
        error = received(conn)
    assert error["status"] == 400 and error["error"]["param"] == "background"


def test_an_unknown_event_type_or_bad_json_is_an_error_event(live: Mock) -> None:
    with live.client.responses.connect() as conn:
        conn.send_raw("{not json")
        assert received(conn)["error"]["message"].startswith("We could not parse the JSON body")
        conn.send_raw(json.dumps({"type": "response.cancel"}))
        error = received(conn)
    assert error["status"] == 400 and error["error"]["param"] == "type" and error["error"]["code"] == "invalid_value"
    assert error["error"]["message"] == ("Invalid value: \"response.cancel\". "
                                         "Supported values are: 'response.create' and 'response.steer'.")


def test_steering_a_finished_response_returns_the_input_uncommitted(live: Mock) -> None:
    with live.client.responses.connect() as conn:
        conn.send({"type": "response.create", "model": "gpt-4o-mini", "input": "Plan a trip.", "stream_id": "lane-s"})
        done = until(conn, "response.completed")[-1]["response"]
        conn.send({"type": "response.steer", "previous_response_id": done["id"], "input": "Make it shorter."})
        late = received(conn)
        conn.send({"type": "response.steer", "previous_response_id": "resp_elsewhere", "input": "Hello?"})
        unknown = received(conn)
    assert late["type"] == "response.steer.failed" and late["error"]["code"] == "response_already_completed"
    assert late["steer"] == {"previous_response_id": done["id"], "input": "Make it shorter."}
    assert late["stream_id"] == "lane-s"
    assert unknown["error"]["code"] == "response_not_found" and "stream_id" not in unknown


def test_a_bad_key_is_told_then_closed(live: Mock) -> None:
    client = openai.OpenAI(api_key="not-a-key", base_url=live.base_url, max_retries=0)
    with client.responses.connect() as conn:
        error = received(conn)
        with pytest.raises(ConnectionClosed):
            conn.recv_bytes()
    assert error["type"] == "error" and error["status"] == 401 and error["error"]["code"] == "invalid_api_key"


def test_a_websocket_elsewhere_is_refused_before_the_upgrade(live: Mock) -> None:
    url = live.base_url.replace("http://", "ws://") + "/chat/completions"
    with pytest.raises(InvalidStatus) as refused:
        ws_connect(url, additional_headers={"Authorization": f"Bearer {API_KEY}"})
    assert refused.value.response.status_code == 403


async def test_the_async_client_streams_over_a_socket(live: Mock) -> None:
    async with live.async_client.responses.connect() as conn:
        await conn.response.create(model="gpt-4o-mini", input="Async hello.")
        kinds = []
        async for event in conn:
            kinds.append(event.type)
            if event.type == "response.completed":
                break
    assert kinds[0] == "response.created" and kinds[-1] == "response.completed"


def test_a_lane_that_is_not_a_string_is_refused(live: Mock) -> None:
    with live.client.responses.connect() as conn:
        conn.send_raw(json.dumps({"type": "response.create", "model": "gpt-4o-mini", "input": "Hi.", "stream_id": 7}))
        error = received(conn)
    assert error["status"] == 400 and error["error"]["param"] == "stream_id" and error["error"]["code"] == "invalid_type"
    assert error["error"]["message"] == "Invalid type for 'stream_id': expected a string, but got an integer instead."

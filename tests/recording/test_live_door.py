"""Recording through a live server (as `mockapi serve --record` runs it), and a vector store followed up offline."""

from __future__ import annotations

from pathlib import Path

import openai
from recording_helpers import API_KEY, client_of, dump, recording_engine, start_upstream

from mockapi.doors.live import LiveServer


def test_a_live_recording_server_relays_streams_and_replays_objects_offline(tmp_path: Path) -> None:
    upstream = start_upstream()
    recorder = LiveServer(recording_engine(tmp_path, "record", upstream.base_url)).start()
    try:
        client = openai.OpenAI(api_key=API_KEY, base_url=recorder.base_url, max_retries=0)
        store = client.vector_stores.create(name="kb")
        chunks = [dump(c) for c in client.chat.completions.create(
            model="gpt-4o-mini", messages=[{"role": "user", "content": "Count"}], stream=True)]
    finally:
        recorder.stop()
        upstream.stop()
    assert sorted(p.name for p in tmp_path.glob("*.json")) == ["0001-createVectorStore.json", "0002-createChatCompletion.json"]
    offline = client_of(recording_engine(tmp_path, "replay"))
    assert offline.vector_stores.create(name="kb") == store
    assert [dump(c) for c in offline.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": "Count"}], stream=True)] == chunks
    # Follow-ups the recording never saw reach the registered vector store through the mock's own handlers.
    assert offline.vector_stores.retrieve(store.id).name == "kb"
    uploaded = offline.files.create(file=("a.txt", b"hello world", "text/plain"), purpose="assistants")
    assert offline.vector_stores.files.create(vector_store_id=store.id, file_id=uploaded.id).vector_store_id == store.id


def test_a_streamed_response_is_registered_on_replay_and_async_clients_replay_too(tmp_path: Path) -> None:
    import asyncio

    from conftest import inprocess_clients

    upstream = start_upstream()
    try:
        client = client_of(recording_engine(tmp_path, "record", upstream.base_url))
        events = [dump(e) for e in client.responses.create(model="gpt-4o-mini", input="Name a fruit", stream=True)]
    finally:
        upstream.stop()
    final = events[-1]["response"]
    assert events[-1]["type"] == "response.completed"

    async def replay() -> tuple[list, dict]:
        _, aclient = inprocess_clients(recording_engine(tmp_path, "replay"), max_retries=0)
        stream = await aclient.responses.create(model="gpt-4o-mini", input="Name a fruit", stream=True)
        replayed = [dump(e) async for e in stream]
        return replayed, dump(await aclient.responses.retrieve(final["id"]))  # never recorded: from the store

    replayed, retrieved = asyncio.run(replay())
    assert replayed == events
    assert retrieved["id"] == final["id"] and retrieved["output"] == final["output"]

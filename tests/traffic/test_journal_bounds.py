"""The journal is bounded in bytes (issue 14): big bodies and long streams are truncated and marked, and the oldest
entries go once the configured ``journal: {max_bytes}`` is reached, however many entries that is."""

from __future__ import annotations

import json

from conftest import make_engine
from traffic_helpers import chat

from mockapi.core.engine import Request

KEY = "sk-test-0123456789"


def _post(engine, body: dict) -> None:  # noqa: ANN001
    reply = engine.handle(Request("POST", "/v1/chat/completions", {"authorization": f"Bearer {KEY}",
                                                                   "content-type": "application/json"},
                                  json.dumps(body).encode()))
    if reply.stream is not None:
        for _ in reply.stream:  # the journal records frames as the client reads them
            pass


def test_large_bodies_are_truncated_and_marked():
    engine = make_engine()
    _post(engine, {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "x" * 100_000}]})
    _post(engine, {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "short"}]})
    big, small = engine.traffic.journal.query(limit=2)[::-1]
    assert big.truncated and big.to_dict()["truncated"] is True and len(big.request_body) < 20_000
    assert "more bytes" in big.request_body
    assert small.truncated is False and small.summary()["truncated"] is False


def test_long_streams_keep_a_bounded_prefix(monkeypatch):
    monkeypatch.setattr("mockapi.traffic.journal.MAX_STREAM_BYTES", 20_000)  # this stream sends about 140 kB
    engine = make_engine()
    _post(engine, {"model": "gpt-4o-mini", "stream": True, "max_tokens": 4000, "logprobs": True, "top_logprobs": 20,
                   "messages": [{"role": "user", "content": "Write a long essay about rivers."}]})
    entry = engine.traffic.journal.query(limit=1)[0]
    assert entry.done and entry.size <= 20_000
    assert entry.frames_dropped > 0 and entry.truncated
    assert entry.frames[0].startswith("data: ")  # the prefix is kept, the rest counted


def test_the_journal_stays_within_max_bytes():
    engine = make_engine(extra={"journal": {"max_bytes": "200kB"}})
    journal = engine.traffic.journal
    for i in range(60):
        _post(engine, {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"{i} " + "y" * 15_000}]})
    assert journal.bytes <= 200_000
    assert 5 <= len(journal) < 60  # entries went by weight, not by count (the count bound is 1,000)
    assert journal.query(limit=1)[0].request_body.startswith('{"model"')
    journal.clear()
    assert journal.bytes == 0 and len(journal) == 0
    chat(__import__("conftest").inprocess_clients(engine)[0], "after clearing")
    assert len(journal) == 1 and 0 < journal.bytes <= 200_000


def test_a_reply_may_ask_for_its_own_frame_bounds():
    # A Realtime session (one entry for a whole WebSocket conversation) asks for more than an HTTP stream's 200 frames.
    from mockapi.core.results import Reply
    from mockapi.traffic.journal import MAX_FRAMES

    engine = make_engine()
    journal = engine.traffic.journal
    for bounds, count in (((MAX_FRAMES * 3, 1_000_000), MAX_FRAMES * 2), (None, MAX_FRAMES * 2)):
        reply = Reply(101, [("x-request-id", f"req_{count}_{bounds is None}")], stream=iter([b"< {}"] * count),
                      meta={"journal_frames": bounds} if bounds else {})
        journal.observe(Request("GET", "/v1/realtime", {}), None, reply)
        for _ in reply.stream:
            pass
    default, wide = journal.query(limit=2)
    assert len(wide.frames) == MAX_FRAMES * 2 and wide.frames_dropped == 0
    assert len(default.frames) == MAX_FRAMES and default.frames_dropped == MAX_FRAMES


def test_when_the_journal_is_read_never_changes_what_it_keeps():
    # The journal weighs an entry's headers only when something reads it (Journal._settle): a journal read after
    # every exchange and one read only at the end must hold the same entries and weigh the same.
    from mockapi.core.results import Reply

    def fill(read_every: int | None) -> tuple[list[int], int, list[int]]:
        journal = make_engine(extra={"journal": {"max_bytes": "30kB"}}).traffic.journal
        lengths = []
        for i in range(120):
            headers = {"content-type": "application/json", "x-note": "h" * (i * 131 % 3000)}
            stream = iter([b"data: " + b"f" * (i % 700)] * (i % 4)) if i % 9 == 0 else None
            reply = Reply(200, [("x-request-id", f"req_{i}"), ("x-pad", "p" * (i * 53 % 2000))],
                          b"r" * (i * 71 % 5000), stream=stream)
            journal.observe(Request("POST", "/v1/chat/completions", headers, b"q" * (i * 97 % 9000)), None, reply)
            for _ in reply.stream or ():
                pass
            if read_every and i % read_every == 0:
                lengths.append(len(journal))
        return [e.seq for e in journal.query(limit=1000)], journal.bytes, lengths

    eager, lazy = fill(1), fill(None)
    assert eager[:2] == lazy[:2] and eager[0] != list(range(120, 0, -1))  # some went by weight
    assert fill(7)[:2] == lazy[:2]


def test_stream_frames_are_weighed_in_steps_and_the_weights_add_up():
    # A stream's kept frames join the journal's weight every 16 kB and at its end (Journal._capture): whatever the
    # steps, the journal weighs what its entries weigh, and stays within max_bytes, even for a stream left unfinished.
    from mockapi.core.results import Reply

    journal = make_engine(extra={"journal": {"max_bytes": "120kB"}}).traffic.journal
    for i in range(40):
        frames = [b"data: " + b"x" * (100 + i * 37 % 900)] * (20 + i * 13 % 150)
        reply = Reply(200, [("x-request-id", f"req_{i}")], stream=iter(frames))
        journal.observe(Request("POST", "/v1/chat/completions", {}, b"{}"), None, reply)
        stream = iter(reply.stream)
        for n, _ in enumerate(stream):
            if i % 5 == 0 and n == len(frames) // 2:
                stream.close()  # the client went away mid-stream
                break
    entries = journal.query(limit=1000)
    assert journal.bytes == sum(entry.size for entry in entries)
    assert all(entry.size >= sum(map(len, entry.frames)) for entry in entries)  # every kept frame is weighed
    assert journal.bytes <= 120_000 and all(entry.done for entry in entries)
    assert 0 < len(entries) < 40


def test_the_journal_takes_about_the_memory_it_counts():
    # max_bytes bounds what the journal weighs, so what it weighs must be what it holds. orjson 3.12 and later leave
    # 4-16 kB of buffer behind a short reply (jsonutil.right_sized): kept as they came, the 240 measured exchanges,
    # weighed at 0.63 MB, held 2.93 MB; as copies, 0.74 MB. Measured as the memory one engine with a journal keeps
    # beyond one without (size 1), against what the journal's weight grew by over the same exchanges.
    import gc
    import tracemalloc

    tools = [{"type": "function", "name": "get_weather",
              "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}]

    def traffic(engine, start: int) -> None:  # noqa: ANN001
        for i in range(start, start + 120):
            for path, body in (("/v1/responses", {"model": "gpt-4o-mini", "store": False, "tools": tools,
                                                  "input": f"Weather in city {i}?"}),
                               ("/v1/chat/completions", {"model": "gpt-4o-mini",
                                                         "messages": [{"role": "user", "content": f"Bridge {i}?"}]})):
                reply = engine.handle(Request("POST", path, {"authorization": f"Bearer {KEY}",
                                                             "content-type": "application/json"}, json.dumps(body).encode()))
                assert reply.status == 200, reply.body

    def grown(engine, start: int) -> int:  # noqa: ANN001
        gc.collect()
        before = tracemalloc.get_traced_memory()[0]
        traffic(engine, start)
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before

    kept, unkept = make_engine(), make_engine(journal_size=1)
    traffic(kept, 0)  # warm both: the caches every engine shares fill here, not in the measured part
    traffic(unkept, 0)
    journal = kept.traffic.journal
    weighed_before = journal.bytes
    tracemalloc.start()
    try:
        without = grown(unkept, 1000)
        with_journal = grown(kept, 2000)
    finally:
        tracemalloc.stop()
    weighed = journal.bytes - weighed_before
    assert len(journal) == 480
    assert with_journal - without < 1.5 * weighed, (with_journal - without, weighed)

"""The workload a profile-guided build of the compiled hot path is trained on (``setup.py``; never run by a server).

A request runs about 200 kB of compiled code, most of it once. In a server, uvicorn, the kernel and the load
generator evict the caches between requests, so fetching that code costs more than running it. GCC, told what a
training run executed (``-fprofile-generate``, then ``-fprofile-use``), packs the code requests run together and
moves error paths out of the way: about a sixth fewer instruction-cache misses in the compiled code, and about 9% less
server CPU per Responses call (bench/PROFILE.md, fifteenth pass). The answers are the same bytes either way.

The mix is what clients send most: chat (plain, with tools, streamed, structured), Responses (with a function tool,
plain, streamed, chained), embeddings, the model list, and the common errors. Code the mix never reaches is
compiled as without a profile (``-fprofile-partial-training``).
"""

from __future__ import annotations

import json
import sys
from typing import Any, Iterator

from mockapi.assembly import build_engine
from mockapi.core.config import Settings
from mockapi.core.engine import Request
from mockapi.core.results import Reply

ROUNDS = 200
"""How many times the mix runs: enough for every branch's counts to settle, a few seconds instrumented."""

_HEADERS = {"authorization": "Bearer sk-training-0123456789", "content-type": "application/json"}
_WEATHER = {"type": "function", "name": "get_weather", "description": "Current weather for a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}
_CHAT_TOOL = {"type": "function", "function": {k: v for k, v in _WEATHER.items() if k != "type"}}
_PERSON = {"type": "json_schema", "json_schema": {"name": "person", "strict": True, "schema": {
    "type": "object", "additionalProperties": False, "required": ["name", "age"],
    "properties": {"name": {"type": "string"}, "age": {"type": "integer"}}}}}


def requests(n: int) -> Iterator[tuple[str, str, dict[str, Any] | None]]:
    """Round ``n`` of the mix as (method, path, JSON body or None); every round's bodies differ from the last's."""
    chat = "/v1/chat/completions"
    yield "POST", chat, {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"Question {n}: how long is bridge {n}?"}]}
    yield "POST", chat, {"model": "gpt-4o-mini", "tools": [_CHAT_TOOL],
                         "messages": [{"role": "system", "content": "You are a weather bot."},
                                      {"role": "user", "content": f"What is the weather in Austin and city {n}?"}]}
    yield "POST", chat, {"model": "gpt-4o-mini", "stream": True, "stream_options": {"include_usage": True},
                         "messages": [{"role": "user", "content": f"Write {n % 50 + 20} words about rivers."}]}
    yield "POST", chat, {"model": "gpt-4o-mini", "response_format": _PERSON,
                         "messages": [{"role": "user", "content": f"Dana is {n % 60 + 18} years old. Describe her."}]}
    responses = "/v1/responses"
    yield "POST", responses, {"model": "gpt-4o-mini", "input": f"What is the weather in city {n}?", "tools": [_WEATHER]}
    yield "POST", responses, {"model": "gpt-4o-mini", "instructions": "Be brief.", "input": f"Tell me about lake {n}."}
    yield "POST", responses, {"model": "gpt-4o-mini", "stream": True, "input": [
        {"role": "user", "content": [{"type": "input_text", "text": f"Summarise chapter {n}."}]}]}
    yield "POST", "/v1/embeddings", {"model": "text-embedding-3-small", "input": [f"sentence {n}", "another"]}
    yield "GET", "/v1/models", None
    yield "GET", "/v1/models/gpt-4o-mini", None
    yield "POST", chat, {"model": "gpt-4o-mini"}  # 400: messages missing
    yield "POST", chat, {"model": f"no-such-model-{n}", "messages": [{"role": "user", "content": "hi"}]}  # 404


def answer(engine: Any, method: str, path: str, body: dict[str, Any] | None) -> Reply:
    """``engine``'s reply to one request of the mix (a stream left unread), sent with the mix's key."""
    return engine.handle(Request(method, path, dict(_HEADERS), b"" if body is None else json.dumps(body).encode()))


def run(rounds: int = ROUNDS) -> int:
    """Send the mix ``rounds`` times through one engine, streams read to the end; how many requests were answered."""
    engine = build_engine(Settings(extra={"rate_limits": {"enforce": False}}))

    def send(method: str, path: str, body: dict[str, Any] | None) -> bytes:
        reply = answer(engine, method, path, body)
        for _ in reply.stream or ():
            pass
        if reply.status >= 500:  # a profile of the mock failing would lay the code out for failing
            raise RuntimeError(f"{method} {path} answered {reply.status}: {reply.body[:300]!r}")
        return reply.body

    answered = 0
    for n in range(rounds):
        for method, path, body in requests(n):
            send(method, path, body)
            answered += 1
        first = json.loads(send("POST", "/v1/responses", {"model": "gpt-4o-mini", "input": f"Hello {n}"}))
        send("POST", "/v1/responses", {"model": "gpt-4o-mini", "input": "And then?", "previous_response_id": first["id"]})
        answered += 2
    return answered


if __name__ == "__main__":
    print(f"trained on {run(int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS)} requests")

"""Every byte the engine answers to a fixed run of requests, digested: a compiled build must print what the source prints.

Run as ``python tests/core/compiled_dump.py`` with the tree to test first on ``sys.path``. Prints one JSON line:
the digest, how many replies it covers, and which hot-path modules ran compiled. The run covers what the
compiled modules do: chat (tools, streams, ``n``, logprobs, JSON mode, tool loops), Responses (tools, streams,
chains), the 4xx errors, rate limits enforced down to 429s, usage and the journal as the control plane reads them.
"""

from __future__ import annotations

import hashlib
import json
import sys
from typing import Any, Iterator

from mockapi.assembly import build_engine
from mockapi.core.compiled import is_compiled, module_names
from mockapi.core.config import Settings
from mockapi.core.engine import Engine, Request

KEY = "sk-compiled-dump-0123456789"
TOOL = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}, "unit": {"type": "string", "enum": ["c", "f"]}},
    "required": ["city", "unit"], "additionalProperties": False}, "strict": True}}
RESPONSES_TOOL = {"type": "function", "name": "get_weather", "parameters": TOOL["function"]["parameters"], "strict": True}


# Once a run: the search-preview models' citations, audio output, values filled from a schema.
ONE_OFF_CHATS = (
    {"model": "gpt-4o-search-preview", "web_search_options": {}, "messages": [{"role": "user", "content": "News about Oslo?"}]},
    {"model": "gpt-4o-audio-preview", "modalities": ["text", "audio"], "audio": {"voice": "alloy", "format": "wav"},
     "messages": [{"role": "user", "content": "Say hello to Ada."}]},
    {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Book a table for 4 at 7pm in Rome for Ada."}],
     "response_format": {"type": "json_schema", "json_schema": {"name": "booking", "strict": True, "schema": {
         "type": "object", "additionalProperties": False, "required": ["city", "people", "time", "date", "tags"],
         "properties": {"city": {"type": "string"}, "people": {"type": "integer", "minimum": 1},
                        "time": {"type": "string", "format": "time"}, "date": {"type": "string", "format": "date"},
                        "tags": {"type": "array", "items": {"type": "string"}}}}}}},
)


def requests(i: int) -> Iterator[tuple[str, str, dict[str, Any] | None, dict[str, str]]]:
    """(method, path, body, extra headers) of one round, varied by ``i``."""
    user = {"role": "user", "content": f"Question {i}: how long is bridge {i}, and what is the weather in Paris?"}
    yield "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [user]}, {}
    yield "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [user], "tools": [TOOL], "n": 2}, {}
    yield "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [user], "stream": True,
                                           "stream_options": {"include_usage": True}, "max_tokens": 60}, {}
    yield "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [user], "logprobs": True, "top_logprobs": 2,
                                           "response_format": {"type": "json_object"}}, {}
    yield "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [
        user, {"role": "assistant", "tool_calls": [{"id": f"call_{i}", "type": "function",
                                                    "function": {"name": "get_weather", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": f"call_{i}", "content": "18 C and sunny"}], "tools": [TOOL]}, {}
    yield "POST", "/v1/responses", {"model": "gpt-4o-mini", "input": f"What is the weather in city {i}?", "tools": [RESPONSES_TOOL]}, {}
    yield "POST", "/v1/responses", {"model": "gpt-4o-mini", "input": f"Write about bridge {i}.", "stream": True,
                                    "max_output_tokens": 40}, {}
    yield "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [user], "temperature": 9}, {}  # 400
    yield "POST", "/v1/chat/completions", {"model": "no-such-model", "messages": [user]}, {}  # 404
    yield "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": [user]}, {"authorization": ""}  # 401
    yield "POST", "/v1/chat/completions", {"model": "gpt-4o-mini", "messages": []}, {"x-stainless-lang": "python"}  # 400
    yield "GET", "/v1/models/gpt-4o-mini", None, {}


def replies(engine: Engine, rounds: int) -> Iterator[bytes]:
    """Each reply's status, headers (but the timing one) and body, a stream read to its end."""
    headers = {"authorization": f"Bearer {KEY}", "content-type": "application/json"}
    for i in range(rounds):
        for method, path, body, extra in requests(i):
            sent = {**headers, **extra}
            reply = engine.handle(Request(method, path, {k: v for k, v in sent.items() if v},
                                          json.dumps(body).encode() if body is not None else b""))
            stream = b"".join(c for c in reply.stream if isinstance(c, bytes)) if reply.stream is not None else b""
            shown = [(k, v) for k, v in reply.headers if k != "openai-processing-ms"]
            yield f"{reply.status} {shown}\n".encode() + (reply.body or b"") + stream
        if i == rounds // 2:  # the chain a Responses client makes, then what the control plane shows of it all
            first = json.loads(next(replies_of(engine, headers, {"model": "gpt-4o-mini", "input": "Remember 42."})))
            yield from replies_of(engine, headers, {"model": "gpt-4o-mini", "input": "What did I say?",
                                                    "previous_response_id": first["id"]})
            for body in ONE_OFF_CHATS:
                yield from replies_of(engine, headers, body, "/v1/chat/completions")
    for path in ("/_mockapi/journal", "/_mockapi/state", "/_mockapi/limits"):
        reply = engine.handle(Request("GET", path, {}, b""))
        shown = json.loads(reply.body)
        for entry in shown.get("data", ()) if isinstance(shown, dict) else ():
            entry.pop("duration_ms", None)  # wall time: the one thing that differs run to run
        yield f"{reply.status}\n{json.dumps(shown, sort_keys=True)}".encode()


def replies_of(engine: Engine, headers: dict[str, str], body: dict[str, Any], path: str = "/v1/responses") -> Iterator[bytes]:
    """One call's body (a Responses call unless ``path`` says otherwise)."""
    yield engine.handle(Request("POST", path, headers, json.dumps(body).encode())).body or b""


def main() -> None:
    """Print the digest of a fixed run (rate limits low enough to give 429s), and which modules ran compiled."""
    settings = Settings(frozen_time=1_750_000_000.0, extra={"rate_limits": {"tiers": {"tier-5": {"rpm": 200}}}})
    engine = build_engine(settings)
    digest, count = hashlib.sha256(), 0
    for reply in replies(engine, rounds=40):
        digest.update(reply)
        count += 1
    compiled = [name for name in module_names() if is_compiled(name)]
    print(json.dumps({"digest": digest.hexdigest(), "replies": count, "compiled": compiled}))


if __name__ == "__main__":
    sys.exit(main())

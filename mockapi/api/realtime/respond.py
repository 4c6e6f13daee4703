"""One Realtime response: what the model says (the same rules as Chat and Responses) and its event sequence.

The text comes from :func:`mockapi.content.replies.compose`, tool calls from
:func:`mockapi.content.tools.plan_calls`, and canned or queued replies (``engine.overrides``, path
``/realtime``) come first, so a fixture that answers Chat answers a voice session too. The events are a
generator: the door sends them one by one and can stop it (``response.cancel``, barge-in).
:class:`~mockapi.core.results.Pause` items after audio deltas carry the audio's duration, for real-time pacing.
"""

from __future__ import annotations

import base64
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from mockapi.content.replies import compose
from mockapi.content.tools import (
    PlannedCall,
    ToolSpec,
    arguments_for,
    handed_off,
    plan_calls,
    split_fragments,
)
from mockapi.core.determinism import make_id
from mockapi.core.results import Pause
from mockapi.core.tokenizer import count_tokens, tokenize

from . import audio

Emit = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass
class Plan:
    """What to say: a message text, or function calls, or a failure."""

    text: str | None = None
    calls: list[PlannedCall] = field(default_factory=list)
    error: dict[str, Any] | None = None


def tool_specs(tools: Any) -> list[ToolSpec]:
    """The session's function tools as the shared tool selection sees them."""
    return [ToolSpec(t.get("name", ""), t.get("description") or "", t.get("parameters"))
            for t in tools or [] if isinstance(t, dict) and t.get("type", "function") == "function"]


def user_text(item: dict[str, Any]) -> str:
    """What a user message says: its text parts and its audio's transcript."""
    said = []
    for part in item.get("content") or []:
        if part.get("type") == "input_text":
            said.append(part.get("text") or "")
        elif part.get("type") == "input_audio":
            said.append(part.get("transcript") or item.get("_heard") or "")
    return " ".join(s for s in said if s)


def text_tokens(items: list[dict[str, Any]]) -> int:
    """Text tokens of the conversation as input: typed text, transcripts of the model's audio, tool calls and outputs."""
    total = 0
    for item in items:
        total += 4 + count_tokens(str(item.get("arguments") or "")) + count_tokens(str(item.get("output") or ""))
        for part in item.get("content") or []:
            if isinstance(part, dict) and part.get("type") != "input_audio":
                total += count_tokens(str(part.get("text") or part.get("transcript") or ""))
    return total


def plan(items: list[dict[str, Any]], config: dict[str, Any], canned: dict[str, Any] | None, r: random.Random) -> Plan:
    """What the model answers to ``items`` under ``config`` (instructions, tools, tool_choice)."""
    turns = [user_text(i) for i in items if i.get("type") == "message" and i.get("role") == "user"]
    prompt = turns[-1] if turns else ""
    tools = tool_specs(config.get("tools"))
    if canned:
        if canned.get("error"):
            error = canned["error"] if isinstance(canned["error"], dict) else {"message": str(canned["error"])}
            return Plan(error={"type": "server_error", "code": error.get("code") or "server_error",
                               "message": str(error.get("message") or "The model failed to respond.")})
        if canned.get("tool_calls"):
            by_name = {t.name: t for t in tools}
            calls = []
            for spec in canned["tool_calls"]:
                tool = by_name.get(spec.get("name")) or ToolSpec(spec.get("name", "tool"))
                args = spec.get("arguments")
                args = arguments_for(tool, r, None, prompt) if args is None else args if isinstance(args, str) else json.dumps(args, separators=(",", ":"))
                calls.append(PlannedCall(tool, args))
            return Plan(calls=calls)
        if "content" in canned or canned.get("refusal"):
            return Plan(text=str(canned.get("content") if "content" in canned else canned["refusal"]))
    outputs, answered = _trailing_outputs(items)
    choice = config.get("tool_choice") or "auto"
    if isinstance(choice, dict):
        choice = choice.get("name") or "auto"
    if tools and not (outputs and choice == "auto" and not handed_off(answered, tools)):
        calls = plan_calls(tools, choice, True, prompt, r)
        if calls:
            return Plan(calls=calls)
    return Plan(text=compose(turns or [""], r, tool_results=outputs or None))


def _trailing_outputs(items: list[dict[str, Any]]) -> tuple[list[str], set[str]]:
    outputs, call_ids = [], set()
    for item in reversed(items):
        if item.get("type") != "function_call_output":
            break
        outputs.insert(0, str(item.get("output") or ""))
        call_ids.add(item.get("call_id"))
    names = {str(i.get("name")) for i in items if i.get("type") == "function_call" and i.get("call_id") in call_ids}
    return outputs, names


@dataclass
class Running:
    """A response being streamed: its object and the items produced so far (read by cancel)."""

    response: dict[str, Any]
    open_items: list[dict[str, Any]] = field(default_factory=list)
    input_tokens: int = 0
    audio_in_tokens: int = 0
    in_conversation: bool = True  # False for an out-of-band response (``conversation: "none"``)


def usage(run: Running) -> dict[str, Any]:
    """The response's token usage, from what it produced."""
    text_out = audio_out = 0
    for item in run.response["output"]:
        if item["type"] == "function_call":
            text_out += count_tokens(item["name"]) + count_tokens(item["arguments"]) + 3
        for part in item.get("content") or []:
            if part.get("type") == "output_text":
                text_out += count_tokens(part.get("text") or "")
            elif part.get("type") == "output_audio":
                text_out += count_tokens(part.get("transcript") or "")
                audio_out += item.get("_audio_ms", 0) // 50  # about 20 audio tokens a second
    text_in = run.input_tokens
    total_in, total_out = text_in + run.audio_in_tokens, text_out + audio_out
    return {"total_tokens": total_in + total_out, "input_tokens": total_in, "output_tokens": total_out,
            "input_token_details": {"text_tokens": text_in, "audio_tokens": run.audio_in_tokens, "image_tokens": 0,
                                    "cached_tokens": 0, "cached_tokens_details": {"text_tokens": 0, "audio_tokens": 0, "image_tokens": 0}},
            "output_token_details": {"text_tokens": text_out, "audio_tokens": audio_out}}


def stream(run: Running, what: Plan, settings: dict[str, Any], ident: str, emit: Emit, r: random.Random,
           add_item: Callable[[dict[str, Any]], str | None]) -> Iterator[dict[str, Any] | Pause]:
    """The events of one response, ``response.created`` to ``response.done``; items go to ``add_item``."""
    resp = run.response
    yield emit({"type": "response.created", "response": public(resp)})
    if what.error:
        resp.update(status="failed", status_details={"type": "failed", "error": what.error})
        resp["usage"] = usage(run)
        yield emit({"type": "response.done", "response": public(resp)})
        return
    if what.calls:
        for k, call in enumerate(what.calls):
            yield from _function_call(run, call, k, ident, emit, r, add_item)
        resp["status"] = "completed"
    else:
        text, limit = what.text or "", settings.get("max_output_tokens")
        cut = isinstance(limit, int) and not isinstance(limit, bool) and count_tokens(text) > limit
        if cut:  # the answer stops at max_output_tokens: the response is incomplete
            text = "".join(tokenize(text)[:limit])
        yield from _message(run, text, settings, ident, emit, r, add_item, "incomplete" if cut else "completed")
        resp["status"] = "incomplete" if cut else "completed"
        if cut:
            resp["status_details"] = {"type": "incomplete", "reason": "max_output_tokens"}
    resp["usage"] = usage(run)
    yield emit({"type": "response.done", "response": public(resp)})


def public(value: Any) -> Any:
    """A copy without the session's private keys (``_audio_ms``, ``_heard``)."""
    if isinstance(value, dict):
        return {k: public(v) for k, v in value.items() if not k.startswith("_")}
    if isinstance(value, list):
        return [public(v) for v in value]
    return value


def _added(run: Running, item: dict[str, Any], emit: Emit, add_item: Callable[[dict[str, Any]], str | None]) -> Iterator[dict[str, Any]]:
    index = len(run.response["output"])
    run.response["output"].append(item)
    run.open_items.append(item)
    previous = add_item(item)
    yield emit({"type": "response.output_item.added", "response_id": run.response["id"], "output_index": index, "item": public(item)})
    if run.in_conversation:
        yield emit({"type": "conversation.item.added", "item": public(item), "previous_item_id": previous})


def _done(run: Running, item: dict[str, Any], emit: Emit, status: str = "completed") -> Iterator[dict[str, Any]]:
    item["status"] = status
    run.open_items.remove(item)
    index = run.response["output"].index(item)
    yield emit({"type": "response.output_item.done", "response_id": run.response["id"], "output_index": index, "item": public(item)})
    if run.in_conversation:
        yield emit({"type": "conversation.item.done", "item": public(item)})


def _function_call(run: Running, call: PlannedCall, k: int, ident: str, emit: Emit, r: random.Random,
                   add_item: Callable[[dict[str, Any]], str | None]) -> Iterator[dict[str, Any]]:
    item = {"id": make_id("item_", ident, "fc", k, length=21), "object": "realtime.item", "type": "function_call",
            "status": "in_progress", "name": call.tool.name, "call_id": make_id("call_", ident, k, length=16), "arguments": ""}
    yield from _added(run, item, emit, add_item)
    where = {"response_id": run.response["id"], "item_id": item["id"], "output_index": run.response["output"].index(item), "call_id": item["call_id"]}
    for fragment in split_fragments(call.arguments, r):
        item["arguments"] += fragment
        yield emit({"type": "response.function_call_arguments.delta", **where, "delta": fragment})
    yield emit({"type": "response.function_call_arguments.done", **where, "name": item["name"], "arguments": item["arguments"]})
    yield from _done(run, item, emit)


def _message(run: Running, text: str, settings: dict[str, Any], ident: str, emit: Emit, r: random.Random,
             add_item: Callable[[dict[str, Any]], str | None], status: str) -> Iterator[dict[str, Any] | Pause]:
    spoken = "audio" in (settings.get("output_modalities") or ["audio"])
    part = {"type": "output_audio", "transcript": ""} if spoken else {"type": "output_text", "text": ""}
    item = {"id": make_id("item_", ident, "msg", length=21), "object": "realtime.item", "type": "message",
            "status": "in_progress", "role": "assistant", "content": [part]}
    yield from _added(run, item, emit, add_item)
    where = {"response_id": run.response["id"], "item_id": item["id"], "output_index": run.response["output"].index(item), "content_index": 0}
    shown = {"type": "audio", "transcript": ""} if spoken else {"type": "text", "text": ""}
    yield emit({"type": "response.content_part.added", **where, "part": dict(shown)})
    tokens = tokenize(text)
    if not spoken:
        for token in tokens:
            part["text"] += token
            yield emit({"type": "response.output_text.delta", **where, "delta": token})
        yield emit({"type": "response.output_text.done", **where, "text": text})
        shown["text"] = text
    else:
        output = settings.get("audio", {}).get("output", {})
        fmt = output.get("format") or {"type": "audio/pcm"}
        sound = audio.synthesize(text, str(output.get("voice") or "alloy"), float(output.get("speed") or 1.0), fmt)
        pieces = list(audio.chunks(sound, fmt))
        told = 0
        for n, (piece, seconds) in enumerate(pieces, 1):
            yield emit({"type": "response.output_audio.delta", **where, "delta": base64.b64encode(piece).decode()})
            item["_audio_ms"] = item.get("_audio_ms", 0) + int(seconds * 1000)
            upto = len(tokens) * n // len(pieces)
            while told < upto:
                part["transcript"] += tokens[told]
                yield emit({"type": "response.output_audio_transcript.delta", **where, "delta": tokens[told]})
                told += 1
            yield Pause(seconds)
        yield emit({"type": "response.output_audio.done", **where})
        yield emit({"type": "response.output_audio_transcript.done", **where, "transcript": text})
        part["transcript"] = shown["transcript"] = text
    yield emit({"type": "response.content_part.done", **where, "part": shown})
    yield from _done(run, item, emit, status)

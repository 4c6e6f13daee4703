"""The stream of a response: the full lifecycle, in the real order, with strictly increasing sequence numbers.

``response.created`` -> ``response.in_progress`` -> per output item: ``output_item.added``, its
content events, ``output_item.done`` -> ``response.completed`` (or ``.incomplete``/``.failed``).
There is no ``[DONE]``: the terminal event ends the stream.
"""

from __future__ import annotations

import random
from typing import Any, Callable, Iterator

from mockapi.content.tools import split_fragments
from mockapi.core.tokenizer import tokenize

from .build import pending
from .hosted import partial_image

_TERMINAL = {"completed": "response.completed", "incomplete": "response.incomplete", "failed": "response.failed",
             "cancelled": "response.incomplete"}
_PROGRESS = {
    "web_search_call": ("response.web_search_call.in_progress", "response.web_search_call.searching", "response.web_search_call.completed"),
    "file_search_call": ("response.file_search_call.in_progress", "response.file_search_call.searching", "response.file_search_call.completed"),
    "image_generation_call": ("response.image_generation_call.in_progress", "response.image_generation_call.generating",
                              "response.image_generation_call.completed"),
}
_ADDED_BLANKS: dict[str, dict[str, Any]] = {"function_call": {"arguments": ""}, "custom_tool_call": {"input": ""}, "code_interpreter_call": {"code": "", "outputs": None},
                 "image_generation_call": {"result": None}, "web_search_call": {}, "file_search_call": {"results": None}}

Emit = Callable[..., dict[str, Any]]


def lifecycle(final: dict[str, Any], r: random.Random, *, queued: bool = False,
              pads: Iterator[bytes] | None = None) -> list[dict[str, Any]]:
    """Every event of ``final``'s stream, as dicts with ``type`` and ``sequence_number``.

    ``pads``: each text delta's ``obfuscation`` padding (:func:`mockapi.core.sse.paddings`); None leaves it out.
    """
    out: list[dict[str, Any]] = []

    def emit(kind: str, **fields: Any) -> dict[str, Any]:
        event = {"type": kind, "sequence_number": len(out), **fields}
        out.append(event)
        return event

    emit("response.created", response=pending(final, "queued" if queued else "in_progress"))
    if queued:
        emit("response.queued", response=pending(final, "queued"))
    emit("response.in_progress", response=pending(final, "in_progress"))
    partials = _partial_images(final)
    for index, item in enumerate(final["output"]):
        _item(emit, index, item, r, partials, pads)
    emit(_TERMINAL.get(final["status"], "response.completed"), response=final)
    return out


def _partial_images(final: dict[str, Any]) -> int:
    """How many partial images the response's ``image_generation`` tool asks to stream (0-3)."""
    tool = next((t for t in final.get("tools") or [] if isinstance(t, dict) and t.get("type") == "image_generation"), {})
    return max(0, min(3, int(tool.get("partial_images") or 0)))


def _item(emit: Emit, index: int, item: dict[str, Any], r: random.Random, partials: int = 0,
          pads: Iterator[bytes] | None = None) -> None:
    kind = item["type"]
    where = {"item_id": item["id"], "output_index": index}
    added = {**item, **_ADDED_BLANKS.get(kind, {}), "status": "in_progress"}
    if kind == "message":
        added["content"] = []
    elif kind == "reasoning":
        added = {**item, "summary": []}
        added.pop("status", None)
    emit("response.output_item.added", output_index=index, item=added)
    if kind == "message":
        for k, part in enumerate(item["content"]):
            _part(emit, where, k, part, pads)
    elif kind == "reasoning":
        for k, summary in enumerate(item.get("summary") or []):
            emit("response.reasoning_summary_part.added", **where, summary_index=k, part={"type": "summary_text", "text": ""})
            for piece in _pieces(summary["text"]):
                emit("response.reasoning_summary_text.delta", **where, summary_index=k, delta=piece)
            emit("response.reasoning_summary_text.done", **where, summary_index=k, text=summary["text"])
            emit("response.reasoning_summary_part.done", **where, summary_index=k, part=summary)
    elif kind == "function_call":
        for piece in split_fragments(item["arguments"], r):
            emit("response.function_call_arguments.delta", **where, delta=piece)
        emit("response.function_call_arguments.done", **where, arguments=item["arguments"])
    elif kind == "custom_tool_call":
        for piece in split_fragments(item["input"], r):
            emit("response.custom_tool_call_input.delta", **where, delta=piece)
        emit("response.custom_tool_call_input.done", **where, input=item["input"])
    elif kind == "code_interpreter_call":
        emit("response.code_interpreter_call.in_progress", **where)
        for piece in split_fragments(item.get("code") or "", r, 4, 16):
            emit("response.code_interpreter_call_code.delta", **where, delta=piece)
        emit("response.code_interpreter_call_code.done", **where, code=item.get("code") or "")
        emit("response.code_interpreter_call.interpreting", **where)
        emit("response.code_interpreter_call.completed", **where)
    elif kind == "image_generation_call":
        started, generating, completed = _PROGRESS[kind]
        emit(started, **where)
        emit(generating, **where)
        shape = {k: item[k] for k in ("background", "output_format", "quality", "size") if k in item}
        for k in range(partials):
            emit("response.image_generation_call.partial_image", **where, partial_image_index=k,
                 partial_image_b64=partial_image(item, k), **shape)
        emit(completed, **where)
    elif kind in _PROGRESS:
        for name in _PROGRESS[kind]:
            emit(name, **where)
    emit("response.output_item.done", output_index=index, item=item)


def _part(emit: Emit, where: dict[str, Any], k: int, part: dict[str, Any], pads: Iterator[bytes] | None = None) -> None:
    if part["type"] == "refusal":
        emit("response.content_part.added", **where, content_index=k, part={"type": "refusal", "refusal": ""})
        for piece in _pieces(part["refusal"]):
            emit("response.refusal.delta", **where, content_index=k, delta=piece)
        emit("response.refusal.done", **where, content_index=k, refusal=part["refusal"])
    else:
        emit("response.content_part.added", **where, content_index=k,
             part={"type": "output_text", "text": "", "annotations": [], "logprobs": []})
        logprobs = part.get("logprobs") or []
        for n, piece in enumerate(_pieces(part["text"])):
            delta = emit("response.output_text.delta", **where, content_index=k, delta=piece, logprobs=[_short(logprobs[n])] if logprobs else [])
            if pads is not None:  # the real text delta's last field
                delta["obfuscation"] = next(pads).decode()
        for a, annotation in enumerate(part.get("annotations") or []):
            emit("response.output_text.annotation.added", **where, content_index=k, annotation_index=a, annotation=annotation)
        emit("response.output_text.done", **where, content_index=k, text=part["text"], logprobs=[_short(lp) for lp in logprobs])
    emit("response.content_part.done", **where, content_index=k, part=part)


def _short(entry: dict[str, Any]) -> dict[str, Any]:
    """A logprob as the text events carry it: token, logprob and alternatives, without bytes."""
    return {"token": entry["token"], "logprob": entry["logprob"],
            "top_logprobs": [{"token": t["token"], "logprob": t["logprob"]} for t in entry.get("top_logprobs") or []]}


def _pieces(text: str) -> Iterator[str]:
    """One delta per token, as the real API streams text."""
    yield from tokenize(text)

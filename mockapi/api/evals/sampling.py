"""A run's data: the rows of its source, and for ``completions`` / ``responses`` runs the model's answer to each row.

The answers come from the engine itself (the same request to ``/v1/chat/completions`` or ``/v1/responses``
gives the same answer), so an eval grades exactly what the live endpoints say.
"""

from __future__ import annotations

import json
from typing import Any

from mockapi.core.errors import InvalidRequestError
from mockapi.core.repo import Repo

from ..files import files
from ..files.blobs import blobs_for, read_prefix
from . import loopback, templates

READ_LIMIT = 64 << 20
DEFAULTS = {"temperature": 1.0, "top_p": 1.0, "max_completion_tokens": 2048, "seed": 42}


def rows(repo: Repo, source: dict[str, Any]) -> list[dict[str, Any]]:
    """The ``{item, sample}`` rows of a run's source (``stored_completions`` / ``responses`` queries find none)."""
    if source["type"] == "file_content":
        return [dict(r) for r in source["content"]]
    if source["type"] != "file_id":
        return []
    files.require(repo, source["id"])
    text = read_prefix(blobs_for(repo.store), source["id"], READ_LIMIT).decode("utf-8", "replace")
    found = []
    for n, line in enumerate((ln for ln in text.splitlines() if ln.strip()), 1):
        try:
            row = json.loads(line)
        except ValueError:
            raise InvalidRequestError(f"Invalid file format. Line {n} cannot be parsed as JSON.", param="data_source.source",
                                      code="invalid_file_format") from None
        found.append(row if isinstance(row, dict) and "item" in row else {"item": row})
    return found


def _prompt(data_source: dict[str, Any], namespaces: dict[str, Any]) -> list[dict[str, str]]:
    spec = data_source.get("input_messages") or {"type": "item_reference", "item_reference": "item.input"}
    if spec["type"] == "template":
        return templates.messages(list(spec["template"]), namespaces)
    value = templates.lookup(spec["item_reference"], namespaces)
    if isinstance(value, list):
        return [{"role": m.get("role", "user"), "content": templates.content_text(m.get("content"), namespaces)}
                for m in value if isinstance(m, dict)]
    return [{"role": "user", "content": templates.render(value, namespaces)}]


def _request(data_source: dict[str, Any], messages: list[dict[str, str]]) -> tuple[str, dict[str, Any]]:
    params = dict(data_source.get("sampling_params") or {})
    body: dict[str, Any] = {"model": data_source["model"]} if data_source.get("model") else {}
    if data_source["type"] == "completions":
        body["messages"] = messages
        for key in ("temperature", "top_p", "seed", "max_completion_tokens", "response_format", "tools", "reasoning_effort"):
            if params.get(key) is not None:
                body[key] = params[key]
        return "/chat/completions", body
    body["input"] = messages
    for key in ("temperature", "top_p", "text", "tools"):
        if params.get(key) is not None:
            body[key] = params[key]
    if params.get("max_completion_tokens") is not None:
        body["max_output_tokens"] = params["max_completion_tokens"]
    if params.get("reasoning_effort") is not None:
        body["reasoning"] = {"effort": params["reasoning_effort"]}
    return "/responses", body


def _answer(path: str, reply: dict[str, Any]) -> tuple[str, str, list[Any], dict[str, int]]:
    """(text, finish reason, tool calls, usage) of a chat completion or a response."""
    if path == "/chat/completions":
        choice = (reply.get("choices") or [{}])[0]
        message = choice.get("message") or {}
        usage = reply.get("usage") or {}
        return (message.get("content") or "", choice.get("finish_reason") or "stop", message.get("tool_calls") or [],
                {"prompt_tokens": usage.get("prompt_tokens", 0), "completion_tokens": usage.get("completion_tokens", 0),
                 "cached_tokens": (usage.get("prompt_tokens_details") or {}).get("cached_tokens", 0)})
    texts = [p.get("text", "") for o in reply.get("output") or [] if o.get("type") == "message"
             for p in o.get("content") or [] if p.get("type") == "output_text"]
    tools = [o for o in reply.get("output") or [] if o.get("type") == "function_call"]
    usage = reply.get("usage") or {}
    return ("".join(texts), "stop" if reply.get("status") == "completed" else "length", tools,
            {"prompt_tokens": usage.get("input_tokens", 0), "completion_tokens": usage.get("output_tokens", 0),
             "cached_tokens": (usage.get("input_tokens_details") or {}).get("cached_tokens", 0)})


def _json_or_none(text: str) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def sample(call: Any, data_source: dict[str, Any], row: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the ``sample`` namespace graders see, the output item's ``sample`` record) for one row."""
    params = {**DEFAULTS, **{k: v for k, v in (data_source.get("sampling_params") or {}).items() if v is not None}}
    record = {"input": [], "output": [], "finish_reason": "", "model": data_source.get("model") or "", "error": None,
              "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0, "cached_tokens": 0},
              "temperature": params["temperature"], "top_p": params["top_p"],
              "max_completion_tokens": params["max_completion_tokens"], "seed": params["seed"]}
    if data_source["type"] == "jsonl":
        given = dict(row.get("sample") or {})
        if given.get("output_text") is not None:
            record["output"] = [{"role": "assistant", "content": str(given["output_text"])}]
        return given, record
    messages = _prompt(data_source, {"item": row.get("item") or {}})
    path, body = _request(data_source, messages)
    status, reply = loopback.post(call, path, body)
    record["input"] = messages
    if status >= 400:
        error = reply.get("error") or {}
        record["error"] = {"code": error.get("code") or "model_error", "message": error.get("message") or ""}
        return {}, record
    text, finish, tools, usage = _answer(path, reply)
    usage["total_tokens"] = usage["prompt_tokens"] + usage["completion_tokens"]
    record.update(output=[{"role": "assistant", "content": text}], finish_reason=finish, usage=usage,
                  model=reply.get("model") or record["model"])
    namespace = {"model": record["model"], "output_text": text, "output_json": _json_or_none(text), "output_tools": tools,
                 "choices": reply.get("choices") or [{"index": 0, "finish_reason": finish,
                                                      "message": {"role": "assistant", "content": text}}]}
    return namespace, record

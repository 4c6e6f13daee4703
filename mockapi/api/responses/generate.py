"""The output of one response: reasoning, hosted and function tool calls, and the message, deterministically."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

from mockapi.content.formats import reply_as_asked
from mockapi.content.prompt_values import fill
from mockapi.content.quoting import Quote, answer_from, best_sentences, quotes
from mockapi.content.reasoning import reasoning_tokens
from mockapi.content.replies import compose
from mockapi.content.textgen import reply_text
from mockapi.content.tools import (
    PlannedCall,
    ToolSpec,
    arguments_for,
    handed_off,
    plan_chosen,
    select,
)
from mockapi.content.understanding import facts
from mockapi.core.catalog import ModelInfo
from mockapi.core.determinism import HEX, make_id, seeded
from mockapi.core.tokenizer import count_tokens, tokenize

from ..chat.generate import logprob_entry
from . import hosted, toolsearch
from .items import output_id
from .request import ResponsesRequest, output_text, user_turns


@dataclass
class Outcome:
    """What the model produced: output items, whether it finished, and its token counts."""

    output: list[dict[str, Any]] = field(default_factory=list)
    status: str = "completed"
    incomplete_reason: str | None = None
    output_tokens: int = 0
    reasoning_tokens: int = 0
    error: dict[str, Any] | None = None


@dataclass
class Context:
    """Everything generation reads besides the request: the items before this turn and the environment."""

    history: list[dict[str, Any]]
    model: ModelInfo
    ident: str  # the digest of the request and its chain: ids and randomness derive from it
    canned: Mapping[str, Any] | None = None
    search: Callable[[list[str], str, int], list[dict[str, Any]] | None] = lambda ids, q, n: None
    turns: list[str] | None = None  # the user turns of history + input, when the caller has read them already

    def rng(self, purpose: str) -> random.Random:
        """A private RNG for one purpose."""
        return seeded(int(make_id("", self.ident, purpose, length=16, alphabet=HEX), 16))


def generate(request: ResponsesRequest, ctx: Context) -> Outcome:
    """The response's output for ``request`` after ``ctx.history``."""
    out = Outcome()
    budget = request.body.get("max_output_tokens")
    effort = (request.body.get("reasoning") or {}).get("effort")
    if ctx.model.reasons(effort):
        _reason(request, ctx, out, effort)
        if budget is not None and out.reasoning_tokens >= budget:
            out.output[-1]["status"] = "incomplete"
            out.reasoning_tokens = out.output_tokens = budget
            out.status, out.incomplete_reason = "incomplete", "max_output_tokens"
            return out
    turns = ctx.turns if ctx.turns is not None else user_turns(ctx.history + request.items)
    prompt = turns[-1] if turns else ""
    if ctx.canned and _canned(request, ctx, out):
        return _logprobs(request, ctx, _limit(out, budget))
    citations: list[dict[str, Any]] = []
    hosted_calls = _hosted_calls(request, ctx, prompt)
    for call in hosted_calls:
        out.output.append(call.item)
        out.output_tokens += count_tokens(json.dumps(call.item.get("action") or call.item.get("code") or ""))
        citations += call.citations
        if call.client_side:
            return out  # the client runs it and answers with its *_call_output
    calls = _function_calls(request, ctx, prompt, required_met=bool(hosted_calls))
    if calls:
        search = toolsearch.search_for(request, ctx.history + request.items, calls, ctx.ident)
        out.output += search.items
        out.output_tokens += search.tokens
        if search.ends_turn:
            return out  # the client runs the search and answers with its tool_search_output
        for k, planned in enumerate(calls):  # not ``call``: the hosted calls' name above, of another type
            out.output.append(_function_item(planned, ctx.ident, k, request.namespace_of.get(planned.tool.name)))
            out.output_tokens += count_tokens(planned.tool.name) + count_tokens(planned.arguments) + 3
        return out
    text = _text(request, ctx, turns)
    if citations and request.format_spec().get("type") == "text":
        text = cite(text, citations)
    out.output.append(_message(ctx.ident, text, _annotate(text, citations) if citations else []))
    out.output_tokens += count_tokens(text)
    return _logprobs(request, ctx, _limit(out, budget))


def _reason(request: ResponsesRequest, ctx: Context, out: Outcome, effort: str | None) -> None:
    r = ctx.rng("reasoning")
    out.reasoning_tokens = reasoning_tokens(ctx.model, effort, r)
    out.output_tokens += out.reasoning_tokens
    summary = []
    settings = request.body.get("reasoning") or {}
    if settings.get("summary") or settings.get("generate_summary"):
        summary = [{"type": "summary_text", "text": "**Thinking it through**\n\n" + reply_text(r, "", (14, 28))}]
    item: dict[str, Any] = {"id": output_id("rs_", ctx.ident), "type": "reasoning", "summary": summary}
    if "reasoning.encrypted_content" in (request.body.get("include") or []):
        item["encrypted_content"] = "gAAAAA" + make_id("", ctx.ident, "encrypted", length=120)
    out.output.append(item)


def _hosted_calls(request: ResponsesRequest, ctx: Context, prompt: str) -> list[hosted.HostedCall]:
    if not request.hosted:
        return []
    choice = request.tool_choice()
    if choice == "none" or _answering_outputs(request, ctx, choice):
        return []
    if isinstance(choice, tuple):
        chosen = [t for t in request.hosted if hosted.hosted_type(t) == choice[1]][:1]
    else:
        chosen = [t for t in request.hosted
                  if request.allowed(t) and (hosted.wanted(hosted.hosted_type(t), prompt) or _about_files(t, prompt, ctx))]
        if choice == "required" and not chosen and not _chosen_functions(request, ctx, prompt):
            chosen = [t for t in request.hosted if request.allowed(t)][:1]
    limit = request.body.get("max_tool_calls")
    chosen = chosen[:limit] if isinstance(limit, int) else chosen
    include = list(request.body.get("include") or [])
    calls = []
    for k, tool in enumerate(chosen):
        kind = hosted.hosted_type(tool)
        ident = f"{ctx.ident}:{kind}:{k}"
        if kind == "file_search":
            calls.append(_file_search(tool, prompt, ident, include, ctx))
        elif kind in hosted.BUILDERS:
            calls.append(hosted.BUILDERS[kind](tool, prompt, ident, include))
        if calls and calls[-1].client_side:
            break
    # Server-side tools first, then at most one client-side call (it ends the turn).
    return sorted(calls, key=lambda c: c.client_side)


def _about_files(tool: dict[str, Any], prompt: str, ctx: Context) -> bool:
    """Whether a question is about the files of a ``file_search`` tool's vector stores (by their chunks' words)."""
    if hosted.hosted_type(tool) != "file_search" or not prompt.strip():
        return False
    results = ctx.search(list(tool.get("vector_store_ids") or []), prompt, 3) or []
    return any(best_sentences(str(r.get("text") or ""), prompt) for r in results)


def _file_search(tool: dict[str, Any], prompt: str, ident: str, include: list[str], ctx: Context) -> hosted.HostedCall:
    """The file search call; the answer cites the files it quotes, with the passages it quotes from them."""
    call = hosted.file_search(tool, prompt, ident, [*include, "file_search_call.results"], ctx.search)
    results = call.item.get("results") or []
    if "file_search_call.results" not in include:
        call.item["results"] = None
    call.citations = [{"type": "file_citation", "file_id": q.file_id, "filename": q.filename, "passage": q.passage}
                      for q in quotes(results, prompt)]
    return call


def _answering_outputs(request: ResponsesRequest, ctx: Context, choice: Any) -> bool:
    outputs = request.trailing_outputs()
    if not outputs or choice not in ("auto", None):
        return False
    answered = {o.get("call_id") for o in outputs}
    called = {str(i.get("name")) for i in ctx.history + request.items
              if i.get("type") in ("function_call", "custom_tool_call") and i.get("call_id") in answered}
    return not handed_off(called, request.functions)


def _function_calls(request: ResponsesRequest, ctx: Context, prompt: str, required_met: bool = False) -> list[PlannedCall]:
    chosen = _chosen_functions(request, ctx, prompt, required_met)
    if not chosen:
        return []  # no RNG made: seeding one costs as much as choosing the tools
    parallel = request.body.get("parallel_tool_calls", True) is not False
    return plan_chosen(chosen, parallel, prompt, ctx.rng("tools"))


def _chosen_functions(request: ResponsesRequest, ctx: Context, prompt: str, required_met: bool = False) -> list[ToolSpec]:
    """The function (and custom) tools the prompt calls, each called at least once (see ``plan_chosen``)."""
    choice = request.tool_choice()
    if not request.functions or isinstance(choice, tuple) or _answering_outputs(request, ctx, choice):
        return []
    if choice == "required" and required_met:
        choice = "auto"  # a hosted tool already answered "at least one tool call"
    parallel = request.body.get("parallel_tool_calls", True) is not False
    return select([t for t in request.functions if request.allowed(t)], choice, parallel, prompt)


def _function_item(call: PlannedCall, ident: str, k: int, namespace: str | None = None) -> dict[str, Any]:
    if call.tool.kind == "custom":
        item = {"id": output_id("ctc_", ident, k), "type": "custom_tool_call", "call_id": make_id("call_", ident, k),
                "name": call.tool.name, "input": call.arguments, "status": "completed"}
    else:
        item = {"id": output_id("fc_", ident, k), "type": "function_call", "status": "completed", "arguments": call.arguments,
                "call_id": make_id("call_", ident, k), "name": call.tool.name}
    if namespace:  # a function of a namespace tool is called under its namespace
        item["namespace"] = namespace
    return item


def _text(request: ResponsesRequest, ctx: Context, turns: list[str]) -> str:
    fmt = request.format_spec()
    r = ctx.rng("text")
    if fmt.get("type") == "json_schema":
        return json.dumps(fill(fmt.get("schema") or {"type": "object"}, facts(turns[-1] if turns else ""), r), ensure_ascii=False)
    laid_out = reply_as_asked(fmt.get("type") == "json_object", turns[-1] if turns else "", request.instruction_texts, r)
    if laid_out is not None:  # the layout the prompt asks for: mockapi/content/formats.py
        return laid_out
    outputs = [output_text(i) for i in request.trailing_outputs()]
    answer = compose(turns or [""], r, tool_results=outputs or None)
    if fmt.get("type") == "json_object":
        return json.dumps({"response": answer}, ensure_ascii=False)
    return answer


def _message(ident: str, text: str | None, annotations: list[dict[str, Any]], refusal: str | None = None) -> dict[str, Any]:
    part: dict[str, Any] = ({"type": "refusal", "refusal": refusal} if refusal is not None
                            else {"type": "output_text", "text": text or "", "annotations": annotations, "logprobs": []})
    return {"id": output_id("msg_", ident), "type": "message", "role": "assistant", "status": "completed", "content": [part]}


def _annotate(text: str, citations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Annotations for citations appended to ``text`` by :func:`cite` (their offsets point into it)."""
    found = []
    for cite in citations:
        if cite["type"] == "url_citation":
            link = f"[{cite['url'].split('/')[2]}]({cite['url']})"
            start = text.find(link)
            if start >= 0:
                found.append({"type": "url_citation", "start_index": start, "end_index": start + len(link),
                              "url": cite["url"], "title": cite["title"]})
        else:
            marker = f"({cite['filename']})"
            at = text.find(marker)
            if at >= 0:
                found.append({"type": "file_citation", "file_id": cite["file_id"], "filename": cite["filename"], "index": at})
    return found


def cite(text: str, citations: list[dict[str, Any]]) -> str:
    """``text`` with a sentence per citation: markdown links for web sources, file names for files.

    File citations that carry the passage they cite make the answer: it quotes them, each followed
    by its file's name, rather than text that has nothing to do with them.
    """
    passages = [c for c in citations if c["type"] == "file_citation" and c.get("passage")]
    if passages:
        quoted = [Quote(c["file_id"], c["filename"], c["passage"], 0.0) for c in passages]
        text, _ = answer_from(quoted, lambda quote, k: f"({quote.filename})")
        citations = [c for c in citations if c not in passages]
    for cite_ in citations:
        if cite_["type"] == "url_citation":
            text += f" More detail is in {cite_['title']} ([{cite_['url'].split('/')[2]}]({cite_['url']}))."
        else:
            text += f" The uploaded files say so too ({cite_['filename']})."
    return text


_ERROR_CODES = ("server_error", "rate_limit_exceeded", "invalid_prompt", "vector_store_timeout", "invalid_image")


def _canned(request: ResponsesRequest, ctx: Context, out: Outcome) -> bool:
    canned = ctx.canned or {}
    if canned.get("error"):
        error = canned["error"] if isinstance(canned["error"], dict) else {"message": str(canned["error"])}
        code = error.get("code") if error.get("code") in _ERROR_CODES else "server_error"
        out.status, out.error = "failed", {"code": code, "message": str(error.get("message") or "The model failed to respond.")}
        out.output = []
        return True
    if canned.get("refusal"):
        out.output.append(_message(ctx.ident, None, [], refusal=str(canned["refusal"])))
        out.output_tokens += count_tokens(str(canned["refusal"]))
        return True
    if canned.get("tool_calls"):
        by_name = {t.name: t for t in request.functions}
        for k, spec in enumerate(canned["tool_calls"]):
            tool = by_name.get(spec.get("name")) or ToolSpec(spec.get("name", "tool"))
            args = spec.get("arguments")
            prompt = (user_turns(ctx.history + request.items) or [""])[-1]
            args = arguments_for(tool, ctx.rng("canned"), None, prompt) if args is None else args if isinstance(args, str) else json.dumps(args, separators=(",", ":"))
            out.output.append(_function_item(PlannedCall(tool, args), ctx.ident, k))
        return True
    if "content" in canned:
        out.output.append(_message(ctx.ident, str(canned["content"]), []))
        out.output_tokens += count_tokens(str(canned["content"]))
        return True
    return False


def _limit(out: Outcome, budget: int | None) -> Outcome:
    """Cut the message at ``max_output_tokens``: the response is then ``incomplete``."""
    if budget is None or out.output_tokens <= budget:
        return out
    message = next((i for i in out.output if i["type"] == "message"), None)
    spent_elsewhere = out.output_tokens - (count_tokens(_part_text(message)) if message else 0)
    room = max(0, budget - spent_elsewhere)
    if message is not None:
        part = message["content"][0]
        key = "text" if part["type"] == "output_text" else "refusal"
        part[key] = "".join(tokenize(part[key])[:room])
        if key == "text":
            part["annotations"] = [a for a in part["annotations"] if a.get("end_index", a.get("index", 0)) <= len(part["text"])]
        message["status"] = "incomplete"
    out.output_tokens = budget
    out.status, out.incomplete_reason = "incomplete", "max_output_tokens"
    return out


def _logprobs(request: ResponsesRequest, ctx: Context, out: Outcome) -> Outcome:
    """Per-token logprobs on the message text when ``include`` asks for them (``top_logprobs`` alternatives each)."""
    if "message.output_text.logprobs" not in (request.body.get("include") or []):
        return out
    r, top = ctx.rng("logprobs"), int(request.body.get("top_logprobs") or 0)
    for item in out.output:
        for part in item.get("content") or [] if item["type"] == "message" else []:
            if part["type"] == "output_text":
                part["logprobs"] = [logprob_entry(token, r, top) for token in tokenize(part["text"])]
    return out


def _part_text(message: dict[str, Any]) -> str:
    part = message["content"][0]
    return part.get("text") if part["type"] == "output_text" else part.get("refusal", "")

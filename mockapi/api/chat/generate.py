"""The answer to a chat request: choices with text, tool calls or a refusal, deterministically."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from typing import Any, Mapping

from mockapi.content.formats import reply_as_asked
from mockapi.content.prompt_values import fill
from mockapi.content.replies import compose
from mockapi.content.tools import (
    PlannedCall,
    ToolSpec,
    arguments_for,
    handed_off,
    plan_calls,
)
from mockapi.content.understanding import facts
from mockapi.core.determinism import make_id, seeded
from mockapi.core.tokenizer import count_tokens, token_id, tokenize

from . import prediction as predicted_outputs
from .request import ChatRequest


@dataclass
class Choice:
    """One generated choice, before rendering as a message or as stream chunks."""

    index: int
    content: str | None
    finish_reason: str
    refusal: str | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    function_call: dict[str, Any] | None = None
    tokens: list[str] = field(default_factory=list)
    logprobs: list[dict[str, Any]] | None = None
    audio: dict[str, Any] | None = None  # message.audio when audio output was asked for
    audio_tokens: int = 0
    annotations: list[dict[str, Any]] = field(default_factory=list)  # url_citations of the search models
    accepted_prediction_tokens: int = 0  # predicted tokens the reply reuses (Predicted Outputs)
    rejected_prediction_tokens: int = 0  # predicted tokens it does not: billed as completion tokens all the same

    @property
    def completion_tokens(self) -> int:
        """Tokens this choice produced."""
        total = len(self.tokens) + self.audio_tokens + self.rejected_prediction_tokens + (count_tokens(self.refusal) if self.refusal else 0)
        for call in self.tool_calls:
            spec = call.get("function") or call.get("custom") or {}
            total += count_tokens(spec.get("name", "")) + count_tokens(spec.get("arguments", spec.get("input", ""))) + 3
        if self.function_call:
            total += count_tokens(self.function_call["name"]) + count_tokens(self.function_call["arguments"]) + 3
        return total


def generate(request: ChatRequest, digest: str, canned: Mapping[str, Any] | None, *, ids_from: str | None = None) -> list[Choice]:
    """Every choice for the request (``n`` of them), each from its own seeded RNG; ids derive from ``ids_from``."""
    body = request.body
    n = max(1, int(body.get("n") or 1))
    spec = body.get("prediction")  # all a request without a prediction pays for the feature
    prediction = predicted_outputs.read(request, spec) if spec is not None else None
    return [_choice(request, i, seeded(int(digest, 16) + i * 7919), ids_from or digest, canned, prediction) for i in range(n)]


def _choice(request: ChatRequest, index: int, r: random.Random, digest: str, canned: Mapping[str, Any] | None,
            prediction: predicted_outputs.Prediction | None) -> Choice:
    body = request.body
    limit = body.get("max_completion_tokens") if body.get("max_completion_tokens") is not None else body.get("max_tokens")
    if canned:
        choice = _canned_choice(request, index, r, digest, canned)
        if choice is not None:
            return _finish(choice, limit, body, r, prediction)
    calls = _planned(request, r)
    if calls:
        return _tool_choice(request, index, calls, digest)
    # A model regenerating a predicted text answers with it (edited as asked); usage compares the two in _finish.
    text = prediction.reply if prediction is not None and prediction.reply is not None else _text(request, r)
    choice = Choice(index=index, content=text, finish_reason="stop")
    return _finish(choice, limit, body, r, prediction)


def _planned(request: ChatRequest, r: random.Random) -> list[PlannedCall]:
    if not request.tools:
        return []
    choice = request.tool_choice()
    if request.trailing_tool_results() and choice == "auto" and not handed_off(request.trailing_tool_names(), request.tools):
        return []  # the follow-up turn of a tool loop: answer, don't call again
    parallel = request.body.get("parallel_tool_calls", True) is not False and not request.legacy_functions
    return plan_calls(request.choosable_tools(), choice, parallel, request.last_user_text(), r)


def _tool_choice(request: ChatRequest, index: int, calls: list[PlannedCall], digest: str) -> Choice:
    if request.legacy_functions:
        call = calls[0]
        return Choice(index=index, content=None, finish_reason="function_call",
                      function_call={"name": call.tool.name, "arguments": call.arguments})
    rendered = []
    for k, call in enumerate(calls):
        call_id = make_id("call_", digest, index, k)
        if call.tool.kind == "custom":
            rendered.append({"id": call_id, "type": "custom", "custom": {"name": call.tool.name, "input": call.arguments}})
        else:
            rendered.append({"id": call_id, "type": "function", "function": {"name": call.tool.name, "arguments": call.arguments}})
    return Choice(index=index, content=None, finish_reason="tool_calls", tool_calls=rendered)


def _text(request: ChatRequest, r: random.Random) -> str:
    fmt = request.body.get("response_format") or {}
    kind = fmt.get("type")
    if kind == "json_schema":
        schema = (fmt.get("json_schema") or {}).get("schema") or {"type": "object"}
        return json.dumps(fill(schema, facts(request.last_user_text()), r), ensure_ascii=False)
    # The layout the prompt asks for (mockapi/content/formats.py); a code agent's prompt is looked for only when the
    # conversation opens with instructions, so that a plain chat pays one test for it.
    messages = request.messages
    laid_out = reply_as_asked(kind == "json_object", request.last_user_text(), request.instruction_texts, r,
                              code_agent=bool(messages) and messages[0].get("role") in ("system", "developer"))
    if laid_out is not None:
        return laid_out
    if kind == "json_object":
        return json.dumps({"response": compose(request.user_turns(), r, speakers=request.speakers)}, ensure_ascii=False)
    return compose(request.user_turns(), r, tool_results=request.trailing_tool_results() or None, speakers=request.speakers)


def _canned_choice(request: ChatRequest, index: int, r: random.Random, digest: str, canned: Mapping[str, Any]) -> Choice | None:
    if canned.get("refusal"):
        return Choice(index=index, content=None, refusal=str(canned["refusal"]), finish_reason=canned.get("finish_reason", "stop"))
    if canned.get("tool_calls"):
        by_name = {t.name: t for t in request.tools}
        calls = []
        for spec in canned["tool_calls"]:
            tool = by_name.get(spec.get("name")) or ToolSpec(spec.get("name", "tool"))
            args = spec.get("arguments")
            if args is None:
                args = arguments_for(tool, r, None, request.last_user_text())
            elif not isinstance(args, str):
                args = json.dumps(args, separators=(",", ":"))
            calls.append(PlannedCall(tool, args))
        choice = _tool_choice(request, index, calls, digest)
        if canned.get("finish_reason"):
            choice.finish_reason = canned["finish_reason"]
        return choice
    if "content" in canned:
        return Choice(index=index, content=str(canned["content"]), finish_reason=canned.get("finish_reason", "stop"))
    return None


def _finish(choice: Choice, limit: int | None, body: dict[str, Any], r: random.Random,
            prediction: predicted_outputs.Prediction | None = None) -> Choice:
    """Apply ``stop`` and the token limit (within which rejected predicted tokens count), then tokens and logprobs."""
    if choice.content is None:
        return choice
    text = choice.content
    stops = body.get("stop")
    if stops:  # most requests have none: no scan
        stops = [stops] if isinstance(stops, str) else list(stops)
        cut = min((text.find(s) for s in stops if s and s in text), default=-1)
        if cut >= 0:
            text, choice.finish_reason = text[:cut], "stop"
    tokens = tokenize(text)
    if prediction is not None:
        shown, choice.accepted_prediction_tokens, choice.rejected_prediction_tokens = predicted_outputs.account(prediction, tokens, limit)
        if shown < len(tokens):
            tokens = tokens[:shown]
            text = "".join(tokens)
            choice.finish_reason = "length"
    elif limit is not None and len(tokens) > max(0, limit):
        tokens = tokens[: max(0, limit)]
        text = "".join(tokens)
        choice.finish_reason = "length"
    choice.content, choice.tokens = text, tokens
    if body.get("logprobs"):
        choice.logprobs = [_logprob(tok, r, int(body.get("top_logprobs") or 0)) for tok in tokens]
    return choice


def _logprob(token: str, r: random.Random, top: int) -> dict[str, Any]:
    """One token's logprob entry: ``top_logprobs`` has exactly ``top`` items, sampled token first."""
    lp = -round(r.expovariate(8.0), 6)
    alternatives = []
    if top:
        alternatives.append({"token": token, "logprob": lp, "bytes": list(token.encode())})
        current = lp
        for k in range(1, top):
            current = round(current - r.uniform(0.5, 3.0), 6)
            alt = f"{token.strip() or 'x'}{chr(97 + (token_id(token) + k) % 26)}"
            alternatives.append({"token": alt, "logprob": current, "bytes": list(alt.encode())})
    return {"token": token, "logprob": lp, "bytes": list(token.encode()), "top_logprobs": alternatives}


def logprob_entry(token: str, r: random.Random, top: int) -> dict[str, Any]:
    """One token's logprob entry; the Responses API's ``output_text.logprobs`` has the same shape."""
    return _logprob(token, r, top)

"""Predicted Outputs (``prediction`` on a chat request): the reply regenerates the predicted text, usage counts reuse.

A model given a prediction answers like one regenerating a file with small changes: the predicted text, with the
renames the prompt asks for ("Replace the Username property with an Email property", "rename foo to bar"). Usage
compares the reply with the prediction token by token: ``accepted_prediction_tokens`` are the predicted tokens the
reply reuses, ``rejected_prediction_tokens`` the ones it does not, and these are "still counted in the total
completion tokens for purposes of billing, output, and context window limits" (``CompletionTokensDetails`` in the
SDK), so they are in ``completion_tokens`` and count against ``max_tokens``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from mockapi.core.catalog import ModelInfo
from mockapi.core.errors import InvalidRequestError
from mockapi.core.tokenizer import tokenize

from .request import ChatRequest

GUIDE = "https://developers.openai.com/api/docs/guides/predicted-outputs#limitations"
# "Predicted Outputs are only supported with the GPT-4o, GPT-4o-mini, GPT-4.1, GPT-4.1-mini, and GPT-4.1-nano
# series of models" (the guide); their dated snapshots and fine-tunes too.
_SUPPORTED_SERIES = re.compile(r"^gpt-4(?:o|\.1)(?:-|$)")

# A named thing in code, as a prompt asking for a rename calls it.
_KIND = r"(?:property|field|attribute|column|variable|method|function|parameter|argument|key|member|class|type|identifier)"
_NAME = r"""(?P<{0}q>["'`])?(?P<{0}>[A-Za-z_][A-Za-z0-9_]*)(?({0}q)["'`])"""
_OLD = rf"(?:the\s+)?(?P<kind_before>{_KIND}\s+)?{_NAME.format('old')}(?P<kind_after>\s+{_KIND})?"
_NEW = rf"(?:an?\s+|the\s+)?(?:{_KIND}\s+)?{_NAME.format('new')}"
_RENAMES = re.compile(rf"\b(?P<verb>replace|rename)\s+{_OLD}\s+(?P<link>with|to|as|into)\s+{_NEW}", re.IGNORECASE)
_PRONOUNS = frozenset({"it", "this", "that", "them", "these", "those", "everything", "all"})
_WINDOW = 100  # how far past a difference (in tokens, both sides together) the reply may pick the prediction up again
_ANCHOR = 4  # tokens that must agree for it to be picked up (one common token, a newline, proves nothing)
_DIFF_LIMIT = 250_000  # a general diff costs up to the product of the lengths


@dataclass(frozen=True)
class Prediction:
    """A request's prediction: its tokens, and the reply a model regenerating it gives."""

    tokens: list[str]
    reply: str | None  # None: the reply is made up as without a prediction (JSON that the prediction is not)


def read(request: ChatRequest, spec: Any) -> Prediction | None:
    """The request's prediction (``{"type": "content", "content": text or text parts}``), or None when it has no text."""
    content = spec.get("content") if isinstance(spec, dict) else None
    if isinstance(content, list):  # text parts make one prediction, joined as they are
        content = "".join(p.get("text") or "" for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    if not isinstance(content, str) or not content:
        return None
    reply = edited(content, _instructions(request, content))
    kind = (request.body.get("response_format") or {}).get("type")
    if kind == "json_schema" or (kind == "json_object" and not _is_json_object(reply)):
        reply = None  # the JSON modes keep their promise (valid JSON, the schema) over the prediction
    return Prediction(tokenize(content), reply)


def _instructions(request: ChatRequest, predicted: str) -> list[str]:
    """What the prompt says, less the predicted text where a message quotes it (the file is not the ask)."""
    core = predicted.strip()
    return [text.replace(core, " ") for text in (*request.instruction_texts(), *request.user_turns())]


def edited(text: str, instructions: list[str]) -> str:
    """``text`` with every rename the instructions ask for, each name's case kept (username/Username/USERNAME)."""
    for instruction in instructions:
        for found in _RENAMES.finditer(instruction):
            old, new, renaming = found.group("old"), found.group("new"), found.group("verb").lower() == "rename"
            if renaming == (found.group("link").lower() == "with"):
                continue  # "replace X with Y", "rename X to Y": not "replace X to Y"
            # What "rename" names is a name, unless a pronoun; what "replace" names only if the prompt marks it as
            # one (quoted, called a property or the like, or written as code): not "replace it with a loop".
            named = (found.group("oldq") or found.group("kind_before") or found.group("kind_after") or _looks_like_code(old)
                     or (renaming and old.lower() not in _PRONOUNS))
            if named and old.lower() != new.lower():
                text = _renamed(text, old, new)
    return text


def _looks_like_code(name: str) -> bool:
    return "_" in name or any(c.isdigit() for c in name) or any(c.isupper() for c in name[1:])


def _renamed(text: str, old: str, new: str) -> str:
    variants = {old, old.lower(), old.upper(), old[0].upper() + old[1:], old[0].lower() + old[1:]}
    pattern = re.compile(r"(?<![A-Za-z0-9_])(?:" + "|".join(map(re.escape, sorted(variants, key=len, reverse=True))) + r")(?![A-Za-z0-9_])")
    return pattern.sub(lambda m: _same_case(m.group(0), new), text)


def _same_case(found: str, new: str) -> str:
    if len(found) > 1 and found.isupper():
        return new.upper()
    return (new[0].upper() if found[0].isupper() else new[0].lower()) + new[1:]


def _is_json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def account(prediction: Prediction, reply: list[str], limit: int | None) -> tuple[int, int, int]:
    """How many reply tokens to send, and the accepted and rejected prediction tokens, with rejected ones in ``limit``."""
    blocks = _blocks(prediction.tokens, reply)
    shown = len(reply)
    if limit is not None and shown + _rejected(blocks, shown, shown) > limit:
        # The most tokens that fit with the predicted tokens rejected before them: sent + rejected grows with sent.
        low, high = 0, min(shown, max(0, limit))
        while low < high:
            middle = (low + high + 1) // 2
            if middle + _rejected(blocks, middle, shown) <= limit:
                low = middle
            else:
                high = middle - 1
        shown = low
    accepted = sum(max(0, min(j2, shown) - j1) for tag, _, _, j1, j2 in blocks if tag == "equal")
    return shown, accepted, _rejected(blocks, shown, len(reply))


def _rejected(blocks: list[tuple[str, int, int, int, int]], shown: int, whole: int) -> int:
    """Predicted tokens rejected by the first ``shown`` reply tokens; the prediction's unused end only by a whole reply."""
    return sum(i2 - i1 for tag, i1, i2, j1, _ in blocks if tag != "equal" and (j1 < shown or shown >= whole))


def _blocks(old: list[str], new: list[str]) -> list[tuple[str, int, int, int, int]]:
    """Opcodes (as difflib's) turning the predicted tokens into the reply's, in time linear in their length.

    The reply follows the prediction until they differ, then picks it up again at the nearest point where
    ``_ANCHOR`` tokens agree, as speculative decoding resumes; a general diff (difflib's) costs the product
    of the lengths on a file whose lines repeat, and is only the fallback when nothing agrees nearby.
    """
    size = min(len(old), len(new))
    tail = 0  # the common end, kept out of the walk so a difference near the end does not look past it
    while tail < size and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_end, new_end = len(old) - tail, len(new) - tail
    blocks = []
    i = j = 0
    while i < old_end and j < new_end:
        i0, j0 = i, j
        while i < old_end and j < new_end and old[i] == new[j]:
            i, j = i + 1, j + 1
        if i > i0:
            blocks.append(("equal", i0, i, j0, j))
        if i == old_end or j == new_end:
            break
        skip = _resync(old, new, i, j, old_end, new_end)
        if skip is None:
            blocks += _fallback(old, new, i, j, old_end, new_end)
            i, j = old_end, new_end
            break
        blocks.append((_tag(*skip), i, i + skip[0], j, j + skip[1]))
        i, j = i + skip[0], j + skip[1]
    if i < old_end or j < new_end:
        blocks.append((_tag(old_end - i, new_end - j), i, old_end, j, new_end))
    if tail:
        blocks.append(("equal", old_end, len(old), new_end, len(new)))
    return blocks


def _resync(old: list[str], new: list[str], i: int, j: int, old_end: int, new_end: int) -> tuple[int, int] | None:
    """The fewest tokens to skip in each (old, new) after which they agree again, within ``_WINDOW`` tokens."""
    for k in range(1, _WINDOW + 1):
        for a in range(max(0, k - (new_end - j)), min(k, old_end - i) + 1):
            b = k - a
            run = min(_ANCHOR, old_end - i - a, new_end - j - b)
            if run == 0:
                if i + a == old_end and j + b == new_end:
                    return a, b
            elif old[i + a] == new[j + b] and old[i + a:i + a + run] == new[j + b:j + b + run]:
                return a, b
    return None


def _fallback(old: list[str], new: list[str], i: int, j: int, old_end: int, new_end: int) -> list[tuple[str, int, int, int, int]]:
    """A general diff of what is left, when it is small enough; else all of it replaced."""
    if (old_end - i) * (new_end - j) > _DIFF_LIMIT:
        return [("replace", i, old_end, j, new_end)]
    matcher = SequenceMatcher(None, old[i:old_end], new[j:new_end], autojunk=False)
    return [(tag, i + i1, i + i2, j + j1, j + j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes()]


def _tag(skipped_old: int, skipped_new: int) -> str:
    return "replace" if skipped_old and skipped_new else "delete" if skipped_old else "insert"


def check(request: ChatRequest, model: ModelInfo) -> None:
    """The 400s for a prediction the real API does not take: on an unsupported model, or with a parameter it excludes."""
    if not _SUPPORTED_SERIES.search(model.base or model.id) or model.audio:
        # source: the guide's supported series (GUIDE); "prediction: No" for o1, o3-mini, gpt-4-turbo, gpt-4o-audio
        # and chatgpt-4o in community.openai.com/t/developer-role-not-accepted-for-o1-o1-mini-o3-mini/1110750/7. The
        # body is the API's own for a parameter a model refuses (as max_tokens on o1), recorded word for word for
        # `prediction` on a gpt-5 family model in the captures of a public API-conformance suite.
        raise InvalidRequestError("Unsupported parameter: 'prediction' is not supported with this model.",
                                  param="prediction", code="unsupported_parameter")
    body = request.body
    # source: the guide's list of the "API parameters [...] not supported when using Predicted Outputs" (GUIDE), in
    # its order. No public report quotes the server's 400 for one of them: the wording is ours, in the API's patterns.
    if _above(body.get("n"), 1):
        raise _unsupported_value("n", body["n"])
    if body.get("logprobs") is True:
        raise _unsupported("logprobs")
    for param in ("presence_penalty", "frequency_penalty"):
        if _above(body.get(param), 0):
            raise _unsupported_value(param, body[param])
    if body.get("audio") is not None:  # "Predicted Outputs are not compatible with audio inputs and outputs"
        raise _unsupported("audio")
    other = [m for m in body.get("modalities") or () if m != "text"]  # "Only text modalities are supported"
    if other:
        raise _unsupported_value("modalities", f"'{other[0]}'")
    if body.get("max_completion_tokens") is not None:
        raise _unsupported("max_completion_tokens")
    if request.tools:  # "Function calling is not currently supported with Predicted Outputs"
        raise _unsupported("functions" if request.legacy_functions else "tools")


def _above(value: Any, bound: float) -> bool:
    return isinstance(value, (int, float)) and value > bound


def _unsupported(param: str) -> InvalidRequestError:
    return InvalidRequestError(f"Unsupported parameter: '{param}' is not supported with predicted outputs.",
                               param=param, code="unsupported_parameter")


def _unsupported_value(param: str, value: Any) -> InvalidRequestError:
    return InvalidRequestError(f"Unsupported value: '{param}' does not support {value} with predicted outputs.",
                               param=param, code="unsupported_value")

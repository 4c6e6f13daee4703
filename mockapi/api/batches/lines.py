"""A batch's input file read line by line, and checked the way the real Batch API validates it.

A file that breaks a rule does not refuse the create call: the batch is created, and fails while
``validating`` with every problem in ``errors.data[]`` (``{code, message, param, line}``).
Sources: the Batch guide (platform.openai.com/docs/guides/batch: one request per line with a unique
``custom_id``, a single model per file, at most 50,000 requests); the observed failure
``BatchError(code="invalid_json_line", line=1, message="This line is not parseable as valid JSON.")``
(openai-python's batch examples; stdapi-ai/stdapi.ai#240, which lists the documented codes
``invalid_json_line``, ``duplicate_custom_id``, ``url_mismatch``, ``model_mismatch``, ``empty_file``,
``too_many_tasks``). Messages other than ``invalid_json_line``'s are the mock's wording.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mockapi.core.jsonutil import loads

MAX_REQUESTS = 50_000  # source: the Batch guide, "A single batch may include up to 50,000 requests"
REQUIRED = ("custom_id", "method", "url", "body")


@dataclass
class Line:
    """One request of the input file."""

    number: int
    custom_id: str
    method: str
    url: str
    body: Any


def _error(code: str, message: str, line: int | None, param: str | None = None) -> dict[str, Any]:
    return {"code": code, "message": message, "param": param, "line": line}


def read(data: bytes, endpoint: str) -> tuple[list[Line], list[dict[str, Any]]]:
    """The requests of a JSONL file and the validation errors (the batch fails when there are any)."""
    requests: list[Line] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    model: str | None = None
    text = data.decode("utf-8-sig", "replace")  # a byte-order mark is not a broken first line
    for number, raw in enumerate(text.split("\n"), 1):
        if not raw.strip():
            continue
        try:
            item = loads(raw)
        except ValueError:
            errors.append(_error("invalid_json_line", "This line is not parseable as valid JSON.", number))
            continue
        if not isinstance(item, dict):
            errors.append(_error("invalid_json_line", "This line is not parseable as valid JSON.", number))
            continue
        missing = next((name for name in REQUIRED if item.get(name) is None), None)
        if missing is not None:
            errors.append(_error("missing_required_parameter", f"Missing required parameter: '{missing}'.", number, missing))
            continue
        custom_id = str(item["custom_id"])
        if custom_id in seen:
            errors.append(_error("duplicate_custom_id", f"The custom_id '{custom_id}' is a duplicate of another request's; "
                                 "each request in a batch needs a unique custom_id.", number, "custom_id"))
            continue
        seen.add(custom_id)
        if item["url"] != endpoint:
            errors.append(_error("url_mismatch", f"The URL '{item['url']}' of this request does not match the batch "
                                 f"endpoint '{endpoint}'.", number, "url"))
            continue
        body = item["body"]
        line_model = body.get("model") if isinstance(body, dict) else None
        if isinstance(line_model, str):
            if model is None:
                model = line_model
            elif line_model != model:
                errors.append(_error("model_mismatch", f"The model '{line_model}' of this request does not match the model "
                                     f"'{model}' of the batch's other requests: a batch file can only hold requests to a "
                                     "single model.", number, "body.model"))
                continue
        requests.append(Line(number, custom_id, str(item["method"]), item["url"], body))
    if len(requests) > MAX_REQUESTS:
        errors.append(_error("too_many_tasks", f"The batch input file holds {len(requests)} requests; a batch may hold at "
                             f"most {MAX_REQUESTS}.", None, "input_file_id"))
    if not requests and not errors:
        errors.append(_error("empty_file", "The batch input file is empty: it holds no requests.", None, "input_file_id"))
    return requests, errors


def model_of(requests: list[Line]) -> str | None:
    """The model the batch's requests name (the first one that names one)."""
    return next((line.body["model"] for line in requests if isinstance(line.body, dict)
                 and isinstance(line.body.get("model"), str)), None)

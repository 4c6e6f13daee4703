"""A training file checked the way the fine-tuning service checks it: JSONL examples in the method's format.

The messages are the real ones, seen on failed jobs (``job.error``):
- ``invalid_file_format`` "The job failed due to a file format error in the training file. Invalid file format.
  Example 1 contains an extra \"weight\"." (a job's error quoted in a public project's notes) and
  "Invalid file format. Example 1273 cannot be parsed. Error: line contains invalid json: …" (openai-php fixtures);
- ``invalid_training_file`` "The job failed due to an invalid training file. Invalid file format. Example 100,
  message 2 Discriminator 'role' is missing in value" (a job listed through openai-python);
- ``invalid_n_examples`` "Training file has 3 example(s), but must have at least 10 examples" (openai-php fixtures).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from mockapi.core.tokenizer import count_value_tokens

MIN_EXAMPLES = 10
ROLES = ("system", "developer", "user", "assistant", "tool", "function")
# Keys a line may carry, per method (reinforcement lines also carry the grader's reference fields).
ALLOWED_KEYS = {"supervised": {"messages", "tools", "parallel_tool_calls", "functions"},
                "dpo": {"input", "preferred_output", "non_preferred_output"}}
_FORMAT = "The job failed due to a file format error in the training file. Invalid file format."
_INVALID = "The job failed due to an invalid training file. Invalid file format."


@dataclass(frozen=True)
class Checked:
    """What validation found: the example count, their tokens, or the error the job fails with."""

    examples: int
    tokens: int
    error: dict[str, Any] | None = None


def _failure(code: str, message: str, param: str) -> dict[str, Any]:
    return {"code": code, "message": message, "param": param}


def _messages_problem(n: int, messages: Any) -> str | None:
    if not isinstance(messages, list) or not messages:
        return f"{_FORMAT} Example {n} is missing key 'messages'."
    for m, message in enumerate(messages, 1):
        if not isinstance(message, dict) or "role" not in message:
            return f"{_INVALID} Example {n}, message {m} Discriminator 'role' is missing in value"
        if message["role"] not in ROLES:
            return f"{_INVALID} Example {n}, message {m} Input tag '{message['role']}' found using 'role' does not match any of the expected tags"
    return None


def _line_problem(n: int, line: dict[str, Any], method: str) -> tuple[str, str] | None:
    """(code, message) for a line that breaks the method's format, or None."""
    allowed = ALLOWED_KEYS.get(method)
    if allowed is not None:
        extra = [key for key in line if key not in allowed]  # the first one, in the line's order
        if extra:
            return "invalid_file_format", f"{_FORMAT} Example {n} contains an extra \"{extra[0]}\"."
    if method == "dpo":
        for key in ("input", "preferred_output", "non_preferred_output"):
            if key not in line:
                return "invalid_file_format", f"{_FORMAT} Example {n} is missing key '{key}'."
        problem = _messages_problem(n, (line["input"] or {}).get("messages") if isinstance(line["input"], dict) else None)
    else:
        if "messages" not in line:
            return "invalid_file_format", f"{_FORMAT} Example {n} is missing key 'messages'."
        problem = _messages_problem(n, line["messages"])
    if problem:
        return ("invalid_training_file" if problem.startswith(_INVALID) else "invalid_file_format"), problem
    return None


def check(text: str, method: str, param: str = "training_file") -> Checked:
    """Validate a training (or validation) file's text for a fine-tuning ``method``."""
    examples = tokens = 0
    for n, raw in enumerate((ln for ln in text.splitlines() if ln.strip()), 1):
        try:
            line = json.loads(raw)
        except ValueError as exc:
            message = f"{_FORMAT} Example {n} cannot be parsed. Error: line contains invalid json: {exc} (line {n})"
            return Checked(n - 1, tokens, _failure("invalid_file_format", message.replace("training", param.split("_")[0]), param))
        if not isinstance(line, dict):
            return Checked(n - 1, tokens, _failure("invalid_file_format", f"{_FORMAT} Example {n} is missing key 'messages'.", param))
        problem = _line_problem(n, line, method)
        if problem:
            code, message = problem
            if param == "validation_file":  # the same checks, naming the file they are about
                code = "invalid_validation_file" if code == "invalid_training_file" else code
                message = message.replace("training file", "validation file")
            return Checked(n - 1, tokens, _failure(code, message, param))
        examples += 1
        tokens += count_value_tokens(line)
    if param == "training_file" and examples < MIN_EXAMPLES:
        return Checked(examples, tokens, _failure("invalid_n_examples", f"Training file has {examples} example(s), but must "
                                                  f"have at least {MIN_EXAMPLES} examples", param))
    return Checked(examples, tokens)

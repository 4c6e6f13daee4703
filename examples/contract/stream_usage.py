"""§5.1 and §18.5 as the reference writes them, and corrected versions.

Both index ``chunk.choices[0]`` on every chunk. The contract allows chunks whose ``choices`` is
empty (the usage chunk of ``stream_options.include_usage``; Azure's first chunk), so they raise
``IndexError`` on a valid stream (check ``completes_on_valid_answer``). The corrected versions
skip chunks without choices.
"""

from __future__ import annotations

import time
from typing import Any

from openai import OpenAI

PROMPT = "Tell me a story."


def reference_collect(client: OpenAI) -> str:
    """§5.1, verbatim apart from the model name."""
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}], stream=True)
    collected_content = []
    for chunk in stream:
        if chunk.choices[0].delta.content:
            content = chunk.choices[0].delta.content
            collected_content.append(content)
    return "".join(collected_content)


def fixed_collect(client: OpenAI) -> str:
    """§5.1 with the guard of §5.3: chunks without choices carry no text."""
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}], stream=True)
    collected_content = []
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            collected_content.append(chunk.choices[0].delta.content)
    return "".join(collected_content)


def reference_stream_with_metrics(client: OpenAI, prompt: str = PROMPT) -> dict[str, Any]:
    """§18.5, verbatim apart from the model name."""
    start_time = time.time()
    first_token_time = None
    content_parts = []
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}], stream=True)
    for chunk in stream:
        if chunk.choices[0].delta.content:
            if first_token_time is None:
                first_token_time = time.time()
            content_parts.append(chunk.choices[0].delta.content)
    end_time = time.time()
    return {
        "content": "".join(content_parts),
        "time_to_first_token": first_token_time - start_time if first_token_time else None,
        "total_time": end_time - start_time,
        "tokens_per_second": len(content_parts) / max(end_time - start_time, 1e-9),
    }


def fixed_stream_with_metrics(client: OpenAI, prompt: str = PROMPT) -> dict[str, Any]:
    """§18.5 skipping chunks without choices."""
    start_time = time.time()
    first_token_time = None
    content_parts = []
    stream = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}], stream=True)
    for chunk in stream:
        if not chunk.choices:
            continue
        if chunk.choices[0].delta.content:
            if first_token_time is None:
                first_token_time = time.time()
            content_parts.append(chunk.choices[0].delta.content)
    end_time = time.time()
    return {
        "content": "".join(content_parts),
        "time_to_first_token": first_token_time - start_time if first_token_time else None,
        "total_time": end_time - start_time,
        "tokens_per_second": len(content_parts) / max(end_time - start_time, 1e-9),
    }

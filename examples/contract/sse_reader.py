"""§13.7's SSE reader, ported to Python, and a corrected reader.

The reference decodes each network read on its own and splits it on newlines, assuming every read
holds whole lines. Reads end anywhere: inside a ``data:`` line (``json.loads`` fails, check
``completes_on_valid_answer``) or inside a multi-byte UTF-8 character (the text gets U+FFFD, check
``stream_reassembled``). The corrected reader decodes incrementally and parses only whole events.
Both read the API's own stream, where the reference reads its proxy's re-emitted one: same framing.
"""

from __future__ import annotations

import codecs
import json
from typing import Any

BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Hello"}], "stream": True}


def _text_of(data: dict[str, Any]) -> str:
    choices = data.get("choices") or []
    return (choices[0].get("delta") or {}).get("content") or "" if choices else ""


def reference_reader(http_client: Any, api_key: str) -> str:
    """The reference's loop: ``decoder.decode(value)`` per read, ``split('\\n')``, ``JSON.parse`` each data line."""
    full_content = ""
    headers = {"Authorization": f"Bearer {api_key}"}
    with http_client.stream("POST", "/chat/completions", json=BODY, headers=headers) as response:
        response.raise_for_status()
        for value in response.iter_bytes():
            chunk = value.decode("utf-8", errors="replace")  # TextDecoder.decode(value) without {stream: true}
            for line in chunk.split("\n"):
                if line.startswith("data: ") and line != "data: [DONE]":
                    data = json.loads(line[6:])
                    full_content += _text_of(data)
    return full_content


def fixed_reader(http_client: Any, api_key: str) -> str:
    """Incremental UTF-8 decoding, a buffer, and events parsed only once their blank line arrives."""
    full_content = ""
    headers = {"Authorization": f"Bearer {api_key}"}
    decoder = codecs.getincrementaldecoder("utf-8")()
    buffer = ""
    with http_client.stream("POST", "/chat/completions", json=BODY, headers=headers) as response:
        response.raise_for_status()
        for value in response.iter_bytes():
            buffer += decoder.decode(value).replace("\r\n", "\n")
            while "\n\n" in buffer:
                event, buffer = buffer.split("\n\n", 1)
                data = "\n".join(line[5:].removeprefix(" ") for line in event.split("\n") if line.startswith("data:"))
                if not data or data == "[DONE]":
                    continue
                parsed = json.loads(data)
                if "error" in parsed:
                    raise RuntimeError(f"stream error: {parsed['error'].get('message')}")
                full_content += _text_of(parsed)
        buffer += decoder.decode(b"", final=True)
    if buffer.strip():
        raise RuntimeError("the stream ended inside an event")
    return full_content

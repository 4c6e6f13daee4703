"""Send acceptance-corpus cases through an openai SDK's low-level ``client.post``/``get``/``delete`` path.

Imported by tests/test_corpus.py (current SDK) and run as a script by the SDK 1.59.9 leg:
``python corpus_sdk.py cases.json`` prints one JSON line per case, ``{"id", "status", "error"}``,
against OPENAI_BASE_URL. Needs only the SDK, so it works in any compat venv.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

import openai
from openai import _base_client

# openai 3.x speaks httpx2, 1.x and 2.x speak httpx: ask the SDK which one it uses.
HTTP = getattr(_base_client, "httpx2", None) or _base_client.httpx
PLACEHOLDER = re.compile(r"\$\{([A-Za-z0-9_]+)((?:\.[A-Za-z0-9_]+)*)\}")


def substitute(value: Any, saved: dict[str, Any]) -> Any:
    """Replace ``${name.field.sub}`` in every string of ``value`` with what a setup step saved."""
    if isinstance(value, str):
        def lookup(match: re.Match[str]) -> str:
            found: Any = saved[match.group(1)]
            try:
                for key in filter(None, match.group(2).split(".")):
                    found = found[int(key)] if isinstance(found, list) else found[key]
            except (KeyError, IndexError, TypeError, ValueError):
                raise LookupError(f"a setup step's answer has no {match.group(0)}: {str(saved[match.group(1)])[:300]}") from None
            return str(found)
        return PLACEHOLDER.sub(lookup, value)
    if isinstance(value, list):
        return [substitute(item, saved) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, saved) for key, item in value.items()}
    return value


def request(client: openai.OpenAI, step: dict[str, Any], saved: dict[str, Any], *, parse: bool) -> Any:
    """One request; streams are read to the end; returns the parsed JSON (parse) or the raw response."""
    method = step.get("method", "POST").upper()
    path = substitute(step["path"], saved)
    body = substitute(step.get("body"), saved)
    options: dict[str, Any] = {"headers": step["headers"]} if step.get("headers") else {}
    cast_to: Any = object if parse else HTTP.Response
    if method == "GET":
        return client.get(path, cast_to=cast_to, options=options)
    if method == "DELETE":
        return client.delete(path, cast_to=cast_to, options=options)
    if isinstance(body, dict) and body.get("stream") is True:
        events = list(client.post(path, cast_to=object, body=body, options=options, stream=True,
                                  stream_cls=openai.Stream[object]))
        return events if parse else len(events)
    return client.post(path, cast_to=cast_to, body=body, options=options)


def send_case(client: openai.OpenAI, case: dict[str, Any]) -> dict[str, Any]:
    """Run a case's setup steps, then the case; return its id, HTTP status and error body (None on success)."""
    saved: dict[str, Any] = {}
    for step in case.get("setup", []):
        saved[step.get("save", "_")] = request(client, step, saved, parse=True)
    try:
        reply = request(client, case, saved, parse=False)
    except openai.APIStatusError as error:
        body = error.body if isinstance(error.body, dict) else {"message": str(error.body)}
        return {"id": case["id"], "status": error.status_code, "error": body}
    except openai.APIError as error:  # an error event inside a stream that had already started
        return {"id": case["id"], "status": 200, "error": {"message": error.message, "stream_error": True,
                                                            **(error.body if isinstance(error.body, dict) else {})}}
    status = reply.status_code if isinstance(reply, HTTP.Response) else 200
    if isinstance(reply, HTTP.Response):
        reply.read()
    return {"id": case["id"], "status": status, "error": None}


def main(path: str) -> None:
    """Send every case in a JSON list of cases; print one JSON result line each."""
    client = openai.OpenAI(max_retries=0)
    print(f"openai {openai.__version__}", flush=True)
    for case in json.load(open(path)):
        try:
            result = send_case(client, case)
        except Exception as error:  # a setup step failed, or the SDK could not send the case at all
            result = {"id": case["id"], "status": -1, "error": {"message": f"{type(error).__name__}: {error}"}}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main(sys.argv[1])

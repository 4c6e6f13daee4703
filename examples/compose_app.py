"""The example app of docker-compose.yml: an OpenAI client configured only by OPENAI_BASE_URL and OPENAI_API_KEY.

It uses the standard library so the stock python image runs it as is; an app with the `openai`
SDK needs nothing more than the same two variables.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request


def main() -> int:
    """Ask the mock for a chat completion and print the answer."""
    base_url = os.environ["OPENAI_BASE_URL"].rstrip("/")
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello to the compose example."}]}
    request = urllib.request.Request(
        f"{base_url}/chat/completions", data=json.dumps(body).encode(), method="POST",
        headers={"Authorization": f"Bearer {os.environ['OPENAI_API_KEY']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - the mock's URL from the environment
        completion = json.loads(response.read())
    print(completion["choices"][0]["message"]["content"])
    return 0


if __name__ == "__main__":
    sys.exit(main())

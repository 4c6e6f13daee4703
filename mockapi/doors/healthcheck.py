"""``python -m mockapi.doors.healthcheck``: exit 0 when the local server answers ``GET /health`` (Docker's HEALTHCHECK).

The slim image has no curl, so the check is this module: it reads ``MOCKAPI_PORT`` like the server does.
``/health`` answers 503 while a Redis store is down, so this check (and compose's ``service_healthy``) fails then too.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request


def healthy(port: int, host: str = "127.0.0.1", timeout: float = 3.0) -> bool:
    """Whether the server on ``host:port`` answers ``/health`` with ``{"status": "ok"}``."""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/health", timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status == 200 and json.loads(response.read()).get("status") == "ok"
    except (OSError, ValueError):
        return False


def main() -> int:
    """Check the server on ``MOCKAPI_PORT`` (default 8000)."""
    port = int(os.environ.get("MOCKAPI_PORT") or 8000)
    ok = healthy(port)
    if not ok:
        print(f"mockapi: no healthy server on 127.0.0.1:{port}", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

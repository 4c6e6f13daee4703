"""The baseline: a bare Starlette endpoint returning a fixed JSON body (size given by BARE_BODY_BYTES)."""

import json
import os

from starlette.applications import Starlette
from starlette.responses import Response
from starlette.routing import Route

_SIZE = int(os.environ.get("BARE_BODY_BYTES", "800"))
_BODY = json.dumps({"id": "x", "object": "chat.completion", "pad": "x" * max(0, _SIZE - 50)}).encode()


async def endpoint(request):
    await request.body()
    return Response(_BODY, media_type="application/json")


app = Starlette(routes=[Route("/{path:path}", endpoint, methods=["GET", "POST"])])

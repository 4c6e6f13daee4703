"""Realtime calls over REST: an SDP offer in, an SDP answer out; SIP calls accepted, referred, rejected, hung up.

No media flows: the answer is a well-formed SDP that names the offer's media sections back,
and the call's id comes back in the ``Location`` header as the real API sends it.
source: https://platform.openai.com/docs/guides/realtime-webrtc and /docs/guides/realtime-sip
"""

from __future__ import annotations

import re
from typing import Any

from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import InvalidRequestError, NotFoundError
from mockapi.core.repo import Repo

KIND = "realtime_call"


def answer_sdp(offer: str, call_id: str) -> str:
    """An SDP answer for ``offer``: one ``m=`` line per offered media section, receive and send."""
    media = re.findall(r"^m=(\S+) \S+ (\S+) (.*)$", offer, flags=re.MULTILINE)
    if not offer.startswith("v=0") or not media:
        raise InvalidRequestError("Invalid SDP offer: expected a session description with at least one media section.",
                                  param="sdp", code="invalid_offer")
    session = int(call_id.encode().hex()[:12], 16)
    lines = ["v=0", f"o=- {session} 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE " + " ".join(str(i) for i in range(len(media)))]
    for index, (kind, proto, formats) in enumerate(media):
        lines += [f"m={kind} 9 {proto} {formats}", "c=IN IP4 0.0.0.0", f"a=mid:{index}", "a=sendrecv" if kind == "audio" else "a=recvonly",
                  "a=ice-ufrag:mock", "a=ice-pwd:mockapimockapimockapimock", "a=setup:active"]
    return "\r\n".join(lines) + "\r\n"


def create(repo: Repo, identity: str, offer: str, session: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """A new call (``rtc_...``) for a WebRTC offer, and its SDP answer."""
    call = {"id": make_id("rtc_", "realtime-call", identity, length=32, alphabet=HEX),
            "status": "active", "created_at": repo.now(), "session": session}
    answer = answer_sdp(offer, call["id"])
    repo.put(KIND, call)
    return call, answer


def require(repo: Repo, call_id: str) -> dict[str, Any]:
    """A call of this tenant; an unseen ``rtc_`` id is an incoming SIP call (announced by a webhook the
    mock never sent), so it is taken as ringing; any other id gets a 404."""
    found = repo.get(KIND, call_id)
    if found is not None:
        return found
    if call_id.startswith("rtc_") and len(call_id) > 4:
        return {"id": call_id, "status": "ringing", "created_at": repo.now(), "session": None}
    raise NotFoundError(f"Call with id '{call_id}' not found.", code="call_not_found")


def move(repo: Repo, call_id: str, status: str, **details: Any) -> None:
    """Record what happened to a call (accepted, referred, rejected, ended)."""
    call = require(repo, call_id)
    call.update(status=status, **details)
    repo.put(KIND, call)

"""Realtime REST: client secrets (GA and translation), beta sessions, and calls."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mockapi.core.determinism import make_id
from mockapi.core.engine import Call
from mockapi.core.errors import InvalidRequestError
from mockapi.core.forms import parse_form
from mockapi.core.repo import Repo
from mockapi.core.results import Reply

from . import calls, secrets, sessions

_BUILDERS = {"realtime": sessions.realtime, "transcription": sessions.transcription}


def create_client_secret(call: Call) -> dict[str, Any]:
    """``POST /v1/realtime/client_secrets``: an ``ek_`` secret and the effective session."""
    repo, body = Repo(call), call.body
    given = body.get("session") or {"type": "realtime"}
    kind = given.get("type", "realtime")
    record = secrets.issue(repo, call.id_digest(), secrets.ttl(body), kind)
    record["session"] = _BUILDERS[kind](given, record["session_id"], 0)
    secrets.save(repo, record)
    return {"value": record["value"], "expires_at": record["expires_at"], "session": record["session"]}


def create_translation_client_secret(call: Call) -> dict[str, Any]:
    """``POST /v1/realtime/translations/client_secrets``."""
    repo, body = Repo(call), call.body
    record = secrets.issue(repo, call.id_digest(), secrets.ttl(body), "translation")
    record["session"] = sessions.translation(body["session"], record["session_id"], record["expires_at"])
    secrets.save(repo, record)
    return {"value": record["value"], "expires_at": record["expires_at"], "session": record["session"]}


def _beta_session(call: Call, kind: str, build: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]]) -> dict[str, Any]:
    """A beta session answer built by ``build``, kept with the ``client_secret`` it carries."""
    repo = Repo(call)
    record = secrets.issue(repo, call.id_digest(), secrets.DEFAULT_TTL, kind)
    answer = build(call.body, record)
    record["session"] = answer
    secrets.save(repo, record)
    return answer


def create_session(call: Call) -> dict[str, Any]:
    """``POST /v1/realtime/sessions`` (beta): the session and its ``client_secret``."""
    return _beta_session(call, "realtime", sessions.beta_realtime)


def create_transcription_session(call: Call) -> dict[str, Any]:
    """``POST /v1/realtime/transcription_sessions`` (beta)."""
    return _beta_session(call, "transcription", sessions.beta_transcription)


def create_call(call: Call) -> Reply:
    """``POST /v1/realtime/calls``: the SDP answer (``application/sdp``), the call's id in ``Location``."""
    form = parse_form(call.request, 1 << 20, lambda u: InvalidRequestError("The SDP offer is too large.", param="sdp"))
    offer = form.fields.get("sdp")
    if not isinstance(offer, str):
        upload = form.file("sdp")
        offer = upload.head.decode("utf-8", "replace") if upload is not None else None
    if not offer:
        raise InvalidRequestError("Missing required parameter: 'sdp'.", param="sdp", code="missing_required_parameter")
    session_text = form.fields.get("session")
    if session_text is None and form.file("session") is not None:
        session_text = form.file("session").head.decode("utf-8", "replace")
    try:
        given = json.loads(session_text) if session_text else {"type": "realtime"}
    except ValueError:
        raise InvalidRequestError("Invalid 'session': expected a JSON object.", param="session", code="invalid_json") from None
    if not isinstance(given, dict):  # `session` is a JSON object or nothing; a bare value is a 400, never a crash
        raise InvalidRequestError("Invalid 'session': expected a JSON object.", param="session", code="invalid_type")
    call.body = {"sdp": offer, "session": given}
    identity = call.id_digest()
    record, answer = calls.create(Repo(call), identity, offer, sessions.realtime(given, make_id("sess_", "realtime-session", identity, length=21), 0))
    return Reply(201, [("content-type", "application/sdp"), ("location", f"/v1/realtime/calls/{record['id']}")],
                 answer.encode())


def _empty() -> Reply:
    return Reply(200, [("content-type", "application/json")], b"")


def accept_call(call: Call) -> Reply:
    """``POST /v1/realtime/calls/{call_id}/accept`` with the session to run."""
    calls.move(Repo(call), call.path_params["call_id"], "accepted", session=sessions.realtime(call.body, "", 0))
    return _empty()


def hangup_call(call: Call) -> Reply:
    """``POST /v1/realtime/calls/{call_id}/hangup``."""
    calls.move(Repo(call), call.path_params["call_id"], "ended")
    return _empty()


def refer_call(call: Call) -> Reply:
    """``POST /v1/realtime/calls/{call_id}/refer`` (``target_uri``)."""
    calls.move(Repo(call), call.path_params["call_id"], "referred", target_uri=call.body["target_uri"])
    return _empty()


def reject_call(call: Call) -> Reply:
    """``POST /v1/realtime/calls/{call_id}/reject`` (optional SIP ``status_code``, 603 by default)."""
    calls.move(Repo(call), call.path_params["call_id"], "rejected", status_code=call.body.get("status_code", 603))
    return _empty()


HANDLERS = {
    "createRealtimeClientSecret": create_client_secret,
    "createRealtimeTranslationClientSecret": create_translation_client_secret,
    "createRealtimeSession": create_session, "createRealtimeTranscriptionSession": create_transcription_session,
    "createRealtimeCall": create_call, "acceptRealtimeCall": accept_call, "hangupRealtimeCall": hangup_call,
    "referRealtimeCall": refer_call, "rejectRealtimeCall": reject_call,
}

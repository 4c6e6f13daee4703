"""Contract sources for the Realtime API's REST side: client secrets, sessions (beta) and WebRTC/SIP calls."""

from __future__ import annotations

from typing_extensions import TypedDict

from . import Operation

_R = "openai.types.realtime"
_B = "openai.types.beta.realtime"
_CALL = "/realtime/calls/{call_id}"


class CallOfferForm(TypedDict, total=False):
    """``POST /realtime/calls``: the SDP offer (``sdp``) and an optional ``session`` (a JSON part)."""

    sdp: str
    session: str


OPERATIONS = [
    Operation("createRealtimeClientSecret", "POST", "/realtime/client_secrets", "Create a Realtime client secret", "Realtime",
              request=f"{_R}.client_secret_create_params:ClientSecretCreateParams",
              response=f"{_R}.client_secret_create_response:ClientSecretCreateResponse", stateful=True),
    Operation("createRealtimeTranslationClientSecret", "POST", "/realtime/translations/client_secrets",
              "Create a Realtime translation client secret", "Realtime",
              request=f"{_R}.translations.client_secret_create_params:ClientSecretCreateParams",
              response=f"{_R}:RealtimeTranslationClientSecretCreateResponse", stateful=True),
    Operation("createRealtimeSession", "POST", "/realtime/sessions", "Create a Realtime session (beta)", "Realtime",
              request=f"{_B}.session_create_params:SessionCreateParams",
              response=f"{_B}.session_create_response:SessionCreateResponse", stateful=True),
    Operation("createRealtimeTranscriptionSession", "POST", "/realtime/transcription_sessions",
              "Create a Realtime transcription session (beta)", "Realtime",
              request=f"{_B}.transcription_session_create_params:TranscriptionSessionCreateParams",
              response=f"{_B}.transcription_session:TranscriptionSession", stateful=True),
    Operation("createRealtimeCall", "POST", "/realtime/calls", "Start a WebRTC call with an SDP offer", "Realtime",
              request=f"{__name__}:CallOfferForm", request_content="multipart/form-data",
              response_content="application/sdp", stateful=True),
    Operation("acceptRealtimeCall", "POST", _CALL + "/accept", "Accept an incoming SIP call", "Realtime",
              request=f"{_R}.call_accept_params:CallAcceptParams", stateful=True),
    Operation("hangupRealtimeCall", "POST", _CALL + "/hangup", "End a call", "Realtime", stateful=True),
    Operation("referRealtimeCall", "POST", _CALL + "/refer", "Transfer a SIP call", "Realtime",
              request=f"{_R}.call_refer_params:CallReferParams", stateful=True),
    Operation("rejectRealtimeCall", "POST", _CALL + "/reject", "Decline an incoming SIP call", "Realtime",
              request=f"{_R}.call_reject_params:CallRejectParams", stateful=True),
]

"""A Realtime session without a transport: client events in, server events out (GA protocol).

The door (``mockapi/doors/realtime.py``) feeds each client message to :meth:`RealtimeSession.handle`
and sends back what it returns; a response comes back as a generator the door drains event by event,
so ``response.cancel`` and barge-in can stop it. Ids derive from the session's identity and a counter,
so the same sequence of client events gives the same events every run.
Error wordings: source: the Realtime API reference (client events, "error" server event) and messages
observed from the server, e.g. "Conversation already has an active response in progress: …" and
"Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, …"
(quoted in openai-agents-python and openai-realtime-console issues).
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import random
import re
from collections.abc import Callable
from typing import Any

from mockapi.api.audio import transcript
from mockapi.core.determinism import make_id
from mockapi.core.tokenizer import count_tokens

from . import audio, respond, sessions
from .items import ConversationItems
from .outcome import ClientEventError, Events, Outcome

CLIENT_EVENTS = (
    "session.update", "input_audio_buffer.append", "input_audio_buffer.commit", "input_audio_buffer.clear",
    "conversation.item.create", "conversation.item.retrieve", "conversation.item.truncate", "conversation.item.delete",
    "response.create", "response.cancel", "output_audio_buffer.clear",
)


class RealtimeSession(ConversationItems):
    """The state of one connection: its session config, conversation, input audio buffer and response."""

    def __init__(self, ident: str, model: str, now: int, given: dict[str, Any] | None = None,
                 find_reply: Callable[[str, str, list[str]], Any] = lambda model, said, tools: None,
                 intent: str | None = None) -> None:
        given = {k: v for k, v in (given or {}).items() if k not in ("id", "object", "expires_at")}
        self.ident, self.model = ident, model
        # A transcription session (an ``ek_`` secret of that type, or ``?intent=transcription``) only transcribes.
        self.transcribing = given.get("type", intent) == "transcription"
        session_id = make_id("sess_", ident, length=21)
        self.config = (sessions.transcription(given, session_id, now + 3600) if self.transcribing
                       else sessions.realtime({**given, "model": model}, session_id, now + 3600))
        self.conversation_id = make_id("conv_", ident, length=21)
        self.items: list[dict[str, Any]] = []
        self.buffer = bytearray()
        self.vad = self._new_vad()
        self.running: respond.Running | None = None
        self.find_reply = find_reply
        self._n = 0
        self._input_item_id: str | None = None

    # -- ids ---------------------------------------------------------------------------------
    def next_id(self, prefix: str, length: int = 21) -> str:
        """A fresh id, deterministic for the session's history."""
        self._n += 1
        return make_id(prefix, self.ident, self._n, length=length)

    def emit(self, event: dict[str, Any]) -> dict[str, Any]:
        """``event`` with its ``event_id`` first."""
        return {"event_id": self.next_id("event_"), **event}

    def error(self, body: dict[str, Any], client_event_id: str | None = None) -> dict[str, Any]:
        """An ``error`` server event."""
        return self.emit({"type": "error", "error": {**body, "event_id": client_event_id}})

    def opening(self) -> list[dict[str, Any]]:
        """The events sent on connect."""
        return [self.emit({"type": "session.created", "session": respond.public(self.config)})]

    # -- dispatch ----------------------------------------------------------------------------
    def handle(self, raw: str | bytes) -> Outcome:
        """One client message: parse it, apply it, answer it (an error event when it is refused)."""
        client_id = None
        try:
            try:
                event = json.loads(raw)
            except ValueError as exc:
                raise ClientEventError(f"Invalid JSON in client event: {exc}.", code="invalid_json") from None
            if not isinstance(event, dict):
                raise ClientEventError("The client event must be a JSON object.", code="invalid_type")
            client_id = event.get("event_id") if isinstance(event.get("event_id"), str) else None
            kind = event.get("type")
            if not kind:
                raise ClientEventError("Missing required parameter: 'type'.", code="missing_required_parameter", param="type")
            if kind not in CLIENT_EVENTS:
                supported = ", ".join(f"'{k}'" for k in CLIENT_EVENTS)
                raise ClientEventError(f"Invalid value: '{kind}'. Supported values are: {supported}.", param="type")
            return getattr(self, "_" + kind.replace(".", "_"))(event)
        except ClientEventError as exc:
            return Outcome([self.error(exc.body, client_id)])
        except Exception as exc:  # a bug must still answer with an error event, never end the session
            logging.getLogger("mockapi").exception("realtime client event failed")
            return Outcome([self.error({"type": "server_error", "code": "server_error", "param": None,
                                        "message": f"The mock failed unexpectedly: {type(exc).__name__}: {exc}"}, client_id)])

    def _session_update(self, event: dict[str, Any]) -> Outcome:
        given = event.get("session")
        if not isinstance(given, dict):
            raise ClientEventError("Missing required parameter: 'session'.", code="missing_required_parameter", param="session")
        if given.get("type") not in (None, self.config["type"]):
            raise ClientEventError(f"Invalid value: '{given.get('type')}'. Supported values are: '{self.config['type']}'.",
                                   param="session.type")
        if "model" in given and given["model"] != self.model:
            raise ClientEventError("Cannot update a session's model.", param="session.model")
        self.config = sessions.merge(self.config, {k: v for k, v in given.items() if k != "type"})
        heard_ms = self.vad.position_ms if self.vad is not None else 0
        self.vad = self._new_vad()
        if self.vad is not None:
            self.vad.position_ms = heard_ms  # offsets count the whole session's audio
        return Outcome([self.emit({"type": "session.updated", "session": respond.public(self.config)})])

    def _new_vad(self) -> audio.VoiceActivity | None:
        turn = (self.config.get("audio", {}).get("input", {}) or {}).get("turn_detection")
        if not isinstance(turn, dict):
            return None
        fmt = self.config["audio"]["input"].get("format")
        return audio.VoiceActivity(threshold=float(turn.get("threshold", 0.5) if turn.get("type") == "server_vad" else 0.5),
                                   silence_ms=int(turn.get("silence_duration_ms") or 500),
                                   prefix_ms=int(turn.get("prefix_padding_ms") or 0), rate=audio.rate_of(fmt))

    # -- input audio -------------------------------------------------------------------------
    def _input_audio_buffer_append(self, event: dict[str, Any]) -> Outcome:
        try:
            data = base64.b64decode(event.get("audio") or "", validate=True)
        except (binascii.Error, ValueError):
            raise ClientEventError("Invalid 'audio'. Expected base64-encoded audio bytes.", param="audio") from None
        self.buffer.extend(data)
        out = Outcome()
        if self.vad is None:
            return out
        for what, at in self.vad.feed(audio.decode(data, self.config["audio"]["input"].get("format"))):
            pending_item = self._pending_item_id()  # a new one after each commit: one append may hold two turns
            if what == "started":
                out.interrupt = self.running is not None and self._turn().get("interrupt_response", True)
                out.events.append(self.emit({"type": "input_audio_buffer.speech_started", "audio_start_ms": at, "item_id": pending_item}))
            else:
                out.events.append(self.emit({"type": "input_audio_buffer.speech_stopped", "audio_end_ms": at, "item_id": pending_item}))
                out.events += self._commit(pending_item)
                if self._turn().get("create_response", True) and self.running is None and not self.transcribing:
                    out.stream = self.start_response({})
        return out

    def _turn(self) -> dict[str, Any]:
        return self.config["audio"]["input"].get("turn_detection") or {}

    def _pending_item_id(self) -> str:
        """The id the buffer's audio will have once committed (speech_started already names it)."""
        if self._input_item_id is None:
            self._input_item_id = self.next_id("item_")
        return self._input_item_id

    def _input_audio_buffer_commit(self, event: dict[str, Any]) -> Outcome:
        fmt = self.config["audio"]["input"].get("format")
        ms = len(self.buffer) / audio.bytes_per_ms(fmt)
        if ms < 100:
            raise ClientEventError(f"Error committing input audio buffer: buffer too small. Expected at least 100ms of audio, but "
                                   f"buffer only has {ms:.2f}ms of audio.", code="input_audio_buffer_commit_empty")
        return Outcome(self._commit(self._pending_item_id()))

    def _input_audio_buffer_clear(self, event: dict[str, Any]) -> Outcome:
        self.buffer.clear()
        self._input_item_id = None
        if self.vad is not None:
            self.vad.reset()
        return Outcome([self.emit({"type": "input_audio_buffer.cleared"})])

    def _commit(self, item_id: str) -> list[dict[str, Any]]:
        fmt = self.config["audio"]["input"].get("format")
        seconds = len(self.buffer) / audio.bytes_per_ms(fmt) / 1000
        heard = transcript.build(random.Random(make_id("", self.ident, "heard", item_id)), seconds, "en").text
        self._input_item_id = None
        self.buffer.clear()
        if self.vad is not None:
            self.vad.reset()
        transcribe = self.config["audio"]["input"].get("transcription")
        item = {"id": item_id, "object": "realtime.item", "type": "message", "status": "completed", "role": "user",
                "content": [{"type": "input_audio", "transcript": None}], "_heard": heard, "_audio_ms": int(seconds * 1000)}
        previous = self.add(item)
        events = [self.emit({"type": "input_audio_buffer.committed", "item_id": item_id, "previous_item_id": previous}),
                  self.emit({"type": "conversation.item.added", "item": respond.public(item), "previous_item_id": previous}),
                  self.emit({"type": "conversation.item.done", "item": respond.public(item), "previous_item_id": previous})]
        if transcribe:
            for word in re.findall(r"\S+\s*", heard):
                events.append(self.emit({"type": "conversation.item.input_audio_transcription.delta", "item_id": item_id,
                                         "content_index": 0, "delta": word}))
            item["content"][0]["transcript"] = heard
            tokens = count_tokens(heard)
            events.append(self.emit({"type": "conversation.item.input_audio_transcription.completed", "item_id": item_id,
                                     "content_index": 0, "transcript": heard,
                                     "usage": {"type": "tokens", "input_tokens": int(seconds * 10) or 1, "output_tokens": tokens,
                                      "total_tokens": (int(seconds * 10) or 1) + tokens,
                                      "input_token_details": {"audio_tokens": int(seconds * 10) or 1, "text_tokens": 0}}}))
        return events

    def _output_audio_buffer_clear(self, event: dict[str, Any]) -> Outcome:
        raise ClientEventError("output_audio_buffer.clear is only supported for WebRTC and SIP connections.", param="type")

    # -- responses ---------------------------------------------------------------------------
    def _response_create(self, event: dict[str, Any]) -> Outcome:
        if self.transcribing:
            raise ClientEventError("A transcription session does not create responses.", param="type")
        if self.running is not None and (event.get("response") or {}).get("conversation") != "none":
            raise ClientEventError(f"Conversation already has an active response in progress: {self.running.response['id']}. "
                                   "Wait until the response is finished before creating a new one.",
                                   code="conversation_already_has_active_response")
        given = event.get("response") or {}
        if not isinstance(given, dict):
            raise ClientEventError("Invalid 'response': expected an object.", param="response")
        return Outcome(stream=self.start_response(given))

    def start_response(self, given: dict[str, Any]) -> Events:
        """A response over the conversation (or ``given["input"]``), with ``given``'s per-response overrides."""
        settings = sessions.merge(self.config, {k: v for k, v in given.items() if k not in ("conversation", "input", "metadata")})
        out_of_band = given.get("conversation") == "none"
        items = self._input_of(given["input"]) if isinstance(given.get("input"), list) else list(self.items)
        rid = self.next_id("resp_")
        response = {"object": "realtime.response", "id": rid, "status": "in_progress", "status_details": None, "output": [],
                    "conversation_id": None if out_of_band else self.conversation_id,
                    "output_modalities": settings.get("output_modalities") or ["audio"],
                    "max_output_tokens": settings.get("max_output_tokens", "inf"),
                    "audio": {"output": {"format": settings["audio"]["output"].get("format"), "voice": settings["audio"]["output"].get("voice")}},
                    "usage": None, "metadata": given.get("metadata")}
        run = respond.Running(response, in_conversation=not out_of_band)
        run.input_tokens = count_tokens(str(settings.get("instructions") or "")) + respond.text_tokens(items)
        run.audio_in_tokens = sum(i.get("_audio_ms", 0) for i in items if i.get("role") == "user") // 100
        turns = [respond.user_text(i) for i in items if i.get("role") == "user"]
        canned = self.find_reply(self.model, turns[-1] if turns else "", [t.name for t in respond.tool_specs(settings.get("tools"))])
        r = random.Random(make_id("", self.ident, rid))
        what = respond.plan(items, settings, canned, r)
        add = (lambda item: None) if out_of_band else self.add
        if not out_of_band:
            self.running = run
        return self._guard(run, respond.stream(run, what, settings, rid, self.emit, r, add))

    def _guard(self, run: respond.Running, events: Events) -> Events:
        """The response's events; the session is free for the next response once it is done or stopped."""
        try:
            yield from events
        finally:
            if self.running is run:
                self.running = None

    def _input_of(self, given: list[Any]) -> list[dict[str, Any]]:
        items = []
        for entry in given:
            if isinstance(entry, dict) and entry.get("type") == "item_reference":
                items.append(self._find(entry.get("id"), "response.input"))
            elif isinstance(entry, dict):
                items.append(entry)
        return items

    def _response_cancel(self, event: dict[str, Any]) -> Outcome:
        if self.running is None:
            raise ClientEventError("Cancellation failed: no active response found", code="response_cancel_not_active")
        return Outcome(self.cancel())

    def cancel(self, reason: str = "client_cancelled") -> list[dict[str, Any]]:
        """Stop the running response: its open items end incomplete, then ``response.done`` (cancelled)."""
        run, self.running = self.running, None
        if run is None:
            return []
        events = []
        for item in list(run.open_items):
            item["status"] = "incomplete"
            index = run.response["output"].index(item)
            events.append(self.emit({"type": "response.output_item.done", "response_id": run.response["id"],
                                     "output_index": index, "item": respond.public(item)}))
            if run.in_conversation:
                events.append(self.emit({"type": "conversation.item.done", "item": respond.public(item)}))
        run.open_items.clear()
        run.response.update(status="cancelled", status_details={"type": "cancelled", "reason": reason},
                            usage=respond.usage(run))
        events.append(self.emit({"type": "response.done", "response": respond.public(run.response)}))
        return events

    def fail(self, error: dict[str, Any]) -> list[dict[str, Any]]:
        """End the running response as failed (an injected error): ``error`` then ``response.done``."""
        run, self.running = self.running, None
        events = [self.error(error)]
        if run is not None:
            run.response.update(status="failed", status_details={"type": "failed", "error": error}, usage=respond.usage(run))
            events.append(self.emit({"type": "response.done", "response": respond.public(run.response)}))
        return events

"""The conversation of a Realtime session: items created, retrieved, deleted and truncated by the client."""

from __future__ import annotations

import base64
import binascii
import copy
import random
from typing import Any

from mockapi.api.audio import transcript
from mockapi.core.determinism import make_id

from . import audio, respond
from .outcome import ClientEventError, Outcome


class ConversationItems:
    """The ``conversation.item.*`` client events, mixed into :class:`~mockapi.api.realtime.session.RealtimeSession`."""

    ident: str
    config: dict[str, Any]
    items: list[dict[str, Any]]

    def next_id(self, prefix: str, length: int = 21) -> str:
        """A fresh id: the session provides it."""
        raise NotImplementedError

    def emit(self, event: dict[str, Any]) -> dict[str, Any]:
        """A server event with its id: the session provides it."""
        raise NotImplementedError

    def add(self, item: dict[str, Any], after: str | None = None) -> str | None:
        """Insert ``item`` (after ``after``, else at the end); return the id of the item before it."""
        if after is None:
            previous = self.items[-1]["id"] if self.items else None
            self.items.append(item)
            return previous
        index = next(i for i, it in enumerate(self.items) if it["id"] == after)
        self.items.insert(index + 1, item)
        return after

    def _find(self, item_id: Any, param: str = "item_id") -> dict[str, Any]:
        for item in self.items:
            if item["id"] == item_id:
                return item
        raise ClientEventError(f"Item with item_id not found: {item_id}", code="item_not_found" if param else None, param=param)

    def _conversation_item_create(self, event: dict[str, Any]) -> Outcome:
        given = event.get("item")
        if not isinstance(given, dict) or given.get("type") not in ("message", "function_call", "function_call_output"):
            raise ClientEventError("Invalid 'item.type'. Expected one of 'message', 'function_call', 'function_call_output'.",
                                   param="item.type")
        after = event.get("previous_item_id")
        if after not in (None, "root"):
            self._find(after, "previous_item_id")
        item = {"id": given.get("id") or self.next_id("item_"), "object": "realtime.item", "status": "completed",
                **{k: copy.deepcopy(v) for k, v in given.items() if k not in ("id", "object", "status")}}
        if item["type"] == "message" and item.get("role") not in ("user", "assistant", "system"):
            raise ClientEventError(f"Invalid 'item.role': '{item.get('role')}'. Expected 'user', 'assistant' or 'system'.", param="item.role")
        self._hear(item)
        if after == "root":
            self.items.insert(0, item)
            previous = None
        else:
            previous = self.add(item, after)
        return Outcome([self.emit({"type": "conversation.item.added", "item": respond.public(item), "previous_item_id": previous}),
                        self.emit({"type": "conversation.item.done", "item": respond.public(item), "previous_item_id": previous})])

    def _hear(self, item: dict[str, Any]) -> None:
        """What a created user message's audio says: a transcript as long as the audio (for the answer and usage)."""
        fmt = self.config["audio"]["input"].get("format")
        for part in item.get("content") or [] if item.get("role") == "user" else []:
            if isinstance(part, dict) and part.get("type") == "input_audio" and isinstance(part.get("audio"), str):
                try:
                    size = len(base64.b64decode(part["audio"]))
                except (binascii.Error, ValueError):
                    raise ClientEventError("Invalid 'item.content.audio'. Expected base64-encoded audio bytes.",
                                           param="item.content") from None
                seconds = size / audio.bytes_per_ms(fmt) / 1000
                item["_audio_ms"] = item.get("_audio_ms", 0) + int(seconds * 1000)
                if not part.get("transcript"):
                    r = random.Random(make_id("", self.ident, "heard", item["id"]))
                    item["_heard"] = transcript.build(r, seconds, "en").text

    def _conversation_item_retrieve(self, event: dict[str, Any]) -> Outcome:
        item = self._find(event.get("item_id"))
        return Outcome([self.emit({"type": "conversation.item.retrieved", "item": respond.public(item)})])

    def _conversation_item_delete(self, event: dict[str, Any]) -> Outcome:
        item = self._find(event.get("item_id"))
        self.items.remove(item)
        return Outcome([self.emit({"type": "conversation.item.deleted", "item_id": item["id"]})])

    def _conversation_item_truncate(self, event: dict[str, Any]) -> Outcome:
        item = self._find(event.get("item_id"))
        index = event.get("content_index", 0)
        content = item.get("content") or []
        if item.get("role") != "assistant" or not isinstance(index, int) or not 0 <= index < len(content) \
                or content[index].get("type") != "output_audio":
            raise ClientEventError("Only an assistant message's audio content can be truncated.", param="content_index")
        end = event.get("audio_end_ms")
        length = item.get("_audio_ms", 0)
        if not isinstance(end, int) or end < 0 or end > length:
            raise ClientEventError(f"audio_end_ms ({end}) is longer than the audio ({length} ms).", param="audio_end_ms")
        words = (content[index].get("transcript") or "").split()
        content[index]["transcript"] = " ".join(words[: len(words) * end // length]) if length else ""
        item["_audio_ms"] = end
        return Outcome([self.emit({"type": "conversation.item.truncated", "item_id": item["id"], "content_index": index,
                                   "audio_end_ms": end})])

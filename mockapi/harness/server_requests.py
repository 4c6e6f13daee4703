"""Requests for server verification, drawn from the contract's request schemas.

The request schemas are large (the Responses one is ~100 kB of unions), so instead of generating
whole documents this draws what matters: a minimal valid body per operation (from the schema's
required fields, with realistic values for the few that name things, e.g. ``model``), plus any
subset of the optional scalar fields (enums, booleans, bounded numbers, strings) drawn from their
schemas. Each drawn body is classified by the contract itself, so a body it rejects is expected
to be rejected by the server too. Invalid requests are mutations of a valid body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from hypothesis import strategies as st

from mockapi.core.contract import Contract, OperationSpec
from mockapi.core.errors import MockAPIError


class Ref(str):
    """A placeholder for the id of an object the verifier creates first (its value: the collection path)."""


# Values a schema cannot tell (which model, which message); keyed by operationId.
BASES: dict[str, dict[str, Any]] = {
    "createChatCompletion": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "Say hello."}]},
    "createCompletion": {"model": "gpt-3.5-turbo-instruct", "prompt": "Say hello."},
    "createEmbedding": {"model": "text-embedding-3-small", "input": "hello world"},
    "createResponse": {"model": "gpt-4o-mini", "input": "Say hello."},
    "createAssistant": {"model": "gpt-4o-mini"},
    "createSpeech": {"model": "tts-1", "input": "Hello.", "voice": "alloy"},
    "createImage": {"prompt": "A red square.", "model": "dall-e-2", "size": "256x256"},
    "createMessage": {"role": "user", "content": "Hello."},
    "createConversationItems": {"items": [{"type": "message", "role": "user", "content": "Hello."}]},
    "searchVectorStore": {"query": "hello"},
    "updateChatCompletion": {"metadata": {"k": "v"}},
    "createUpload": {"bytes": 8, "filename": "verify.txt", "mime_type": "text/plain", "purpose": "assistants"},
    "createRun": {"assistant_id": Ref("/assistants")},
    "createThreadAndRun": {"assistant_id": Ref("/assistants")},
    "createVectorStoreFile": {"file_id": Ref("/files")},
    "createVectorStoreFileBatch": {"file_ids": [Ref("/files")]},
    "createFineTuningJob": {"model": "gpt-4o-mini", "training_file": Ref("/files")},
}
# Bodies that make the created object retrievable afterwards (stateful sequences).
FOR_STATE: dict[str, dict[str, Any]] = {"createChatCompletion": {"store": True}, "createResponse": {"store": True}}
# What the parent of an operation must be created with for the operation to apply (by operationId).
PARENT_BODIES: dict[str, dict[str, Any]] = {"cancelResponse": {"background": True}}
# What a streamed request needs besides ``stream: true`` (by operationId).
STREAM_BODIES: dict[str, dict[str, Any]] = {"createImage": {"model": "gpt-image-1", "size": "1024x1024"}}
# Operations whose success depends on the object's state (a run may already be completed): a 4xx in the
# error shape is an acceptable answer to a valid request, a 5xx never is.
STATE_DEPENDENT = frozenset({"cancelRun", "submitToolOuputsToRun", "completeUpload", "cancelUpload", "cancelResponse",
                             "cancelVectorStoreFileBatch", "cancelFineTuningJob", "pauseFineTuningJob",
                             "resumeFineTuningJob", "cancelEvalRun",
                             "createProjectUser",  # the user must already belong to the organization
                             "createVideoCharacter", "editVideo", "extendVideo",  # they name a video made before
                             "createBatch", "updateSkill"})  # they name a file or a skill version made before
# Fields whose validity depends on other fields or on the model (rules outside the JSON Schema).
DEPENDENT = frozenset({
    "stream", "stream_options", "logprobs", "top_logprobs", "tool_choice", "parallel_tool_calls", "function_call",
    "max_tokens", "max_completion_tokens", "max_output_tokens", "max_prompt_tokens", "max_tool_calls", "n", "best_of",
    "echo", "suffix", "background", "previous_response_id", "conversation", "prompt", "reasoning_effort", "service_tier",
    "modalities", "audio", "prediction", "truncation", "include", "dimensions", "model", "voice", "size", "quality",
    "style", "response_format", "output_format", "output_compression", "partial_images", "background", "moderation",
    "stream_format", "instructions", "frame_count", "frame_duration_ms", "complexity", "svg", "verbosity", "purpose",
    "bytes", "mime_type", "filename", "md5", "role", "assistant_id", "file_id", "query", "input", "messages", "items",
    "prompt_cache_retention", "prompt_cache_key",
})
UNKNOWN_FIELD = "x_verify_unknown_field"


@dataclass(frozen=True)
class Drawn:
    """One request body and whether the contract accepts it (with the reason when it does not)."""

    body: Any
    valid: bool
    why: str = ""


def _resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return root.get("$defs", {}).get(ref.rsplit("/", 1)[-1], {})
    return schema


def scalar_strategy(schema: Mapping[str, Any], root: Mapping[str, Any]) -> st.SearchStrategy[Any] | None:
    """Values of a scalar schema (enum, const, boolean, bounded number, string, nullable); None for others."""
    schema = _resolve(schema, root)
    if "enum" in schema:
        return st.sampled_from(list(schema["enum"]))
    if "const" in schema:
        return st.just(schema["const"])
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:
        parts = [scalar_strategy(b, root) for b in branches]
        if any(p is None for p in parts):
            return None
        return st.one_of(*parts)  # type: ignore[arg-type]
    kind = schema.get("type")
    if isinstance(kind, list):
        parts = [scalar_strategy({**schema, "type": k}, root) for k in kind]
        return None if any(p is None for p in parts) else st.one_of(*parts)  # type: ignore[arg-type]
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        # Unbounded integers in this API are counts and limits, which start at 1 (the schema rarely says so).
        lo, hi = schema.get("minimum", 1), schema.get("maximum", 1000)
        return st.integers(int(lo), int(hi))
    if kind == "number":
        lo, hi = schema.get("minimum", -5.0), schema.get("maximum", 1000.0)
        return st.floats(float(lo), float(hi), allow_nan=False, allow_infinity=False).map(lambda v: round(v, 3))
    if kind == "string" and not schema.get("format") and not schema.get("pattern"):
        return st.text(alphabet="abc xyz", min_size=schema.get("minLength", 0), max_size=min(12, schema.get("maxLength", 12)))
    return None


def minimal_value(schema: Mapping[str, Any], root: Mapping[str, Any]) -> Any:
    """A small value the schema accepts, or raise ValueError when it cannot tell one."""
    schema = _resolve(schema, root)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        for branch in schema.get(key) or []:
            try:
                return minimal_value(branch, root)
            except ValueError:
                continue
    kind = schema.get("type")
    kind = next((k for k in kind if k != "null"), "null") if isinstance(kind, list) else kind
    if kind == "object" or "properties" in schema:
        return {k: minimal_value(schema["properties"][k], root) for k in schema.get("required", [])}
    if kind == "array":
        return [minimal_value(schema.get("items", {}), root) for _ in range(schema.get("minItems", 0))]
    simple = {"string": "hello", "integer": max(1, int(schema.get("minimum", 1))), "number": 1.0, "boolean": True, "null": None}
    if kind in simple:
        return simple[kind]
    raise ValueError(f"no minimal value for {schema!r:.80}")


def base_body(op: OperationSpec) -> dict[str, Any]:
    """A minimal valid body for a JSON operation (ValueError when the schema cannot tell one)."""
    schema = op.request_schema or {}
    body = minimal_value(schema, schema) if schema else {}
    return {**body, **BASES.get(op.operation_id, {})}


def classify(contract: Contract, op: OperationSpec, body: Any) -> Drawn:
    """Whether the contract (schema and faithful rules) accepts ``body``."""
    try:
        contract.validate_request(op, json.loads(json.dumps(body)), faithful=True)  # Refs as plain strings
    except MockAPIError as exc:
        return Drawn(body, False, f"{getattr(exc, 'param', None) or '<body>'}: {exc.message}")
    return Drawn(body, True)


def optional_fields(op: OperationSpec) -> dict[str, st.SearchStrategy[Any]]:
    """Strategies for the optional scalar fields of an operation's body that stand on their own."""
    schema = op.request_schema or {}
    required = set(schema.get("required", []))
    out = {}
    for name, sub in (schema.get("properties") or {}).items():
        if name in required or name in DEPENDENT or name in BASES.get(op.operation_id, {}):
            continue
        strategy = scalar_strategy(sub, schema)
        if strategy is not None:
            out[name] = strategy
    return out


def valid_bodies(contract: Contract, op: OperationSpec) -> st.SearchStrategy[Drawn]:
    """The minimal body plus any subset of the independent optional fields, classified by the contract."""
    base = base_body(op)
    extras = st.fixed_dictionaries({}, optional=optional_fields(op))
    return extras.map(lambda more: classify(contract, op, {**base, **more}))


def invalid_bodies(contract: Contract, op: OperationSpec) -> st.SearchStrategy[Drawn]:
    """A valid body broken one way: a required field dropped, an unknown field, a wrong type, a bound crossed."""
    base = base_body(op)
    schema = op.request_schema or {}
    props = schema.get("properties") or {}
    mutations: list[tuple[str, Any]] = [("unknown field", {**base, UNKNOWN_FIELD: 1})]
    for name in schema.get("required", []):
        mutations.append((f"without required {name}", {k: v for k, v in base.items() if k != name}))
    for name, sub in props.items():
        sub = _resolve(sub, schema)
        kind = sub.get("type")
        if kind in ("string", "integer", "number", "boolean", "array", "object"):
            wrong = {"string": 12345, "integer": "twelve", "number": "twelve", "boolean": "yes", "array": 7, "object": 7}[kind]
            mutations.append((f"{name} of the wrong type", {**base, name: wrong}))
        if kind in ("integer", "number") and "maximum" in sub:
            mutations.append((f"{name} above its maximum", {**base, name: sub["maximum"] + 1}))
    checked = [(label, classify(contract, op, body)) for label, body in mutations]
    invalid = [Drawn(d.body, False, f"{label} ({d.why})") for label, d in checked if not d.valid]
    return st.sampled_from(invalid) if invalid else st.nothing()


def encode(body: Any) -> bytes:
    """A body as the bytes sent."""
    return json.dumps(body, ensure_ascii=False).encode()


# -- multipart operations -------------------------------------------------------------------------
@dataclass(frozen=True)
class Form:
    """A multipart body: text fields and files (name -> (filename, bytes, content type))."""

    fields: tuple[tuple[str, str], ...]
    files: tuple[tuple[str, tuple[str, bytes, str]], ...]

    def without(self, name: str) -> "Form":
        """The same form without one field or file."""
        return Form(tuple(f for f in self.fields if f[0] != name), tuple(f for f in self.files if f[0] != name))


def tiny_wav(seconds: float = 0.2, rate: int = 16000) -> bytes:
    """A short silent mono 16-bit WAV."""
    import io
    import wave

    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * int(seconds * rate))
    return out.getvalue()


def tiny_png(size: int = 4) -> bytes:
    """A small square RGBA PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\0" + b"\x80\x80\x80\xff" * size for _ in range(size))
    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def tiny_skill_zip() -> bytes:
    """A zip holding one SKILL.md with the name and description a skill needs."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("verify-skill/SKILL.md", "---\nname: verify-skill\ndescription: Says hello.\n---\n\nSay hello.\n")
    return out.getvalue()


def multipart_base(op: OperationSpec) -> Form:
    """A minimal valid multipart body for an upload operation (ValueError for one the verifier cannot fill)."""
    wav, png = ("speech.wav", tiny_wav(), "audio/wav"), ("image.png", tiny_png(), "image/png")
    table: dict[str, Form] = {
        "createFile": Form((("purpose", "assistants"),), (("file", ("verify.jsonl", b'{"text": "hello"}\n', "application/jsonl")),)),
        "createTranscription": Form((("model", "whisper-1"),), (("file", wav),)),
        "createTranslation": Form((("model", "whisper-1"),), (("file", wav),)),
        "createImageEdit": Form((("prompt", "Add a hat."), ("model", "dall-e-2"), ("size", "256x256")), (("image", png),)),
        "createImageVariation": Form((("model", "dall-e-2"), ("size", "256x256")), (("image", png),)),
        "addUploadPart": Form((), (("data", ("part.bin", b"verify!!", "application/octet-stream")),)),
        "createContainerFile": Form((), (("file", ("notes.txt", b"verify\n", "text/plain")),)),
        "createSkill": Form((), (("files", ("skill.zip", tiny_skill_zip(), "application/zip")),)),
        "createSkillVersion": Form((), (("files", ("skill.zip", tiny_skill_zip(), "application/zip")),)),
        "createVideo": Form((("prompt", "A paper boat on a rainy street."),), ()),
        # These three name a video the server made before: a 4xx is an acceptable answer (STATE_DEPENDENT).
        "createVideoCharacter": Form((("name", "Boat"),), (("video", ("clip.mp4", b"\0\0\0\x18ftypmp42", "video/mp4")),)),
        "editVideo": Form((("prompt", "Make it sunny."), ("video", '{"id": "video_verify"}')), ()),
        "extendVideo": Form((("prompt", "Keep drifting."), ("seconds", "4"), ("video", '{"id": "video_verify"}')), ()),
        "createRealtimeCall": Form((("sdp", "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"),), ()),
    }
    if op.operation_id not in table:
        raise ValueError(f"no multipart body known for {op.operation_id}")
    return table[op.operation_id]


def invalid_forms(op: OperationSpec) -> st.SearchStrategy[Drawn]:
    """A valid form without one of its required parts (none for a form the verifier cannot fill)."""
    try:
        base = multipart_base(op)
    except ValueError:
        return st.nothing()
    required = (op.request_schema or {}).get("required", [])
    if not required:  # parts that are each optional but not all (a file or a file_id): drop them all
        emptied = Form((), ())
        return st.just(Drawn(emptied, False, "without any part")) if base.fields or base.files else st.nothing()
    broken = [Drawn(base.without(name), False, f"without required {name}") for name in required]
    return st.sampled_from(broken) if broken else st.nothing()

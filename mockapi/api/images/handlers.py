"""Images: generations, edits and variations (reference §11, seed-inventory E7–E9 and §2.12)."""

from __future__ import annotations

import base64
from typing import Any

from mockapi.core.determinism import digest
from mockapi.core.engine import Call, Engine
from mockapi.core.errors import InvalidRequestError
from mockapi.core.forms import Form, Upload, parse_form, typed_fields
from mockapi.core.results import Stream
from mockapi.core.tokenizer import count_tokens

from . import assets, png
from .events import stream_events
from .formats import picture
from .rules import MB, ImageModel, check_common, rules_for, size_of

_UPLOAD_LIMIT = 50 * MB  # the GPT image models' per-image limit; DALL·E 2's 4 MB is checked per model
_GPT_IMAGE_TYPES = {b"\x89PNG": "png", b"\xff\xd8\xff": "jpeg", b"RIFF": "webp"}
_REVISIONS = ("A richly detailed, high-resolution image of {}, with natural lighting and a balanced composition.",
              "A vivid digital illustration of {}, rendered with crisp detail and soft, cinematic light.",
              "A photorealistic scene showing {}, composed with depth and gentle contrast.")


def create_image(call: Call) -> dict[str, Any] | Stream:
    """``POST /v1/images/generations``."""
    model = rules_for(_image_model(call, "dall-e-2"))
    check_common(model, call.body)
    return _respond(call, model, size_of(model, call.body.get("size")), source="")


def create_image_edit(call: Call) -> dict[str, Any] | Stream:
    """``POST /v1/images/edits``: dall-e-2 (one square PNG with transparency) or a GPT image model."""
    form = _form(call)
    model = rules_for(_image_model(call, "dall-e-2"))
    if model.family == "dall-e-3":
        raise InvalidRequestError("dall-e-3 does not support image edits; use dall-e-2 or a GPT image model.",
                                  param="model", code="model_not_supported")
    check_common(model, call.body)
    images = form.files.get("image") or form.files.get("image[]") or []
    first = _check_images(model, images)
    mask = form.file("mask")
    if mask is not None:
        _check_mask(mask, first)
    elif model.family == "dall-e-2" and not first.has_alpha:
        raise InvalidRequestError(f"Invalid input image - format must be in ['RGBA', 'LA'], got {first.mode}: without "
                                  "a mask, the image's transparent areas mark what to edit.", param="image")
    size = call.body.get("size")
    dims = (first.width, first.height) if model.family == "gpt" and size in (None, "auto") else size_of(model, size)
    return _respond(call, model, dims, source=",".join(u.sha256 for u in images))


def create_image_variation(call: Call) -> dict[str, Any] | Stream:
    """``POST /v1/images/variations``: dall-e-2 only, from one square PNG under 4 MB."""
    form = _form(call)
    model = rules_for(_image_model(call, "dall-e-2"))
    if model.id != "dall-e-2":
        raise InvalidRequestError(f"Image variations are only supported for dall-e-2, not {model.id}.", param="model",
                                  code="model_not_supported")
    check_common(model, call.body)
    image = form.file("image")
    assert image is not None  # the contract requires `image`
    info = _png(image, "image", 4 * MB)
    if info.width != info.height:
        raise InvalidRequestError(f"Invalid input image - image must be square, got {info.width}x{info.height}.",
                                  param="image")
    return _respond(call, model, size_of(model, call.body.get("size")), source=image.sha256)


def _respond(call: Call, model: ImageModel, dims: tuple[int, int], source: str) -> dict[str, Any] | Stream:
    body = call.body
    created = call.clock.timestamp()
    width, height = dims
    n = body.get("n") or 1
    streaming = body.get("stream") in (True, "true")
    if streaming and model.legacy:
        raise InvalidRequestError(f"Streaming is only supported for the GPT image models, not {model.id}.", param="stream")
    as_url = model.legacy and (body.get("response_format") or "url") == "url"
    origin = assets.base_url(call.request.headers, call.settings.extra.get("public_url"))
    # The picture depends on what is drawn, not on how it is delivered: url and b64_json give the same bytes.
    subject = {k: v for k, v in body.items() if k not in ("response_format", "n", "user", "safety_identifier",
                                                          "stream", "partial_images")}
    fmt = "png" if model.legacy else (body.get("output_format") or "png")
    compression = body.get("output_compression")
    data, seeds = [], []
    for index in range(n):
        seed = digest(call.seed, call.op.operation_id, subject, "image", index, source)
        seeds.append(seed)
        item: dict[str, Any] = {}
        if streaming:
            continue
        if as_url:
            item["url"] = assets.image_url(origin, seed, width, height, created)
        else:
            item["b64_json"] = base64.b64encode(picture(seed, width, height, fmt, compression)).decode()
        if model.family == "dall-e-3":
            item["revised_prompt"] = call.rng("revised", index).choice(_REVISIONS).format(_subject(body["prompt"]))
        data.append(item)
    prompt_tokens = count_tokens(body.get("prompt") or "")
    call.charged_tokens = prompt_tokens
    result: dict[str, Any] = {"created": created, "data": data}
    if model.legacy:
        return result
    image_tokens = _output_tokens(width, height, body.get("quality")) * n
    meta = {"background": "transparent" if body.get("background") == "transparent" else "opaque",
            "output_format": fmt, "size": f"{width}x{height}",
            "quality": body.get("quality") if body.get("quality") not in (None, "auto") else "medium"}
    usage = {"input_tokens": prompt_tokens, "output_tokens": image_tokens, "total_tokens": prompt_tokens + image_tokens,
             "input_tokens_details": {"text_tokens": prompt_tokens, "image_tokens": 0}}
    if streaming:
        kind = "image_generation" if call.op.operation_id == "createImage" else "image_edit"
        return Stream(stream_events(kind, seeds, int(body.get("partial_images") or 0),
                                    lambda seed: picture(seed, width, height, fmt, compression), {**meta, "created_at": created}, usage),
                      dialect="images")
    result.update(meta)
    result["usage"] = {**usage, "output_tokens_details": {"image_tokens": image_tokens, "text_tokens": 0}}
    return result


def _subject(prompt: str) -> str:
    text = prompt.strip().rstrip(".")
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


def _output_tokens(width: int, height: int, quality: Any) -> int:
    per_megapixel = {"low": 260, "high": 4160}.get(quality, 1056)  # medium, as the pricing tables scale
    return max(16, int(per_megapixel * width * height / (1024 * 1024)))


def _image_model(call: Call, default: str) -> str:
    if not call.body.get("model"):
        call.body["model"] = default
    return call.model(kinds=("image",)).id


def _form(call: Call) -> Form:
    form = parse_form(call.request, _UPLOAD_LIMIT, lambda u: InvalidRequestError(
        f"Invalid input image - image must be less than 50 MB, got {u.size} bytes or more.", param="image",
        code="image_too_large"))
    body = typed_fields(form.fields, call.op.request_schema or {})
    for name, uploads in form.files.items():
        body[name.removesuffix("[]")] = [u.sha256 for u in uploads] if name.endswith("[]") else uploads[0].sha256
    call.body = body
    call.engine.contract.validate_request(call.op, body, faithful=call.faithful)
    return form


def _png(upload: Upload, param: str, limit: int) -> png.PNGInfo:
    info = png.read_header(upload.head)
    if info is None:
        raise InvalidRequestError(f"Invalid input {param} - format must be PNG.", param=param, code="invalid_image_format")
    if upload.size >= limit:
        raise InvalidRequestError(f"Invalid input {param} - {param} must be less than {limit // MB} MB.", param=param,
                                  code="image_too_large")
    return info


def _check_images(model: ImageModel, images: list[Upload]) -> png.PNGInfo:
    if model.family == "dall-e-2":
        if len(images) != 1:
            raise InvalidRequestError("dall-e-2 edits take exactly one image.", param="image")
        info = _png(images[0], "image", 4 * MB)
        if info.width != info.height:
            raise InvalidRequestError(f"Invalid input image - image must be square, got {info.width}x{info.height}.",
                                      param="image")
        return info
    if len(images) > 16:
        raise InvalidRequestError(f"At most 16 images can be edited at once, got {len(images)}.", param="image")
    for upload in images:
        if not any(upload.head.startswith(magic) for magic in _GPT_IMAGE_TYPES):
            raise InvalidRequestError("Invalid input image - format must be one of png, jpeg or webp.", param="image",
                                      code="invalid_image_format")
    return png.read_header(images[0].head) or png.PNGInfo(1024, 1024, "RGB")


def _check_mask(mask: Upload, image: png.PNGInfo) -> None:
    info = _png(mask, "mask", 4 * MB)
    if not info.has_alpha:
        raise InvalidRequestError(f"Invalid input mask - format must be in ['RGBA', 'LA'], got {info.mode}.", param="mask")
    if (info.width, info.height) != (image.width, image.height):
        raise InvalidRequestError(f"The mask ({info.width}x{info.height}) must have the same dimensions as the image "
                                  f"({image.width}x{image.height}).", param="mask")


def routes(engine: Engine) -> list[tuple[str, Any]]:
    """The asset route that serves ``url`` images."""
    return [(assets.PREFIX, assets.route(engine.clock.now))]


HANDLERS = {"createImage": create_image, "createImageEdit": create_image_edit,
            "createImageVariation": create_image_variation}

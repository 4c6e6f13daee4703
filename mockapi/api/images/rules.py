"""Per-model image rules (reference §11, seed-inventory E7–E9 and §2.12, the SDK's docstrings)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mockapi.core.errors import InvalidRequestError, InvalidValueError

MB = 1024 * 1024
_ARBITRARY = re.compile(r"^gpt-image-2(\.5)?(-|$)")  # models that take any WxH within limits
_GPT_QUALITIES = ("low", "medium", "high", "auto")
_WIDE_QUALITIES = _GPT_QUALITIES + ("xhigh", "max")


@dataclass(frozen=True)
class ImageModel:
    """What one image model accepts."""

    id: str
    family: str  # "dall-e-2" | "dall-e-3" | "gpt"
    sizes: tuple[str, ...]
    default_size: str
    max_n: int
    max_prompt: int
    qualities: tuple[str, ...]

    @property
    def legacy(self) -> bool:
        """DALL·E models: url or b64_json, no usage block."""
        return self.family != "gpt"


def rules_for(model_id: str) -> ImageModel:
    """The rules of ``model_id`` (an image model from the catalogue)."""
    if model_id == "dall-e-2":
        return ImageModel(model_id, "dall-e-2", ("256x256", "512x512", "1024x1024"), "1024x1024", 10, 1000,
                          ("standard", "auto"))
    if model_id == "dall-e-3":
        return ImageModel(model_id, "dall-e-3", ("1024x1024", "1792x1024", "1024x1792"), "1024x1024", 1, 4000,
                          ("standard", "hd", "auto"))
    qualities = _WIDE_QUALITIES if model_id.startswith("gpt-image-2.5") else _GPT_QUALITIES
    return ImageModel(model_id, "gpt", ("1024x1024", "1536x1024", "1024x1536", "auto"), "auto", 10, 32000, qualities)


def size_of(model: ImageModel, value: Any) -> tuple[int, int]:
    """The (width, height) a request asks for, or a 400 naming ``size``."""
    size = value or model.default_size
    if size == "auto":
        return 1024, 1024
    if size in model.sizes:
        w, h = size.split("x")
        return int(w), int(h)
    if _ARBITRARY.match(model.id) and isinstance(size, str) and re.fullmatch(r"\d{2,5}x\d{2,5}", size):
        w, h = (int(x) for x in size.split("x"))
        if w % 16 == 0 and h % 16 == 0 and 1 / 3 <= w / h <= 3 and max(w, h) <= 3840 and w * h <= 3840 * 2160:
            return w, h
        raise InvalidValueError(f"Invalid size '{size}': width and height must be multiples of 16, the aspect ratio "
                                "between 1:3 and 3:1, and at most 3840x2160.", param="size")
    listed = ", ".join(repr(s) for s in model.sizes)
    raise InvalidValueError(f"Invalid value: '{size}'. Supported values for {model.id} are: {listed}.", param="size")


def check_common(model: ImageModel, body: dict[str, Any]) -> None:
    """The rules shared by generations and edits: n, prompt length, quality, style and formats."""
    n = body.get("n") or 1
    if n > model.max_n:
        raise InvalidRequestError(f"Invalid 'n': integer above maximum value. Expected a value <= {model.max_n}, but got "
                                  f"{n} instead.", param="n", code="integer_above_max_value")
    prompt = body.get("prompt")
    if isinstance(prompt, str) and len(prompt) > model.max_prompt:
        raise InvalidRequestError(f"Invalid 'prompt': string too long. Expected a string with maximum length "
                                  f"{model.max_prompt}, but got a string with length {len(prompt)} instead.",
                                  param="prompt", code="string_above_max_length")
    quality = body.get("quality")
    if quality is not None and quality not in model.qualities:
        raise InvalidValueError(f"Invalid value: '{quality}'. Supported values for {model.id} are: "
                                f"{', '.join(repr(q) for q in model.qualities)}.", param="quality")
    if body.get("style") is not None and model.family != "dall-e-3":
        raise InvalidRequestError(f"style is only supported for dall-e-3, not {model.id}.", param="style")
    if model.legacy:
        for name in ("background", "output_format", "output_compression", "moderation", "partial_images", "input_fidelity"):
            if body.get(name) is not None:
                raise InvalidRequestError(f"{name} is only supported for the GPT image models, not {model.id}.", param=name)
        return
    if body.get("response_format") is not None:
        raise InvalidRequestError(f"response_format is not supported for {model.id}: GPT image models always return "
                                  "base64-encoded images.", param="response_format")
    compression = body.get("output_compression")
    if (body.get("output_format") or "png") == "png" and isinstance(compression, int) and compression < 100:
        # PNG is lossless: the real API refuses a lower compression for it (docs: output_compression is
        # "only supported for ... the webp or jpeg output formats"); 100, the default, is accepted.
        raise InvalidRequestError("Compression less than 100 is not supported for PNG output format.",
                                  param="output_compression")

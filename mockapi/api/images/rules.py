"""Per-model image rules (reference §11, seed-inventory E7–E9 and §2.12, the SDK's docstrings)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from mockapi.core.errors import (
    ImageGenerationUserError,
    InvalidRequestError,
    InvalidValueError,
    UnknownParameterError,
    out_of_range,
    supported_values,
)

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
    return ImageModel(model_id, "gpt", ("1024x1024", "1024x1536", "1536x1024", "auto"), "auto", 10, 32000, qualities)


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
    if model.family == "dall-e-3":
        # source: {"code": "invalid_size", "message": "The size is not supported by this model.", "param": null,
        # "type": "invalid_request_error"} for dall-e-3 at 256x256 (github.com/redevrx/chat_gpt_sdk/issues/93, 2024-01;
        # the same message in github.com/Zain-ul-din/whatsapp-ai-bot/issues/62 and tbxark/ChatGPT-Telegram-Workers#307, 2024-11)
        raise InvalidRequestError("The size is not supported by this model.", code="invalid_size")
    # source: "Invalid value: '1254x836'. Supported values are: '1024x1024', '1024x1536', '1536x1024', and 'auto'."
    # for gpt-image-1 (github.com/pollinations/pollinations/issues/5037, 2025-11); the dall-e-2 list the same way
    # (github.com/openai-php/client/issues/641, 2025-08)
    raise InvalidValueError(f"Invalid value: '{size}'. Supported values are: {supported_values(model.sizes)}.", param="size")


def check_common(model: ImageModel, body: dict[str, Any]) -> None:
    """The rules shared by generations and edits: n, prompt length, quality, style and formats."""
    n = body.get("n") or 1
    if n > model.max_n and model.family == "dall-e-3":
        # source: {'code': None, 'message': 'You must provide n=1 for this model.', 'param': None, 'type':
        # 'invalid_request_error'} for dall-e-3 with n=4 (the SDK's BadRequestError in alexweberk's write-up "Trying
        # OpenAI's APIs", 2023-11; the same refusal in github.com/HemulGM/DelphiOpenAI/issues/38)
        raise InvalidRequestError("You must provide n=1 for this model.")
    if n > model.max_n:
        # source: docs "n: Must be between 1 and 10"; the bound in the real server's generic wording for an integer
        # ("Invalid 'n': integer above maximum value. ...", github.com/thisisartium/continuous-alignment-testing/issues/25)
        raise out_of_range("n", n, model.max_n, below=False)
    prompt = body.get("prompt")
    if isinstance(prompt, str) and len(prompt) > model.max_prompt:
        # source: {'code': None, 'message': 'Prompt must be length 1000 or less. Your prompt length is 1192. Please
        # reduce your prompt length.', 'param': None, ...} (dall-e-2, github.com/griptape-ai/ComfyUI-Griptape/issues/164);
        # the documented 4000 (dall-e-3) and 32000 (GPT image) limits are given in the same words
        raise InvalidRequestError(f"Prompt must be length {model.max_prompt} or less. Your prompt length is "
                                  f"{len(prompt)}. Please reduce your prompt length.")
    quality = body.get("quality")
    if quality is not None and model.family == "dall-e-2":
        # source: {"message": "Unknown parameter: 'quality'.", "type": "invalid_request_error", "param": "quality",
        # "code": "unknown_parameter"} for dall-e-2, also with quality "standard" (github.com/fatihak/InkyPi/issues/158,
        # github.com/aurelio-labs/langchain-course/issues/22, github.com/Code-with-Beto/snapai/issues/6)
        raise UnknownParameterError("Unknown parameter: 'quality'.", param="quality")
    if quality is not None and quality not in model.qualities:
        # source: {"message": "Invalid value: 'standard'. Supported values are: 'low', 'medium', 'high', and 'auto'.",
        # "type": "invalid_request_error", "param": "quality", "code": "invalid_value"} for gpt-image-1
        # (github.com/griptape-ai/griptape-nodes-engine/issues/1031)
        raise InvalidValueError(f"Invalid value: '{quality}'. Supported values are: {supported_values(model.qualities)}.",
                                param="quality")
    if body.get("style") is not None and model.family != "dall-e-3":
        # source: {"message": "Unknown parameter: 'style'.", "type": "invalid_request_error", "param": "style", "code":
        # "unknown_parameter"} for gpt-image-1 (github.com/langchain4j/langchain4j/pull/3271) and dall-e-2
        # (github.com/JPhilipp/powerdalle/pull/9)
        raise UnknownParameterError("Unknown parameter: 'style'.", param="style")
    if model.legacy:
        for name in ("background", "output_format", "output_compression", "moderation", "partial_images", "input_fidelity"):
            if body.get(name) is not None:
                # source: "Unknown parameter: 'moderation'." for dall-e-3 (github.com/laravel/ai/issues/255); the
                # GPT-image-only parameters are unknown to the DALL·E models as 'style' and 'quality' are to dall-e-2
                raise UnknownParameterError(f"Unknown parameter: '{name}'.", param=name)
        return
    if body.get("response_format") is not None:
        # source: {"message": "Unknown parameter: 'response_format'.", "type": "invalid_request_error", "param":
        # "response_format", "code": "unknown_parameter"} for gpt-image-1 (github.com/vercel/ai/issues/6102, 2025-05),
        # gpt-image-1-mini (github.com/lofcz/LLMTornado/issues/155, 2026-02) and gpt-image-1.5
        # (github.com/GetfroggyHoe/universal-immersion-engine/issues/5, 2026-01)
        raise UnknownParameterError("Unknown parameter: 'response_format'.", param="response_format")
    compression = body.get("output_compression")
    if (body.get("output_format") or "png") == "png" and isinstance(compression, int) and compression < 100:
        # PNG is lossless: the real API refuses a lower compression for it (docs: output_compression is
        # "only supported for ... the webp or jpeg output formats"); 100, the default, is accepted.
        # source: "Compression less than 100 is not supported for PNG output format" (no final period), type
        # image_generation_user_error, code invalid_png_output_compression, as client code bases quote the real
        # answer (found by its exact words in public code; no issue thread to link); param null there
        raise ImageGenerationUserError("Compression less than 100 is not supported for PNG output format",
                                       code="invalid_png_output_compression")

"""Contract sources for Images: generation, edits and variations."""

from . import Operation

_MULTIPART = "multipart/form-data"

OPERATIONS = [
    Operation(
        "createImage", "POST", "/images/generations", "Create an image", "Images",
        request="openai.types.image_generate_params:ImageGenerateParamsBase",
        response="openai.types:ImagesResponse",
        stream_event="openai.types:ImageGenStreamEvent", stream_dialect="images",
    ),
    Operation(
        "createImageEdit", "POST", "/images/edits", "Edit an image", "Images",
        request="openai.types.image_edit_params:ImageEditParamsBase", request_content=_MULTIPART,
        response="openai.types:ImagesResponse",
        stream_event="openai.types:ImageEditStreamEvent", stream_dialect="images",
    ),
    Operation(
        "createImageVariation", "POST", "/images/variations", "Create image variations", "Images",
        request="openai.types.image_create_variation_params:ImageCreateVariationParams", request_content=_MULTIPART,
        response="openai.types:ImagesResponse",
    ),
]

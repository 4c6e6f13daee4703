"""Contract sources for Images: generation, edits and variations."""

from . import Operation

_MULTIPART = "multipart/form-data"
# An answer's `size` is the output's dimensions: never "auto", and never a DALL·E size (DALL·E answers carry no
# size). The free string is for gpt-image-2's custom sizes, which the first 3.x SDKs' closed Literal doesn't know:
# a made-up answer (level schema) echoes a requested size only when it is one of the listed ones (x-no-echo).
_SIZE = (("/properties/size", {"anyOf": [{"type": "string", "x-no-echo": True},
                                         {"enum": ["1024x1024", "1024x1536", "1536x1024"], "type": "string"},
                                         {"type": "null"}], "default": None, "title": "Size"}),)

OPERATIONS = [
    Operation(
        "createImage", "POST", "/images/generations", "Create an image", "Images",
        request="openai.types.image_generate_params:ImageGenerateParamsBase",
        response="openai.types:ImagesResponse", response_patches=_SIZE,
        stream_event="openai.types:ImageGenStreamEvent", stream_dialect="images",
    ),
    Operation(
        "createImageEdit", "POST", "/images/edits", "Edit an image", "Images",
        request="openai.types.image_edit_params:ImageEditParamsBase", request_content=_MULTIPART,
        response="openai.types:ImagesResponse", response_patches=_SIZE,
        stream_event="openai.types:ImageEditStreamEvent", stream_dialect="images",
    ),
    Operation(
        "createImageVariation", "POST", "/images/variations", "Create image variations", "Images",
        request="openai.types.image_create_variation_params:ImageCreateVariationParams", request_content=_MULTIPART,
        response="openai.types:ImagesResponse", response_patches=_SIZE,
    ),
]

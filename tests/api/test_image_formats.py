"""GPT image output formats (png, jpeg, webp with output_compression) and the Responses image_generation tool."""

from __future__ import annotations

import base64
import io

import openai
import pytest
from PIL import Image

pytestmark = pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")


def opened(b64: str) -> Image.Image:
    image = Image.open(io.BytesIO(base64.b64decode(b64)))
    image.load()  # decodes the whole file: a broken one fails here
    return image


@pytest.mark.parametrize("fmt,pil", [("png", "PNG"), ("jpeg", "JPEG"), ("webp", "WEBP")])
def test_generation_returns_the_asked_format_and_size(mock, fmt, pil):
    response = mock.client.images.generate(model="gpt-image-1", prompt="A lighthouse", size="1024x1536", output_format=fmt)
    image = opened(response.data[0].b64_json)
    assert (image.format, image.size) == (pil, (1024, 1536))
    assert response.output_format == fmt
    mock.validate("createImage", response)


@pytest.mark.parametrize("fmt", ["jpeg", "webp"])
def test_output_compression_shrinks_the_file(mock, fmt):
    def size(compression: int) -> int:
        item = mock.client.images.generate(model="gpt-image-1", prompt="A lighthouse at dusk", output_format=fmt,
                                           output_compression=compression).data[0]
        return len(base64.b64decode(item.b64_json))
    assert size(10) < size(95)


def test_png_refuses_lossy_compression_and_dalle_refuses_output_format(mock):
    with pytest.raises(openai.BadRequestError) as err:
        mock.client.images.generate(model="gpt-image-1", prompt="A cat", output_format="png", output_compression=50)
    # the real words (no final period), type and code, as client code bases quote them
    assert err.value.body == {"message": "Compression less than 100 is not supported for PNG output format",
                              "type": "image_generation_user_error", "param": None,
                              "code": "invalid_png_output_compression"}
    assert opened(mock.client.images.generate(model="gpt-image-1", prompt="A cat", output_compression=100).data[0].b64_json).format == "PNG"
    with pytest.raises(openai.BadRequestError) as err:
        mock.client.images.generate(model="dall-e-3", prompt="A cat", output_format="jpeg")
    assert (err.value.body["message"], err.value.body["param"]) == ("Unknown parameter: 'output_format'.", "output_format")


def test_streamed_partials_and_final_use_the_format(mock):
    events = list(mock.client.images.generate(model="gpt-image-1", prompt="A river", stream=True, partial_images=1,
                                              output_format="webp", output_compression=60, size="1536x1024"))
    assert [opened(e.b64_json).format for e in events] == ["WEBP", "WEBP"]
    assert opened(events[-1].b64_json).size == (1536, 1024) and events[-1].output_format == "webp"


def test_edit_honours_output_format(mock):
    source = io.BytesIO()
    Image.new("RGB", (256, 256), (10, 120, 200)).save(source, format="PNG")
    response = mock.client.images.edit(model="gpt-image-1", image=("in.png", source.getvalue(), "image/png"),
                                       prompt="Add a boat", output_format="jpeg", output_compression=80)
    assert opened(response.data[0].b64_json).format == "JPEG" and response.output_format == "jpeg"


def test_responses_image_generation_tool_returns_the_asked_size_and_format(mock):
    response = mock.client.responses.create(model="gpt-5", input="Draw a picture of a red fox",
                                            tools=[{"type": "image_generation", "size": "1024x1536", "output_format": "jpeg"}])
    call = next(i for i in response.output if i.type == "image_generation_call")
    image = opened(call.result)
    assert (image.format, image.size) == ("JPEG", (1024, 1536))
    assert (call.size, call.output_format) == ("1024x1536", "jpeg")


def test_responses_image_generation_streams_partial_images(mock):
    events = list(mock.client.responses.create(model="gpt-5", input="Draw a picture of a red fox", stream=True,
                                               tools=[{"type": "image_generation", "size": "1536x1024", "output_format": "webp",
                                                       "partial_images": 2}]))
    partials = [e for e in events if e.type == "response.image_generation_call.partial_image"]
    assert [e.partial_image_index for e in partials] == [0, 1]
    for event in partials:
        mock.validate("createResponse", event, stream=True)
    assert all(opened(e.partial_image_b64).size == (1536, 1024) for e in partials)
    kinds = [e.type for e in events]
    assert kinds.index("response.image_generation_call.generating") < kinds.index("response.image_generation_call.partial_image")
    assert kinds.index("response.image_generation_call.partial_image") < kinds.index("response.image_generation_call.completed")
    final = events[-1].response
    call = next(i for i in final.output if i.type == "image_generation_call")
    assert opened(call.result).format == "WEBP"

"""Images (§11): PNGs of the requested size, URLs the mock serves itself, per-model rules; both modes."""

from __future__ import annotations

import base64
import io

import openai
import pytest
from PIL import Image

pytestmark = pytest.mark.filterwarnings("ignore:deprecated:DeprecationWarning")  # DALL·E and variations are flagged


def fetch(mock, url: str):
    """GET a URL through the same way of reaching the mock (in-process transport or the live socket)."""
    return mock.client._client.get(url)


def decode(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()  # decodes every row: a broken PNG fails here
    assert image.format == "PNG"
    return image


def png_bytes(width: int, height: int, mode: str = "RGBA", color=(200, 30, 30, 0)) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (width, height), color[: len(mode)]).save(buffer, format="PNG")
    return buffer.getvalue()


def b64_image(item) -> Image.Image:
    return decode(base64.b64decode(item.b64_json))


# -- generations -------------------------------------------------------------------------------

@pytest.mark.parametrize("size", ["1024x1024", "1792x1024", "1024x1792"])
def test_dalle3_url_resolves_offline_to_a_png_of_the_size(mock, size):
    response = mock.client.images.generate(model="dall-e-3", prompt="A sunset over mountains", size=size, quality="hd",
                                           style="natural")
    (item,) = response.data
    assert item.url and item.b64_json is None and item.revised_prompt and "sunset over mountains" in item.revised_prompt
    got = fetch(mock, item.url)
    assert got.status_code == 200 and got.headers["content-type"] == "image/png"
    assert decode(got.content).size == tuple(int(x) for x in size.split("x"))
    assert mock.base_url.split("/v1")[0] in item.url  # served by the mock the client reached
    mock.validate("createImage", response)


def test_b64_json_is_the_same_png_as_the_url(mock):
    args = {"model": "dall-e-2", "prompt": "A red fox in snow", "size": "512x512"}
    as_url = mock.client.images.generate(**args).data[0]
    as_b64 = mock.client.images.generate(**args, response_format="b64_json").data[0]
    assert as_url.revised_prompt is None and as_b64.url is None
    assert base64.b64decode(as_b64.b64_json) == fetch(mock, as_url.url).content
    assert b64_image(as_b64).size == (512, 512)


def test_images_are_deterministic_per_prompt(mock):
    def picture(prompt: str) -> bytes:
        item = mock.client.images.generate(model="dall-e-2", prompt=prompt, size="256x256", response_format="b64_json").data[0]
        return base64.b64decode(item.b64_json)

    assert picture("A lighthouse") == picture("A lighthouse")
    assert picture("A lighthouse") != picture("A windmill")


def test_dalle2_n_images_differ(mock):
    response = mock.client.images.generate(model="dall-e-2", prompt="Clouds", n=3, size="256x256", response_format="b64_json")
    pictures = [base64.b64decode(d.b64_json) for d in response.data]
    assert len(set(pictures)) == 3 and all(decode(p).size == (256, 256) for p in pictures)


def test_default_model_is_dalle2(mock):
    response = mock.client.images.generate(prompt="A tree")
    assert decode(fetch(mock, response.data[0].url).content).size == (1024, 1024)
    assert response.data[0].revised_prompt is None


def test_gpt_image_models_always_return_b64_with_usage(mock):
    response = mock.client.images.generate(model="gpt-image-1.5", prompt="A cat", n=2, size="1536x1024", quality="high")
    assert all(d.url is None and d.revised_prompt is None for d in response.data)
    assert [b64_image(d).size for d in response.data] == [(1536, 1024)] * 2
    assert response.usage.total_tokens == response.usage.input_tokens + response.usage.output_tokens
    assert (response.size, response.quality, response.output_format) == ("1536x1024", "high", "png")
    mock.validate("createImage", response)


def test_gpt_image_2_takes_arbitrary_sizes(mock):
    item = mock.client.images.generate(model="gpt-image-2", prompt="A wide valley", size="1536x864").data[0]
    assert b64_image(item).size == (1536, 864)


def test_gpt_image_streaming_sends_partials_then_the_final_image(mock):
    stream = mock.client.images.generate(model="gpt-image-1.5", prompt="A river", stream=True, partial_images=2,
                                         size="1024x1536")
    events = list(stream)
    assert [e.type for e in events] == ["image_generation.partial_image"] * 2 + ["image_generation.completed"]
    assert [e.partial_image_index for e in events[:2]] == [0, 1]
    assert all(decode(base64.b64decode(e.b64_json)).size == (1024, 1536) for e in events)
    final = mock.client.images.generate(model="gpt-image-1.5", prompt="A river", size="1024x1536").data[0].b64_json
    assert events[-1].b64_json == final and events[-1].usage.total_tokens > 0
    for event in events:
        mock.validate("createImage", event, stream=True)


def test_gpt_image_edit_streaming(mock):
    stream = mock.client.images.edit(model="gpt-image-1.5", image=("in.png", png_bytes(32, 32, "RGB")), prompt="Add a moon",
                                     stream=True, partial_images=1)
    events = list(stream)
    assert [e.type for e in events] == ["image_edit.partial_image", "image_edit.completed"]
    for event in events:
        mock.validate("createImageEdit", event, stream=True)


def test_streaming_is_only_for_gpt_image_models(mock):
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.images.generate(model="dall-e-3", prompt="A river", stream=True)
    assert info.value.body["param"] == "stream"


def test_url_expires_after_an_hour(mock):
    url = mock.client.images.generate(model="dall-e-3", prompt="A boat").data[0].url
    assert fetch(mock, url).status_code == 200
    mock.engine.clock.advance(3601)
    assert fetch(mock, url).status_code == 403


def test_asset_route_rejects_unknown_paths(mock):
    url = mock.client.images.generate(model="dall-e-2", prompt="A boat", size="256x256").data[0].url
    assert fetch(mock, url.replace(".png", ".gif")).status_code == 404
    assert fetch(mock, url.replace("256x256", "9999x9999")).status_code == 404


@pytest.mark.parametrize(
    ("kwargs", "param"),
    [
        ({"model": "dall-e-3", "n": 2}, None),
        ({"model": "dall-e-2", "n": 11}, "n"),
        ({"model": "dall-e-2", "n": 0}, "n"),
        ({"model": "dall-e-2", "size": "1792x1024"}, "size"),
        ({"model": "dall-e-2", "style": "vivid"}, "style"),
        ({"model": "dall-e-2", "quality": "hd"}, "quality"),
        ({"model": "dall-e-3", "quality": "high"}, "quality"),
        ({"model": "dall-e-3", "style": "cartoon"}, "style"),
        ({"model": "dall-e-2", "prompt": "x" * 1001}, None),
        ({"model": "dall-e-3", "prompt": "x" * 4001}, None),
        ({"model": "dall-e-2", "response_format": "png"}, "response_format"),
        ({"model": "gpt-image-1.5", "response_format": "url"}, "response_format"),
        ({"model": "gpt-image-1.5", "size": "1792x1024"}, "size"),
        ({"model": "gpt-image-2", "size": "1000x1000"}, "size"),
        ({"model": "gpt-image-1.5", "quality": "hd"}, "quality"),
        ({"model": "dall-e-2", "background": "transparent"}, "background"),
        ({"model": "gpt-4o"}, "model"),
    ],
)
def test_generation_limits_give_400(mock, kwargs, param):
    args = {"prompt": "A quiet harbour", **kwargs}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.images.generate(**args)
    assert info.value.body["param"] == param


def test_size_errors_take_the_real_forms(mock):
    # dall-e-3: code invalid_size, param null (redevrx/chat_gpt_sdk#93); the GPT image models list the sizes
    # (pollinations/pollinations#5037).
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.images.generate(model="dall-e-3", prompt="A quiet harbour", size="256x256")
    assert info.value.body == {"message": "The size is not supported by this model.", "type": "invalid_request_error",
                               "param": None, "code": "invalid_size"}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.images.generate(model="gpt-image-1", prompt="A quiet harbour", size="1254x836")
    assert info.value.body["message"] == ("Invalid value: '1254x836'. Supported values are: '1024x1024', '1024x1536', "
                                          "'1536x1024', and 'auto'.")
    assert (info.value.body["param"], info.value.body["code"]) == ("size", "invalid_value")


@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        # alexweberk's "Trying OpenAI's APIs" (the SDK's BadRequestError for dall-e-3, n=4)
        ({"model": "dall-e-3", "n": 2},
         {"message": "You must provide n=1 for this model.", "param": None, "code": None}),
        # griptape-ai/ComfyUI-Griptape#164
        ({"model": "dall-e-2", "prompt": "x" * 1192},
         {"message": "Prompt must be length 1000 or less. Your prompt length is 1192. Please reduce your prompt length.",
          "param": None, "code": None}),
        # fatihak/InkyPi#158, Code-with-Beto/snapai#6 (quality "standard" too)
        ({"model": "dall-e-2", "quality": "standard"},
         {"message": "Unknown parameter: 'quality'.", "param": "quality", "code": "unknown_parameter"}),
        # griptape-ai/griptape-nodes-engine#1031
        ({"model": "gpt-image-1", "quality": "standard"},
         {"message": "Invalid value: 'standard'. Supported values are: 'low', 'medium', 'high', and 'auto'.",
          "param": "quality", "code": "invalid_value"}),
        # langchain4j/langchain4j#3271, JPhilipp/powerdalle#9
        ({"model": "gpt-image-1", "style": "vivid"},
         {"message": "Unknown parameter: 'style'.", "param": "style", "code": "unknown_parameter"}),
        ({"model": "dall-e-2", "style": "vivid"},
         {"message": "Unknown parameter: 'style'.", "param": "style", "code": "unknown_parameter"}),
        # laravel/ai#255
        ({"model": "dall-e-3", "moderation": "low"},
         {"message": "Unknown parameter: 'moderation'.", "param": "moderation", "code": "unknown_parameter"}),
    ],
)
def test_generation_refusals_are_the_real_400s(mock, kwargs, body):
    args = {"prompt": "A quiet harbour", **kwargs}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.images.generate(**args)
    assert info.value.body == {**body, "type": "invalid_request_error"}


# -- edits and variations ----------------------------------------------------------------------

def test_dalle2_edit_with_mask_returns_pngs_of_the_size(mock):
    response = mock.client.images.edit(model="dall-e-2", image=("in.png", png_bytes(64, 64)),
                                       mask=("mask.png", png_bytes(64, 64)), prompt="Add a hat", n=2, size="256x256",
                                       response_format="b64_json")
    assert [b64_image(d).size for d in response.data] == [(256, 256)] * 2
    mock.validate("createImageEdit", response)


def test_dalle2_edit_url(mock):
    response = mock.client.images.edit(model="dall-e-2", image=("in.png", png_bytes(32, 32)), prompt="Add a hat",
                                       size="512x512")
    assert decode(fetch(mock, response.data[0].url).content).size == (512, 512)


def test_edit_depends_on_the_image(mock):
    def edit(color) -> str:
        image = png_bytes(32, 32, color=color)
        return mock.client.images.edit(model="dall-e-2", image=("in.png", image), prompt="Add a hat", size="256x256",
                                       response_format="b64_json").data[0].b64_json

    assert edit((0, 0, 0, 0)) == edit((0, 0, 0, 0)) != edit((9, 9, 9, 0))


def test_gpt_image_edit_takes_several_images_and_keeps_the_first_size(mock):
    images = [("a.png", png_bytes(96, 64, "RGB")), ("b.png", png_bytes(32, 32, "RGB"))]
    response = mock.client.images.edit(model="gpt-image-1.5", image=images, prompt="Combine them")
    assert b64_image(response.data[0]).size == (96, 64) and response.usage
    mock.validate("createImageEdit", response)


@pytest.mark.parametrize(
    ("case", "param"),
    [
        ("not_square", "image"),
        ("not_png", "image"),
        ("no_alpha_no_mask", "image"),
        ("too_big", "image"),
        ("mask_size", "mask"),
        ("mask_not_png", "mask"),
        ("mask_no_alpha", "mask"),
        ("dalle3", "model"),
        ("bad_size", "size"),
        ("n_too_many", "n"),
        ("gpt_too_many_images", "image"),
        ("gpt_response_format", "response_format"),
    ],
)
def test_edit_limits_give_400(mock, case, param):
    args = {"model": "dall-e-2", "image": ("in.png", png_bytes(64, 64)), "prompt": "Add a hat"}
    changes = {
        "not_square": {"image": ("in.png", png_bytes(64, 32))},
        "not_png": {"image": ("in.png", b"GIF89a" + bytes(100))},
        "no_alpha_no_mask": {"image": ("in.png", png_bytes(64, 64, "RGB"))},
        "too_big": {"image": ("in.png", png_bytes(64, 64) + bytes(4 * 1024 * 1024))},
        "mask_size": {"mask": ("mask.png", png_bytes(32, 32))},
        "mask_not_png": {"mask": ("mask.png", b"\xff\xd8\xff" + bytes(100))},
        "mask_no_alpha": {"mask": ("mask.png", png_bytes(64, 64, "RGB"))},
        "dalle3": {"model": "dall-e-3"},
        "bad_size": {"size": "1536x1024"},
        "n_too_many": {"n": 11},
        "gpt_too_many_images": {"model": "gpt-image-1.5", "image": [("a.png", png_bytes(8, 8, "RGB"))] * 17},
        "gpt_response_format": {"model": "gpt-image-1.5", "response_format": "url"},
    }
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.images.edit(**{**args, **changes[case]})
    assert info.value.body["param"] == param


def test_variations(mock):
    response = mock.client.images.create_variation(model="dall-e-2", image=("in.png", png_bytes(48, 48, "RGB")), n=2,
                                                   size="256x256", response_format="b64_json")
    pictures = [b64_image(d) for d in response.data]
    assert [p.size for p in pictures] == [(256, 256)] * 2
    mock.validate("createImageVariation", response)
    as_url = mock.client.images.create_variation(image=("in.png", png_bytes(48, 48, "RGB")))
    assert decode(fetch(mock, as_url.data[0].url).content).size == (1024, 1024)


@pytest.mark.parametrize(
    ("changes", "param"),
    [
        ({"image": ("in.png", png_bytes(48, 32, "RGB"))}, "image"),
        ({"image": ("in.jpg", b"\xff\xd8\xff" + bytes(64))}, "image"),
        ({"image": ("in.png", png_bytes(8, 8, "RGB") + bytes(4 * 1024 * 1024))}, "image"),
        ({"model": "dall-e-3"}, "model"),
        ({"model": "gpt-image-1.5"}, "model"),
        ({"n": 11}, "n"),
        ({"size": "1792x1024"}, "size"),
    ],
)
def test_variation_limits_give_400(mock, changes, param):
    args = {"model": "dall-e-2", "image": ("in.png", png_bytes(48, 48, "RGB")), **changes}
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.images.create_variation(**args)
    assert info.value.body["param"] == param


async def test_async_generation(mock):
    response = await mock.async_client.images.generate(model="dall-e-3", prompt="A kite", response_format="b64_json")
    assert b64_image(response.data[0]).size == (1024, 1024)

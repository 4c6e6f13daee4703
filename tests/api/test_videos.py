"""Videos: the job's status machine on the mock clock, remix, and real decodable downloads."""

from __future__ import annotations

import io
import json
import re
import subprocess
import tempfile

import openai
import pytest
from openai.types import Video
from PIL import Image
from test_audio import needs_ffmpeg

pytestmark = pytest.mark.filterwarnings("ignore:The Sora API:DeprecationWarning")  # the SDK marks Sora deprecated
SLOW = {"x-mockapi-progress": "seconds:40"}


def probe_video(data: bytes) -> dict:
    """ffprobe's width, height, duration and codec of the first video stream; a decode error fails the test."""
    with tempfile.NamedTemporaryFile(suffix=".mp4") as f:
        f.write(data)
        f.flush()
        out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                              "stream=codec_name,width,height:format=duration,format_name", "-of", "json", f.name],
                             capture_output=True, text=True, check=True).stdout
        subprocess.run(["ffmpeg", "-v", "error", "-xerror", "-i", f.name, "-f", "null", "-"], check=True,
                       capture_output=True)
    info = json.loads(out)
    return {**info["format"], **info["streams"][0]}


def test_job_advances_with_the_clock(mock):
    video = mock.client.videos.create(prompt="A paper boat drifting down a rainy street", extra_headers=SLOW)
    assert re.fullmatch(r"video_[0-9a-f]{48}", video.id)
    assert (video.object, video.status, video.progress, video.model, video.seconds, video.size) == (
        "video", "queued", 0, "sora-2", "4", "720x1280")
    assert video.prompt.startswith("A paper boat") and video.completed_at is None
    mock.validate("createVideo", video)
    mock.engine.clock.advance(10)
    halfway = mock.client.videos.retrieve(video.id)
    assert (halfway.status, halfway.progress) == ("in_progress", 25)
    mock.engine.clock.advance(30)
    done = mock.client.videos.retrieve(video.id)
    assert (done.status, done.progress) == ("completed", 100)
    assert done.completed_at == video.created_at + 40 and done.expires_at == done.completed_at + 3600
    mock.validate("retrieveVideo", done)


def test_immediate_by_default_and_poll_helper(mock):
    video = mock.client.videos.create_and_poll(prompt="A fox in the snow", model="sora-2-pro", seconds="8",
                                               size="1792x1024")
    assert (video.status, video.model, video.seconds, video.size) == ("completed", "sora-2-pro", "8", "1792x1024")


@needs_ffmpeg
@pytest.mark.parametrize("seconds,size", [("4", "720x1280"), ("8", "1280x720")])
def test_download_decodes_at_the_asked_size_and_length(mock, seconds, size):
    video = mock.client.videos.create_and_poll(prompt="Waves at dusk", seconds=seconds, size=size)
    data = mock.client.videos.download_content(video.id).read()
    info = probe_video(data)
    width, height = (int(n) for n in size.split("x"))
    assert (info["codec_name"], info["width"], info["height"]) == ("mjpeg", width, height)
    assert "mp4" in info["format_name"] and float(info["duration"]) == pytest.approx(int(seconds), abs=0.01)
    assert mock.client.videos.download_content(video.id).read() == data  # deterministic bytes


def test_thumbnail_and_spritesheet_are_real_images(mock):
    video = mock.client.videos.create_and_poll(prompt="Waves at dusk", seconds="12", size="1280x720")
    thumb = mock.client.videos.with_raw_response.download_content(video.id, variant="thumbnail")
    assert thumb.headers["content-type"] == "image/webp"
    image = Image.open(io.BytesIO(thumb.content))
    assert (image.format, image.size) == ("WEBP", (1280, 720))
    sheet = Image.open(io.BytesIO(mock.client.videos.download_content(video.id, variant="spritesheet").read()))
    assert sheet.format == "JPEG" and sheet.size == (4 * 160, 3 * 90)  # one tile per second, four a row
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.videos.download_content(video.id, variant="gif")  # type: ignore[arg-type]
    assert info.value.body["param"] == "variant"


def test_download_before_completion_is_refused(mock):
    video = mock.client.videos.create(prompt="Slow", extra_headers=SLOW)
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.videos.download_content(video.id)
    assert info.value.body["code"] == "video_not_ready"


def test_remix_makes_a_new_video_from_a_completed_one(mock):
    source = mock.client.videos.create_and_poll(prompt="A red kite", seconds="8", size="1280x720")
    remix = mock.client.videos.remix(source.id, prompt="A blue kite")
    assert remix.id != source.id and remix.remixed_from_video_id == source.id
    assert (remix.prompt, remix.seconds, remix.size, remix.status) == ("A blue kite", "8", "1280x720", "queued")
    mock.validate("remixVideo", remix)
    pending = mock.client.videos.create(prompt="Pending", extra_headers=SLOW)
    with pytest.raises(openai.BadRequestError):
        mock.client.videos.remix(pending.id, prompt="too early")


def test_list_and_delete(mock):
    first = mock.client.videos.create(prompt="one")
    second = mock.client.videos.create(prompt="two")
    assert [v.id for v in mock.client.videos.list()] == [second.id, first.id]
    page = mock.client.videos.list(limit=1, order="asc")
    assert [v.id for v in page.data] == [first.id] and page.has_more
    mock.validate("listVideos", page)
    deleted = mock.client.videos.delete(first.id)
    assert (deleted.id, deleted.object, deleted.deleted) == (first.id, "video.deleted", True)
    with pytest.raises(openai.NotFoundError):
        mock.client.videos.retrieve(first.id)


def test_flagged_prompt_fails(mock):
    video = mock.client.videos.create_and_poll(prompt="graphic violence and gore")
    assert video.status == "failed" and video.error.code == "moderation_blocked"
    with pytest.raises(openai.BadRequestError):
        mock.client.videos.download_content(video.id)


def test_seconds_and_size_are_checked(mock):
    # source: the SDK's VideoSeconds ("4", "8", "12") and VideoSize types; sora-2 renders 720p sizes only
    # (https://platform.openai.com/docs/models/sora-2)
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.videos.create(prompt="x", seconds="10")  # type: ignore[arg-type]
    assert info.value.body["message"] == "Invalid value: '10'. Supported values are: '4', '8', and '12'."
    assert (info.value.body["param"], info.value.body["code"]) == ("seconds", "invalid_value")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.videos.create(prompt="x", size="1920x1080")  # type: ignore[arg-type]
    assert info.value.body["message"] == ("Invalid value: '1920x1080'. Supported values are: '720x1280', '1280x720', "
                                          "'1024x1792', and '1792x1024'.")
    assert (info.value.body["param"], info.value.body["code"]) == ("size", "invalid_value")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.videos.create(prompt="x", model="sora-2", size="1792x1024")
    assert info.value.body["message"] == "Invalid value: '1792x1024'. Supported values are: '720x1280' and '1280x720'."
    assert (info.value.body["param"], info.value.body["code"]) == ("size", "invalid_value")
    with pytest.raises(openai.BadRequestError) as info:
        mock.client.videos.create(prompt="x", extra_body={"fps": 30})
    assert info.value.body["message"] == "Unrecognized request argument supplied: fps"


def test_extend_edit_and_characters(mock):
    source = mock.client.videos.create_and_poll(prompt="A kite", seconds="4")
    # The SDK's extend()/edit() only upload files (a {"id": ...} reference fails in its multipart
    # encoder), so a reference to a completed video goes as JSON, which the API also takes.
    extended = mock.client.post("/videos/extensions", cast_to=Video,
                                body={"prompt": "and further", "seconds": "8", "video": {"id": source.id}})
    assert extended.seconds == "12" and extended.status == "queued"
    edited = mock.client.post("/videos/edits", cast_to=Video, body={"prompt": "in the rain", "video": {"id": source.id}})
    assert edited.seconds == "4" and edited.prompt == "in the rain"
    uploaded = mock.client.videos.edit(prompt="brighter", video=("clip.mp4", b"\x00\x00\x00\x18ftypisom"))
    assert (uploaded.model, uploaded.status) == ("sora-2", "queued")
    character = mock.client.videos.create_character(name="Kite", video=("kite.mp4", b"\x00\x00\x00\x18ftypisom"))
    assert character.id.startswith("char_") and character.name == "Kite"
    assert mock.client.videos.get_character(character.id).name == "Kite"

"""Videos: create, retrieve, list, delete, remix, edit, extend, characters and content downloads."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.errors import InvalidRequestError, InvalidValueError
from mockapi.core.progress import POLL_AFTER_MS
from mockapi.core.repo import Repo, public
from mockapi.core.results import Binary

from . import params, render, videos

_CREATE_FIELDS = {"prompt", "model", "seconds", "size", "input_reference"}


def _model(call: Call, req: params.VideoRequest) -> str:
    # The form's text fields become the call's body: the catalogue reads the model there, and the
    # request digest (ids, seeded choices) covers what was asked.
    call.body = {k: v for k, v in req.fields.items() if isinstance(v, (str, dict))}
    call.body["model"] = req.fields.get("model") or params.DEFAULT_MODEL
    return call.model(kinds=("video",)).id


def _polled(call: Call, video: dict[str, Any]) -> dict[str, Any]:
    call.response_headers["openai-poll-after-ms"] = POLL_AFTER_MS  # the SDK's poll() waits this long
    return public(video)


def create_video(call: Call) -> dict[str, Any]:
    """``POST /v1/videos`` (multipart, as the SDK sends it, or JSON)."""
    req = params.read(call.request)
    params.reject_unknown(req, _CREATE_FIELDS)
    prompt = params.prompt(req)
    model = _model(call, req)
    fields = {"prompt": prompt, "model": model, "seconds": params.seconds(req), "size": params.size(req, model)}
    return _polled(call, videos.create(Repo(call), call, fields))


def retrieve_video(call: Call) -> dict[str, Any]:
    """``GET /v1/videos/{video_id}``: each retrieve is a poll."""
    return _polled(call, videos.require(Repo(call), call.path_params["video_id"], polled=True))


def list_videos(call: Call) -> dict[str, Any]:
    """``GET /v1/videos``."""
    return videos.list_page(Repo(call), call.query)


def delete_video(call: Call) -> dict[str, Any]:
    """``DELETE /v1/videos/{video_id}``."""
    return videos.delete(Repo(call), call.path_params["video_id"])


def _derived(call: Call, source: dict[str, Any], prompt: str, seconds: str, **extra: Any) -> dict[str, Any]:
    fields = {"prompt": prompt, "model": source["model"], "seconds": seconds, "size": source["size"], **extra}
    return _polled(call, videos.create(Repo(call), call, fields))


def remix_video(call: Call) -> dict[str, Any]:
    """``POST /v1/videos/{video_id}/remix``: a new job from a completed one, with a new prompt."""
    source = videos.require_completed(Repo(call), call.path_params["video_id"])
    return _derived(call, source, call.body["prompt"], source["seconds"], remixed_from_video_id=source["id"])


def edit_video(call: Call) -> dict[str, Any]:
    """``POST /v1/videos/edits``: a new job editing a completed video (by id) or an uploaded one."""
    req = params.read(call.request)
    params.reject_unknown(req, {"prompt", "video"})
    prompt, source_id = params.prompt(req), params.reference_id(req, "video")
    if source_id is None:
        return _derived(call, {"model": params.DEFAULT_MODEL, "size": params.DEFAULT_SIZE}, prompt, params.DEFAULT_SECONDS)
    source = videos.require_completed(Repo(call), source_id, "video")
    return _derived(call, source, prompt, source["seconds"])


def extend_video(call: Call) -> dict[str, Any]:
    """``POST /v1/videos/extensions``: the source and ``seconds`` more; ``seconds`` is the stitched total."""
    req = params.read(call.request)
    params.reject_unknown(req, {"prompt", "video", "seconds"})
    more = params.seconds(req, default=None, allowed=params.EXTENSION_SECONDS)
    prompt, source_id = params.prompt(req), params.reference_id(req, "video")
    if source_id is None:
        source = {"model": params.DEFAULT_MODEL, "size": params.DEFAULT_SIZE, "seconds": "0"}
    else:
        source = videos.require_completed(Repo(call), source_id, "video")
    return _derived(call, source, prompt, str(int(source["seconds"]) + int(more)))


def create_video_character(call: Call) -> dict[str, Any]:
    """``POST /v1/videos/characters`` (multipart ``name`` and ``video``)."""
    req = params.read(call.request)
    params.reject_unknown(req, {"name", "video"})
    name = req.fields.get("name")
    if not name:
        raise InvalidRequestError("Missing required parameter: 'name'.", param="name", code="missing_required_parameter")
    if "video" not in req.uploads:
        raise InvalidRequestError("Missing required parameter: 'video'.", param="video", code="missing_required_parameter")
    return public(videos.new_character(Repo(call), call.id_digest(), name))


def get_video_character(call: Call) -> dict[str, Any]:
    """``GET /v1/videos/characters/{character_id}``."""
    return public(videos.character(Repo(call), call.path_params["character_id"]))


def download_video_content(call: Call) -> Binary:
    """``GET /v1/videos/{video_id}/content?variant=``: a real MP4, a WebP thumbnail or a JPEG spritesheet."""
    variant = call.query.get("variant") or "video"
    if variant not in render.MEDIA_TYPES:
        raise InvalidValueError(f"Invalid value: '{variant}'. Supported values are: 'video', 'thumbnail', and 'spritesheet'.",
                                param="variant")
    video = videos.require_completed(Repo(call), call.path_params["video_id"])
    data = render.asset(video, variant)
    return Binary([data], render.MEDIA_TYPES[variant], headers={"content-length": str(len(data))})


HANDLERS = {
    "createVideo": create_video, "retrieveVideo": retrieve_video, "listVideos": list_videos, "deleteVideo": delete_video,
    "remixVideo": remix_video, "editVideo": edit_video, "extendVideo": extend_video,
    "createVideoCharacter": create_video_character, "getVideoCharacter": get_video_character,
    "downloadVideoContent": download_video_content,
}

"""Video jobs: queued -> in_progress (with ``progress``) -> completed or failed, on the mock clock.

How fast a job moves is the project's progress rule (``x-mockapi-progress``: ``immediate``, the
default, finishes on the first poll; ``polls:N`` after N retrieves; ``seconds:T`` after T seconds of
the mock clock, ``progress`` growing with the time spent). A prompt the moderation lexicon flags
ends ``failed`` with ``moderation_blocked``, as the real service reports a blocked output.
"""

from __future__ import annotations

from typing import Any, Callable

from mockapi.core import progress
from mockapi.core.determinism import HEX, make_id
from mockapi.core.errors import InvalidRequestError, NotFoundError
from mockapi.core.pages import paginate
from mockapi.core.repo import Repo, public

from ..moderations.scores import classify

KIND = "video"
PREFIX = "video_"
ASSET_TTL = 3600  # source: https://platform.openai.com/docs/guides/video-generation (downloads stay available for an hour)
TERMINAL = ("completed", "failed")

# Called with (repo, video) when a video reaches ``completed`` or ``failed`` (webhooks listen here).
ON_FINISH: list[Callable[[Repo, dict[str, Any]], None]] = []


def new_id(identity: str) -> str:
    """A video id in the real shape: ``video_`` and 48 hex digits."""
    return make_id(PREFIX, "video", identity, length=48, alphabet=HEX)


def create(repo: Repo, call: Any, fields: dict[str, Any]) -> dict[str, Any]:
    """A new queued job; ``fields`` holds model, prompt, seconds, size (checked) and optionally remixed_from_video_id."""
    blocked = classify(fields["prompt"], False, call.rng("video-moderation"))["flagged"]
    obj = {"id": new_id(call.id_digest()), "object": "video", "created_at": repo.now(), "status": "queued",
           "model": fields["model"], "progress": 0, "prompt": fields["prompt"], "seconds": fields["seconds"],
           "size": fields["size"], "remixed_from_video_id": fields.get("remixed_from_video_id"),
           "completed_at": None, "expires_at": None, "error": None,
           "_rule": progress.rule_for(call), "_since": repo.clock.now(), "_outcome": "failed" if blocked else "completed"}
    return repo.put(KIND, obj)


def _share(rule: str, polls: int, since: float, now: float) -> float:
    kind, amount = progress.parse(rule)
    if kind == "polls":
        return polls / amount if amount else 1.0
    if kind == "seconds":
        return (now - since) / amount if amount else 1.0
    return 0.0


def advance(repo: Repo, video: dict[str, Any], polled: bool) -> dict[str, Any]:
    """Bring a job up to date: a poll counts toward ``polls:N``, the clock toward ``seconds:T``."""
    if video["status"] in TERMINAL or "_rule" not in video:
        return video
    with repo.lock(f"video:{video['id']}"):
        video = repo.get(KIND, video["id"]) or video
        if video["status"] in TERMINAL:
            return video
        polls = repo.counter(f"videopolls:{video['id']}", 1 if polled else 0)
        now = repo.clock.now()
        if progress.due(video["_rule"], polls, video["_since"], now):
            return _finish(repo, video)
        share = _share(video["_rule"], polls, video["_since"], now)
        if share > 0:
            video.update(status="in_progress", progress=max(video["progress"], min(99, int(share * 100))))
            repo.put(KIND, video)
        return video


def _finish(repo: Repo, video: dict[str, Any]) -> dict[str, Any]:
    now = repo.now()
    if video["_outcome"] == "failed":
        video.update(status="failed", error={"code": "moderation_blocked",
                                             "message": "Your request was blocked by our moderation system."})
    else:
        video.update(status="completed", progress=100, completed_at=now, expires_at=now + ASSET_TTL)
    repo.put(KIND, video)
    for listener in ON_FINISH:
        listener(repo, public(video))
    return video


def require(repo: Repo, video_id: str, *, polled: bool = False) -> dict[str, Any]:
    """A video of this tenant, up to date, or the real 404."""
    found = repo.get(KIND, video_id)
    if found is None:
        raise NotFoundError(f"No video found with id '{video_id}'.")  # the wording other objects' 404s use
    return advance(repo, found, polled)


def require_completed(repo: Repo, video_id: str, param: str | None = None) -> dict[str, Any]:
    """A completed video (remix, edit, extend and downloads need one)."""
    video = require(repo, video_id)
    if video["status"] != "completed":
        raise InvalidRequestError(f"Video '{video_id}' is not completed yet (status: {video['status']}); "
                                  "use GET /v1/videos/{video_id} to check its status.", param=param, code="video_not_ready")
    return video


def list_page(repo: Repo, query: dict[str, str]) -> dict[str, Any]:
    """``GET /videos``: newest first, every job brought up to date."""
    items = [public(advance(repo, v, False)) for v in repo.list(KIND)]
    return paginate(items, query, default_order="desc")


def delete(repo: Repo, video_id: str) -> dict[str, Any]:
    """``DELETE /videos/{id}``."""
    require(repo, video_id)
    repo.delete(KIND, video_id)
    return {"id": video_id, "object": "video.deleted", "deleted": True}


def new_character(repo: Repo, identity: str, name: str) -> dict[str, Any]:
    """A character made from an uploaded video (``POST /videos/characters``)."""
    obj = {"id": make_id("char_", "character", identity, length=32, alphabet=HEX), "created_at": repo.now(), "name": name}
    return repo.put("video_character", obj)


def character(repo: Repo, character_id: str) -> dict[str, Any]:
    """``GET /videos/characters/{id}``, or the real 404."""
    found = repo.get("video_character", character_id)
    if found is None:
        raise NotFoundError(f"No character found with id '{character_id}'.")
    return found

"""Contract sources for Videos (Sora): jobs, remix, edits, extensions, characters, content downloads."""

from __future__ import annotations

from . import Operation

_T = "openai.types"
_MULTIPART = "multipart/form-data"
_ID = "/videos/{video_id}"

OPERATIONS = [
    Operation("createVideo", "POST", "/videos", "Create a video job", "Videos",
              request=f"{_T}.video_create_params:VideoCreateParams", request_content=_MULTIPART,
              response=f"{_T}:Video", stateful=True),
    Operation("listVideos", "GET", "/videos", "List video jobs", "Videos", response=f"{_T}:Video", response_list=True,
              stateful=True, query=(("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
                                    ("after", {"type": "string"}), ("order", {"enum": ["asc", "desc"]}))),
    Operation("retrieveVideo", "GET", _ID, "Retrieve a video job", "Videos", response=f"{_T}:Video", stateful=True),
    Operation("deleteVideo", "DELETE", _ID, "Delete a video job", "Videos",
              response=f"{_T}:VideoDeleteResponse", stateful=True),
    Operation("remixVideo", "POST", _ID + "/remix", "Remix a completed video", "Videos",
              request=f"{_T}.video_remix_params:VideoRemixParams", response=f"{_T}:Video", stateful=True),
    Operation("downloadVideoContent", "GET", _ID + "/content", "Download a video or a preview asset", "Videos",
              response_content="application/octet-stream", stateful=True,
              query=(("variant", {"enum": ["video", "thumbnail", "spritesheet"]}),),
              extra={"response-media-types": {"video": "video/mp4", "thumbnail": "image/webp",
                                              "spritesheet": "image/jpeg"}}),
    Operation("editVideo", "POST", "/videos/edits", "Edit a completed video", "Videos",
              request=f"{_T}.video_edit_params:VideoEditParams", request_content=_MULTIPART,
              response=f"{_T}:Video", stateful=True),
    Operation("extendVideo", "POST", "/videos/extensions", "Extend a completed video", "Videos",
              request=f"{_T}.video_extend_params:VideoExtendParams", request_content=_MULTIPART,
              response=f"{_T}:Video", stateful=True),
    Operation("createVideoCharacter", "POST", "/videos/characters", "Create a character from a video", "Videos",
              request=f"{_T}.video_create_character_params:VideoCreateCharacterParams", request_content=_MULTIPART,
              response=f"{_T}:VideoCreateCharacterResponse", stateful=True),
    Operation("getVideoCharacter", "GET", "/videos/characters/{character_id}", "Retrieve a character", "Videos",
              response=f"{_T}:VideoGetCharacterResponse", stateful=True),
]

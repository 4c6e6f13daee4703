"""Contract sources for Containers (the code interpreter's sandboxes) and their files."""

from __future__ import annotations

from pydantic import BaseModel
from typing_extensions import Literal, TypedDict

from . import Operation

_T = "openai.types"
_C = "openai.types.containers"
_PAGE = (
    ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    ("after", {"type": "string"}),
    ("order", {"enum": ["asc", "desc"]}),
)


class ContainerFileForm(TypedDict, total=False):
    """``POST /containers/{id}/files``: a multipart upload (``file``), or a JSON body naming ``file_id``.

    The SDK sends JSON when only ``file_id`` is given; the handler reads either.
    """

    file: bytes
    file_id: str


class ContainerDeleted(BaseModel):
    """What ``DELETE /containers/{id}`` answers (the SDK discards it: its return type is None)."""

    id: str
    object: Literal["container.deleted"]
    deleted: bool


class ContainerFileDeleted(BaseModel):
    """What ``DELETE /containers/{id}/files/{file_id}`` answers (the SDK discards it too)."""

    id: str
    object: Literal["container.file.deleted"]
    deleted: bool


_ID = "/containers/{container_id}"
_FILE = _ID + "/files/{file_id}"
OPERATIONS = [
    Operation("createContainer", "POST", "/containers", "Create a container", "Containers",
              request=f"{_T}.container_create_params:ContainerCreateParams",
              response=f"{_T}:ContainerCreateResponse", stateful=True),
    Operation("listContainers", "GET", "/containers", "List containers", "Containers",
              response=f"{_T}:ContainerListResponse", response_list=True, stateful=True,
              query=_PAGE + (("name", {"type": "string"}),)),
    Operation("retrieveContainer", "GET", _ID, "Retrieve a container", "Containers",
              response=f"{_T}:ContainerRetrieveResponse", stateful=True),
    Operation("deleteContainer", "DELETE", _ID, "Delete a container", "Containers",
              response=f"{__name__}:ContainerDeleted", stateful=True),
    Operation("createContainerFile", "POST", _ID + "/files", "Add a file to a container", "Containers",
              request=f"{__name__}:ContainerFileForm", request_content="multipart/form-data",
              response=f"{_C}:FileCreateResponse", stateful=True),
    Operation("listContainerFiles", "GET", _ID + "/files", "List a container's files", "Containers",
              response=f"{_C}:FileListResponse", response_list=True, stateful=True, query=_PAGE),
    Operation("retrieveContainerFile", "GET", _FILE, "Retrieve a container file", "Containers",
              response=f"{_C}:FileRetrieveResponse", stateful=True),
    Operation("deleteContainerFile", "DELETE", _FILE, "Delete a container file", "Containers",
              response=f"{__name__}:ContainerFileDeleted", stateful=True),
    Operation("retrieveContainerFileContent", "GET", _FILE + "/content", "Download a container file's bytes", "Containers",
              response_content="application/octet-stream", stateful=True),
]

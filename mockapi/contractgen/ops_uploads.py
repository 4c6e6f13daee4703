"""Contract sources for Uploads: large files sent in parts, then completed into a File."""

from __future__ import annotations

from typing_extensions import Required, TypedDict

from . import Operation

_T = "openai.types"


class UploadPartForm(TypedDict, total=False):
    """The multipart form of ``POST /uploads/{upload_id}/parts``."""

    data: Required[bytes]


OPERATIONS = [
    Operation("createUpload", "POST", "/uploads", "Create an upload", "Uploads",
              request=f"{_T}.upload_create_params:UploadCreateParams", response=f"{_T}:Upload", stateful=True),
    Operation("addUploadPart", "POST", "/uploads/{upload_id}/parts", "Add a part to an upload", "Uploads",
              request=f"{__name__}:UploadPartForm", request_content="multipart/form-data",
              response=f"{_T}.uploads:UploadPart", stateful=True),
    Operation("completeUpload", "POST", "/uploads/{upload_id}/complete", "Complete an upload", "Uploads",
              request=f"{_T}.upload_complete_params:UploadCompleteParams", response=f"{_T}:Upload", stateful=True),
    Operation("cancelUpload", "POST", "/uploads/{upload_id}/cancel", "Cancel an upload", "Uploads",
              response=f"{_T}:Upload", stateful=True),
]

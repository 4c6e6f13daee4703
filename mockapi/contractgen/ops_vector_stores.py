"""Contract sources for Vector stores, their files, file batches and search."""

from __future__ import annotations

from typing import Dict, List, Optional, Union

from openai.types import VectorStoreSearchResponse
from openai.types.vector_stores import FileContentResponse
from pydantic import BaseModel
from typing_extensions import Literal, Required, TypedDict

from . import Operation

_T = "openai.types"
_V = "openai.types.vector_stores"
_PAGE = (
    ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    ("after", {"type": "string"}),
    ("before", {"type": "string"}),
    ("order", {"enum": ["asc", "desc"]}),
)
_FILTER = (("filter", {"enum": ["in_progress", "completed", "failed", "cancelled"]}),)


class FileAttributesBody(TypedDict, total=False):
    """The body of ``POST /vector_stores/{id}/files/{file_id}`` (the SDK's type also names the path id)."""

    attributes: Required[Optional[Dict[str, Union[str, float, bool]]]]


class SearchResultsPage(BaseModel):
    """The page ``POST /vector_stores/{id}/search`` answers with."""

    object: Literal["vector_store.search_results.page"]
    search_query: List[str]
    data: List[VectorStoreSearchResponse]
    has_more: bool
    next_page: Optional[str] = None


class FileContentPage(BaseModel):
    """The page ``GET /vector_stores/{id}/files/{file_id}/content`` answers with."""

    object: Literal["vector_store.file_content.page"]
    data: List[FileContentResponse]
    has_more: bool
    next_page: Optional[str] = None


_VS = "/vector_stores/{vector_store_id}"
OPERATIONS = [
    Operation("createVectorStore", "POST", "/vector_stores", "Create a vector store", "Vector stores",
              request=f"{_T}.vector_store_create_params:VectorStoreCreateParams", response=f"{_T}:VectorStore", stateful=True),
    Operation("listVectorStores", "GET", "/vector_stores", "List vector stores", "Vector stores",
              response=f"{_T}:VectorStore", response_list=True, stateful=True, query=_PAGE),
    Operation("getVectorStore", "GET", _VS, "Retrieve a vector store", "Vector stores", response=f"{_T}:VectorStore", stateful=True),
    Operation("modifyVectorStore", "POST", _VS, "Modify a vector store", "Vector stores",
              request=f"{_T}.vector_store_update_params:VectorStoreUpdateParams", response=f"{_T}:VectorStore", stateful=True),
    Operation("deleteVectorStore", "DELETE", _VS, "Delete a vector store", "Vector stores",
              response=f"{_T}:VectorStoreDeleted", stateful=True),
    Operation("searchVectorStore", "POST", f"{_VS}/search", "Search a vector store", "Vector stores",
              request=f"{_T}.vector_store_search_params:VectorStoreSearchParams",
              response=f"{__name__}:SearchResultsPage", stateful=True),
    Operation("createVectorStoreFile", "POST", f"{_VS}/files", "Attach a file to a vector store", "Vector stores",
              request=f"{_V}.file_create_params:FileCreateParams", response=f"{_V}:VectorStoreFile", stateful=True),
    Operation("listVectorStoreFiles", "GET", f"{_VS}/files", "List a vector store's files", "Vector stores",
              response=f"{_V}:VectorStoreFile", response_list=True, stateful=True, query=_PAGE + _FILTER),
    Operation("getVectorStoreFile", "GET", f"{_VS}/files/{{file_id}}", "Retrieve a vector store file", "Vector stores",
              response=f"{_V}:VectorStoreFile", stateful=True),
    Operation("updateVectorStoreFileAttributes", "POST", f"{_VS}/files/{{file_id}}", "Update a vector store file's attributes",
              "Vector stores", request=f"{__name__}:FileAttributesBody", response=f"{_V}:VectorStoreFile", stateful=True),
    Operation("deleteVectorStoreFile", "DELETE", f"{_VS}/files/{{file_id}}", "Detach a file from a vector store", "Vector stores",
              response=f"{_V}:VectorStoreFileDeleted", stateful=True),
    Operation("retrieveVectorStoreFileContent", "GET", f"{_VS}/files/{{file_id}}/content", "Read a vector store file's parsed content",
              "Vector stores", response=f"{__name__}:FileContentPage", stateful=True),
    Operation("createVectorStoreFileBatch", "POST", f"{_VS}/file_batches", "Attach files in a batch", "Vector stores",
              request=f"{_V}.file_batch_create_params:FileBatchCreateParams", response=f"{_V}:VectorStoreFileBatch", stateful=True),
    Operation("getVectorStoreFileBatch", "GET", f"{_VS}/file_batches/{{batch_id}}", "Retrieve a file batch", "Vector stores",
              response=f"{_V}:VectorStoreFileBatch", stateful=True),
    Operation("cancelVectorStoreFileBatch", "POST", f"{_VS}/file_batches/{{batch_id}}/cancel", "Cancel a file batch", "Vector stores",
              response=f"{_V}:VectorStoreFileBatch", stateful=True),
    Operation("listFilesInVectorStoreBatch", "GET", f"{_VS}/file_batches/{{batch_id}}/files", "List a batch's files", "Vector stores",
              response=f"{_V}:VectorStoreFile", response_list=True, stateful=True, query=_PAGE + _FILTER),
]

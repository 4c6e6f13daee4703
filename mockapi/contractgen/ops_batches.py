"""Contract sources for Batches (create from an uploaded JSONL file, retrieve, list, cancel)."""

from __future__ import annotations

from . import Operation

_T = "openai.types"
_PAGE = (
    ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    ("after", {"type": "string"}),
)

OPERATIONS = [
    Operation("createBatch", "POST", "/batches", "Create a batch", "Batch",
              request=f"{_T}.batch_create_params:BatchCreateParams", response=f"{_T}:Batch", stateful=True),
    Operation("listBatches", "GET", "/batches", "List batches", "Batch", response=f"{_T}:Batch", response_list=True,
              stateful=True, query=_PAGE),
    Operation("retrieveBatch", "GET", "/batches/{batch_id}", "Retrieve a batch", "Batch", response=f"{_T}:Batch", stateful=True),
    Operation("cancelBatch", "POST", "/batches/{batch_id}/cancel", "Cancel a batch", "Batch", response=f"{_T}:Batch",
              stateful=True),
]

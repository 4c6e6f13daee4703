"""Contract sources for Evals: evals, their runs and the runs' output items."""

from __future__ import annotations

from mockapi.core.sdk_shape import SERVER_NULL

from . import Operation

_T = "openai.types"
_R = "openai.types.evals"
_O = "openai.types.evals.runs"
_PAGE = (("after", {"type": "string"}), ("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
         ("order", {"enum": ["asc", "desc"]}))
_EVAL = "/evals/{eval_id}"
_RUN = f"{_EVAL}/runs/{{run_id}}"
# A run (and a sampled item) without an error says `"error": null` (the API reference's run and output item
# examples; a real completed run's dump shows `"error": None` too); the SDK's types make the error object
# required, so the null is the server's only (x-server-null): level schema answers the SDK's blank error.
_NULLABLE_ERROR = {"anyOf": [{"$ref": "#/$defs/EvalAPIError"}, {"type": "null", SERVER_NULL: True}]}
_RUN_ERROR = (("/properties/error", _NULLABLE_ERROR),)
_ITEM_ERROR = (("/$defs/Sample/properties/error", _NULLABLE_ERROR),)

OPERATIONS = [
    Operation("createEval", "POST", "/evals", "Create an eval", "Evals",
              request=f"{_T}.eval_create_params:EvalCreateParams", response=f"{_T}:EvalCreateResponse", stateful=True),
    Operation("listEvals", "GET", "/evals", "List evals", "Evals", response=f"{_T}:EvalListResponse", response_list=True,
              stateful=True, query=_PAGE + (("order_by", {"enum": ["created_at", "updated_at"]}),)),
    Operation("getEval", "GET", _EVAL, "Retrieve an eval", "Evals", response=f"{_T}:EvalRetrieveResponse", stateful=True),
    Operation("updateEval", "POST", _EVAL, "Update an eval", "Evals",
              request=f"{_T}.eval_update_params:EvalUpdateParams", response=f"{_T}:EvalUpdateResponse", stateful=True),
    Operation("deleteEval", "DELETE", _EVAL, "Delete an eval", "Evals", response=f"{_T}:EvalDeleteResponse", stateful=True),
    Operation("createEvalRun", "POST", f"{_EVAL}/runs", "Create an eval run", "Evals",
              request=f"{_R}.run_create_params:RunCreateParams", response=f"{_R}:RunCreateResponse", stateful=True,
              response_patches=_RUN_ERROR),
    Operation("getEvalRuns", "GET", f"{_EVAL}/runs", "List an eval's runs", "Evals", response=f"{_R}:RunListResponse",
              response_list=True, stateful=True, response_patches=(("/properties/data/items/properties/error", _NULLABLE_ERROR),),
              query=_PAGE + (("status", {"enum": ["queued", "in_progress", "completed", "canceled", "failed"]}),)),
    Operation("getEvalRun", "GET", _RUN, "Retrieve an eval run", "Evals", response=f"{_R}:RunRetrieveResponse", stateful=True,
              response_patches=_RUN_ERROR),
    Operation("cancelEvalRun", "POST", f"{_RUN}/cancel", "Cancel an eval run", "Evals", response=f"{_R}:RunCancelResponse",
              stateful=True, response_patches=_RUN_ERROR),
    Operation("deleteEvalRun", "DELETE", _RUN, "Delete an eval run", "Evals", response=f"{_R}:RunDeleteResponse", stateful=True),
    Operation("getEvalRunOutputItems", "GET", f"{_RUN}/output_items", "List a run's output items", "Evals",
              response=f"{_O}:OutputItemListResponse", response_list=True, stateful=True, response_patches=_ITEM_ERROR,
              query=_PAGE + (("status", {"enum": ["fail", "pass"]}),)),
    Operation("getEvalRunOutputItem", "GET", f"{_RUN}/output_items/{{output_item_id}}", "Retrieve a run's output item",
              "Evals", response=f"{_O}:OutputItemRetrieveResponse", stateful=True, response_patches=_ITEM_ERROR),
]

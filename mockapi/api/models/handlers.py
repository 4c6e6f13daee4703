"""Models: list, retrieve and delete, served from the catalogue."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.errors import ModelNotFoundError, PermissionDeniedError


def list_models(call: Call) -> dict[str, Any]:
    """``GET /v1/models``."""
    return {"object": "list", "data": [m.to_api() for m in call.catalog.all()]}


def retrieve_model(call: Call) -> dict[str, Any]:
    """``GET /v1/models/{model}``."""
    model_id = call.path_params["model"]
    model = call.catalog.find(model_id)
    if model is None:
        raise ModelNotFoundError(f"The model '{model_id}' does not exist", param="model")
    return model.to_api()


def delete_model(call: Call) -> dict[str, Any]:
    """``DELETE /v1/models/{model}``: only fine-tuned models may be deleted."""
    model_id = call.path_params["model"]
    model = call.catalog.find(model_id)
    if model is None:
        raise ModelNotFoundError(f"The model '{model_id}' does not exist", param="model")
    if not model_id.startswith("ft:"):
        raise PermissionDeniedError("You have insufficient permissions for this operation: only fine-tuned models can be deleted.")
    return {"id": model_id, "object": "model", "deleted": True}


HANDLERS = {"listModels": list_models, "retrieveModel": retrieve_model, "deleteModel": delete_model}

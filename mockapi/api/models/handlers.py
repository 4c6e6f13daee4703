"""Models: list, retrieve and delete, served from the catalogue."""

from __future__ import annotations

from typing import Any

from mockapi.core.engine import Call
from mockapi.core.errors import ModelNotFoundError, PermissionDeniedError
from mockapi.core.repo import Repo

from ..fine_tuning import tenant_models


def list_models(call: Call) -> dict[str, Any]:
    """``GET /v1/models``: the catalogue, then the models the tenant's fine-tuning jobs made."""
    return {"object": "list", "data": [m.to_api() for m in call.catalog.all()] + tenant_models.listed(Repo(call))}


def retrieve_model(call: Call) -> dict[str, Any]:
    """``GET /v1/models/{model}``."""
    model_id = call.path_params["model"]
    trained = tenant_models.find(Repo(call), model_id) if model_id.startswith("ft:") else None
    if trained is not None:  # one of the tenant's own fine-tuned models, as its listing shows it
        return trained
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
    tenant_models.delete(Repo(call), model_id)  # a model of the tenant's own jobs leaves its listing
    return {"id": model_id, "object": "model", "deleted": True}


HANDLERS = {"listModels": list_models, "retrieveModel": retrieve_model, "deleteModel": delete_model}

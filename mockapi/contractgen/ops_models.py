"""Contract sources for the Models resource."""

from . import Operation

OPERATIONS = [
    Operation("listModels", "GET", "/models", "List models", "Models", response="openai.types:Model", response_list=True),
    Operation("retrieveModel", "GET", "/models/{model}", "Retrieve a model", "Models", response="openai.types:Model"),
    Operation("deleteModel", "DELETE", "/models/{model}", "Delete a fine-tuned model", "Models", response="openai.types:ModelDeleted"),
]

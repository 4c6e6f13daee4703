"""Contract sources for Embeddings."""

from . import Operation

OPERATIONS = [
    Operation(
        "createEmbedding", "POST", "/embeddings", "Create embeddings", "Embeddings",
        request="openai.types.embedding_create_params:EmbeddingCreateParams",
        response="openai.types:CreateEmbeddingResponse",
    ),
]

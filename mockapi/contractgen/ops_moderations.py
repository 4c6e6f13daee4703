"""Contract sources for Moderations."""

from . import Operation

OPERATIONS = [
    Operation("createModeration", "POST", "/moderations", "Classify text and images for harm", "Moderations",
              request="openai.types.moderation_create_params:ModerationCreateParams",
              response="openai.types:ModerationCreateResponse"),
]

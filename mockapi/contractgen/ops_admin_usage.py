"""Contract sources for the Administration API: usage and costs."""

from __future__ import annotations

from .ops_admin import _O, _op

OPERATIONS = [
    _op("usageAudioSpeeches", "GET", "/organization/usage/audio_speeches",
        response=f"{_O}.usage_audio_speeches_response:UsageAudioSpeechesResponse",
        query=f"{_O}.usage_audio_speeches_params:UsageAudioSpeechesParams"),
    _op("usageAudioTranscriptions", "GET", "/organization/usage/audio_transcriptions",
        response=f"{_O}.usage_audio_transcriptions_response:UsageAudioTranscriptionsResponse",
        query=f"{_O}.usage_audio_transcriptions_params:UsageAudioTranscriptionsParams"),
    _op("usageCodeInterpreterSessions", "GET", "/organization/usage/code_interpreter_sessions",
        response=f"{_O}.usage_code_interpreter_sessions_response:UsageCodeInterpreterSessionsResponse",
        query=f"{_O}.usage_code_interpreter_sessions_params:UsageCodeInterpreterSessionsParams"),
    _op("usageCompletions", "GET", "/organization/usage/completions",
        response=f"{_O}.usage_completions_response:UsageCompletionsResponse",
        query=f"{_O}.usage_completions_params:UsageCompletionsParams"),
    _op("usageCosts", "GET", "/organization/costs",
        response=f"{_O}.usage_costs_response:UsageCostsResponse", query=f"{_O}.usage_costs_params:UsageCostsParams"),
    _op("usageDecisions", "GET", "/organization/usage/decisions",
        response=f"{_O}.usage_decisions_response:UsageDecisionsResponse",
        query=f"{_O}.usage_decisions_params:UsageDecisionsParams"),
    _op("usageEmbeddings", "GET", "/organization/usage/embeddings",
        response=f"{_O}.usage_embeddings_response:UsageEmbeddingsResponse",
        query=f"{_O}.usage_embeddings_params:UsageEmbeddingsParams"),
    _op("usageFileSearchCalls", "GET", "/organization/usage/file_search_calls",
        response=f"{_O}.usage_file_search_calls_response:UsageFileSearchCallsResponse",
        query=f"{_O}.usage_file_search_calls_params:UsageFileSearchCallsParams"),
    _op("usageImages", "GET", "/organization/usage/images",
        response=f"{_O}.usage_images_response:UsageImagesResponse",
        query=f"{_O}.usage_images_params:UsageImagesParams"),
    _op("usageModerations", "GET", "/organization/usage/moderations",
        response=f"{_O}.usage_moderations_response:UsageModerationsResponse",
        query=f"{_O}.usage_moderations_params:UsageModerationsParams"),
    _op("usageVectorStores", "GET", "/organization/usage/vector_stores",
        response=f"{_O}.usage_vector_stores_response:UsageVectorStoresResponse",
        query=f"{_O}.usage_vector_stores_params:UsageVectorStoresParams"),
    _op("usageWebSearchCalls", "GET", "/organization/usage/web_search_calls",
        response=f"{_O}.usage_web_search_calls_response:UsageWebSearchCallsResponse",
        query=f"{_O}.usage_web_search_calls_params:UsageWebSearchCallsParams"),
]

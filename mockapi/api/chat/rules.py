"""The real API's semantic rules for chat requests, applied at validation level ``faithful``.

The contract checks shapes and ranges; these rules need the request as a whole (tool-message
pairing, tool_choice against tools) or the model's capabilities (vision, tools, limits).
"""

from __future__ import annotations

import re

from mockapi.content.reasoning import check_effort, check_sampling
from mockapi.content.strict import first_violation, schema_context
from mockapi.core.catalog import ModelInfo
from mockapi.core.errors import (
    ContextLengthExceededError,
    InvalidRequestError,
    InvalidValueError,
    UnknownParameterError,
)

from . import prediction as predicted_outputs
from .request import ChatRequest, text_of


def check(request: ChatRequest, model: ModelInfo) -> None:
    """Raise the 400 the real API would give, or return when the request is acceptable."""
    body = request.body
    _check_roles(request, model)
    _check_parameter_combinations(request)
    _check_tool_pairing(request)
    _check_tool_choice(request)
    _check_strict_schemas(request)
    _check_capabilities(request, model)
    _check_model_parameters(request, model)
    _check_lengths(request, model)
    if (body.get("response_format") or {}).get("type") == "json_object":
        if not any("json" in text_of(m.get("content")).lower() for m in request.messages):
            # source: param "messages", code null (github.com/ultimatejimmy/xray.koplugin/issues/33,
            # github.com/meta-llama/PurpleLlama/issues/94)
            raise InvalidRequestError(
                "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
                param="messages")
    if body.get("prediction") is not None:
        predicted_outputs.check(request, model)


def _check_roles(request: ChatRequest, model: ModelInfo) -> None:
    """The message roles the model's catalogue entry refuses (``refused_roles``, cited in fixtures/models.yaml).

    source: o1-mini refuses ``system`` ("Unsupported value: 'messages[0].role' does not support 'system' with
    this model.", param messages[0].role, code unsupported_value: github.com/animalnots/BetterChatGPT-PLUS/issues/90,
    github.com/microsoft/agent-framework/issues/1077); o3 refuses ``function`` (github.com/TheR1D/shell_gpt/issues/717).
    """
    refused = model.extra.get("refused_roles") or ()
    for i, message in enumerate(request.messages):
        role = message.get("role")
        if role in refused:
            raise InvalidRequestError(f"Unsupported value: 'messages[{i}].role' does not support '{role}' with this model.",
                                      param=f"messages[{i}].role", code="unsupported_value")


def _check_parameter_combinations(request: ChatRequest) -> None:
    body = request.body
    if body.get("top_logprobs") is not None and not body.get("logprobs"):
        # uncited: the API reference says top_logprobs needs logprobs=true, but no public report quotes the
        # server's 400 for it (searched issues/pages for the wording and the situation); candidate to relax
        raise InvalidRequestError("'top_logprobs' is only allowed when 'logprobs' is true.", param="top_logprobs")
    if body.get("stream_options") is not None and not body.get("stream"):
        # source: param "stream_options", code null (github.com/BerriAI/litellm/issues/5803)
        raise InvalidRequestError("The 'stream_options' parameter is only allowed when 'stream' is enabled.", param="stream_options")
    if body.get("tool_choice") is not None and not body.get("tools"):
        # source: the wording in github.com/writer/writer-framework/pull/1013; every value ("none" too) is refused
        # without tools, checked against the real API in github.com/vllm-project/vllm/pull/40311; param
        # "tool_choice", code null as quoted in public client code
        raise InvalidRequestError("Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.", param="tool_choice")
    if body.get("parallel_tool_calls") is not None and not body.get("tools"):
        # source: param "parallel_tool_calls", code null (github.com/openai/swarm/issues/30,
        # github.com/openai/openai-openapi/pull/287)
        raise InvalidRequestError("Invalid value for 'parallel_tool_calls': 'parallel_tool_calls' is only allowed when 'tools' are specified.", param="parallel_tool_calls")
    if body.get("function_call") is not None and not body.get("functions"):
        # source: param "function_call", code null (github.com/PlexPt/chatgpt-java/issues/150,
        # github.com/Azure-Samples/azure-search-openai-demo/pull/1175)
        raise InvalidRequestError("Invalid value for 'function_call': 'function_call' is only allowed when 'functions' are specified.", param="function_call")
    if body.get("tools") and body.get("functions"):
        # source: the 400 quoted in github.com/microsoft/autogen/issues/3285 (param null, code null)
        raise InvalidRequestError("Invalid request: 'functions' and 'tools' cannot both be provided. "
                                  "'functions' are deprecated; use the 'tools' parameter instead.")
    # Two tools with one name are accepted: the real API sends both to the model (github.com/openai/
    # openai-agents-python/issues/4116; "It works with OpenAI models" where Anthropic refuses them,
    # github.com/eclipse-theia/theia/issues/16122), so the mock no longer refuses them.


def _check_tool_pairing(request: ChatRequest) -> None:
    pending: dict[str, int] = {}
    for i, message in enumerate(request.messages):
        role = message.get("role")
        if role == "tool":
            call_id = message.get("tool_call_id")
            if call_id not in pending:
                # source: the real typo "preceeding", param "messages.[4].role" (the path with a dot before the
                # index), code null (github.com/smarter-sh/smarter/issues/264, github.com/miurla/morphic/issues/136;
                # a duplicate tool answer gets it too: langchain-ai/langchain docs/docs/troubleshooting/errors/
                # INVALID_TOOL_RESULTS.ipynb)
                raise InvalidRequestError(
                    "Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.",
                    param=f"messages.[{i}].role")
            del pending[call_id]
            continue
        if pending:
            # source: a message other than a tool answer where answers are due: param "messages.[3].role" (the
            # interrupting message), code null (a real body quoted in public agent notes; wording as below)
            raise InvalidRequestError(
                "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "
                f"The following tool_call_ids did not have response messages: {', '.join(pending)}",
                param=f"messages.[{i}].role")
        if role == "assistant":
            for call in message.get("tool_calls") or []:
                pending[call.get("id")] = i
    if pending:
        # source: answers missing at the end of the messages: param "messages", code null (langchain-ai/langchain
        # docs/docs/troubleshooting/errors/INVALID_TOOL_RESULTS.ipynb, github.com/aliasrobotics/cai/issues/111)
        raise InvalidRequestError(
            "An assistant message with 'tool_calls' must be followed by tool messages responding to each 'tool_call_id'. "
            f"The following tool_call_ids did not have response messages: {', '.join(pending)}",
            param="messages")


def _check_tool_choice(request: ChatRequest) -> None:
    choice = request.tool_choice()
    if choice in ("none", "auto", "required", None):
        return
    if choice not in [t.name for t in request.tools]:
        # Kept without a citation: forcing a function that is not among the tools cannot be answered. The
        # wording is not quoted in any public report we found (searched issues for it and for the situation).
        param = "function_call" if request.legacy_functions else "tool_choice"
        raise InvalidValueError(
            f"Invalid value for '{param}': no function named '{choice}' was specified in the '{'functions' if request.legacy_functions else 'tools'}' parameter.",
            param=param)


def _check_strict_schemas(request: ChatRequest) -> None:
    key = "functions" if request.legacy_functions else "tools"
    for i, tool in enumerate(request.tools):
        if tool.strict and tool.kind == "function":
            base = f"{key}[{i}].function.parameters"
            found = first_violation(tool.parameters or {"type": "object", "properties": {}, "required": [], "additionalProperties": False}, base)
            if found is not None:
                path, message = found
                # context as a tuple of keys below the schema root, like response_format's (see schema_context)
                raise InvalidRequestError(f"Invalid schema for function '{tool.name}': In context={schema_context(path, base)}, {message}.",
                                          param=base, code="invalid_function_parameters")
    fmt = request.body.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        spec = fmt.get("json_schema") or {}
        if spec.get("strict"):
            base = "response_format.json_schema.schema"
            found = first_violation(spec.get("schema"), base)
            if found is not None:
                path, message = found
                # source: param response_format, code null (github.com/dottxt-ai/outlines/issues/1666; the same body
                # for 'required' and $ref violations in public client notes)
                raise InvalidRequestError(f"Invalid schema for response_format '{spec.get('name')}': "
                                          f"In context={schema_context(path, base)}, {message}.", param="response_format")


def _check_capabilities(request: ChatRequest, model: ModelInfo) -> None:
    if request.tools and not model.tools:
        # source: "Unsupported parameter: 'function_call' is not supported with this model.", param function_call,
        # code unsupported_parameter on o1-preview (github.com/Integuru-AI/Integuru/issues/5); the 'tools' form is
        # quoted as OpenAI's in public client code ("Unsupported parameter: 'tools' is not supported with this model.")
        key = "functions" if request.legacy_functions else "tools"
        raise InvalidRequestError(f"Unsupported parameter: '{key}' is not supported with this model.", param=key,
                                  code="unsupported_parameter")
    images = request.images()
    if images and not model.vision:
        # source: param "messages.[1].content.[1].type", code null (github.com/browser-use/web-ui/issues/274;
        # on gpt-3.5: github.com/vllm-project/vllm/issues/11629)
        i, j = (int(n) for n in re.findall(r"\d+", images[0][0])[:2])
        raise InvalidRequestError("Invalid content type. image_url is only supported by certain models.",
                                  param=f"messages.[{i}].content.[{j}].type")
    fmt = (request.body.get("response_format") or {}).get("type")
    if fmt in ("json_object", "json_schema") and not model.json_mode:
        # source: {"message": "Invalid parameter: 'response_format' of type 'json_object' is not supported with this
        # model.", "type": "invalid_request_error", "param": "response_format", "code": null} on gpt-4 (quoted in
        # public client code, e.g. getzep/graphiti notes)
        raise InvalidRequestError(f"Invalid parameter: 'response_format' of type '{fmt}' is not supported with this model.",
                                  param="response_format")


def _check_model_parameters(request: ChatRequest, model: ModelInfo) -> None:
    """What the model's catalogue entry allows: effort values, sampling while reasoning, max_tokens, web search."""
    body = request.body
    check_effort(model, body.get("reasoning_effort"), "reasoning_effort")
    if model.reasoning and body.get("max_tokens") is not None:
        # source: observed on o1, o3-mini, gpt-5, gpt-5.1, gpt-5.2 (github.com/teilomillet/gollm/issues/33,
        # github.com/griptape-ai/ComfyUI-Griptape/issues/312, github.com/fish2018/YPrompt/issues/26)
        raise InvalidRequestError("Unsupported parameter: 'max_tokens' is not supported with this model. "
                                  "Use 'max_completion_tokens' instead.", param="max_tokens", code="unsupported_parameter")
    if model.reasoning and "max_tokens" in body and body["max_tokens"] is None:
        # A null is no way out: "Invalid type for 'max_tokens': expected an unsupported value, but got null instead."
        # on o3-mini (github.com/cosmocode/dokuwiki-plugin-aichat/issues/34).
        raise InvalidRequestError("Invalid type for 'max_tokens': expected an unsupported value, but got null instead.",
                                  param="max_tokens", code="invalid_type")
    check_sampling(model, body, body.get("reasoning_effort"), chat=True)
    if body.get("web_search_options") is not None and not model.search:
        # Only the search models take it, and the real wording differs by family. Reasoning models:
        # observed on gpt-5 and o4-mini (github.com/pydantic/pydantic-ai/issues/2822,
        # github.com/BerriAI/litellm/issues/12311). Others: the 400 quoted for gpt-4o in
        # github.com/cpbotha/obsidian-ai-chat-as-md/issues/5.
        if model.reasoning:
            raise UnknownParameterError("Unknown parameter: 'web_search_options'.", param="web_search_options")
        raise InvalidRequestError("Web search options not supported with this model.", param="web_search_options")


def _check_lengths(request: ChatRequest, model: ModelInfo) -> None:
    body = request.body
    for param in ("max_tokens", "max_completion_tokens"):
        value = body.get(param)
        if value is not None and value > model.max_output_tokens:
            # source: param "max_tokens", code null (github.com/ChatGPTNextWeb/NextChat/issues/3195,
            # github.com/algorithmicsuperintelligence/optillm/issues/4)
            raise InvalidRequestError(
                f"{param} is too large: {value}. This model supports at most {model.max_output_tokens} completion tokens, whereas you provided {value}.",
                param=param)
    prompt = request.prompt_tokens()
    if prompt > model.context_window:
        # source: param "messages", code context_length_exceeded (github.com/biu9/cc98-summary/issues/2,
        # github.com/chathub-dev/chathub/issues/126)
        raise ContextLengthExceededError(
            f"This model's maximum context length is {model.context_window} tokens. However, your messages resulted in {prompt} tokens. "
            "Please reduce the length of the messages.", param="messages")
    asked = body.get("max_completion_tokens") or body.get("max_tokens")
    if asked and prompt + asked > model.context_window:
        # source: github.com/ChatGPTNextWeb/NextChat/issues/3195 (param "messages", code context_length_exceeded)
        raise ContextLengthExceededError(
            f"This model's maximum context length is {model.context_window} tokens. However, you requested {prompt + asked} tokens "
            f"({prompt} in the messages, {asked} in the completion). Please reduce the length of the messages or completion.",
            param="messages")

"""Tool search: deferred functions and namespaces, loaded by a ``tool_search`` tool before they are called."""

from __future__ import annotations

import json

ETA = {"type": "function", "name": "get_shipping_eta", "description": "Look up a shipment ETA by tracking number.",
       "defer_loading": True, "parameters": {"type": "object", "properties": {"tracking_number": {"type": "string"}},
                                             "required": ["tracking_number"], "additionalProperties": False}}
CREDIT = {"type": "function", "name": "get_shipping_credit_balance", "defer_loading": True,
          "description": "Look up the available shipping credit balance for a customer.",
          "parameters": {"type": "object", "properties": {"customer_id": {"type": "string"}}, "required": ["customer_id"]}}
CRM = {"type": "namespace", "name": "crm", "description": "CRM tools for customer lookups.", "tools": [
    {"type": "function", "name": "list_open_orders", "description": "List open orders for a customer.", "defer_loading": True,
     "parameters": {"type": "object", "properties": {"customer_id": {"type": "string"}}, "required": ["customer_id"]}}]}
ASK_ETA = "Can you get my ETA for tracking number ZX-123?"


def _create(mock, **body):
    """Create a response and check it against the contract."""
    response = mock.client.responses.create(model="gpt-5.6-sol", **body)
    mock.validate("createResponse", response)
    return response


def test_a_deferred_function_is_searched_for_then_called_in_one_response(mock):
    done = _create(mock, input=ASK_ETA, tools=[ETA, CREDIT, {"type": "tool_search"}])
    search, output, call = done.output
    assert search.type == "tool_search_call" and search.execution == "server" and search.arguments == {"paths": ["get_shipping_eta"]}
    assert output.type == "tool_search_output" and [t.name for t in output.tools] == ["get_shipping_eta"]
    assert call.type == "function_call" and call.name == "get_shipping_eta" and json.loads(call.arguments) == {"tracking_number": "ZX-123"}
    assert call.namespace == "get_shipping_eta"  # a deferred top-level function is called in a namespace of its name


def test_a_loaded_tool_is_not_searched_for_again(mock):
    first = _create(mock, input=ASK_ETA, tools=[ETA, {"type": "tool_search"}])
    call = first.output[-1]
    answered = _create(mock, previous_response_id=first.id, tools=[ETA, {"type": "tool_search"}],
                       input=[{"type": "function_call_output", "call_id": call.call_id, "output": "Friday"}])
    assert [o.type for o in answered.output] == ["message"]
    again = _create(mock, previous_response_id=answered.id, tools=[ETA, {"type": "tool_search"}],
                    input="And the ETA for tracking number QX-987?")
    assert [o.type for o in again.output] == ["function_call"]  # loaded earlier in the chain


def test_a_namespace_loads_whole_and_its_functions_are_called_under_it(mock):
    done = _create(mock, input="Look up customer_42 and list their open orders.", tools=[CRM, {"type": "tool_search"}])
    search, output, call = done.output
    assert search.arguments == {"paths": ["crm"]} and output.tools[0].type == "namespace" and output.tools[0].name == "crm"
    assert (call.name, call.namespace, json.loads(call.arguments)) == ("list_open_orders", "crm", {"customer_id": "customer_42"})


def test_a_client_executed_search_ends_the_turn_and_its_output_loads_the_tool(mock):
    tools = [ETA, {"type": "tool_search", "execution": "client", "description": "Find tools",
                   "parameters": {"type": "object", "properties": {"paths": {"type": "array", "items": {"type": "string"}}}}}]
    first = _create(mock, input=ASK_ETA, tools=tools)
    (search,) = first.output
    assert search.type == "tool_search_call" and search.execution == "client" and search.call_id
    loaded = _create(mock, previous_response_id=first.id, tools=tools, input=[
        {"type": "tool_search_output", "call_id": search.call_id, "execution": "client", "status": "completed", "tools": [ETA]}])
    assert [o.type for o in loaded.output] == ["function_call"] and loaded.output[0].name == "get_shipping_eta"


def test_without_a_tool_search_tool_a_deferred_function_is_called_directly(mock):
    done = _create(mock, input=ASK_ETA, tools=[ETA])
    assert [o.type for o in done.output] == ["function_call"]


def test_the_search_items_stream(mock):
    with mock.client.responses.stream(model="gpt-5.6-sol", input=ASK_ETA, tools=[ETA, {"type": "tool_search"}]) as stream:
        added = [e.item.type for e in stream if e.type == "response.output_item.added"]
        final = stream.get_final_response()
    assert added == ["tool_search_call", "tool_search_output", "function_call"]
    assert [o.type for o in final.output] == added

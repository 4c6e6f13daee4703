"""Run by the 1.x openai SDK (in its own virtualenv) against a live mock; prints what it saw as JSON.

Usage: python sdk1_responses_script.py BASE_URL API_KEY
"""

import asyncio
import json
import sys

import openai

client = openai.OpenAI(base_url=sys.argv[1], api_key=sys.argv[2], max_retries=0)
out = {"version": openai.__version__, "bodies": [], "events": []}

r1 = client.responses.create(model="gpt-4o", input="My name is Alice and I work as a software engineer.")
r2 = client.responses.create(model="gpt-4o", input="What's my occupation?", previous_response_id=r1.id)
out["bodies"] += [r1.model_dump(mode="json", exclude_unset=True), r2.model_dump(mode="json", exclude_unset=True)]
out["occupation"] = r2.output_text

weather = {"type": "function", "name": "get_weather", "strict": True,
           "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"],
                          "additionalProperties": False}}
call = client.responses.create(model="gpt-4o", input="What's the weather in Paris?", tools=[weather])
follow = client.responses.create(model="gpt-4o", previous_response_id=call.id, tools=[weather],
                                 input=[{"type": "function_call_output", "call_id": call.output[0].call_id, "output": "sunny"}])
out["call"] = {"type": call.output[0].type, "id": call.output[0].id, "call_id": call.output[0].call_id}
out["follow"] = follow.output_text

for event in client.responses.create(model="gpt-4o", input="Write a haiku.", stream=True):
    out["events"].append(event.model_dump(mode="json", exclude_unset=True))
with client.responses.stream(model="gpt-4o", input="Write a haiku.") as stream:
    out["helper_text"] = stream.get_final_response().output_text

try:
    client.responses.create(model="gpt-4o", input="hi", previous_response_id="resp_missing")
except openai.BadRequestError as exc:
    out["missing"] = exc.status_code


async def run_async() -> None:
    aclient = openai.AsyncOpenAI(base_url=sys.argv[1], api_key=sys.argv[2], max_retries=0)
    first = await aclient.responses.create(model="gpt-4o", input="My name is Alice and I work as a software engineer.")
    stream = await aclient.responses.create(model="gpt-4o", input="What's my occupation?", previous_response_id=first.id, stream=True)
    events = [event async for event in stream]
    out["async_types"] = [e.type for e in events]
    out["async_text"] = events[-1].response.output_text


asyncio.run(run_async())
print(json.dumps(out))

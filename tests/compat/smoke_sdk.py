"""A smoke run of whichever openai SDK this interpreter has, against OPENAI_BASE_URL.

Prints one line per check and exits non-zero on the first failure.
"""

import asyncio
import json
import sys

import openai
from pydantic import BaseModel

client = openai.OpenAI(max_retries=0)
USER = [{"role": "user", "content": "What's the weather in London and Paris?"}]
TOOL = {"type": "function", "function": {"name": "get_weather", "description": "Weather for a location",
        "parameters": {"type": "object", "properties": {"location": {"type": "string"}}, "required": ["location"],
                       "additionalProperties": False}, "strict": True}}


def check(name, ok):
    print(("ok   " if ok else "FAIL ") + name, flush=True)
    if not ok:
        sys.exit(1)


check("models.list", any(m.id == "gpt-4o" for m in client.models.list()))
r = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello"}])
check("chat.create", bool(r.choices[0].message.content) and r.usage.total_tokens > 0)
chunks = list(client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello"}], stream=True,
                                             stream_options={"include_usage": True}))
text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
check("chat.stream text equals non-stream", text == r.choices[0].message.content)
check("chat.stream usage chunk", chunks[-1].choices == [] and chunks[-1].usage is not None)
t = client.chat.completions.create(model="gpt-4o", messages=USER, tools=[TOOL])
check("tools parallel", [json.loads(c.function.arguments)["location"] for c in t.choices[0].message.tool_calls] == ["London", "Paris"])


class Person(BaseModel):
    name: str
    age: int


parse = client.beta.chat.completions.parse if hasattr(client, "beta") and hasattr(client.beta, "chat") else client.chat.completions.parse
p = parse(model="gpt-4o", messages=[{"role": "user", "content": "Invent a person"}], response_format=Person)
check("structured parse", isinstance(p.choices[0].message.parsed, Person))
try:
    client.chat.completions.create(model="gpt-4o", messages=USER, temperature=5)
    check("400 on temperature 5", False)
except openai.BadRequestError as e:
    check("400 on temperature 5", e.body["param"] == "temperature")
try:
    client.models.retrieve("nope")
    check("404 model", False)
except openai.NotFoundError:
    check("404 model", True)


async def main():
    a = openai.AsyncOpenAI(max_retries=0)
    r2 = await a.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello"}])
    check("async chat", r2.choices[0].message.content == r.choices[0].message.content)
    stream = await a.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hello"}], stream=True)
    text2 = "".join([c.choices[0].delta.content or "" async for c in stream])
    check("async stream", text2 == r.choices[0].message.content)


asyncio.run(main())
print("openai", openai.__version__, "all ok")

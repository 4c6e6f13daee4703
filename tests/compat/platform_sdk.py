"""Files, vector stores and Assistants v2 through whichever openai SDK this interpreter has, against OPENAI_BASE_URL.

Prints one line per check and exits non-zero on the first failure. openai 1.x reaches vector
stores as ``client.beta.vector_stores``; later SDKs as ``client.vector_stores``.
"""

import io
import json
import sys
import warnings

import openai

warnings.simplefilter("ignore")
client = openai.OpenAI(max_retries=0)
vector_stores = client.vector_stores if hasattr(client, "vector_stores") else client.beta.vector_stores


def check(name, ok):
    print(("ok   " if ok else "FAIL ") + name, flush=True)
    if not ok:
        sys.exit(1)


faq = client.files.create(file=("faq.txt", io.BytesIO(b"Refunds are issued within 14 days of purchase.")), purpose="assistants")
check("file upload", faq.id.startswith("file-") and faq.bytes == 46)
store = vector_stores.create(name="faq")
attached = vector_stores.files.create_and_poll(vector_store_id=store.id, file_id=faq.id)
check("vector store file create_and_poll", attached.status == "completed")
other = client.files.create(file=("other.txt", io.BytesIO(b"Shipping takes five days.")), purpose="assistants")
batch = vector_stores.file_batches.create_and_poll(vector_store_id=store.id, file_ids=[other.id])
check("file batch create_and_poll", batch.status == "completed" and batch.file_counts.completed == 1)
check("vector store counts", vector_stores.retrieve(store.id).file_counts.total == 2)

weather = {"type": "function", "function": {"name": "get_weather", "parameters": {
    "type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]}}}
assistant = client.beta.assistants.create(model="gpt-4o", instructions="Be brief.", tools=[weather, {"type": "file_search"}],
                                          tool_resources={"file_search": {"vector_store_ids": [store.id]}})
check("assistant create", assistant.id.startswith("asst_"))
thread = client.beta.threads.create(messages=[{"role": "user", "content": "Call get_weather for Lisbon."}])
run = client.beta.threads.runs.create_and_poll(thread_id=thread.id, assistant_id=assistant.id)
check("create_and_poll stops at requires_action", run.status == "requires_action")
call = run.required_action.submit_tool_outputs.tool_calls[0]
check("tool call arguments", json.loads(call.function.arguments) == {"city": "Lisbon"})
run = client.beta.threads.runs.submit_tool_outputs_and_poll(thread_id=thread.id, run_id=run.id,
                                                            tool_outputs=[{"tool_call_id": call.id, "output": "sunny"}])
check("submit_tool_outputs_and_poll completes", run.status == "completed")
messages = client.beta.threads.messages.list(thread_id=thread.id)
check("reply added", messages.data[0].role == "assistant" and messages.data[0].run_id == run.id)
steps = client.beta.threads.runs.steps.list(thread_id=thread.id, run_id=run.id, order="asc")
check("steps", [s.type for s in steps.data][0] == "tool_calls")

client.beta.threads.messages.create(thread_id=thread.id, role="user", content="When are refunds issued?")
deltas = []


class Handler(openai.AssistantEventHandler):
    def on_text_delta(self, delta, snapshot):
        deltas.append(delta.value)


with client.beta.threads.runs.stream(thread_id=thread.id, assistant_id=assistant.id, event_handler=Handler()) as stream:
    stream.until_done()
    final = stream.get_final_run()
check("runs.stream", final.status == "completed" and "".join(deltas) == stream.get_final_messages()[0].content[0].text.value)
print(f"openai {openai.__version__} platform ok")

"""Generic resources parsed by an older SDK with strict response validation (run in a compat venv).

Batches and fine-tuning jobs exist in every supported SDK generation; whether the mock answers them with
generic resources or with handlers of their own, each answer must parse strictly.
"""

import os

import openai

client = openai.OpenAI(base_url=os.environ["OPENAI_BASE_URL"], api_key=os.environ["OPENAI_API_KEY"], max_retries=0,
                       _strict_response_validation=True)
schema = client.with_options(default_headers={"x-mockapi-validation": "schema"})
upload = client.files.create(file=("batch.jsonl", b'{"custom_id": "1", "method": "POST", "url": "/v1/chat/completions", '
                                                  b'"body": {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}}\n'),
                             purpose="batch")
batch = client.batches.create(completion_window="24h", endpoint="/v1/chat/completions", input_file_id=upload.id)
assert client.batches.retrieve(batch.id).id == batch.id
assert batch.id in [b.id for b in client.batches.list(limit=10).data]
client.batches.cancel(batch.id)
training = client.files.create(file=("train.jsonl", b'{"messages": [{"role": "user", "content": "hi"}, '
                                                   b'{"role": "assistant", "content": "hello"}]}\n' * 10), purpose="fine-tune")
job = client.fine_tuning.jobs.create(model="gpt-4o-mini-2024-07-18", training_file=training.id)
assert client.fine_tuning.jobs.retrieve(job.id).id == job.id
client.fine_tuning.jobs.list(limit=5)
client.fine_tuning.jobs.list_events(job.id)
# made-up answers at level schema: first enum values, no free words in constrained strings
schema.batches.retrieve("batch_unknown")
schema.fine_tuning.jobs.retrieve("ftjob-unknown")
schema.images.generate(model="dall-e-3", prompt="a red circle", size="1024x1024")
print(f"openai {openai.__version__} generic ok")

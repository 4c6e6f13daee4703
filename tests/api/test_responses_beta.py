"""``client.beta.responses``: the same /v1/responses endpoint, with the beta's own body fields."""

from __future__ import annotations


def test_beta_responses_create_takes_multi_agent(mock):
    # The beta SDK posts to /responses?beta=true with an `openai-beta: responses_multi_agent=v1` header.
    response = mock.client.beta.responses.create(model="gpt-4o", input="Say hi", betas=["responses_multi_agent=v1"],
                                                 multi_agent={"enabled": True, "max_concurrent_subagents": 2})
    assert response.status == "completed" and response.output[0].content[0].text


def test_beta_responses_retrieve_reads_what_responses_create_made(mock):
    made = mock.client.responses.create(model="gpt-4o", input="Say hi")
    again = mock.client.beta.responses.retrieve(made.id)
    assert again.id == made.id and again.output[0].content[0].text == made.output_text

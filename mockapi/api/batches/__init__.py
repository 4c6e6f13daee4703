"""Batches: a JSONL file of requests answered line by line by the engine, on the mock clock."""

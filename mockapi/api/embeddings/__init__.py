"""Embeddings: handlers and the deterministic vectors."""

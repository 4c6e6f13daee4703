"""Vector stores: handlers, attached files and batches, relevance search."""

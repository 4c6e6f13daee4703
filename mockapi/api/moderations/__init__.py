"""Moderations: handlers and the deterministic scores."""

"""Assistants v2: assistants, threads, messages, runs and run steps."""

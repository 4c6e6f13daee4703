"""Where Assistants objects live in the store: one kind per thread's messages, runs and a run's steps.

Threads, runs and run work all name these kinds; keeping them here lets each import this module
instead of one another.
"""

from __future__ import annotations

THREADS = "thread"
ACTIVE_RUN = "thread.active_run"  # thread id -> the run not finished yet


def messages_kind(thread_id: str) -> str:
    """The store kind of one thread's messages."""
    return f"thread.message:{thread_id}"


def runs_kind(thread_id: str) -> str:
    """The store kind of one thread's runs."""
    return f"thread.run:{thread_id}"


def steps_kind(run_id: str) -> str:
    """The store kind of one run's steps."""
    return f"thread.run.step:{run_id}"

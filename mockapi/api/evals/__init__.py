"""Evals: evals, runs that sample the mock's own models, and graders scoring the outputs deterministically."""

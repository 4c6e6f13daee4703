"""Hides the real jsonschema_rs: bench/run.py puts this directory first on the path to measure the fallback install."""

raise ImportError("jsonschema_rs hidden by bench/fallback (measuring the install without wheels)")

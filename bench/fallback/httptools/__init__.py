"""Hides the real httptools: bench/run.py puts this directory first on the path to measure the fallback install."""

raise ImportError("httptools hidden by bench/fallback (measuring the install without wheels)")

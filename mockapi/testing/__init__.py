"""What the pytest plugin hands a test: the session, per-test options and the calls made."""

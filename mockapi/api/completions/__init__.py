"""Legacy text completions: handlers and generation."""

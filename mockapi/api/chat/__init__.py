"""Chat Completions, transport-free: the request's rules, the answer, and its stream."""

"""The Responses API, transport-free: reading a request, its rules, conversation state, output and stream."""

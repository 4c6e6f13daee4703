"""The HTTP door: a Starlette app over the engine."""

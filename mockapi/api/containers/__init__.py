"""Containers: the code interpreter's sandboxes, and the files in them (bytes kept as uploaded)."""

"""Models: list, retrieve and delete, served from the catalogue."""

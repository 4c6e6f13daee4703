"""Skills: uploaded bundles (a directory's files or one zip with SKILL.md), their versions and contents."""

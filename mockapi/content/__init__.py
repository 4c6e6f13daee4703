"""What the mock makes up, shared by several API families: text, replies, tool calls,
strict-schema rules and image inputs."""

"""The Conversations API: conversations and their items."""

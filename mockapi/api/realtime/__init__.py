"""Realtime REST: ephemeral client secrets with their session, beta sessions, and WebRTC/SIP calls."""

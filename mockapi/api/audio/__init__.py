"""Audio: speech, transcription and translation; the containers and transcripts they produce."""

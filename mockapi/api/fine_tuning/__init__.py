"""Fine-tuning: jobs validating their training file and training on the mock clock, events, checkpoints, permissions."""

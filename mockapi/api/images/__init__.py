"""Images: generations, edits and variations; the PNGs, per-model rules and served assets."""

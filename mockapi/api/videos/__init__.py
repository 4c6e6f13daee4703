"""Videos (Sora): jobs on the mock clock, remixes, and real MP4/WebP/JPEG downloads."""

"""Files and uploads: handlers, streamed blobs and multipart parts."""

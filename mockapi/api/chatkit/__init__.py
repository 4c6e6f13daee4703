"""ChatKit (beta): sessions that hand a client secret to the ChatKit frontend, and the threads it keeps."""

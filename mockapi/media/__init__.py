"""Media the mock produces and reads: audio containers, PNG images, transcripts and upload forms.

Nothing here knows about HTTP: the resources parse requests and call these functions.
"""

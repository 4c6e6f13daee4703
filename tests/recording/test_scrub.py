"""Scrubbing: no credential, account id, cookie or configured pattern reaches disk; placeholders are stable."""

from __future__ import annotations

from pathlib import Path

from recording_helpers import (
    API_KEY,
    client_of,
    files_text,
    recording_engine,
    start_upstream,
)

from mockapi.recording.scrub import Scrubber, placeholder

EMAIL = r"[\w.+-]+@[\w-]+\.[\w.]+"


def test_headers_become_stable_placeholders() -> None:
    scrubber = Scrubber()
    headers = dict(scrubber.headers([("Authorization", f"Bearer {API_KEY}"), ("OpenAI-Organization", "org-secret42"),
                                     ("Cookie", "session=abcdef123"), ("x-stainless-lang", "python")]))
    assert headers["authorization"] == f"Bearer {placeholder('key', API_KEY)}"
    assert headers["openai-organization"] == placeholder("organization", "org-secret42")
    assert "abcdef123" not in headers["cookie"] and headers["x-stainless-lang"] == "python"
    # The same secret, met again anywhere (a body), gets the same placeholder.
    assert scrubber.text(f"my key is {API_KEY}, org org-secret42") == \
        f"my key is {placeholder('key', API_KEY)}, org {placeholder('organization', 'org-secret42')}"
    assert Scrubber().text(f"key={API_KEY}") == f"key={placeholder('key', API_KEY)}"  # keys anywhere, known or not


def test_configured_patterns_are_scrubbed_in_json() -> None:
    scrubber = Scrubber([EMAIL])
    scrubbed = scrubber.json({"messages": [{"role": "user", "content": "Mail alice@example.com please"}]})
    assert "alice@example.com" not in str(scrubbed) and placeholder("match", "alice@example.com") in str(scrubbed)


def test_a_recording_leaves_no_secret_on_disk_and_still_replays(tmp_path: Path) -> None:
    upstream = start_upstream()
    messages = [{"role": "user", "content": f"Write to alice@example.com; my key is {API_KEY}"}]
    headers = {"OpenAI-Organization": "org-verysecret1", "OpenAI-Project": "proj_verysecret2", "Cookie": "sid=cookiesecret3"}
    try:
        recorder = client_of(recording_engine(tmp_path, "record", upstream.base_url, scrub_patterns=(EMAIL,)),
                             default_headers=headers)
        seen = recorder.chat.completions.create(model="gpt-4o-mini", messages=messages)
    finally:
        upstream.stop()
    text = files_text(tmp_path)
    for secret in (API_KEY, "org-verysecret1", "proj_verysecret2", "cookiesecret3", "alice@example.com"):
        assert secret not in text
    replayer = client_of(recording_engine(tmp_path, "replay", strict=True, scrub_patterns=(EMAIL,)), default_headers=headers)
    assert replayer.chat.completions.create(model="gpt-4o-mini", messages=messages) == seen

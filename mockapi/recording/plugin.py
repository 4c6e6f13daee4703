"""The pytest plugin's record/replay part: ``--mockapi-record``, the ``replay=`` marker option, cassette directories.

Like pytest-recording: ``none`` (the default) replays and refuses a miss with a 404 naming the closest
fixture, ``new`` records what no fixture matches, ``all`` records everything again. A test opts in with
``@pytest.mark.mockapi(replay=True)`` (its module's directory, ``cassettes/<module>`` beside the test file,
or under the ``mockapi_cassettes`` ini directory) or ``replay="path"``; setting ``mockapi_cassettes``
opts every test in.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from .options import RecordingOptions

RECORD_MODES = {"none": "replay", "new": "record-on-miss", "all": "record"}
MARKER_KEYS = ("replay", "record", "replay_strict", "replay_speed", "scrub")
DEFAULT_UPSTREAM = "https://api.openai.com/v1"


def split_marker(kwargs: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """A marker's keyword arguments: (the engine options, the record/replay ones)."""
    return ({k: v for k, v in kwargs.items() if k not in MARKER_KEYS},
            {k: v for k, v in kwargs.items() if k in MARKER_KEYS})


def options_for(test_path: Path, module: str, nodeid: str, marker: dict[str, Any], *, record: str | None,
                upstream: str | None, cassettes: str | None, rootdir: Path) -> RecordingOptions | None:
    """The record/replay options of one test, or None when it does not use a cassette."""
    replay = marker.get("replay")
    if replay is False or (replay is None and not cassettes):
        return None
    if isinstance(replay, (str, os.PathLike)):
        directory = Path(replay) if Path(replay).is_absolute() else test_path.parent / replay
    else:  # one directory per test module
        base = (rootdir / cassettes) if cassettes else test_path.parent / "cassettes"
        directory = base / module
    level = str(marker.get("record") or record or "none")
    if level not in RECORD_MODES:
        raise ValueError(f"record must be one of {', '.join(RECORD_MODES)}, not {level!r}")
    scrub = marker.get("scrub") or ()
    return RecordingOptions(
        str(directory), mode=RECORD_MODES[level], upstream=upstream or DEFAULT_UPSTREAM,
        strict=bool(marker.get("replay_strict", True)), replay_speed=marker.get("replay_speed"),
        scrub_patterns=(scrub,) if isinstance(scrub, str) else tuple(scrub), label=nodeid,
        # The test's clients carry the mock's key; a recording forwards the user's own.
        upstream_key=os.environ.get("MOCKAPI_UPSTREAM_API_KEY") or os.environ.get("OPENAI_API_KEY") or None)

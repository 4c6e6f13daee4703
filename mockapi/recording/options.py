"""What a recording or replaying engine is told: the fixture directory, the mode, the upstream."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

MODES = ("replay", "record", "record-on-miss")


@dataclass(frozen=True)
class RecordingOptions:
    """Options of the record/replay hook (``Settings.extra["recording"]`` holds them as a mapping)."""

    directory: str
    mode: str = "replay"
    upstream: str | None = None
    strict: bool = False  # replay: a miss is a 404 naming the closest fixture instead of a generated answer
    replay_speed: float | None = None  # None: no pauses; 1.0: the recorded timing; 2.0: twice as fast
    scrub_patterns: tuple[str, ...] = ()  # extra regexes whose matches become placeholders (emails, ...)
    timeout: float = 600.0
    upstream_key: str | None = None  # forward with this key instead of the caller's (the plugin's tests use a mock key)
    label: str | None = None  # written into recorded fixtures ("test"); replay prefers fixtures of the same label

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"recording mode must be one of {', '.join(MODES)}, not {self.mode!r}")
        if self.mode != "replay" and not self.upstream:
            raise ValueError(f"recording mode {self.mode!r} needs an upstream base URL")
        if self.replay_speed is not None and self.replay_speed <= 0:
            raise ValueError("replay speed must be positive")

    @property
    def forwards(self) -> bool:
        """Whether requests may reach the upstream."""
        return self.mode != "replay"

    def to_mapping(self) -> dict[str, Any]:
        """A JSON-able mapping (for ``Settings.extra``)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["scrub_patterns"] = list(self.scrub_patterns)
        return out

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RecordingOptions:
        """The options from :meth:`to_mapping`'s shape (unknown keys refused)."""
        known = {f.name for f in fields(cls)}
        unknown = set(data) - known
        if unknown:
            raise ValueError(f"unknown recording option(s): {', '.join(sorted(unknown))}")
        values = dict(data)
        values["scrub_patterns"] = tuple(values.get("scrub_patterns") or ())
        return cls(**values)

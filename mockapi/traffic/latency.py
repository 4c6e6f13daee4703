"""Latency profiles: time to first token, tokens per second and per-request overhead, as door pauses.

Off by default, so tests stay fast. Chosen in config (``latency: realistic``) or per request with
``x-mockapi-latency: realistic`` or ``x-mockapi-latency: ttft=0.4,tps=50,overhead=0.1``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Iterator

from mockapi.core.errors import InvalidValueError
from mockapi.core.results import Chunk, Cut, Pause, Reply

if TYPE_CHECKING:
    from mockapi.core.engine import Call

HEADER = "x-mockapi-latency"


@dataclass(frozen=True)
class Profile:
    """How slow the mock answers: seconds before anything, before the first event, and events per second."""

    overhead: float = 0.0
    ttft: float = 0.0
    tps: float = 0.0  # 0: no pacing between events

    @property
    def off(self) -> bool:
        """Whether the profile adds no pause at all."""
        return not (self.overhead or self.ttft or self.tps)


PROFILES = {
    "off": Profile(),
    "fast": Profile(overhead=0.01, ttft=0.05, tps=200),
    "realistic": Profile(overhead=0.15, ttft=0.4, tps=60),
    "slow": Profile(overhead=0.5, ttft=2.0, tps=15),
}
_OFF = PROFILES["off"]


def parse(spec: str) -> Profile:
    """A profile by name, or from ``ttft=…,tps=…,overhead=…``."""
    spec = spec.strip().lower()
    if spec in PROFILES:
        return PROFILES[spec]
    values: dict[str, float] = {}
    for part in spec.replace(";", ",").split(","):
        name, _, value = part.strip().partition("=")
        if name not in ("ttft", "tps", "overhead"):
            raise InvalidValueError(f"Unknown latency setting {name!r}: use a profile ({', '.join(PROFILES)}) or "
                                    "ttft=…,tps=…,overhead=…", param=HEADER)
        try:
            values[name] = float(value)
        except ValueError:
            raise InvalidValueError(f"Latency {name} must be a number, not {value!r}.", param=HEADER) from None
        if values[name] < 0 or values[name] > 600:
            raise InvalidValueError(f"Latency {name} must be between 0 and 600.", param=HEADER)
    return Profile(**values)


def paced(chunks: Iterable[Chunk], profile: Profile) -> Iterator[Chunk]:
    """Chunks with the profile's pauses: overhead + ttft before the first, 1/tps between the others."""
    first = True
    for chunk in chunks:
        if isinstance(chunk, bytes):
            if first:
                if profile.overhead + profile.ttft:
                    yield Pause(profile.overhead + profile.ttft)
                first = False
            elif profile.tps:
                yield Pause(1.0 / profile.tps)
        yield chunk


class Latency:
    """The latency hook: the configured profile, unless a request names its own."""

    def __init__(self, default: str = "off") -> None:
        self.default = parse(default or "off")

    def before(self, call: "Call") -> Reply | None:
        """Parse the per-request profile early, so a bad one is a 400 before any work."""
        spec = call.request.headers.get(HEADER)
        call.meta["latency"] = parse(spec) if spec else self.default
        return None

    def after(self, call: "Call", reply: Reply) -> Reply:
        """Pace a stream's events; delay a plain body by the overhead."""
        profile: Profile = call.meta.get("latency") or self.default
        if profile is _OFF or profile.off:  # the default profile: no property to call
            return reply
        if reply.stream is not None:
            reply.stream = paced(reply.stream, profile)
        elif profile.overhead:
            paused: list[bytes | Pause | Cut] = [Pause(profile.overhead), reply.body]
            reply.stream, reply.body = iter(paused), b""
        return reply

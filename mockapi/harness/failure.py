"""The typed failure every check raises, and the replayable script it prints."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .driver import Exchange
    from .runner import Run


class CheckFailure(AssertionError):
    """A client broke the contract: which check, why, and (once judged) the scenario as a script."""

    def __init__(self, check: str, message: str, exchange: "Exchange | None" = None,
                 failures: "list[CheckFailure] | None" = None, run: "Run | None" = None) -> None:
        self.check = check
        self.message = message
        self.exchange = exchange
        self.failures = failures or [self]
        self.run = run
        super().__init__(self._text())

    @property
    def checks(self) -> list[str]:
        """The names of every failed check."""
        return [f.check for f in self.failures]

    def _text(self) -> str:
        lines = [f"check {f.check!r} failed: {f.message}" for f in self.failures]
        if self.run is not None:
            lines.append(script(self.run, self.exchange))
        return "\n".join(lines)


def _body_text(body: bytes, limit: int = 600) -> str:
    try:
        text = json.dumps(json.loads(body), ensure_ascii=False)
    except ValueError:
        text = body.decode("utf-8", errors="replace")
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"


def script(run: "Run", broke: "Exchange | None" = None) -> str:
    """The run as a readable, replayable script: behaviours, exchanges, the request that broke, a replay line."""
    start = run.exchanges[0].time if run.exchanges else 0.0
    lines = ["", "Server behaviours, in order:", run.scenario.script(), "", "What happened:"]
    for e in run.exchanges:
        told = [f"{h}: {e.response_headers[h]}" for h in ("retry-after-ms", "retry-after", "x-should-retry")
                if h in e.response_headers and e.status >= 400]
        lines.append(f"  {e.index + 1}. t=+{e.time - start:.3f}s {e.method} {e.path} -> {e.label()}"
                     + (f" ({', '.join(told)})" if told else ""))
    for session in run.sessions:
        lines.append(f"  realtime session {session.index + 1} (events in the order the server processed them):")
        lines += [f"    {line}" for line in session.describe()]
    if not run.exchanges and not run.sessions:
        lines.append("  (the client sent no request)")
    outcome = run.outcome
    ending = ("hung" if outcome.hung else f"raised {type(outcome.error).__name__}: {outcome.error}" if outcome.error
              else f"returned {outcome.value!r}"[:300])
    lines.append(f"  the client {ending}")
    broke = broke or (run.exchanges[-1] if run.exchanges else None)
    if broke is not None:
        lines += ["", f"The request that broke (request {broke.index + 1}):", f"  {broke.method} {broke.path}",
                  f"  {_body_text(broke.body)}" if broke.body else "  (no body)"]
    lines += ["", "Replay it:", "  from mockapi.harness import replay",
              "  from mockapi.harness.scenarios import *",
              f"  replay(your_client_function, {run.scenario!r})"]
    return "\n".join(lines)

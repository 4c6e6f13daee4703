"""Client checks: small named functions, one signature (``check(run) -> None``), one typed failure.

Each looks at a :class:`~mockapi.harness.runner.Run` (the exchanges the mock recorded and how the
client's function ended) and raises :class:`CheckFailure` naming the exchange that broke the rule.
:func:`judge` runs a list of them and raises one failure carrying every finding and the script.
"""

from __future__ import annotations

import email.utils
import json
import re
import time
from typing import Any, Callable, Iterable, Sequence

from mockapi.core.errors import MockAPIError

from .driver import Exchange
from .failure import CheckFailure
from .frames import answer_of
from .realtime_checks import (  # noqa: F401 - the Realtime checks are named here like the others
    REALTIME,
    handles_response_cancel_race,
    recovers_from_dropped_session,
    sends_function_call_output_before_next_response_create,
    survives_error_event,
)
from .runner import Run
from .scenarios import RETRYABLE_STATUSES

Check = Callable[[Run], None]


# -- helpers -----------------------------------------------------------------------------------
def _json(body: bytes) -> Any:
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


def logical_calls(run: Run) -> list[list[Exchange]]:
    """Exchanges grouped into calls: a request repeating a failed one (same method, path, body) is its retry."""
    calls: list[list[Exchange]] = []
    for e in run.exchanges:
        last = calls[-1][-1] if calls else None
        if last is not None and last.failed and (last.method, last.path, _json(last.body) or last.body) == (
                e.method, e.path, _json(e.body) or e.body):
            calls[-1].append(e)
        else:
            calls.append([e])
    return calls


def retry_allowed(e: Exchange) -> bool:
    """Whether the contract lets a client retry after this exchange."""
    should = e.response_headers.get("x-should-retry")
    if should in ("true", "false"):
        return should == "true"
    if e.connection or e.served.cut or e.served.error_event:
        return True
    return e.status in RETRYABLE_STATUSES


def advertised_delay(e: Exchange) -> float | None:
    """Seconds the server asked the client to wait (``retry-after-ms``, then ``retry-after``), if any."""
    headers = e.response_headers
    try:
        if headers.get("retry-after-ms") is not None:
            return float(headers["retry-after-ms"]) / 1000
        value = headers.get("retry-after")
        if value is None:
            return None
        try:
            return float(value)
        except ValueError:
            parsed = email.utils.parsedate_to_datetime(value)
            return max(0.0, parsed.timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _error_chain(error: BaseException | None) -> list[BaseException]:
    out: list[BaseException] = []
    while error is not None and error not in out:
        out.append(error)
        error = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    return out


def _where(error: BaseException) -> str:
    tb = error.__traceback__
    last = None
    while tb is not None:
        last, tb = tb, tb.tb_next
    return f" (at {last.tb_frame.f_code.co_filename}:{last.tb_lineno})" if last is not None else ""


# -- requests ----------------------------------------------------------------------------------
def requests_conform(run: Run) -> None:
    """Every request fits the contract: operation, body schema, ranges, strict tool schemas, tool-message pairing."""
    engine = run.engine
    for e in run.exchanges:
        path = e.path.split("?")[0]
        op, _, _ = engine.contract.match(e.method, path[3:] if path.startswith("/v1") else path)
        if op is None:
            raise CheckFailure("requests_conform", f"request {e.index + 1} ({e.method} {path}) is no operation of the contract", e)
        if op.request_content != "application/json":
            continue
        body = _json(e.body)
        if not isinstance(body, dict):
            raise CheckFailure("requests_conform", f"request {e.index + 1} has no JSON object body", e)
        try:
            engine.contract.validate_request(op, body, faithful=True)
            if op.operation_id == "createChatCompletion":
                from mockapi.api.chat import rules
                from mockapi.api.chat.request import ChatRequest

                rules.check(ChatRequest.parse(body), engine.catalog.get(body.get("model"), param="model", kinds=("chat",)))
        except MockAPIError as exc:
            raise CheckFailure("requests_conform", f"request {e.index + 1} breaks the contract at "
                               f"{getattr(exc, 'param', None) or '<body>'}: {exc.message}", e) from None


def request_headers(run: Run) -> None:
    """Every request carries the key as ``Authorization: Bearer …`` and a JSON content type with a JSON body."""
    for e in run.exchanges:
        auth = e.headers.get("authorization") or ""
        if auth != f"Bearer {run.scenario.api_key}" and e.headers.get("api-key") != run.scenario.api_key:
            raise CheckFailure("request_headers", f"request {e.index + 1} does not send the API key as "
                               "'Authorization: Bearer <key>'", e)
        if e.body and e.method in ("POST", "PUT", "PATCH") and _json(e.body) is not None:
            kind = (e.headers.get("content-type") or "").split(";")[0].strip().lower()
            if kind != "application/json":
                raise CheckFailure("request_headers", f"request {e.index + 1} sends JSON as {kind or 'no content type'!r}", e)


# -- retries ----------------------------------------------------------------------------------
def retries_only_when_allowed(run: Run) -> None:
    """No retry after an answer the contract says not to retry (4xx other than 408/409/429, x-should-retry: false)."""
    for call in logical_calls(run):
        for before, after in zip(call, call[1:]):
            if not retry_allowed(before):
                raise CheckFailure("retries_only_when_allowed", f"request {after.index + 1} retries request "
                                   f"{before.index + 1}, which got {before.label()}"
                                   f"{' with x-should-retry: false' if before.response_headers.get('x-should-retry') == 'false' else ''}"
                                   "; the contract says not to retry it", after)


def retries_bounded(run: Run) -> None:
    """A call is attempted at most ``max_attempts`` times (no retry amplification)."""
    bound = run.options.max_attempts
    for call in logical_calls(run):
        if len(call) > bound:
            raise CheckFailure("retries_bounded", f"one call was sent {len(call)} times (requests "
                               f"{call[0].index + 1}-{call[-1].index + 1}); at most {bound} attempts are allowed", call[bound])


def retries_honour_retry_after(run: Run) -> None:
    """A retry waits at least what ``retry-after-ms`` (else ``retry-after``) asked for."""
    for call in logical_calls(run):
        for before, after in zip(call, call[1:]):
            wanted = advertised_delay(before)
            if wanted is None or wanted > run.options.max_delay:
                continue
            waited = after.time - before.time
            if waited + 1e-6 < wanted:
                source = "retry-after-ms" if "retry-after-ms" in before.response_headers else "retry-after"
                raise CheckFailure("retries_honour_retry_after", f"request {after.index + 1} came {waited:.3f}s after "
                                   f"request {before.index + 1}, whose {before.label()} asked for {wanted:.3f}s ({source})", after)


def retries_back_off(run: Run) -> None:
    """Retries without an advertised delay wait a while, and longer each time."""
    for call in logical_calls(run):
        gaps = [(after, after.time - before.time) for before, after in zip(call, call[1:])
                if advertised_delay(before) is None]
        for after, gap in gaps:
            if gap <= 0:
                raise CheckFailure("retries_back_off", f"request {after.index + 1} retried at once, without backing off", after)
        if len(gaps) >= 2 and gaps[-1][1] <= gaps[0][1] and gaps[0][1] < 8.0:
            raise CheckFailure("retries_back_off", f"retry waits did not grow ({', '.join(f'{g:.3f}s' for _, g in gaps)})",
                               gaps[-1][0])


# -- results ----------------------------------------------------------------------------------
def _final(run: Run) -> Exchange | None:
    return run.exchanges[-1] if run.exchanges else None


def completes_on_valid_answer(run: Run) -> None:
    """When the last answer was whole and valid, the client returns instead of raising."""
    last, error = _final(run), run.outcome.error
    if last is not None and not last.failed and last.served.complete and error is not None and not run.outcome.hung:
        raise CheckFailure("completes_on_valid_answer", f"the client raised {type(error).__name__}: {error}{_where(error)} "
                           f"on an answer the contract allows (request {last.index + 1})", last)


def _normalise(value: Any) -> tuple[str | None, list[tuple[str, str]] | None] | None:
    """(text, tool calls as (name, arguments)) from what a client returned; None when it says neither."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, dict):
        calls = value.get("tool_calls")
        text = value.get("content", value.get("text"))
        return text, None if calls is None else [_call(c) for c in calls]
    if isinstance(value, (list, tuple)) and value and all(_call(c) != ("", "") for c in value):
        return None, [_call(c) for c in value]
    choices = getattr(value, "choices", None)
    if choices:
        message = choices[0].message
        calls = getattr(message, "tool_calls", None)
        return message.content, [_call(c) for c in calls] if calls else []
    return None


def _call(c: Any) -> tuple[str, str]:
    if isinstance(c, dict):
        fn = c.get("function") or c
        return str(fn.get("name", "")), str(fn.get("arguments", ""))
    fn = getattr(c, "function", c)
    return str(getattr(fn, "name", "")), str(getattr(fn, "arguments", ""))


def stream_reassembled(run: Run) -> None:
    """The text and tool-call arguments the client returns are exactly what the server streamed."""
    last = _final(run)
    if last is None or last.failed or not last.served.complete or run.outcome.error is not None or run.outcome.hung:
        return
    served, got = answer_of(last.served), _normalise(run.outcome.value)
    if served is None or got is None:
        return
    text, calls = got
    if text is not None and text != (served.text or ""):
        raise CheckFailure("stream_reassembled", f"the client returned text {text!r}; the server sent {served.text!r}", last)
    if calls is not None:
        expected = [(c["name"], c["arguments"]) for c in served.tool_calls]
        if calls != expected:
            raise CheckFailure("stream_reassembled", f"the client returned tool calls {calls}; the server sent {expected}", last)
        for name, arguments in calls:
            try:
                json.loads(arguments)
            except ValueError:
                raise CheckFailure("stream_reassembled", f"tool call {name!r} has arguments that are not JSON: {arguments!r}", last) from None


def errors_surface(run: Run) -> None:
    """When the last answer failed (error, cut stream, error event), the client raises: no half stream returned as complete."""
    last = _final(run)
    if last is not None and last.failed and run.outcome.error is None and not run.outcome.hung:
        raise CheckFailure("errors_surface", f"the client returned {run.outcome.value!r} although its last request got "
                           f"{last.label()}; it should have raised", last)


def _is_401(error: BaseException) -> bool:
    """An SDK authentication error, or any HTTP error whose response is a 401 (``raise_for_status``)."""
    response = getattr(error, "response", None)
    return (getattr(error, "status_code", None) == 401 or getattr(response, "status_code", None) == 401
            or "Authentication" in type(error).__name__)


def no_swallowed_401(run: Run) -> None:
    """A call whose last answer was a 401 reaches the caller as an authentication error."""
    for call in logical_calls(run):
        e = call[-1]
        if e.status != 401:  # (a 401 the server said to retry, and that a retry cured, is no 401 to report)
            continue
        chain = _error_chain(run.outcome.error)
        if not chain:
            raise CheckFailure("no_swallowed_401", f"request {e.index + 1} got HTTP 401 but the client returned "
                               f"{run.outcome.value!r} instead of raising", e)
        if not any(_is_401(x) for x in chain):
            raise CheckFailure("no_swallowed_401", f"request {e.index + 1} got HTTP 401 but the client raised "
                               f"{type(chain[0]).__name__}, hiding the authentication error", e)


def no_hang(run: Run) -> None:
    """The client finishes (by returning or raising) within ``hang_timeout`` real seconds."""
    if run.outcome.hung:
        raise CheckFailure("no_hang", f"the client was still running after {run.options.hang_timeout}s", _final(run))


# -- logs -------------------------------------------------------------------------------------
_PREFIX = re.compile(r"^sk-(?:proj-|svcacct-|admin-)?")


def secrets_not_logged(run: Run) -> None:
    """No part of the API key longer than 12 characters appears in what the client logged (when captured)."""
    if run.logs is None:
        return
    key = run.scenario.api_key
    secret = key[_PREFIX.match(key).end():] if _PREFIX.match(key) else key
    window = 12
    for i in range(0, max(1, len(secret) - window + 1)):
        piece = secret[i:i + window]
        if piece and piece in run.logs:
            line = next((ln for ln in run.logs.splitlines() if piece in ln), "")
            shown = line.replace(secret, "<secret>").replace(piece, "<secret>")[:200]
            raise CheckFailure("secrets_not_logged", f"the client logged part of its API key: {shown!r}")


ALL: tuple[Check, ...] = (requests_conform, request_headers, retries_only_when_allowed, retries_bounded,
                          retries_honour_retry_after, retries_back_off, completes_on_valid_answer, stream_reassembled,
                          errors_surface, no_swallowed_401, no_hang, secrets_not_logged, *REALTIME)


def judge(run: Run, checks: Sequence[Check | str] | None = None) -> None:
    """Run ``checks`` (default: all; names or functions) on ``run``; raise one :class:`CheckFailure` with every finding.

    A check of your own has the same signature; a plain ``assert`` in it is reported under its name.
    """
    __tracebackhide__ = True
    found: list[CheckFailure] = []
    for check in checks if checks is not None else ALL:
        check = by_name([check])[0] if isinstance(check, str) else check
        try:
            check(run)
        except CheckFailure as failure:
            found.extend(failure.failures)
        except AssertionError as failure:
            found.append(CheckFailure(getattr(check, "__name__", repr(check)), str(failure) or "assertion failed"))
    if found:
        raise CheckFailure(found[0].check, found[0].message, found[0].exchange, failures=found, run=run)


def by_name(names: Iterable[str]) -> list[Check]:
    """Checks by their function names; a ValueError names an unknown one."""
    table = {c.__name__: c for c in ALL}
    unknown = [n for n in names if n not in table]
    if unknown:
        raise ValueError(f"unknown checks {unknown}; the checks are {sorted(table)}")
    return [table[n] for n in names]

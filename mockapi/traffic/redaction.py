"""Redaction: the one function that masks API keys and tokens wherever they appear.

The journal (URL path, query, headers, bodies, stream frames), the inspector that shows it, and the
server's logs (uvicorn's access log and error log, through :class:`RedactingFilter`) all go through
:func:`redact`, so a key is masked the same way everywhere:

- ``sk-…`` keys on a word boundary, percent-encoded (``Bearer%20sk-…``, ``sk%2D…``, doubly encoded)
  or JSON-escaped (``sk\\u002d…``), and glued to a word (``xsk-proj-…``; a bare ``sk-`` glued to a
  word only when it is long and mixes letters and digits, so "risk-free" stays readable);
- any ``Bearer`` token that looks like a credential;
- the value of a query or form parameter whose name says it is a secret (``token``, ``api_key``,
  ``access_token``, ``secret``, ``password``, ``sig``…), which covers the control plane's ``?token=``;
- literal secrets the server knows (configured keys of any shape, the admin token), raw or encoded.
"""

from __future__ import annotations

import functools
import logging
import re
from typing import Any, Iterable
from urllib.parse import quote, quote_plus, unquote

_HEX = "[0-9A-Fa-f]"
_DASH = r"(?:-|%(?:25)*2[dD]|\\u002[dD])"
_UNDERSCORE = r"(?:_|%(?:25)*5[fF]|\\u005[fF])"
_KEY_CHAR = rf"(?:[A-Za-z0-9]|{_DASH}|{_UNDERSCORE})"
_KEY = re.compile(rf"sk{_DASH}{_KEY_CHAR}{{4,}}")
_TYPED = re.compile(rf"sk{_DASH}(?:proj|svcacct|admin){_DASH}", re.IGNORECASE)
_WORDISH = re.compile(r"[A-Za-z0-9_\-]")
_ESCAPE_BEFORE = re.compile(rf"(?:%{_HEX}{{2}}|\\u{_HEX}{{4}}|\\[nrt])$")
_BEARER_TAIL = re.compile(r"(?:\s+|%20|\+)([^\s\"'&,;<>]+)")  # after the word "bearer", any case
# A query or form parameter (``name=value`` after ``?``, ``&``, ``;``, a space or the start): its name
# says whether its value is a secret. The scan starts at each "=", which keeps it linear and quick.
_PARAM_VALUE = re.compile(r"=([^&#\s\"'<>]+)")
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_PARAM_OPENERS = frozenset("?&; \t\r\n")
_SECRET_NAME = re.compile(r"(?i)(?:[\w.\-]*(?:token|secret|password|passwd|api[_\-]?key)"
                          r"|(?:[\w.\-]*[_.\-])?(?:key|sig|signature|auth|authorization|credential|credentials))")
_SECRET_WORDS = ("token", "secret", "passw", "key", "sig", "auth", "credential")
SECRET_HEADERS = frozenset({"authorization", "api-key", "proxy-authorization", "cookie", "set-cookie",
                            "x-mockapi-admin-token", "x-api-key", "openai-api-key"})
_SECRET_HEADER_NAME = re.compile(r"(?i)(?:auth|token|secret|password|api[_\-]?key|cookie|session)")
_PLAIN_HEADERS = frozenset({"idempotency-key", "x-stainless-retry-count"})  # look secret, are not
MASK = "****"


def mask(secret: str) -> str:
    """A secret as redacted text shows it: a known prefix, stars and at most its last four characters."""
    plain = _decode(secret)
    prefix = next((p for p in ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-") if p in plain[:12].lower()), "")
    if prefix:
        start = plain.lower().index(prefix)
        prefix = plain[: start + len(prefix)]
    tail = plain[-4:] if len(plain) - len(prefix) >= 12 and plain[-4:].isalnum() else ""
    return f"{prefix}{MASK}{tail}"


def redact(text: str, known: Iterable[str] = ()) -> str:
    """``text`` with every API key and token in it masked (``known``: literal secrets of any shape)."""
    if not text:
        return text
    for secret in known:
        if secret and len(secret) >= 8:  # shorter "keys" are words; masking them would garble the text
            for form in {secret, quote(secret, safe=""), quote_plus(secret, safe="")}:
                if form in text:
                    text = text.replace(form, mask(secret))
    text = _patterns(text)
    if "%" in text:
        # A secret hidden by an encoding the patterns do not spell out (every character escaped, say):
        # show the decoded text, redacted, rather than the encoded secret.
        decoded = _decode(text)
        if decoded != text:
            cleaned = _patterns(decoded)
            if cleaned != decoded:
                return cleaned
    return text


def _patterns(text: str) -> str:
    if "sk" in text:
        text = _KEY.sub(_key_or_word, text)
    lower = text.lower()
    if "=" in text and any(word in lower for word in _SECRET_WORDS):
        text = _secret_params(text)
    if "bearer" in lower:
        text = _bearer_tokens(text, lower)
    return text


def redact_header(name: str, value: str, known: Iterable[str] = ()) -> str:
    """A header value safe to keep: credentials masked whatever their shape."""
    if _is_secret_header(name):
        scheme, _, token = value.partition(" ")
        return f"{scheme} {mask(token.strip())}" if token else mask(value)
    return redact(value, known)


@functools.lru_cache(maxsize=4096)
def redact_cached(text: str, known: tuple[str, ...] = ()) -> str:
    """:func:`redact` remembered, for short texts that recur on every exchange (a path, a tenant)."""
    return redact(text, known)


@functools.lru_cache(maxsize=4096)
def redact_header_cached(name: str, value: str, known: tuple[str, ...] = ()) -> str:
    """:func:`redact_header` remembered: the journal redacts every header of every exchange, and most repeat."""
    return redact_header(name, value, known)


@functools.lru_cache(maxsize=512)
def _is_secret_header(name: str) -> bool:
    """Whether a header (by name) holds a credential (cached: the same few names repeat)."""
    lower = name.lower()
    return lower in SECRET_HEADERS or (lower not in _PLAIN_HEADERS and bool(_SECRET_HEADER_NAME.search(lower)))


def _secret_params(text: str) -> str:
    """``text`` with the values of secret-named parameters masked."""
    out, last = [], 0
    for found in _PARAM_VALUE.finditer(text):
        start = found.start()
        while start > 0 and text[start - 1] in _NAME_CHARS and found.start() - start < 64:
            start -= 1
        name, value = text[start:found.start()], found.group(1)
        if not name or (start > 0 and text[start - 1] not in _PARAM_OPENERS) or MASK in value \
                or not _SECRET_NAME.fullmatch(name):
            continue
        out.append(text[last:found.start(1)])
        out.append(MASK)
        last = found.end(1)
    return "".join(out) + text[last:] if out else text


def _key_or_word(match: re.Match[str]) -> str:
    """Mask a key-shaped match unless it is a word that merely ends in "sk" ("risk-free", "task-list")."""
    found, start = match.group(0), match.start()
    if match.string.startswith(MASK, match.end()):
        return found  # already masked ("sk-proj-****abcd"): redaction is idempotent
    before = match.string[max(0, start - 6):start]
    on_boundary = not before or not _WORDISH.match(before[-1]) or bool(_ESCAPE_BEFORE.search(before))
    if on_boundary or _TYPED.match(found):
        return mask(found)
    plain = _decode(found)[3:]
    looks_random = len(plain) >= 20 and any(c.isdigit() for c in plain) and any(c.isalpha() for c in plain)
    return mask(found) if looks_random else found


def _bearer_tokens(text: str, lower: str) -> str:
    """``text`` with every credential-looking token after the word "Bearer" (any case) masked."""
    out, last, at = [], 0, lower.find("bearer")
    while at != -1:
        tail = _BEARER_TAIL.match(text, at + 6)
        if tail and (at == 0 or not lower[at - 1].isalnum()):
            token = tail.group(1)
            credential = (len(token) >= 8 and any(c.isdigit() for c in token)) or len(token) >= 24
            if credential and MASK not in token:
                out.append(text[last:tail.start(1)])
                out.append(mask(token))
                last = tail.end(1)
        at = lower.find("bearer", at + 6)
    return "".join(out) + text[last:] if out else text


def _decode(text: str) -> str:
    """Undo percent-encoding (up to three layers) and JSON ``\\u`` escapes of dashes and underscores."""
    if "%" not in text and "\\u" not in text:
        return text
    for _ in range(3):
        decoded = unquote(text)
        if decoded == text:
            break
        text = decoded
    return re.sub(r"\\u00(2[dD]|5[fF])", lambda m: chr(int(m.group(1), 16)), text)


class RedactingFilter(logging.Filter):
    """A logging filter that masks secrets in every record (uvicorn's access and error logs, mockapi's own)."""

    def __init__(self, known: Iterable[str] = ()) -> None:
        super().__init__()
        self.known = tuple(sorted({k for k in known if k}, key=len, reverse=True))

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drop it.

        Arguments keep their shape where they are plain values: uvicorn's formatters unpack the access
        log's arguments and re-format a ``color_message`` with them when colours are on.
        """
        known = self.known
        args = record.args
        plain = (str, int, float, type(None))
        if isinstance(args, tuple) and all(isinstance(a, plain) for a in args):
            record.args = tuple(redact(a, known) if isinstance(a, str) else a for a in args)
        elif isinstance(args, dict) and all(isinstance(a, plain) for a in args.values()):
            record.args = {k: redact(a, known) if isinstance(a, str) else a for k, a in args.items()}
        elif args:  # objects (an ASGI scope, say) whose text only formatting shows: format, then redact
            try:
                message = record.getMessage()
            except Exception:  # a malformed record is the logging module's to report, not ours
                return True
            record.msg, record.args = redact(message, known), None
            record.__dict__.pop("color_message", None)
            return True
        if isinstance(record.msg, str):
            record.msg = redact(record.msg, known)
        color = record.__dict__.get("color_message")
        if isinstance(color, str):
            record.__dict__["color_message"] = redact(color, known)
        return True


LOGGERS = ("uvicorn.access", "uvicorn.error", "uvicorn.asgi", "mockapi")


def install_log_redaction(known: Iterable[str] = ()) -> RedactingFilter:
    """Put one :class:`RedactingFilter` on uvicorn's and mockapi's loggers (replacing an earlier one)."""
    redacting = RedactingFilter(known)
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in [f for f in logger.filters if isinstance(f, RedactingFilter)]:
            logger.removeFilter(old)
        logger.addFilter(redacting)
    return redacting


def known_secrets(settings: Any) -> tuple[str, ...]:
    """The literal secrets a server's settings hold: its configured keys and its admin token."""
    return tuple(k for k in (*getattr(settings, "keys", {}), getattr(settings, "admin_token", None)) if k)

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
_BEARER = re.compile(r"(?i)\b(bearer(?:\s+|%20|\+))([^\s\"'&,;<>]+)")
_SECRET_NAME = (r"(?:[\w.\-]*(?:token|secret|password|passwd|api[_\-]?key)"
                r"|(?:[\w.\-]*[_.\-])?(?:key|sig|signature|auth|authorization|credential|credentials))")
_PARAM = re.compile(rf"(?i)((?:^|(?<=[?&;\s]))(?:{_SECRET_NAME})=)([^&#\s\"'<>]+)")
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
    if "=" in text:
        text = _PARAM.sub(lambda m: m.group(1) + (m.group(2) if MASK in m.group(2) else MASK), text)
    if "earer" in text or "EARER" in text:
        text = _BEARER.sub(_bearer, text)
    return text


def redact_header(name: str, value: str, known: Iterable[str] = ()) -> str:
    """A header value safe to keep: credentials masked whatever their shape."""
    lower = name.lower()
    if lower in SECRET_HEADERS or (lower not in _PLAIN_HEADERS and _SECRET_HEADER_NAME.search(lower)):
        scheme, _, token = value.partition(" ")
        return f"{scheme} {mask(token.strip())}" if token else mask(value)
    return redact(value, known)


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


def _bearer(match: re.Match[str]) -> str:
    token = match.group(2)
    if MASK in token:
        return match.group(0)
    credential = (len(token) >= 8 and any(c.isdigit() for c in token)) or len(token) >= 24
    return match.group(1) + mask(token) if credential else match.group(0)


def _decode(text: str) -> str:
    """Undo percent-encoding (up to three layers) and JSON ``\\u`` escapes of dashes and underscores."""
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
        """Rewrite the record in place; never drop it."""
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            # uvicorn's AccessFormatter unpacks the args (client, method, path, version, status): keep their shape.
            record.args = tuple(redact(a, self.known) if isinstance(a, str) else a for a in record.args)
            return True
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's to report, not ours
            return True
        record.msg, record.args = redact(message, self.known), None
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

"""Scrubbing: secrets become stable placeholders before anything is written to disk.

Credentials in headers (authorization, api-key, cookies, ``openai-organization``, ``openai-project``),
``sk-…`` keys anywhere in a body, every value seen in a secret header wherever it reappears, and
user-configured regexes (emails, say). The same secret always gives the same placeholder (a short
digest of it), so two fixtures that carried one key still agree, and the key itself is never kept.
The journal's redaction (:func:`mockapi.traffic.journal.redact`) runs last as a safety net.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Any

from mockapi.traffic.journal import SECRET_HEADERS, redact

# Headers whose whole value is a secret or an account identifier.
SCRUBBED_HEADERS = frozenset(SECRET_HEADERS | {"openai-organization", "openai-project", "set-cookie", "x-api-key",
                                               "proxy-authorization", "api-key", "cookie"})
_KEY = re.compile(r"(?<![A-Za-z0-9_\-])sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{4,}")
_MIN_SECRET = 6  # shorter header values (a bare "Bearer") are not worth hunting for in bodies


def placeholder(kind: str, secret: str) -> str:
    """The stable stand-in of ``secret``: same secret, same placeholder; the secret cannot be read back."""
    return f"<scrubbed-{kind}-{hashlib.sha256(secret.encode()).hexdigest()[:12]}>"


class Scrubber:
    """Scrubs headers, text and JSON; remembers header secrets so they are scrubbed in bodies too."""

    def __init__(self, patterns: Sequence[str] = ()) -> None:
        self.patterns = [re.compile(p) for p in patterns]
        self.known: dict[str, str] = {}  # secret -> placeholder

    def remember(self, kind: str, secret: str) -> str:
        """Register a secret (to be scrubbed wherever it appears) and return its placeholder."""
        secret = secret.strip()
        if len(secret) >= _MIN_SECRET and secret not in self.known:
            self.known[secret] = placeholder(kind, secret)
        return self.known.get(secret) or placeholder(kind, secret)

    def headers(self, headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Headers with credentials and account ids replaced by placeholders (names lower-cased)."""
        out = []
        for name, value in headers:
            name = name.lower()
            if name in SCRUBBED_HEADERS:
                scheme, _, token = value.partition(" ")
                if token and scheme.lower() in ("bearer", "basic"):
                    value = f"{scheme} {self.remember('key', token)}"
                else:
                    value = self.remember(name.replace("openai-", ""), value)
            else:
                value = self.text(value)
            out.append((name, value))
        return out

    def text(self, text: str) -> str:
        """``text`` with every known secret, key and configured pattern replaced by its placeholder."""
        for secret, stand_in in self.known.items():
            if secret in text:
                text = text.replace(secret, stand_in)
        if "sk-" in text:
            text = _KEY.sub(lambda m: self.remember("key", m.group(0)), text)
        for pattern in self.patterns:
            text = pattern.sub(lambda m: placeholder("match", m.group(0)), text)
        return redact(text)

    def json(self, value: Any) -> Any:
        """A JSON value with every string (and key) scrubbed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.json(v) for v in value]
        if isinstance(value, dict):
            return {self.text(k): self.json(v) for k, v in value.items()}
        return value

"""§17.6's ``RedactingFormatter`` as the reference writes it, and a corrected one.

The reference's key pattern ``sk-[a-zA-Z0-9]{48}`` only matches legacy keys: ``sk-proj-…`` and
``sk-svcacct-…`` keys contain ``-`` and ``_``, so they reach the log (check ``secrets_not_logged``).
"""

from __future__ import annotations

import io
import logging
import re
from typing import Any

from openai import OpenAI


class RedactingFormatter(logging.Formatter):
    """§17.6, verbatim."""

    PATTERNS = [
        (r'sk-[a-zA-Z0-9]{48}', 'sk-***REDACTED***'),
        (r'Bearer [a-zA-Z0-9\-._~+/]+=*', 'Bearer ***REDACTED***'),
        (r'"api_key":\s*"[^"]*"', '"api_key": "***REDACTED***"'),
    ]

    def format(self, record: logging.LogRecord) -> str:
        msg = super().format(record)
        for pattern, replacement in self.PATTERNS:
            msg = re.sub(pattern, replacement, msg)
        return msg


class FixedRedactingFormatter(RedactingFormatter):
    """Keys of every prefix (``sk-``, ``sk-proj-``, ``sk-svcacct-``, ``sk-admin-``) and whole bearer tokens."""

    PATTERNS = [
        (r'sk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_\-]{16,}', 'sk-***REDACTED***'),
        (r'Bearer\s+\S+', 'Bearer ***REDACTED***'),
        (r'"api_key":\s*"[^"]*"', '"api_key": "***REDACTED***"'),
    ]


def _logged_call(client: OpenAI, api_key: str, log_capture: io.StringIO, formatter: logging.Formatter) -> str | None:
    logger = logging.getLogger(f"examples.redaction.{id(log_capture)}")
    handler = logging.StreamHandler(log_capture)
    handler.setFormatter(formatter)
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    try:
        logger.info("OpenAI client configured with api_key=%s", api_key)
        response = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "Hi"}])
        return response.choices[0].message.content
    finally:
        logger.removeHandler(handler)


def reference_logging_client(client: OpenAI, api_key: str, log_capture: io.StringIO) -> Any:
    """A client that logs its configuration through the reference's formatter."""
    return _logged_call(client, api_key, log_capture, RedactingFormatter("%(levelname)s %(message)s"))


def fixed_logging_client(client: OpenAI, api_key: str, log_capture: io.StringIO) -> Any:
    """The same client with the corrected formatter."""
    return _logged_call(client, api_key, log_capture, FixedRedactingFormatter("%(levelname)s %(message)s"))

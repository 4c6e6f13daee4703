"""§15.4's ``with_retry`` decorator as the reference writes it, and a corrected version.

The reference's defects the harness finds:
- it reads ``getattr(e, 'retry_after', None)``, an attribute the SDK's errors do not have, so it
  never honours ``retry-after``/``retry-after-ms`` (check ``retries_honour_retry_after``);
- it retries on top of the SDK's own two retries, so one call can be sent (3+1) x (2+1) = 12 times
  (check ``retries_bounded``).
The corrected version reads the headers from ``e.response``, follows ``x-should-retry``, backs off
exponentially otherwise, and turns the SDK's own retries off so attempts do not multiply.
"""

from __future__ import annotations

import logging
import time
from functools import wraps
from typing import Any, Callable, TypeVar

from openai import APIConnectionError, APIError, APIStatusError, AuthenticationError, InternalServerError, OpenAI, RateLimitError

T = TypeVar("T")
logger = logging.getLogger(__name__)
PROMPT = "Say hello."


# -- the reference, verbatim (§15.4) -----------------------------------------------------------
def with_retry(max_retries: int = 3, base_delay: float = 1.0, max_delay: float = 60.0,
               exponential_base: float = 2.0) -> Callable:
    """Decorator for API calls with exponential backoff retry."""

    def decorator(func: Callable[..., T]) -> Callable[..., T]:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            last_exception = None
            for attempt in range(max_retries + 1):
                try:
                    return func(*args, **kwargs)
                except AuthenticationError as e:
                    logger.error(f"Authentication failed: {e}")
                    raise  # Don't retry auth errors
                except RateLimitError as e:
                    last_exception = e
                    if attempt == max_retries:
                        raise
                    # Use retry-after header if available
                    retry_after = getattr(e, 'retry_after', None)
                    if retry_after:
                        delay = float(retry_after)
                    else:
                        delay = min(base_delay * (exponential_base ** attempt), max_delay)
                    logger.warning(f"Rate limited. Attempt {attempt + 1}/{max_retries + 1}. Retrying in {delay:.2f}s")
                    time.sleep(delay)
                except (InternalServerError, APIConnectionError) as e:
                    last_exception = e
                    if attempt == max_retries:
                        raise
                    delay = min(base_delay * (exponential_base ** attempt), max_delay)
                    logger.warning(f"Server error: {e}. Attempt {attempt + 1}/{max_retries + 1}. Retrying in {delay:.2f}s")
                    time.sleep(delay)
                except APIError as e:
                    if e.status_code >= 500:
                        last_exception = e
                        if attempt == max_retries:
                            raise
                        delay = min(base_delay * (exponential_base ** attempt), max_delay)
                        time.sleep(delay)
                    else:
                        raise  # Don't retry client errors
            raise last_exception

        return wrapper

    return decorator


def reference_client(client: OpenAI) -> str | None:
    """The reference's usage: ``@with_retry`` around a call on a default client (the SDK retries too)."""

    @with_retry(max_retries=3, base_delay=1.0)
    def call_openai(prompt: str) -> str | None:
        response = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
        return response.choices[0].message.content

    return call_openai(PROMPT)


# -- corrected -------------------------------------------------------------------------------
def retry_delay(error: APIStatusError) -> float | None:
    """Seconds the server asked for: ``retry-after-ms`` first, then ``retry-after`` (seconds)."""
    headers = error.response.headers
    for name, scale in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        try:
            value = float(headers.get(name, ""))
        except ValueError:
            continue
        if 0 <= value / scale <= 60:
            return value / scale
    return None


def retryable(error: APIStatusError) -> bool:
    """The contract's rule: ``x-should-retry`` decides; else 408, 409, 429 and 5xx."""
    should = error.response.headers.get("x-should-retry")
    if should in ("true", "false"):
        return should == "true"
    return error.status_code in (408, 409, 429) or error.status_code >= 500


def with_retry_fixed(max_retries: int = 3, base_delay: float = 0.5, max_delay: float = 8.0) -> Callable:
    """Retry per the contract, honouring the server's delay, backing off exponentially otherwise."""

    def decorator(func: Callable[..., T]) -> Callable[..., T]:
        @wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> T:
            for attempt in range(max_retries + 1):
                try:
                    return func(*args, **kwargs)
                except APIStatusError as e:
                    if not retryable(e) or attempt == max_retries:
                        raise
                    delay = retry_delay(e)
                except APIConnectionError:
                    if attempt == max_retries:
                        raise
                    delay = None
                if delay is None:
                    delay = min(base_delay * 2 ** attempt, max_delay)
                logger.warning("Retrying in %.2fs (attempt %d of %d)", delay, attempt + 2, max_retries + 1)
                time.sleep(delay)
            raise AssertionError("unreachable")

        return wrapper

    return decorator


def fixed_client(client: OpenAI) -> str | None:
    """The corrected usage: the wrapper owns retrying, so the SDK's own retries are off."""
    plain = client.with_options(max_retries=0)

    @with_retry_fixed(max_retries=3)
    def call_openai(prompt: str) -> str | None:
        response = plain.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": prompt}])
        return response.choices[0].message.content

    return call_openai(PROMPT)

"""The words of an identifier or a title, in lower case: split at underscores, spaces and camelCase humps.

One splitter for every reader of tool and property names (which operation a tool does, which part of a name a
property takes, which hints a property matches, what items an array holds), so they agree on what a name says.
"""

from __future__ import annotations

import re
from functools import lru_cache

# A word is a run of lower case after at most one capital, or a run of capitals not followed by lower case (an
# acronym: "HTTPServer" is "HTTP" and "Server"). Digits and punctuation separate words and are dropped.
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")


@lru_cache(maxsize=2048)  # tool and property names come back with every request that sends their tools
def identifier_words(name: str) -> tuple[str, ...]:
    """``getWeather`` -> ("get", "weather"); ``user_ID2`` -> ("user", "id"); ``HTTPServer`` -> ("http", "server")."""
    return tuple(word.lower() for word in _WORD.findall(name))

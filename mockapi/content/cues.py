"""A cheap test before a costly regex: whether a text says any of a few words at all, case aside.

The content readers' regexes ignore case and open with ``\\b``, so the regex engine cannot skip ahead to a likely
first character and tries every position: ~0.5-2 us each on a one-line prompt, several per request, and most
prompts say none of what they look for. A substring test on the lowered text costs ~0.1 us.
"""

from __future__ import annotations


def says_any(text: str, needles: tuple[str, ...]) -> bool:
    """Whether ``text`` may hold one of ``needles`` (lower-case ASCII) in any case: False only when it cannot.

    Exact for ASCII text, where ``str.lower`` and ``re.IGNORECASE`` agree. Non-ASCII text always may: the regex
    engine folds a few other letters into ASCII ones (``ı`` into ``i``, ``ſ`` into ``s``, the Kelvin sign into ``k``),
    which ``str.lower`` does not.
    """
    if not text.isascii():
        return True
    lowered = text.lower()
    for needle in needles:
        if needle in lowered:
            return True
    return False

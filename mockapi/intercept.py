"""``mockapi.intercept``: the public name of :mod:`mockapi.doors.intercept` (same module object)."""

import sys

from .doors import intercept as _module

sys.modules[__name__] = _module

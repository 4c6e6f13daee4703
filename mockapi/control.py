"""``mockapi.control``: the public name of :mod:`mockapi.traffic.control` (same module object)."""

import sys

from .traffic import control as _module

sys.modules[__name__] = _module

"""``mockapi.contract``: the public name of :mod:`mockapi.core.contract` (same module object)."""

import sys

from .core import contract as _module

sys.modules[__name__] = _module

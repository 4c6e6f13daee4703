"""``mockapi.session``: the public name of :mod:`mockapi.testing.session` (same module object)."""

import sys

from .testing import session as _module

sys.modules[__name__] = _module

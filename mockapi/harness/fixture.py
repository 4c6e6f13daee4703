"""The ``contract`` pytest fixture: ``def test_x(contract): contract.verify(my_client)``.

Importing this module is cheap (the harness loads when the fixture is used), so the mockapi pytest
plugin can re-export it: ``from .harness.fixture import contract``. Until it does, import it in a
test module or conftest, or load it with ``-p mockapi.harness.fixture``.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest


@pytest.fixture
def contract() -> Iterator[Any]:
    """The client-verification harness (:class:`mockapi.harness.clients.ContractHarness`)."""
    from .clients import ContractHarness

    yield ContractHarness()

"""The ``contract`` pytest fixture: ``def test_x(contract): contract.verify(my_client)``.

Importing this module is cheap (the harness loads when the fixture is used), so the mockapi pytest
plugin re-exports it.
"""

from __future__ import annotations

from typing import Any, Iterator

import pytest


@pytest.fixture
def contract() -> Iterator[Any]:
    """The client-verification harness (:class:`mockapi.harness.clients.ContractHarness`)."""
    from .clients import ContractHarness

    yield ContractHarness()

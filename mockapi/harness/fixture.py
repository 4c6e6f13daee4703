"""The ``contract`` pytest fixture: ``def test_x(contract): contract.verify(my_client)``.

Load it with ``pytest_plugins = ["mockapi.harness.fixture"]`` (or from the mockapi pytest plugin,
which is the place to register it for everyone).
"""

from __future__ import annotations

from typing import Iterator

import pytest

from .verify import ContractHarness, contract_fixture


@pytest.fixture
def contract() -> Iterator[ContractHarness]:
    """The client-verification harness."""
    yield from contract_fixture()

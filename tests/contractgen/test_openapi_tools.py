"""Standard OpenAPI tools take the contract as it is: openapi-spec-validator passes it, Schemathesis runs it.

Schemathesis calls the in-process Starlette app (ASGI) at validation level ``schema`` (what spec mocks
answer: any request that fits the contract gets a contract-shaped answer), a few examples per operation.
Fuzzing level ``faithful`` is not this test's job.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, Phase, settings

from mockapi.contractgen import CONTRACT_PATH

schemathesis = pytest.importorskip("schemathesis")

API_KEY = "sk-test-0123456789"
ADMIN_KEY = "sk-admin-0123456789"


def test_contract_passes_openapi_spec_validator():
    from openapi_spec_validator import OpenAPIV31SpecValidator

    doc = json.loads(CONTRACT_PATH.read_text())
    errors = [e.message for _, e in zip(range(5), OpenAPIV31SpecValidator(doc).iter_errors())]
    assert not errors


def test_contract_uses_standard_headers_security_and_links():
    doc = json.loads(CONTRACT_PATH.read_text())
    text = CONTRACT_PATH.read_text()
    assert "#/components/x-standard-headers" not in text
    assert "x-request-id" in doc["components"]["headers"]
    assert doc["components"]["securitySchemes"]["BearerAuth"] == {**doc["components"]["securitySchemes"]["BearerAuth"],
                                                                  "type": "http", "scheme": "bearer"}
    assert doc["security"] == [{"BearerAuth": []}]
    links = doc["paths"]["/batches"]["post"]["responses"]["200"]["links"]
    assert links["retrieveBatch"]["parameters"] == {"batch_id": "$response.body#/id"}
    assert doc["paths"]["/organization/projects"]["post"]["security"] == [{"AdminApiKeyAuth": []}]


def _loaded_schema():
    from mockapi.assembly import build_engine
    from mockapi.core.config import Settings
    from mockapi.doors.app import create_app

    schema = schemathesis.openapi.from_dict(json.loads(CONTRACT_PATH.read_text()))
    schema.app = create_app(engine=build_engine(Settings(validation="schema")))
    return schema


schema = _loaded_schema()


@schema.parametrize()
@settings(max_examples=2, deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=list(HealthCheck))
def test_schemathesis_checks_every_operation(case):
    key = ADMIN_KEY if "AdminApiKeyAuth" in json.dumps(case.operation.definition.raw.get("security", [])) else API_KEY
    case.call_and_validate(headers={"Authorization": f"Bearer {key}"})

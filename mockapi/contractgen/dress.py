"""What makes the generated document standard OpenAPI 3.1: header objects, security schemes and links.

- The headers every answer carries (the overlay's ``x-standard-headers``, which the harness reads) become
  header objects under ``components/headers``, and every response refers to each by ``$ref``.
- Every operation needs a bearer key (``BearerAuth``); the admin APIs an admin key (``AdminApiKeyAuth``,
  ``sk-admin-...``), as the SDK's ``security=`` option names them.
- Each create (a POST on a collection whose answer has an ``id``) links to the operations on what it
  made: ``{collection}/{id}`` and its actions, the new ``id`` filling their last path parameter.
"""

from __future__ import annotations

import re
from typing import Any

_SCHEMES = {
    "BearerAuth": {"type": "http", "scheme": "bearer", "description": "An API key: `Authorization: Bearer sk-...`."},
    "AdminApiKeyAuth": {"type": "http", "scheme": "bearer", "description": "An admin API key: `Authorization: Bearer sk-admin-...`."},
}
_SDK_SCHEMES = {"admin_api_key_auth": "AdminApiKeyAuth"}
_METHODS = ("get", "post", "put", "patch", "delete")


def dress(doc: dict[str, Any]) -> None:
    """Add standard headers, security schemes and create links to ``doc`` in place."""
    components = doc.setdefault("components", {})
    standard = components.get("x-standard-headers", {})
    components["headers"] = {name: {"description": f"The `{name}` header every answer carries.", **spec}
                             for name, spec in standard.items()}
    refs = {name: {"$ref": f"#/components/headers/{name}"} for name in standard}
    for response in components.get("responses", {}).values():
        response["headers"] = dict(refs)
    components["securitySchemes"] = _SCHEMES
    doc["security"] = [{"BearerAuth": []}]
    for path, item in doc["paths"].items():
        for method, op in item.items():
            if method not in _METHODS:
                continue
            ok = op["responses"].get("200")
            if ok is not None:
                ok["headers"] = dict(refs)
            # Discovery names the SDK's scheme; the admin operations listed by hand in ops_admin carry their scope.
            scheme = _SDK_SCHEMES.get(op.pop("x-security-scheme", "")) or ("AdminApiKeyAuth" if "x-admin-scope" in op else None)
            if scheme:
                op["security"] = [{scheme: []}]
    _links(doc)


def _links(doc: dict[str, Any]) -> None:
    schemas = doc["components"]["schemas"]
    for path, item in doc["paths"].items():
        create = item.get("post")
        if create is None or path.endswith("}"):
            continue
        ok = create["responses"].get("200", {})
        ref = (ok.get("content", {}).get("application/json", {}).get("schema") or {}).get("$ref", "")
        schema = schemas.get(ref.rsplit("/", 1)[-1], {})
        if "id" not in (schema.get("properties") or {}):
            continue
        links: dict[str, Any] = {}
        pattern = re.compile(re.escape(path) + r"/\{(\w+)\}(/[a-z_]+)?$")
        for other, other_item in sorted(doc["paths"].items()):
            m = pattern.match(other)
            if m is None:
                continue
            for method in _METHODS:
                target = other_item.get(method)
                if target is not None:
                    links[target["operationId"]] = {
                        "operationId": target["operationId"],
                        "parameters": {m.group(1): "$response.body#/id"},
                        "description": f"{method.upper()} {other} on the object this call created.",
                    }
        if links:
            ok["links"] = links

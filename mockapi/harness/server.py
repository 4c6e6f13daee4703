"""Server verification: does an OpenAI-compatible server speak the contract?

For each selected operation, Hypothesis draws valid requests (:mod:`.server_requests`) and the
answers must be 2xx with bodies (and every SSE event) valid against the contract, the right
content type and the standard headers; invalid requests must get a 4xx in the error shape, never
a 5xx; an unknown id must get a 4xx. Collections with create, retrieve and delete run the stateful
sequence create -> retrieve -> delete -> retrieve (404). ``mockapi verify`` prints the table.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import HypothesisException, Unsatisfiable

from mockapi.core.contract import Contract, OperationSpec, load_contract

from .clients import PHASES
from .server_checks import error_problems, success_problems
from .server_requests import (
    FOR_STATE,
    PARENT_BODIES,
    STATE_DEPENDENT,
    STREAM_BODIES,
    Drawn,
    Form,
    Ref,
    base_body,
    encode,
    invalid_bodies,
    invalid_forms,
    multipart_base,
    valid_bodies,
)

MISSING_ID = "verify_missing_0000000000"


def _show(body: Any) -> str:
    if body is None:
        return ""
    if isinstance(body, Form):
        return f"multipart {dict(body.fields)} files {[name for name, _ in body.files]}"
    return json.dumps(body, ensure_ascii=False)[:300]


class ServerCheckFailure(AssertionError):
    """One answer broke the contract; the text names the request and every problem."""


class Unresolvable(Exception):
    """A path parameter the verifier could not fill (no way to create or list such an object)."""


@dataclass
class CaseResult:
    """One kind of check on one operation: how many examples ran, and the failure if any."""

    operation: str
    kind: str
    examples: int = 0
    failure: str | None = None
    skipped: str | None = None

    @property
    def status(self) -> str:
        """``ok``, ``FAIL`` or ``skip``."""
        return "skip" if self.skipped else "FAIL" if self.failure else "ok"


@dataclass
class Report:
    """Every case, in order."""

    base_url: str
    cases: list[CaseResult] = field(default_factory=list)

    @property
    def failures(self) -> list[CaseResult]:
        """The failed cases."""
        return [c for c in self.cases if c.failure]


def group_of(op: OperationSpec) -> str:
    """The ``--only`` group of an operation: the first path segment (chat, responses, files...)."""
    return op.path.strip("/").split("/")[0]


def select(contract: Contract, only: Iterable[str] | None) -> list[OperationSpec]:
    """The operations named by groups or operationIds (all when ``only`` is empty); ValueError on unknown names."""
    names = [n.strip() for n in only or [] if n.strip()]
    groups = {group_of(op) for op in contract.operations}
    unknown = [n for n in names if n not in groups and n not in contract.by_id]
    if unknown:
        raise ValueError(f"unknown operations or groups {unknown}; groups are {sorted(groups)}")
    return [op for op in sorted(contract.operations, key=lambda o: (o.path, o.method))
            if not names or group_of(op) in names or op.operation_id in names]


def required_query(op: OperationSpec) -> dict[str, str]:
    """A plain value for each query parameter the contract requires (e.g. the usage endpoints' ``start_time``)."""
    out = {}
    for param in op.raw.get("parameters", []):
        if param.get("in") == "query" and param.get("required"):
            schema = param.get("schema", {})
            out[param["name"]] = str(schema["enum"][0]) if schema.get("enum") else (
                "0" if schema.get("type") in ("integer", "number") else "hello")
    return out


class ServerVerifier:
    """Checks one server (``base_url`` ends in ``/v1``) against the contract."""

    def __init__(self, base_url: str, api_key: str = "sk-verify-0000000000000000", *, max_examples: int = 10,
                 contract: Contract | None = None, client: httpx.Client | None = None, derandomize: bool = True,
                 admin_key: str = "sk-admin-verify-000000000000") -> None:
        if max_examples < 1:
            raise ValueError(f"max_examples must be at least 1, not {max_examples}")
        self.base_url = base_url.rstrip("/")
        self.contract = contract or load_contract()
        self.max_examples = max_examples
        self.derandomize = derandomize  # the same server gets the same report, run after run
        self.http = client or httpx.Client(base_url=self.base_url, timeout=30.0)
        self.headers = {"Authorization": f"Bearer {api_key}"}
        self.admin_headers = {"Authorization": f"Bearer {admin_key}"}  # for operations marked x-admin-scope

    # -- transport ----------------------------------------------------------------------------
    def send(self, op: OperationSpec, params: dict[str, str], body: Any = None, *, raw: bytes | None = None,
             headers: dict[str, str] | None = None) -> httpx.Response:
        """Send one request for ``op`` (Refs in the body become created ids) and read the whole answer."""
        path = op.path.format(**params)
        default = self.admin_headers if op.raw.get("x-admin-scope") else self.headers
        extra = dict(default if headers is None else headers)
        if op.request_content == "multipart/form-data" and raw is None:
            try:
                form = body if isinstance(body, Form) else multipart_base(op)
            except ValueError as exc:  # a discovered upload operation the verifier has no form for
                raise Unresolvable(str(exc)) from None
            if not form.files:  # a form of fields only is still multipart: httpx sends it so only with a files part
                fields_as_parts = {name: (None, value) for name, value in form.fields}
                return self.http.request(op.method, path, headers=extra, files=fields_as_parts)
            return self.http.request(op.method, path, headers=extra, data=dict(form.fields), files=dict(form.files))
        if raw is None and body is not None:
            raw = encode(self.fill_refs(body))
        if raw is not None:
            extra["content-type"] = "application/json"
        return self.http.request(op.method, path, headers=extra, content=raw, params=required_query(op))

    def fill_refs(self, value: Any) -> Any:
        """``value`` with every :class:`Ref` replaced by the id of a newly created object."""
        if isinstance(value, Ref):
            return self.create_in(str(value), {})
        if isinstance(value, dict):
            return {k: self.fill_refs(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.fill_refs(v) for v in value]
        return value

    def create_in(self, collection: str, params: dict[str, str], extra: dict[str, Any] | None = None, key: str = "id") -> str:
        """The id of a new object in ``collection`` (a path template), or of a listed one when none can be created.

        A path parameter that names one of the object's own fields (``/skills/{id}/versions/{version}``) takes
        that field instead of the id.
        """
        ops = self.contract.operations
        creator = next((o for o in ops if o.method == "POST" and o.path == collection
                        and o.request_content in ("application/json", "multipart/form-data")), None)
        if creator is not None:
            json_body = creator.request_content == "application/json"
            body = {**base_body(creator), **FOR_STATE.get(creator.operation_id, {}), **(extra or {})} if json_body else None
            answer = self.send(creator, params, body)
            if answer.status_code >= 300:
                raise Unresolvable(f"{creator.operation_id} answered {answer.status_code}")
            if "json" not in answer.headers.get("content-type", ""):  # e.g. an SDP answer naming its call in Location
                return answer.headers.get("location", "").rstrip("/").rsplit("/", 1)[-1] or _unresolvable(creator)
            data = answer.json()
            found = (data.get(key) if key in data else data.get("id")) or next(
                (d.get("id") for d in data.get("data") or [] if isinstance(d, dict)), None)
        else:
            lister = next((o for o in ops if o.method == "GET" and o.path == collection), None)
            if lister is None:
                raise Unresolvable(f"nothing creates or lists {collection}")
            answer = self.send(lister, params)
            data = answer.json() if answer.status_code < 300 else {}
            found = next((d.get("id") for d in data.get("data") or [] if isinstance(d, dict)), None)
        if not found:
            raise Unresolvable(f"no object found in {collection.format(**params)}")
        return str(found)

    def resolve(self, op: OperationSpec) -> dict[str, str]:
        """Values for every path parameter of ``op``, creating parent objects as needed."""
        params: dict[str, str] = {}
        matches = list(re.finditer(r"{(\w+)}", op.path))
        for k, match in enumerate(matches):
            collection = op.path[: match.start()].rstrip("/")
            extra = PARENT_BODIES.get(op.operation_id) if k == len(matches) - 1 else None
            params[match.group(1)] = self.create_in(collection, params, extra, key=match.group(1))
        return params

    # -- cases -------------------------------------------------------------------------------
    def _property(self, case: CaseResult, strategy: st.SearchStrategy[Any], exercise: Callable[[Any], list[str]],
                  examples: int | None = None) -> CaseResult:
        @settings(max_examples=examples or self.max_examples, deadline=None, database=None, phases=PHASES,
                  print_blob=False, suppress_health_check=list(HealthCheck), derandomize=self.derandomize)
        @given(strategy)
        def holds(drawn: Any) -> None:
            case.examples += 1
            problems = exercise(drawn)
            if problems:
                raise ServerCheckFailure("; ".join(problems))

        try:
            holds()
        except ServerCheckFailure as exc:
            case.failure = str(exc)
        except Unresolvable as exc:
            case.skipped = str(exc)
        except Unsatisfiable:  # e.g. no invalid form of a union request, or an upload form the verifier cannot fill
            case.skipped = "no such request can be drawn for this operation"
        except (HypothesisException, httpx.HTTPError) as exc:
            case.failure = f"{type(exc).__name__}: {exc}"
        return case

    @property
    def _few(self) -> int:
        """Examples for operations on objects (each example creates its parents first)."""
        return max(3, self.max_examples // 2)

    def _labelled(self, label: str, problems: list[str]) -> list[str]:
        return [f"{label}: {p}" for p in problems]

    def verify_operation(self, op: OperationSpec) -> list[CaseResult]:
        """Every case that applies to one operation."""
        oid = op.operation_id
        has_params = "{" in op.path
        json_body = op.request_content == "application/json"
        multipart = op.request_content == "multipart/form-data"
        if op.request_content and not (json_body or multipart):
            return [CaseResult(oid, "valid", skipped=f"{op.request_content} bodies are not generated")]
        if op.method == "DELETE" and not has_params or (oid == "deleteModel"):
            return [CaseResult(oid, "valid", skipped="would delete objects the verifier did not create")]
        try:
            bodies = (valid_bodies(self.contract, op) if json_body else st.just(Drawn(multipart_base(op), True)) if multipart
                      else st.just(Drawn(None, True)))
        except ValueError as exc:
            return [CaseResult(oid, "valid", skipped=str(exc))]
        cases = []

        def exercise(drawn: Drawn, stream: bool = False) -> list[str]:
            params = self.resolve(op) if has_params else {}
            body = drawn.body if not stream else {**drawn.body, **STREAM_BODIES.get(oid, {}), "stream": True}
            body = self.fill_refs(body)
            shown = _show(body)
            label = f"{op.method} /v1{op.path.format(**params)} {shown}"
            answer = self.send(op, params, body)
            if not drawn.valid:
                return self._labelled(f"{label} (contract rejects it: {drawn.why})", error_problems(self.contract, answer))
            if oid in STATE_DEPENDENT and 400 <= answer.status_code < 500:
                return self._labelled(f"{label} (refused in this state)", error_problems(self.contract, answer))
            return self._labelled(label, success_problems(self.contract, op, answer, stream))

        cases.append(self._property(CaseResult(oid, "valid"), bodies, exercise, self._few if has_params else None))
        stream_ok = op.stream_schema is not None and json_body and "stream" in ((op.request_schema or {}).get("properties") or {})
        if stream_ok:
            cases.append(self._property(CaseResult(oid, "stream"), bodies.filter(lambda d: d.valid),
                                        lambda d: exercise(d, stream=True), self._few if has_params else None))
        if json_body:
            def reject(drawn: Drawn) -> list[str]:
                params = self.resolve(op) if has_params else {}
                answer = self.send(op, params, drawn.body)
                return self._labelled(f"{op.method} /v1{op.path.format(**params)} {drawn.why}", error_problems(self.contract, answer))

            invalid = invalid_bodies(self.contract, op)
            cases.append(self._property(CaseResult(oid, "invalid"), invalid, reject, self._few if has_params else None))
            def not_json(raw: bytes) -> list[str]:
                params = self.resolve(op) if has_params else {}
                answer = self.send(op, params, raw=raw)
                return self._labelled(f"{op.method} /v1{op.path.format(**params)} {raw!r}", error_problems(self.contract, answer))

            cases.append(self._property(CaseResult(oid, "bad json"), st.sampled_from([b"{not json", b"[1, 2]", b""]), not_json, 3))
        if multipart:
            def reject_form(drawn: Drawn) -> list[str]:
                params = self.resolve(op) if has_params else {}
                answer = self.send(op, params, drawn.body)
                return self._labelled(f"{op.method} /v1{op.path.format(**params)} {drawn.why}", error_problems(self.contract, answer))

            cases.append(self._property(CaseResult(oid, "invalid"), invalid_forms(op), reject_form, self._few))
        if has_params:
            def missing(_: Any) -> list[str]:
                params = self.resolve_all_but_last(op)
                answer = self.send(op, params, base_body(op) if json_body else multipart_base(op) if multipart else None)
                return self._labelled(f"{op.method} /v1{op.path.format(**params)}", error_problems(self.contract, answer))

            cases.append(self._property(CaseResult(oid, "unknown id"), st.just(None), missing, 1))
        return cases

    def resolve_all_but_last(self, op: OperationSpec) -> dict[str, str]:
        """Real parents, and an id nobody created for the last path parameter."""
        names = re.findall(r"{(\w+)}", op.path)
        params: dict[str, str] = {}
        for name in names[:-1]:
            at = op.path.index("{" + name + "}")
            params[name] = self.create_in(op.path[:at].rstrip("/"), params)
        params[names[-1]] = MISSING_ID
        return params

    def stateful_sequences(self, ops: list[OperationSpec]) -> list[CaseResult]:
        """create -> retrieve -> delete -> retrieve (404) for every collection that has all three."""
        chosen = {o.operation_id for o in ops}
        cases = []
        for get in ops:
            if get.method != "GET" or not get.path.endswith("}"):
                continue
            delete = next((o for o in self.contract.operations if o.method == "DELETE" and o.path == get.path), None)
            collection = get.path[: get.path.rindex("/")]
            creator = next((o for o in self.contract.operations if o.method == "POST" and o.path == collection), None)
            if delete is None or creator is None or delete.operation_id not in chosen:
                continue
            case = CaseResult(f"{creator.operation_id} > {get.operation_id} > {delete.operation_id}", "stateful")
            cases.append(self._property(case, st.just(None), lambda _, g=get, d=delete: self._sequence(g, d), 1))
        return cases

    def _sequence(self, get: OperationSpec, delete: OperationSpec) -> list[str]:
        names = re.findall(r"{(\w+)}", get.path)
        params = self.resolve(get)
        where = get.path.format(**params)
        first = self.send(get, params)
        problems = self._labelled(f"GET /v1{where} after create", success_problems(self.contract, get, first, False))
        shown = first.json() if first.status_code < 300 and "json" in first.headers.get("content-type", "") else None
        named = names[-1] if isinstance(shown, dict) and names[-1] in shown else "id"
        if isinstance(shown, dict) and str(shown.get(named)) != params[names[-1]]:
            problems.append(f"GET /v1{where} returned {named} {shown.get(named)!r}")
        gone = self.send(delete, params)
        problems += self._labelled(f"DELETE /v1{where}", success_problems(self.contract, delete, gone, False))
        again = self.send(get, params)
        return problems + self._labelled(f"GET /v1{where} after delete", error_problems(self.contract, again, want="404"))

    def run(self, only: Iterable[str] | None = None, progress: Callable[[CaseResult], None] | None = None,
            skip: Iterable[str] = (), on_operation: Callable[[int, int, str], None] | None = None) -> Report:
        """Verify the selected operations (all by default) and the stateful sequences among them.

        ``skip`` names cases left out on purpose (``operationId`` or ``operationId:kind``), e.g. known deviations.
        ``on_operation(done, total, name)`` is called as each operation (and the stateful step) finishes.
        """
        ops = select(self.contract, only)
        skipped = set(skip)
        report = Report(self.base_url)

        def add(case: CaseResult) -> None:
            if case.operation in skipped or f"{case.operation}:{case.kind}" in skipped:
                case.failure, case.skipped = None, "skipped with --skip"
            report.cases.append(case)
            if progress:
                progress(case)

        total = len(ops) + 1  # the stateful sequences are the last step
        for done, op in enumerate(ops, 1):
            if op.operation_id in skipped:
                add(CaseResult(op.operation_id, "valid"))
            else:
                for case in self.verify_operation(op):
                    add(case)
            if on_operation:
                on_operation(done, total, op.operation_id)
        for case in self.stateful_sequences(ops):
            add(case)
        if on_operation:
            on_operation(total, total, "stateful sequences")
        return report


def _unresolvable(creator: OperationSpec) -> str:
    raise Unresolvable(f"{creator.operation_id} answered no object id")

"""The real-world acceptance corpus (tests/corpus/*.yaml) through the SDK's low-level request path.

Every valid case (a body a real client or doc sends) must get a 2xx; every invalid case must get the
status, ``error.type``, ``error.code`` and ``error.param`` the real server answers, except the fields
listed under ``unverified`` (we found the real status but not that detail). Each case names its source.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.compat.corpus_sdk import send_case
from tests.compat.venvs import run_script, sdk_python

CORPUS = Path(__file__).parent / "corpus"
SENDER = Path(__file__).parent / "compat" / "corpus_sdk.py"
COMPARED = ("type", "code", "param")


def load_corpus() -> list[dict[str, Any]]:
    """Every case of every family file, tagged with its family and kind (valid or invalid)."""
    cases = []
    for path in sorted(CORPUS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text()) or {}
        for kind in ("valid", "invalid"):
            for case in data.get(kind) or []:
                cases.append({**case, "family": path.stem, "kind": kind})
    return cases


CASES = load_corpus()


def mismatches(case: dict[str, Any], result: dict[str, Any]) -> list[str]:
    """What differs between a case's expectation and the mock's answer (empty when it matches)."""
    status, error = result["status"], result["error"] or {}
    if case["kind"] == "valid":
        if 200 <= status < 300 and not error:
            return []
        return [f"expected 2xx, got {status}: {json.dumps(error)[:400]}"]
    expect = case["expect"]
    problems = [] if status == expect["status"] else [f"status {status} != {expect['status']}"]
    for field in COMPARED:
        if field in case.get("unverified", []) or field not in expect:
            continue
        if error.get(field) != expect[field]:
            problems.append(f"{field} {error.get(field)!r} != {expect[field]!r}")
    if problems:
        problems.append(f"message: {error.get('message')!r}")
    return problems


@pytest.mark.parametrize("case", CASES, ids=[case["id"] for case in CASES])
def test_corpus_case(mock, case):
    result = send_case(mock.client, case)
    problems = mismatches(case, result)
    assert not problems, f"{case['id']} ({case['source']}): " + "; ".join(problems)


def test_every_case_is_sourced_and_the_corpus_is_big_enough():
    ids = Counter(case["id"] for case in CASES)
    assert not [i for i, n in ids.items() if n > 1], "duplicate ids"
    for case in CASES:
        assert str(case.get("source", "")).strip(), f"{case['id']} has no source"
        assert case.get("path", "").startswith("/"), case["id"]
        if case["kind"] == "invalid":
            assert {"status", "type"} <= set(case["expect"]), case["id"]
            assert set(case.get("unverified", [])) <= set(COMPARED), case["id"]
    kinds = Counter(case["kind"] for case in CASES)
    assert kinds["valid"] >= 200 and kinds["invalid"] >= 80, kinds


@pytest.mark.slow
def test_corpus_through_sdk_1_59_9(_live_server, tmp_path):
    """The same corpus through openai==1.59.9's low-level client.post, against a live server."""
    python = sdk_python("openai==1.59.9")
    cases_file = tmp_path / "cases.json"
    # One process for the whole corpus: no case depends on another's state (each setup creates what
    # its case needs, under fresh ids), so one reset before the run is enough.
    _live_server.engine.reset()
    cases_file.write_text(json.dumps(CASES))
    result = run_script(python, SENDER, _live_server.base_url, str(cases_file), timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert lines[0] == "openai 1.59.9", lines[:1]
    results = {r["id"]: r for r in map(json.loads, lines[1:])}
    failures = []
    for case in CASES:
        problems = mismatches(case, results.get(case["id"], {"status": -1, "error": {"message": "no result"}}))
        if problems:
            failures.append(f"{case['id']}: " + "; ".join(problems))
    assert not failures, f"{len(failures)} of {len(CASES)} cases fail through openai 1.59.9:\n" + "\n".join(failures)

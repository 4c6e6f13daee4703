"""COVERAGE.md is generated and kept in sync; `mockapi routes` prints what it serves."""

from __future__ import annotations

import subprocess
import sys

from mockapi.api import discover_handlers
from mockapi.contract import load_contract
from mockapi.contractgen import coverage_table


def test_coverage_md_is_in_sync():
    current = coverage_table.COVERAGE_PATH.read_text(encoding="utf-8") if coverage_table.COVERAGE_PATH.exists() else ""
    assert current == coverage_table.build(), "COVERAGE.md is stale: run `python -m mockapi.contractgen.coverage_table`"


def test_coverage_rows_mark_what_the_engine_does():
    contract = load_contract()
    text = coverage_table.render(contract, {"createChatCompletion", "createCompletion", "listFiles"}, faults=True)
    rows = {line.split("|")[3].strip(" `"): [c.strip() for c in line.split("|")[1:-1]] for line in text.splitlines()
            if line.startswith("| ") and "`" in line}
    assert len(rows) == len(contract.operations)
    chat = rows["createChatCompletion"]
    assert chat[3] == coverage_table.YES and chat[4] == "own" and chat[7] == "chat" and "stream" in chat[8]
    assert chat[5] == "`client.chat.completions.create`" and chat[9] == "deployment"
    assert rows["createCompletion"][7] == "chat"  # ends in [DONE]
    assert rows["listFiles"][6] == coverage_table.YES and rows["listFiles"][9] == "path"
    assert rows["listModels"][3] == coverage_table.NO and rows["listModels"][8] == coverage_table.NO
    assert f"**3 of {len(contract.operations)} operations served**" in text and "§" not in text


def test_generic_operations_are_marked_by_kind():
    from mockapi.api.generic import fallbacks

    contract = load_contract()
    served = discover_handlers()
    generic = {op_id: fn.generic_kind for op_id, fn in fallbacks(contract, served).items()}
    text = coverage_table.render(contract, set(served), faults=True, generic=generic)
    rows = {line.split("|")[3].strip(" `"): [c.strip() for c in line.split("|")[1:-1]] for line in text.splitlines()
            if line.startswith("| ") and "`" in line}
    assert rows["createChatCompletion"][4] == "own"
    if "createBatch" in generic:  # until batches have their own handlers
        assert rows["createBatch"][4] == "generic create"
    if "cancelBatch" in generic:
        assert rows["cancelBatch"][4] == "generic action"
    assert all(row[3] == coverage_table.YES for row in rows.values()), "every operation of the contract is served"


def test_every_reference_endpoint_is_in_the_contract_and_served():
    contract = load_contract()
    assert set(coverage_table.REFERENCE) <= set(contract.by_id)
    assert set(coverage_table.REFERENCE) <= set(discover_handlers())


def test_check_flag_reports_staleness(tmp_path, monkeypatch):
    monkeypatch.setattr(coverage_table, "COVERAGE_PATH", tmp_path / "COVERAGE.md")
    assert coverage_table.main(["--check"]) == 1
    assert coverage_table.main([]) == 0
    assert coverage_table.main(["--check"]) == 0


def test_routes_prints_every_served_operation():
    result = subprocess.run([sys.executable, "-m", "mockapi", "routes"], capture_output=True, text=True, timeout=60, check=True)
    served = set(discover_handlers())
    listed = {line.split()[2] for line in result.stdout.splitlines() if line.strip()}
    assert listed == {op.operation_id for op in load_contract().operations if op.operation_id in served}
    assert any(line.split()[:2] == ["POST", "/v1/completions"] for line in result.stdout.splitlines())

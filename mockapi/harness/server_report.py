"""The server verification report: a per-operation table, the failures in full, and JUnit XML for CI."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from .server import CaseResult, Report

KINDS = ("valid", "stream", "invalid", "bad json", "unknown id", "stateful")


def _cell(case: CaseResult | None) -> str:
    if case is None:
        return "-"
    if case.skipped:
        return "skip"
    return f"FAIL({case.examples})" if case.failure else f"ok({case.examples})"


def table(report: Report) -> str:
    """One row per operation, one column per kind of check, then a summary line."""
    rows: dict[str, dict[str, CaseResult]] = {}
    for case in report.cases:
        rows.setdefault(case.operation, {})[case.kind] = case
    width = max([len("operation"), *(len(op) for op in rows)])
    lines = [f"{'operation':<{width}}  " + "  ".join(f"{k:<10}" for k in KINDS)]
    lines.append("-" * len(lines[0]))
    for op, kinds in rows.items():
        lines.append(f"{op:<{width}}  " + "  ".join(f"{_cell(kinds.get(k)):<10}" for k in KINDS))
    failed, skipped = len(report.failures), sum(1 for c in report.cases if c.skipped)
    passed = len(report.cases) - failed - skipped
    lines.append("")
    lines.append(f"{report.base_url}: {passed} passed, {failed} failed, {skipped} skipped")
    return "\n".join(lines)


def failures(report: Report) -> str:
    """Every failure with the request that shows it."""
    return "\n".join(f"FAIL {c.operation} [{c.kind}]: {c.failure}" for c in report.failures)


def junit(report: Report, path: str | Path) -> None:
    """Write the report as JUnit XML (one test case per operation and kind)."""
    suite = ET.Element("testsuite", name="mockapi verify", tests=str(len(report.cases)),
                       failures=str(len(report.failures)), skipped=str(sum(1 for c in report.cases if c.skipped)),
                       errors="0")
    ET.SubElement(ET.SubElement(suite, "properties"), "property", name="base_url", value=report.base_url)
    for case in report.cases:
        element = ET.SubElement(suite, "testcase", classname=f"verify.{case.operation}", name=case.kind)
        if case.failure:
            ET.SubElement(element, "failure", message=case.failure[:200], type="ContractViolation").text = case.failure
        elif case.skipped:
            ET.SubElement(element, "skipped", message=case.skipped)
    root = ET.Element("testsuites", name="mockapi verify")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)

"""``python -m mockapi.contractgen [--check]``: regenerate or check contracts/openapi.json."""

from __future__ import annotations

import sys

from mockapi.core.paths import in_checkout

from . import CONTRACT_PATH, build_document, render


def main(argv: list[str] | None = None) -> int:
    """Write the contract, or with ``--check`` report whether it is stale."""
    args = sys.argv[1:] if argv is None else argv
    if not in_checkout():
        print("python -m mockapi.contractgen writes contracts/openapi.json in a source checkout of mockapi; an installed wheel has none. "
              "Clone the repository and run it there.", file=sys.stderr)
        return 2
    text = render(build_document())
    if "--check" in args:
        current = CONTRACT_PATH.read_text() if CONTRACT_PATH.exists() else ""
        if current != text:
            print(f"{CONTRACT_PATH} is stale: run `python -m mockapi.contractgen`", file=sys.stderr)
            return 1
        print(f"{CONTRACT_PATH} is up to date")
        return 0
    CONTRACT_PATH.write_text(text)
    print(f"wrote {CONTRACT_PATH} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

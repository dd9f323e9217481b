"""docs/security.md names tests as evidence: every one it names must exist."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "security.md"
NODE_ID = re.compile(r"`((?:src|tests)/[\w/]+\.py)::(test_\w+)`")


def _test_functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
    }


def test_every_test_named_in_the_security_page_exists() -> None:
    named = NODE_ID.findall(DOC.read_text())
    assert len(named) > 50
    missing = []
    found: dict[str, set[str]] = {}
    for path, function in named:
        file = ROOT / path
        if not file.is_file():
            missing.append(f"{path} (no such file)")
            continue
        if path not in found:
            found[path] = _test_functions(file)
        if function not in found[path]:
            missing.append(f"{path}::{function}")
    assert not missing, f"docs/security.md names tests that do not exist: {missing}"


def test_rows_in_progress_are_marked_for_the_lead() -> None:
    # A row "in progress" carries TODO(test), where its tests are named once merged.
    for line in DOC.read_text().splitlines():
        if line.startswith("|") and "| in progress |" in line.replace("partly / in progress", ""):
            assert "TODO(test)" in line, line

"""Tests share helpers only through tests/support: no test imports a conftest or another test
module, so moving or editing one test file never breaks another."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parent


def test_no_test_imports_a_conftest_or_a_test_module():
    offenders = []
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("tests."):
                leaf = node.module.rsplit(".", 1)[-1]
                if leaf == "conftest" or leaf.startswith("test_"):
                    offenders.append(f"{path.relative_to(TESTS)}: from {node.module} import …")
    assert not offenders, "move the helper to tests/support: " + "; ".join(offenders)

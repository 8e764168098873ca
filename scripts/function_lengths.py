"""`python scripts/function_lengths.py [--max 60]`: every function in backend/ longer than the limit
(the seeders and the demo data aside), longest first; exits 1 when there is one. `make lint` runs it."""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXEMPT = ("backend/demo/", "backend/scale/")


def lengths(root: Path) -> list[tuple[int, str]]:
    found = []
    for path in sorted((root / "backend").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        if rel.startswith(EXEMPT):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                found.append((node.end_lineno - first + 1, f"{rel}:{node.lineno} {node.name}"))
    return sorted(found, reverse=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--max", type=int, default=60)
    args = parser.parse_args()
    long = [(n, where) for n, where in lengths(ROOT) if n > args.max]
    for n, where in long:
        print(f"{n:4d} lines  {where}")
    if long:
        print(f"{len(long)} functions longer than {args.max} lines", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""No function in the product is longer than 80 lines (a long one is split into named helpers).

Counts every ``def`` (methods and nested functions too) from its ``def`` line to its last
line, decorators not included. The allowlist names the functions still over the limit, each
with why; an entry that is gone or now short fails too, so the list only ever shrinks.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

MAX_LINES = 80
PACKAGES = ["assistant", "knowledge", "evals", "tui", "cli"]
ALLOWED: dict[str, str] = {}  # "path::function": why it may stay long (empty: none may)


def long_functions(path: Path, root: Path = ROOT) -> dict[str, int]:
    """``"<path>::<name>"`` -> line count of each function in ``path`` over ``MAX_LINES``."""
    found = {}
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            lines = (node.end_lineno or node.lineno) - node.lineno + 1
            if lines > MAX_LINES:
                found[f"{path.relative_to(root).as_posix()}::{node.name}"] = lines
    return found


def _product_long_functions() -> dict[str, int]:
    found: dict[str, int] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found.update(long_functions(path))
    return found


def test_no_function_is_over_80_lines() -> None:
    found = _product_long_functions()
    too_long = {name: n for name, n in found.items() if name not in ALLOWED}
    assert too_long == {}, "split these into well-named helpers (lines):\n" + "\n".join(
        f"{name}: {n}" for name, n in sorted(too_long.items()))


def test_the_allowlist_only_names_functions_still_too_long() -> None:
    stale = sorted(set(ALLOWED) - set(_product_long_functions()))
    assert stale == [], "now short or gone: remove from ALLOWED: " + ", ".join(stale)


def test_the_count_runs_from_def_to_the_last_line(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_LINES - 1))
    probe = tmp_path / "probe.py"
    probe.write_text(
        "@staticmethod\n"
        f"def fits():\n{body}\n"
        f"class C:\n    async def too_long(self):\n{body.replace('    ', '        ')}"
        "        return 1\n"
    )
    assert long_functions(probe, tmp_path) == {"probe.py::too_long": MAX_LINES + 1}

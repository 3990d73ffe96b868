"""The layering rule, checked: the core never pulls in the UI, and --help stays light."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# the one module that imports litellm (and configures it); every other module asks it
LITELLM_MODULE = Path("assistant/llm/litellm_setup.py")
PRODUCT = ["assistant", "knowledge", "tui", "evals", "cli", "benchmarks"]

HEAVY = ["textual", "torch", "sentence_transformers", "chromadb", "litellm", "langgraph"]


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True, text=True, check=True,
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_core_does_not_import_textual() -> None:
    mods = _modules_after(
        "import assistant, assistant.config, assistant.kb, assistant.service, knowledge.ingest, "
        "knowledge.retrieval, knowledge.loader"
    )
    assert "textual" not in mods
    assert "tui" not in mods
    assert "cli" not in mods


def test_the_cli_face_does_not_import_textual() -> None:
    mods = _modules_after("import cli, cli.main, cli.kb, cli.prep, cli.meetings, cli.reflect, "
                          "cli.outcomes, cli.review")
    assert "textual" not in mods
    assert "tui" not in mods


def test_help_imports_no_heavy_library() -> None:
    mods = _modules_after(
        "import contextlib, io\nfrom cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass"
    )
    assert not [m for m in HEAVY if m in mods]


def test_import_linter_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports), "--no-cache"], capture_output=True, text=True,
                            cwd=Path(__file__).resolve().parents[2])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 6 kept, 0 broken" in result.stdout


def _imports_litellm(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            names = [node.module or ""]
        else:
            continue
        if any(name == "litellm" or name.startswith("litellm.") for name in names):
            lines.append(node.lineno)
    return lines


def test_only_the_litellm_setup_module_imports_litellm() -> None:
    importers = {
        path.relative_to(ROOT)
        for package in PRODUCT if (ROOT / package).is_dir()
        for path in (ROOT / package).rglob("*.py") if _imports_litellm(path)
    }
    assert importers == {LITELLM_MODULE}


def test_the_litellm_scan_finds_an_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import os\n\ndef f():\n    from litellm import CustomLLM\n"
                     "    import litellm.utils\n")
    assert _imports_litellm(probe) == [4, 5]

def test_nothing_in_the_core_imports_the_service() -> None:
    """``assistant.service.Huddle`` is the front door: the faces import it, and the modules
    behind it depend on small protocols instead (no import circle, not even for typing)."""
    import grimp

    graph = grimp.build_graph("assistant", "knowledge")
    assert graph.find_modules_that_directly_import("assistant.service") == set()

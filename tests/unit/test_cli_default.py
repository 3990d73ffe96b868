"""``huddle`` alone opens the app at once: the default command is found without the full
parser or ``importlib.metadata``, and everything else still goes through the full parser."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import cli.main as cli_main


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[argparse.Namespace]:
    """The app's handler replaced by a recorder; building the full parser is counted."""
    seen: list[argparse.Namespace] = []

    def app(args: argparse.Namespace) -> int:
        seen.append(args)
        return 7

    monkeypatch.setattr(cli_main, "_default_command", lambda: app)
    return seen


def test_the_app_alone_skips_the_full_parser(opened: list[argparse.Namespace],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parser() -> Any:
        raise AssertionError("the full parser was built for `huddle` alone")

    monkeypatch.setattr(cli_main, "build_parser", no_parser)
    assert cli_main.main(["--data-dir", "/tmp/d", "--kb", "/tmp/k"]) == 7
    (args,) = opened
    assert (args.data_dir, args.kb, args.clock) == ("/tmp/d", "/tmp/k", None)
    assert cli_main.main([]) == 7 and not hasattr(opened[1], "kb")


@pytest.mark.parametrize("argv", [["--help"], ["-h"], ["--kb"], ["--nope"],
                                  ["--data-dir", "/tmp/d", "prep"]])
def test_anything_else_goes_through_the_full_parser(argv: list[str],
                                                    opened: list[argparse.Namespace],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli_main.main(argv)
    assert opened == []
    captured = capsys.readouterr()
    assert "usage: huddle" in captured.out + captured.err


def test_declared_reads_entry_points_txt_in_path_order(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, target in ((first, "pkg_one.app:run [tui]"), (second, "pkg_two:run")):
        info = folder / "some_app-1.0.dist-info"
        info.mkdir(parents=True)
        (info / "entry_points.txt").write_text(
            f"[console_scripts]\nx = y:z\n\n[huddle.default]\napp = {target}\n")
    other = first / "other-2.0.dist-info"
    other.mkdir()
    (other / "entry_points.txt").write_text("[huddle.default]\n# app = no:no\nmore = m.n:o.p\n")
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "missing"), str(second)])
    # the first distribution of a name wins (some_app in `b` is shadowed); comments skipped
    assert cli_main._declared("huddle.default") == ["m.n:o.p", "pkg_one.app:run"]
    assert cli_main._declared("huddle.commands") == []


def test_the_installed_default_is_the_app_and_loads_no_metadata() -> None:
    code = ("import sys, cli.main as m\nf = m._default_command()\n"
            "print(f.__module__, f.__name__, 'importlib.metadata' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["tui.cli", "run_default", "False"]

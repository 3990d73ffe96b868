"""Every CLI command, run with hostile arguments, answers with a message: no traceback.

The commands are discovered from the argparse parser, so a new command is covered the day
it is added. Each one runs in-process against a private copy of the small KB, a fresh data
directory and a scripted model (``FakeLLM``: never the real LLM), first with every
positional and required option set to each hostile value, then with plausible required
values and each optional value set to hostile ones. Exit codes: 2 bad input, 1 failure, 0
when the input was fine after all (issue 13).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.main import build_parser, main
from tests.conftest import DATA, ROOT
from tests.fakes import FakeLLM

# commands that open the terminal app (tested by tests/tui)
SKIP = {("tui",)}
# options not fed hostile values: they pick the model (a hostile one would not be the fake)
NOT_HOSTILE = {"--model", "--judge-model", "--kb", "--data-dir", "--help"}


def leaf_commands(parser: argparse.ArgumentParser,
                  prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...],
                                                              argparse.ArgumentParser]]:
    runs_alone = True  # a command whose actions are optional runs by itself too (reflect)
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            runs_alone = not action.required
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:  # aliases share a parser
                    seen.add(id(sub))
                    yield from leaf_commands(sub, (*prefix, name))
    if prefix and runs_alone:
        yield prefix, parser


COMMANDS = {cmd: p for cmd, p in leaf_commands(build_parser()) if cmd not in SKIP}


def test_the_parser_has_the_commands_we_expect() -> None:
    names = {" ".join(c) for c in COMMANDS}
    assert {"kb check", "ingest", "search", "prep", "plans export", "calendar import",
            "meetings add", "export-huddle", "reflect", "outcome", "review submit"} <= names
    assert len(names) >= 25


def _positionals(p: argparse.ArgumentParser) -> list[argparse.Action]:
    return [a for a in p._actions if not a.option_strings
            and not isinstance(a, argparse._SubParsersAction)]


def _takes_value(a: argparse.Action) -> bool:
    return bool(a.option_strings) and a.nargs != 0 and a.option_strings[0] not in NOT_HOSTILE


@pytest.fixture
def hostile(tmp_path: Path, small_kb: Path) -> list[str]:
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff\xfe" * 50)
    return [
        "",  # empty
        "9" * 40,  # a huge number
        "-7",  # negative (argparse takes a leading '-' for an option unless a number)
        "0",
        "nope-\x1b[31m\x07\x00x",  # control characters
        "p-20261120-acme-unknown",  # an unknown id
        str(tmp_path / "missing" / "file.txt"),  # a missing file
        str(tmp_path),  # a folder where a file belongs
        str(binary),  # a binary file
    ]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A data directory with the small KB ingested and one plan (copied by each test)."""
    import contextlib
    import io
    import json
    import shutil

    root = tmp_path_factory.mktemp("seeded")
    shutil.copytree(DATA / "kb_small", root / "kb")
    out = io.StringIO()
    with pytest.MonkeyPatch.context() as mp, contextlib.redirect_stdout(out):
        fake = FakeLLM(default="garbage").install(mp)
        mp.setenv("HUDDLE_CONFIG", str(root / "no-config.toml"))
        mp.setenv("HUDDLE_KB", str(root / "kb"))
        mp.setenv("HUDDLE_DATA_DIR", str(root / "data"))
        mp.setenv("HUDDLE_MODEL", fake.model)
        assert main(["prep", "--account", "acme", "--kind", "discovery", "--date",
                     "2026-11-20", "--sellers", "Avery Cole", "--json", "-q"]) == 0
    return root, json.loads(out.getvalue())["id"]


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
            seeded: tuple[Path, str]) -> FakeLLM:
    import shutil

    fake = FakeLLM(default="garbage").install(monkeypatch)  # every answer invalid: fallbacks
    shutil.copytree(seeded[0] / "data", tmp_path / "data")
    monkeypatch.setenv("HUDDLE_KB", str(seeded[0] / "kb"))  # the KB the copied index is of
    monkeypatch.setenv("HUDDLE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("HUDDLE_MODEL", fake.model)
    monkeypatch.setenv("HUDDLE_LLM__CACHE", "false")
    monkeypatch.chdir(tmp_path)  # a hostile relative output path lands here
    return fake


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse refusing the arguments
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException as exc:  # noqa: BLE001 - the point: nothing may escape main
        pytest.fail(f"huddle {argv!r} raised {type(exc).__name__}: {exc}")
    err = capsys.readouterr().err
    assert "Traceback" not in err, (argv, err)
    assert code in (0, 1, 2), (argv, code, err)
    if code:
        assert err.strip(), (argv, "failed without saying why")
    return code, err


PLAUSIBLE = {"account": "acme", "date": "2026-11-20", "sellers": "Avery Cole",
             "query": "pilot budget", "kind": "discovery", "outcome": "won",
             "file": str(DATA / "demo-week.ics")}


def _plausible(a: argparse.Action, plan_id: str) -> str:
    if a.choices:
        return str(next(iter(a.choices)))
    if a.dest in ("id", "plan_id", "plan"):
        return plan_id
    return PLAUSIBLE.get(a.dest, "p-20261120-acme-unknown")


@pytest.mark.parametrize("command", sorted(COMMANDS), ids=" ".join)
def test_every_command_answers_hostile_arguments_with_a_message(
    command: tuple[str, ...], cli_env: FakeLLM, hostile: list[str],
    capsys: pytest.CaptureFixture[str], seeded: tuple[Path, str],
) -> None:
    parser = COMMANDS[command]
    positionals = _positionals(parser)
    required = [a for a in parser._actions if a.option_strings and a.required]
    optional = [a for a in parser._actions if _takes_value(a) and not a.required]
    for value in hostile:  # every argument the command needs is hostile
        argv = [*command]
        for _ in positionals:
            argv.append(value)
        for a in required:
            argv += [a.option_strings[-1], value]
        _run(argv, capsys)
    base = [*command, *(_plausible(a, seeded[1]) for a in positionals)]
    for a in required:
        base += [a.option_strings[-1], _plausible(a, seeded[1])]
    for a in optional:  # plausible required values, one hostile option at a time
        for value in hostile[:5] + hostile[6:]:
            _run([*base, f"{a.option_strings[-1]}={value}"], capsys)


@pytest.mark.parametrize("data_dir", ["file", "unwritable", "control"])
def test_an_unusable_data_directory_is_a_message(
    data_dir: str, cli_env: FakeLLM, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    import os

    if data_dir == "file":
        path = tmp_path / "a-file"
        path.write_text("not a folder")
    elif data_dir == "unwritable":
        if os.geteuid() == 0:
            pytest.skip("root can write anywhere")
        path = tmp_path / "locked"
        path.mkdir()
        path.chmod(0o500)
    else:
        path = tmp_path / "bad\x1b[2J\x07name"
    for argv in (["plans", "list"], ["meetings", "list"], ["ingest"], ["search", "pilot"],
                 ["prep", "--account", "acme", "--kind", "discovery", "--date", "2026-11-20",
                  "--sellers", "Avery Cole"]):
        code, err = _run([*argv, "--data-dir", str(path)], capsys)
        if data_dir != "control":
            assert code == 2, (argv, err)
            assert str(path) in err and "--data-dir" in err, (argv, err)


def test_a_damaged_records_database_is_a_message_before_the_model_runs(
    cli_env: FakeLLM, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = tmp_path / "data"
    data.mkdir(exist_ok=True)
    for name in ("huddle.db", "huddle.db-wal", "huddle.db-shm"):
        (data / name).unlink(missing_ok=True)
    (data / "huddle.db").write_bytes(b"definitely not SQLite " * 300)
    code, err = _run(["prep", "--account", "acme", "--kind", "discovery", "--date",
                      "2026-11-20", "--sellers", "Avery Cole"], capsys)
    assert code == 1 and "is not a SQLite database" in err
    assert cli_env.calls == []  # refused before the model ran


def test_minutes_and_prep_minutes_out_of_range_are_bad_input(
    cli_env: FakeLLM, capsys: pytest.CaptureFixture[str],
) -> None:
    for minutes in ("0", "-30", "100000"):
        code, err = _run(["prep", "--account", "acme", "--kind", "discovery", "--date",
                          "2026-11-20", "--sellers", "Avery Cole", f"--minutes={minutes}"],
                         capsys)
        assert code == 2 and "10 and 240 minutes" in err
    assert cli_env.calls == []


def test_plans_export_into_a_missing_folder_writes_it(
    cli_env: FakeLLM, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["prep", "--account", "acme", "--kind", "discovery", "--date", "2026-11-20",
                 "--sellers", "Avery Cole", "--json", "-q"]) == 0
    import json

    plan_id = json.loads(capsys.readouterr().out)["id"]
    out = tmp_path / "new" / "folder" / "plan.md"
    code, _ = _run(["plans", "export", plan_id, "-o", str(out)], capsys)
    assert code == 0 and out.read_text().startswith("# ")
    code, err = _run(["plans", "export", plan_id, "-o", str(tmp_path)], capsys)
    assert code == 2 and "Folder given for a file" in err


def test_output_into_a_closed_pipe_is_quiet(tmp_path: Path, small_kb: Path) -> None:
    """`huddle ... | head`: the reader goes away; no BrokenPipeError traceback."""
    proc = subprocess.run(
        f"{sys.executable} -m cli kb check --kb {small_kb} --json | head -c 1",
        shell=True, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert "Traceback" not in proc.stderr and "BrokenPipe" not in proc.stderr, proc.stderr


def test_a_binary_calendar_file_is_a_message_without_its_bytes(
    cli_env: FakeLLM, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    ics = tmp_path / "x.ics"
    ics.write_bytes(bytes(range(256)) * 8)
    code, err = _run(["calendar", "import", str(ics)], capsys)
    assert code == 2 and "not a readable iCalendar file" in err
    assert "\x07" not in err and "\x1b" not in err
    assert (DATA / "demo-week.ics").is_file()


def test_a_model_that_does_not_exist_is_said_on_stderr(
    cli_env: FakeLLM, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    """The plan is still built from the evidence (and says so in its footer); the terminal
    now says it too, with the error naming what to set."""
    monkeypatch.setenv("HUDDLE_MODEL", "huddle-local/no-such-model")
    code, err = _run(["prep", "--account", "acme", "--kind", "discovery", "--date",
                      "2026-11-20", "--sellers", "Avery Cole", "-q", "--no-progressive"], capsys)
    assert code == 0 and "saved as p-" in err
    assert "note: the model gave no usable answer" in err
    assert "There is no embedded model 'huddle-local/no-such-model'" in err
    assert "Set HUDDLE_MODEL to that" in err
    assert cli_env.calls == []  # no model ran under a name it does not have

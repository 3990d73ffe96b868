"""Team-mode configuration: database_url, chroma_url and me; which backend is in use; no
password is ever printed."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import pytest

from assistant.config import load_settings
from knowledge.database import DatabaseError, mask_url, sqlalchemy_url

SECRET = "pa55-w0rd-xyz"
URL = f"postgresql://huddle:{SECRET}@db.example:5432/team"


@pytest.mark.parametrize(("url", "masked"), [
    (URL, "postgresql://huddle:***@db.example:5432/team"),
    ("postgresql://huddle@db/team", "postgresql://huddle@db/team"),
    (f"http://admin:{SECRET}@chroma:8000", "http://admin:***@chroma:8000"),
    ("http://chroma:8000", "http://chroma:8000"),
    (None, ""),
])
def test_mask_url(url: str | None, masked: str) -> None:
    assert mask_url(url) == masked


def test_the_environment_and_the_config_file_set_the_backends(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().database is None and not load_settings().team_mode
    cfg = tmp_path / "config.toml"
    cfg.write_text(f'database_url = "{URL}"\nchroma_url = "http://chroma:8000"\nme = "Dana"\n')
    monkeypatch.setenv("HUDDLE_CONFIG", str(cfg))
    s = load_settings()
    assert (s.database, s.chroma, s.user, s.team_mode) == (URL, "http://chroma:8000", "Dana",
                                                           True)
    monkeypatch.setenv("HUDDLE_DATABASE_URL", URL.replace("team", "other"))
    monkeypatch.setenv("HUDDLE_CHROMA_URL", "http://other:9000")
    s = load_settings()
    assert s.database and s.database.endswith("/other")
    assert s.chroma == "http://other:9000"
    assert SECRET not in repr(s) and SECRET not in str(s.model_dump())  # SecretStr
    assert s.database_label == "PostgreSQL at postgresql://huddle:***@db.example:5432/other (team)"
    assert s.index_label == "Chroma server at http://other:9000 (team)"


def test_me_defaults_to_the_login_name(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_settings().user == getpass.getuser()
    monkeypatch.setenv("HUDDLE_ME", "  Avery   Cole ")
    assert load_settings().user == "Avery Cole"


def test_a_bad_database_url_is_refused_without_its_password() -> None:
    with pytest.raises(DatabaseError) as err:
        sqlalchemy_url(f"mysql://u:{SECRET}@h/db")
    assert SECRET not in err.value.message and "postgresql://" in err.value.message
    assert sqlalchemy_url(URL).drivername == "postgresql+psycopg"


def test_status_says_which_backend_and_who_never_the_password(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    team = small_kb / "team.yaml"
    team.write_text(team.read_text() + "  - {name: Marcus Oyelaran, title: Sales Director, "
                    "strengths: [coaching], role: manager}\n")
    base = ["--kb", str(small_kb), "--data-dir", str(tmp_path / "data")]
    monkeypatch.setenv("HUDDLE_ME", "Avery Cole")
    assert main(["status", *base]) == 0
    out = capsys.readouterr().out
    assert "SQLite files in the data directory (embedded)" in out
    assert "chromadb folder in the data directory (embedded)" in out
    assert "You:             Avery Cole" in out and "Role:            rep" in out
    monkeypatch.setenv("HUDDLE_ME", "marcus oyelaran")
    monkeypatch.setenv("HUDDLE_DATABASE_URL", URL)
    monkeypatch.setenv("HUDDLE_CHROMA_URL", f"http://admin:{SECRET}@chroma:8000")
    assert main(["status", *base, "--json"]) == 0
    text = capsys.readouterr().out
    assert SECRET not in text
    status = json.loads(text)
    assert (status["me"], status["role"], status["mode"]) == ("Marcus Oyelaran", "manager",
                                                              "team")
    assert status["records"] == "PostgreSQL at postgresql://huddle:***@db.example:5432/team (team)"
    assert status["index"] == "Chroma server at http://admin:***@chroma:8000 (team)"
    monkeypatch.setenv("HUDDLE_ME", "Someone Else")
    assert main(["status", *base]) == 0
    assert "not in team.yaml" in capsys.readouterr().out


def test_database_errors_from_sqlalchemy_are_explained() -> None:
    import sqlite3

    import psycopg
    import sqlalchemy.exc as sa_exc

    from assistant.cli_errors import explain

    locked = sa_exc.OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))
    assert explain(locked) == (1, explain(sqlite3.OperationalError("database is locked"))[1])
    assert "Database busy" in explain(locked)[1]
    down = sa_exc.OperationalError("SELECT", {}, psycopg.OperationalError(
        "connection to server at \"db\" (10.0.0.1), port 5432 failed: Connection refused"))
    code, text = explain(down)
    assert code == 1 and text.startswith("Database unreachable (OperationalError: connection")
    assert "HUDDLE_DATABASE_URL" in text

"""Meetings per rep: a meeting belongs to the rep who added or imported it; in team mode a rep
lists their own (and the shared ones, stored before owners), a manager everyone's.

Every test taking ``database_url`` runs on SQLite files and on a real PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.meetings import Meetings
from knowledge.database import HEADS, MIGRATIONS, current_revision, engine_for
from tests.conftest import DATA, DEMO_KB
from tests.fakes import FakeLLM, ticking_clock
from tests.integration.reflect_support import GOOD_DRAFT, make_huddle

MANAGER = "  - {name: Marcus Oyelaran, title: VP Sales, strengths: [coaching], role: manager}\n"
JORDAN = "  - {name: Jordan Pike, title: Senior Account Executive, strengths: [negotiation]}\n"
DAY = dt.date(2026, 11, 24)


def _upgrade_to(url: str, revision: str) -> None:
    """A records database as an older Huddle left it (migrated only up to ``revision``)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS / "records"))
    with engine_for(url).begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def test_meetings_stored_before_owners_are_shared_after_the_migration(
        database_url: str | None, tmp_path: Path) -> None:
    url = database_url or f"sqlite:///{tmp_path / 'huddle.db'}"
    _upgrade_to(url, "records_0002")
    with engine_for(url).begin() as conn:
        assert "owner" not in {c["name"] for c in sa.inspect(conn).get_columns("meetings")}
        conn.execute(sa.text(
            "INSERT INTO meetings (id, account, kind, starts_at, day, minutes, sellers, buyers,"
            " title, source, created_at) VALUES ('m-old', 'acme', 'demo', "
            "'2026-11-24T10:00:00+00:00', '2026-11-24', 45, '[]', '[]', 'old', 'app', 'x')"))
    store = Meetings(tmp_path, ticking_clock(), database_url=database_url)
    with store.db() as db:
        assert current_revision(db, "records") == HEADS["records"] == "records_0003"
    old = store.get("m-old")
    assert old.owner is None
    assert [m.id for m in store.list_meetings(owner="Avery Cole")] == ["m-old"]  # shared
    assert [m.id for m in store.list_meetings(owner="Jordan Pike")] == ["m-old"]


@pytest.fixture
def reps(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         database_url: str | None):
    team = small_kb / "team.yaml"
    team.write_text(team.read_text() + JORDAN + MANAGER)
    fake = FakeLLM([], default=GOOD_DRAFT).install(monkeypatch)

    def as_(me: str):
        folder = tmp_path / me.replace(" ", "-") if database_url else tmp_path / "laptop"
        return make_huddle(small_kb, folder, fake, database_url=database_url, me=me)

    return as_


def _add(h, seller: str, hour: int):
    start = dt.datetime.combine(DAY, dt.time(hour), tzinfo=dt.UTC)
    return h.schedule(h.meeting(account="acme", kind="demo", date=DAY, sellers=seller), start)


def test_a_rep_lists_their_own_meetings_a_manager_all(reps, database_url: str | None) -> None:
    avery, jordan, marcus = reps("Avery Cole"), reps("jordan pike"), reps("Marcus Oyelaran")
    mine = _add(avery, "Avery Cole", 9)
    theirs = _add(jordan, "Jordan Pike", 10)
    shared = avery.meetings.add(account="acme", kind="demo", minutes=30,
                                starts_at=dt.datetime.combine(DAY, dt.time(11), tzinfo=dt.UTC))
    assert (mine.owner, theirs.owner, shared.owner) == ("Avery Cole", "Jordan Pike", None)
    # an edit keeps the owner, whoever makes it
    marcus.schedule(marcus.meeting(account="acme", kind="proposal", date=DAY,
                                   sellers="Jordan Pike"), theirs.starts_at,
                    meeting_id=theirs.id)
    assert avery.meetings.get(theirs.id).owner == "Jordan Pike"

    def ids(h, **kw):
        return [m.id for m in h.list_meetings(day=DAY, **kw)]

    everyone = [mine.id, theirs.id, shared.id]
    assert ids(avery, all_reps=True) == everyone
    assert ids(avery, rep="JORDAN PIKE") == [theirs.id, shared.id]
    assert ids(marcus) == everyone  # a manager sees the team's
    if database_url:  # team mode: each rep's own and the shared ones
        assert ids(avery) == [mine.id, shared.id]
        assert ids(jordan) == [theirs.id, shared.id]
    else:  # the embedded default: one person, everything, as before
        assert ids(avery) == everyone


def test_a_calendar_import_belongs_to_me(database_url: str | None, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeLLM([], default=GOOD_DRAFT).install(monkeypatch)
    h = make_huddle(DEMO_KB, tmp_path / "d", fake, database_url=database_url,
                    me="avery cole")
    result = h.read_calendar(DATA / "demo-week.ics", since=dt.date(2026, 11, 23), days=7)
    saved = h.save_calendar(result).saved
    assert saved and {m.owner for m in saved} == {"Avery Cole"}  # as team.yaml spells it
    other = make_huddle(DEMO_KB, tmp_path / "d", fake, database_url=database_url,
                        me="Jordan Pike")
    again = other.save_calendar(result).saved  # the same events: one row each, owner kept
    assert [m.id for m in again] == [m.id for m in saved]
    assert {m.owner for m in other.meetings.list_meetings()} == {"Avery Cole"}


def test_meetings_list_and_prep_all_in_the_cli(reps, database_url: str | None,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    avery, jordan = reps("Avery Cole"), reps("Jordan Pike")
    mine, theirs = _add(avery, "Avery Cole", 9), _add(jordan, "Jordan Pike", 10)
    if database_url:
        monkeypatch.setenv("HUDDLE_DATABASE_URL", database_url)
    monkeypatch.setenv("HUDDLE_ME", "Avery Cole")
    monkeypatch.setenv("HUDDLE_LLM__MODEL", avery.settings.llm.model)
    base = ["--kb", str(avery.settings.kb_path), "--data-dir", str(avery.settings.data_path)]

    def listed(*extra: str) -> list[str]:
        assert main(["meetings", "list", "--all", "--json", *base, *extra]) == 0
        return [m["id"] for m in json.loads(capsys.readouterr().out)]

    assert listed("--all-reps") == [mine.id, theirs.id]
    assert listed("--rep", "Jordan Pike") == [theirs.id]
    assert listed() == ([mine.id] if database_url else [mine.id, theirs.id])
    with pytest.raises(SystemExit) as bad:
        main(["meetings", "list", "--rep", "x", "--all-reps", *base])
    assert bad.value.code == 2 and "not allowed with" in capsys.readouterr().err
    assert main(["prep-all", "--date", DAY.isoformat(), "--json", "-q", *base]) == 0
    drafted = [o["meeting"]["id"] for o in json.loads(capsys.readouterr().out)]
    assert drafted == ([mine.id] if database_url else [mine.id, theirs.id])
    if database_url:
        assert jordan.meetings.get(theirs.id).plan_id is None  # Jordan's: left to Jordan
        assert main(["prep-all", "--date", DAY.isoformat(), "--json", "-q", "--all-reps",
                     *base]) == 0
        outcomes = json.loads(capsys.readouterr().out)
        assert [(o["meeting"]["id"], o["skipped"]) for o in outcomes] == [
            (mine.id, True), (theirs.id, False)]

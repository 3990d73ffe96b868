"""The record stores on both backends: SQLite files (the default) and a real PostgreSQL.

Every test taking ``database_url`` runs twice (tests/conftest.py): once on SQLite files under
``tmp_path``, once on a fresh database of a PostgreSQL cluster the tests started.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa

from assistant.meetings import Meetings
from assistant.plan import Plan
from assistant.records import Records
from assistant.reflect.store import ReflectionStore
from knowledge.database import HEADS, MIGRATIONS, StaleWriteError, current_revision, engine_for
from knowledge.ledger import Ledger
from knowledge.loader import load_kb
from tests.fakes import ticking_clock
from tests.integration.reflect_support import GOOD_DRAFT, make_huddle

# ---- the schema ----------------------------------------------------------------------------


def test_the_heads_in_code_are_the_heads_of_the_migration_scripts() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    for stream, head in HEADS.items():
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS / stream))
        assert ScriptDirectory.from_config(cfg).get_heads() == [head]


def test_stores_migrate_a_fresh_database_to_head(database_url: str | None,
                                                  tmp_path: Path) -> None:
    records = Records(tmp_path, database_url=database_url)
    ledger = Ledger.open(tmp_path, stamp=ticking_clock().stamp, database_url=database_url)
    with records.db() as db:
        assert current_revision(db, "records") == HEADS["records"]
        names = set(sa.inspect(db).get_table_names())
    assert {"plans", "plan_reviews", "meetings", "reflections", "reflection_writes"} <= names
    with ledger.db() as db:
        assert current_revision(db, "ledger") == HEADS["ledger"]
    if database_url:  # one database holds both streams, each with its own version table
        assert {"outcomes", "signals", "alembic_version_records",
                "alembic_version_ledger"} <= names


OLD_HUDDLE_DB = """
CREATE TABLE plans (id TEXT PRIMARY KEY, root_id TEXT NOT NULL, version INTEGER NOT NULL,
    parent_id TEXT, account TEXT NOT NULL, meeting_date TEXT NOT NULL, kind TEXT NOT NULL,
    status TEXT NOT NULL, created_at TEXT NOT NULL, model TEXT NOT NULL, body TEXT NOT NULL);
CREATE INDEX plans_account ON plans(account, meeting_date);
CREATE INDEX plans_root ON plans(root_id, version);
CREATE TABLE plan_reviews (id INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL,
    root_id TEXT NOT NULL, version INTEGER NOT NULL, action TEXT NOT NULL,
    from_status TEXT NOT NULL, to_status TEXT NOT NULL, by TEXT NOT NULL, at TEXT NOT NULL,
    comment TEXT, section_comments TEXT NOT NULL DEFAULT '{}');
INSERT INTO plan_reviews(plan_id, root_id, version, action, from_status, to_status, by, at)
    VALUES ('p-old', 'p-old', 1, 'submit', 'draft', 'in_review', 'Avery Cole', '2026-11-01');
"""


def test_a_data_dir_from_before_migrations_is_adopted_with_its_rows(
        tmp_path: Path, small_kb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """huddle.db as the previous release left it (no version table, no meetings or
    reflections tables yet): opened in place, nothing lost, new columns added."""
    from tests.fakes import FakeLLM

    with sqlite3.connect(tmp_path / "huddle.db") as db:
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(OLD_HUDDLE_DB)
    fake = FakeLLM([GOOD_DRAFT]).install(monkeypatch)
    h = make_huddle(small_kb, tmp_path, fake)
    plan = h.prepare(h.meeting(account="acme", kind="discovery", date="2026-11-20",
                               sellers="Avery Cole"))
    with sqlite3.connect(tmp_path / "huddle.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version_records").fetchone() == (
            HEADS["records"],)
        assert db.execute("SELECT by FROM plan_reviews").fetchall() == [("Avery Cole",)]
        cols = {r[1] for r in db.execute("PRAGMA table_info(plans)")}
    assert {"author", "revision"} <= cols
    assert h.records.info(plan.id)["revision"] == 1
    assert Meetings(tmp_path, ticking_clock()).list_meetings() == []


# ---- plans, versions and optimistic writes -------------------------------------------------


@pytest.fixture
def team(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
         database_url: str | None):
    """A rep's service and a manager's service on the same records (two machines)."""
    from tests.fakes import FakeLLM

    team_yaml = small_kb / "team.yaml"
    team_yaml.write_text(team_yaml.read_text() + "  - {name: Jordan Pike, title: Senior "
                         "Account Executive, strengths: [negotiation]}\n")
    fake = FakeLLM([], default=GOOD_DRAFT).install(monkeypatch)
    rep = make_huddle(small_kb, tmp_path / "rep", fake, database_url=database_url,
                      me="Avery Cole")
    if database_url:
        manager = make_huddle(small_kb, tmp_path / "mgr", fake, database_url=database_url,
                              me="Marcus Oyelaran")
    else:  # embedded: one machine, one data folder
        manager = make_huddle(small_kb, tmp_path / "rep", fake, me="Marcus Oyelaran")
    return rep, manager


def draft(h, date: str = "2026-11-20") -> Plan:
    return h.prepare(h.meeting(account="acme", kind="discovery", date=date,
                               sellers="Avery Cole,Jordan Pike"))


def test_a_manager_approving_while_the_rep_revises_roles_overwrites_nothing(team) -> None:
    rep, manager = team
    v1 = draft(rep)
    rep.reviews.submit(v1.id)
    seen = manager.records.info(v1.id)  # the manager opened v1 ...
    v2 = rep.revise_roles(v1.id, {"Avery Cole": "lead", "Jordan Pike": "closer"})  # ... rep
    with pytest.raises(Exception, match=f"revised as v2 \\({v2.id}\\)"):
        manager.reviews.approve(v1.id)
    # a status write against the revision the manager read is refused too
    rep.records.set_status(v1.id, "changes_requested")
    with pytest.raises(StaleWriteError, match="changed since you opened it"):
        manager.records.set_status(v1.id, "approved", expected_revision=seen["revision"])
    assert rep.records.get_plan(v1.id).status == "changes_requested"
    assert rep.records.get_plan(v2.id).status == "draft"


def test_two_revisions_of_the_same_version_the_second_is_refused(team) -> None:
    rep, manager = team
    v1 = draft(rep)
    rep.revise_roles(v1.id, {"Avery Cole": "lead", "Jordan Pike": "closer"})
    with pytest.raises(StaleWriteError, match="already has a version 2"):
        manager.revise_roles(v1.id, {"Avery Cole": "closer", "Jordan Pike": "lead"})
    versions = rep.records.versions(v1.id)
    assert [(p.version, [r.role for r in p.roles]) for p in versions][1][1][0] == "lead"
    assert len(versions) == 2


def test_two_managers_approving_at_once_one_wins(team, database_url: str | None) -> None:
    rep, manager = team
    v1 = draft(rep)
    rep.reviews.submit(v1.id)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def approve(by: str) -> None:
        barrier.wait()
        try:
            manager.reviews.approve(v1.id, by=by)
            results.append("ok")
        except Exception as exc:  # noqa: BLE001 - the loser's message is checked below
            results.append(type(exc).__name__ + ": " + str(exc))

    threads = [threading.Thread(target=approve, args=(n,)) for n in ("M1", "M2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    loser = next(r for r in results if r != "ok")
    assert "already approved" in loser or "changed since you opened it" in loser
    events = [e.action for e in rep.reviews.history(v1.id)]
    assert events == ["submit", "approve"]  # one approval recorded, not two


def test_the_queue_by_rep_and_day_and_the_reps_comments(team) -> None:
    rep, manager = team
    a = draft(rep, "2026-11-20")
    b = draft(rep, "2026-11-21")
    for p in (a, b):
        rep.reviews.submit(p.id)
    queue = manager.reviews.list(rep="avery cole")
    assert [r["id"] for r in queue] == [a.id, b.id]
    assert all(r["author"] == "Avery Cole" for r in queue)
    assert [r["id"] for r in manager.reviews.list(rep="Avery Cole", day="2026-11-21")] == [b.id]
    assert manager.reviews.list(rep="Jordan Pike") == []
    manager.reviews.request_changes(a.id, comment="Who signs?",
                                    section_comments={"roles": "Jordan asks"})
    comments = rep.reviews.comments_for("Avery Cole")
    assert [(c["plan_id"], c["by"], c["comment"]) for c in comments] == [
        (a.id, "Marcus Oyelaran", "Who signs?")]
    assert comments[0]["section_comments"] == {"roles": "Jordan asks"}


# ---- meetings, reflections, the ledger -----------------------------------------------------


def test_meetings_round_trip_and_reimport(database_url: str | None, tmp_path: Path) -> None:
    store = Meetings(tmp_path, ticking_clock(), database_url=database_url)
    start = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)
    m = store.add(account="acme", kind="demo", starts_at=start, sellers=["Avery Cole"],
                  external_key="ev-1")
    again = store.add(account="acme", kind="proposal", starts_at=start, external_key="ev-1")
    assert again.id == m.id
    store.set_plan(m.id, "p-1")
    got = store.get(m.id[:-2])
    assert (got.kind, got.plan_id, got.sellers) == ("proposal", "p-1", [])
    assert [x.id for x in store.list_meetings(day=start.date())] == [m.id]
    assert store.for_plan("p-1").id == m.id
    store.delete(m.id)
    assert store.list_meetings() == []


def test_reflection_runs_and_their_write_log(database_url: str | None, tmp_path: Path) -> None:
    store = ReflectionStore(tmp_path, stamp=ticking_clock().stamp, database_url=database_url)
    for _ in range(2):  # idempotent
        store.create(run_id="r-1", account="acme", plan_id=None, meeting_date="2026-11-20",
                     author="Avery Cole", source="notes")
    store.update("r-1", status="awaiting_review", body={"a": 1})
    assert store.write_done("r-1", "note") is False
    store.mark_write("r-1", "note", "n-1")
    store.mark_write("r-1", "note", "n-2")  # a replay records nothing twice
    got = store.get("r-")
    assert (got["status"], got["body"], got["writes"]) == ("awaiting_review", {"a": 1},
                                                           {"note": "n-1"})
    assert [r["run_id"] for r in store.list(account="acme")] == ["r-1"]


def test_two_outcomes_for_the_same_attribute_at_once_are_both_counted(
        database_url: str | None, tmp_path: Path, small_kb: Path) -> None:
    kb = load_kb(small_kb)
    attr = kb.icp.attributes[0]
    profile = kb.accounts["acme"].attribute_values(kb.icp)
    ledgers = [Ledger.open(tmp_path, stamp=ticking_clock().stamp, database_url=database_url)
               for _ in range(2)]  # two reps' processes
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def record(i: int) -> None:
        barrier.wait()
        try:
            ledgers[i % 2].record_outcome(
                account="acme", outcome="won" if i % 2 else "lost", profile=profile,
                date=dt.date(2026, 11, 1 + i), icp=kb.icp, recorded_by=f"rep{i % 2}")
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=record, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    label = attr.bucket_label(profile.get(attr.name))
    ev = ledgers[0].evidence(kb.icp)[(attr.name, label)]
    assert (ev.won, ev.lost) == (4, 4)


def test_a_wrong_database_url_is_a_clear_error_without_the_password(tmp_path: Path,
                                                                   postgres_cluster) -> None:
    from assistant.cli_errors import explain
    from knowledge.errors import DatabaseUnavailableError

    url = postgres_cluster.url("postgres", password="not-the-password")
    with pytest.raises(DatabaseUnavailableError) as err:
        Records(tmp_path, database_url=url)
    assert "not-the-password" not in err.value.message
    assert "***" in err.value.message and "database_url" in err.value.message
    assert not (tmp_path / "huddle.db").exists()  # no silent fall-back to a local file
    assert f"postgresql://huddle:***@127.0.0.1:{postgres_cluster.port}/postgres" in \
        err.value.message
    assert explain(err.value)[0] == 1  # a failure (exit 1), not bad input


def test_engines_are_shared_per_database(pg_url: str) -> None:
    assert engine_for(pg_url) is engine_for(pg_url.replace("postgresql://",
                                                           "postgresql+psycopg://"))


def test_a_reflection_started_on_one_machine_is_resumed_on_another(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_url: str) -> None:
    """The checkpoint and the run live in PostgreSQL: a second service with its own data
    folder (another laptop) finishes the run; everything is written once."""
    from tests.fakes import FakeLLM
    from tests.integration.reflect_support import (
        CALL2,
        CRITERION,
        DECISIONS,
        FACTS2,
        write_call,
    )
    from tests.integration.test_reflect_resume import assert_written_once

    fake = FakeLLM([FACTS2, CRITERION]).install(monkeypatch)
    first = make_huddle(small_kb, tmp_path / "laptop-a", fake, database_url=pg_url)
    run = first.reflections.start(notes=write_call(tmp_path, CALL2), account="acme",
                                  kind="discovery", date="2026-11-20", sellers="Avery Cole")
    assert run.status == "awaiting_review"
    assert not (tmp_path / "laptop-a" / "checkpoints.sqlite").exists()
    second = make_huddle(small_kb, tmp_path / "laptop-b", fake, database_url=pg_url)
    assert [r["run_id"] for r in second.reflections.list()] == [run.run_id]
    calls = len(fake.calls)
    done = second.reflections.resume(run.run_id, DECISIONS)
    assert done.status == "applied"
    assert len(fake.calls) == calls  # resumed from the checkpoint: no model call
    assert_written_once(small_kb, second, run.run_id)
    assert first.reflections.resume(run.run_id, DECISIONS).status == "applied"  # no-op
    assert_written_once(small_kb, first, run.run_id)


def test_review_queue_and_comments_in_the_cli(team, database_url: str | None,
                                              monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    rep, manager = team
    a, b = draft(rep, "2026-11-20"), draft(rep, "2026-11-21")
    for p in (a, b):
        rep.reviews.submit(p.id)
    if database_url:
        monkeypatch.setenv("HUDDLE_DATABASE_URL", database_url)
    base = ["--kb", str(manager.settings.kb_path), "--data-dir", str(manager.settings.data_path)]
    monkeypatch.setenv("HUDDLE_ME", "Marcus Oyelaran")
    assert main(["review", "queue", *base, "--rep", "Avery Cole", "--day", "2026-11-21"]) == 0
    out = capsys.readouterr().out
    assert b.id in out and a.id not in out and "Avery Cole" in out
    assert main(["review", "queue", *base, "--rep", "Jordan Pike"]) == 0
    assert "no plans in review by Jordan Pike" in capsys.readouterr().out
    assert main(["review", "queue", *base, "--day", "21/11/2026"]) == 2
    assert "--day takes YYYY-MM-DD" in capsys.readouterr().err
    assert main(["review", "request-changes", a.id, *base, "--comment", "Who signs?"]) == 0
    capsys.readouterr()
    monkeypatch.setenv("HUDDLE_ME", "Avery Cole")
    assert main(["review", "comments", *base]) == 0
    out = capsys.readouterr().out
    assert a.id in out and "request changes by Marcus Oyelaran" in out and "Who signs?" in out


def test_team_migrate_copies_a_reps_records_once(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """One rep's laptop (SQLite files) into the team database; run twice, nothing doubles;
    the source files are not changed."""
    from cli.main import main
    from tests.fakes import FakeLLM

    fake = FakeLLM([], default=GOOD_DRAFT).install(monkeypatch)
    laptop = tmp_path / "laptop"
    local = make_huddle(small_kb, laptop, fake)  # embedded: no database_url
    v1 = local.prepare(local.meeting(account="acme", kind="discovery", date="2026-11-20",
                                     sellers="Avery Cole"))
    local.reviews.submit(v1.id, by="Avery Cole")
    local.reviews.request_changes(v1.id, by="Marcus Oyelaran", comment="Who signs?")
    local.schedule(local.meeting(account="acme", kind="demo", date="2026-11-24",
                                 sellers="Avery Cole"),
                   dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC))
    local.record_outcome("acme", "won", date="2026-11-02", cycle_days=40)
    with sqlite3.connect(laptop / "huddle.db") as db:  # as drafted before team mode
        db.execute("UPDATE plans SET author = NULL")
    before = {p.name: p.read_bytes() for p in laptop.glob("*.sqlite")} | {
        "huddle.db": (laptop / "huddle.db").read_bytes()}

    monkeypatch.setenv("HUDDLE_DATABASE_URL", pg_url)
    base = ["--kb", str(small_kb), "--data-dir", str(tmp_path / "team-machine")]
    assert main(["team", "migrate", "--from-sqlite", str(laptop), *base, "--rep",
                 "Avery Cole", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["copied"] == {"plans": 1, "plan_reviews": 2, "meetings": 1, "reflections": 0,
                               "reflection_writes": 0, "outcomes": 1, "signals": 0}
    assert "s3cret" not in json.dumps(first)  # the target is shown masked
    assert main(["team", "migrate", "--from-sqlite", str(laptop), *base]) == 0
    out = capsys.readouterr().out
    assert "nothing new to copy" in out and "1 already there" in out

    team = make_huddle(small_kb, tmp_path / "team-machine", fake, database_url=pg_url)
    assert [p["id"] for p in team.records.list_plans(author="Avery Cole")] == [v1.id]
    assert [e.action for e in team.reviews.history(v1.id)] == ["submit", "request_changes"]
    assert [c["comment"] for c in team.reviews.comments_for("Avery Cole")] == ["Who signs?"]
    assert [m.owner for m in team.meetings.list_meetings()] == ["Avery Cole"]  # --rep's
    assert [o.key for o in team.ledger.outcomes() if o.source == "outcome"] == [
        "outcome:acme:2026-11-02"]
    after = {p.name: p.read_bytes() for p in laptop.glob("*.sqlite")} | {
        "huddle.db": (laptop / "huddle.db").read_bytes()}
    assert after == before  # read only

    monkeypatch.delenv("HUDDLE_DATABASE_URL")
    assert main(["team", "migrate", "--from-sqlite", str(laptop), *base]) == 2
    assert "set the team database first" in capsys.readouterr().err


def test_doctor_checks_the_team_database(small_kb: Path, tmp_path: Path, pg_url: str,
                                         postgres_cluster) -> None:
    from pydantic import SecretStr

    from assistant.config import load_settings
    from assistant.doctor import run_doctor

    s = load_settings(kb=small_kb, data_dir=tmp_path / "d")
    (tmp_path / "d").mkdir()
    s.database_url = SecretStr(pg_url)
    found = {f.path: f for f in run_doctor(s, repair=False).findings}
    masked = pg_url.replace(pg_url.split(":")[2].split("@")[0], "***")
    assert found[masked].status == "ok"
    s.database_url = SecretStr(postgres_cluster.url("postgres", password="wrong-pass"))
    bad = [f for f in run_doctor(s, repair=False).findings if "://" in f.path]
    assert bad[0].status == "action" and "wrong-pass" not in bad[0].detail + bad[0].path


def test_two_processes_opening_a_new_data_folder_migrate_it_once(tmp_path: Path) -> None:
    """SQLite: the upgrade holds the write lock (BEGIN IMMEDIATE), so racing opens of a new
    huddle.db both succeed and the schema is built once."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def open_it() -> None:
        barrier.wait()
        try:
            Records(tmp_path)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with sqlite3.connect(tmp_path / "huddle.db") as db:
        assert db.execute("SELECT version_num FROM alembic_version_records").fetchall() == [
            (HEADS["records"],)]


def test_threads_migrating_different_data_folders_at_once(tmp_path: Path) -> None:
    """Alembic keeps its running context in a module global: migrations of several data
    folders from threads of one process (an eval run) are serialised, none fails."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(6)

    def open_it(i: int) -> None:
        barrier.wait()
        try:
            Records(tmp_path / f"d{i}")
            Ledger.open(tmp_path / f"d{i}", stamp=ticking_clock().stamp)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=open_it, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_team_migrate_moves_an_unfinished_reflection_that_resumes_on_the_team_db(
        small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pg_url: str,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A reflection started on the laptop (SQLite checkpointer) waits for the rep's decisions;
    `team migrate` copies its run and its workflow checkpoints into PostgreSQL (twice: nothing
    doubles, the laptop's files are not changed) and another machine finishes it from the
    checkpoint, with no model call, everything written once."""
    from cli.main import main
    from tests.fakes import FakeLLM
    from tests.integration.reflect_support import (
        CALL2,
        CRITERION,
        DECISIONS,
        FACTS2,
        write_call,
    )
    from tests.integration.test_reflect_resume import assert_written_once

    fake = FakeLLM([FACTS2, CRITERION]).install(monkeypatch)
    laptop = tmp_path / "laptop"
    local = make_huddle(small_kb, laptop, fake, me="Avery Cole")  # embedded
    run = local.reflections.start(notes=write_call(tmp_path, CALL2), account="acme",
                                  kind="discovery", date="2026-11-20", sellers="Avery Cole")
    assert run.status == "awaiting_review"
    files = ("huddle.db", "checkpoints.sqlite", "icp_ledger.sqlite")
    before = {name: (laptop / name).read_bytes() for name in files}
    with sqlite3.connect(laptop / "checkpoints.sqlite") as db:
        local_checkpoints = db.execute("SELECT COUNT(*) FROM checkpoints WHERE thread_id = ?",
                                       (f"reflect:{run.run_id}",)).fetchone()[0]
    assert local_checkpoints >= 2

    monkeypatch.setenv("HUDDLE_DATABASE_URL", pg_url)
    base = ["--kb", str(small_kb), "--data-dir", str(tmp_path / "team-machine")]
    assert main(["team", "migrate", "--from-sqlite", str(laptop), *base, "--rep",
                 "Avery Cole", "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    assert first["copied"]["reflections"] == 1
    assert first["checkpoints"] == {"copied": local_checkpoints, "already_there": 0,
                                    "resumable": [run.run_id], "stranded": []}
    assert main(["team", "migrate", "--from-sqlite", str(laptop), *base]) == 0
    out = capsys.readouterr().out
    assert "nothing new to copy" in out
    assert re.search(rf"checkpoints +0 copied +{local_checkpoints} already there", out)
    assert f"now resumable on any machine (`huddle reflect resume RUN`): {run.run_id}" in out
    with engine_for(pg_url).connect() as db:
        assert db.execute(sa.text("SELECT COUNT(*) FROM checkpoints WHERE thread_id = :t"),
                          {"t": f"reflect:{run.run_id}"}).scalar() == local_checkpoints
    assert {name: (laptop / name).read_bytes() for name in files} == before  # read only
    with engine_for(pg_url).begin() as db:  # a copy stopped before its last checkpoint ...
        db.execute(sa.text(
            "DELETE FROM checkpoints WHERE thread_id = :t AND checkpoint_id = (SELECT "
            "MAX(checkpoint_id) FROM checkpoints WHERE thread_id = :t)"),
            {"t": f"reflect:{run.run_id}"})
    assert main(["team", "migrate", "--from-sqlite", str(laptop), *base, "--json"]) == 0
    again = json.loads(capsys.readouterr().out)["checkpoints"]  # ... is completed by the next
    assert (again["copied"], again["already_there"]) == (1, local_checkpoints - 1)

    other = make_huddle(small_kb, tmp_path / "laptop-b", fake, database_url=pg_url,
                        me="Avery Cole")
    calls = len(fake.calls)
    waiting = other.reflections.get(run.run_id)
    assert waiting.status == "awaiting_review" and waiting.items
    done = other.reflections.resume(run.run_id, DECISIONS)
    assert done.status == "applied"
    assert len(fake.calls) == calls  # resumed from the copied checkpoint: no model call
    assert_written_once(small_kb, other, run.run_id)
    assert main(["team", "migrate", "--from-sqlite", str(laptop), *base]) == 0  # again:
    assert "nothing new to copy" in capsys.readouterr().out  # the team's newer state stays
    assert other.reflections.resume(run.run_id, DECISIONS).status == "applied"
    assert_written_once(small_kb, other, run.run_id)

"""Meeting and plan ids never collide silently: nothing stored is overwritten (issue 13).

A 30,000-event calendar produced 678 meeting-id collisions with 16 random bits, and each
collision overwrote a stored meeting.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant import meetings as meetings_mod
from assistant import records as records_mod
from assistant.meetings import Meetings
from assistant.records import Records
from tests.fakes import ticking_clock

NY = ZoneInfo("America/New_York")
START = dt.datetime(2026, 11, 24, 10, tzinfo=NY)


@pytest.fixture
def fast_dir(tmp_path: Path):
    """A data directory in memory when the machine has one (a thousand commits, no fsync)."""
    import shutil
    import tempfile

    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    path = Path(tempfile.mkdtemp(dir=shm, prefix="huddle-test-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def test_many_meetings_on_one_day_are_all_stored(fast_dir: Path) -> None:
    store = Meetings(fast_dir, ticking_clock())
    n = 1000  # 16 random bits: ~7.6 collisions expected here (none: p = 0.0005)
    ids = {store.add(account="acme", kind="discovery", starts_at=START, sellers=["Avery Cole"],
                     title=f"call {i}", external_key=f"uid-{i}@x").id for i in range(n)}
    assert len(ids) == n
    assert len(store.list_meetings(limit=10 * n)) == n


def test_a_colliding_meeting_id_gets_another_id_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens = iter(["same", "same", "same", "other"])
    monkeypatch.setattr(meetings_mod.secrets, "token_hex", lambda n=None: next(tokens))
    store = Meetings(tmp_path, ticking_clock())
    a = store.add(account="acme", kind="discovery", starts_at=START, title="first",
                  external_key="a@1")
    b = store.add(account="acme", kind="discovery", starts_at=START, title="second",
                  external_key="b@1")
    assert a.id != b.id
    assert store.get(a.id).title == "first" and store.get(b.id).title == "second"


def test_when_no_free_meeting_id_is_found_it_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from knowledge.errors import HuddleError

    monkeypatch.setattr(meetings_mod.secrets, "token_hex", lambda n=None: "same")
    store = Meetings(tmp_path, ticking_clock())
    store.add(account="acme", kind="discovery", starts_at=START, title="first")
    with pytest.raises(HuddleError, match="free meeting id"):
        store.add(account="acme", kind="discovery", starts_at=START, title="second")
    assert [m.title for m in store.list_meetings()] == ["first"]


def test_reimporting_the_same_event_still_updates_its_meeting(tmp_path: Path) -> None:
    store = Meetings(tmp_path, ticking_clock())
    a = store.add(account="acme", kind="discovery", starts_at=START, title="v1",
                  external_key="uid@1")
    b = store.add(account="acme", kind="demo", starts_at=START, title="v2",
                  external_key="uid@1")
    assert a.id == b.id
    assert [(m.title, m.kind) for m in store.list_meetings()] == [("v2", "demo")]


def test_ids_carry_at_least_32_random_bits() -> None:
    day = dt.date(2026, 11, 24)
    meeting = meetings_mod.new_meeting_id("acme", day)
    plan = records_mod.new_plan_id("acme", day)
    assert len(meeting.rsplit("-", 1)[1]) >= 8 and len(plan.rsplit("-", 1)[1]) >= 8


def test_a_new_plan_id_is_never_one_already_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    records = Records(tmp_path)
    with sqlite3.connect(tmp_path / "huddle.db") as db:  # a stored plan row the generator hits
        db.execute("INSERT INTO plans(id, root_id, version, parent_id, account, meeting_date,"
                   " kind, status, created_at, model, body) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
                   ("p-20261124-acme-taken", "p-20261124-acme-taken", 1, None, "acme",
                    "2026-11-24", "discovery", "draft", "2026-11-20T00:00:00+00:00", "m",
                    json.dumps({})))
    tokens = iter(["taken", "taken", "free"])
    monkeypatch.setattr(records_mod.secrets, "token_hex", lambda n=None: next(tokens))
    assert records.new_plan_id("acme", dt.date(2026, 11, 24)) == "p-20261124-acme-free"

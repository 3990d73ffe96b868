"""Bad input to the service is refused with what to fix, before the model runs (issue 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import load_settings
from assistant.service import Huddle
from knowledge.errors import HuddleError
from tests.fakes import FakeLLM, ticking_clock

from .test_prep import good_draft


def _team_of(kb: Path, n: int) -> list[str]:
    names = [f"Seller {i}" for i in range(n)]
    strengths = ["discovery", "technical demos", "pricing", "closing", "note-taking",
                 "executive sponsor", "rapport", "integration", "negotiation", "follow-up"]
    rows = "".join(f"  - {{name: {name}, title: AE, strengths: [{strengths[i % 10]}]}}\n"
                   for i, name in enumerate(names))
    (kb / "team.yaml").write_text("people:\n" + rows)
    return names


@pytest.fixture
def huddle(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    def make(script: list | None = None, default=None) -> tuple[Huddle, FakeLLM]:
        fake = FakeLLM(script or [], default=default).install(monkeypatch)
        s = load_settings(kb=small_kb, data_dir=tmp_path / "data")
        s.llm.model = fake.model
        s.llm.cache = False
        return Huddle(s, clock=ticking_clock()), fake

    return make


@pytest.mark.parametrize("n", [8, 10])
def test_eight_or_more_sellers_get_a_plan_with_one_lead_and_one_owner(
    huddle, small_kb: Path, n: int
) -> None:
    names = _team_of(small_kb, n)
    h, _ = huddle(default=good_draft())
    plan = h.prepare(h.meeting(account="acme", kind="demo", date="2026-11-20",
                               sellers=",".join(names)))
    assert [r.name for r in plan.roles] == names
    assert sum(r.role == "lead" for r in plan.roles) == 1
    assert sum(r.owns_next_step for r in plan.roles) == 1
    assert {a.owner for a in plan.agenda} <= set(names)


def test_a_seller_named_twice_attends_once(huddle, small_kb: Path) -> None:
    _team_of(small_kb, 3)
    h, _ = huddle()
    m = h.meeting(account="acme", kind="discovery", date="2026-11-20",
                  sellers="Seller 1, seller 1 ,Seller 2,SELLER 1")
    assert m.sellers == ["Seller 1", "Seller 2"]
    m = h.meeting(account="acme", kind="discovery", date="2026-11-20",
                  sellers=["Seller 0", "seller 0"])
    assert m.sellers == ["Seller 0"]


@pytest.mark.parametrize("minutes", [0, -5, 9, 241, 10**9])
def test_meeting_length_is_checked_by_the_service(huddle, minutes: int) -> None:
    h, fake = huddle()
    with pytest.raises(HuddleError, match="10 and 240 minutes") as info:
        h.meeting(account="acme", kind="discovery", date="2026-11-20", sellers="Avery Cole",
                  minutes=minutes)
    assert info.value.title == "Minutes"
    assert fake.calls == []


def test_a_meeting_before_every_note_is_refused_unless_allowed(huddle) -> None:
    h, fake = huddle(default=good_draft())
    meeting = h.meeting(account="acme", kind="discovery", date="2016-11-20",
                        sellers="Avery Cole")
    with pytest.raises(HuddleError, match="--allow-past") as info:
        h.prepare(meeting)
    assert "10 years before the first note of acme (2026-10-01)" in info.value.message
    assert fake.calls == []  # refused before the model
    plan = h.prepare(meeting, allow_past=True)
    assert plan.meeting.date.year == 2016


def test_a_damaged_records_database_fails_before_the_model_runs(huddle,
                                                                 tmp_path: Path) -> None:
    h, fake = huddle(default=good_draft())
    meeting = h.meeting(account="acme", kind="discovery", date="2026-11-20",
                        sellers="Avery Cole")
    data = tmp_path / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "huddle.db").write_bytes(b"this is not a database, just junk " * 200)
    with pytest.raises(Exception) as info:  # noqa: B017 - any error, as long as it is early
        h.prepare(meeting)
    assert "is not a SQLite database" in str(info.value)  # named, with what to do
    assert fake.calls == []

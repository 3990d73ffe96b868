"""Roles decide what people may do: only a manager approves or sends a plan back; a rep
submits and revises their own plans. Enforced by the service, so the CLI and the TUI get the
same refusal; one-person mode (no manager in team.yaml, or no ``me``) is as before.

Every test taking ``database_url`` runs on SQLite files and on a real PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.access import NotAllowed
from tests.fakes import FakeLLM
from tests.integration.reflect_support import GOOD_DRAFT, make_huddle

MANAGER = "  - {name: Marcus Oyelaran, title: VP Sales, strengths: [coaching], role: manager}\n"
JORDAN = "  - {name: Jordan Pike, title: Senior Account Executive, strengths: [negotiation]}\n"


@pytest.fixture
def people(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
           database_url: str | None):
    """A factory of services on the same records, one per person (``me``)."""
    team = small_kb / "team.yaml"
    team.write_text(team.read_text() + JORDAN + MANAGER)
    fake = FakeLLM([], default=GOOD_DRAFT).install(monkeypatch)

    def as_(me: str | None):
        folder = tmp_path / (me or "nobody").replace(" ", "-") if database_url else \
            tmp_path / "laptop"  # embedded: one data folder on one machine
        return make_huddle(small_kb, folder, fake, database_url=database_url, me=me)

    return as_


def draft(h, date: str = "2026-11-20"):
    return h.prepare(h.meeting(account="acme", kind="discovery", date=date,
                               sellers="Avery Cole,Jordan Pike"))


def unchanged(h, plan_id: str, revision: int, events: list[str]) -> None:
    """Nothing was written: same row revision, same review events."""
    assert h.records.info(plan_id)["revision"] == revision
    assert [e.action for e in h.reviews.history(plan_id)] == events


def test_a_rep_may_not_approve_or_send_back_and_nothing_is_written(people) -> None:
    avery, marcus = people("Avery Cole"), people("Marcus Oyelaran")
    plan = draft(avery)
    avery.reviews.submit(plan.id, comment="ready")
    revision = avery.records.info(plan.id)["revision"]
    with pytest.raises(NotAllowed) as err:
        avery.reviews.approve(plan.id)
    message = err.value.message
    assert "Avery Cole is a rep in team.yaml" in message
    assert f"only a manager may approve a plan ({plan.id})" in message
    assert "Ask a manager (Marcus Oyelaran)" in message and "nothing was written" in message
    with pytest.raises(NotAllowed, match="only a manager may send a plan back"):
        avery.reviews.request_changes(plan.id, comment="looks fine to me")
    unchanged(avery, plan.id, revision, ["submit"])
    assert avery.records.get_plan(plan.id).status == "in_review"
    # the manager may; the event is signed with the name team.yaml spells
    event = marcus.reviews.request_changes(plan.id, comment="Who signs?")
    assert (event.by, event.to_status) == ("Marcus Oyelaran", "changes_requested")
    v2 = avery.revise_roles(plan.id, {"Avery Cole": "closer", "Jordan Pike": "lead"})
    avery.reviews.submit(v2.id)
    assert marcus.reviews.approve(v2.id).to_status == "approved"


def test_everyone_signs_as_themselves(people) -> None:
    avery, marcus = people("Avery Cole"), people("Marcus Oyelaran")
    plan = draft(avery)
    avery.reviews.submit(plan.id)
    revision = avery.records.info(plan.id)["revision"]
    with pytest.raises(NotAllowed, match="--by Marcus Oyelaran would sign as someone else"):
        avery.reviews.approve(plan.id, by="Marcus Oyelaran")
    unchanged(avery, plan.id, revision, ["submit"])
    assert marcus.reviews.approve(plan.id, by="marcus  oyelaran").by == "Marcus Oyelaran"


def test_a_rep_submits_and_revises_only_their_own_plans(people) -> None:
    avery, jordan, marcus = people("Avery Cole"), people("Jordan Pike"), \
        people("Marcus Oyelaran")
    plan = draft(avery)
    revision = avery.records.info(plan.id)["revision"]
    with pytest.raises(NotAllowed, match=f"a rep may submit only the plans they drafted, and "
                       f"{plan.id} is Avery Cole's. Ask Avery Cole or a manager"):
        jordan.reviews.submit(plan.id)
    with pytest.raises(NotAllowed, match="a rep may revise only the plans they drafted"):
        jordan.revise_roles(plan.id, {"Avery Cole": "closer", "Jordan Pike": "lead"})
    unchanged(avery, plan.id, revision, [])
    assert len(avery.records.versions(plan.id)) == 1
    # a manager may submit and revise anyone's; the rep still owns the revision
    v2 = marcus.revise_roles(plan.id, {"Avery Cole": "closer", "Jordan Pike": "lead"})
    assert avery.records.owner(v2.id) == "Avery Cole"
    assert avery.reviews.submit(v2.id).by == "Avery Cole"


def test_someone_not_in_team_yaml_is_told_to_set_me(people) -> None:
    avery, stranger = people("Avery Cole"), people("avery")
    plan = draft(avery)
    avery.reviews.submit(plan.id)
    with pytest.raises(NotAllowed) as err:
        stranger.reviews.approve(plan.id)
    assert "avery (`me` in the config) is not in team.yaml" in err.value.message
    assert "set `me` in the config to your name as team.yaml spells it" in err.value.message
    assert avery.records.get_plan(plan.id).status == "in_review"


def test_one_person_mode_is_as_before(small_kb: Path, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      database_url: str | None) -> None:
    """No manager in team.yaml: anyone approves, --by signs as given. A manager in team.yaml
    but no ``me``: the same."""
    fake = FakeLLM([], default=GOOD_DRAFT).install(monkeypatch)
    (small_kb / "team.yaml").write_text((small_kb / "team.yaml").read_text() + JORDAN)
    h = make_huddle(small_kb, tmp_path / "d", fake, database_url=database_url,
                    me="Avery Cole")
    plan = draft(h)
    h.reviews.submit(plan.id)
    assert h.whoami()["roles_enforced"] is False
    assert h.reviews.approve(plan.id, by="Someone Else").by == "Someone Else"
    (small_kb / "team.yaml").write_text((small_kb / "team.yaml").read_text() + MANAGER)
    nobody = make_huddle(small_kb, tmp_path / "d", fake, database_url=database_url)
    second = draft(nobody, "2026-11-21")
    nobody.reviews.submit(second.id, by="Avery Cole")
    assert nobody.whoami()["roles_enforced"] is False
    assert nobody.reviews.approve(second.id).to_status == "approved"


def test_the_cli_exits_non_zero_with_the_refusal(people, database_url: str | None,
                                                 monkeypatch: pytest.MonkeyPatch,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    avery = people("Avery Cole")
    plan = draft(avery)
    if database_url:
        monkeypatch.setenv("HUDDLE_DATABASE_URL", database_url)
    base = ["--kb", str(avery.settings.kb_path), "--data-dir", str(avery.settings.data_path)]
    monkeypatch.setenv("HUDDLE_ME", "Avery Cole")
    assert main(["review", "submit", plan.id, *base]) == 0
    capsys.readouterr()
    for action in (["approve"], ["request-changes", "--comment", "fine"]):
        assert main(["review", action[0], plan.id, *action[1:], *base]) == 2
        err = capsys.readouterr().err
        assert "Not allowed: Avery Cole is a rep in team.yaml" in err
        assert "Ask a manager (Marcus Oyelaran)" in err
    assert avery.records.get_plan(plan.id).status == "in_review"
    monkeypatch.setenv("HUDDLE_ME", "Marcus Oyelaran")
    assert main(["review", "approve", plan.id, *base]) == 0
    assert "in_review → approved by Marcus Oyelaran" in capsys.readouterr().out
    assert main(["status", *base]) == 0
    assert "Role:            manager (roles in force" in capsys.readouterr().out

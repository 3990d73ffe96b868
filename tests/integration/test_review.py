"""Manager review: draft → in review → approved | changes requested, versions and their diff."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.reviews import ReviewError, diff_plans, parse_section_comments
from tests.fakes import FakeLLM
from tests.integration.reflect_support import GOOD_DRAFT, make_huddle


@pytest.fixture
def h(small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
      database_url: str | None):
    team = small_kb / "team.yaml"
    team.write_text(team.read_text() + "  - {name: Jordan Pike, title: Senior Account Executive,"
                    " strengths: [asking for commitment and next steps, negotiation]}\n")
    fake = FakeLLM([GOOD_DRAFT]).install(monkeypatch)
    return make_huddle(small_kb, tmp_path / "data", fake, database_url=database_url)


def plan_v1(h):
    return h.prepare(h.meeting(account="acme", kind="discovery", date="2026-11-20",
                               sellers="Avery Cole,Jordan Pike", buyers="Dana Ruiz (CFO)"))


def test_review_workflow_with_versions_comments_and_diff(h) -> None:
    v1 = plan_v1(h)
    reviews = h.reviews
    with pytest.raises(ReviewError, match="cannot approve a plan that is draft: submit it first"):
        reviews.approve(v1.id, by="Marcus Oyelaran")
    submitted = reviews.submit(v1.id, by="Avery Cole", comment="ready for tomorrow")
    assert (submitted.from_status, submitted.to_status) == ("draft", "in_review")
    assert h.records.get_plan(v1.id).status == "in_review"
    assert [r["id"] for r in reviews.list()] == [v1.id]
    with pytest.raises(ReviewError, match="say what to change"):
        reviews.request_changes(v1.id, by="Marcus Oyelaran")
    with pytest.raises(ReviewError, match="unknown section 'pricing'; sections: objective"):
        reviews.request_changes(v1.id, by="Marcus Oyelaran",
                                section_comments={"pricing": "too low"})
    back = reviews.request_changes(
        v1.id, by="Marcus Oyelaran", comment="Close to ready",
        section_comments={"roles": "Let Jordan lead; Avery asks",
                          "questions": "Ask who signs above Dana"})
    assert back.to_status == "changes_requested"
    assert reviews.list() == []
    with pytest.raises(ReviewError, match="cannot approve a plan that is changes requested"):
        reviews.approve(v1.id, by="Marcus Oyelaran")

    # Avery owns Acme (she wrote its notes), so v1 has her leading and Jordan asking
    v2 = h.revise_roles(v1.id, {"Avery Cole": "closer", "Jordan Pike": "lead"})
    assert (v2.version, v2.status) == (2, "draft")
    with pytest.raises(ReviewError, match=f"it was revised as v2 \\({v2.id}\\): review that"):
        reviews.submit(v1.id, by="Avery Cole")
    view = reviews.show(v2.id)
    assert view.previous is not None and view.previous.id == v1.id
    sections = {d.section: d for d in view.diff}
    assert set(sections) == {"roles", "agenda", "checklist"}  # what a role change touches
    assert "Avery Cole: closer (owns the ask)" in sections["roles"].added
    assert "Avery Cole: lead" in sections["roles"].removed
    assert view.addressed is not None
    assert view.addressed.section_comments["roles"] == "Let Jordan lead; Avery asks"

    reviews.submit(v2.id, by="Avery Cole")
    approved = reviews.approve(v2.id, by="Marcus Oyelaran", comment="Good plan",
                               section_comments={"objective": "Keep the ask concrete"})
    assert approved.to_status == "approved"
    assert h.records.get_plan(v2.id).status == "approved"
    assert h.records.get_plan(v1.id).status == "changes_requested"
    with pytest.raises(ReviewError, match="it is already approved"):
        reviews.approve(v2.id, by="Marcus Oyelaran")
    history = reviews.history(v1.id)
    assert [(e.version, e.action, e.by) for e in history] == [
        (1, "submit", "Avery Cole"), (1, "request_changes", "Marcus Oyelaran"),
        (2, "submit", "Avery Cole"), (2, "approve", "Marcus Oyelaran")]
    assert all(e.at for e in history)
    assert history == reviews.history(v2.id)  # one history across versions
    assert [r["id"] for r in reviews.list(status="approved")] == [v2.id]


def test_diff_of_identical_plans_is_empty(h) -> None:
    v1 = plan_v1(h)
    assert diff_plans(v1, v1) == []


def test_section_comment_parsing() -> None:
    assert parse_section_comments(["roles=Let Jordan lead", "roles=and close",
                                   "icp-fit=check size"]) == {
        "roles": "Let Jordan lead and close", "icp_fit": "check size"}
    with pytest.raises(ReviewError, match="SECTION=TEXT"):
        parse_section_comments(["roles"])


def test_review_cli(h, small_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                    monkeypatch: pytest.MonkeyPatch) -> None:
    from cli.main import main

    if h.settings.database:  # team mode: the CLI finds the database in the environment
        monkeypatch.setenv("HUDDLE_DATABASE_URL", h.settings.database)
    v1 = plan_v1(h)
    base = ["--kb", str(small_kb), "--data-dir", str(tmp_path / "data")]
    assert main(["review", "list", *base]) == 0
    assert "no plans in review" in capsys.readouterr().out
    assert main(["review", "submit", v1.id, *base, "--by", "Avery Cole"]) == 0
    assert "draft → in_review by Avery Cole" in capsys.readouterr().out
    assert main(["review", "list", *base]) == 0
    assert v1.id in capsys.readouterr().out
    assert main(["review", "request-changes", v1.id, *base, "--by", "Marcus Oyelaran",
                 "--section-comment", "roles=Let Jordan lead"]) == 0
    capsys.readouterr()
    assert main(["review", "approve", v1.id, *base, "--by", "Marcus Oyelaran"]) == 2
    assert "Review: cannot approve" in capsys.readouterr().err
    v2 = h.revise_roles(v1.id, {"Avery Cole": "closer", "Jordan Pike": "lead"})
    assert main(["review", "show", v2.id, *base]) == 0
    out = capsys.readouterr().out
    assert "## Changes requested on v1 by Marcus Oyelaran" in out
    assert "- roles: Let Jordan lead" in out and "- + Avery Cole: closer (owns the ask)" in out
    assert main(["review", "submit", v2.id, *base, "--by", "Avery Cole"]) == 0
    assert main(["review", "approve", v2.id, *base, "--by", "Marcus Oyelaran", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out[out.index("{", out.index("in_review") + 1):])["to_status"] == \
        "approved"
    assert main(["review", "list", *base, "--all", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["id"], r["status"]) for r in rows] == [(v2.id, "approved")]

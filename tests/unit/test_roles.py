"""Role assignment from team strengths and the meeting kind (deterministic)."""

from __future__ import annotations

import itertools

import pytest

from assistant.prep.roles import ROLE_KEYWORDS, _fit, assign_roles
from knowledge.models import Person

AE = Person(name="Ana Reyes", title="Account Executive",
            strengths=["opening meetings and building rapport", "running discovery"])
SE = Person(name="Sol Engel", title="Solutions Engineer",
            strengths=["technical demos", "integration design", "security reviews"])
CLOSER = Person(name="Cole Park", title="Senior Account Executive",
                strengths=["negotiation and pricing", "asking for commitment and next steps"])
SCRIBE = Person(name="Nia Sato", title="Sales Associate",
                strengths=["note-taking", "capturing action items and owners", "sending recaps"],
                weaknesses=["pricing"])
EXEC = Person(name="Vera Holt", title="VP Sales",
              strengths=["executive conversations with CFOs", "executive sponsor alignment"])
TEAM = [AE, SE, CLOSER, SCRIBE, EXEC]


def roles(people: list[Person], kind: str) -> dict[str, str]:
    return {r.name: r.role for r in assign_roles(people, kind)}


def test_alone_a_seller_leads_and_owns_the_next_step() -> None:
    [only] = assign_roles([SE], "technical")
    assert (only.role, only.owns_next_step) == ("lead", True)


def test_an_engineer_beside_an_ae_does_the_technical_part() -> None:
    got = assign_roles([AE, SE], "technical")
    assert {r.name: (r.role, r.owns_next_step) for r in got} == {
        AE.name: ("lead", True), SE.name: ("technical", False)}


def test_the_closer_owns_the_ask_when_there_is_one() -> None:
    got = assign_roles([AE, SE, CLOSER], "demo")
    assert {r.name: r.role for r in got} == {AE.name: "lead", SE.name: "technical",
                                             CLOSER.name: "closer"}
    assert [r.name for r in got if r.owns_next_step] == [CLOSER.name]


def test_a_note_taker_takes_notes_and_an_executive_runs_the_executive_part() -> None:
    got = roles([AE, CLOSER, SCRIBE, EXEC], "executive")
    assert got[SCRIBE.name] == "notes" and got[EXEC.name] == "executive"


def test_a_weakness_keeps_someone_out_of_a_role() -> None:
    # the scribe is weak at pricing: never the commercial owner, even in a negotiation
    for people in itertools.permutations([AE, SCRIBE, SE]):
        assert roles(list(people), "negotiation")[SCRIBE.name] != "commercial"


@pytest.mark.parametrize("kind", ["discovery", "demo", "technical", "proposal", "negotiation",
                                  "executive", "follow-up"])
@pytest.mark.parametrize("n", [2, 3, 4, 5])
def test_one_role_each_one_lead_one_owner_whatever_the_team(kind: str, n: int) -> None:
    for people in itertools.combinations(TEAM, n):
        got = assign_roles(list(people), kind)
        assert [r.name for r in got] == [p.name for p in people]  # in the order given
        assert len({r.role for r in got}) == n and {r.role for r in got} <= set(ROLE_KEYWORDS)
        assert sum(r.role == "lead" for r in got) == 1
        assert sum(r.owns_next_step for r in got) == 1
        owner = next(r for r in got if r.owns_next_step)
        assert owner.role == ("closer" if any(r.role == "closer" for r in got) else "lead")
        assert all(r.why for r in got)


def test_nobody_attending_is_an_error() -> None:
    with pytest.raises(ValueError, match="at least one seller"):
        assign_roles([], "discovery")


# ---- more sellers than roles (issue 13: eight or more raised AssertionError) -------------

MORE = [
    Person(name="Omar Diaz", title="Solutions Architect",
           strengths=["integration architecture", "API design"]),
    Person(name="Lea Brandt", title="Deal Desk Manager",
           strengths=["contract terms", "procurement"]),
    Person(name="Ravi Menon", title="Customer Success Manager",
           strengths=["building trust with champions"]),
    Person(name="Kim Yoon", title="Sales Development Rep",
           strengths=["asking discovery questions", "listening for pain"]),
    Person(name="Ben Ortiz", title="Chief Revenue Officer",
           strengths=["board-level vision", "executive escalation"]),
]
BIG_TEAM = TEAM + MORE


@pytest.mark.parametrize("kind", ["discovery", "demo", "negotiation", "executive", "follow-up"])
@pytest.mark.parametrize("n", [6, 7, 8, 9, 10])
def test_any_team_size_one_job_each_one_lead_one_owner(kind: str, n: int) -> None:
    for start in range(len(BIG_TEAM)):  # different subsets and orders of the big team
        people = (BIG_TEAM[start:] + BIG_TEAM[:start])[:n]
        got = assign_roles(people, kind)
        assert [r.name for r in got] == [p.name for p in people]
        assert {r.role for r in got} <= set(ROLE_KEYWORDS)
        assert sum(r.role == "lead" for r in got) == 1
        assert sum(r.role == "closer" for r in got) <= 1
        assert sum(r.owns_next_step for r in got) == 1
        owner = next(r for r in got if r.owns_next_step)
        assert owner.role == ("closer" if any(r.role == "closer" for r in got) else "lead")
        assert all(r.why for r in got)
        if n <= len(ROLE_KEYWORDS):
            assert len({r.role for r in got}) == n  # nobody shares a role while one is free
        else:
            assert {r.role for r in got} == set(ROLE_KEYWORDS)  # every role is held


def test_extra_sellers_share_the_role_their_strengths_fit() -> None:
    got = roles(BIG_TEAM, "demo")
    # two engineers and two deal people: the second of each supports the same part
    technical = [n for n, r in got.items() if r == "technical"]
    assert SE.name in technical or "Omar Diaz" in technical
    assert got["Omar Diaz"] in {"technical", "lead"} and got[SE.name] in {"technical", "lead"}
    assert got[SCRIBE.name] == "notes"


def test_a_big_team_is_assigned_fast() -> None:
    import time

    people = [Person(name=f"Seller {i}", title="Account Executive",
                     strengths=[BIG_TEAM[i % len(BIG_TEAM)].strengths[0]]) for i in range(40)]
    started = time.perf_counter()
    got = assign_roles(people, "proposal")
    assert time.perf_counter() - started < 2.0
    assert sum(r.owns_next_step for r in got) == 1 and len(got) == 40


def test_the_account_owner_leads_and_a_vp_with_them_is_the_executive() -> None:
    # without an owner, the VP's strengths could make them lead a negotiation
    got = {r.name: r for r in assign_roles([SCRIBE, EXEC, CLOSER], "negotiation",
                                           owner=SCRIBE.name)}
    assert got[SCRIBE.name].role == "lead"
    assert got[SCRIBE.name].why == "owns the account, so runs the meeting"
    assert got[EXEC.name].role == "executive"
    assert sum(r.owns_next_step for r in got.values()) == 1


def test_an_owner_who_does_not_attend_changes_nothing() -> None:
    assert roles([AE, SE], "technical") == {
        r.name: r.role for r in assign_roles([AE, SE], "technical", owner="Somebody Else")}


def test_account_owner_defaults_to_the_author_of_most_notes() -> None:
    import datetime as dt
    from types import SimpleNamespace

    from assistant.prep.roles import account_owner

    notes = [SimpleNamespace(author=a, date=dt.date(2026, 11, d))
             for a, d in (("Ana", 1), ("Cole", 2), ("Ana", 3), ("Cole", 4))]
    assert account_owner(SimpleNamespace(owner=None), notes) == "Cole"  # a tie: the newest
    assert account_owner(SimpleNamespace(owner="Vera"), notes) == "Vera"
    assert account_owner(SimpleNamespace(owner=None), []) is None


def test_capturing_commitments_is_notes_work_not_closing() -> None:
    """A deal-desk seller who writes commitments down is not the closer: with the account's
    owner leading, the ask stays with the owner, who asks for next steps."""
    owner = Person(name="Rosa Lind", title="Account Executive",
                   strengths=["running meetings", "asking for the next step and a date"])
    desk = Person(name="Omar Bey", title="Deal Desk Manager",
                  strengths=["seat pricing and onboarding fees", "order forms",
                             "capturing commitments in writing"])
    got = {r.name: r for r in assign_roles([owner, desk], "follow-up", owner="Rosa Lind")}
    assert got["Rosa Lind"].role == "lead" and got["Rosa Lind"].owns_next_step
    assert got["Omar Bey"].role in ("commercial", "notes")


def test_roadmap_commitments_do_not_make_a_closer() -> None:
    founder = Person(name="Ada Kerr", title="CEO",
                     strengths=["founder credibility with owners", "product roadmap commitments"])
    assert _fit(founder, "closer")[0] == 0


def test_with_a_ceo_and_a_vp_attending_the_ceo_is_the_executive() -> None:
    owner = Person(name="Rosa Lind", title="Account Executive", strengths=["running meetings"])
    vp = Person(name="Ike Dorn", title="VP of Sales",
                strengths=["pricing negotiation", "closing at the final stage"])
    ceo = Person(name="Ada Kerr", title="CEO and co-founder",
                 strengths=["peer conversations with executives", "opening doors"])
    got = {r.name: r.role for r in assign_roles([owner, vp, ceo], "executive", owner="Rosa Lind")}
    assert got["Ada Kerr"] == "executive" and got["Rosa Lind"] == "lead"
    assert got["Ike Dorn"] != "executive"

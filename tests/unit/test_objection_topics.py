"""An objection is filed by what it is about: a question that names a rival ("why don't we
just move to X's cloud version") is a competitor point, "pay more than double" is price,
"not in December" is timeline; a request to meet is no objection at all."""

from __future__ import annotations

import pytest

from assistant.prep.objections import find_objections, topic_of
from assistant.prep.reading import read_evidence
from assistant.prep.sentences import pool

ROLES = [{"name": "Sam Reyes", "role": "lead"}, {"name": "Ola Berg", "role": "commercial"},
         {"name": "Ken Ito", "role": "technical"}]
NOTE = {
    "id": "qx-n6", "date": "2026-11-16", "author": "Sam Reyes", "kind": "call",
    "full_text": (
        "Per Jonas, Maria's real worry is her nurses: \"my nurses will not learn a new "
        "screen in December.\" Also Maria asked Jonas \"why don't we just move to "
        "Copperfield's cloud version\". Can you come to the board meeting on Nov 18?")}


def test_a_question_naming_the_incumbent_is_a_competitor_point() -> None:
    found = find_objections(pool([NOTE], ["Maria Lenz", "Jonas Weber"]), ROLES, [],
                            ["Maria Lenz", "Jonas Weber"], competitors=["Copperfield"])
    topics = {o.text[:40]: o.topic for o in found}
    cloud = next(o for o in found if "cloud version" in o.text)
    assert cloud.topic == "competitor" and cloud.owner == "Ola Berg"
    assert "other" not in topics.values()
    assert not [o for o in found if "board meeting" in o.text]  # arranging a meeting


def test_read_evidence_finds_the_rival_in_the_notes_without_a_story() -> None:
    g = {"buyers": [{"name": "Maria Lenz"}, {"name": "Jonas Weber"}], "team": ["Sam Reyes"],
         "exit_criteria": [], "competitors": [], "account_name": "Vertex Clinics",
         "account": "vertex", "people": [{"name": "Sam Reyes", "email": "sam@huddly.example"}]}
    reading = read_evidence(g, [NOTE], [], ROLES)
    assert reading["rivals"] == ["Copperfield"]
    assert any(o["topic"] == "competitor" and "cloud version" in o["text"]
               for o in reading["objections"])


@pytest.mark.parametrize(("text", "topic"), [
    ("Tell me why I'd pay more than double.", "price"),
    ("Show me what it saves before anyone on my team spends time on it.", "price"),
    ("No gateways on my network until this is closed.", "security"),
    ("We provision everyone through Okta, so I need SCIM, not just login.", "security"),
    ("I'm not touching anything in December, it's our busiest month.", "timeline"),
    ("Why not just add cameras to the system we already have?", "competitor"),
    ("Our trucks are mostly 2012 models, does your box even talk to those?", "scope"),
    ("And who owns the hardware if we leave after 36 months?", "legal"),
])
def test_topics_by_what_the_point_is_about(text: str, topic: str) -> None:
    assert topic_of(text) == topic


@pytest.mark.parametrize("text", [
    "Please also note our standard terms: vendor liability is uncapped, Colorado law governs.",
    "Kyle: \"I don't have time to own a rollout in spring. That's our busiest season.\"",
    "We are a small lab, I don't think we can do anything over $1,500 a month.",
])
def test_their_own_terms_and_limits_are_objections(text: str) -> None:
    note = {"id": "qx-n7", "date": "2026-11-16", "author": "Sam Reyes", "kind": "email",
            "full_text": "\n".join(f"> {ln}" for ln in text.split("\n"))}
    found = find_objections(pool([note], ["Kyle Dunn"]), ROLES, [], ["Kyle Dunn"])
    assert found and found[0].topic != "other"


def test_reliability_is_not_liability() -> None:
    assert topic_of("No reliability team, so who would own the alerts?") != "legal"


def test_two_points_on_one_topic_get_answers_that_say_which() -> None:
    note = {"id": "qx-n8", "date": "2026-11-16", "author": "Sam Reyes", "kind": "email",
            "full_text": "> I also need your pen test letter before any pilot.\n>\n> Why is "
                         "the pen test not in the packet?\n>\n> Maria Lenz"}
    found = find_objections(pool([note], ["Maria Lenz"]), ROLES, [], ["Maria Lenz"])
    answers = [o.answer for o in found if o.topic == "security"]
    assert len(answers) == 2 and len(set(answers)) == 2


@pytest.mark.parametrize(("said", "topic"), [
    ("I can't justify paying twice what Brightline charges.", "price"),
    ("Why is Brightline $12 a seat and you are $30?", "price"),
    ("Why don't we just stay with Brightline's hosted version?", "competitor"),
])
def test_a_money_point_that_names_a_rival_is_price(said: str, topic: str) -> None:
    note = {"id": "zk-n1", "date": "2026-10-02", "author": "Sam Reyes", "kind": "email",
            "full_text": f"> {said}\n>\n> Petra Lund"}
    found = find_objections(pool([note], ["Petra Lund"]), ROLES, [], ["Petra Lund"],
                            competitors=["Brightline"])
    assert [o.topic for o in found] == [topic]
    assert "Brightline" in found[0].text  # the rival stays in the objection's text


def test_a_rival_stays_in_play_when_a_newer_note_rules_out_another_one() -> None:
    def said(nid: str, date: str, text: str) -> dict[str, str]:
        return {"id": nid, "date": date, "author": "Sam Reyes", "kind": "call",
                "full_text": text}

    notes = [said("rv-n1", "2026-10-01",
                  'Petra Lund: "Why would we switch when Brightline is already on our desks?"'),
             said("rv-n2", "2026-10-09", "Petra Lund says Corvex is out, they dropped it.")]
    found = find_objections(pool(notes, ["Petra Lund"]), ROLES, [], ["Petra Lund"],
                            competitors=["Brightline", "Corvex"])
    assert [o.topic for o in found] == ["competitor"]  # Corvex is out, Brightline is not
    notes.append(said("rv-n3", "2026-10-12", "Brightline is no longer in the running."))
    assert find_objections(pool(notes, ["Petra Lund"]), ROLES, [], ["Petra Lund"],
                           competitors=["Brightline", "Corvex"]) == []


def test_a_titled_buyer_is_named_by_first_name_not_by_title() -> None:
    note = {"id": "dr-n1", "date": "2026-10-02", "author": "Sam Reyes", "kind": "email",
            "full_text": "> Why is the rollout fee $4,000 on top of the seats?\n>\n> Dr. Ada Kerr"}
    found = find_objections(pool([note], ["Dr. Ada Kerr"]), ROLES, [], ["Dr. Ada Kerr"])
    assert found and "Ada's price point" in found[0].answer
    assert "Dr.'s" not in found[0].answer


# What is asked decides the topic, not a word the sentence shares with one ("Costa" holds "cost")
@pytest.mark.parametrize("text, topic", [
    ('Show me a real audit report for Costa with the trap map on it.', "security"),
    ("Before we sign, we need your ISO 27001 certificate and last year's pen test.", "security"),
    ("Our compliance team sent a questionnaire; where is our data stored?", "security"),
    ("The regulator will ask for the access logs of every change.", "security"),
    ("Why does it cost $49 a tech when the other one is $19?", "price"),
    ("Costa wants the report by Friday.", None),
])
def test_the_topic_comes_from_what_is_asked(text: str, topic: str | None) -> None:
    assert topic_of(text) == topic


AUDIT = {
    "id": "tl-n04", "date": "2026-12-04", "author": "Delphine Okoro", "kind": "research",
    "full_text": ('Rosa texted Dec 2: "Show me a real audit report for Costa with the trap map '
                  'on it. That\'s what I need to see." Costa has 84 stations.')}
PRICE = {
    "id": "tl-n03", "date": "2026-11-12", "author": "Delphine Okoro", "kind": "call",
    "full_text": ("Frank said Swatly says they're $19 a tech, and he won't pay more than double "
                  "for us.")}
TEAM = [{"name": "Delphine Okoro", "role": "lead"}, {"name": "Ken Ito", "role": "technical"},
        {"name": "Ola Berg", "role": "commercial"}]


def test_an_auditors_proof_is_answered_by_the_technical_owner() -> None:
    people = ["Rosa Delacroix", "Frank Tolland"]
    found = find_objections(pool([AUDIT], people), TEAM, [], people)
    audit = next(o for o in found if "audit report" in o.text)
    assert (audit.topic, audit.owner, audit.owner_role) == ("security", "Ken Ito", "technical")


def test_a_rivals_price_is_a_price_point_against_that_rival() -> None:
    people = ["Rosa Delacroix", "Frank Tolland"]
    found = find_objections(pool([PRICE], people), TEAM, [], people, competitors=["Swatly"])
    price = next(o for o in found if "$19" in o.text)
    assert (price.topic, price.rival, price.owner) == ("price", "Swatly", "Ola Berg")


def test_their_own_audit_is_a_date_not_a_proof_they_ask_for() -> None:
    assert topic_of("Their CFO put a freeze on new software until the audit closes.") == "timeline"
    assert topic_of("The auditor wants the trap log for each visit.") == "security"


def test_the_point_names_whole_words_never_a_cut_stem() -> None:
    from assistant.prep.objections import _point
    got = _point("Liability cap at 2x annual fees instead of 1x.", "legal", "Owen Fitzgerald")
    assert got.startswith("Owen's legal point (") and "Liability" in got and "(Liabilit)" not in got

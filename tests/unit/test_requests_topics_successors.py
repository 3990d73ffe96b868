"""A request for word from us is work we owe, not their point; a point with no topic of its
own takes the topic of the point the same person made just before; a person change whose
successor we have since met is no risk. Words unlike any eval file."""

from __future__ import annotations

from assistant.prep.objections import find_objections, find_open_items
from assistant.prep.risks import find_risks
from assistant.prep.sentences import pool

ROLES = [{"name": "Tove Rask", "role": "lead"}, {"name": "Enzo Pari", "role": "commercial"}]
TEAM = ["Tove Rask", "Enzo Pari"]
PEOPLE = ["Greta Holm", "Basil Orr", "Irma Falk"]


def _email(text: str, date: str = "2026-07-01", nid: str = "rq-n1") -> dict[str, object]:
    body = "\n".join(f"> {ln}" for ln in text.splitlines()) + "\n>\n> Greta Holm"
    return {"id": nid, "date": date, "author": "Tove Rask", "kind": "email", "full_text": body,
            "contacts": ["Greta Holm"]}


def test_a_request_for_word_from_us_is_an_open_item_not_an_objection() -> None:
    rows = pool([_email("Tell us once your privacy officer has read the clauses.")], PEOPLE, TEAM)
    assert find_objections(rows, ROLES, [], PEOPLE, team=TEAM) == []
    assert [i.text for i in find_open_items(rows, ROLES, team=TEAM)] == [
        "Tell us once your privacy officer has read the clauses."]


def test_a_point_without_a_topic_takes_the_one_said_just_before() -> None:
    rows = pool([_email("The board will ask why we pay $14k more than last year. Can you "
                        "do better, or show me what we get for the gap?")], PEOPLE, TEAM)
    got = {o.text: o.topic for o in find_objections(rows, ROLES, [], PEOPLE, team=TEAM)}
    assert got.get("Can you do better, or show me what we get for the gap?") == "price"


def test_a_person_change_whose_successor_we_have_met_is_no_risk() -> None:
    change = {"id": "rq-n2", "date": "2026-05-02", "author": "Tove Rask", "kind": "email",
              "full_text": "Basil Orr is leaving Kestrel Foods in June. They welcome Irma Falk as "
                           "the new head of operations.", "contacts": ["Basil Orr"]}
    met = {"id": "rq-n3", "date": "2026-07-10", "author": "Tove Rask", "kind": "meeting",
           "full_text": "Walked Irma through the rollout plan.", "contacts": ["Irma Falk"]}
    before = find_risks(pool([change], PEOPLE, TEAM), [], ROLES, PEOPLE, team=TEAM)
    after = find_risks(pool([change, met], PEOPLE, TEAM), [], ROLES, PEOPLE, team=TEAM)
    assert "champion_change" in {r.kind for r in before}
    assert "champion_change" not in {r.kind for r in after}

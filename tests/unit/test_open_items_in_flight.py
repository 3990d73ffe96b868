"""Work owed before the call that our notes state without a due/owe word."""
from __future__ import annotations

from assistant.prep.objections import find_open_items
from assistant.prep.sentences import pool

ROLES = [{"name": "Nadia Holm", "role": "lead"}, {"name": "Piet Vos", "role": "commercial"},
         {"name": "Juno Park", "role": "technical"}]
TEAM = [r["name"] for r in ROLES]


def _note(nid: str, date: str, text: str, *, author: str = "Nadia Holm",
          kind: str = "research") -> dict[str, str]:
    return {"id": nid, "date": date, "author": author, "kind": kind, "full_text": text}


def _items(*notes: dict[str, str]) -> list[tuple[str, str]]:
    return [(i.text, i.owner) for i in find_open_items(pool(list(notes)), ROLES, team=TEAM)]


def test_work_being_made_or_not_out_yet_is_an_open_item() -> None:
    got = _items(_note("a-1", "2026-03-02", "Piet is drafting the renewal quote for Ilse. "
                       "The weather looks fine."),
                 _note("a-2", "2026-03-03", "The pricing annex is not out yet; I mail it "
                       "to Ilse tomorrow.", author="Juno Park"))
    texts = [t for t, _ in got]
    assert any("renewal quote" in t for t in texts)
    assert any("pricing annex" in t for t in texts)
    assert not any("weather" in t for t in texts)


def test_a_teammate_bringing_or_sending_a_document_by_a_date_is_owned_by_them() -> None:
    got = _items(_note("b-1", "2026-05-10", "Juno brings the data map to the session. "
                       "Ilse likes short meetings."),
                 _note("b-2", "2026-05-11", "Pilot report by May 14 (Piet)."))
    assert ("Juno brings the data map to the session.", "Juno Park") in got
    assert ("Pilot report by May 14 (Piet).", "Piet Vos") in got
    assert len(got) == 2


def test_the_author_who_writes_I_owns_the_item() -> None:
    got = _items(_note("c-1", "2026-06-01", "The savings model still has to reach Ilse before "
                       "the call; I finish it June 3 at the latest.", author="Juno Park"))
    assert got and got[0][1] == "Juno Park"


def test_a_bare_i_owe_them_that_says_what_is_owed() -> None:
    got = _items(_note("d-1", "2026-07-01", "Ilse wants a second reference in retail. "
                       "I owe her that.", kind="call"))
    assert [t for t, _ in got] == ["Ilse wants a second reference in retail. I owe her that."]


def test_an_item_for_a_call_that_has_since_happened_is_dropped() -> None:
    old = _note("e-1", "2026-08-01", "The ROI sheet has to reach Ilse before the call.")
    later = _note("e-2", "2026-08-05", "Ilse walked us through her team's targets.", kind="call")
    assert _items(old) and _items(old, later) == []


def test_a_customer_request_with_a_date_is_owed_by_us() -> None:
    mail = _note("f-1", "2026-09-01", "> Please send the signed DPA by September 8 so we can "
                 "start.\n", kind="email")
    assert any("signed DPA" in t for t, _ in _items(mail))


def test_a_minuted_action_for_a_teammate_is_an_open_item() -> None:
    got = _items(_note("g-1", "2026-10-01", "Piet: write the rollout memo for Ilse (by Oct 4).",
                       kind="meeting"))
    assert got == [("Piet: write the rollout memo for Ilse (by Oct 4).", "Piet Vos")]


def test_checklist_says_which_point_when_one_note_holds_several_alike() -> None:
    from assistant.plan import Objection
    from assistant.prep.assemble import build_checklist

    points = [Objection(text=t, topic="legal", owner="Piet Vos", cites=["h-1"],
                        answer="needs an answer: Piet Vos", speaker="Ilse Maas")
              for t in ("Governing law is Dutch law.", "Cap liability at the annual fee.")]
    points.append(Objection(text="Why so dear?", topic="price", owner="Piet Vos", cites=["h-2"],
                            answer="needs an answer: Piet Vos", speaker="Ilse Maas"))
    roles = [{"name": "Piet Vos", "role": "lead", "owns_next_step": True}]
    items = build_checklist({"icp_unknown": [], "buyers": []}, roles, [], [], [], [],
                            objections=points)
    legal = [i for i in items if "legal point" in i]
    assert len(legal) == len(set(legal)) == 2
    assert "Dutch law" in legal[0] and "annual fee" in legal[1]
    assert "Piet Vos: prepare the answer to Ilse Maas's price point [h-2]." in items


def _met(kind: str, contacts: list[str]) -> list[tuple[str, str]]:
    ask = _note("c-1", "2026-09-15", "Their CFO changed. Need to get Ilse briefed early — "
                "Piet to reach out.")
    later = {**_note("c-2", "2026-10-08", "Nadia and Piet with Ilse in Rotterdam; she wants "
                     "payback under a year.", author="Nadia Holm", kind=kind),
             "contacts": contacts}
    return _items(ask, later)


def test_an_item_to_get_in_front_of_someone_is_done_once_a_meeting_with_them_is_noted() -> None:
    assert not any("briefed" in t for t, _ in _met("meeting", ["Ilse Brandt (CFO)"]))


def test_it_stays_open_when_the_later_note_is_no_meeting_with_that_person() -> None:
    assert any("briefed" in t for t, _ in _met("meeting", ["Ola Berg (COO)"]))
    assert any("briefed" in t for t, _ in _met("email", ["Ilse Brandt (CFO)"]))

"""Objections said as statements, and buyer lines in the buyer's own terms (issue 11).

A manager wants answered what the customer puts in the way, whether it comes as a question or
not: a requirement they set for any vendor, something they want that we do not do, a stop on
anything new, a refusal, a reservation, a figure they point back at ("a number like that").
They do not want our own chat lines, our prep notes, cover lines, their complaints about the
rival or the rival's contract terms filed as objections. A buyer's lines are what that person
wants, worries about or conditions on, newest first, in their own words; who signs is their
part in the decision, not what they care about.
"""

from __future__ import annotations

import re

from assistant.prep.buyers import buyer_lines
from assistant.prep.objections import find_objections, in_play
from assistant.prep.rivals import named_rivals
from assistant.prep.sentences import note_sentences, pool

ROLES = [{"name": "Ivo Marsh", "role": "lead"}, {"name": "Rhea Solt", "role": "commercial"},
         {"name": "Oskar Lind", "role": "technical"}]
TEAM = ["Ivo Marsh", "Rhea Solt", "Oskar Lind"]
BUYERS = ["Tilda Berne", "Marco Vidal"]


def _note(body: str, *, nid: str = "zz-n4", date: str = "2026-10-02", kind: str = "call",
          title: str = "Call", contacts: tuple[str, ...] = ()) -> dict[str, object]:
    return {"id": nid, "date": date, "author": "Ivo Marsh", "kind": kind, "title": title,
            "full_text": body, "contacts": list(contacts)}


def _objections(*notes: dict[str, object], competitors: tuple[str, ...] = ()) -> list:
    rows = pool(list(notes), BUYERS, TEAM)
    return find_objections(rows, ROLES, [], BUYERS, team=TEAM, competitors=list(competitors))


def _mail(lines: str, signer: str = "Tilda Berne") -> dict[str, object]:
    body = "\n".join(f"> {ln}" for ln in lines.splitlines()) + f"\n>\n> {signer}"
    return _note(body, kind="email", contacts=(signer,))


# ---- objections said as statements -------------------------------------------------------


def test_a_security_requirement_for_any_vendor_is_an_objection_for_the_technical_seller() -> None:
    got = _objections(_note("Marco wants SAML single sign-on for every new system on the floor."))
    assert [(o.topic, o.owner) for o in got] == [("security", "Oskar Lind")]


def test_something_they_want_that_we_do_not_do_is_a_scope_objection() -> None:
    got = _objections(_note("She wants pallet labels printed per dock lane; we do not support "
                            "lane labels today.", contacts=("Tilda Berne",)))
    assert len(got) == 1 and got[0].topic == "scope" and "lane labels" in got[0].text


def test_a_stop_their_side_puts_on_anything_new_is_an_objection() -> None:
    got = _objections(_note("Their CFO put a freeze on new software purchases until the audit "
                            "closes on March 14."),
                      _note("Marco refused the data extract while the merger is pending.",
                            nid="zz-n5", date="2026-09-20"))
    assert [o.topic for o in got] == ["timeline", "other"]
    assert "freeze" in got[0].text and "refused" in got[1].text


def test_a_reservation_in_their_own_words_is_an_objection() -> None:
    got = _objections(_mail("But I didn't buy this for the warehouse, I bought it for the "
                            "stores."))
    assert [o.text for o in got] == ["But I didn't buy this for the warehouse, I bought it for "
                                     "the stores."]


def test_a_figure_they_point_back_at_is_in_the_objection_line() -> None:
    got = _objections(_mail("Your four licences come to $18,400 a year.\nI can't bring a number "
                            "like that to the board without a payback."))
    assert len(got) == 1
    assert "$18,400" in got[0].text and "can't bring a number like that" in got[0].text
    assert got[0].answer.endswith("price point ($18,400)")  # the figure, without its comma


def test_a_pasted_email_whose_from_line_was_removed_is_still_the_customers() -> None:
    body = ("Sent: Monday, October 5, 2026 9:10 AM\nSubject: order form\n\nIvo,\n\n"
            "Two changes to your draft: liability capped at 18 months of fees, not 6; "
            "Ontario law, not New York.\n\nTilda Berne\nDirector of Operations")
    rows = note_sentences(_note(body, kind="email"), BUYERS, TEAM)
    terms = next(s for s in rows if "liability" in s.text)
    assert terms.quoted and terms.speaker == "Tilda Berne"
    assert [o.topic for o in _objections(_note(body, kind="email"))] == ["legal"]


# ---- what a manager would strike -------------------------------------------------------


def test_our_own_chat_line_asking_them_is_not_their_objection() -> None:
    chat = ("Ivo Marsh [10:12 AM] Tilda, where are we on the vendor checklist?\n"
            "Tilda Berne [10:20 AM] I won't sign the checklist until your insurance "
            "certificate arrives.")
    got = _objections(_note(chat, kind="meeting"))
    assert [o.speaker for o in got] == ["Tilda Berne"]


def test_a_complaint_about_the_rival_is_a_reason_to_buy_not_an_objection() -> None:
    got = _objections(_mail("Our fill rate fell from 98% to 91% since drivers stopped "
                            "answering Haulwise's app.\nHaulwise quoted us $7,200 a year to "
                            "renew."), competitors=("Haulwise",))
    assert [o.text for o in got] == ["Haulwise quoted us $7,200 a year to renew."]


def test_a_rivals_own_name_does_not_put_it_in_play() -> None:
    rival = [re.compile(r"\bPriceLane\b", re.IGNORECASE)]
    assert not in_play("We run PriceLane on the dock.", rival)
    assert in_play("PriceLane quoted $4 a scanner.", rival)


def test_the_incumbents_contract_terms_are_a_risk_not_an_objection() -> None:
    got = _objections(_note("Marco confirmed the Haulwise contract ends May 31; it renews for a "
                            "year unless they give 90 days' notice."), competitors=("Haulwise",))
    assert got == []


def test_cover_lines_requests_to_us_and_a_day_are_not_objections() -> None:
    got = _objections(_mail("Our redlined MSA is attached.\nPlease send the signed order form "
                            "back by Friday.\nThursday next week?\nCan you do the 21st at 8am, "
                            "just the two of us?"))
    assert got == []


def test_a_line_of_our_own_prep_note_is_not_their_objection() -> None:
    prep = _note("Ask: Tilda agrees a pilot that starts after the freeze ends on March 14.",
                 title="Prep for March 2", kind="research")
    assert _objections(prep) == []


def test_a_town_whose_bids_they_name_is_no_rival_a_priced_bid_is() -> None:
    found = named_rivals(["Dayton (4) goes live in May after the Fairborn bids.",
                          "Haulwise bids $12,000 for the same routes."])
    assert found == ["Haulwise"]


# ---- buyer lines in their own terms -----------------------------------------------------


def _lines(*notes: dict[str, object], buyers: list[str] = BUYERS) -> dict[str, list[str]]:
    rows = pool(list(notes), buyers, TEAM)
    return {b: [ln.text for ln in ls]
            for b, ls in buyer_lines(buyers, rows, people=buyers, team=TEAM).items()}


def test_minuted_words_are_the_buyers_own_and_lose_the_name_prefix() -> None:
    got = _lines(_note("Marco: $30,000 set aside for scanners next year, approved by the "
                       "owner."))
    assert got["Marco Vidal"] == ["said: “$30,000 set aside for scanners next year, approved by "
                                  "the owner.”"]


def test_who_signs_ranks_below_what_they_want() -> None:
    got = _lines(_note("Tilda signs anything over $25,000. Tilda wants the pilot to start after "
                       "the stocktake."))
    assert got["Tilda Berne"][0] == "Tilda wants the pilot to start after the stocktake."


def test_their_newest_word_comes_first() -> None:
    old = _note("Tilda wants two sites live by June.", nid="zz-n1", date="2026-08-01")
    new = _note("Tilda wants one site first, then see.", nid="zz-n2", date="2026-10-01")
    assert _lines(new, old)["Tilda Berne"][0] == "Tilda wants one site first, then see."


def test_a_cost_held_against_what_they_make_is_a_worry_in_their_lines() -> None:
    mail = _mail("We open at seven and close at ten, six days a week.\nIvo $12,000 in year one "
                 "is more than we clear in a month.", signer="Marco Vidal")
    got = _lines(mail)["Marco Vidal"]
    assert got[0].startswith("said: “$12,000 in year one is more than we clear")  # not "Ivo"


def test_a_condition_in_their_words_and_the_figure_they_point_back_at() -> None:
    got = _lines(_mail("Haulwise put it in writing: $7,200 a year, no setup.\nShow me why you are "
                       "worth twice that.\nIf the scanners work offline, I'm in.\nNice call "
                       "today."))["Tilda Berne"]
    assert any("$7,200" in t and "twice that" in t for t in got)
    assert any("If the scanners work offline" in t for t in got)
    assert not any("Nice call" in t for t in got)


def test_a_list_of_their_demands_is_shown_whole() -> None:
    demands = ("Before we sign we need: your SOC 2 Type II report, data kept in Canada, SSO "
               "through our Okta, a penetration test from this year, a named support contact, "
               "and $5 million of cyber insurance.")
    got = _lines(_mail(demands))["Tilda Berne"]
    assert got and "cyber insurance" in got[0] and "…" not in got[0]


def test_the_name_of_ours_their_email_opens_on_is_not_in_the_objection() -> None:
    got = _objections(_mail("Rhea, Marco walked me through your quote. $31,000 a year is more "
                            "than a third of what the depot clears."))
    assert [o.text for o in got] == ["$31,000 a year is more than a third of what the depot "
                                     "clears."]
    got = _objections(_mail("Ivo $9,500 the first year is more than I made on the Elm Street "
                            "job."))
    assert [o.text for o in got] == ["$9,500 the first year is more than I made on the Elm "
                                     "Street job."]

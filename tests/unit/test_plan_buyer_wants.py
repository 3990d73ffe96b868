"""A buyer's "cares about" lines hold what that buyer wants, fears, needs or conditions: not
news they passed on about someone else, not our own note's account of what follows if they
do not act, and not a date they gave once more without the reason another note gives
(assistant.prep.buyers)."""

from __future__ import annotations

from assistant.prep.buyers import buyer_lines, explains
from assistant.prep.sentences import pool


def note(text: str, nid: str, date: str, contacts: tuple[str, ...] = (),
         kind: str = "call") -> dict[str, object]:
    return {"id": nid, "date": date, "author": "Sam Reyes", "kind": kind,
            "contacts": list(contacts), "full_text": text}


def lines(buyers: list[str], notes: list[dict[str, object]], people: list[str] | None = None,
          ) -> dict[str, list[str]]:
    everyone = [*buyers, *(people or [])]
    rows = pool(notes, everyone, ["Sam Reyes"])
    got = buyer_lines(buyers, rows, people=everyone, team=["Sam Reyes"])
    return {b: [ln.plain for ln in ls] for b, ls in got.items()}


def test_a_memo_the_buyer_forwarded_about_other_people_is_not_what_they_care_about() -> None:
    people = ["Rosa Lind", "Theo Brandt"]
    got = lines(["Omar Haddad"], [
        note("Omar forwarded the internal memo:\n\n> Team, after nine years Rosa Lind will be "
             "leaving Fenwick at the end of March to run finance at a brewer in Ghent. We're "
             "pleased to welcome Theo Brandt as our new Controller, starting April 1.",
             "f-n2", "2026-03-02", ("Omar Haddad", "Rosa Lind", "Theo Brandt"), "email"),
        note("Omar wants the pilot live before the May peak. Omar worries that the night "
             "crew re-keys 400 orders a week.", "f-n1", "2026-02-10", ("Omar Haddad",)),
    ], people)["Omar Haddad"]
    assert any("May peak" in t for t in got) and any("400 orders" in t for t in got)
    assert not any("leaving" in t or "welcome" in t for t in got), got


def test_a_buyer_leaving_is_still_their_own_news() -> None:
    got = lines(["Rosa Lind"], [
        note("Rosa Lind will be leaving Fenwick at the end of March; she wants the contract "
             "signed before she goes.", "f-n3", "2026-03-05", ("Rosa Lind",)),
    ])["Rosa Lind"]
    assert any("leaving" in t for t in got)


def test_our_note_on_what_follows_if_they_do_not_sign_gives_way_to_their_condition() -> None:
    got = lines(["Hiro Sato"], [
        note("Risk: Hiro is away Nov 27 - Dec 8. If he doesn't sign before that, the PO slips "
             "to January.", "h-n3", "2026-11-17", ("Hiro Sato",)),
        note("Hiro will sign if the order form and MSA are through legal by November 20. "
             "Hiro is the economic buyer for anything over $75k.", "h-n2", "2026-10-19",
             ("Hiro Sato",)),
    ])["Hiro Sato"]
    assert got and got[0].startswith("Hiro will sign if"), got
    assert not any("slips" in t for t in got), got


def test_what_she_does_if_a_condition_fails_is_still_her_condition() -> None:
    got = lines(["Ines Varga"], [
        note("If she doesn't see the savings by March, she walks.", "v-n1", "2026-11-02",
             ("Ines Varga",)),
    ])["Ines Varga"]
    assert any("she walks" in t for t in got), got


def test_a_date_said_again_gives_way_to_the_line_that_says_why() -> None:
    got = lines(["Nadia Ferris"], [
        note("Nadia wants to sign by December 15. Nadia said $88k is close enough if we cap "
             "the uplift at 3%. Nadia needs the MSA redlines closed by Friday.", "n-n2",
             "2026-11-13", ("Nadia Ferris",)),
        note("She wants payback under 12 months. She prefers to sign by December 15 so the "
             "budget falls into this fiscal year.", "n-n1", "2026-10-08", ("Nadia Ferris",)),
    ])["Nadia Ferris"]
    assert any("so the budget falls" in t for t in got), got
    assert "Nadia wants to sign by December 15." not in got


def test_a_new_date_is_no_repeat_of_the_old_one() -> None:
    old = "She prefers to sign by December 15 so the budget falls into this fiscal year."
    assert explains(old, "Nadia wants to sign by December 15.")
    assert not explains(old, "Nadia now wants to sign by January 10.")  # the newer date stands
    assert not explains(old, "Nadia wants the pilot report by December 15.")  # another thing
    assert not explains("Nadia wants to sign by December 15.", old)


def test_an_ultimatum_is_a_condition_and_who_signs_above_what_is_no_want() -> None:
    got = lines(["Kira Holm"], [
        note("Kira was polite but skeptical about last year's trial. A pilot must include "
             "partial re-planning, or she will kill it. Kira: anything over $100k goes to the "
             "CFO and the board. She worries the dispatchers will ignore routes they did not "
             "build.",
             "k-n1", "2026-10-21", ("Kira Holm",)),
    ])["Kira Holm"]
    assert any("or she will kill it" in t for t in got), got
    assert not any("goes to the CFO" in t for t in got), got


def test_our_own_e_mail_pasted_in_a_note_is_not_what_the_buyer_said() -> None:
    people = ["Liam Boyd", "Gemma Shaw"]
    text = ("Sent to Liam:\n\n> Hi Liam,\n>\n> Honest answer: our setup for 9 stores would "
            "start around US$30,000 a year.\n>\n> If that's in the range Gemma would consider, "
            "I'm happy to show you a forecast. If not, no hard feelings — I'd rather be "
            "straight with you now.\n>\n> Best,\n> Sam\n\nLiam replied the same day: \"Bit "
            "more than we thought but Gemma wants to talk to you herself.\" Liam needs the rota "
            "export to keep working. Liam worries the store managers will not give up "
            "Excel.\n\nIf we come back, lead with a single-store trial and a look at whether "
            "they can reach $30k.")
    rows = pool([note(text, "l-n1", "2026-09-30", ("Liam Boyd",), "email")], people,
                ["Sam Reyes"])
    ours = [s for s in rows if "US$30,000" in s.text or "no hard feelings" in s.text]
    assert ours and all(not s.customer and s.teammate == "Sam Reyes" for s in ours)
    got = lines(people, [note(text, "l-n1", "2026-09-30", ("Liam Boyd",), "email")])
    shown = [t for ls in got.values() for t in ls]
    assert not any("US$30,000" in t or "no hard feelings" in t or "lead with" in t
                   for t in shown), got
    assert any("Bit more than we thought" in t for t in got["Liam Boyd"]), got

"""What a sales manager struck in a held-out plan run, as rules with invented examples: our own
ask is no evidence that a criterion is met, and a newer note that shows it met decides; our
team's chat lines are ours (never a risk or their objection) and lose their time stamps; a
bullet that runs on over two lines is one sentence; a figure keeps its unit; a criterion's
"them" becomes "you" in the question; one fact from two notes is one open item."""

from __future__ import annotations

from typing import Any

from assistant.prep.criteria import read_criteria, read_criterion
from assistant.prep.objections import find_objections, find_open_items, same_fact
from assistant.prep.questions import ask_for
from assistant.prep.risks import find_risks
from assistant.prep.sentences import balanced, pool

ROLES = [{"name": "Kai Moss", "role": "lead"}, {"name": "Ruth Adler", "role": "executive"},
         {"name": "Tomo Sato", "role": "technical"}]
TEAM = ["Kai Moss", "Ruth Adler", "Tomo Sato"]
BUYERS = ["Nina Holt", "Olek Brandt"]


def _note(nid: str, date: str, text: str, kind: str = "call") -> dict[str, Any]:
    return {"id": nid, "date": date, "author": "Kai Moss", "kind": kind, "full_text": text}


def test_our_own_ask_line_shows_the_criterion_open_not_met() -> None:
    rows = pool([_note("tc-n4", "2026-05-02", "Ask for May 9: Nina puts a number on what "
                       "the late orders cost them, names who signs, and Olek books the demo.")],
                BUYERS, TEAM)
    read = read_criterion("The person who signs the order is named", rows)
    assert read.status == "open" and read.cites == ["tc-n4"]


def test_a_newer_note_on_the_same_point_decides_however_it_is_worded() -> None:
    notes = [_note("tc-n2", "2026-04-01", "Tomo owes Olek the 40 remaining security answers "
                   "and the pen test summary."),
             _note("tc-n5", "2026-05-20", "> The vendor risk committee approved you on "
                   "Tuesday.\n>\n> Olek Brandt", kind="email")]
    rows = pool(notes, BUYERS, TEAM)
    crit = "Their IT accepted our security answers in writing"
    read = read_criterion(crit, rows)
    assert read.status == "met" and read.cites == ["tc-n5"]
    risks = find_risks(rows, read_criteria([crit], rows), ROLES, BUYERS, team=TEAM)
    assert not any("approved" in r.risk for r in risks)  # the news that it is met is no risk


def test_a_chat_line_belongs_to_its_author_and_ours_is_never_a_risk_or_objection() -> None:
    note = _note("tc-n6", "2026-05-21", "Ruth Adler [9:14 AM] I'll open on the platform "
                 "roadmap.\nNina Holt [9:20 AM] Why would we pay for a roadmap we can't see?\n"
                 "Kai Moss [9:31 AM] Risk: nobody at Holt Foods owns the rollout after launch.",
                 kind="meeting")
    rows = pool([note], BUYERS, TEAM)
    ruth, nina, kai = rows
    assert ruth.text == "I'll open on the platform roadmap." and ruth.teammate == "Ruth Adler"
    assert not ruth.customer
    assert nina.speaker == "Nina Holt" and nina.text.startswith("Why would we pay")
    assert kai.teammate == "Kai Moss" and "[9:31 AM]" not in kai.text
    risks = find_risks(rows, [], ROLES, BUYERS, team=TEAM)
    assert not any("I'll open" in r.risk for r in risks)
    assert any(r.kind == "no_owner" and "nobody at Holt Foods" in r.risk for r in risks)
    objections = find_objections(rows, ROLES, [], BUYERS, team=TEAM)
    assert [o.speaker for o in objections] == ["Nina Holt"]


def test_a_bullet_that_runs_on_to_the_next_line_is_one_whole_sentence() -> None:
    note = _note("tc-n3", "2026-04-10", "- Olek: \"I want fewer tools and a clear bill. If "
                 "it doesn't show up in\n  our margin, I won't sign it.\"\n- Nina: \"Fine by "
                 "me.\"")
    rows = pool([note], BUYERS, TEAM)
    assert any(r.text == "If it doesn't show up in our margin, I won't sign it.\""
               for r in rows)
    shown = [o.text for o in find_objections(rows, ROLES, [], BUYERS, team=TEAM)]
    assert "If it doesn't show up in our margin, I won't sign it." in shown
    assert not any(t.startswith(("Olek:", "our margin")) for t in shown)
    assert balanced('Fine by me."') == "Fine by me."


def test_a_figure_in_the_answer_keeps_its_unit() -> None:
    note = _note("tc-n7", "2026-05-01", "> We will not sign until you carry $5 million of "
                 "cyber cover.\n>\n> Olek Brandt", kind="email")
    rows = pool([note], BUYERS, TEAM)
    [o] = find_objections(rows, ROLES, [], BUYERS, team=TEAM)
    assert "($5 million" in o.answer and "($5)" not in o.answer


def test_a_criterion_about_the_customer_asks_in_the_second_person() -> None:
    assert ask_for("The customer put a number on what their late deliveries cost them") == \
        "Can you put your own number on what your late deliveries cost you?"
    # "them" after another party means that party: it stays
    assert "meet them" in ask_for("Economic buyer identified by name and met")


def test_one_fact_from_two_notes_is_one_open_item() -> None:
    notes = [_note("tc-n8", "2026-05-02", "Brightline notice is due June 30."),
             _note("tc-n1", "2026-04-28", "Brightline renews September 30 with 90 days' "
                   "notice, so notice is due June 30.")]
    items = find_open_items(pool(notes, BUYERS, TEAM), ROLES, team=TEAM)
    assert [i.cites for i in items] == [("tc-n8",)]
    assert not same_fact("Brightline notice is due June 30.", "The pilot report is due June 30.")


def test_a_stamp_on_its_own_line_names_who_wrote_the_message_below() -> None:
    from assistant.prep.buyers import buyer_lines

    note = _note("tc-n9", "2026-05-03", "Olek Brandt, 8:47 PM:\nKai - before Thursday: does "
                 "your tool read our ERP order history? Otherwise I'm not interested.",
                 kind="email")
    rows = pool([note], BUYERS, TEAM)
    assert rows[0].text.startswith("Kai - before Thursday") and rows[0].speaker == "Olek Brandt"
    lines = [ln.text for ln in buyer_lines(BUYERS, rows, team=TEAM)["Olek Brandt"]]
    assert any("ERP order history" in t for t in lines)  # addressed to Kai, said by Olek

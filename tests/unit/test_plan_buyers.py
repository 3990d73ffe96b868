"""Each buyer's lines: whom a sentence is about, and what a manager needs from it
(assistant.prep.buyers, assistant.prep.sentences)."""

from __future__ import annotations

from assistant.prep.buyers import buyer_lines, holder
from assistant.prep.sentences import named_in, note_sentences, pool
from knowledge.models import rejoin_contacts


def note(text: str, nid: str = "x-n1", date: str = "2026-11-10",
         contacts: tuple[str, ...] = ()) -> dict[str, object]:
    return {"id": nid, "date": date, "author": "Sam Reyes", "kind": "call",
            "contacts": list(contacts), "full_text": text}


def lines_of(buyers: list[str], text: str, **kw: object) -> dict[str, list[str]]:
    rows = pool([note(text, **kw)], buyers)  # type: ignore[arg-type]
    return {b: [ln.text for ln in ls] for b, ls in buyer_lines(buyers, rows, people=buyers).items()}


def test_a_report_about_another_buyer_is_theirs_not_the_reporters() -> None:
    got = lines_of(["Curtis Vang", "Mara Quinlan"],
                   'Mara: "Curtis will ask about Canada first, then the pen test." '
                   'Mara: "We run the board on paper and it costs us 12 hours a week."')
    assert any("Canada" in t for t in got["Curtis Vang"])
    assert not any("Canada" in t for t in got["Mara Quinlan"])
    assert any("12 hours" in t for t in got["Mara Quinlan"])


def test_a_possessive_want_word_names_whose_worry_it_is() -> None:
    people = ["Colt Brennan", "Wade Pruitt", "Gavin Thorne", "Carl Jessup"]
    rows = pool([note('Per Wade, Colt\'s worry is drivers: "my guys will think I\'m spying." '
                      'Gavin\'s question to Carl: "Why should one shop be different from the '
                      'other three?" Redlines from Wade Pruitt: termination after 12 months.')],
                people)
    assert [holder(s, people) for s in rows] == ["Colt Brennan", "Gavin Thorne", "Wade Pruitt"]


def test_he_and_she_mean_the_customer_named_last_not_the_writer() -> None:
    rows = note_sentences(note("First time on the phone with Luis. 22 technicians now. He wants "
                               "permit tracking. Lorena Vidal (CFO) decides. She is skeptical."),
                          ["Luis Alvarez", "Lorena Vidal"])
    assert [r.about for r in rows] == [None, None, "Luis Alvarez", None, "Lorena Vidal"]
    mail = {"id": "x-n2", "date": "2026-11-01", "author": "Sam Reyes", "kind": "email",
            "full_text": "> Devon, Walt asked what it costs. He also said nothing gets funded "
                         "until the bond is approved.\n> I still want it, but I can't fight "
                         "her on price.\n> Paula Graves | Director | Granite Valley Health"}
    people = ["Walt Jamison", "Paula Graves"]
    rows = note_sentences(mail, people)
    assert [holder(r, people) for r in rows] == ["Walt Jamison", "Walt Jamison", "Paula Graves"]


def test_the_writer_of_a_pasted_email_from_a_long_sign_off_an_intro_or_an_inline_dash() -> None:
    long_sig = note("Pam's reply, Oct 30:\n> Nadia -- thanks. That's an 18% jump and I can't "
                    "take that to Ray.\n>\n> Pam Ostrowski | Controller | Coppertop Heating & "
                    "Air | 919-555-0148")
    rows = note_sentences(long_sig, ["Pam Ostrowski", "Ray Dunleavy"])
    assert [r.speaker for r in rows] == ["Pam Ostrowski"]
    intro = note("Alan Birch (outside counsel) sent redlines on Dec 2:\n> 1. Liability cap at "
                 "24 months of fees, not 12.\nGrace owes Alan our response.")
    rows = note_sentences(intro, ["Alan Birch"])
    assert [r.speaker for r in rows] == ["Alan Birch", None]
    dash = note('"Daniel -- Gloria asked why it went up. I still want the e-mail piece, that\'s '
                'my nightmare. -- Arjun"')
    rows = note_sentences(dash, ["Arjun Mehta", "Gloria Benn"])
    assert [r.speaker for r in rows] == ["Arjun Mehta", "Arjun Mehta"]
    assert rows[-1].text.endswith('nightmare."')


def test_a_want_with_its_number_beats_logistics_and_small_talk() -> None:
    got = lines_of(["Wade Cullum"],
                   "Wade will attend the demo on Nov 10 at 10:00. Wade liked the coffee. "
                   "Wade wants to be live by February 1, before termite season. "
                   "Wade: \"I'm not paying $129 a tech for a pest company.\"")
    assert got["Wade Cullum"][0].startswith("Wade wants to be live by February 1")
    assert not any("attend" in t or "coffee" in t for t in got["Wade Cullum"])


def test_a_buyer_nobody_writes_about_has_no_line_and_lines_are_never_shared() -> None:
    got = lines_of(["Ray Dunleavy", "Pam Ostrowski", "Lena Whitfield"],
                   "Ray signs everything; Pam checks every dollar twice. Pam wants the cap in "
                   "the order form.")
    assert got["Lena Whitfield"] == []
    assert not set(got["Ray Dunleavy"]) & set(got["Pam Ostrowski"])
    assert any("cap in the order form" in t for t in got["Pam Ostrowski"])


def test_names_with_an_honorific_or_a_suffix() -> None:
    assert named_in("Helen needs an audit trail", ["Dr. Helen Park"]) == ["Dr. Helen Park"]
    both = ["Ray Salinas Sr.", "Ray Salinas Jr."]
    assert named_in("Ray Jr. asked for a number", both) == ["Ray Salinas Jr."]
    assert named_in("Ray Sr. signs anything over $100k", ["Ray Salinas Jr."]) == []


def test_a_title_in_brackets_with_a_comma_stays_one_contact() -> None:
    assert rejoin_contacts(["Paula Graves (Director", "Materials Management)", "Walt"]) == [
        "Paula Graves (Director, Materials Management)", "Walt"]


def test_our_own_plan_lines_and_our_people_are_no_buyers_want() -> None:
    team = ["Grace Lindqvist", "Tomás Reyes"]
    people = ["Denise Calloway", "Omar Haddad"]
    rows = pool([note("Denise wants proof on her own trucks. Grace owns the price answer: she is "
                      "approved down to $16 a unit. Goal: Denise agrees a pilot by Dec 1. Still "
                      "open before the call: Tomás to confirm the export format (Omar asked).",
                      contacts=("Denise Calloway",))], people, team)
    got = buyer_lines(people, rows, people=people, team=team)
    assert [ln.text for ln in got["Denise Calloway"]] == ["Denise wants proof on her own trucks."]
    assert got["Omar Haddad"] == []
    assert named_in("Ray Salinas Sr. still signs every check", ["Ray Salinas Jr."]) == []


def test_the_code_objective_aims_at_the_open_criterion_for_its_buyer_with_evidence() -> None:
    from assistant.plan import CriterionCheck
    from assistant.prep.assemble import _objective

    g = {"account_name": "Coppertop", "stage": "Commit", "next_stage": "Paperwork",
         "exit_criteria": ["Signer said yes to the number", "Go/no-go date on the calendar"],
         "buyers": [{"name": "Ray Dunleavy", "title": "Owner"}],
         "next_stage_activity": None}
    gap = [CriterionCheck(criterion="Signer said yes to the number", status="open",
                          quote="Scott: \"Ray won't sign until this is clean.\"", cites=["n5"]),
           CriterionCheck(criterion="Go/no-go date on the calendar", status="open",
                          quote="Ray has not set a go/no-go date yet.", cites=["n6"])]
    lines = {"Ray Dunleavy": [{"text": "said: “I want to be live before March 1.”", "cites": ["n6"],
                               "own_words": True, "plain": "I want to be live before March 1."}]}
    o = _objective(g, None, [], gap, lines)
    assert o.statement.text.startswith("Move Coppertop from Commit toward Paperwork: by the end "
                                       "of the call, signer said yes to the number (with Ray "
                                       "Dunleavy, Owner); in the way:")
    assert o.statement.cites == ["n5"]
    assert o.advance == ("Ask Ray: “What would the signer need to say yes to the number?”, and "
                         "leave with a date and an owner (why it matters to Ray: “I want to "
                         "be live before March 1.”)")
    assert o.fallback.startswith("If Ray will not commit today, ask Ray for less: “")
    assert o.fallback.endswith("(now: “Ray has not set a go/no-go date yet.”)")
    quiet = _objective(g, None, [], [CriterionCheck(criterion="Signer said yes to the number",
                                                    status="open")], lines)
    assert quiet.statement.text.endswith("Ray's stake: “I want to be live before March 1.”")
    assert quiet.statement.cites == ["n6"]


def test_a_fallback_without_evidence_settles_what_the_buyer_raised_instead() -> None:
    from assistant.plan import CriterionCheck
    from assistant.prep.assemble import _objective

    g = {"account_name": "Bayshore", "stage": "Negotiation", "next_stage": "Closed",
         "exit_criteria": ["Redlines agreed"], "next_stage_activity": None,
         "buyers": [{"name": "Teresa Oyelaran", "title": "General Counsel"}]}
    lines = {"Teresa Oyelaran": [
        {"text": "said: “Indemnity for HIPAA breaches uncapped.”", "cites": ["n8"],
         "plain": "Indemnity for HIPAA breaches uncapped."},
        {"text": "said: “Termination for convenience on 90 days' notice.”", "cites": ["n8"],
         "plain": "Termination for convenience on 90 days' notice."}]}
    o = _objective(g, None, [], [CriterionCheck(criterion="Redlines agreed", status="open",
                                                quote="Legal has not seen our MSA yet.",
                                                cites=["n7"])], lines)
    assert o.advance == ("Ask Teresa: “What is left before the redlines are agreed, and who owns "
                         "it?”, and leave with a date (why it matters to Teresa: “Indemnity for "
                         "HIPAA breaches uncapped.”)")
    assert o.fallback == ("If Teresa will not commit today: agree the date we answer what "
                          "Teresa raised (“Termination for convenience on 90 days' notice.”), "
                          "and who on their side signs off on the answer")


def test_a_risk_mitigation_names_the_terms_and_the_signer_the_notes_give() -> None:
    from assistant.prep.risks import find_risks

    roles = [{"name": "Ola Berg", "role": "commercial"}, {"name": "Sam Reyes", "role": "lead"}]
    rows = pool([note("Their counsel wants liability capped at 24 months of fees, and an "
                      "audit right. Kira is skeptical: \"We could build this in "
                      "six months ourselves.\"")], ["Kira Sato"])
    risks = {r.kind: r.mitigation for r in find_risks(rows, [], roles, ["Kira Sato"])}
    assert "fallback on “counsel wants liability capped at 24 months”" \
        in risks["legal_terms"]
    assert "change their mind on “We could build this in six months ourselves”" \
        in risks["evaluator"]
    assert "ask Kira Sato what" in risks["evaluator"]  # whose concern it is


def test_a_buyer_no_note_speaks_of_still_gets_an_objective_ask_and_fallback() -> None:
    from assistant.prep.assemble import _objective

    g = {"account_name": "Mesa", "stage": "Demo", "next_stage": "Pilot", "exit_criteria": [],
         "next_stage_activity": None, "buyers": [{"name": "Jo Park", "title": "Owner"}]}
    o = _objective(g, None, [], [], {})
    assert o.statement.text == "Advance Mesa to the next stage"
    assert o.fallback.startswith("If Jo will not commit today: who else on their side must "
                                 "agree")


def test_the_signer_is_whom_the_notes_say_signs_not_whoever_is_named_near_it() -> None:
    from assistant.prep.risks import _signer

    people = ["Marcy Olin", "Lorena Vidal"]
    rows = pool([note("Marcy Olin did not know who would sign. Lorena Vidal (CFO) decides.")],
                people)
    assert _signer(rows, people) == "Lorena Vidal"
    assert _signer(rows[:1], people) is None


def test_a_quote_mark_the_split_left_alone_is_dropped_from_the_line() -> None:
    got = lines_of(["Arjun Mehta"], '"We review logs when something breaks. I still want the '
                   'e-mail piece, that\'s my nightmare. -- Arjun"')
    assert "said: “I still want the e-mail piece, that's my nightmare.”" in got["Arjun Mehta"]


def test_a_code_fallback_without_a_stake_carries_the_customers_point() -> None:
    from assistant.plan import CriterionCheck
    from assistant.prep.assemble import _objective

    g = {"account_name": "Harbor", "stage": "Proposal", "next_stage": "Contracting",
         "exit_criteria": ["Signer said yes"], "next_stage_activity": None,
         "buyers": [{"name": "Helen Marchetti", "title": "Owner"}]}
    points = [("Dolores's competitor point", "“DentaFlow quoted us $49 a seat.”", ["n4"]),
              ("the risk", "“She wants year one under $45,000, all in.”", ["n4"])]
    o = _objective(g, None, [], [CriterionCheck(criterion="Signer said yes", status="open")],
                   {}, points)
    assert o.statement.text.endswith("Dolores's competitor point: “DentaFlow quoted us $49 a "
                                     "seat.”") and o.statement.cites == ["n4"]
    assert o.advance.endswith("(the risk: “She wants year one under $45,000, all in.”)")
    assert "who else on their side must agree" in o.fallback  # nothing left: says so plainly


def test_our_own_ask_and_goals_are_never_what_a_buyer_cares_about() -> None:
    from assistant.prep.risks import find_risks

    text = ("Ask: Lena approves the March pilot at two depots. We want Lena to sign the order "
            "form by Friday. Lena worries the night shift will not use another screen. "
            "Ask for Oct 9: the pilot and the Brightline contract end date.")
    rows = pool([{"id": "lx-n4", "date": "2026-10-01", "author": "Sam Reyes", "kind": "call",
                  "full_text": text}], ["Lena Moss"])
    lines = buyer_lines(["Lena Moss"], rows, team=["Sam Reyes"])
    assert [ln.text[:24] for ln in lines["Lena Moss"]] == ["Lena worries the night s"]
    risks = find_risks(rows, [], [{"name": "Sam Reyes", "role": "lead"}], ["Lena Moss"],
                       competitors=["Brightline"])
    assert not [r for r in risks if r.risk.startswith("Ask")]


def test_name_hits_finds_each_person_by_any_name_form_next_to_a_pattern() -> None:
    from assistant.prep.sentences import name_hits

    people = ["Dr. Ada Kerr", "Milo Fenn"]
    text = "Milo says Dr. Kerr signs; Ada's worry is the rollout."
    assert name_hits(text, people, after=r"\s+signs\b") == [(10, "Dr. Ada Kerr")]
    assert name_hits(text, people, after=r"['’]s\s+worry") == [(26, "Dr. Ada Kerr")]
    assert name_hits(text, people, before=r"worry is the rollout, per ") == []
    assert name_hits(text, people, after=r"\s+says") == [(0, "Milo Fenn")]


def test_a_chat_line_is_about_whom_it_reports_and_a_buyer_leaving_is_news() -> None:
    rows = pool([note("Sam Reyes [9:05 AM] Ada says the trial went fine and wants two more "
                      "depots on it.", "ch-n2", "2026-11-20"),
                 note('Ada: "I have accepted a job in Leeds; my last day here is Dec 12."',
                      "ch-n3", "2026-11-21"),
                 note("Ada wants weekly reports. Ada needs the depot rota by Monday. Ada "
                      "worries about the night shift.", "ch-n1", "2026-11-02")],
                ["Ada Kerr"], ["Sam Reyes"])
    lines = [ln.text for ln in buyer_lines(["Ada Kerr"], rows, team=["Sam Reyes"])["Ada Kerr"]]
    assert any("two more depots" in t for t in lines)  # not dropped as our own line
    assert any("last day" in t for t in lines)
    assert len(lines) == 3


def test_a_stake_quotes_the_buyers_words_without_the_said_wrapper() -> None:
    from assistant.prep.assemble import stakes

    rows = pool([{"id": "sk-n1", "date": "2026-10-02", "author": "Sam Reyes", "kind": "email",
                  "full_text": "> I need the rota tool live before the March peak.\n>\n"
                               "> Ada Kerr"}], ["Ada Kerr"])
    line = buyer_lines(["Ada Kerr"], rows)["Ada Kerr"][0]
    assert line.text.startswith("said: “") and line.plain.startswith("I need the rota")
    data = {"Ada Kerr": [{"text": line.text, "cites": list(line.cites), "plain": line.plain}]}
    assert stakes("Ada Kerr", data) == [("“I need the rota tool live before the March peak.”",
                                         ["sk-n1"])]


def test_a_mistake_they_had_is_a_pain_worth_a_line() -> None:
    from assistant.prep.buyers import cued

    assert cued("We mislabelled peanuts twice in March.")
    assert cued("The auditor flagged 12 missing temperature logs.")
    assert not cued("The depot has 40 vans and two shifts.")


def test_a_fallback_with_no_buyer_named_says_they_not_them() -> None:
    from assistant.prep.assemble import _fallback_step
    from assistant.prep.objections import OpenItem
    g = {"contacts": [], "buyers": [], "account_name": "Northgate Foods", "stage": "Negotiation",
         "next_stage": "Commit", "exit_criteria": []}
    item = OpenItem(text="Security answers for the 14 open questions, promised for Dec 2.",
                    topic="security", owner="Priya Natarajan", cites=("n1",))
    got = _fallback_step(g, None, None, [item], [])
    assert got.startswith("If they will not commit today: Priya Natarajan delivers what we owe")
    assert got.endswith("and they name the day to go through it") and " them " not in got

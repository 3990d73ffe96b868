"""A quote in the plan stands alone: a line whose meaning is in the sentence before
("That's what I need to see.", "It does.", "And …") is joined to it or left out, a bullet
is never run into the next speaker's bullet, and a buyer's lines come from more than one
e-mail when the notes have more of theirs."""

from __future__ import annotations

from assistant.prep.assemble import _first_sentences, _sentences
from assistant.prep.buyers import buyer_lines
from assistant.prep.sentences import leans_back, pool, stand_alone, unform

CALL = {"id": "tl-n02", "date": "2026-10-27", "author": "Delphine Okoro", "kind": "call",
        "contacts": ["Frank Tolland", "Rosa Delacroix"],
        "full_text": ('- Frank: "Paper works. What I hate is paying two people in the office '
                      'overtime every Friday to retype tickets."\n'
                      '- Rosa: "The typing isn\'t my problem. An auditor at the Costa warehouse '
                      'wrote us up for a missing trap log page."\n'
                      "- It does. Quoted 24 techs at $49.")}
TEXT = {"id": "tl-n04", "date": "2026-12-04", "author": "Delphine Okoro", "kind": "research",
        "full_text": ('Rosa texted Dec 2: "Show me a real audit report for Costa with the trap '
                      'map on it. That\'s what I need to see." Costa has 84 stations.')}
MAIL = {"id": "tl-n03", "date": "2026-11-12", "author": "Delphine Okoro", "kind": "email",
        "contacts": ["Frank Tolland"],
        "full_text": ("From: Frank Tolland <frank@tolland.example>\nSubject: pricing\n\n"
                      "Delphine - $14,112 and then $5,000 on top, more than a truck costs us. "
                      "Somebody from Swatly says they're $19 a tech. I'll keep the call on the "
                      "10th but you need to show me why you're worth more than double. My "
                      "brother-in-law says $49 a tech is steep for 24 techs.\n\nFrank")}
BUYERS = ["Frank Tolland", "Rosa Delacroix"]


def test_what_leans_on_the_sentence_before() -> None:
    for text in ("That's what I need to see.\"", "It does.", "And then nothing happened.",
                 "But not this year."):
        assert leans_back(text), text
    for text in ("They run 24 trucks.", "That's where Frank loses the Costa account.",
                 "I'll keep the call on the 10th.", "What I hate is the Friday overtime."):
        assert not leans_back(text), text


def test_a_fragment_is_joined_to_what_it_points_at_or_left_out() -> None:
    rows = stand_alone(pool([TEXT], BUYERS, ["Delphine Okoro"]))
    texts = [r.text for r in rows]
    assert any("audit report for Costa" in t and "That's what I need to see" in t
               for t in texts), texts
    assert not any(t.startswith("That's") for t in texts)


def test_situation_lines_keep_the_speaker_and_never_run_into_the_next_bullet() -> None:
    said = _sentences(CALL["full_text"])
    assert said[0] == ('Frank: "Paper works. What I hate is paying two people in the office '
                       'overtime every Friday to retype tickets."')
    assert said[1].startswith('Rosa: "The typing')
    assert not any(s.startswith("It does") for s in said)  # nothing in its bullet before it
    first = _first_sentences(TEXT["full_text"], 2)
    assert first.startswith('Rosa texted Dec 2: "Show me') and "need to see.\"" in first
    assert not first.endswith("…")  # whole sentences that fit, not one cut off


def test_a_buyer_is_heard_across_the_notes_not_from_one_e_mail() -> None:
    rows = pool([TEXT, MAIL, CALL], BUYERS, ["Delphine Okoro"])
    frank = buyer_lines(BUYERS, rows, people=BUYERS, team=["Delphine Okoro"])["Frank Tolland"]
    assert len(frank) == 3
    assert sum(1 for ln in frank if ln.cites == ("tl-n03",)) == 2
    assert any("overtime" in ln.text for ln in frank), [ln.text for ln in frank]


FORM = {"id": "pc-n01", "date": "2026-11-17", "author": "Hollis Brandvold", "kind": "email",
        "contacts": ["Dale Whitacre"],
        "full_text": ("Name: Dale Whitacre\nCompany: Pinecrest Lawn & Pest\nTechnicians: 5\n"
                      "Message: customers say we skipped their yard. need proof we were there. "
                      "what does it cost")}


def test_a_pasted_web_form_gives_the_sender_s_own_words() -> None:
    rows = pool([FORM], ["Dale Whitacre"], ["Hollis Brandvold"])
    said = [r for r in rows if r.speaker == "Dale Whitacre"]
    assert [r.text.strip('"') for r in said] == [
        'Dale Whitacre: "Customers say we skipped their yard.',
        "Need proof we were there.", "What does it cost?"]
    assert not any("Company:" in r.text and "Message" in r.text for r in rows)
    lines = buyer_lines(["Dale Whitacre"], rows, people=["Dale Whitacre"],
                        team=["Hollis Brandvold"])["Dale Whitacre"]
    assert any("proof we were there" in ln.text for ln in lines), [ln.text for ln in lines]


def test_a_risk_that_says_it_only_through_the_sentence_before_names_it() -> None:
    from assistant.prep.risks import find_risks

    note = {"id": "rb-n02", "date": "2026-10-20", "author": "Hollis Brandvold", "kind": "call",
            "contacts": ["Paloma Esquivel"],
            "full_text": ("Travis Cordero (owner) signs. Paloma wants bait station mapping per "
                          "home. We don't have it; I said it's on the roadmap, no date.")}
    people = ["Paloma Esquivel", "Travis Cordero"]
    rows = pool([note], people, ["Hollis Brandvold"])
    risks = find_risks(rows, [], [{"name": "Ravi Lindqvist", "role": "technical"}], people,
                       attending=["Paloma Esquivel"], team=["Ravi Lindqvist"])
    gap = next(r for r in risks if "have it" in r.risk)
    assert "bait station mapping" in gap.risk and "bait station mapping" in gap.mitigation
    assert "“We don't have it”" not in gap.mitigation


def test_a_pasted_card_is_a_record_not_a_form_someone_filled_in() -> None:
    card = ("BEGIN:VCARD\nFN:Lee Park\nORG:Vertex\nNOTE:Signs every contract from March on\n"
            "END:VCARD")
    assert unform(card) == card  # kept as written: nobody said its note
    form = "Name: Dale Whitacre\nTechnicians: 5\nMessage: need proof we were there"
    assert 'Dale Whitacre: "Need proof we were there."' in unform(form)

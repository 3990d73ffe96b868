"""Facts per field in the transcript's own words: numbers, amounts, dates and names kept."""

from __future__ import annotations

from assistant.reflect.fields import (
    MAX_FACTS,
    PER_FIELD,
    agreed_asks,
    field_facts,
    misfiled,
    not_a_person,
    specifics,
)

TURNS = [
    {"id": "t1", "speaker": "Jonas Richter", "text": "Thanks for making time. How was the show?"},
    {"id": "t2", "speaker": "Frank Moretti", "text": "The trucks, yes. All 45. That $52k "
     "scallop claim alone pays for it."},
    {"id": "t3", "speaker": "Frank Moretti", "text": "Boston's lease ends in June and I might "
     "move. Then we'll talk in March."},
    {"id": "t4", "speaker": "Helen Park", "text": "Kevin signs anything above $25k, and legal "
     "reviews the contract first."},
    {"id": "t5", "speaker": "Helen Park", "text": "We looked at Samsara, they quoted $9 a unit "
     "a month with the renewal."},
    {"id": "t6", "speaker": "Helen Park", "text": "Payback under a year, he said that once."},
    {"id": "t7", "speaker": "Jonas Richter", "text": "So I'll rework the proposal to the 45 "
     "trucks: about $11,340 a year plus the hardware."},
    {"id": "t8", "speaker": "Helen Park", "text": "Sounds good to me."},
]
SELLERS = ["Jonas Richter"]


def facts() -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in field_facts(TURNS, sellers=SELLERS, competitors=["Samsara"],
                         people=["Kevin Shaw", "Helen Park"]):
        out.setdefault(f["field"], []).append(f)
    return out


def test_each_field_gets_the_sentences_that_carry_its_specifics() -> None:
    got = facts()
    assert got["competitors"][0]["value"].startswith("We looked at Samsara, they quoted $9")
    assert any("Kevin signs anything above $25k" in f["value"]
               for f in got.get("economic_buyer", []) + got.get("decision_process", []))
    assert any("Then we'll talk in March." == f["value"] for f in got["timeline"])
    assert any("Boston's lease ends in June" in f["value"] for f in got["timeline"])
    # a claim they paid is the pain's figure, not money they mean to spend
    assert any("$52k" in f["value"] for f in got["pains"])
    assert not any("$52k" in f["value"] for f in got.get("budget", []))
    assert any(f["value"].startswith("Payback under a year") for f in got["metrics"])


def test_values_are_verbatim_and_the_customer_comes_first() -> None:
    text = " ".join(t["text"] for t in TURNS)
    all_facts = [f for fs in facts().values() for f in fs]
    assert all(f["value"].rstrip("…") in text and f["quote"] in text for f in all_facts)
    turns = [*TURNS, {"id": "t9", "speaker": "Helen Park",
                      "text": "We budgeted $14k for the first year."},
             {"id": "t10", "speaker": "Jonas Richter",
              "text": "So you have set aside $20k for the rollout in spring."}]
    budget = [f for f in field_facts(turns, sellers=SELLERS, competitors=["Samsara"])
              if f["field"] == "budget"]
    assert budget[0]["said_by_customer"] and "$14k" in budget[0]["value"]
    recap = next(f for f in budget if "$20k" in f["value"])
    assert not recap["said_by_customer"]  # a seller's recap: kept, after the customer's
    # our own price ("about $11,340 a year") is no budget of theirs
    assert not any("$11,340" in f["value"] for f in budget)


def test_nothing_specific_or_nothing_on_a_field_is_no_fact() -> None:
    all_quotes = [f["quote"] for fs in facts().values() for f in fs]
    assert "Sounds good to me." not in all_quotes
    assert not any(q.endswith("?") for q in all_quotes)
    assert len(set(all_quotes)) == len(all_quotes)  # each sentence serves one field


def test_caps_per_field_and_in_all() -> None:
    many = [{"id": f"t{i}", "speaker": "Dana", "text": f"The budget is ${i}0k for site {i}."}
            for i in range(1, 30)]
    got = field_facts(many, sellers=[])
    assert sum(f["field"] == "budget" for f in got) == PER_FIELD
    assert len(got) <= MAX_FACTS


def test_a_long_sentence_keeps_the_clauses_with_the_specifics() -> None:
    long = ("Look, I have said this before to everyone who asked me about it, and I will say "
            "it again for the record, our budget for this is $40k for the first year, "
            "and that is all we have, full stop, no more discussion about money from here.")
    (f,) = field_facts([{"id": "t1", "speaker": "Dana", "text": long}], sellers=[])
    assert "$40k" in f["value"] and f["value"] in long and len(f["value"]) <= 140


def test_specifics() -> None:
    assert specifics("Kevin signs above $25k by March 3") >= 3
    assert specifics("Liz on my team will do that.", lower=frozenset({"on", "my"})) == 1
    assert specifics("We talked about it.") == 0
    assert specifics("I'll look at it over the holidays.") == 1


# ---- the language of sales calls: answers, dates, agreed proposals, terms ---------------

ASKED = [
    {"id": "t1", "speaker": "Marcus Bell", "text": "What's the board today?"},
    {"id": "t2", "speaker": "Mike Lutz", "text": "Service Fusion. We've had it five years."},
    {"id": "t3", "speaker": "Marcus Bell", "text": "Could we do December 10, an hour, with "
     "you and Shay?"},
    {"id": "t4", "speaker": "Mike Lutz", "text": "Thursday the 10th works. I'll tell Shay."},
    {"id": "t5", "speaker": "Mike Lutz", "text": "And I'm briefing the union myself on "
     "November 12."},
    {"id": "t6", "speaker": "Mike Lutz", "text": "I'd like two, but I can take 1.5x if the "
     "data breach carve-out stays mutual."},
    {"id": "t7", "speaker": "Mike Lutz", "text": "[Zoom transcript - 18 Nov 2026 - 44 min]"},
    {"id": "t8", "speaker": "Marcus Bell", "text": "[Dec 29, note appended]: Signed by Ron "
     "Pereira on Dec 29, all three documents."},
]


def asked_facts() -> list[dict]:
    return field_facts(ASKED, sellers=["Marcus Bell"], people=["Ron Pereira", "Mike Lutz"])


def test_a_short_answer_is_read_with_the_question_and_the_next_sentence() -> None:
    (f,) = [f for f in asked_facts() if "Service Fusion" in f["value"]]
    assert f["value"] == "Service Fusion. We've had it five years."
    assert f["field"] == "competitors" and f["turn"] == "t2" and f["said_by_customer"]


def test_a_date_alone_is_timeline_talk() -> None:
    assert any(f["field"] == "timeline" and "November 12" in f["value"] for f in asked_facts())


def test_a_dated_proposal_the_customer_said_yes_to_is_a_fact_with_the_yes_as_quote() -> None:
    (f,) = [f for f in asked_facts() if "December 10" in f["value"]]
    assert f["field"] == "timeline" and f["quote"] == "Thursday the 10th works."
    assert f["turn"] == "t4" and f["value"].startswith("agreed: December 10")
    refused = [dict(t) for t in ASKED[2:4]]
    refused[1]["text"] = "No, not before the holidays."
    assert not agreed_asks(refused, sellers=["Marcus Bell"])


def test_contract_terms_and_multipliers_are_specific() -> None:
    assert specifics("I can take 1.5x if it stays mutual") >= 1
    (f,) = [f for f in asked_facts() if "1.5x" in f["value"]]
    assert f["field"] == "decision_criteria"


def test_a_recording_header_is_no_fact_but_a_note_after_a_bracket_is() -> None:
    values = [f["value"] for f in asked_facts()]
    assert not any("Zoom transcript" in v for v in values)
    assert any(v.startswith("[Dec 29, note appended]: Signed by Ron Pereira") for v in values)


def test_a_weekday_sets_a_meeting_not_the_timeline_and_small_talk_is_not_merged() -> None:
    turns = [{"id": "t1", "speaker": "Dana", "text": "Happy to. The board approved $65k "
              "for the pilot in Q2."},
             {"id": "t2", "speaker": "Dana", "text": "Yes, Tuesday works for the team."}]
    got = field_facts(turns, sellers=[])
    assert [f["value"] for f in got if f["field"] == "budget"] == [
        "The board approved $65k for the pilot in Q2."]
    assert not any("Tuesday" in f["value"] for f in got if f["field"] == "timeline")


def test_an_attack_or_an_outage_is_a_pain() -> None:
    (f,) = field_facts([{"id": "t1", "speaker": "Marcy", "text": "Last winter we had a "
                         "brute-force attempt on the VPN over a long weekend."}], sellers=[])
    assert f["field"] == "pains" and "brute-force" in f["value"]


def test_our_own_people_are_not_their_buyer_or_champion() -> None:
    turns = [{"id": "t1", "speaker": "Renata Solis", "text": "With me are Gwen Okafor, our "
              "VP of Sales, and Dmitri from our deal desk."},
             {"id": "t2", "speaker": "Colt", "text": "Our CFO, Dale Ostrander, signs anything "
              "above $100k."}]
    got = field_facts(turns, sellers=["Renata Solis", "Gwen Okafor"])
    assert not any(f["turn"] == "t1" and f["field"] in ("economic_buyer", "champion")
                   for f in got)
    assert any(f["turn"] == "t2" and "Dale Ostrander" in f["value"] for f in got)


def test_an_agreed_ask_reads_as_what_was_agreed_not_as_our_question():
    turns = [{"id": "t1", "speaker": "Avery Cole",
              "text": "Can we book a scoping workshop next Tuesday, December 8?"},
             {"id": "t2", "speaker": "Dana Ruiz", "text": "Yes, Tuesday works for us."}]
    [fact] = agreed_asks(turns, sellers=["Avery Cole"])
    assert fact["value"] == "agreed: book a scoping workshop next Tuesday, December 8"
    assert fact["quote"].startswith("Yes, Tuesday works")


def test_budget_takes_money_they_mean_to_spend_not_a_cost_or_a_threshold() -> None:
    turns = [
        {"id": "t1", "speaker": "Rosa Ibarra", "text": "Spoilage cost us about $340k last "
         "season, mostly in the cold room."},
        {"id": "t2", "speaker": "Rosa Ibarra", "text": "Finance set aside a budget of $90k "
         "for the first two depots."},
        {"id": "t3", "speaker": "Rosa Ibarra", "text": "Milo Dunn, our CFO. Anything over "
         "$150k lands on his desk."},
    ]
    got: dict[str, list[str]] = {}
    for f in field_facts(turns, sellers=["Ana Seller"], people=["Milo Dunn"]):
        got.setdefault(f["field"], []).append(f["value"])
    assert any("$90k" in v for v in got["budget"])
    assert not any("$340k" in v or "$150k" in v for v in got["budget"])
    assert any("$340k" in v for v in got["pains"])
    assert "Milo Dunn, our CFO." not in got.get("timeline", [])
    assert misfiled("budget", "$340k", turns[0]["text"]) is not None
    assert misfiled("budget", "$150k", "Anything over $150k lands on his desk.") is not None
    assert misfiled("budget", "$90k", turns[1]["text"]) is None
    # a budget approved to cap the spend keeps an amount even beside a loss
    assert misfiled("budget", "$50k", "We lose $200k a year, so the board approved $50k.") \
        is None


def test_a_timeline_needs_a_time_in_its_own_words() -> None:
    assert misfiled("timeline", "x", "Milo Dunn, our CFO.") == "only a name and a title"
    assert misfiled("timeline", "x", "Start with the dashboards.") is not None
    assert misfiled("timeline", "x", "I can't promise anything before April.") is None
    assert misfiled("timeline", "x", "We could be live in six with the data.") is None
    assert misfiled("timeline", "agreed: the review on May 4", "Yes.") is None  # our ask, dated


def test_a_person_named_with_a_title_then_what_they_do_by_a_pronoun() -> None:
    from assistant.reflect.fields import pointed_people

    turns = [
        {"id": "t1", "speaker": "Ana Seller", "text": "Who approves the contract?"},
        {"id": "t2", "speaker": "Olu Bakare", "text": "Mira Santos, our CFO. Anything over "
         "€80k lands on her desk."},
        {"id": "t3", "speaker": "Olu Bakare", "text": "Teo Vance, our Head of Logistics. "
         "He'll take it to the steering group."},
        {"id": "t4", "speaker": "Olu Bakare", "text": "Lena Fox, our Procurement Lead. "
         "She joined in May."},
        {"id": "t5", "speaker": "Olu Bakare", "text": "Ravi Iyer, our COO. Maybe he signs, "
         "not sure."},
        {"id": "t6", "speaker": "Ana Seller", "text": "Jo Park, our VP of Sales. She signs "
         "our side."},
    ]
    got = [(f["field"], f["value"]) for f in pointed_people(turns, sellers=["Ana Seller"])]
    assert got == [
        ("economic_buyer", "Mira Santos, our CFO. Anything over €80k lands on her desk."),
        ("champion", "Teo Vance, our Head of Logistics. He'll take it to the steering group."),
    ]  # not a person with nothing said of them, not a hedge, not our own side
    facts = field_facts(turns, sellers=["Ana Seller"], people=["Mira Santos"])
    buyer = [f for f in facts if f["field"] == "economic_buyer"]
    assert buyer[0]["quote"].startswith("Mira Santos, our CFO.") and buyer[0]["said_by_customer"]
    assert not any(f["field"] == "budget" and "€80k" in f["value"] for f in facts)
    assert not any(f["field"] == "timeline" and f["value"] == "Mira Santos, our CFO."
                   for f in facts)


def test_a_price_a_rate_or_a_loss_is_no_budget_but_money_set_aside_is() -> None:
    # a rate they charged, a price they got, a loss: money, but none they mean to spend
    assert misfiled("budget", "x", "In March we let a forty-seat room go for $95 a head.")
    assert misfiled("budget", "x", "We undercharged the spring conferences by about $18,000.")
    assert misfiled("budget", "x", "Your quote came to $52,000 for the first year.")
    # money with budget, approval, spending or a cap in it
    assert misfiled("budget", "x", "Finance approved $30,000 for a scheduling tool.") is None
    assert misfiled("budget", "x", "We can afford about $2,500 a month.") is None
    assert misfiled("budget", "x", "I have $25,000 a year for scheduling, all in.") is None
    # the answer to a budget question keeps its amount
    assert misfiled("budget", "x", "Around $18k.", "What have you set aside for it?") is None


def test_a_buyer_or_champion_is_a_person_on_their_side() -> None:
    kw = {"people": ["Rosa Lindqvist", "Tomas Berg"], "ours": ["Jonas Richter"],
          "rivals": ["Tallyhub"], "companies": ["Berg & Lindqvist Bakeries"]}
    assert not_a_person("Rosa Lindqvist", **kw) is None
    assert not_a_person("Tomas, the owner", **kw) is None
    assert not_a_person("their CFO", **kw) is None
    assert "company" in (not_a_person("Tallyhub", **kw) or "")
    assert "company" in (not_a_person("Berg & Lindqvist Bakeries", **kw) or "")
    assert "competitor" in (not_a_person("Tallyhub's CEO", **kw) or "")
    assert "our own" in (not_a_person("Jonas Richter", **kw) or "")
    assert not_a_person("the finance team", **kw)


def test_what_the_problem_costs_them_is_a_pains_figure_not_a_budget() -> None:
    turns = [
        {"id": "t1", "speaker": "Rosa Lindqvist", "text": "Weekend overtime pay was $88k "
         "last year across the four bakeries."},
        {"id": "t2", "speaker": "Rosa Lindqvist", "text": "Every missed shift costs us $610 "
         "in spoiled dough."},
        {"id": "t3", "speaker": "Rosa Lindqvist", "text": "Our landlord's rules say $2 million "
         "of liability cover for anyone on site."},
        {"id": "t4", "speaker": "Rosa Lindqvist", "text": "Your quote came to $31,000 for the "
         "first year."},
    ]
    got = field_facts(turns, sellers=["Jonas Richter"], competitors=[])
    pains = " ".join(f["value"] for f in got if f["field"] == "pains")
    assert "$88k" in pains and "$610" in pains
    assert "$2 million" not in pains and "$31,000" not in pains
    assert not any(f["field"] == "budget" for f in got)


def test_a_cap_in_their_words_is_a_budget() -> None:
    assert misfiled("budget", "x", "The owners will want it under $150k, full stop.") is None
    assert misfiled("budget", "x", "No more than $3,000 a month for the lot.") is None


def test_a_price_said_back_to_us_is_no_pain() -> None:
    turns = [{"id": "t1", "speaker": "Rosa Lindqvist", "text": "You're $38k for the four "
              "bakeries, before setup."},
             {"id": "t2", "speaker": "Rosa Lindqvist", "text": "We undercharged the spring "
              "weddings by about $12,000."}]
    pains = [f["value"] for f in field_facts(turns, sellers=["Jonas Richter"], competitors=[])
             if f["field"] == "pains"]
    assert any("$12,000" in p for p in pains) and not any("$38k" in p for p in pains)


def test_money_they_can_approve_or_draw_on_is_a_budget() -> None:
    assert misfiled("budget", "x", "$52k for the ovens fits inside the grant for equipment.") \
        is None
    assert misfiled("budget", "x", "It's $4k, so under Ilse's $10k line, I can sign it myself.") \
        is None


def test_an_objection_a_denial_a_to_do_and_our_dates_are_no_customer_facts() -> None:
    turns = [
        {"id": "t1", "speaker": "Omar Diaz", "text": "Honestly, $18,000 plus your $4,000 "
         "setup is too steep, so you'd have to prove it pays back."},
        {"id": "t2", "speaker": "Omar Diaz", "text": "The paperwork isn't our problem. "
         "Scheduling is."},
        {"id": "t3", "speaker": "Jonas Richter", "text": "Could we run the trial? I'd "
         "suggest March 4."},
        {"id": "t4", "speaker": "Omar Diaz", "text": "March 4 at ten works. I'll join for "
         "the first twenty minutes."},
        {"id": "t5", "speaker": "Jonas Richter", "text": "Meanwhile I'll send you the "
         "trial plan by February 20."},
    ]
    got = field_facts(turns, sellers=SELLERS)
    by = {(f["field"], f["quote"]) for f in got}
    assert not any(q.startswith("Honestly, $18,000") for fl, q in by
                   if fl == "decision_criteria")
    assert not any("isn't our problem" in q for fl, q in by if fl == "pains")
    assert not any(q.startswith("I'll join") for fl, q in by if fl == "metrics")
    assert not any(q.startswith("I'd suggest") or q.startswith("Meanwhile") for _, q in by)
    assert ("timeline", "March 4 at ten works.") in by
    assert misfiled("decision_criteria", "x", "Your $4,000 setup is too steep.")
    assert misfiled("pains", "x", "The hours aren't my problem.")
    assert misfiled("metrics", "x", "I'll sit in for the first half hour.")
    assert misfiled("pains", "x", "Overtime is a problem every March.") is None
    assert misfiled("decision_criteria", "x", "It must export to Excel.") is None


def test_a_hedge_elsewhere_in_the_sentence_does_not_unname_who_signs() -> None:
    from assistant.reflect.fields import pointed_people

    turns = [
        {"id": "t1", "speaker": "Olu Bakare", "text": "Nia Osei, our CFO, who signs anything "
         "over $40,000, has read the case; she'll move the renewal date if I ask her to."},
        {"id": "t2", "speaker": "Olu Bakare", "text": "Ken Abe, our COO, might sign it, "
         "I'm told."},
    ]
    got = [(f["field"], f["value"][:30]) for f in pointed_people(turns, sellers=["Ana Seller"])]
    # "if I ask her to" hedges the renewal date, not her signature; "might sign" hedges it
    assert got == [("economic_buyer", "Nia Osei, our CFO, who signs a")], got


def test_a_rate_or_the_past_is_no_timeline_and_a_rate_of_theirs_is_a_metric() -> None:
    for said in ("We bin about 900 meals a week.", "Payroll runs us $12,000 a month.",
                 "We opened the second site six years ago.", "Noor is two weeks in.",
                 "We switched carriers last spring."):
        assert misfiled("timeline", said, said) is not None, said
    for said in ("Send me a proposal in a year.", "We go live before the summer.",
                 "Since the audit we need it by March 3."):  # still a time ahead
        assert misfiled("timeline", said, said) is None, said
    turns = [{"id": "t1", "speaker": "Olu Bakare", "text": "We bin about 900 meals a week."}]
    filed = {f["field"] for f in field_facts(turns, sellers=["Ana Seller"])}
    assert filed == {"metrics"}, filed


def test_an_owner_who_bought_the_business_with_the_speaker_is_a_buyer() -> None:
    turns = [{"id": "t1", "speaker": "June Sato", "text": "Tomas and I bought it nine years "
              "ago."}]
    facts = field_facts(turns, sellers=["Ana Seller"], people=["Tomas"])
    assert [(f["field"], f["value"]) for f in facts] == [
        ("economic_buyer", "Tomas and I bought it nine years ago.")], facts


CALL = [
    {"id": "t1", "speaker": "Hollis Brandvold", "text": "Fair. And at the end, who signs?"},
    {"id": "t2", "speaker": "Ingrid Verrill", "text": "Arne does. Anything over $25,000 goes to "
     "my father, he signs it. He's read the sheet."},
    {"id": "t3", "speaker": "Hollis Brandvold", "text": "I'll send you a pilot plan by "
     "February 17."},
    {"id": "t4", "speaker": "Ingrid Verrill", "text": "Put the Stillwater audit date in it. "
     "Tell Omar the Stillwater audit is on April 20."},
    {"id": "t5", "speaker": "Ingrid Verrill", "text": "Call me in March about the other "
     "branches."},
]


def _by_value() -> dict[str, str]:
    return {f["value"]: f["field"] for f in field_facts(CALL, sellers=["Hollis Brandvold"])}


def test_an_elliptical_answer_is_read_with_its_question() -> None:
    got = _by_value()
    signer = next(v for v in got if v.startswith("Arne signs"))
    assert got[signer] == "economic_buyer"
    assert "who signs?" in signer and "Arne does." in signer  # both quoted
    assert "Arne does." not in got  # never the fragment alone


def test_an_indirect_signer_is_the_economic_buyer() -> None:
    got = _by_value()
    assert got.get("Anything over $25,000 goes to my father, he signs it.") == "economic_buyer"


def test_a_request_is_never_a_fact_but_its_reported_clause_is() -> None:
    got = _by_value()
    assert not any(v.startswith("Put the Stillwater") for v in got)
    assert "the Stillwater audit is on April 20." in got
    # when to come back, as they asked it: a timeline in who asked it, not an order to us
    assert got.get("Ingrid asks us to call back in March about the other branches") == \
        "timeline"


def test_a_request_is_reported_without_naming_the_speaker_twice() -> None:
    from assistant.reflect.fields import _as_reported

    assert _as_reported("Call me the week of January 11") == "Call back the week of January 11"
    assert _as_reported("My team needs the quote, send me it") == \
        "their team needs the quote, send them it"

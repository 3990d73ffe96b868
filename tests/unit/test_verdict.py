"""The objective's verdict, composed by code from what the customer said (PLAYBOOK rules).

met = agreed with a date or an owner; partial = part of it, a condition, or no date;
missed = declined, postponed, or our ask got no yes; unknown = the notes say nothing.
"""

from __future__ import annotations

import pytest

from assistant.reflect.verdict import answers, call_signals, classify_answer, compose_objective

SELLERS = ["Avery Cole", "Jordan Pike"]


def turns(*lines: str) -> list[dict[str, str | None]]:
    """``"Name: text"`` is a speaker's turn; a line starting with ``~`` is a note's text."""
    out: list[dict[str, str | None]] = []
    for i, line in enumerate(lines, start=1):
        speaker, _, text = line.partition(": ")
        out.append({"id": f"t{i}", "speaker": None if line.startswith("~") else speaker,
                    "text": line.lstrip("~ ") if line.startswith("~") else text})
    return out


CASES = [
    ("met", ["Avery Cole: Can we book the scoping workshop next Tuesday?",
             "Dana Ruiz: Yes, Tuesday works. I'll bring Maria."]),
    ("met", ["Greg Holloway: That works. Send the order form; I'll sign by December 5."]),
    ("met", ["~Karen agreed to a site assessment at Edison on December 3 with their "
             "electrician. Budget is $400k of capital for FY27."]),
    ("partial", ["Frank Moreno: Maybe. Send me the lease option by Friday and I'll take both "
                 "versions to the council on December 9, but I can't promise they approve."]),
    ("partial", ["~Anna accepted $169 per location. She would not give a signature date: her "
                 "accountant must review the contract first."]),
    ("partial", ["~Next step: Maya sends a one-page estimate; no meeting booked."]),
    ("missed", ["Avery Cole: Could we at least do a site assessment?",
                "Hank Meyer: No, not now. Let's talk again in 2028 when the lease is up."]),
    ("missed", ["~Lost. He signed with SensorLoop on November 20."]),
    ("missed", ["~Amanda was clear: all spend is frozen until the merger closes. Amanda "
                "suggested we revisit in Q3 2027."]),
    ("missed", ["Avery Cole: Shall we book the pilot kickoff for January?",
                "Dana Ruiz: Interesting. Send me a summary and some case studies."]),
    ("missed", ["Avery Cole: Can we schedule the technical review next week?",
                "Dana Ruiz: The routing numbers look right to me, thanks for walking us "
                "through the dashboard today."]),
    ("unknown", ["~Meeting happened. Good conversation overall."]),
    ("unknown", ["Avery Cole: Hello? Can you hear me now?",
                 "Dana Ruiz: Sorry, you are breaking up badly. OK, bye."]),
]


@pytest.mark.parametrize(("expected", "lines"), CASES,
                         ids=[f"{e}-{i}" for i, (e, _) in enumerate(CASES)])
def test_the_verdict_follows_the_playbook(expected: str, lines: list[str]) -> None:
    verdict = compose_objective(turns(*lines), sellers=SELLERS)
    assert verdict.status == expected, verdict.reason
    if expected != "unknown":
        assert verdict.quote is not None and verdict.quote.text in " ".join(lines)
        assert verdict.decided_by == "code"


def test_our_own_promises_and_cheers_are_not_the_customer_s_yes() -> None:
    said = turns("Avery Cole: Great. I'll send the pilot outline by Friday.",
                 "Jordan Pike: Deal. We'll set up the workshop.",
                 "Dana Ruiz: Thanks, bye.")
    assert [s.kind for s in call_signals(said, sellers=SELLERS)] == []
    # a seller reporting what the customer did does count
    reported = turns("Avery Cole: Dana agreed to the pilot scope on December 2.")
    (signal,) = call_signals(reported, sellers=SELLERS)
    assert signal.kind == "commit" and signal.dated and signal.owned


def test_the_model_only_breaks_a_silence() -> None:
    quiet = turns("Dana Ruiz: The routing numbers look right. Kelsey will want the detail.",
                  "Tom Becker: Three dispatchers re-plan every route by hand.")
    told = compose_objective(quiet, sellers=SELLERS, model_status="partial",
                             model_quote="Kelsey will want the detail")
    assert (told.status, told.decided_by) == ("partial", "model")
    # when the words decide, the model's contrary reading does not
    clear = turns("Dana Ruiz: No. We went with RouteIQ.")
    overruled = compose_objective(clear, sellers=SELLERS, model_status="met",
                                  model_quote="We went with RouteIQ")
    assert (overruled.status, overruled.decided_by) == ("missed", "code")


GENERAL = [
    # a bare "No." declines only when it answers a question just asked
    ("missed", ["Avery Cole: Would you sign the pilot order this month?", "Dana Ruiz: No."]),
    ("met", ["Dana Ruiz: No. The old system never did that.",
             "Avery Cole: Can we book the workshop on Tuesday?",
             "Dana Ruiz: Yes, Tuesday works, I'll bring Maria."]),
    # "cancelled", "on hold", "frozen" decline only when they speak of the deal
    ("met", ["Dana Ruiz: The old tool showed cancelled shifts as paid, that is our problem.",
             "Avery Cole: Shall we set up the pilot for December 3?",
             "Dana Ruiz: Yes, December 3 works."]),
    ("missed", ["Dana Ruiz: The whole project is on hold until the audit is done."]),
    # the notes stop before the end of the call: how the ask went is not in them
    ("unknown", ["Avery Cole: Can we agree the pilot scope and a start date?",
                 "Dana Ruiz: Let me think about the scope, it depends on the budget.",
                 "~[Recording ends here, the rest of the call was not captured.]"]),
    ("met", ["Avery Cole: Can we agree the pilot start on January 12?",
             "Dana Ruiz: Yes, January 12 works, I'll sign the order.",
             "~[Recording ends here.]"]),  # the yes was recorded: the cut changes nothing
]


@pytest.mark.parametrize(("expected", "lines"), GENERAL,
                         ids=[f"{e}-{i}" for i, (e, _) in enumerate(GENERAL)])
def test_declines_answer_the_ask_and_cut_notes_are_unknown(expected: str,
                                                           lines: list[str]) -> None:
    verdict = compose_objective(turns(*lines), sellers=SELLERS)
    assert verdict.status == expected, verdict.reason


def test_maybe_before_a_number_is_an_estimate_not_a_hedge() -> None:
    said = turns("Luis: We lose maybe fifteen calls a week, maybe $350 each.",
                 "Luis: Maybe. I need to think about it.")
    assert [(s.kind, s.turn) for s in call_signals(said, sellers=SELLERS)] == [
        ("hedge", "t2"), ("hedge", "t2")]


# ---- the customer's answer to our ask decides (verdict.answers / from_answers) ----------

ANSWERED = [
    # a yes on a condition still open is partial, whatever else was agreed
    ("partial", ["Avery Cole: Can we look at a success sign-off the week of December 8?",
                 "Dana Ruiz: If those three are done, yes. Pencil it."]),
    ("partial", ["Avery Cole: Can we agree you sponsor it on December 15?",
                 "Dana Ruiz: I'll sponsor it if Raj has signed off security before then.",
                 "Tom Becker: I'll set up the drivers' meeting for the Thursday after."]),
    # part agreed (the price), the date declined: partial
    ("partial", ["Dana Ruiz: Okay. I can live with $148k and a 4% cap.",
                 "Avery Cole: Could we agree that you make the decision by December 15?",
                 "Dana Ruiz: Not yet. I'm not putting a date on anything until Kevin is done."]),
    # every answer declines or is "we'll get back to you": missed, despite a stray "maybe"
    ("missed", ["Dana Ruiz: Maybe the pilot answers both.",
                "Avery Cole: Can we put 20 minutes on the calendar in early January?",
                "Dana Ruiz: Send the summary first. If I like it, Tina will call you."]),
    ("missed", ["Avery Cole: If I get you all three, can we book the approval on December 7?",
                "Dana Ruiz: No. Come back when you have them.",
                "Dana Ruiz: It would tell us the board works in Ohio."]),
    # a dated yes to the ask is met; a later aside on another topic does not hedge it
    ("met", ["Avery Cole: I'd like to book the proposal meeting on December 2. Does that work?",
             "Dana Ruiz: December 2, 10 am. Marty comes.",
             "Tom Becker: Year two depends on the year we have."]),
    ("met", ["Avery Cole: Dana, is that a yes to 84 trucks at $112?",
             "Dana Ruiz: It's a yes. Send the paper to Dale Ostrander. "
             "I'll sign once he's happy."]),
    # a yes without a date or an owner is partial
    ("partial", ["Avery Cole: Could we agree the pilot today and one of you owns it?",
                 "Dana Ruiz: I'm for the pilot. January sometime, after our upgrade."]),
]


@pytest.mark.parametrize(("expected", "lines"), ANSWERED,
                         ids=[f"{e}-{i}" for i, (e, _) in enumerate(ANSWERED)])
def test_the_answer_to_our_ask_decides(expected: str, lines: list[str]) -> None:
    verdict = compose_objective(turns(*lines), sellers=SELLERS)
    assert verdict.status == expected, verdict.reason
    assert verdict.quote is not None and verdict.quote.text in " ".join(lines)


def test_each_customer_answers_the_ask_once_and_a_question_back_is_no_answer() -> None:
    said = answers(turns("Avery Cole: Can we hold February 8 for the kickoff?",
                         "Dana Ruiz: Which room?",
                         "Dana Ruiz: In pencil, sure.",
                         "Tom Becker: Don't write that down as a signature date.",
                         "Dana Ruiz: No, that is fine."), sellers=SELLERS)
    assert [(a.speaker, a.kind) for a in said] == [("Dana Ruiz", "yes"), ("Tom Becker", "no")]
    assert classify_answer("Okay, let me think about it.") is None or \
        classify_answer("Let me think about it.") == "no"


def test_the_outcome_decides_when_the_rep_gives_one() -> None:
    said = turns("Avery Cole: Can we book the kickoff for January 12?",
                 "Dana Ruiz: Yes, January 12 works.")
    assert compose_objective(said, sellers=SELLERS, outcome="lost").status == "missed"
    assert compose_objective(said, sellers=SELLERS, outcome="no-decision").status == "missed"
    refused = turns("Avery Cole: Can we book the kickoff?", "Dana Ruiz: No.")
    assert compose_objective(refused, sellers=SELLERS, outcome="won").status == "met"


def test_a_cut_recording_is_unknown_unless_the_answer_was_recorded() -> None:
    cut = turns("Avery Cole: How do you handle late cancels?",
                "Dana Ruiz: Half rate, if the client cancels inside 24 hours. So, can we",
                "~[recording ended]")
    assert compose_objective(cut, sellers=SELLERS).status == "unknown"
    # our seller's own caveat is not the customer's condition
    ours = turns("Jordan Pike: The exit fee applies only if you terminate mid-term.",
                 "Avery Cole: Can we start the pilot on November 2?",
                 "Dana Ruiz: Yes. Kira runs it.")
    assert compose_objective(ours, sellers=SELLERS).status == "met"


@pytest.mark.parametrize(("answer", "kind"), [
    ("Sounds good.", "yes"), ("Go ahead.", "yes"), ("The 5th is fine.", "yes"),
    ("Tuesday is bad. Wednesday at 3 works.", "yes"),  # a slot offered is a yes
    ("The routing numbers look right to me.", None),  # words that do not answer the ask
    ("Yes, but legal needs to review it first.", "if"),
    ("I'd rather wait until the board meets.", "no"),
    ("Let me think about it.", "no"), ("We'll get back to you.", "no"),
    ("Not yet. Kevin has to sign off first.", "no"),
    ("If the budget clears, yes.", "if"),
])
def test_the_language_of_an_answer(answer: str, kind: str | None) -> None:
    assert classify_answer(answer) == kind


def test_a_refusal_after_the_yes_is_the_last_word_on_the_deal() -> None:
    said = turns("Avery Cole: Can we book the kickoff for January 12?",
                 "Dana Ruiz: Yes, January 12 works.",
                 "Dana Ruiz: Actually, we went with RouteIQ last week, I should have said.")
    verdict = compose_objective(said, sellers=SELLERS)
    assert verdict.status == "missed", verdict.reason


def test_the_outcome_verdict_quotes_the_words_that_show_it() -> None:
    said = turns("Avery Cole: Can we get the order form signed?",
                 "Dana Ruiz: Signed. I'll send it back by Friday.")
    verdict = compose_objective(said, sellers=SELLERS, outcome="won")
    assert verdict.status == "met" and verdict.quote is not None
    assert verdict.quote.text in said[1]["text"]  # type: ignore[operator]


PHRASED = [
    # an offer of ours declined ("Can I bring our CEO?") is no refusal of the ask
    ("met", ["Avery Cole: Can we book the pilot kickoff for January 5?", "Dana Ruiz: Yes.",
             "Avery Cole: Can I bring our CEO?", "Dana Ruiz: No need, honestly."]),
    ("missed", ["Avery Cole: Could we schedule the technical review next week?",
                "Dana Ruiz: Let's revisit after the holidays."]),
    ("met", ["Avery Cole: Does March 3 work for the install?",
             "Dana Ruiz: March 3 is perfect."]),
    ("partial", ["Avery Cole: Can we get the contract signed this month?",
                 "Dana Ruiz: Probably. Legal still has to review the liability clause."]),
    ("met", ["Avery Cole: Could you introduce us to your CFO this week?",
             "Dana Ruiz: Sure, I'll set it up for Thursday."]),
]


@pytest.mark.parametrize(("expected", "lines"), PHRASED,
                         ids=[f"{e}-{i}" for i, (e, _) in enumerate(PHRASED)])
def test_asks_and_answers_in_other_words(expected: str, lines: list[str]) -> None:
    verdict = compose_objective(turns(*lines), sellers=SELLERS)
    assert verdict.status == expected, verdict.reason


# ---- a no with a day of the customer's own, asks in other words, the rep's verdict ----------

@pytest.mark.parametrize("expected,lines", [
    # our day declined, the customer sets another for the same step: part of what we asked
    ("partial", ["Avery Cole: Then let's run two weeks on the night shift. Can we start "
                 "Monday the 14th?",
                 "Dana Ruiz: No. December is our rush. January 11, not before."]),
    # a vague later is a postponement, not a counter
    ("missed", ["Avery Cole: Can we start Monday the 14th?",
                "Dana Ruiz: No. Let's revisit in the new year."]),
    # a question proposing a day is an ask; "not promising" keeps the condition open
    ("partial", ["Avery Cole: Then a session with our deal desk on December 15?",
                 "Dana Ruiz: December 15. I'm not promising anything."]),
    ("met", ["Avery Cole: Can we do December 3, here, after lunch?",
             "Dana Ruiz: December 3. One hour. Greg, put it on the board."]),
    ("partial", ["Avery Cole: Let's hold a date for the panel demo. December 10?",
                 "Dana Ruiz: I can hold December 10 for our side. Whether procurement calls it "
                 "a bid, I can't say yet."]),
    # a colleague's context after the decider's yes is no answer
    ("met", ["Avery Cole: Could we do December 10?",
             "Dana Ruiz: December 10, 3 pm, 45 minutes.",
             "Greg Holloway: The committee meets January 14. If the case is ready, it makes "
             "that agenda."]),
    # "No." to a question for information declines nothing
    ("met", ["Avery Cole: Any contract you'd have to get out of?",
             "Dana Ruiz: No. Month to month.",
             "Avery Cole: Can we book the demo on December 3?",
             "Dana Ruiz: Yes, December 3."]),
    # the rep's own verdict in the notes decides
    ("missed", ["Avery Cole: Can Greg and I meet next week?",
                "Dana Ruiz: Greg, set it up.",
                "~- No yes today. Objective missed. Bake-off decision on February 9."]),
])
def test_counters_day_asks_and_the_rep_s_own_verdict(expected: str, lines: list[str]) -> None:
    verdict = compose_objective(turns(*lines), sellers=SELLERS,
                                people=["Dana Ruiz", "Greg Holloway"])
    assert verdict.status == expected, verdict.reason


def test_a_counter_quotes_the_customer_s_own_day_and_we_haven_t_agreed_hedges() -> None:
    verdict = compose_objective(turns(
        "Avery Cole: Can we start Monday the 14th?",
        "Dana Ruiz: No. December is our rush. January 11, not before."), sellers=SELLERS)
    assert "January 11" in verdict.reason and verdict.evidence[0].text.startswith("January 11")
    signals = call_signals(turns("Dana Ruiz: The trial, yes. The money, we haven't agreed "
                                 "anything."), sellers=SELLERS)
    assert [s.kind for s in signals] == ["commit", "hedge"]


QUIET = ["Dana Ruiz: Maybe, I need to think about it.",  # a hedge: the model may lift it
         "~We walked through the routing dashboard, the depot layout, the driver app, the "
         "shift planner and the reports the dispatch team reads every morning."]


@pytest.mark.parametrize("lines", [lines for _, lines in CASES + GENERAL + ANSWERED]
                         + [QUIET[:1], QUIET[1:]])
@pytest.mark.parametrize("outcome", [None, "won"])
def test_whether_the_model_can_move_the_verdict_takes_two_compositions(
        lines: list[str], outcome: str | None) -> None:
    """reflect.asks (what the assessment asks; the progress view marks the same) composes
    with and without a "met"; every answer agrees with that."""
    from assistant.reflect.asks import assessment_asks

    said = turns(*lines)
    seen = {compose_objective(said, sellers=SELLERS, model_status=status,
                              model_quote="q" if status else None, outcome=outcome).status
            for status in (None, "met", "partial", "missed")}
    asks = assessment_asks({"team": SELLERS, "buyers_known": [], "agenda": [], "questions": [],
                            "roles": []}, said, outcome)
    needs = asks.objective
    assert needs == (len(seen) > 1)
    assert asks.empty == (not needs)  # no plan: nothing else to ask, so no call without it
    if lines in (QUIET[:1], QUIET[1:]) and outcome is None:
        assert needs  # the two places the model's answer counts


@pytest.mark.parametrize("expected,lines", [
    # "What about <day>?" proposes the step on a day: an ask, and a dated yes meets it
    ("met", ["Avery Cole: I'd like to agree a pilot this month.",
             "Dana Ruiz: Not the week of our trade fair.",
             "Avery Cole: Then what about March 9, for two weeks?",
             "Dana Ruiz: Fine: March 9, two weeks, the north depot only."]),
    # "Could we do it … on a morning this month?" asks for the step; a hedge about something
    # else, answering a question for information, does not take the yes back
    ("met", ["Avery Cole: Could we do it at the north depot on a morning this month?",
             "Dana Ruiz: March 9, 10:30. I'll be there, and Greg.",
             "Avery Cole: How many depots would we be talking about?",
             "Dana Ruiz: All six. But I can't promise the board anything."]),
])
def test_a_day_proposed_as_what_about_or_could_we_do_it_is_an_ask(
        expected: str, lines: list[str]) -> None:
    verdict = compose_objective(turns(*lines), sellers=SELLERS,
                                people=["Dana Ruiz", "Greg Holloway"])
    assert verdict.status == expected, verdict.reason


def _call(*lines: tuple[str, str]) -> list[dict[str, object]]:
    return [{"id": f"t{i}", "speaker": who, "text": text}
            for i, (who, text) in enumerate(lines, start=1)]


def test_a_dated_yes_with_the_approver_withheld_is_partial() -> None:
    turns = _call(
        ("Avery Cole", "Would March 3 work for the site visit?"),
        ("Lena Sorg", "March 3 works, morning."),
        ("Avery Cole", "And who approves the spend if this goes ahead?"),
        ("Lena Sorg", "The board. I'm not putting a name on it today."))
    v = compose_objective(turns, sellers=SELLERS, people=["Lena Sorg"])
    assert v.status == "partial" and "who approves" in v.reason
    # the same yes with the approver named is met
    named = turns[:3] + _call(("Lena Sorg", "Piet Valk signs; he'll join on March 3."))[:1]
    named[3]["id"] = "t4"
    assert compose_objective(named, sellers=SELLERS, people=["Lena Sorg"]).status == "met"


def test_one_part_accepted_and_the_date_declined_is_partial() -> None:
    turns = _call(
        ("Avery Cole", "Here is your export loaded: 88 assets, 4 sites."),
        ("Omar Reyes", "That's right. I'm satisfied with what I've seen on the load."),
        ("Jordan Pike", "Can we put the operator demo on May 6?"),
        ("Lena Sorg", "No, not in May. My operators are buried in the spring audits."))
    assert compose_objective(turns, sellers=SELLERS, people=["Lena Sorg"]).status == "partial"
    # without the accepted part, the declined date alone is missed
    assert compose_objective([turns[0], *turns[2:]], sellers=SELLERS,
                             people=["Lena Sorg"]).status == "missed"


def test_our_sellers_for_now_yes_is_no_customer_agreement() -> None:
    turns = _call(
        ("Lena Sorg", "So I still build the report by hand."),
        ("Jordan Pike", "For now, yes. Here is a mock-up of the export."),
        ("Lena Sorg", "A pilot from June 2 is out of the question."),
        ("Avery Cole", "Can we at least book a call on who would approve a change?"),
        ("Lena Sorg", "When there's a next time. I don't want to drag anyone in for a maybe."))
    signals = call_signals(turns, sellers=SELLERS)
    assert not any(s.speaker == "Jordan Pike" for s in signals)
    assert compose_objective(turns, sellers=SELLERS).status == "missed"


def test_a_signer_kept_back_in_other_words_is_partial() -> None:
    turns = _call(
        ("Avery Cole", "Could we show Mira the rota on February 9, 10am?"),
        ("Mira Holt", "February 9 works for me."),
        ("Avery Cole", "Great. And who signs off a change like this?"),
        ("Tomas Holt", "My sister and I. Leave my sister to me for now."))
    v = compose_objective(turns, sellers=SELLERS, people=["Mira Holt", "Tomas Holt"])
    assert v.status == "partial" and "who approves" in v.reason
    kept = [*turns[:3], {"id": "t4", "speaker": "Tomas Holt",
                         "text": "I'll handle that. If the rota is good, you'll meet her."}]
    assert compose_objective(kept, sellers=SELLERS, people=["Tomas Holt"]).status == "partial"


def test_our_date_refused_then_another_agreed_is_partial() -> None:
    turns = _call(
        ("Avery Cole", "We hope you can approve the rollout by March 2."),
        ("Mira Holt", "March 2 is not possible. The works council meets on April 7."),
        ("Avery Cole", "Then the complete file by March 30 for the April 7 meeting."),
        ("Mira Holt", "Yes, I'll put you on the April 7 agenda."))
    assert compose_objective(turns, sellers=SELLERS, people=["Mira Holt"]).status == "partial"
    # the same yes with no date refused is met
    agreed = [turns[0], turns[2], turns[3]]
    assert compose_objective(agreed, sellers=SELLERS, people=["Mira Holt"]).status == "met"


def test_a_signer_kept_back_after_a_dated_yes_with_no_question_is_partial() -> None:
    turns = _call(
        ("Mira Holt", "The rota eats two evenings a week and the agency bills us for every "
                      "gap we leave. I can do February 9, morning."),
        ("Avery Cole", "Then February 9, 10am, with Mira, and I'll bring our engineer to "
                       "build the rota on your own shift data. Who signs a change like this?"),
        ("Tomas Holt", "My sister and I. Leave my sister to me for now."))
    v = compose_objective(turns, sellers=SELLERS, people=["Mira Holt", "Tomas Holt"])
    assert v.status == "partial" and "who approves" in v.reason
    said = [turns[0], turns[1], {"id": "t3", "speaker": "Tomas Holt", "text": "Tomas Holt "
                                 "signs; he'll be there on February 9."}]
    assert compose_objective(said, sellers=SELLERS, people=["Tomas Holt"]).status == "met"


def test_a_colleagues_loose_yes_after_their_no_does_not_make_it_partial() -> None:
    from assistant.reflect.verdict import compose_objective

    turns = [{"id": "t1", "speaker": "Mara Lind", "text": "Could we put a date on the data "
              "export for after the audit?"},
             {"id": "t2", "speaker": "Ilse Brandt", "text": "I won't book a date today. "
              "After the audit we'll talk."},
             {"id": "t3", "speaker": "Jonas Falk", "text": "Then I'll take it to our "
              "director myself."}]
    v = compose_objective(turns, sellers=["Mara Lind"], people=["Ilse Brandt", "Jonas Falk"])
    assert v.status == "missed"
    # a colleague who names the date does agree to part of it
    dated = [*turns[:2], {"id": "t3", "speaker": "Jonas Falk", "text": "Sure, I'll book "
                          "March 3 with you for my team."}]
    assert compose_objective(dated, sellers=["Mara Lind"],
                             people=["Ilse Brandt", "Jonas Falk"]).status == "partial"


@pytest.mark.parametrize(("answer", "expected"), [
    ("Me and my brother. You'll get his name when we're ready.", "partial"),
    ("My wife and I decide together.", "partial"),
    ("Me and my partner, Colm Reyes.", "met"),
    ("I'm not giving you a name yet.", "partial"),
])
def test_who_signs_needs_a_name_the_notes_can_hold(answer: str, expected: str) -> None:
    verdict = compose_objective(turns(
        "Avery Cole: Can we book the workshop for March 3?",
        "Bea Lind: March 3 at ten works.",
        "Avery Cole: And when this comes to a decision, who signs it?",
        f"Bea Lind: {answer}"), sellers=SELLERS)
    assert verdict.status == expected, verdict.reason


def test_who_signs_answered_without_a_name_and_nothing_else_agreed_is_missed() -> None:
    verdict = compose_objective(turns(
        "Avery Cole: Before we go, who signs the purchase order?",
        "Bea Lind: Yes, sure. Me and my brother."), sellers=SELLERS)
    assert verdict.status == "missed", verdict.reason
    named = compose_objective(turns(
        "Avery Cole: Before we go, who signs the purchase order?",
        "Bea Lind: Yes, sure. Me and my brother, Tomas Lind."), sellers=SELLERS)
    assert named.status != "missed", named.reason


def test_a_date_of_their_own_project_with_ask_me_later_is_a_put_off_not_a_new_day() -> None:
    # "April 30" is when their ERP goes live, not a day they give our step; "ask me in
    # April" hands the next move back with no date: the step is declined
    said = turns("Avery Cole: Can we at least pick a date for the export after the cutover?",
                 "Dana Ruiz: I can't give you one. Go-live is April 30; those plans slip. "
                 "Ask me in April.")
    verdict = compose_objective(said, sellers=SELLERS)
    assert verdict.status == "missed", verdict.reason
    # a real day of theirs for the same step still keeps it, as part of the ask
    moved = turns("Avery Cole: Can we pick a date for the export next week?",
                  "Dana Ruiz: No. Next week is the cutover. April 30, not before.")
    assert compose_objective(moved, sellers=SELLERS).status == "partial"

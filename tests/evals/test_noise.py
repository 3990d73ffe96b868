"""``evals.noise``: the rules behind ``fact_noise``, read from a reflection or plain rows."""

from __future__ import annotations

from types import SimpleNamespace

from assistant.reflect.models import Fact, Quote
from evals.noise import Row, rivals, strikes


def test_a_reflection_fact_and_a_row_are_read_alike() -> None:
    fact = Fact(id="f1", field="timeline", value="May 2", status="known",
                quote=Quote(text="I'll send the answers by May 2.", speaker="Ines Varga"))
    row = {"field": "timeline", "value": "May 2", "quote": "I'll send the answers by May 2.",
           "speaker": "Ines Varga"}
    assert Row.of(fact) == Row.of(row)
    assert [s.index for s in strikes([fact, row], [], ["Ines Varga"])] == [0, 1]
    assert strikes([fact], [], ["Someone Else"]) == []  # the customer's own date: kept


def test_rivals_come_from_stories_and_from_competitor_cues_in_notes() -> None:
    kb = SimpleNamespace(
        stories=[SimpleNamespace(competitor="Medius"), SimpleNamespace(competitor=None)],
        notes=[SimpleNamespace(body="They lost to Tallyworks last year; the incumbent "
                                    "Paylane renews in June. We met Dana on Monday.")])
    assert rivals(kb) == ["Medius", "Tallyworks", "Paylane"]


def test_a_rivals_amount_is_not_their_budget() -> None:
    rows = [{"field": "budget", "value": "$49 a seat", "quote": "Paylane quoted $49 a seat."},
            {"field": "budget", "value": "$30k", "quote": "We budgeted $30k this year."}]
    assert [s.index for s in strikes(rows, ["Paylane"])] == [0]
    assert strikes(rows, []) == []


def _why(field: str, value: str, quote: str | None = None) -> list[str]:
    return [s.why.split(":")[0] for s in strikes(
        [{"field": field, "value": value, "quote": quote if quote is not None else value}], [])]


def test_an_instruction_or_a_request_is_not_a_fact() -> None:
    assert _why("pains", "Put the Stillwater audit date in it.") == [
        "an instruction or a request as a fact"]
    assert _why("decision_criteria", "Ravi, send me the interface spec.") == [
        "an instruction or a request as a fact"]
    assert "an instruction or a request as a fact" in _why("pains", "Could you add Racine?")
    # the customer's fact inside an instruction, taken as its own clause: kept
    assert _why("timeline", "the Stillwater audit is in April either way",
                "Tell her the Stillwater audit is in April either way.") == []
    # a bare date that says when ("Start March 22") and a commitment on a condition: kept
    assert _why("timeline", "Start March 22, the Monday after Wen's set-up.") == []
    assert _why("decision_process", "Send it and I'll sign today.") == []


def test_a_fragment_needs_the_question_it_answers() -> None:
    assert _why("decision_process", "Arne does.") == [
        "a fragment that needs the question it answers"]
    assert _why("economic_buyer", "Yes, she will.") == [
        "a fragment that needs the question it answers"]
    # read with its question, the same answer is a fact
    assert _why("decision_process", "Arne signs", "Who signs? Arne does.") == []
    assert _why("economic_buyer", "Anything over $25,000 goes to my father, he signs it.") == []


def test_a_question_is_not_a_fact() -> None:
    assert _why("budget", "does $43,956 work for year one?",
                "On the price sheet, does $43,956 work for year one?") == ["a question as a fact"]
    assert _why("budget", "We set aside $40,000.") == []


# ---- what a rep strikes on sight (issue 11), in words of no eval scenario --------------------

def _sight(rows: list[dict[str, str | None]], sellers: list[str] | None = None,
           expected: list[str] | None = None) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for s in strikes(rows, [], sellers or [], expected or []):
        out.setdefault(s.index, []).append(s.why.split(":")[0])
    return out


def test_the_calls_header_and_stage_directions_are_not_facts() -> None:
    rows = [{"field": "timeline", "value": "Zoom, Fri Apr 3, 10:30 am (Pia, Rolf; Ute Lind)",
             "quote": "Zoom, Fri Apr 3, 10:30 am (Pia, Rolf; Ute Lind)", "speaker": None},
            {"field": "decision_process", "value": "Ute decides. [Ute drops, 11:02]",
             "quote": "Ute decides. [Ute drops, 11:02]", "speaker": "Ute Lind"},
            {"field": "timeline", "value": "April 20", "quote": "We open the depot on April 20.",
             "speaker": "Ute Lind"}]
    hits = _sight(rows)
    assert "the call's header or a meta line as a fact" in hits[0]
    assert "the call's header or a meta line as a fact" in hits[1]
    assert 2 not in hits  # a date the customer said: kept


def test_a_one_word_answer_needs_its_question() -> None:
    rows = [{"field": "pains", "value": "Keycloak.", "quote": "Keycloak.", "speaker": "Ute"},
            {"field": "decision_process", "value": "Single sign-on provider: Keycloak",
             "quote": "Keycloak.", "speaker": "Ute"},
            {"field": "timeline", "value": "June 9", "quote": "The audit lands on June 9.",
             "speaker": "Ute"}]
    hits = _sight(rows)
    assert hits.get(0) == ["a one- or two-word answer without its question"]
    assert 1 not in hits and 2 not in hits  # joined to its question; a date from a sentence


def test_talk_about_the_talk_and_our_own_words_are_struck() -> None:
    rows = [{"field": "decision_process", "value": "Let me walk you through the numbers first.",
             "quote": "Let me walk you through the numbers first.", "speaker": "Ute Lind"},
            {"field": "decision_criteria", "value": "Sorry, I need to run at noon, the auditor.",
             "quote": "Sorry, I need to run at noon, the auditor.", "speaker": "Ute Lind"},
            {"field": "metrics", "value": "Day three, the reminder goes out.",
             "quote": "Day three, the reminder goes out.", "speaker": "Pia Holm"},
            {"field": "pains", "value": "Returns eat 40 hours a week.",
             "quote": "Returns eat 40 hours a week.", "speaker": "Ute Lind"}]
    hits = _sight(rows, sellers=["Pia Holm"])
    assert "talk about the talk as a fact" in hits[0] and "talk about the talk as a fact" in hits[1]
    assert "our own seller's words as the customer's fact" in hits[2]
    assert 3 not in hits


def test_the_same_claim_twice_is_struck_once() -> None:
    rows = [{"field": "timeline", "value": "We restart the line in the spring.",
             "quote": "We restart the line in the spring.", "speaker": "Ute"},
            {"field": "timeline", "value": "Yes, restart in the spring.",
             "quote": "Yes, restart in the spring.", "speaker": "Ute"}]
    assert _sight(rows) == {1: ["the same claim as another fact"]}


def test_a_vague_line_is_struck_only_when_it_matches_no_expected_fact() -> None:
    rows = [{"field": "pains", "value": "It is a mess, honestly.", "quote": "It is a mess.",
             "speaker": "Ute"},
            {"field": "pains", "value": "Returns eat 40 hours a week.",
             "quote": "Returns eat 40 hours a week.", "speaker": "Ute"}]
    assert _sight(rows) == {}  # without expectations the vague line stays
    assert _sight(rows, expected=["40 hours"]) == {
        0: ["matches no expected fact and carries no name, number or date"]}
    assert _sight(rows, expected=["a mess"]) == {}


def test_the_ceiling_counts_every_fact_matching_no_expected_one() -> None:
    from evals.metrics import fact_noise, fact_noise_ceiling
    from evals.noise import unmatched

    rows = [{"field": "pains", "value": "Returns eat 40 hours a week.", "quote": "x"},
            {"field": "timeline", "value": "Go-live on June 9", "quote": "x"},
            {"field": "pains", "value": "The audit is painful", "quote": "x"}]
    assert unmatched(rows, ["40 hours", "june 9"]) == [2]
    ceiling = fact_noise_ceiling(["40 hours", "june 9"], rows)
    assert ceiling is not None and abs((ceiling.value or 0) - 1 / 3) < 1e-3
    assert fact_noise_ceiling(None, rows) is None and fact_noise_ceiling(["x"], []) is None
    floor = fact_noise(rows, expected=["40 hours", "june 9"])
    assert floor is not None and (floor.value or 0) <= (ceiling.value or 0)


def test_our_sellers_recap_of_what_the_customer_did_is_kept() -> None:
    rows = [{"field": "budget", "value": "$12k", "speaker": "Pia Holm",
             "quote": "Recap: they approved $12k for the depot pilot."},
            {"field": "timeline", "value": "May 4", "speaker": "Pia Holm",
             "quote": "She said the board meets on May 4."}]
    assert _sight(rows, sellers=["Pia Holm"]) == {}


def test_talk_that_gives_a_date_is_not_struck_as_talk() -> None:
    rows = [{"field": "timeline", "value": "Let me give you the go-live first: October 3.",
             "quote": "Let me give you the go-live first: October 3.", "speaker": "Ute"}]
    assert "talk about the talk as a fact" not in _sight(rows).get(0, [])

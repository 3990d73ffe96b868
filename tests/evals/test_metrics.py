"""Every scorer, including its edge cases: nothing expected, nothing cited, a seller missing."""

from __future__ import annotations

import pytest

from evals import metrics as m


def test_score_is_unscored_only_without_a_value() -> None:
    s = m.unscored("the judge timed out")
    assert s.value is None and not s.scored and s.explanation == "unscored: the judge timed out"
    assert m.Score(0.0, "zero").scored


@pytest.mark.parametrize("fn", [m.retrieval_recall, m.citation_recall])
def test_recall_of_ids(fn) -> None:
    s = fn(["a", "b", "c"], ["b", "x", "a"])
    assert s.value == pytest.approx(2 / 3, abs=1e-4)
    assert "2/3" in s.explanation and "missing c" in s.explanation
    assert len(s.failures) == 1 and s.failures[0].startswith("c ")
    assert fn(["a"], ["a"]).value == 1.0 and fn(["a"], ["a"]).failures == ()
    assert fn(["a"], []).value == 0.0


@pytest.mark.parametrize("fn", [m.retrieval_recall, m.citation_recall])
def test_recall_without_expectations_is_absent(fn) -> None:
    assert fn(None, ["a"]) is None
    assert fn([], ["a"]) is None
    assert fn(["", "  "], ["a"]) is None  # blank ids are no expectation


def test_recall_counts_a_repeated_expected_id_once() -> None:
    assert m.retrieval_recall(["a", "a", "b"], ["a"]).value == 0.5


def test_citation_validity() -> None:
    s = m.citation_validity(["n1", "n2", "ghost", "n9"], retrieved=["n1", "n2"],
                            existing={"n1", "n2", "n9"})
    assert s.value == 0.5
    assert any("ghost does not exist" in f for f in s.failures)
    assert any("n9 was not retrieved" in f for f in s.failures)
    assert m.citation_validity(["n1"], ["n1"], {"n1"}).value == 1.0


def test_citation_validity_without_citations_is_absent() -> None:
    assert m.citation_validity([], ["n1"], {"n1"}) is None


def test_mention_recall_is_case_and_typography_insensitive() -> None:
    text = "Budget cut to $55,000 by GREG Holloway — Stampli’s quote is lower.\nQ2  start"
    s = m.mention_recall(["$55", "greg holloway", "Stampli's", "q2 start", "Medius"], text)
    assert s.value == 0.8
    assert s.failures == ("the plan does not mention 'Medius'",)
    assert m.mention_recall(["-"], "a – b").value == 1.0  # en dash matches a hyphen


def test_mention_recall_edge_cases() -> None:
    assert m.mention_recall(None, "anything") is None
    assert m.mention_recall([], "anything") is None
    assert m.mention_recall(["budget"], "").value == 0.0


def test_injection_resistance() -> None:
    ok = m.injection_resistance(["50% discount", "free pilot"], "A pilot at list price.")
    assert ok.value == 1.0 and ok.failures == ()
    bad = m.injection_resistance(["50% discount", "free pilot"], "Offer a 50% DISCOUNT now")
    assert bad.value == 0.0
    assert bad.failures == ("the plan contains the forbidden '50% discount'",)
    assert m.injection_resistance(None, "x") is None
    assert m.injection_resistance([], "x") is None


def test_role_coverage() -> None:
    roles = [("Avery Cole", "lead"), ("jordan pike", "closer")]
    assert m.role_coverage(["Avery Cole", "Jordan Pike"], roles).value == 1.0


def test_role_coverage_seller_missing_or_doubled() -> None:
    roles = [("Avery Cole", "lead"), ("Avery Cole", "closer")]
    s = m.role_coverage(["Avery Cole", "Jordan Pike"], roles)
    assert s.value == 0.0
    assert "Jordan Pike has no role in the plan" in s.failures
    assert any("Avery Cole has 2 roles" in f for f in s.failures)
    assert m.role_coverage([], roles) is None


def test_role_accuracy() -> None:
    roles = [("Maya Okafor", "lead"), ("Helen Brandt", "discovery"), ("Tomás Ibarra", "commercial")]
    expected = {"Maya Okafor": ["lead", "closer"], "Helen Brandt": ["executive", "closer"],
                "Tomás Ibarra": ["commercial"]}
    s = m.role_accuracy(expected, roles)
    assert s.value == pytest.approx(2 / 3, abs=1e-4)
    assert s.failures == ("Helen Brandt is discovery, expected executive or closer",)


def test_role_accuracy_seller_missing_from_the_plan() -> None:
    s = m.role_accuracy({"Chloe Tan": ["notes"], "Noah Adeyemi": ["lead"]},
                        [("Noah Adeyemi", "lead")])
    assert s.value == 0.5
    assert s.failures == ("Chloe Tan has no role in the plan (expected notes)",)
    assert m.role_accuracy(None, []) is None
    assert m.role_accuracy({}, []) is None


def test_schema_validity() -> None:
    assert m.schema_validity([True]).value == 1.0
    assert m.schema_validity([False]).value == 0.0
    s = m.schema_validity([True, False, None])  # None: no answer at all (timeout)
    assert s.value == 0.5 and s.failures
    assert m.schema_validity([]) is None
    assert m.schema_validity([None]) is None


def test_replaced_rate_counts_model_headlines_code_stood_in_for() -> None:
    assert m.replaced_rate([], []) is None  # the model wrote none: fallback_rate's business
    s = m.replaced_rate(["objective", "advance", "fallback"], ["objective"])
    assert s is not None and s.value == pytest.approx(1 / 3, abs=1e-3)
    assert s.failures == ("the model's objective was replaced by code's",)
    assert m.replaced_rate(["advance"], []).value == 0.0  # type: ignore[union-attr]
    assert "replaced_rate" in m.LOWER_IS_BETTER


def test_fallback_rate() -> None:
    assert m.fallback_rate(1, 0).value == 0.0
    assert m.fallback_rate(2, 1).value == 0.5
    assert m.fallback_rate(1, 1).failures
    assert m.fallback_rate(0, 0) is None
    assert m.fallback_rate(1, 5).value == 1.0  # clamped


@pytest.mark.parametrize("fn", [m.objective_accuracy, m.stage_accuracy])
def test_exact_verdicts(fn) -> None:
    assert fn("met", "Met").value == 1.0
    assert fn("Negotiation", " negotiation ").value == 1.0
    wrong = fn("met", "partial")
    assert wrong.value == 0.0 and "'partial'" in wrong.failures[0]
    missing = fn("met", None)
    assert missing.value == 0.0 and "gave no" in missing.failures[0]
    assert fn(None, "met") is None
    assert fn("", "met") is None


def test_fact_recall() -> None:
    facts = ["Signature by December 5, before the board", "Order form at $54k, two-year term"]
    assert m.fact_recall(["december 5", "$54k"], facts).value == 1.0
    s = m.fact_recall(["December 5", "22 clinics"], facts)
    assert s.value == 0.5 and s.failures == ("no new fact contains '22 clinics'",)
    assert m.fact_recall(["December 5"], []).value == 0.0
    assert m.fact_recall(None, facts) is None
    assert m.fact_recall([], facts) is None


def test_fact_noise_is_the_share_of_facts_a_rep_would_strike() -> None:
    rows = [
        {"field": "budget", "value": "$40k", "quote": "Finance set aside $40k.", "speaker": "Ada"},
        # our seller's promise filed as the customer's timeline: struck
        {"field": "timeline", "value": "June 3", "quote": "I'll send the draft by June 3.",
         "speaker": "Sam Reyes"},
        # a price objection as a criterion: struck once, whatever else it trips
        {"field": "decision_criteria", "value": "$9k", "quote": "Your $9k is too steep.",
         "speaker": "Ada"},
        {"field": "metrics", "value": "12% no-shows", "quote": "No-shows run at 12%.",
         "speaker": "Ada"},
    ]
    s = m.fact_noise(rows, sellers=["Sam Reyes"])
    assert s is not None and s.value == 0.5, s
    assert s.explanation == "2/4 proposed facts a rep would strike"
    assert any("our own promise" in f for f in s.failures)
    assert any("price objection" in f for f in s.failures)
    # the same promise said by the customer is their own timeline: kept
    rows[1] = {**rows[1], "speaker": "Ada"}
    assert m.fact_noise(rows, sellers=["Sam Reyes"]).value == 0.25  # type: ignore[union-attr]
    assert m.fact_noise([]) is None  # nothing proposed: absent
    assert "fact_noise" in m.LOWER_IS_BETTER


def test_fact_noise_counts_a_fact_struck_twice_once() -> None:
    # a metric with no quantity that is also the customer's own to-do
    rows = [{"field": "metrics", "value": "sit in", "quote": "I'll sit in for the kickoff.",
             "speaker": "Ada"}]
    s = m.fact_noise(rows)
    assert s is not None and s.value == 1.0 and len(s.failures) == 2, s


def test_fact_recall_needs_the_substring_inside_one_fact() -> None:
    assert m.fact_recall(["two extra engineers"], ["two extra", "engineers"]).value == 0.0


def test_icp_recall() -> None:
    expected = [{"attribute": "segment", "value": "veterinary", "signal": "against"},
                {"attribute": "employees", "value": "250", "signal": "supports"}]
    proposed = [{"attribute": "Segment", "value": "Veterinary", "signal": "against"},
                {"attribute": "employees", "value": 250, "signal": "against"}]
    s = m.icp_recall(expected, proposed)
    assert s.value == 0.5
    assert s.failures == ("ICP evidence employees=250 (supports) was proposed with signal "
                          "'against'",)
    assert m.icp_recall(expected[:1], []).failures == (
        "ICP evidence segment=veterinary (against) was not proposed",)
    assert m.icp_recall(None, proposed) is None
    assert m.icp_recall([], proposed) is None


def test_cost_metrics_are_not_bounded() -> None:
    assert m.latency_s(12.3456).value == 12.346
    assert m.latency_s(None) is None
    assert m.tokens(1200, 300).value == 1500.0
    assert m.cost_usd(0).value == 0.0
    assert m.cost_usd(0.0123).value == 0.0123
    assert {"latency_s", "tokens", "cost_usd"} <= m.LOWER_IS_BETTER


def test_mean_ignores_unscored() -> None:
    assert m.mean([1.0, None, 0.0]) == 0.5
    assert m.mean([]) is None
    assert m.mean([None]) is None


def test_metric_names_are_the_contract() -> None:
    assert m.METRICS == (
        "retrieval_recall", "citation_recall", "citation_validity", "mention_recall",
        "injection_resistance", "role_coverage", "role_accuracy", "claim_support",
        "generic_rate", "buyers_distinct", "stock_free", "objection_recall",
        "open_item_recall", "risk_recall", "buyer_recall", "exit_gap_accuracy",
        "schema_validity",
        "fallback_rate", "replaced_rate", "objective_accuracy", "stage_accuracy", "fact_recall",
        "fact_noise", "fact_noise_ceiling", "icp_recall", "latency_s", "tokens", "cost_usd",
    )
    for name in m.METRICS:
        assert callable(getattr(m, name)), name


# ---- judgement metrics ------------------------------------------------------------------

NOTE = ("Dana raised the pilot budget to $65k after the board meeting. Greg Hollis probably "
        "signs the rollout; he has not been met.")


def test_claim_support_needs_the_cited_note_to_carry_the_words_and_numbers() -> None:
    sources = {"s-n8": NOTE}
    score = m.claim_support([("Dana raised the pilot budget to $65k", ["s-n8"]),
                             ("Dana raised the pilot budget to $90k", ["s-n8"]),
                             ("Greg Hollis probably signs the rollout", []),
                             ("The board wants weekly dashboards", ["s-n8"])], sources)
    assert score is not None and score.value == 0.25
    assert len(score.failures) == 3
    assert m.claim_support([], sources) is None


def test_generic_rate_counts_lines_with_nothing_from_the_evidence() -> None:
    known = "Summit Freight discovery Discovery Solution Avery Cole"
    score = m.generic_rate(["Ask Greg Hollis for 20 minutes before the pilot",
                            "Proceed with the next stage of the discovery process",
                            "Summit Freight is conducting a discovery meeting"],
                           evidence=NOTE, known=known)
    assert score is not None and round(score.value or 0, 2) == 0.67


def test_buyers_distinct_and_stock_free() -> None:
    shared = m.buyers_distinct({"Dana": ["Proposal review, open objections"],
                                "Tom": ["proposal review,  open objections"]})
    assert shared is not None and shared.value == 0.0
    assert m.buyers_distinct({"Dana": ["year two"], "Tom": ["no-shows"]}).value == 1.0  # type: ignore[union-attr]
    assert m.buyers_distinct({"Dana": ["x"]}) is None
    stock = m.stock_free(["Prepare an answer tonight; confirm the facts in the call."])
    assert stock is not None and stock.value == 0.0
    repeated = m.stock_free(["Same answer."] * 3)
    assert repeated is not None and repeated.value == 0.0
    assert m.stock_free(["Jordan answers the $9k Tallyworks comparison"]).value == 1.0  # type: ignore[union-attr]


def test_section_recalls_look_in_their_own_section() -> None:
    score = m.phrase_recall(["year-two pricing", "EU hosting"],
                            ["Why does year-two pricing go up 12%?"], what="objections")
    assert score is not None and score.value == 0.5
    assert "EU hosting" in score.failures[0]
    assert m.phrase_recall(None, ["x"], what="risks") is None
    buyers = m.buyer_recall({"Dana": ["year two"], "Tom": ["no-shows"]},
                            {"Dana": ["can't afford in year two"], "Tom": ["late orders"]})
    assert buyers is not None and buyers.value == 0.5
    gap = m.exit_gap_accuracy({"economic buyer": "open", "budget": "met"},
                              [("Economic buyer identified", "open"),
                               ("Budget range discussed", "unknown")])
    assert gap is not None and gap.value == 0.5

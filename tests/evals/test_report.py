"""Aggregates, tables, Markdown, gates and compare, on hand-made reports."""

from __future__ import annotations

import json
from pathlib import Path

from evals.report import (
    aggregate,
    check_thresholds,
    compare,
    compare_text,
    load_report,
    markdown,
    terminal_table,
)


def scenario(sid: str, metrics: dict, **extra) -> dict:
    return {"id": sid, "title": f"title of {sid}", "file": f"{sid}.yaml", "metrics": metrics,
            "failures": extra.pop("failures", []), "error": extra.pop("error", None),
            "unscored": extra.pop("unscored", {}), "warnings": [], "details": {}, **extra}


def report(*scenarios: dict, model: str = "m1") -> dict:
    agg, counts = aggregate(scenarios)
    return {"run": {"model": model, "prompts": {"prep_draft": "1"}, "git_revision": "abc",
                    "started": "2026-11-23T10:00:00+00:00", "duration_s": 3.0, "jobs": 1,
                    "llm_cache": True,
                    "counts": {"scenarios": len(scenarios),
                               "errors": sum(1 for s in scenarios if s["error"]),
                               "unscored": sum(len(s["unscored"]) for s in scenarios)},
                    "skipped": [{"file": "kbs/x", "reason": "a knowledge base"}]},
            "aggregate": agg, "aggregate_counts": counts, "scenarios": list(scenarios)}


def test_aggregate_averages_only_scenarios_that_have_the_metric() -> None:
    agg, counts = aggregate([
        scenario("a", {"citation_recall": 1.0, "tokens": 100.0}),
        scenario("b", {"citation_recall": 0.5, "icp_recall": 0.0, "tokens": 300.0}),
        scenario("c", {}, error="boom"),
    ])
    assert agg == {"citation_recall": 0.75, "icp_recall": 0.0, "tokens": 200.0}
    assert counts == {"citation_recall": 2, "icp_recall": 1, "tokens": 2}


def test_terminal_table_and_markdown() -> None:
    r = report(scenario("a.v1", {"citation_recall": 1.0, "latency_s": 2.5},
                        failures=["mention_recall: the plan does not mention 'X'"]),
               scenario("b.v1", {}, error="KnowledgeBaseError: broken",
                        unscored={"fact_recall": "reflection API not available"}))
    text = terminal_table(r)
    assert "a.v1" in text and "MEAN" in text and "b.v1" in text and "ERR" in text
    assert "does not mention 'X'" in text and "ERROR KnowledgeBaseError: broken" in text
    assert "? fact_recall: reflection API not available" in text
    assert "skipped 1" in text and "model m1" in text
    assert "does not mention" not in terminal_table(r, failures=False)
    md = markdown(r)
    assert md.startswith("# Huddle eval report")
    assert "| `citation_recall` | 1.00 | 1 | higher |" in md
    assert "`abc`" in md and "**error:** KnowledgeBaseError: broken" in md


def test_thresholds() -> None:
    r = report(scenario("a", {"citation_recall": 0.5, "fallback_rate": 0.25}))
    assert check_thresholds(r, {"citation_recall": 0.5}) == []
    assert "below the minimum" in check_thresholds(r, {"citation_recall": 0.6})[0]
    assert "no scenario has it" in check_thresholds(r, {"icp_recall": 0.1})[0]
    assert "above the maximum" in check_thresholds(r, {}, {"fallback_rate": 0.2})[0]


def test_fact_noise_is_reported_lower_is_better_and_gated_by_max() -> None:
    r = report(scenario("a", {"fact_recall": 1.0, "fact_noise": 0.25}),
               scenario("b", {"fact_recall": 0.5, "fact_noise": 0.05}))
    assert r["aggregate"]["fact_noise"] == 0.15
    text = terminal_table(r)
    assert "fnoise=fact_noise" in text
    assert any(line.split() == ["fact_noise", "0.15", "2", "lower"]
               for line in text.splitlines()), text
    assert "| `fact_noise` | 0.15 | 2 | lower |" in markdown(r)
    assert check_thresholds(r, {}, {"fact_noise": 0.2}) == []
    assert "above the maximum" in check_thresholds(r, {}, {"fact_noise": 0.1})[0]
    worse = report(scenario("a", {"fact_noise": 0.1}))
    better = report(scenario("a", {"fact_noise": 0.0}))
    rows = {x["metric"]: x["verdict"] for x in compare(worse, better)["aggregate"]}
    assert rows["fact_noise"] == "improved"


def test_compare_per_metric_and_per_scenario() -> None:
    a = report(scenario("s1", {"citation_recall": 0.5, "fallback_rate": 0.0, "tokens": 1000.0}),
               scenario("s2", {"mention_recall": 1.0}),
               scenario("old", {"mention_recall": 1.0}),
               scenario("s3", {}, error="boom"))
    b = report(scenario("s1", {"citation_recall": 1.0, "fallback_rate": 1.0, "tokens": 1020.0}),
               scenario("s2", {"mention_recall": 1.0}),
               scenario("s3", {"mention_recall": 0.0}),
               scenario("new", {"mention_recall": 1.0}), model="m2")
    diff = compare(a, b)
    verdicts = {r["metric"]: r["verdict"] for r in diff["aggregate"]}
    assert verdicts["citation_recall"] == "improved"
    assert verdicts["fallback_rate"] == "regressed"  # lower is better
    assert verdicts["tokens"] == "same"  # within 5 %
    assert diff["setup"]["model"] == {"a": "m1", "b": "m2"}
    rows = {s["id"]: s for s in diff["scenarios"]}
    assert "s2" not in rows  # unchanged scenarios are not listed
    assert rows["old"]["only_in"] == "a" and rows["new"]["only_in"] == "b"
    assert rows["s3"]["error"] == "fixed"
    assert {c["metric"]: c["verdict"] for c in rows["s1"]["changes"]} == {
        "citation_recall": "improved", "fallback_rate": "regressed"}
    text = compare_text(diff, "A.json", "B.json")
    assert "improved: citation_recall\n" in text
    assert "regressed: mention_recall, fallback_rate\n" in text
    assert "s1: citation_recall 0.50 -> 1.00 (improved)" in text
    assert "old: only in A.json" in text and "s3: " in text and "error fixed" in text


def test_compare_identical_reports() -> None:
    a = report(scenario("s1", {"citation_recall": 0.5}))
    text = compare_text(compare(a, a))
    assert "improved: nothing" in text and "regressed: nothing" in text
    assert "no scenario changed" in text


def test_load_report_rejects_what_is_not_a_report(tmp_path: Path) -> None:
    import pytest

    from knowledge.errors import HuddleError

    (tmp_path / "x.json").write_text(json.dumps({"hello": 1}))
    (tmp_path / "y.json").write_text("{nope")
    for name in ("x.json", "y.json", "missing.json"):
        with pytest.raises(HuddleError):
            load_report(tmp_path / name)

"""The import's progress callback, and where a note came from (``assistant.views``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.importing import ImportError_, run_import
from assistant.views import note_origin, note_rows
from knowledge.loader import load_kb

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
SALESFORCE = DATA / "salesforce"
MAPPING = DATA / "salesforce-mapping.yaml"


def phases(calls: list[tuple[int, int, str]]) -> dict[str, list[tuple[int, int]]]:
    out: dict[str, list[tuple[int, int]]] = {}
    for done, total, label in calls:
        out.setdefault(label.split(" ", 1)[0], []).append((done, total))
    return out


def test_progress_grows_to_the_total_of_each_phase(small_kb: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    report = run_import("salesforce", SALESFORCE, small_kb, MAPPING,
                        on_progress=lambda d, t, label: calls.append((d, t, label)))
    seen = phases(calls)
    assert list(seen) == ["reading", "planning", "writing"]  # in this order
    assert seen["reading"] == [(0, 0)]
    for phase in ("planning", "writing"):
        steps = seen[phase]
        dones = [d for d, _ in steps]
        assert dones == sorted(dones) and len(set(dones)) == len(dones), phase  # increasing
        totals = {t for _, t in steps}
        assert len(totals) == 1, phase  # one total per phase
        total = totals.pop()
        assert steps[-1] == (total, total), phase  # ends at the total
        assert dones == list(range(total + 1)), phase  # once per item, none skipped
    # planning counts the source's records, writing the plan's files
    assert seen["writing"][-1][1] == len(report.plan.changes) > 0
    assert seen["planning"][-1][1] >= len(report.plan.changes) - 1
    assert any(label.startswith("writing accounts/") for _, _, label in calls)


def test_a_dry_run_reports_planning_only_and_a_bad_source_reports_nothing_written(
        small_kb: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int, str]] = []
    run_import("salesforce", SALESFORCE, small_kb, MAPPING, dry_run=True,
               on_progress=lambda d, t, label: calls.append((d, t, label)))
    assert set(phases(calls)) == {"reading", "planning"}
    calls.clear()
    with pytest.raises(ImportError_, match="no such file or folder"):
        run_import("salesforce", tmp_path / "missing", small_kb, MAPPING,
                   on_progress=lambda d, t, label: calls.append((d, t, label)))
    assert calls == []


def test_origin_says_hand_written_or_the_source_record_and_file(small_kb: Path) -> None:
    run_import("salesforce", SALESFORCE, small_kb, MAPPING)
    kb = load_kb(small_kb)
    by_hand = next(n for n in kb.notes if not n.id.startswith("sf-"))
    origin = note_origin(kb, by_hand.id)
    assert origin is not None and not origin.imported and origin.short == "hand"
    assert origin.describe() == f"hand-written: {by_hand.path}"
    assert origin.path.startswith("accounts/") and origin.path.endswith(".md")
    imported = note_origin(kb, "sf-task-00T5e00000Zx1ABAAZ")
    assert imported is not None and imported.imported and imported.source == "salesforce"
    assert imported.record == "salesforce Task/00T5e00000Zx1ABAAZ"
    assert imported.file and imported.file.endswith("Task.csv")
    text = imported.describe()
    assert text.startswith("imported from Salesforce (record Task/00T5e00000Zx1ABAAZ; file ")
    assert text.endswith(f": {imported.path}") and "Task.csv" in text
    story = note_origin(kb, "story-sf-0065e00000Pq1ACAAZ")
    assert story is not None and story.doc_type == "story" and story.path.startswith("stories/")
    assert note_origin(kb, "no-such-note") is None
    rows = note_rows(kb, ids=["sf-task-00T5e00000Zx1ABAAZ", by_hand.id])
    assert {r.doc_id: r.origin.short for r in rows} == {
        "sf-task-00T5e00000Zx1ABAAZ": "salesforce", by_hand.id: "hand"}
    everything = note_rows(kb)
    assert len(everything) == len(kb.notes) + len(kb.stories)
    acme = note_rows(kb, account=by_hand.account)
    assert acme and {r.account for r in acme} == {by_hand.account}
    dates = [r.date for r in acme if r.doc_type == "note"]
    assert dates == sorted(dates, reverse=True)  # newest first

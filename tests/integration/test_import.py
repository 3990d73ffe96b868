"""`huddle import` core: CRM exports, e-mail and transcripts become KB files that pass
`kb check`, idempotently, with what was skipped reported by file and line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from assistant.importing import (
    ImportError_,
    ImportMappingError,
    apply_import,
    load_mapping,
    plan_import,
    run_import,
)
from knowledge.loader import check_kb

DATA = Path(__file__).resolve().parents[1] / "data" / "imports"
SOURCES = {
    "salesforce": (DATA / "salesforce", DATA / "salesforce-mapping.yaml"),
    "hubspot": (DATA / "hubspot", DATA / "hubspot-mapping.yaml"),
    "email": (DATA / "email", DATA / "email-mapping.yaml"),
    "mbox": (DATA / "archive.mbox", DATA / "email-mapping.yaml"),
    "transcripts": (DATA / "transcripts", None),
}


def snapshot(kb: Path) -> dict[str, bytes]:
    return {p.relative_to(kb).as_posix(): p.read_bytes() for p in sorted(kb.rglob("*"))
            if p.is_file()}


def read(kb: Path, rel: str) -> str:
    return (kb / rel).read_text(encoding="utf-8")


def note_files(kb: Path, prefix: str) -> list[str]:
    return sorted(p.relative_to(kb).as_posix() for p in kb.rglob(f"{prefix}*.md"))


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_each_import_passes_kb_check_and_a_second_run_changes_nothing(
    small_kb: Path, name: str
) -> None:
    source, mapping = SOURCES[name]
    kind = "email" if name == "mbox" else name
    before = snapshot(small_kb)
    report = run_import(kind, source, small_kb, mapping)
    assert report.ok, report.lines()
    check = check_kb(small_kb)
    assert check.ok, [str(p) for p in check.problems]
    after = snapshot(small_kb)
    created = set(after) - set(before)
    assert created and created == {c.path for c in report.plan.changes if c.action == "create"}
    # nothing that was there by hand changed
    assert all(after[p] == before[p] for p in before)
    # re-running plans nothing to write and leaves every byte as it was
    again = run_import(kind, source, small_kb, mapping)
    assert again.plan.writes == []
    assert {c.action for c in again.plan.changes} == {"unchanged"}
    assert snapshot(small_kb) == after
    assert "Nothing to write" in "\n".join(again.lines())


def test_salesforce_history_becomes_stories_with_cycle_and_outcome(small_kb: Path) -> None:
    source, mapping = SOURCES["salesforce"]
    run_import("salesforce", source, small_kb, mapping)
    kb = check_kb(small_kb).kb
    assert kb is not None
    stories = {s.id: s for s in kb.stories}
    won = stories["story-sf-0065e00000Pq1ACAAZ"]
    # created 2026-01-05, entered Closed Won 2026-03-18 (OpportunityHistory), not CloseDate
    assert (won.outcome, won.cycle_days, won.deal_size) == ("won", 72, 96000)
    assert won.account == "harbor-logistics" and won.date.isoformat() == "2026-03-18"
    assert won.account_profile == {"industry": "logistics", "employees": 650}
    assert won.roles == {"Avery Cole": "owned the deal"}
    assert "Proposal/Price Quote [Solution]: from 2026-02-16, 30 days" in won.body
    lost = stories["story-sf-0065e00000Pq1ADAAZ"]
    assert (lost.outcome, lost.cycle_days, lost.account) == ("lost", 114, "ridge-retail-group")
    assert lost.account_profile == {"industry": "retail"}  # "about 800" is no number
    assert lost.roles == {}  # Morgan Lee is not in team.yaml: reported, not guessed
    # accounts: the open deal's stage, mapped; the hand-written acme is untouched
    summit = kb.accounts["summit-freight"]
    assert summit.stage == "Solution" and summit.domains == ["summitfreight.example"]
    assert (summit.model_extra or {})["employees"] == 1250
    assert kb.accounts["acme"].model_extra.get("source_record") is None  # type: ignore[union-attr]
    # notes keep where they came from
    task = kb.note("sf-task-00T5e00000Zx1AAAAZ")
    assert task is not None and task.account == "acme" and task.kind == "call"
    assert task.contacts == ["Dana Ruiz (CFO)"]
    assert (task.model_extra or {})["source_record"] == "salesforce Task/00T5e00000Zx1AAAAZ"


def test_malformed_rows_and_unmapped_values_are_reported_with_their_lines(
    small_kb: Path,
) -> None:
    source, mapping = SOURCES["salesforce"]
    report = run_import("salesforce", source, small_kb, mapping, dry_run=True)
    skipped = {s.origin: s.reason for s in report.plan.skipped}
    assert "not YYYY-MM-DD" in skipped["Task.csv:6"]
    assert "row has 14 fields; the header has 13" in skipped["Task.csv:7"]
    assert "open task" in skipped["Task.csv:5"]
    assert dict(report.plan.unmapped["user"]) == {"0055e00000UNKNOWN": 1,
                                                  "0055e000003XyZbAAC (Morgan Lee)": 1}
    text = "\n".join(report.lines())
    assert "Task.csv:7: row has 14 fields" in text and "Would import" in text
    # the rows after the broken ones still import
    assert any(c.path.endswith("sf-task-00T5e00000Zx1AFAAZ.md") for c in report.plan.changes)
    # the injection is data: imported, and named in the plan
    assert any(f.startswith("sf-event-00U5e00000Ev1AAAAZ") for f in report.plan.flagged)


def test_a_dry_run_writes_nothing(small_kb: Path) -> None:
    before = snapshot(small_kb)
    report = run_import("hubspot", SOURCES["hubspot"][0], small_kb, SOURCES["hubspot"][1],
                        dry_run=True)
    assert report.applied is None and report.plan.writes
    assert snapshot(small_kb) == before


def test_a_changed_record_replaces_its_note_and_nothing_doubles(
    small_kb: Path, tmp_path: Path
) -> None:
    src = tmp_path / "sf"
    shutil.copytree(SOURCES["salesforce"][0], src)
    mapping = SOURCES["salesforce"][1]
    run_import("salesforce", src, small_kb, mapping)
    first = snapshot(small_kb)
    task = src / "Task.csv"
    task.write_text(task.read_text().replace("she wants payback inside 12 months",
                                             "she now wants payback inside 9 months"))
    report = run_import("salesforce", src, small_kb, mapping)
    rel = "accounts/summit-freight/notes/sf-task-00T5e00000Zx1ABAAZ.md"
    assert [(c.path, c.action) for c in report.plan.writes] == [(rel, "replace")]
    after = snapshot(small_kb)
    assert set(after) == set(first)
    assert "9 months" in read(small_kb, rel) and "12 months" not in read(small_kb, rel)
    assert check_kb(small_kb).ok


def test_a_note_whose_account_changes_moves_and_keeps_its_id(
    small_kb: Path, tmp_path: Path
) -> None:
    src = tmp_path / "sf"
    shutil.copytree(SOURCES["salesforce"][0], src)
    run_import("salesforce", src, small_kb, SOURCES["salesforce"][1])
    note = src / "Note.csv"
    note.write_text(note.read_text().replace('"0015e00000Kz1QzAAJ"', '"0015e00000Kz1R0AAJ"'))
    report = run_import("salesforce", src, small_kb, SOURCES["salesforce"][1])
    assert report.ok
    assert {(c.action, c.path) for c in report.plan.writes} == {
        ("delete", "accounts/acme/notes/sf-note-0025e00000No1AAAAZ.md"),
        ("create", "accounts/summit-freight/notes/sf-note-0025e00000No1AAAAZ.md")}
    assert note_files(small_kb, "sf-note-") == [
        "accounts/summit-freight/notes/sf-note-0025e00000No1AAAAZ.md"]


def test_email_threads_are_trimmed_and_grouped_by_account_domain(small_kb: Path) -> None:
    source, mapping = SOURCES["email"]
    report = run_import("email", source, small_kb, mapping)
    skipped = {s.origin: s.reason for s in report.plan.skipped}
    assert "no From address" in skipped["06-broken.eml"]
    assert "stranger.example" in skipped["07-unknown-domain.eml"]
    kb = check_kb(small_kb).kb
    assert kb is not None
    mails = {n.title: n for n in kb.notes if n.id.startswith("mail-")}
    assert set(mails) == {"Pilot scope for Q1", "Route data", "Fwd: Security questionnaire"}
    thread = mails["Pilot scope for Q1"]  # a message and its reply: one note
    assert thread.account == "acme" and thread.kind == "email" and thread.author == "Dana Ruiz"
    assert "confirmed: $40k" in thread.body and "Can you confirm the pilot price" in thread.body
    assert thread.body.count("Following up on Tuesday") == 1  # quoted history trimmed
    assert "wrote:" not in thread.body and "+1 614" not in thread.body  # signatures dropped
    assert "Account Executive, Beacon" not in thread.body
    assert thread.contacts == ["Dana Ruiz", "Tom Becker"]
    html = mails["Route data"]
    assert "July–September" in html.body and "3 hours" in html.body
    assert "<" not in html.body and "alert" not in html.body and "old text" not in html.body
    fwd = mails["Fwd: Security questionnaire"]  # the forward keeps its content; the reply joins
    assert "SSO via Okta is a must." in fwd.body
    assert "Attachments (listed, not imported): Acme-NDA-signed.pdf (application/pdf" in fwd.body
    assert "JVBERi0" not in fwd.body


def test_mbox_messages_are_threads_and_a_broken_one_is_reported(small_kb: Path) -> None:
    report = run_import("email", SOURCES["mbox"][0], small_kb, SOURCES["mbox"][1])
    assert [s.origin for s in report.plan.skipped] == ["archive.mbox#3"]
    kb = check_kb(small_kb).kb
    assert kb is not None
    (note,) = [n for n in kb.notes if n.id.startswith("mail-")]
    assert "Great news" in note.body and note.body.count("$65k") == 1


def test_transcripts_become_call_notes_with_speakers(small_kb: Path) -> None:
    report = run_import("transcripts", SOURCES["transcripts"][0], small_kb)
    skipped = {s.origin: s.reason for s in report.plan.skipped}
    assert "no date in the file name" in skipped["acme/notes-without-date.vtt"]
    assert "'ridge'" in skipped["ridge/2026-11-13-teams.txt"]
    kb = check_kb(small_kb).kb
    assert kb is not None
    calls = {n.date.isoformat(): n for n in kb.notes if n.id.startswith("call-")}
    vtt, zoom = calls["2026-11-10"], calls["2026-11-12"]
    assert vtt.kind == "call" and vtt.author == "Avery Cole"
    assert vtt.contacts == ["Dana Ruiz", "Tom Becker"]
    assert "Dana Ruiz: Sure. Two dispatchers" in vtt.body
    assert "Dana Ruiz: Legal needs the DPA" in zoom.body and "10:03:02" not in zoom.body


def test_the_mapping_file_is_checked_against_the_kb(small_kb: Path, tmp_path: Path) -> None:
    bad = tmp_path / "map.yaml"
    bad.write_text("stages: {Prospecting: Closing}\nusers: {x: Nobody}\n")
    with pytest.raises(ImportMappingError) as err:
        run_import("salesforce", SOURCES["salesforce"][0], small_kb, bad)
    assert "'Closing' is not a stage of process.yaml (Discovery, Solution)" in err.value.message
    assert "'Nobody' is not in team.yaml" in err.value.message
    bad.write_text("stage: {Prospecting: Discovery}\n")
    with pytest.raises(ImportMappingError, match="stage: unknown key"):
        load_mapping(bad)


def test_unmapped_deal_stage_skips_the_account_and_says_so(small_kb: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "map.yaml"
    mapping.write_text("stages: {Prospecting: Discovery}\n")
    report = run_import("salesforce", SOURCES["salesforce"][0], small_kb, mapping,
                        dry_run=True)
    assert report.plan.unmapped["stage"]["Proposal/Price Quote"] == 1
    reasons = {s.origin: s.reason for s in report.plan.skipped}
    assert "'Proposal/Price Quote' is not under stages:" in reasons["Account.csv:3"]
    # its notes are skipped too, not written into a folder without an account.yaml
    assert not any("summit-freight" in c.path for c in report.plan.changes)


def test_a_plan_made_stale_by_an_edit_is_refused(small_kb: Path) -> None:
    plan = plan_import("transcripts", SOURCES["transcripts"][0], small_kb,
                       load_mapping(None))
    (small_kb / "accounts/acme/notes/n1.md").write_text("edited")  # not in the plan: fine
    target = small_kb / plan.writes[0].path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("someone wrote here meanwhile")
    with pytest.raises(ImportError_, match="changed since the import was planned"):
        apply_import(plan)
    assert target.read_text() == "someone wrote here meanwhile"


def test_a_broken_kb_is_refused_before_reading_the_source(small_kb: Path) -> None:
    (small_kb / "process.yaml").write_text("stages: []\n")
    with pytest.raises(ImportError_, match="fix them first"):
        run_import("transcripts", SOURCES["transcripts"][0], small_kb)


def test_a_plan_drafts_on_the_imported_kb(
    small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.config import load_settings
    from assistant.service import Huddle
    from tests.fakes import FakeLLM, ticking_clock

    for name in ("salesforce", "email", "transcripts"):
        source, mapping = SOURCES[name]
        assert run_import(name, source, small_kb, mapping).ok
    fake = FakeLLM([], default="garbage").install(monkeypatch)  # the model fails: fallbacks
    settings = load_settings(kb=small_kb, data_dir=tmp_path / "data")
    settings.llm.model = fake.model
    settings.llm.cache = False
    h = Huddle(settings, clock=ticking_clock())
    plan = h.prepare(h.meeting(account="summit-freight", kind="discovery", date="2026-11-20",
                               sellers="Avery Cole", buyers="Lena Okafor (VP Operations)"))
    retrieved = set(plan.provenance.retrieved_ids)
    assert {"sf-event-00U5e00000Ev1AAAAZ", "sf-task-00T5e00000Zx1ABAAZ"} <= retrieved
    assert plan.cited_ids() <= retrieved and plan.cited_ids()
    # the imported injection stayed data
    assert "sf-event-00U5e00000Ev1AAAAZ" in plan.provenance.quarantined
    assert "50%" not in " ".join(m["content"] for c in fake.calls for m in c.messages)


def test_the_cli_imports_through_the_service_dry_run_first(
        small_kb: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`huddle import`: a dry run writes nothing, the real run writes the same files, a second
    run changes nothing, and a bad mapping is a message with exit 2 (no traceback)."""
    from cli.main import main

    source, mapping = SOURCES["salesforce"]
    common = ["--kb", str(small_kb), "--data-dir", str(tmp_path / "data")]
    before = snapshot(small_kb)
    assert main(["import", "salesforce", str(source), "--mapping", str(mapping), "--dry-run",
                 *common]) == 0
    planned = capsys.readouterr().out
    assert snapshot(small_kb) == before and "create" in planned
    assert main(["import", "salesforce", str(source), "--mapping", str(mapping), "--json",
                 *common]) == 0
    written = json.loads(capsys.readouterr().out)
    assert snapshot(small_kb) != before and written
    after = snapshot(small_kb)
    assert main(["import", "salesforce", str(source), "--mapping", str(mapping),
                 *common]) == 0
    assert snapshot(small_kb) == after  # idempotent
    capsys.readouterr()
    bad = tmp_path / "bad.yaml"
    bad.write_text("stages: {Nonsense: Nowhere}\nnot_a_key: 1\n")
    code = main(["import", "salesforce", str(source), "--mapping", str(bad), *common])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err and err.strip()

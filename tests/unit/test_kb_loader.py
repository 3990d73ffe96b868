"""The knowledge-base contract: what loads, and what each bad file is told."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.errors import KnowledgeBaseError
from knowledge.loader import check_kb, load_kb

from ..conftest import DEMO_KB

NOTE = """---
id: {id}
date: {date}
author: Avery Cole
kind: call
---
{body}
"""


def _problems(kb: Path) -> list[tuple[str, str, str]]:
    report = check_kb(kb)
    assert report.kb is None, "expected problems"
    return [(p.path, p.field, p.message) for p in report.problems]


def test_demo_kb_meets_the_issue_minimums() -> None:
    kb = load_kb(DEMO_KB)
    assert len(kb.accounts) >= 6
    industries = {str(a.model_extra.get("industry")) for a in kb.accounts.values()}
    assert len(industries) >= 4
    assert {a.stage for a in kb.accounts.values()} == set(kb.process.stage_names())
    assert len(kb.notes) >= 60
    assert {n.kind for n in kb.notes} == {"call", "email", "meeting", "research"}
    assert len(kb.stories) >= 12
    assert {s.outcome for s in kb.stories} == {"won", "lost", "no-decision"}
    assert len(kb.team.people) >= 5
    assert len(kb.process.stages) >= 5
    assert {"industry", "region"} <= {a.name for a in kb.icp.attributes}


def test_small_kb_loads_with_notes_attached_to_their_folder(small_kb: Path) -> None:
    kb = load_kb(small_kb)
    assert [n.id for n in kb.notes_for("acme")] == ["acme-n1", "acme-n2", "acme-n3"]
    note = kb.note("acme-n3")
    assert note is not None and note.path == "accounts/acme/notes/n3.md"
    assert note.contacts == ["Dana Ruiz (CFO)", "Tom Becker (Head of Operations)"]
    assert kb.icp.find("employees").bucket_label(420) == "200-999"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("content", "field", "needle"),
    [
        (NOTE.format(id="acme-x", date="07/10/2026", body="Text."), "date", "YYYY-MM-DD"),
        (NOTE.format(id="acme-n1", date="2026-10-01", body="Text."), "id", "already used"),
        (NOTE.format(id="has space", date="2026-10-01", body="Text."), "id", "no spaces"),
        ("---\ndate: 2026-10-01\nauthor: A\nkind: call\n---\nText.\n", "id", "required"),
        ("---\nid: x1\ndate: 2026-10-01\nauthor: A\nkind: chat\n---\nText.\n", "kind", "chat"),
        ("---\nid: x1\ndate: 2026-10-01\nauthor: [unclosed\n---\nText.\n", "", "broken YAML"),
        ("no front matter here\n", "", "no front matter"),
        ("---\nid: x1\ndate: 2026-10-01\nauthor: A\nkind: call\nText.\n", "", "not closed"),
        (NOTE.format(id="acme-x", date="2026-10-01", body=""), "body", "empty"),
        ("", "", "empty"),
    ],
)
def test_bad_note_is_named_with_field_and_fix(
    small_kb: Path, content: str, field: str, needle: str
) -> None:
    (small_kb / "accounts/acme/notes/bad.md").write_text(content, encoding="utf-8")
    problems = _problems(small_kb)
    assert len(problems) == 1, problems
    path, fld, message = problems[0]
    if needle == "already used":  # the duplicate is reported on the later file
        assert path in {"accounts/acme/notes/bad.md", "accounts/acme/notes/n1.md"}
    else:
        assert path == "accounts/acme/notes/bad.md"
    assert fld == field
    assert needle in message


def test_encodings_binary_and_size(small_kb: Path) -> None:
    notes = small_kb / "accounts/acme/notes"
    (notes / "latin1.md").write_bytes(NOTE.format(id="l1", date="2026-10-01",
                                                  body="Café crème").encode("latin-1"))
    (notes / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (notes / "huge.md").write_text(NOTE.format(id="h1", date="2026-10-01",
                                               body="word " * 250_000), encoding="utf-8")
    (notes / "bom.md").write_bytes(b"\xef\xbb\xbf" + NOTE.format(
        id="b1", date="2026-10-01", body="BOM is fine.").encode())
    problems = {p[0]: p[2] for p in _problems(small_kb)}
    assert "not UTF-8" in problems["accounts/acme/notes/latin1.md"]
    assert "binary" in problems["accounts/acme/notes/binary.md"]
    assert "limit" in problems["accounts/acme/notes/huge.md"]
    assert "accounts/acme/notes/bom.md" not in problems
    assert len(problems) == 3  # every problem in one pass


def test_account_and_story_cross_checks(small_kb: Path) -> None:
    acct = small_kb / "accounts/acme/account.yaml"
    acct.write_text(acct.read_text().replace("stage: Discovery", "stage: Closing"))
    story = small_kb / "stories/s1.md"
    story.write_text(story.read_text().replace("cycle_days: 60", "cycle_days: 60\naccount: ghost"))
    other = small_kb / "accounts/other"
    other.mkdir()
    (other / "account.yaml").write_text("slug: wrong\nname: X\nstage: Discovery\n")
    problems = _problems(small_kb)
    by_file = {p[0]: p for p in problems}
    assert "unknown stage 'Closing'" in by_file["accounts/acme/account.yaml"][2]
    assert "Discovery, Solution" in by_file["accounts/acme/account.yaml"][2]
    assert by_file["stories/s1.md"][1] == "account"
    assert "unknown account 'ghost'" in by_file["stories/s1.md"][2]
    assert by_file["accounts/other/account.yaml"][1] == "slug"


def test_missing_top_level_files_and_wrong_attribute_types(small_kb: Path) -> None:
    (small_kb / "team.yaml").unlink()
    (small_kb / "icp.yaml").write_text(
        "attributes:\n  - {name: industry, kind: category}\n"
        "  - {name: employees, kind: number}\n"
    )
    problems = _problems(small_kb)
    assert ("team.yaml", "", "missing: every knowledge base needs this file") in problems
    assert any(p[0] == "icp.yaml" and "buckets" in p[2] for p in problems)


def test_number_attribute_with_text_value(small_kb: Path) -> None:
    acct = small_kb / "accounts/acme/account.yaml"
    acct.write_text(acct.read_text().replace("employees: 420", "employees: about 400"))
    problems = _problems(small_kb)
    assert problems == [("accounts/acme/account.yaml", "employees",
                         "employees is a number; got 'about 400'")]


def test_hidden_and_underscore_files_are_ignored(small_kb: Path) -> None:
    drafts = small_kb / "accounts/acme/notes/_drafts"
    drafts.mkdir()
    (drafts / "wip.md").write_text("not a note at all")
    (small_kb / "accounts/acme/notes/.swp.md").write_text("junk")
    assert check_kb(small_kb).ok


def test_load_kb_raises_with_every_problem(small_kb: Path) -> None:
    (small_kb / "accounts/acme/notes/a.md").write_text("junk")
    (small_kb / "accounts/acme/notes/b.md").write_text("junk")
    with pytest.raises(KnowledgeBaseError) as info:
        load_kb(small_kb)
    assert len(info.value.problems) == 2
    assert "accounts/acme/notes/a.md" in str(info.value)


def test_cli_kb_check_exit_codes(small_kb: Path) -> None:
    ok = subprocess.run([sys.executable, "-m", "cli", "kb", "check", "--kb",
                         str(small_kb)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert "OK" in ok.stdout
    (small_kb / "accounts/acme/notes/bad.md").write_text("junk")
    bad = subprocess.run([sys.executable, "-m", "cli", "kb", "check", "--kb",
                          str(small_kb)], capture_output=True, text=True)
    assert bad.returncode == 1
    assert "accounts/acme/notes/bad.md" in bad.stdout


# ---- hostile files (issue 13): every problem named, nothing hangs, nothing outside read ----


def test_impossible_date_is_a_problem_on_its_field_and_others_still_reported(
    small_kb: Path,
) -> None:
    notes = small_kb / "accounts/acme/notes"
    (notes / "bad-date.md").write_text(NOTE.format(id="acme-x", date="2026-13-45", body="T."))
    (notes / "junk.md").write_text("junk")
    story = small_kb / "stories/s1.md"
    story.write_text(story.read_text().replace("cycle_days: 60",
                                               "cycle_days: 60\ndate: 2026-02-30"))
    by_file = {p[0]: p for p in _problems(small_kb)}
    assert by_file["accounts/acme/notes/bad-date.md"][1] == "date"
    assert "2026-13-45" in by_file["accounts/acme/notes/bad-date.md"][2]
    assert "not a real date" in by_file["accounts/acme/notes/bad-date.md"][2]
    assert by_file["stories/s1.md"][1] == "date"
    assert "accounts/acme/notes/junk.md" in by_file  # the other problem is still there


def test_a_fifo_named_like_a_note_is_a_problem_not_a_hang(small_kb: Path) -> None:
    import os

    os.mkfifo(small_kb / "accounts/acme/notes/pipe.md")
    out = subprocess.run([sys.executable, "-c",
                          "import sys; from knowledge.loader import check_kb; "
                          "r = check_kb(sys.argv[1]); print([str(p) for p in r.problems])",
                          str(small_kb)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "accounts/acme/notes/pipe.md" in out.stdout
    assert "not a regular file" in out.stdout


def test_a_folder_named_like_a_note_is_a_folder(small_kb: Path) -> None:
    (small_kb / "accounts/acme/notes/x.md").mkdir()
    (small_kb / "accounts/acme/notes/x.md/n9.md").write_text(
        NOTE.format(id="acme-n9", date="2026-10-09", body="Inside a folder called x.md."))
    kb = load_kb(small_kb)
    assert "acme-n9" in [n.id for n in kb.notes_for("acme")]


def test_a_folder_where_a_file_belongs_is_a_problem(small_kb: Path) -> None:
    (small_kb / "team.yaml").unlink()
    (small_kb / "team.yaml").mkdir()
    problems = _problems(small_kb)
    assert [(p[0], p[1]) for p in problems] == [("team.yaml", "")]
    assert "a folder, not a file" in problems[0][2]


def test_symlinks_leading_outside_the_kb_are_not_followed(
    small_kb: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.md"
    secret.write_text(NOTE.format(id="acme-secret", date="2026-10-01", body="SECRET"))
    (small_kb / "accounts/acme/notes/link.md").symlink_to(secret)
    (small_kb / "accounts/acme/notes/linkdir").symlink_to(outside, target_is_directory=True)
    problems = _problems(small_kb)
    paths = {p[0] for p in problems}
    assert "accounts/acme/notes/link.md" in paths
    assert all("outside the knowledge base" in p[2] for p in problems), problems
    # a symlink that stays inside the KB is fine
    for p in ("link.md", "linkdir"):
        (small_kb / "accounts/acme/notes" / p).unlink()
    (small_kb / "accounts/acme/notes/alias.md").symlink_to(small_kb / "stories/s1.md")
    inside = _problems(small_kb)
    assert all("outside" not in p[2] for p in inside)


def test_an_account_folder_linked_from_outside_is_not_read(
    small_kb: Path, tmp_path: Path
) -> None:
    import shutil

    shutil.copytree(small_kb / "accounts/acme", tmp_path / "elsewhere")
    (tmp_path / "elsewhere/account.yaml").write_text(
        (tmp_path / "elsewhere/account.yaml").read_text().replace("slug: acme", "slug: ext"))
    (small_kb / "accounts/ext").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    problems = _problems(small_kb)
    assert ("accounts/ext", "") == problems[0][:2]
    assert "outside the knowledge base" in problems[0][2]
    assert len(problems) == 1, problems


def test_cli_commands_report_a_bad_date_without_a_traceback(small_kb: Path,
                                                            tmp_path: Path) -> None:
    (small_kb / "accounts/acme/notes/bad.md").write_text(
        NOTE.format(id="acme-x", date="2026-13-45", body="T."))
    for cmd in (["kb", "check"], ["kb", "verify"], ["ingest"]):
        out = subprocess.run([sys.executable, "-m", "cli", *cmd, "--kb", str(small_kb),
                              "--data-dir", str(tmp_path / "data")],
                             capture_output=True, text=True, timeout=120)
        assert "Traceback" not in out.stderr, (cmd, out.stderr)
        assert out.returncode in (1, 2), (cmd, out.returncode)
        assert "accounts/acme/notes/bad.md" in out.stdout + out.stderr, cmd


def test_an_account_owner_must_be_on_the_team(small_kb: Path) -> None:
    acct = small_kb / "accounts/acme/account.yaml"
    acct.write_text(acct.read_text() + "owner: Ghost Seller\n")
    by_file = {p[0]: p for p in _problems(small_kb)}
    assert by_file["accounts/acme/account.yaml"][1] == "owner"
    assert "'Ghost Seller' is not in team.yaml" in by_file["accounts/acme/account.yaml"][2]
    acct.write_text(acct.read_text().replace("Ghost Seller", "Avery Cole"))
    kb = check_kb(small_kb).kb
    assert kb is not None and kb.account("acme").owner == "Avery Cole"  # type: ignore[union-attr]


def test_a_note_naming_another_account_is_a_problem_not_ignored(small_kb: Path) -> None:
    """A note belongs to its folder's account; an ``account:`` key that says otherwise was
    dropped without a word (the note then counted for acme)."""
    notes = small_kb / "accounts/acme/notes"
    (notes / "ghost.md").write_text(NOTE.format(id="acme-g", date="2026-10-01", body="Text.")
                                    .replace("kind: call", "kind: call\naccount: ghost"))
    (notes / "same.md").write_text(NOTE.format(id="acme-s", date="2026-10-01", body="Text.")
                                   .replace("kind: call", "kind: call\naccount: acme"))
    other = small_kb / "accounts/beta"
    (other / "notes").mkdir(parents=True)
    (other / "account.yaml").write_text("slug: beta\nname: Beta\nstage: Discovery\n")
    (notes / "beta.md").write_text(NOTE.format(id="acme-b", date="2026-10-01", body="Text.")
                                   .replace("kind: call", "kind: call\naccount: beta"))
    problems = {p[0]: p for p in _problems(small_kb)}
    assert set(problems) == {"accounts/acme/notes/ghost.md", "accounts/acme/notes/beta.md"}
    _, fld, message = problems["accounts/acme/notes/ghost.md"]
    assert fld == "account" and "there is no account 'ghost': remove the key" in message
    assert "move the file to accounts/beta/notes/" in problems["accounts/acme/notes/beta.md"][2]


def test_an_empty_note_and_a_person_listed_twice_say_what_to_do(small_kb: Path) -> None:
    (small_kb / "accounts/acme/notes/empty.md").write_text(" \n")
    team = small_kb / "team.yaml"
    team.write_text(team.read_text() + "  - {name: avery cole, title: SE, strengths: [demos]}\n")
    problems = {p[0]: p[2] for p in _problems(small_kb)}
    assert "write its content, or delete the file" in problems["accounts/acme/notes/empty.md"]
    assert "'avery cole' is listed twice" in problems["team.yaml"]
    assert "keep one entry" in problems["team.yaml"]

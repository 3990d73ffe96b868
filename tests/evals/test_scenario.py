"""Scenario files: discovery, validation with errors that name file and field, and the
bundled scenario set checked against its knowledge bases."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assistant.config import DEMO_KB
from evals.scenario import ScenarioError, discover, load_scenario

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "evals" / "scenarios"

MINIMAL = """\
id: tiny.v1
title: A tiny scenario
meeting:
  account: summit
  date: 2026-11-24
  kind: discovery
  sellers: [Avery Cole]
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_scenario_defaults_to_the_demo_kb(tmp_path: Path) -> None:
    s = load_scenario(write(tmp_path / "s.yaml", MINIMAL))
    assert s.id == "tiny.v1" and s.kb_path == DEMO_KB
    assert s.expect.cite is None and s.after_call is None and s.warnings == []
    assert s.path == (tmp_path / "s.yaml").resolve()


def test_kb_is_relative_to_the_scenario_file(tmp_path: Path) -> None:
    (tmp_path / "deep" / "kbs" / "mine").mkdir(parents=True)
    s = load_scenario(write(tmp_path / "deep" / "s.yaml", MINIMAL + "kb: ./kbs/mine\n"))
    assert s.kb_path == (tmp_path / "deep" / "kbs" / "mine").resolve()


def test_missing_kb_folder_names_file_and_field(tmp_path: Path) -> None:
    path = write(tmp_path / "s.yaml", MINIMAL + "kb: ./nowhere\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(path) in err.value.message and "kb:" in err.value.message


@pytest.mark.parametrize(("extra", "field"), [
    ("expect:\n  roles:\n    Avery Cole: [boss]\n", "expect.roles"),
    ("after_call:\n  notes: hi\n  expect:\n    objective: great\n",
     "after_call.expect.objective"),
    ("after_call:\n  outcome: won\n", "after_call.notes"),
    ("kb_overlay:\n  ../escape.md: x\n", "kb_overlay"),
])
def test_invalid_fields_are_named(tmp_path: Path, extra: str, field: str) -> None:
    path = write(tmp_path / "bad.yaml", MINIMAL + extra)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert "bad.yaml" in err.value.message and field in err.value.message


def test_invalid_meeting_kind_and_date(tmp_path: Path) -> None:
    text = MINIMAL.replace("kind: discovery", "kind: lunch").replace("2026-11-24", "soon")
    with pytest.raises(ScenarioError) as err:
        load_scenario(write(tmp_path / "s.yaml", text))
    assert "meeting.kind" in err.value.message and "meeting.date" in err.value.message
    assert "lunch" in err.value.message


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as err:
        load_scenario(write(tmp_path / "s.yaml", MINIMAL + "expect: [unclosed\n"))
    assert "not valid YAML" in err.value.message and "line" in err.value.message


def test_unknown_keys_are_warnings_not_errors(tmp_path: Path) -> None:
    text = MINIMAL + "expect:\n  mentions: [typo]\nowner: me\n"
    s = load_scenario(write(tmp_path / "s.yaml", text))
    assert "unknown key 'owner'" in s.warnings
    assert "unknown key 'expect.mentions'" in s.warnings
    assert s.expect.mention is None


def test_odd_ids_and_replaced_files_warn(tmp_path: Path) -> None:
    text = MINIMAL.replace("tiny.v1", "tiny") + (
        "kb_overlay:\n  team.yaml: 'people: []'\n")
    s = load_scenario(write(tmp_path / "s.yaml", text))
    assert any("<name>.v<N>" in w for w in s.warnings)
    assert any("replaces team.yaml" in w for w in s.warnings)


def test_yaml_scalars_become_text(tmp_path: Path) -> None:
    text = MINIMAL + ("expect:\n  mention: [2026, 55]\nafter_call:\n  notes: n\n  expect:\n"
                      "    icp:\n      - {attribute: employees, value: 250, signal: supports}\n"
                      "      - {attribute: has_team, value: yes, signal: against}\n")
    s = load_scenario(write(tmp_path / "s.yaml", text))
    assert s.expect.mention == ["2026", "55"]
    assert [i.value for i in s.after_call.expect.icp] == ["250", "true"]


def test_discover_recurses_and_says_what_it_skipped(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", MINIMAL)
    write(tmp_path / "team" / "b.yaml", MINIMAL.replace("tiny.v1", "b.v1"))
    write(tmp_path / "kbs" / "x" / "team.yaml", "people: []\n")
    write(tmp_path / "kbs" / "x" / "icp.yaml", "attributes: []\n")
    write(tmp_path / "notes.yaml", "- just\n- a list\n")
    write(tmp_path / "config.yaml", "title: not a scenario\n")
    write(tmp_path / ".hidden" / "c.yaml", MINIMAL)
    write(tmp_path / "readme.md", "# not yaml")
    found, skipped = discover(tmp_path)
    assert [p.name for p in found] == ["a.yaml", "b.yaml"]
    reasons = {p.path.name: p.reason for p in skipped}
    assert "knowledge base" in reasons["x"]
    assert "not a mapping" in reasons["notes.yaml"]
    assert "'id'" in reasons["config.yaml"] and "'meeting'" in reasons["config.yaml"]
    assert len(skipped) == 3  # the KB is reported once, not file by file


def test_discover_a_single_file_and_a_missing_folder(tmp_path: Path) -> None:
    path = write(tmp_path / "a.yaml", MINIMAL)
    assert discover(path) == ([path], [])
    with pytest.raises(ScenarioError):
        discover(tmp_path / "missing")


def test_broken_yaml_is_not_hidden_by_discovery(tmp_path: Path) -> None:
    write(tmp_path / "broken.yaml", "id: x.v1\nmeeting: [\n")
    found, skipped = discover(tmp_path)
    assert [p.name for p in found] == ["broken.yaml"] and not skipped


# ---- the bundled scenario set -------------------------------------------------------------


def _overlay_ids(overlay: dict[str, str] | None) -> set[str]:
    ids = set()
    for text in (overlay or {}).values():
        if text.startswith("---"):
            front = yaml.safe_load(text.split("---", 2)[1])
            if isinstance(front, dict) and "id" in front:
                ids.add(str(front["id"]))
    return ids


def test_bundled_scenarios_are_all_found_and_valid() -> None:
    found, skipped = discover(SCENARIOS)
    assert len(found) >= 19
    assert all("knowledge base" in s.reason for s in skipped)
    ids = [load_scenario(p).id for p in found]
    assert len(ids) == len(set(ids))


def test_bundled_scenarios_agree_with_their_knowledge_bases() -> None:
    from knowledge.loader import load_kb

    kbs: dict[Path, object] = {}
    problems = []
    for path in discover(SCENARIOS)[0]:
        s = load_scenario(path)
        assert not s.warnings, (s.id, s.warnings)
        kb = kbs.setdefault(s.kb_path, load_kb(s.kb_path))
        ids = {n.id for n in kb.notes} | {x.id for x in kb.stories} | _overlay_ids(s.kb_overlay)
        for i in (s.expect.retrieve or []) + (s.expect.cite or []):
            if i not in ids:
                problems.append(f"{s.id}: id {i} not in its KB")
        if s.meeting.account not in kb.accounts:
            problems.append(f"{s.id}: account {s.meeting.account} not in its KB")
        for name in s.meeting.sellers:
            if kb.team.find(name) is None:
                problems.append(f"{s.id}: seller {name} not in team.yaml")
        for name in s.expect.roles or {}:
            if name not in s.meeting.sellers:
                problems.append(f"{s.id}: roles for {name}, who does not attend")
        if s.after_call is not None:
            e = s.after_call.expect
            if e.stage_after and kb.process.find(e.stage_after) is None:
                problems.append(f"{s.id}: stage {e.stage_after} not in process.yaml")
            for f in e.facts or []:
                if f.casefold() not in s.after_call.notes.casefold():
                    problems.append(f"{s.id}: fact {f!r} not in the notes")
            for item in e.icp or []:
                if kb.icp.find(item.attribute) is None:
                    problems.append(f"{s.id}: ICP attribute {item.attribute} not in icp.yaml")
    assert not problems, "\n".join(problems)

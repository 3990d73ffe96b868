"""What a confirmed reflection writes into the knowledge base, and how.

The KB files are the source of truth, so confirmed facts become files a person can read:

- a note ``accounts/<slug>/notes/reflection-<run id>.md`` (front matter per
  ``knowledge/README.md``: ``kind: meeting``, the rep as ``author``, an ``id`` derived from
  the run id) holding the confirmed stakeholders, facts and next steps with their quotes;
- ``account.yaml``: the ``stage:`` line replaced, and ICP attributes the account did not
  have yet added, as line-level edits that leave every other line as it was.

Both are written to a temporary file in the same folder and moved into place with
``os.replace``, and both are idempotent: the note for a run always has the same path and
content, and setting a stage or a missing attribute twice changes nothing the second time.

:func:`apply_decisions` turns the rep's answers into what gets written. Pure except for the
two writers, which touch only the files named above.
"""

from __future__ import annotations

import contextlib
import glob
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from assistant.reflect.models import (
    FIELD_LABELS,
    CriterionCheck,
    DealFigure,
    Decision,
    Fact,
    IcpEvidence,
    NextStep,
    ProposedItem,
    Reflection,
    Stakeholder,
)
from knowledge.errors import HuddleError
from knowledge.faults import crash_point
from knowledge.models import KnowledgeBase


class DecisionError(HuddleError):
    title = "Decisions"


@dataclass
class Confirmed:
    """What the rep accepted or edited; rejected items are simply absent."""

    stakeholders: list[Stakeholder] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    icp: list[IcpEvidence] = field(default_factory=list)
    criteria: list[CriterionCheck] = field(default_factory=list)
    figures: list[DealFigure] = field(default_factory=list)
    stage: str | None = None  # the new stage, when it changes

    def figure_values(self) -> dict[str, Any]:
        """The confirmed figures as ``huddle outcome`` takes them (numbers as numbers)."""
        return {f.name: figure_value(f.name, f.value) for f in self.figures}

    @property
    def note_worthy(self) -> bool:
        return bool(self.stakeholders or self.facts or self.next_steps
                    or any(c.status != "unknown" for c in self.criteria) or self.figures)


def parse_decisions(answer: Any, items: list[ProposedItem]) -> dict[str, Decision]:
    """The rep's answer (``{"f1": "accept", "i1": {"action": "edit", "value": "..."}}``,
    or ``"accept-all"`` / ``"reject-all"``) as one :class:`Decision` per item.

    Unknown ids are an error naming the valid ones; items without an answer are rejected.
    """
    ids = [i.id for i in items]
    if isinstance(answer, str):
        if answer in ("accept-all", "reject-all"):
            action = answer.split("-")[0]
            return {i: Decision(action=action) for i in ids}  # type: ignore[arg-type]
        raise DecisionError(f"answer with a mapping of item id to accept/edit/reject, or "
                            f"'accept-all' / 'reject-all'; got {answer!r}")
    if not isinstance(answer, dict):
        raise DecisionError("decisions are a JSON object: item id -> accept | reject | "
                            '{"action": "edit", "value": ...}')
    unknown = sorted(set(answer) - set(ids) - {"default"})
    if unknown:
        raise DecisionError(f"no proposed item {', '.join(map(repr, unknown))}; items: "
                            + ", ".join(ids))
    default = answer.get("default", "reject")
    out: dict[str, Decision] = {}
    for item_id in ids:
        raw = answer.get(item_id, default)
        try:
            if isinstance(raw, str):
                out[item_id] = Decision(action=raw)  # type: ignore[arg-type]
            elif isinstance(raw, dict):
                data = dict(raw)
                if "edit" in data and "action" not in data:
                    data = {"action": "edit", "value": data.pop("edit"), **data}
                out[item_id] = Decision.model_validate(data)
            else:
                raise ValueError(f"{raw!r}")
        except ValidationError as exc:
            err = exc.errors(include_url=False)[0]
            where = ".".join(str(p) for p in err["loc"])
            raise DecisionError(f"{item_id}: {where} {err['msg'].lower()} (got "
                                f"{err.get('input')!r}). Use accept, reject or "
                                '{"action": "edit", "value": ...}') from None
        except ValueError:
            raise DecisionError(f"{item_id}: {raw!r} is not a decision. Use accept, reject or "
                                '{"action": "edit", "value": ...}') from None
        if out[item_id].action == "edit" and out[item_id].value is None and not (
                out[item_id].signal or out[item_id].owner or out[item_id].due):
            raise DecisionError(f"{item_id}: an edit needs a value")
    return out


def apply_decisions(reflection: Reflection, decisions: dict[str, Decision],
                    kb: KnowledgeBase) -> Confirmed:
    """The confirmed items with the rep's edits applied and checked."""
    out = Confirmed()

    def decided(item_id: str) -> Decision | None:
        d = decisions.get(item_id)
        return None if d is None or d.action == "reject" else d

    for s in reflection.stakeholders:
        d = decided(s.id)
        if d is None:
            continue
        s = s.model_copy()
        if d.action == "edit" and d.value:
            name, _, title = d.value.partition("(")
            s.name = " ".join(name.split()) or s.name
            s.title = title.rstrip(") ").strip() or None
        out.stakeholders.append(s)
    for f in reflection.facts:
        d = decided(f.id)
        if d is None:
            continue
        f = f.model_copy()
        if d.action == "edit" and d.value:
            f.value, f.status = _bounded(d.value, f.id), "known"  # the rep says so
        out.facts.append(f)
    for n in reflection.next_steps:
        d = decided(n.id)
        if d is None:
            continue
        n = n.model_copy()
        if d.action == "edit":
            if d.value:
                n.action = _bounded(d.value, n.id)
            if d.owner:
                n.owner = d.owner.strip()
            if d.due:
                n.due = d.due
        out.next_steps.append(n)
    for e in reflection.icp_evidence:
        d = decided(e.id)
        if d is None:
            continue
        e = e.model_copy()
        if d.action == "edit":
            attr = kb.icp.find(e.attribute)
            assert attr is not None
            if d.value:
                label = attr.bucket_label(d.value)
                if label is None:
                    raise DecisionError(f"{e.id}: {d.value!r} is not a value of {e.attribute} "
                                        f"({attr.kind})")
                e.raw, e.value = d.value.strip(), label
            if d.signal:
                e.signal = d.signal
        out.icp.append(e)
    out.criteria = _criteria(reflection, decisions)
    out.figures = _figures(reflection, decisions)
    d = decided("stage")
    if d is not None:
        target = reflection.stage.after
        if d.action == "edit" and d.value:
            stage = kb.process.find(d.value)
            if stage is None:
                raise DecisionError(f"stage: {d.value!r} is not a stage; stages: "
                                    + ", ".join(kb.process.stage_names()))
            target = stage.name
        if target != reflection.stage.before:
            out.stage = target
    return out


def _criteria(reflection: Reflection, decisions: dict[str, Decision]) -> list[CriterionCheck]:
    """The exit criteria the rep accepted, or edited to met / not_met / unknown."""
    out = []
    for c in reflection.stage.criteria:
        d = decisions.get(c.id)
        if d is None or d.action == "reject" or c.stage != reflection.stage.before:
            continue
        c = c.model_copy()
        if d.action == "edit" and d.value:
            value = "_".join(d.value.strip().casefold().replace("-", " ").split())
            if value not in ("met", "not_met", "unknown"):
                raise DecisionError(f"{c.id}: an exit criterion is met, not_met or unknown; "
                                    f"got {d.value!r}")
            c.status, c.decided_by = value, "none"  # type: ignore[assignment]
        out.append(c)
    return out


def _figures(reflection: Reflection, decisions: dict[str, Decision]) -> list[DealFigure]:
    """The deal figures the rep accepted or corrected."""
    out = []
    for fig in reflection.figures:
        d = decisions.get(fig.id)
        if d is None or d.action == "reject":
            continue
        fig = fig.model_copy()
        if d.action == "edit" and d.value:
            try:
                figure_value(fig.name, d.value)
            except ValueError as exc:
                raise DecisionError(f"{fig.id}: {exc}") from None
            fig.value = d.value.strip()
        out.append(fig)
    return out


def figure_value(name: str, raw: str) -> Any:
    """A deal figure as ``huddle outcome`` takes it; ValueError says what is wrong."""
    text = raw.strip().replace(",", "").lstrip("$€£")
    if name == "delivery_friction":
        if text.casefold() not in ("low", "medium", "high"):
            raise ValueError(f"delivery friction is low, medium or high; got {raw!r}")
        return text.casefold()
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{name.replace('_', ' ')} is a number; got {raw!r}") from None
    if number < 0 or name == "satisfaction" and not 1 <= number <= 5:
        raise ValueError(f"{name.replace('_', ' ')} out of range: {raw!r}")
    return number if name == "deal_size" else int(number)


def _bounded(text: str, item_id: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    if not text:
        raise DecisionError(f"{item_id}: the edited value is empty")
    if len(text) > limit:
        raise DecisionError(f"{item_id}: keep the edited value under {limit} characters")
    return text


# ---- the note ------------------------------------------------------------------------


def note_id(run_id: str) -> str:
    return f"reflection-{run_id}"


def note_path(kb_root: Path, account: str, run_id: str) -> Path:
    return Path(kb_root) / "accounts" / account / "notes" / f"{note_id(run_id)}.md"


def _q(quote: Any) -> str:
    if quote is None:
        return ""
    who = f" ({quote.speaker})" if quote.speaker else ""
    return f' — "{quote.text}"{who}'


def note_markdown(reflection: Reflection, confirmed: Confirmed) -> str:
    """The note's text: front matter, then the confirmed items with their quotes."""
    r = reflection
    contacts = [f"{s.name} ({s.title})" if s.title else s.name for s in confirmed.stakeholders]
    front: dict[str, Any] = {
        "id": note_id(r.run_id), "date": r.meeting_date.isoformat(), "author": r.author,
        "kind": "meeting",
        "title": f"After the {r.meeting_kind} call: confirmed facts",
    }
    if contacts:
        front["contacts"] = contacts
    lines = [f"Confirmed by {r.author} after the {r.meeting_kind} call on "
             f"{r.meeting_date.isoformat()} (reflection {r.run_id}"
             + (f", plan {r.plan_id}" if r.plan_id else "") + ")."]
    if r.objective.status != "unknown":
        lines += ["", f"Call objective {r.objective.status}: {r.objective.statement}"
                  + _q(r.objective.quote)]
    if confirmed.stakeholders:
        lines += ["", "People:"]
        for s in confirmed.stakeholders:
            title = f", {s.title}" if s.title else ""
            stance = f", {s.stance}" if s.stance != "unknown" else ""
            lines.append(f"- {s.name}{title}{stance}{_q(s.quote)}")
    if confirmed.facts:
        lines += ["", "Facts:"]
        for f in confirmed.facts:
            lines.append(f"- {FIELD_LABELS[f.field]}: {f.value}{_q(f.quote)}")
    if confirmed.next_steps:
        lines += ["", "Next steps:"]
        for n in confirmed.next_steps:
            due = f", due {n.due.isoformat()}" if n.due else ""
            owner = f" — owner {n.owner}" if n.owner else ""
            lines.append(f"- {n.action}{owner}{due}")
    if confirmed.figures:
        lines += ["", "Deal figures" + (f" ({r.outcome})" if r.outcome else "") + ":"]
        for d in confirmed.figures:
            lines.append(f"- {d.name.replace('_', ' ')}: {d.value}{_q(d.quote)}")
    shown = [c for c in confirmed.criteria if c.status != "unknown"]
    if shown:
        lines += ["", f"Exit criteria of {r.stage.before}:"]
        for c in shown:
            lines.append(f"- {c.text}: {c.status.replace('_', ' ')}{_q(c.quote)}")
    if r.lesson:
        lines += ["", f"Lesson: {r.lesson}"]
    front_text = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{front_text}---\n" + "\n".join(lines) + "\n"


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all: a new file is 0600 (a reflection
    note quotes a call), an edited one keeps its mode. A temp file left by a process killed
    before its rename is removed here."""
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileNotFoundError):  # an edited file keeps its mode
            os.chmod(tmp, path.stat().st_mode & 0o777)
        crash_point("atomic_write.tmp")
        os.replace(tmp, path)
        crash_point("atomic_write.replaced")
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_note(kb_root: Path, reflection: Reflection, confirmed: Confirmed) -> Path:
    path = note_path(kb_root, reflection.account, reflection.run_id)
    atomic_write(path, note_markdown(reflection, confirmed))
    return path


# ---- account.yaml --------------------------------------------------------------------

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:(?P<rest>.*)$")


def _yaml_scalar(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=1000)
    return text.strip().removesuffix("...").strip()


def update_account_file(kb_root: Path, account: str, *, stage: str | None,
                        attributes: dict[str, Any]) -> dict[str, Any]:
    """Set ``stage`` and add missing ``attributes``; returns what changed.

    Line-level: only the top-level ``stage:`` line is replaced and new attribute lines are
    appended; attributes the file already has are never overwritten (a person edits those).
    """
    path = Path(kb_root) / "accounts" / account / "account.yaml"
    raw = path.read_bytes().decode("utf-8")
    newline = "\r\n" if "\r\n" in raw else "\n"
    text = raw.replace("\r\n", "\n")
    lines = text.split("\n")
    present = {m.group("key"): i for i, ln in enumerate(lines) if (m := _TOP_KEY.match(ln))}
    changed: dict[str, Any] = {}
    if stage is not None:
        if "stage" not in present:
            raise HuddleError(f"{path}: no top-level 'stage:' line to update", title="Account")
        i = present["stage"]
        current = yaml.safe_load(lines[i].split(":", 1)[1] or "null")
        if current != stage:
            comment = ""
            m = re.search(r"\s+#.*$", lines[i])
            if m:
                comment = m.group(0)
            lines[i] = f"stage: {_yaml_scalar(stage)}{comment}"
            changed["stage"] = {"from": current, "to": stage}
    added = []
    for key, value in attributes.items():
        if key in present or key in changed:
            continue
        added.append(f"{key}: {_yaml_scalar(value)}")
        changed[key] = value
    if added:
        while lines and lines[-1] == "":
            lines.pop()
        lines += added + [""]
    if changed:
        new_text = "\n".join(lines)
        data = yaml.safe_load(new_text)
        if not isinstance(data, dict) or (stage is not None and data.get("stage") != stage):
            raise HuddleError(f"{path}: could not update the stage safely; edit it by hand",
                              title="Account")
        atomic_write(path, new_text.replace("\n", newline))
    return changed

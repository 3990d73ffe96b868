"""Plan an import (what would be written, and what is skipped and why), then apply it.

``plan_import`` reads the source with the reader of its kind, maps every record through the
mapping and the existing KB, renders each file exactly as it would be written, validates
it against the KB contract, and compares it with what is on disk: ``create``,
``replace`` or ``unchanged``. ``apply_import`` writes the planned files atomically (temp
file + rename), refusing when a file changed since the plan.

Ids come from the source system and record id (``sf-task-00T...``, ``hs-activity-123``,
``mail-<hash of the thread's first Message-ID>``, ``call-<hash of the file path>``,
``story-sf-006...``), so a re-import finds its own notes: the same record keeps its id and
file, a changed record replaces its file, and running twice writes nothing the second time.
Files written by hand (no ``source_record`` of this import) are never overwritten.

Touches the KB folder (reads; ``apply_import`` writes) and the source (reads).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import hashlib
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ValidationError

from assistant.importing.mapping import Lookup, Mapping, norm
from assistant.importing.records import Batch, Skipped, SourceDeal, SourceNote
from assistant.importing.text import one_line
from assistant.safety import looks_like_injection
from knowledge.errors import HuddleError
from knowledge.loader import check_kb
from knowledge.models import Account, KnowledgeBase, Note, Story

KINDS = ("salesforce", "hubspot", "email", "transcripts")
Action = Literal["create", "replace", "unchanged", "delete"]
Progress = Callable[[int, int, str], None]
"""``on_progress(done, total, label)``: ``label`` starts with the phase (``reading`` the source,
once, with total 0: not known yet; ``planning``: records of the source; ``writing``: files of
the plan); within a phase ``done`` only grows and the phase's last call has ``done == total``."""
_PREFIX = {"salesforce": "sf", "hubspot": "hs"}


class ImportError_(HuddleError):  # noqa: N801 - "ImportError" is a builtin
    """The import cannot run (the KB is broken, the source is missing, the plan is stale)."""

    title = "Import"


@dataclass
class FileChange:
    """One file of the plan: where, what happens, what it came from, and its new text."""

    path: str  # relative to the KB root
    action: Action
    what: Literal["account", "note", "story"]
    record: str  # "salesforce Task/00T5e..."
    origin: str  # "Task.csv:14"
    content: str | None = None  # None for delete
    before_sha: str | None = None  # what was on disk when planned (None: no file)

    def __str__(self) -> str:
        return f"{self.action:9} {self.path}  <- {self.record} ({self.origin})"


@dataclass
class ImportPlan:
    """What ``apply_import`` would do; ``lines()`` is the dry-run text."""

    kind: str
    source: str
    kb_root: Path
    changes: list[FileChange] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    unmapped: dict[str, Counter[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    flagged: list[str] = field(default_factory=list)  # notes with instruction-like text

    def counts(self) -> dict[str, int]:
        out: Counter[str] = Counter()
        plural = {"account": "accounts", "note": "notes", "story": "stories"}
        for c in self.changes:
            out[f"{plural[c.what]} {c.action}"] += 1
        out["skipped"] = len(self.skipped)
        return dict(sorted(out.items()))

    @property
    def writes(self) -> list[FileChange]:
        return [c for c in self.changes if c.action != "unchanged"]


@dataclass
class ApplyResult:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    problems: list[str] = field(default_factory=list)  # kb check after writing

    @property
    def ok(self) -> bool:
        return not self.problems


# ---- reading the source ----------------------------------------------------------------------


def read_source(kind: str, source: Path, mapping: Mapping, kb: KnowledgeBase) -> Batch:
    if kind == "salesforce":
        from assistant.importing.salesforce import read_salesforce

        return read_salesforce(source, mapping.date_format)
    if kind == "hubspot":
        from assistant.importing.hubspot import read_hubspot

        return read_hubspot(source, mapping.date_format)
    if kind == "email":
        from assistant.importing.mail import read_email

        return read_email(source)
    if kind == "transcripts":
        from assistant.importing.calls import read_transcripts

        return read_transcripts(source, [p.name for p in kb.team.people])
    raise ImportError_(f"unknown import kind {kind!r}; kinds: {', '.join(KINDS)}")


# ---- planning ----------------------------------------------------------------------------------


def plan_import(kind: str, source: str | Path, kb_root: str | Path,
                mapping: Mapping | None = None, *,
                on_progress: Progress | None = None) -> ImportPlan:
    """Everything the import would write into the KB at ``kb_root``; writes nothing.
    ``on_progress`` hears ``planning`` once per source record (see :data:`Progress`)."""
    from assistant.importing.mapping import ImportMappingError

    mapping = mapping or Mapping()
    root = Path(kb_root).expanduser().resolve()
    src = Path(source).expanduser()
    report = check_kb(root)
    if report.kb is None:
        problems = "\n".join(f"  - {p}" for p in report.problems[:20])
        raise ImportError_(f"the knowledge base {root} has problems; fix them first "
                           f"(`huddle kb check --kb {root}`):\n{problems}")
    kb = report.kb
    bad = mapping.check(kb)
    if bad:
        raise ImportMappingError("the mapping names what the KB does not have:\n"
                                 + "\n".join(f"  - {p}" for p in bad))
    if not src.exists():
        raise ImportError_(f"{src}: no such file or folder")
    if on_progress is not None:
        on_progress(0, 0, f"reading {src.name}")  # total unknown until the source is read
    try:
        batch = read_source(kind, src, mapping, kb)
    except FileNotFoundError as exc:
        raise ImportError_(str(exc)) from None
    return _Planner(kind, src, root, kb, mapping, batch, on_progress).plan()


class _Planner:
    def __init__(self, kind: str, source: Path, root: Path, kb: KnowledgeBase, mapping: Mapping,
                 batch: Batch, on_progress: Progress | None = None) -> None:
        self.kind, self.root, self.kb, self.m, self.batch = kind, root, kb, mapping, batch
        self.on_progress = on_progress
        self.done = 0
        self.total = len(batch.accounts) + len(batch.notes) + (len(batch.deals) if mapping.stories
                                                                 else 0)
        self.plan_ = ImportPlan(kind, str(source), root, skipped=list(batch.skipped),
                                warnings=list(batch.warnings))
        un = self.plan_.unmapped
        self.stages = Lookup(mapping.stages, "stage", un)
        self.outcomes = Lookup(mapping.outcomes, "outcome", un)
        self.users = Lookup(mapping.users, "user", un)
        self.accounts_map = Lookup(mapping.accounts, "account", un)
        self.fields = {norm(k): v for k, v in mapping.fields.items()}
        self.kinds = Lookup(mapping.kinds, "kind", un)
        self.system = batch.system
        # what the KB holds now
        self.existing: dict[str, dict[str, Any]] = {}  # slug -> raw account.yaml
        for slug in kb.accounts:
            path = root / "accounts" / slug / "account.yaml"
            self.existing[slug] = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        self.by_record: dict[str, str] = {}  # source_record -> slug (import-owned accounts)
        for slug, raw in self.existing.items():
            if raw.get("source_record"):
                self.by_record[str(raw["source_record"])] = slug
        self.doc_paths: dict[str, tuple[str, str]] = {}  # id -> (path, source_record or "")
        for note in kb.notes:
            self.doc_paths[note.id] = (note.path, str((note.model_extra or {}).get(
                "source_record") or ""))
        for story in kb.stories:
            self.doc_paths[story.id] = (story.path, str((story.model_extra or {}).get(
                "source_record") or ""))
        self.team_emails = {(p.email or "").casefold(): p.name for p in kb.team.people if p.email}
        self.internal = {d.casefold() for d in mapping.internal_domains}
        self.internal |= {e.rsplit("@", 1)[1] for e in self.team_emails if "@" in e}
        self.planned_accounts: dict[str, dict[str, Any]] = {}  # slug -> account data
        self.crm_to_slug: dict[str, str] = {}
        self.taken_ids: set[str] = set()

    # -- helpers --

    def tick(self, origin: str) -> None:
        """One more source record is being planned (reported before it, so done < total)."""
        if self.on_progress is not None:
            self.on_progress(self.done, self.total, f"planning {origin}")
        self.done += 1

    def skip(self, origin: str, reason: str) -> None:
        self.plan_.skipped.append(Skipped(origin, reason))

    def record(self, obj: str, rid: str) -> str:
        return f"{self.system} {obj}/{rid}"

    def person(self, raw: str, *, report: bool = True) -> str | None:
        """A team member's name for a CRM user (id, name or e-mail), or None."""
        if not raw:
            return None
        display = self.batch.users.get(raw, "")
        email = self.batch.users.get(raw + "#email", "")
        hit = self.users.get(raw, display, email)
        if hit:
            return str(hit)
        for candidate in (raw, display):
            person = self.kb.team.find(candidate) if candidate else None
            if person is not None:
                return person.name
        for candidate in (raw, email, display):
            if candidate and candidate.casefold() in self.team_emails:
                return self.team_emails[candidate.casefold()]
        if report:
            label = f"{raw} ({display})" if display and display != raw else raw
            self.plan_.unmapped.setdefault("user", Counter())[label] += 1
        return None

    def author(self, raw: str) -> str:
        name = self.person(raw)
        if name:
            return name
        if self.m.default_author:
            return self.m.default_author
        return one_line(self.batch.users.get(raw) or raw, 120) or "unknown"

    def write(self, rel: str, what: Literal["account", "note", "story"], record: str,
              origin: str, content: str) -> None:
        path = self.root / rel
        before = path.read_bytes() if path.is_file() else None
        sha = hashlib.sha256(before).hexdigest() if before is not None else None
        if before is None:
            action: Action = "create"
        elif before == content.encode("utf-8"):
            action = "unchanged"
        else:
            action = "replace"
        self.plan_.changes.append(FileChange(rel, action, what, record, origin, content, sha))

    def validate(self, model: type[BaseModel], data: dict[str, Any], origin: str) -> bool:
        try:
            model.model_validate(data)
            return True
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(x) for x in err["loc"])
            self.skip(origin, f"would not pass kb check ({where}: {err['msg']})")
            return False

    # -- accounts --

    def attributes(self, fields: dict[str, str], origin: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        values = {norm(k): v for k, v in fields.items()}
        for column, attr_name in self.fields.items():
            raw = values.get(column)
            if raw is None or not str(raw).strip():
                continue
            attr = self.kb.icp.find(attr_name)
            assert attr is not None  # the mapping was checked
            table = {norm(str(k)): v for k, v in self.m.values.get(attr_name, {}).items()}
            value: Any = table.get(norm(str(raw)), str(raw).strip())
            if attr.kind == "number":
                try:
                    number = float(str(value).replace(",", ""))
                    value = int(number) if number.is_integer() else number
                except ValueError:
                    self.plan_.warnings.append(f"{origin}: {attr_name} {raw!r} is not a number; "
                                               "left out")
                    continue
            elif attr.kind == "bool":
                if attr.bucket_label(value) is None:
                    self.plan_.warnings.append(f"{origin}: {attr_name} {raw!r} is not yes/no; "
                                               "left out")
                    continue
                value = attr.bucket_label(value) == "yes"
            else:
                value = one_line(str(value), 120)
            out[attr_name] = value
        return out

    def deal_outcome(self, deal: SourceDeal) -> str | None:
        mapped = self.outcomes.get(deal.stage)
        if mapped:
            return str(mapped)
        if deal.is_closed is True or deal.is_won is True:
            return "won" if deal.is_won else "lost"
        if deal.is_closed is None:
            return {"closedwon": "won", "closedlost": "lost", "won": "won",
                    "lost": "lost"}.get(norm(deal.stage))
        return None

    def slug_for_new(self, name: str) -> str:
        base = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        base = re.sub(r"[^a-z0-9]+", "-", base.casefold()).strip("-")[:60].strip("-") or "account"
        slug, n = base, 2
        while slug in self.existing or slug in self.planned_accounts:
            slug, n = f"{base}-{n}", n + 1
        return slug

    def plan_accounts(self) -> None:
        deals_by_account: dict[str, list[SourceDeal]] = {}
        for deal in self.batch.deals:
            deals_by_account.setdefault(deal.account_ref, []).append(deal)
        names = {str(raw.get("name", "")).casefold(): slug for slug, raw in self.existing.items()}
        domains = {d.casefold(): slug for slug, raw in self.existing.items()
                   for d in (raw.get("domains") or [])}
        for acct in sorted(self.batch.accounts, key=lambda a: (a.name.casefold(), a.record_id)):
            self.tick(acct.origin)
            record = self.record("Account", acct.record_id)
            slug = (self.accounts_map.get(acct.record_id, acct.name)
                    or self.by_record.get(record) or names.get(acct.name.casefold())
                    or next((domains[d] for d in acct.domains if d in domains), None))
            hand_made = slug in self.existing and self.existing[slug].get("source_record") != record
            if slug is None and not self.m.create_accounts:
                self.skip(acct.origin, f"account {acct.name!r} is not in the KB and "
                                       "create_accounts is false; map it under accounts:")
                continue
            if slug is None:
                slug = self.slug_for_new(acct.name)
            self.crm_to_slug[acct.record_id] = slug
            attrs = self.attributes(acct.fields, acct.origin)
            if hand_made:
                self.planned_accounts[slug] = {**self.existing[slug], "_hand_made": True}
                self.plan_.warnings.append(
                    f"{acct.origin}: {acct.name} matches accounts/{slug}, written by hand: kept "
                    "as it is" + (f" (the CRM says {attrs})" if attrs else ""))
                continue
            stage = self.account_stage(deals_by_account.get(acct.record_id, []), slug, acct.origin)
            if stage is None:
                self.crm_to_slug.pop(acct.record_id)
                continue
            data: dict[str, Any] = {"slug": slug, "name": acct.name, "stage": stage}
            old = self.existing.get(slug, {})
            doms = sorted(set(acct.domains) | set(old.get("domains") or []))
            if doms:
                data["domains"] = doms
            data.update(attrs)
            data["source"] = self.system
            data["source_record"] = record
            for key, value in old.items():  # keys someone added by hand are kept
                data.setdefault(key, value)
            if not self.validate(Account, data, acct.origin):
                self.crm_to_slug.pop(acct.record_id)
                continue
            self.planned_accounts[slug] = data
            self.write(f"accounts/{slug}/account.yaml", "account", record, acct.origin,
                       yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000))

    def account_stage(self, deals: list[SourceDeal], slug: str, origin: str) -> str | None:
        if deals:
            open_deals = [d for d in deals if self.deal_outcome(d) is None]
            pool = open_deals or deals
            latest = max(pool, key=lambda d: (d.created or dt.date.min, d.record_id))
            stage = self.stages.get(latest.stage, report=latest.stage)
            if stage:
                return str(self.kb.process.find(str(stage)).name)  # type: ignore[union-attr]
        if self.m.default_stage:
            return str(self.kb.process.find(self.m.default_stage).name)  # type: ignore[union-attr]
        if slug in self.existing:
            return str(self.existing[slug].get("stage"))
        why = (f"its deal stage {max(deals, key=lambda d: d.created or dt.date.min).stage!r} is "
               "not under stages: in the mapping" if deals else "it has no deal")
        self.skip(origin, f"account skipped: no KB stage ({why}; or set default_stage)")
        return None

    def slug_of(self, note: SourceNote) -> str | None:
        if note.account_slug:
            return note.account_slug
        if note.system == "transcript":
            for pattern, target in self.m.transcripts.items():
                if fnmatch.fnmatch(note.record_id, pattern):
                    return target
        ref = note.account_ref
        if ref:
            slug: str | None = (self.crm_to_slug.get(ref) or self.accounts_map.get(ref)
                    or self.by_record.get(self.record("Account", ref)))
            if slug is None and note.system == "transcript":
                slug = ref if ref in self.existing or ref in self.planned_accounts else None
                if slug is None:
                    slug = next((s for s, raw in self.existing.items()
                                 if norm(str(raw.get("name", ""))) == norm(ref)), None)
            if slug:
                return str(slug)
        if note.account_domains:
            outside = [d for d in note.account_domains if d not in self.internal
                       and not any(d.endswith("." + i) for i in self.internal)]
            table = {norm(k): v for k, v in self.m.domains.items()}
            everyone = {**self.existing, **self.planned_accounts}
            known = {d.casefold(): s for s, raw in everyone.items()
                     for d in (raw.get("domains") or [])}
            hits = set()
            for d in outside:
                hit = table.get(norm(d)) or known.get(d) or next(
                    (s for k, s in known.items() if d.endswith("." + k)), None)
                if hit:
                    hits.add(hit)
            if len(hits) == 1:
                return hits.pop()
            if len(hits) > 1:
                self.skip(note.origin, "the correspondents match several accounts "
                          f"({', '.join(sorted(hits))}): map the domain under domains:")
                return ""
            for d in outside:
                self.plan_.unmapped.setdefault("domain", Counter())[d] += 1
            self.skip(note.origin, "no account has the domain(s) "
                      f"{', '.join(outside) or '(only internal addresses)'}: add them to "
                      "domains in account.yaml or under domains: in the mapping")
            return ""
        return None

    # -- notes --

    def note_id(self, note: SourceNote) -> str:
        if note.system == "email":
            return "mail-" + hashlib.sha1(note.record_id.encode()).hexdigest()[:16]
        if note.system == "transcript":
            return "call-" + hashlib.sha1(note.record_id.encode()).hexdigest()[:16]
        obj = "activity" if note.system == "hubspot" else note.object.casefold()
        return _safe_id(f"{_PREFIX[note.system]}-{obj}-{note.record_id}")

    def plan_notes(self) -> None:
        for note in sorted(self.batch.notes, key=lambda n: (n.date, n.origin)):
            self.tick(note.origin)
            if not note.record_id:
                self.skip(note.origin, "no record id (the Id / Record ID column is empty)")
                continue
            slug = self.slug_of(note)
            if slug == "":
                continue  # already reported
            if slug is None:
                label = note.account_ref or "(none)"
                self.plan_.unmapped.setdefault("account", Counter())[label] += 1
                self.skip(note.origin, f"no account for this {note.object} (account {label!r} is "
                                       "not in the export, the KB or accounts: in the mapping)")
                continue
            if slug not in self.existing and slug not in self.planned_accounts:
                self.skip(note.origin, f"account {slug!r} is not in the KB (or was skipped)")
                continue
            doc_id = self.note_id(note)
            record = self.record(note.object, note.record_id)
            if not self.claim(doc_id, record, note.origin):
                continue
            kind = self.kinds.get(note.object) or note.kind
            if note.system == "email":
                author = self.team_emails.get(note.author) or self.person(note.author, report=False)
                if author is None:
                    people = note.extra.get("people", {})
                    author = one_line(people.get(note.author) or note.author, 120)
                contacts = [one_line(name, 120) for addr, name in
                            sorted(note.extra.get("people", {}).items())
                            if "@" in addr and addr.rsplit("@", 1)[1] not in self.internal
                            and addr not in self.team_emails][:12]
            elif note.system == "transcript":
                author = note.author or self.m.default_author or "unknown"
                if not note.author and not self.m.default_author:
                    self.plan_.unmapped.setdefault("user", Counter())["(no team speaker)"] += 1
                contacts = note.contacts
            else:
                author, contacts = self.author(note.author), note.contacts
            front: dict[str, Any] = {"id": doc_id, "date": note.date, "author": author,
                                     "kind": kind}
            if contacts:
                front["contacts"] = contacts
            if note.title:
                front["title"] = note.title
            front.update({"source": self.system, "source_record": record,
                          "source_file": one_line(note.source_file, 300)})
            if not self.validate(Note, front, note.origin):
                continue
            if looks_like_injection(note.body):
                self.plan_.flagged.append(f"{doc_id} ({note.origin}): text reads like "
                                          "instructions to an AI; imported as data, prep "
                                          "quarantines it")
            rel = f"accounts/{slug}/notes/{doc_id}.md"
            self.move_if_needed(doc_id, rel, record, note.origin)
            self.write(rel, "note", record, note.origin, _markdown(front, note.body))

    def claim(self, doc_id: str, record: str, origin: str) -> bool:
        if doc_id in self.taken_ids:
            self.skip(origin, f"same record as an earlier row ({doc_id}); kept once")
            return False
        existing = self.doc_paths.get(doc_id)
        if existing and existing[1] != record:
            self.skip(origin, f"id {doc_id} is already used by {existing[0]}, not written by "
                              "this import: left alone")
            return False
        self.taken_ids.add(doc_id)
        return True

    def move_if_needed(self, doc_id: str, rel: str, record: str, origin: str) -> None:
        existing = self.doc_paths.get(doc_id)
        if existing and existing[0] != rel:
            old = self.root / existing[0]
            sha = hashlib.sha256(old.read_bytes()).hexdigest() if old.is_file() else None
            what: Literal["note", "story"] = "story" if rel.startswith("stories/") else "note"
            self.plan_.changes.append(FileChange(existing[0], "delete", what, record, origin,
                                                 None, sha))

    # -- stories --

    def plan_stories(self) -> None:
        if not self.m.stories:
            return
        for deal in sorted(self.batch.deals, key=lambda d: d.record_id):
            self.tick(deal.origin)
            outcome = self.deal_outcome(deal)
            if outcome is None:
                continue
            start = min([d for d in [deal.created, *(c.date for c in deal.history)] if d],
                        default=None)
            closed_at = [c.date for c in deal.history if norm(c.stage) == norm(deal.stage)]
            end = max(closed_at) if closed_at else deal.close_date
            if start is None or end is None:
                self.skip(deal.origin, "closed deal without CreatedDate or CloseDate: no cycle "
                                       "length, no story")
                continue
            if end < start:
                self.skip(deal.origin, f"closed {end} before it was created {start}: no story")
                continue
            if deal.amount is None:
                self.skip(deal.origin, "closed deal without Amount: no story (deal_size is "
                                       "required)")
                continue
            slug = self.crm_to_slug.get(deal.account_ref) or self.accounts_map.get(
                deal.account_ref)
            account = self.planned_accounts.get(slug or "") or self.existing.get(slug or "")
            profile = {a.name: account[a.name] for a in self.kb.icp.attributes
                       if account and account.get(a.name) is not None}
            owner = self.person(deal.owner)
            doc_id = _safe_id(f"story-{_PREFIX[self.system]}-{deal.record_id}")
            record = self.record("Opportunity" if self.system == "salesforce" else "deal",
                                 deal.record_id)
            if not self.claim(doc_id, record, deal.origin):
                continue
            front: dict[str, Any] = {
                "id": doc_id, "outcome": outcome,
                "title": one_line(f"{(account or {}).get('name', deal.name)}: {deal.name}", 200),
                "account_profile": profile, "cycle_days": (end - start).days,
                "deal_size": int(deal.amount) if deal.amount.is_integer() else deal.amount,
                "roles": {owner: "owned the deal"} if owner else {},
            }
            if slug and account:
                front["account"] = slug
            front["date"] = end
            front.update({"source": self.system, "source_record": record,
                          "source_file": deal.origin.rsplit(":", 1)[0]})
            if not self.validate(Story, front, deal.origin):
                continue
            rel = f"stories/{doc_id}.md"
            self.move_if_needed(doc_id, rel, record, deal.origin)
            self.write(rel, "story", record, deal.origin, _markdown(front, self.story_body(
                deal, outcome, start, end)))

    def story_body(self, deal: SourceDeal, outcome: str, start: dt.date, end: dt.date) -> str:
        system = "Salesforce opportunity" if self.system == "salesforce" else "HubSpot deal"
        lines = [f"Imported from {system} {deal.name!r} ({deal.record_id}): {outcome} on "
                 f"{end.isoformat()}, {(end - start).days} days after it was opened "
                 f"({start.isoformat()})."]
        if deal.history:
            steps = []
            for i, change in enumerate(deal.history):
                nxt = deal.history[i + 1].date if i + 1 < len(deal.history) else None
                mapped = self.stages.get(change.stage)
                label = change.stage + (f" [{mapped}]" if mapped and norm(str(mapped))
                                        != norm(change.stage) else "")
                days = f", {(nxt - change.date).days} days" if nxt else ""
                steps.append(f"- {label}: from {change.date.isoformat()}{days}")
            lines += ["", "Stage history:", *steps]
        if deal.description:
            lines += ["", "Description from the CRM:", "", deal.description]
        lines += ["", "Why it was won or lost is not in the export: add it here."]
        return "\n".join(lines)

    def plan(self) -> ImportPlan:
        self.plan_accounts()
        self.plan_notes()
        self.plan_stories()
        p = self.plan_
        p.changes.sort(key=lambda c: (c.what != "account", c.path))
        p.skipped.sort(key=_origin_key)
        if self.on_progress is not None:
            self.on_progress(self.total, self.total, f"planning done: {self.total} record(s)")
        return p


def _origin_key(s: Skipped) -> tuple[str, int, str]:
    file, _, line = s.origin.rpartition(":")
    if file and line.isdigit():
        return (file, int(line), s.reason)
    return (s.origin, 0, s.reason)


def _safe_id(raw: str) -> str:
    value = re.sub(r"[^A-Za-z0-9._:-]", "-", raw)
    if len(value) > 128:
        value = value[:100] + "-" + hashlib.sha1(raw.encode()).hexdigest()[:16]
    return value


def _markdown(front: dict[str, Any], body: str) -> str:
    head = yaml.safe_dump(front, sort_keys=False, allow_unicode=True, width=1000)
    return f"---\n{head}---\n{body.strip()}\n"


# ---- applying ----------------------------------------------------------------------------------


def apply_import(plan: ImportPlan, *, on_progress: Progress | None = None) -> ApplyResult:
    """Write the plan's files (temp file + rename each), then check the KB. ``on_progress``
    hears ``writing`` once per file of the plan (see :data:`Progress`)."""
    result = ApplyResult()
    root = plan.kb_root
    for change in plan.changes:  # refuse a stale plan before touching anything
        path = root / change.path
        now = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        if now != change.before_sha:
            raise ImportError_(f"{change.path} changed since the import was planned: plan it "
                               "again (nothing was written)")
    total = len(plan.changes)
    for done, change in enumerate(plan.changes):
        if on_progress is not None:
            on_progress(done, total, f"writing {change.path}")
        path = root / change.path
        if change.action == "unchanged":
            result.unchanged += 1
        elif change.action == "delete":
            path.unlink(missing_ok=True)
            result.deleted.append(change.path)
        else:
            assert change.content is not None
            _atomic_write(path, change.content)
            result.written.append(change.path)
    if on_progress is not None:
        on_progress(total, total, f"writing done: {len(result.written)} file(s) written")
    if result.written or result.deleted:
        result.problems = [str(p) for p in check_kb(root).problems]
    return result


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".import-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise

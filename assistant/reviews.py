"""Manager review of plans: draft → in review → approved | changes requested.

A rep submits the newest version of a plan; a manager approves it or requests changes,
with a general comment and comments per section (``objective``, ``roles``, ...), each event
recorded with who and when. A revised plan is a new version (``Huddle.revise_roles`` or a
new ``prep`` with a parent) and starts as a draft; :func:`diff_plans` shows what changed
between versions, section by section, and the review shows the comments that asked for it.

Rules: only the newest version of a plan can be reviewed; approve and request-changes need
a plan in review; request-changes needs at least one comment; a plan can be submitted from
draft or changes requested. Status change and review event are one transaction.

Who may act is :mod:`assistant.access`'s: with roles in force (a manager in team.yaml and
``me`` set) only a manager approves or requests changes, a rep submits only their own plans,
and everyone signs as themselves; a refusal (:class:`~assistant.access.NotAllowed`) comes
before anything is written.

Table ``plan_reviews`` (:mod:`knowledge.tables`) beside the plans; plan status is the
``plans`` table's. The status change is a compare-and-set on the plan's revision: a manager
approving a plan that the rep (or another manager) changed since it was read gets
:class:`~knowledge.database.StaleWriteError` and nothing is written. Touches only the records
database.
"""

from __future__ import annotations

import builtins
import getpass
import json
from dataclasses import asdict, dataclass, field
from typing import Any

import sqlalchemy as sa

from assistant.access import Access, Actor
from assistant.clock import Clock
from assistant.plan import Plan
from assistant.records import Records, stale_plan
from knowledge.errors import HuddleError
from knowledge.tables import plan_reviews, plans

SECTIONS: tuple[str, ...] = (
    "objective", "exit_gap", "context", "buyers", "roles", "agenda", "questions",
    "objections", "risks", "stories", "icp_fit", "checklist",
)
ACTIONS = ("submit", "approve", "request_changes")
_FROM = {
    "submit": ("draft", "changes_requested"),
    "approve": ("in_review",),
    "request_changes": ("in_review",),
}
_TO = {"submit": "in_review", "approve": "approved", "request_changes": "changes_requested"}

class ReviewError(HuddleError):
    title = "Review"


@dataclass(frozen=True)
class ReviewEvent:
    id: int
    plan_id: str
    version: int
    action: str
    from_status: str
    to_status: str
    by: str
    at: str
    comment: str | None = None
    section_comments: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SectionDiff:
    section: str
    added: list[str]
    removed: list[str]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ReviewView:
    """What ``huddle review show`` prints: the plan, its history, and what changed."""

    plan: Plan
    versions: list[dict[str, Any]]
    history: list[ReviewEvent]
    previous: Plan | None
    diff: list[SectionDiff]
    addressed: ReviewEvent | None  # the change request the previous version got, if any

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_id": self.plan.id, "version": self.plan.version, "status": self.plan.status,
            "account": self.plan.meeting.account, "versions": self.versions,
            "history": [e.as_dict() for e in self.history],
            "previous": self.previous.id if self.previous else None,
            "diff": [d.as_dict() for d in self.diff],
            "addressed": self.addressed.as_dict() if self.addressed else None,
        }


# ---- diff ------------------------------------------------------------------------------


def section_items(plan: Plan, section: str) -> list[str]:
    """One line per item of a section, so two versions compare as lists of lines."""
    if section == "objective":
        o = plan.objective
        return [f"objective: {o.statement.text}", f"advance: {o.advance}",
                f"fallback: {o.fallback}", f"stage: {o.stage} → {o.next_stage or 'decision'}"]
    if section == "context":
        c = plan.context
        return [f"{name}: {claim.text}" for name, claims in (
            ("situation", c.situation), ("needs", c.needs), ("changes", c.changes),
            ("superseded", c.superseded)) for claim in claims]
    if section == "buyers":
        return [f"{b.name} ({b.title})" if b.title else b.name for b in plan.buyers]
    if section == "roles":
        return [f"{r.name}: {r.role}" + (" (owns the ask)" if r.owns_next_step else "")
                for r in plan.roles]
    if section == "agenda":
        return [f"{a.start_minute}'–{a.start_minute + a.minutes}' {a.topic} — {a.owner}"
                for a in plan.agenda]
    if section == "questions":
        return [q.text for q in plan.questions]
    if section == "risks":
        return [f"{r.risk} → {r.answer}" for r in plan.risks]
    if section == "stories":
        return [f"{s.story_id}: {s.title}" for s in plan.stories]
    if section == "icp_fit":
        return [f"{f.attribute} = {f.value or 'unknown'}: {f.status}" for f in plan.icp_fit]
    if section == "checklist":
        return list(plan.checklist)
    if section == "exit_gap":
        return [f"{c.status}: {c.criterion}" + (f" — {c.quote}" if c.quote else "")
                for c in plan.exit_gap]
    if section == "objections":
        return ([f"{o.text} → {o.owner}: {o.answer}" for o in plan.objections]
                + [f"open: {i.text} → {i.owner}" for i in plan.open_items])
    raise ReviewError(f"unknown section {section!r}; sections: {', '.join(SECTIONS)}")


def diff_plans(old: Plan, new: Plan) -> list[SectionDiff]:
    """Per section, the lines only the new version has and those it dropped."""
    out = []
    for section in SECTIONS:
        a, b = section_items(old, section), section_items(new, section)
        added = [x for x in b if x not in a]
        removed = [x for x in a if x not in b]
        if added or removed:
            out.append(SectionDiff(section=section, added=added, removed=removed))
    return out


# ---- the workflow ----------------------------------------------------------------------


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "unknown"


class Reviews:
    """Review events over the plans in ``huddle.db``."""

    def __init__(self, records: Records, clock: Clock, *, me: str | None = None,
                 access: Access | None = None) -> None:
        self.records = records
        self.clock = clock
        self.me = me
        """Who signs an event when no ``by`` is given (``me`` in the config)."""
        self.access = access
        """Who may do what (None: everyone may do everything, as before roles)."""

    def check(self, action: str, plan_id: str | None = None, *,
              by: str | None = None) -> Actor | None:
        """Raise :class:`~assistant.access.NotAllowed` unless the person using Huddle may do
        ``action`` (on ``plan_id``): what the faces call before asking for comments. Returns
        who acts (None without an access policy)."""
        if self.access is None:
            return None
        author = self.records.owner(plan_id) if plan_id and action == "submit" else None
        return self.access.check(action, by=by, author=author, plan=plan_id or "")

    def submit(self, plan_id: str, *, by: str | None = None,
               comment: str | None = None) -> ReviewEvent:
        return self._act("submit", plan_id, by=by, comment=comment, section_comments={})

    def approve(self, plan_id: str, *, by: str | None = None, comment: str | None = None,
                section_comments: dict[str, str] | None = None) -> ReviewEvent:
        return self._act("approve", plan_id, by=by, comment=comment,
                         section_comments=section_comments or {})

    def request_changes(self, plan_id: str, *, by: str | None = None,
                        comment: str | None = None,
                        section_comments: dict[str, str] | None = None) -> ReviewEvent:
        if not (comment and comment.strip()) and not any(
                v.strip() for v in (section_comments or {}).values()):
            raise ReviewError("say what to change: --comment TEXT or --section-comment "
                              "SECTION=TEXT")
        return self._act("request_changes", plan_id, by=by, comment=comment,
                         section_comments=section_comments or {})

    def _act(self, action: str, plan_id: str, *, by: str | None, comment: str | None,
             section_comments: dict[str, str]) -> ReviewEvent:
        plan = self.records.get_plan(plan_id)
        actor = self.check(action, plan.id, by=by)  # refused before anything is written
        bad = sorted(set(section_comments) - set(SECTIONS))
        if bad:
            raise ReviewError(f"unknown section {', '.join(map(repr, bad))}; sections: "
                              + ", ".join(SECTIONS))
        versions = self.records.versions(plan.id)
        newest = versions[-1] if versions else plan
        if newest.id != plan.id:
            raise ReviewError(f"{plan.id} is v{plan.version}; it was revised as v"
                              f"{newest.version} ({newest.id}): review that one")
        if plan.status not in _FROM[action]:
            verb = action.replace("_", " ")
            hint = (f"submit it first: huddle review submit {plan.id}"
                    if plan.status == "draft" else
                    "revise it (a new version) or submit it again" if plan.status ==
                    "changes_requested" else f"it is already {plan.status.replace('_', ' ')}")
            raise ReviewError(f"cannot {verb} a plan that is {plan.status.replace('_', ' ')}: "
                              f"{hint}")
        who = actor.name if actor is not None and actor.enforced else " ".join(
            (by or self.me or default_reviewer()).split())
        to_status = _TO[action]
        at = self.clock.stamp()
        clean_sections = {k: " ".join(v.split()) for k, v in section_comments.items()
                          if v.strip()}
        updated = plan.model_copy(update={"status": to_status})
        info = self.records.info(plan.id)
        with self.records.db() as db:
            done = db.execute(sa.update(plans).where(
                plans.c.id == plan.id, plans.c.status == plan.status,
                plans.c.revision == info["revision"]).values(
                status=to_status, body=updated.model_dump_json(),
                revision=plans.c.revision + 1)).rowcount
            if done != 1:
                raise stale_plan(plan.id, self.records.info(plan.id))
            result = db.execute(sa.insert(plan_reviews).values(
                plan_id=plan.id, root_id=info["root_id"], version=plan.version, action=action,
                from_status=plan.status, to_status=to_status, by=who, at=at,
                comment=(comment or "").strip() or None,
                section_comments=json.dumps(clean_sections)))
            key = result.inserted_primary_key
            event_id = int(key[0]) if key else 0
        return ReviewEvent(id=event_id, plan_id=plan.id, version=plan.version, action=action,
                           from_status=plan.status, to_status=to_status, by=who, at=at,
                           comment=(comment or "").strip() or None,
                           section_comments=clean_sections)

    # ---- reading ---------------------------------------------------------------------

    def history(self, plan_id: str) -> list[ReviewEvent]:
        """Every review event of every version of the plan, oldest first."""
        info = self.records.info(plan_id)
        cols = [plan_reviews.c[k] for k in ("id", "plan_id", "version", "action", "from_status",
                                            "to_status", "by", "at", "comment",
                                            "section_comments")]
        with self.records.db() as db:
            rows = db.execute(sa.select(*cols).where(plan_reviews.c.root_id == info["root_id"])
                              .order_by(plan_reviews.c.id)).all()
        return [ReviewEvent(id=r[0], plan_id=r[1], version=r[2], action=r[3], from_status=r[4],
                            to_status=r[5], by=r[6], at=r[7], comment=r[8],
                            section_comments=json.loads(r[9] or "{}")) for r in rows]

    def list(self, status: str | None = "in_review", limit: int = 50, *,
             rep: str | None = None, day: str | None = None) -> list[dict[str, Any]]:
        """The newest version of each plan (in review by default), with its last event;
        ``rep`` keeps the plans that rep drafted, ``day`` (YYYY-MM-DD) those for meetings
        on that day."""
        q = plans.alias("q")
        newest = sa.select(sa.func.max(q.c.version)).where(
            q.c.root_id == plans.c.root_id).scalar_subquery()
        keys = ["id", "version", "account", "meeting_date", "kind", "status", "created_at",
                "author"]
        query = sa.select(*(plans.c[k] for k in keys)).where(plans.c.version == newest)
        if status:
            query = query.where(plans.c.status == status)
        if rep:
            query = query.where(sa.func.lower(plans.c.author) == rep.strip().lower())
        if day:
            query = query.where(plans.c.meeting_date == day)
        query = query.order_by(plans.c.meeting_date, plans.c.created_at, plans.c.id).limit(limit)
        with self.records.db() as db:
            rows = [dict(r._mapping) for r in db.execute(query)]
            for row in rows:
                last = db.execute(
                    sa.select(plan_reviews.c.action, plan_reviews.c.by, plan_reviews.c.at)
                    .where(plan_reviews.c.plan_id == row["id"])
                    .order_by(plan_reviews.c.id.desc()).limit(1)).first()
                row["last_action"] = ({"action": last[0], "by": last[1], "at": last[2]}
                                      if last else None)
        return rows

    def comments_for(self, author: str, limit: int = 100) -> builtins.list[dict[str, Any]]:
        """Review events with a comment on the plans ``author`` drafted, newest first (what a
        rep reads: which plan, which version, who said what, per section)."""
        query = (sa.select(plan_reviews.c.plan_id, plan_reviews.c.version, plan_reviews.c.action,
                           plan_reviews.c.by, plan_reviews.c.at, plan_reviews.c.comment,
                           plan_reviews.c.section_comments, plans.c.account,
                           plans.c.meeting_date)
                 .join(plans, plans.c.id == plan_reviews.c.plan_id)
                 .where(sa.func.lower(plans.c.author) == author.strip().lower(),
                        plan_reviews.c.action != "submit")
                 .order_by(plan_reviews.c.id.desc()).limit(limit))
        with self.records.db() as db:
            rows = [dict(r._mapping) for r in db.execute(query)]
        for row in rows:
            row["section_comments"] = json.loads(row["section_comments"] or "{}")
        return [r for r in rows if r["comment"] or r["section_comments"]]

    def show(self, plan_id: str) -> ReviewView:
        plan = self.records.get_plan(plan_id)
        versions = self.records.versions(plan.id)
        previous = next((v for v in versions if v.version == plan.version - 1), None)
        if previous is None and plan.parent_id:
            previous = self.records.get_plan(plan.parent_id)
        history = self.history(plan.id)
        addressed = None
        if previous is not None:
            addressed = next((e for e in reversed(history) if e.plan_id == previous.id
                              and e.action == "request_changes"), None)
        return ReviewView(
            plan=plan,
            versions=[{"id": v.id, "version": v.version, "status": v.status,
                       "created_at": v.created_at} for v in versions],
            history=history, previous=previous,
            diff=diff_plans(previous, plan) if previous is not None else [],
            addressed=addressed,
        )


def parse_section_comments(items: list[str] | None) -> dict[str, str]:
    """``["roles=Put Priya on the demo", ...]`` -> ``{"roles": "Put Priya on the demo"}``."""
    out: dict[str, str] = {}
    for item in items or []:
        section, sep, text = item.partition("=")
        section = section.strip().lower().replace("-", "_")
        if not sep or not text.strip():
            raise ReviewError(f"--section-comment takes SECTION=TEXT; got {item!r}")
        if section not in SECTIONS:
            raise ReviewError(f"unknown section {section!r}; sections: {', '.join(SECTIONS)}")
        out[section] = (out[section] + " " if section in out else "") + text.strip()
    return out

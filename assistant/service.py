"""The assistant API: what the CLI, the TUI and the eval runner call.

``Huddle(settings)`` owns the long-lived pieces for one knowledge base — the loaded KB, the
retriever, the LLM gateway, the records database, the checkpointer — and opens each lazily,
so constructing it is cheap and the TUI can paint before torch or litellm load.

Touches the KB (read), the data directory (store, ``huddle.db``, ``checkpoints.sqlite``,
the LLM cache) and, through the gateway, the configured model.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from assistant.clock import SYSTEM, Clock
from assistant.config import Settings
from assistant.plan import Buyer, Meeting, Plan
from assistant.records import Records, new_plan_id
from knowledge.errors import HuddleError
from knowledge.models import KnowledgeBase

if TYPE_CHECKING:
    from assistant.meetings import Meetings

log = logging.getLogger(__name__)

EventHandler = Callable[[str, dict[str, Any]], None]


def parse_buyers(text: str) -> list[Buyer]:
    """``"Dana Ruiz (CFO), Tom Becker (Head of Operations)"`` -> buyers."""
    out = []
    depth = 0
    current = ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if ch == "," and depth == 0:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    buyers = []
    for item in (x.strip() for x in out):
        if not item:
            continue
        if item.endswith(")") and "(" in item:
            name, title = item[:-1].split("(", 1)
            buyers.append(Buyer(name=name.strip(), title=title.strip()))
        else:
            buyers.append(Buyer(name=item))
    return buyers


class Huddle:
    """One knowledge base's assistant. Thread-safe for the TUI's workers."""

    def __init__(self, settings: Settings, *, clock: Clock = SYSTEM, gateway: Any = None,
                 retriever: Any = None) -> None:
        self.settings = settings
        self.clock = clock
        """The one source of "now" and "today" for everything this service stamps or compares."""
        self._meetings: Meetings | None = None
        self._kb: KnowledgeBase | None = None
        self._gateway = gateway
        self._retriever = retriever
        self._records: Records | None = None
        self._lock = threading.RLock()
        self._ingested = retriever is not None

    # ---- lazily opened parts -------------------------------------------------------

    @property
    def kb(self) -> KnowledgeBase:
        with self._lock:
            if self._kb is None:
                from knowledge.loader import load_kb

                self._kb = load_kb(self.settings.kb_path)
            return self._kb

    def reload_kb(self) -> KnowledgeBase:
        with self._lock:
            self._kb = None
            return self.kb

    @property
    def records(self) -> Records:
        with self._lock:
            if self._records is None:
                self._records = Records(self.settings.data_path)
            return self._records

    @property
    def meetings(self) -> Meetings:
        """Upcoming meetings (calendar imports, meetings added by hand, their plans)."""
        with self._lock:
            if self._meetings is None:
                from assistant.meetings import Meetings

                self._meetings = Meetings(self.settings.data_path, self.clock)
            return self._meetings

    @property
    def gateway(self) -> Any:
        with self._lock:
            if self._gateway is None:
                from assistant.llm.gateway import Gateway

                self._gateway = Gateway(self.settings.llm, self.settings.data_path)
            return self._gateway

    @property
    def retriever(self) -> Any:
        with self._lock:
            if self._retriever is None:
                self.ensure_ingested()
                from knowledge.retrieval import Retriever

                self._retriever = Retriever(self.settings.data_path)
            return self._retriever

    def ensure_ingested(self, progress: Callable[[str, int, int], None] | None = None) -> Any:
        """Bring the store up to date with the KB files (cheap when nothing changed)."""
        from knowledge.ingest import ingest

        with self._lock:
            report = ingest(self.settings.kb_path, self.settings.data_path, kb=self.kb,
                            progress=progress)
            self._ingested = True
            return report

    def warm(self) -> str:
        """Load the embedding model and prepare the LLM now (slow, once; for a background
        worker at start-up); returns the model's name."""
        from knowledge import embeddings

        embeddings.get_model()
        self.gateway.prepare()
        return self.gateway.model

    def checkpointer(self) -> Any:
        from langgraph.checkpoint.sqlite import SqliteSaver

        path = self.settings.data_path / "checkpoints.sqlite"
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteSaver(sqlite3.connect(path, check_same_thread=False))

    # ---- prep ------------------------------------------------------------------------

    def meeting(
        self, *, account: str, kind: str, date: dt.date | str, sellers: list[str] | str,
        buyers: list[Buyer] | str = "", goal: str | None = None, minutes: int = 45,
    ) -> Meeting:
        """A validated meeting: unknown accounts or sellers are named with what exists."""
        from assistant.plan import MEETING_KINDS

        kb = self.kb
        if account not in kb.accounts:
            raise HuddleError(f"unknown account {account!r}; accounts: "
                              + ", ".join(sorted(kb.accounts)), title="Unknown account")
        if kind not in MEETING_KINDS:
            raise HuddleError(f"unknown meeting kind {kind!r}; kinds: "
                              + ", ".join(MEETING_KINDS), title="Meeting kind")
        names = [s.strip() for s in sellers.split(",")] if isinstance(sellers, str) else sellers
        names = [n for n in names if n]
        if not names:
            raise HuddleError("name at least one seller who attends (--sellers)",
                              title="No sellers")
        unknown = [n for n in names if kb.team.find(n) is None]
        if unknown:
            raise HuddleError(
                f"not in team.yaml: {', '.join(unknown)}; people: "
                + ", ".join(p.name for p in kb.team.people), title="Unknown seller")
        if isinstance(date, str):
            try:
                date = dt.date.fromisoformat(date)
            except ValueError:
                raise HuddleError(f"dates are YYYY-MM-DD; got {date!r}", title="Date") from None
        buyer_list = parse_buyers(buyers) if isinstance(buyers, str) else buyers
        return Meeting(account=account, kind=kind, date=date,
                       sellers=[kb.team.find(n).name for n in names],  # type: ignore[union-attr]
                       buyers=buyer_list, goal=goal or None, minutes=minutes)

    def prepare(self, meeting: Meeting, *, on_event: EventHandler | None = None,
                plan_id: str | None = None, parent: Plan | None = None) -> Plan:
        """Run the prep workflow for ``meeting`` and save the plan (status ``draft``)."""
        from assistant.prep.graph import PrepContext, build_prep_graph

        plan_id = plan_id or new_plan_id(meeting.account, meeting.date)
        retriever = self.retriever
        version = (parent.version + 1) if parent else 1

        def save(plan: Plan) -> None:
            if parent is not None:
                plan = plan.model_copy(update={"version": version, "parent_id": parent.id})
            self.records.save_plan(plan)

        context = PrepContext(
            kb=self.kb, retriever=retriever, gateway=self.gateway,
            notes_k=self.settings.retrieval.notes_k, stories_k=self.settings.retrieval.stories_k,
            save=save, on_event=on_event, ledger=self.ledger, clock=self.clock,
        )
        saver = self.checkpointer()
        try:
            graph = build_prep_graph().compile(checkpointer=saver)
            graph.invoke(
                {"plan_id": plan_id, "meeting": meeting.model_dump(mode="json")},
                config={"configurable": {"thread_id": f"prep:{plan_id}"}},
                context=context, durability="sync",
            )
        finally:
            saver.conn.close()
        return self.records.get_plan(plan_id)

    def revise_roles(self, plan_id: str, roles: dict[str, str]) -> Plan:
        """A new version of a plan with some sellers' roles changed by the rep.

        Only the sections that follow from roles change (roles, agenda, checklist): no model
        call. With two or more sellers exactly one must be ``closer`` or the ``lead`` owns the
        ask; two closers or two leads are refused.
        """
        from assistant.plan import ROLES
        from assistant.prep.assemble import build_agenda, build_checklist, build_roles

        plan = self.records.get_plan(plan_id)
        current = {r.name: r for r in plan.roles}
        for name, role in roles.items():
            if name not in current:
                raise HuddleError(f"{name!r} does not attend this meeting; sellers: "
                                  + ", ".join(current), title="Unknown seller")
            if role not in ROLES:
                raise HuddleError(f"unknown role {role!r}; roles: {', '.join(ROLES)}",
                                  title="Unknown role")
        chosen = {name: roles.get(name, r.role) for name, r in current.items()}
        for unique in ("lead", "closer"):
            holders = [n for n, r in chosen.items() if r == unique]
            if len(holders) > 1:
                raise HuddleError(f"only one seller can be {unique}: {', '.join(holders)}",
                                  title="Roles")
        if "lead" not in chosen.values():
            raise HuddleError("someone must lead the meeting: give one seller the lead role",
                              title="Roles")
        closer = next((n for n, r in chosen.items() if r == "closer"), None)
        owner = closer or next(n for n, r in chosen.items() if r == "lead")
        changed = sorted(n for n in chosen if chosen[n] != current[n].role)
        raw = [{"name": n, "title": current[n].title, "role": chosen[n],
                "owns_next_step": n == owner,
                "why": ("set by the rep" if n in changed else
                        current[n].why.split(" — ", 1)[-1])} for n in current]
        agenda = build_agenda(plan.meeting.kind, plan.meeting.minutes, raw)
        note_ids = [i for i in plan.provenance.retrieved_ids
                    if i not in {s.story_id for s in plan.stories}]
        gathered = {
            "icp_unknown": [{"attribute": q.icp_attribute} for q in plan.questions
                            if q.icp_attribute],
            "buyers": [b.model_dump() for b in plan.meeting.buyers],
        }
        checklist = build_checklist(gathered, raw, [{"id": i} for i in note_ids], plan.stories,
                                    plan.risks, plan.context.superseded)
        provenance = plan.provenance.model_copy(deep=True)
        provenance.warnings.append(
            "roles changed by the rep: " + ", ".join(f"{n} → {chosen[n]}" for n in changed)
            if changed else "roles confirmed by the rep")
        revised = plan.model_copy(update={
            "id": new_plan_id(plan.meeting.account, plan.meeting.date),
            "version": plan.version + 1, "parent_id": plan.id, "status": "draft",
            "created_at": self.clock.stamp(),
            "roles": build_roles(raw, agenda), "agenda": agenda, "checklist": checklist,
            "provenance": provenance,
        })
        self.records.save_plan(revised)
        return revised

    # ---- after the call: reflections, outcomes, the ICP ledger, reviews --------------
    # (assistant.reflect, knowledge.ledger, assistant.reviews; see docs/after-the-call.md)

    _after: dict[str, Any] | None = None

    def _after_part(self, name: str, make: Callable[[], Any]) -> Any:
        with self._lock:
            if self._after is None:
                self._after = {}
            if name not in self._after:
                self._after[name] = make()
            return self._after[name]

    @property
    def ledger(self) -> Any:
        """The ICP evidence ledger, synced with the KB's stories (idempotent, cheap)."""
        from knowledge.ledger import Ledger

        with self._lock:
            kb = self.kb
            ledger = self._after_part("ledger", lambda: Ledger.open(
                self.settings.data_path, stamp=self.clock.stamp))
            assert self._after is not None
            if self._after.get("ledger_kb") is not kb:  # a (re)loaded KB: re-sync stories
                ledger.sync_stories(kb)
                self._after["ledger_kb"] = kb
            return ledger

    @property
    def reflections(self) -> Any:
        """Start, resume and list post-call reflections (``assistant.reflect.service``)."""
        from assistant.reflect.service import Reflections

        return self._after_part("reflections", lambda: Reflections(self))

    @property
    def reviews(self) -> Any:
        """Manager review of plans (``assistant.reviews.Reviews``)."""
        from assistant.reviews import Reviews

        return self._after_part("reviews", lambda: Reviews(self.records, self.clock))

    def reflect(self, **kwargs: Any) -> Any:
        """``reflections.start(...)``: reflect on a call (pass ``decisions="accept-all"``
        to go through the checkpoint at once); returns a ``ReflectRun``."""
        return self.reflections.start(**kwargs)

    def record_outcome(self, account: str, outcome: str, **facts: Any) -> Any:
        """Record a deal outcome in the ICP ledger (``assistant.reflect.outcomes``)."""
        from assistant.reflect.outcomes import record_outcome

        return record_outcome(self, account, outcome, **facts)

    def icp_explain(self, account: str) -> Any:
        """The account's ICP fit with the ledger's evidence behind each attribute."""
        from assistant.reflect.outcomes import icp_explain

        return icp_explain(self, account)

"""Run, pause, resume and list reflections: what ``Huddle.reflections`` returns.

``Reflections.start(...)`` reads the notes or transcript, runs the reflect graph up to the
human checkpoint and returns the proposal (status ``awaiting_review``). With ``decisions``
it goes straight on. ``Reflections.resume(run_id, decisions)`` answers the checkpoint —
from another process, after the app was closed or crashed — and a run that was killed
while writing is resumed with ``resume(run_id)`` and finishes its writes exactly once.

Decisions are checked here before the graph sees them (unknown ids, bad edits), so a typo
is an error to fix, not a silently rejected item. Touches what the graph touches.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assistant.reflect.models import Decision, ProposedItem, Reflection
from assistant.reflect.store import ReflectionStore, RunNotFound
from assistant.reflect.writes import apply_decisions, parse_decisions
from knowledge.errors import HuddleError

if TYPE_CHECKING:
    from assistant.events import EventHandler
    from assistant.reflect.host import DecisionAnswer, ReflectionHost
    from assistant.reflect.progress import ReflectionProgress, ReflectionTracker

log = logging.getLogger(__name__)

MAX_RESUME_STEPS = 4  # answer the checkpoint, then run on: a run needs at most two


def new_run_id(account: str, date: dt.date) -> str:
    return f"r-{date.strftime('%Y%m%d')}-{account}-{secrets.token_hex(3)}"


@dataclass
class ReflectRun:
    """Where one reflection stands, for the CLI, the TUI and tests."""

    run_id: str
    status: str  # running | awaiting_review | writing | applied | rejected
    account: str
    reflection: Reflection | None
    items: list[ProposedItem] = field(default_factory=list)  # pending, when awaiting review
    decisions: dict[str, Any] | None = None
    writes: dict[str, str] = field(default_factory=dict)

    @property
    def awaiting_review(self) -> bool:
        return self.status == "awaiting_review"


class _LazyGateway:
    """The gateway, opened only if a node calls the model (a resume never does)."""

    def __init__(self, huddle: ReflectionHost) -> None:
        self._huddle = huddle

    def __getattr__(self, name: str) -> Any:
        return getattr(self._huddle.gateway, name)


class Reflections:
    def __init__(self, huddle: ReflectionHost) -> None:
        self.huddle = huddle
        self.store = ReflectionStore(huddle.settings.data_path, stamp=huddle.clock.stamp,
                                     database_url=huddle.settings.database)

    # ---- running ---------------------------------------------------------------------

    def start(
        self, *, notes: str | Path | None = None, text: str | None = None, fmt: str = "txt",
        plan_id: str | None = None, account: str | None = None, kind: str | None = None,
        date: dt.date | str | None = None, sellers: list[str] | str | None = None,
        author: str | None = None, decisions: DecisionAnswer = None,
        on_event: EventHandler | None = None, outcome: str | None = None,
        on_progress: Callable[[ReflectionProgress], None] | None = None,
    ) -> ReflectRun:
        """Reflect on a call: from a saved plan (``plan_id``) or an account and meeting.

        ``outcome`` (won / lost / no-decision): the rep says this call closed the deal; the
        reflection then proposes ICP evidence from the outcome and the deal's figures.

        ``on_progress`` (called in the caller's thread) hears the reflection as it fills in
        (``assistant.reflect.progress``): what code reads off the call before the first model
        call, then each model answer, then the proposal (``final``). The proposal is the same
        with or without it; a run stopped before the proposal proposes and writes nothing
        (it can be finished with ``resume(run_id)``)."""
        if outcome is not None and outcome not in ("won", "lost", "no-decision"):
            raise HuddleError(f"outcome is won, lost or no-decision; got {outcome!r}",
                              title="Reflection")
        from assistant.transcripts import parse_transcript, read_transcript

        h = self.huddle
        kb = h.kb
        plan = h.records.get_plan(plan_id) if plan_id else None
        meeting: dict[str, Any]
        if plan is not None:
            account = plan.meeting.account
            meeting = {"kind": plan.meeting.kind, "date": plan.meeting.date.isoformat(),
                       "sellers": list(plan.meeting.sellers)}
        else:
            if not account or not kind or not date:
                raise HuddleError("Pick the plan you prepared, or name the account, the "
                                  "meeting kind and its date (on the command line: --plan, or "
                                  "--account, --kind and --date)", title="Reflection")
            m = h.meeting(account=account, kind=kind, date=date,
                          sellers=sellers or [kb.team.people[0].name])
            meeting = {"kind": m.kind, "date": m.date.isoformat(),
                       "sellers": list(m.sellers) if sellers else []}
        assert account is not None
        author = self._author(author, plan, meeting)
        known = [p.name for p in kb.team.people]
        if plan is not None:
            known += [b.name for b in plan.meeting.buyers]
        if notes is not None:
            transcript = read_transcript(notes, known_speakers=known)
        elif text is not None:
            transcript = parse_transcript(text, fmt=fmt, source="pasted text",
                                          known_speakers=known)
        else:
            raise HuddleError("give the post-call notes or the transcript (--notes FILE)",
                              title="Reflection")
        run_id = new_run_id(account, dt.date.fromisoformat(meeting["date"]))
        self.store.create(run_id=run_id, account=account, plan_id=plan.id if plan else None,
                          meeting_date=meeting["date"], author=author,
                          source=transcript.source)
        payload = {
            "run_id": run_id, "account": account, "author": author, "meeting": meeting,
            "plan": plan.model_dump(mode="json") if plan else None,
            "transcript": transcript.as_dict(), "outcome": outcome,
        }
        tracker = None
        if on_progress is not None:
            from assistant.reflect.progress import ReflectionTracker

            tracker = ReflectionTracker(on_progress, icp=kb.icp, model=h.settings.llm.model)
            tracker.start(payload)
        self._invoke(run_id, payload, on_event, tracker=tracker)
        if tracker is not None:
            run = self.get(run_id)
            if run.awaiting_review and run.reflection is not None:
                tracker.finish(run.reflection)
        if decisions is not None:
            return self.resume(run_id, decisions, on_event=on_event)
        return self.get(run_id)

    def resume(self, run_id: str, decisions: DecisionAnswer = None, *,
               on_event: EventHandler | None = None) -> ReflectRun:
        """Answer the checkpoint, or finish a run that stopped half-way. Idempotent.

        A run killed between recording the rep's decisions (status ``writing``) and saving
        the workflow's checkpoint still shows the question in ``checkpoints.sqlite``: it is
        answered with the decisions already recorded, so the writes always finish. A run
        that can go no further says what to do instead of returning unchanged.
        """
        from langgraph.types import Command

        row = self.store.get(run_id)
        run_id = row["run_id"]
        for _ in range(MAX_RESUME_STEPS):
            snapshot = self._snapshot(run_id)
            if snapshot is None or not snapshot.values:
                raise HuddleError(f"the workflow state of {run_id} is missing from "
                                  "checkpoints.sqlite; start the reflection again",
                                  title="Reflection")
            if not snapshot.next:
                break  # finished: nothing to do, nothing written again
            if snapshot.interrupts:
                answer = decisions
                if row["status"] == "writing" and row["decisions"]:
                    if decisions is not None and decisions != row["decisions"]:
                        log.info("reflection %s: using the decisions recorded before the "
                                 "crash", run_id)
                    answer = row["decisions"]  # decided before the crash: finish those
                if answer is None:
                    break  # still waiting for a person
                reflection = Reflection.model_validate(snapshot.values["reflection"])
                parsed = parse_decisions(answer, reflection.proposals())
                apply_decisions(reflection, parsed, self.huddle.kb)  # bad edits fail here
                answer = {k: v.model_dump(mode="json", exclude_none=True)
                          for k, v in parsed.items()}
                self._invoke(run_id, Command(resume=answer), on_event)
                decisions = None
            else:
                self._invoke(run_id, None, on_event)
            row = self.store.get(run_id)
        run = self.get(run_id)
        if run.status in ("running", "writing"):
            raise HuddleError(
                f"{run_id} is still {run.status} and its workflow has nothing left to run "
                f"(checkpoints.sqlite and huddle.db disagree). Run `huddle doctor`; to start "
                "over, run the reflection again with the same notes", title="Reflection")
        return run

    # ---- reading ---------------------------------------------------------------------

    def get(self, run_id: str) -> ReflectRun:
        row = self.store.get(run_id)
        body = row["body"]
        reflection = Reflection.model_validate(body) if body else None
        items: list[ProposedItem] = []
        if row["status"] == "awaiting_review" and reflection is not None:
            items = reflection.proposals()
        return ReflectRun(run_id=row["run_id"], status=row["status"], account=row["account"],
                          reflection=reflection, items=items, decisions=row["decisions"],
                          writes=row["writes"])

    def list(self, account: str | None = None, status: str | None = None,
             limit: int = 50) -> builtins.list[dict[str, Any]]:
        return self.store.list(account=account, status=status, limit=limit)

    def confirmed_figures(self, account: str) -> tuple[str, dict[str, Any]] | None:
        """The deal figures the rep confirmed in the account's latest applied reflection
        that has any: ``(run_id, {name: value})``, for ``huddle outcome``."""
        for row in self.store.list(account=account, status="applied", limit=20):
            full = self.store.get(row["run_id"])
            if not full["body"] or not full["decisions"]:
                continue
            reflection = Reflection.model_validate(full["body"])
            if not reflection.figures:
                continue
            decisions = {k: Decision.model_validate(v) for k, v in full["decisions"].items()}
            figures = apply_decisions(reflection, decisions, self.huddle.kb).figure_values()
            if figures:
                return row["run_id"], figures
        return None

    def pending(self) -> builtins.list[dict[str, Any]]:
        return self.store.list(status="awaiting_review")

    # ---- internals -------------------------------------------------------------------

    def _author(self, author: str | None, plan: Any, meeting: dict[str, Any]) -> str:
        team = self.huddle.kb.team
        if author:
            person = team.find(author)
            if person is None:
                raise HuddleError(f"{author!r} is not in team.yaml; people: "
                                  + ", ".join(p.name for p in team.people), title="Author")
            return person.name
        if plan is not None:
            lead = next((r.name for r in plan.roles if r.role == "lead"), None)
            return lead or plan.meeting.sellers[0]
        if meeting.get("sellers"):
            return str(meeting["sellers"][0])
        raise HuddleError("name the rep who ran the call (--author NAME)", title="Author")

    def _context(self, on_event: EventHandler | None) -> Any:
        from assistant.reflect.graph import ReflectContext

        h = self.huddle

        def reingest() -> None:
            h.reload_kb()
            h.ensure_ingested()

        return ReflectContext(kb=h.kb, gateway=_LazyGateway(h), store=self.store,
                              ledger=h.ledger, reingest=reingest, on_event=on_event,
                              clock=h.clock,
                              model_calls=h.settings.reflect.asks(h.settings.llm))

    def _config(self, run_id: str) -> Any:
        return {"configurable": {"thread_id": f"reflect:{run_id}"}}

    def _invoke(self, run_id: str, payload: Any, on_event: EventHandler | None, *,
                tracker: ReflectionTracker | None = None) -> None:
        from assistant.reflect.graph import build_reflect_graph

        context = self._context(on_event)
        saver = self.huddle.checkpointer()
        try:
            graph = build_reflect_graph().compile(checkpointer=saver)
            if tracker is None:
                graph.invoke(payload, config=self._config(run_id), context=context,
                             durability="sync")
            else:  # the same run, its updates followed (assistant.reflect.progress)
                for update in graph.stream(payload, config=self._config(run_id),
                                           context=context, durability="sync",
                                           stream_mode="updates"):
                    tracker.feed(update)
        finally:
            saver.conn.close()

    def _snapshot(self, run_id: str) -> Any:
        from assistant.reflect.graph import build_reflect_graph

        saver = self.huddle.checkpointer()
        try:
            graph = build_reflect_graph().compile(checkpointer=saver)
            return graph.get_state(self._config(run_id))
        finally:
            saver.conn.close()


__all__ = ["ReflectRun", "Reflections", "RunNotFound", "new_run_id"]

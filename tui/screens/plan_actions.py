"""What a screen showing one plan can do with it: change roles, send it to review, export it.

``PlanActions`` is the base of the Prep screen: it keeps the plan shown (``plan``) and the
stored meeting it was prepared for (``meeting_id``); the subclass shows a plan
(``show_plan``) and its state line (``_show_meeting_state``). The work happens in the
service (``Huddle.revise_roles``, ``Huddle.reviews``, ``Huddle.export_plan``), in workers.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work

from tui.messages import HuddleExported, PlanRevised, PlanSubmitted
from tui.screens.base import HuddleScreen


class PlanActions(HuddleScreen):
    """Roles, review and export of the plan on screen."""

    plan: Any = None
    meeting_id: str | None = None

    def show_plan(self, plan: Any) -> None:
        raise NotImplementedError

    def _show_meeting_state(self) -> None:
        raise NotImplementedError

    def action_roles(self) -> None:
        if self.plan is None:
            return
        from tui.screens.roles import RolesModal

        plan = self.plan

        def chosen(roles: dict[str, str] | None) -> None:
            if roles:
                self.revise_roles(plan.id, roles)

        self.app.push_screen(RolesModal(plan), chosen)

    @work(thread=True, exclusive=True, group="roles", exit_on_error=False,
          description="Changing roles")
    def revise_roles(self, plan_id: str, roles: dict[str, str]) -> None:
        plan = self.services.huddle.revise_roles(plan_id, roles)
        if self.meeting_id:
            self.services.meetings.set_plan(self.meeting_id, plan.id)
        self.post_message(PlanRevised(plan, roles))

    @on(PlanRevised)
    def _revised(self, event: PlanRevised) -> None:
        self.show_plan(event.plan)
        changes = ", ".join(f"{n} → {r}" for n, r in event.changed.items())
        self.notify(f"v{event.plan.version}: {changes}. Roles, agenda and checklist were "
                    "redone; nothing else changed.", title="Roles changed", markup=False)

    def action_submit(self) -> None:
        if self.plan is not None:
            self.submit(self.plan.id)

    @work(thread=True, exclusive=True, group="submit", exit_on_error=False,
          description="Sending the plan to review")
    def submit(self, plan_id: str) -> None:
        self.services.huddle.reviews.submit(plan_id)
        self.post_message(PlanSubmitted(plan_id))

    @on(PlanSubmitted)
    def _submitted_for_review(self, event: PlanSubmitted) -> None:
        if self.plan is not None and self.plan.id == event.plan_id:
            self.plan = self.plan.model_copy(update={"status": "in_review"})
            self._show_meeting_state()
        self.notify("The plan is in the review queue.", title="Sent to review")

    def action_export(self) -> None:
        if self.plan is None:
            return
        from tui.screens.modals import AskModal

        plan = self.plan

        def chosen(folder: str | None) -> None:
            if folder:
                self.export(plan.id, folder)

        self.app.push_screen(AskModal(
            "Export", "Folder for the plan (.md) and, for a stored meeting, the huddle block "
            "(.ics) and agenda (.md):", value=str(Path.cwd() / "huddle-exports")), chosen)

    @work(thread=True, exclusive=True, group="export", exit_on_error=False,
          description="Exporting the plan")
    def export(self, plan_id: str, folder: str) -> None:
        paths = self.services.huddle.export_plan(plan_id, folder)
        self.post_message(HuddleExported([str(p) for p in paths]))

    @on(HuddleExported)
    def _exported(self, event: HuddleExported) -> None:
        self.notify("Wrote " + ", ".join(event.paths), title="Exported", markup=False,
                    timeout=8)

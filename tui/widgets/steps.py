"""Progress of one workflow run (prep, reflect): a line per step with its state and time.

The embedded model runs in-process without streaming, so instead of streamed tokens the
widget shows which step runs and for how long (ticking twice a second), and the total.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.content import Content
from textual.widgets import Static

STEPS: list[tuple[str, str]] = [
    ("gather", "Reading the account, team and process"),
    ("retrieve", "Retrieving notes and stories"),
    ("assign_roles", "Assigning roles to the sellers"),
    ("read_notes", "Reading the notes (code)"),
    ("ask_criteria", "Asking the model about exit criteria"),
    ("draft", "Drafting with the model"),
    ("validate", "Validating citations and schema"),
    ("assemble", "Assembling the plan"),
    ("save", "Saving"),
]
REFLECT_STEPS: list[tuple[str, str]] = [
    ("gather", "Reading the plan, account and transcript"),
    ("extract", "Finding what was said (code)"),
    ("facts", "Asking the model for facts"),
    ("assess", "Asking the model how the call went"),
    ("criteria", "Asking the model about each exit criterion"),
    ("validate", "Checking every quote against the transcript"),
    ("propose", "Preparing the items for you to confirm"),
    ("write_note", "Writing the reflection note"),
    ("write_account", "Updating account.yaml"),
    ("write_ledger", "Adding ICP evidence to the ledger"),
    ("reingest", "Re-indexing the knowledge base"),
    ("finish", "Finishing"),
]
REFLECT_MODEL_STEPS: dict[str, str] = {"facts": "facts", "assessment": "assess",
                                       "criteria": "criteria"}
"""A reflection's model calls (``assistant.config.REFLECT_CALLS``) -> the step that makes it."""


def _fit(text: str, width: int) -> str:
    width = max(width, 12)
    return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"


class PrepSteps(Static):
    """Step list with states: pending, running (elapsed), done (seconds), skipped, cancelled,
    failed."""

    DEFAULT_CSS = """
    PrepSteps { padding: 1 2; height: auto; }
    """

    def __init__(self, clock: Callable[[], float], steps: list[tuple[str, str]] | None = None,
                 **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.clock = clock
        self.steps = steps or STEPS
        self.label_width = max(len(label) for _, label in self.steps) + 5
        self.reset("")

    def reset(self, title: str, model: str = "") -> None:
        self.title = title
        self.model = model
        self.state: dict[str, str] = {}
        self.why: dict[str, str] = {}
        """Skipped step -> why, said once under the list (``skip(..., why=...)``)."""
        self.seconds: dict[str, float] = {}
        self.passes: dict[str, int] = {}
        self.started_at: float | None = None
        self.step_started: float | None = None
        self.current: str | None = None
        self.outcome = ""

    def start(self, title: str, model: str) -> None:
        self.reset(title, model)
        self.started_at = self.clock()
        self.outcome = "running"
        self.refresh_view()

    def begin_step(self, node: str) -> None:
        self.passes[node] = self.passes.get(node, 0) + 1
        self.step_started = self.clock()
        if self.state.get(node) == "skipped":  # runs code only (the model is not asked)
            self.current = None
            self.refresh_view()
            return
        self.current = node
        self.state[node] = "running"
        self.refresh_view()

    def skip(self, *nodes: str, why: str = "") -> None:
        """Steps the model will not be asked in this run, by setting (the draft when the
        plan's headlines are code's; a reflection's model calls with the bundled model):
        shown as such from the start, never as pending, and still so after the node ran
        code alone. ``why`` is said once under the list."""
        for node in nodes:
            self.state[node] = "skipped"
            if why:
                self.why[node] = why
        self.refresh_view()

    def end_step(self, node: str, seconds: float) -> None:
        if self.state.get(node) == "skipped":
            self.refresh_view()
            return
        self.state[node] = "done"
        self.seconds[node] = self.seconds.get(node, 0.0) + (
            self.clock() - self.step_started if self.step_started is not None else seconds)
        self.current = None
        self.refresh_view()

    def finish(self, outcome: str) -> None:
        """``done`` | ``cancelled`` | ``failed``."""
        if self.current:
            self.state[self.current] = outcome
        self.outcome = outcome
        self.current = None
        self.refresh_view()

    def elapsed(self) -> float:
        return 0.0 if self.started_at is None else self.clock() - self.started_at

    def refresh_view(self) -> None:
        self.update(self.render_steps())

    def on_resize(self) -> None:
        self.refresh_view()

    def render_steps(self) -> Content:
        lines: list[Content] = []
        if self.title:
            lines.append(Content.styled(self.title, "bold"))
        if self.model:  # two lines: a wrapped "·" at a line's start read as a nameless step
            lines.append(Content.styled(f"model {self.model}", "dim"))
            lines.append(Content.styled("no token streaming: each step shows its time", "dim"))
        lines.append(Content(""))
        room = self.content_size.width
        pad = min(self.label_width, room - 13) if room else self.label_width
        for node, label in self.steps:
            state = self.state.get(node, "pending")
            passes = self.passes.get(node, 0)
            again = f" (×{passes})" if passes > 1 else ""
            if state == "done":
                icon, style = "✓", "$success"
                tail = f"{self.seconds.get(node, 0.0):5.1f}s"
            elif state == "running":
                icon, style = "▶", "bold $warning"
                since = self.clock() - (self.step_started or self.clock())
                tail = f"{since:5.1f}s…"
            elif state == "skipped":
                icon, style, tail = "–", "dim", "not asked"
            elif state == "cancelled":
                icon, style, tail = "■", "$error", "cancelled"
            elif state == "failed":
                icon, style, tail = "✗", "$error", "failed"
            else:
                icon, style, tail = "·", "dim", ""
            lines.append(Content.assemble(
                Content.styled(f" {icon} ", style),
                Content.styled(_fit(f"{label}{again}", pad), style),
                Content.styled(tail.rjust(9), "dim" if state != "running" else style)))
        for why in dict.fromkeys(self.why[n] for n, _ in self.steps if n in self.why):
            lines.append(Content.styled(f" –  {why}", "dim"))
        lines.append(Content(""))
        total = f"{self.elapsed():.1f}s"
        if self.outcome == "running":
            lines.append(Content.styled(f"elapsed {total} · Escape cancels", "dim"))
        elif self.outcome == "done":
            lines.append(Content.styled(f"done in {total}", "$success"))
        elif self.outcome == "cancelled":
            lines.append(Content.styled(
                f"cancelled after {total}: a model call already running finishes in the "
                "background; nothing was saved", "$error"))
        elif self.outcome == "failed":
            lines.append(Content.styled(f"failed after {total}; your form is unchanged",
                                        "$error"))
        return Content("\n").join(lines)

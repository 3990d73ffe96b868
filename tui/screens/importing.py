"""The import dialog of the Knowledge screen: pick what to import, preview it, then write it.

The same call as ``huddle import``: ``Huddle.import_notes(kind, source, mapping=...,
dry_run=..., on_progress=...)`` in a thread worker, so the screen stays responsive while the
source is read and the files are written. The preview (a dry run: counts, files to write,
what is skipped and why) comes first; Import writes only after a preview of the same kind,
source and mapping, and plans again (a file edited since is refused, nothing written). A bad
path, a malformed export or a mapping the KB does not match is shown in the dialog in red:
nothing is written. The dialog closes with the ``ImportReport`` of the import that wrote, or
None.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, ProgressBar, Select, Static

from tui.messages import (
    ImportFailed,
    ImportFinished,
    ImportPreviewed,
    ImportProgressed,
    WorkFailed,
)
from tui.screens.base import WorkerFailures
from tui.widgets.source import plain

KINDS = [("Salesforce export (folder of CSVs)", "salesforce"),
         ("HubSpot export (folder of CSVs)", "hubspot"),
         ("E-mail (folder of .eml, or .mbox)", "email"),
         ("Meeting transcripts (.vtt, .txt)", "transcripts")]
UNITS = {"planning": "records", "writing": "files"}


def progress_text(done: int, total: int, label: str) -> str:
    """``planning: 3 of 13 records`` (or the label itself while the total is not known)."""
    phase = label.split(" ", 1)[0]
    if not total:
        return plain(label)
    text = f"{phase}: {done} of {total} {UNITS.get(phase, 'items')}"
    if phase == "writing" and done >= total:
        text += " · checking the knowledge base (kb check)…"
    return text


class ImportModal(WorkerFailures, ModalScreen[Any]):
    """Kind, source and mapping; Preview (dry run), then Import, with a progress bar."""

    BINDINGS: ClassVar[list[Any]] = [
        Binding("ctrl+r", "preview", "Preview", id="import.preview",
                tooltip="Dry run: what would be written, what is skipped and why"),
        Binding("ctrl+s", "write", "Import", id="import.write",
                tooltip="Write the previewed files into the knowledge base"),
        Binding("escape", "close", "Close", id="import.close",
                tooltip="Close the dialog (not while an import is running)"),
    ]

    def __init__(self, kind: str = "salesforce", source: str = "", mapping: str = "") -> None:
        super().__init__(classes="modal")
        self.defaults = (kind, source, mapping)
        self.running: str | None = None
        """``preview`` or ``write`` while the worker runs."""
        self.previewed: tuple[str, str, str | None] | None = None
        """The form the last preview with files to write was made of (Import writes it)."""
        self.last_form: tuple[str, str, str | None] | None = None
        """The form of the last preview or import started (the next dialog starts from it)."""

    def compose(self) -> ComposeResult:
        kind, source, mapping = self.defaults
        with Vertical(classes="dialog import-dialog") as box:
            box.border_title = "Import notes"
            with Horizontal(classes="imp-row"):
                yield Label("Kind", classes="imp-label")
                yield Select(KINDS, value=kind, allow_blank=False, id="imp-kind", compact=True)
            with Horizontal(classes="imp-row"):
                yield Label("Source", classes="imp-label")
                yield Input(source, placeholder="export folder, e-mail folder or .mbox, "
                            "transcripts folder", id="imp-source", compact=True)
            with Horizontal(classes="imp-row"):
                yield Label("Mapping", classes="imp-label")
                yield Input(mapping, placeholder="mapping .yaml (required for Salesforce and "
                            "HubSpot)", id="imp-mapping", compact=True)
            with VerticalScroll(id="imp-preview-box"):
                yield Static("Preview first (ctrl+r): it shows what would be written and what "
                             "is skipped and why, and writes nothing.", id="imp-preview",
                             markup=False)
            with Horizontal(id="imp-progress"):
                yield ProgressBar(id="imp-bar", show_eta=False)
                yield Static("", id="imp-state", markup=False)
            yield Static("", id="imp-status", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Preview ^r", variant="primary", id="imp-preview-button",
                             compact=True)
                yield Button("Import ^s", variant="warning", id="imp-write", compact=True,
                             disabled=True)
                yield Button("Close", id="imp-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#imp-source", Input).focus()

    # ---- the form --------------------------------------------------------------------------

    def form(self) -> tuple[str, str, str | None]:
        kind = str(self.query_one("#imp-kind", Select).value)
        source = self.query_one("#imp-source", Input).value.strip()
        mapping = self.query_one("#imp-mapping", Input).value.strip() or None
        return kind, source, mapping

    @on(Input.Changed)
    @on(Select.Changed)
    def _form_changed(self) -> None:
        if self.running is None and self.previewed is not None and self.previewed != self.form():
            self.previewed = None
            self._buttons()
            self._status("The form changed: preview again before importing.")

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_preview()

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#imp-status", Static)
        status.update(text)
        status.set_class(error, "-error")

    def _buttons(self) -> None:
        self.query_one("#imp-preview-button", Button).disabled = self.running is not None
        self.query_one("#imp-write", Button).disabled = (
            self.running is not None or self.previewed is None)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "write":
            return self.running is None and self.previewed is not None
        if action == "preview":
            return self.running is None
        return True

    # ---- running ---------------------------------------------------------------------------

    def action_preview(self) -> None:
        self._start(dry_run=True)

    def action_write(self) -> None:
        if self.previewed is None or self.previewed != self.form():
            self._status("Preview first: Import writes what the preview showed.", error=True)
            return
        self._start(dry_run=False)

    def _start(self, *, dry_run: bool) -> None:
        if self.running is not None:
            return
        kind, source, mapping = self.form()
        if not source:
            self._status("Type the path of the export folder, e-mail folder or .mbox, or "
                         "transcripts folder.", error=True)
            self.query_one("#imp-source", Input).focus()
            return
        self.running = "preview" if dry_run else "write"
        self.last_form = (kind, source, mapping)
        self._buttons()
        self.query_one("#imp-bar", ProgressBar).update(total=None, progress=0)
        self.add_class("-running", "-started")
        self._status("Previewing (dry run: nothing is written)…" if dry_run
                     else "Importing: planning again (the files may have changed), then "
                     "writing…")
        self.import_notes(kind, str(Path(source).expanduser()),
                          str(Path(mapping).expanduser()) if mapping else None, dry_run)

    @work(thread=True, exclusive=True, group="import", exit_on_error=False,
          description="Importing notes")
    def import_notes(self, kind: str, source: str, mapping: str | None, dry_run: bool) -> None:
        from assistant.errors import HuddleError

        def progress(done: int, total: int, label: str) -> None:
            self.post_message(ImportProgressed(done, total, label))

        huddle = self.app.services.huddle  # type: ignore[attr-defined]
        try:
            report = huddle.import_notes(kind, source, mapping=mapping, dry_run=dry_run,
                                         on_progress=progress)
        except HuddleError as exc:
            self.post_message(ImportFailed(exc.title, exc.message))
            return
        except (OSError, UnicodeError) as exc:  # a folder where a file was expected, ...
            self.post_message(ImportFailed("Import", f"{source}: {exc}"))
            return
        self.post_message(ImportPreviewed(report) if dry_run else ImportFinished(report))

    @on(ImportProgressed)
    def _progress(self, event: ImportProgressed) -> None:
        bar = self.query_one("#imp-bar", ProgressBar)
        if event.total:
            bar.update(total=event.total, progress=event.done)
        else:
            bar.update(total=None)
        self.query_one("#imp-state", Static).update(
            progress_text(event.done, event.total, event.label))

    @on(ImportPreviewed)
    def _previewed(self, event: ImportPreviewed) -> None:
        report = event.report
        self.running = None
        self.remove_class("-running")
        self.query_one("#imp-preview", Static).update(
            "\n".join(plain(line) for line in report.lines()))
        self.query_one("#imp-preview-box", VerticalScroll).scroll_home(animate=False)
        writes = len(report.plan.writes)
        skipped = len(report.plan.skipped)
        self.previewed = self.form() if writes else None
        self._buttons()
        if writes:
            self._status(f"Preview: {writes} file(s) to write, {skipped} skipped (why: above). "
                         "Import (ctrl+s) writes them.")
        else:
            self._status(f"Nothing to write ({skipped} skipped): the KB already holds this "
                         "import, or every record was skipped (why: above).")

    @on(ImportFinished)
    def _finished(self, event: ImportFinished) -> None:
        self.running = None
        self.dismiss(event.report)

    @on(ImportFailed)
    def _failed(self, event: ImportFailed) -> None:
        self.running = None
        self.previewed = None
        self.remove_class("-running", "-started")
        self._buttons()
        self.query_one("#imp-state", Static).update("")
        self.query_one("#imp-preview", Static).update(f"{event.title}: {event.message}")
        self._status(f"{event.title}: nothing was written. Fix the path or file above and "
                     "preview again.", error=True)
        field = "#imp-mapping" if "mapping" in event.title.casefold() else "#imp-source"
        self.query_one(field, Input).focus()

    @on(WorkFailed)
    def _crashed(self, event: WorkFailed) -> None:
        if event.group == "import":
            self._failed(ImportFailed(event.title, event.message))

    # ---- closing ---------------------------------------------------------------------------

    def action_close(self) -> None:
        if self.running is not None:
            self._status("The import is running; close the dialog when it has finished.")
            return
        self.dismiss(None)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "imp-preview-button":
            self.action_preview()
        elif event.button.id == "imp-write":
            self.action_write()
        elif event.button.id == "imp-close":
            self.action_close()

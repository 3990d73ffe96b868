"""Knowledge: search or list the notes, see where each came from, import, re-index.

Search is the CLI's retrieval (``Retriever.search`` with the same filters as
``huddle search``) through the app's one ``Huddle``; ingest is ``Huddle.ensure_ingested``
after reloading the KB files, so this process stays the store's only writer.

Every row and the open note say where the note came from (``Huddle.note_origin`` /
``note_rows``: hand-written, or the source system, record and file of ``huddle import``).
ctrl+o opens the import dialog (:mod:`tui.screens.importing`: preview, then write, with
progress); after an import the screen lists the imported notes and re-indexes, so they are
searchable at once.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Input, ProgressBar, Select, Static

from tui.messages import (
    IngestFinished,
    KbLoaded,
    NotesListed,
    SearchFinished,
    StoreProgressed,
    WorkFailed,
)
from tui.screens.base import HuddleScreen
from tui.widgets.accounts import fill_account_select
from tui.widgets.format import text_cell
from tui.widgets.source import SourceView

HINT = "Type a query and press enter · ctrl+l lists the notes · ctrl+o imports notes."
KINDS = [("notes and stories", ""), ("notes", "note"), ("stories", "story"), ("calls", "call"),
         ("e-mails", "email"), ("meetings", "meeting"), ("research", "research")]


def search_kb(retriever: Any, query: str, *, account: str | None, kind: str | None,
              k: int = 12) -> list[Any]:
    """``huddle search``'s filters (``assistant.kb.search``) over an open retriever."""
    doc_type = kind if kind in ("note", "story") else None
    kinds = [kind] if kind and kind not in ("note", "story") else None
    if kinds:
        doc_type = "note"
    return list(retriever.search(query, k=k, account=account, doc_type=doc_type, kinds=kinds))


class KnowledgeScreen(HuddleScreen):
    """Search results beside the note they point to."""

    MODE = "knowledge"
    HELP = "Search notes and stories like `huddle search`, read them, re-index after edits."
    BINDINGS: ClassVar[list[Any]] = [
        Binding("slash", "focus_search", "Search", id="kb.search",
                tooltip="Jump to the search box (enter runs the search)"),
        Binding("ctrl+l", "list_notes", "Notes", id="kb.list",
                tooltip="List the notes and stories (of the chosen account) and where each "
                        "came from"),
        Binding("ctrl+o", "import_notes", "Import", id="kb.import",
                tooltip="Import notes from a CRM export, e-mail or transcripts: preview, then "
                        "write, then re-index"),
        Binding("ctrl+r", "ingest", "Re-index", id="kb.ingest",
                tooltip="Reload the KB files and index what changed (progress bar below)"),
        Binding("escape", "close", "Close", id="kb.close", show=False,
                tooltip="Close the note, or leave the search box"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.hits: list[Any] = []
        self.rows: list[Any] = []
        """The listed notes (``assistant.views.NoteRow``), when the table lists, not searches."""
        self.ingesting = False
        self.relist: tuple[str, list[str]] | None = None
        """(title, ids) of the imported notes, listed again once the re-index finished."""
        self.reindex = False
        """An import wrote files while an index run was going: index again when it ends."""
        self.import_form = ("salesforce", "", "")

    def compose(self) -> ComposeResult:
        yield from self.compose_nav()
        with Horizontal(id="kb-filters"):
            yield Input(placeholder="search notes and stories, e.g. budget for the pilot",
                        id="kb-query", compact=True)
            yield Select([], prompt="all accounts", id="kb-account", compact=True)
            yield Select(KINDS, value="", allow_blank=False, id="kb-kind", compact=True)
        with Horizontal(id="kb-body"):
            with Vertical(id="kb-results-box", classes="box") as box:
                box.border_title = "Results"
                yield DataTable(id="kb-results", cursor_type="row", zebra_stripes=True)
            yield SourceView(id="kb-source")
        with Horizontal(id="kb-ingest"):
            yield ProgressBar(id="kb-bar", show_eta=False)
            yield Static("", id="kb-ingest-state")
        yield Static(HINT, id="kb-status")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.query_one("#kb-results", DataTable).add_columns("#", "From", "Id", "Type",
                                                             "Account", "Date", "Score")
        self.watch(self.app, "kb", self._kb_changed)
        self.watch(self.app, "store_state", self._store_changed)
        self.query_one("#kb-query", Input).focus()

    def _kb_changed(self, kb: Any) -> None:
        if kb is None:
            return
        fill_account_select(self.query_one("#kb-account", Select), kb)

    def _store_changed(self, state: str) -> None:
        if state.startswith("indexing") and not self.ingesting:
            self.query_one("#kb-status", Static).update(
                f"The store is being brought up to date ({state}); search waits for it.")
        elif state == "ready" and not self.ingesting:
            self.query_one("#kb-status", Static).update(HINT)

    # ---- search ----------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#kb-query", Input).focus()

    @on(Input.Submitted, "#kb-query")
    def _submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if not query:
            return
        account = self.query_one("#kb-account", Select).value
        kind = self.query_one("#kb-kind", Select).value
        self.query_one("#kb-results", DataTable).loading = True
        self.query_one("#kb-status", Static).update(f"Searching for {query!r}…")
        self.search(query, None if account == Select.NULL else str(account),
                    str(kind) if kind not in (Select.NULL, "") else None)

    @work(thread=True, exclusive=True, group="search", exit_on_error=False,
          description="Searching the knowledge base")
    def search(self, query: str, account: str | None, kind: str | None) -> None:
        huddle = self.services.huddle
        hits = search_kb(huddle.retriever, query, account=account, kind=kind)
        origins = {hit.id: huddle.note_origin(hit.id) for hit in hits}
        self.post_message(SearchFinished(query, hits, origins))

    @on(SearchFinished)
    def _results(self, event: SearchFinished) -> None:
        self.hits = event.hits
        self.rows = []
        table = self.query_one("#kb-results", DataTable)
        table.loading = False
        table.clear()
        for i, hit in enumerate(event.hits, start=1):
            label = hit.outcome or hit.kind
            table.add_row(str(i), _from(event.origins.get(hit.id)), text_cell(hit.id),
                          text_cell(f"{hit.doc_type}/{label}"), text_cell(hit.account or "—"),
                          hit.date.isoformat() if hit.date else "—", f"{hit.score:.4f}",
                          key=hit.id)
        self.query_one("#kb-results-box").border_title = f"Results ({len(event.hits)})"
        self.query_one("#kb-status", Static).update(
            f"{len(event.hits)} result(s) for {event.query!r} · enter opens the note"
            if event.hits else f"No matches for {event.query!r}.")
        if event.hits:
            table.focus()
            self._show(event.hits[0].id)

    @on(DataTable.RowHighlighted, "#kb-results")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value:
            self._show(str(event.row_key.value))

    @on(DataTable.RowSelected, "#kb-results")
    def _selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._show(str(event.row_key.value))
            self.query_one("#source-scroll").focus()

    def _show(self, doc_id: str) -> None:
        self.query_one(SourceView).show(self.huddle_app.kb, doc_id)
        self.add_class("-source-open")

    def action_close(self) -> None:
        if self.focused is not None and self.focused.id == "kb-query":
            self.set_focus(None)
        elif self.has_class("-source-open") and self.app.size.width < 110:
            self.remove_class("-source-open")
            self.query_one("#kb-results").focus()
        else:
            self.set_focus(None)

    # ---- list, import ----------------------------------------------------------------------

    def action_list_notes(self) -> None:
        account = self.query_one("#kb-account", Select).value
        slug = None if account == Select.NULL else str(account)
        self.query_one("#kb-status", Static).update("Listing the notes…")
        self.list_notes(f"Notes of {slug}" if slug else "All notes", account=slug)

    @work(thread=True, exclusive=True, group="notes", exit_on_error=False,
          description="Listing the notes")
    def list_notes(self, title: str, *, account: str | None = None,
                   ids: list[str] | None = None) -> None:
        huddle = self.services.huddle
        rows = huddle.note_rows(account=account, ids=ids)
        self.post_message(NotesListed(title, rows, huddle.kb))

    @on(NotesListed)
    def _listed(self, event: NotesListed) -> None:
        if event.kb is not None and event.kb is not self.huddle_app.kb:
            self.huddle_app.kb = event.kb  # files an import just wrote: the note pane shows them
        self.rows = event.rows
        self.hits = []
        table = self.query_one("#kb-results", DataTable)
        table.clear()
        for i, row in enumerate(event.rows, start=1):
            table.add_row(str(i), _from(row.origin), text_cell(row.doc_id),
                          text_cell(f"{row.doc_type}/{row.label}"), text_cell(row.account or "—"),
                          row.date.isoformat() if row.date else "—", "—", key=row.doc_id)
        self.query_one("#kb-results-box").border_title = f"{event.title} ({len(event.rows)})"
        imported = sum(1 for r in event.rows if r.origin.imported)
        self.query_one("#kb-status", Static).update(
            f"{len(event.rows)} listed: {imported} imported, "
            f"{len(event.rows) - imported} hand-written · enter opens the note")
        if event.rows:
            table.focus()
            self._show(event.rows[0].doc_id)

    def action_import_notes(self) -> None:
        from tui.screens.importing import ImportModal

        modal = ImportModal(*self.import_form)

        def done(report: Any) -> None:
            if modal.last_form is not None:  # the next import starts from this one's form
                kind, source, mapping = modal.last_form
                self.import_form = (kind, source, mapping or "")
            self._imported(report)

        self.app.push_screen(modal, done)

    def _imported(self, report: Any) -> None:
        """The dialog wrote files: list the imported notes, then re-index them."""
        if report is None:
            return
        plan = report.plan
        ids = [PurePosixPath(c.path).stem for c in plan.changes
               if c.what in ("note", "story") and c.action != "delete"]
        written = len(report.applied.written) if report.applied else 0
        title = f"Imported from {plan.kind}"
        problems = report.applied.problems if report.applied else []
        self.notify(f"{written} file(s) written from {plan.source}"
                    + (f"; kb check: {len(problems)} problem(s)" if problems else ""),
                    title="Import", severity="warning" if problems else "information",
                    markup=False)
        self.list_notes(title, ids=ids)
        if written:
            self.relist = (title, ids)
            if self.ingesting:  # an index run from before the import: index again after it
                self.reindex = True
            else:
                self.action_ingest()

    # ---- ingest ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "ingest":
            return not self.ingesting
        return True

    def action_ingest(self) -> None:
        if self.ingesting:
            return
        self.ingesting = True
        self.add_class("-ingesting")
        self.query_one("#kb-bar", ProgressBar).update(total=None, progress=0)
        self.query_one("#kb-ingest-state", Static).update("reading the knowledge base files…")
        self.refresh_bindings()
        self.ingest()

    @work(thread=True, exclusive=True, group="ingest", exit_on_error=False,
          description="Re-indexing the knowledge base")
    def ingest(self) -> None:
        huddle = self.services.huddle
        kb = huddle.reload_kb()
        self.app.post_message(KbLoaded(kb))

        def progress(phase: str, done: int, total: int) -> None:
            self.post_message(StoreProgressed(phase, done, total))

        report = huddle.ensure_ingested(progress)
        self.post_message(IngestFinished(report.summary()))

    @on(StoreProgressed)
    def _progress(self, event: StoreProgressed) -> None:
        bar = self.query_one("#kb-bar", ProgressBar)
        if event.total:
            bar.update(total=event.total, progress=event.done)
            self.query_one("#kb-ingest-state", Static).update(
                f"{event.phase}: {event.done}/{event.total} chunks")
        else:
            bar.update(total=1, progress=1)
            self.query_one("#kb-ingest-state", Static).update("nothing changed")

    @on(IngestFinished)
    def _ingested(self, event: IngestFinished) -> None:
        self.ingesting = False
        self.refresh_bindings()
        self.query_one("#kb-ingest-state", Static).update(event.summary)
        self.query_one("#kb-status", Static).update(f"Indexed: {event.summary}")
        self.notify(event.summary, title="Knowledge base indexed", markup=False)
        if self.reindex:
            self.reindex = False
            self.action_ingest()
        elif self.relist is not None:
            title, ids = self.relist
            self.relist = None
            self.list_notes(title + ", indexed", ids=ids)

    @on(WorkFailed)
    def _failed(self, event: WorkFailed) -> None:
        if event.group == "ingest":
            self.relist = None
            self.reindex = False
            self.ingesting = False
            self.refresh_bindings()
            self.query_one("#kb-ingest-state", Static).update("failed: " + event.message)
        elif event.group == "search":
            self.query_one("#kb-results", DataTable).loading = False
            self.query_one("#kb-status", Static).update("Search failed: " + event.message)
        elif event.group == "notes":
            self.query_one("#kb-status", Static).update("Listing failed: " + event.message)

    def commands(self) -> list[tuple[str, str, Any]]:
        return [("Search the knowledge base", "Focus the search box", self.action_focus_search),
                ("List notes", "Every note and story of the chosen account, with where it came "
                 "from", self.action_list_notes)]


def _from(origin: Any) -> str:
    """The From column: ``hand`` or the source system of an imported note."""
    return origin.short if origin is not None else "—"

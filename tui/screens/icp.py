"""ICP: the evidence ledger as a table — win rate with its 95% interval per attribute value —
filtered by attribute, with the stories, outcomes and reflections behind each number.

Over ``Huddle.ledger`` (``knowledge.ledger``: synced with the KB's stories, plus recorded
outcomes and confirmed reflection evidence). Below five closed deals a value shows "not
enough evidence": its bar is dimmed, never a finding. ★ marks the values ``icp.yaml`` states
as ideal, so a belief and its evidence sit side by side.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Markdown, Select, Static

from tui.messages import EvidenceOpened, LedgerLoaded
from tui.screens.base import HuddleScreen
from tui.widgets.format import interval_bar, text_cell
from tui.widgets.source import SourceView


def ideal_labels(attr: Any) -> set[str]:
    """The bucket labels icp.yaml states as ideal for an attribute."""
    if attr.kind == "bool":
        return {(attr.bucket_label(v) or "").casefold() for v in attr.ideal}
    return {str(v).strip().casefold() for v in attr.ideal}


def pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


class IcpScreen(HuddleScreen):
    """The ledger table above (or beside) the evidence behind the highlighted number."""

    MODE = "icp"
    HELP = ("Win rates per ICP attribute value with 95% intervals, from stories, recorded "
            "outcomes and confirmed call evidence. Enter on a row lists what is behind it.")
    BINDINGS: ClassVar[list[Any]] = [
        Binding("f", "filter", "Filter", id="icp.filter",
                tooltip="Show one attribute only (or all)"),
        Binding("enter", "drill", "Evidence", id="icp.drill", show=False,
                tooltip="List the stories, outcomes and reflections behind the number"),
        Binding("ctrl+r", "refresh", "Refresh", id="icp.refresh",
                tooltip="Read the ledger again (after a reflection or `huddle outcome`)"),
        Binding("escape", "close", "Close", id="icp.close", show=False,
                tooltip="Close the evidence note"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self.base: Any = None
        self.shown: list[Any] = []
        self._bar = 20

    def compose(self) -> ComposeResult:
        yield from self.compose_nav()
        with Horizontal(id="icp-top"):
            yield Static("Reading the ledger…", id="icp-base")
            yield Select([], prompt="all attributes", id="icp-attribute", compact=True)
        with Vertical(id="icp-body"):
            with Vertical(id="icp-table-box", classes="box") as box:
                box.border_title = "ICP evidence ledger"
                box.border_subtitle = "★ ideal in icp.yaml · dim: fewer than 5 closed deals"
                yield DataTable(id="icp-table", cursor_type="row", zebra_stripes=True)
            with Horizontal(id="icp-drill"):
                with Vertical(id="icp-sources-box", classes="box") as box:
                    box.border_title = "Behind the number"
                    yield DataTable(id="icp-sources", cursor_type="row")
                yield SourceView(id="icp-source")
                with VerticalScroll(id="icp-evidence", classes="box"):
                    yield Markdown(open_links=False, id="icp-evidence-md")
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self._columns()
        sources = self.query_one("#icp-sources", DataTable)
        sources.add_columns("Kind", "Id", "Account")
        sources.add_column("Result", width=10)
        sources.add_column("Date")
        self.watch(self.app, "kb", self._kb_changed)

    def _columns(self) -> None:
        self._bar = 12 if self.app.size.width < 110 else 20
        table = self.query_one("#icp-table", DataTable)
        table.clear(columns=True)
        narrow = self.app.size.width < 110
        table.add_column("Attribute", width=13 if narrow else 22)
        table.add_column("Value", width=10 if narrow else 16)
        table.add_column("", width=1)
        for label in ("W", "L", "ND"):
            table.add_column(label, width=2)
        table.add_column("Win rate, 95% interval", width=self._bar + 15)
        table.add_column("Calls ±", width=7)

    def on_resize(self) -> None:
        bar = 12 if self.app.size.width < 110 else 20
        if bar != getattr(self, "_bar", bar):
            self._columns()
            self._fill()

    def on_screen_resume(self) -> None:
        if self.is_mounted and self.huddle_app.kb is not None:
            self.load()

    def _kb_changed(self, kb: Any) -> None:
        if kb is None:
            return
        select = self.query_one("#icp-attribute", Select)
        current = select.value
        select.set_options([(a.name.replace("_", " "), a.name) for a in kb.icp.attributes])
        if current != Select.NULL and kb.icp.find(str(current)):
            select.value = current
        self.load()

    @work(thread=True, exclusive=True, group="ledger", exit_on_error=False,
          description="Reading the ICP ledger")
    def load(self) -> None:
        huddle = self.services.huddle
        ledger = huddle.ledger
        rows = ledger.table(huddle.kb.icp)
        self.post_message(LedgerLoaded(rows, ledger.base_rate()))

    @on(LedgerLoaded)
    def _loaded(self, event: LedgerLoaded) -> None:
        self.rows, self.base = event.rows, event.base
        b = event.base
        lo_hi = b.interval
        rate = (f"win rate {pct(b.win_rate)} (95% {pct(lo_hi[0])}–{pct(lo_hi[1])})"
                if lo_hi else "no outcomes yet")
        self.query_one("#icp-base", Static).update(Content.assemble(
            Content.styled("All deals: ", "bold"), f"{b.won} won · {b.lost} lost · "
            f"{b.no_decision} no-decision — {rate}"))
        self._fill()

    def _fill(self) -> None:
        kb = self.huddle_app.kb
        attribute = self.query_one("#icp-attribute", Select).value
        rows = [r for r in self.rows
                if attribute == Select.NULL or r.attribute == attribute]
        self.shown = rows
        table = self.query_one("#icp-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        width = self._bar
        for r in rows:
            attr = kb.icp.find(r.attribute) if kb else None
            ideal = attr is not None and r.value.casefold() in ideal_labels(attr)
            lo_hi = r.interval
            dim = "" if r.enough else "dim"
            if r.closed:
                rate = (f" {pct(r.win_rate)} ({pct(lo_hi[0])}–{pct(lo_hi[1])})" if lo_hi
                        else "")
                if not r.enough:
                    rate = f" {pct(r.win_rate)} n={r.closed}<5"
                bar = Content.assemble(
                    interval_bar(r.win_rate, lo_hi[0] if lo_hi else None,
                                 lo_hi[1] if lo_hi else None, width),
                    Content.styled(rate, dim))
                if not r.enough:
                    bar = bar.stylize("dim")
            else:
                bar = Content.styled("no outcomes", "dim")
            calls = f"+{r.supports} −{r.against}" if (r.supports or r.against) else ""
            table.add_row(Content.styled(r.attribute.replace("_", " "), dim),
                          Content.styled(r.value, dim),
                          Content.styled("★", "$warning") if ideal else "",
                          str(r.won), str(r.lost), str(r.no_decision), bar, calls,
                          key=f"{r.attribute}={r.value}")
        if rows:
            table.move_cursor(row=min(max(cursor, 0), len(rows) - 1))
        self.query_one("#icp-table-box").border_title = (
            f"ICP evidence ledger ({len(rows)} values)")

    @on(Select.Changed, "#icp-attribute")
    def _filter_changed(self) -> None:
        self._fill()

    def action_filter(self) -> None:
        self.query_one("#icp-attribute", Select).focus()
        self.query_one("#icp-attribute", Select).action_show_overlay()

    def action_refresh(self) -> None:
        self.load()

    # ---- drill-down -----------------------------------------------------------------------

    def _row(self) -> Any:
        table = self.query_one("#icp-table", DataTable)
        if not self.shown or table.cursor_row < 0 or table.cursor_row >= len(self.shown):
            return None
        return self.shown[table.cursor_row]

    @on(DataTable.RowHighlighted, "#icp-table")
    def _highlighted(self) -> None:
        row = self._row()
        if row is None:
            return
        sources = self.query_one("#icp-sources", DataTable)
        sources.clear()
        for i, s in enumerate(row.sources):
            result_style = {"won": "$success", "lost": "$error", "supports": "$success",
                            "against": "$error"}.get(s.detail, "")
            sources.add_row(s.kind, text_cell(s.id), text_cell(s.account or "—"),
                            Content.styled(s.detail, result_style), s.date or "—",
                            key=f"{i}")
        self.query_one("#icp-sources-box").border_title = (
            f"Behind {row.attribute.replace('_', ' ')} = {row.value}: {row.counts_text()}")

    @on(DataTable.RowSelected, "#icp-table")
    def action_drill(self) -> None:
        sources = self.query_one("#icp-sources", DataTable)
        if sources.row_count:
            sources.focus()

    @on(DataTable.RowSelected, "#icp-sources")
    def _open_source(self, event: DataTable.RowSelected) -> None:
        row = self._row()
        if row is None:
            return
        source = row.sources[int(str(event.row_key.value))]
        if source.kind == "story":
            self.query_one(SourceView).show(self.huddle_app.kb, source.id)
            self.remove_class("-evidence-open")
            self.add_class("-source-open")
        else:
            self.open_evidence(source)

    @work(thread=True, exclusive=True, group="evidence", exit_on_error=False,
          description="Opening the evidence")
    def open_evidence(self, source: Any) -> None:
        from assistant.render import safe

        huddle = self.services.huddle
        if source.kind == "reflection":
            from assistant.reflect.render import reflection_markdown

            run = huddle.reflections.get(source.id)
            text = (reflection_markdown(run.reflection) if run.reflection is not None else
                    f"Reflection {source.id} has no stored body.")
            if source.quote:
                text = f"> “{safe(source.quote)}”\n\n" + text
            self.post_message(EvidenceOpened(source.id, f"reflection {source.id}", text))
            return
        row = next((o for o in huddle.ledger.outcomes() if o.source_id == source.id
                    or o.key == source.id), None)
        if row is None:
            text = f"Outcome {source.id}: {source.detail}"
        else:
            facts = [f"- **{k.replace('_', ' ')}**: {safe(str(v))}"
                     for k, v in row.as_dict().items()
                     if v not in (None, "", {}, []) and k not in ("profile", "fit")]
            profile = ", ".join(f"{k}={safe(str(v))}" for k, v in row.profile.items())
            text = "\n".join([f"**Outcome {safe(row.source_id)}**", "", *facts, "",
                              f"Profile: {profile}"])
        self.post_message(EvidenceOpened(source.id, f"outcome {source.id}", text))

    @on(EvidenceOpened)
    def _evidence(self, event: EvidenceOpened) -> None:
        box = self.query_one("#icp-evidence")
        box.border_title = event.title
        self.query_one("#icp-evidence-md", Markdown).update(event.markdown)
        self.remove_class("-source-open")
        self.add_class("-evidence-open")

    def action_close(self) -> None:
        if self.has_class("-source-open") or self.has_class("-evidence-open"):
            self.remove_class("-source-open", "-evidence-open")
            self.query_one("#icp-sources").focus()
        else:
            self.set_focus(None)

    def commands(self) -> list[tuple[str, str, Any]]:
        return [("Filter the ICP ledger by attribute", "Pick one attribute",
                 self.action_filter)]

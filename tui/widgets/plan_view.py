"""A plan as Markdown, with its evidence list; picking a citation posts CitationSelected.

The Markdown is :func:`assistant.render.plan_markdown` (the same text the CLI prints and
exports), shown by :class:`~tui.widgets.plan_markdown.PlanMarkdown` (Textual's widget with
lighter list items: the same look, a fraction of the layout time), with each citation of
a retrieved id turned into a ``cite:`` link. The Markdown widget never opens links itself;
a ``cite:`` click opens the source pane, any other link is ignored.
"""

from __future__ import annotations

import re
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Label, Markdown, OptionList
from textual.widgets.option_list import Option

from tui.messages import CitationSelected
from tui.widgets.plan_markdown import PlanMarkdown

HEAD_CHARS = 2000
"""About a screenful of plan Markdown: painted before the rest with ``head_first``."""
_CITE = re.compile(r"\[([A-Za-z0-9][A-Za-z0-9._:-]{0,127})\](?![(\[])")


def linkify(markdown: str, ids: set[str]) -> str:
    """``[acme-n2]`` -> a ``cite:acme-n2`` link, for ids the plan retrieved."""

    def repl(m: re.Match[str]) -> str:
        doc_id = m.group(1)
        if doc_id not in ids:
            return m.group(0)
        return f"[\\[{doc_id}\\]](cite:{doc_id})"

    return _CITE.sub(repl, markdown)


def team_as_list(markdown: str, plan: Any) -> str:
    """The "Our team" table as a list: a terminal-wide table squeezes "what they do" into a
    narrow column, a list reads well at any width. Same content as the exported table."""
    from assistant.render import safe

    start = markdown.find("## Our team")
    if start < 0:
        return markdown
    end = markdown.find("\n## ", start + 1)
    lines = ["## Our team", ""]
    for r in plan.roles:
        star = " ★ owns the ask" if r.owns_next_step else ""
        lines.append(f"- **{safe(r.name)}** — **{r.role}**{star}: {safe(r.does)}")
        if r.hands_over:
            lines.append(f"  - hand-over: {safe(r.hands_over)}")
        if r.why:
            lines.append(f"  - why: {safe(r.why)}")
    lines.append("")
    return markdown[:start] + "\n".join(lines) + (markdown[end:] if end >= 0 else "")


def evidence_label(kb: Any, doc_id: str, cited: bool) -> Content:
    note = kb.note(doc_id) if kb is not None else None
    story = kb.story(doc_id) if kb is not None and note is None else None
    mark = Content.styled("● " if cited else "○ ", "$accent" if cited else "dim")
    if note is not None:
        detail = f"  {note.date.isoformat()} {note.kind} · {note.author}"
    elif story is not None:
        detail = f"  story · {story.outcome} · {story.title or ''}".rstrip(" ·")
    else:
        detail = "  (not in the KB)"
    return Content.assemble(mark, Content.styled(doc_id, "bold"), Content.styled(detail, "dim"))


class PlanView(Vertical):
    """The plan (scrollable Markdown) above the list of evidence it was drafted from."""

    _generation = 0
    """Counts the shows, so a late second half never lands on a newer plan."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="plan-scroll"):
            yield PlanMarkdown(open_links=False, id="plan-md")  # light lists: fast layout
        yield Label("Evidence · ● cited · enter opens the note", id="evidence-title")
        yield OptionList(id="evidence")

    def show(self, plan: Any, kb: Any, *, markdown: str | None = None,
             home: bool = True, head_first: bool = False) -> None:
        """Show ``plan`` (as ``markdown`` when given: a partial plan's rendering); ``home``
        False keeps the scroll position (a plan filling in while the rep reads it);
        ``head_first`` paints the first screenful before the rest is laid out (a long plan
        takes a second or more to lay out on a busy machine)."""
        from assistant.render import plan_markdown

        cited = plan.cited_ids()
        retrieved = list(plan.provenance.retrieved_ids)
        ids = set(retrieved) | cited
        if kb is not None:  # any note or story the plan names opens in the source pane
            ids |= {n.id for n in kb.notes} | {s.id for s in kb.stories}
        markdown = team_as_list(markdown if markdown is not None else plan_markdown(plan), plan)
        self._update(linkify(markdown, ids), head_first=head_first)
        if home:
            self.query_one("#plan-scroll", VerticalScroll).scroll_home(animate=False)
        options = self.query_one("#evidence", OptionList)
        options.clear_options()
        order = [i for i in retrieved if i in cited] + [i for i in retrieved if i not in cited]
        order += sorted(cited - set(retrieved))
        options.add_options([Option(evidence_label(kb, i, i in cited), id=i) for i in order])
        if order:
            options.highlighted = 0

    def _update(self, markdown: str, *, head_first: bool) -> None:
        """Only the sections whose text changed are built again (a plan filling in keeps
        what is on screen); on an empty pane with ``head_first``, about a screenful is
        painted before the rest is built."""
        md = self.query_one("#plan-md", PlanMarkdown)
        self._generation = self._generation + 1
        empty = md.section_count == 0
        cut = markdown.find("\n## ", HEAD_CHARS) if head_first or empty else -1
        if cut < 0:
            md.update_sections(markdown)
            return
        generation = self._generation

        async def in_two_parts() -> None:
            if generation != self._generation:  # a newer show came first
                return
            await md.update_sections(markdown[: cut + 1])
            self.call_after_refresh(rest)  # the head is painted first

        def rest() -> None:
            if generation == self._generation:  # not replaced meanwhile
                md.update_sections(markdown)

        self.run_worker(in_two_parts(), group="plan-md")

    def clear(self, message: str = "") -> None:
        self._generation = self._generation + 1
        self.query_one("#plan-md", Markdown).update(message)
        self.query_one("#evidence", OptionList).clear_options()

    @on(Markdown.LinkClicked)
    def _link(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        if event.href.startswith("cite:"):
            self.post_message(CitationSelected(event.href[5:]))

    @on(OptionList.OptionSelected, "#evidence")
    def _evidence(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(CitationSelected(event.option.id))

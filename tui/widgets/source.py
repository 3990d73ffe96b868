"""The source pane: one note or story from the knowledge base, shown as plain text.

Note text is untrusted: the body is shown exactly as written but as text (markup off,
terminal control characters removed), so nothing in a note can style the screen, move the
cursor or open a link. The header says where the note came from (its KB file; for an
imported note the source system, record and file). What plans leave out as instruction-like text
(``assistant.note_scan``) is shown struck through in red, with why, so the rep sees what was
removed.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static


def plain(text: str) -> str:
    """Note or model text with terminal control characters removed."""
    from assistant.text import safe_text

    return safe_text(text)


def flagged_body(kb: Any, doc_id: str) -> tuple[Content, Content] | None:
    """(warning line, body with the left-out spans marked), or None when nothing is flagged."""
    from assistant.note_scan import scan_note

    found = scan_note(kb, doc_id)
    if found is None or not found.spans:
        return None
    text = found.text
    parts: list[Any] = []
    pos = 0
    for start, end, why in found.spans:
        parts.append(plain(text[pos:start]))
        parts.append((plain(text[start:end]), "strike red"))
        parts.append((f" [left out of plans: {why}]", "bold red"))
        pos = end
    parts.append(plain(text[pos:]))
    warning = Content.styled(f"⚠ {len(found.spans)} passage(s) left out of plans as "
                             "instruction-like text (marked in red below)", "bold red")
    return warning, Content.assemble(*parts)


def origin_line(kb: Any, doc_id: str) -> Content:
    """Where the note came from: ``hand-written: accounts/x/notes/y.md`` or ``imported from
    Salesforce (record ...; file ...): accounts/...`` (``assistant.views.note_origin``)."""
    from assistant.views import note_origin

    origin = note_origin(kb, doc_id)
    if origin is None:
        return Content("")
    return Content.styled(plain(origin.describe()), "dim italic")


def source_content(kb: Any, doc_id: str) -> tuple[str, Content, str | Content] | None:
    """(title, header, body text) of a note or story, or None if the KB has no such id."""
    note = kb.note(doc_id)
    if note is not None:
        account = kb.accounts.get(note.account)
        lines = [Content.styled(plain(note.title or f"{note.kind} note"), "bold"),
                 Content.styled(f"{note.date.isoformat()} · {note.kind} · {plain(note.author)}"
                                + (f" · {plain(account.name)}" if account else ""), "dim")]
        if note.contacts:
            lines.append(Content.styled("with " + ", ".join(plain(c) for c in note.contacts),
                                        "dim"))
        lines.append(origin_line(kb, note.id))
        flagged = flagged_body(kb, note.id)
        if flagged is not None:
            lines.append(flagged[0])
            return f"{note.id}", Content("\n").join(lines), flagged[1]
        return f"{note.id}", Content("\n").join(lines), plain(note.body.strip())
    story = kb.story(doc_id)
    if story is not None:
        facts = [story.outcome, f"{story.cycle_days} days", f"deal {story.deal_size:,.0f}"]
        if story.competitor:
            facts.append(f"vs {plain(story.competitor)}")
        if story.people_involved is not None:
            facts.append(f"{story.people_involved} people")
        if story.delivery_friction:
            facts.append(f"friction {story.delivery_friction}")
        if story.satisfaction is not None:
            facts.append(f"satisfaction {story.satisfaction}/5")
        roles = ", ".join(f"{plain(k)}: {plain(str(v))}" for k, v in story.roles.items())
        profile = ", ".join(f"{plain(str(k))}={plain(str(v))}"
                            for k, v in story.account_profile.items())
        header = Content("\n").join([
            Content.styled(plain(story.title or story.id), "bold"),
            Content.styled(" · ".join(facts), "dim"),
            Content.styled(f"roles: {roles}", "dim"),
            Content.styled(f"profile: {profile}", "dim"),
            origin_line(kb, story.id)])
        return f"{story.id} · story", header, plain(story.body.strip())
    return None


class SourceView(Vertical):
    """A titled, scrollable note or story."""

    DEFAULT_CSS = """
    SourceView { border: round $secondary 60%; border-title-color: $secondary; }
    SourceView:focus-within { border: round $secondary; }
    SourceView > VerticalScroll { height: 1fr; scrollbar-size-vertical: 1; }
    SourceView #source-head { padding: 0 1; margin-bottom: 1; }
    SourceView #source-body { padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="source-scroll"):
            yield Static("Pick a citation or a result to read its note here.", id="source-head",
                         markup=False)
            yield Static("", id="source-body", markup=False)

    def show(self, kb: Any, doc_id: str) -> bool:
        found = source_content(kb, doc_id) if kb is not None else None
        head = self.query_one("#source-head", Static)
        body = self.query_one("#source-body", Static)
        if found is None:
            self.border_title = doc_id
            head.update(f"{doc_id} is not in the knowledge base any more (re-index from "
                        "Knowledge).")
            body.update("")
            return False
        title, header, text = found
        self.border_title = title
        head.update(header)
        body.update(text)
        self.query_one("#source-scroll", VerticalScroll).scroll_home(animate=False)
        return True

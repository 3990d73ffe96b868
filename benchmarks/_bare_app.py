"""A bare Textual app for ``tui_start.py``'s comparison: one screen with a header, a static
line and a footer, drawn in the same pseudo-terminal harness as ``huddle``; the same marks
("Upcoming meetings" when painted, "enter opens" at once), quits on ctrl+q."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Bare(App[None]):
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Upcoming meetings")
        yield Static("enter opens")
        yield Footer()


if __name__ == "__main__":
    Bare().run()

"""Laying out a plan's Markdown in the app: Textual's Markdown widget against PlanMarkdown.

The first screenful after ctrl+g waits for the partial plan's Markdown to be laid out. This
drafts the demo meeting once with the scripted model (the store ingested in a child process
if needed, as ``first_section.py`` does), renders the partial plan exactly as the plan pane
does (``progress_markdown``, the team as a list, citations as links), then, in a headless
app at 120x40, times ``Markdown.update`` and the layout and paint after it for Textual's
widget and for ``tui.widgets.plan_markdown.PlanMarkdown``, alternating, ``--repeat`` times
each, and checks both paint the same screen. Prints the load before and after.

``--swap``: the saved plan replacing the partial plan on screen (what the rep sees when the
model's parts arrive): ``PlanMarkdown.update`` (every block re-mounted) against
``update_sections`` (only the changed sections), alternating, and the same screen check.

    .venv/bin/python benchmarks/plan_layout.py [--data-dir DIR] [--repeat N] [--final]
    .venv/bin/python benchmarks/plan_layout.py --swap [--repeat N]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Any

from _common import load_line
from first_section import DRAFT, MEETING


def plan_text(data_dir: str, final: bool) -> str:
    import pytest

    from assistant.config import load_settings
    from assistant.prep.progress import progress_markdown
    from assistant.render import plan_markdown
    from assistant.service import Huddle
    from tests.fakes import FakeLLM
    from tui.widgets.plan_view import linkify, team_as_list

    fake = FakeLLM(default=DRAFT)
    fake.standing = {"prep_criterion": {"status": "open"}}
    fake.install(pytest.MonkeyPatch())
    subprocess.run([sys.executable, "-m", "cli", "ingest", "--data-dir", data_dir],
                   check=True, stdout=subprocess.DEVNULL)
    settings = load_settings(data_dir=data_dir, model=fake.model)
    settings.llm.cache = False
    huddle = Huddle(settings)
    seen: list[Any] = []
    plan = huddle.prepare(huddle.meeting(**MEETING), on_progress=seen.append)
    kb = huddle.kb
    shown = plan if final else seen[0].plan
    ids = set(shown.provenance.retrieved_ids) | shown.cited_ids()
    ids |= {n.id for n in kb.notes} | {s.id for s in kb.stories}
    text = plan_markdown(plan) if final else progress_markdown(seen[0])
    return linkify(team_as_list(text, shown), ids)


def measure(text: str, repeat: int) -> dict[str, list[tuple[float, float]]]:
    from rich.console import Console
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll
    from textual.widgets import Markdown

    from tui.widgets.plan_markdown import PlanMarkdown

    kinds = {"textual Markdown": Markdown, "PlanMarkdown": PlanMarkdown}
    out: dict[str, list[tuple[float, float]]] = {k: [] for k in kinds}
    screens: dict[str, str] = {}

    class Bench(App[None]):
        def __init__(self, kind: type[Markdown]) -> None:
            super().__init__()
            self.kind = kind

        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield self.kind(open_links=False, id="md")

    async def once(name: str) -> None:
        app = Bench(kinds[name])
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            md = app.query_one("#md", Markdown)
            start = time.perf_counter()
            await md.update(text)
            updated = time.perf_counter() - start
            await pilot.pause()  # layout and paint
            out[name].append((updated, time.perf_counter() - start))
            console = Console(width=120, height=40, file=io.StringIO(), record=True)
            console.print(app.screen._compositor.render_update(full=True, screen_stack=[]))
            screens[name] = console.export_text()

    for _ in range(repeat):
        for name in kinds:
            asyncio.run(once(name))
    same = len(set(screens.values())) == 1
    print(f"both paint the same first screen: {same}")
    return out


def measure_swap(partial: str, saved: str, repeat: int) -> dict[str, list[float]]:
    """Seconds from the saved plan's update to its paint, the partial plan on screen."""
    from rich.console import Console
    from textual.app import App, ComposeResult
    from textual.containers import VerticalScroll

    from tui.widgets.plan_markdown import PlanMarkdown

    ways = ("update", "update_sections")
    out: dict[str, list[float]] = {w: [] for w in ways}
    screens: dict[str, str] = {}

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            with VerticalScroll():
                yield PlanMarkdown(open_links=False, id="md")

    async def once(way: str) -> None:
        app = Bench()
        async with app.run_test(size=(120, 40)) as pilot:
            md = app.query_one("#md", PlanMarkdown)
            await md.update_sections(partial)
            await pilot.pause()
            start = time.perf_counter()
            await getattr(md, way)(saved)
            await pilot.pause()
            out[way].append(time.perf_counter() - start)
            console = Console(width=120, height=40, file=io.StringIO(), record=True)
            console.print(app.screen._compositor.render_update(full=True, screen_stack=[]))
            screens[way] = console.export_text()

    for i in range(repeat):
        for way in ways if i % 2 == 0 else ways[::-1]:
            asyncio.run(once(way))
    print(f"both paint the same screen: {len(set(screens.values())) == 1}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--final", action="store_true",
                        help="the saved plan instead of the partial plan")
    parser.add_argument("--swap", action="store_true",
                        help="the saved plan replacing the partial one: update vs "
                        "update_sections")
    args = parser.parse_args()
    data_dir = args.data_dir or tempfile.mkdtemp(prefix="huddle-bench-layout-")
    if args.swap:
        partial, saved = plan_text(data_dir, False), plan_text(data_dir, True)
        print(f"before: {load_line()}")
        swaps = measure_swap(partial, saved, args.repeat)
        print(f"after:  {load_line()}")
        for way, secs in swaps.items():
            print(f"partial -> saved plan, {way:<16} median {statistics.median(secs):.2f} s "
                  f"(min {min(secs):.2f}, max {max(secs):.2f}; {len(secs)} runs)")
        return
    text = plan_text(data_dir, args.final)
    lines = text.count("\n")
    print(f"{'saved' if args.final else 'partial'} plan: {len(text)} characters, {lines} "
          f"lines, {sum(1 for x in text.splitlines() if x.lstrip().startswith('- '))} list "
          "items")
    print(f"before: {load_line()}")
    results = measure(text, args.repeat)
    print(f"after:  {load_line()}")
    for name, rows in results.items():
        updates = [u for u, _ in rows]
        totals = [t for _, t in rows]
        print(f"{name:<17} update median {statistics.median(updates):.2f} s, laid out and "
              f"painted median {statistics.median(totals):.2f} s (min {min(totals):.2f}, "
              f"max {max(totals):.2f}; {len(rows)} runs)")


if __name__ == "__main__":
    main()

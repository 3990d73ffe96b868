"""Time to the first plan section, and the full plan split into prompt, generation and the rest.

One prep of the demo meeting (Summit Freight, discovery) through ``Huddle.prepare`` with a
progress callback, as the app runs it: the store is ingested in a child process and the
embedding model and the LLM are loaded before the clock starts (the app does both in a
background worker at start-up). Prints, from that one run:

- when each partial plan arrived (``read_notes``: the code-built plan, model parts pending;
  ``ask_criteria``: the exit criteria the model judged) and the full plan;
- each model call: prompt tokens and seconds, generated tokens and seconds (llama.cpp's own
  timings, read by wrapping the embedded model's ``chat``);
- the full plan split into prompt processing, generation and everything else;
- the load average before and after (other agents share this machine).

Targets (issue 15): first section < 2 s after the rep asks; full plan < 30 s on a quiet
machine.

    .venv/bin/python benchmarks/first_section.py [--threads N] [--data-dir DIR]
    .venv/bin/python benchmarks/first_section.py --fake-delay 5   # FakeLLM, 5 s per call
    .venv/bin/python benchmarks/first_section.py --fake-delay 5 --tui   # from the app
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

from _common import load_line

MEETING = dict(account="summit", kind="discovery", date="2026-11-24",
               sellers="Avery Cole,Jordan Pike",
               buyers="Dana Ruiz (CFO),Tom Becker (Head of Operations)")
DRAFT = {"objective": "Confirm the pilot success criteria with Dana and Tom",
         "advance": "A dated pilot scoping workshop with Dana and Tom",
         "fallback": "A call with Tom to review the Louisville routes",
         "questions": [{"text": "Who signs above Dana for the pilot?", "cites": ["summit-n03"]}]}


class Calls:
    """Each embedded-model call's llama.cpp timings (wraps ``LocalLlama.chat``)."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def install(self) -> None:
        from assistant.llm.local_model import LocalLlama

        original = LocalLlama.chat
        calls = self

        def chat(self: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
            start = time.perf_counter()
            result: dict[str, Any] = {}
            error = ""
            try:
                result = original(self, *args, **kwargs)
                return result
            except Exception as exc:  # a timeout: its seconds are still the model's
                error = type(exc).__name__
                raise
            finally:
                t = result.get("timings") or {}
                with calls.lock:
                    calls.rows.append({
                        "wall": time.perf_counter() - start, "error": error,
                        "prompt_n": t.get("prompt_n", 0),
                        "prompt_s": t.get("prompt_ms", 0) / 1000,
                        "gen_n": t.get("predicted_n", 0),
                        "gen_s": t.get("predicted_ms", 0) / 1000,
                        "cached_n": t.get("cache_n", 0)})

        LocalLlama.chat = chat  # type: ignore[method-assign]


def fake_model(delay: float) -> str:
    """A FakeLLM that takes ``delay`` seconds per call (no real model)."""
    import pytest

    from tests.fakes import FakeLLM

    def slow(answer: Any) -> Any:
        def call(_: Any) -> Any:
            time.sleep(delay)
            return answer
        return call

    fake = FakeLLM(default=slow(DRAFT))
    fake.standing = {"prep_criterion": slow({"status": "open"})}
    fake.install(pytest.MonkeyPatch())
    return fake.model


def prepare(args: argparse.Namespace) -> tuple[Any, float]:
    from assistant.config import load_settings
    from assistant.service import Huddle

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="huddle-bench-first-")
    model = fake_model(args.fake_delay) if args.fake_delay is not None else args.model
    settings = load_settings(data_dir=data_dir, model=model)
    settings.llm.cache = False
    settings.llm.threads = args.threads
    huddle = Huddle(settings)
    if args.no_warm_accounts:  # the warm-up before Huddle.warm_account: model and imports
        huddle._upcoming_accounts = lambda: []  # type: ignore[method-assign]
        huddle.warm_account = lambda account: None  # type: ignore[method-assign]
    print(f"model {settings.llm.model}, threads {args.threads}, data dir {data_dir}"
          + (", warm-up WITHOUT the accounts" if args.no_warm_accounts else ""))
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "cli", "ingest", "--data-dir", data_dir],
                   check=True, stdout=subprocess.DEVNULL)
    huddle.ensure_ingested()
    print(f"ingest (child process): {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    name = huddle.warm()  # what the app's start-up worker does: embedder + LLM loaded
    print(f"warm-up (embedding model, LLM load) of {name}: {time.perf_counter() - t:.1f} s")
    return huddle, t


def tui_run(huddle: Any) -> None:
    """The same meeting from the app (headless pilot, 120x40): ``ctrl+g`` to the partial
    plan on screen, and to the saved plan. The app stores the meeting first, as it does."""
    import asyncio

    from textual.widgets import Markdown

    from tui.app import HuddleApp
    from tui.messages import PlanDrafted, PlanProgressed

    marks: dict[str, float] = {}

    def hook(message: Any) -> None:
        if isinstance(message, PlanProgressed):
            marks.setdefault("first", time.perf_counter())
        elif isinstance(message, PlanDrafted):
            marks.setdefault("done", time.perf_counter())

    async def run() -> None:
        app = HuddleApp(huddle=huddle, warm=False, log_to_file=False)
        async with app.run_test(size=(120, 40), message_hook=hook) as pilot:
            while app.store_state != "ready":
                await pilot.pause(0.05)
            await pilot.press("p")
            while not getattr(app.screen, "_form_ready", False):
                await pilot.pause(0.05)
            start = time.perf_counter()
            await pilot.press("ctrl+g")
            while "first" not in marks:
                await pilot.pause(0.01)
            md = app.screen.query_one("#plan-md", Markdown)
            while not md.children or "Drafting" not in md.source:
                await pilot.pause(0.01)
            head = time.perf_counter() - start
            await pilot.pause()
            seen = time.perf_counter() - start
            print(f"\napp: ctrl+g -> partial plan: message {marks['first'] - start:.2f} s, "
                  f"first screenful laid out {head:.2f} s, all of it {seen:.2f} s "
                  f"(agenda shown: {'## Agenda' in md.source})")
            while "done" not in marks:
                await pilot.pause(0.1)
            print(f"app: ctrl+g -> saved plan on screen {marks['done'] - start:.1f} s")
            await pilot.press("ctrl+q")

    asyncio.run(run())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--model", default=None, help="litellm model (default: embedded)")
    parser.add_argument("--fake-delay", type=float, default=None, metavar="S",
                        help="use a scripted model that takes S seconds per call")
    parser.add_argument("--no-warm-accounts", action="store_true",
                        help="warm up as before Huddle.warm_account (for a before/after)")
    parser.add_argument("--tui", action="store_true",
                        help="drive the terminal app (headless) instead of the service")
    args = parser.parse_args()

    calls = Calls()
    calls.install()
    huddle, _ = prepare(args)
    if args.tui:
        print(f"before: {load_line()}")
        tui_run(huddle)
        print(f"after:  {load_line()}")
        return
    meeting = huddle.meeting(**MEETING)
    print(f"before: {load_line()}")
    seen: list[tuple[float, Any]] = []
    start = time.perf_counter()
    plan = huddle.prepare(meeting, on_progress=lambda p: seen.append(
        (time.perf_counter() - start, p)))
    total = time.perf_counter() - start
    print(f"after:  {load_line()}")

    print("\nplan sections on screen (seconds after the rep asked):")
    for at, p in seen:
        what = "the saved plan" if p.final else f"pending: {p.missing()}"
        print(f"  {at:6.2f} s  after {p.stage:<12}  {what}")
    print("\nmodel calls (llama.cpp timings):")
    for i, c in enumerate(calls.rows, 1):
        print(f"  {i}. prompt {c['prompt_n']:>5} tokens {c['prompt_s']:6.1f} s "
              f"(+{c['cached_n']} reused from the cache) · generated {c['gen_n']:>4} tokens "
              f"{c['gen_s']:6.1f} s · wall {c['wall']:6.1f} s"
              + (f" · FAILED ({c['error']}: no llama.cpp timings)" if c["error"] else ""))
    prompt_s = sum(c["prompt_s"] for c in calls.rows)
    gen_s = sum(c["gen_s"] for c in calls.rows)
    model_s = plan.provenance.usage.model_seconds
    first = seen[0][0] if seen else float("nan")
    print(f"\nfirst section: {first:.2f} s   full plan: {total:.1f} s")
    print(f"full plan split: prompt {prompt_s:.1f} s · generation {gen_s:.1f} s · "
          f"everything else {total - prompt_s - gen_s:.1f} s "
          f"(gateway model seconds {model_s:.1f}; without llama.cpp timings the model's "
          f"share is all in 'everything else')")
    print(f"tokens: prompt {plan.provenance.usage.prompt_tokens}, "
          f"generated {plan.provenance.usage.completion_tokens}; nodes: "
          + "  ".join(f"{k} {v:.2f}s" for k, v in plan.provenance.timings.items()))


if __name__ == "__main__":
    main()

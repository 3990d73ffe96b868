"""The child process of the crash tests: ``python -m tests.crash_driver MODE KB DATA [RUN_ID]``.

``reflect``: answer the waiting reflection RUN_ID with the harness's decisions (its writes
run here). ``prep``: prepare the harness's meeting. Fake LLM and fake embeddings; the crash
point comes from ``HUDDLE_FAULT_AT`` (``knowledge.faults``). See tests/crash_harness.py.
"""

from __future__ import annotations

import sys

import pytest

from tests.crash_harness import MEETING
from tests.fakes import FakeLLM, install_fake_embeddings
from tests.integration.reflect_support import DECISIONS, GOOD_DRAFT, make_huddle


def main(argv: list[str]) -> int:
    mode, kb, data, run_id = (argv + [""])[:4]
    mp = pytest.MonkeyPatch()
    install_fake_embeddings(mp)
    if mode == "reflect":
        h = make_huddle(kb, data, FakeLLM([]).install(mp))  # type: ignore[arg-type]
        run = h.reflections.resume(run_id, DECISIONS)
        print(run.status)
    elif mode == "prep":
        h = make_huddle(kb, data, FakeLLM([], default=GOOD_DRAFT).install(mp))  # type: ignore[arg-type]
        print(h.prepare(h.meeting(**MEETING)).id)
    else:
        print(f"unknown mode {mode!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

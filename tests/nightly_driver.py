"""The child of the background prep-all tests, in place of ``python -m cli prep-all``.

``python -m tests.nightly_driver [--slow S] [--fault POINT:N] [--child-slow S] prep-all ...``:
fake embeddings and the scripted fake model (every call answered with :data:`DRAFT` after
``S`` seconds), then the real CLI (``--run-job JOB --lock-fd N`` as the child, or
``--background`` as the launcher, whose child is this driver again with ``--slow`` set to
``--child-slow``). With ``--fault`` the process dies at that crash point
(``knowledge.faults``), as ``kill -9`` would.
"""

from __future__ import annotations

import json
import os
import sys
import time
from typing import Any

import pytest

from knowledge.faults import ENV
from tests.fakes import FakeLLM, install_fake_embeddings, ticking_clock

DRAFT = {
    "objective": "Agree the pilot scope", "advance": "A scoping workshop on a date",
    "fallback": "A call with Tom", "situation": [], "needs": [], "buyers": [],
    "questions": [{"text": "Who signs?", "cites": []}],
    "risks": [{"risk": "Budget", "answer": "Phase it", "cites": []}],
}


def main(argv: list[str]) -> int:
    slow = child_slow = 0.0
    while argv and argv[0] in ("--slow", "--fault", "--child-slow"):
        flag, value, argv = argv[0], argv[1], argv[2:]
        if flag == "--slow":
            slow = float(value)
        elif flag == "--child-slow":
            child_slow = float(value)
        else:
            os.environ[ENV] = value
    mp = pytest.MonkeyPatch()
    install_fake_embeddings(mp)

    def answer(call: Any) -> str:
        time.sleep(slow)
        return json.dumps(DRAFT)

    fake = FakeLLM([], default=answer).install(mp)
    os.environ["HUDDLE_MODEL"] = fake.model  # never the real model, whatever the job says
    from assistant import nightly

    mp.setattr(nightly, "child_command", lambda: [
        sys.executable, "-m", "tests.nightly_driver", "--slow", str(child_slow), "prep-all"])
    from cli.main import main as cli_main

    if "--run-job" in argv:
        job = json.loads(open(argv[argv.index("--run-job") + 1]).read())
        if job["model"] != fake.model:
            print(f"nightly_driver runs only the fake model, not {job['model']}")
            return 2
    return cli_main(argv, clock=ticking_clock())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

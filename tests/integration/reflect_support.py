"""Shared pieces of the reflect tests: a call transcript, scripted model answers, helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from assistant.config import load_settings
from assistant.service import Huddle
from tests.fakes import FakeLLM, ticking_clock

CALL = """\
Avery Cole: Thanks for your time, Dana and Tom. Let's walk through routing and agree next steps.
Dana Ruiz (CFO): Happy to. The board approved $65k for the pilot in Q2.
Tom Becker: Two dispatchers re-plan every route by hand, about three hours a day.
Avery Cole: Who signs above you for a full rollout?
Dana Ruiz: Our COO, Maria Chen, signs anything above $100k.
Tom Becker: We also looked at RouteIQ but their reporting is weak.
Dana Ruiz: We have about 420 employees across the two terminals.
Avery Cole: Can we book a scoping workshop next Tuesday?
Dana Ruiz: Yes, Tuesday works. I'll bring Maria.
Avery Cole: I'll send the pilot outline by Friday.
"""

FACTS = {
    "stakeholders": [
        {"name": "Maria Chen", "title": "COO", "stance": "unknown",
         "quote": "Our COO, Maria Chen, signs anything above $100k"},
    ],
    "facts": [
        {"field": "budget", "value": "$65k for the pilot", "status": "known",
         "quote": "The board approved $65k for the pilot in Q2"},
        {"field": "decision_process", "value": "the COO signs above $100k", "status": "known",
         "quote": "Our COO, Maria Chen, signs anything above $100k"},
        {"field": "competitors", "value": "RouteIQ", "status": "known",
         "quote": "We also looked at RouteIQ"},
    ],
    "icp": [
        {"attribute": "employees", "value": "420", "signal": "supports",
         "quote": "We have about 420 employees across the two terminals"},
    ],
}

ASSESS = {
    "objective": "met", "objective_quote": "The board approved $65k for the pilot in Q2",
    "checks": [{"item": "Q1", "status": "done", "quote": "Who signs above you for a full rollout?"},
               {"item": "R1", "status": "done",
                "quote": "Can we book a scoping workshop next Tuesday?"}],
    "worked": ["Asking who signs surfaced the COO"],
    "didnt": ["The hours were not turned into money"],
    "lesson": "Put Tom's three hours a day in money before the next ask",
}

# The one exit criterion of the small KB's Discovery ("pain confirmed"), asked alone with the
# turns most like it: t3 ("Two dispatchers re-plan every route by hand, ...").
CRITERION = {"answer": "met", "turn": "t3"}

GOOD_DRAFT = {
    "objective": "Confirm the two-terminal pilot scope and meet the economic buyer",
    "advance": "A scoping workshop with Dana and Tom on a fixed date",
    "fallback": "A call with Tom to review route data",
    "situation": [{"text": "Budget rose to $65k after the board meeting", "cites": ["acme-n2"]}],
    "needs": [{"text": "Stop re-planning routes by hand every morning", "cites": ["acme-n3"]}],
    "buyers": [{"name": "Dana Ruiz", "cares_about": "payback inside 12 months",
                "cites": ["acme-n3"]}],
    "questions": [{"text": "Who signs above Dana for a full rollout?", "cites": ["acme-n3"]}],
    "risks": [{"risk": "RouteIQ is already in place", "answer": "Show the reporting gap",
               "cites": ["acme-n1"]}],
}


# A call that also states two ICP values, the model's answer that proposes them, and the
# rep accepting every proposal: what the crash and resume tests write.
CALL2 = CALL + "Dana Ruiz: We are a logistics company with two terminals.\n"
FACTS2 = dict(FACTS, icp=[
    {"attribute": "employees", "value": "420", "signal": "supports",
     "quote": "We have about 420 employees across the two terminals"},
    {"attribute": "industry", "value": "logistics", "signal": "supports",
     "quote": "We are a logistics company with two terminals"},
])
DECISIONS = {"s1": "accept", "f1": "accept", "f2": "accept", "n1": "accept", "i1": "accept",
             "i2": "accept", "stage": "accept"}

def make_huddle(kb: Path, data: Path, fake: FakeLLM, *, database_url: str | None = None,
                me: str | None = None) -> Huddle:
    """A service on ``kb`` with the fake model; records in ``database_url`` when given
    (team mode), else in SQLite files under ``data``."""
    from pydantic import SecretStr

    s = load_settings(kb=kb, data_dir=data)
    s.database_url = SecretStr(database_url) if database_url else None
    s.me = me
    s.llm.model = fake.model
    s.llm.cache = False
    return Huddle(s, clock=ticking_clock())


def write_call(tmp_path: Path, text: str = CALL, name: str = "call.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def answer(item: Any) -> Any:
    """Script item answering every call with a deep copy (tests may mutate the dicts)."""
    import copy

    return copy.deepcopy(item)

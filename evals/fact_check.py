"""How many of the scenarios' expected facts and ICP items the reflection proposes with no model.

    python -m evals.fact_check DIR [-v] [--glob 'frostline-*']
    python -m evals.facts_check DIR [-v]      (the same)

Runs the reflect workflow's own nodes on each scenario's ``after_call`` (``gather``, the
transcript parser and quarantine in ``extract``, then ``validate`` that builds the
reflection) with a model that answers nothing: no facts draft, no assessment, every exit
criterion unknown. The scenario's KB is copied with its ``kb_overlay``, its buyers are known
as the saved plan would make them, and its ``outcome`` is passed as the runner passes it.
What is counted is what the runner scores: the reflection's facts and next steps against
``expect.facts`` (``evals.metrics.fact_recall``) and its ICP evidence, each under its label
and its raw value, against ``expect.icp`` (``evals.metrics.icp_recall``).

It also counts **noise**, facts a rep would strike, by the rules of :mod:`evals.noise`
(written apart from the product's code; the real-model report scores them as ``fact_noise``):
a rival's amount or a cost filed as budget, a timeline with no time or on a rival's contract,
a metric with no quantity or on someone's to-do, our own seller's promise as the customer's
fact, a price objection as a criterion, a denied problem as a pain, one sentence under two
fields.

One line per scenario (facts found/expected, ICP found/expected, noise as floor-ceiling/
proposed: the facts the rules strike, then the facts matching no expected fact, the misses)
and the totals;
``-v`` lists the proposed facts, figures and ICP items of each scenario with a miss. It
measures the part of the reflection that code decides, in seconds, so a rule can be checked
on scenarios it was not tuned on. The model's facts come on top of these in a real run.
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from assistant.clock import Clock
from assistant.reflect import graph
from assistant.reflect.models import Reflection
from assistant.transcripts import parse_transcript
from evals import metrics as m
from evals.noise import rivals as kb_rivals
from evals.noise import sellers as kb_sellers
from evals.noise import strikes, unmatched
from evals.runner import private_kb
from evals.scenario import Scenario, load_scenario
from knowledge.loader import load_kb
from knowledge.models import KnowledgeBase


def noise(r: Reflection, rivals: list[str], sellers: list[str] | tuple[str, ...] = (),
          expected: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The facts a rep would strike (the rules of :mod:`evals.noise`), each with why; one
    line per fact, its reasons joined."""
    why: dict[int, list[str]] = {}
    for s in strikes(r.facts, rivals, sellers, expected):
        why.setdefault(s.index, []).append(s.why)
    return ["; ".join(w) for _, w in sorted(why.items())]


@dataclass
class Checked:
    """What the reflection proposed for one scenario, and how it scores."""

    reflection: Reflection
    facts: list[str]
    icp: list[dict[str, str]]
    fact_score: m.Score | None = None
    icp_score: m.Score | None = None
    misses: list[str] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    unmatched: int = 0


def _kb_copy(scenario: Scenario, work: Path) -> Path:
    return private_kb(scenario, work / "kb") if scenario.kb_overlay else scenario.kb_path


def reflect_without_model(scenario: Scenario, work: Path) -> Reflection:
    """The reflection the workflow builds for ``scenario.after_call`` when the model says
    nothing (the code half: facts per field, amounts, dates, next steps, figures, ICP)."""
    return _reflect(scenario, load_kb(_kb_copy(scenario, work)))


def _reflect(scenario: Scenario, kb: KnowledgeBase) -> Reflection:
    after = scenario.after_call
    assert after is not None
    mt = scenario.meeting
    team = [p.name for p in kb.team.people]
    buyers = {b.name: b.title or "" for b in mt.buyers}
    transcript = parse_transcript(after.notes, source="scenario",
                                  known_speakers=team + list(buyers))
    ctx = graph.ReflectContext(kb=kb, gateway=None, store=None, ledger=None,  # type: ignore[arg-type]
                               clock=Clock.fixed(dt.datetime.combine(mt.date, dt.time(18), dt.UTC)))
    runtime = SimpleNamespace(context=ctx)
    state: dict[str, Any] = {
        "run_id": "r-check", "account": mt.account, "author": team[0] if team else "rep",
        "meeting": {"kind": mt.kind, "date": mt.date.isoformat(), "sellers": list(mt.sellers)},
        "plan": None, "transcript": transcript.as_dict(), "outcome": after.outcome,
    }
    state.update(graph.gather(state, runtime))
    known = state["gathered"]["buyers_known"]
    state["gathered"]["buyers_known"] = {**buyers, **known}  # the plan's buyers come first
    state.update(graph.extract(state, runtime))
    state["facts_draft"] = state["assess_draft"] = None
    state["criteria"] = []
    return Reflection.model_validate(graph.validate(state, runtime)["reflection"])


def check_scenario(scenario: Scenario) -> Checked | None:
    """Score one scenario's after-call facts and ICP; None without either expectation."""
    after = scenario.after_call
    if after is None or not (after.expect.facts or after.expect.icp):
        return None
    with tempfile.TemporaryDirectory() as tmp:
        kb = load_kb(_kb_copy(scenario, Path(tmp)))  # one copy: the reflection and its rivals
        r = _reflect(scenario, kb)
        rivals, sellers = kb_rivals(kb), kb_sellers(kb)
    facts = [f.value for f in r.facts] + [n.action for n in r.next_steps]
    icp = [{"attribute": e.attribute, "value": value, "signal": e.signal}
           for e in r.icp_evidence for value in dict.fromkeys([e.value, e.raw])]
    expected = list(after.expect.facts or [])
    out = Checked(reflection=r, facts=facts, icp=icp, noise=noise(r, rivals, sellers, expected),
                  unmatched=len(unmatched(r.facts, expected)) if expected else 0)
    out.fact_score = m.fact_recall(after.expect.facts, facts)
    out.icp_score = m.icp_recall([i.model_dump() for i in after.expect.icp or []] or None, icp)
    for score in (out.fact_score, out.icp_score):
        out.misses += list(score.failures) if score else []
    return out


def _counts(score: m.Score | None) -> tuple[int, int]:
    if score is None:
        return 0, 0
    found, total = score.explanation.split(" ")[0].split("/")
    return int(found), int(total)


def _details(c: Checked) -> None:
    r = c.reflection
    for f in r.facts:
        print(f"      {f.field:<17} {f.value[:100]}")
    for n in r.next_steps:
        print(f"      {'next':<17} {n.action[:100]}")
    for d in r.figures:
        print(f"      figure {d.name:<10} {d.value}  <- {d.quote.text[:80]}")
    for e in r.icp_evidence:
        print(f"      icp {e.attribute:<13} {e.value} ({e.raw}) {e.signal}")


def check(root: Path, verbose: bool = False, pattern: str = "*.yaml") -> dict[str, int]:
    """Print one line per scenario and the totals; returns the four counts."""
    totals = {"facts": 0, "facts_expected": 0, "icp": 0, "icp_expected": 0, "noise": 0,
              "proposed": 0, "unmatched": 0}
    for path in sorted(root.glob(pattern)):
        c = check_scenario(load_scenario(path))
        if c is None:
            continue
        fh, ft = _counts(c.fact_score)
        ih, it = _counts(c.icp_score)
        for key, n in zip(totals, (fh, ft, ih, it, len(c.noise), len(c.reflection.facts),
                                   c.unmatched), strict=True):
            totals[key] += n
        mark = "ok " if not c.misses else "XX "
        print(f"{mark} {path.stem[:40]:<41} facts {fh}/{ft}  icp {ih}/{it}  "
              f"noise {len(c.noise)}-{c.unmatched}/{len(c.reflection.facts)}"
              + (f"  missed: {'; '.join(x[:70] for x in c.misses)}" if c.misses else ""))
        if verbose and c.misses:
            _details(c)
        if verbose:
            for n in c.noise:
                print(f"      noise: {n}")
    print(f"{totals['facts']}/{totals['facts_expected']} expected facts proposed by code; "
          f"{totals['icp']}/{totals['icp_expected']} expected ICP items; "
          f"noise {totals['noise']} of {totals['proposed']} facts (ceiling: "
          f"{totals['unmatched']} match no expected fact)")
    return totals


def main(argv: list[str]) -> None:
    args = [a for a in argv if a != "-v"]
    glob = "*.yaml"
    if "--glob" in args:
        i = args.index("--glob")
        glob = args[i + 1]
        del args[i: i + 2]
    check(Path(args[0] if args else "evals/scenarios"), verbose="-v" in argv, pattern=glob)


if __name__ == "__main__":
    main(sys.argv[1:])

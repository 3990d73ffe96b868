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

It also counts **noise**, facts a rep would strike, by five rules written here apart from
the product's code: an amount in a budget fact whose sentence (or the sentence before it in
the turn) names a competitor; a budget fact whose sentence gives an amount as a cost or a
loss ("we paid $610k in overtime", "savings") with no word of budget, approval, spending or
price; a timeline fact whose value and sentence give no time at all (no digit, date word or
period);
a metric with no measurable quantity (no digit, percent or
number word); one transcript sentence filed under two fields (but for a bare date under
timeline: "approved $65k for the pilot in Q2" says when, too; and for who signs, the economic
buyer and the decision process at once); a budget fact with no amount and no word of budget or
funds ("Today we track the approval dates per site"); a timeline fact on a rival's or an
incumbent's contract ("we already pay Trialfinder for that until June 30": a competitors fact);
a fact on our own seller's promise or proposal ("I'll send the answers by December 1", "we'd
like Paloma to run it from January 25", "Before then I'll send June the set-up", "I'd suggest
January 12": a next step, not what the customer said); a metric on someone's own to-do ("I'll
sit in for the first half hour": no measured quantity of their business); a decision
criterion on a price objection ("$23,400 a year plus your $9,000 is nearly a tenth of what we
cleared"); a pain the customer denies ("the hours aren't my problem").

One line per scenario (facts found/expected, ICP found/expected, noise, the misses) and the
totals;
``-v`` lists the proposed facts, figures and ICP items of each scenario with a miss. It
measures the part of the reflection that code decides, in seconds, so a rule can be checked
on scenarios it was not tuned on. The model's facts come on top of these in a real run.
"""

from __future__ import annotations

import datetime as dt
import re
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
from evals.runner import private_kb
from evals.scenario import Scenario, load_scenario
from knowledge.loader import load_kb
from knowledge.models import KnowledgeBase

_QUANTITY = re.compile(r"\d|%|\bpercent\b|\b(?:one|two|three|four|five|six|seven|eight|"
                       r"nine|ten|eleven|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
                       r"hundred|thousand|million|dozen|"
                       r"half|an? (?:hour|minute|day|week|month|quarter|year))\b", re.IGNORECASE)
_AMOUNT = re.compile(r"[$€£]\s?\d|\b\d[\d,.]*\s?(?:k|usd|eur|dollars)\b", re.IGNORECASE)
# a figure of what something costs or loses them, not money they mean to spend on us
_LOSS = re.compile(r"\b(?:overtime|losses|loss|lose|losing|lost|wasted?|savings?|saved?|"
                   r"penalt\w*|fines?|write-?offs?|we paid|paid|costs? us|costing us)\b",
                   re.IGNORECASE)
_BUDGETED = re.compile(r"\b(?:budget\w*|approv\w*|allocat\w*|spend|capped|cap|ceiling|"
                       r"fund\w*|afford\w*|price\w*|pricing|quote\w*|fee|fees)\b",
                       re.IGNORECASE)
# a time: a date, a weekday or month, a period, a season, a deadline
_WHEN = re.compile(r"\d|\b(?:q[1-4]|h[12]|day|days|week|weeks|month|months|quarter|quarters|"
                   r"year|years|annual\w*|monday|tuesday|wednesday|thursday|friday|saturday|"
                   r"sunday|today|tomorrow|tonight|jan\w*|feb\w*|march|april|may|june|july|"
                   r"aug\w*|sept?\w*|oct\w*|nov\w*|dec\w*|spring|summer|autumn|fall|winter|"
                   r"holidays?|christmas|deadline|go-?live|year-end|fiscal|soon|asap|now)\b",
                   re.IGNORECASE)
_BUDGET_WORD = re.compile(r"\b(?:budget\w*|fund\w*|capital|set aside|earmark\w*|capex|opex)\b",
                          re.IGNORECASE)
_PAYS_TODAY = re.compile(r"\b(?:already|currently|today we) pay\b|\bwe pay \w+ (?:for|until)\b",
                         re.IGNORECASE)
_LEAD = (r"(?:(?:so|and|then|ok(?:ay)?|also|first|meanwhile|(?:before|by|until|after) "
         r"(?:then|that)),?\s+)*")
_OUR_PROMISE = re.compile(r"^\W*" + _LEAD + r"(?:i'?ll|i will|we'?ll|we will|let me|let us)\b|"
                          r"\b(?:we|i)'?d like\b|\b(?:i'?d|i) (?:suggest|propose)\b|"
                          r"\b(?:how|what) about\b", re.IGNORECASE)
# a person's own to-do ("I'll sit in for the first half hour"): no measure of their business
_TODO = re.compile(r"^\W*" + _LEAD + r"(?:i'?ll|i will|i'?m going to)\b", re.IGNORECASE)
# pushing back on our price: "your $9,000 is nearly a tenth of what we cleared", "too steep"
_PUSHBACK = re.compile(r"\byour\s+(?:[$€£]|price|quote|fee)|\btoo (?:much|expensive|high|steep)\b|"
                       r"\b(?:expensive|overpriced|steep)\b|\bstill think\b", re.IGNORECASE)
# a problem denied: "the hours aren't my problem", "not an issue for us"
_DENIED = re.compile(r"(?:n't|\bnot)\s+(?:(?:my|our|a|an|the|really)\s+)*(?:problem|issue|"
                     r"concern)\b|\bdon'?t care\b", re.IGNORECASE)


def noise(r: Reflection, rivals: list[str], sellers: list[str] | tuple[str, ...] = (),
          ) -> list[str]:
    """The facts a rep would strike (see the module's docstring), each with why."""
    out = []
    seen: dict[str, str] = {}
    ours = {s.casefold() for s in sellers}

    def names_rival(text: str) -> bool:
        return any(re.search(rf"(?<![\w-]){re.escape(c)}(?![\w-])", text, re.IGNORECASE)
                   for c in rivals)

    for f in r.facts:
        q = f.quote.text
        if f.field == "budget" and _AMOUNT.search(f.value) and names_rival(q):
            out.append(f"rival's amount as budget: {f.value[:60]!r}")
        if f.field == "metrics" and not _QUANTITY.search(f.value):
            out.append(f"metric without a quantity: {f.value[:60]!r}")
        if f.field == "budget" and _AMOUNT.search(q) and _LOSS.search(q) and not \
                _BUDGETED.search(q):
            out.append(f"a cost or a loss as budget: {f.value[:60]!r}")
        if f.field == "timeline" and not _WHEN.search(q) and not _WHEN.search(f.value):
            out.append(f"timeline without a time: {f.value[:60]!r}")
        if f.field == "budget" and not _AMOUNT.search(q) and not _BUDGET_WORD.search(q):
            out.append(f"budget without an amount: {f.value[:60]!r}")
        if f.field == "timeline" and (names_rival(q) or _PAYS_TODAY.search(q)):
            out.append(f"a rival's contract as timeline: {f.value[:60]!r}")
        if (f.quote.speaker or "").casefold() in ours and _OUR_PROMISE.search(q):
            out.append(f"our own promise as a fact: {f.value[:60]!r}")
        if f.field == "metrics" and _TODO.search(q):
            out.append(f"a to-do as a metric: {f.value[:60]!r}")
        if f.field == "decision_criteria" and _AMOUNT.search(q) and _PUSHBACK.search(q):
            out.append(f"a price objection as a criterion: {f.value[:60]!r}")
        if f.field == "pains" and _DENIED.search(q):
            out.append(f"a problem denied as a pain: {f.value[:60]!r}")
        if f.field == "timeline" and len(f.value.split()) <= 3 and re.search(r"\d|q[1-4]",
                                                                              f.value, re.I):
            continue  # the date alone: a sentence about money can say when, too
        for s in re.split(r"(?<=[.!?])\s+", q):
            key = " ".join(s.casefold().split())
            if len(key.split()) < 4:
                continue
            if key in seen and seen[key] != f.field and {seen[key], f.field} != {
                    "economic_buyer", "decision_process"}:
                out.append(f"one sentence in {seen[key]} and {f.field}: {s[:50]!r}")
            seen.setdefault(key, f.field)
    return out


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
        rivals = graph._competitors(kb)
        sellers = [p.name for p in kb.team.people]
    facts = [f.value for f in r.facts] + [n.action for n in r.next_steps]
    icp = [{"attribute": e.attribute, "value": value, "signal": e.signal}
           for e in r.icp_evidence for value in dict.fromkeys([e.value, e.raw])]
    out = Checked(reflection=r, facts=facts, icp=icp, noise=noise(r, rivals, sellers))
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
              "proposed": 0}
    for path in sorted(root.glob(pattern)):
        c = check_scenario(load_scenario(path))
        if c is None:
            continue
        fh, ft = _counts(c.fact_score)
        ih, it = _counts(c.icp_score)
        for key, n in zip(totals, (fh, ft, ih, it, len(c.noise), len(c.reflection.facts)),
                          strict=True):
            totals[key] += n
        mark = "ok " if not c.misses else "XX "
        print(f"{mark} {path.stem[:40]:<41} facts {fh}/{ft}  icp {ih}/{it}  "
              f"noise {len(c.noise)}/{len(c.reflection.facts)}"
              + (f"  missed: {'; '.join(x[:70] for x in c.misses)}" if c.misses else ""))
        if verbose and c.misses:
            _details(c)
        if verbose:
            for n in c.noise:
                print(f"      noise: {n}")
    print(f"{totals['facts']}/{totals['facts_expected']} expected facts proposed by code; "
          f"{totals['icp']}/{totals['icp_expected']} expected ICP items; "
          f"noise {totals['noise']} of {totals['proposed']} facts")
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

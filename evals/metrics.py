"""Deterministic scorers: one small pure function per metric (names in evals/README.md).

Every scorer returns either

- ``None``: the scenario does not exercise the metric (no expectation to check, nothing to
  measure) — the metric is then **absent** from the scenario's result, never counted as 1;
- a :class:`Score` whose ``value`` is a float (in [0, 1] unless the metric says otherwise)
  with an ``explanation`` and the ``failures`` in words; or ``value=None``, "unscored",
  when the grader itself could not judge (the explanation says why).

Text comparisons are case-insensitive and forgiving about typography (NFKC, curly quotes,
dashes, runs of white space), never about content. Pure functions; touch nothing.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

# Metrics where a lower value is better; all others are better higher.
LOWER_IS_BETTER = frozenset({"fallback_rate", "replaced_rate", "generic_rate", "fact_noise",
                             "fact_noise_ceiling",
                             "latency_s", "tokens", "cost_usd"})
# Every metric name, in report order.
METRICS = (
    "retrieval_recall", "citation_recall", "citation_validity", "mention_recall",
    "injection_resistance", "role_coverage", "role_accuracy", "claim_support", "generic_rate",
    "buyers_distinct", "stock_free", "objection_recall", "open_item_recall", "risk_recall",
    "buyer_recall", "exit_gap_accuracy", "schema_validity",
    "fallback_rate", "replaced_rate", "objective_accuracy", "stage_accuracy", "fact_recall",
    "fact_noise", "fact_noise_ceiling", "icp_recall", "latency_s", "tokens", "cost_usd",
)
UNBOUNDED = frozenset({"latency_s", "tokens", "cost_usd"})


@dataclass(frozen=True)
class Score:
    """One metric's verdict on one scenario. ``value=None`` means unscored."""

    value: float | None
    explanation: str
    failures: tuple[str, ...] = field(default=())

    @property
    def scored(self) -> bool:
        return self.value is not None


def unscored(why: str) -> Score:
    """The grader could not judge (say why); kept apart from scores and from errors."""
    return Score(None, f"unscored: {why}")


_TYPO = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u202f": " ",
})


def norm(text: str) -> str:
    """Text as compared: NFKC, straight quotes and dashes, one space, case-folded."""
    text = unicodedata.normalize("NFKC", text).translate(_TYPO)
    return " ".join(text.split()).casefold()


def _share(hits: int, total: int) -> float:
    return round(hits / total, 4)


def _ids(values: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        v = str(v).strip()
        if v:
            seen.setdefault(v, None)
    return list(seen)


def _recall(expected: Sequence[str] | None, found: Collection[str], *, what: str,
            missing: str) -> Score | None:
    wanted = _ids(expected or [])
    if not wanted:
        return None
    have = set(found)
    misses = [i for i in wanted if i not in have]
    hits = len(wanted) - len(misses)
    explanation = f"{hits}/{len(wanted)} {what}"
    if misses:
        explanation += f"; missing {', '.join(misses)}"
    return Score(_share(hits, len(wanted)), explanation,
                 tuple(f"{i} {missing}" for i in misses))


# ---- the plan ------------------------------------------------------------------------


def retrieval_recall(expected: Sequence[str] | None, retrieved: Iterable[str]) -> Score | None:
    """Share of ``expect.retrieve`` ids among the evidence retrieved for the plan."""
    return _recall(expected, set(retrieved), what="expected ids retrieved",
                   missing="was not among the retrieved evidence")


def citation_recall(expected: Sequence[str] | None, cited: Iterable[str]) -> Score | None:
    """Share of ``expect.cite`` ids the plan cites somewhere."""
    return _recall(expected, set(cited), what="expected ids cited",
                   missing="is not cited by the plan")


def citation_validity(cited: Iterable[str], retrieved: Iterable[str],
                      existing: Collection[str]) -> Score | None:
    """Share of the plan's cited ids that were retrieved for the plan and exist in the KB.

    A plan that cites nothing has no validity to measure: absent (``citation_recall``
    catches a plan that should have cited something).
    """
    ids = sorted(_ids(cited))
    if not ids:
        return None
    got = set(retrieved)
    bad: list[str] = []
    for i in ids:
        if i not in existing:
            bad.append(f"cited id {i} does not exist in the knowledge base")
        elif i not in got:
            bad.append(f"cited id {i} was not retrieved for this plan")
    good = len(ids) - len(bad)
    return Score(_share(good, len(ids)), f"{good}/{len(ids)} cited ids valid", tuple(bad))


def mention_recall(expected: Sequence[str] | None, text: str) -> Score | None:
    """Share of ``expect.mention`` substrings found in the plan text (case-insensitive)."""
    wanted = [m for m in (expected or []) if m.strip()]
    if not wanted:
        return None
    body = norm(text)
    misses = [m for m in wanted if norm(m) not in body]
    hits = len(wanted) - len(misses)
    explanation = f"{hits}/{len(wanted)} mentions found"
    if misses:
        explanation += "; missing " + ", ".join(repr(m) for m in misses)
    return Score(_share(hits, len(wanted)), explanation,
                 tuple(f"the plan does not mention {m!r}" for m in misses))


def injection_resistance(forbidden: Sequence[str] | None, text: str) -> Score | None:
    """1 if no ``expect.not_mention`` substring appears in the plan text, else 0."""
    banned = [m for m in (forbidden or []) if m.strip()]
    if not banned:
        return None
    body = norm(text)
    hits = [m for m in banned if norm(m) in body]
    if hits:
        return Score(0.0, f"{len(hits)}/{len(banned)} forbidden phrases present",
                     tuple(f"the plan contains the forbidden {m!r}" for m in hits))
    return Score(1.0, f"none of {len(banned)} forbidden phrases present")


def phrase_recall(expected: Sequence[str] | None, lines: Sequence[str], *, what: str
                  ) -> Score | None:
    """Share of expected phrases found (case-insensitive substring) in one of ``lines``.

    Behind ``objection_recall``, ``open_item_recall`` and ``risk_recall``: each looks in its
    own section only, so a price objection filed under questions is a miss."""
    wanted = [p for p in (expected or []) if p.strip()]
    if not wanted:
        return None
    body = [norm(t) for t in lines]
    misses = [p for p in wanted if not any(norm(p) in b for b in body)]
    hits = len(wanted) - len(misses)
    return Score(_share(hits, len(wanted)), f"{hits}/{len(wanted)} {what} found",
                 tuple(f"no {what[:-1] if what.endswith('s') else what} says {p!r}"
                       for p in misses))


def objection_recall(expected: Sequence[str] | None, lines: Sequence[str]) -> Score | None:
    """``expect.objections`` phrases found in the plan's objections (text and answer)."""
    return phrase_recall(expected, lines, what="objections")


def open_item_recall(expected: Sequence[str] | None, lines: Sequence[str]) -> Score | None:
    """``expect.open_items`` phrases found among the open items and the checklist."""
    return phrase_recall(expected, lines, what="open items")


def risk_recall(expected: Sequence[str] | None, lines: Sequence[str]) -> Score | None:
    """``expect.risks`` phrases found in a risk or its mitigation."""
    return phrase_recall(expected, lines, what="risks")


def buyer_recall(expected: Mapping[str, Sequence[str]] | None,
                 lines: Mapping[str, Sequence[str]]) -> Score | None:
    """Share of expected (buyer, phrase) pairs found in that buyer's own lines."""
    pairs = [(b, p) for b, phrases in (expected or {}).items() for p in phrases if p.strip()]
    if not pairs:
        return None
    have = {norm(b): [norm(t) for t in ts] for b, ts in lines.items()}
    misses = [(b, p) for b, p in pairs if not any(norm(p) in t for t in have.get(norm(b), []))]
    hits = len(pairs) - len(misses)
    return Score(_share(hits, len(pairs)), f"{hits}/{len(pairs)} buyer lines found",
                 tuple(f"{b}'s lines do not say {p!r}" for b, p in misses))


def exit_gap_accuracy(expected: Mapping[str, str] | None,
                      gap: Sequence[tuple[str, str]]) -> Score | None:
    """Share of expected criteria (by a phrase of their text) with the expected status."""
    if not expected:
        return None
    bad = []
    for phrase, status in expected.items():
        got = next((st for crit, st in gap if norm(phrase) in norm(crit)), None)
        if got != status:
            bad.append(f"{phrase!r}: expected {status}, plan says {got or 'nothing'}")
    good = len(expected) - len(bad)
    return Score(_share(good, len(expected)), f"{good}/{len(expected)} criteria right",
                 tuple(bad))


def supported(text: str, source: str) -> bool:
    """The lexical support check behind ``claim_support``
    (``assistant.prep.specific.supported``: numbers all found, 60% of content words)."""
    from assistant.prep.specific import supported as check

    return check(text, source)


def claim_support(claims: Sequence[tuple[str, Sequence[str]]],
                  sources: Mapping[str, str]) -> Score | None:
    """Share of the model's sentences whose cited notes support them (``supported``).

    ``claims`` are (text, cited ids) of every line the model wrote that states a fact
    (situation, needs, questions); a line citing nothing, or only ids not in ``sources``,
    is unsupported. Absent when the model wrote no such line.
    """
    if not claims:
        return None
    bad = []
    for text, cites in claims:
        source = " ".join(sources.get(c, "") for c in cites)
        if not source.strip() or not supported(text, source):
            bad.append(f"not supported by {', '.join(cites) or 'any cited note'}: {text[:120]!r}")
    good = len(claims) - len(bad)
    return Score(_share(good, len(claims)), f"{good}/{len(claims)} model sentences supported",
                 tuple(bad))


def generic_rate(lines: Sequence[str], *, evidence: str, known: str) -> Score | None:
    """Share of the plan's own sentences (the model's, and the mitigations and jobs code
    writes) that carry no name, number or fact of the evidence beyond the meeting request
    (``assistant.prep.specific.is_specific``). Lower is better."""
    from assistant.prep.specific import is_specific

    rows = [t for t in lines if t.strip()]
    if not rows:
        return None
    generic = [t for t in rows if not is_specific(t, evidence=evidence, known=known)]
    return Score(_share(len(generic), len(rows)), f"{len(generic)}/{len(rows)} sentences generic",
                 tuple(f"generic: {t[:120]!r}" for t in generic))


def buyers_distinct(lines: Mapping[str, Sequence[str]]) -> Score | None:
    """1 when no two buyer attendees share a line, else 0. Absent with fewer than two."""
    if len(lines) < 2:
        return None
    seen: dict[str, str] = {}
    shared = []
    for buyer, texts in lines.items():
        for t in texts:
            key = norm(t)
            if key in seen and seen[key] != buyer:
                shared.append(f"{seen[key]} and {buyer} share {t[:100]!r}")
            seen.setdefault(key, buyer)
    if shared:
        return Score(0.0, f"{len(shared)} line(s) shared between buyers", tuple(shared))
    return Score(1.0, f"{len(lines)} buyers, no shared line")


STOCK = ("prepare an answer tonight", "confirm the facts in the call", "proceed with the next",
         "lorem ipsum", "[insert", "tbd", "to be determined", "n/a")


def stock_free(lines: Sequence[str]) -> Score | None:
    """1 when no stock placeholder appears and no sentence repeats across three or more
    items (the same answer pasted under every risk), else 0."""
    rows = [norm(t) for t in lines if t.strip()]
    if not rows:
        return None
    found = [f"stock phrase {p!r}" for p in STOCK
             if any(p in r.split() if " " not in p else p in r for r in rows)]
    counts: dict[str, int] = {}
    for r in rows:
        counts[r] = counts.get(r, 0) + 1
    found += [f"repeated {n} times: {r[:80]!r}" for r, n in counts.items() if n >= 3]
    if found:
        return Score(0.0, f"{len(found)} stock or repeated line(s)", tuple(found))
    return Score(1.0, f"{len(rows)} lines, none stock or repeated")


def _role_map(roles: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for name, role in roles:
        out.setdefault(norm(name), []).append(role)
    return out


def role_coverage(sellers: Sequence[str], roles: Iterable[tuple[str, str]]) -> Score | None:
    """Share of attending sellers who got exactly one primary role in the plan.

    ``roles`` is the plan's ``(seller name, role)`` list. A seller missing from the plan or
    listed twice does not count.
    """
    people = _ids(sellers)
    if not people:
        return None
    have = _role_map(roles)
    bad = []
    for name in people:
        got = have.get(norm(name), [])
        if not got:
            bad.append(f"{name} has no role in the plan")
        elif len(got) > 1:
            bad.append(f"{name} has {len(got)} roles ({', '.join(got)}), not exactly one")
    good = len(people) - len(bad)
    return Score(_share(good, len(people)), f"{good}/{len(people)} sellers with exactly one role",
                 tuple(bad))


def role_accuracy(expected: Mapping[str, Sequence[str]] | None,
                  roles: Iterable[tuple[str, str]]) -> Score | None:
    """Share of sellers in ``expect.roles`` whose primary role is one of the acceptable ones."""
    if not expected:
        return None
    have = _role_map(roles)
    bad = []
    for name, acceptable in expected.items():
        got = have.get(norm(name), [])
        if not got:
            bad.append(f"{name} has no role in the plan (expected {' or '.join(acceptable)})")
        elif len(got) > 1:
            bad.append(f"{name} has {len(got)} roles ({', '.join(got)}); expected one of "
                       f"{', '.join(acceptable)}")
        elif got[0] not in acceptable:
            bad.append(f"{name} is {got[0]}, expected {' or '.join(acceptable)}")
    good = len(expected) - len(bad)
    return Score(_share(good, len(expected)),
                 f"{good}/{len(expected)} sellers in an acceptable role", tuple(bad))


def schema_validity(first_tries: Sequence[bool | None]) -> Score | None:
    """Whether the model's first answer was valid without a repair round.

    One entry per structured model call in the scenario: ``True`` valid at once, ``False``
    needed a repair (or never became valid), ``None`` no answer at all (timeout, model
    unavailable: not a schema question). With one call this is the 1/0 of the README; with
    several (plan and reflection) it is the share of calls valid first time.
    """
    answered = [t for t in first_tries if t is not None]
    if not answered:
        return None
    ok = sum(1 for t in answered if t)
    failures = () if ok == len(answered) else (
        f"{len(answered) - ok} of {len(answered)} model answers needed a repair round",)
    return Score(_share(ok, len(answered)), f"{ok}/{len(answered)} answers valid first time",
                 failures)


def replaced_rate(offered: Sequence[str], replaced: Sequence[str]) -> Score | None:
    """Share of the model's headlines (objective, ask, fallback) that the plan's checks
    dropped for code's line (lower is better); absent when the model wrote none.

    ``fallback_rate`` counts calls that gave no usable answer; this counts answers that came
    back and were not used (generic, the meeting restated, not on the evidence).
    """
    if not offered:
        return None
    gone = [k for k in offered if k in set(replaced)]
    failures = tuple(f"the model's {k} was replaced by code's" for k in gone)
    return Score(_share(len(gone), len(offered)),
                 f"{len(gone)}/{len(offered)} model headlines replaced by code's", failures)


def fallback_rate(calls: int, fell_back: int) -> Score | None:
    """Share of model calls that fell back to the deterministic path (lower is better).

    A call falls back when the gateway gave up (invalid after its repairs, timeout, model
    unavailable) and the workflow built that part from the evidence instead.
    """
    if calls <= 0:
        return None
    fell_back = min(max(fell_back, 0), calls)
    failures = (f"{fell_back} of {calls} model calls fell back to the evidence",) if fell_back \
        else ()
    return Score(_share(fell_back, calls), f"{fell_back}/{calls} model calls fell back", failures)


# ---- the reflection ------------------------------------------------------------------


def _equal(expected: str | None, actual: str | None, what: str) -> Score | None:
    if expected is None or not str(expected).strip():
        return None
    if actual is None or not str(actual).strip():
        return Score(0.0, f"expected {what} {expected!r}, the reflection gave none",
                     (f"the reflection gave no {what} (expected {expected!r})",))
    if norm(str(actual)) == norm(str(expected)):
        return Score(1.0, f"{what} {actual!r} as expected")
    return Score(0.0, f"{what} {actual!r}, expected {expected!r}",
                 (f"{what} is {actual!r}, expected {expected!r}",))


def objective_accuracy(expected: str | None, actual: str | None) -> Score | None:
    """1 if the reflection's objective verdict equals ``after_call.expect.objective``."""
    return _equal(expected, actual, "objective")


def stage_accuracy(expected: str | None, actual: str | None) -> Score | None:
    """1 if the reflection's stage after the call equals ``after_call.expect.stage_after``."""
    return _equal(expected, actual, "stage after the call")


def fact_recall(expected: Sequence[str] | None, facts: Iterable[str]) -> Score | None:
    """Share of ``after_call.expect.facts`` substrings found among the new facts."""
    wanted = [f for f in (expected or []) if f.strip()]
    if not wanted:
        return None
    texts = [norm(f) for f in facts]
    misses = [w for w in wanted if not any(norm(w) in t for t in texts)]
    hits = len(wanted) - len(misses)
    explanation = f"{hits}/{len(wanted)} facts found among {len(texts)} new facts"
    return Score(_share(hits, len(wanted)), explanation,
                 tuple(f"no new fact contains {m!r}" for m in misses))


def fact_noise(facts: Sequence[Any], *, rivals: Sequence[str] = (),
               sellers: Sequence[str] = (), expected: Sequence[str] = ()) -> Score | None:
    """Share of the reflection's proposed facts a rep would strike (lower is better): the
    floor.

    ``facts`` are the proposed facts (a reflection's ``Fact`` objects or mappings with
    ``field``, ``value``, ``quote`` and ``speaker``); the rules are :mod:`evals.noise`'s,
    written apart from the product's own: a rival's amount or a cost as budget, a timeline with
    no time or on a rival's contract, a metric with no quantity or on a to-do, our seller's
    promise as the customer's fact, a price objection as a criterion, a denied problem as a
    pain, one sentence under two fields; and what a rep strikes on sight: the call's header or
    a meta line, a one- or two-word answer without its question, talk about the talk, our
    seller's words as the customer's, the same claim twice, and (with ``expected``, the
    scenario's expected facts) a line matching none of them with no name, number or date.
    A fact struck for two reasons counts once. Absent when the reflection proposed no fact
    (``fact_recall`` catches a reflection that should have)."""
    from evals.noise import strikes

    rows = list(facts)
    if not rows:
        return None
    found = strikes(rows, rivals, sellers, [e for e in expected or [] if e.strip()])
    struck = len({s.index for s in found})
    return Score(_share(struck, len(rows)),
                 f"{struck}/{len(rows)} proposed facts a rep would strike",
                 tuple(f"strike {s.why}" for s in found))


def fact_noise_ceiling(expected: Sequence[str] | None, facts: Sequence[Any]) -> Score | None:
    """Share of the proposed facts that contain none of ``after_call.expect.facts`` (lower is
    better): the ceiling beside ``fact_noise``. A reader strikes at most these, and keeps
    some (a true fact the expectation did not foresee), so the truth lies between the two.
    Absent without expected facts or without proposed facts."""
    from evals.noise import unmatched

    wanted = [e for e in expected or [] if e.strip()]
    rows = list(facts)
    if not wanted or not rows:
        return None
    off = unmatched(rows, wanted)
    return Score(_share(len(off), len(rows)),
                 f"{len(off)}/{len(rows)} proposed facts match no expected fact")


def _icp_key(item: Mapping[str, Any]) -> tuple[str, str, str]:
    return (norm(str(item.get("attribute", ""))), norm(str(item.get("value", ""))),
            norm(str(item.get("signal", ""))))


def icp_recall(expected: Sequence[Mapping[str, Any]] | None,
               proposed: Iterable[Mapping[str, Any]]) -> Score | None:
    """Share of ``after_call.expect.icp`` items proposed with the same attribute, value, signal."""
    wanted = list(expected or [])
    if not wanted:
        return None
    got = [_icp_key(p) for p in proposed]
    have = set(got)
    bad = []
    for item in wanted:
        key = _icp_key(item)
        if key in have:
            continue
        label = f"{item.get('attribute')}={item.get('value')} ({item.get('signal')})"
        near = [g for g in got if g[:2] == key[:2]]
        if near:
            bad.append(f"ICP evidence {label} was proposed with signal {near[0][2]!r}")
        else:
            bad.append(f"ICP evidence {label} was not proposed")
    good = len(wanted) - len(bad)
    return Score(_share(good, len(wanted)), f"{good}/{len(wanted)} ICP items proposed as expected",
                 tuple(bad))


# ---- cost ----------------------------------------------------------------------------


def latency_s(seconds: float | None) -> Score | None:
    """Wall-clock seconds for the scenario's plan plus reflection (not in [0, 1])."""
    if seconds is None:
        return None
    return Score(round(float(seconds), 3), f"{seconds:.1f} s")


def tokens(prompt_tokens: int, completion_tokens: int) -> Score | None:
    """Prompt plus completion tokens (answers replayed from the cache count what they cost)."""
    total = int(prompt_tokens) + int(completion_tokens)
    return Score(float(total), f"{prompt_tokens}+{completion_tokens} tokens")


def cost_usd(cost: float) -> Score | None:
    """Estimated cost in US dollars (0 for the local model)."""
    return Score(round(float(cost), 6), f"${cost:.4f}")


def mean(values: Iterable[float | None]) -> float | None:
    """The mean of the scored values; ``None`` when there are none."""
    xs = [v for v in values if v is not None]
    return round(sum(xs) / len(xs), 4) if xs else None

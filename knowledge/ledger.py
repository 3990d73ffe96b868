"""The ICP evidence ledger: what won, lost and stalled, per ICP attribute value.

``<data dir>/icp_ledger.sqlite`` holds two kinds of evidence, each row under a unique key so
a replay (a resumed workflow, a re-run seed, a repeated command) never counts twice:

- **outcomes** — one closed deal each: ``story:<story id>`` (seeded from the KB's stories by
  :meth:`Ledger.sync_stories`, idempotent) and ``outcome:<account>:<date>`` (recorded with
  ``huddle outcome``; recording the same account and date again corrects the row). Each keeps
  the customer's raw ICP attribute values, so the counts follow ``icp.yaml`` when its buckets
  change, and the facts that show whether the deal fit: cycle length, people involved, and
  for wins delivery friction and satisfaction.
- **signals** — ICP evidence a person confirmed after a call: attribute, value, whether it
  supports or argues against fit, and the quote (``reflection:<run id>:<item id>``).

Per attribute value (the label :meth:`IcpAttribute.bucket_label` gives) the ledger counts
won / lost / no-decision — competitive losses are counted within ``lost`` and shown apart,
and no-decisions are never folded into losses — and the win rate ``won / closed`` with a
Wilson 95% interval. Below :data:`MIN_EVIDENCE` closed deals a value is "not enough
evidence": the rate is still computed but must not be read as a finding.

Tables ``outcomes`` and ``signals`` (:mod:`knowledge.tables`, migration stream ``ledger``):
the file above, or the team's PostgreSQL database when ``database_url`` is set. Counts are
computed from the rows when read, so two people recording outcomes for the same attribute at
once are both counted. Knows nothing of LLMs or workflows. Touches only its database.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from knowledge.database import Database, insert
from knowledge.errors import HuddleError
from knowledge.faults import crash_point
from knowledge.icp import fit_of_values, stated_fit
from knowledge.models import OUTCOMES, Account, Icp, KnowledgeBase
from knowledge.tables import outcomes as outcomes_table
from knowledge.tables import signals as signals_table

FILENAME = "icp_ledger.sqlite"
MIN_EVIDENCE = 5
"""Closed deals (won + lost + no-decision) a value needs before its win rate is a finding.

With 5 deals the Wilson 95% interval is still about ±35 points wide around 50%: enough to
tell "mostly wins" from "mostly losses", not to rank close values. Below it the ledger
says "not enough evidence"."""
Z95 = 1.959963984540054
SIGNALS = ("supports", "against")
FRICTION = ("low", "medium", "high")

class LedgerError(HuddleError):
    title = "ICP ledger"


def wilson_interval(successes: int, n: int, z: float = Z95) -> tuple[float, float] | None:
    """The Wilson score interval of a proportion (None when ``n`` is 0)."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError(f"successes {successes} outside 0..{n}")
    p = successes / n
    z2 = z * z
    denom = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Source:
    """One row behind a count: a story, a recorded outcome or a confirmed reflection item."""

    kind: str  # story | outcome | reflection
    id: str  # story id, outcome key or reflection run id
    account: str | None
    detail: str  # the outcome (won/lost/no-decision) or the signal (supports/against)
    date: str | None = None
    quote: str | None = None


@dataclass
class ValueEvidence:
    """The evidence behind one attribute value."""

    attribute: str
    value: str
    won: int = 0
    lost: int = 0
    lost_competitive: int = 0
    no_decision: int = 0
    supports: int = 0
    against: int = 0
    sources: list[Source] = field(default_factory=list)

    @property
    def closed(self) -> int:
        return self.won + self.lost + self.no_decision

    def count(self, outcome: str, competitor: str | None) -> None:
        """One closed deal: won, lost (competitive when a competitor is named) or neither."""
        if outcome == "won":
            self.won += 1
        elif outcome == "lost":
            self.lost += 1
            self.lost_competitive += int(_is_competitive(competitor))
        else:
            self.no_decision += 1

    @property
    def enough(self) -> bool:
        return self.closed >= MIN_EVIDENCE

    @property
    def win_rate(self) -> float | None:
        return self.won / self.closed if self.closed else None

    @property
    def interval(self) -> tuple[float, float] | None:
        return wilson_interval(self.won, self.closed)

    @property
    def competitive_win_rate(self) -> float | None:
        """Won against won + lost (no-decisions left out)."""
        decided = self.won + self.lost
        return self.won / decided if decided else None

    def counts_text(self) -> str:
        lost = f"{self.lost} lost"
        if self.lost_competitive:
            lost += f" ({self.lost_competitive} to a competitor)"
        return f"{self.won} won · {lost} · {self.no_decision} no-decision"

    def rate_text(self) -> str:
        if not self.closed:
            return "no outcomes yet"
        if not self.enough:
            return (f"not enough evidence ({self.closed} closed deal"
                    f"{'s' if self.closed != 1 else ''}; {MIN_EVIDENCE} needed)")
        lo, hi = self.interval or (0.0, 0.0)
        return f"win rate {_pct(self.win_rate)} (95% CI {_pct(lo)}–{_pct(hi)})"

    def signals_text(self) -> str:
        if not (self.supports or self.against):
            return ""
        return f"call evidence: {self.supports} for fit, {self.against} against"

    def summary(self) -> str:
        parts = [self.counts_text(), self.rate_text()]
        if self.signals_text():
            parts.append(self.signals_text())
        return " — ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        lo_hi = self.interval
        return {
            "attribute": self.attribute, "value": self.value, "won": self.won,
            "lost": self.lost, "lost_competitive": self.lost_competitive,
            "no_decision": self.no_decision, "closed": self.closed,
            "win_rate": self.win_rate, "win_rate_low": lo_hi[0] if lo_hi else None,
            "win_rate_high": lo_hi[1] if lo_hi else None,
            "competitive_win_rate": self.competitive_win_rate,
            "enough_evidence": self.enough, "supports": self.supports, "against": self.against,
            "sources": [asdict(s) for s in self.sources],
        }


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{round(100 * x)}%"


@dataclass(frozen=True)
class OutcomeRow:
    key: str
    source: str
    source_id: str
    account: str | None
    outcome: str
    date: str | None
    profile: dict[str, Any]
    competitor: str | None = None
    reason: str | None = None
    cycle_days: int | None = None
    people_involved: int | None = None
    delivery_friction: str | None = None
    satisfaction: int | None = None
    deal_size: float | None = None
    fit: dict[str, list[str]] | None = None
    recorded_by: str | None = None
    recorded_at: str = ""

    @property
    def outside_profile(self) -> bool:
        """True when at least one known attribute did not match the stated ICP."""
        return bool(self.fit and self.fit.get("mismatch"))

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "outside_profile": self.outside_profile}


@dataclass(frozen=True)
class SignalRow:
    key: str
    source: str
    source_id: str
    account: str
    attribute: str
    value: str
    raw: str | None
    signal: str
    quote: str
    speaker: str | None
    recorded_by: str | None
    recorded_at: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_competitive(competitor: str | None) -> bool:
    return bool(competitor and competitor.strip().casefold() not in ("none", "no-decision", "-"))


def fit_summary(account_or_profile: Account | Mapping[str, Any], icp: Icp) -> dict[str, list[str]]:
    """``{"match": [...], "mismatch": [...], "unknown": [...]}`` against the stated ICP."""
    values = (account_or_profile.attribute_values(icp)
              if isinstance(account_or_profile, Account) else account_or_profile)
    out: dict[str, list[str]] = {"match": [], "mismatch": [], "unknown": []}
    for item in fit_of_values(values, icp):
        if item["status"] in out:
            out[item["status"]].append(item["attribute"])
    return out


_OUTCOME_COLS = ["key", "source", "source_id", "account", "outcome", "date", "profile",
                 "competitor", "reason", "cycle_days", "people_involved", "delivery_friction",
                 "satisfaction", "deal_size", "fit", "recorded_by", "recorded_at"]
_SIGNAL_COLS = ["key", "source", "source_id", "account", "attribute", "value", "raw", "signal",
                "quote", "speaker", "recorded_by", "recorded_at"]


class Ledger(Database):
    """The ledger under a data directory (or in the team database). Cheap to open; safe
    across processes and machines."""

    holds = ("the deal outcomes you recorded and the call evidence you confirmed (only the "
             "stories' rows can be rebuilt from the KB)")
    stream = "ledger"

    def __init__(self, path: str | Path, *, stamp: Callable[[], str],
                 database_url: str | None = None) -> None:
        """``stamp()`` is the service clock's "now" as ISO 8601 (``recorded_at``)."""
        super().__init__(path, url=database_url)
        self._stamp = stamp

    @classmethod
    def open(cls, data_dir: str | Path, *, stamp: Callable[[], str],
             database_url: str | None = None) -> Ledger:
        return cls(Path(data_dir) / FILENAME, stamp=stamp, database_url=database_url)

    # ---- writing ---------------------------------------------------------------------

    def sync_stories(self, kb: KnowledgeBase) -> dict[str, int]:
        """Make the ``story:*`` rows equal the KB's stories (idempotent).

        Returns how many were added, updated, removed and left unchanged.
        """
        now = self._stamp()
        wanted: dict[str, tuple[Any, ...]] = {}
        for s in kb.stories:
            profile = {k: v for k, v in s.account_profile.items() if v is not None}
            wanted[f"story:{s.id}"] = (
                "story", s.id, s.account, s.outcome, s.date.isoformat() if s.date else None,
                json.dumps(profile, sort_keys=True, default=str), s.competitor, None,
                s.cycle_days, s.people_involved, s.delivery_friction, s.satisfaction,
                s.deal_size, json.dumps(fit_summary(profile, kb.icp), sort_keys=True), None,
            )
        report = {"added": 0, "updated": 0, "removed": 0, "unchanged": 0}
        cols = _OUTCOME_COLS[1:-1]  # source .. recorded_by
        t = outcomes_table
        with self.db() as db:
            have = {row[0]: tuple(row[1:]) for row in db.execute(
                sa.select(t.c.key, *(t.c[c] for c in cols)).where(t.c.source == "story"))}
            for key, values in wanted.items():
                old = have.get(key)
                if old == values:
                    report["unchanged"] += 1
                    continue
                stmt = insert(db, t).values(key=key, recorded_at=now,
                                            **dict(zip(cols, values, strict=True)))
                db.execute(stmt.on_conflict_do_update(
                    index_elements=[t.c.key], set_={c: stmt.excluded[c] for c in cols}))
                report["updated" if old is not None else "added"] += 1
            gone = sorted(set(have) - set(wanted))
            if gone:
                db.execute(sa.delete(t).where(t.c.key.in_(gone)))
            report["removed"] = len(gone)
        return report

    def record_outcome(
        self, *, account: str, outcome: str, profile: Mapping[str, Any], date: dt.date,
        icp: Icp, competitor: str | None = None, reason: str | None = None,
        cycle_days: int | None = None, people_involved: int | None = None,
        delivery_friction: str | None = None, satisfaction: int | None = None,
        deal_size: float | None = None, recorded_by: str | None = None,
        key: str | None = None,
    ) -> tuple[OutcomeRow, str]:
        """Record (or correct) a deal outcome; returns the row and ``added``/``updated``.

        The key is ``outcome:<account>:<date>`` unless given: the same account and date
        recorded twice is one deal, corrected, never two.
        """
        if outcome not in OUTCOMES:
            raise LedgerError(f"outcome is one of {', '.join(OUTCOMES)}; got {outcome!r}")
        if delivery_friction is not None and delivery_friction not in FRICTION:
            raise LedgerError(f"delivery friction is low, medium or high; got "
                              f"{delivery_friction!r}")
        if satisfaction is not None and not 1 <= satisfaction <= 5:
            raise LedgerError(f"satisfaction is 1 to 5; got {satisfaction}")
        if outcome != "won" and (delivery_friction is not None or satisfaction is not None):
            raise LedgerError("delivery friction and satisfaction are recorded for wins only")
        for name, number in (("cycle days", cycle_days), ("people involved", people_involved),
                             ("deal size", deal_size)):
            if number is not None and number < 0:
                raise LedgerError(f"{name} cannot be negative; got {number}")
        key = key or f"outcome:{account}:{date.isoformat()}"
        clean = {k: v for k, v in profile.items() if v is not None}
        row = OutcomeRow(
            key=key, source="outcome", source_id=key, account=account, outcome=outcome,
            date=date.isoformat(), profile=clean, competitor=competitor or None,
            reason=reason or None, cycle_days=cycle_days, people_involved=people_involved,
            delivery_friction=delivery_friction, satisfaction=satisfaction,
            deal_size=deal_size, fit=fit_summary(clean, icp), recorded_by=recorded_by,
            recorded_at=self._stamp(),
        )
        t = outcomes_table
        values = {"key": key, "source": "outcome", "source_id": key, "account": account,
                  "outcome": outcome, "date": row.date,
                  "profile": json.dumps(clean, sort_keys=True, default=str),
                  "competitor": row.competitor, "reason": row.reason, "cycle_days": cycle_days,
                  "people_involved": people_involved, "delivery_friction": delivery_friction,
                  "satisfaction": satisfaction, "deal_size": deal_size,
                  "fit": json.dumps(row.fit, sort_keys=True), "recorded_by": recorded_by,
                  "recorded_at": row.recorded_at}
        with self.db() as db:
            existed = db.execute(sa.select(t.c.key).where(t.c.key == key)).first()
            stmt = insert(db, t).values(**values)
            db.execute(stmt.on_conflict_do_update(index_elements=[t.c.key], set_={
                c: stmt.excluded[c] for c in _OUTCOME_COLS[4:]}))
        return row, ("updated" if existed else "added")

    def record_signal(
        self, *, key: str, account: str, attribute: str, value: str, signal: str,
        quote: str, icp: Icp, raw: str | None = None, speaker: str | None = None,
        source: str = "reflection", source_id: str = "", recorded_by: str | None = None,
    ) -> bool:
        """Add one confirmed piece of call evidence; False when ``key`` was already there."""
        attr = icp.find(attribute)
        if attr is None:
            raise LedgerError(f"unknown ICP attribute {attribute!r}; attributes: "
                              + ", ".join(a.name for a in icp.attributes))
        label = attr.bucket_label(value)
        if label is None:
            raise LedgerError(f"{value!r} is not a value of {attribute} ({attr.kind})")
        if signal not in SIGNALS:
            raise LedgerError(f"signal is supports or against; got {signal!r}")
        if not quote.strip():
            raise LedgerError("call evidence needs the quote that shows it")
        with self.db() as db:
            cur = db.execute(insert(db, signals_table).values(
                key=key, source=source, source_id=source_id or key, account=account,
                attribute=attribute, value=label, raw=raw, signal=signal, quote=quote.strip(),
                speaker=speaker, recorded_by=recorded_by, recorded_at=self._stamp(),
            ).on_conflict_do_nothing(index_elements=[signals_table.c.key])
            .returning(signals_table.c.key))
            new = cur.first() is not None  # RETURNING: psycopg's rowcount here is -1
        crash_point("ledger.signal")
        return new

    def has(self, key: str) -> bool:
        with self.db() as db:
            return any(db.execute(sa.select(t.c.key).where(t.c.key == key)).first()
                       for t in (signals_table, outcomes_table))

    # ---- reading ---------------------------------------------------------------------

    def outcomes(self, account: str | None = None) -> list[OutcomeRow]:
        t = outcomes_table
        query = sa.select(*(t.c[c] for c in _OUTCOME_COLS))
        if account:
            query = query.where(t.c.account == account)
        query = query.order_by(sa.func.coalesce(t.c.date, ""), t.c.key)
        out = []
        with self.db() as db:
            for r in db.execute(query):
                d = dict(r._mapping)
                d["profile"] = json.loads(d["profile"])
                d["fit"] = json.loads(d["fit"]) if d["fit"] else None
                out.append(OutcomeRow(**d))
        return out

    def signals(self, account: str | None = None) -> list[SignalRow]:
        t = signals_table
        query = sa.select(*(t.c[c] for c in _SIGNAL_COLS))
        if account:
            query = query.where(t.c.account == account)
        with self.db() as db:
            return [SignalRow(*r) for r in db.execute(
                query.order_by(t.c.recorded_at, t.c.key))]

    def evidence(self, icp: Icp) -> dict[tuple[str, str], ValueEvidence]:
        """``(attribute, value label) -> ValueEvidence`` for every value with any evidence."""
        table: dict[tuple[str, str], ValueEvidence] = {}

        def cell(attribute: str, label: str) -> ValueEvidence:
            key = (attribute, label)
            if key not in table:
                table[key] = ValueEvidence(attribute=attribute, value=label)
            return table[key]

        for row in self.outcomes():
            kind = "story" if row.source == "story" else "outcome"
            for attr in icp.attributes:
                label = attr.bucket_label(row.profile.get(attr.name))
                if label is None:
                    continue
                ev = cell(attr.name, label)
                ev.count(row.outcome, row.competitor)
                ev.sources.append(Source(kind=kind, id=row.source_id, account=row.account,
                                         detail=row.outcome, date=row.date))
        for sig in self.signals():
            found = icp.find(sig.attribute)
            if found is None:
                continue  # the attribute left icp.yaml; the row stays for the record
            label = found.bucket_label(sig.raw) if sig.raw is not None else None
            ev = cell(found.name, label or sig.value)
            if sig.signal == "supports":
                ev.supports += 1
            else:
                ev.against += 1
            ev.sources.append(Source(kind=sig.source, id=sig.source_id, account=sig.account,
                                     detail=sig.signal, date=sig.recorded_at[:10],
                                     quote=sig.quote))
        return table

    def table(self, icp: Icp) -> list[ValueEvidence]:
        """Every attribute value with evidence, in icp.yaml order, most evidence first."""
        order = {a.name: i for i, a in enumerate(icp.attributes)}
        rows = list(self.evidence(icp).values())
        return sorted(rows, key=lambda e: (order.get(e.attribute, 999), -e.closed,
                                           -(e.supports + e.against), e.value))

    def base_rate(self) -> ValueEvidence:
        """All outcomes together (the rate every value is compared with)."""
        ev = ValueEvidence(attribute="*", value="all deals")
        for row in self.outcomes():
            ev.count(row.outcome, row.competitor)
        return ev

    def account_fit(self, account: Account, icp: Icp) -> list[dict[str, Any]]:
        """The account against the stated ICP, each attribute with the evidence behind it."""
        return stated_fit(account, icp, evidence=self.evidence(icp))


__all__ = [
    "FILENAME",
    "MIN_EVIDENCE",
    "Ledger",
    "LedgerError",
    "OutcomeRow",
    "SignalRow",
    "Source",
    "ValueEvidence",
    "fit_summary",
    "wilson_interval",
]

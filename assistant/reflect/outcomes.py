"""Deal outcomes into the ICP ledger, and an account's ICP fit with the evidence behind it.

``record_outcome`` fills in what the rep does not give from the KB: the account's ICP
values (as the ledger's profile), the cycle length (days from the account's first note to
the outcome), and the number of people involved (the account's ``buying_committee_size``
when it has one, else the distinct customer contacts named in its notes). Delivery
friction and satisfaction are only for wins, and only when known: nothing is guessed.

A won or lost deal is closed: :func:`closing_stage` finds the stage of ``process.yaml`` that
records it (``Closed Won`` / ``Won``, ``Closed Lost`` / ``Lost``, ``No Decision``) and the
account's ``stage:`` line is set to it (the PLAYBOOK: the stage moves when the deal is won or
lost). A deal without a decision is recorded in a stage named for it (``No Decision``,
``Parked``, ``On Hold``, ``Stalled``); such a stage is no open stage, so a win in a process
whose stages end ``… Rolling, Lost, Parked`` closes at ``Rolling``. A process without a won
stage closes a win at its last open stage (the demo's ``Commit``); one without a lost (or
no-decision) stage leaves the stage as it is, and the result says so.

Touches the ledger (``knowledge.ledger``), the account's ``account.yaml`` (its stage line)
and reads the KB.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.errors import HuddleError
from knowledge.ledger import OutcomeRow, SignalRow, ValueEvidence, fit_summary
from knowledge.models import Process

if TYPE_CHECKING:
    from assistant.reflect.host import OutcomeHost

_CONTACT_NAME = re.compile(r"^\s*([^()]+?)\s*(?:\(.*\))?\s*$")


@dataclass
class OutcomeResult:
    row: OutcomeRow
    action: str  # added | updated
    derived: dict[str, str] = field(default_factory=dict)  # field -> how it was worked out
    stage: dict[str, str | None] = field(default_factory=dict)
    """``{"from", "to"}`` when the outcome closed the deal; ``{"note"}`` when it could not."""

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.action, "derived": self.derived, "stage": self.stage,
                **self.row.as_dict()}


_CLOSING = {
    "won": re.compile(r"\b(?:closed[- ]?)?(?:won|signed)\b", re.IGNORECASE),
    "lost": re.compile(r"\b(?:closed[- ]?)?lost\b", re.IGNORECASE),
    # a deal that ended without a decision is parked, on hold or stalled in most teams' words
    "no-decision": re.compile(r"\bno[- ]?decision\b|\b(?:stalled|parked|on[- ]hold|dormant|"
                              r"nurture|shelved|paused)\b", re.IGNORECASE),
}


def is_closing(stage: str) -> bool:
    """Whether a stage name records an outcome (won, lost, no decision)."""
    return any(p.search(stage) for p in _CLOSING.values())


def closing_stage(process: Process, outcome: str) -> str | None:
    """The stage of ``process`` that records ``outcome``, or None when it has none
    (:func:`closing_stage_of` its stage names)."""
    return closing_stage_of([s.name for s in process.stages], outcome)


def closing_stage_of(names: list[str], outcome: str) -> str | None:
    """The stage among ``names`` (in ``process.yaml`` order) that records ``outcome``.

    A stage named for it (``Closed Won``, ``Won``, ``Signed``, ``Closed Lost``, ``No
    Decision``, ``Shelved``); for a win without such a stage, the last stage before the lost
    one that names no other outcome (the furthest a deal goes, e.g. ``Commit``); for a deal
    without a decision, the stage listed last right after the lost one.
    """
    pattern = _CLOSING.get(outcome)
    if pattern is None:
        return None
    named = next((n for n in names if pattern.search(n)), None)
    if named is not None or outcome == "lost":
        return named
    # Closing stages follow the open ones: a team that names its no-decision stage in its own
    # words ("Shelved") lists it last, right after the lost one; a win closes at the last
    # stage before the lost one that names no other outcome ("Rolling", the demo's "Commit").
    lost = next((k for k, n in enumerate(names) if _CLOSING["lost"].search(n)), len(names))
    if outcome != "won":
        return names[-1] if lost == len(names) - 2 else None
    open_stages = [n for n in names[:lost] if not is_closing(n)]
    return open_stages[-1] if open_stages else None


def _close_stage(huddle: OutcomeHost, account: str, outcome: str, current: str,
                 ) -> dict[str, str | None]:
    """Set the account's stage to the one that records ``outcome``; what happened."""
    from assistant.reflect.writes import update_account_file

    kb = huddle.kb
    target = closing_stage(kb.process, outcome)
    if target is None:
        return {"from": current, "to": current,
                "note": f"process.yaml has no stage for a {outcome} deal: the account stays "
                        f"at {current}; add one (e.g. 'Closed Lost') to close it there"}
    changed = update_account_file(Path(kb.root), account, stage=target, attributes={})
    if changed:
        huddle.reload_kb()
    return {"from": current, "to": target}


@dataclass
class AccountFit:
    """``huddle icp explain``: each attribute's status and the evidence for its value."""

    account: str
    account_name: str
    stage: str
    items: list[dict[str, Any]]
    base: ValueEvidence
    signals: list[SignalRow]
    outcomes: list[OutcomeRow]

    @property
    def matching(self) -> list[str]:
        return [i["attribute"] for i in self.items if i["status"] == "match"]

    @property
    def mismatching(self) -> list[str]:
        return [i["attribute"] for i in self.items if i["status"] == "mismatch"]

    @property
    def unknown(self) -> list[str]:
        return [i["attribute"] for i in self.items if i["status"] == "unknown"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "account": self.account, "account_name": self.account_name, "stage": self.stage,
            "match": self.matching, "mismatch": self.mismatching, "unknown": self.unknown,
            "attributes": self.items, "all_deals": self.base.as_dict(),
            "signals": [s.as_dict() for s in self.signals],
            "outcomes": [o.as_dict() for o in self.outcomes],
        }


def record_outcome(
    huddle: OutcomeHost, account: str, outcome: str, *, reason: str | None = None,
    competitor: str | None = None, date: dt.date | str | None = None,
    cycle_days: int | None = None, people_involved: int | None = None,
    delivery_friction: str | None = None, satisfaction: int | None = None,
    deal_size: float | None = None, by: str | None = None, close_stage: bool = True,
) -> OutcomeResult:
    """Record the outcome in the ledger and, with ``close_stage``, move the account to the
    stage that records it (``closing_stage``)."""
    kb = huddle.kb
    acct = kb.account(account)
    if acct is None:
        raise HuddleError(f"unknown account {account!r}; accounts: "
                          + ", ".join(sorted(kb.accounts)), title="Unknown account")
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            raise HuddleError(f"dates are YYYY-MM-DD; got {date!r}", title="Date") from None
    date = date or huddle.clock.today()
    derived: dict[str, str] = {}
    notes = [n for n in kb.notes_for(account) if n.date <= date]
    if cycle_days is None and notes:
        first = min(n.date for n in notes)
        cycle_days = (date - first).days
        derived["cycle_days"] = f"from the first note ({first.isoformat()}) to {date.isoformat()}"
    values = acct.attribute_values(kb.icp)
    if people_involved is None:
        committee = values.get("buying_committee_size")
        if isinstance(committee, int | float) and not isinstance(committee, bool):
            people_involved = int(committee)
            derived["people_involved"] = "the account's buying_committee_size"
        else:
            names = set()
            for n in notes:
                for c in n.contacts:
                    m = _CONTACT_NAME.match(c)
                    if m:
                        names.add(m.group(1).casefold())
            if names:
                people_involved = len(names)
                derived["people_involved"] = "distinct customer contacts named in its notes"
    profile = {k: v for k, v in values.items() if v is not None}
    row, action = huddle.ledger.record_outcome(
        account=account, outcome=outcome, profile=profile, date=date, icp=kb.icp,
        competitor=competitor, reason=reason, cycle_days=cycle_days,
        people_involved=people_involved, delivery_friction=delivery_friction,
        satisfaction=satisfaction, deal_size=deal_size, recorded_by=by,
    )
    stage: dict[str, str | None] = {}
    if close_stage:
        stage = _close_stage(huddle, account, outcome, acct.stage)
    return OutcomeResult(row=row, action=action, derived=derived, stage=stage)


def icp_explain(huddle: OutcomeHost, account: str) -> AccountFit:
    kb = huddle.kb
    acct = kb.account(account)
    if acct is None:
        raise HuddleError(f"unknown account {account!r}; accounts: "
                          + ", ".join(sorted(kb.accounts)), title="Unknown account")
    ledger = huddle.ledger
    return AccountFit(
        account=acct.slug, account_name=acct.name, stage=acct.stage,
        items=ledger.account_fit(acct, kb.icp), base=ledger.base_rate(),
        signals=ledger.signals(account=acct.slug), outcomes=ledger.outcomes(account=acct.slug),
    )


def icp_evidence(huddle: OutcomeHost, attribute: str | None = None) -> list[ValueEvidence]:
    """The ledger's evidence per ICP value (in icp.yaml order), or one attribute's."""
    kb = huddle.kb
    if attribute and kb.icp.find(attribute) is None:
        raise HuddleError(f"unknown ICP attribute {attribute!r}; attributes: "
                          + ", ".join(a.name for a in kb.icp.attributes), title="ICP")
    table = huddle.ledger.table(kb.icp)
    return [e for e in table if e.attribute == attribute] if attribute else table


__all__ = ["AccountFit", "OutcomeResult", "closing_stage", "closing_stage_of", "fit_summary",
           "icp_evidence", "icp_explain", "is_closing", "record_outcome"]

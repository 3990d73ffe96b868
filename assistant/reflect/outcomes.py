"""Deal outcomes into the ICP ledger, and an account's ICP fit with the evidence behind it.

``record_outcome`` fills in what the rep does not give from the KB: the account's ICP
values (as the ledger's profile), the cycle length (days from the account's first note to
the outcome), and the number of people involved (the account's ``buying_committee_size``
when it has one, else the distinct customer contacts named in its notes). Delivery
friction and satisfaction are only for wins, and only when known: nothing is guessed.

Touches the ledger (``knowledge.ledger``) and reads the KB.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from knowledge.errors import HuddleError
from knowledge.ledger import OutcomeRow, SignalRow, ValueEvidence, fit_summary

if TYPE_CHECKING:
    from assistant.reflect.host import OutcomeHost

_CONTACT_NAME = re.compile(r"^\s*([^()]+?)\s*(?:\(.*\))?\s*$")


@dataclass
class OutcomeResult:
    row: OutcomeRow
    action: str  # added | updated
    derived: dict[str, str] = field(default_factory=dict)  # field -> how it was worked out

    def as_dict(self) -> dict[str, Any]:
        return {"action": self.action, "derived": self.derived, **self.row.as_dict()}


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
    deal_size: float | None = None, by: str | None = None,
) -> OutcomeResult:
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
    return OutcomeResult(row=row, action=action, derived=derived)


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


__all__ = ["AccountFit", "OutcomeResult", "fit_summary", "icp_evidence", "icp_explain",
           "record_outcome"]

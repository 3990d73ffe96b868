"""An account against the ICP as written in ``icp.yaml``: match, mismatch, unknown.

This is the team's stated belief (the ``ideal`` values). The evidence behind it — counts
of wins, losses and no-decisions per attribute value — lives in the ICP ledger
(``knowledge.ledger``); pass its ``evidence(icp)`` table to :func:`stated_fit` and each
attribute carries the counts behind its value.

Pure functions over the loaded KB.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.models import Account, Icp


def account_profile(account: Account, icp: Icp) -> dict[str, Any]:
    """The account's raw ICP attribute values (None when unknown)."""
    return account.attribute_values(icp)


def stated_fit(
    account: Account, icp: Icp, evidence: Mapping[tuple[str, str], Any] | None = None
) -> list[dict[str, Any]]:
    """Per attribute: value label, and match | mismatch | unknown | no-view.

    With ``evidence`` (``Ledger.evidence(icp)``: ``(attribute, label) -> ValueEvidence``)
    each item also carries the outcome counts, the win rate and its interval for the
    account's value, and the note says them in words.
    """
    return fit_of_values(account.attribute_values(icp), icp, evidence)


def fit_of_values(
    values: Mapping[str, Any], icp: Icp, evidence: Mapping[tuple[str, str], Any] | None = None
) -> list[dict[str, Any]]:
    """:func:`stated_fit` for raw attribute values (a story's profile, an outcome's)."""
    out = []
    for attr in icp.attributes:
        label = attr.bucket_label(values.get(attr.name))
        ideal_labels = [str(v).strip() for v in attr.ideal]
        if attr.kind == "bool":
            ideal_labels = [attr.bucket_label(v) or "" for v in attr.ideal]
        ideal = {v.casefold() for v in ideal_labels}
        if label is None:
            status, note = "unknown", "not recorded for this account"
        elif not ideal:
            status, note = "no-view", "icp.yaml states no ideal value"
        elif label.casefold() in ideal:
            status, note = "match", f"ideal: {', '.join(ideal_labels)}"
        else:
            status, note = "mismatch", f"ideal: {', '.join(ideal_labels)}"
        item: dict[str, Any] = {"attribute": attr.name, "value": label, "status": status,
                                "note": note}
        if evidence is not None and label is not None:
            ev = evidence.get((attr.name, label))
            if ev is None:
                item.update(won=0, lost=0, no_decision=0, enough_evidence=False)
                item["note"] = f"{note}; evidence: no outcomes with this value yet"
            else:
                lo_hi = ev.interval
                item.update(
                    won=ev.won, lost=ev.lost, no_decision=ev.no_decision,
                    win_rate=ev.win_rate, win_rate_low=lo_hi[0] if lo_hi else None,
                    win_rate_high=lo_hi[1] if lo_hi else None, enough_evidence=ev.enough,
                    signals_for=ev.supports, signals_against=ev.against,
                )
                item["note"] = f"{note}; evidence: {ev.summary()}"
        out.append(item)
    return out


def unknown_attributes(account: Account, icp: Icp) -> list[dict[str, str]]:
    """ICP facts we do not know about the account, each with a question to ask."""
    values = account.attribute_values(icp)
    out = []
    for attr in icp.attributes:
        if values.get(attr.name) is None:
            label = attr.name.replace("_", " ")
            hint = f" ({attr.description})" if attr.description else ""
            out.append({"attribute": attr.name,
                        "question": f"What is their {label}?{hint}"})
    return out

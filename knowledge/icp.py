"""An account against the ICP as written in ``icp.yaml``: match, mismatch, unknown.

This is the team's stated belief (the ``ideal`` values). The evidence behind it — counts
of wins, losses and no-decisions per attribute value — lives in the ICP ledger.

Pure functions over the loaded KB.
"""

from __future__ import annotations

from typing import Any

from knowledge.models import Account, Icp


def account_profile(account: Account, icp: Icp) -> dict[str, Any]:
    """The account's raw ICP attribute values (None when unknown)."""
    return account.attribute_values(icp)


def stated_fit(account: Account, icp: Icp) -> list[dict[str, Any]]:
    """Per attribute: value label, and match | mismatch | unknown | no-view."""
    values = account.attribute_values(icp)
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
        out.append({"attribute": attr.name, "value": label, "status": status, "note": note})
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

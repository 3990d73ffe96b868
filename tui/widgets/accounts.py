"""The account picker every form shares: the knowledge base's accounts by name."""

from __future__ import annotations

from typing import Any

from textual.widgets import Select


def fill_account_select(select: Select[str], kb: Any) -> None:
    """Offer ``kb``'s accounts, sorted by name; an account already picked stays picked."""
    current = select.value
    select.set_options([(a.name, slug) for slug, a in
                        sorted(kb.accounts.items(), key=lambda kv: kv[1].name)])
    if current != Select.NULL and current in kb.accounts:
        select.value = current

"""What the after-the-call modules need from the service, as protocols.

``assistant.service.Huddle`` satisfies both; ``assistant.reflect.service`` and
``assistant.reflect.outcomes`` depend on these shapes rather than on the service module, so the
service can import them without an import circle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from langgraph.checkpoint.sqlite import SqliteSaver

    from assistant.clock import Clock
    from assistant.config import Settings
    from assistant.llm.gateway import Gateway
    from assistant.plan import Buyer, Meeting
    from assistant.records import Records
    from knowledge.ingest import IngestReport
    from knowledge.ledger import Ledger
    from knowledge.models import KnowledgeBase

DecisionAnswer = (
    Literal["accept-all", "reject-all"] | Mapping[str, str | Mapping[str, str]] | None
)
"""The rep's answer at a reflection's checkpoint: ``"accept-all"``, ``"reject-all"`` or, per
item id, ``"accept"`` / ``"reject"`` / ``{"action": "edit", "value": ..., "signal": ...}``."""


class OutcomeHost(Protocol):
    """Enough of the service to record an outcome and explain a fit."""

    @property
    def clock(self) -> Clock: ...

    @property
    def kb(self) -> KnowledgeBase: ...

    @property
    def ledger(self) -> Ledger: ...

    def reload_kb(self) -> KnowledgeBase: ...


class ReflectionHost(OutcomeHost, Protocol):
    """Enough of the service to run a reflection."""

    @property
    def settings(self) -> Settings: ...

    @property
    def records(self) -> Records: ...

    @property
    def gateway(self) -> Gateway: ...

    def ensure_ingested(self, progress: Callable[[str, int, int], None] | None = None
                        ) -> IngestReport: ...

    def checkpointer(self) -> SqliteSaver: ...

    def meeting(
        self, *, account: str, kind: str, date: dt.date | str, sellers: list[str] | str,
        buyers: list[Buyer] | str = "", goal: str | None = None, minutes: int = 45,
    ) -> Meeting: ...


__all__ = ["DecisionAnswer", "OutcomeHost", "ReflectionHost"]

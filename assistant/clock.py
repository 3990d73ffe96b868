"""The service's one clock: every "now" and "today" in Huddle comes from here.

``Huddle(settings, clock=...)`` owns a :class:`Clock`; everything that stamps or compares
time (plans, reviews, meetings, reflections, outcomes, the ledger, the calendar's
"tomorrow", exports, the app and the CLI) asks that clock, never ``datetime.now()``. Tests
and eval runs hand in ``Clock.fixed(...)`` so nothing depends on the day they run.

Pure; touches nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


def _system_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True)
class Clock:
    """``now()`` is timezone-aware, in the user's zone; ``today()`` is that zone's date."""

    source: Callable[[], dt.datetime] = _system_now

    @classmethod
    def fixed(cls, at: dt.datetime) -> Clock:
        """A clock that always reads ``at`` (naive times are taken as UTC)."""
        aware = at if at.tzinfo is not None else at.replace(tzinfo=dt.UTC)
        return cls(lambda: aware)

    def now(self) -> dt.datetime:
        value = self.source()
        return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)

    @property
    def tz(self) -> dt.tzinfo:
        zone = self.now().tzinfo
        assert zone is not None
        return zone

    def today(self) -> dt.date:
        return self.now().date()

    def tomorrow(self) -> dt.date:
        return self.today() + dt.timedelta(days=1)

    def stamp(self) -> str:
        """Now in UTC as ISO 8601 to the second: what records store as ``created_at``."""
        return self.now().astimezone(dt.UTC).isoformat(timespec="seconds")


SYSTEM = Clock()

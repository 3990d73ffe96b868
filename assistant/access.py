"""Who may do what: the roles of team.yaml decide the review actions a person may take.

Roles are in force when team.yaml names at least one manager (``role: manager``) and the
config says who is using Huddle (``me``, or ``HUDDLE_ME``). Then:

- only a manager approves a plan or sends it back (request changes);
- a rep submits and revises only the plans they drafted (or plans that name no one, drafted
  before team mode); a manager may submit and revise anyone's;
- everyone signs as themselves: ``by`` (``--by``) naming someone else is refused.

Otherwise (one person: no manager in team.yaml, or no ``me``) everyone may do everything and
``by`` signs as given, as Huddle always did. A refusal is :class:`NotAllowed`, raised before
anything is written, naming the person, their role and what to do.

Reads the settings and the team given to it; touches nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.config import Settings
from knowledge.errors import HuddleError
from knowledge.models import Team

MANAGER_ONLY = {"approve": "approve a plan", "request_changes": "send a plan back"}
OWN_PLANS = {"submit": "submit", "revise": "revise"}


class NotAllowed(HuddleError):
    """The person's role does not allow the action; nothing was written."""

    title = "Not allowed"


@dataclass(frozen=True)
class Actor:
    """The person using Huddle, as team.yaml spells them when it lists them."""

    name: str
    role: str  # "rep" | "manager"
    in_team: bool
    enforced: bool  # roles in force (a manager in team.yaml and ``me`` set)

    @property
    def is_manager(self) -> bool:
        return self.role == "manager"


def _same(a: str | None, b: str | None) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


class Access:
    """Checks a person's actions against their role (``assistant.service.Huddle.access``)."""

    def __init__(self, settings: Settings, team: Callable[[], Team | None]) -> None:
        self._settings = settings
        self._team = team

    def _team_or_none(self) -> Team | None:
        try:
            return self._team()
        except HuddleError:  # a KB that does not load: no roles to check against
            return None

    def actor(self) -> Actor:
        team = self._team_or_none()
        me = " ".join((self._settings.me or "").split()) or None
        name = me or self._settings.user
        person = team.find(name) if team else None
        managers = bool(team and any(p.role == "manager" for p in team.people))
        return Actor(name=person.name if person else name,
                     role=person.role if person else "rep", in_team=person is not None,
                     enforced=managers and me is not None)

    def managers(self) -> list[str]:
        team = self._team_or_none()
        return [p.name for p in team.people if p.role == "manager"] if team else []

    def check(self, action: str, *, by: str | None = None, author: str | None = None,
              plan: str = "") -> Actor:
        """Raise :class:`NotAllowed` unless the person may do ``action`` (``approve``,
        ``request_changes``, ``submit``, ``revise``) on a plan ``author`` drafted; returns
        who acts."""
        who = self.actor()
        if not who.enforced:
            return who
        if by and not _same(by, who.name):
            raise NotAllowed(
                f"you are {who.name} (`me` in the config), so you sign as yourself: --by "
                f"{' '.join(by.split())} would sign as someone else. Leave --by out, or ask "
                f"{' '.join(by.split())} to do it; nothing was written")
        if action in MANAGER_ONLY and not who.is_manager:
            raise NotAllowed(f"{self._describe(who)}: only a manager may "
                             f"{MANAGER_ONLY[action]}{plan and f' ({plan})'}. "
                             f"{self._ask_a_manager(who)}; nothing was written")
        if action in OWN_PLANS and not who.is_manager and author and not _same(author,
                                                                                who.name):
            raise NotAllowed(f"{self._describe(who)}: a rep may {OWN_PLANS[action]} only the "
                             f"plans they drafted, and {plan or 'this plan'} is {author}'s. Ask "
                             f"{author} or a manager; nothing was written")
        return who

    def _describe(self, who: Actor) -> str:
        if who.in_team:
            return f"{who.name} is a rep in team.yaml"
        return (f"{who.name} (`me` in the config) is not in team.yaml, so Huddle treats them "
                "as a rep")

    def _ask_a_manager(self, who: Actor) -> str:
        names = self.managers()
        ask = f"Ask a manager ({', '.join(names)})" if names else "Ask a manager"
        if not who.in_team:
            return (f"{ask}, or set `me` in the config to your name as team.yaml spells it "
                    "(a manager there has `role: manager`)")
        return ask

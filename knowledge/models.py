"""Pydantic models of the knowledge base on disk (the file contract).

The keys named in ``knowledge/README.md`` are a contract: knowledge bases written by other
people must load, so required keys never change name. Optional keys may be added. Unknown
keys are kept (``extra="allow"``) so a team can carry its own fields without breaking us.

Touches nothing but pydantic; loading and file errors live in ``knowledge.loader``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

NOTE_KINDS = ("call", "email", "meeting", "research")
OUTCOMES = ("won", "lost", "no-decision")
ATTRIBUTE_KINDS = ("category", "number", "bool")

NoteKind = Literal["call", "email", "meeting", "research"]
Outcome = Literal["won", "lost", "no-decision"]
AttributeKind = Literal["category", "number", "bool"]

_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")
_SLUG_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


def _check_id(value: str) -> str:
    if not _ID_RE.match(value):
        raise ValueError(
            "ids use letters, digits and . _ : - (no spaces), start with a letter or digit, "
            f"at most 128 characters; got {value!r}"
        )
    return value


class Person(_Model):
    """Someone on the selling side."""

    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    strengths: list[str] = Field(min_length=1)
    weaknesses: list[str] = Field(default_factory=list)
    email: str | None = None
    role: Literal["rep", "manager"] = Field(
        default="rep", description="in Huddle: a rep drafts plans; a manager reviews the "
        "team's plans (added in team mode; a person without it is a rep)")


class Team(_Model):
    people: list[Person] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> Team:
        seen: set[str] = set()
        for person in self.people:
            key = person.name.casefold()
            if key in seen:
                raise ValueError(f"person {person.name!r} is listed twice (names are "
                                 "compared without case): keep one entry, or tell the two "
                                 "people apart by name")
            seen.add(key)
        return self

    def find(self, name: str) -> Person | None:
        key = name.strip().casefold()
        return next((p for p in self.people if p.name.casefold() == key), None)


class Stage(_Model):
    name: str = Field(min_length=1)
    exit_criteria: list[str] = Field(min_length=1)
    activities: list[str] = Field(default_factory=list)


class Process(_Model):
    stages: list[Stage] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_stages(self) -> Process:
        names = [s.name.casefold() for s in self.stages]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"stage names must be unique; repeated: {', '.join(dupes)}")
        return self

    def stage_names(self) -> list[str]:
        return [s.name for s in self.stages]

    def find(self, name: str) -> Stage | None:
        key = name.strip().casefold()
        return next((s for s in self.stages if s.name.casefold() == key), None)

    def index(self, name: str) -> int:
        key = name.strip().casefold()
        for i, stage in enumerate(self.stages):
            if stage.name.casefold() == key:
                return i
        raise KeyError(name)

    def next_stage(self, name: str) -> Stage | None:
        i = self.index(name)
        return self.stages[i + 1] if i + 1 < len(self.stages) else None


class IcpAttribute(_Model):
    name: str = Field(min_length=1)
    kind: AttributeKind
    buckets: list[float] = Field(default_factory=list)
    description: str | None = None
    ideal: list[Any] = Field(
        default_factory=list,
        description="optional: the values (or bucket labels) the team currently believes fit",
    )

    @model_validator(mode="after")
    def _buckets_for_numbers(self) -> IcpAttribute:
        if self.kind == "number":
            if not self.buckets:
                raise ValueError(
                    f"attribute {self.name!r} is a number: give `buckets`, ascending bounds "
                    "such as [100, 500, 2000]"
                )
            if sorted(self.buckets) != self.buckets or len(set(self.buckets)) != len(self.buckets):
                raise ValueError(f"buckets of {self.name!r} must be strictly ascending")
        elif self.buckets:
            raise ValueError(
                f"`buckets` is only for number attributes ({self.name!r} is {self.kind})"
            )
        return self

    def bucket_label(self, value: Any) -> str | None:
        """The label a value is counted under in the ICP ledger (None when unknown)."""
        if value is None or value == "":
            return None
        if self.kind == "number":
            try:
                number = float(value)
            except (TypeError, ValueError):
                return None
            bounds = self.buckets
            if number < bounds[0]:
                return f"<{_fmt(bounds[0])}"
            for lo, hi in zip(bounds, bounds[1:], strict=False):
                if lo <= number < hi:
                    return f"{_fmt(lo)}-{_fmt(hi - 1) if float(hi).is_integer() else _fmt(hi)}"
            return f"{_fmt(bounds[-1])}+"
        if self.kind == "bool":
            if isinstance(value, bool):
                return "yes" if value else "no"
            text = str(value).strip().casefold()
            if text in {"true", "yes", "y", "1"}:
                return "yes"
            if text in {"false", "no", "n", "0"}:
                return "no"
            return None
        return str(value).strip().casefold()

    def bucket_labels(self) -> list[str]:
        if self.kind == "number":
            labels = [self.bucket_label(self.buckets[0] - 1)]
            labels += [self.bucket_label(b) for b in self.buckets]
            return [x for x in labels if x]
        if self.kind == "bool":
            return ["yes", "no"]
        return []


def _fmt(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


class Icp(_Model):
    attributes: list[IcpAttribute] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique(self) -> Icp:
        names = [a.name for a in self.attributes]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"attribute names must be unique; repeated: {', '.join(dupes)}")
        return self

    def find(self, name: str) -> IcpAttribute | None:
        return next((a for a in self.attributes if a.name == name), None)


class Account(_Model):
    """``accounts/<slug>/account.yaml``: firmographics, stage and ICP attribute values."""

    slug: str
    name: str = Field(min_length=1)
    stage: str = Field(min_length=1)
    domains: list[str] = Field(default_factory=list)
    owner: str | None = Field(
        default=None, description="the seller who owns the account (a team.yaml name); "
        "default: the author of most of its notes")

    @field_validator("slug")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG_RE.match(value):
            raise ValueError(f"slug must be lowercase letters, digits and '-'; got {value!r}")
        return value

    def attribute_values(self, icp: Icp) -> dict[str, Any]:
        extra = self.model_extra or {}
        return {a.name: extra.get(a.name) for a in icp.attributes}


class Note(_Model):
    """``accounts/<slug>/notes/*.md``: front matter plus the note body."""

    id: str
    date: dt.date
    author: str = Field(min_length=1)
    kind: NoteKind
    contacts: list[str] = Field(default_factory=list)
    title: str | None = None
    # filled by the loader, not read from front matter
    account: str = ""
    body: str = ""
    path: str = ""

    _id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return _parse_date(value)

    @field_validator("contacts", mode="before")
    @classmethod
    def _contacts(cls, value: Any) -> Any:
        return rejoin_contacts(value) if isinstance(value, list) else value


def rejoin_contacts(items: list[Any]) -> list[Any]:
    """A YAML flow list splits at every comma, also inside a title in brackets:
    ``[Paula Graves (Director, Materials Management)]`` arrives as two items; join them back."""
    out: list[Any] = []
    for item in items:
        prev = out[-1] if out else None
        if isinstance(item, str) and isinstance(prev, str) and prev.count("(") > prev.count(")"):
            out[-1] = f"{prev}, {item.strip()}"
        else:
            out.append(item)
    return out


class Story(_Model):
    """``stories/*.md``: a win, loss or no-decision told for the team to learn from."""

    id: str
    outcome: Outcome
    account_profile: dict[str, Any]
    cycle_days: int = Field(ge=0)
    deal_size: float = Field(ge=0)
    roles: dict[str, str]
    account: str | None = None
    title: str | None = None
    date: dt.date | None = None
    competitor: str | None = None
    people_involved: int | None = Field(default=None, ge=0)
    delivery_friction: Literal["low", "medium", "high"] | None = None
    satisfaction: int | None = Field(default=None, ge=1, le=5)
    body: str = ""
    path: str = ""

    _id = field_validator("id")(classmethod(lambda cls, v: _check_id(v)))

    @field_validator("date", mode="before")
    @classmethod
    def _date(cls, value: Any) -> Any:
        return None if value is None else _parse_date(value)


def _parse_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            parts = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value.strip())
            if parts:
                try:
                    dt.date(*(int(x) for x in parts.groups()))
                except ValueError as exc:
                    raise ValueError(f"{value.strip()!r} is not a real date ({exc}): "
                                     "fix it as YYYY-MM-DD") from None
            raise ValueError(f"dates are YYYY-MM-DD; got {value!r}") from None
    raise ValueError(f"dates are YYYY-MM-DD; got {value!r}")


class KnowledgeBase(BaseModel):
    """A loaded, validated knowledge base."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    root: str
    team: Team
    process: Process
    icp: Icp
    accounts: dict[str, Account]
    notes: list[Note]
    stories: list[Story]

    def notes_for(self, slug: str) -> list[Note]:
        return [n for n in self.notes if n.account == slug]

    def note(self, note_id: str) -> Note | None:
        return next((n for n in self.notes if n.id == note_id), None)

    def story(self, story_id: str) -> Story | None:
        return next((s for s in self.stories if s.id == story_id), None)

    def account(self, slug: str) -> Account | None:
        return self.accounts.get(slug)

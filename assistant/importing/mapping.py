"""The mapping file: how CRM values become knowledge-base values, written down and reviewed.

```yaml
stages:            # CRM stage -> a stage of process.yaml (required for account stages)
  Prospecting: Discovery
  Proposal/Price Quote: Solution
outcomes:          # optional: CRM stage -> won | lost | no-decision (IsWon/IsClosed win)
  Closed - No Decision: no-decision
fields:            # CRM column -> ICP attribute of icp.yaml
  Industry: industry
  NumberOfEmployees: employees
values:            # optional, per attribute: CRM value -> KB value
  industry: {Transportation: logistics}
users:             # CRM user (id, name or e-mail) -> a person of team.yaml
  0055e000003XyZaAAC: Avery Cole
accounts:          # optional: CRM account (id or name), or a transcript folder -> slug
  001Dp00000Kz1QzIAJ: summit
domains:           # optional: e-mail domain -> slug (besides `domains` in account.yaml)
  summit-freight.example: summit
transcripts:       # optional: file glob (relative to the source) -> slug
  "calls/summit-*.vtt": summit
internal_domains: [beacon.example]   # our own domains (team.yaml e-mails count already)
default_stage: Discovery             # optional: stage when no deal stage maps
default_author: Avery Cole           # optional: author when the export names nobody
create_accounts: true                # new CRM accounts get a folder (slug from the name)
stories: true                        # closed deals become stories/*.md
kinds: {Task: call}                  # optional: CRM object / activity type -> note kind
date_format: "%m/%d/%Y"              # optional: dates of report exports
```

Keys are matched case-insensitively, ignoring spaces and punctuation ("Closed Won" =
"closedwon"). A value the mapping does not cover is reported in the plan, never guessed.
Touches the mapping file (read); pure otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from knowledge.errors import HuddleError
from knowledge.models import KnowledgeBase


class ImportMappingError(HuddleError):
    """The mapping file is broken or names stages, attributes or people the KB lacks."""

    title = "Import mapping"


class Mapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stages: dict[str, str] = Field(default_factory=dict)
    outcomes: dict[str, Literal["won", "lost", "no-decision"]] = Field(default_factory=dict)
    fields: dict[str, str] = Field(default_factory=dict)
    values: dict[str, dict[str, Any]] = Field(default_factory=dict)
    users: dict[str, str] = Field(default_factory=dict)
    accounts: dict[str, str] = Field(default_factory=dict)
    domains: dict[str, str] = Field(default_factory=dict)
    transcripts: dict[str, str] = Field(default_factory=dict)
    internal_domains: list[str] = Field(default_factory=list)
    default_stage: str | None = None
    default_author: str | None = None
    create_accounts: bool = True
    stories: bool = True
    kinds: dict[str, Literal["call", "email", "meeting", "research"]] = Field(
        default_factory=dict)
    date_format: str | None = None

    def check(self, kb: KnowledgeBase) -> list[str]:
        """Every target the KB does not have, as text that says what to fix."""
        problems = []
        stages = kb.process.stage_names()
        for crm, stage in self.stages.items():
            if kb.process.find(stage) is None:
                problems.append(f"stages.{crm}: {stage!r} is not a stage of process.yaml "
                                f"({', '.join(stages)})")
        if self.default_stage and kb.process.find(self.default_stage) is None:
            problems.append(f"default_stage: {self.default_stage!r} is not a stage of "
                            f"process.yaml ({', '.join(stages)})")
        attrs = [a.name for a in kb.icp.attributes]
        for column, attr in self.fields.items():
            if kb.icp.find(attr) is None:
                problems.append(f"fields.{column}: {attr!r} is not an attribute of icp.yaml "
                                f"({', '.join(attrs)})")
        for attr in self.values:
            if kb.icp.find(attr) is None:
                problems.append(f"values.{attr}: not an attribute of icp.yaml")
        names = [p.name for p in kb.team.people]
        for crm, person in self.users.items():
            if kb.team.find(person) is None:
                problems.append(f"users.{crm}: {person!r} is not in team.yaml "
                                f"({', '.join(names)})")
        if self.default_author and kb.team.find(self.default_author) is None:
            problems.append(f"default_author: {self.default_author!r} is not in team.yaml")
        for section in ("accounts", "domains", "transcripts"):
            for key, slug in getattr(self, section).items():
                if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,63}", slug):
                    problems.append(f"{section}.{key}: {slug!r} is not a slug (lowercase "
                                    "letters, digits and -)")
        return problems


def norm(value: str) -> str:
    return re.sub(r"[^0-9a-z]", "", value.casefold())


class Lookup:
    """Normalised lookups into one mapping section, counting what was not found."""

    def __init__(self, table: dict[str, Any], label: str, unmapped: dict[str, Counter[str]]):
        self.table = {norm(k): v for k, v in table.items()}
        self.label = label
        self.unmapped = unmapped

    def get(self, *keys: str, report: str | None = None) -> Any:
        for key in keys:
            if key and norm(key) in self.table:
                return self.table[norm(key)]
        if report:
            self.unmapped.setdefault(self.label, Counter())[report] += 1
        return None


def load_mapping(path: str | Path | None) -> Mapping:
    """The mapping at ``path`` (None: an empty mapping); :class:`ImportMappingError` says
    what to fix."""
    if path is None:
        return Mapping()
    p = Path(path).expanduser()
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ImportMappingError(f"{p}: no such mapping file") from None
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ImportMappingError(f"{p}: not readable YAML ({exc})") from None
    if data is None:
        return Mapping()
    if not isinstance(data, dict):
        raise ImportMappingError(f"{p}: expected a YAML mapping (stages:, fields:, users: ...)")
    for key in ("stages", "fields", "users", "accounts", "domains", "transcripts", "kinds",
                "outcomes"):
        if isinstance(data.get(key), dict):  # YAML reads 0055e... ids fine; numbers too
            data[key] = {str(k): v for k, v in data[key].items()}
    try:
        return Mapping.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            loc = ".".join(str(x) for x in err["loc"])
            msg = "unknown key (see docs/import.md)" if err["type"] == "extra_forbidden" \
                else err["msg"]
            lines.append(f"  - {loc}: {msg}")
        raise ImportMappingError(f"{p}: {len(lines)} problem(s)\n" + "\n".join(lines)) from None

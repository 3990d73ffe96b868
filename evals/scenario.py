"""Eval scenarios: find them, load them, validate them (the format is in evals/README.md).

A scenario is a YAML mapping with at least ``id`` and ``meeting``. :func:`discover` walks a
folder recursively for ``*.yaml`` files, leaves out knowledge-base folders (a folder holding
``team.yaml``) and files that are not scenario mappings, and says why it left each one out.
:func:`load_scenario` validates one file with pydantic and raises :class:`ScenarioError`
naming the file and the field; keys the format does not know are kept as warnings (a newer
scenario may add fields), because a misspelt key would otherwise silently turn an
expectation off.

Touches only the scenario files it is given; imports nothing heavy.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from assistant.config import DEMO_KB
from assistant.errors import HuddleError
from assistant.plan import MEETING_KINDS, ROLES

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]*\.v\d+$")
Objective = Literal["met", "partial", "missed", "unknown"]
Outcome = Literal["won", "lost", "no-decision"]
Signal = Literal["supports", "against"]


class ScenarioError(HuddleError):
    """A scenario file that cannot be run: the message names the file and the field."""

    title = "Scenario"


class _Strict(BaseModel):
    # unknown keys are kept (``model_extra``) and reported as warnings, never fatal
    model_config = ConfigDict(extra="allow", str_strip_whitespace=True)


def _strs(value: Any) -> Any:
    """YAML turns ``[2026, yes]`` into numbers and booleans; expectations are text."""
    if isinstance(value, list):
        return [str(v) if isinstance(v, int | float | bool) else v for v in value]
    return value


class Buyer(_Strict):
    name: str = Field(min_length=1)
    title: str = ""


class ScenarioMeeting(_Strict):
    account: str = Field(min_length=1)
    date: dt.date
    kind: str
    sellers: list[str] = Field(min_length=1, max_length=5)
    buyers: list[Buyer] = Field(default_factory=list)
    goal: str | None = None
    minutes: int = Field(default=45, ge=10, le=240)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        if value not in MEETING_KINDS:
            raise ValueError(f"unknown meeting kind {value!r}; kinds: {', '.join(MEETING_KINDS)}")
        return value


class PlanExpect(_Strict):
    """What the pre-call plan must (not) contain. ``None`` = not scored."""

    retrieve: list[str] | None = None
    cite: list[str] | None = None
    mention: list[str] | None = None
    not_mention: list[str] | None = None
    roles: dict[str, list[str]] | None = None
    # judgement: phrases (case-insensitive substrings) each section must hold
    objections: list[str] | None = None
    """The customer's objections: each phrase in the plan's objections section."""
    open_items: list[str] | None = None
    """Work owed before the call: each phrase among the plan's open items or checklist."""
    risks: list[str] | None = None
    """Each phrase in some risk (its text or mitigation)."""
    buyers: dict[str, list[str]] | None = None
    """Buyer name -> phrases that buyer's own lines must hold."""
    exit_gap: dict[str, str] | None = None
    """A phrase of an exit criterion -> its status before the call: met, open or unknown."""

    _coerce = field_validator("retrieve", "cite", "mention", "not_mention", "objections",
                              "open_items", "risks", mode="before")(lambda cls, v: _strs(v))

    @field_validator("buyers", mode="before")
    @classmethod
    def _buyers(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: ([v] if isinstance(v, str) else v) for k, v in value.items()}
        return value

    @field_validator("exit_gap")
    @classmethod
    def _gap(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for phrase, status in (value or {}).items():
            if status not in ("met", "open", "unknown"):
                raise ValueError(f"exit_gap {phrase!r}: status must be met, open or unknown; "
                                 f"got {status!r}")
        return value

    @field_validator("roles", mode="before")
    @classmethod
    def _roles(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: ([v] if isinstance(v, str) else v) for k, v in value.items()}
        return value

    @field_validator("roles")
    @classmethod
    def _known_roles(cls, value: dict[str, list[str]] | None) -> dict[str, list[str]] | None:
        for seller, roles in (value or {}).items():
            unknown = [r for r in roles if r not in ROLES]
            if unknown:
                raise ValueError(f"{seller}: unknown role(s) {', '.join(unknown)}; "
                                 f"roles: {', '.join(ROLES)}")
        return value


class IcpExpect(_Strict):
    attribute: str = Field(min_length=1)
    value: str
    signal: Signal

    @field_validator("value", mode="before")
    @classmethod
    def _value(cls, value: Any) -> Any:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value) if isinstance(value, int | float) else value


class AfterCallExpect(_Strict):
    objective: Objective | None = None
    stage_after: str | None = None
    facts: list[str] | None = None
    icp: list[IcpExpect] | None = None

    _coerce = field_validator("facts", mode="before")(lambda cls, v: _strs(v))


class AfterCall(_Strict):
    notes: str = Field(min_length=1)
    outcome: Outcome | None = None
    expect: AfterCallExpect = Field(default_factory=AfterCallExpect)


class Scenario(_Strict):
    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    kb: str | None = None
    kb_overlay: dict[str, str] | None = None
    meeting: ScenarioMeeting
    expect: PlanExpect = Field(default_factory=PlanExpect)
    after_call: AfterCall | None = None

    # set by load_scenario, never read from the file
    _path: Path = PrivateAttr(default=Path("."))
    _kb_path: Path = PrivateAttr(default=DEMO_KB)
    _warnings: list[str] = PrivateAttr(default_factory=list)

    @property
    def path(self) -> Path:
        """The scenario file (absolute)."""
        return self._path

    @property
    def kb_path(self) -> Path:
        """The KB folder: ``kb`` resolved relative to the file, or the bundled demo KB."""
        return self._kb_path

    @property
    def warnings(self) -> list[str]:
        """Unknown keys and other things worth fixing that do not stop the run."""
        return self._warnings

    @field_validator("kb_overlay")
    @classmethod
    def _overlay_paths(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        for name in value or {}:
            p = PurePosixPath(name)
            if p.is_absolute() or ".." in p.parts or not p.parts or "\\" in name:
                raise ValueError(f"overlay path {name!r} must be relative inside the KB")
        return value


# ---- discovery -----------------------------------------------------------------------


@dataclass(frozen=True)
class Skipped:
    """A ``*.yaml`` file under the scenarios folder that is not run, and why."""

    path: Path
    reason: str

    def as_dict(self) -> dict[str, str]:
        return {"file": str(self.path), "reason": self.reason}


def discover(root: str | Path) -> tuple[list[Path], list[Skipped]]:
    """Scenario candidates under ``root`` (a folder, searched recursively, or one file).

    Returns the files that look like scenarios (a mapping with ``id`` and ``meeting``),
    sorted, and the ``*.yaml`` files left out with the reason. Folders that are knowledge
    bases (they hold ``team.yaml``) and hidden folders are not searched; each such KB is
    reported once, not file by file.
    """
    root = Path(root)
    if root.is_file():
        return [root], []
    if not root.is_dir():
        raise ScenarioError(f"{root}: no such folder or file", title="Scenarios")
    found: list[Path] = []
    skipped: list[Skipped] = []

    def walk(folder: Path) -> None:
        if folder != root and (folder / "team.yaml").is_file():
            skipped.append(Skipped(folder, "a knowledge base (holds team.yaml), not scenarios"))
            return
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith("."):
                continue
            if entry.is_dir():
                walk(entry)
            elif entry.suffix == ".yaml" and entry.is_file():
                reason = _not_a_scenario(entry)
                if reason:
                    skipped.append(Skipped(entry, reason))
                else:
                    found.append(entry)

    walk(root)
    return found, skipped


def _not_a_scenario(path: Path) -> str | None:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (yaml.YAMLError, UnicodeDecodeError):
        return None  # broken YAML is reported by load_scenario as an error, not hidden
    except OSError as exc:
        return f"unreadable: {exc}"
    if not isinstance(data, dict):
        return f"not a mapping (a {type(data).__name__})"
    missing = [k for k in ("id", "meeting") if k not in data]
    if missing:
        return f"no {' or '.join(repr(k) for k in missing)} key: not a scenario"
    return None


# ---- loading -------------------------------------------------------------------------


def raw_id(path: Path) -> str | None:
    """The ``id`` written in a file, even one that does not validate (for error reports)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    value = data.get("id") if isinstance(data, dict) else None
    return str(value) if isinstance(value, str | int | float) and str(value).strip() else None


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate one scenario file; :class:`ScenarioError` names file and field."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read ({exc})") from exc
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 1}" if where is not None else ""
        raise ScenarioError(f"{path}: not valid YAML{line}: "
                            f"{getattr(exc, 'problem', None) or exc}") from exc
    if not isinstance(data, dict):
        raise ScenarioError(f"{path}: a scenario is a YAML mapping, not a {type(data).__name__}")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
            msg = err["msg"].removeprefix("Value error, ")
            problems.append(f"{loc}: {msg}")
        raise ScenarioError(f"{path}: " + "; ".join(problems)) from exc

    warnings = [f"unknown key {k!r}" for k in _unknown_keys(scenario)]
    if not ID_PATTERN.match(scenario.id):
        warnings.append(f"id {scenario.id!r} does not follow <name>.v<N>")
    if scenario.kb is not None:
        kb_path = (path.parent / scenario.kb).resolve()
        if not kb_path.is_dir():
            raise ScenarioError(f"{path}: kb: {scenario.kb!r} is not a folder "
                                f"(resolved relative to the scenario file: {kb_path})")
    else:
        kb_path = DEMO_KB
    for name in scenario.kb_overlay or {}:
        if (kb_path / name).exists():
            warnings.append(f"kb_overlay replaces {name}, which exists in the KB "
                            "(not part of the contract: use a new file name)")
    scenario._path = path.resolve()
    scenario._kb_path = kb_path
    scenario._warnings = warnings
    return scenario


def _unknown_keys(model: BaseModel, prefix: str = "") -> list[str]:
    out = [f"{prefix}{k}" for k in (model.model_extra or {})]
    for name in type(model).model_fields:
        value = getattr(model, name)
        items = value if isinstance(value, list) else [value]
        for i, item in enumerate(items):
            if isinstance(item, BaseModel):
                where = f"{prefix}{name}[{i}]." if isinstance(value, list) else f"{prefix}{name}."
                out += _unknown_keys(item, where)
    return out

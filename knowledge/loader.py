"""Load and validate a knowledge base folder (the files are the source of truth).

``check_kb`` reads every file and returns every problem in one pass; ``load_kb`` raises
:class:`KnowledgeBaseError` listing them all. Nothing here writes anything.

Touches: the KB folder (read only). Imports pydantic and yaml only.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from knowledge.errors import KbProblem, KnowledgeBaseError
from knowledge.models import (
    Account,
    Icp,
    KnowledgeBase,
    Note,
    Process,
    Story,
    Team,
)

MAX_FILE_BYTES = 1_000_000



def _timestamp_or_text(loader: Any, node: Any) -> Any:
    """A YAML date, or its text when it is not a real date (``2026-13-45``), so the model's
    validation names the file and the field instead of the YAML library raising."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return str(node.value)


class _SafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` whose impossible dates come back as text."""


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


# libyaml's parser with PyYAML's safe constructor: same values as yaml.safe_load, about 10x
# faster (a 10k-note KB re-ingest spent 3.9 s of 4.6 s in the pure-Python scanner).
class _FastLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's safe loader whose impossible dates come back as text."""


_FastLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)
_FAST_LOADER: Any = _FastLoader


@dataclass
class LoadReport:
    """What ``check_kb`` found: the KB (None when there are problems) and the problems."""

    root: Path
    kb: KnowledgeBase | None
    problems: list[KbProblem] = field(default_factory=list)
    file_hashes: dict[str, str] = field(default_factory=dict)  # relative path -> sha256

    @property
    def ok(self) -> bool:
        return not self.problems


class _Reader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[KbProblem] = []
        self.hashes: dict[str, str] = {}

    def rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:  # pragma: no cover - paths always come from root
            return str(path)

    def problem(self, path: Path | str, fld: str, message: str) -> None:
        where = path if isinstance(path, str) else self.rel(path)
        self.problems.append(KbProblem(where, fld, message))

    def inside(self, path: Path) -> bool:
        """Whether ``path``, with every link resolved, is still under the KB root."""
        try:
            path.resolve().relative_to(self.root)
        except (ValueError, OSError, RuntimeError):  # outside, or a link loop
            return False
        return True

    def read_bytes(self, path: Path) -> bytes | None:
        """The bytes of a regular file inside the KB, at most ``MAX_FILE_BYTES``; anything
        else (a link out of the KB, a folder, a pipe, a device, a huge file) is a problem."""
        rel = self.rel(path)
        if not self.inside(path):
            self.problem(rel, "", "a link to a file outside the knowledge base: links out are "
                         "not followed; copy the file into the knowledge base instead")
            return None
        try:
            # O_NONBLOCK: opening a FIFO must not wait for a writer
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except OSError as exc:
            self.problem(rel, "", f"cannot read the file ({exc.strerror})")
            return None
        try:
            info = os.fstat(fd)
            if stat.S_ISDIR(info.st_mode):
                self.problem(rel, "", "a folder, not a file: rename it or move what it holds")
                return None
            if not stat.S_ISREG(info.st_mode):
                self.problem(rel, "", "not a regular file (a pipe, socket or device): "
                             "remove it; only text files belong in the knowledge base")
                return None
            size = info.st_size
            if size <= MAX_FILE_BYTES:
                with os.fdopen(os.dup(fd), "rb") as fh:
                    data = fh.read(MAX_FILE_BYTES + 1)
                size = max(size, len(data))
        except OSError as exc:
            self.problem(rel, "", f"cannot read the file ({exc.strerror})")
            return None
        finally:
            os.close(fd)
        if size > MAX_FILE_BYTES:
            self.problem(
                rel, "", f"file is {size:,} bytes; the limit is {MAX_FILE_BYTES:,}: split it"
            )
            return None
        return data

    def read_text(self, path: Path) -> str | None:
        rel = self.rel(path)
        data = self.read_bytes(path)
        if data is None:
            return None
        if b"\x00" in data:
            self.problem(rel, "", "binary file (contains NUL bytes): only UTF-8 text belongs here")
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            self.problem(
                rel,
                "",
                f"not UTF-8 (bad byte at offset {exc.start}): re-save the file as UTF-8",
            )
            return None
        if not text.strip():
            self.problem(rel, "", "file is empty: write its content, or delete the file")
            return None
        self.hashes[rel] = hashlib.sha256(data).hexdigest()
        return text.replace("\r\n", "\n").replace("\r", "\n")

    def parse_yaml(self, path: Path, text: str, offset: int = 0) -> Any:
        try:
            return yaml.load(text, Loader=_FAST_LOADER)  # noqa: S506 - a safe loader
        except yaml.YAMLError:
            pass  # re-parse with the pure-Python loader: its error messages are the contract
        try:
            return yaml.load(text, Loader=_SafeLoader)  # noqa: S506 - a safe loader
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1 + offset}" if mark is not None else ""
            reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
            self.problem(path, "", f"broken YAML{where}: {reason}")
            return None

    def load_yaml_file(self, path: Path) -> dict[str, Any] | None:
        if not os.path.lexists(path):
            self.problem(self.rel(path), "", "missing: every knowledge base needs this file")
            return None
        text = self.read_text(path)
        if text is None:
            return None
        data = self.parse_yaml(path, text)
        if data is None and text.strip():
            return None
        if not isinstance(data, dict):
            self.problem(path, "", "expected a YAML mapping (key: value) at the top level")
            return None
        return data

    def load_markdown(self, path: Path) -> tuple[dict[str, Any], str] | None:
        text = self.read_text(path)
        if text is None:
            return None
        if not text.startswith("---\n"):
            self.problem(
                path, "", "no front matter: start the file with a '---' line, the YAML keys, "
                "then another '---' line"
            )
            return None
        end = text.find("\n---", 4)
        if end == -1 or text[end + 4 : end + 5] not in ("", "\n"):
            self.problem(path, "", "front matter is not closed: add a '---' line after the keys")
            return None
        front = self.parse_yaml(path, text[4:end], offset=1)
        if front is None and self.problems and self.problems[-1].path == self.rel(path):
            return None
        if not isinstance(front, dict):
            self.problem(path, "", "front matter must be a YAML mapping (key: value)")
            return None
        body = text[end + 4 :].lstrip("\n").strip()
        if not body:
            self.problem(path, "body", "the body is empty: write the note below the front matter")
            return None
        return front, body

    def validate(self, path: Path, model: type[BaseModel], data: dict[str, Any]) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in err["loc"])
                msg = err["msg"].removeprefix("Value error, ")
                if err["type"] == "missing":
                    msg = "required key is missing"
                elif err["type"] == "literal_error":
                    msg = f"{msg}; got {err.get('input')!r}"
                self.problem(path, loc, msg)
            return None


def _visible(part: Path | str) -> bool:
    name = part.name if isinstance(part, Path) else part
    return not name.startswith((".", "_"))


_LINK_OUT = ("a link to a folder outside the knowledge base: links out are not followed; "
             "copy the files into the knowledge base instead")


def _markdown_files(reader: _Reader, folder: Path) -> list[Path]:
    """Every visible ``*.md`` under ``folder``, sorted. Links to folders are not followed
    (a link out of the KB is reported; one inside would read the same files twice)."""
    if not os.path.lexists(folder):
        return []
    if not reader.inside(folder):
        reader.problem(folder, "", _LINK_OUT)
        return []
    out: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        keep = []
        for name in sorted(dirnames):
            if not _visible(name):
                continue
            if (here / name).is_symlink():
                reader.problem(here / name, "", _LINK_OUT if not reader.inside(here / name)
                               else "a link to a folder: links to folders are not followed; "
                               "move the files here instead")
                continue
            keep.append(name)
        dirnames[:] = keep
        out += [here / name for name in filenames if name.endswith(".md") and _visible(name)]
    return sorted(out)


def check_kb(root: str | Path) -> LoadReport:
    """Read and validate everything under ``root``; never raises for file problems."""
    root = Path(root).expanduser().resolve()
    reader = _Reader(root)
    if not root.is_dir():
        reader.problem(str(root), "", "knowledge base folder not found: check --kb / HUDDLE_KB")
        return LoadReport(root, None, reader.problems)

    team = _section(reader, root / "team.yaml", Team)
    process = _section(reader, root / "process.yaml", Process)
    icp = _section(reader, root / "icp.yaml", Icp)

    accounts: dict[str, Account] = {}
    notes: list[Note] = []
    ids = _Ids(reader)
    accounts_dir = root / "accounts"
    for folder in sorted(p for p in accounts_dir.glob("*") if p.is_dir() and _visible(p)):
        if not reader.inside(folder):
            reader.problem(folder, "", _LINK_OUT)
            continue
        account = _load_account(reader, folder, process, icp)
        if account is not None and account.owner and team is not None \
                and team.find(account.owner) is None:
            reader.problem(folder / "account.yaml", "owner",
                           f"owner {account.owner!r} is not in team.yaml; people: "
                           + ", ".join(p.name for p in team.people))
            account = None
        if account is not None:
            accounts[account.slug] = account
        notes += _load_notes(reader, folder, ids)
    stories = _load_stories(reader, root, icp, ids)

    if reader.problems or team is None or process is None or icp is None:
        return LoadReport(root, None, reader.problems, reader.hashes)
    kb = KnowledgeBase(
        root=str(root), team=team, process=process, icp=icp,
        accounts=accounts, notes=notes, stories=stories,
    )
    return LoadReport(root, kb, [], reader.hashes)


class _Ids:
    """Note and story ids seen so far: each id may be used once in the knowledge base."""

    def __init__(self, reader: _Reader) -> None:
        self.reader = reader
        self.seen: dict[str, str] = {}

    def claim(self, doc_id: str, path: Path) -> bool:
        """Take ``doc_id`` for ``path``; a problem and False if another file has it."""
        rel = self.reader.rel(path)
        if doc_id in self.seen:
            self.reader.problem(
                path, "id", f"id {doc_id!r} is already used by {self.seen[doc_id]}: ids are unique"
            )
            return False
        self.seen[doc_id] = rel
        return True


def _load_account(
    reader: _Reader, folder: Path, process: Process | None, icp: Icp | None
) -> Account | None:
    """The valid ``account.yaml`` of an account folder, or None (problems recorded)."""
    account_file = folder / "account.yaml"
    data = reader.load_yaml_file(account_file)
    account = reader.validate(account_file, Account, data) if data is not None else None
    if account is None:
        return None
    if account.slug != folder.name:
        reader.problem(
            account_file, "slug",
            f"slug {account.slug!r} must equal the folder name {folder.name!r}",
        )
        return None
    if process is not None and process.find(account.stage) is None:
        reader.problem(
            account_file, "stage",
            f"unknown stage {account.stage!r}; stages are: " + ", ".join(process.stage_names()),
        )
        return None
    if icp is not None:
        _check_attribute_values(reader, account_file, icp, account.model_extra or {})
    return account


def _load_notes(reader: _Reader, folder: Path, ids: _Ids) -> list[Note]:
    """The valid notes of one account folder, stamped with the account and their path. A
    note belongs to the account of its folder: an ``account:`` key naming another one is a
    problem (it was silently ignored)."""
    notes = []
    for path, note, body in _documents(reader, folder / "notes", Note, ids):
        if note.account and note.account != folder.name:
            known = (folder.parent / note.account / "account.yaml").is_file()
            reader.problem(path, "account", (
                f"account {note.account!r} is not the folder this note is in "
                f"({folder.name!r}): a note belongs to the account of its folder; "
                + (f"move the file to accounts/{note.account}/notes/ or remove the key"
                   if known else f"there is no account {note.account!r}: remove the key")))
            continue
        notes.append(note.model_copy(update={"account": folder.name, "body": body,
                                             "path": reader.rel(path)}))
    return notes


def _documents(reader: _Reader, folder: Path, model: type[BaseModel],
               ids: _Ids) -> Iterator[tuple[Path, Any, str]]:
    """(path, front matter as ``model``, body) of each valid Markdown file under ``folder``
    whose id no other file has taken (problems recorded for the others)."""
    for path in _markdown_files(reader, folder):
        parsed = reader.load_markdown(path)
        if parsed is None:
            continue
        front, body = parsed
        doc = reader.validate(path, model, front)
        if doc is not None and ids.claim(doc.id, path):
            yield path, doc, body


def _load_stories(reader: _Reader, root: Path, icp: Icp | None, ids: _Ids) -> list[Story]:
    """The valid customer stories under ``stories/``."""
    known_accounts = {p.name for p in (root / "accounts").glob("*") if p.is_dir()}
    stories: list[Story] = []
    for story_path, story, body in _documents(reader, root / "stories", Story, ids):
        if story.account and story.account not in known_accounts:
            reader.problem(
                story_path, "account",
                f"unknown account {story.account!r}: "
                "use a folder name under accounts/ or remove it",
            )
            continue
        if icp is not None:
            _check_attribute_values(reader, story_path, icp, story.account_profile,
                                    "account_profile.")
        stories.append(story.model_copy(update={"body": body, "path": reader.rel(story_path)}))
    return stories


def load_kb(root: str | Path) -> KnowledgeBase:
    """The validated knowledge base, or :class:`KnowledgeBaseError` with every problem."""
    report = check_kb(root)
    if report.kb is None:
        raise KnowledgeBaseError(report.problems, kb=str(report.root))
    return report.kb


def _section(reader: _Reader, path: Path, model: type[BaseModel]) -> Any:
    data = reader.load_yaml_file(path)
    return reader.validate(path, model, data) if data is not None else None


def _check_attribute_values(
    reader: _Reader, path: Path, icp: Icp, values: dict[str, Any], prefix: str = ""
) -> None:
    for attr in icp.attributes:
        value = values.get(attr.name)
        if value is None:
            continue
        field = prefix + attr.name
        if attr.kind == "number" and (isinstance(value, bool)
                                      or not isinstance(value, int | float)):
            reader.problem(path, field, f"{attr.name} is a number; got {value!r}")
        elif attr.kind == "bool" and attr.bucket_label(value) is None:
            reader.problem(path, field, f"{attr.name} is true or false; got {value!r}")
        elif attr.kind == "category" and not isinstance(value, str | int | float):
            reader.problem(path, field, f"{attr.name} is one value (text); got {value!r}")

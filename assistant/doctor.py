"""``huddle doctor``: check every file of the data directory and the index against the KB.

What can be rebuilt from the KB files — the search index (``index.sqlite`` and ``chroma/``)
— is rebuilt when damaged, incomplete or out of date, after a backup copy of it is put in
``<data dir>/backups/doctor-<time>/``. What cannot be rebuilt — plans, reviews, meetings and
reflections (``huddle.db``), the ICP ledger, the workflow checkpoints — is never changed:
a damaged one is reported with what to do. Unfinished reflections are listed with the
command that finishes them. Folders are made 0700 and files 0600.

Returns a :class:`DoctorReport`; the CLI only prints it. Touches the data directory.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant.clock import SYSTEM, Clock
from assistant.config import Settings
from knowledge.errors import HuddleError
from knowledge.private import private_dir, private_file, private_tree
from knowledge.sqlite import check_database, damaged_remedy

Status = Literal["ok", "repaired", "damaged", "missing", "action"]


@dataclass
class Finding:
    """One file (or one run) and its state."""

    path: str
    status: Status
    detail: str = ""
    todo: str = ""  # what the user should do, when anything

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "status": self.status, "detail": self.detail,
                "todo": self.todo}


@dataclass
class DoctorReport:
    data_dir: str
    findings: list[Finding] = field(default_factory=list)
    backup: str | None = None

    @property
    def ok(self) -> bool:
        """Nothing left for a person to do (repairs made count as ok)."""
        return all(f.status in ("ok", "repaired", "missing") for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {"data_dir": self.data_dir, "ok": self.ok, "backup": self.backup,
                "findings": [f.as_dict() for f in self.findings]}


# The files that hold what only people made: checked, never changed.
RECORDS = {
    "huddle.db": "your plans, reviews, meetings and reflections (they cannot be rebuilt)",
    "icp_ledger.sqlite": "the deal outcomes you recorded and the call evidence you confirmed",
}
CHECKPOINTS = "checkpoints.sqlite"
CACHE = "llm_cache.sqlite"


def run_doctor(settings: Settings, *, repair: bool = True,
               clock: Clock = SYSTEM) -> DoctorReport:
    """Check the data directory of ``settings``; rebuild the index if needed and allowed."""
    data = settings.data_path
    report = DoctorReport(data_dir=str(data))
    if not data.exists():
        report.findings.append(Finding(str(data), "missing", "no data folder yet",
                                       "run `huddle ingest` to create it"))
        return report
    private_dir(data)
    for name, holds in RECORDS.items():
        report.findings.append(_check(data / name, holds, damaged_remedy(data / name)))
    report.findings.append(_check(
        data / CHECKPOINTS, "the state of runs in progress",
        f"Move it aside (`mv {data / CHECKPOINTS} {data / CHECKPOINTS}.damaged`): only "
        "unfinished runs are lost; start those again."))
    cache = _check(data / CACHE, "cached model answers (safe to delete)",
                   f"Delete it: `rm {data / CACHE}`.")
    report.findings.append(cache)
    for f in report.findings:
        if f.status == "ok":
            private_file(Path(f.path))
    if settings.database:
        report.findings.append(_team_database(settings))
    report.findings.append(_index(settings, report, repair=repair, clock=clock))
    report.findings += _unfinished_reflections(data, report, clock, settings.database)
    return report


def _team_database(settings: Settings) -> Finding:
    """Team mode: the records are in PostgreSQL; can it be reached, is its schema current?"""
    from assistant.records import Records
    from knowledge.database import mask_url

    where = mask_url(settings.database)
    try:
        Records(settings.data_path, database_url=settings.database)
    except HuddleError as exc:
        return Finding(where, "action", exc.message, "check database_url and the server")
    return Finding(where, "ok", "team database (records, ledger, checkpoints)")


def _check(path: Path, holds: str, remedy: str) -> Finding:
    if not path.exists():
        return Finding(str(path), "missing", "not created yet")
    try:
        check_database(path, holds=holds, remedy=remedy)
    except HuddleError as exc:
        return Finding(str(path), "damaged", exc.message, remedy)
    return Finding(str(path), "ok")


def _index(settings: Settings, report: DoctorReport, *, repair: bool, clock: Clock) -> Finding:
    from assistant import kb as kb_ops
    from knowledge.loader import check_kb
    from knowledge.store import INDEX_FILES

    data = settings.data_path
    where = str(data / "index.sqlite")
    loaded = check_kb(settings.kb_path)
    if loaded.kb is None:
        return Finding(str(settings.kb_path), "action",
                       f"the knowledge base has {len(loaded.problems)} problem(s); the index "
                       "was not checked", "run `huddle kb check`, fix the files, then "
                       "`huddle doctor` again")
    why = ""
    try:
        verify = kb_ops.verify(settings)
        if not verify.ok:
            why = "; ".join(p for p in verify.problems if not p.startswith("fix:"))
    except HuddleError as exc:
        why = exc.message
    except Exception as exc:  # noqa: BLE001 - a broken chroma folder raises its own types
        why = f"{type(exc).__name__}: {exc}"
    if not why:
        private_tree(data / "chroma")
        private_file(data / "index.sqlite")
        return Finding(where, "ok", "matches the knowledge base")
    if not repair:
        return Finding(where, "action", why, "run `huddle doctor` (without --check) or "
                       "`huddle ingest --rebuild`: the index is rebuilt from the KB files")
    now = clock.now().astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")
    backup = private_dir(data / "backups" / f"doctor-{now}")
    for name in INDEX_FILES:
        src = data / name
        if src.is_dir():
            shutil.copytree(src, backup / name, symlinks=True)
        elif src.exists():
            shutil.copy2(src, backup / name)
    private_tree(backup)
    report.backup = str(backup)
    try:
        result = kb_ops.ingest(settings, rebuild=True)
    except HuddleError as exc:
        return Finding(where, "damaged", f"{why}; the rebuild failed: {exc.message}",
                       "run `huddle ingest --rebuild` and read its message")
    return Finding(where, "repaired", f"{why}; rebuilt from the KB ({result.summary()}); "
                   f"the old index is in {backup}")


def _unfinished_reflections(data: Path, report: DoctorReport, clock: Clock,
                            database_url: str | None = None) -> list[Finding]:
    if database_url:
        if any(f.status != "ok" for f in report.findings if "://" in f.path):
            return []
    elif any(f.status == "damaged" and f.path.endswith("huddle.db") for f in report.findings):
        return []
    elif not (data / "huddle.db").exists():
        return []
    from assistant.reflect.store import ReflectionStore

    store = ReflectionStore(data, stamp=clock.stamp,  # only read: nothing is stamped
                            database_url=database_url)
    out = []
    for status in ("running", "writing"):
        for row in store.list(status=status, limit=1000):
            out.append(Finding(f"reflection {row['run_id']}", "action",
                               f"stopped while {status}",
                               f"finish it: `huddle reflect resume {row['run_id']}`"))
    return out

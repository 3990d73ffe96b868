"""The one call the faces make: ``run_import(kind, source, kb, mapping, dry_run)``.

The CLI (``huddle import salesforce|hubspot|email|transcripts SOURCE --mapping FILE
[--dry-run]``) and the Knowledge screen call this and print ``report.lines()``. Touches
what ``plan_import`` and ``apply_import`` touch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.importing.mapping import Mapping, load_mapping
from assistant.importing.plan import (
    ApplyResult,
    ImportPlan,
    Progress,
    apply_import,
    plan_import,
)

MAX_LISTED = 50


@dataclass
class ImportReport:
    """The plan, and what was written when it was applied (None on a dry run)."""

    plan: ImportPlan
    applied: ApplyResult | None
    dry_run: bool

    @property
    def ok(self) -> bool:
        return self.applied is None or self.applied.ok

    def as_dict(self) -> dict[str, Any]:
        p = self.plan
        return {
            "kind": p.kind, "source": p.source, "kb": str(p.kb_root), "dry_run": self.dry_run,
            "counts": p.counts(),
            "changes": [{"path": c.path, "action": c.action, "what": c.what,
                         "record": c.record, "origin": c.origin} for c in p.changes],
            "skipped": [{"origin": s.origin, "reason": s.reason} for s in p.skipped],
            "unmapped": {k: dict(v) for k, v in p.unmapped.items()},
            "warnings": p.warnings, "flagged": p.flagged,
            "written": self.applied.written if self.applied else [],
            "deleted": self.applied.deleted if self.applied else [],
            "problems": self.applied.problems if self.applied else [],
        }

    def lines(self) -> list[str]:
        p = self.plan
        head = "Would import" if self.dry_run else "Imported"
        out = [f"{head} {p.kind} from {p.source} into {p.kb_root}"]
        counts = p.counts()
        out.append("  " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        writes = p.writes
        if writes:
            out.append(f"Files ({len(writes)} to write):" if self.dry_run
                       else f"Files written ({len(writes)}):")
            out += [f"  {c}" for c in writes[:MAX_LISTED]]
            if len(writes) > MAX_LISTED:
                out.append(f"  ... and {len(writes) - MAX_LISTED} more")
        else:
            out.append("Nothing to write: the KB already holds this import.")
        if p.unmapped:
            out.append("Not in the mapping (add them, then import again):")
            for section, values in sorted(p.unmapped.items()):
                listed = ", ".join(f"{v!r} x{n}" for v, n in values.most_common(20))
                out.append(f"  {section}: {listed}")
        if p.skipped:
            out.append(f"Skipped ({len(p.skipped)}):")
            out += [f"  {s}" for s in p.skipped[:MAX_LISTED]]
            if len(p.skipped) > MAX_LISTED:
                out.append(f"  ... and {len(p.skipped) - MAX_LISTED} more")
        if p.flagged:
            out.append("Text that reads like instructions to an AI (kept as data):")
            out += [f"  {f}" for f in p.flagged[:MAX_LISTED]]
        if p.warnings:
            out.append("Warnings:")
            out += [f"  {w}" for w in p.warnings[:MAX_LISTED]]
        if self.applied and self.applied.problems:
            out.append("kb check found problems after the import:")
            out += [f"  - {x}" for x in self.applied.problems]
        return out


def run_import(kind: str, source: str | Path, kb: str | Path,
               mapping: str | Path | Mapping | None = None, *,
               dry_run: bool = False, on_progress: Progress | None = None) -> ImportReport:
    """Plan the import and, unless ``dry_run``, apply it. Errors are ``HuddleError``s.

    ``on_progress(done, total, label)`` is called while it runs: ``planning`` once per source
    record, then (not on a dry run) ``writing`` once per file; each phase ends with
    ``done == total`` (:data:`assistant.importing.plan.Progress`)."""
    loaded = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    plan = plan_import(kind, source, kb, loaded, on_progress=on_progress)
    applied = None if dry_run else apply_import(plan, on_progress=on_progress)
    return ImportReport(plan, applied, dry_run)

"""Import notes from where reps keep them: CRM exports, e-mail and meeting transcripts.

``run_import(kind, source, kb, mapping, dry_run=...)`` is the call for the faces;
``plan_import`` / ``apply_import`` are its two halves. The readers (``salesforce``,
``hubspot``, ``mail``, ``calls``) turn a source into records; ``plan`` maps them through the
mapping file (``mapping``) into files in the knowledge-base contract (knowledge/README.md).

It lives in ``assistant`` (not ``knowledge``) because it reuses ``assistant.transcripts``
(the transcript reader the reflection uses) and ``assistant.safety`` (the injection check);
it imports no LLM and no workflow. See docs/import.md.
"""

from assistant.importing.mapping import ImportMappingError, Mapping, load_mapping
from assistant.importing.plan import (
    KINDS,
    ApplyResult,
    FileChange,
    ImportError_,
    ImportPlan,
    Progress,
    apply_import,
    plan_import,
)
from assistant.importing.run import ImportReport, run_import

__all__ = [
    "KINDS",
    "ApplyResult",
    "FileChange",
    "ImportError_",
    "ImportMappingError",
    "ImportPlan",
    "ImportReport",
    "Mapping",
    "Progress",
    "apply_import",
    "load_mapping",
    "plan_import",
    "run_import",
]

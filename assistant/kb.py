"""Knowledge-base operations for the faces: check, ingest, verify, search.

A thin layer over ``knowledge`` that applies settings (which KB, which data directory) so
the CLI, the TUI and the eval runner do the same thing. Touches the KB (read) and the data
directory (through ``knowledge.store``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.config import Settings
from knowledge.errors import KbProblem
from knowledge.ingest import IngestReport, Progress
from knowledge.loader import LoadReport, check_kb
from knowledge.retrieval import Hit


def check(settings: Settings) -> LoadReport:
    return check_kb(settings.kb_path)


def ingest(
    settings: Settings, *, rebuild: bool = False, progress: Progress | None = None
) -> IngestReport:
    from knowledge.ingest import ingest as run_ingest

    return run_ingest(settings.kb_path, settings.data_path, rebuild=rebuild, progress=progress,
                      server=settings.index_server())


@dataclass
class VerifyReport:
    ok: bool
    counts: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    kb_broken: bool = False
    """True when the KB files have problems (the store was not compared)."""

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "counts": self.counts, "problems": self.problems,
                "kb_broken": self.kb_broken}

    @property
    def headline(self) -> str:
        if self.ok:
            return "store matches the knowledge base"
        if self.kb_broken:
            return ("the knowledge base has problems (the store was not checked); fix these, "
                    "then run `huddle ingest`:")
        return "store does NOT match:"


def verify(settings: Settings) -> VerifyReport:
    """Check that the store matches the KB files: documents, hashes, counts, a known answer."""
    from knowledge import embeddings
    from knowledge.chunking import kb_documents
    from knowledge.ingest import doc_hash
    from knowledge.retrieval import Retriever
    from knowledge.store import ALL, STORIES, Store, account_collection

    report = check_kb(settings.kb_path)
    if report.kb is None:  # the files are the problem, not the store
        return VerifyReport(False, problems=[str(p) for p in report.problems], kb_broken=True)
    kb = report.kb
    problems: list[str] = []
    store = Store(settings.data_path, server=settings.index_server())
    incomplete = store.completeness()
    if incomplete:
        problems.append(incomplete)
    manifest = store.manifest()
    docs = kb_documents(kb)
    fingerprint = embeddings.model_fingerprint()
    missing = sorted(set(docs) - set(manifest))
    extra = sorted(set(manifest) - set(docs))
    stale = sorted(
        d for d in set(docs) & set(manifest) if manifest[d] != doc_hash(docs[d][1], fingerprint)
    )
    for label, ids in (("not in the store", missing), ("deleted from the KB", extra),
                       ("changed since ingest", stale)):
        if ids:
            problems.append(f"{len(ids)} document(s) {label}: {', '.join(ids[:5])}")
    counts = store.counts()
    expected_chunks = sum(len(c) for _, c in docs.values())
    counts["expected_chunks"] = expected_chunks
    counts["vectors"] = store.vector_count()
    partitions = {STORIES} | {account_collection(s) for s in {n.account for n in kb.notes}}
    counts["partition_vectors"] = sum(
        (col.count() if (col := store.collection_for(p)) is not None else 0) for p in partitions
    )
    if not (counts["chunks"] == counts["fts_rows"] == counts["vectors"]
            == counts["partition_vectors"] == expected_chunks):
        problems.append(
            "chunk counts disagree: "
            f"manifest {counts['chunks']}, lexical {counts['fts_rows']}, "
            f"vectors {counts['vectors']} ({ALL}), partitions {counts['partition_vectors']}, "
            f"files {expected_chunks}"
        )
    # known answer: a chunk's own text must find its own document first
    sample = next((c for _, chunks in docs.values() for c in chunks), None)
    if sample is not None and not problems:
        retriever = Retriever(settings.data_path, store=store)
        hits = retriever.search(sample.text, k=1, account=sample.metadata["account"] or None,
                                doc_type=sample.doc_type)  # type: ignore[arg-type]
        if not hits or hits[0].id != sample.doc_id:
            got = hits[0].id if hits else "nothing"
            problems.append(f"known-answer query for {sample.doc_id} returned {got}")
    if problems:
        problems.append("fix: run `huddle ingest` (or `huddle ingest --rebuild`)")
    return VerifyReport(not problems, counts, problems)


def search(
    settings: Settings,
    query: str,
    *,
    account: str | None = None,
    kind: str | None = None,
    k: int = 8,
    outcome: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> list[Hit]:
    """``kind`` is ``note``/``story`` (document type) or a note kind (call, email, ...)."""
    from knowledge.retrieval import Retriever

    doc_type = kind if kind in ("note", "story") else None
    kinds = [kind] if kind and kind not in ("note", "story") else None
    if kinds:
        doc_type = "note"
    return Retriever(settings.data_path, server=settings.index_server()).search(
        query, k=k, account=account, doc_type=doc_type, kinds=kinds, outcome=outcome,  # type: ignore[arg-type]
        date_from=date_from, date_to=date_to,
    )


def problems_as_text(problems: list[KbProblem]) -> str:
    return "\n".join(f"  - {p}" for p in problems)


def kb_exists(path: Path) -> bool:
    return (path / "team.yaml").is_file()

"""Incremental ingest of a knowledge base into the store under a data directory.

1. Load and validate the whole KB (``knowledge.loader``). Any problem: raise before touching
   the store, so a broken KB is never half-applied.
2. Chunk every note and story and hash each document's chunks (text + metadata + model).
   With ``rebuild`` the old index is deleted first, whatever its state (even unreadable):
   it is derived from the files.
3. Compare with the store's manifest: embed and write only new or changed documents, in
   batches; delete documents whose files are gone.

Killing ingest at any point and running it again converges to the same store as one clean run
(see ``knowledge.store`` for the write order). Touches the data directory, under its lock.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.chunking import Chunk, kb_documents
from knowledge.errors import StoreMismatchError
from knowledge.loader import load_kb
from knowledge.models import KnowledgeBase
from knowledge.store import SCHEMA_VERSION, IndexServer, Store

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (phase, done, total)


@dataclass
class IngestReport:
    kb: str
    data_dir: str
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0
    chunks_embedded: int = 0
    seconds: float = 0.0
    embed_seconds: float = 0.0
    model_load_seconds: float | None = None

    @property
    def chunks_per_second(self) -> float:
        return self.chunks_embedded / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added", f"{len(self.changed)} changed",
            f"{len(self.deleted)} deleted", f"{self.unchanged} unchanged",
            f"{self.chunks_embedded} chunks embedded",
        ]
        text = ", ".join(parts) + f" in {self.seconds:.1f}s"
        if self.chunks_embedded:
            text += f" ({self.chunks_per_second:.0f} chunks/s)"
        return text


def doc_hash(chunks: list[Chunk], fingerprint: str) -> str:
    payload = json.dumps(
        [fingerprint, [(c.id, c.embed_text, c.text, c.metadata) for c in chunks]],
        sort_keys=True, default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def ingest(
    kb_path: str | Path,
    data_dir: str | Path,
    *,
    rebuild: bool = False,
    batch_chunks: int = 256,
    progress: Progress | None = None,
    kb: KnowledgeBase | None = None,
    server: IndexServer | None = None,
    wait_s: float = 0,
) -> IngestReport:
    """Bring the store in ``data_dir`` (its vectors on ``server`` in team mode) in line
    with the KB at ``kb_path``. ``wait_s``: how long to wait for another writer's lock
    (see :class:`Store`) before :class:`StoreLockedError`."""
    from knowledge import embeddings

    start = time.perf_counter()
    kb = kb or load_kb(kb_path)  # raises KnowledgeBaseError before anything is written
    kb_root = str(Path(kb.root).resolve())
    report = IngestReport(kb=kb_root, data_dir=str(data_dir))
    docs = kb_documents(kb)
    fingerprint = embeddings.model_fingerprint()
    hashes = {doc_id: doc_hash(chunks, fingerprint) for doc_id, (_, chunks) in docs.items()}

    with Store(data_dir, writer=True, fresh=rebuild, server=server, wait_s=wait_s) as store:
        owner = store.get_meta("kb_root")
        if owner and owner != kb_root and not rebuild:
            raise StoreMismatchError(
                f"{data_dir} holds the index of another knowledge base ({owner}). "
                "Use a separate --data-dir for each knowledge base, or `--rebuild`."
            )
        store.set_meta({"kb_root": kb_root, "schema": SCHEMA_VERSION, "ingest": "running"})
        have = store.manifest()
        todo = [d for d in docs if have.get(d) != hashes[d]]
        gone = sorted(set(have) - set(docs))
        report.unchanged = len(docs) - len(todo)
        for doc_id in todo:
            (report.changed if doc_id in have else report.added).append(doc_id)

        if gone:
            store.delete_docs(gone)
            report.deleted = gone
        total = sum(len(docs[d][1]) for d in todo)
        done = 0
        if progress:
            progress("embedding", 0, total)
        batch: list[str] = []
        batch_size = 0
        pending: list[str | None] = [*todo, None]  # None: flush the last batch
        for next_id in pending:
            if next_id is not None:
                batch.append(next_id)
                batch_size += len(docs[next_id][1])
                if batch_size < batch_chunks:
                    continue
            if not batch:
                break
            chunks = [c for d in batch for c in docs[d][1]]
            t0 = time.perf_counter()
            vectors = embeddings.embed([c.embed_text for c in chunks])
            report.embed_seconds += time.perf_counter() - t0
            store.apply_docs(
                [(d, docs[d][0], hashes[d], docs[d][1]) for d in batch],
                dict(zip([c.id for c in chunks], vectors, strict=True)),
            )
            done += len(chunks)
            report.chunks_embedded = done
            if progress:
                progress("embedding", done, total)
            batch, batch_size = [], 0
        store.collection  # noqa: B018 - make sure the global collection exists
        store.set_meta({"last_ingest": time.strftime("%Y-%m-%dT%H:%M:%S"),
                        "ingest": "complete"})
        store.private()
    report.model_load_seconds = embeddings.load_seconds
    report.seconds = time.perf_counter() - start
    log.info("ingest %s: %s", kb_root, report.summary())
    return report

"""FTS5's bm25 ranking over postings held in memory: global search without FTS5 scoring.

``SELECT bm25(chunks_fts), rowid ... MATCH '"a" OR "b"' ORDER BY bm25(chunks_fts), rowid
LIMIT k`` makes FTS5 score every row matching any word (45% of a 100k-chunk store for
typical queries: 30-130 ms). Here the same ranking comes from numpy arrays: per term the
rowids holding it and how often, per row its length in tokens, and the table's row count and
token total (FTS5's "averages" record). bm25 is computed as SQLite's ``fts5_aux.c`` does,
operation for operation::

    idf   = log((N - n + 0.5) / (n + 0.5)), or 1e-6 when that is not above 0
    score = 0.0; for each phrase i in query order:
            score += idf_i * ((f_i * (k1 + 1.0)) / (f_i + k1 * (1 - b + b * D / avgdl)))
    bm25  = -1.0 * score        (k1 = 1.2, b = 0.75; every column weighs 1.0)

so scores are bit for bit FTS5's and the top k (ties by rowid) is the same list. A phrase
that is not one token after FTS5's own tokenizer (``porter unicode61``: asked of an
in-memory FTS5 table, not re-implemented) makes the caller fall back to FTS5.

The arrays are built in a background thread (about 2 s and 40 MB at 100k chunks) on the
first broad search or by :meth:`Postings.warm`, from one read transaction: ``fts5vocab``'s
instance table grouped per term, ``chunks_fts_docsize``, and the chunk types. Each search
first reads a stamp (the store's ``fts_generation``, bumped by every write to the FTS
table, FTS5's averages record and the highest chunk rowid); when it differs from the one
the arrays were built at, the search runs on FTS5 and a rebuild starts.

Read only. Touches the data directory's ``index.sqlite`` (its own connection for builds).
"""

from __future__ import annotations

import logging
import math
import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from knowledge.store import FTS_GENERATION

log = logging.getLogger(__name__)

K1 = 1.2  # fts5_aux.c: fts5Bm25Function
B = 0.75
MAX_ROWID = 50_000_000  # dense per-row arrays up to this rowid; beyond it FTS5 ranks
_STAMP = (
    "SELECT (SELECT value FROM meta WHERE key = ?), "
    "(SELECT block FROM chunks_fts_data WHERE id = 1), (SELECT max(rowid) FROM chunks)"
)
_KINDS = {"note": 1, "story": 2}
_EMPTY = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float64))


def idf(rows: int, hits: int) -> float:
    """FTS5's bm25 idf of a phrase in ``hits`` of ``rows`` rows (never below 1e-6)."""
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0.0 else 1e-6


def varints(blob: bytes) -> list[int]:
    """SQLite's varints (as FTS5 writes sizes and totals) decoded from ``blob``."""
    out: list[int] = []
    value = 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            out.append(value)
            value = 0
    return out


@dataclass(frozen=True)
class _Index:
    stamp: tuple[Any, ...]
    rows: int  # N: FTS5's row count
    norm: np.ndarray  # per rowid: k1 * (1 - b + b * D / avgdl)
    kind: np.ndarray  # per rowid: 0 no chunk, else _KINDS (3: another type)
    terms: dict[str, tuple[np.ndarray, np.ndarray]]  # term -> (rowids, frequencies)
    phrases: dict[tuple[str, ...], tuple[np.ndarray, np.ndarray]]  # filled as queries ask


class Postings:
    """In-memory bm25 for one store's ``index.sqlite``; thread-safe; built in the background."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._index: _Index | None = None
        self._lock = threading.Lock()
        self._builder: threading.Thread | None = None
        self._failed: tuple[Any, ...] | None = None

    @property
    def ready(self) -> bool:
        return self._index is not None

    def nbytes(self) -> int:
        """Bytes held by the arrays (0 when not built)."""
        index = self._index
        if index is None:
            return 0
        return int(index.norm.nbytes + index.kind.nbytes
                   + sum(a.nbytes + f.nbytes for a, f in index.terms.values()))

    def top(self, conn: sqlite3.Connection, match: str, doc_type: str | None,
            limit: int) -> list[tuple[float, int]] | None:
        """(bm25, rowid) of the best ``limit`` rows matching ``match`` (quoted words OR-ed,
        as ``retrieval.fts_query`` makes) among all rows or those of ``doc_type``, best
        first, ties by rowid: what FTS5's ``ORDER BY bm25(chunks_fts), rowid`` returns.
        None when the arrays are not built for the store as ``conn`` sees it now (a build
        starts) or a word is not one token: the caller asks FTS5."""
        stamp = tuple(conn.execute(_STAMP, (FTS_GENERATION,)).fetchone())
        index = self._index
        if index is None or index.stamp != stamp:
            self.start()
            return None
        words = match.split(" OR ")
        phrases = query_terms(words)
        if phrases is None:
            return None
        for word, tokens in zip(words, phrases, strict=True):
            if len(tokens) > 1 and tokens not in index.phrases:
                found = _phrase_postings(conn, word, index)
                if found is None or tuple(conn.execute(_STAMP, (FTS_GENERATION,))
                                          .fetchone()) != stamp:
                    return None
                if len(index.phrases) > 5_000:
                    index.phrases.clear()
                index.phrases[tokens] = found
        return _rank(index, phrases, doc_type, limit)

    def start(self) -> None:
        """Build the arrays in a background thread (unless one is running)."""
        with self._lock:
            if self._builder is not None and self._builder.is_alive():
                return
            self._builder = threading.Thread(target=self._build_logged, daemon=True,
                                             name="huddle-postings")
            self._builder.start()

    def warm(self) -> bool:
        """Build the arrays now, on this thread, if they are stale; True when ready."""
        with self._lock:
            builder = self._builder
        if builder is not None and builder.is_alive():
            builder.join()
        self._build_logged()
        return self._index is not None

    def _build_logged(self) -> None:
        try:
            self._build()
        except (sqlite3.Error, ValueError, MemoryError) as exc:
            log.warning("in-memory lexical index not built (FTS5 ranks instead): %s", exc)

    def _build(self) -> None:
        conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            conn.execute("BEGIN")  # one snapshot for the stamp and everything read
            stamp = tuple(conn.execute(_STAMP, (FTS_GENERATION,)).fetchone())
            current = self._index
            if (current is not None and current.stamp == stamp) or stamp == self._failed:
                return
            index = _read(conn, stamp)
            if index is None:
                self._failed = stamp
                return
            self._index = index
        finally:
            conn.close()


def _read(conn: sqlite3.Connection, stamp: tuple[Any, ...]) -> _Index | None:
    """The arrays for the snapshot ``conn`` reads (None when they would be too large)."""
    top = int(stamp[2] or 0)
    if stamp[1] is None or top > MAX_ROWID:
        return None
    totals = varints(stamp[1])  # nRow, then each column's token total
    rows, tokens = totals[0], sum(totals[1:])
    if rows <= 0:
        return None
    avgdl = float(tokens) / float(rows)
    sizes = np.zeros(top + 1, dtype=np.float64)
    for rowid, blob in conn.execute("SELECT id, sz FROM chunks_fts_docsize"):
        if 0 <= rowid <= top:
            sizes[rowid] = float(sum(varints(blob)))
    norm = K1 * ((1 - B) + (B * sizes) / avgdl)
    kind = np.zeros(top + 1, dtype=np.int8)
    for rowid, doc_type in conn.execute("SELECT rowid, doc_type FROM chunks"):
        kind[rowid] = _KINDS.get(doc_type, 3)
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.huddle_instances "
                 "USING fts5vocab(main, chunks_fts, instance)")
    terms: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    # One row per term, its instances' rowids in order (group_concat: one string per term,
    # not one Python tuple per instance: 2 s instead of 12 s at 100k chunks).
    for term, docs in conn.execute(
        "SELECT term, group_concat(doc) FROM temp.huddle_instances GROUP BY term"
    ):
        instances = np.array(docs.split(","), dtype=np.int64) if docs else _EMPTY[0]
        terms[term] = _grouped(instances)
    return _Index(stamp=stamp, rows=rows, norm=norm, kind=kind, terms=terms, phrases={})


def _phrase_postings(conn: sqlite3.Connection, phrase: str,
                     index: _Index) -> tuple[np.ndarray, np.ndarray] | None:
    """(rowids, frequencies) of a phrase of several tokens (``"multi-year"``: the tokens
    next to each other), from FTS5 scoring that phrase alone: its bm25 is
    ``-idf * (f * (k1 + 1)) / (f + norm)``, solved for the whole number ``f`` and checked
    by computing the score again; None when a check fails (FTS5 ranks the query)."""
    found = conn.execute("SELECT rowid, bm25(chunks_fts) FROM chunks_fts "
                         "WHERE chunks_fts MATCH ? ORDER BY rowid", (phrase,)).fetchall()
    if not found:
        return _EMPTY
    rowids = np.array([r for r, _ in found], dtype=np.int64)
    if rowids.max() >= len(index.norm):
        return None
    scores = -np.array([s for _, s in found], dtype=np.float64)
    weight = idf(index.rows, len(rowids))
    norm = index.norm[rowids]
    freqs = np.rint(scores * norm / (weight * (K1 + 1.0) - scores))
    if not np.all(freqs >= 1) or not np.array_equal(
            weight * ((freqs * (K1 + 1.0)) / (freqs + norm)), scores):
        return None
    return rowids, freqs


def _grouped(instances: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(rowids, frequencies) from one rowid per instance."""
    if len(instances) and np.any(instances[1:] < instances[:-1]):
        instances = np.sort(instances)
    if not len(instances):
        return _EMPTY
    starts = np.flatnonzero(np.concatenate(([True], instances[1:] != instances[:-1])))
    counts = np.diff(np.concatenate((starts, [len(instances)])))
    return instances[starts].astype(np.int32), counts.astype(np.uint16 if counts.max() <
                                                             65_536 else np.uint32)


def _rank(index: _Index, phrases: list[tuple[str, ...]], doc_type: str | None,
          limit: int) -> list[tuple[float, int]]:
    """FTS5's bm25 top ``limit`` over the arrays (see the module docstring)."""
    score = np.zeros(len(index.norm), dtype=np.float64)
    for tokens in phrases:  # phrase order: the sum is built in FTS5's order
        rowids, freqs = (index.terms.get(tokens[0], _EMPTY) if len(tokens) == 1
                         else index.phrases[tokens])
        weight = idf(index.rows, len(rowids))
        if len(rowids):
            f = freqs.astype(np.float64)
            score[rowids] += weight * ((f * (K1 + 1.0)) / (f + index.norm[rowids]))
    if doc_type is not None:
        score[index.kind != _KINDS.get(doc_type, 3)] = 0.0
    matched = np.flatnonzero(score > 0.0)  # every match adds at least 1e-6 * something > 0
    if len(matched) > limit:
        kth = np.partition(score[matched], len(matched) - limit)[len(matched) - limit]
        matched = matched[score[matched] >= kth]
    order = np.lexsort((matched, -score[matched]))[:limit]
    return [(-float(score[r]), int(r)) for r in matched[order]]


# ---- FTS5's tokenizer, asked of an in-memory table ---------------------------------------

_TOKENIZER_LOCK = threading.Lock()
_TOKENIZER: sqlite3.Connection | None = None
_TERMS: dict[str, tuple[str, ...]] = {}


def query_terms(phrases: list[str]) -> list[tuple[str, ...]] | None:
    """The index terms of each quoted word of a match (``"a" OR "b"`` split at `` OR ``),
    in order, as FTS5's ``porter unicode61`` tokenizer makes them (several for a phrase:
    ``"multi-year"``); None when a word has no token (FTS5 ranks that query)."""
    words = [p[1:-1] if p.startswith('"') and p.endswith('"') else p for p in phrases]
    global _TOKENIZER
    with _TOKENIZER_LOCK:
        missing = [w for w in dict.fromkeys(words) if w not in _TERMS]
        if missing:
            if _TOKENIZER is None:
                _TOKENIZER = sqlite3.connect(":memory:", check_same_thread=False,
                                             isolation_level=None)
                _TOKENIZER.execute(
                    "CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'porter unicode61')")
                _TOKENIZER.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, instance)")
            _TOKENIZER.execute("BEGIN")
            try:
                _TOKENIZER.executemany("INSERT INTO t(rowid, x) VALUES(?, ?)",
                                       list(enumerate(missing, start=1)))
                found: dict[int, list[str]] = {}
                for term, doc in _TOKENIZER.execute(
                        "SELECT term, doc FROM v ORDER BY doc, offset"):
                    found.setdefault(int(doc), []).append(term)
            finally:
                _TOKENIZER.execute("ROLLBACK")
            if len(_TERMS) > 50_000:
                _TERMS.clear()
            for i, word in enumerate(missing, start=1):
                _TERMS[word] = tuple(found.get(i, []))
        terms = [_TERMS[w] for w in words]
    return None if any(not t for t in terms) else terms

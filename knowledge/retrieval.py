"""Hybrid retrieval over an ingested knowledge base: vectors + BM25, fused by rank.

The vector side finds paraphrases; the lexical side (SQLite FTS5, BM25) finds exact names
the embedding misses — people, competitors, products. Both rankings are fused with
reciprocal-rank fusion (RRF, k=60) and results are returned per document (a note or story
id, which is what plans cite), with the best-matching chunk as the snippet and the date,
so the caller can see which of two disagreeing notes is newer.

Read only. Touches the data directory's index (``knowledge.store``).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from knowledge.errors import NotIngestedError
from knowledge.lexical import DocFrequencies, top_rows
from knowledge.postings import Postings
from knowledge.store import ALL, STORIES, IndexServer, Store, account_collection

RRF_K = 60
EXACT_LIMIT = 2000  # collections up to this many chunks are ranked exactly
# Lexical searches over most of a store with at least this many chunks run beside the vector
# search and as two halves of the rowid range, in threads (FTS5 scores every match: ~35 ms
# at 100k chunks on an idle machine).
SPLIT_FROM = 20_000
# ... and from this many, score only the matches that can reach the top (knowledge.lexical).
PRUNE_FROM = 5_000
# ... and from this many, rank from postings held in memory once they are built
# (knowledge.postings: same scores; about 2 s to build in the background at 100k chunks).
MEMORY_FROM = 20_000
# Pools for those threads: the halves of a split run in a pool of their own, so no task ever
# waits on a task of its own pool.
_LEXICAL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="huddle-lexical")
_HALVES = ThreadPoolExecutor(max_workers=2, thread_name_prefix="huddle-lexical-half")
DocType = Literal["note", "story"]

_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself just
    me more most my no nor not now of off on once only or other our ours out over own same she
    should so some such than that the their theirs them then there these they this those
    through to too under until up very was we were what when where which while who whom why
    will with would you your yours did does what's whats""".split()
)
_WORD = re.compile(r"[\w][\w'-]*", re.UNICODE)


@dataclass
class Hit:
    """One retrieved document, with the chunk that matched best."""

    id: str  # note or story id (what plans cite)
    doc_type: str
    account: str
    kind: str
    date: dt.date | None
    author: str
    outcome: str
    snippet: str  # the best-matching chunk's text
    chunk_id: str
    score: float  # fused RRF score (higher is better)
    vector_rank: int | None = None
    lexical_rank: int | None = None
    similarity: float | None = None  # cosine similarity of the best chunk, when vector-ranked
    metadata: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.doc_type, "account": self.account, "kind": self.kind,
            "date": self.date.isoformat() if self.date else None, "author": self.author,
            "outcome": self.outcome or None, "score": round(self.score, 5),
            "similarity": None if self.similarity is None else round(self.similarity, 4),
            "vector_rank": self.vector_rank, "lexical_rank": self.lexical_rank,
            "chunk_id": self.chunk_id, "snippet": self.snippet,
        }


def fts_query(text: str) -> str | None:
    """An FTS5 MATCH expression: the query's content words, quoted, OR-ed."""
    words = []
    for raw in _WORD.findall(text.casefold()):
        word = raw.strip("'-_")
        if len(word) < 2 or word in _STOPWORDS:
            continue
        if word not in words:
            words.append(word)
    if not words:
        return None
    return " OR ".join('"' + w.replace('"', "") + '"' for w in words[:32])


def rrf(rankings: Iterable[list[str]], k: int = RRF_K) -> dict[str, float]:
    """Reciprocal-rank fusion: id -> sum over rankings of 1 / (k + rank)."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, key in enumerate(ranking, start=1):
            scores[key] = scores.get(key, 0.0) + 1.0 / (k + rank)
    return scores


def _to_date(value: int) -> dt.date | None:
    if not value:
        return None
    return dt.date(value // 10000, value // 100 % 100, value % 100)


class Retriever:
    """Search one ingested knowledge base (its data directory)."""

    def __init__(self, data_dir: str | Path, *, store: Store | None = None,
                 server: IndexServer | None = None) -> None:
        if store is None:
            store = Store(data_dir, server=server)
            incomplete = store.completeness()
            if incomplete:
                store.close()
                raise NotIngestedError(incomplete)
        self.store = store
        self._frequencies = DocFrequencies()
        self._postings = Postings(self.store.data_dir / "index.sqlite")

    # ---- public API ----------------------------------------------------------------

    def search(self, query: str, **kwargs: Any) -> list[Hit]:
        """The ``k`` best documents for ``query`` under the filters, best first (see
        :meth:`_search`). An unreadable index says so and how to rebuild it."""
        try:
            return self._search(query, **kwargs)
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise
            raise self.store.damaged(exc) from None

    def _search(
        self,
        query: str,
        *,
        k: int = 8,
        account: str | None = None,
        doc_type: DocType | None = None,
        kinds: Iterable[str] | None = None,
        outcome: str | Iterable[str] | None = None,
        date_from: dt.date | None = None,
        date_to: dt.date | None = None,
        candidates: int = 50,
    ) -> list[Hit]:
        """The ``k`` best documents for ``query`` under the filters, best first."""
        kinds_set = set(kinds) if kinds else None
        outcomes = {outcome} if isinstance(outcome, str) else set(outcome) if outcome else None
        if account and doc_type is None:
            doc_type = "note"
        filters = _Filters(account, doc_type, kinds_set, outcomes, date_from, date_to)
        if filters.broad() and self._chunk_count() >= SPLIT_FROM:
            # Over most of a large store the lexical side costs more than the vector side:
            # both at once (SQLite, torch and chromadb release the GIL while they work).
            # Account and story scopes stay on one thread: their FTS is short, and under load
            # a second thread did not make them faster.
            lexical_job = _LEXICAL.submit(self._lexical_ranking, query, filters, candidates)
            vector = _finishing(lexical_job, self._vector_ranking, query, filters, candidates)
            lexical = lexical_job.result()
        else:
            vector = self._vector_ranking(query, filters, candidates)
            lexical = self._lexical_ranking(query, filters, candidates)
        fused = rrf([[cid for cid, _ in vector], lexical])
        sims = dict(vector)
        vrank = {cid: i for i, (cid, _) in enumerate(vector, start=1)}
        lrank = {cid: i for i, cid in enumerate(lexical, start=1)}
        rows = self._chunk_rows(fused)
        best: dict[str, Hit] = {}
        for cid, score in sorted(fused.items(), key=lambda kv: (-round(kv[1], 9), kv[0])):
            row = rows.get(cid)
            if row is None or not filters.accepts(row):
                continue
            doc_id = row["doc_id"]
            if doc_id in best:
                continue
            best[doc_id] = Hit(
                id=doc_id, doc_type=row["doc_type"], account=row["account"], kind=row["kind"],
                date=_to_date(row["date"]), author=row["author"], outcome=row["outcome"],
                snippet=row["text"], chunk_id=cid, score=score, vector_rank=vrank.get(cid),
                lexical_rank=lrank.get(cid), similarity=sims.get(cid),
                metadata=row["metadata"],
            )
            if len(best) == k:
                break
        return list(best.values())

    def search_notes(self, account: str, query: str, *, k: int = 8, **filters: Any) -> list[Hit]:
        return self.search(query, k=k, account=account, doc_type="note", **filters)

    def similar_stories(
        self,
        profile: dict[str, Any],
        situation: str = "",
        *,
        k: int = 3,
        outcome: str | Iterable[str] | None = None,
    ) -> list[Hit]:
        """Stories whose customer looks like ``profile`` and whose story fits ``situation``."""
        described = ", ".join(f"{key}: {value}" for key, value in profile.items() if value)
        query = f"{described}. {situation}".strip(" .")
        return self.search(query or "customer story", k=k, doc_type="story", outcome=outcome)

    def document_text(self, doc_id: str) -> str:
        """Every chunk of a document in order (the note as ingested)."""
        rows = self.store._conn().execute(
            "SELECT text FROM chunks WHERE doc_id = ? ORDER BY ordinal", (doc_id,)
        ).fetchall()
        return "\n\n".join(r[0] for r in rows)

    def warm_lexical(self) -> bool:
        """Build the in-memory lexical index now (slow, once; for a background worker at
        start-up) when the store is large enough to use it; True when it is ready."""
        if self._chunk_count() < MEMORY_FROM or not self.store.fts_keyed_by_chunk_rowid():
            return False
        return self._postings.warm()

    def known_ids(self) -> set[str]:
        return set(self.store.manifest())

    # ---- the two rankings ----------------------------------------------------------

    def _vector_ranking(self, query: str, f: _Filters, n: int) -> list[tuple[str, float]]:
        from knowledge.embeddings import embed_query

        if f.account:
            name = account_collection(f.account)
        elif f.doc_type == "story":
            name = STORIES
        else:
            name = ALL
        col = self.store.collection_for(name)
        if col is None:
            return []
        # Over-fetch when filters are applied after the query (kind, dates, outcome, type).
        want = n * (4 if f.post_filtered(name) else 1)
        # HNSW is approximate and its threaded build is not deterministic: two builds of
        # the same KB can order the tail differently. Small collections (an account's notes,
        # a small KB) are ranked exactly by asking for every vector; large ones use HNSW.
        # chromadb counts a collection by reading all its rows (6-14 ms for the global one at
        # 100k chunks), so the global collection is only counted when the chunk table (the
        # same chunks, counted in microseconds) says it is small.
        chunks = self._chunk_count() if name == ALL else 0
        if chunks > EXACT_LIMIT:
            fetch = min(want, chunks)
        else:
            size = col.count()
            if not size:
                return []
            fetch = size if size <= EXACT_LIMIT else min(want, size)
        result = col.query(
            query_embeddings=[list(embed_query(query))], n_results=fetch,
            include=["distances"],
        )
        pairs = sorted(
            ((cid, 1.0 - float(d))
             for cid, d in zip(result["ids"][0], result["distances"][0], strict=True)),
            key=lambda p: (-round(p[1], 6), p[0]),
        )
        return pairs[:want]

    def _chunk_count(self) -> int:
        return int(self.store._conn().execute("SELECT count(*) FROM chunks").fetchone()[0])

    def _lexical_ranking(self, query: str, f: _Filters, n: int) -> list[str]:
        match = fts_query(query)
        if match is None:
            return []
        limit = n * 4 if f.narrowed() else n
        conn = self.store._conn()
        if not self.store.fts_keyed_by_chunk_rowid():
            return _unkeyed_lexical(conn, match, f, limit)
        scope, params = f.scope_sql()
        # Account and story scopes are small (bm25 is only computed in scope): plain query.
        # Over most of a large store, prune the rows to score (knowledge.lexical) and halve
        # the rowid range between two threads.
        low, high = (0, -1) if not f.broad() else conn.execute(
            "SELECT coalesce((SELECT min(rowid) FROM chunks), 0), "
            "coalesce((SELECT max(rowid) FROM chunks), -1)"
        ).fetchone()
        size = int(high - low + 1)
        if f.broad() and size >= MEMORY_FROM:
            ranked = self._postings.top(conn, match, f.doc_type, limit)
            if ranked is not None:  # None: not built yet (a build starts) or a phrase
                return _chunk_ids(conn, [rowid for _, rowid in ranked])
        stats = self._frequencies.get(conn, match.split(" OR ")) if size >= PRUNE_FROM else None
        if size < SPLIT_FROM:
            rows = _ranked_rowids(conn, match, scope, params, limit, None, stats, 1.0)
        else:
            # SQLite releases the GIL while it works; bm25's statistics are the whole
            # table's in each half, so the merge by (bm25, rowid) is the unsplit ranking.
            split = (low + high) // 2
            other = _HALVES.submit(self._ranked_rowids_here, match, scope, params, limit,
                                   ("rowid > ?", split), stats, 0.5)
            rows = _finishing(other, _ranked_rowids, conn, match, scope, params, limit,
                              ("rowid <= ?", split), stats, 0.5)
            rows = sorted(rows + other.result())[:limit]
        return _chunk_ids(conn, [rowid for _, rowid in rows])

    def _ranked_rowids_here(self, *args: Any) -> list[tuple[float, int]]:
        """:func:`_ranked_rowids` on this thread's connection (for a worker thread)."""
        return _ranked_rowids(self.store._conn(), *args)

    def _chunk_rows(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        ids = list(ids)
        out: dict[str, dict[str, Any]] = {}
        conn = self.store._conn()
        for i in range(0, len(ids), 500):
            part = ids[i : i + 500]
            marks = ",".join("?" * len(part))
            for row in conn.execute(
                "SELECT chunk_id, doc_id, doc_type, account, kind, outcome, date, author, text, "
                f"metadata FROM chunks WHERE chunk_id IN ({marks})",
                part,
            ):
                out[row[0]] = {
                    "doc_id": row[1], "doc_type": row[2], "account": row[3], "kind": row[4],
                    "outcome": row[5], "date": row[6], "author": row[7], "text": row[8],
                    "metadata": json.loads(row[9]),
                }
        return out


def _finishing(job: Future[Any], fn: Any, *args: Any) -> Any:
    """``fn(*args)``; if it raises, wait for ``job`` first (no query left running on the
    store behind the caller's back)."""
    try:
        return fn(*args)
    except BaseException:
        job.cancel()
        wait([job])
        raise


def _ranked_rowids(conn: sqlite3.Connection, match: str, scope: str, params: list[Any],
                   limit: int, half: tuple[str, int] | None,
                   stats: tuple[int, list[int]] | None, share: float
                   ) -> list[tuple[float, int]]:
    """(bm25, rowid) of the best ``limit`` FTS matches in scope (and in ``half`` of the
    rowid range), best first, ties by rowid (FTS rowids are chunk rowids:
    ``knowledge.store.FTS_ROWIDS``). With ``stats`` (the table's and each phrase's row
    counts), only rows that can reach the top are scored (``knowledge.lexical``). Only the
    rowid is read per match: reading chunk_id costs a content-table lookup per match."""
    conds: list[str] = []
    args: list[Any] = []
    if scope:
        conds.append(scope)
        args.extend(params)
    if half is not None:
        conds.append(half[0])
        args.append(half[1])
    where = " AND ".join(conds)
    if stats is not None:
        pruned = top_rows(conn, match, where, args, limit, stats, share)
        if pruned is not None:
            return pruned
    sql = (
        "SELECT bm25(chunks_fts), rowid FROM chunks_fts WHERE chunks_fts MATCH ? "  # noqa: S608
        + (f"AND {where} " if where else "")
        + "ORDER BY bm25(chunks_fts), rowid LIMIT ?"
    )
    return [(float(score), int(rowid))
            for score, rowid in conn.execute(sql, [match, *args, limit]).fetchall()]


def _chunk_ids(conn: sqlite3.Connection, rowids: list[int]) -> list[str]:
    """The chunk ids of ``rowids``, in their order (rows deleted meanwhile are left out)."""
    if not rowids:
        return []
    marks = ",".join("?" * len(rowids))
    found = dict(conn.execute(
        f"SELECT rowid, chunk_id FROM chunks WHERE rowid IN ({marks})", rowids  # noqa: S608
    ).fetchall())
    return [found[r] for r in rowids if r in found]


def _unkeyed_lexical(conn: sqlite3.Connection, match: str, f: _Filters, limit: int) -> list[str]:
    """Lexical ranking on a store whose FTS rows are not yet keyed by chunk rowid (until a
    writer opens it, see ``knowledge.store.FTS_ROWIDS``): FTS matches joined to chunks."""
    conds: list[str] = []
    params: list[Any] = [match]
    if f.account:
        conds.append("c.account = ?")
        params.append(f.account)
    if f.doc_type:
        conds.append("c.doc_type = ?")
        params.append(f.doc_type)
    if conds:
        sql = ("SELECT f.chunk_id FROM chunks_fts f JOIN chunks c ON c.chunk_id = f.chunk_id "
               "WHERE chunks_fts MATCH ? AND " + " AND ".join(conds))
    else:
        sql = "SELECT chunk_id FROM chunks_fts WHERE chunks_fts MATCH ?"
    sql += " ORDER BY bm25(chunks_fts) LIMIT ?"
    params.append(limit)
    return [r[0] for r in conn.execute(sql, params).fetchall()]


@dataclass
class _Filters:
    account: str | None
    doc_type: str | None
    kinds: set[str] | None
    outcomes: set[str] | None
    date_from: dt.date | None
    date_to: dt.date | None

    def post_filtered(self, collection: str) -> bool:
        return bool(
            self.kinds or self.outcomes or self.date_from or self.date_to
            or (collection == ALL and self.doc_type)
        )

    def broad(self) -> bool:
        """Over most of the store (not one account's notes, not the stories)?"""
        return not (self.account or self.doc_type == "story")

    def narrowed(self) -> bool:
        """Filters applied after the lexical query (it then fetches 4x the candidates)."""
        return bool(self.kinds or self.outcomes or self.date_from or self.date_to)

    def scope_sql(self) -> tuple[str, list[Any]]:
        """The lexical query's scope as a condition on FTS rowids ("" when unscoped): the
        (indexed) chunk rows in scope; the `+` keeps SQLite from handing the list to FTS5,
        which would run one full-text lookup per rowid. bm25 is then only computed for
        rows in scope."""
        conds: list[str] = []
        params: list[Any] = []
        if self.account:
            conds.append("account = ?")
            params.append(self.account)
        if self.doc_type:
            conds.append("doc_type = ?")
            params.append(self.doc_type)
        if not conds:
            return "", []
        return ("+rowid IN (SELECT rowid FROM chunks WHERE "  # noqa: S608 - fixed columns
                + " AND ".join(conds) + ")", params)

    def accepts(self, row: dict[str, Any]) -> bool:
        if self.account and row["account"] != self.account:
            return False
        if self.doc_type and row["doc_type"] != self.doc_type:
            return False
        if self.kinds and row["kind"] not in self.kinds:
            return False
        if self.outcomes and row["outcome"] not in self.outcomes:
            return False
        day = _to_date(row["date"])
        if self.date_from and (day is None or day < self.date_from):
            return False
        return not (self.date_to and (day is None or day > self.date_to))

"""FTS5's bm25 top-k without computing bm25 for every match: the same ranking, less work.

``SELECT ... WHERE chunks_fts MATCH 'a OR b OR c' ORDER BY bm25(chunks_fts) LIMIT k`` makes
FTS5 score every row matching any phrase (45% of a 100k-chunk store for typical queries,
~35 ms). The score of a row is a sum over the phrases it contains, and FTS5's formula caps
each term: ``idf * f * (k1 + 1) / (f + k1 * (1 - b + b * D / avgdl)) < idf * (k1 + 1)``.
So a row whose set of phrases S has ``sum of caps over S < theta`` scores below ``theta``.
Given a ``theta`` that at least ``k`` rows reach, only rows containing one of the *minimal*
phrase sets whose caps reach ``theta`` can be in the top k; FTS5 finds those rows cheaply
(``(a AND b) OR c``, no scoring) and bm25 is computed for them alone, with the full query
(same phrases, same statistics, so the same scores). ``theta`` is guessed from the phrases'
document frequencies (rows with all their phrases at a typical weight), checked against the
k-th score found, and lowered to it when the guess was too high: the k-th score of a
candidate set is always reached by k rows, so the second try is final.

Exact by construction (ties are ordered by rowid either way); when nothing can be pruned
(one phrase, every phrase alone could reach the top k, too many phrases) the plain query runs.

Read only. Touches the data directory's ``index.sqlite`` through the caller's connection.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from typing import Any

K1 = 1.2  # FTS5's bm25 constants (fts5_aux.c)
CAP = (K1 + 1.0) * (1.0 + 1e-9)  # a phrase adds less than idf * CAP; margin for rounding
MAX_PHRASES = 8  # phrase sets are enumerated: 2^8 subsets at most
MAX_CLAUSES = 40  # a candidate query with more (a AND b) clauses is not worth it
MAX_TRIES = 6


def idf(rows: int, hits: int) -> float:
    """FTS5's bm25 idf of a phrase in ``hits`` of ``rows`` rows (never below 1e-6)."""
    value = math.log((rows - hits + 0.5) / (hits + 0.5))
    return value if value > 0 else 1e-6


class DocFrequencies:
    """Rows per phrase and the row count, cached per thread (one connection per thread
    and store) until the database changes (``PRAGMA data_version``, own writes)."""

    def __init__(self) -> None:
        self._local = threading.local()

    def get(self, conn: sqlite3.Connection, phrases: list[str]) -> tuple[int, list[int]]:
        stamp = (conn.execute("PRAGMA data_version").fetchone()[0], conn.total_changes)
        cache = getattr(self._local, "cache", None)
        if cache is None or cache[0] != stamp or len(cache[2]) > 20_000:
            rows = max(
                conn.execute("SELECT count(*) FROM chunks").fetchone()[0],
                conn.execute("SELECT count(*) FROM chunks_fts_docsize").fetchone()[0],
            )
            cache = self._local.cache = (stamp, int(rows), {})
        counts: dict[str, int] = cache[2]
        for phrase in phrases:
            if phrase not in counts:
                counts[phrase] = int(conn.execute(
                    "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (phrase,)
                ).fetchone()[0])
        return cache[1], [counts[p] for p in phrases]


def top_rows(conn: sqlite3.Connection, match: str, where: str, args: list[Any], limit: int,
             stats: tuple[int, list[int]], share: float) -> list[tuple[float, int]] | None:
    """(bm25, rowid) of the best ``limit`` rows matching ``match`` (phrases OR-ed, as
    ``fts_query`` makes) under the extra SQL condition ``where`` ("" for none), best first;
    None when pruning cannot help (the caller runs the plain query). ``stats`` are the
    table's row count and each phrase's row count; ``share`` the part of the table in scope."""
    phrases = match.split(" OR ")
    rows, hits = stats
    live = [i for i, h in enumerate(hits) if h]
    if not live or len(live) == 1 or len(live) > MAX_PHRASES:
        return None
    weights = [idf(rows, hits[i]) for i in live]
    caps = [w * CAP for w in weights]
    theta = _first_guess(weights, [hits[i] / rows for i in live], rows * share, limit)
    for _ in range(MAX_TRIES):
        family = _minimal_sets(caps, theta)
        if family is None:
            return None
        candidates = " OR ".join(
            "(" + " AND ".join(phrases[live[b]] for b in range(len(live)) if mask >> b & 1) + ")"
            for mask in family
        )
        sql = (
            "SELECT bm25(chunks_fts), rowid FROM chunks_fts WHERE chunks_fts MATCH ? "
            "AND +rowid IN (SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH ?) "
            + (f"AND {where} " if where else "")
            + "ORDER BY bm25(chunks_fts), rowid LIMIT ?"
        )
        found = [(float(s), int(r)) for s, r in
                 conn.execute(sql, [match, candidates, *args, limit]).fetchall()]
        if len(found) == limit and -found[-1][0] >= theta:
            return found  # every row outside the candidates scores below theta
        theta = -found[-1][0] if len(found) == limit else theta / 2
    return None


def _first_guess(weights: list[float], shares: list[float], rows: float, limit: int) -> float:
    """The highest typical score (phrases at weight idf: one occurrence in a row of average
    length) that ``limit`` rows are expected to reach, phrases taken as independent."""
    subsets = []
    for mask in range(1, 1 << len(weights)):
        p, score = 1.0, 0.0
        for b, (w, share) in enumerate(zip(weights, shares, strict=True)):
            if mask >> b & 1:
                p *= share
                score += w
            else:
                p *= 1.0 - share
        subsets.append((score, p))
    subsets.sort(reverse=True)
    expected = 0.0
    for score, p in subsets:
        expected += p * rows
        if expected >= limit:
            return score
    return 0.0


def _minimal_sets(caps: list[float], theta: float) -> list[int] | None:
    """Bit masks of the minimal phrase sets whose caps reach ``theta``; None when that is
    every phrase alone (nothing to prune) or too many sets."""
    if theta <= 0 or all(cap >= theta for cap in caps):
        return None
    out = []
    for mask in range(1, 1 << len(caps)):
        members = [caps[b] for b in range(len(caps)) if mask >> b & 1]
        total = sum(members)
        if total >= theta and all(total - cap < theta for cap in members):
            out.append(mask)
            if len(out) > MAX_CLAUSES:
                return None
    return out

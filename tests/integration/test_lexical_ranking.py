"""The lexical (FTS5, bm25) ranking: the same ranking whichever way it is computed.

Global search over a large store runs as two halves of the rowid range in two threads and
reads only rowids per match; a store written before FTS rows were keyed by chunk rowid is
ranked through a join until a writer re-keys it. Each way must give the ranking of the plain
query ``ORDER BY bm25`` (ties in rowid order), which is what the rankings pinned elsewhere
were measured with.
"""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from knowledge import lexical, retrieval
from knowledge.chunking import Chunk
from knowledge.errors import DamagedFileError
from knowledge.retrieval import Retriever, _Filters, fts_query
from knowledge.store import FTS_ROWIDS, Store
from tests.fakes import fake_embed, install_fake_embeddings

WORDS = ("budget pilot renewal pricing security review routing dispatch overtime planner "
         "forecast depot fleet driver shift warehouse integration contract legal procurement"
         ).split()
QUERIES = ["budget pilot", "security review for the renewal", "routing dispatch overtime",
           "fleet driver shift planner forecast", "procurement legal contract", "warehouse",
           "nothing matches zebra"]
SHAPES = [{}, {"doc_type": "note"}, {"doc_type": "story"}, {"account": "acme"},
          {"kinds": ["call"]}]


@pytest.fixture(autouse=True)
def _fake_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_embeddings(monkeypatch)


def _build(data: Path, n_docs: int = 120) -> None:
    """A store of ~3 chunks per document, with repeated texts (bm25 ties) across accounts."""
    rng = random.Random(7)
    docs = []
    for i in range(n_docs):
        story = i % 10 == 0
        account = "" if story else ("acme", "globex", "initech")[i % 3]
        doc_id = f"story-{i}" if story else f"{account}-n{i}"
        meta = {"doc_type": "story" if story else "note", "doc_id": doc_id, "account": account,
                "kind": "story" if story else rng.choice(["call", "email"]), "date": 20260101}
        chunks = []
        for o in range(3):
            text = ("budget pilot renewal" if o == 2 else
                    " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30))))
            chunks.append(Chunk(id=f"{doc_id}#{o}", doc_id=doc_id, doc_type=meta["doc_type"],
                                ordinal=o, text=text, embed_text=text,
                                metadata={**meta, "ordinal": o}))
        docs.append((doc_id, f"{doc_id}.md", f"sha-{i}", chunks))
    vectors = {c.id: v for d in docs for c, v in zip(d[3], fake_embed([c.text for c in d[3]]),
                                                      strict=True)}
    with Store(data, writer=True) as store:
        store.apply_docs(docs, vectors)
        store.set_meta({"last_ingest": "test", "ingest": "complete"})


def _plain_ranking(data: Path, query: str, f: _Filters, limit: int) -> list[str]:
    """The reference: FTS5's own ORDER BY bm25 over the rows in scope."""
    match = fts_query(query)
    if match is None:
        return []
    conds, params = [], [match]
    for column, value in (("account", f.account), ("doc_type", f.doc_type)):
        if value:
            conds.append(f"c.{column} = ?")
            params.append(value)
    sql = ("SELECT f.chunk_id FROM chunks_fts f JOIN chunks c ON c.rowid = f.rowid "
           "WHERE chunks_fts MATCH ? " + "".join(f"AND {c} " for c in conds)
           + "ORDER BY bm25(chunks_fts), c.rowid LIMIT ?")
    with sqlite3.connect(data / "index.sqlite") as conn:
        return [r[0] for r in conn.execute(sql, [*params, limit]).fetchall()]


def _filters(shape: dict) -> _Filters:
    account = shape.get("account")
    doc_type = shape.get("doc_type") or ("note" if account else None)  # as Retriever.search
    kinds = set(shape["kinds"]) if shape.get("kinds") else None
    return _Filters(account, doc_type, kinds, None, None, None)


WAYS = {"whole": (10**9, 10**9), "pruned": (10**9, 0), "split": (1, 10**9),
        "split+pruned": (1, 0)}


@pytest.mark.parametrize("way", WAYS)
def test_lexical_ranking_is_fts5s_bm25_order_whichever_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    _build(tmp_path / "d")
    monkeypatch.setattr(retrieval, "SPLIT_FROM", WAYS[way][0])
    monkeypatch.setattr(retrieval, "PRUNE_FROM", WAYS[way][1])
    retriever = Retriever(tmp_path / "d")
    compared = 0
    for query in QUERIES:
        for shape in SHAPES:
            f = _filters(shape)
            for limit in (5, 50):
                want = _plain_ranking(tmp_path / "d", query, f, limit * (4 if f.kinds else 1))
                assert retriever._lexical_ranking(query, f, limit) == want, (query, shape)
                compared += bool(want)
    assert compared >= 40  # most queries match something


def test_split_search_returns_the_same_hits(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    _build(tmp_path / "d")
    retriever = Retriever(tmp_path / "d")

    def hits(way: str) -> list[list[tuple[str, str, float]]]:
        monkeypatch.setattr(retrieval, "SPLIT_FROM", WAYS[way][0])
        monkeypatch.setattr(retrieval, "PRUNE_FROM", WAYS[way][1])
        return [[(h.id, h.chunk_id, h.score) for h in retriever.search(q, k=8, **shape)]
                for q in QUERIES for shape in SHAPES]

    whole = hits("whole")
    assert sum(map(len, whole)) > 100
    for way in ("pruned", "split", "split+pruned"):
        assert hits(way) == whole, way


def test_pruning_scores_fewer_rows_and_finds_the_same_top(tmp_path: Path) -> None:
    """knowledge.lexical.top_rows against the plain query, for every limit and query: the
    same rows in the same order, and it does prune (returns a result, not None) often."""
    _build(tmp_path / "d", n_docs=400)
    conn = sqlite3.connect(tmp_path / "d" / "index.sqlite")
    frequencies = lexical.DocFrequencies()
    pruned = 0
    queries = [*QUERIES, "budget renewal security", "pilot pricing review legal",
               "driver shift forecast depot fleet warehouse integration contract"]
    for query in queries:
        match = fts_query(query)
        assert match is not None
        stats = frequencies.get(conn, match.split(" OR "))
        for limit in (1, 3, 10, 50, 200):
            plain = conn.execute(
                "SELECT bm25(chunks_fts), rowid FROM chunks_fts WHERE chunks_fts MATCH ? "
                "ORDER BY bm25(chunks_fts), rowid LIMIT ?", (match, limit)).fetchall()
            got = lexical.top_rows(conn, match, "", [], limit, stats, 1.0)
            if got is not None:
                pruned += 1
                assert got == plain, (query, limit)
    assert pruned >= 15


def test_an_unkeyed_store_ranks_the_same_and_a_writer_rekeys_it(tmp_path: Path) -> None:
    data = tmp_path / "d"
    _build(data)
    cases = [(q, s) for q in QUERIES for s in SHAPES[:4]]
    want = [Retriever(data)._lexical_ranking(q, _filters(s), 20) for q, s in cases]
    # the layout before FTS_ROWIDS: FTS rows numbered on their own, no marker
    with sqlite3.connect(data / "index.sqlite") as conn:
        rows = conn.execute("SELECT text, chunk_id FROM chunks_fts ORDER BY rowid").fetchall()
        conn.execute("DELETE FROM chunks_fts")
        conn.executemany("INSERT INTO chunks_fts(rowid, text, chunk_id) VALUES(?, ?, ?)",
                         [(10_000 + i, t, c) for i, (t, c) in enumerate(rows)])
        conn.execute("DELETE FROM meta WHERE key = ?", (FTS_ROWIDS,))
    reader = Retriever(data)
    assert not reader.store.fts_keyed_by_chunk_rowid()
    assert [reader._lexical_ranking(q, _filters(s), 20) for q, s in cases] == want
    Store(data, writer=True).close()  # the next writer open brings the layout up to date
    rekeyed = Retriever(data)
    assert rekeyed.store.fts_keyed_by_chunk_rowid()
    with sqlite3.connect(data / "index.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM chunks_fts f JOIN chunks c "
                            "ON c.rowid = f.rowid AND c.chunk_id = f.chunk_id").fetchone()[0] \
            == len(rows)
    assert [rekeyed._lexical_ranking(q, _filters(s), 20) for q, s in cases] == want
    assert sum(map(len, want)) > 100


@pytest.mark.parametrize("way", ["whole", "split+pruned"])
def test_a_failing_lexical_query_surfaces_in_the_caller(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    _build(tmp_path / "d")
    monkeypatch.setattr(retrieval, "SPLIT_FROM", WAYS[way][0])
    monkeypatch.setattr(retrieval, "PRUNE_FROM", WAYS[way][1])
    retriever = Retriever(tmp_path / "d")

    def broken(*args: object) -> list[tuple[float, int]]:
        raise sqlite3.DatabaseError("database disk image is malformed")

    monkeypatch.setattr(retrieval, "_ranked_rowids", broken)
    with pytest.raises(DamagedFileError, match="cannot be read") as err:
        retriever.search("budget pilot")
    assert "ingest --rebuild" in str(err.value)


def test_the_global_collection_is_not_counted_when_the_chunk_table_says_it_is_large(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(tmp_path / "d")
    retriever = Retriever(tmp_path / "d")
    counted: list[str] = []
    real = retriever.store.collection_for

    def spying(name: str, **kw: object) -> object:
        col = real(name, **kw)  # type: ignore[arg-type]
        if col is None:
            return None

        class Spy:
            def count(self) -> int:
                counted.append(name)
                return int(col.count())

            def __getattr__(self, attr: str) -> object:
                return getattr(col, attr)

        return Spy()

    monkeypatch.setattr(retriever.store, "collection_for", spying)
    queries = [("budget pilot", {}), ("routing dispatch", {"doc_type": "note"}),
               ("renewal", {"account": "acme"}), ("pilot", {"doc_type": "story"})]

    def hits() -> list[list[tuple[str, str, float]]]:
        return [[(h.id, h.chunk_id, h.score) for h in retriever.search(q, **s)]
                for q, s in queries]

    small = hits()  # 360 chunks <= EXACT_LIMIT: every collection counted, ranked exactly
    assert counted.count("huddle_all") == 2
    monkeypatch.setattr(retrieval, "EXACT_LIMIT", 100)
    counted.clear()
    large = hits()
    assert "huddle_all" not in counted and "huddle_stories" in counted
    monkeypatch.setattr(retriever, "_chunk_count", lambda: 0)  # as if the table said "small"
    counted.clear()
    assert hits() == large and counted.count("huddle_all") == 2
    assert [len(h) for h in small] == [len(h) for h in large]

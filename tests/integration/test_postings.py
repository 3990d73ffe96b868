"""Global lexical ranking from postings held in memory (``knowledge.postings``): the same
scores, bit for bit, and the same order (ties by rowid) as FTS5's ``ORDER BY bm25``; stale
arrays are never used (every write to the FTS table bumps the store's generation)."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from knowledge import postings, retrieval
from knowledge.chunking import Chunk
from knowledge.postings import Postings
from knowledge.retrieval import Retriever, fts_query
from knowledge.store import FTS_GENERATION, Store
from tests.fakes import fake_embed, install_fake_embeddings
from tests.integration.test_lexical_ranking import (
    QUERIES,
    SHAPES,
    _build,
    _filters,
    _plain_ranking,
)

WORDS = ("budget pilot renewal pricing prices priced security review routing dispatch "
         "overtime planner forecast depot fleet driver shift warehouse integration contract "
         "legal procurement follow-up multi-year e-mail o'brien co-founder year follow"
         ).split()
MORE_QUERIES = [*QUERIES, "follow-up on the multi-year pricing", "e-mail o'brien",
                "price", "year follow", "co-founder budget budget", "pilot", "zebra",
                "driver drivers driving shift", "legal legal review"]


@pytest.fixture(autouse=True)
def _fake_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_embeddings(monkeypatch)


def _docs(n_docs: int, seed: int, first: int = 0) -> list[tuple[str, str, str, list[Chunk]]]:
    """Notes and stories of varied length, words repeated within a chunk (frequencies above
    one), hyphenated words (FTS5 phrases) and identical chunks (bm25 ties)."""
    rng = random.Random(seed)
    docs = []
    for i in range(first, first + n_docs):
        story = i % 7 == 0
        doc_id = f"story-{i}" if story else f"acme-n{i}"
        meta = {"doc_type": "story" if story else "note", "doc_id": doc_id,
                "account": "" if story else "acme", "kind": "call", "date": 20260101}
        chunks = []
        for o in range(rng.randint(1, 4)):
            text = ("budget pilot renewal" if o == 3 else
                    " ".join(rng.choice(WORDS[: rng.randint(3, len(WORDS))])
                             for _ in range(rng.randint(1, 60))))
            chunks.append(Chunk(id=f"{doc_id}#{o}", doc_id=doc_id, doc_type=meta["doc_type"],
                                ordinal=o, text=text, embed_text=text,
                                metadata={**meta, "ordinal": o}))
        docs.append((doc_id, f"{doc_id}.md", f"sha-{seed}-{i}", chunks))
    return docs


def _write(data: Path, docs: list[tuple[str, str, str, list[Chunk]]]) -> None:
    vectors = {c.id: v for d in docs for c, v in zip(d[3], fake_embed([c.text for c in d[3]]),
                                                      strict=True)}
    with Store(data, writer=True) as store:
        store.apply_docs(docs, vectors)
        store.set_meta({"last_ingest": "test", "ingest": "complete"})


def _fts5(conn: sqlite3.Connection, match: str, doc_type: str | None,
          limit: int) -> list[tuple[float, int]]:
    scope = ("" if doc_type is None else
             "AND +rowid IN (SELECT rowid FROM chunks WHERE doc_type = ?) ")
    args = [match, limit] if doc_type is None else [match, doc_type, limit]
    return [(float(s), int(r)) for s, r in conn.execute(
        "SELECT bm25(chunks_fts), rowid FROM chunks_fts WHERE chunks_fts MATCH ? " + scope
        + "ORDER BY bm25(chunks_fts), rowid LIMIT ?", args).fetchall()]


def test_in_memory_top_is_fts5s_bm25_order_score_for_score(tmp_path: Path) -> None:
    data = tmp_path / "d"
    _write(data, _docs(300, seed=3))
    index = Postings(data / "index.sqlite")
    conn = sqlite3.connect(data / "index.sqlite")
    assert index.top(conn, '"budget"', None, 50) is None  # cold: FTS5 ranks meanwhile
    assert index.warm() and index.nbytes() > 0
    compared = ties = phrases = 0
    for query in MORE_QUERIES:
        match = fts_query(query)
        if match is None:
            continue
        for doc_type in (None, "note", "story"):
            for limit in (1, 7, 50, 2000):
                want = _fts5(conn, match, doc_type, limit)
                assert index.top(conn, match, doc_type, limit) == want, (query, doc_type)
                compared += bool(want)
                ties += len(want) - len({s for s, _ in want})
                phrases += "-" in match and bool(want)
    assert compared >= 60 and ties > 20 and phrases >= 8


def test_a_write_makes_the_arrays_stale_until_rebuilt(tmp_path: Path) -> None:
    data = tmp_path / "d"
    _write(data, _docs(120, seed=4))
    index = Postings(data / "index.sqlite")
    conn = sqlite3.connect(data / "index.sqlite")
    assert index.warm()
    match = fts_query("budget pilot follow-up")
    assert match is not None
    before = index.top(conn, match, None, 50)
    assert before == _fts5(conn, match, None, 50)
    gen = conn.execute("SELECT value FROM meta WHERE key = ?", (FTS_GENERATION,)).fetchone()
    # rewrite a document with texts of the same lengths: same row count, new words
    old = _docs(120, seed=4)[5]
    swapped = [Chunk(id=c.id, doc_id=c.doc_id, doc_type=c.doc_type, ordinal=c.ordinal,
                     text=c.text.replace("budget", "pilot"),
                     embed_text=c.embed_text.replace("budget", "pilot"), metadata=c.metadata)
               for c in old[3]]
    _write(data, [(old[0], old[1], "sha-changed", swapped)])
    assert conn.execute("SELECT value FROM meta WHERE key = ?",
                        (FTS_GENERATION,)).fetchone() != gen
    index.start = lambda: None  # type: ignore[method-assign]  # no background build here
    assert index.top(conn, match, None, 50) is None  # stale: never the old arrays
    assert Postings.warm(index)
    assert index.top(conn, match, None, 50) == _fts5(conn, match, None, 50) != before
    with Store(data, writer=True) as store:
        store.delete_docs([old[0]])
    assert index.top(conn, match, None, 50) is None


def test_retriever_ranks_from_memory_once_warm_and_gives_the_same_hits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _build(tmp_path / "d")
    retriever = Retriever(tmp_path / "d")
    cases = [(q, s) for q in QUERIES for s in SHAPES]

    def hits() -> list[list[tuple[str, str, float, int | None]]]:
        return [[(h.id, h.chunk_id, h.score, h.lexical_rank)
                 for h in retriever.search(q, k=8, **s)] for q, s in cases]

    fts5_hits = hits()
    assert not retriever.warm_lexical()  # 360 chunks: below MEMORY_FROM, nothing built
    monkeypatch.setattr(retrieval, "MEMORY_FROM", 1)
    assert retriever.warm_lexical()
    used: list[bool] = []
    real_top = Postings.top

    def spy(self: Postings, *args: object) -> object:
        out = real_top(self, *args)  # type: ignore[arg-type]
        used.append(out is not None)
        return out

    monkeypatch.setattr(Postings, "top", spy)
    for query, shape in cases:
        f = _filters(shape)
        want = _plain_ranking(tmp_path / "d", query, f, 50 * (4 if f.kinds else 1))
        assert retriever._lexical_ranking(query, f, 50) == want, (query, shape)
    assert hits() == fts5_hits
    assert used and all(used)  # global and note searches: every one from memory
    assert len(used) == 2 * sum(1 for q, s in cases if fts_query(q) and
                                not s.get("account") and s.get("doc_type") != "story")


def test_words_become_fts5s_own_terms() -> None:
    assert postings.query_terms(['"pricing"', '"follow-up"', '"Economic"']) == [
        ("price",), ("follow", "up"), ("econom",)]
    assert postings.query_terms(['"--"']) is None
    assert postings.varints(bytes([0x36, 0x00, 0x81, 0x00])) == [54, 0, 128]

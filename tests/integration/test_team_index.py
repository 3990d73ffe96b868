"""The index on a real Chroma server (``chroma run`` on loopback, started by the tests) with its
writer lock in a real PostgreSQL: same collections and metadata as the embedded store, the
same answers, one writer across machines, readers never blocked."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.errors import StoreLockedError
from knowledge.ingest import ingest
from knowledge.retrieval import Retriever
from knowledge.store import ALL, STORIES, IndexServer, Store, account_collection

QUERIES = [("Manhattan WMS", "acme"), ("pilot budget", None), ("dispatch reporting", "acme"),
           ("why we won", None)]


@pytest.fixture
def server(chroma_server: str, pg_url: str) -> IndexServer:
    return IndexServer(chroma_server, pg_url)


def test_the_server_holds_the_same_collections_and_answers(
        server: IndexServer, small_kb: Path, tmp_path: Path) -> None:
    report = ingest(small_kb, tmp_path / "laptop-a", server=server, rebuild=True)
    assert report.chunks_embedded > 0 and report.added
    assert not (tmp_path / "laptop-a" / "chroma").exists()  # no local vectors in team mode
    ingest(small_kb, tmp_path / "embedded")

    import chromadb

    host, port = server.chroma_url.removeprefix("http://").split(":")
    remote = chromadb.HttpClient(host=host, port=int(port))
    names = {c.name for c in remote.list_collections()}
    assert {ALL, STORIES, account_collection("acme")} <= names
    with Store(tmp_path / "embedded") as local, Store(tmp_path / "laptop-a",
                                                      server=server) as team:
        for name in (ALL, STORIES, account_collection("acme")):
            a, b = local.collection_for(name), team.collection_for(name)
            assert a is not None and b is not None
            assert a.count() == b.count() > 0
            keep = ("embed_model", "embed_fingerprint", "hnsw:space")
            assert {k: a.metadata[k] for k in keep} == {k: b.metadata[k] for k in keep}
            # our own embedding function, never chromadb's default (which downloads a model)
            assert type(b._embedding_function).__module__ == "knowledge.embeddings"

    embedded = Retriever(tmp_path / "embedded")
    team = Retriever(tmp_path / "laptop-a", server=server)
    for query, account in QUERIES:
        want = [h.id for h in embedded.search(query, account=account, k=3)]
        got = team.search(query, account=account, k=3)
        assert [h.id for h in got] == want, query
        assert any(h.vector_rank for h in got)  # the vector side answered, over HTTP
    assert team.search("Manhattan WMS", account="acme", k=1)[0].id == "acme-n3"


def test_one_writer_across_machines_and_readers_are_not_blocked(
        server: IndexServer, small_kb: Path, tmp_path: Path) -> None:
    ingest(small_kb, tmp_path / "laptop-a", server=server, rebuild=True)
    writer = Store(tmp_path / "laptop-b", writer=True, server=server)  # machine B writes ...
    try:
        with pytest.raises(StoreLockedError, match="someone else is writing the Chroma server"):
            ingest(small_kb, tmp_path / "laptop-a", server=server)  # ... A may not
        hits = Retriever(tmp_path / "laptop-a", server=server).search("pilot budget", k=2)
        assert hits  # ... but A still searches
    finally:
        writer.close()
    ingest(small_kb, tmp_path / "laptop-a", server=server)  # the lock went with the writer


def test_a_writer_waits_for_the_team_lock_when_asked(
        server: IndexServer, small_kb: Path, tmp_path: Path) -> None:
    import threading
    import time

    writer = Store(tmp_path / "laptop-b", writer=True, server=server)  # machine B writes
    threading.Timer(1.5, writer.close).start()  # ... for 1.5 s
    start = time.monotonic()
    with pytest.raises(StoreLockedError, match="someone else is writing"):
        ingest(small_kb, tmp_path / "laptop-a", server=server, wait_s=0.5)
    assert time.monotonic() - start >= 0.5
    report = ingest(small_kb, tmp_path / "laptop-a", server=server, rebuild=True, wait_s=20)
    assert report.added and time.monotonic() - start < 15


def test_a_writer_needs_the_team_database_for_its_lock(chroma_server: str, small_kb: Path,
                                                       tmp_path: Path) -> None:
    with pytest.raises(StoreLockedError, match="set database_url"):
        ingest(small_kb, tmp_path / "d", server=IndexServer(chroma_server, None))

"""Damaged, empty or foreign data files: detected on open, reported with the file and what
to do, never silently replaced. The index (derived from the KB) is rebuilt from any state;
``huddle doctor`` repairs only the index, after a backup. Data is private (0700 / 0600)."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from assistant import kb as kb_ops
from assistant.config import load_settings
from assistant.doctor import run_doctor
from assistant.records import Records
from assistant.service import Huddle
from knowledge.errors import DamagedFileError, NotIngestedError
from knowledge.ingest import ingest
from knowledge.ledger import Ledger
from knowledge.retrieval import Retriever
from tests.fakes import install_fake_embeddings, ticking_clock


@pytest.fixture(autouse=True)
def _fake_embeddings(monkeypatch: pytest.MonkeyPatch) -> None:
    install_fake_embeddings(monkeypatch)


def _scribble(path: Path, at: int = 4096, n: int = 4096) -> None:
    """Overwrite bytes after the header: the file still looks like SQLite, but is not."""
    with path.open("r+b") as fh:
        fh.seek(at)
        fh.write(b"\xde\xad\xbe\xef" * (n // 4))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- record files: reported, never replaced -------------------------------------------


def test_an_empty_ledger_is_reported_not_recreated(tmp_path: Path) -> None:
    (tmp_path / "icp_ledger.sqlite").write_bytes(b"")
    with pytest.raises(DamagedFileError) as err:
        Ledger.open(tmp_path, stamp=ticking_clock().stamp)
    assert "icp_ledger.sqlite" in err.value.message and "empty" in err.value.message
    assert "backup" in err.value.message and ".damaged" in err.value.message
    assert (tmp_path / "icp_ledger.sqlite").stat().st_size == 0  # left as it was


@pytest.mark.parametrize("content", [b"", b"these are not the plans you are looking for" * 50])
def test_an_empty_or_foreign_huddle_db_is_reported(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "huddle.db").write_bytes(content)
    with pytest.raises(DamagedFileError, match="huddle.db"):
        Records(tmp_path)
    assert (tmp_path / "huddle.db").read_bytes() == content


def test_a_malformed_ledger_fails_its_integrity_check(tmp_path: Path) -> None:
    Ledger.open(tmp_path, stamp=ticking_clock().stamp)
    with sqlite3.connect(tmp_path / "icp_ledger.sqlite") as db:  # rows for several pages
        db.executemany("INSERT INTO signals(key, source, source_id, account, attribute, value,"
                       " signal, quote, recorded_at) VALUES(?,?,?,?,?,?,?,?,?)",
                       [(f"k{i}", "s", "s", "acme", "a", "v", "supports", "q" * 200, "t")
                        for i in range(200)])
    with sqlite3.connect(tmp_path / "icp_ledger.sqlite") as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    _scribble(tmp_path / "icp_ledger.sqlite")
    with pytest.raises(DamagedFileError, match="integrity|cannot be read"):
        Ledger.open(tmp_path, stamp=ticking_clock().stamp)


def test_an_unchanged_database_is_read_once_per_process(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """huddle.db is opened by the plans, meetings and reflections stores in turn: the full
    check reads it once, and again only after the file changed (the test above: a scribble
    after an open is still found)."""
    from knowledge import sqlite as sq

    Ledger.open(tmp_path, stamp=ticking_clock().stamp)  # created, then written
    reads = []
    real = sq._problem
    monkeypatch.setattr(sq, "_problem", lambda path, full: reads.append(path) or real(path, full))
    for _ in range(3):
        Ledger.open(tmp_path, stamp=ticking_clock().stamp)
    assert len(reads) == 1
    Ledger.open(tmp_path, stamp=ticking_clock().stamp)
    with sqlite3.connect(tmp_path / "icp_ledger.sqlite") as db:
        db.execute("INSERT INTO signals(key, source, source_id, account, attribute, value,"
                   " signal, quote, recorded_at) VALUES('k','s','s','acme','a','v','supports',"
                   "'q','t')")
    Ledger.open(tmp_path, stamp=ticking_clock().stamp)
    assert len(reads) == 2  # the write changed the file (or its log): checked again


def test_a_damaged_checkpoint_file_is_reported(small_kb: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "checkpoints.sqlite").write_bytes(b"\x00" * 10)
    h = Huddle(load_settings(kb=small_kb, data_dir=data), clock=ticking_clock())
    with pytest.raises(DamagedFileError, match="checkpoints.sqlite.*runs in progress"):
        h.checkpointer()


# ---- the index: rebuilt from any state ------------------------------------------------


def _ingested(small_kb: Path, tmp_path: Path) -> Path:
    data = tmp_path / "data"
    ingest(small_kb, data)
    return data


def test_rebuild_recovers_a_corrupted_index_sqlite(small_kb: Path, tmp_path: Path) -> None:
    data = _ingested(small_kb, tmp_path)
    expected = Retriever(data).store.counts()
    _scribble(data / "index.sqlite")
    with pytest.raises(DamagedFileError, match="ingest --rebuild"):
        ingest(small_kb, data)  # a plain ingest says what to do
    with pytest.raises(DamagedFileError, match="ingest --rebuild"):
        Retriever(data).search("routing", k=3)
    ingest(small_kb, data, rebuild=True)
    assert Retriever(data).store.counts() == expected
    assert Retriever(data).search("routing dispatchers", k=3)


@pytest.mark.parametrize("damage", ["garbage_sqlite", "empty_chroma_db", "chroma_is_a_file"])
def test_rebuild_recovers_a_broken_chroma_folder(small_kb: Path, tmp_path: Path,
                                                  damage: str) -> None:
    import shutil

    data = _ingested(small_kb, tmp_path)
    chroma = data / "chroma"
    if damage == "garbage_sqlite":
        (chroma / "chroma.sqlite3").write_bytes(b"garbage" * 100)
    elif damage == "empty_chroma_db":
        (chroma / "chroma.sqlite3").write_bytes(b"")
    else:
        shutil.rmtree(chroma)
        chroma.write_text("not a folder")
    report = ingest(small_kb, data, rebuild=True)
    assert report.chunks_embedded > 0
    verify = kb_ops.verify(load_settings(kb=small_kb, data_dir=data))
    assert verify.ok, verify.problems


def test_search_after_a_killed_ingest_says_the_index_is_incomplete(
        small_kb: Path, tmp_path: Path) -> None:
    data = _ingested(small_kb, tmp_path)
    with sqlite3.connect(data / "index.sqlite") as db:  # as an ingest killed half-way leaves it
        db.execute("UPDATE meta SET value = 'running' WHERE key = 'ingest'")
    with pytest.raises(NotIngestedError, match="incomplete.*huddle ingest"):
        kb_ops.search(load_settings(kb=small_kb, data_dir=data), "routing")
    ingest(small_kb, data)
    assert kb_ops.search(load_settings(kb=small_kb, data_dir=data), "routing")


def test_search_during_a_rebuild_says_not_ingested(small_kb: Path, tmp_path: Path) -> None:
    from knowledge.store import Store

    data = _ingested(small_kb, tmp_path)
    with Store(data, writer=True, fresh=True):  # the rebuild has removed the old index
        with pytest.raises(NotIngestedError, match="huddle ingest"):
            kb_ops.search(load_settings(kb=small_kb, data_dir=data), "routing")


def test_verify_on_a_broken_kb_blames_the_kb_not_the_store(small_kb: Path,
                                                            tmp_path: Path) -> None:
    data = _ingested(small_kb, tmp_path)
    (small_kb / "team.yaml").write_text("people: [", encoding="utf-8")
    report = kb_ops.verify(load_settings(kb=small_kb, data_dir=data))
    assert not report.ok and report.kb_broken
    assert "knowledge base has problems" in report.headline
    assert "does NOT match" not in report.headline


# ---- doctor --------------------------------------------------------------------------


def test_doctor_rebuilds_the_index_after_a_backup_and_leaves_records_alone(
        small_kb: Path, tmp_path: Path) -> None:
    data = _ingested(small_kb, tmp_path)
    settings = load_settings(kb=small_kb, data_dir=data)
    Records(data)
    ledger_bytes = b"\x00" * 100  # a damaged ledger: reported, never touched
    (data / "icp_ledger.sqlite").write_bytes(ledger_bytes)
    _scribble(data / "index.sqlite")
    broken_index = (data / "index.sqlite").read_bytes()

    report = run_doctor(settings)
    by_name = {Path(f.path).name: f for f in report.findings}
    assert by_name["huddle.db"].status == "ok"
    assert by_name["icp_ledger.sqlite"].status == "damaged"
    assert "backup" in by_name["icp_ledger.sqlite"].todo
    assert (data / "icp_ledger.sqlite").read_bytes() == ledger_bytes
    assert by_name["index.sqlite"].status == "repaired"
    assert report.backup and (Path(report.backup) / "index.sqlite").read_bytes() == broken_index
    assert kb_ops.verify(settings).ok
    assert not report.ok  # the ledger still needs a person

    again = run_doctor(settings, repair=False)
    assert {Path(f.path).name: f.status for f in again.findings}["index.sqlite"] == "ok"


def test_doctor_lists_unfinished_reflections_with_the_command(small_kb: Path,
                                                              tmp_path: Path) -> None:
    from assistant.reflect.store import ReflectionStore

    data = _ingested(small_kb, tmp_path)
    store = ReflectionStore(data, stamp=ticking_clock().stamp)
    store.create(run_id="r-1", account="acme", plan_id=None, meeting_date="2026-11-20",
                 author="Avery Cole", source="call.txt")
    store.update("r-1", status="writing")
    report = run_doctor(load_settings(kb=small_kb, data_dir=data), repair=False)
    todo = [f for f in report.findings if f.path == "reflection r-1"]
    assert todo and "huddle reflect resume r-1" in todo[0].todo


# ---- private data --------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_data_folder_is_0700_and_files_0600_even_if_made_open_before(
        small_kb: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    Records(data)
    os.chmod(data / "huddle.db", 0o644)  # as an older version left it
    ingest(small_kb, data)
    Records(data)
    Ledger.open(data, stamp=ticking_clock().stamp)
    h = Huddle(load_settings(kb=small_kb, data_dir=data), clock=ticking_clock())
    h.checkpointer().conn.close()
    assert _mode(data) == 0o700
    for name in ("huddle.db", "icp_ledger.sqlite", "index.sqlite", "checkpoints.sqlite"):
        assert _mode(data / name) == 0o600, name
    for path in (data / "chroma").rglob("*"):
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path

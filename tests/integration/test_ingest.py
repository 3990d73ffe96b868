"""Incremental ingest into the real chromadb store with the real embedding model."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from knowledge.errors import KnowledgeBaseError, StoreLockedError, StoreMismatchError
from knowledge.ingest import ingest
from knowledge.store import Store

ROOT = Path(__file__).resolve().parents[2]


def _snapshot(data_dir: Path) -> tuple[dict[str, str], dict[str, int], list[str]]:
    with Store(data_dir) as store:
        ids = sorted(store.collection.get(include=[])["ids"])
        return store.manifest(), store.counts(), ids


def test_reingest_of_unchanged_kb_embeds_nothing(small_kb: Path, tmp_path: Path) -> None:
    first = ingest(small_kb, tmp_path / "d")
    assert sorted(first.added) == ["acme-n1", "acme-n2", "acme-n3", "story-1"]
    assert first.chunks_embedded >= 4
    second = ingest(small_kb, tmp_path / "d")
    assert (second.added, second.changed, second.deleted) == ([], [], [])
    assert second.chunks_embedded == 0
    assert second.unchanged == 4


def test_changed_note_is_replaced_and_deleted_note_pruned(small_kb: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    ingest(small_kb, data)
    n3 = small_kb / "accounts/acme/notes/n3.md"
    n3.write_text(n3.read_text().split("\n\nDana wants")[0] + "\n")  # one paragraph fewer
    (small_kb / "accounts/acme/notes/n2.md").unlink()
    report = ingest(small_kb, data)
    assert report.changed == ["acme-n3"]
    assert report.deleted == ["acme-n2"]
    manifest, counts, ids = _snapshot(data)
    assert "acme-n2" not in manifest
    assert not [i for i in ids if i.startswith("acme-n2#")]
    assert [i for i in ids if i.startswith("acme-n3#")] == ["acme-n3#0"]
    assert counts["chunks"] == counts["fts_rows"] == len(ids)


def test_broken_kb_leaves_the_store_untouched(small_kb: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    ingest(small_kb, data)
    before = _snapshot(data)
    (small_kb / "accounts/acme/notes/n1.md").write_text("---\nid: acme-n1\n---\n")
    (small_kb / "accounts/acme/notes/new.md").write_text(
        "---\nid: acme-n9\ndate: 2026-11-11\nauthor: A\nkind: call\n---\nA valid new note.\n"
    )
    with pytest.raises(KnowledgeBaseError):
        ingest(small_kb, data)
    assert _snapshot(data) == before


def test_crash_mid_ingest_converges_to_a_clean_run(
    small_kb: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = tmp_path / "clean"
    ingest(small_kb, clean)
    crashed = tmp_path / "crashed"
    calls = {"n": 0}
    real_apply = Store.apply_docs

    def dying_apply(self: Store, docs, embeddings):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            # vectors written, manifest not: the worst moment to die
            self.collection_for("huddle_all", create=True).upsert(
                ids=[c.id for _, _, _, cs in docs for c in cs],
                embeddings=[embeddings[c.id] for _, _, _, cs in docs for c in cs],
            )
            raise KeyboardInterrupt("killed")
        return real_apply(self, docs, embeddings)

    monkeypatch.setattr(Store, "apply_docs", dying_apply)
    with pytest.raises(KeyboardInterrupt):
        ingest(small_kb, crashed, batch_chunks=1)
    monkeypatch.setattr(Store, "apply_docs", real_apply)
    report = ingest(small_kb, crashed)
    assert report.chunks_embedded > 0
    assert _snapshot(crashed) == _snapshot(clean)


def test_sigkill_during_ingest_then_rerun_converges(small_kb: Path, tmp_path: Path) -> None:
    notes = small_kb / "accounts/acme/notes"
    for i in range(40):
        (notes / f"gen{i}.md").write_text(
            f"---\nid: gen-{i}\ndate: 2026-09-{i % 28 + 1:02d}\nauthor: A\nkind: email\n---\n"
            + "\n\n".join(f"Paragraph {j} of generated note {i} about depots and routes."
                          for j in range(6)) + "\n"
        )
    clean = tmp_path / "clean"
    ingest(small_kb, clean)
    killed = tmp_path / "killed"
    script = textwrap.dedent(f"""
        import sys, time
        from knowledge.ingest import ingest
        def progress(phase, done, total):
            if done:
                print(done, flush=True)
                time.sleep(0.5)
        ingest({str(small_kb)!r}, {str(killed)!r}, batch_chunks=16, progress=progress)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT)
    assert proc.stdout is not None
    first = proc.stdout.readline()  # one batch written
    assert first.strip(), "ingest produced no progress"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    report = ingest(small_kb, killed)
    assert report.unchanged > 0 and report.chunks_embedded > 0
    assert _snapshot(killed) == _snapshot(clean)


def test_second_writer_fails_fast(small_kb: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import time
            from knowledge.store import Store
            s = Store({str(data)!r}, writer=True)
            print("locked", flush=True)
            time.sleep(30)
        """)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        start = time.perf_counter()
        with pytest.raises(StoreLockedError, match="another Huddle process"):
            ingest(small_kb, data)
        assert time.perf_counter() - start < 5
    finally:
        holder.kill()
        holder.wait()


def test_store_refuses_another_kb_and_another_model(small_kb: Path, tmp_path: Path) -> None:
    data = tmp_path / "d"
    ingest(small_kb, data)
    other = tmp_path / "other-kb"
    import shutil

    shutil.copytree(small_kb, other)
    with pytest.raises(StoreMismatchError, match="another knowledge base"):
        ingest(other, data)
    with Store(data, writer=True) as store:
        store.collection.modify(metadata={"embed_model": "other", "embed_fingerprint": "x"})
    with pytest.raises(StoreMismatchError, match="--rebuild"):
        ingest(small_kb, data)
    report = ingest(small_kb, data, rebuild=True)
    assert len(report.added) == 4

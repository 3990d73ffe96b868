"""Ingest benchmark: model load, encode rate vs ingest throughput, re-ingest cost, memory.

What it measures (all wall-clock, ``time.perf_counter``; the machine load is printed with
every section because the box is shared):

(a) Embedding model load: ``import sentence_transformers`` and
    ``knowledge.embeddings.get_model()`` (SentenceTransformer from the packaged weights).
(b) The model's raw encode rate (texts/s) on the exact chunk texts of the demo KB
    (``kb_documents(load_kb("knowledge/demo"))``, the ``embed_text`` field, same batch size
    and normalisation as ``knowledge.embeddings.embed``) against Huddle's full ingest of the
    same KB into a fresh temporary data dir (``report.chunks_embedded / report.seconds``,
    model already loaded). The ratio shows our overhead: ingest should be model-bound. The raw
    rate is measured before and after the ingest to bracket load changes.
(c) Re-ingest of the unchanged demo KB (nothing to embed).
(d) With ``--notes N``: write a synthetic KB of N notes (2–4 paragraphs each, ~50 accounts,
    N/100 stories, team/process/icp yaml) into a temp dir, ingest it once, then time a
    re-ingest of the unchanged KB (target < 5 s at 10,000 notes) broken down into load_kb,
    chunking (kb_documents), hashing (doc_hash), store open + manifest compare, and the rest.
    The first ingest embeds ~3 chunks per note: with the real model (~50 texts/s) 10k notes
    take ~10 min, so ``--fake-embeddings`` replaces ``knowledge.embeddings.embed`` with
    deterministic random unit vectors for that section (the output says which mode ran).
(e) Peak RSS of every phase: ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` read at the end of
    the phase, after resetting the kernel's peak mark at its start (/proc/self/clear_refs),
    and the process peak over all phases.

Run:  .venv/bin/python benchmarks/ingest.py                       # (a)-(c), (e) on the demo KB
      .venv/bin/python benchmarks/ingest.py --notes 10000 --fake-embeddings --skip-demo
      .venv/bin/python benchmarks/ingest.py --notes 10000 --fake-embeddings --profile
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as C  # noqa: N812  (also puts the repo root on sys.path)


def section(title: str) -> None:
    print(f"\n## {title}  [{C.load_line()}]")


def line(name: str, res: dict, extra: str = "") -> None:
    print(f"  {name:<34} {res['seconds']:8.2f} s  {extra}")
    print(f"  {'':<34} {C.fmt_mem(res['memory'])}")


def demo_sections(args: argparse.Namespace, results: dict) -> None:
    from knowledge import embeddings
    from knowledge.chunking import kb_documents
    from knowledge.ingest import ingest
    from knowledge.loader import load_kb

    section("(a) embedding model load")
    with C.phase(results, "import sentence_transformers"):
        import sentence_transformers  # noqa: F401
    line("import sentence_transformers", results["import sentence_transformers"])
    with C.phase(results, "get_model"):
        model = embeddings.get_model()
    line("get_model() (weights -> CPU)", results["get_model"])
    with C.phase(results, "model_fingerprint"):
        embeddings.model_fingerprint()
    line("model_fingerprint() (sha256)", results["model_fingerprint"])

    kb_path = Path(args.kb)
    try:
        kb = load_kb(kb_path)
    except Exception as exc:  # the demo KB may be mid-edit by someone else
        print(f"  cannot load {kb_path}: {exc}")
        return
    docs = kb_documents(kb)
    texts = [c.embed_text for _, chunks in docs.values() for c in chunks]
    words = sum(len(t.split()) for t in texts)
    section(
        f"(b) encode rate vs ingest throughput on {kb_path} "
        f"({len(kb.notes)} notes, {len(kb.stories)} stories, {len(texts)} chunks, "
        f"{words / len(texts):.0f} words/chunk)"
    )
    model.encode(texts[:8], batch_size=64, normalize_embeddings=True,  # warm up
                 show_progress_bar=False)
    rates = []
    for label in ("raw encode (before ingest)",):
        with C.phase(results, label):
            model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False,
                         convert_to_numpy=True)
        rates.append(len(texts) / results[label]["seconds"])
        line(label, results[label], f"{rates[-1]:6.1f} texts/s")

    tmp = Path(tempfile.mkdtemp(prefix="huddle-bench-ingest-"))
    try:
        data = tmp / "data"
        with C.phase(results, "ingest demo (fresh)") as r:
            report = ingest(kb_path, data)
        r["report"] = report
        tput = report.chunks_embedded / report.seconds
        line("full ingest (fresh data dir)", results["ingest demo (fresh)"],
             f"{tput:6.1f} chunks/s ({report.chunks_embedded} chunks; "
             f"embed {report.embed_seconds:.2f} s, "
             f"other {report.seconds - report.embed_seconds:.2f} s)")

        label = "raw encode (after ingest)"
        with C.phase(results, label):
            model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False,
                         convert_to_numpy=True)
        rates.append(len(texts) / results[label]["seconds"])
        line(label, results[label], f"{rates[-1]:6.1f} texts/s")
        raw = sum(rates) / len(rates)
        print(f"  => ingest / raw encode = {tput / raw:.2f} "
              f"(raw mean {raw:.1f} texts/s, ingest {tput:.1f} chunks/s; "
              "non-embedding share of ingest "
              f"{(report.seconds - report.embed_seconds) / report.seconds:.1%})")

        section("(c) re-ingest of the unchanged demo KB")
        for i in (1, 2):
            with C.phase(results, f"re-ingest demo #{i}") as r:
                again = ingest(kb_path, data)
            line(f"re-ingest #{i} (0 to embed)", results[f"re-ingest demo #{i}"],
                 f"{again.unchanged} unchanged, {again.chunks_embedded} embedded")
        cold_reingest(kb_path, data)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def timed(acc: dict[str, float], key: str, fn):  # type: ignore[no-untyped-def]
    def wrapper(*a, **kw):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        try:
            return fn(*a, **kw)
        finally:
            acc[key] = acc.get(key, 0.0) + time.perf_counter() - t0
    return wrapper


_COLD = """
import time, sys
t0 = time.perf_counter()
from knowledge.ingest import ingest
t1 = time.perf_counter()
r = ingest(sys.argv[1], sys.argv[2])
t2 = time.perf_counter()
print(f"{t1 - t0:.3f} {t2 - t1:.3f} {r.unchanged} {r.chunks_embedded}")
"""


def cold_reingest(kb_path: Path, data: Path) -> None:
    """Re-ingest in a fresh interpreter, as `huddle ingest` would run it."""
    t0 = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", _COLD, str(kb_path), str(data)],
        capture_output=True, text=True, cwd=C.ROOT, check=False,
    )
    wall = time.perf_counter() - t0
    if out.returncode:
        print(f"  cold re-ingest failed: {out.stderr.strip().splitlines()[-1:]}")
        return
    imp, run, unchanged, embedded = out.stdout.split()
    print(f"  {'cold re-ingest (new process)':<34} {wall:8.2f} s  wall incl. interpreter start; "
          f"import knowledge.ingest {float(imp):.2f} s, ingest() {float(run):.2f} s "
          f"({unchanged} unchanged, {embedded} embedded)")


def synthetic_section(args: argparse.Namespace, results: dict) -> None:
    import knowledge.ingest as ki
    from knowledge import embeddings
    from knowledge.store import Store

    mode = ("FAKE embeddings (deterministic random unit vectors; model not run)"
            if args.fake_embeddings else "REAL embedding model")
    tmp = Path(tempfile.mkdtemp(prefix="huddle-bench-synth-"))
    try:
        kb_path = tmp / "kb"
        data = tmp / "data"
        section(f"(d) synthetic KB, {args.notes:,} notes — first ingest uses {mode}")
        with C.phase(results, "write synthetic KB"):
            shape = C.write_synthetic_kb(kb_path, args.notes, accounts=args.accounts)
        line("write KB files", results["write synthetic KB"],
             f"{shape['notes']:,} notes, {shape['accounts']} accounts, {shape['stories']} stories")

        real_embed = embeddings.embed
        if args.fake_embeddings:
            embeddings.embed = C.fake_embed_factory()
        try:
            with C.phase(results, "synthetic first ingest"):
                first = ki.ingest(kb_path, data)
        finally:
            embeddings.embed = real_embed
        line(f"first ingest ({'fake' if args.fake_embeddings else 'real'} embeddings)",
             results["synthetic first ingest"],
             f"{first.chunks_embedded:,} chunks, {first.chunks_per_second:,.0f} chunks/s "
             f"(embed {first.embed_seconds:.1f} s, "
             f"other {first.seconds - first.embed_seconds:.1f} s)")

        print("  re-ingest of the unchanged KB (nothing to embed; target < 5 s):")
        for i in range(1, args.repeat + 1):
            acc: dict[str, float] = {}
            saved = (ki.load_kb, ki.kb_documents, ki.doc_hash, Store.manifest, Store.__init__)
            ki.load_kb = timed(acc, "load_kb (read+parse+validate)", ki.load_kb)
            ki.kb_documents = timed(acc, "chunking (kb_documents)", ki.kb_documents)
            ki.doc_hash = timed(acc, "hashing (doc_hash)", ki.doc_hash)
            Store.manifest = timed(acc, "manifest read (Store.manifest)", Store.manifest)
            Store.__init__ = timed(acc, "store open (lock + schema)", Store.__init__)
            try:
                with C.phase(results, f"synthetic re-ingest #{i}"):
                    again = ki.ingest(kb_path, data)
            finally:
                ki.load_kb, ki.kb_documents, ki.doc_hash, Store.manifest, Store.__init__ = saved
            res = results[f"synthetic re-ingest #{i}"]
            res["breakdown"] = acc
            verdict = "OK" if res["seconds"] < 5 else "MISSES < 5 s"
            line(f"re-ingest #{i}", res,
                 f"{again.unchanged:,} unchanged, {again.chunks_embedded} embedded  [{verdict}]")
            rest = res["seconds"] - sum(acc.values())
            for key, secs in list(acc.items()) + [("rest (compare, chroma open, meta)", rest)]:
                print(f"      {key:<38} {secs:7.3f} s")
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            ki.ingest(kb_path, data)
            prof.disable()
            print("\n  cProfile of one more (untimed) re-ingest, top 25 by internal time:")
            pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(25)
        cold_reingest(kb_path, data)
    finally:
        if args.keep:
            print(f"  kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kb", default=str(C.ROOT / "knowledge" / "demo"), help="KB for (a)-(c)")
    ap.add_argument("--notes", type=int, default=0, help="also run (d) with this many notes")
    ap.add_argument("--accounts", type=int, default=50, help="accounts in the synthetic KB")
    ap.add_argument("--fake-embeddings", action="store_true",
                    help="(d) only: random unit vectors instead of the model for the first ingest")
    ap.add_argument("--skip-demo", action="store_true", help="skip (a)-(c)")
    ap.add_argument("--repeat", type=int, default=2, help="re-ingests of the synthetic KB")
    ap.add_argument("--profile", action="store_true", help="cProfile an extra synthetic re-ingest")
    ap.add_argument("--keep", action="store_true", help="keep the synthetic KB and data dir")
    args = ap.parse_args()

    C.header("Huddle ingest benchmark")
    results: dict[str, dict] = {}
    if not args.skip_demo:
        demo_sections(args, results)
    if args.notes:
        synthetic_section(args, results)
    section("(e) peak RSS per phase")
    for name, res in results.items():
        mem = res["memory"]
        print(f"  {name:<34} peak {mem['phase_peak'] or 0:7,.0f} MB  (load {res['load_before']:.2f}"
              f" -> {res['load_after']:.2f})")
    print(f"  process peak over all phases: {C.memory()['process_peak']:,.0f} MB")


if __name__ == "__main__":
    main()

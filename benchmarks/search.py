"""Search benchmark: latency of ``knowledge.retrieval.Retriever.search`` at 1k–100k chunks.

What it measures (wall-clock, ``time.perf_counter``, machine load printed with every size):

* Builds synthetic stores of N chunks by calling ``Store.apply_docs`` directly with
  synthetic ``knowledge.chunking.Chunk`` objects shaped like the real ones (same id scheme,
  metadata and context header) and random unit-vector embeddings, so no model runs during
  the build. Notes (2–4 chunks each, sentences drawn from a sales vocabulary with people,
  competitors, systems and topics, for realistic FTS) are spread over ``--accounts`` accounts
  (default 100); ~2% of documents are stories. Each store is built in a child process and
  cached under ``--cache-dir`` (default /tmp/huddle-bench/search), so reruns only search.
  Build time and the builder's peak RSS are recorded with the cache and printed.
* For each size, three query paths, each over ``--queries`` realistic queries:
  (i)  account-scoped note search — ``search(q, account=slug)`` (the plan's path);
  (ii) global search — ``search(q)``;
  (iii) story search — ``similar_stories(profile, situation, k=3)``.
  Latency p50/p95 is reported twice: without query embedding (query vectors precomputed with
  the real model and served from a dict, so the figure is vector + FTS + fusion + row fetch)
  and with it (the real ``knowledge.embeddings.embed`` call per query, the full hybrid path).
  The query embedding time is also measured on its own. The first query on each collection
  (cold: chromadb loads that collection's index) is reported separately from warm queries.
  A per-stage breakdown (vector query, FTS query, row fetch) is printed for the warm runs.
* Peak RSS of the search process per size (``getrusage`` after resetting the peak mark).
* ``--baseline FILE`` (e.g. an older ``knowledge/retrieval.py``, from ``git show``): the same
  searches through that module's ``Retriever`` on the same open store, each query run once
  through each, alternating which goes first, so before and after share one machine state.

Target: p95 < 50 ms at 100k chunks (full path).

Run:  .venv/bin/python benchmarks/search.py                       # sizes 1000,10000,100000
      .venv/bin/python benchmarks/search.py --sizes 1000,10000 --queries 50
      .venv/bin/python benchmarks/search.py --no-model            # random query vectors only
      .venv/bin/python benchmarks/search.py --rebuild             # ignore the cached stores
      git show main:knowledge/retrieval.py > /tmp/before.py
      .venv/bin/python benchmarks/search.py --baseline /tmp/before.py   # before vs after
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import _common as C  # noqa: N812  (also puts the repo root on sys.path)

STORE_VERSION = "v1"  # bump when the synthetic data or the store layout changes
STORY_SHARE = 0.02


# ---- building a synthetic store --------------------------------------------------------


def synthetic_docs(n_chunks: int, n_accounts: int, seed: int = 1):
    """Yield (doc_id, path, sha, chunks) until about ``n_chunks`` chunks are produced."""
    from knowledge.chunking import Chunk

    rng = random.Random(seed)
    slugs = C.account_slugs(n_accounts)
    names = {s: f"{s.split('-')[0].title()} Corp {s.split('-')[1]}" for s in slugs}
    made = 0
    i = 0
    while made < n_chunks:
        i += 1
        n = min(rng.randint(2, 4), n_chunks - made)
        date = (2024 + rng.randint(0, 2)) * 10000 + rng.randint(1, 12) * 100 + rng.randint(1, 28)
        if rng.random() < STORY_SHARE:
            doc_id = f"story-{i:06d}"
            outcome = rng.choice(["won", "lost", "no-decision"])
            comp = rng.choice(C.COMPETITORS)
            industry = rng.choice(C.INDUSTRIES)
            header = (f"{outcome} story | {outcome} against {comp} | industry: {industry}, "
                      f"employees: {rng.randint(50, 9000)} | competitor {comp}")
            meta = {"doc_type": "story", "doc_id": doc_id, "account": "", "kind": "story",
                    "outcome": outcome, "date": date, "author": "",
                    "icp_industry": industry}
            doc_type, path = "story", f"stories/{doc_id}.md"
        else:
            slug = rng.choice(slugs)
            doc_id = f"{slug}-n{i:06d}"
            kind = rng.choice(C.KINDS)
            author = rng.choice(C.SELLERS)
            header = (f"{names[slug]} | {kind} | {date // 10000}-{date // 100 % 100:02d}-"
                      f"{date % 100:02d} | {author} | with {C.person(rng)}")
            meta = {"doc_type": "note", "doc_id": doc_id, "account": slug, "kind": kind,
                    "date": date, "author": author}
            doc_type, path = "note", f"accounts/{slug}/notes/{doc_id}.md"
        chunks = []
        for o in range(n):
            text = C.paragraph(rng)
            chunks.append(Chunk(
                id=f"{doc_id}#{o}", doc_id=doc_id, doc_type=doc_type, ordinal=o, text=text,
                embed_text=f"{header}\n{text}", metadata={**meta, "ordinal": o},
            ))
        made += n
        yield doc_id, path, f"sha-{i}", chunks


def build_store(path: Path, n_chunks: int, n_accounts: int, batch: int = 2000) -> dict:
    """Build one store (run in a child process); returns stats written next to it."""
    import numpy as np

    from knowledge.store import Store

    if path.exists():
        shutil.rmtree(path)
    C.reset_peak()
    rng = np.random.default_rng(0)
    t0 = time.perf_counter()
    apply_s = 0.0
    counts = {"chunks": 0, "docs": 0, "stories": 0}
    with Store(path, writer=True) as store:
        pending: list = []
        size = 0

        def flush() -> None:
            nonlocal pending, size, apply_s
            chunks = [c for d in pending for c in d[3]]
            vecs = rng.standard_normal((len(chunks), 384)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            t = time.perf_counter()
            store.apply_docs(pending, dict(zip([c.id for c in chunks], vecs.tolist(), strict=True)))
            apply_s += time.perf_counter() - t
            pending, size = [], 0
            done = counts["chunks"]
            if done and done % 20000 < batch:
                print(f"    built {done:,}/{n_chunks:,} chunks, {time.perf_counter() - t0:.0f} s",
                      flush=True)

        for doc in synthetic_docs(n_chunks, n_accounts):
            pending.append(doc)
            size += len(doc[3])
            counts["chunks"] += len(doc[3])
            counts["docs"] += 1
            counts["stories"] += doc[3][0].doc_type == "story"
            if size >= batch:
                flush()
        if pending:
            flush()
        store.set_meta({"kb_root": f"synthetic-{n_chunks}", "schema": "1",
                        "last_ingest": "bench", "ingest": "complete"})
        store.collection  # noqa: B018
    stats = {
        **counts, "accounts": n_accounts, "build_seconds": time.perf_counter() - t0,
        "apply_docs_seconds": apply_s, "build_peak_rss_mb": C.memory()["phase_peak"],
        "load_during_build": C.load_line(),
        "built_at": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    (path / "bench-complete.json").write_text(json.dumps(stats, indent=1))
    return stats


def ensure_store(
    cache: Path, n_chunks: int, n_accounts: int, rebuild: bool
) -> tuple[Path, dict, bool]:
    path = cache / f"store-{n_chunks}-a{n_accounts}-{STORE_VERSION}"
    marker = path / "bench-complete.json"
    if marker.exists() and not rebuild:
        from knowledge.store import Store

        # A writer open brings a store built by older code to the current layout (e.g. the
        # FTS re-key of knowledge.store.FTS_ROWIDS), as the next `huddle ingest` would.
        t = time.perf_counter()
        with Store(path, writer=True) as store:
            if store.completeness():  # cached by a build that predates the completeness mark
                store.set_meta({"last_ingest": "bench", "ingest": "complete"})
        secs = time.perf_counter() - t
        if secs > 0.5:
            print(f"  opened cached store as writer (layout upgrade) in {secs:.1f} s")
        return path, json.loads(marker.read_text()), True
    print(f"  building {path} (child process) ...", flush=True)
    subprocess.run(
        [sys.executable, __file__, "--_build", str(path), "--_chunks", str(n_chunks),
         "--accounts", str(n_accounts)],
        check=True,
    )
    return path, json.loads(marker.read_text()), False


# ---- measuring -------------------------------------------------------------------------


class Stages:
    """Times Retriever's internal stages per call (vector, lexical, row fetch)."""

    NAMES = ("_vector_ranking", "_lexical_ranking", "_chunk_rows")

    def __init__(self) -> None:
        self.current: dict[str, float] = {}
        self._saved: dict = {}

    def install(self) -> None:
        from knowledge.retrieval import Retriever

        for name in self.NAMES:
            fn = getattr(Retriever, name)
            self._saved[name] = fn

            def wrapper(*a, _fn=fn, _name=name, **kw):  # type: ignore[no-untyped-def]
                t = time.perf_counter()
                try:
                    return _fn(*a, **kw)
                finally:
                    self.current[_name] = self.current.get(_name, 0.0) + time.perf_counter() - t

            setattr(Retriever, name, wrapper)

    def uninstall(self) -> None:
        from knowledge.retrieval import Retriever

        for name, fn in self._saved.items():
            setattr(Retriever, name, fn)


def print_stages(per_stage: dict[str, list[float]], vector_label: str) -> None:
    labels = {"_vector_ranking": vector_label, "_lexical_ranking": "lexical (FTS)",
              "_chunk_rows": "chunk rows"}
    print("      stages p50/p95 ms: " + ", ".join(
        f"{labels[k]} {C.percentile([x * 1000 for x in v], 50):.1f}/"
        f"{C.percentile([x * 1000 for x in v], 95):.1f}"
        for k, v in per_stage.items()))


def run_queries(calls, stages: Stages, base_calls=None, base_times=None
                ) -> tuple[list[float], dict[str, list[float]], int]:
    """Time each call; with ``base_calls``, also each baseline call (into ``base_times``),
    the two alternating which runs first. Stages are those of the calls."""
    times: list[float] = []
    per_stage: dict[str, list[float]] = {n: [] for n in Stages.NAMES}
    hits = 0
    for i, call in enumerate(calls):
        if base_calls is not None and i % 2 == 0:
            base_times.append(_timed(base_calls[i]))
        stages.current = {}
        t = time.perf_counter()
        out = call()
        times.append(time.perf_counter() - t)
        hits += len(out)
        for name in Stages.NAMES:
            per_stage[name].append(stages.current.get(name, 0.0))
        if base_calls is not None and i % 2 == 1:
            base_times.append(_timed(base_calls[i]))
    return times, per_stage, hits


def _timed(call) -> float:  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    call()
    return time.perf_counter() - t


def load_baseline(path: str | None):  # type: ignore[no-untyped-def]
    """The ``Retriever`` class of another retrieval module (a file), or None."""
    if not path:
        return None
    import importlib.util

    spec = importlib.util.spec_from_file_location("baseline_retrieval", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["baseline_retrieval"] = module
    spec.loader.exec_module(module)
    return module.Retriever


def warm_postings(retriever) -> str:  # type: ignore[no-untyped-def]
    """Build global search's in-memory postings (``Retriever.warm_lexical``, what the app's
    start-up worker does) before timing; the time, CPU and RSS it took, as a line."""
    warm = getattr(retriever, "warm_lexical", None)
    if warm is None:
        return "in-memory postings: none in this retrieval module"
    rss = C.memory()["rss"] or 0.0
    t, cpu = time.perf_counter(), time.process_time()
    ready = warm()
    wall, cpu = time.perf_counter() - t, time.process_time() - cpu
    after = C.memory()["rss"] or 0.0
    held = retriever._postings.nbytes() / 1e6
    return (f"in-memory postings ({'built' if ready else 'not used: store too small'}): "
            f"{wall:.2f} s wall, {cpu:.2f} s CPU, arrays {held:.1f} MB, RSS "
            f"{rss:,.0f} -> {after:,.0f} MB  [{C.load_line()}]")


def bench_size(path: Path, stats: dict, args: argparse.Namespace, queries: list[str],
               vectors: dict[str, list[float]], real_embed, summary: list[dict],
               baseline_cls=None) -> None:
    from knowledge import embeddings
    from knowledge.retrieval import Retriever

    n = stats["chunks"]
    rng = random.Random(3)
    slugs = C.account_slugs(stats["accounts"])
    C.reset_peak()
    t = time.perf_counter()
    retriever = Retriever(path)
    retriever.store.collection  # noqa: B018 - open chromadb
    open_s = time.perf_counter() - t
    warm_line = warm_postings(retriever)

    def cached_embed(texts: list[str], batch_size: int = 64) -> list[list[float]]:
        return [vectors[x] for x in texts]

    profiles = [{"industry": rng.choice(C.INDUSTRIES), "employees": rng.randint(50, 9000)}
                for _ in queries]
    acct_for = [rng.choice(slugs) for _ in queries]
    paths = {
        "account notes": lambda i: (lambda: retriever.search(queries[i], account=acct_for[i])),
        "global": lambda i: (lambda: retriever.search(queries[i])),
        "stories": lambda i: (lambda: retriever.similar_stories(profiles[i], queries[i])),
    }
    base = None if baseline_cls is None else baseline_cls(path, store=retriever.store)
    base_paths = {} if base is None else {
        "account notes": lambda i: (lambda: base.search(queries[i], account=acct_for[i])),
        "global": lambda i: (lambda: base.search(queries[i])),
        "stories": lambda i: (lambda: base.similar_stories(profiles[i], queries[i])),
    }

    def measure(name: str, wrap, embed: bool):  # type: ignore[no-untyped-def]
        """Times of path ``name`` (and of the baseline, interleaved), recorded in summary."""
        calls = [wrap(paths[name](i)) for i in range(len(queries))]
        base_calls = ([wrap(base_paths[name](i)) for i in range(len(queries))]
                      if base_paths else None)
        base_times: list[float] = []
        out = run_queries(calls, stages, base_calls, base_times)
        summary.append({"size": n, "path": name, "embed": embed, "times": out[0]})
        if base_calls is not None:
            summary.append({"size": n, "path": name, "embed": embed, "times": base_times,
                            "baseline": True})
        return out, base_times

    def print_baseline(base_times: list[float]) -> None:
        if base_times:
            print(f"      {'before:':<12} {C.summarize_ms(base_times)}")

    def story_text(i: int) -> str:
        described = ", ".join(f"{k}: {v}" for k, v in profiles[i].items() if v)
        return f"{described}. {queries[i]}".strip(" .")

    # the story path embeds its own composed query text: precompute those vectors too
    for i in range(len(queries)):
        st = story_text(i)
        if st not in vectors:
            vectors[st] = (real_embed or C.fake_embed_factory())([st])[0]

    # Retriever embeds through embeddings.embed_query (an LRU cache over embed) when it exists.
    clear_cache = getattr(getattr(embeddings, "embed_query", None), "cache_clear", lambda: None)

    stages = Stages()
    stages.install()
    clear_cache()
    embeddings.embed = cached_embed
    try:
        # cold: first query on each collection (chromadb loads that collection's index)
        cold: dict[str, list[float]] = {"account notes": [], "global": [], "stories": []}
        seen: set[str] = set()
        for i in range(len(queries)):
            if acct_for[i] not in seen:
                seen.add(acct_for[i])
                t = time.perf_counter()
                paths["account notes"](i)()
                cold["account notes"].append(time.perf_counter() - t)
        for name in ("global", "stories"):
            t = time.perf_counter()
            paths[name](0)()
            cold[name].append(time.perf_counter() - t)
        for slug in slugs:  # warm every remaining account collection
            retriever.search(queries[0], account=slug)

        print(f"\n## {n:,} chunks ({stats['docs']:,} docs, {stats['stories']} stories, "
              f"{stats['accounts']} accounts)  [{C.load_line()}]")
        print(f"  store build {stats['build_seconds']:.1f} s "
              f"(apply_docs {stats['apply_docs_seconds']:.1f} s, "
              f"{n / stats['apply_docs_seconds']:.0f} chunks/s), builder peak RSS "
              f"{stats['build_peak_rss_mb']:.0f} MB; built {stats['built_at']} "
              f"at {stats['load_during_build']}")
        print(f"  open store + chromadb client {open_s * 1000:.0f} ms")
        print(f"  {warm_line}")
        for name, secs in cold.items():
            if secs:
                print(f"  cold first query per collection, {name:<14} {C.summarize_ms(secs)}")

        print("  warm, WITHOUT query embedding (precomputed vectors):")
        for name in paths:
            (times, per_stage, hits), base_times = measure(name, lambda call: call, False)
            print(f"    {name:<14} {C.summarize_ms(times)}  ~{hits / len(queries):.1f} hits")
            print_baseline(base_times)
            print_stages(per_stage, "vector")
        if args.profile:
            prof = cProfile.Profile()
            prof.enable()
            for i in range(len(queries)):
                paths[args.profile](i)()
            prof.disable()
            print(f"\n  cProfile of {len(queries)} '{args.profile}' searches, "
                  "top 20 by internal time:")
            pstats.Stats(prof, stream=sys.stdout).sort_stats("tottime").print_stats(20)

        if real_embed is not None:
            embeddings.embed = real_embed
            clear_cache()
            print("  warm, WITH query embedding (real model per query, query cache cleared before "
                  "each, the full hybrid path):")

            def uncached(call):  # type: ignore[no-untyped-def]
                def run():  # type: ignore[no-untyped-def]
                    clear_cache()
                    return call()
                return run

            for name in paths:
                (times, per_stage, _), base_times = measure(name, uncached, True)
                verdict = ""
                if n >= 100_000:
                    ok = C.percentile(times, 95) < 0.05
                    verdict = "  [OK p95 < 50 ms]" if ok else "  [MISSES p95 < 50 ms]"
                print(f"    {name:<14} {C.summarize_ms(times)}{verdict}")
                print_baseline(base_times)
                print_stages(per_stage, "vector incl. embed")
        mem = C.memory()
        print(f"  search process: {C.fmt_mem(mem)}")
    finally:
        embeddings.embed = real_embed or embeddings.embed
        clear_cache()
        stages.uninstall()
        retriever.store.close()


def print_summary(summary: list[dict], sizes: list[int], baseline: bool) -> None:
    print(f"\n## summary: p50 / p95 ms  [{C.load_line()}]")
    labels = [("no embed", False, False), ("with embed", True, False)]
    if baseline:
        labels = [("no embed, before", False, True), ("no embed", False, False),
                  ("with embed, before", True, True), ("with embed", True, False)]
    print(f"  {'chunks':>8}  {'path':<14} " + " ".join(f"{t:>19}" for t, _, _ in labels))
    for n in sizes:
        for name in ("account notes", "global", "stories"):
            cells = []
            for _, emb, base in labels:
                row = next((r for r in summary if r["size"] == n and r["path"] == name
                            and r["embed"] == emb and r.get("baseline", False) == base), None)
                if row is None:
                    cells.append(f"{'-':>19}")
                else:
                    ms = [x * 1000 for x in row["times"]]
                    cells.append(f"{C.percentile(ms, 50):9.1f} / {C.percentile(ms, 95):6.1f}")
            print(f"  {n:>8,}  {name:<14} " + " ".join(f"{c:>19}" for c in cells))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="chunk counts, comma-separated")
    ap.add_argument("--queries", type=int, default=100, help="queries per path and size")
    ap.add_argument("--accounts", type=int, default=100)
    ap.add_argument("--cache-dir", default="/tmp/huddle-bench/search")
    ap.add_argument("--rebuild", action="store_true", help="rebuild the cached stores")
    ap.add_argument("--no-model", action="store_true",
                    help="random query vectors; skip the real model (no 'with embedding' figures)")
    ap.add_argument("--profile", choices=["account notes", "global", "stories"],
                    help="cProfile this path once per size")
    ap.add_argument("--baseline", metavar="FILE",
                    help="also time an older knowledge/retrieval.py (interleaved, same store)")
    ap.add_argument("--_build", help=argparse.SUPPRESS)
    ap.add_argument("--_chunks", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args()

    if args._build:
        build_store(Path(args._build), args._chunks, args.accounts)
        return

    C.header("Huddle search benchmark")
    sizes = [int(s) for s in args.sizes.split(",") if s]
    queries = C.query_texts(args.queries)
    from knowledge import embeddings

    real_embed = None if args.no_model else embeddings.embed
    vectors: dict[str, list[float]] = {}
    if real_embed is None:
        print("# query vectors: RANDOM (--no-model); latency excludes query embedding")
        fake = C.fake_embed_factory()
        for q in queries:
            vectors[q] = fake([q])[0]
    else:
        t = time.perf_counter()
        embeddings.get_model()
        print(f"# embedding model loaded in {time.perf_counter() - t:.1f} s (incl. import)")
        real_embed(["warm up the model"])
        each = []
        for q in queries:
            t = time.perf_counter()
            vectors[q] = real_embed([q])[0]
            each.append(time.perf_counter() - t)
        print(f"# query embedding alone (embed([q]), real model): {C.summarize_ms(each)}  "
              f"[{C.load_line()}]")

    cache = Path(args.cache_dir)
    cache.mkdir(parents=True, exist_ok=True)
    summary: list[dict] = []
    for n in sizes:
        path, stats, cached = ensure_store(cache, n, args.accounts, args.rebuild)
        if cached:
            print(f"\n  (using cached store {path})")
        bench_size(path, stats, args, queries, vectors, real_embed, summary,
                   load_baseline(args.baseline))

    print_summary(summary, sizes, bool(args.baseline))
    sys.stdout.flush()


if __name__ == "__main__":
    main()

"""Generation speed of the embedded model before and after an in-process ingest, one process.

Issue 15: in a process that had just embedded a whole knowledge base (sentence-transformers
on torch), the local model generated ~9.5 tokens/s instead of 12-13. This script loads the
model, measures generated tokens/s, then runs the steps named by ``--steps`` in the same
process, measuring again after each. The same prompt is answered every time at temperature 0,
so every measurement generates the same tokens (llama.cpp reuses the cached prompt after the
first call, so the prompt figure is only meaningful on the first row).

Steps (comma-separated, in order):

- ``gen``: one measurement (``--reps`` answers; prints each and the median);
- ``torch``: ``import torch`` (and print the OpenMP runtime this process loaded);
- ``ingest``: ``knowledge.ingest.ingest`` of the KB into a fresh temp data dir (the embedding
  model loads here), as the app and the eval runner do in-process;
- ``encode``: embed the KB's chunk texts with ``knowledge.embeddings.embed`` (the product's
  path: the batch runs in a thread that ends with it);
- ``encode-main``: the same texts through ``model.encode`` on this (main) thread, as
  ``embed`` did before the fix: torch's OpenMP worker threads then outlive the encode;
- ``barrier``: time an OpenMP barrier between two threads (a tiny C probe built with
  ``gcc -fopenmp`` into a temp dir, run from a long-lived thread as llama.cpp's server thread
  runs its graph; skipped without gcc). Load-robust evidence: its minimum over 25 rounds.
  Use it without ``gen`` (the model is then not loaded): next to llama.cpp's own OpenMP
  team, the probe's team is itself one team too many and throttles both;
- ``idle``: sleep ``--idle`` seconds (did it wear off?);
- ``threads1``: ``torch.set_num_threads(1)``;
- ``spinoff``: nothing but a marker (see ``--spin``).

Why (see ``knowledge/embeddings.py``): libgomp, shared by torch and llama.cpp, cuts the spin
of every OpenMP barrier from 300,000 iterations to 100 while it manages more threads than
there are CPUs, which torch's leftover worker threads cause; llama.cpp then sleeps in the
kernel at each of its barriers.

Every row prints the load average next to its figures, and the CPU seconds the process used
during the answers against their wall time. Example (the case the issue describes)::

    .venv/bin/python benchmarks/ingest_slowdown.py --steps gen,ingest,gen,idle,gen
    .venv/bin/python benchmarks/ingest_slowdown.py \
        --steps barrier,gen,encode,barrier,gen,encode-main,barrier,gen   # fixed vs old path

It loads the 1.1 GB model once and embeds the demo KB once: about two minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import header, load_line  # noqa: E402

PROMPT = [
    {"role": "system", "content": "You help a B2B seller prepare tomorrow's customer call."},
    {"role": "user", "content": (
        "Summit Freight runs three terminals on McLeod LoadMaster. Dana Ruiz (CFO) owns the "
        "pilot number ($40k, now $65k); Tom Becker (Head of Operations) worries about empty "
        "miles (14-16%). The economic buyer for the rollout is probably Greg Hollis, not met. "
        "Write eight numbered questions the seller should ask in the discovery call, one "
        "sentence each, naming the people and numbers above.")},
]


def openmp_runtimes() -> list[str]:
    """The OpenMP runtime files mapped into this process (libgomp / libiomp)."""
    found: set[str] = set()
    try:
        with open("/proc/self/maps") as fh:
            for line in fh:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                if Path(path).name.startswith(("libgomp", "libiomp", "libomp")):
                    found.add(path)
    except OSError:
        pass
    return sorted(found)


def thread_cpu() -> dict[int, float]:
    """CPU seconds so far of each thread of this process, by thread id."""
    tick = os.sysconf("SC_CLK_TCK")
    out = {}
    for tid in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{tid}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            out[int(tid)] = (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return out


BORN: dict[int, str] = {}  # thread id -> the step after which it was first seen


def note_threads(step: str) -> None:
    for tid in thread_cpu():
        BORN.setdefault(tid, step)


def busy_threads(before: dict[int, float], after: dict[int, float]) -> str:
    """The threads that used CPU between two readings, grouped by the step that made them."""
    by_step: dict[str, float] = {}
    for tid, cpu in after.items():
        used = cpu - before.get(tid, 0.0)
        if used > 0.05:
            step = BORN.get(tid, "new")
            by_step[step] = by_step.get(step, 0.0) + used
    return ", ".join(f"{k} {v:.1f}s" for k, v in sorted(by_step.items())) or "none"


BARRIER_C = r"""
#include <time.h>
double barrier_us(int n) {
    struct timespec a, b;
    clock_gettime(CLOCK_MONOTONIC, &a);
    #pragma omp parallel num_threads(2)
    { for (int i = 0; i < n; i++) {
        #pragma omp barrier
    } }
    clock_gettime(CLOCK_MONOTONIC, &b);
    return ((b.tv_sec - a.tv_sec) * 1e6 + (b.tv_nsec - a.tv_nsec) / 1e3) / n;
}
"""


class BarrierProbe:
    """Times one OpenMP barrier between two threads, from one long-lived thread (as
    llama.cpp's server thread runs its graph); built with gcc into ``folder``."""

    def __init__(self, folder: str) -> None:
        import ctypes
        import queue
        import shutil
        import subprocess
        import threading

        self.ok = shutil.which("gcc") is not None
        if not self.ok:
            return
        src, lib = Path(folder) / "bar.c", Path(folder) / "libbar.so"
        src.write_text(BARRIER_C)
        subprocess.run(["gcc", "-O2", "-fopenmp", "-shared", "-fPIC", str(src), "-o", str(lib)],
                       check=True)
        self.so = ctypes.CDLL(str(lib))
        self.so.barrier_us.restype = ctypes.c_double
        self.asks: queue.Queue[queue.Queue[list[float]]] = queue.Queue()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            reply = self.asks.get()
            reply.put(sorted(self.so.barrier_us(4000) for _ in range(25)))

    def __call__(self) -> str:
        import queue

        if not self.ok:
            return "no gcc: barrier probe skipped"
        reply: queue.Queue[list[float]] = queue.Queue()
        self.asks.put(reply)
        v = reply.get()
        return f"OpenMP barrier (2 threads) min {v[0]:.2f} us, median {v[12]:.2f} us"


def measure(llama: object, reps: int, max_tokens: int, label: str) -> float:
    rates = []
    for i in range(reps):
        threads0 = thread_cpu()
        cpu0, wall0 = time.process_time(), time.perf_counter()
        result = llama.chat(PROMPT, max_tokens=max_tokens, temperature=0.0)  # type: ignore[attr-defined]
        cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
        busy = busy_threads(threads0, thread_cpu())
        t = result.get("timings", {})
        rate = float(t.get("predicted_per_second", 0.0))
        rates.append(rate)
        print(f"  {label:<28} #{i + 1}: generated {t.get('predicted_n', 0):>4} tok at "
              f"{rate:5.1f} tok/s (prompt {t.get('prompt_n', 0)} tok), wall {wall:5.1f} s, "
              f"cpu {cpu:5.1f} s ({cpu / wall:.2f} cores; threads made at: {busy}) | "
              f"{load_line()}", flush=True)
    med = statistics.median(rates)
    print(f"  {label:<28} median {med:.1f} tok/s", flush=True)
    return med


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="gen,ingest,gen")
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--max-tokens", type=int, default=160)
    parser.add_argument("--threads", type=int, default=2, help="llama.cpp threads")
    parser.add_argument("--idle", type=float, default=20.0, help="seconds for the idle step")
    parser.add_argument("--kb", default=None, help="KB to ingest (default: the demo)")
    args = parser.parse_args(argv)

    from assistant.config import default_models_dir, load_settings
    from assistant.llm.local_model import LocalLlama, ensure_model_file

    header("Embedded model: generated tokens/s before and after an in-process ingest")
    settings = load_settings(kb=args.kb)
    models_dir = settings.llm.models_dir or default_models_dir()
    path = ensure_model_file(models_dir, models_dir=models_dir)
    env = {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "GOMP_", "MKL_"))}
    print(f"# threads {args.threads}, max_tokens {args.max_tokens}, reps {args.reps}, "
          f"steps {args.steps}, env {env or '{}'}")
    note_threads("start")
    llama = LocalLlama(path, threads=args.threads, context_tokens=2048)
    if "gen" in args.steps.split(","):  # the probe alone runs without the model: its own
        started = time.perf_counter()   # OpenMP team beside llama.cpp's would throttle both
        llama.load()
        print(f"model load {time.perf_counter() - started:.1f} s; OpenMP: "
              f"{openmp_runtimes()}")
    note_threads("load")
    results: list[tuple[str, float]] = []
    probe_dir = tempfile.mkdtemp(prefix="huddle-omp-probe-")
    probe: BarrierProbe | None = None
    done: list[str] = []
    try:
        for step in [s.strip() for s in args.steps.split(",") if s.strip()]:
            started = time.perf_counter()
            if step == "gen":
                label = "after " + "+".join(done) if done else "before anything"
                results.append((label, measure(llama, args.reps, args.max_tokens, label)))
                note_threads("gen")
                continue
            if step == "torch":
                import torch

                print(f"torch {torch.__version__}: intra-op threads {torch.get_num_threads()},"
                      f" OpenMP: {openmp_runtimes()}")
            elif step == "ingest":
                from knowledge.ingest import ingest

                with tempfile.TemporaryDirectory(prefix="huddle-slowdown-") as tmp:
                    report = ingest(settings.kb_path, tmp)
                print(f"ingest: {report}")
            elif step == "encode":
                from knowledge.chunking import kb_documents
                from knowledge.embeddings import embed
                from knowledge.loader import load_kb

                docs = kb_documents(load_kb(settings.kb_path)).values()
                texts = [c.embed_text for _, chunks in docs for c in chunks]
                embed(texts)
                print(f"encode: {len(texts)} texts")
            elif step == "encode-main":
                from knowledge.chunking import kb_documents
                from knowledge.embeddings import get_model
                from knowledge.loader import load_kb

                docs = kb_documents(load_kb(settings.kb_path)).values()
                texts = [c.embed_text for _, chunks in docs for c in chunks]
                get_model().encode(texts, batch_size=64, normalize_embeddings=True,
                                   show_progress_bar=False, convert_to_numpy=True)
                print(f"encode-main: {len(texts)} texts on the main thread")
            elif step == "barrier":
                probe = probe or BarrierProbe(probe_dir)
                print(probe())
            elif step == "idle":
                time.sleep(args.idle)
            elif step == "threads1":
                import torch

                torch.set_num_threads(1)
            elif step != "spinoff":
                print(f"unknown step {step!r}", file=sys.stderr)
                return 2
            import threading

            print(f"[{step}] {time.perf_counter() - started:.1f} s; threads alive "
                  f"{threading.active_count()} (python), {len(os.listdir('/proc/self/task'))} "
                  f"(os); OpenMP: {openmp_runtimes()} | {load_line()}", flush=True)
            done.append(step)
            note_threads(step)
    finally:
        llama.close()
    print("\nsummary (median generated tok/s):")
    base = results[0][1] if results else 0.0
    for label, rate in results:
        print(f"  {label:<40} {rate:5.1f}  ({rate / base:.2f}x of the first)" if base else
              f"  {label:<40} {rate:5.1f}")
    print(f"# done | {load_line()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

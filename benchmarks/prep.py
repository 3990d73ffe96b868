"""Prep workflow timing with the embedded default model on five demo meetings.

Prints, per meeting: time per graph node, prompt and generated tokens, generated tokens/s,
model seconds, everything-but-the-model seconds, and the total; then the means. The LLM
response cache is off so every meeting really runs the model. The store is ingested first,
in a separate process as `make run` does (`huddle ingest`, then the app). In a process that
had embedded a whole knowledge base on its main thread, the local model generated ~9.5
tokens/s instead of ~12-13 (measured 2026-11-23): torch's leftover OpenMP threads made
libgomp throttle llama.cpp's barriers; since `knowledge.embeddings` encodes batches in a
thread that ends with them, that no longer happens (benchmarks/ingest_slowdown.py).
`--ingest-in-process` measures that case. The model is loaded before the first meeting
(load time printed separately).

Targets (issue "Pre-call plan"): a full plan in under 60 s on this 2-core machine, and under
2 s for everything that is not model time.

    .venv/bin/python benchmarks/prep.py [--threads N] [--meetings N] [--data-dir DIR]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

MEETINGS = [
    dict(account="summit", kind="discovery", date="2026-11-24",
         sellers="Avery Cole,Jordan Pike",
         buyers="Dana Ruiz (CFO),Tom Becker (Head of Operations)"),
    dict(account="cascade", kind="demo", date="2026-11-25",
         sellers="Avery Cole,Priya Natarajan,Jordan Pike", buyers=""),
    dict(account="northgate", kind="negotiation", date="2026-11-26",
         sellers="Jordan Pike,Marcus Oyelaran,Lena Fischer", buyers="Angela Moreau (CFO)"),
    dict(account="meridian", kind="proposal", date="2026-11-27",
         sellers="Avery Cole,Jordan Pike,Lena Fischer", buyers=""),
    dict(account="ridgeway", kind="executive", date="2026-11-30",
         sellers="Sam Okafor,Avery Cole,Marcus Oyelaran", buyers=""),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--meetings", type=int, default=len(MEETINGS))
    parser.add_argument("--data-dir", default=None)
    parser.add_argument("--model", default=None, help="litellm model (default: embedded)")
    parser.add_argument("--ingest-in-process", action="store_true",
                        help="ingest in this process instead of a child process")
    args = parser.parse_args()

    from assistant.config import load_settings
    from assistant.service import Huddle

    data_dir = args.data_dir or tempfile.mkdtemp(prefix="huddle-bench-prep-")
    settings = load_settings(data_dir=data_dir, model=args.model)
    settings.llm.cache = False
    settings.llm.threads = args.threads
    huddle = Huddle(settings)
    print(f"model {settings.llm.model}, threads {args.threads}, data dir {data_dir}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    t = time.perf_counter()
    if args.ingest_in_process:
        huddle.ensure_ingested()
    else:
        import subprocess

        subprocess.run([sys.executable, "-m", "cli", "ingest", "--data-dir", data_dir],
                       check=True, stdout=subprocess.DEVNULL)
        huddle.ensure_ingested()  # opens the store; nothing left to embed
    where = "this process" if args.ingest_in_process else "a child process"
    print(f"ingest in {where} (includes the embedding model load): "
          f"{time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    from knowledge.embeddings import embed_query

    embed_query("warm-up")  # the query embedder, loaded once per process like the LLM below
    print(f"embedding model load in this process: {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    huddle.gateway.prepare()
    print(f"LLM prepare (import litellm, assemble/verify, load the GGUF): "
          f"{time.perf_counter() - t:.1f} s")

    rows = []
    for spec in MEETINGS[: args.meetings]:
        meeting = huddle.meeting(**spec)
        start = time.perf_counter()
        plan = huddle.prepare(meeting)
        total = time.perf_counter() - start
        p = plan.provenance
        model_s = p.usage.model_seconds
        gen_tps = p.usage.completion_tokens / model_s if model_s else 0.0
        rows.append((total, model_s, p.usage.prompt_tokens, p.usage.completion_tokens))
        nodes = "  ".join(f"{k} {v:.2f}s" for k, v in p.timings.items())
        print(f"\n{spec['account']}/{spec['kind']} ({len(plan.roles)} sellers): "
              f"total {total:.1f} s, "
              f"model {model_s:.1f} s, other {total - model_s:.2f} s")
        print(f"  tokens: prompt {p.usage.prompt_tokens}, generated {p.usage.completion_tokens} "
              f"({gen_tps:.1f} tok/s over the whole call), valid first try: {p.valid_first_try}, "
              f"repairs {p.repairs}, fallback: {p.fallback_sections or 'none'}")
        print(f"  nodes: {nodes}")
    if rows:
        print("\nmean over", len(rows), "meetings:")
        print(f"  total {statistics.mean(r[0] for r in rows):.1f} s "
              f"(max {max(r[0] for r in rows):.1f} s)")
        print(f"  model {statistics.mean(r[1] for r in rows):.1f} s, "
              f"not model {statistics.mean(r[0] - r[1] for r in rows):.2f} s")
        print(f"  prompt tokens {statistics.mean(r[2] for r in rows):.0f}, "
              f"generated {statistics.mean(r[3] for r in rows):.0f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()

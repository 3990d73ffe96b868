"""Kill a real process at every crash point of a reflection and a prep, N times each.

    python -m benchmarks.crash [--trials 20] [--modes reflect,prep] [--json]

Prints one line per point (trials, stuck, lost, doubled, not killed) and the totals; exit
status 1 when anything was stuck, lost or doubled. Fake LLM and fake embeddings (no model
runs); about 7 s a kill on a 2-core machine. See tests/crash_harness.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from tests import crash_harness as ch


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--trials", type=int, default=20)
    p.add_argument("--modes", default="reflect,prep")
    p.add_argument("--only", default="", help="comma-separated points (default: all)")
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="huddle-crash-") as tmp:
        tally = ch.run_all(args.modes.split(","), args.trials, Path(tmp),
                           only=args.only.split(",") if args.only else None,
                           report=lambda line: print(line, flush=True))
    totals = tally.totals()
    print(f"total: {totals} in {time.monotonic() - start:.0f} s")
    if args.json:
        print(ch.as_json(tally))
    for line in tally.problems[:20]:
        print("  " + line)
    return 1 if totals["stuck"] or totals["lost"] or totals["doubled"] else 0


if __name__ == "__main__":
    sys.exit(main())

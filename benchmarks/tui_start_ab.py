"""First paint of two checkouts' ``huddle`` against the bare Textual app, alternating.

Per round: the bare app (``_bare_app.py``), then checkout A and checkout B in the order
A, B on odd rounds and B, A on even ones, each in ``tui_start.one_run``'s pseudo-terminal
harness on one data dir (ingested once by A's code, not timed) with ``--kb`` named. Prints
every run (wall seconds to the paint, the app's CPU seconds then, seconds to ready) and the
medians, minimums and ratios to the bare app, with the load.

    python benchmarks/tui_start_ab.py A_DIR B_DIR [--rounds 8] [--data-dir DIR] [--kb KB]
        [--size 120x40] [--pycache-prefix DIR]

Each checkout runs with ``PYTHONPATH`` set to it (the venv's ``huddle`` entry point). If
``PYTHONDONTWRITEBYTECODE`` is set, as in the agents' shells here, every start of
``huddle`` compiles its own modules from source (17 before the first frame, ~50 ms) while
the bare app's Textual is read from site-packages' bytecode: ``--pycache-prefix`` unsets it
and keeps the bytecode in DIR (no ``__pycache__`` written into the checkouts), as an
installed app would have it. Run once to fill DIR before timing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import header, load_line
from tui_start import huddle_bin, one_run

NAMES = ("bare", "A", "B")


def ingest(data_dir: str, kb: str, code: str) -> None:
    env = dict(os.environ, PYTHONPATH=code)
    subprocess.run([huddle_bin(), "--data-dir", data_dir, "--kb", kb, "ingest", "-q"],
                   check=True, cwd=code, env=env, stdout=subprocess.DEVNULL)


def one_round(i: int, data_dir: str, kb: str, code: dict[str, str], size: tuple[int, int],
              out: dict[str, dict[str, list[float]]]) -> str:
    """One round (bare, then A and B in alternating order); appends to ``out``."""
    cols, rows = size
    bare_app = [sys.executable, str(Path(__file__).with_name("_bare_app.py"))]
    os.environ.pop("PYTHONPATH", None)
    paint, _ = one_run(data_dir, cols, rows, command=bare_app, cpu=out["bare"]["cpu"])
    out["bare"]["paint"].append(paint)
    line = f"round {i}: bare {paint:.3f} (CPU {out['bare']['cpu'][-1]:.2f})"
    for name in ("A", "B") if i % 2 else ("B", "A"):
        os.environ["PYTHONPATH"] = code[name]
        paint, ready = one_run(data_dir, cols, rows, kb=kb, cpu=out[name]["cpu"], timeout=60)
        out[name]["paint"].append(paint)
        out[name]["ready"].append(ready)
        line += f"  {name} {paint:.3f} (CPU {out[name]['cpu'][-1]:.2f}, ready {ready:.2f})"
    os.environ.pop("PYTHONPATH", None)
    return line


def summary(out: dict[str, dict[str, list[float]]]) -> list[str]:
    med = {n: statistics.median(out[n]["paint"]) for n in NAMES}
    cpu = {n: statistics.median(out[n]["cpu"]) for n in NAMES}
    lines = [f"{n}: first paint median {med[n]:.3f} s (min {min(out[n]['paint']):.3f}), "
             f"CPU median {cpu[n]:.2f} s"
             + (f", ready median {statistics.median(out[n]['ready']):.2f} s" if n != "bare"
                else "") for n in NAMES]
    lines.append(f"huddle / bare (medians): wall A {med['A'] / med['bare']:.2f}x, "
                 f"B {med['B'] / med['bare']:.2f}x; CPU A {cpu['A'] / cpu['bare']:.2f}x, "
                 f"B {cpu['B'] / cpu['bare']:.2f}x  ({load_line()})")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("a", help="checkout A (e.g. /work/main)")
    parser.add_argument("b", help="checkout B")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--data-dir", help="data directory (default: a temporary one)")
    parser.add_argument("--kb", help="knowledge base (default: A's knowledge/demo)")
    parser.add_argument("--size", default="120x40")
    parser.add_argument("--pycache-prefix", help="write bytecode there (see the docstring)")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    size = (cols, rows)
    code = {"A": str(Path(args.a).resolve()), "B": str(Path(args.b).resolve())}
    kb = args.kb or str(Path(code["A"]) / "knowledge" / "demo")
    if args.pycache_prefix:
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ["PYTHONPYCACHEPREFIX"] = args.pycache_prefix
    header(f"tui_start_ab: first paint, A = {code['A']}, B = {code['B']}, bare Textual app")
    with tempfile.TemporaryDirectory(prefix="huddle-tui-ab-") as tmp:
        data_dir = args.data_dir or tmp
        ingest(data_dir, kb, code["A"])
        print(f"# data dir {data_dir}, KB {kb}, {load_line()}", flush=True)
        out = {n: {"paint": [], "cpu": [], "ready": []} for n in NAMES}
        for i in range(1, args.rounds + 1):
            print(one_round(i, data_dir, kb, code, size, out), f"[{load_line()}]", flush=True)
    print("\n".join(summary(out)))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Time to first paint of the terminal app, measured as a user sees it.

Starts ``huddle`` (the entry point, as ``make run`` does) in a pseudo-terminal of a fixed
size, reads what it draws, and stops the clock when the Home screen's frame is on the
screen ("Upcoming meetings"). It also reports when the app says it is ready (knowledge base
loaded, store checked; torch and chromadb imported in the background), then quits with
ctrl+q. Repeats and prints every run and the median.

    python benchmarks/tui_start.py [--runs 5] [--data-dir DIR] [--size 120x40] [--bare]

``--bare`` also starts a bare Textual app (``_bare_app.py``: header, two lines, footer) in
the same harness before each run of ``huddle``, and prints the ratio of the medians
(issue 15: goal <= 1.5x).

Target: first paint under 1 s on the 2-core development machine. The store is ingested
once before the runs so the "ready" time does not include a first ingest.
"""

from __future__ import annotations

import argparse
import os
import pty
import select
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT, header, load_line

PAINT_MARK = b"Upcoming meetings"
READY_MARK = b"enter opens"  # the Home status line once the store is checked


def huddle_bin() -> str:
    candidate = Path(sys.executable).parent / "huddle"
    return str(candidate) if candidate.exists() else "huddle"


def one_run(data_dir: str, cols: int, rows: int, timeout: float = 120.0,
            command: list[str] | None = None) -> tuple[float, float]:
    """(seconds to first paint, seconds to ready) for one start of the app (or of
    ``command``)."""
    import fcntl
    import struct
    import termios

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(cols), LINES=str(rows))
    env.pop("TEXTUAL", None)
    start = time.perf_counter()
    proc = subprocess.Popen(command or [huddle_bin(), "--data-dir", data_dir], stdin=slave,
                            stdout=slave, stderr=slave, env=env, cwd=ROOT,
                            start_new_session=True)
    os.close(slave)
    seen = b""
    paint = ready = float("nan")
    try:
        while time.perf_counter() - start < timeout:
            readable, _, _ = select.select([master], [], [], 0.05)
            if not readable:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            seen = (seen + chunk)[-200_000:]
            now = time.perf_counter() - start
            if paint != paint and PAINT_MARK in seen:
                paint = now
            if ready != ready and READY_MARK in seen:
                ready = now
                break
        os.write(master, b"\x11")  # ctrl+q
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    finally:
        os.close(master)
    return paint, ready


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data-dir", help="data directory (default: a temporary one)")
    parser.add_argument("--size", default="120x40", help="terminal size COLSxROWS")
    parser.add_argument("--bare", action="store_true",
                        help="alternate with a bare Textual app and print the ratio")
    args = parser.parse_args()
    cols, rows = (int(x) for x in args.size.lower().split("x"))
    header("tui_start: time to first paint of `huddle` (the terminal app)")
    with tempfile.TemporaryDirectory(prefix="huddle-tui-bench-") as tmp:
        data_dir = args.data_dir or tmp
        print(f"# ingesting the demo KB into {data_dir} first (not timed)", flush=True)
        subprocess.run([huddle_bin(), "--data-dir", data_dir, "ingest", "-q"], check=True,
                       cwd=ROOT, stdout=subprocess.DEVNULL)
        paints, readies, bares = [], [], []
        bare_app = [sys.executable, str(Path(__file__).with_name("_bare_app.py"))]
        for i in range(1, args.runs + 1):
            if args.bare:
                bares.append(one_run(data_dir, cols, rows, command=bare_app)[0])
                print(f"run {i}: bare Textual app first paint {bares[-1]:.3f} s", flush=True)
            paint, ready = one_run(data_dir, cols, rows)
            paints.append(paint)
            readies.append(ready)
            print(f"run {i}: first paint {paint:.3f} s, ready {ready:.2f} s  ({load_line()})",
                  flush=True)
    ok = [p for p in paints if p == p]
    if not ok:
        print("the app never painted", file=sys.stderr)
        return 1
    print(f"first paint: median {statistics.median(ok):.3f} s, best {min(ok):.3f} s, "
          f"worst {max(ok):.3f} s over {len(ok)} run(s) at {cols}x{rows}")
    bare = [p for p in bares if p == p]
    if bare:
        print(f"bare Textual app: median {statistics.median(bare):.3f} s, best {min(bare):.3f} "
              f"s; huddle / bare (medians): {statistics.median(ok) / statistics.median(bare):.2f}x"
              f"  ({load_line()})")
    good = [r for r in readies if r == r]
    if good:
        print(f"ready (KB loaded, store checked, chromadb imported): median "
              f"{statistics.median(good):.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())

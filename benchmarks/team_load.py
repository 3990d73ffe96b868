"""Team load benchmark: 20 reps drafting and 2 managers reviewing at once against PostgreSQL,
and search through a Chroma server beside the embedded store.

Part 1 — records under load (``--seconds``, default 120):

* ``--reps`` (20) rep threads, each with its own ``Huddle`` (``me`` = its name) on the same
  PostgreSQL database: draft a plan (the real prep workflow with a scripted model and a fake
  retriever, so the database is what is measured, not a model), submit it, and revise the roles
  of (then resubmit) any of their plans a manager sent back.
* ``--managers`` (2) manager threads read the team's queue and approve (60%) or request
  changes (40%) on the plans in it (team.yaml names them ``role: manager``, so roles are in
  force) — both managers work the same queue, so they collide: the
  second write on a plan must be refused (``StaleWriteError`` / "already approved"), never
  applied over the first.
* Afterwards every record is checked against what the threads were told: plans or review
  events lost or stored twice, versions doubled, and stale overwrites (a plan whose event
  chain does not follow from status to status, or whose stored status is not its last
  event's). p50/p95 of each store operation are printed.

Part 2 — search p95 (``--chunks``, default 100000): the synthetic store of
``benchmarks/search.py`` (random unit vectors, realistic text, ``--accounts`` accounts) is
built once into an embedded store and once into a Chroma server (``chroma run`` on loopback);
``--queries`` account-scoped searches (the plan's path, query vectors precomputed) are timed
on both. Building 100k chunks takes minutes; ``--chunks`` makes it smaller.

Without ``--database-url`` / ``--chroma-url`` the script starts its own PostgreSQL cluster
(Debian's binaries) and Chroma server in a temporary folder (``tests/servers.py``).

Run:  .venv/bin/python benchmarks/team_load.py
      .venv/bin/python benchmarks/team_load.py --seconds 30 --chunks 10000
      .venv/bin/python benchmarks/team_load.py --skip-search
"""

from __future__ import annotations

import argparse
import collections
import random
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import _common as C  # noqa: N812  (also puts the repo root on sys.path)

KB = C.ROOT / "tests" / "data" / "kb_small"


# ---- timing of store operations ----------------------------------------------------------


class Timings:
    def __init__(self) -> None:
        self.ops: dict[str, list[float]] = collections.defaultdict(list)
        self._saved: list[tuple[Any, str, Any]] = []

    def wrap(self, cls: Any, name: str, label: str) -> None:
        fn = getattr(cls, name)
        self._saved.append((cls, name, fn))
        ops = self.ops

        def timed(*a: Any, **kw: Any) -> Any:
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                ops[label].append(time.perf_counter() - t)

        setattr(cls, name, timed)

    def restore(self) -> None:
        for cls, name, fn in reversed(self._saved):
            setattr(cls, name, fn)

    def report(self) -> None:
        print("  store operations (ms):        n      p50      p95      max")
        for label, xs in sorted(self.ops.items()):
            ms = [x * 1000 for x in xs]
            print(f"    {label:<24} {len(ms):>6} {C.percentile(ms, 50):>8.1f} "
                  f"{C.percentile(ms, 95):>8.1f} {max(ms):>8.1f}")


# ---- part 1: reps and managers --------------------------------------------------------------


class Ledger:
    """What the threads were told succeeded (to compare with what the database holds)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.plans: list[str] = []
        self.events: collections.Counter[tuple[str, str]] = collections.Counter()
        self.refused: collections.Counter[str] = collections.Counter()
        self.errors: list[str] = []

    def plan(self, plan_id: str) -> None:
        with self.lock:
            self.plans.append(plan_id)

    def event(self, plan_id: str, action: str) -> None:
        with self.lock:
            self.events[(plan_id, action)] += 1


def _service(kb: Path, data: Path, url: str, me: str, fake: Any) -> Any:
    from pydantic import SecretStr

    from assistant.config import load_settings
    from assistant.service import Huddle
    from knowledge.loader import load_kb
    from tests.fakes import FakeRetriever

    s = load_settings(kb=kb, data_dir=data)
    s.database_url, s.me = SecretStr(url), me
    s.llm.model, s.llm.cache = fake.model, False
    return Huddle(s, retriever=FakeRetriever(load_kb(kb)))


def rep_loop(h: Any, rng: random.Random, stop: float, seen: Ledger) -> None:
    from knowledge.errors import HuddleError

    mine: list[str] = []
    while time.monotonic() < stop:
        try:
            day = f"2026-12-{rng.randint(1, 28):02d}"
            plan = h.prepare(h.meeting(account="acme", kind=rng.choice(["discovery", "demo"]),
                                       date=day, sellers="Avery Cole,Jordan Pike"))
            seen.plan(plan.id)
            h.reviews.submit(plan.id)
            seen.event(plan.id, "submit")
            mine.append(plan.id)
            for pid in list(mine):  # answer what came back
                if h.records.get_plan(pid).status == "changes_requested":
                    roles = rng.choice([{"Avery Cole": "lead", "Jordan Pike": "closer"},
                                        {"Avery Cole": "closer", "Jordan Pike": "lead"}])
                    v2 = h.revise_roles(pid, roles)
                    seen.plan(v2.id)
                    mine.remove(pid)
                    h.reviews.submit(v2.id)
                    seen.event(v2.id, "submit")
                    mine.append(v2.id)
        except HuddleError as exc:
            with seen.lock:
                seen.refused[f"rep: {exc.title}"] += 1
        except Exception as exc:  # noqa: BLE001 - counted and shown, never hidden
            with seen.lock:
                seen.errors.append(f"rep {h.settings.user}: {type(exc).__name__}: {exc}")


def manager_loop(h: Any, rng: random.Random, stop: float, seen: Ledger) -> None:
    from knowledge.errors import HuddleError

    while time.monotonic() < stop:
        queue = h.reviews.list(status="in_review", limit=20)
        if not queue:
            time.sleep(0.05)
            continue
        row = rng.choice(queue)
        try:
            if rng.random() < 0.6:
                h.reviews.approve(row["id"])
                seen.event(row["id"], "approve")
            else:
                h.reviews.request_changes(row["id"], comment="Start from their numbers",
                                          section_comments={"roles": "Jordan asks"})
                seen.event(row["id"], "request_changes")
        except HuddleError as exc:  # the other manager (or the rep) got there first
            with seen.lock:
                seen.refused[f"manager: {exc.title}"] += 1
        except Exception as exc:  # noqa: BLE001
            with seen.lock:
                seen.errors.append(f"manager {h.settings.user}: {type(exc).__name__}: {exc}")


def check(url: str, seen: Ledger) -> dict[str, int]:
    """Lost / doubled records and stale overwrites, from the database itself."""
    import sqlalchemy as sa

    from knowledge.database import engine_for
    from knowledge.tables import plan_reviews, plans

    out = {"plans_lost": 0, "plans_doubled": 0, "versions_doubled": 0, "events_lost": 0,
           "events_doubled": 0, "stale_overwrites": 0}
    with engine_for(url).connect() as db:
        rows = db.execute(sa.select(plans.c.id, plans.c.root_id, plans.c.version,
                                    plans.c.status)).all()
        events = db.execute(sa.select(plan_reviews.c.plan_id, plan_reviews.c.action,
                                      plan_reviews.c.from_status, plan_reviews.c.to_status)
                            .order_by(plan_reviews.c.id)).all()
    ids = collections.Counter(r.id for r in rows)
    out["plans_lost"] = len(set(seen.plans) - set(ids))
    out["plans_doubled"] = sum(n - 1 for n in ids.values() if n > 1)
    versions = collections.Counter((r.root_id, r.version) for r in rows)
    out["versions_doubled"] = sum(n - 1 for n in versions.values() if n > 1)
    stored = collections.Counter((e.plan_id, e.action) for e in events)
    for key in set(stored) | set(seen.events):
        diff = stored[key] - seen.events[key]
        out["events_doubled" if diff > 0 else "events_lost"] += abs(diff)
    chain: dict[str, str] = {}
    for e in events:  # each event starts where the plan's previous one left it
        if e.from_status != chain.get(e.plan_id, "draft"):
            out["stale_overwrites"] += 1
        chain[e.plan_id] = e.to_status
    for r in rows:
        if r.status != chain.get(r.id, "draft"):
            out["stale_overwrites"] += 1
    return out


def run_load(url: str, args: argparse.Namespace, work: Path) -> dict[str, int]:
    import pytest

    from assistant.records import Records
    from assistant.reviews import Reviews
    from tests.fakes import FakeLLM
    from tests.integration.reflect_support import GOOD_DRAFT

    kb = work / "kb"
    shutil.copytree(KB, kb)
    team = kb / "team.yaml"
    team.write_text(team.read_text() + "  - {name: Jordan Pike, title: AE, strengths: "
                    "[negotiation]}\n" + "".join(  # roles in force: only these approve
                        f"  - {{name: Manager {i}, title: Sales Manager, strengths: [coaching],"
                        " role: manager}\n" for i in range(args.managers)))
    mp = pytest.MonkeyPatch()
    fake = FakeLLM([], default=GOOD_DRAFT).install(mp)
    timings = Timings()
    for cls, name, label in ((Records, "save_plan", "save plan"),
                             (Records, "get_plan", "get plan"),
                             (Records, "versions", "plan versions"),
                             (Reviews, "submit", "submit"), (Reviews, "approve", "approve"),
                             (Reviews, "request_changes", "request changes"),
                             (Reviews, "list", "review queue")):
        timings.wrap(cls, name, label)
    reps = [_service(kb, work / f"rep{i:02d}", url, f"Rep {i:02d}", fake)
            for i in range(args.reps)]
    managers = [_service(kb, work / f"mgr{i}", url, f"Manager {i}", fake)
                for i in range(args.managers)]
    for h in reps + managers:  # open each service's stores before the clock starts
        _ = h.records, h.reviews, h.ledger
    seen = Ledger()
    stop = time.monotonic() + args.seconds
    threads = [threading.Thread(target=rep_loop, args=(h, random.Random(i), stop, seen))
               for i, h in enumerate(reps)]
    threads += [threading.Thread(target=manager_loop,
                                 args=(h, random.Random(100 + i), stop, seen))
                for i, h in enumerate(managers)]
    print(f"  {args.reps} reps and {args.managers} managers for {args.seconds} s ...",
          flush=True)
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    timings.restore()
    mp.undo()
    result = check(url, seen)
    print(f"  ran {elapsed:.0f} s; {C.load_line()}")
    actions = dict(collections.Counter(a for _, a in seen.events.elements()))
    print(f"  plans (versions included) stored: {len(seen.plans)}; review events: "
          f"{sum(seen.events.values())} ({actions})")
    print(f"  refused writes (correct: someone changed the plan first): {dict(seen.refused)}")
    if seen.errors:
        print(f"  UNEXPECTED ERRORS ({len(seen.errors)}): {seen.errors[:5]}")
    print("  " + ", ".join(f"{k} {v}" for k, v in result.items()))
    timings.report()
    return result


# ---- part 2: search through the Chroma server -----------------------------------------------


def run_search(args: argparse.Namespace, work: Path, chroma_url: str, db_url: str) -> None:
    import numpy as np
    import search as S  # noqa: N812 - benchmarks/search.py

    from knowledge.retrieval import Retriever
    from knowledge.store import IndexServer, Store

    server = IndexServer(chroma_url, db_url)
    n = args.chunks
    rng = np.random.default_rng(0)
    built: dict[str, float] = {}
    for label, path, srv in (("embedded", work / "embedded-index", None),
                             ("Chroma server", work / "server-index", server)):
        t0 = time.perf_counter()
        with Store(path, writer=True, fresh=True, server=srv) as store:
            pending: list[Any] = []
            size = 0
            for doc in S.synthetic_docs(n, args.accounts):
                pending.append(doc)
                size += len(doc[3])
                if size >= 2000:
                    _apply(store, pending, rng)
                    pending, size = [], 0
            if pending:
                _apply(store, pending, rng)
            store.set_meta({"kb_root": f"synthetic-{n}", "schema": "1",
                            "last_ingest": "bench", "ingest": "done"})
        built[label] = time.perf_counter() - t0
        print(f"  built {n:,} chunks ({label}) in {built[label]:.0f} s", flush=True)
    slugs = C.account_slugs(args.accounts)
    qrng = random.Random(3)
    queries = [(qrng.choice(slugs), [float(x) for x in v]) for v in
               (lambda m: m / np.linalg.norm(m, axis=1, keepdims=True))(
                   np.random.default_rng(9).standard_normal((args.queries, 384)))]
    from knowledge import embeddings

    real = embeddings.embed
    for label, path, srv in (("embedded", work / "embedded-index", None),
                             ("Chroma server", work / "server-index", server)):
        retriever = Retriever(path, server=srv)
        times = []
        for i, (slug, vec) in enumerate(queries):
            embeddings.embed = lambda texts, batch_size=64, _v=vec: [_v for _ in texts]
            embeddings.embed_query.cache_clear()
            t = time.perf_counter()
            retriever.search(f"pilot budget question {i}", account=slug)
            times.append((time.perf_counter() - t) * 1000)
        embeddings.embed = real
        warm = times[1:]
        print(f"  search p50/p95 at {n:,} chunks, {label:<13}: {C.percentile(warm, 50):.1f} / "
              f"{C.percentile(warm, 95):.1f} ms (account-scoped, {len(warm)} warm queries)")


def _apply(store: Any, docs: list[Any], rng: Any) -> None:
    import numpy as np

    chunks = [c for d in docs for c in d[3]]
    vecs = rng.standard_normal((len(chunks), 384)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    store.apply_docs(docs, dict(zip([c.id for c in chunks], vecs.tolist(), strict=True)))


# ---- main -------------------------------------------------------------------------------------


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--seconds", type=int, default=120)
    p.add_argument("--reps", type=int, default=20)
    p.add_argument("--managers", type=int, default=2)
    p.add_argument("--database-url", help="an empty PostgreSQL database (default: start one)")
    p.add_argument("--chroma-url", help="a Chroma server (default: start `chroma run`)")
    p.add_argument("--chunks", type=int, default=100_000)
    p.add_argument("--accounts", type=int, default=100)
    p.add_argument("--queries", type=int, default=100)
    p.add_argument("--skip-load", action="store_true")
    p.add_argument("--skip-search", action="store_true")
    args = p.parse_args()
    import signal
    import sys

    # a `timeout` or Ctrl-C still stops the servers this script started (finally below)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    C.header("team load: PostgreSQL records and a Chroma server")
    work = Path(tempfile.mkdtemp(prefix="huddle-team-load-"))
    started: list[Any] = []
    try:
        url = args.database_url
        if not url:
            from tests.servers import PostgresCluster

            cluster = PostgresCluster()
            cluster.start()
            started.append(cluster)
            url = cluster.url(cluster.create_database())
            print(f"  PostgreSQL {cluster.bin.parent.name} started on port {cluster.port}")
        ok = True
        if not args.skip_load:
            result = run_load(url, args, work)
            ok = not any(result.values())
        if not args.skip_search:
            chroma = args.chroma_url
            if not chroma:
                from tests.servers import ChromaServer

                srv = ChromaServer(work / "chroma-server")
                started.append(srv)
                srv.wait()
                chroma = srv.url
            run_search(args, work, chroma, url)
        return 0 if ok else 1
    finally:
        from knowledge.database import dispose_engines

        dispose_engines()
        for s in reversed(started):
            s.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())

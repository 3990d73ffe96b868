"""Helpers shared by the benchmark scripts: timing, memory, machine load, synthetic text.

Not a benchmark itself. Everything synthetic here is seeded, so two runs with the same
arguments write the same knowledge base and the same chunks.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python benchmarks/x.py` from anywhere
    sys.path.insert(0, str(ROOT))

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")


# ---- machine ---------------------------------------------------------------------------


def load_line() -> str:
    """`uptime`-style load averages and the core count, for printing next to figures."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def header(title: str) -> None:
    print(f"# {title}")
    now = dt.datetime.now()
    print(f"# {now:%Y-%m-%d %H:%M:%S}, python {sys.version.split()[0]}, {load_line()}")


# ---- memory ----------------------------------------------------------------------------


def _status(field: str) -> float | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


_lifetime_peak = 0.0


def _getrusage_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


def reset_peak() -> bool:
    """Reset the kernel's peak-RSS mark so the next phase's own peak can be read.

    Writing 5 to /proc/self/clear_refs resets VmHWM, and on Linux ``getrusage``'s
    ``ru_maxrss`` of a live process reads the same mark, so after a reset it is the peak of
    the phase, not of the process. The process peak is therefore tracked here as the maximum
    over all readings.
    """
    global _lifetime_peak
    _lifetime_peak = max(_lifetime_peak, _getrusage_mb())
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def memory() -> dict[str, float | None]:
    """MB: current RSS, peak since the last reset_peak() (``getrusage`` ru_maxrss), and the
    process peak over every phase so far."""
    global _lifetime_peak
    peak = _getrusage_mb()
    _lifetime_peak = max(_lifetime_peak, peak)
    return {"rss": _status("VmRSS"), "phase_peak": peak, "process_peak": _lifetime_peak}


def fmt_mem(mem: dict[str, float | None]) -> str:
    def f(v: float | None) -> str:
        return "n/a" if v is None else f"{v:,.0f} MB"

    return (
        f"peak RSS in phase {f(mem['phase_peak'])} (getrusage), RSS after {f(mem['rss'])}, "
        f"process peak so far {f(mem['process_peak'])}"
    )


@contextmanager
def phase(results: dict[str, dict], name: str) -> Iterator[dict]:
    """Time a phase and record its peak RSS into ``results[name]``."""
    reset_peak()
    out: dict = {"load_before": os.getloadavg()[0]}
    start = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - start
        out["memory"] = memory()
        out["load_after"] = os.getloadavg()[0]
        results[name] = out


# ---- statistics ------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank-interpolated percentile (p in 0..100)."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    if p >= 100:
        return max(values)
    return statistics.quantiles(values, n=100, method="inclusive")[int(p) - 1]


def summarize_ms(seconds: list[float]) -> str:
    ms = [s * 1000 for s in seconds]
    return (
        f"p50 {percentile(ms, 50):6.1f} ms  p95 {percentile(ms, 95):6.1f} ms  "
        f"mean {statistics.fmean(ms):6.1f} ms  max {max(ms):6.1f} ms  (n={len(ms)})"
    )


# ---- synthetic text --------------------------------------------------------------------

FIRST = """Dana Tom Priya Lukas Katrin Sophie Marta Oliver Grace Henrik Aisha Mateo Yuki Ravi
Elena Femi Jonas Ingrid Carlos Nadia Pavel Chloe Samir Wen Bruno Leila Tariq Hannah Diego
Mila Anders Zoe Kofi Ines Viktor Amara Felix Noor Luca Beatrix""".split()
LAST = """Ruiz Becker Natarajan Albers Kramer Laurent Novak Chen Okafor Lindqvist Haddad Silva
Tanaka Mehta Petrova Adeyemi Schmidt Berg Moreno Farouk Dvorak Moreau Khan Zhang Costa Aziz
Malik Weber Ortiz Rossi Nilsen Fischer Mensah Duarte Horvat Osei Braun Qureshi Conti""".split()
TITLES = """CFO COO CIO CTO VP-Operations Head-of-Planning Controller Procurement-Lead
Dispatch-Manager Plant-Manager IT-Director Data-Lead HR-Director Head-of-Logistics""".split()
COMPETITORS = ["RouteIQ", "Planwise", "ShiftLoop", "Optimo", "Kinaxis", "o9", "Blue Yonder",
               "Anaplan", "FleetMind", "Workforce Pro"]
SYSTEMS = ["SAP S/4HANA", "NetSuite", "Dynamics 365", "Epicor", "Infor", "Manhattan WMS",
           "McLeod TMS", "UKG Kronos", "ATOSS", "Workday", "Oracle EBS", "Excel"]
TOPICS = ["route planning", "shift scheduling", "demand forecasting", "overtime",
          "empty miles", "dispatch", "capacity planning", "labour cost", "service levels",
          "inventory buffers", "works council approval", "data residency", "SSO", "SOC 2",
          "the pilot scope", "the rollout plan", "the renewal", "multi-year pricing"]
VERBS = ["confirmed", "questioned", "pushed back on", "asked about", "was worried about",
         "wants to see", "agreed to", "brought up", "is sceptical about", "liked",
         "needs sign-off on", "raised"]
FILLER = ["on the call", "in the follow-up email", "during the demo", "after the workshop",
          "in the steering meeting", "over lunch", "in a side conversation", "this week",
          "before the board meeting", "in the security review"]
SENTENCES = [
    "{p} {v} {t} {f}.",
    "{p} said their team spends {n} hours a week on {t} and wants that halved by Q{q}.",
    "They run {s} today and the integration effort is the main risk for {t}.",
    "{c} quoted ${k}k a year against our ${k2}k, so price will come up again.",
    "{p} mentioned that {c} already demoed {t} but the demo ran on sample data.",
    "Budget for a pilot is capped at ${k}k and needs approval from the {title}.",
    "Next step: {p} will send the {s} export and we schedule a workshop on {t}.",
    "The {title} {v} the business case; the payback claim must use their own numbers.",
    "Two planners re-plan by hand every morning, about {n} hours a day across {m} sites.",
    "Procurement wants three references in the same industry before the decision in week {w}.",
    "{p} is our champion but is not the economic buyer; the {title} signs.",
    "We agreed to share a security questionnaire and the DPA before {t} goes further.",
    "The evaluation against {c} is scheduled for the end of the quarter.",
    "Risk: the {title} is new and may reopen the vendor shortlist, including {c}.",
]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def sentence(rng: random.Random) -> str:
    return rng.choice(SENTENCES).format(
        p=person(rng) if rng.random() < 0.5 else rng.choice(FIRST),
        v=rng.choice(VERBS), t=rng.choice(TOPICS), f=rng.choice(FILLER),
        n=rng.randint(2, 40), q=rng.randint(1, 4), s=rng.choice(SYSTEMS),
        c=rng.choice(COMPETITORS), k=rng.randint(20, 90), k2=rng.randint(40, 160),
        title=rng.choice(TITLES).replace("-", " "), m=rng.randint(2, 12), w=rng.randint(1, 52),
    )


def paragraph(rng: random.Random, lo: int = 3, hi: int = 7) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def query_texts(n: int, seed: int = 7) -> list[str]:
    """Realistic search queries: names, competitors, topics, with common words."""
    rng = random.Random(seed)
    shapes = [
        "What did {p} say about {t}?",
        "pricing objection {c}",
        "who is the economic buyer and what is the budget for the pilot",
        "{c} competitive threat on {t}",
        "integration with {s} and data owners",
        "{p} {title} concerns",
        "security review status SOC 2 DPA data residency",
        "next steps agreed after the demo of {t}",
        "why did we lose to {c}",
        "stories about {t} in manufacturing with a small buying committee",
        "hours spent on {t} every week",
        "{p}",
    ]
    out = []
    for _ in range(n):
        out.append(rng.choice(shapes).format(
            p=person(rng), t=rng.choice(TOPICS), c=rng.choice(COMPETITORS),
            s=rng.choice(SYSTEMS), title=rng.choice(TITLES).replace("-", " "),
        ))
    return out


# ---- a synthetic knowledge base in the KB file format ---------------------------------

INDUSTRIES = ["logistics", "manufacturing", "healthcare", "food-distribution", "retail",
              "education"]
REGIONS = ["north-america", "europe", "apac"]
STAGES = ["Prospect", "Discovery", "Solution", "Proposal", "Negotiation", "Closed"]
KINDS = ["call", "email", "meeting", "research"]
SELLERS = ["Avery Cole", "Jordan Pike", "Priya Natarajan", "Lena Fischer", "Marcus Oyelaran"]
WORDS = """summit harbor ridge cascade iron lark meridian north tide cedar granite willow
falcon orchid copper silver amber delta river pine atlas nova polar crest""".split()


def account_slugs(n: int) -> list[str]:
    slugs = []
    for i in range(n):
        slugs.append(f"{WORDS[i % len(WORDS)]}-{i:03d}")
    return slugs


def write_synthetic_kb(root: Path, notes: int, accounts: int = 50, stories: int | None = None,
                       seed: int = 42) -> dict[str, int]:
    """Write a valid KB with ``notes`` notes (2–4 paragraphs each) over ``accounts`` accounts."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "team.yaml").write_text(
        "people:\n" + "".join(
            f"  - name: {name}\n    title: Account Executive\n"
            f"    strengths: [discovery, {rng.choice(TOPICS)}]\n"
            f"    email: {name.split()[0].lower()}@beacon.example\n"
            for name in SELLERS
        )
    )
    (root / "process.yaml").write_text(
        "stages:\n" + "".join(
            f"  - name: {s}\n    exit_criteria:\n      - {s} criteria met in the customer's words\n"
            f"    activities: [call, email]\n"
            for s in STAGES
        )
    )
    (root / "icp.yaml").write_text(
        "attributes:\n"
        "  - name: industry\n    kind: category\n    ideal: [logistics, manufacturing]\n"
        "  - name: employees\n    kind: number\n    buckets: [200, 1000, 5000]\n"
        "  - name: region\n    kind: category\n"
        "  - name: has_data_team\n    kind: bool\n"
    )
    slugs = account_slugs(accounts)
    for slug in slugs:
        d = root / "accounts" / slug / "notes"
        d.mkdir(parents=True, exist_ok=True)
        (root / "accounts" / slug / "account.yaml").write_text(
            f"slug: {slug}\nname: {slug.split('-')[0].title()} "
            f"{rng.choice(['Freight', 'Foods', 'Components', 'Health', 'Retail'])} "
            f"{slug.split('-')[1]}\n"
            f"stage: {rng.choice(STAGES)}\ndomains: [{slug}.example]\n"
            f"industry: {rng.choice(INDUSTRIES)}\nemployees: {rng.randint(50, 9000)}\n"
            f"region: {rng.choice(REGIONS)}\nhas_data_team: {rng.choice(['true', 'false'])}\n"
        )
    start = dt.date(2024, 1, 1)
    for i in range(notes):
        slug = slugs[i % accounts]
        day = start + dt.timedelta(days=rng.randint(0, 1000))
        contacts = ", ".join(f"{person(rng)} ({rng.choice(TITLES).replace('-', ' ')})"
                             for _ in range(rng.randint(0, 3)))
        body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(2, 4)))
        (root / "accounts" / slug / "notes" / f"n{i:05d}.md").write_text(
            f"---\nid: {slug}-n{i:05d}\ndate: {day.isoformat()}\nauthor: {rng.choice(SELLERS)}\n"
            f"kind: {rng.choice(KINDS)}\n"
            f"title: {rng.choice(TOPICS).capitalize()} with {rng.choice(FIRST)}\n"
            f"contacts: [{contacts}]\n---\n{body}\n"
        )
    n_stories = stories if stories is not None else max(10, notes // 100)
    sd = root / "stories"
    sd.mkdir(parents=True, exist_ok=True)
    for i in range(n_stories):
        outcome = rng.choice(["won", "lost", "no-decision"])
        comp = rng.choice(COMPETITORS)
        body = "\n\n".join(paragraph(rng) for _ in range(rng.randint(2, 4)))
        (sd / f"s{i:04d}.md").write_text(
            f"---\nid: story-{i:04d}\noutcome: {outcome}\ntitle: {outcome} against {comp}\n"
            f"date: {(start + dt.timedelta(days=rng.randint(0, 1000))).isoformat()}\n"
            f"account_profile: {{industry: {rng.choice(INDUSTRIES)}, "
            f"employees: {rng.randint(50, 9000)}, "
            f"region: {rng.choice(REGIONS)}, has_data_team: {rng.choice(['true', 'false'])}}}\n"
            f"cycle_days: {rng.randint(20, 300)}\ndeal_size: {rng.randint(20, 400) * 1000}\n"
            f"roles:\n  {SELLERS[0]}: ran discovery\n  {SELLERS[2]}: ran the pilot\n"
            f"competitor: {comp}\npeople_involved: {rng.randint(2, 12)}\n---\n{body}\n"
        )
    return {"notes": notes, "accounts": accounts, "stories": n_stories}


def fake_embed_factory(dim: int = 384):
    """A stand-in for knowledge.embeddings.embed: deterministic random unit vectors per text."""
    import hashlib

    import numpy as np

    def fake_embed(texts: list[str], batch_size: int = 64) -> list[list[float]]:
        out = []
        for text in texts:
            seed = int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little")
            v = np.random.default_rng(seed).standard_normal(dim).astype(np.float32)
            out.append((v / np.linalg.norm(v)).tolist())
        return out

    return fake_embed

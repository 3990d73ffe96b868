"""Injection, second line: a logistic regression on sentence embeddings, measured (issue 12).

Issue 12: "A second line may help (a small offline classifier shipped in a package): measure
it, keep it only if it catches what the first misses without removing real content." This
script measures it and prints the fold table; it trains nothing it ships unless ``--save``.

Data (every text here is already in the repository; nothing is downloaded):
- sets 1-8: ``tests/data/injection/unseen-2026-12-06{,b,c,d,e,f,g,h}.yaml``, each attack's
  ``text`` (positive) and each hard negative's ``text`` (negative);
- always in training: ``attacks.yaml`` (76 attacks, both splits) and ``negatives.yaml`` (45
  customer sentences);
- legitimate KB text: every sentence of every note and story of the 16 KBs
  (``knowledge/demo`` and ``evals/*/kbs/*``), minus the spans ``assistant.note_scan`` flags
  there (the 4 planted attacks in demo, ledgerline and tallyshift), grouped by KB.

Units: a text is cut with ``assistant.injection.sentences`` (the first line's own cutter),
quote marks and leading blanks stripped, lines without a letter dropped
(``units``). An attack is caught when any of its units scores over
the threshold; a hard negative or a KB sentence is flagged likewise.

Model: ``sklearn.linear_model.LogisticRegression`` (scikit-learn is already in the venv as a
dependency of sentence-transformers), C fixed beforehand at 10, on the unit-length
all-MiniLM-L6-v2 vectors of ``knowledge.embeddings`` (the packaged model Huddle already
uses). Class weights: each attack weighs 1 in total, spread over its units; the positive
side is then scaled to the negative side's total (balanced).

Protocol (leave one set out, no peeking): fold k tests on set k's attacks and hard negatives
and on KB group k (the 16 KBs, sorted by path, dealt round-robin into 8 groups, so the test
KB is unseen too) and trains on everything else. The threshold is chosen on the training
side only: an inner leave-one-group-out over the 7 training groups scores every training KB
sentence out of fold, and the threshold is the highest of those scores (so that 0
legitimate training sentences would have been flagged out of fold); the outer model is then
refit on the whole training side.

The first line: each attack (and hard negative) is spliced into a note of the small fixture
KB exactly as ``tests/data/injection/run_unseen.py`` does (``splice``, ``host_for``) and
``assistant.note_scan.scan_note`` is asked about it: flagged when it finds anything (the
quarantine plus the provenance hold: what the plan's ``quarantined`` list reflects). "Missed
by the first line" means that note scan found nothing.

Run from the repository root (about 2-4 min on the 2-core box, most of it embedding):

    .venv/bin/python benchmarks/injection_classifier.py
    .venv/bin/python benchmarks/injection_classifier.py --save   # also write the weights
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, load_line  # noqa: E402

from assistant.injection import sentences  # noqa: E402

DATA = ROOT / "tests" / "data" / "injection"
SETS = [f"unseen-2026-12-06{s}.yaml" for s in ("", "b", "c", "d", "e", "f", "g", "h")]
C = 10.0
CACHE = Path(tempfile.gettempdir()) / "huddle-bench" / "injclf-vectors.npz"
# the commit each set was first run on, untuned (tests/data/injection/run_unseen.py; sets 1,
# 2 and 3: the commit that added the file, or its parent when that commit also changed the
# detector)
UNTUNED = ["0423ab1", "c3d0b7f", "b9cadf4^", "5b4a14a", "c8328a3", "1b42111", "34e1c62",
           "6ad36c8"]


@dataclass
class Item:
    """One attack, hard negative or KB sentence: its units' rows in the vector matrix."""

    id: str
    text: str
    label: int  # 1 attack, 0 legitimate
    group: int  # 0-7: set or KB group k (tested in fold k); -1: always trained on
    kind: str  # attack | negative | kb
    rows: list[int] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict)
    first_line: bool | None = None  # flagged by the current detector (attacks, negatives)
    untuned: bool | None = None  # flagged by the detector its set was first run on


# ---- data ------------------------------------------------------------------------------

_LEAD = re.compile(r"^[\s>]+")
_LETTER = re.compile(r"[^\W\d_]")


def units(text: str) -> list[str]:
    """The sentences the classifier scores: the first line's cut, quote marks stripped."""
    out = []
    for a, b in sentences(text):
        u = _LEAD.sub("", text[a:b]).strip()
        if _LETTER.search(u):
            out.append(u)
    return out



def _yaml(name: str) -> dict[str, Any]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def set_items() -> list[Item]:
    items = []
    for k, name in enumerate(SETS):
        d = _yaml(name)
        for a in d["attacks"]:
            items.append(Item(a["id"], a["text"], 1, k, "attack", raw=a))
        for n in d.get("hard_negatives") or d.get("negatives") or []:
            items.append(Item(n["id"], n["text"], 0, k, "negative", raw=n))
    for a in _yaml("attacks.yaml")["attacks"]:
        items.append(Item(a["id"], a["text"], 1, -1, "attack", raw=a))
    for i, n in enumerate(_yaml("negatives.yaml")["negatives"]):
        items.append(Item(f"neg{i:02d}", n["text"], 0, -1, "negative", raw=n))
    return items


def kb_paths() -> list[Path]:
    return [ROOT / "knowledge" / "demo", *sorted((ROOT / "evals").glob("*/kbs/*"))]


def kb_items() -> tuple[list[Item], int]:
    """Every KB sentence outside the spans the note scan flags (the planted attacks), with
    its KB's group; and how many sentences those spans held."""
    from assistant.note_scan import scan_note
    from knowledge.loader import load_kb

    items: list[Item] = []
    planted = 0
    for i, path in enumerate(kb_paths()):
        kb = load_kb(path)
        for doc in [*kb.notes, *kb.stories]:
            found = scan_note(kb, doc.id)
            text = doc.body
            if found is not None and found.spans:
                kept, pos = [], 0
                for a, b, _ in sorted(found.spans):
                    kept.append(text[pos:a])
                    planted += len(units(text[a:b]))
                    pos = max(pos, b)
                text = "\n".join([*kept, text[pos:]])
            for j, u in enumerate(units(text)):
                items.append(Item(f"{path.name}/{doc.id}#{j}", u, 0, i % len(SETS), "kb"))
    return items, planted


# ---- vectors ---------------------------------------------------------------------------


def embed_all(items: list[Item]) -> tuple[np.ndarray, float]:
    """The unit vectors of every unit (cached by text; ``item.rows`` set) and the model's
    load time."""
    from knowledge import embeddings

    texts: list[str] = []
    index: dict[str, int] = {}
    for it in items:
        for u in units(it.text):
            if u not in index:
                index[u] = len(texts)
                texts.append(u)
            it.rows.append(index[u])
    cached: dict[str, np.ndarray] = {}
    if CACHE.is_file():
        z = np.load(CACHE)
        cached = dict(zip(z["keys"].tolist(), z["vectors"], strict=True))
    key = [hashlib.sha256(f"{embeddings.model_fingerprint()}|{t}".encode()).hexdigest()
           for t in texts]
    todo = [i for i, k in enumerate(key) if k not in cached]
    start = time.perf_counter()
    embeddings.get_model()
    load = time.perf_counter() - start
    if todo:
        vecs = embeddings.embed([texts[i] for i in todo])
        cached.update({key[i]: np.asarray(v, dtype=np.float32)
                       for i, v in zip(todo, vecs, strict=True)})
        CACHE.parent.mkdir(parents=True, exist_ok=True)
        np.savez(CACHE, keys=np.array(list(cached)), vectors=np.stack(list(cached.values())))
    return np.stack([cached[k] for k in key]), load


def time_sentences(n: int = 200) -> tuple[float, float]:
    """Seconds per sentence: ``n`` demo KB sentences in one batch, and one at a time (a
    note's few sentences in a re-draft)."""
    from knowledge import embeddings
    from knowledge.loader import load_kb

    kb = load_kb(ROOT / "knowledge" / "demo")
    texts = [u for note in kb.notes for u in units(note.body)][:n]
    texts = [f"{t} ({i})" for i, t in enumerate(texts)]  # no cache anywhere can help
    start = time.perf_counter()
    embeddings.embed(texts)
    batch = (time.perf_counter() - start) / len(texts)
    start = time.perf_counter()
    for t in texts[:20]:
        embeddings.embed([t])
    single = (time.perf_counter() - start) / 20
    return batch, single


# ---- the first line --------------------------------------------------------------------


def first_line(items: list[Item]) -> None:
    """``item.first_line`` for every attack and hard negative of a set: the note scan of
    the small fixture KB with the item spliced into note ``acme-n9``, as the runner does."""
    from assistant.note_scan import scan_note
    from knowledge.loader import load_kb
    from tests.integration.test_injection_suite import host_for, splice

    src = ROOT / "tests" / "data" / "kb_small"
    with tempfile.TemporaryDirectory() as tmp:
        kb_dir = Path(tmp) / "kb"
        shutil.copytree(src, kb_dir)
        note = kb_dir / "accounts" / "acme" / "notes" / "n9.md"
        for it in items:
            if it.kind == "kb" or "position" not in it.raw:
                continue
            note.write_text(
                "---\nid: acme-n9\ndate: 2026-11-15\nauthor: Avery Cole\nkind: email\n"
                "contacts: [Dana Ruiz (CFO), Tom Becker (Head of Operations)]\n---\n"
                + splice(host_for(it.raw), it.raw) + "\n", encoding="utf-8")
            found = scan_note(load_kb(kb_dir), "acme-n9")
            it.first_line = bool(found and found.flagged)


# the same note scan, run by the code of an older commit (its own splice, hosts and fixture
# KB), in a child process whose import path holds only that tree
_OLD_SCAN = """
import json, shutil, sys, tempfile, yaml
from pathlib import Path
from assistant.note_scan import scan_note
from knowledge.loader import load_kb
from tests.integration.test_injection_suite import host_for, splice
d = yaml.safe_load(Path(sys.argv[1]).read_text(encoding="utf-8"))
out = {}
with tempfile.TemporaryDirectory() as tmp:
    kb_dir = Path(tmp) / "kb"
    shutil.copytree("tests/data/kb_small", kb_dir)
    note = kb_dir / "accounts" / "acme" / "notes" / "n9.md"
    for a in d["attacks"] + (d.get("hard_negatives") or []):
        note.write_text("---\\nid: acme-n9\\ndate: 2026-11-15\\nauthor: Avery Cole\\n"
                        "kind: email\\ncontacts: [Dana Ruiz (CFO), Tom Becker (Head of "
                        "Operations)]\\n---\\n" + splice(host_for(a), a) + "\\n",
                        encoding="utf-8")
        found = scan_note(load_kb(kb_dir), "acme-n9")
        out[a["id"]] = bool(found and found.flagged)
print(json.dumps(out))
"""


def untuned_first_line(items: list[Item]) -> None:
    """``item.untuned`` for the attacks and hard negatives of sets 1-8: the note scan of the
    commit the set was first run on (``UNTUNED``), before anyone tuned on it."""
    import json
    import os
    import subprocess

    with tempfile.TemporaryDirectory() as tmp:
        for k, (name, commit) in enumerate(zip(SETS, UNTUNED, strict=True)):
            tree = Path(tmp) / str(k)
            tree.mkdir()
            archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "assistant",
                                      "knowledge", "tests", "prompts"], check=True,
                                     capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
            env = {**os.environ, "PYTHONPATH": str(tree), "HF_HUB_OFFLINE": "1"}
            res = subprocess.run([sys.executable, "-c", _OLD_SCAN, str(DATA / name)],
                                 cwd=tree, env=env, check=True, capture_output=True, text=True)
            flagged = json.loads(res.stdout.strip().splitlines()[-1])
            for it in items:
                if it.group == k and it.kind != "kb":
                    it.untuned = flagged[it.id]


# ---- the model -------------------------------------------------------------------------


def training_rows(items: list[Item], X: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                              np.ndarray]:
    """(vectors, labels, weights): each attack weighs 1 over its units, each legitimate
    unit 1; the positive side is scaled to the negative side's total."""
    rows, labels, weights = [], [], []
    for it in items:
        for r in it.rows:
            rows.append(r)
            labels.append(it.label)
            weights.append(1.0 / len(it.rows) if it.label else 1.0)
    y = np.array(labels)
    w = np.array(weights)
    w[y == 1] *= w[y == 0].sum() / w[y == 1].sum()
    return X[rows], y, w


def fit(items: list[Item], X: np.ndarray) -> Any:
    from sklearn.linear_model import LogisticRegression

    Xt, y, w = training_rows(items, X)
    return LogisticRegression(C=C, max_iter=2000).fit(Xt, y, sample_weight=w)


def scores(model: Any, it: Item, X: np.ndarray) -> float:
    """The item's highest unit score (a decision value: w.x + b)."""
    if not it.rows:
        return float("-inf")
    return float(model.decision_function(X[it.rows]).max())


def threshold(train: list[Item], X: np.ndarray) -> float:
    """The highest out-of-fold score of a training KB sentence, over an inner
    leave-one-group-out of the training groups."""
    groups = sorted({it.group for it in train if it.group >= 0})
    top = float("-inf")
    for g in groups:
        model = fit([it for it in train if it.group != g], X)
        for it in train:
            if it.group == g and it.kind == "kb":
                top = max(top, scores(model, it, X))
    return top


@dataclass
class Fold:
    k: int
    thr: float
    attacks: list[tuple[Item, bool]]
    negatives: list[tuple[Item, bool]]
    kb: list[tuple[Item, bool]]


def run_fold(items: list[Item], X: np.ndarray, k: int) -> Fold:
    train = [it for it in items if it.group != k]
    test = [it for it in items if it.group == k]
    thr = threshold(train, X)
    model = fit(train, X)

    def flagged(kind: str) -> list[tuple[Item, bool]]:
        return [(it, scores(model, it, X) > thr) for it in test if it.kind == kind]

    return Fold(k, thr, flagged("attack"), flagged("negative"), flagged("kb"))


# ---- report ----------------------------------------------------------------------------


def _misses(f: Fold, attr: str) -> tuple[list[str], list[str]]:
    """(ids the first line ``attr`` missed, of those the ids the classifier caught)."""
    miss = [(it, c) for it, c in f.attacks if getattr(it, attr) is False]
    return [it.id for it, _ in miss], [it.id for it, c in miss if c]


def table(folds: list[Fold]) -> dict[str, int]:
    """Print the fold table; return the totals."""
    print("| fold (test set) | thr | attacks caught | first line today: missed, caught "
          "| first line untuned: missed, caught (ids) | hard negatives flagged "
          "| KB sentences flagged |")
    print("|---|---|---|---|---|---|---|")
    tot: dict[str, int] = {}
    for f in folds:
        now, now_c = _misses(f, "first_line")
        old, old_c = _misses(f, "untuned")
        negf = [it.id for it, c in f.negatives if c]
        kbf = [it for it, c in f.kb if c]
        row = {"att": len(f.attacks), "caught": sum(c for _, c in f.attacks),
               "now": len(now), "now_c": len(now_c), "old": len(old), "old_c": len(old_c),
               "neg": len(f.negatives), "negf": len(negf), "kb": len(f.kb), "kbf": len(kbf)}
        for k, v in row.items():
            tot[k] = tot.get(k, 0) + v
        print(f"| {f.k + 1} ({SETS[f.k]}) | {f.thr:.2f} | {row['caught']}/{row['att']} "
              f"| {len(now)}, {len(now_c)} | {len(old)}, {len(old_c)} {' '.join(old_c)} "
              f"| {len(negf)}/{row['neg']} {' '.join(negf)} | {len(kbf)}/{row['kb']} "
              + " ".join(f"{it.id} {it.text[:60]!r}" for it in kbf) + " |")
    print(f"| all | | {tot['caught']}/{tot['att']} | {tot['now']}, {tot['now_c']} "
          f"| {tot['old']}, {tot['old_c']} | {tot['negf']}/{tot['neg']} "
          f"| {tot['kbf']}/{tot['kb']} |")
    return tot


def save(items: list[Item], X: np.ndarray, out: Path) -> None:
    """Weights trained on all the data, with the threshold chosen as in a fold (an inner
    leave-one-group-out over all 8 groups)."""
    import json

    thr = threshold(items, X)
    model = fit(items, X)
    np.save(out.with_suffix(".npy"), np.concatenate(
        [model.coef_[0], model.intercept_]).astype(np.float32))
    out.with_suffix(".json").write_text(json.dumps(
        {"threshold": thr, "C": C, "dim": int(X.shape[1]), "model": "all-MiniLM-L6-v2"},
        indent=1) + "\n", encoding="utf-8")
    print(f"saved {out.with_suffix('.npy')} (threshold {thr:.3f})")


def ceiling(items: list[Item], X: np.ndarray) -> None:
    """In sample: one model on everything, and how many attacks (and hard negatives) score
    above the highest KB sentence it was trained on (what a 0-false-positive threshold
    could catch at best)."""
    model = fit(items, X)
    top = max(scores(model, it, X) for it in items if it.kind == "kb")
    above = {kind: (sum(scores(model, it, X) > top for it in items if it.kind == kind),
                    sum(it.kind == kind for it in items)) for kind in ("attack", "negative")}
    print(f"in sample (trained on everything, threshold = its highest KB sentence, {top:.2f}): "
          f"attacks above {above['attack'][0]}/{above['attack'][1]}, hard negatives above "
          f"{above['negative'][0]}/{above['negative'][1]}")


def extra_items(path: Path) -> list[Item]:
    """A set file outside the 8 (set 9, held out): scored, never trained on."""
    d = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [Item(a["id"], a["text"], 1, 99, "attack", raw=a) for a in d["attacks"]] + [
        Item(n["id"], n["text"], 0, 99, "negative", raw=n)
        for n in d.get("hard_negatives") or d.get("negatives") or []]


def score_extra(items: list[Item], extra: list[Item], X: np.ndarray, path: Path) -> None:
    """Train on all 8 sets and the KBs (threshold as in a fold, over 8 inner groups) and
    report on ``extra``: attacks caught, those the first line today missed, negatives."""
    thr = threshold(items, X)
    model = fit(items, X)
    attacks = [(it, scores(model, it, X) > thr) for it in extra if it.kind == "attack"]
    negs = [it.id for it in extra if it.kind == "negative" and scores(model, it, X) > thr]
    missed = [it for it, _ in attacks if it.first_line is False]
    rescued = [it.id for it, c in attacks if c and it.first_line is False]
    print(f"{path.name} (threshold {thr:.2f}): attacks caught {sum(c for _, c in attacks)}/"
          f"{len(attacks)}; first line today missed {len(missed)} "
          f"({' '.join(it.id for it in missed)}), the classifier caught {len(rescued)} of "
          f"them ({' '.join(rescued)}); hard negatives flagged by the classifier "
          f"{len(negs)}/{sum(it.kind == 'negative' for it in extra)} ({' '.join(negs)}), "
          f"by the first line today "
          f"{sum(bool(it.first_line) for it in extra if it.kind == 'negative')}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--save", type=Path, default=None,
                    help="also train on everything and write PATH.npy and PATH.json")
    ap.add_argument("--no-timing", action="store_true", help="skip the per-sentence timing")
    ap.add_argument("--no-history", action="store_true",
                    help="skip the first line of the commits each set was first run on")
    ap.add_argument("--score-set", type=Path, action="append", default=[],
                    help="also train on all 8 sets and score this set file (set 9)")
    args = ap.parse_args(argv)
    print(f"# injection second line: leave-one-set-out ({load_line()})")
    items = set_items()
    kb, planted = kb_items()
    items += kb
    extra = {path: extra_items(path) for path in args.score_set}
    start = time.perf_counter()
    first_line(items + [it for more in extra.values() for it in more])
    checked = sum(it.first_line is not None for it in items)
    print(f"first line today (note scan of the spliced note) on {checked} attacks and "
          f"negatives: {time.perf_counter() - start:.1f} s")
    if not args.no_history:
        start = time.perf_counter()
        untuned_first_line(items)
        print(f"first line as first run on each set ({' '.join(UNTUNED)}): "
              f"{time.perf_counter() - start:.1f} s")
    X, load = embed_all(items + [it for more in extra.values() for it in more])
    print(f"{len(items)} items, {X.shape[0]} distinct units; KB sentences {len(kb)} "
          f"(planted-attack sentences left out: {planted}); embedding model load {load:.2f} s")
    folds = [run_fold(items, X, k) for k in range(len(SETS))]
    table(folds)
    ceiling(items, X)
    if not args.no_timing:
        batch, single = time_sentences()
        print(f"embedding cost ({load_line()}): {1000 * batch:.1f} ms/sentence in a batch "
              f"of 200, {1000 * single:.1f} ms/sentence one at a time")
    for path, more in extra.items():
        score_extra(items, more, X, path)
    if args.save:
        save(items, X, args.save)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

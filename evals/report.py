"""Eval reports: aggregates, the terminal table, Markdown, and comparing two runs.

The JSON report (what ``huddle eval run --out`` writes)::

    {"run": {"model", "prompts", "git_revision", "started", "duration_s", "counts", ...},
     "aggregate": {METRIC: mean over the scenarios that have it},
     "aggregate_counts": {METRIC: how many scenarios have it},
     "scenarios": [{"id", "title", "file", "metrics": {METRIC: value}, "failures": [...],
                    "error": null | text, "unscored": {METRIC: why}, "warnings": [...],
                    "details": {...}}]}

Pure functions over that dict (plus reading and writing files). Imports nothing heavy.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evals.metrics import LOWER_IS_BETTER, METRICS, UNBOUNDED, mean

SHORT = {
    "retrieval_recall": "retr", "citation_recall": "cite", "citation_validity": "valid",
    "mention_recall": "ment", "injection_resistance": "inj", "role_coverage": "rcov",
    "role_accuracy": "racc", "claim_support": "supp", "generic_rate": "gener",
    "buyers_distinct": "bdist", "stock_free": "stock", "objection_recall": "objn",
    "open_item_recall": "open", "risk_recall": "risk", "buyer_recall": "buyer",
    "exit_gap_accuracy": "gap", "schema_validity": "schema", "fallback_rate": "fallb",
    "replaced_rate": "repl",
    "objective_accuracy": "obj", "stage_accuracy": "stage", "fact_recall": "facts",
    "fact_noise": "fnoise", "fact_noise_ceiling": "fnoise^", "icp_recall": "icp",
    "latency_s": "sec", "tokens": "tokens",
    "cost_usd": "usd",
}
EPSILON = 1e-9


def aggregate(scenarios: Iterable[dict[str, Any]]) -> tuple[dict[str, float], dict[str, int]]:
    """Mean of each metric over the scenarios that have it, and how many have it."""
    rows = list(scenarios)
    agg: dict[str, float] = {}
    counts: dict[str, int] = {}
    for name in METRICS:
        values = [r["metrics"][name] for r in rows if r["metrics"].get(name) is not None]
        value = mean(values)
        if value is not None:
            agg[name] = round(value, 4) if name not in UNBOUNDED else round(value, 3)
            counts[name] = len(values)
    return agg, counts


def fmt(name: str, value: float | None) -> str:
    if value is None:
        return "-"
    if name == "tokens":
        return f"{value:.0f}"
    if name == "latency_s":
        return f"{value:.1f}"
    if name == "cost_usd":
        return f"{value:.4f}"
    return f"{value:.2f}"


def _present(report: dict[str, Any]) -> list[str]:
    have = set(report.get("aggregate", {}))
    for s in report.get("scenarios", []):
        have |= set(s.get("metrics", {}))
    return [n for n in METRICS if n in have]


def _table(header: list[str], rows: list[list[str]], *, align_left: int = 1) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i < align_left else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()

    return [line(header), line(["-" * w for w in widths]), *[line(r) for r in rows]]


def run_summary(report: dict[str, Any]) -> str:
    run = report["run"]
    c = run.get("counts", {})
    rev = run.get("git_revision", "unknown")
    dirty = " (with local changes)" if run.get("git_dirty") else ""
    prompts = ", ".join(f"{k}@{v}" for k, v in run.get("prompts", {}).items()) or "-"
    return (f"model {run.get('model')} · prompts {prompts} · git {rev[:12]}{dirty} · "
            f"{c.get('scenarios', 0)} scenarios, {c.get('errors', 0)} errors, "
            f"{c.get('unscored', 0)} unscored metrics · {run.get('duration_s', 0):.1f} s · "
            f"started {run.get('started')}")


def terminal_table(report: dict[str, Any], *, failures: bool = True) -> str:
    """The per-scenario table, the aggregates and (optionally) what failed, as plain text."""
    names = _present(report)
    header = ["scenario", *[SHORT[n] for n in names]]
    rows = []
    for s in report["scenarios"]:
        if s.get("error") and not s.get("metrics"):
            rows.append([s["id"], *["ERR" if i == 0 else "" for i in range(len(names))]])
            continue
        rows.append([s["id"] + (" !" if s.get("error") else ""),
                     *[fmt(n, s["metrics"].get(n)) if n in s["metrics"]
                       else ("?" if n in s.get("unscored", {}) else "") for n in names]])
    agg = report.get("aggregate", {})
    rows.append(["MEAN", *[fmt(n, agg.get(n)) for n in names]])
    out = _table(header, rows)
    out.append("")
    out.append("legend: " + ", ".join(f"{SHORT[n]}={n}" for n in names)
               + "; blank = not exercised, ? = unscored, ! / ERR = error")
    out.append("")
    counts = report.get("aggregate_counts", {})
    agg_rows = [[n, fmt(n, agg.get(n)), str(counts.get(n, 0)),
                 "lower" if n in LOWER_IS_BETTER else "higher"] for n in names]
    out += _table(["metric", "mean", "n", "better"], agg_rows)
    out.append("")
    out.append(run_summary(report))
    problems = [s for s in report["scenarios"] if s.get("error") or s.get("unscored")
                or (failures and s.get("failures")) or s.get("warnings")]
    if problems:
        out.append("")
        for s in problems:
            out.append(f"{s['id']}:")
            if s.get("error"):
                out.append(f"  ERROR {s['error']}")
            if failures:
                out += [f"  - {f}" for f in s.get("failures", [])]
            out += [f"  ? {k}: {v}" for k, v in s.get("unscored", {}).items()]
            out += [f"  warning: {w}" for w in s.get("warnings", [])]
    out += _judge_lines(report)
    skipped = report["run"].get("skipped", [])
    if skipped:
        out.append("")
        out.append(f"skipped {len(skipped)} file(s)/folder(s):")
        out += [f"  {x['file']}: {x['reason']}" for x in skipped]
    return "\n".join(out)


def _judge_lines(report: dict[str, Any], md: bool = False) -> list[str]:
    judge = report["run"].get("judge")
    if not judge:
        return []
    crit = ("usefulness", "specificity", "tone")
    title = (f"LLM judge ({judge.get('model')}, {judge.get('prompt')}): "
             "not part of the scores; grades 1-5 scaled to [0, 1]")
    rows = []
    for s in report["scenarios"]:
        j = s.get("judge") or {}
        if "unscored" in j:
            rows.append([s["id"], *["?"] * 3, str(j["unscored"])[:80]])
        elif j:
            rows.append([s["id"], *[fmt(c, j.get(c)) for c in crit], str(j.get("reason", ""))])
    agg = report.get("judge_aggregate", {})
    rows.append(["MEAN", *[fmt(c, agg.get(c)) for c in crit], ""])
    if md:
        lines = ["## LLM judge", "", title, "", "| scenario | usefulness | specificity | tone "
                 "| why |", "|---|---:|---:|---:|---|"]
        return lines + [f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} | {_md(r[4])} |" for r in rows] + [""]
    return ["", title, *_table(["scenario", "useful", "specific", "tone", "why"], rows)]


def markdown(report: dict[str, Any]) -> str:
    """A readable Markdown summary of a report."""
    run = report["run"]
    names = _present(report)
    agg = report.get("aggregate", {})
    counts = report.get("aggregate_counts", {})
    lines = [
        "# Huddle eval report", "",
        f"- model: `{run.get('model')}`",
        "- prompts: " + (", ".join(f"`{k}@{v}`" for k, v in run.get("prompts", {}).items())
                         or "-"),
        f"- git revision: `{run.get('git_revision')}`"
        + (" (with local changes)" if run.get("git_dirty") else ""),
        f"- started: {run.get('started')}, duration {run.get('duration_s', 0):.1f} s, "
        f"jobs {run.get('jobs', 1)}, "
        f"model response cache {'on' if run.get('llm_cache') else 'off'}",
        f"- scenarios: {run['counts']['scenarios']}, errors: {run['counts']['errors']}, "
        f"unscored metrics: {run['counts']['unscored']}",
        "", "## Aggregate", "",
        "| metric | mean | scenarios | better |", "|---|---:|---:|---|",
    ]
    lines += [f"| `{n}` | {fmt(n, agg.get(n))} | {counts.get(n, 0)} | "
              f"{'lower' if n in LOWER_IS_BETTER else 'higher'} |" for n in names]
    lines += ["", "## Scenarios", "",
              "| scenario | " + " | ".join(SHORT[n] for n in names) + " |",
              "|---|" + "---:|" * len(names)]
    for s in report["scenarios"]:
        cells = [fmt(n, s["metrics"].get(n)) if n in s["metrics"]
                 else ("?" if n in s.get("unscored", {}) else "") for n in names]
        mark = " ⚠" if s.get("error") else ""
        lines.append(f"| `{s['id']}`{mark} | " + " | ".join(cells) + " |")
    lines += ["", "Columns: " + ", ".join(f"{SHORT[n]} = `{n}`" for n in names)
              + ". Blank: not exercised; ?: unscored; ⚠: error.", ""]
    lines += _judge_lines(report, md=True)
    detail = [s for s in report["scenarios"]
              if s.get("error") or s.get("failures") or s.get("unscored") or s.get("warnings")]
    if detail:
        lines += ["## What did not match", ""]
        for s in detail:
            lines.append(f"### `{s['id']}` — {_md(s.get('title', ''))}")
            lines.append("")
            if s.get("error"):
                lines.append(f"- **error:** {_md(s['error'])}")
            lines += [f"- {_md(f)}" for f in s.get("failures", [])]
            lines += [f"- unscored `{k}`: {_md(v)}" for k, v in s.get("unscored", {}).items()]
            lines += [f"- warning: {_md(w)}" for w in s.get("warnings", [])]
            lines.append("")
    if run.get("skipped"):
        lines += ["## Skipped files", ""]
        lines += [f"- `{x['file']}`: {_md(x['reason'])}" for x in run["skipped"]]
        lines.append("")
    return "\n".join(lines)


def _md(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def write_json(report: dict[str, Any], path: str | Path) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")


def load_report(path: str | Path) -> dict[str, Any]:
    from assistant.errors import HuddleError

    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise HuddleError(f"{path}: cannot read ({exc})", title="Eval report") from exc
    except json.JSONDecodeError as exc:
        raise HuddleError(f"{path}: not JSON ({exc.msg} at line {exc.lineno})",
                          title="Eval report") from exc
    if not isinstance(data, dict) or not isinstance(data.get("scenarios"), list):
        raise HuddleError(f"{path}: not an eval report (no 'scenarios' list)",
                          title="Eval report")
    data.setdefault("run", {})
    data.setdefault("aggregate", {})
    return data


# ---- compare -----------------------------------------------------------------------------


def _verdict(name: str, a: float | None, b: float | None) -> str:
    if a is None and b is None:
        return "same"
    if a is None:
        return "new"
    if b is None:
        return "gone"
    delta = b - a
    tolerance = max(EPSILON, abs(a) * 0.05) if name in UNBOUNDED else EPSILON
    if abs(delta) <= tolerance:
        return "same"
    better = delta < 0 if name in LOWER_IS_BETTER else delta > 0
    return "improved" if better else "regressed"


def compare(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """What changed from report ``a`` to report ``b``, per metric and per scenario id.

    Cost metrics (latency, tokens, cost) change within 5 % are "same".
    """
    names = [n for n in METRICS if n in set(a.get("aggregate", {})) | set(b.get("aggregate", {}))]
    aggregate_rows = []
    for n in names:
        va, vb = a["aggregate"].get(n), b["aggregate"].get(n)
        aggregate_rows.append({"metric": n, "a": va, "b": vb,
                               "delta": None if va is None or vb is None else round(vb - va, 4),
                               "verdict": _verdict(n, va, vb)})
    sa = {s["id"]: s for s in a["scenarios"]}
    sb = {s["id"]: s for s in b["scenarios"]}
    per_scenario = []
    for sid in [*sa, *[i for i in sb if i not in sa]]:
        x, y = sa.get(sid), sb.get(sid)
        if x is None or y is None:
            per_scenario.append({"id": sid, "only_in": "b" if x is None else "a", "changes": []})
            continue
        changes = []
        for n in METRICS:
            va, vb = x["metrics"].get(n), y["metrics"].get(n)
            verdict = _verdict(n, va, vb)
            if verdict != "same":
                changes.append({"metric": n, "a": va, "b": vb, "verdict": verdict})
        row: dict[str, Any] = {"id": sid, "changes": changes}
        if bool(x.get("error")) != bool(y.get("error")):
            row["error"] = "fixed" if x.get("error") else "new"
            row["error_text"] = y.get("error") or x.get("error")
        if changes or "error" in row:
            per_scenario.append(row)
    run_a, run_b = a.get("run", {}), b.get("run", {})
    setup = {k: {"a": run_a.get(k), "b": run_b.get(k)}
             for k in ("model", "prompts", "git_revision") if run_a.get(k) != run_b.get(k)}
    return {"setup": setup, "aggregate": aggregate_rows, "scenarios": per_scenario}


def compare_text(diff: dict[str, Any], a_name: str = "A", b_name: str = "B") -> str:
    out = [f"{a_name} -> {b_name}"]
    for key, v in diff["setup"].items():
        out.append(f"  {key}: {v['a']} -> {v['b']}")
    out.append("")
    rows = []
    for r in diff["aggregate"]:
        delta = "" if r["delta"] is None else f"{r['delta']:+.4g}"
        rows.append([r["metric"], fmt(r["metric"], r["a"]), fmt(r["metric"], r["b"]), delta,
                     r["verdict"]])
    out += _table(["metric", "A", "B", "delta", ""], rows)
    improved = [r["metric"] for r in diff["aggregate"] if r["verdict"] == "improved"]
    regressed = [r["metric"] for r in diff["aggregate"] if r["verdict"] == "regressed"]
    out.append("")
    out.append("improved: " + (", ".join(improved) or "nothing"))
    out.append("regressed: " + (", ".join(regressed) or "nothing"))
    if diff["scenarios"]:
        out.append("")
        out.append("per scenario:")
        for s in diff["scenarios"]:
            if s.get("only_in"):
                out.append(f"  {s['id']}: only in {a_name if s['only_in'] == 'a' else b_name}")
                continue
            bits = [f"{c['metric']} {fmt(c['metric'], c['a'])} -> {fmt(c['metric'], c['b'])} "
                    f"({c['verdict']})" for c in s["changes"]]
            if s.get("error") == "new":
                bits.append(f"new error: {s.get('error_text')}")
            elif s.get("error") == "fixed":
                bits.append("error fixed")
            out.append(f"  {s['id']}: " + "; ".join(bits))
    else:
        out.append("no scenario changed")
    return "\n".join(out)


def check_thresholds(report: dict[str, Any], minimums: dict[str, float],
                     maximums: dict[str, float] | None = None) -> list[str]:
    """Which ``--min``/``--max`` gates fail: a missing metric fails its gate."""
    agg = report.get("aggregate", {})
    out = []
    for name, floor in minimums.items():
        value = agg.get(name)
        if value is None:
            out.append(f"{name}: no scenario has it (gate --min {name}={floor})")
        elif value < floor:
            out.append(f"{name} = {value:.4g} is below the minimum {floor:g}")
    for name, ceiling in (maximums or {}).items():
        value = agg.get(name)
        if value is None:
            out.append(f"{name}: no scenario has it (gate --max {name}={ceiling})")
        elif value > ceiling:
            out.append(f"{name} = {value:.4g} is above the maximum {ceiling:g}")
    return out

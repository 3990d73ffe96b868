"""Run eval scenarios through the real workflows and score them.

For each scenario (see evals/README.md):

1. copy its KB to a private temporary folder and write the ``kb_overlay`` files into the copy
   (the KB on disk is never changed);
2. ingest: stores are cached by content under ``<cache dir>/stores/<hash>/`` (a frozen copy
   of the KB and its store), so only a new or changed KB is embedded; the cached store is
   copied into the scenario's private data directory and the real incremental ingest runs
   there (nothing left to embed);
3. build a :class:`~assistant.service.Huddle` over the private KB copy and data directory,
   with the configured model behind a gateway whose response cache lives in
   ``<cache dir>/llm_cache.sqlite`` — shared by every run, so a second run is fast and gives
   the same answers;
4. prepare the plan and score it; with ``after_call``, run the reflection (the human
   checkpoint is answered "accept all"; its writes go to the private copies), record the
   outcome, and score that too.

A scenario that raises is recorded with its ``error`` and the run goes on; a metric the
scorer cannot judge is "unscored", never a number. Touches the cache dir, a temporary work
dir, and (through the gateway) the model.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.clock import SYSTEM, Clock
from evals import metrics as m
from evals.reflection import ReflectionUnavailable, run_reflection
from evals.scenario import Scenario, ScenarioError, Skipped, discover, load_scenario, raw_id

log = logging.getLogger(__name__)

DEFAULT_CACHE_DIR = Path(".huddle-eval-cache")
AFTER_CALL_METRICS = ("objective_accuracy", "stage_accuracy", "fact_recall", "fact_noise",
                      "fact_noise_ceiling", "icp_recall")


@dataclass
class RunOptions:
    """How to run: which model, where the caches live, how many scenarios at once."""

    model: str | None = None
    """litellm model string; ``None`` = the configured model (the embedded one by default)."""
    cache_dir: Path = DEFAULT_CACHE_DIR
    """Ingested stores and the model's response cache, shared across runs."""
    llm_cache: bool = True
    """Reuse cached model answers (off: every call goes to the model)."""
    jobs: int = 1
    """Scenarios run in parallel (threads)."""
    plans_dir: Path | None = None
    """Write each scenario's plan (Markdown) here, to read before trusting a score."""
    keep_work: bool = False
    """Keep the temporary work folder (private KB copies, plan databases)."""
    configure: Callable[[Any], None] | None = None
    """Called with each scenario's ``Settings`` before use (tests, extra overrides)."""
    judge: bool = False
    """Also grade each plan with the LLM judge (reported apart from the metrics)."""
    judge_model: str | None = None
    """The judge's model (default: the model under test)."""
    clock: Clock = SYSTEM
    """When the run happens (the report's ``started``). Each scenario's service runs on its
    own fixed clock, the evening before its meeting, so a score never depends on the day."""


ProgressFn = Callable[[int, int, dict[str, Any]], None]


def night_before(meeting: dt.date) -> Clock:
    """A scenario's clock: 18:00 UTC the day before its meeting, when a rep prepares."""
    return Clock.fixed(dt.datetime.combine(meeting - dt.timedelta(days=1), dt.time(18),
                                           tzinfo=dt.UTC))


# ---- the gateway, recorded --------------------------------------------------------------


@dataclass
class CallRecord:
    """One structured or text model call a scenario made, as the scorers need it."""

    prompt_id: str
    ok: bool
    first_try: bool | None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float = 0.0
    cached: bool = False
    error: str | None = None


class RecordingGateway:
    """Wraps the real gateway and records every call (validity, fallback, tokens, cost).

    Tokens and cost of answers replayed from the response cache are those of the original
    call, so a cached rerun reports the same figures. Everything else is passed through.
    """

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.calls: list[CallRecord] = []
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @property
    def model(self) -> str:
        return str(getattr(self.inner, "model", "unknown"))

    def _totals(self) -> Any:
        try:
            return self.inner.totals
        except AttributeError:
            return None

    def _failed(self, prompt_id: str, exc: Exception, before: Any, first_try: bool | None) -> None:
        after = self._totals()
        pt = ct = 0
        cost = 0.0
        if before is not None and after is not None:
            pt = after.prompt_tokens - before.prompt_tokens
            ct = after.completion_tokens - before.completion_tokens
            cost = after.cost_usd - before.cost_usd
        with self._lock:
            self.calls.append(CallRecord(prompt_id, False, first_try, pt, ct, cost, False,
                                         type(exc).__name__))

    def _ok(self, prompt_id: str, usage: Any, first_try: bool | None) -> None:
        with self._lock:
            self.calls.append(CallRecord(
                prompt_id, True, first_try, int(usage.prompt_tokens),
                int(usage.completion_tokens), float(usage.cost_usd), bool(usage.cached)))

    def structured(self, **kwargs: Any) -> Any:
        from assistant.llm.errors import LLMError, LLMInvalidOutput

        before = self._totals()
        try:
            result = self.inner.structured(**kwargs)
        except LLMError as exc:
            # invalid after repairs: the first answer was invalid; timeouts: unknown
            self._failed(kwargs.get("prompt_id", "?"), exc, before,
                         False if isinstance(exc, LLMInvalidOutput) else None)
            raise
        self._ok(result.prompt_id, result.usage, bool(result.valid_first_try))
        return result

    async def astructured(self, **kwargs: Any) -> Any:
        return await asyncio.to_thread(self.structured, **kwargs)

    def text(self, **kwargs: Any) -> Any:
        from assistant.llm.errors import LLMError

        before = self._totals()
        try:
            result = self.inner.text(**kwargs)
        except LLMError as exc:
            self._failed(kwargs.get("prompt_id", "?"), exc, before, None)
            raise
        self._ok(result.prompt_id, result.usage, None)
        return result


# ---- ingested stores, cached by content ---------------------------------------------------


def kb_digest(kb: Path) -> str:
    """A hash of every file in the KB folder (relative path and bytes) and the store schema."""
    from knowledge.store import SCHEMA_VERSION

    digest = hashlib.sha256(f"store-schema:{SCHEMA_VERSION}\n".encode())
    for path in sorted(p for p in kb.rglob("*") if p.is_file()):
        digest.update(path.relative_to(kb).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:20]


class StoreCache:
    """Ingested stores under ``<cache dir>/stores/<digest>/{kb,data}``, one per KB content.

    :meth:`checkout` brings the cached store up to date with the real ingest (once per
    digest per run: a no-op unless the embedding model or the store schema changed) and
    copies it into a scenario's private data directory. Both happen under a file lock, so two
    eval processes never write or copy the same store at the same time. A scenario's own
    workflows (the reflection writes notes and re-ingests) touch only its private copy.
    """

    def __init__(self, cache_dir: Path) -> None:
        self.root = cache_dir / "stores"
        self._lock = threading.Lock()
        self._locks: dict[str, threading.Lock] = {}
        self._checked: set[str] = set()

    def checkout(self, kb: Path, data_dir: Path) -> dict[str, Any]:
        """Copy the ingested store of ``kb``'s content into ``data_dir`` (which must not exist).

        Returns what happened: the store's digest and, when this call built or checked the
        cached store, how long that took and how many chunks it embedded.
        """
        from filelock import FileLock

        from knowledge.store import Store

        digest = kb_digest(kb)
        info: dict[str, Any] = {"store": digest}
        with self._lock:
            lock = self._locks.setdefault(digest, threading.Lock())
        entry = self.root / digest
        entry.parent.mkdir(parents=True, exist_ok=True)
        with lock, FileLock(str(entry) + ".lock", timeout=1800):
            if digest not in self._checked:
                started = time.perf_counter()
                info["store_embedded"] = self._ingest(entry, kb)
                info["store_ingest_s"] = round(time.perf_counter() - started, 3)
                self._checked.add(digest)
            shutil.copytree(entry / "data", data_dir,
                            ignore=shutil.ignore_patterns("*.lock"))
        with Store(data_dir, writer=True) as store:  # the copy now indexes the private KB
            store.set_meta({"kb_root": str(kb.resolve())})
        return info

    @staticmethod
    def _ingest(entry: Path, kb: Path) -> int:
        from assistant.config import load_settings
        from assistant.service import Huddle
        from knowledge import embeddings

        frozen = entry / "kb"
        if not frozen.is_dir():
            tmp = entry / f"kb.tmp-{threading.get_ident()}"
            shutil.rmtree(tmp, ignore_errors=True)
            shutil.copytree(kb, tmp)
            tmp.rename(frozen)
        report = Huddle(load_settings(kb=frozen, data_dir=entry / "data")).ensure_ingested()
        embeddings.get_model()  # loaded now, so no scenario's latency includes loading it
        return int(report.chunks_embedded)


# ---- one scenario ----------------------------------------------------------------------


@dataclass
class _Scores:
    """What one scenario scored, as it goes: metrics, unscored ones, failures, details."""

    metrics: dict[str, float] = field(default_factory=dict)
    unscored: dict[str, str] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    explanations: dict[str, str] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0  # the plan's and the reflection's wall time (latency_s)

    def __post_init__(self) -> None:
        self.details["explanations"] = self.explanations

    def put(self, name: str, score: m.Score | None) -> None:
        if score is None:
            return
        self.explanations[name] = score.explanation
        if score.value is None:
            self.unscored[name] = score.explanation.removeprefix("unscored: ")
            return
        self.metrics[name] = score.value
        self.failures.extend(f"{name}: {f}" for f in score.failures)


def _scenario_entry(scenario: Scenario | None, path: Path, error: str | None = None
                    ) -> dict[str, Any]:
    return {
        "id": scenario.id if scenario else (raw_id(path) or path.stem),
        "title": scenario.title if scenario else "",
        "file": str(path),
        "metrics": {},
        "failures": [],
        "error": error,
        "unscored": {},
        "warnings": list(scenario.warnings) if scenario else [],
        "details": {},
    }


def run_scenario(scenario: Scenario, options: RunOptions, stores: StoreCache, work: Path
                 ) -> dict[str, Any]:
    """Run and score one scenario; exceptions become the entry's ``error``."""
    entry = _scenario_entry(scenario, scenario.path)
    scores = _Scores()
    gateway: RecordingGateway | None = None
    try:
        kb = private_kb(scenario, work / "kb")
        scores.details.update(stores.checkout(kb, work / "data"))
        huddle, gateway, settings = _scenario_huddle(scenario, options, kb, work / "data")
        meeting, plan, text = _prepare_plan(scenario, options, huddle, scores)
        if options.judge:
            entry["judge"] = _judge(plan, text, settings, options)
        _score_plan(scenario, huddle, meeting, plan, text, scores)
        if scenario.after_call is not None:
            _reflect_and_score(scenario, huddle, plan, scores, options.plans_dir)
    except _ReflectionFailed as exc:
        entry["error"] = _error_text(exc.__cause__ or exc)
        log.error("scenario %s: reflection failed", scenario.id, exc_info=exc.__cause__)
    except Exception as exc:  # a machinery error: recorded, the run goes on
        entry["error"] = _error_text(exc)
        log.error("scenario %s failed", scenario.id, exc_info=exc)

    _score_calls(gateway, scores)
    entry["metrics"] = {k: scores.metrics[k] for k in m.METRICS if k in scores.metrics}
    entry["failures"] = scores.failures
    entry["unscored"] = scores.unscored
    entry["details"] = scores.details
    return entry


def private_kb(scenario: Scenario, kb: Path) -> Path:
    """A copy of the scenario's KB at ``kb``, with its ``kb_overlay`` files written in."""
    shutil.copytree(scenario.kb_path, kb)
    for name, content in (scenario.kb_overlay or {}).items():
        target = kb / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(content, encoding="utf-8")
    return kb


def _scenario_huddle(scenario: Scenario, options: RunOptions, kb: Path, data_dir: Path
                     ) -> tuple[Any, RecordingGateway, Any]:
    """The service over the private copies, its recorded gateway and its settings."""
    from assistant.config import load_settings
    from assistant.llm.gateway import Gateway
    from assistant.service import Huddle

    settings = load_settings(kb=kb, data_dir=data_dir, model=options.model)
    settings.llm.cache = options.llm_cache
    if options.configure is not None:
        options.configure(settings)
    gateway = RecordingGateway(Gateway(settings.llm, options.cache_dir))
    huddle = Huddle(settings, gateway=gateway, clock=night_before(scenario.meeting.date))
    return huddle, gateway, settings


def _prepare_plan(scenario: Scenario, options: RunOptions, huddle: Any, scores: _Scores
                  ) -> tuple[Any, Any, str]:
    """Ingest the private KB, prepare the scenario's meeting: it, the plan, its Markdown."""
    from assistant.plan import Buyer
    from assistant.render import plan_markdown

    details = scores.details
    started = time.perf_counter()
    ingested = huddle.ensure_ingested()  # the real, incremental ingest of the private copy
    details["ingest_s"] = round(time.perf_counter() - started, 3)
    details["chunks_embedded"] = int(ingested.chunks_embedded)
    mt = scenario.meeting
    meeting = huddle.meeting(
        account=mt.account, kind=mt.kind, date=mt.date, sellers=list(mt.sellers),
        buyers=[Buyer(name=b.name, title=b.title) for b in mt.buyers], goal=mt.goal,
        minutes=mt.minutes,
    )
    started = time.perf_counter()
    plan = huddle.prepare(meeting)
    scores.seconds = time.perf_counter() - started
    details["plan_s"] = round(scores.seconds, 3)
    text = plan_markdown(plan)
    if options.plans_dir is not None:
        options.plans_dir.mkdir(parents=True, exist_ok=True)
        (options.plans_dir / f"{_safe_name(scenario.id)}.md").write_text(text, encoding="utf-8")
    return meeting, plan, text


def _score_plan(scenario: Scenario, huddle: Any, meeting: Any, plan: Any, text: str,
                scores: _Scores) -> None:
    """The plan's metrics (retrieval, citations, mentions, injection, roles) and details."""
    put = scores.put
    p = plan.provenance
    existing = {n.id for n in huddle.kb.notes} | {s.id for s in huddle.kb.stories}
    cited = sorted(plan.cited_ids())
    roles = [(r.name, r.role) for r in plan.roles]
    exp = scenario.expect
    put("retrieval_recall", m.retrieval_recall(exp.retrieve, p.retrieved_ids))
    put("citation_recall", m.citation_recall(exp.cite, cited))
    put("citation_validity", m.citation_validity(cited, p.retrieved_ids, existing))
    put("mention_recall", m.mention_recall(exp.mention, text))
    put("injection_resistance", m.injection_resistance(exp.not_mention, text))
    put("role_coverage", m.role_coverage(meeting.sellers, roles))
    put("role_accuracy", m.role_accuracy(exp.roles, roles))
    _score_judgement(scenario, huddle, plan, put)
    scores.details.update({
        "plan_id": plan.id, "model": p.model, "prompts": dict(p.prompts),
        "retrieved_ids": list(p.retrieved_ids), "cited_ids": cited,
        "roles": {name: role for name, role in roles},
        "next_step_owner": (plan.closer().name if plan.closer() else None),
        "fallback_sections": list(p.fallback_sections),
        "replaced": list(p.replaced),
        "headlines": p.headlines,  # "code": not asked (prep.model_headlines), nothing replaced
        "quarantined": list(p.quarantined), "plan_warnings": list(p.warnings),
    })


def _score_judgement(scenario: Scenario, huddle: Any, plan: Any, put: Any) -> None:
    """claim_support, generic_rate, buyers_distinct and stock_free on the plan's text."""
    p = plan.provenance
    sources = {i: (note.body if (note := huddle.kb.note(i)) else "")
               for i in p.retrieved_ids}
    o = plan.objective
    # Since prep_draft@5 the objective is the one sentence of fact the model writes
    # (situation, needs and questions are code's, from the notes' own sentences); citing
    # nothing, it answers to the notes it was shown.
    checked = ([(o.statement.text, o.statement.cites or list(sources))]
               if o.statement.origin == "model" and o.statement.text.strip() else [])
    put("claim_support", m.claim_support(checked, sources))
    put("replaced_rate", m.replaced_rate(p.offered, p.replaced))
    own = [o.statement.text, o.advance, o.fallback,
           # the injection and claim cautions are fixed text, not a mitigation code wrote
           *(r.answer for r in plan.risks if r.kind not in ("", "injection", "claimed")),
           *(r.does for r in plan.roles if r.role == "executive")]
    mt = plan.meeting
    known = " ".join([plan.account_name, mt.account, mt.kind, mt.goal or "", o.stage,
                      o.next_stage or "", *o.exit_criteria, *mt.sellers,
                      *(f"{b.name} {b.title}" for b in mt.buyers)])
    put("generic_rate", m.generic_rate(own, evidence=" ".join(sources.values()), known=known))
    put("buyers_distinct", m.buyers_distinct(
        {b.name: [c.text for c in b.cares_about] for b in plan.buyers}))
    exp = scenario.expect
    put("objection_recall", m.objection_recall(
        exp.objections, [f"{o.text} {o.answer}" for o in plan.objections]))
    put("open_item_recall", m.open_item_recall(
        exp.open_items, [i.text for i in plan.open_items] + list(plan.checklist)))
    put("risk_recall", m.risk_recall(exp.risks, [f"{r.risk} {r.answer}" for r in plan.risks]))
    put("buyer_recall", m.buyer_recall(
        exp.buyers, {b.name: [c.text for c in b.cares_about] for b in plan.buyers}))
    put("exit_gap_accuracy", m.exit_gap_accuracy(
        exp.exit_gap, [(c.criterion, c.status) for c in plan.exit_gap]))
    put("stock_free", m.stock_free(
        [*own, *(r.risk for r in plan.risks), *(x.answer for x in plan.objections),
         *(c.text for b in plan.buyers for c in b.cares_about)]))


def _reflect_and_score(scenario: Scenario, huddle: Any, plan: Any, scores: _Scores,
                       plans_dir: Path | None = None) -> None:
    """Run the after-call reflection and score it; raises :class:`_ReflectionFailed`."""
    if scenario.after_call is None:
        return
    from evals import noise

    put = scores.put
    # the KB as the reflection finds it (before its writes), as ``evals.fact_check`` reads it
    rivals, sellers = noise.rivals(huddle.kb), noise.sellers(huddle.kb)
    started = time.perf_counter()
    try:
        outcome = run_reflection(huddle, plan, scenario)
    except ReflectionUnavailable as exc:
        for name in _after_call_metrics(scenario):
            put(name, m.unscored(f"reflection API not available ({exc})"))
    except Exception as exc:
        for name in _after_call_metrics(scenario):
            put(name, m.unscored("the reflection failed (see error)"))
        raise _ReflectionFailed(exc) from exc
    else:
        ac = scenario.after_call.expect
        put("objective_accuracy", m.objective_accuracy(ac.objective, outcome.objective))
        put("stage_accuracy", m.stage_accuracy(ac.stage_after, outcome.stage_after))
        put("fact_recall", m.fact_recall(ac.facts, outcome.facts))
        put("fact_noise", m.fact_noise(outcome.fact_rows, rivals=rivals, sellers=sellers,
                                       expected=ac.facts or []))
        put("fact_noise_ceiling", m.fact_noise_ceiling(ac.facts, outcome.fact_rows))
        put("icp_recall", m.icp_recall([i.model_dump() for i in ac.icp or []] or None,
                                       outcome.icp))
        scores.details["reflection"] = {
            "objective": outcome.objective, "stage_after": outcome.stage_after,
            "facts": outcome.facts, "icp": outcome.icp, **outcome.detail,
        }
        scores.details["prompts"] = {**scores.details["prompts"], **outcome.prompts}
        if plans_dir is not None and outcome.markdown:  # beside the plan, for a reader
            plans_dir.mkdir(parents=True, exist_ok=True)
            (plans_dir / f"{_safe_name(scenario.id)}.reflection.md").write_text(
                outcome.markdown, encoding="utf-8")
    finally:
        reflection_s = time.perf_counter() - started
        scores.seconds += reflection_s
        scores.details["reflection_s"] = round(reflection_s, 3)


def _score_calls(gateway: RecordingGateway | None, scores: _Scores) -> None:
    """Metrics of the model calls made (validity, fallbacks) and, with a plan, its costs."""
    put = scores.put
    if gateway is not None and gateway.calls:
        calls = gateway.calls
        put("schema_validity", m.schema_validity([c.first_try for c in calls]))
        put("fallback_rate", m.fallback_rate(len(calls), sum(1 for c in calls if not c.ok)))
        scores.details["model_calls"] = len(calls)
        scores.details["cached_calls"] = sum(1 for c in calls if c.cached)
    if "plan_id" in scores.details:
        put("latency_s", m.latency_s(scores.seconds))
        calls = gateway.calls if gateway is not None else []
        put("tokens", m.tokens(sum(c.prompt_tokens for c in calls),
                               sum(c.completion_tokens for c in calls)))
        put("cost_usd", m.cost_usd(sum(c.cost_usd for c in calls)))


def _judge(plan: Any, text: str, settings: Any, options: RunOptions) -> dict[str, Any]:
    from assistant.llm.gateway import Gateway
    from evals.judge import judge_plan

    llm = settings.llm.model_copy()
    if options.judge_model:
        llm.model = options.judge_model
    mt = plan.meeting
    meeting = (f"{mt.kind} call with {plan.account_name} on {mt.date.isoformat()}; sellers: "
               f"{', '.join(mt.sellers)}; buyers: "
               + (", ".join(f"{b.name} ({b.title})" if b.title else b.name for b in mt.buyers)
                  or "not given")
               + (f"; goal: {mt.goal}" if mt.goal else ""))
    try:
        verdict = judge_plan(Gateway(llm, options.cache_dir), text, meeting)
    except Exception as exc:  # the judge is optional: it never fails the scenario
        log.warning("judge failed on %s: %s", plan.id, exc)
        verdict = {"unscored": f"the judge failed: {_error_text(exc)}"}
    return {"model": llm.model, **verdict}


class _ReflectionFailed(Exception):
    """The plan was scored; the reflection then raised (kept apart to keep plan metrics)."""


def _after_call_metrics(scenario: Scenario) -> list[str]:
    ac = scenario.after_call
    if ac is None:
        return []
    e = ac.expect
    present = {"objective_accuracy": e.objective, "stage_accuracy": e.stage_after,
               "fact_recall": e.facts, "fact_noise": True,  # needs no expectation
               "fact_noise_ceiling": e.facts,
               "icp_recall": e.icp}
    return [k for k in AFTER_CALL_METRICS if present[k]]


def _error_text(exc: BaseException) -> str:
    message = getattr(exc, "message", None) or str(exc) or repr(exc)
    return f"{type(exc).__name__}: {message}"


def _safe_name(text: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in text)[:120]


# ---- the run -----------------------------------------------------------------------------


def git_revision(root: Path | None = None) -> tuple[str, bool | None]:
    """``git rev-parse HEAD`` of the checkout (or "unknown") and whether it has local changes."""
    where = root or Path(__file__).resolve().parent.parent
    try:
        rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=where, capture_output=True,
                             text=True, timeout=10)
        if rev.returncode != 0:
            return "unknown", None
        status = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                                cwd=where, capture_output=True, text=True, timeout=10)
        dirty = bool(status.stdout.strip()) if status.returncode == 0 else None
        return rev.stdout.strip(), dirty
    except (OSError, subprocess.SubprocessError):
        return "unknown", None


def configured_model(options: RunOptions) -> str:
    from assistant.config import load_settings

    settings = load_settings(model=options.model)
    if options.configure is not None:
        options.configure(settings)
    return settings.llm.model


def run(target: str | Path, options: RunOptions | None = None,
        progress: ProgressFn | None = None) -> dict[str, Any]:
    """Run every scenario under ``target`` (a folder, recursively, or one file): the report."""
    options = options or RunOptions()
    options.cache_dir = Path(options.cache_dir).expanduser().resolve()
    options.cache_dir.mkdir(parents=True, exist_ok=True)
    started_at = options.clock.now().astimezone(dt.UTC)
    t0 = time.perf_counter()
    revision, dirty = git_revision()  # the code that runs: read before the run, not after
    files, skipped = discover(target)
    loaded = _load_scenarios(files)
    if not loaded:
        raise ScenarioError(f"no scenarios under {target} (a scenario is a *.yaml mapping with "
                            "'id' and 'meeting'; see evals/README.md)", title="No scenarios")
    scenarios = _run_scenarios(loaded, options, progress)
    return _report(scenarios, skipped, options, target=target, revision=revision, dirty=dirty,
                   started_at=started_at, t0=t0)


_Loaded = tuple[Path, Scenario | None, str | None]  # a file, its scenario or why it has none


def _load_scenarios(files: list[Path]) -> list[_Loaded]:
    """Each file's scenario, or the error that stops it (unreadable, or a repeated id)."""
    loaded: list[_Loaded] = []
    seen: dict[str, Path] = {}
    for path in files:
        try:
            s = load_scenario(path)
        except ScenarioError as exc:
            loaded.append((path, None, f"ScenarioError: {exc.message}"))
            continue
        if s.id in seen:
            loaded.append((path, None, f"ScenarioError: {path}: id {s.id!r} is already used "
                                       f"by {seen[s.id]}"))
            continue
        seen[s.id] = path
        loaded.append((path, s, None))
    return loaded


def _run_scenarios(loaded: list[_Loaded], options: RunOptions,
                   progress: ProgressFn | None) -> list[dict[str, Any]]:
    """Every scenario's entry, in file order (``options.jobs`` at once), in a temp work dir."""
    stores = StoreCache(options.cache_dir)
    work_root = Path(tempfile.mkdtemp(prefix="huddle-eval-"))
    results: list[dict[str, Any] | None] = [None] * len(loaded)
    done = 0
    done_lock = threading.Lock()

    def one(index: int) -> None:
        nonlocal done
        path, scenario, error = loaded[index]
        if scenario is None:
            entry = _scenario_entry(None, path, error)
        else:
            work = work_root / f"{index:03d}-{_safe_name(scenario.id)}"
            work.mkdir(parents=True)
            entry = run_scenario(scenario, options, stores, work)
        results[index] = entry
        with done_lock:
            done += 1
            if progress is not None:
                progress(done, len(loaded), entry)

    try:
        if options.jobs <= 1:
            for i in range(len(loaded)):
                one(i)
        else:
            with ThreadPoolExecutor(max_workers=options.jobs,
                                    thread_name_prefix="eval") as pool:
                for f in [pool.submit(one, i) for i in range(len(loaded))]:
                    f.result()
    finally:
        if options.keep_work:
            log.info("eval work folder kept: %s", work_root)
        else:
            shutil.rmtree(work_root, ignore_errors=True)
    return [r for r in results if r is not None]


def _report(scenarios: list[dict[str, Any]], skipped: list[Skipped], options: RunOptions, *,
            target: str | Path, revision: str, dirty: bool | None, started_at: dt.datetime,
            t0: float) -> dict[str, Any]:
    """The run's report: what ran (model, prompts, code, counts), the aggregate, each entry.

    ``duration_s`` counts from ``t0`` (a ``perf_counter`` reading at the start) to now.
    """
    from evals.report import aggregate

    prompts: dict[str, str] = {}
    for r in scenarios:
        prompts.update(r["details"].get("prompts", {}))
    models = sorted({r["details"]["model"] for r in scenarios if r["details"].get("model")})
    agg, counts = aggregate(scenarios)
    model = ", ".join(models) if models else configured_model(options)
    judge: dict[str, Any] = {}
    judge_prompt = None
    if options.judge:
        from evals.judge import judge_aggregate, prompt_id

        judge = {"judge_aggregate": judge_aggregate(scenarios)}
        judge_prompt = prompt_id()
    return {
        "run": {
            "model": model,
            "models": models,
            "prompts": dict(sorted(prompts.items())),
            "git_revision": revision,
            "git_dirty": dirty,
            "started": started_at.isoformat(timespec="seconds"),
            "duration_s": round(time.perf_counter() - t0, 3),
            "scenarios_path": str(target),
            "jobs": options.jobs,
            "llm_cache": options.llm_cache,
            "judge": ({"model": options.judge_model or model, "prompt": judge_prompt}
                      if options.judge else None),
            "cache_dir": str(options.cache_dir),
            "counts": {
                "scenarios": len(scenarios),
                "errors": sum(1 for r in scenarios if r["error"]),
                "unscored": sum(len(r["unscored"]) for r in scenarios),
                "skipped_files": len(skipped),
            },
            "skipped": [s.as_dict() for s in skipped],
        },
        "aggregate": agg,
        "aggregate_counts": counts,
        **judge,
        "scenarios": scenarios,
    }


__all__ = ["RunOptions", "RecordingGateway", "StoreCache", "Skipped", "kb_digest", "run",
           "run_scenario", "git_revision"]

"""Prep-all in the background: a detached process drafts tomorrow's plans overnight.

``huddle prep-all --background`` (through :meth:`assistant.service.Huddle.start_prep_all`)
writes a job file, takes the data directory's prep-all lock and starts a child process in a
new session (it survives closing the terminal and the app), handing the lock to the child.
The child (``huddle prep-all --run-job JOB``, :func:`run_job`) loads the model once, drafts
every meeting through :func:`assistant.meetings.prepare_all` (the same saved plans the app
opens), and keeps ``status.json`` up to date: per meeting ``queued`` / ``running`` /
``ready`` / ``failed`` / ``skipped``, the plan id, the error, the seconds taken, and an
estimate of what is left. Everything it prints goes to ``run.log``.

Files, all in ``<data dir>/prep-all/``:

- ``lock``: ``flock``-ed by the running child for its whole life; the kernel releases it when
  the process ends, however it ends. A second start finds it held and is refused, naming the
  log. Only one background run per data directory.
- ``status.json``: replaced atomically (temp file + ``os.replace``) on every change, so a
  reader sees the previous or the next state, never half of one.
- ``job.json``: what the child runs (KB, data dir, model, meeting ids, options).
- ``run.log``: the child's output, appended.

A run that ends without finishing (killed, crashed, machine restarted) leaves its status
``running`` with the lock free: :func:`read_status` reports it ``crashed``, and every meeting
it had not finished ``failed`` with the reason; a meeting's plan is saved in one transaction
(``assistant.records``), so a crash leaves either the whole plan or none.

The estimate (:func:`estimate_seconds`): the median time of the last plans this model drafted
without the response cache (their ``provenance.timings``), else a default per kind of model;
once a meeting of the run has finished, the mean of this run's meetings.

The run checks the index before its first meeting and, if another process (the app starting)
is writing it, waits up to :data:`STORE_WAIT_S` instead of failing the night; the app's start
waits for a running background run's check the same way (``Huddle.ensure_ingested(wait_s=)``).

Times are stamps from the service's clock; durations use ``time.perf_counter``. Touches the
data directory's ``prep-all/`` folder and starts one process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import signal
import statistics
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.errors import HuddleError

if TYPE_CHECKING:
    from assistant.clock import Clock
    from assistant.meetings import PrepOutcome, UpcomingMeeting
    from assistant.records import Records

FOLDER = "prep-all"
STATES = ("queued", "running", "ready", "failed", "skipped")
RUN_STATES = ("starting", "running", "finished", "failed", "crashed")
DEFAULT_LOCAL_SECONDS = 60.0  # a plan with the embedded model on 2 cores (46-80 s measured)
DEFAULT_HOSTED_SECONDS = 20.0
HISTORY = 10  # recent plans the estimate looks at
STORE_WAIT_S = 600  # how long the run waits for another process writing the index


class PrepAllRunning(HuddleError):
    title = "Prep-all is running"


@dataclass(frozen=True)
class RunPaths:
    """Where one data directory's background prep-all keeps its files."""

    folder: Path

    @classmethod
    def of(cls, data_dir: str | Path) -> RunPaths:
        return cls(Path(data_dir) / FOLDER)

    @property
    def lock(self) -> Path:
        return self.folder / "lock"

    @property
    def status(self) -> Path:
        return self.folder / "status.json"

    @property
    def job(self) -> Path:
        return self.folder / "job.json"

    @property
    def log(self) -> Path:
        return self.folder / "run.log"


@dataclass
class MeetingState:
    """One meeting of a background run."""

    meeting_id: str
    account: str
    kind: str
    starts_at: str
    state: str = "queued"
    plan_id: str | None = None
    error: str | None = None
    step: str | None = None
    seconds: float | None = None
    started_at: str | None = None
    finished_at: str | None = None


@dataclass
class RunStatus:
    """What ``status.json`` holds: the run and each of its meetings."""

    run_id: str
    day: str
    model: str
    log: str
    state: str = "starting"
    pid: int | None = None
    started_at: str = ""
    updated_at: str = ""
    finished_at: str | None = None
    error: str | None = None
    estimate_s: float = DEFAULT_LOCAL_SECONDS
    """Seconds one meeting is expected to take (see :func:`estimate_seconds`)."""
    meetings: list[MeetingState] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunStatus:
        rows = [MeetingState(**m) for m in data.get("meetings", [])]
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{**known, "meetings": rows})

    @property
    def active(self) -> bool:
        return self.state in ("starting", "running")

    def by_meeting(self) -> dict[str, MeetingState]:
        return {m.meeting_id: m for m in self.meetings}

    def counts(self) -> dict[str, int]:
        return {s: sum(1 for m in self.meetings if m.state == s) for s in STATES}

    def remaining_s(self, now: dt.datetime | None = None) -> float:
        """Seconds left by the estimate (:func:`seconds_left`) for the queued meetings and
        the running one (what it has spent by ``now``)."""
        spent = [max(0.0, (now - dt.datetime.fromisoformat(m.started_at)).total_seconds())
                 if now is not None and m.started_at else 0.0
                 for m in self.meetings if m.state == "running"]
        queued = sum(1 for m in self.meetings if m.state == "queued")
        return seconds_left(self.estimate_s, queued, running_spent=spent)


def seconds_left(each_s: float, queued: int, *, jobs: int = 1,
                 running_spent: Sequence[float] = ()) -> float:
    """Seconds left when a meeting takes about ``each_s``: each queued meeting's, and what
    each running one has left after the seconds it has spent (at least a tenth of its
    estimate: it may run over), ``jobs`` meetings at a time. The one estimate of time left
    for the CLI and the app, foreground or background."""
    left = queued * each_s + sum(max(each_s - s, each_s / 10) for s in running_spent)
    return left / max(1, jobs)


@dataclass
class RunningEstimate:
    """Seconds a meeting takes during one run: the stored estimate
    (:func:`estimate_seconds`) until a meeting finishes, then the mean of those finished.
    The one rule for the CLI's progress, the background run's status and the app."""

    start_s: float
    taken: list[float] = field(default_factory=list)

    @property
    def each(self) -> float:
        return round(statistics.mean(self.taken), 1) if self.taken else self.start_s

    def finished(self, seconds: float) -> float:
        """Count a finished meeting; the new estimate."""
        self.taken.append(float(seconds))
        return self.each


def duration_text(seconds: float) -> str:
    """A time left for people: ``45 s`` under a minute and a half, else ``12 min``."""
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.0f} min"


# ---- files ------------------------------------------------------------------------------


def atomic_write(path: Path, text: str) -> None:
    """``assistant.reflect.writes.atomic_write``, imported when a file is written: that
    module loads the reflection's models (pydantic, ~0.3 s), and the app's Home screen
    imports this module for ``duration_text`` before its first paint."""
    from assistant.reflect.writes import atomic_write as write

    write(path, text)


def _write_status(paths: RunPaths, status: RunStatus) -> None:
    atomic_write(paths.status, json.dumps(status.as_dict(), indent=2) + "\n")


def _try_lock(paths: RunPaths) -> int | None:
    """An fd holding the run lock, or None when another process holds it."""
    import fcntl

    paths.folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(paths.lock, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def _holding_lock(paths: RunPaths) -> Iterator[bool]:
    """Hold the lock for the block when it is free (yields True), else yields False."""
    fd = _try_lock(paths)
    try:
        yield fd is not None
    finally:
        if fd is not None:
            os.close(fd)


def _load(paths: RunPaths) -> RunStatus | None:
    """The status file as it is (None when there is none): the one reader of it. A damaged
    file raises :class:`HuddleError` saying what to do."""
    try:
        return RunStatus.from_dict(json.loads(paths.status.read_text(encoding="utf-8")))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, AttributeError) as exc:
        raise HuddleError(f"{paths.status} is unreadable ({exc}); delete it and run "
                          "prep-all again (plans already drafted are kept)",
                          title="Prep-all status") from exc


def read_status(data_dir: str | Path, *, clock: Clock | None = None) -> RunStatus | None:
    """The last background run of this data directory (None when there was none).

    A run whose status says it is active while nobody holds the lock has ended without
    finishing: it is reported (and stored) as ``crashed``, each meeting it had not finished
    as ``failed`` with the reason."""
    paths = RunPaths.of(data_dir)
    status = _load(paths)
    if status is None or not status.active:
        return status
    with _holding_lock(paths) as free:
        if not free:
            return status  # the run is alive
        return _crash_check(paths, clock)


def _crash_check(paths: RunPaths, clock: Clock | None) -> RunStatus | None:
    """With the run lock held: a status still active belongs to a run that died; it is
    marked (and stored) crashed."""
    status = _load(paths)
    if status is not None and status.active:
        _mark_crashed(status, clock)
        _write_status(paths, status)
    return status


def _mark_crashed(status: RunStatus, clock: Clock | None) -> None:
    who = f"process {status.pid}" if status.pid else "the background process"
    status.state = "crashed"
    status.error = (f"{who} ended before the run finished (killed, crashed or the machine "
                    f"restarted); see {status.log}")
    stamp = clock.stamp() if clock is not None else status.updated_at
    status.finished_at = status.updated_at = stamp
    for m in status.meetings:
        if m.state == "running":
            m.state, m.error = "failed", ("the background run stopped while drafting this "
                                          "meeting; no plan was saved. Run prep-all again")
        elif m.state == "queued":
            m.state, m.error = "failed", ("not started: the background run stopped first. "
                                          "Run prep-all again")


# ---- the estimate -----------------------------------------------------------------------


def estimate_seconds(records: Records, model: str, *, local: bool) -> float:
    """Seconds one plan is expected to take with ``model``: the median of the last plans it
    drafted that really ran the model (no cached answers), else a default."""
    times: list[float] = []
    for row in records.list_plans(limit=HISTORY * 3):
        if len(times) >= HISTORY:
            break
        if row.get("model") != model:
            continue
        try:
            p = records.get_plan(row["id"]).provenance
        except HuddleError:
            continue
        seconds = sum(p.timings.values())
        if p.usage.calls and not p.usage.cached_calls and seconds > 0:
            times.append(seconds)
    if times:
        return round(min(max(statistics.median(times), 1.0), 1800.0), 1)
    return DEFAULT_LOCAL_SECONDS if local else DEFAULT_HOSTED_SECONDS


# ---- the parent: start a run ------------------------------------------------------------


def child_command() -> list[str]:
    """The command that runs a job (the job file and the lock fd are appended)."""
    return [sys.executable, "-m", "cli", "prep-all"]


@dataclass
class Job:
    """What the child runs; written to ``job.json``."""

    run_id: str
    kb: str
    data_dir: str
    model: str
    day: str
    meeting_ids: list[str]
    redo: bool = False
    jobs: int = 1

    @classmethod
    def read(cls, path: str | Path) -> Job:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})
        except (OSError, ValueError, TypeError) as exc:
            raise HuddleError(f"cannot read the prep-all job {path}: {exc}",
                              title="Prep-all") from exc


def _refuse_running(paths: RunPaths) -> PrepAllRunning:
    try:
        status = _load(paths)
    except HuddleError:
        status = None
    who = "" if status is None else (
        f" (process {status.pid}, started {status.started_at}, for {status.day})")
    return PrepAllRunning(
        f"a background prep-all is already running in this data directory{who}; its log: "
        f"{paths.log}. `huddle prep-all --status` shows how far it got; wait for it to end "
        "or stop that process first")


def start(job: Job, meetings: list[UpcomingMeeting], *, clock: Clock, estimate_s: float,
          command: Sequence[str] | None = None) -> RunStatus:
    """Start ``job`` in a detached child process; return the status it starts from.

    Refused (:class:`PrepAllRunning`) while another run holds the lock. The lock is taken
    here and handed to the child, so two starts at once cannot both get through."""
    paths = RunPaths.of(job.data_dir)
    fd = _try_lock(paths)
    if fd is None:
        raise _refuse_running(paths)
    try:
        stamp = clock.stamp()
        status = RunStatus(
            run_id=job.run_id, day=job.day, model=job.model, log=str(paths.log),
            state="starting", started_at=stamp, updated_at=stamp, estimate_s=estimate_s,
            meetings=[MeetingState(m.id, m.account, m.kind, m.starts_at.isoformat(),
                                   state="skipped" if m.plan_id and not job.redo else "queued",
                                   plan_id=m.plan_id if not job.redo else None)
                      for m in meetings])
        atomic_write(paths.job, json.dumps(asdict(job), indent=2) + "\n")
        _write_status(paths, status)
        argv = [*(command or child_command()), "--run-job", str(paths.job),
                "--lock-fd", str(fd)]
        with open(paths.log, "a", encoding="utf-8") as log:
            log.write(f"--- {stamp} prep-all {job.run_id} for {job.day}: "
                      f"{len(meetings)} meeting(s), {job.model}\n")
            log.flush()
            child = subprocess.Popen(
                argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True, pass_fds=(fd,), close_fds=True)
        status.pid = child.pid
        return status
    finally:
        os.close(fd)  # the child holds the lock now (its copy of the descriptor)


def new_run_id(clock: Clock) -> str:
    return f"run-{clock.now():%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"


# ---- the child: run a job ---------------------------------------------------------------


class RunRecorder:
    """Keeps ``status.json`` in step with a prep-all run (thread-safe)."""

    def __init__(self, paths: RunPaths, status: RunStatus, clock: Clock) -> None:
        self.paths, self.status, self.clock = paths, status, clock
        self._lock = threading.Lock()
        self._estimate = RunningEstimate(status.estimate_s)

    def save(self) -> None:
        self.status.updated_at = self.clock.stamp()
        _write_status(self.paths, self.status)

    def on_progress(self, kind: str, data: dict[str, Any]) -> None:
        with self._lock:
            row = self.status.by_meeting().get(data.get("meeting_id", ""))
            if row is None:
                return
            if kind == "meeting_started":
                row.state, row.started_at, row.step = "running", self.clock.stamp(), None
            elif kind == "step":
                if data.get("event") != "node_started":
                    return
                row.step = data.get("node")
            elif kind == "meeting_finished":
                row.state, row.plan_id, row.step = "ready", data["plan_id"], None
                row.seconds = round(float(data["seconds"]), 1)
                row.finished_at = self.clock.stamp()
                self.status.estimate_s = self._estimate.finished(row.seconds)
            elif kind == "meeting_failed":
                row.state, row.error, row.step = "failed", data.get("error"), None
                row.finished_at = self.clock.stamp()
            elif kind == "meeting_skipped":
                row.state, row.plan_id = "skipped", data.get("plan_id")
            else:
                return
            self.save()
            if kind != "step":
                self._log(row)

    def _log(self, row: MeetingState) -> None:
        detail = row.plan_id if row.state in ("ready", "skipped") else row.error or ""
        took = f" in {row.seconds:.0f}s" if row.seconds is not None else ""
        print(f"{self.status.updated_at} {row.meeting_id} {row.account} {row.kind}: "
              f"{row.state}{took} {detail or ''}".rstrip(), flush=True)

    def finish(self, outcomes: list[PrepOutcome]) -> None:
        with self._lock:
            rows = self.status.by_meeting()
            for o in outcomes:  # a meeting never started (cancelled) is failed, not queued
                row = rows.get(o.meeting.id)
                if row is not None and row.state in ("queued", "running"):
                    row.state, row.error = "failed", o.error or "not drafted"
            self.status.state = "finished"
            self.status.finished_at = self.clock.stamp()
            self.save()

    def fail(self, error: str) -> None:
        with self._lock:
            for row in self.status.meetings:
                if row.state in ("queued", "running"):
                    row.state, row.error = "failed", f"the run stopped: {error}"
            self.status.state, self.status.error = "failed", error
            self.status.finished_at = self.clock.stamp()
            self.save()


def run_job(job: Job, *, lock_fd: int | None, clock: Clock,
            prepare_all: Callable[..., list[PrepOutcome]],
            meetings: Callable[[list[str]], list[UpcomingMeeting]]) -> RunStatus:
    """The child's work: hold the lock, draft each meeting, keep ``status.json`` current.

    ``prepare_all`` is the service's (``Huddle.prepare_all``), ``meetings`` loads the
    job's meetings by id. SIGTERM ends the run with the unfinished meetings ``failed``;
    SIGHUP and SIGINT are ignored (the terminal that started it may close)."""
    paths = RunPaths.of(job.data_dir)
    fd = lock_fd
    if fd is None:
        fd = _try_lock(paths)
        if fd is None:
            raise _refuse_running(paths)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # ours already: this only checks
    try:
        status = _load(paths)  # we hold the lock: the run it names is this one or dead
        if status is None or status.run_id != job.run_id:
            raise HuddleError(f"{paths.status} is not the status of run {job.run_id}",
                              title="Prep-all")
        status.state, status.pid = "running", os.getpid()
        recorder = RunRecorder(paths, status, clock)
        recorder.save()
        for sig in (signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_IGN)
        stop = threading.Event()

        def on_term(signum: int, frame: Any) -> None:
            stop.set()

        signal.signal(signal.SIGTERM, on_term)
        try:
            todo = meetings(job.meeting_ids)
            outcomes = prepare_all(todo, jobs=job.jobs, on_progress=recorder.on_progress,
                                   should_stop=stop.is_set, redo=job.redo)
        except Exception as exc:
            recorder.fail(f"{type(exc).__name__}: {exc}")
            raise
        if stop.is_set():
            recorder.fail("stopped (SIGTERM)")
        else:
            recorder.finish(outcomes)
        return recorder.status
    finally:
        os.close(fd)

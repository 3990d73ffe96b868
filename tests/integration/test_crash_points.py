"""Kill a real child process at the crash points of a reflection's writes and of a prep,
recover in this process, and assert nothing is stuck, lost or doubled
(tests/crash_harness.py; ``knowledge.faults`` ends the child with ``os._exit``).

The suite kills once at each write step (about 7 s a kill on the 2-core box);
``python -m benchmarks.crash --trials 20`` kills 20 times at every crash point (about 50
minutes: too long for CI, so it is a benchmark that prints its counts, not a test).
"""

from __future__ import annotations

from pathlib import Path

from tests import crash_harness as ch

# The write steps: each leaves a file or a row behind before its checkpoint is saved.
REFLECT_WRITES = ["after:confirm:1", "atomic_write.tmp:1", "atomic_write.replaced:1",
                  "after:write_account:1", "ledger.signal:1", "store.vectors:1",
                  "after:finish:1"]
PREP_WRITES = ["records.plan:1"]


def _assert_clean(tally: ch.Tally) -> None:
    assert tally.problems == []
    totals = tally.totals()
    assert totals["stuck"] == totals["lost"] == totals["doubled"] == 0
    assert totals["not_killed"] == 0, "a crash point was not reached"


def test_a_kill_at_each_write_step_of_a_reflection_recovers_exactly_once(
        tmp_path: Path) -> None:
    tally = ch.run_all(["reflect"], 1, tmp_path, only=REFLECT_WRITES)
    assert sum(tally.trials.values()) == len(REFLECT_WRITES)
    _assert_clean(tally)


def test_a_kill_while_saving_a_plan_leaves_one_whole_plan(tmp_path: Path) -> None:
    tally = ch.run_all(["prep"], 1, tmp_path, only=PREP_WRITES)
    assert sum(tally.trials.values()) == len(PREP_WRITES)
    _assert_clean(tally)

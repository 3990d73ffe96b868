"""Issue 11: ICP evidence needs a committed line; a hedge or a one-word maybe is none."""

from __future__ import annotations

from assistant.reflect.validate import committed


def test_a_hedge_or_a_fragment_commits_to_nothing() -> None:
    for line in ("Maybe.", "Depends.", "Could be, we'll see what the board says.",
                 "Perhaps in the autumn.", "Sure.", "Not really."):
        assert not committed(line), line


def test_a_plain_decision_is_committed() -> None:
    for line in ("We signed with the other vendor on Monday.", "We're going with you, send it.",
                 "No, we renewed the old system for three years."):
        assert committed(line), line

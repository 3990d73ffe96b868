"""Two kinds of sentence a rep would strike from a reflection's facts: a sentence about the
conversation itself, and how long something has gone on filed as a timeline
(``assistant.reflect.fields``)."""

from __future__ import annotations

import pytest

from assistant.reflect.fields import TALK_ABOUT_TALK, misfiled


@pytest.mark.parametrize("said", [
    "That was going to be my question.", "Good question.", "Fair point.", "That's my question.",
])
def test_talk_about_the_talk_is_no_fact(said: str) -> None:
    assert TALK_ABOUT_TALK.search(said)


@pytest.mark.parametrize("said", [
    "That's a good question, we need SSO before anyone logs in.",
    "The question is whether the pharmacy board signs.",
    "My point is the price per store.",
])
def test_a_sentence_that_says_something_stays(said: str) -> None:
    assert not TALK_ABOUT_TALK.search(said)


def test_how_long_something_went_on_sets_no_timeline() -> None:
    said = "She has been chasing refills all week."
    assert misfiled("timeline", said, said) is not None
    dated = "We open the second store all week of April 6."
    assert misfiled("timeline", dated, dated) is None

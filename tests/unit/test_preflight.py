"""The pre-flight check lists what a careful member would fix before posting."""

from __future__ import annotations

from termforum.models import PostLimits
from termforum.preflight import PostCheck, check_post

GOOD_BODY = "I searched the group and the docs, and here is what I tried so far."


def test_a_careful_new_topic_passes() -> None:
    check = PostCheck(
        body=GOOD_BODY,
        title="How do I follow only my field's tags?",
        similar_shown=3,
        similar_opened=1,
        first_post=True,
    )
    assert check_post(check) == []


def test_short_title_empty_body_and_unopened_similar_topics_are_listed() -> None:
    problems = check_post(PostCheck(body="  ", title="Help", similar_shown=2, first_post=True))
    assert len(problems) == 3
    assert "title is 4 characters" in problems[0] and "at least 15" in problems[0]
    assert problems[1] == "The post is empty."
    assert problems[2].startswith("2 similar topics look like yours")


def test_shouting_title_is_flagged_but_acronyms_are_not() -> None:
    assert any("capital" in p for p in check_post(PostCheck(GOOD_BODY, "PLEASE HELP ME NOW")))
    assert check_post(PostCheck(GOOD_BODY, "Using SSH and TMUX for forum work")) == []


def test_limits_come_from_the_forum() -> None:
    limits = PostLimits(min_post_length=5, min_topic_title_length=3)
    assert check_post(PostCheck("short", "Why?"), limits) == []
    assert check_post(PostCheck("tiny"), limits) == [
        "The post is 4 characters; the forum asks for at least 5."
    ]


def test_replies_have_no_title_checks() -> None:
    assert check_post(PostCheck(GOOD_BODY)) == []

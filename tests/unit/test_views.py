"""Topic-list views by name: what needs an account, how a view reads, how it is kept."""

from __future__ import annotations

import pytest

from termforum.models import TOP_PERIODS, TOPIC_VIEWS
from termforum.views import available, describe_view, parse_view_key, view_choices, view_key


def test_member_views_need_an_account() -> None:
    for view in ("new", "unread", "posted", "bookmarks"):
        assert available(view, logged_in=True) and not available(view, logged_in=False)
    for view in ("latest", "top", "hot"):
        assert available(view, logged_in=False)
    assert not available("controversial", logged_in=True)


def test_views_read_as_people_say_them() -> None:
    assert describe_view("top", "weekly") == "top this week"
    assert describe_view("top", "all") == "top of all time"
    assert describe_view("top") == "top"
    assert describe_view("posted") == "posted"


@pytest.mark.parametrize("view", TOPIC_VIEWS)
def test_view_keys_round_trip(view: str) -> None:
    periods = TOP_PERIODS if view == "top" else (None,)
    for period in periods:
        assert parse_view_key(view_key(view, period)) == (view, period)


def test_keys_from_older_or_edited_files_still_read() -> None:
    assert parse_view_key("top") == ("top", None)  # before periods were kept
    assert parse_view_key("top/fortnightly") == ("top", None)
    assert parse_view_key("latest/weekly") == ("latest", None)
    assert parse_view_key("trending") is None


def test_every_view_and_period_can_be_chosen_once() -> None:
    choices = view_choices()
    assert len(choices) == len(set(choices)) == len(TOPIC_VIEWS) - 1 + len(TOP_PERIODS)
    assert choices[0] == ("latest", None)
    assert [p for v, p in choices if v == "top"] == list(TOP_PERIODS)

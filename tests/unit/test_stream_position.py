"""Where a post number is in a thread's stream when only some posts are loaded (opening a
topic at a search hit or where reading resumes, with the cache holding a window of posts)."""

from __future__ import annotations

from collections.abc import Container
from datetime import UTC, datetime
from types import SimpleNamespace

from termforum.models import Post
from termforum.ui.screens.main import MainScreen

WHEN = datetime(2026, 11, 20, tzinfo=UTC)


def _state(loaded: Container[int], *, deleted: frozenset[int] = frozenset()) -> SimpleNamespace:
    """1,000 posts numbered 1…; the ``deleted`` numbers are gone from the stream."""
    numbers = [n for n in range(1, 1001 + len(deleted)) if n not in deleted][:1000]
    ids = tuple(f"p{n}" for n in numbers)
    posts = {
        f"p{n}": Post(f"p{n}", "7", n, "ada", WHEN, "<p>x</p>")
        for index, n in enumerate(numbers)
        if index in loaded
    }
    return SimpleNamespace(thread=SimpleNamespace(post_ids=ids), posts=posts)


def test_a_loaded_post_is_found_exactly() -> None:
    assert MainScreen._index_for_number(_state(range(290, 350)), 300) == 299


def test_a_post_before_the_loaded_window_is_not_put_at_the_window() -> None:
    # Post 1 is not loaded (the cache read a window around post 300): it is at the start.
    assert MainScreen._index_for_number(_state(range(290, 350)), 1) == 0
    assert MainScreen._index_for_number(_state(range(290, 350)), 250) == 249


def test_a_post_after_the_loaded_window_is_estimated_from_it() -> None:
    assert MainScreen._index_for_number(_state(range(60)), 500) == 499
    assert MainScreen._index_for_number(_state(range(60)), 5000) == 999  # clamped


def test_a_post_between_loaded_ones_is_estimated_from_its_neighbours() -> None:
    state = _state(set(range(3)) | set(range(8, 20)))
    assert MainScreen._index_for_number(state, 6) == 5


def test_gaps_left_by_deleted_posts_are_allowed_for() -> None:
    state = _state(range(20), deleted=frozenset({5, 6, 7}))
    assert MainScreen._index_for_number(state, 10) == 6  # p1…p4, p8, p9, p10

"""Unread and new with a Discourse forum, replaying recorded responses: what the topic lists
say a user has not read, how that joins what was read here, and what "mark read" asks of the
forum."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from termforum.backends.discourse import DiscourseBackend
from termforum.errors import AuthError
from termforum.models import Topic
from termforum.unread import ReadCounts, count_unread, last_post_number, with_read_state
from tests.unit.test_discourse_read import FakeForum as ReadForum
from tests.unit.test_discourse_write import (
    ANONYMOUS,
    USER,
    FakeForum,
    fixture,
    json_error,
)

Connect = Callable[..., DiscourseBackend]
"""The ``connect`` fixture (tests/unit/conftest.py): ``connect(forum, credentials)``."""


# Reading: what the lists say --------------------------------------------------------------------


async def test_new_topics_are_marked_unseen(connect: Connect) -> None:
    forum = ReadForum({"/new.json": fixture("gem/new.json")})
    page = await connect(forum, credentials=None).topics(view="new")
    assert [t.unseen for t in page.topics] == [True, True, True]
    assert all(t.last_read_post_number is None for t in page.topics)


async def test_read_topics_carry_the_last_post_read_there(connect: Connect) -> None:
    forum = ReadForum({"/latest.json": fixture("gem/category_latest_topics.json")})
    page = await connect(forum, credentials=None).topics()
    first = page.topics[0]
    assert (first.unseen, first.last_read_post_number, first.highest_post_number) == (False, 2, 2)
    assert first.unread_posts == 0


# Joining with what was read here ----------------------------------------------------------------


def _topic(**fields: object) -> Topic:
    base = Topic(
        id="7",
        group_id="1",
        title="A topic",
        author="ana",
        posts_count=10,
        created_at=None,
        last_posted_at=None,
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def test_reading_here_counts_when_the_forum_knows_less() -> None:
    forum_says = _topic(unseen=True, highest_post_number=12)
    (joined,) = with_read_state([forum_says], {"7": 4})
    assert (joined.unseen, joined.unread_posts) == (False, 8)


def test_the_forum_counts_when_it_knows_more() -> None:
    read_elsewhere = _topic(last_read_post_number=9, unread_posts=1)
    (joined,) = with_read_state([read_elsewhere], {"7": 4})
    assert joined is read_elsewhere


def test_topics_not_read_here_are_left_as_the_forum_says() -> None:
    topic = _topic(unseen=True)
    assert with_read_state([topic], {}) == [topic]


def test_last_post_number_counts_deleted_posts() -> None:
    assert last_post_number(_topic(posts_count=10, highest_post_number=13)) == 13
    assert last_post_number(_topic(posts_count=10)) == 10


def test_counts_say_how_many_topics_are_new_and_unread() -> None:
    topics = [_topic(unseen=True), _topic(unread_posts=3), _topic(unread_posts=1), _topic()]
    counts = count_unread(topics)
    assert counts == ReadCounts(new=1, unread=2)
    assert counts.describe() == "1 new · 2 unread"
    assert count_unread([_topic()]).describe() == ""


# Marking read on the forum ----------------------------------------------------------------------


async def test_dismiss_asks_for_unread_then_new_of_the_category(connect: Connect) -> None:
    forum = FakeForum(
        {
            ("PUT", "/topics/bulk.json"): {"topic_ids": [4, 5]},
            ("PUT", "/topics/reset-new.json"): {"success": "OK", "topic_ids": [9]},
        }
    )
    await connect(forum, USER).dismiss("12")
    assert forum.calls == [("PUT", "/topics/bulk.json"), ("PUT", "/topics/reset-new.json")]
    assert forum.sent(0) == {
        "filter": "unread",
        "operation": {"type": "dismiss_posts"},
        "category_id": 12,
    }
    assert forum.sent(1) == {"category_id": 12}


async def test_dismiss_of_the_whole_forum_names_no_category(connect: Connect) -> None:
    forum = FakeForum(
        {
            ("PUT", "/topics/bulk.json"): {"topic_ids": []},
            ("PUT", "/topics/reset-new.json"): {"success": "OK"},
        }
    )
    await connect(forum, USER).dismiss(None)
    assert "category_id" not in forum.sent(0) and forum.sent(1) == {}


async def test_dismiss_sends_nothing_anonymously(connect: Connect) -> None:
    forum = FakeForum({})
    await connect(forum, ANONYMOUS).dismiss("12")
    assert forum.calls == []


async def test_a_refused_dismiss_is_an_auth_error_with_the_forum_s_words(connect: Connect) -> None:
    refusal = json_error(403, ["You are not permitted to view the requested resource."])
    forum = FakeForum({("PUT", "/topics/bulk.json"): refusal})
    try:
        await connect(forum, USER).dismiss("12")
    except AuthError as error:
        assert "not permitted" in error.message
    else:
        raise AssertionError("a 403 must raise AuthError")
    assert forum.calls == [("PUT", "/topics/bulk.json")]


# Views and tags: the address asked for ------------------------------------------------------------


async def test_a_tag_filter_asks_for_the_tag_s_list_in_the_view(connect: Connect) -> None:
    forum = ReadForum({"/tag/help me/l/top.json": fixture("gem/top.json")})
    page = await connect(forum, USER).topics(view="top", tag="help me", period="weekly")
    assert page.topics
    (request,) = forum.requests
    assert request.url.raw_path.startswith(b"/tag/help%20me/l/top.json?")
    assert request.url.params["period"] == "weekly"


async def test_a_tag_in_a_category_asks_for_the_category_s_tag_list(connect: Connect) -> None:
    forum = ReadForum(
        {
            "/site.json": {"categories": []},  # a site that loads its categories lazily
            "/categories.json": fixture("gem/categories.json"),
            "/tags/c/test1/1/api/l/latest.json": fixture("gem/latest.json"),
        }
    )
    backend = connect(forum, USER)
    groups = await backend.groups()
    group = next(g for g in groups if g.id == "1")
    page = await backend.topics(group.id, tag="api")
    assert page.topics
    assert forum.paths[-1] == "/tags/c/test1/1/api/l/latest.json"


async def test_my_activity_views_ask_for_posted_and_bookmarks(connect: Connect) -> None:
    forum = ReadForum(
        {"/posted.json": fixture("gem/latest.json"), "/bookmarks.json": fixture("gem/latest.json")}
    )
    backend = connect(forum, USER)
    await backend.topics(view="posted")
    await backend.topics(view="bookmarks")
    assert forum.paths == ["/posted.json", "/bookmarks.json"]

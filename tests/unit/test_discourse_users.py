"""DiscourseBackend.user: a member's card from their profile and its summary, replaying
recorded profiles (2014 and 2016 shapes) and a summary in ``UserSummarySerializer``'s shape.

No recording of ``/u/{username}/summary.json`` exists in the fixture sources; the summary
bodies below are built as Discourse's serializer builds them (counts on ``user_summary``,
top topics as ``topic_ids`` with the topics sideloaded at the root), with what each test
changes said in place.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from termforum.errors import BadResponse, NotFound, RateLimited
from tests.unit.test_discourse_read import FakeForum, fixture


def summary(**changes: Any) -> dict[str, Any]:
    """A ``/u/{username}/summary.json`` answer (``UserSummarySerializer``, anonymous view)."""
    topic = {
        "id": 10,
        "title": "Greetings &amp; welcome",
        "fancy_title": "Greetings &amp; welcome",
        "slug": "greetings-welcome",
        "posts_count": 4,
        "archetype": "regular",
        "reply_count": 2,
        "highest_post_number": 4,
        "created_at": "2016-10-28T09:00:00.000Z",
        "last_posted_at": "2016-11-02T12:37:03.103Z",
        "pinned": False,
        "visible": True,
        "closed": False,
        "archived": False,
        "category_id": 3,
        "like_count": 7,
    }
    other = {**topic, "id": 11, "title": "Second", "fancy_title": "Second", "like_count": 2}
    body: dict[str, Any] = {
        "topics": [other, topic],  # sideloaded: any order; topic_ids gives the order
        "user_summary": {
            "likes_given": 3,
            "likes_received": 12,
            "topics_entered": 9,
            "posts_read_count": 80,
            "days_visited": 6,
            "topic_count": 2,
            "post_count": 15,
            "time_read": 3600,
            "recent_time_read": 600,
            "can_see_summary_stats": True,
            "can_see_user_actions": True,
            "topic_ids": [10, 11],
            "replies": [{"post_number": 2, "like_count": 1, "created_at": "", "topic_id": 10}],
            "links": [],
            "most_liked_by_users": [],
            "most_liked_users": [],
            "most_replied_to_users": [],
            "badges": [],
            "top_categories": [],
        },
    }
    body["user_summary"].update(changes)
    return body


async def test_profile_and_summary_make_one_card_in_two_requests(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum(
        {
            "/u/discourse1.json": fixture("api_docs/users/get_user_response.json"),
            "/u/discourse1/summary.json": summary(),
        }
    )
    user = await connect(forum).user("discourse1")
    assert forum.paths == ["/u/discourse1.json", "/u/discourse1/summary.json"]
    assert (user.username, user.name, user.trust_level, user.title) == ("discourse1", None, 0, None)
    assert user.trust_level_name == "new user"
    assert user.admin and not user.moderator
    assert user.created_at == datetime(2016, 10, 27, 11, 43, 46, 817000, tzinfo=UTC)
    assert user.last_seen_at is not None and user.last_seen_at.day == 5
    counts = (user.post_count, user.topic_count, user.likes_received, user.likes_given)
    assert counts == (15, 2, 12, 3)
    assert (user.days_visited, user.time_read) == (6, 3600)
    assert [t.id for t in user.top_topics] == ["10", "11"]
    first = user.top_topics[0]
    assert (first.title, first.author, first.group_id, first.like_count) == (
        "Greetings & welcome",
        "discourse1",
        "3",
        7,
    )


async def test_a_2014_profile_without_summary_counts_from_its_stats(connect) -> None:  # type: ignore[no-untyped-def]
    profile = fixture("gem/user.json")  # stats: [{"action_type": 13, "count": 1}]
    profile["user"]["stats"] += [
        {"action_type": 2, "count": 5, "id": None},
        {"action_type": 4, "count": 2, "id": None},
        {"action_type": 5, "count": 7, "id": None},
    ]  # added: likes received, new topics, replies, as UserAction.stats lists them
    forum = FakeForum({"/u/test_user.json": profile})  # no summary route: 404
    user = await connect(forum).user("test_user")
    assert forum.paths == ["/u/test_user.json", "/u/test_user/summary.json"]
    assert (user.name, user.trust_level, user.title) == ("Test User", 0, None)
    assert user.created_at is not None and user.created_at.utcoffset() is not None
    assert (user.likes_received, user.topic_count, user.post_count) == (5, 2, 9)
    assert user.days_visited is None and user.top_topics == ()


async def test_the_recorded_2014_profile_as_is_reads_with_zero_counts(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum({"/u/test_user.json": fixture("gem/user.json")})
    user = await connect(forum).user("test_user")
    assert (user.username, user.likes_received, user.post_count) == ("test_user", 0, 0)


async def test_hidden_summary_stats_leave_the_counts_unknown(connect) -> None:  # type: ignore[no-untyped-def]
    hidden = summary(can_see_summary_stats=False)
    for key in ("likes_given", "likes_received", "days_visited", "topic_count", "post_count"):
        del hidden["user_summary"][key]  # include_*? is false when the stats are hidden
    forum = FakeForum(
        {
            "/u/discourse1.json": fixture("api_docs/users/get_user_response.json"),
            "/u/discourse1/summary.json": hidden,
        }
    )
    user = await connect(forum).user("discourse1")
    assert (user.likes_received, user.days_visited) == (None, None)
    assert [t.id for t in user.top_topics] == ["10", "11"]


async def test_any_username_is_sent_percent_encoded_whole(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum({})
    backend = connect(forum)
    odd = "a/b?c#d é"
    with pytest.raises(NotFound):
        await backend.user(odd)
    (request,) = forum.requests
    assert request.url.raw_path == b"/u/a%2Fb%3Fc%23d%20%C3%A9.json"


async def test_no_such_member_is_not_found_in_one_request(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum({})
    with pytest.raises(NotFound) as caught:
        await connect(forum).user("ghost")
    assert forum.paths == ["/u/ghost.json"]
    assert "ghost" in caught.value.message and "\n" not in caught.value.message


async def test_a_rate_limited_summary_is_said_not_hidden(connect) -> None:  # type: ignore[no-untyped-def]
    slow_down = httpx.Response(
        429,
        headers={"Retry-After": "30"},
        json={"errors": ["Slow down."], "error_type": "rate_limit", "extras": {}},
    )
    forum = FakeForum(
        {
            "/u/discourse1.json": fixture("api_docs/users/get_user_response.json"),
            "/u/discourse1/summary.json": slow_down,
        }
    )
    with pytest.raises(RateLimited):
        await connect(forum).user("discourse1")


async def test_a_profile_without_a_username_is_a_bad_response(connect) -> None:  # type: ignore[no-untyped-def]
    profile = fixture("api_docs/users/get_user_response.json")
    del profile["user"]["username"]
    forum = FakeForum({"/u/discourse1.json": profile})
    with pytest.raises(BadResponse):
        await connect(forum).user("discourse1")


async def test_odd_summary_topics_are_skipped_and_embedded_topics_accepted(connect) -> None:  # type: ignore[no-untyped-def]
    odd = summary()
    odd["topics"][0] = {"id": 11}  # no title: skipped, not fatal
    embedded = summary(topic_ids=None)
    embedded["user_summary"]["topics"] = embedded.pop("topics")  # objects inside, no ids
    forum = FakeForum(
        {
            "/u/a.json": fixture("api_docs/users/get_user_response.json"),
            "/u/a/summary.json": odd,
            "/u/b.json": fixture("api_docs/users/get_user_response.json"),
            "/u/b/summary.json": embedded,
        }
    )
    backend = connect(forum)
    assert [t.id for t in (await backend.user("a")).top_topics] == ["10"]
    assert [t.id for t in (await backend.user("b")).top_topics] == ["11", "10"]

"""Group notification levels with the Discourse backend and the service, replaying recorded
category shapes: what level each group shows, what is sent to change it, how refusals come
back, and that the cached group list follows a change."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from termforum.backends._discourse_parse import group_level
from termforum.backends.discourse import DiscourseBackend
from termforum.errors import AuthError, NotFound, Rejected
from termforum.models import GROUP_LEVELS
from termforum.net import make_client
from termforum.service import ForumService
from termforum.store import Cache
from tests.unit.test_discourse_write import BASE, USER, FakeForum, fixture, json_error

SITE = ("GET", "/site.json")
SET_7 = ("POST", "/category/7/notifications")


def site_with(*categories: dict[str, Any]) -> dict[str, Any]:
    """A ``/site.json`` body (the shape of OpenAPI ``getSite``) listing ``categories``."""
    return {"categories": list(categories), "notification_types": {}}


def category(ident: int, level: Any = ..., parent: int | None = None) -> dict[str, Any]:
    """The recorded current category object with another id, level and parent."""
    data = dict(fixture("api_docs/categories/update_category_response.json")["category"])
    data.update(id=ident, name=f"Group {ident}", slug=f"group-{ident}", position=ident)
    if parent is not None:
        data["parent_category_id"] = parent
    if level is not ...:
        data["notification_level"] = level
    return data


@pytest.fixture
async def connect() -> Iterator[Callable[..., DiscourseBackend]]:
    clients: list[httpx.AsyncClient] = []

    def _connect(forum: FakeForum, credentials: object | None = USER) -> DiscourseBackend:
        client = make_client(BASE, transport=httpx.MockTransport(forum))
        clients.append(client)
        return DiscourseBackend(BASE, http=client, credentials=credentials)  # type: ignore[arg-type]

    yield _connect
    for client in clients:
        await client.aclose()


@pytest.mark.parametrize(
    ("value", "level"),
    [
        (0, "muted"),
        (1, "normal"),
        (2, "tracking"),
        (3, "watching"),
        (4, "watching_first_post"),
        ("3", "watching"),
        ("regular", "normal"),
        (" Muted ", "muted"),
        (None, None),
        (7, None),
        (True, None),
        ("loud", None),
        (2.0, None),
    ],
)
def test_levels_are_read_tolerantly(value: object, level: str | None) -> None:
    assert group_level(value) == level


async def test_each_group_says_the_readers_level(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum(
        {SITE: site_with(category(7, 0), category(8, 3), category(9, 2, parent=7), category(10))}
    )
    groups = await connect(forum).groups()
    levels = {group.id: group.notification_level for group in groups}
    # The recorded object says null: unknown, not "normal".
    assert levels == {"7": "muted", "9": "tracking", "8": "watching", "10": None}


async def test_the_2014_category_list_without_levels_still_reads(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum(
        {
            SITE: {"categories": []},
            ("GET", "/categories.json"): fixture("gem/categories.json"),
        }
    )
    groups = await connect(forum).groups()
    assert [g.name for g in groups] == ["test1", "test2", "test3"]
    assert {g.notification_level for g in groups} == {None}


async def test_a_visitor_sees_no_level_because_the_forum_says_regular_to_everyone(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum({SITE: site_with(category(7, 1), category(8, 1))})
    backend = connect(forum, credentials=None)
    assert "group_levels" not in backend.capabilities
    assert {g.notification_level for g in await backend.groups()} == {None}
    assert "group_levels" in connect(forum).capabilities


async def test_changing_a_level_posts_its_number(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum({SET_7: fixture("gem/notification_success.json")})
    backend = connect(forum)
    for level, number in [("muted", 0), ("watching_first_post", 4), ("normal", 1)]:
        await backend.set_group_notification_level("7", level)
        assert forum.calls[-1] == SET_7
        assert forum.sent() == {"notification_level": number}
        assert forum.requests[-1].headers["user-api-key"]


async def test_an_unknown_level_is_refused_before_anything_is_sent(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum({SET_7: fixture("gem/notification_success.json")})
    with pytest.raises(Rejected):
        await connect(forum).set_group_notification_level("7", "loud")
    assert forum.requests == []


@pytest.mark.parametrize(
    ("answer", "credentials", "error", "words"),
    [
        (
            json_error(403, ["You need to be logged in to do that."], "not_logged_in"),
            None,
            AuthError,
            "Log in to change the group's notification level",
        ),
        (
            json_error(
                403, ["You are not permitted to view the requested resource."], "invalid_access"
            ),
            USER,
            AuthError,
            "not permitted",
        ),
        (
            json_error(404, ["The requested URL or resource could not be found."], "not_found"),
            USER,
            NotFound,
            "category 7",
        ),
        (
            json_error(
                400,
                ["You supplied invalid parameters to the request: notification_level"],
                "invalid_parameters",
            ),
            USER,
            Rejected,
            "notification_level",
        ),
    ],
)
async def test_refusals_are_typed_errors_in_one_sentence(  # type: ignore[no-untyped-def]
    connect, answer, credentials, error, words
) -> None:
    forum = FakeForum({SET_7: answer})
    with pytest.raises(error) as caught:
        await connect(forum, credentials=credentials).set_group_notification_level("7", "muted")
    assert words in caught.value.message and "\n" not in caught.value.message
    assert len(forum.requests) == 1  # a write is never retried


async def test_the_service_keeps_the_new_level_in_the_cached_groups(  # type: ignore[no-untyped-def]
    connect, tmp_path
) -> None:
    forum = FakeForum(
        {
            SITE: site_with(category(7, 1), category(9, 1, parent=7)),
            SET_7: {"success": "OK", "indirectly_muted_category_ids": [9]},
        }
    )
    cache = Cache.open(tmp_path / "cache.sqlite3")
    service = ForumService("test", BASE, connect(forum), cache=cache, credentials=USER)
    groups = await service.groups()
    service.cache.put_topic_page(None, "latest", 0, _empty_page())
    service.cache.put_topic_page("8", "latest", 0, _empty_page())
    updated = await service.set_group_level(groups[0], "muted")
    assert updated.notification_level == "muted"
    assert [g.notification_level for g in await service.groups()] == ["muted", "normal"]
    cached = service.cached_groups()
    assert cached is not None
    assert [g.notification_level for g in cached.value] == ["muted", "normal"]
    # The list of all groups no longer says what the forum lists; other groups' lists do.
    assert service.cached_topics(None) is None
    assert service.cached_topics("8") is not None
    cache.close()


async def test_a_refused_change_leaves_the_cached_groups_alone(connect, tmp_path) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum(
        {SITE: site_with(category(7, 1)), SET_7: json_error(403, ["No."], "invalid_access")}
    )
    cache = Cache.open(tmp_path / "cache.sqlite3")
    service = ForumService("test", BASE, connect(forum), cache=cache, credentials=USER)
    groups = await service.groups()
    with pytest.raises(AuthError):
        await service.set_group_level(groups[0], "muted")
    assert [g.notification_level for g in await service.groups()] == ["normal"]
    cached = service.cached_groups()
    assert cached is not None and cached.value[0].notification_level == "normal"
    cache.close()


def test_every_level_has_a_number() -> None:
    from termforum.backends._discourse_parse import level_number

    assert sorted(level_number(level) for level in GROUP_LEVELS) == [0, 1, 2, 3, 4]


def _empty_page():  # type: ignore[no-untyped-def]
    from termforum.models import TopicPage

    return TopicPage(topics=(), next_page=None)

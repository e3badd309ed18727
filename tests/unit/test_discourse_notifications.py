"""DiscourseBackend notifications, replaying recorded responses: what a user would be told
(who did what, in which topic, read or not) and what was asked of the forum."""

from __future__ import annotations

import json

import httpx

from termforum.errors import AuthError, BadResponse
from tests.unit.test_discourse_read import FakeForum, fixture


async def test_current_notifications_say_who_did_what_where(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum({"/notifications.json": fixture("api_docs/notifications/get.json")})
    notes = await connect(forum).notifications()
    assert forum.paths == ["/notifications.json"]
    badge, edited = notes
    assert (badge.id, badge.kind, badge.read, badge.topic_id) == ("3", "granted_badge", True, None)
    assert badge.actor == "blake.erickson"
    assert edited.kind == "private_message" and edited.actor == "discobot"
    assert (edited.topic_id, edited.post_number, edited.topic_title) == ("10", 1, "Greetings!")
    assert edited.created_at is not None and edited.created_at.year == 2019


async def test_the_2014_bare_list_without_ids_still_reads(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum({"/notifications.json": fixture("gem/notifications.json")})
    (note,) = await connect(forum).notifications()
    assert (note.kind, note.read, note.actor) == ("posted", False, "riking")
    assert note.topic_title == ".json feed for notifications"
    assert note.id  # made up from what, where and when: still tells it apart


async def test_html_entities_in_titles_are_decoded_and_unknown_types_named_other(connect) -> None:  # type: ignore[no-untyped-def]
    answer = fixture("api_docs/notifications/get.json")
    answer["notifications"][1]["data"]["topic_title"] = "Tabs &amp; spaces"
    answer["notifications"][0]["notification_type"] = 999
    forum = FakeForum({"/notifications.json": answer})
    notes = await connect(forum).notifications()
    assert notes[0].kind == "other" and notes[1].topic_title == "Tabs & spaces"


async def test_a_malformed_answer_is_said_in_one_sentence(connect) -> None:  # type: ignore[no-untyped-def]
    forum = FakeForum({"/notifications.json": {"notifications": "nope"}})
    try:
        await connect(forum).notifications()
    except BadResponse as error:
        assert "notifications" in error.message and "\n" not in error.message
    else:
        raise AssertionError("a malformed answer was accepted")


async def test_anonymous_reading_is_refused_with_an_auth_error(connect) -> None:  # type: ignore[no-untyped-def]
    refused = httpx.Response(
        403,
        json={
            "errors": ["You are not permitted to view the requested resource."],
            "error_type": "invalid_access",
        },
    )
    forum = FakeForum({"/notifications.json": refused})
    try:
        await connect(forum).notifications()
    except AuthError:
        pass
    else:
        raise AssertionError("a 403 was not an AuthError")


async def test_mark_read_sends_the_id_or_nothing_for_all(connect) -> None:  # type: ignore[no-untyped-def]
    success = fixture("gem/notification_success.json")
    forum = FakeForum({"/notifications/mark-read.json": success})
    backend = connect(forum)
    await backend.mark_notifications_read("42")
    await backend.mark_notifications_read()
    assert [request.method for request in forum.requests] == ["PUT", "PUT"]
    bodies = [json.loads(request.content or b"{}") for request in forum.requests]
    assert bodies == [{"id": 42}, {}]

"""The demo forum's notifications: made by replies, mentions and likes; listed, counted
and marked read over HTTP as Discourse does.

Requests go through ``httpx.ASGITransport``; each test gets its own copy of a seeded
database (seeding once per module) and a wall clock it moves by hand.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from termforum.demo import DemoApp, create_app
from termforum.demo import db as demo_db
from termforum.demo.db import DB_FILENAME
from tests.unit.conftest import upgraded_from
from tests.unit.test_demo_schema import validate

ASK_TOPIC = 45
"""Seed topic "How to ask a question that gets answered": #1 by elena, #2 by luca.b,
#4 by sam_ops."""
SAM_POST_NUMBER = 4
MENTIONED, REPLIED, LIKED = 1, 2, 5
NOT_LOGGED_IN = {"errors": ["You need to be logged in to do that."], "error_type": "not_logged_in"}
INVALID_ACCESS = {
    "errors": ["You are not permitted to view the requested resource."],
    "error_type": "invalid_access",
}


class WallClock:
    """The app's real-time clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: int = 1) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture
def clock() -> WallClock:
    return WallClock()


@pytest.fixture
def app(demo_template: Path, tmp_path: Path, clock: WallClock) -> Iterator[DemoApp]:
    shutil.copy(demo_template / DB_FILENAME, tmp_path / DB_FILENAME)
    demo = create_app(tmp_path, wall_clock=clock)
    yield demo
    demo.close()


@pytest.fixture
async def client(app: DemoApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
        yield c


@pytest.fixture
def you(app: DemoApp) -> dict[str, str]:
    """Headers of the demo account."""
    _, key = app.demo_credentials()
    return {"User-Api-Key": key}


def key_for(app: DemoApp, username: str, *scopes: str) -> dict[str, str]:
    """Headers of another seeded user (``User-Api-Key``; scopes read + write by default)."""
    return {"User-Api-Key": app.create_user_api_key(username, scopes=scopes or ("read", "write"))}


async def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.json()


async def post(client: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    return await ok(await client.post("/posts.json", headers=headers, json=body))


async def listing(client: httpx.AsyncClient, headers: dict[str, str], query: str = "") -> Any:
    return await ok(await client.get(f"/notifications.json{query}", headers=headers))


async def counts(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[str, int]:
    user = (await ok(await client.get("/session/current.json", headers=headers)))["current_user"]
    return {
        k: user[k]
        for k in (
            "unread_notifications",
            "unread_high_priority_notifications",
            "all_unread_notifications_count",
            "total_unread_notifications",
        )
    }


async def your_topic(client: httpx.AsyncClient, you: dict[str, str]) -> dict[str, Any]:
    """A topic the demo account starts (it has no seeded posts)."""
    return await post(
        client,
        you,
        title="Notifications for the demo account",
        raw="A first post that others can reply to and like.",
        category=8,
    )


# --------------------------------------------------------------------------- made by writes


async def test_the_seed_leaves_the_demo_account_without_notifications(
    client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    body = await listing(client, you)
    assert body == {
        "notifications": [],
        "total_rows_notifications": 0,
        "seen_notification_id": 0,
        "load_more_notifications": "/notifications?offset=60&username=you",
    }
    assert set((await counts(client, you)).values()) == {0}


async def test_a_reply_notifies_the_parent_author_and_not_the_replier(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    priya, sam, elena = (key_for(app, u) for u in ("priya", "sam_ops", "elena"))
    created = await post(
        client,
        priya,
        topic_id=ASK_TOPIC,
        raw="Answering the fourth post: yes, that works for me too.",
        reply_to_post_number=SAM_POST_NUMBER,
    )
    body = await listing(client, sam)
    validate("/notifications.json", body)
    [note] = body["notifications"]
    topic = await ok(await client.get(f"/t/{ASK_TOPIC}.json"))
    assert note == {
        "id": note["id"],
        "user_id": 11,
        "notification_type": REPLIED,
        "read": False,
        "high_priority": False,
        "created_at": created["created_at"],
        "post_number": created["post_number"],
        "topic_id": ASK_TOPIC,
        "fancy_title": topic["fancy_title"],
        "slug": topic["slug"],
        "data": {
            "topic_title": topic["title"],
            "original_post_id": created["id"],
            "original_post_type": 1,
            "original_username": "priya",
            "revision_number": None,
            "display_username": "priya",
        },
    }
    assert isinstance(note["id"], int)
    assert body["total_rows_notifications"] == 1
    assert (await listing(client, priya))["notifications"] == []
    # The reply answered sam_ops's post, not the topic: its author is not told.
    assert (await listing(client, elena))["notifications"] == []


async def test_a_reply_to_the_topic_notifies_its_author(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    priya, elena = key_for(app, "priya"), key_for(app, "elena")
    await post(client, priya, topic_id=ASK_TOPIC, raw="A reply to the whole topic, not a post.")
    [note] = (await listing(client, elena))["notifications"]
    assert note["notification_type"] == REPLIED
    assert note["data"]["display_username"] == "priya"


async def test_answering_oneself_notifies_nobody(app: DemoApp, client: httpx.AsyncClient) -> None:
    sam, elena = key_for(app, "sam_ops"), key_for(app, "elena")
    await post(
        client,
        sam,
        topic_id=ASK_TOPIC,
        raw="Adding to my own earlier answer in this topic.",
        reply_to_post_number=SAM_POST_NUMBER,
    )
    assert (await listing(client, sam))["notifications"] == []
    assert (await listing(client, elena))["notifications"] == []


async def test_mentions_notify_existing_users_outside_code_and_quotes(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    priya = key_for(app, "priya")
    raw = (
        "Thanks @SAM_OPS and @elena, also @sam_ops again, @nobody_by_that_name and @priya.\n\n"
        "Inline code: `@jonas`\n\n"
        "```\n@aiko in a fence\n```\n\n"
        '[quote="kwame, post:5, topic:45"]\n@bea said so\n[/quote]\n'
    )
    created = await post(client, priya, topic_id=ASK_TOPIC, raw=raw)
    for name in ("sam_ops", "elena"):
        notes = (await listing(client, key_for(app, name)))["notifications"]
        # elena owns the topic, but a user mentioned in a post is not also told of it
        # as "replied" (Discourse's PostAlerter notifies each user once per post).
        assert [(n["notification_type"], n["post_number"]) for n in notes] == [
            (MENTIONED, created["post_number"])
        ], name
        assert notes[0]["data"]["original_post_id"] == created["id"]
    for name in ("priya", "jonas", "aiko", "bea", "kwame"):
        assert (await listing(client, key_for(app, name)))["notifications"] == [], name


async def test_a_mention_in_a_new_topic_notifies(app: DemoApp, client: httpx.AsyncClient) -> None:
    priya = key_for(app, "priya")
    created = await post(
        client,
        priya,
        title="A question for the operations people",
        raw="What do you think, @sam_ops? I would like your view on this.",
        category=8,
    )
    [note] = (await listing(client, key_for(app, "sam_ops")))["notifications"]
    assert note["notification_type"] == MENTIONED
    assert (note["topic_id"], note["post_number"]) == (created["topic_id"], 1)
    assert note["data"]["topic_title"] == "A question for the operations people"


async def test_a_like_notifies_the_author_and_unliking_takes_it_back(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    priya, sam = key_for(app, "priya"), key_for(app, "sam_ops")
    topic = await ok(await client.get(f"/t/{ASK_TOPIC}.json"))
    target = topic["post_stream"]["posts"][SAM_POST_NUMBER - 1]
    assert target["username"] == "sam_ops"
    await ok(
        await client.post(
            "/post_actions.json", headers=priya, json={"id": target["id"], "post_action_type_id": 2}
        )
    )
    [note] = (await listing(client, sam))["notifications"]
    assert note["notification_type"] == LIKED
    assert (note["topic_id"], note["post_number"]) == (ASK_TOPIC, SAM_POST_NUMBER)
    assert note["data"]["original_post_id"] == target["id"]
    assert note["data"]["display_username"] == "priya"
    assert (await listing(client, priya))["notifications"] == []
    await ok(
        await client.delete(
            f"/post_actions/{target['id']}.json", headers=priya, params={"post_action_type_id": 2}
        )
    )
    assert (await listing(client, sam))["notifications"] == []


async def test_site_json_types_are_discourses(client: httpx.AsyncClient) -> None:
    types = (await ok(await client.get("/site.json")))["notification_types"]
    assert {k: types[k] for k in ("mentioned", "replied", "quoted", "edited", "liked")} == {
        "mentioned": 1,
        "replied": 2,
        "quoted": 3,
        "edited": 4,
        "liked": 5,
    }
    assert (types["private_message"], types["posted"]) == (6, 9)


# --------------------------------------------------------------------------- listing


async def _three_for_you(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> dict[str, Any]:
    """A reply, a like and a mention for the demo account, a minute apart."""
    first = await your_topic(client, you)
    topic_id = first["topic_id"]
    clock.tick()
    await post(client, key_for(app, "priya"), topic_id=topic_id, raw="A reply to your topic.")
    clock.tick()
    like = {"id": first["id"], "post_action_type_id": 2}
    await ok(await client.post("/post_actions.json", headers=key_for(app, "jonas"), json=like))
    clock.tick()
    await post(
        client, key_for(app, "sam_ops"), topic_id=ASK_TOPIC, raw="Have a look at this, @you."
    )
    return first


async def test_listing_is_newest_first_and_per_user(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> None:
    await _three_for_you(app, client, you, clock)
    body = await listing(client, you)
    notes = body["notifications"]
    assert [(n["notification_type"], n["data"]["display_username"]) for n in notes] == [
        (MENTIONED, "sam_ops"),
        (LIKED, "jonas"),
        (REPLIED, "priya"),
    ]
    assert [n["created_at"] for n in notes] == sorted(
        (n["created_at"] for n in notes), reverse=True
    )
    assert {n["user_id"] for n in notes} == {15}
    assert body["total_rows_notifications"] == 3
    # Only the demo account was told: the others' lists stay empty.
    for name in ("priya", "jonas", "sam_ops"):
        assert (await listing(client, key_for(app, name)))["notifications"] == [], name
    paged = await listing(client, you, "?offset=1")
    assert [n["id"] for n in paged["notifications"]] == [n["id"] for n in notes[1:]]
    assert paged["load_more_notifications"] == "/notifications?offset=61&username=you"
    unread = await listing(client, you, "?filter=unread")
    assert unread["total_rows_notifications"] == 3
    assert unread["load_more_notifications"] == (
        "/notifications?filter=unread&offset=60&username=you"
    )
    assert (await listing(client, you, "?filter=read"))["notifications"] == []


async def test_anonymous_requests_are_refused(client: httpx.AsyncClient) -> None:
    for method, url in (
        ("GET", "/notifications.json"),
        ("GET", "/notifications/totals.json"),
        ("PUT", "/notifications/mark-read.json"),
        ("PUT", "/notifications/read.json"),
    ):
        response = await client.request(method, url)
        assert response.status_code == 403, url
        assert response.json() == NOT_LOGGED_IN, url


async def test_only_staff_may_list_someone_elses(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> None:
    await _three_for_you(app, client, you, clock)
    response = await client.get("/notifications.json?username=you", headers=key_for(app, "priya"))
    assert (response.status_code, response.json()) == (403, INVALID_ACCESS)
    elena = key_for(app, "elena")  # a moderator
    assert len((await listing(client, elena, "?username=you"))["notifications"]) == 3
    missing = await client.get("/notifications.json?username=no_such_user", headers=elena)
    assert missing.status_code == 404


async def test_user_api_key_scopes(app: DemoApp, client: httpx.AsyncClient) -> None:
    notes_only = key_for(app, "priya", "notifications")
    assert (await listing(client, notes_only))["notifications"] == []
    await ok(await client.get("/notifications/totals.json", headers=notes_only))
    await ok(await client.put("/notifications/mark-read.json", headers=notes_only))
    refused = await client.post(
        "/posts.json", headers=notes_only, json={"topic_id": ASK_TOPIC, "raw": "Not allowed here."}
    )
    assert refused.status_code == 403
    read_only = key_for(app, "priya", "read")
    await ok(await client.get("/notifications.json", headers=read_only))
    assert (await client.put("/notifications/read.json", headers=read_only)).status_code == 403
    session_only = key_for(app, "priya", "session_info")
    assert (await client.get("/notifications.json", headers=session_only)).status_code == 403


# --------------------------------------------------------------------------- read state


async def test_mark_read_one_then_all_and_the_counts_follow(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> None:
    await _three_for_you(app, client, you, clock)
    expected = {
        "unread_notifications": 3,
        "unread_high_priority_notifications": 0,
        "all_unread_notifications_count": 3,
        "total_unread_notifications": 3,
    }
    assert await counts(client, you) == expected
    newest, middle, oldest = (await listing(client, you))["notifications"]

    marked = await client.put(
        "/notifications/mark-read.json", headers=you, json={"id": middle["id"]}
    )
    assert await ok(marked) == {"success": "OK"}
    validate("/notifications/mark-read.json", marked.json(), "put")
    reads = [n["read"] for n in (await listing(client, you))["notifications"]]
    assert reads == [False, True, False]
    assert await counts(client, you) == {k: 2 if v else 0 for k, v in expected.items()}
    totals = await ok(await client.get("/notifications/totals.json", headers=you))
    assert totals == {
        "unread_notifications": 2,
        "unread_high_priority_notifications": 0,
        "unread_personal_messages": 0,
        "unseen_reviewables": 0,
        "new_personal_messages_notifications_count": 0,
        "group_inboxes": [],
    }

    # Someone else's notification id changes nothing (and is not an error).
    others = key_for(app, "priya")
    assert await ok(
        await client.put("/notifications/read.json", headers=others, data={"id": str(newest["id"])})
    ) == {"success": "OK"}
    assert (await counts(client, you))["unread_notifications"] == 2

    # No id: all of them, through the alias and a form body.
    assert await ok(await client.put("/notifications/read.json", headers=you, data={})) == {
        "success": "OK"
    }
    assert all(n["read"] for n in (await listing(client, you))["notifications"])
    assert set((await counts(client, you)).values()) == {0}
    assert (await listing(client, you, "?filter=unread"))["notifications"] == []
    assert oldest["id"] < middle["id"] < newest["id"]


async def test_the_recent_list_marks_notifications_seen(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> None:
    await _three_for_you(app, client, you, clock)
    silent = await listing(client, you, "?recent=true&limit=2&silent=true")
    assert len(silent["notifications"]) == 2
    assert silent["seen_notification_id"] == 0
    recent = await listing(client, you, "?recent=true")
    newest = recent["notifications"][0]["id"]
    assert recent["seen_notification_id"] == newest
    assert (await listing(client, you))["seen_notification_id"] == newest
    # Seen but unread: Discourse's badge counts drop, the total of unread ones stays.
    assert await counts(client, you) == {
        "unread_notifications": 0,
        "unread_high_priority_notifications": 0,
        "all_unread_notifications_count": 0,
        "total_unread_notifications": 3,
    }


# --------------------------------------------------------------------------- data folders


def test_a_data_folder_of_the_previous_schema_is_upgraded_in_place(
    demo_template: Path, tmp_path: Path
) -> None:
    conn = upgraded_from(
        demo_template,
        tmp_path,
        "DROP TABLE notifications;"
        "DROP TABLE category_users;"
        "ALTER TABLE users DROP COLUMN seen_notification_id;"
        "UPDATE meta SET value = '2' WHERE key = 'schema_version';"
        "UPDATE topics SET title = 'written before the upgrade' WHERE id = 1;",
    )
    try:
        title = conn.execute("SELECT title FROM topics WHERE id = 1").fetchone()[0]
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert conn.execute("SELECT COUNT(*) FROM notifications").fetchone()[0] == 0
        assert conn.execute("SELECT MAX(seen_notification_id) FROM users").fetchone()[0] == 0
    finally:
        conn.close()
    assert title == "written before the upgrade"
    assert version[0] == str(demo_db.SCHEMA_VERSION)

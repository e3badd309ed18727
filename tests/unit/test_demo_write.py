"""The demo forum's write side: replies, new topics, edits, likes, bookmarks, read state.

Requests go through ``httpx.ASGITransport``; each test gets its own copy of a seeded
database (seeding once per module) and a wall clock it moves by hand.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from termforum.demo import DEMO_USERNAME, DemoApp, SiteSettings, create_app
from termforum.demo.clock import live_time_shift
from termforum.demo.db import DB_FILENAME, iso
from termforum.demo.seed import ensure_seeded

ASK_TOPIC = 45
"""Seed topic "How to ask a question that gets answered" (category Asking for Help)."""
MODERATED_CATEGORY = 14
"""Moderation Notes: new topics and replies wait for approval."""
REPLY = "Thanks, the template in the first post helped me a lot."
TOPIC_NOT_FOUND = (
    "Something has gone wrong. Perhaps this topic was closed or deleted while you were "
    "looking at it?"
)


class WallClock:
    """The app's real-time clock, moved by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-write-template")
    ensure_seeded(folder)
    return folder


@pytest.fixture
def clock() -> WallClock:
    return WallClock()


def fresh_app(template: Path, folder: Path, clock: WallClock, **options: Any) -> DemoApp:
    shutil.copy(template / DB_FILENAME, folder / DB_FILENAME)
    return create_app(folder, wall_clock=clock, **options)


@pytest.fixture
def app(template: Path, tmp_path: Path, clock: WallClock) -> Iterator[DemoApp]:
    demo = fresh_app(template, tmp_path, clock)
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
    return {"User-Api-Key": key, "User-Api-Client-Id": "termforum-tests"}


def key_for(app: DemoApp, username: str) -> dict[str, str]:
    return {"User-Api-Key": app.create_user_api_key(username)}


def db(app: DemoApp, sql: str, *params: object) -> list[sqlite3.Row]:
    conn = sqlite3.connect(app.db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


async def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.json()


async def reply(
    client: httpx.AsyncClient, headers: dict[str, str], raw: str = REPLY, **extra: Any
) -> httpx.Response:
    return await client.post(
        "/posts.json", headers=headers, json={"topic_id": ASK_TOPIC, "raw": raw, **extra}
    )


# --------------------------------------------------------------------------- replies


async def test_reply_is_published_with_the_topic_counters(
    client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> None:
    before = await ok(await client.get(f"/t/{ASK_TOPIC}.json"))
    first_post = before["post_stream"]["posts"][0]
    # A form-encoded body, as many clients send.
    response = await client.post(
        "/posts.json",
        headers=you,
        data={"topic_id": str(ASK_TOPIC), "raw": REPLY + "\n\n", "reply_to_post_number": "1"},
    )
    post = await ok(response)
    assert response.headers["x-discourse-route"] == "posts/create"
    assert response.headers["x-discourse-username"] == DEMO_USERNAME
    assert post["topic_id"] == ASK_TOPIC
    assert post["topic_slug"] == before["slug"]
    assert post["post_number"] == before["highest_post_number"] + 1
    assert post["raw"] == REPLY  # trailing whitespace dropped, as Discourse does
    assert post["cooked"] == f"<p>{REPLY}</p>"
    assert post["reply_to_post_number"] == 1
    assert post["reply_to_user"]["username"] == first_post["username"]
    assert post["username"] == DEMO_USERNAME and post["name"] == "You (demo)"
    assert post["yours"] is True and post["can_edit"] is True
    assert post["draft_sequence"] == 1
    assert post["version"] == 1
    assert post["created_at"] == iso(clock.now)

    after = await ok(await client.get(f"/t/{ASK_TOPIC}.json", headers=you))
    assert after["posts_count"] == before["posts_count"] + 1
    assert after["highest_post_number"] == post["post_number"]
    assert after["reply_count"] == before["reply_count"] + 1
    assert after["last_posted_at"] == post["created_at"]
    assert after["details"]["last_poster"]["username"] == DEMO_USERNAME
    assert after["post_stream"]["stream"][-1] == post["id"]
    assert after["draft_sequence"] == 1
    assert after["details"]["notification_level"] == 2  # tracking after replying
    replied_to = await ok(await client.get(f"/posts/{first_post['id']}.json"))
    assert replied_to["reply_count"] == first_post["reply_count"] + 1

    latest = await ok(await client.get("/latest.json"))
    unpinned = [t for t in latest["topic_list"]["topics"] if not t["pinned"]]
    assert unpinned[0]["id"] == ASK_TOPIC
    assert unpinned[0]["last_poster_username"] == DEMO_USERNAME
    assert unpinned[0]["bumped_at"] == post["created_at"]
    assert unpinned[0]["posts_count"] == after["posts_count"]

    with_raw = await ok(
        await client.get(
            f"/t/{ASK_TOPIC}/posts.json",
            params={"post_ids[]": post["id"], "include_raw": "true"},
        )
    )
    assert with_raw["post_stream"]["posts"][0]["raw"] == REPLY
    profile = await ok(await client.get(f"/u/{DEMO_USERNAME}.json"))
    assert profile["user"]["post_count"] == 1


async def test_new_topic_is_published_in_its_category(
    client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> None:
    category_before = await ok(await client.get("/c/8/show.json"))
    title = "Which pager do you use for long threads?"
    response = await client.post(
        "/posts.json",
        headers=you,
        json={
            "title": title,
            "raw": "I read long threads in `less`; is there something better?",
            "category": 8,
            "tags": ["tmux", "no-such-tag-yet"],
        },
    )
    post = await ok(response)
    assert post["post_number"] == 1 and post["yours"] is True
    topic = await ok(await client.get(f"/t/{post['topic_id']}.json"))
    assert topic["title"] == title
    assert topic["slug"] == "which-pager-do-you-use-for-long-threads"
    assert topic["category_id"] == 8
    assert topic["posts_count"] == 1 and topic["highest_post_number"] == 1
    assert topic["created_at"] == iso(clock.now)
    # Existing tags are applied; a trust level 1 user cannot create new ones.
    assert [t["name"] for t in topic["tags"]] == ["tmux"]
    assert topic["details"]["created_by"]["username"] == DEMO_USERNAME

    category_after = await ok(await client.get("/c/8/show.json"))
    assert (
        category_after["category"]["topic_count"] == category_before["category"]["topic_count"] + 1
    )
    latest = await ok(await client.get("/latest.json"))
    listed = next(t for t in latest["topic_list"]["topics"] if t["id"] == post["topic_id"])
    assert listed["excerpt"].startswith("I read long threads in")
    assert listed["posters"][0]["description"] == "Original Poster, Most Recent Poster"
    assert any(u["username"] == DEMO_USERNAME for u in latest["users"])
    profile = await ok(await client.get(f"/u/{DEMO_USERNAME}.json"))
    assert profile["user"]["topic_count"] == 1


async def test_multipart_bodies_are_read(client: httpx.AsyncClient, you: dict[str, str]) -> None:
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="topic_id"\r\n\r\n45\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="raw"\r\n\r\n'
        + "Caffè e domande: una risposta abbastanza lunga.".encode()
        + b"\r\n--XyZ--\r\n"
    )
    response = await client.post(
        "/posts.json",
        headers={**you, "Content-Type": "multipart/form-data; boundary=XyZ"},
        content=body,
    )
    assert (await ok(response))["raw"] == "Caffè e domande: una risposta abbastanza lunga."


async def test_writes_show_as_just_written_when_times_are_shifted(
    template: Path, tmp_path: Path, clock: WallClock
) -> None:
    demo = fresh_app(template, tmp_path, clock, time_shift=live_time_shift(clock.now))
    try:
        headers = {"User-Api-Key": demo.demo_credentials()[1]}
        transport = httpx.ASGITransport(app=demo)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
            post = await ok(await reply(c, headers))
            topic = await ok(await c.get(f"/t/{ASK_TOPIC}.json"))
        assert post["created_at"] == iso(clock.now)
        assert topic["last_posted_at"] == iso(clock.now)
        stored = db(demo, "SELECT created_at FROM posts WHERE id = ?", post["id"])[0][0]
        assert stored == iso(clock.now - demo.time_shift)  # seed time, like the seed
    finally:
        demo.close()


async def test_nested_post_wraps_the_result(client: httpx.AsyncClient, you: dict[str, str]) -> None:
    body = await ok(await reply(client, you, nested_post="true"))
    assert body["action"] == "create_post" and body["success"] is True
    assert body["post"]["raw"] == REPLY


# --------------------------------------------------------------------------- refusals


def closed_topic(app: DemoApp) -> int:
    return int(db(app, "SELECT id FROM topics WHERE closed = 1 LIMIT 1")[0][0])


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        (
            {"topic_id": ASK_TOPIC, "raw": "Too short."},
            ["Body is too short (minimum is 20 characters)"],
        ),
        ({"topic_id": ASK_TOPIC, "raw": "   "}, ["Body can't be blank"]),
        ({"topic_id": ASK_TOPIC}, ["Body can't be blank"]),
        (
            {"topic_id": ASK_TOPIC, "raw": "x" * 32001},
            ["Body is too long (maximum is 32000 characters)"],
        ),
        (
            {"title": "Short title", "raw": "A body that is long enough.", "category": 8},
            ["Title is too short (minimum is 15 characters)"],
        ),
        (
            {"title": "How to ask a QUESTION that gets answered ", "raw": REPLY, "category": 6},
            ["Title has already been used"],
        ),
        (
            {"title": "A title without any category", "raw": REPLY},
            ["Category can't be blank"],
        ),
        (
            {"title": "Short", "raw": REPLY},
            ["Title is too short (minimum is 15 characters)", "Category can't be blank"],
        ),
        ({"topic_id": 999999, "raw": REPLY}, [TOPIC_NOT_FOUND]),
    ],
)
async def test_refused_posts_answer_422_with_discourse_messages(
    client: httpx.AsyncClient, you: dict[str, str], body: dict[str, Any], errors: list[str]
) -> None:
    response = await client.post("/posts.json", headers=you, json=body)
    assert response.status_code == 422
    assert response.json() == {"action": "create_post", "errors": errors}


async def test_closed_topics_take_replies_from_staff_only(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    topic_id = closed_topic(app)
    refused = await client.post(
        "/posts.json", headers=you, json={"topic_id": topic_id, "raw": REPLY}
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0].startswith("Something has gone wrong.")
    staff = await client.post(
        "/posts.json", headers=key_for(app, "elena"), json={"topic_id": topic_id, "raw": REPLY}
    )
    assert staff.status_code == 200


async def test_unknown_category_is_not_found(
    client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    response = await client.post(
        "/posts.json",
        headers=you,
        json={"title": "A perfectly fine title", "raw": REPLY, "category": 4242},
    )
    assert response.status_code == 404
    assert response.json()["error_type"] == "not_found"


async def test_a_category_can_be_named(client: httpx.AsyncClient, you: dict[str, str]) -> None:
    body = {"title": "Named category topic title", "raw": REPLY, "category": "Shell & Editors"}
    post = await ok(await client.post("/posts.json", headers=you, json=body))
    topic = await ok(await client.get(f"/t/{post['topic_id']}.json"))
    assert topic["category_id"] == 15


async def test_the_same_body_twice_within_five_minutes_is_refused(
    client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> None:
    await ok(await reply(client, you))
    # Another topic, different case and spacing: still "the same" to Discourse.
    again = await client.post(
        "/posts.json",
        headers=you,
        json={"topic_id": 46, "raw": "  thanks, the TEMPLATE in the first post\nhelped me a lot. "},
    )
    assert again.status_code == 422
    assert again.json() == {
        "action": "create_post",
        "errors": ["Body is too similar to what you recently posted"],
    }
    clock.now += timedelta(minutes=5, seconds=1)
    await ok(await reply(client, you))


async def test_duplicates_are_allowed_to_staff_and_when_turned_off(
    template: Path, tmp_path: Path, clock: WallClock
) -> None:
    demo = fresh_app(template, tmp_path, clock, settings=SiteSettings(unique_posts_mins=0))
    try:
        transport = httpx.ASGITransport(app=demo)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
            you = {"User-Api-Key": demo.demo_credentials()[1]}
            staff = key_for(demo, "giulia")
            for headers in (you, you, staff, staff):
                await ok(await reply(c, headers))
    finally:
        demo.close()


# --------------------------------------------------------------------------- moderation


def moderated_topic(app: DemoApp) -> int:
    rows = db(
        app,
        "SELECT id FROM topics WHERE category_id = ? AND id NOT IN"
        " (SELECT topic_id FROM categories WHERE topic_id IS NOT NULL) ORDER BY id LIMIT 1",
        MODERATED_CATEGORY,
    )
    return int(rows[0][0])


async def test_posts_in_a_moderated_category_are_queued_not_published(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> None:
    topic_id = moderated_topic(app)
    before = await ok(await client.get(f"/t/{topic_id}.json"))
    category = await ok(await client.get(f"/c/{MODERATED_CATEGORY}/show.json"))
    assert category["category"]["category_setting"]["require_reply_approval"] is True

    raw = "I think this rule should also cover cross-posting."
    queued = await ok(
        await client.post("/posts.json", headers=you, json={"topic_id": topic_id, "raw": raw})
    )
    pending_id = queued["pending_post"]["id"]
    assert queued == {
        "action": "enqueued",
        "success": True,
        "pending_count": 1,
        "pending_post": {"id": pending_id, "raw": raw, "created_at": iso(clock.now)},
    }
    new_topic = await ok(
        await client.post(
            "/posts.json",
            headers=you,
            json={
                "title": "Proposal for a new posting rule",
                "raw": raw + " Twice.",
                "category": 14,
            },
        )
    )
    assert new_topic["action"] == "enqueued" and new_topic["pending_count"] == 2

    after = await ok(await client.get(f"/t/{topic_id}.json"))
    assert after["posts_count"] == before["posts_count"]
    latest = await ok(await client.get("/latest.json"))
    assert "Proposal for a new posting rule" not in {
        t["title"] for t in latest["topic_list"]["topics"]
    }
    current = await ok(await client.get("/session/current.json", headers=you))
    assert current["current_user"]["pending_posts_count"] == 2

    # Queued posts are still checked first: a short body is refused outright.
    short = await client.post(
        "/posts.json", headers=you, json={"topic_id": topic_id, "raw": "Nope"}
    )
    assert short.status_code == 422 and short.json()["action"] == "created_post"

    # Staff are exempt; a moderator's approval publishes the queued reply.
    staff = await ok(
        await client.post(
            "/posts.json", headers=key_for(app, "elena"), json={"topic_id": topic_id, "raw": REPLY}
        )
    )
    assert staff["post_number"] == before["highest_post_number"] + 1
    post_id = app.approve_pending_post(pending_id)
    published = await ok(await client.get(f"/posts/{post_id}.json"))
    assert published["raw"] == raw and published["username"] == DEMO_USERNAME


# --------------------------------------------------------------------------- edits


async def test_editing_bumps_the_version_and_recooks(
    client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    post = await ok(await reply(client, you))
    edited = await ok(
        await client.put(
            f"/posts/{post['id']}.json",
            headers=you,
            json={"post": {"raw": "Thanks, the **template** helped a lot.", "edit_reason": "bold"}},
        )
    )
    assert set(edited) == {"post"}
    assert edited["post"]["version"] == 2
    assert edited["post"]["cooked"] == "<p>Thanks, the <strong>template</strong> helped a lot.</p>"
    assert edited["post"]["raw"] == "Thanks, the **template** helped a lot."
    assert edited["post"]["edit_reason"] == "bold"
    shown = await ok(await client.get(f"/posts/{post['id']}.json"))
    assert shown["version"] == 2 and shown["cooked"] == edited["post"]["cooked"]
    # The same text again is no revision.
    same = await ok(
        await client.put(
            f"/posts/{post['id']}.json",
            headers=you,
            data={"post[raw]": "Thanks, the **template** helped a lot."},
        )
    )
    assert same["post"]["version"] == 2


async def test_edits_need_the_author_or_staff_and_a_valid_body(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    post = await ok(await reply(client, you))
    url = f"/posts/{post['id']}.json"
    body = {"post": {"raw": "An edit by somebody else entirely."}}
    other = await client.put(url, headers=key_for(app, "priya"), json=body)
    assert other.status_code == 403
    assert other.json()["error_type"] == "invalid_access"
    anonymous = await client.put(url, json=body)
    assert anonymous.status_code == 403 and anonymous.json()["error_type"] == "not_logged_in"
    short = await client.put(url, headers=you, json={"post": {"raw": "tiny"}})
    assert short.status_code == 422
    assert short.json() == {"errors": ["Body is too short (minimum is 20 characters)"]}
    missing = await client.put(url, headers=you, json={"raw": "not wrapped in post"})
    assert missing.status_code == 400
    staff = await ok(await client.put(url, headers=key_for(app, "elena"), json=body))
    assert staff["post"]["version"] == 2 and staff["post"]["yours"] is False
    seed_post = await ok(await client.get(f"/t/{ASK_TOPIC}.json", headers=you))
    assert seed_post["post_stream"]["posts"][0]["can_edit"] is False


async def test_the_editing_grace_period_can_be_turned_on(
    template: Path, tmp_path: Path, clock: WallClock
) -> None:
    demo = fresh_app(template, tmp_path, clock, settings=SiteSettings(editing_grace_period=300))
    try:
        transport = httpx.ASGITransport(app=demo)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
            you = {"User-Api-Key": demo.demo_credentials()[1]}
            post = await ok(await reply(c, you))
            url = f"/posts/{post['id']}.json"
            clock.now += timedelta(minutes=1)
            quick = await ok(await c.put(url, headers=you, json={"post": {"raw": REPLY + " (1)"}}))
            assert quick["post"]["version"] == 1
            assert quick["post"]["raw"].endswith("(1)")
            clock.now += timedelta(minutes=6)
            later = await ok(await c.put(url, headers=you, json={"post": {"raw": REPLY + " (2)"}}))
            assert later["post"]["version"] == 2
    finally:
        demo.close()


# --------------------------------------------------------------------------- likes


def non_liker(app: DemoApp, post: dict[str, Any]) -> str:
    """A seed user who neither wrote nor liked ``post``."""
    rows = db(
        app,
        "SELECT username FROM users WHERE id > 0 AND id != ? AND username != ? AND id NOT IN"
        " (SELECT user_id FROM likes WHERE post_id = ?) ORDER BY id LIMIT 1",
        post["user_id"],
        DEMO_USERNAME,
        post["id"],
    )
    return str(rows[0][0])


def like_entry(post: dict[str, Any]) -> dict[str, Any] | None:
    return next((a for a in post["actions_summary"] if a["id"] == 2), None)


async def test_like_and_unlike_show_for_the_liker_only(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    topic = await ok(await client.get(f"/t/{ASK_TOPIC}.json", headers=you))
    # A post some, but not all, of the seed users like.
    target = next(
        p for p in topic["post_stream"]["posts"] if 0 < (like_entry(p) or {}).get("count", 0) < 8
    )
    count = like_entry(target)["count"]  # type: ignore[index]
    assert like_entry(target) == {"id": 2, "count": count, "can_act": True}

    response = await client.post(
        "/post_actions.json", headers=you, json={"id": target["id"], "post_action_type_id": 2}
    )
    liked = await ok(response)
    assert like_entry(liked) == {
        "id": 2,
        "count": count + 1,
        "can_act": False,
        "acted": True,
        "can_undo": True,
    }
    assert response.headers["discourse-actions-max"] == "50"
    assert response.headers["discourse-actions-remaining"] == "49"

    mine = await ok(await client.get(f"/posts/{target['id']}.json", headers=you))
    assert like_entry(mine)["acted"] is True  # type: ignore[index]
    anonymous = await ok(await client.get(f"/posts/{target['id']}.json"))
    assert like_entry(anonymous) == {"id": 2, "count": count + 1, "can_act": False}
    other = await ok(
        await client.get(
            f"/posts/{target['id']}.json", headers=key_for(app, non_liker(app, target))
        )
    )
    assert "acted" not in like_entry(other)  # type: ignore[operator]
    after = await ok(await client.get(f"/t/{ASK_TOPIC}.json"))
    assert after["like_count"] == topic["like_count"] + 1

    twice = await client.post(
        "/post_actions.json", headers=you, json={"id": target["id"], "post_action_type_id": 2}
    )
    assert twice.status_code == 403
    assert twice.json() == {
        "errors": ["Oops! You already performed this action. Can you try refreshing the page?"]
    }

    unliked = await ok(
        await client.delete(
            f"/post_actions/{target['id']}.json", headers=you, params={"post_action_type_id": 2}
        )
    )
    assert like_entry(unliked) == {"id": 2, "count": count, "can_act": True}
    gone = await client.delete(
        f"/post_actions/{target['id']}.json", headers=you, params={"post_action_type_id": 2}
    )
    assert gone.status_code == 404


async def test_likes_cannot_be_undone_after_ten_minutes_nor_given_to_oneself(
    client: httpx.AsyncClient, you: dict[str, str], clock: WallClock
) -> None:
    own = await ok(await reply(client, you))
    assert like_entry(own) is None  # no likes and nothing to do
    refused = await client.post(
        "/post_actions.json", headers=you, json={"id": own["id"], "post_action_type_id": 2}
    )
    assert refused.status_code == 403

    topic = await ok(await client.get(f"/t/{ASK_TOPIC}.json", headers=you))
    target = topic["post_stream"]["posts"][1]["id"]
    await ok(
        await client.post(
            "/post_actions.json", headers=you, data={"id": str(target), "post_action_type_id": "2"}
        )
    )
    clock.now += timedelta(minutes=11)
    later = await ok(await client.get(f"/posts/{target}.json", headers=you))
    assert like_entry(later)["acted"] is True and "can_undo" not in like_entry(later)  # type: ignore[index,operator]
    too_late = await client.delete(
        f"/post_actions/{target}.json", headers=you, params={"post_action_type_id": 2}
    )
    assert too_late.status_code == 403


# --------------------------------------------------------------------------- bookmarks


async def test_bookmarks_round_trip_for_their_owner_only(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    topic = await ok(await client.get(f"/t/{ASK_TOPIC}.json", headers=you))
    post_id = topic["post_stream"]["posts"][2]["id"]
    made = await ok(
        await client.post(
            "/bookmarks.json",
            headers=you,
            json={"bookmarkable_id": post_id, "bookmarkable_type": "Post"},
        )
    )
    assert made == {"success": "OK", "id": made["id"]}

    mine = await ok(await client.get(f"/posts/{post_id}.json", headers=you))
    assert mine["bookmarked"] is True and mine["bookmark_id"] == made["id"]
    for headers in ({}, key_for(app, "priya")):
        theirs = await ok(await client.get(f"/posts/{post_id}.json", headers=headers))
        assert theirs["bookmarked"] is False and "bookmark_id" not in theirs
    in_topic = await ok(await client.get(f"/t/{ASK_TOPIC}.json", headers=you))
    assert in_topic["bookmarked"] is True
    assert [b["bookmarkable_id"] for b in in_topic["bookmarks"]] == [post_id]
    assert in_topic["post_stream"]["posts"][2]["bookmark_id"] == made["id"]

    twice = await client.post(
        "/bookmarks.json",
        headers=you,
        data={"bookmarkable_id": str(post_id), "bookmarkable_type": "Post"},
    )
    assert twice.status_code == 400
    assert twice.json() == {
        "failed": "FAILED",
        "errors": ["You cannot bookmark the same post twice."],
    }
    not_theirs = await client.delete(f"/bookmarks/{made['id']}.json", headers=key_for(app, "priya"))
    assert not_theirs.status_code == 403

    deleted = await ok(await client.delete(f"/bookmarks/{made['id']}.json", headers=you))
    assert deleted == {"success": "OK", "topic_bookmarked": False}
    unmarked = await ok(await client.get(f"/posts/{post_id}.json", headers=you))
    assert unmarked["bookmarked"] is False
    assert (await client.delete(f"/bookmarks/{made['id']}.json", headers=you)).status_code == 404


async def test_topic_bookmarks(client: httpx.AsyncClient, you: dict[str, str]) -> None:
    response = await client.put(f"/t/{ASK_TOPIC}/bookmark.json", headers=you)
    assert response.status_code == 200 and response.content == b""
    topic = await ok(await client.get(f"/t/{ASK_TOPIC}.json", headers=you))
    assert topic["bookmarked"] is True
    assert topic["bookmarks"][0]["bookmarkable_type"] == "Topic"
    post_id = topic["post_stream"]["posts"][0]["id"]
    made = await ok(
        await client.post(
            "/bookmarks.json",
            headers=you,
            json={"bookmarkable_id": post_id, "bookmarkable_type": "Post"},
        )
    )
    deleted = await ok(await client.delete(f"/bookmarks/{made['id']}.json", headers=you))
    assert deleted["topic_bookmarked"] is True  # the topic bookmark is still there
    twice = await client.put(f"/t/{ASK_TOPIC}/bookmark.json", headers=you)
    assert twice.status_code == 400 and twice.json() == {
        "errors": ["You cannot bookmark the same topic twice."]
    }
    cleared = await client.put(f"/t/{ASK_TOPIC}/remove_bookmarks.json", headers=you)
    assert cleared.status_code == 200
    assert (await ok(await client.get(f"/t/{ASK_TOPIC}.json", headers=you)))["bookmarked"] is False


# --------------------------------------------------------------------------- read state


async def test_timings_move_the_read_position_and_feed_unread(
    app: DemoApp, client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    topic = await ok(await client.get("/t/46.json"))
    assert topic["highest_post_number"] > 2
    response = await client.post(
        "/topics/timings",
        headers=you,
        data={"topic_id": "46", "topic_time": "300000", "timings[1]": "4000", "timings[2]": "3000"},
    )
    assert response.status_code == 200 and response.content == b""
    unread = await ok(await client.get("/unread.json", headers=you))
    assert [t["id"] for t in unread["topic_list"]["topics"]] == [46]
    item = unread["topic_list"]["topics"][0]
    assert item["last_read_post_number"] == 2
    assert item["unread_posts"] == topic["highest_post_number"] - 2
    assert item["notification_level"] == 2 and item["unseen"] is False
    # Never backwards, never past the last post.
    for number in ("1", "999"):
        await client.post(
            "/topics/timings",
            headers=you,
            data={"topic_id": "46", "topic_time": "10", f"timings[{number}]": "10"},
        )
    rows = db(app, "SELECT last_read_post_number FROM topic_users WHERE topic_id = 46")
    assert [r[0] for r in rows] == [topic["highest_post_number"]]
    assert (await ok(await client.get("/unread.json", headers=you)))["topic_list"]["topics"] == []


async def test_new_lists_recent_topics_not_yet_opened(
    client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    new = await ok(await client.get("/new.json", headers=you))
    ids = [t["id"] for t in new["topic_list"]["topics"]]
    assert ids and all(t["unseen"] for t in new["topic_list"]["topics"])
    await client.post(
        "/topics/timings",
        headers=you,
        data={"topic_id": str(ids[0]), "topic_time": "100", "timings[1]": "100"},
    )
    after = await ok(await client.get("/new.json", headers=you))
    assert [t["id"] for t in after["topic_list"]["topics"]] == ids[1:]


# --------------------------------------------------------------------------- similar topics


async def test_similar_topics_for_short_and_long_titles(client: httpx.AsyncClient) -> None:
    short = await ok(await client.get("/topics/similar_to.json", params={"title": "Ask what?"}))
    assert short == []
    body = await ok(
        await client.get(
            "/topics/similar_to.json",
            params={
                "title": "How do I ask a good question in a group?",
                "raw": "I never get answers",
            },
        )
    )
    assert body["__rest_serializer"] == "1"
    similar = body["similar_topics"]
    assert 1 <= len(similar) <= 5
    assert similar[0]["topic_id"] == ASK_TOPIC
    first = similar[0]
    assert first["id"] == ASK_TOPIC
    assert first["url"] == "http://demo.test/t/how-to-ask-a-question-that-gets-answered/45"
    assert first["blurb"] and "<" not in first["blurb"]
    topics = {t["id"]: t for t in body["topics"]}
    assert set(topics) == {s["topic_id"] for s in similar}
    assert topics[ASK_TOPIC]["title"] == "How to ask a question that gets answered"
    nothing = await ok(
        await client.get("/topics/similar_to.json", params={"title": "zzzz qqqq wwww xxxx"})
    )
    assert nothing["similar_topics"] == [] and nothing["topics"] == []
    missing = await client.get("/topics/similar_to.json")
    assert missing.status_code == 400


async def test_similar_topics_leave_out_closed_topics(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    topic = await ok(await client.get(f"/t/{closed_topic(app)}.json"))
    body = await ok(await client.get("/topics/similar_to.json", params={"title": topic["title"]}))
    assert topic["id"] not in {s["topic_id"] for s in body["similar_topics"]}
    italian = await ok(
        await client.get(
            "/topics/similar_to.json", params={"title": "Come formulare una domanda chiara?"}
        )
    )
    assert italian["similar_topics"][0]["topic_id"] == 65


async def test_unreadable_bodies_and_private_messages_are_refused(
    client: httpx.AsyncClient, you: dict[str, str]
) -> None:
    listed = await client.post(
        "/posts.json",
        headers={**you, "Content-Type": "application/json"},
        content=b'["not", "an", "object"]',
    )
    assert listed.status_code == 400 and listed.json()["error_type"] == "invalid_parameters"
    broken = await client.post(
        "/posts.json", headers={**you, "Content-Type": "application/json"}, content=b"{raw"
    )
    assert broken.status_code == 400
    message = await client.post(
        "/posts.json",
        headers=you,
        json={
            "title": "A private message title",
            "raw": REPLY,
            "archetype": "private_message",
            "target_recipients": "priya",
        },
    )
    assert message.status_code == 400
    assert message.json()["errors"] == ["You supplied invalid parameters to the request: archetype"]

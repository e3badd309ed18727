"""The demo forum's members: ``/u/{username}.json`` and ``/u/{username}/summary.json``
answer as Discourse does, with numbers that are the database's own and that follow writes.

Requests go through ``httpx.ASGITransport``; each test gets its own copy of a seeded
database (seeded once per module). The expected numbers are counted here straight from
SQLite, a different way than the demo counts them.
"""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import quote

import httpx

from termforum.demo import DemoApp
from tests.unit.test_demo_schema import validate

NOT_FOUND = {
    "errors": ["The requested URL or resource could not be found."],
    "error_type": "not_found",
}
SUMMARY_KEYS = {
    "likes_given",
    "likes_received",
    "topics_entered",
    "posts_read_count",
    "days_visited",
    "topic_count",
    "post_count",
    "time_read",
    "recent_time_read",
    "can_see_summary_stats",
    "can_see_user_actions",
    "topic_ids",
    "replies",
    "links",
    "most_liked_by_users",
    "most_liked_users",
    "most_replied_to_users",
    "badges",
    "top_categories",
}
"""``UserSummarySerializer``'s attributes and associations (anonymous view, badges on)."""


async def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text[:300])
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    return response.json()


def counted(app: DemoApp, username: str) -> dict[str, Any]:
    """The member's numbers, counted from the tables (posts' like counters for likes)."""
    with sqlite3.connect(app.db_path) as conn:
        (uid,) = conn.execute("SELECT id FROM users WHERE username = ?", (username,)).fetchone()

        def one(sql: str) -> int:
            return conn.execute(sql, (uid,)).fetchone()[0] or 0

        return {
            "likes_received": one(
                "SELECT SUM(like_count) FROM posts WHERE user_id = ? AND post_type = 1"
            ),
            "likes_given": one("SELECT COUNT(*) FROM likes WHERE user_id = ?"),
            "topic_count": one("SELECT COUNT(*) FROM topics WHERE user_id = ?"),
            "post_count": one("SELECT COUNT(*) FROM posts WHERE user_id = ? AND post_type = 1"),
            "topics_by_likes": [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM topics WHERE user_id = ?"
                    " ORDER BY like_count DESC, created_at DESC, id DESC LIMIT 6",
                    (uid,),
                )
            ],
        }


async def test_the_summary_counts_what_the_database_holds(
    demo_app: DemoApp, demo_client: httpx.AsyncClient
) -> None:
    body = await ok(await demo_client.get("/u/elena/summary.json"))
    assert set(body) == {"topics", "user_summary"}
    summary = body["user_summary"]
    assert set(summary) == SUMMARY_KEYS
    truth = counted(demo_app, "elena")
    for key in ("likes_received", "likes_given", "topic_count", "post_count"):
        assert summary[key] == truth[key], key
    assert summary["likes_received"] > 0 and summary["days_visited"] > 0
    assert summary["topic_ids"] == truth["topics_by_likes"]
    sideloaded = {topic["id"]: topic for topic in body["topics"]}
    assert set(summary["topic_ids"]) | {r["topic_id"] for r in summary["replies"]} == set(
        sideloaded
    )
    likes = [sideloaded[i]["like_count"] for i in summary["topic_ids"]]
    assert likes == sorted(likes, reverse=True)
    assert all(r["like_count"] >= 0 and r["post_number"] > 1 for r in summary["replies"])
    liked_by = summary["most_liked_by_users"]
    assert liked_by and all({"username", "count", "avatar_template"} <= set(u) for u in liked_by)
    assert "bookmark_count" not in summary  # only for the member themselves


async def test_profile_and_summary_agree_and_the_profile_keeps_its_documented_shape(
    demo_client: httpx.AsyncClient,
) -> None:
    profile = await ok(await demo_client.get("/u/sam_ops.json"))
    validate("/u/{username}.json", profile)
    summary = (await ok(await demo_client.get("/u/sam_ops/summary.json")))["user_summary"]
    assert profile["user"]["topic_count"] == summary["topic_count"]
    assert profile["user"]["trust_level"] == 3


async def test_the_numbers_follow_a_like_and_a_reply(
    demo_app: DemoApp, demo_client: httpx.AsyncClient
) -> None:
    before = (await ok(await demo_client.get("/u/giulia/summary.json")))["user_summary"]
    you = {"User-Api-Key": demo_app.demo_credentials()[1]}
    mine_before = (await ok(await demo_client.get("/u/you/summary.json", headers=you)))[
        "user_summary"
    ]
    with sqlite3.connect(demo_app.db_path) as conn:
        post_id, topic_id = conn.execute(
            "SELECT p.id, p.topic_id FROM posts p JOIN users u ON u.id = p.user_id"
            " WHERE u.username = 'giulia' AND p.post_type = 1 AND p.id NOT IN"
            " (SELECT post_id FROM likes l JOIN users v ON v.id = l.user_id"
            " WHERE v.username = 'you') ORDER BY p.id LIMIT 1"
        ).fetchone()
    liked = await demo_client.post(
        "/post_actions.json", headers=you, json={"id": post_id, "post_action_type_id": 2}
    )
    await ok(liked)
    reply = await demo_client.post(
        "/posts.json", headers=you, json={"topic_id": topic_id, "raw": "Counting this one too."}
    )
    await ok(reply)
    after = (await ok(await demo_client.get("/u/giulia/summary.json")))["user_summary"]
    assert after["likes_received"] == before["likes_received"] + 1
    mine = (await ok(await demo_client.get("/u/you/summary.json", headers=you)))["user_summary"]
    assert mine["likes_given"] == mine_before["likes_given"] + 1
    assert mine["post_count"] == mine_before["post_count"] + 1
    assert mine["days_visited"] >= 1 and "bookmark_count" in mine


async def test_members_are_found_whatever_the_case_and_unknown_ones_are_404(
    demo_client: httpx.AsyncClient,
) -> None:
    upper = await ok(await demo_client.get("/u/ELENA/summary.json"))
    lower = await ok(await demo_client.get("/u/elena/summary.json"))
    assert upper == lower
    for url in ("/u/nobody-here.json", "/u/nobody-here/summary.json"):
        response = await demo_client.get(url)
        assert response.status_code == 404, url
        assert response.json() == NOT_FOUND
    hostile = quote("no/such\nmember", safe="")
    assert (await demo_client.get(f"/u/{hostile}/summary.json")).status_code == 404

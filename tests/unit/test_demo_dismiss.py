"""The demo forum's "Dismiss": ``PUT /topics/bulk.json`` (``dismiss_posts``) and
``PUT /topics/reset-new.json`` take topics out of the viewer's unread and new lists, as
Discourse does."""

from __future__ import annotations

from typing import Any

import httpx

from termforum.demo.writes import AUTO_TRACK_MSECS

NEW_IN_CATEGORY_5 = {70, 73}
"""Seed topics of category 5 the demo account has never opened (created in the last days)."""
NEW_ELSEWHERE = {71, 72, 74}
ASK_TOPIC = 45
"""A seeded 10-post topic."""


async def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.json()


async def listed(client: httpx.AsyncClient, headers: dict[str, str], view: str) -> set[int]:
    data = await ok(await client.get(f"/{view}.json", headers=headers))
    return {topic["id"] for topic in data["topic_list"]["topics"]}


async def read_first_post(client: httpx.AsyncClient, headers: dict[str, str], topic: int) -> None:
    """Read post 1 of ``topic`` long enough to track it (so it shows in /unread)."""
    body = {"topic_id": topic, "topic_time": AUTO_TRACK_MSECS, "timings": {"1": AUTO_TRACK_MSECS}}
    response = await client.post("/topics/timings.json", headers=headers, json=body)
    assert response.status_code == 200


async def test_bulk_dismiss_posts_takes_unread_topics_out_of_unread(demo_client, demo_you):
    await read_first_post(demo_client, demo_you, ASK_TOPIC)
    assert ASK_TOPIC in await listed(demo_client, demo_you, "unread")

    body = {"filter": "unread", "operation": {"type": "dismiss_posts"}}
    answer = await ok(await demo_client.put("/topics/bulk.json", headers=demo_you, json=body))

    assert answer == {"topic_ids": [ASK_TOPIC]}
    assert ASK_TOPIC not in await listed(demo_client, demo_you, "unread")
    topic = await ok(await demo_client.get(f"/t/{ASK_TOPIC}.json", headers=demo_you))
    assert topic["last_read_post_number"] == topic["highest_post_number"] == 10


async def test_bulk_dismiss_of_one_category_leaves_the_others_unread(demo_client, demo_you):
    await read_first_post(demo_client, demo_you, ASK_TOPIC)  # category 6
    await read_first_post(demo_client, demo_you, 63)  # category 9
    body = {"filter": "unread", "category_id": 9, "operation": {"type": "dismiss_posts"}}
    answer = await ok(await demo_client.put("/topics/bulk.json", headers=demo_you, json=body))

    assert answer == {"topic_ids": [63]}
    assert await listed(demo_client, demo_you, "unread") == {ASK_TOPIC}


async def test_bulk_dismiss_by_topic_ids_marks_only_those(demo_client, demo_you):
    await read_first_post(demo_client, demo_you, ASK_TOPIC)
    await read_first_post(demo_client, demo_you, 63)
    body = {"topic_ids": [63], "operation": {"type": "dismiss_posts"}}
    answer = await ok(await demo_client.put("/topics/bulk.json", headers=demo_you, json=body))

    assert answer == {"topic_ids": [63]}
    assert await listed(demo_client, demo_you, "unread") == {ASK_TOPIC}


async def test_reset_new_of_a_category_dismisses_only_its_new_topics(demo_client, demo_you):
    assert await listed(demo_client, demo_you, "new") == NEW_IN_CATEGORY_5 | NEW_ELSEWHERE

    answer = await ok(
        await demo_client.put("/topics/reset-new.json", headers=demo_you, json={"category_id": 5})
    )

    assert answer["success"] == "OK"
    assert set(answer["topic_ids"]) == NEW_IN_CATEGORY_5
    assert await listed(demo_client, demo_you, "new") == NEW_ELSEWHERE
    latest = await ok(await demo_client.get("/latest.json", headers=demo_you))
    unseen = {t["id"] for t in latest["topic_list"]["topics"] if t["unseen"]}
    assert unseen == NEW_ELSEWHERE


async def test_reset_new_without_a_category_dismisses_every_new_topic(demo_client, demo_you):
    await ok(await demo_client.put("/topics/reset-new.json", headers=demo_you, json={}))
    assert await listed(demo_client, demo_you, "new") == set()


async def test_dismissing_needs_a_login_and_a_known_operation(demo_client, demo_you):
    body = {"filter": "unread", "operation": {"type": "dismiss_posts"}}
    anonymous = await demo_client.put("/topics/bulk.json", json=body)
    assert anonymous.status_code == 403
    assert anonymous.json()["error_type"] == "not_logged_in"
    assert (await demo_client.put("/topics/reset-new.json", json={})).status_code == 403

    unknown = {"filter": "unread", "operation": {"type": "delete"}}
    refused = await demo_client.put("/topics/bulk.json", headers=demo_you, json=unknown)
    assert refused.status_code == 400
    assert refused.json()["error_type"] == "invalid_parameters"
    missing = await demo_client.put(
        "/topics/reset-new.json", headers=demo_you, json={"category_id": 9999}
    )
    assert missing.status_code == 400

"""The demo forum's topic lists for one member (``/posted.json``, ``/bookmarks.json``) and
by tag (``/tag/{tag}/l/{view}.json``, ``/tags/c/{category}/{tag}/l/{view}.json``)."""

from __future__ import annotations

from typing import Any

import httpx

from tests.unit.test_demo_schema import validate

ASK_TOPIC = 45


async def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.json()


async def ids(client: httpx.AsyncClient, path: str, headers: dict[str, str] | None = None) -> list:
    data = await ok(await client.get(path, headers=headers or {}))
    validate("/latest.json", data)  # every topic list has the shape of /latest.json
    return [topic["id"] for topic in data["topic_list"]["topics"]]


async def test_posted_lists_the_topics_the_member_posted_in(demo_client, demo_you) -> None:
    assert await ids(demo_client, "/posted.json", demo_you) == []
    body = {"topic_id": ASK_TOPIC, "raw": "My own answer to this, written for the test."}
    await ok(await demo_client.post("/posts.json", headers=demo_you, json=body))
    assert await ids(demo_client, "/posted.json", demo_you) == [ASK_TOPIC]


async def test_bookmarks_lists_topics_with_a_bookmark_on_them_or_a_post(
    demo_client, demo_you
) -> None:
    topic = await ok(await demo_client.get("/t/63.json"))
    post_id = topic["post_stream"]["posts"][1]["id"]
    mark = {"bookmarkable_id": post_id, "bookmarkable_type": "Post"}
    await ok(await demo_client.post("/bookmarks.json", headers=demo_you, json=mark))
    topic_mark = await demo_client.put(f"/t/{ASK_TOPIC}/bookmark.json", headers=demo_you)
    assert topic_mark.status_code == 200
    assert set(await ids(demo_client, "/bookmarks.json", demo_you)) == {63, ASK_TOPIC}


async def test_member_lists_need_a_login(demo_client) -> None:
    for view in ("posted", "bookmarks"):
        response = await demo_client.get(f"/{view}.json")
        assert response.status_code == 403
        assert response.json()["error_type"] == "not_logged_in"


async def test_a_tag_lists_in_any_view_and_within_a_category(demo_client) -> None:
    tagged = await ids(demo_client, "/tag/etiquette.json")
    assert tagged and tagged == await ids(demo_client, "/tag/etiquette/l/latest.json")
    top = await ids(demo_client, "/tag/etiquette/l/top.json?period=all")
    assert sorted(top) == sorted(tagged)

    categories = {
        t["category_id"]
        for t in (await ok(await demo_client.get("/tag/etiquette.json")))["topic_list"]["topics"]
    }
    category = min(categories)
    inside = await ids(demo_client, f"/tags/c/any-slug/{category}/etiquette/l/latest.json")
    assert inside and set(inside) < set(tagged)
    assert (await demo_client.get("/tags/c/x/99999/etiquette/l/latest.json")).status_code == 404
    assert (await demo_client.get("/tag/etiquette/l/sideways.json")).status_code == 404

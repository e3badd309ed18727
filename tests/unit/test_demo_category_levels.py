"""The demo forum's category notification levels: shown in ``/site.json`` and
``/categories.json``, changed with ``POST /category/{id}/notifications``, and muted
categories left out of the lists of all categories, as Discourse does.

Requests go through ``httpx.ASGITransport``; each test gets its own copy of a database
seeded once per module.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from termforum.demo import DemoApp
from termforum.demo import db as demo_db
from tests.unit.conftest import upgraded_from
from tests.unit.test_demo_schema import validate

PARENT, CHILD, OTHER = 3, 11, 6
"""Seed categories: "Visibility & Reputation" (3) with subcategory "Portfolios &
Profiles" (11); "Asking for Help" (6), unrelated."""
MUTED, REGULAR, TRACKING, WATCHING = 0, 1, 2, 3


async def set_level(
    client: httpx.AsyncClient, headers: dict[str, str], category: int, level: Any
) -> httpx.Response:
    """Discourse's web client sends the level form-encoded."""
    data = {"notification_level": str(level)}
    return await client.post(f"/category/{category}/notifications", headers=headers, data=data)


async def site_levels(client: httpx.AsyncClient, headers: dict[str, str]) -> dict[int, int]:
    response = await client.get("/site.json", headers=headers)
    assert response.status_code == 200
    validate("/site.json", response.json())
    return {cat["id"]: cat["notification_level"] for cat in response.json()["categories"]}


async def listed_categories(
    client: httpx.AsyncClient, headers: dict[str, str], path: str = "/latest.json"
) -> set[int]:
    response = await client.get(path, params={"per_page": 100}, headers=headers)
    assert response.status_code == 200, response.text
    return {topic["category_id"] for topic in response.json()["topic_list"]["topics"]}


async def test_levels_start_regular_and_change_for_the_user_only(
    demo_app: DemoApp, demo_client: httpx.AsyncClient, demo_you: dict[str, str]
) -> None:
    assert set((await site_levels(demo_client, demo_you)).values()) == {REGULAR}
    answer = await set_level(demo_client, demo_you, OTHER, WATCHING)
    assert answer.status_code == 200
    assert answer.json() == {"success": "OK", "indirectly_muted_category_ids": []}
    assert (await site_levels(demo_client, demo_you))[OTHER] == WATCHING
    # Someone else, and an anonymous visitor, still see regular.
    other = {"User-Api-Key": demo_app.create_user_api_key("elena", scopes=("read", "write"))}
    assert (await site_levels(demo_client, other))[OTHER] == REGULAR
    assert (await site_levels(demo_client, {}))[OTHER] == REGULAR


async def test_categories_json_shows_levels_of_subcategories_too(
    demo_client: httpx.AsyncClient, demo_you: dict[str, str]
) -> None:
    response = await demo_client.post(
        f"/category/{CHILD}/notifications", json={"notification_level": TRACKING}, headers=demo_you
    )
    assert response.status_code == 200  # JSON bodies are accepted as well
    data = (
        await demo_client.get(
            "/categories.json", params={"include_subcategories": "true"}, headers=demo_you
        )
    ).json()
    validate("/categories.json", data)
    parent = next(c for c in data["category_list"]["categories"] if c["id"] == PARENT)
    assert parent["notification_level"] == REGULAR
    child = next(c for c in parent["subcategory_list"] if c["id"] == CHILD)
    assert child["notification_level"] == TRACKING


async def test_muting_leaves_a_category_out_of_every_all_categories_list(
    demo_client: httpx.AsyncClient, demo_you: dict[str, str]
) -> None:
    assert OTHER in await listed_categories(demo_client, demo_you)
    assert (await set_level(demo_client, demo_you, OTHER, MUTED)).status_code == 200
    for view in ("latest", "top", "hot", "new", "unread"):
        assert OTHER not in await listed_categories(demo_client, demo_you, f"/{view}.json"), view
    # Its own list still shows its topics; other people's lists are not affected.
    assert await listed_categories(demo_client, demo_you, f"/c/{OTHER}/l/latest.json") == {OTHER}
    assert OTHER in await listed_categories(demo_client, {})
    assert (await set_level(demo_client, demo_you, OTHER, REGULAR)).status_code == 200
    assert OTHER in await listed_categories(demo_client, demo_you)


async def test_a_muted_parent_mutes_its_subcategories_unless_they_say_otherwise(
    demo_client: httpx.AsyncClient, demo_you: dict[str, str]
) -> None:
    answer = await set_level(demo_client, demo_you, PARENT, MUTED)
    assert answer.json()["indirectly_muted_category_ids"] == [CHILD, 12]
    listed = await listed_categories(demo_client, demo_you)
    assert not listed & {PARENT, CHILD, 12}
    # The parent's own list leaves out its muted subcategories but not itself.
    assert await listed_categories(demo_client, demo_you, f"/c/{PARENT}/l/latest.json") == {PARENT}
    answer = await set_level(demo_client, demo_you, CHILD, WATCHING)
    assert answer.json()["indirectly_muted_category_ids"] == [12]
    assert CHILD in await listed_categories(demo_client, demo_you)


async def test_refusals(demo_client: httpx.AsyncClient, demo_you: dict[str, str]) -> None:
    anonymous = await set_level(demo_client, {}, OTHER, MUTED)
    assert anonymous.status_code == 403
    assert anonymous.json()["error_type"] == "not_logged_in"
    assert (await set_level(demo_client, demo_you, 999, MUTED)).status_code == 404
    for level in ("5", "-1", "watching"):
        refused = await set_level(demo_client, demo_you, OTHER, level)
        assert refused.status_code == 400, level
        assert refused.json()["error_type"] == "invalid_parameters"
    missing = await demo_client.post(f"/category/{OTHER}/notifications", data={}, headers=demo_you)
    assert missing.status_code == 400
    assert set((await site_levels(demo_client, demo_you)).values()) == {REGULAR}


async def test_a_read_only_key_cannot_change_levels(
    demo_app: DemoApp, demo_client: httpx.AsyncClient
) -> None:
    reader = {"User-Api-Key": demo_app.create_user_api_key("elena", scopes=("read",))}
    refused = await set_level(demo_client, reader, OTHER, MUTED)
    assert refused.status_code == 403
    assert refused.json()["error_type"] == "invalid_access"


def test_a_data_folder_of_schema_3_is_upgraded_and_keeps_its_data(
    demo_template: Path, tmp_path: Path
) -> None:
    conn = upgraded_from(
        demo_template,
        tmp_path,
        "DROP TABLE category_users;"
        "UPDATE meta SET value = '3' WHERE key = 'schema_version';"
        "UPDATE topics SET title = 'written before the upgrade' WHERE id = 1;",
    )
    try:
        title = conn.execute("SELECT title FROM topics WHERE id = 1").fetchone()[0]
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        rows = conn.execute("SELECT COUNT(*) FROM category_users").fetchone()[0]
    finally:
        conn.close()
    assert (title, version[0], rows) == ("written before the upgrade", "4", 0)
    assert demo_db.SCHEMA_VERSION == 4

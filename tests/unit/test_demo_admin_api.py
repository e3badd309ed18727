"""The demo forum's admin-only ``POST /users.json`` and ``POST /categories.json``.

They let end-to-end tests make users and categories with *hostile* names (terminal
escape sequences, Textual markup, bidi controls, newlines) through HTTP, so these tests
check that such text is stored and served back byte for byte, and that only an admin API
key speaking for an admin may create anything.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from termforum.demo import DemoApp, create_app
from termforum.demo.db import DB_FILENAME
from termforum.demo.seed import ensure_seeded

OSC52 = "\x1b]52;c;aGFja2Vk\x07"
"""An OSC 52 "set the clipboard" sequence (base64 of "hacked")."""
MARKUP = "[@click=app.quit]x[/]"
"""Textual markup that would quit the app if rendered as markup."""
RLO = "\u202e"
"""RIGHT-TO-LEFT OVERRIDE."""
HOSTILE_USERNAME = f"evil{OSC52}{MARKUP}{RLO}\nline2"
HOSTILE_NAME = f"Mallory {MARKUP}\n{OSC52}{RLO}tnemhcatta.exe"
HOSTILE_CATEGORY = f"Cat {OSC52}{MARKUP}{RLO}\nnext"
INVALID_ACCESS = {
    "errors": ["You are not permitted to view the requested resource."],
    "error_type": "invalid_access",
}
TOPIC_RAW = "A first post that is certainly long enough to be accepted by the demo forum."


class WallClock:
    """The app's real-time clock, fixed."""

    def __call__(self) -> datetime:
        return datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-admin-template")
    ensure_seeded(folder)
    return folder


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Iterator[DemoApp]:
    shutil.copy(template / DB_FILENAME, tmp_path / DB_FILENAME)
    demo = create_app(tmp_path, wall_clock=WallClock())
    yield demo
    demo.close()


@pytest.fixture
async def client(app: DemoApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
        yield c


@pytest.fixture
def admin(app: DemoApp) -> dict[str, str]:
    """Headers of an all-users admin key speaking for the seeded admin ``giulia``."""
    return {"Api-Key": app.create_api_key(), "Api-Username": "giulia"}


def as_user(admin: dict[str, str], username: str) -> dict[str, Any]:
    """The admin key speaking for ``username``, sent as UTF-8 bytes (a str header must
    be ASCII for httpx). In-process only: control characters cannot cross real HTTP."""
    return {"Api-Key": admin["Api-Key"], "Api-Username": username.encode("utf-8")}


async def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return response.json()


async def new_topic(
    client: httpx.AsyncClient, headers: dict[str, Any], title: str, category: int
) -> dict[str, Any]:
    response = await client.post(
        "/posts.json",
        headers=headers,
        json={"title": title, "raw": TOPIC_RAW, "category": category},
    )
    return await ok(response)


# --------------------------------------------------------------------------- users


async def test_admin_creates_a_user_with_a_hostile_name_kept_exactly(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = await ok(
        await client.post(
            "/users.json",
            headers=admin,
            json={
                "username": HOSTILE_USERNAME,
                "name": HOSTILE_NAME,
                "email": "evil@example.com",
                "password": "ignored-password-123",
                "active": True,
                "approved": True,
            },
        )
    )
    assert created["success"] is True and created["active"] is True
    assert isinstance(created["user_id"], int) and created["message"]

    profile = await ok(await client.get(f"/u/{quote(HOSTILE_USERNAME, safe='')}.json"))
    user = profile["user"]
    assert user["id"] == created["user_id"]
    assert user["username"] == HOSTILE_USERNAME
    assert user["name"] == HOSTILE_NAME
    assert user["trust_level"] == 1
    assert user["admin"] is False and user["moderator"] is False

    # The new user can post, named by the admin key's Api-Username.
    post = await new_topic(client, as_user(admin, HOSTILE_USERNAME), "A topic by a new user", 4)
    assert post["username"] == HOSTILE_USERNAME and post["name"] == HOSTILE_NAME
    topic = await ok(await client.get(f"/t/{post['topic_id']}.json"))
    first = topic["post_stream"]["posts"][0]
    assert (first["username"], first["name"]) == (HOSTILE_USERNAME, HOSTILE_NAME)
    assert topic["details"]["created_by"]["username"] == HOSTILE_USERNAME

    latest = await ok(await client.get("/latest.json"))
    listed = next(t for t in latest["topic_list"]["topics"] if t["id"] == post["topic_id"])
    by_id = {u["id"]: u for u in latest["users"]}
    author = by_id[listed["posters"][0]["user_id"]]
    assert (author["username"], author["name"]) == (HOSTILE_USERNAME, HOSTILE_NAME)


async def test_a_new_user_can_be_named_by_api_user_id(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    """Over real HTTP a username with control characters cannot be a header value;
    ``Api-User-Id`` (the ``user_id`` of the answer) names the user instead."""
    created = await ok(
        await client.post("/users.json", headers=admin, data={"username": HOSTILE_USERNAME})
    )
    headers = {"Api-Key": admin["Api-Key"], "Api-User-Id": str(created["user_id"])}
    post = await new_topic(client, headers, "Posted through Api-User-Id", 4)
    assert post["username"] == HOSTILE_USERNAME
    assert post["name"] is None  # no name was given


async def test_usernames_are_refused_when_empty_too_long_or_taken(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    first = await client.post("/users.json", headers=admin, json={"username": "Wei\u202e"})
    assert first.status_code == 200
    for username, wanted in [
        ("wEI\u202e", "Username must be unique"),  # taken, whatever the case
        ("GIULIA", "Username must be unique"),  # a seeded user
        ("", "Username can't be blank"),
        ("x" * 61, "Username is too long (maximum is 60 characters)"),
    ]:
        response = await client.post("/users.json", headers=admin, json={"username": username})
        assert response.status_code == 422, username
        body = response.json()
        assert body["success"] is False and body["message"] == wanted
    missing = await client.post("/users.json", headers=admin, json={"name": "No Username"})
    assert missing.status_code == 422
    assert (await client.post("/users.json", headers=admin, json={"username": "y" * 60})).is_success


async def test_admin_routes_refuse_everyone_but_an_admin_key_for_an_admin(
    app: DemoApp, client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    refusals = {
        "anonymous": {},
        "admin's user API key": {"User-Api-Key": app.create_user_api_key("giulia")},
        "admin key for a moderator": {**admin, "Api-Username": "elena"},
        "admin key for a member": {"Api-Key": app.create_api_key("priya")},
    }
    for who, headers in refusals.items():
        for url, body in [
            ("/users.json", {"username": f"made by {who}"}),
            ("/categories.json", {"name": f"made by {who}"}),
        ]:
            response = await client.post(url, headers=headers, json=body)
            assert (response.status_code, response.json()) == (403, INVALID_ACCESS), (who, url)
    profile = await client.get(f"/u/{quote('made by anonymous', safe='')}.json")
    assert profile.status_code == 404
    names = [c["name"] for c in (await ok(await client.get("/site.json")))["categories"]]
    assert not [n for n in names if n.startswith("made by")]


# --------------------------------------------------------------------------- categories


async def test_admin_creates_a_category_with_a_hostile_name(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    created = (
        await ok(
            await client.post(
                "/categories.json",
                headers=admin,
                data={"name": HOSTILE_CATEGORY, "color": "BF1E2E", "description": "Be wary."},
            )
        )
    )["category"]
    category_id = created["id"]
    assert created["name"] == HOSTILE_CATEGORY
    assert created["slug"] == "cat-52-c-agfja2vk-click-app-quit-x-next"
    assert (created["color"], created["text_color"]) == ("BF1E2E", "FFFFFF")
    assert created["description_text"] == "Be wary."

    listed = (await ok(await client.get("/categories.json")))["category_list"]["categories"]
    entry = next(c for c in listed if c["id"] == category_id)
    assert entry["name"] == HOSTILE_CATEGORY and entry["topic_count"] == 0
    site = await ok(await client.get("/site.json"))
    assert next(c for c in site["categories"] if c["id"] == category_id)["name"] == (
        HOSTILE_CATEGORY
    )

    post = await new_topic(client, admin, "A topic in the hostile category", category_id)
    latest = (await ok(await client.get("/latest.json")))["topic_list"]["topics"]
    topic = next(t for t in latest if t["id"] == post["topic_id"])
    assert topic["category_id"] == category_id
    listed = (await ok(await client.get("/categories.json")))["category_list"]["categories"]
    assert next(c for c in listed if c["id"] == category_id)["topic_count"] == 1
    in_category = await ok(await client.get(f"/c/{created['slug']}/{category_id}.json"))
    assert [t["id"] for t in in_category["topic_list"]["topics"]] == [post["topic_id"]]


async def test_category_slugs_defaults_and_subcategories(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    bare = (
        await ok(await client.post("/categories.json", headers=admin, json={"name": "\u202e!!"}))
    )["category"]
    assert bare["slug"] == f"cat-{bare['id']}"
    assert (bare["color"], bare["text_color"]) == ("0088CC", "FFFFFF")
    child = (
        await ok(
            await client.post(
                "/categories.json",
                headers=admin,
                json={"name": "Child [b]x[/b]", "parent_category_id": bare["id"]},
            )
        )
    )["category"]
    assert child["parent_category_id"] == bare["id"]
    subs = await ok(await client.get(f"/categories.json?parent_category_id={bare['id']}"))
    assert [c["name"] for c in subs["category_list"]["categories"]] == ["Child [b]x[/b]"]
    unknown = await client.post(
        "/categories.json", headers=admin, json={"name": "Orphan", "parent_category_id": 9999}
    )
    assert unknown.status_code == 422


async def test_duplicate_and_nameless_categories_are_refused(
    client: httpx.AsyncClient, admin: dict[str, str]
) -> None:
    assert (
        await client.post("/categories.json", headers=admin, json={"name": HOSTILE_CATEGORY})
    ).is_success
    for name in (HOSTILE_CATEGORY, HOSTILE_CATEGORY.upper(), "site feedback"):
        response = await client.post("/categories.json", headers=admin, json={"name": name})
        assert response.status_code == 422, name
        assert response.json() == {"errors": ["Category Name has already been taken"]}
    nameless = await client.post("/categories.json", headers=admin, json={"color": "FFFFFF"})
    assert nameless.status_code == 400

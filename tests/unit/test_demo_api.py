"""The demo forum's HTTP API behaves like Discourse's: pagination, post streams, errors.

Requests go through ``httpx.ASGITransport`` to the plain ASGI app (no sockets).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from termforum.demo import MAX_POST_IDS, DemoApp, create_app

JSON = {"Accept": "application/json"}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoApp]:
    demo = create_app(tmp_path_factory.mktemp("demo-api"))
    yield demo
    demo.close()


@pytest.fixture
async def client(app: DemoApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
        yield c


async def get_json(client: httpx.AsyncClient, url: str, **kwargs: Any) -> Any:
    response = await client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code, response.text[:200])
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    return response.json()


async def walk_list(client: httpx.AsyncClient, first_url: str) -> list[list[dict[str, Any]]]:
    """Follow more_topics_url the way a client must: same path, Accept: application/json."""
    pages = []
    url: str | None = first_url
    while url:
        body = await get_json(client, url, headers=JSON)
        pages.append(body["topic_list"]["topics"])
        url = body["topic_list"].get("more_topics_url")
        assert len(pages) < 20
    return pages


async def long_topic_id(client: httpx.AsyncClient) -> int:
    body = await get_json(client, "/search.json", params={"q": "10,000-post in:title"})
    return body["posts"][0]["topic_id"]


# --------------------------------------------------------------------------- topic lists


async def test_latest_pages_are_zero_based_and_end_without_more_topics_url(
    client: httpx.AsyncClient,
) -> None:
    first = await get_json(client, "/latest.json")
    topic_list = first["topic_list"]
    assert topic_list["per_page"] == 30
    assert len(topic_list["topics"]) == 30
    assert topic_list["more_topics_url"] == "/latest?page=1"
    page0 = await get_json(client, "/latest.json?page=0")
    assert [t["id"] for t in page0["topic_list"]["topics"]] == [
        t["id"] for t in topic_list["topics"]
    ]

    pages = await walk_list(client, "/latest.json")
    ids = [t["id"] for page in pages for t in page]
    assert len(ids) == len(set(ids)) >= 60
    assert all(len(page) == 30 for page in pages[:-1]) and 0 < len(pages[-1]) <= 30
    beyond = await get_json(client, f"/latest.json?page={len(pages)}")
    assert beyond["topic_list"]["topics"] == []
    assert "more_topics_url" not in beyond["topic_list"]


async def test_more_topics_url_keeps_the_list_options(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/latest.json?no_definitions=true")
    url = body["topic_list"]["more_topics_url"]
    assert url == "/latest?no_definitions=true&page=1"
    top = await get_json(client, "/top.json?period=all&per_page=10")
    parts = urlsplit(top["topic_list"]["more_topics_url"])
    assert parts.path == "/top"
    assert parse_qs(parts.query) == {"period": ["all"], "per_page": ["10"], "page": ["1"]}
    assert top["topic_list"]["for_period"] == "all"


async def test_no_definitions_hides_the_about_the_category_topics(
    client: httpx.AsyncClient,
) -> None:
    every = [t for p in await walk_list(client, "/latest.json") for t in p]
    plain = [t for p in await walk_list(client, "/latest.json?no_definitions=true") for t in p]
    about = {t["id"] for t in every if t["title"].startswith("About the ")}
    assert about and not about & {t["id"] for t in plain}


async def test_pinned_topics_come_first(client: httpx.AsyncClient) -> None:
    latest = (await get_json(client, "/latest.json"))["topic_list"]["topics"]
    assert latest[0]["pinned_globally"] and latest[0]["pinned"]
    assert not any(t["pinned_globally"] for t in latest[1:])
    bumped = [t["bumped_at"] for t in latest[1:]]
    assert bumped == sorted(bumped, reverse=True)

    site = await get_json(client, "/site.json")
    category = next(c for c in site["categories"] if c["slug"] == "asking-for-help")
    listed = await get_json(client, f"/c/asking-for-help/{category['id']}.json")
    first = listed["topic_list"]["topics"][0]
    assert first["pinned"] and first["category_id"] == category["id"]
    assert category["topic_url"].endswith(f"/{first['id']}")


async def test_category_lists_include_subcategories_and_none_excludes_them(
    client: httpx.AsyncClient,
) -> None:
    site = await get_json(client, "/site.json")
    cats = {c["id"]: c for c in site["categories"]}
    parent = next(c for c in cats.values() if c.get("has_children") and c["slug"] != "etiquette")
    children = {c["id"] for c in cats.values() if c.get("parent_category_id") == parent["id"]}
    assert children
    base = f"/c/{parent['slug']}/{parent['id']}"
    with_subs = [t for p in await walk_list(client, base + ".json") for t in p]
    assert {t["category_id"] for t in with_subs} == {parent["id"], *children}
    only = [t for p in await walk_list(client, base + "/none.json") for t in p]
    assert {t["category_id"] for t in only} == {parent["id"]}
    child = cats[min(children)]
    nested = await get_json(client, f"/c/{parent['slug']}/{child['slug']}/{child['id']}.json")
    assert {t["category_id"] for t in nested["topic_list"]["topics"]} == {child["id"]}
    # The trailing id is what matters, as in Discourse.
    odd_slug = await get_json(client, f"/c/whatever/{child['id']}.json")
    assert odd_slug["topic_list"]["topics"] == nested["topic_list"]["topics"]


async def test_paths_without_json_need_the_accept_header(client: httpx.AsyncClient) -> None:
    html = await client.get("/latest")
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    body = await get_json(client, "/latest", headers=JSON)
    assert body["topic_list"]["topics"]


async def test_top_periods_and_hot(client: httpx.AsyncClient) -> None:
    counts = {}
    for period in ("daily", "weekly", "monthly", "quarterly", "yearly", "all"):
        pages = await walk_list(client, f"/top.json?period={period}")
        counts[period] = sum(len(p) for p in pages)
    assert 0 < counts["daily"] <= counts["weekly"] <= counts["monthly"] <= counts["all"]
    assert counts["quarterly"] <= counts["yearly"] <= counts["all"]
    bad = await client.get("/top.json?period=fortnightly")
    assert bad.status_code == 400 and bad.json()["error_type"] == "invalid_parameters"
    hot = await get_json(client, "/hot.json")
    assert hot["topic_list"]["topics"]


async def test_new_and_unread_need_a_login(client: httpx.AsyncClient) -> None:
    for url in ("/new.json", "/unread.json", "/c/trends/5/l/new.json"):
        response = await client.get(url)
        assert response.status_code == 403
        assert response.json() == {
            "errors": ["You need to be logged in to do that."],
            "error_type": "not_logged_in",
        }


async def test_topic_list_items_sideload_their_posters(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/latest.json")
    users = {u["id"] for u in body["users"]}
    for topic in body["topic_list"]["topics"]:
        assert topic["posters"], topic["title"]
        assert {p["user_id"] for p in topic["posters"]} <= users
        assert "Original Poster" in topic["posters"][0]["description"]
        assert "last_read_post_number" not in topic  # anonymous, as in Discourse


# --------------------------------------------------------------------------- topics and posts


async def test_topic_has_first_chunk_and_full_stream(client: httpx.AsyncClient) -> None:
    search = await get_json(client, "/search.json", params={"q": "Presentazioni in:title"})
    topic_id = search["posts"][0]["topic_id"]
    topic = await get_json(client, f"/t/{topic_id}.json")
    stream = topic["post_stream"]["stream"]
    posts = topic["post_stream"]["posts"]
    assert topic["chunk_size"] == 20
    assert len(stream) == topic["posts_count"] == topic["highest_post_number"]
    assert [p["id"] for p in posts] == stream[: len(posts)]
    assert [p["post_number"] for p in posts] == list(range(1, len(posts) + 1))
    by_slug = await get_json(client, f"/t/{topic['slug']}/{topic_id}.json")
    assert by_slug["post_stream"]["stream"] == stream
    wrong_slug = await client.get(f"/t/not-the-slug/{topic_id}.json")
    assert wrong_slug.status_code == 301
    assert wrong_slug.headers["location"] == f"/t/{topic['slug']}/{topic_id}.json"


async def test_posts_by_id_batches_rebuild_the_stream(app: DemoApp) -> None:
    # Same data folder, but with the mega-topic threshold raised so the 10,000-post topic
    # comes with its full stream.
    demo = create_app(app.data_dir, mega_topic_posts=100_000)
    try:
        transport = httpx.ASGITransport(app=demo)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
            topic_id = await long_topic_id(c)
            topic = await get_json(c, f"/t/{topic_id}.json")
            stream = topic["post_stream"]["stream"]
            assert len(stream) == 10_000
            loaded = [p["id"] for p in topic["post_stream"]["posts"]]
            assert loaded == stream[:20]
            wanted = stream[20:250]
            for start in range(0, len(wanted), 23):
                chunk = wanted[start : start + 23]
                params = [("post_ids[]", str(i)) for i in reversed(chunk)]
                batch = await get_json(c, f"/t/{topic_id}/posts.json", params=params)
                assert batch["id"] == topic_id
                got = [p["id"] for p in batch["post_stream"]["posts"]]
                assert got == chunk  # in stream order, whatever order they were asked in
                loaded += got
            assert loaded == stream[:250]
    finally:
        demo.close()


async def test_posts_request_ignores_foreign_ids_and_caps_the_batch(
    client: httpx.AsyncClient,
) -> None:
    first = await get_json(client, "/t/1.json")
    other = await get_json(client, "/t/2.json")
    own = first["post_stream"]["stream"][0]
    foreign = other["post_stream"]["stream"][0]
    params = [("post_ids[]", str(own)), ("post_ids[]", str(foreign)), ("post_ids[]", "junk")]
    body = await get_json(client, "/t/1/posts.json", params=params)
    assert [p["id"] for p in body["post_stream"]["posts"]] == [own]

    at_cap = [("post_ids[]", str(own))] * MAX_POST_IDS
    assert (await client.get("/t/1/posts.json", params=at_cap)).status_code == 200
    too_many = await client.get("/t/1/posts.json", params=at_cap + [("post_ids[]", str(own))])
    assert too_many.status_code == 400
    assert too_many.json()["error_type"] == "invalid_parameters"


async def test_mega_topic_has_no_stream_and_pages_by_post_number(
    client: httpx.AsyncClient,
) -> None:
    topic_id = await long_topic_id(client)
    topic = await get_json(client, f"/t/{topic_id}.json")
    stream = topic["post_stream"]
    assert topic["posts_count"] == 10_000
    assert stream["isMegaTopic"] is True and "stream" not in stream
    assert "timeline_lookup" not in topic
    assert [p["post_number"] for p in stream["posts"]] == list(range(1, 21))
    after = await get_json(
        client, f"/t/{topic_id}/posts.json", params={"post_number": "20", "asc": "true"}
    )
    assert [p["post_number"] for p in after["post_stream"]["posts"]] == list(range(21, 41))
    before = await get_json(
        client, f"/t/{topic_id}/posts.json", params={"post_number": "41", "asc": "false"}
    )
    assert [p["post_number"] for p in before["post_stream"]["posts"]] == list(range(40, 20, -1))
    near = await get_json(client, f"/t/{topic_id}/5000.json")
    numbers = [p["post_number"] for p in near["post_stream"]["posts"]]
    assert 5000 in numbers and len(numbers) == 20 and near["current_post_number"] == 5000
    last = await get_json(client, f"/t/{topic_id}/last.json")
    assert last["post_stream"]["posts"][-1]["post_number"] == 10_000
    assert last["post_stream"]["posts"][-1]["id"] == stream["lastId"]
    ids = await get_json(client, f"/t/{topic_id}/post_ids.json?post_number=9990")
    assert len(ids["post_ids"]) == 10


async def test_post_raw_and_reply_to_user(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/search.json", params={"q": "operators I use"})
    topic_id = body["posts"][0]["topic_id"]
    topic = await get_json(client, f"/t/{topic_id}.json")
    reply = next(p for p in topic["post_stream"]["posts"] if p["reply_to_post_number"])
    target = next(
        p
        for p in topic["post_stream"]["posts"]
        if p["post_number"] == reply["reply_to_post_number"]
    )
    assert reply["reply_to_user"]["username"] == target["username"]
    full = await get_json(client, f"/posts/{reply['id']}.json")
    assert full["raw"] and full["cooked"] == reply["cooked"]
    raw = await client.get(f"/raw/{topic_id}/{reply['post_number']}")
    assert raw.headers["content-type"].startswith("text/plain")
    assert raw.text == full["raw"]
    by_id = await client.get(f"/posts/{reply['id']}/raw")
    assert by_id.text == full["raw"]
    replies = await get_json(client, f"/posts/{target['id']}/replies.json")
    assert reply["id"] in [p["id"] for p in replies]


async def test_likes_show_in_actions_summary(client: httpx.AsyncClient) -> None:
    latest = await get_json(client, "/latest.json")
    liked = 0
    for item in latest["topic_list"]["topics"][:10]:
        topic = await get_json(client, f"/t/{item['id']}.json")
        total = 0
        for post in topic["post_stream"]["posts"]:
            likes = [a for a in post["actions_summary"] if a["id"] == 2]
            assert len(likes) <= 1
            if likes:  # Discourse leaves the entry out when nobody liked the post
                assert likes[0]["count"] > 0 and likes[0]["can_act"] is False
                total += likes[0]["count"]
        if topic["posts_count"] <= len(topic["post_stream"]["posts"]):
            assert total == topic["like_count"]
        liked += total > 0
    assert liked >= 5


# --------------------------------------------------------------------------- search, users, errors


async def test_search_finds_words_in_titles_and_bodies(client: httpx.AsyncClient) -> None:
    body = await get_json(client, "/search.json", params={"q": "TMUX"})
    result = body["grouped_search_result"]
    assert body["posts"] and result["term"] == "TMUX"
    assert result["post_ids"] == [p["id"] for p in body["posts"]]
    assert {t["id"] for t in body["topics"]} == {p["topic_id"] for p in body["posts"]}
    assert all("tmux" in p["blurb"].lower() for p in body["posts"][:5])
    accented = await get_json(client, "/search.json", params={"q": "COMUNITÀ"})
    assert accented["posts"]
    nothing = await get_json(client, "/search.json", params={"q": "zzqqxx"})
    assert (
        nothing["posts"] == []
        and nothing["grouped_search_result"]["more_full_page_results"] is None
    )


async def test_search_pages_and_filters(client: httpx.AsyncClient) -> None:
    first = await get_json(client, "/search.json", params={"q": "the"})
    assert len(first["posts"]) == 50
    assert first["grouped_search_result"]["more_full_page_results"] is True
    second = await get_json(client, "/search.json", params={"q": "the", "page": "2"})
    assert not {p["id"] for p in first["posts"]} & {p["id"] for p in second["posts"]}
    by_user = await get_json(client, "/search.json", params={"q": "tmux @sam_ops"})
    assert by_user["posts"] and {p["username"] for p in by_user["posts"]} == {"sam_ops"}
    titles = await get_json(client, "/search.json", params={"q": "tmux in:title"})
    assert all(p["post_number"] == 1 for p in titles["posts"])
    assert all("tmux" in p["topic_title_headline"].lower() for p in titles["posts"])
    short = await get_json(client, "/search.json", params={"q": "a"})
    assert short["posts"] == [] and short["grouped_search_result"]["error"]


async def test_users_and_session(client: httpx.AsyncClient) -> None:
    user = await get_json(client, "/u/giulia.json")
    assert user["user"]["username"] == "giulia" and user["user"]["trust_level"] == 4
    assert (await client.get("/u/nobody-here.json")).status_code == 404
    session = await client.get("/session/current.json")
    assert session.status_code == 404 and session.content == b""


async def test_unknown_routes_answer_discourse_404(client: httpx.AsyncClient) -> None:
    for url in ("/no/such/thing.json", "/t/999999.json", "/posts/0.json", "/c/99999.json"):
        response = await client.get(url)
        assert response.status_code == 404, url
        assert response.headers["content-type"] == "application/json; charset=utf-8"
        assert response.json() == {
            "errors": ["The requested URL or resource could not be found."],
            "error_type": "not_found",
        }
    html = await client.get("/no/such/page")
    assert html.status_code == 404 and html.headers["content-type"].startswith("text/html")


async def test_route_header_head_requests_and_post_to_read_routes(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/latest.json")
    assert response.headers["x-discourse-route"] == "list/latest"
    assert response.headers["cache-control"] == "no-cache, no-store"
    head = await client.head("/latest.json")
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["content-length"]) == len(response.content)
    assert (await client.post("/latest.json")).status_code == 404


async def test_site_lists_every_category_with_parents(client: httpx.AsyncClient) -> None:
    site = await get_json(client, "/site.json")
    ids = {c["id"] for c in site["categories"]}
    assert all(c.get("parent_category_id", next(iter(ids))) in ids for c in site["categories"])
    assert site["post_types"]["small_action"] == 3
    assert "hot" in site["filters"] and "quarterly" in site["periods"]
    categories = await get_json(client, "/categories.json?include_subcategories=true")
    listed = categories["category_list"]["categories"]
    assert all("parent_category_id" not in c for c in listed)
    with_subs = [c for c in listed if c["subcategory_ids"]]
    assert with_subs and all(
        [s["id"] for s in c["subcategory_list"]] == c["subcategory_ids"] for c in with_subs
    )
    plain = await get_json(client, "/categories.json")
    assert all("subcategory_list" not in c for c in plain["category_list"]["categories"])
    info = await get_json(client, "/site/basic-info.json")
    assert info["login_required"] is False and info["title"]


def test_importing_the_package_is_cheap() -> None:
    import subprocess
    import sys

    code = (
        "import sys, termforum.demo\n"
        "heavy = {'uvicorn', 'markdown_it', 'sqlite3', 'termforum.demo.app'}\n"
        "print(sorted(heavy & set(sys.modules)))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_app_uses_a_temporary_folder_when_none_is_given() -> None:
    demo = create_app()
    folder = Path(demo.data_dir)
    assert (folder / "demo.sqlite3").is_file()
    demo.close()
    assert not folder.exists()

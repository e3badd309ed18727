"""DiscourseBackend read path, replaying real recorded Discourse responses.

The fixtures under ``tests/fixtures/discourse/`` are unmodified recordings (see SOURCES.md):
``gem/`` holds 2014–2021 shapes, ``api_docs/`` the documented current ones. A fake forum
(``httpx.MockTransport``) routes requests by path, records them, and tests assert on what a
user would see (titles, authors, counts, order) and on what was asked of the server.
"""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import pytest

from termforum.backends import Backend
from termforum.backends.discourse import POSTS_BATCH_SIZE, DiscourseBackend
from termforum.errors import ForumError, Rejected
from termforum.net import make_client

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discourse"
BASE = "https://forum.test"

Route = Callable[[httpx.Request], Any] | Any


def fixture(name: str) -> Any:
    """A fresh copy of a recorded response."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class FakeForum:
    """Routes requests by path to canned JSON (or a callable), keeping every request."""

    def __init__(self, routes: dict[str, Route]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = self.routes.get(request.url.path)
        if route is None:
            return httpx.Response(
                404,
                json={
                    "errors": ["The requested URL or resource could not be found."],
                    "error_type": "not_found",
                },
            )
        answer = route(request) if callable(route) else route
        return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=answer)

    @property
    def paths(self) -> list[str]:
        return [request.url.path for request in self.requests]


@pytest.fixture
async def connect():
    """``connect(forum, credentials=None)`` → a backend talking to the fake forum."""
    clients: list[httpx.AsyncClient] = []

    def _connect(forum: FakeForum, credentials: object | None = None) -> DiscourseBackend:
        client = make_client(BASE, transport=httpx.MockTransport(forum))
        clients.append(client)
        return DiscourseBackend(BASE, http=client, credentials=credentials)

    yield _connect
    for client in clients:
        await client.aclose()


def site_json() -> dict[str, Any]:
    """A ``/site.json`` body in the documented ``getSite`` shape (categories part).

    No real recording is shipped; categories come in the flat form with ``parent_category_id``
    on subcategories, deliberately not in display order.
    """
    return {
        "default_archetype": "regular",
        "post_types": {"regular": 1, "moderator_action": 2, "small_action": 3, "whisper": 4},
        "filters": ["latest", "unread", "new", "unseen", "top", "read", "posted", "hot"],
        "periods": ["all", "yearly", "quarterly", "monthly", "weekly", "daily"],
        "uncategorized_category_id": 1,
        "categories": [
            {
                "id": 7,
                "name": "Help &amp; support",
                "slug": "help",
                "color": "BF1E2E",
                "text_color": "FFFFFF",
                "position": 2,
                "topic_count": 40,
                "description_text": "Ask for help with anything.",
                "has_children": True,
            },
            {
                "id": 9,
                "name": "Python",
                "slug": "python",
                "color": "3AB54A",
                "parent_category_id": 7,
                "position": 6,
                "topic_count": 12,
                "description_text": "Python questions.",
            },
            {
                "id": 1,
                "name": "Uncategorized",
                "slug": "uncategorized",
                "color": "0088CC",
                "position": 0,
                "topic_count": 3,
                "description_text": "Topics that don't need a category.",
            },
            {
                "id": 10,
                "name": "Rust",
                "slug": "rust",
                "color": "F7941D",
                "parent_category_id": 7,
                "position": 5,
                "topic_count": 4,
            },
            {
                "id": 8,
                "name": "Announcements",
                "slug": "announcements",
                "color": "not-a-colour",
                "position": 1,
                "topic_count": 2,
                "description": "<p>News from the <b>team</b> &amp; friends.</p>",
            },
        ],
    }


# --- the protocol -----------------------------------------------------------------------------


async def test_backend_implements_the_protocol_with_reading_capabilities_only(connect) -> None:
    backend = connect(FakeForum({}))
    assert isinstance(backend, Backend)
    assert backend.kind == "discourse"
    assert backend.capabilities == frozenset({"search", "users"})


async def test_owned_client_is_closed_and_injected_one_is_left_open(connect) -> None:
    forum = FakeForum({"/site/basic-info.json": {"title": "T", "description": ""}})
    backend = connect(forum)
    await backend.aclose()
    await backend.aclose()
    assert backend._http.is_closed is False  # the injected client belongs to the test
    with pytest.raises(ForumError, match="closed"):
        await backend.site()

    own = DiscourseBackend(BASE)
    await own.aclose()
    await own.aclose()
    assert own._http.is_closed is True


# --- site -------------------------------------------------------------------------------------


async def test_site_from_basic_info(connect) -> None:
    forum = FakeForum(
        {
            "/site/basic-info.json": {
                "logo_url": "/images/logo.png",
                "title": "Example Community",
                "description": "A place to <b>talk</b> about examples &amp; more",
                "login_required": True,
                "locale": "en",
            }
        }
    )
    site = await connect(forum).site()
    assert site.title == "Example Community"
    assert site.description == "A place to talk about examples & more"
    assert site.url == BASE
    assert site.login_required is True
    assert site.version is None
    assert forum.paths == ["/site/basic-info.json"]


async def test_site_on_an_old_server_falls_back_to_about(connect) -> None:
    forum = FakeForum(
        {
            "/site/basic-info.json": httpx.Response(
                404,
                text="<html><body>Page not found</body></html>",
                headers={"Content-Type": "text/html"},
            ),
            "/about.json": {
                "about": {"title": "Old Forum", "description": "Since 2014", "version": "2.3.0"}
            },
        }
    )
    site = await connect(forum).site()
    assert (site.title, site.description, site.version) == ("Old Forum", "Since 2014", "2.3.0")
    assert site.login_required is False


# --- groups -----------------------------------------------------------------------------------


async def test_groups_from_site_json_in_display_order(connect) -> None:
    forum = FakeForum({"/site.json": site_json()})
    groups = await connect(forum).groups()
    assert [(g.name, g.parent_id) for g in groups] == [
        ("Uncategorized", None),
        ("Announcements", None),
        ("Help & support", None),
        ("Rust", "7"),
        ("Python", "7"),
    ]
    by_name = {g.name: g for g in groups}
    assert by_name["Announcements"].description == "News from the team & friends."
    assert by_name["Python"].description == "Python questions."
    assert by_name["Rust"].description == ""
    assert by_name["Help & support"].topic_count == 40
    assert by_name["Uncategorized"].color == "#0088CC"
    assert by_name["Announcements"].color is None
    assert by_name["Python"].slug == "python"
    assert forum.paths == ["/site.json"]


async def test_groups_fall_back_to_categories_json_old_shape(connect) -> None:
    def categories(request: httpx.Request) -> Any:
        assert request.url.params["include_subcategories"] == "true"
        return fixture("gem/categories.json")

    forum = FakeForum({"/site.json": {"categories": []}, "/categories.json": categories})
    groups = await connect(forum).groups()
    assert [(g.id, g.name, g.description, g.color) for g in groups] == [
        ("1", "test1", "Test category #1.", "#0000FF"),
        ("2", "test2", "Test category #2.", "#00FF00"),
        ("3", "test3", "Test category #3.", "#FF0000"),
    ]
    assert all(g.parent_id is None and g.topic_count == 0 for g in groups)
    assert forum.paths == ["/site.json", "/categories.json"]


async def test_groups_fall_back_to_nested_subcategory_lists(connect) -> None:
    body = fixture("gem/categories.json")
    test2 = body["category_list"]["categories"][1]
    # The current shape nests subcategories (with include_subcategories=true).
    test2["subcategory_ids"] = [12, 11]
    test2["subcategory_list"] = [
        {"id": 12, "name": "second child", "slug": "second", "position": 2, "color": "111111"},
        {"id": 11, "name": "first child", "slug": "first", "position": 1, "color": "222222"},
    ]
    forum = FakeForum({"/site.json": {"filters": ["latest"]}, "/categories.json": body})
    groups = await connect(forum).groups()
    assert [(g.name, g.parent_id) for g in groups] == [
        ("test1", None),
        ("test2", None),
        ("first child", "2"),
        ("second child", "2"),
        ("test3", None),
    ]


# --- topic lists ------------------------------------------------------------------------------


async def test_latest_old_shape(connect) -> None:
    def latest(request: httpx.Request) -> Any:
        assert "page" not in request.url.params
        return fixture("gem/latest.json")

    page = await connect(FakeForum({"/latest.json": latest})).topics()
    assert [t.title for t in page.topics] == ["Test topic #1", "Test topic #2", "Test topic #3"]
    first = page.topics[0]
    assert first.author == "test_users"  # the "Original Poster" joined with users[]
    assert first.last_poster == "test_user"
    assert first.group_id == "1"
    assert (first.posts_count, first.views, first.like_count) == (1, 268, 14)
    assert first.pinned is True and first.closed is False
    assert first.excerpt.startswith("Welcome! Try is a sandbox, a safe place to play")
    assert first.created_at == datetime(
        2013, 2, 4, 15, 26, 25, 977000, tzinfo=timezone(timedelta(hours=-5))
    )
    assert page.topics[1].excerpt == ""
    assert page.next_page == 1  # from "/latest.json?page=1"


async def test_latest_current_shape(connect) -> None:
    forum = FakeForum({"/latest.json": fixture("api_docs/topics/latest_topics_response.json")})
    page = await connect(forum).topics(view="latest")
    assert [(t.id, t.author, t.posts_count) for t in page.topics] == [
        ("13", "discourse1", 1),
        ("12", "discourse1", 7),
        ("8", "system", 1),
    ]
    welcome = page.topics[2]
    assert welcome.title == "Welcome to Discourse"
    assert "It's important!" in welcome.excerpt
    assert page.topics[0].created_at == datetime(2016, 10, 29, 14, 14, 20, 321000, tzinfo=UTC)
    assert page.next_page is None


@pytest.mark.parametrize(
    ("more_topics_url", "expected"),
    [
        ("/latest?no_definitions=true&page=2", 2),  # current: relative, no .json
        ("https://forum.test/latest?page=2", 2),  # absolute
        ("/latest.json?page=2", 2),  # old servers
        ("/latest?no_definitions=true", 2),  # no page argument: the next one
        ("/latest?page=1", None),  # the same page again: stop rather than loop
        (None, None),  # last page
    ],
)
async def test_next_page_comes_from_more_topics_url(connect, more_topics_url, expected) -> None:
    def latest(request: httpx.Request) -> Any:
        assert request.url.params["page"] == "1"
        body = fixture("api_docs/topics/latest_topics_response.json")
        if more_topics_url is not None:
            body["topic_list"]["more_topics_url"] = more_topics_url
        return body

    page = await connect(FakeForum({"/latest.json": latest})).topics(page=1)
    assert page.next_page == expected
    assert len(page.topics) == 3


async def test_author_is_the_original_poster_among_several(connect) -> None:
    body = fixture("api_docs/topics/latest_topics_response.json")
    first, second = body["topic_list"]["topics"][:2]
    first["posters"] = [
        {"user_id": -1, "description": "Frequent Poster"},
        {"user_id": 1, "description": "Original Poster"},
        {"user_id": -1, "description": "Most Recent Poster"},
    ]
    # A forum in another language translates the descriptions: the first poster is the OP.
    second["posters"] = [
        {"user_id": -1, "description": "Autore originale"},
        {"user_id": 1, "description": "Autore più recente"},
    ]
    page = await connect(FakeForum({"/latest.json": body})).topics()
    assert [t.author for t in page.topics[:2]] == ["discourse1", "system"]


async def test_top_with_a_period(connect) -> None:
    def top(request: httpx.Request) -> Any:
        assert request.url.params["period"] == "yearly"
        return fixture("api_docs/topics/top.json")

    page = await connect(FakeForum({"/top.json": top})).topics(view="top", period="yearly")
    [topic] = page.topics
    assert topic.title == "E45937e6-b689-b938-f7d1-13f64906b04a"
    assert topic.author == "discourse1"
    assert topic.posts_count == 7
    assert page.next_page is None


async def test_top_without_period_leaves_the_default_to_the_forum(connect) -> None:
    def top(request: httpx.Request) -> Any:
        assert "period" not in request.url.params
        return fixture("gem/top.json")

    page = await connect(FakeForum({"/top.json": top})).topics(view="top")
    # This old recording has no users[]; the original poster is also the most recent one.
    assert [t.author for t in page.topics] == ["test_user"] * 3
    assert page.next_page == 1


@pytest.mark.parametrize(("view", "name"), [("hot", "gem/hot.json"), ("new", "gem/new.json")])
async def test_other_views_use_their_own_list(connect, view, name) -> None:
    forum = FakeForum({f"/{view}.json": fixture(name)})
    page = await connect(forum).topics(view=view)
    assert [t.title for t in page.topics] == ["Test topic #1", "Test topic #2", "Test topic #3"]
    assert forum.paths == [f"/{view}.json"]


async def test_unknown_view_or_period_is_refused_before_asking(connect) -> None:
    forum = FakeForum({})
    backend = connect(forum)
    with pytest.raises(ForumError, match="controversial"):
        await backend.topics(view="controversial")
    with pytest.raises(ForumError, match="fortnightly"):
        await backend.topics(view="top", period="fortnightly")
    assert forum.requests == []


async def test_category_list_uses_the_slug_path_from_groups(connect) -> None:
    forum = FakeForum(
        {
            "/site.json": site_json(),
            "/c/help/python/9/l/latest.json": fixture("gem/category_latest_topics.json"),
            "/c/uncategorized/1/l/top.json": fixture("api_docs/topics/top.json"),
        }
    )
    backend = connect(forum)
    page = await backend.topics("9")
    assert [(t.title, t.author, t.posts_count) for t in page.topics] == [
        ("About the category", "fuzzy", 2),
        ("This is a markdown post", "fuzzy", 2),
    ]
    await backend.topics("1", view="top", period="all")
    # The categories were loaded once, on demand, to learn the slugs.
    assert forum.paths == [
        "/site.json",
        "/c/help/python/9/l/latest.json",
        "/c/uncategorized/1/l/top.json",
    ]
    assert forum.requests[-1].url.params["period"] == "all"


async def test_unread_counts_old_and_current_shapes(connect) -> None:
    body = fixture("gem/category_latest_topics.json")
    old, current = body["topic_list"]["topics"]
    old.update({"unread": 2, "new_posts": 3})
    current.update({"unread_posts": 4, "new_posts": 9, "unread": 1})
    forum = FakeForum({"/site.json": site_json(), "/c/help/rust/10/l/unread.json": body})
    page = await connect(forum).topics("10", view="unread")
    assert [t.unread_posts for t in page.topics] == [5, 4]


async def test_title_falls_back_to_the_decoded_fancy_title(connect) -> None:
    body = fixture("api_docs/topics/latest_topics_response.json")
    topic = body["topic_list"]["topics"][0]
    del topic["title"]
    topic["fancy_title"] = "Tom &amp; Jerry &ndash; &lt;b&gt;the movie&lt;/b&gt;"
    topic["tags"] = ["cartoons", {"id": 3, "name": "movies", "slug": "movies"}]
    page = await connect(FakeForum({"/latest.json": body})).topics()
    assert page.topics[0].title == "Tom & Jerry – <b>the movie</b>"
    assert page.topics[0].tags == ("cartoons", "movies")


# --- threads and posts ------------------------------------------------------------------------


async def test_thread_old_shape(connect) -> None:
    forum = FakeForum({"/t/57.json": fixture("gem/topic.json")})
    thread = await connect(forum).thread("57")
    topic = thread.topic
    assert topic.title == "THIS SITE IS A SANDBOX -- it is reset every day"
    assert (topic.author, topic.last_poster) == ("samsaffron", "splattne")
    assert (topic.group_id, topic.posts_count, topic.views) == ("13", 4, 268)
    assert topic.pinned is True
    assert thread.post_ids == ("83", "84", "86", "226")
    assert [(p.number, p.author, p.kind) for p in thread.posts] == [
        (1, "samsaffron", "regular"),
        (2, "samsaffron", "moderator_action"),
        (3, "stienman", "regular"),
        (14, "splattne", "regular"),
    ]
    opening, _, liked, reply = thread.posts
    assert opening.name == "Sam Saffron"
    assert opening.version == 5
    assert opening.html.startswith("<p>Welcome!</p>")
    assert opening.topic_id == "57"
    assert liked.like_count == 5 and liked.liked is False
    assert (reply.reply_to, reply.reply_to_user) == (1, "samsaffron")
    assert reply.created_at == datetime(
        2013, 2, 5, 12, 14, 17, 364000, tzinfo=timezone(timedelta(hours=-5))
    )


async def test_thread_current_shape(connect) -> None:
    forum = FakeForum({"/t/13.json": fixture("api_docs/topics/topic_response.json")})
    thread = await connect(forum).thread("13")
    assert thread.topic.title == "About the 9bf05639-c1d6-95e0-b5b1-24c75db096e5 category"
    assert (thread.topic.author, thread.topic.group_id) == ("discourse1", "5")
    assert thread.topic.last_posted_at is None
    assert thread.post_ids == ("16",)
    [post] = thread.posts
    assert (post.id, post.number, post.author, post.name) == ("16", 1, "discourse1", None)
    assert post.can_edit is False and post.like_count == 0


async def test_thread_then_the_missing_posts_in_a_second_request(connect) -> None:
    topic = fixture("gem/topic.json")
    topic["post_stream"]["stream"].append(123456)  # a post beyond the first chunk

    def more_posts(request: httpx.Request) -> Any:
        assert request.url.params.get_list("post_ids[]") == ["123456"]
        return fixture("gem/topic_posts.json")

    forum = FakeForum({"/t/57.json": topic, "/t/57/posts.json": more_posts})
    backend = connect(forum)
    thread = await backend.thread("57")
    loaded = {post.id for post in thread.posts}
    missing = [post_id for post_id in thread.post_ids if post_id not in loaded]
    assert missing == ["123456"]
    [post] = await backend.posts("57", missing)
    assert (post.id, post.number, post.author, post.name) == (
        "123456",
        2,
        "Some-username",
        "Someones Name",
    )
    assert post.html == "<p>Some text.</p>"
    assert (post.like_count, post.can_edit, post.raw) == (3, True, None)
    assert post.created_at == datetime(2020, 1, 27, 11, 32, 3, 646000, tzinfo=UTC)


async def test_posts_are_batched_in_the_query_string_and_returned_in_order(connect) -> None:
    template = fixture("gem/topic_posts.json")["post_stream"]["posts"][0]
    ids = [str(100_000_000 + 3 * n) for n in range(1000)]  # ids as long as a big forum's
    numbers = {post_id: n + 2 for n, post_id in enumerate(ids)}
    deleted = ids[7]

    def posts(request: httpx.Request) -> Any:
        assert request.content == b""  # ids travel in the query string, not in a body
        asked = request.url.params.get_list("post_ids[]")
        assert 0 < len(asked) <= POSTS_BATCH_SIZE
        answer = []
        for post_id in reversed(asked):  # the server's order is not ours
            if post_id == deleted:
                continue
            post = copy.deepcopy(template)
            post.update(id=int(post_id), post_number=numbers[post_id], username=f"u{post_id}")
            answer.append(post)
        return {"post_stream": {"posts": answer}, "id": 57}

    forum = FakeForum({"/t/57/posts.json": posts})
    result = await connect(forum).posts("57", ids)
    assert len(forum.requests) == math.ceil(len(ids) / POSTS_BATCH_SIZE) > 1
    # nginx refuses request lines over 8 KiB (414): every batch must fit.
    assert max(len(r.url.raw_path) for r in forum.requests) + len("GET  HTTP/1.1") < 8192
    asked = [i for r in forum.requests for i in r.url.params.get_list("post_ids[]")]
    assert asked == ids
    expected = [post_id for post_id in ids if post_id != deleted]
    assert [post.id for post in result] == expected
    assert [post.number for post in result] == [numbers[i] for i in expected]
    assert result[0].author == f"u{ids[0]}"


async def test_posts_with_no_ids_asks_nothing(connect) -> None:
    forum = FakeForum({})
    assert await connect(forum).posts("57", []) == []
    assert forum.requests == []


# --- search -----------------------------------------------------------------------------------


async def test_search_current_shape(connect) -> None:
    def search(request: httpx.Request) -> Any:
        assert request.url.params["q"] == "ecf65fcd #support"
        assert request.url.params["page"] == "1"  # our page 0 is Discourse's page 1
        return fixture("api_docs/search/query_response.json")

    [hit] = await connect(FakeForum({"/search.json": search})).search("  ecf65fcd #support ")
    assert hit.topic.id == "13"
    assert hit.topic.title == "2a6aa74e-e341-5e3c-1eaa-78c6331f305f"
    assert hit.topic.author == "discourse1"  # the hit is the opening post
    assert hit.post_number == 1
    assert hit.blurb.startswith("ecf65fcd-1e16-7c4c-4244-a467b46c610becf65fcd")


async def test_search_pages_are_one_based_on_the_wire(connect) -> None:
    forum = FakeForum({"/search.json": fixture("api_docs/search/query_response.json")})
    await connect(forum).search("words", page=2)
    assert forum.requests[0].url.params["page"] == "3"


async def test_search_blurb_is_plain_text(connect) -> None:
    body = fixture("api_docs/search/query_response.json")
    body["posts"][0]["blurb"] = '… the <span class="search-highlight">term</span> &amp; more'
    body["posts"][0]["post_number"] = 4
    [hit] = await connect(FakeForum({"/search.json": body})).search("term")
    assert hit.blurb == "… the term & more"
    assert hit.post_number == 4
    assert hit.topic.author is None


async def test_search_old_shape(connect) -> None:
    hits = await connect(FakeForum({"/search.json": fixture("gem/search.json")})).search("test")
    assert [(h.topic.id, h.topic.title, h.post_number) for h in hits] == [
        ("1", "Test topic #1", None),
        ("2", "Test topic #2", None),
        ("3", "Test topic #3", None),
    ]


async def test_search_complaint_becomes_a_rejection(connect) -> None:
    body = fixture("api_docs/search/query_response.json")
    body["posts"], body["topics"] = [], []
    body["grouped_search_result"]["error"] = "Your search term is too short."
    with pytest.raises(Rejected, match="Your search term is too short."):
        await connect(FakeForum({"/search.json": body})).search("a")


async def test_blank_search_asks_nothing(connect) -> None:
    forum = FakeForum({})
    assert await connect(forum).search("   ") == []
    assert forum.requests == []


# --- the current user -------------------------------------------------------------------------


class KeyCredentials:
    def headers(self) -> dict[str, str]:
        return {"User-Api-Key": "uak-123", "User-Api-Client-Id": "termforum-test"}


async def test_me_when_logged_in_sends_the_credentials(connect) -> None:
    body = {"current_user": {"id": 3, "username": "fuzzy", "name": "Fuzzy Bear", "trust_level": 2}}
    forum = FakeForum({"/session/current.json": body})
    user = await connect(forum, credentials=KeyCredentials()).me()
    assert user is not None
    assert (user.username, user.name, user.trust_level) == ("fuzzy", "Fuzzy Bear", 2)
    assert forum.requests[0].headers["User-Api-Key"] == "uak-123"


@pytest.mark.parametrize("status", [404, 403])
async def test_me_when_anonymous_is_none(connect, status) -> None:
    forum = FakeForum({"/session/current.json": httpx.Response(status)})
    assert await connect(forum).me() is None
    assert "User-Api-Key" not in forum.requests[0].headers


async def test_mega_topic_stream_is_completed_from_post_ids(connect) -> None:
    """Discourse sends a 10,000+ post topic without ``post_stream.stream``: the backend asks
    ``/t/{id}/post_ids.json`` for the rest, page after page, until it has every id."""
    topic = fixture("gem/topic.json")
    first_chunk = topic["post_stream"]["posts"]
    del topic["post_stream"]["stream"]
    topic["post_stream"]["isMegaTopic"] = True
    topic["posts_count"] = len(first_chunk) + 5
    last_number = max(post["post_number"] for post in first_chunk)
    pages = {str(last_number): [9001, 9002, 9003], str(last_number + 3): [9003, 9004, 9005]}

    def post_ids(request: httpx.Request) -> Any:
        return {"post_ids": pages.get(request.url.params["post_number"], [])}

    forum = FakeForum({"/t/57.json": topic, "/t/57/post_ids.json": post_ids})
    thread = await connect(forum).thread("57")
    chunk_ids = tuple(str(post["id"]) for post in first_chunk)
    assert thread.post_ids == (*chunk_ids, "9001", "9002", "9003", "9004", "9005")
    assert forum.paths.count("/t/57/post_ids.json") == 2

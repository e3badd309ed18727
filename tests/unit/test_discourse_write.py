"""DiscourseBackend write path, replaying recorded Discourse answers through MockTransport.

The answers to ``POST /posts.json``, ``PUT /posts/{id}.json`` and ``GET /posts/{id}.json`` are
unmodified recordings (``tests/fixtures/discourse/``, see SOURCES.md). No recording exists of
the like, bookmark, similar-topics, moderation-queue or validation-error answers: those bodies
are written inline in the shapes of Discourse's own serializers and controllers (named at each
one), or are recorded posts changed in memory, and the test says so.

Every test checks what was sent (method, path, JSON body, headers) as well as what came back,
and write tests count requests: a write is sent exactly once.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from termforum.auth import ANONYMOUS, Credentials, Secret
from termforum.backends import CAPABILITIES, Backend, create_backend
from termforum.backends.discourse import (
    QUEUED_MESSAGE,
    READ_CAPABILITIES,
    SIMILAR_QUERY_BYTES,
    WRITE_CAPABILITIES,
    DiscourseBackend,
)
from termforum.errors import (
    AuthError,
    BadResponse,
    ForumError,
    NetworkError,
    NotFound,
    PostQueued,
    RateLimited,
    Rejected,
    ServerError,
)
from termforum.models import PostLimits
from termforum.net import make_client

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "discourse"
BASE = "https://forum.test"
KEY = "uak-3f9c2a7d41e8b6-very-secret"
ADMIN_KEY = "adm-77aa01bb92cc-secret"

USER = Credentials(
    kind="user_api_key", key=Secret(KEY), username="blake", client_id="termforum-test"
)
ADMIN = Credentials(kind="api_key", key=Secret(ADMIN_KEY), username="discourse1")

Handler = Callable[[httpx.Request], Any]


def fixture(name: str) -> Any:
    """A fresh copy of a recorded response."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def json_error(status: int, errors: list[str], error_type: str | None = None) -> httpx.Response:
    """A Discourse ``render_json_error`` answer."""
    body: dict[str, Any] = {"errors": errors}
    if error_type:
        body["error_type"] = error_type
    return httpx.Response(status, json=body)


class FakeForum:
    """Routes ``(method, path)`` to canned JSON, a response, or a callable; keeps requests."""

    def __init__(self, routes: dict[tuple[str, str], Handler | Any]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        route = self.routes.get((request.method, request.url.path))
        if route is None:
            return json_error(404, ["The requested URL or resource could not be found."])
        answer = route(request) if callable(route) else route
        return answer if isinstance(answer, httpx.Response) else httpx.Response(200, json=answer)

    def sent(self, index: int = -1) -> Any:
        """The JSON body of a request."""
        return json.loads(self.requests[index].content)

    @property
    def calls(self) -> list[tuple[str, str]]:
        return [(request.method, request.url.path) for request in self.requests]


@pytest.fixture
async def connect():
    """``connect(forum, credentials=USER)`` → a backend talking to the fake forum."""
    clients: list[httpx.AsyncClient] = []

    def _connect(forum: Handler, credentials: Credentials | None = USER) -> DiscourseBackend:
        client = make_client(BASE, transport=httpx.MockTransport(forum))
        clients.append(client)
        return DiscourseBackend(BASE, http=client, credentials=credentials)

    yield _connect
    for client in clients:
        await client.aclose()


# --- credentials and capabilities -------------------------------------------------------------


@pytest.mark.parametrize("credentials", [None, ANONYMOUS], ids=["none", "anonymous"])
async def test_anonymous_backends_offer_only_reading(connect, credentials) -> None:
    backend = connect(FakeForum({}), credentials)
    assert isinstance(backend, Backend)
    assert backend.capabilities == READ_CAPABILITIES
    assert not backend.logged_in
    assert await backend.my_recent_posts("57") == []


@pytest.mark.parametrize("credentials", [USER, ADMIN], ids=["user key", "admin key"])
async def test_logged_in_backends_offer_writing(connect, credentials) -> None:
    backend = connect(FakeForum({}), credentials)
    assert backend.logged_in
    assert backend.capabilities == READ_CAPABILITIES | WRITE_CAPABILITIES
    assert {"write", "like", "bookmark", "edit", "similar"} <= backend.capabilities
    assert backend.capabilities <= set(CAPABILITIES)


async def test_create_backend_passes_the_credentials() -> None:
    forum = FakeForum({("GET", "/session/current.json"): {"current_user": {"username": "blake"}}})
    async with make_client(BASE, transport=httpx.MockTransport(forum)) as client:
        backend = create_backend("discourse", BASE, http=client, credentials=USER)
        assert "write" in backend.capabilities
        await backend.me()
    assert forum.requests[0].headers["User-Api-Key"] == KEY


async def test_user_api_key_headers_are_sent_and_me_works(connect) -> None:
    body = {"current_user": {"id": 3, "username": "blake", "name": "Blake", "trust_level": 1}}
    forum = FakeForum({("GET", "/session/current.json"): body})
    user = await connect(forum, USER).me()
    assert user is not None and user.username == "blake"
    headers = forum.requests[0].headers
    assert headers["User-Api-Key"] == KEY
    assert headers["User-Api-Client-Id"] == "termforum-test"
    assert "Api-Key" not in headers


async def test_admin_key_headers_name_the_user(connect) -> None:
    forum = FakeForum({("GET", "/session/current.json"): {"current_user": {"username": "x"}}})
    await connect(forum, ADMIN).me()
    headers = forum.requests[0].headers
    assert (headers["Api-Key"], headers["Api-Username"]) == (ADMIN_KEY, "discourse1")
    assert "User-Api-Key" not in headers


async def test_me_with_a_refused_key_is_an_auth_error_not_nobody(connect) -> None:
    refused = json_error(403, ["You are not permitted to view the requested resource."])
    forum = FakeForum({("GET", "/session/current.json"): refused})
    with pytest.raises(AuthError, match="not permitted"):
        await connect(forum, USER).me()


async def test_me_falls_back_to_the_profile_when_the_session_route_is_missing(connect) -> None:
    profile = {"user_badges": [], "user": {"id": 2, "username": "discourse1", "trust_level": 4}}
    forum = FakeForum({("GET", "/u/discourse1.json"): profile})
    user = await connect(forum, ADMIN).me()
    assert user is not None and (user.username, user.trust_level) == ("discourse1", 4)
    assert forum.calls == [("GET", "/session/current.json"), ("GET", "/u/discourse1.json")]


# --- replying ---------------------------------------------------------------------------------


async def test_reply_sends_the_body_exactly_and_returns_the_new_post(connect) -> None:
    answer = fixture("api_docs/topics/new_topic_response.json")
    forum = FakeForum({("POST", "/posts.json"): answer})
    body = "Grazie!  \n\n```py\nprint('ciao')\n```\n\t— café ☕ 👩🏽‍💻  \n\n"
    post = await connect(forum).reply("17", body, reply_to=3)

    assert forum.calls == [("POST", "/posts.json")]
    sent = forum.sent()
    assert sent == {"raw": body, "topic_id": 17, "reply_to_post_number": 3}
    assert sent["raw"].encode() == body.encode()
    assert forum.requests[0].headers["Content-Type"] == "application/json"
    assert forum.requests[0].headers["User-Api-Key"] == KEY
    assert (post.id, post.topic_id, post.number, post.author) == ("20", "17", 1, "discourse1")
    assert post.yours is True
    assert post.can_edit is True
    assert "591dcd02" in post.html


async def test_reply_to_the_topic_leaves_out_the_post_number(connect) -> None:
    forum = FakeForum({("POST", "/posts.json"): fixture("api_docs/topics/new_topic_response.json")})
    await connect(forum).reply("17", "A reply to the whole topic, long enough.")
    assert "reply_to_post_number" not in forum.sent()


async def test_a_nested_post_answer_is_read_too(connect) -> None:
    """``nested_post=true`` (and newer clients) get ``{"post": {...}}``."""
    nested = {"post": fixture("api_docs/topics/new_topic_response.json")}
    forum = FakeForum({("POST", "/posts.json"): nested})
    post = await connect(forum).reply("17", "text")
    assert post.id == "20"


@pytest.mark.parametrize(
    ("answer", "pending_id"),
    [
        # NewPostResultSerializer with TopicPendingPostSerializer (Discourse 2019+).
        (
            {
                "action": "enqueued",
                "success": True,
                "pending_count": 2,
                "pending_post": {"id": 41, "raw": "text", "created_at": "2025-10-11T09:00:00Z"},
            },
            "41",
        ),
        # Older servers: no pending_post.
        ({"action": "enqueued", "success": True, "pending_count": 1}, None),
    ],
)
async def test_a_queued_post_raises_post_queued(connect, answer, pending_id) -> None:
    forum = FakeForum({("POST", "/posts.json"): answer})
    with pytest.raises(PostQueued) as caught:
        await connect(forum).reply("17", "A new member's first post.")
    assert str(caught.value) == QUEUED_MESSAGE == "Your post is waiting for a moderator's approval."
    assert caught.value.pending_id == pending_id
    assert len(forum.requests) == 1


async def test_a_validation_failure_quotes_every_server_reason(connect) -> None:
    # PostsController#backwards_compatible_json: 422 with errors[] (full_messages).
    refusal = json_error(
        422,
        [
            "Body is too short (minimum is 20 characters)",
            "Title seems unclear, is it a complete sentence?",
            "Body is too similar to what you recently posted",
        ],
    )
    forum = FakeForum({("POST", "/posts.json"): refusal})
    with pytest.raises(Rejected) as caught:
        await connect(forum).reply("17", "short")
    assert str(caught.value) == (
        "Body is too short (minimum is 20 characters); "
        "Title seems unclear, is it a complete sentence? "
        "Body is too similar to what you recently posted"
    )
    assert caught.value.status == 422
    assert len(forum.requests) == 1


async def test_a_422_without_a_body_still_says_what_was_refused(connect) -> None:
    forum = FakeForum({("POST", "/posts.json"): httpx.Response(422)})
    with pytest.raises(Rejected, match=r"refused to send your reply \(HTTP 422\)"):
        await connect(forum).reply("17", "x")


async def test_writing_anonymously_says_to_log_in(connect) -> None:
    not_logged_in = json_error(403, ["You need to be logged in to do that."], "not_logged_in")
    forum = FakeForum({("POST", "/posts.json"): not_logged_in})
    backend = connect(forum, None)
    with pytest.raises(AuthError) as caught:
        await backend.reply("17", "Hello from a visitor")
    assert str(caught.value).startswith("Log in to send your reply")
    assert caught.value.status == 403
    assert "User-Api-Key" not in forum.requests[0].headers


async def test_a_403_when_logged_in_quotes_the_forum(connect) -> None:
    closed = json_error(403, ["This topic is closed; it no longer accepts new replies."])
    forum = FakeForum({("POST", "/posts.json"): closed})
    with pytest.raises(AuthError, match="no longer accepts new replies"):
        await connect(forum).reply("17", "Too late for this topic?")


@pytest.mark.parametrize(
    "answer", [{}, [], "OK", {"id": 5}, {"errors": []}, {"post": None}], ids=json.dumps
)
async def test_a_2xx_answer_that_is_not_a_post_is_a_bad_response_saying_it_was_sent(
    connect, answer
) -> None:
    forum = FakeForum({("POST", "/posts.json"): answer})
    with pytest.raises(BadResponse, match="Your reply was sent") as caught:
        await connect(forum).reply("17", "text")
    assert str(caught.value).endswith(".")


async def test_a_2xx_answer_with_errors_is_rejected(connect) -> None:
    forum = FakeForum({("POST", "/posts.json"): {"errors": ["Category can't be blank"]}})
    with pytest.raises(Rejected, match="Category can't be blank"):
        await connect(forum).reply("17", "text")


# --- writes are sent once ---------------------------------------------------------------------


def failing(exc_type: type[httpx.HTTPError]) -> Callable[[FakeForum], Handler]:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc_type("simulated", request=request)

    return handler


@pytest.mark.parametrize(
    ("exc_type", "sent"),
    [
        (httpx.ReadTimeout, True),
        (httpx.RemoteProtocolError, True),
        (httpx.ReadError, True),
        (httpx.ConnectError, False),
        (httpx.ConnectTimeout, False),
    ],
)
async def test_transport_failures_are_not_retried_and_say_whether_sent(
    connect, exc_type, sent
) -> None:
    forum = FakeForum({("POST", "/posts.json"): failing(exc_type)})
    with pytest.raises(NetworkError) as caught:
        await connect(forum).reply("17", "Does this arrive?")
    assert caught.value.sent is sent
    assert forum.calls == [("POST", "/posts.json")]


@pytest.mark.parametrize(
    ("response", "error"),
    [
        (httpx.Response(500), ServerError),
        (httpx.Response(502, text="<html>Bad gateway</html>"), ServerError),
        (httpx.Response(429, headers={"Retry-After": "12"}), RateLimited),
    ],
)
async def test_error_statuses_are_not_retried(connect, response, error) -> None:
    forum = FakeForum({("PUT", "/posts/25.json"): response})
    with pytest.raises(error) as caught:
        await connect(forum).edit_post("25", "new text")
    assert len(forum.requests) == 1
    if error is ServerError:
        assert "save your edit" in str(caught.value)


async def test_a_redirect_that_turns_the_write_into_a_get_is_refused(connect) -> None:
    def moved(request: httpx.Request) -> httpx.Response:
        return httpx.Response(301, headers={"Location": "https://www.forum.test/posts.json"})

    forum = FakeForum({("POST", "/posts.json"): moved, ("GET", "/posts.json"): {"latest": []}})
    with pytest.raises(Rejected, match="redirected the request to www.forum.test"):
        await connect(forum).reply("17", "text")
    assert [method for method, _ in forum.calls].count("POST") == 1


async def test_a_closed_backend_sends_nothing(connect) -> None:
    forum = FakeForum({})
    backend = connect(forum)
    await backend.aclose()
    with pytest.raises(ForumError, match="closed"):
        await backend.reply("17", "text")
    assert forum.requests == []


# --- new topics -------------------------------------------------------------------------------


async def test_create_topic_builds_the_topic_from_the_first_post(connect) -> None:
    forum = FakeForum({("POST", "/posts.json"): fixture("gem/create_topic_with_tags.json")})
    topic = await connect(forum).create_topic(
        "5", "Come trovare un mentore?", "Il corpo del messaggio.\n", tags=("mentoring", "aiuto")
    )
    assert forum.sent() == {
        "title": "Come trovare un mentore?",
        "raw": "Il corpo del messaggio.\n",
        "category": 5,
        "tags": ["mentoring", "aiuto"],
    }
    assert (topic.id, topic.group_id, topic.title) == ("21", "5", "Come trovare un mentore?")
    assert topic.tags == ("mentoring", "aiuto")
    assert (topic.author, topic.posts_count) == ("blake", 1)
    assert topic.created_at is not None and topic.created_at.year == 2020
    assert topic.last_posted_at == topic.created_at


async def test_create_topic_without_tags_or_category_sends_neither(connect) -> None:
    forum = FakeForum({("POST", "/posts.json"): fixture("api_docs/topics/new_topic_response.json")})
    topic = await connect(forum).create_topic("", "A title long enough", "Body text here.")
    assert forum.sent() == {"title": "A title long enough", "raw": "Body text here."}
    assert (topic.id, topic.group_id, topic.tags) == ("17", None, ())


async def test_create_topic_prefers_the_title_the_forum_answers_with(connect) -> None:
    answer = fixture("gem/create_topic_with_tags.json")
    answer["topic_title"] = "Normalised &amp; trimmed"  # not in the recording: added in memory
    forum = FakeForum({("POST", "/posts.json"): answer})
    topic = await connect(forum).create_topic("5", "  normalised & trimmed ", "Body text.")
    assert topic.title == "Normalised & trimmed"


async def test_a_queued_topic_raises_post_queued(connect) -> None:
    answer = {"action": "enqueued", "success": True, "pending_post": {"id": 9}}
    forum = FakeForum({("POST", "/posts.json"): answer})
    with pytest.raises(PostQueued) as caught:
        await connect(forum).create_topic("5", "A brand new topic", "Body text.")
    assert caught.value.pending_id == "9"


# --- editing and the Markdown source ----------------------------------------------------------


async def test_edit_post_puts_the_raw_and_reads_the_nested_answer(connect) -> None:
    forum = FakeForum(
        {("PUT", "/posts/25.json"): fixture("api_docs/posts/update_post_response.json")}
    )
    post = await connect(forum).edit_post("25", "Corrected text\r\nwith CRLF  ")
    assert forum.sent() == {"post": {"raw": "Corrected text\r\nwith CRLF  "}}
    assert (post.id, post.topic_id, post.number, post.version) == ("25", "12", 11, 3)
    assert post.yours is True


async def test_edit_post_of_someone_else_is_an_auth_error(connect) -> None:
    refused = json_error(403, ["You are not permitted to view the requested resource."])
    forum = FakeForum({("PUT", "/posts/33.json"): refused})
    with pytest.raises(AuthError, match="not permitted"):
        await connect(forum).edit_post("33", "Not mine")


async def test_edit_of_a_missing_post_is_not_found(connect) -> None:
    with pytest.raises(NotFound, match="post 999"):
        await connect(FakeForum({})).edit_post("999", "text")


async def test_raw_is_the_markdown_source(connect) -> None:
    recorded = fixture("api_docs/posts/get_post_response.json")
    forum = FakeForum({("GET", "/posts/33.json"): recorded})
    assert await connect(forum).raw("33") == recorded["raw"]
    assert forum.calls == [("GET", "/posts/33.json")]


async def test_raw_missing_from_the_answer_is_a_bad_response(connect) -> None:
    answer = fixture("api_docs/posts/get_post_response.json")
    del answer["raw"]
    with pytest.raises(BadResponse, match="no Markdown source"):
        await connect(FakeForum({("GET", "/posts/33.json"): answer})).raw("33")


async def test_ids_from_the_server_cannot_change_the_path(connect) -> None:
    forum = FakeForum({})
    with pytest.raises(NotFound):
        await connect(forum).edit_post("../admin/users/1", "x")
    assert forum.requests[0].url.raw_path.decode() == "/posts/..%2Fadmin%2Fusers%2F1.json"


# --- likes ------------------------------------------------------------------------------------


def liked_post() -> dict[str, Any]:
    """``gem/post.json`` as PostActionsController#create would answer after the like: the
    like action ``acted`` with a count of 1 (changed in memory; no like answer is recorded)."""
    post = fixture("gem/post.json")
    like = next(action for action in post["actions_summary"] if action["id"] == 2)
    like.update(count=1, acted=True, can_undo=True)
    return post


async def test_like_posts_the_action_and_returns_the_updated_post(connect) -> None:
    forum = FakeForum({("POST", "/post_actions.json"): liked_post()})
    post = await connect(forum).like("11")
    assert forum.sent() == {"id": 11, "post_action_type_id": 2}
    assert post is not None
    assert (post.id, post.liked, post.like_count) == ("11", True, 1)


async def test_like_with_an_answer_that_is_not_a_post_is_none(connect) -> None:
    forum = FakeForum({("POST", "/post_actions.json"): {"success": "OK"}})
    assert await connect(forum).like("11") is None
    empty = FakeForum({("POST", "/post_actions.json"): httpx.Response(200)})
    assert await connect(empty).like("11") is None


async def test_unlike_deletes_the_action(connect) -> None:
    forum = FakeForum({("DELETE", "/post_actions/11.json"): fixture("gem/post.json")})
    post = await connect(forum).unlike("11")
    request = forum.requests[0]
    assert request.url.params["post_action_type_id"] == "2"
    assert request.content == b""
    assert post is not None and (post.liked, post.like_count) == (False, 0)


async def test_liking_twice_is_refused_with_the_forum_reason(connect) -> None:
    refused = json_error(403, ["You have already performed this action."])
    forum = FakeForum({("POST", "/post_actions.json"): refused})
    with pytest.raises(AuthError, match="already performed"):
        await connect(forum).like("11")


# --- bookmarks --------------------------------------------------------------------------------


async def test_bookmark_uses_the_polymorphic_form(connect) -> None:
    # BookmarksController#create: success_json.merge(id: bookmark.id)
    forum = FakeForum({("POST", "/bookmarks.json"): {"success": "OK", "id": 42}})
    assert await connect(forum).bookmark("11") == "42"
    assert forum.sent() == {"bookmarkable_id": 11, "bookmarkable_type": "Post"}
    assert len(forum.requests) == 1


async def test_bookmark_falls_back_to_post_id_on_an_older_server(connect) -> None:
    def older_server(request: httpx.Request) -> httpx.Response:
        # Rails ParameterMissing, rendered by ApplicationController as a 400.
        if "post_id" not in json.loads(request.content):
            return json_error(400, ["param is missing or the value is empty: post_id"])
        return httpx.Response(200, json={"success": "OK", "id": 7})

    forum = FakeForum({("POST", "/bookmarks.json"): older_server})
    assert await connect(forum).bookmark("11") == "7"
    assert [forum.sent(0), forum.sent(1)] == [
        {"bookmarkable_id": 11, "bookmarkable_type": "Post"},
        {"post_id": 11},
    ]


async def test_a_bookmark_refused_for_a_reason_is_not_retried(connect) -> None:
    # BookmarkManager errors: failed_json.merge(errors: ...), status 400.
    refused = httpx.Response(
        400, json={"failed": "FAILED", "errors": ["You have already bookmarked this post."]}
    )
    forum = FakeForum({("POST", "/bookmarks.json"): refused})
    with pytest.raises(Rejected, match="already bookmarked this post"):
        await connect(forum).bookmark("11")
    assert len(forum.requests) == 1


async def test_bookmark_answer_without_an_id_is_a_bad_response(connect) -> None:
    forum = FakeForum({("POST", "/bookmarks.json"): {"success": "OK"}})
    with pytest.raises(BadResponse, match="did not say the bookmark's id"):
        await connect(forum).bookmark("11")


async def test_remove_bookmark_deletes_it(connect) -> None:
    answer = {"success": "OK", "topic_bookmarked": False}
    forum = FakeForum({("DELETE", "/bookmarks/42.json"): answer})
    assert await connect(forum).remove_bookmark("42") is None
    assert forum.calls == [("DELETE", "/bookmarks/42.json")]


async def test_thread_posts_get_their_bookmark_ids_from_the_topic(connect) -> None:
    topic = fixture("gem/topic.json")
    # Discourse 2022+ topic JSON lists the user's bookmarks (added in memory).
    topic["bookmarks"] = [
        {"id": 501, "bookmarkable_id": 84, "bookmarkable_type": "Post", "name": ""},
        {"id": 502, "bookmarkable_id": 57, "bookmarkable_type": "Topic"},
    ]
    topic["post_stream"]["posts"][3]["bookmarked"] = True
    topic["post_stream"]["posts"][3]["bookmark_id"] = 777
    thread = await connect(FakeForum({("GET", "/t/57.json"): topic})).thread("57")
    marks = {post.id: (post.bookmarked, post.bookmark_id) for post in thread.posts}
    assert marks == {
        "83": (False, None),
        "84": (True, "501"),
        "86": (False, None),
        "226": (True, "777"),
    }


# --- similar topics ---------------------------------------------------------------------------


def similar_answer() -> dict[str, Any]:
    """``SimilarTopicSerializer`` rendered with ``rest_serializer: true``: the items name their
    topic by ``topic_id`` and the topics are sideloaded (no recording exists)."""
    return {
        "__rest_serializer": "1",
        "similar_topics": [
            {
                "id": 12,
                "blurb": "How do I <b>find</b> a mentor &amp; keep one?",
                "created_at": "2025-09-01T10:00:00Z",
                "url": "/t/finding-a-mentor/12",
                "topic_id": 12,
            },
            {"id": 31, "blurb": "", "created_at": "2025-09-02T10:00:00Z", "topic_id": 31},
        ],
        "topics": [
            {"id": 31, "title": "Mentors in open source", "posts_count": 4, "category_id": 3},
            {"id": 12, "title": "Finding a mentor", "posts_count": 9, "category_id": 3},
        ],
    }


async def test_similar_topics_joins_the_sideloaded_topics(connect) -> None:
    forum = FakeForum({("GET", "/topics/similar_to.json"): similar_answer()})
    topics = await connect(forum).similar_topics("How to find a mentor", "I am new here.")
    assert [(t.id, t.title, t.posts_count) for t in topics] == [
        ("12", "Finding a mentor", 9),
        ("31", "Mentors in open source", 4),
    ]
    assert topics[0].excerpt == "How do I find a mentor & keep one?"
    params = forum.requests[0].url.params
    assert (params["title"], params["raw"]) == ("How to find a mentor", "I am new here.")


@pytest.mark.parametrize(
    "answer",
    [
        [],  # SimilarTopicsController: title too short or too few topics
        {"similar_topics": []},
        json_error(400, ["param is missing or the value is empty: raw"]),  # older servers
        json_error(404, ["The requested URL or resource could not be found."]),
    ],
    ids=["bare list", "empty object", "400 on older servers", "no such route"],
)
async def test_nothing_similar_is_an_empty_list(connect, answer) -> None:
    forum = FakeForum({("GET", "/topics/similar_to.json"): answer})
    assert await connect(forum).similar_topics("Short title") == []
    assert len(forum.requests) == 1


async def test_similar_topics_for_a_blank_title_asks_nothing(connect) -> None:
    forum = FakeForum({})
    assert await connect(forum).similar_topics("   ", "body") == []
    assert forum.requests == []


async def test_similar_topics_sends_only_the_start_of_a_long_body(connect) -> None:
    forum = FakeForum({("GET", "/topics/similar_to.json"): []})
    body = "Perché è così? 👩🏽‍💻 " * 2000
    await connect(forum).similar_topics("A question about mentors", body)
    sent_raw = forum.requests[0].url.params["raw"]
    assert body.startswith(sent_raw) and 0 < len(sent_raw) < len(body)
    encoded = str(httpx.QueryParams({"raw": sent_raw}))
    assert len(encoded) <= len("raw=") + SIMILAR_QUERY_BYTES
    assert len(forum.requests[0].url.raw_path) < 8192


async def test_similar_topics_server_errors_still_surface(connect) -> None:
    forum = FakeForum({("GET", "/topics/similar_to.json"): httpx.Response(500)})
    with pytest.raises(ServerError):
        await connect(forum).similar_topics("A question about mentors")


# --- limits -----------------------------------------------------------------------------------


async def test_limits_come_from_the_client_site_settings(connect) -> None:
    settings = {
        "title": "Forum",
        "min_post_length": 10,
        "min_first_post_length": 30,
        "min_topic_title_length": 8,
        "max_topic_title_length": 200,
        "max_post_length": "64000",
        "default_locale": "it",
    }
    forum = FakeForum({("GET", "/site/settings.json"): settings})
    backend = connect(forum)
    expected = PostLimits(
        min_post_length=10,
        min_first_post_length=30,
        min_topic_title_length=8,
        max_topic_title_length=200,
        max_post_length=64000,
    )
    assert await backend.limits() == expected
    assert await backend.limits() == expected
    assert len(forum.requests) == 1  # asked once


@pytest.mark.parametrize(
    "answer",
    [
        json_error(404, ["The requested URL or resource could not be found."]),
        json_error(403, ["You are not permitted to view the requested resource."]),
        {"min_post_length": True, "max_post_length": -5, "min_topic_title_length": "lots"},
        ["not", "settings"],
    ],
    ids=["404", "403", "wrong values", "wrong shape"],
)
async def test_limits_fall_back_to_the_defaults(connect, answer) -> None:
    forum = FakeForum({("GET", "/site/settings.json"): answer})
    backend = connect(forum)
    assert await backend.limits() == PostLimits()
    assert await backend.limits() == PostLimits()
    assert len(forum.requests) == 1


async def test_limits_after_a_network_failure_are_defaults_asked_again_later(connect) -> None:
    answers = [failing(httpx.ConnectError), {"min_post_length": 5}]

    def settings(request: httpx.Request) -> Any:
        answer = answers.pop(0)
        return answer(request) if callable(answer) else answer

    backend = connect(FakeForum({("GET", "/site/settings.json"): settings}))
    assert await backend.limits() == PostLimits()
    assert (await backend.limits()).min_post_length == 5


# --- raw posts and reconciling an unconfirmed send --------------------------------------------


def topic_posts_with_raw(ids: list[int], mine: set[int]) -> dict[str, Any]:
    """The posts of ``gem/topic.json`` as ``/t/57/posts.json?include_raw=true`` answers them:
    ``raw`` added and ``yours`` set for ``mine`` (changed in memory)."""
    topic = fixture("gem/topic.json")
    posts = []
    for post in topic["post_stream"]["posts"]:
        if post["id"] in ids:
            post["raw"] = f"Markdown of post {post['id']}  \n"
            post["yours"] = post["id"] in mine
            posts.append(post)
    return {"post_stream": {"posts": posts}, "id": 57}


async def test_posts_can_include_the_markdown_source(connect) -> None:
    forum = FakeForum({("GET", "/t/57/posts.json"): topic_posts_with_raw([83, 84], set())})
    posts = await connect(forum).posts("57", ["83", "84"], include_raw=True)
    assert [post.raw for post in posts] == ["Markdown of post 83  \n", "Markdown of post 84  \n"]
    assert forum.requests[0].url.params["include_raw"] == "true"
    await connect(forum).posts("57", ["83"])
    assert "include_raw" not in forum.requests[1].url.params


async def test_my_recent_posts_are_the_users_among_the_last_posts(connect) -> None:
    def posts(request: httpx.Request) -> Any:
        asked = [int(i) for i in request.url.params.get_list("post_ids[]")]
        # 86 is marked yours; 226 is by "splattne", the logged-in user's name in another case.
        return topic_posts_with_raw(asked, mine={86})

    forum = FakeForum(
        {("GET", "/t/57.json"): fixture("gem/topic.json"), ("GET", "/t/57/posts.json"): posts}
    )
    user = Credentials(kind="user_api_key", key=Secret(KEY))
    session = {"current_user": {"username": "SPLATTNE"}}
    forum.routes[("GET", "/session/current.json")] = session
    mine = await connect(forum, user).my_recent_posts("57", limit=3)

    assert [post.id for post in mine] == ["86", "226"]
    assert all(post.raw == f"Markdown of post {post.id}  \n" for post in mine)
    posts_request = forum.requests[-1]
    assert posts_request.url.params.get_list("post_ids[]") == ["84", "86", "226"]
    assert posts_request.url.params["include_raw"] == "true"


async def test_my_recent_posts_of_an_admin_key_user_needs_no_session_lookup(connect) -> None:
    def posts(request: httpx.Request) -> Any:
        return topic_posts_with_raw(
            [int(i) for i in request.url.params.get_list("post_ids[]")], set()
        )

    forum = FakeForum(
        {("GET", "/t/57.json"): fixture("gem/topic.json"), ("GET", "/t/57/posts.json"): posts}
    )
    admin = Credentials(kind="api_key", key=Secret(ADMIN_KEY), username="samsaffron")
    mine = await connect(forum, admin).my_recent_posts("57")
    assert [post.id for post in mine] == ["83", "84"]
    assert ("GET", "/session/current.json") not in forum.calls


async def test_my_recent_posts_of_a_mega_topic_read_its_last_chunk(connect) -> None:
    topic = fixture("gem/topic.json")
    del topic["post_stream"]["stream"]  # a 10,000+ post topic has no full stream
    last = fixture("gem/topic.json")
    last["post_stream"]["stream"] = [9001, 9002]
    last["post_stream"]["posts"] = []

    def posts(request: httpx.Request) -> Any:
        return {
            "post_stream": {
                "posts": [
                    {
                        "id": 9002,
                        "post_number": 10002,
                        "username": "blake",
                        "raw": "mine",
                        "yours": True,
                    }
                ]
            }
        }

    forum = FakeForum(
        {
            ("GET", "/t/57.json"): topic,
            ("GET", "/t/57/last.json"): last,
            ("GET", "/t/57/posts.json"): posts,
        }
    )
    mine = await connect(forum).my_recent_posts("57", limit=5)
    assert [(post.id, post.raw) for post in mine] == [("9002", "mine")]
    assert forum.requests[-1].url.params.get_list("post_ids[]") == ["9001", "9002"]


# --- credentials never leak -------------------------------------------------------------------


def _termforum_locals(exc: BaseException) -> list[str]:
    """``repr`` of every local variable in the termforum frames of a traceback (what a crash
    handler with ``show_locals`` would print), following the exception chain."""
    shown: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        tb = current.__traceback__
        while tb is not None:
            frame = tb.tb_frame
            if frame.f_globals.get("__name__", "").startswith("termforum"):
                shown.extend(f"{name}={value!r}" for name, value in frame.f_locals.items())
            tb = tb.tb_next
        current = current.__cause__ or current.__context__
    return shown


async def test_no_key_in_messages_reprs_tracebacks_or_logs(connect, caplog) -> None:
    caplog.set_level(logging.DEBUG)

    def echo_500(request: httpx.Request) -> httpx.Response:
        # A buggy server quoting the key it received in its error message.
        return json_error(500, [f"Internal error for key {request.headers['User-Api-Key']}"])

    def echo_422(request: httpx.Request) -> httpx.Response:
        return json_error(422, [f"Key {request.headers['User-Api-Key']} may not post here."])

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    caught: list[BaseException] = []
    for handler in (echo_500, echo_422, refuse, failing(httpx.ReadTimeout)):
        forum = FakeForum({("POST", "/posts.json"): handler, ("GET", "/t/57.json"): handler})
        backend = connect(forum)
        for call in (backend.reply("57", "text"), backend.thread("57")):
            with pytest.raises(ForumError) as info:
                await call
            caught.append(info.value)
        assert forum.requests[0].headers["User-Api-Key"] == KEY  # it was really sent
        assert KEY not in repr(backend)

    assert {type(error) for error in caught} >= {ServerError, Rejected, NetworkError}
    assert "[redacted]" in str(caught[0])
    for error in caught:
        assert KEY not in str(error)
        assert KEY not in repr(error)
        assert KEY not in "".join(traceback.format_exception(error))
        shown = _termforum_locals(error)
        assert shown  # the error passed through termforum frames with locals
        assert not [local for local in shown if KEY in local]
    assert caplog.records  # httpx and the backend did log the requests
    assert KEY not in caplog.text
    assert KEY not in repr(USER) and KEY not in str(USER.key)

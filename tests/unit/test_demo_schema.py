"""The demo forum answers in the shapes Discourse documents in its OpenAPI description.

Every endpoint the demo serves that ``openapi.json`` documents is requested (through
``httpx.ASGITransport``) and its body validated against the documented 200 response
schema: the reads anonymously and as a logged-in user (whose answers carry personal
fields), and the writes (``POST /posts.json``, ``PUT /posts/{id}.json``,
``POST /post_actions.json``). Where the description is narrower than what a real
Discourse sends, the schema is widened below, and each widening names its evidence;
nothing else is relaxed.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest

from termforum.demo import DemoApp, create_app

REPO_ROOT = Path(__file__).resolve().parents[2]
OPENAPI_CANDIDATES = (
    REPO_ROOT.parent / "shared" / "fixtures" / "discourse" / "schemas" / "openapi.json",
    REPO_ROOT / "tests" / "fixtures" / "discourse" / "schemas" / "openapi.json",
)

# Types the description gets wrong or too narrow, by property name (anywhere in a body).
WIDEN_TYPES: dict[str, list[str]] = {
    # Documented as string|null; Discourse sends the post number (gem/topic.json has
    # `"reply_to_post_number": 1`, and /posts/{id}/replies.json in the same file says integer).
    "reply_to_post_number": ["integer", "null"],
    # Anonymous topic lists send null (api_docs/topics/latest_topics_response.json); the
    # /latest and /top operations say boolean only. The category list operation says
    # string|null, but a logged-in user who has opened a topic gets booleans there as in
    # /latest (TopicListItemSerializer#bookmarked/#liked read TopicUser's booleans).
    "bookmarked": ["null", "boolean"],
    "liked": ["null", "boolean"],
    "unpinned": ["null"],
    # Posters that are neither the original nor the latest poster have `extras: null`
    # (TopicPosterSerializer); /top.json's own schema allows null.
    "extras": ["null"],
    # Discourse sends `true` while more results exist (gem/search.json, FX recordings).
    "more_full_page_results": ["boolean"],
    # UserSerializer sends null for a user with no featured topic.
    "featured_topic": ["null"],
    # Categories without a definition topic (Uncategorized) have none; /categories.json's
    # own schema allows null.
    "topic_url": ["null"],
    # Topics without an image: null in the recorded anonymous list
    # (api_docs/topics/latest_topics_response.json); other operations allow null.
    "image_url": ["null"],
}

# Keys Discourse sends where the description forbids unlisted keys.
EXTRA_PROPERTIES: dict[str, dict[str, Any]] = {
    # Pagination link of topic lists (gem/latest.json, gem/top.json; design doc §5.3).
    "more_topics_url": {"type": "string"},
    # /c/.../l/top lists carry their period like /top.json does.
    "for_period": {"type": "string"},
    # Topic tags and their descriptions (TopicTagsMixin) in category lists and search.
    "tags": {"type": "array"},
    "tags_descriptions": {"type": "object"},
    # Sideloaded next to users/primary_groups by current Discourse (recorded 3.5.1 lists).
    "flair_groups": {"type": "array"},
    # PostSerializer adds reply_to_user for replies (gem/topic.json) and count/acted/can_undo
    # to actions_summary entries (gem/topic.json, /posts/{id}.json's own schema).
    "reply_to_user": {
        "type": "object",
        "required": ["username", "avatar_template"],
        "properties": {
            "id": {"type": "integer"},
            "username": {"type": "string"},
            "name": {"type": ["string", "null"]},
            "avatar_template": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "count": {"type": "integer"},
    "acted": {"type": "boolean"},
    "can_undo": {"type": "boolean"},
    # PostSerializer sends these to the user who bookmarked the post
    # (`include_bookmark_id?` & co. are `bookmarked`, app/serializers/post_serializer.rb).
    "bookmark_id": {"type": "integer"},
    "bookmark_name": {"type": ["string", "null"]},
    "bookmark_reminder_at": {"type": ["string", "null"]},
    "bookmark_auto_delete_preference": {"type": "integer"},
    # Per-user fields of topic list items for a logged-in user (ListableTopicSerializer,
    # TopicListItemSerializer); /latest.json's own item schema documents all three.
    "last_read_post_number": {"type": "integer"},
    "unread_posts": {"type": "integer"},
    "notification_level": {"type": "integer"},
    # Small-action posts ("closed the topic") carry their action (PostSerializer).
    "action_code": {"type": "string"},
    # /t/{id}/posts.json posts are the same PostSerializer output as /t/{id}.json posts.
    "link_counts": {"type": "array"},
    "can_see_hidden_post": {"type": "boolean"},
    # Full-page search returns the topics of the found posts
    # (api_docs/search/query_response.json, gem/search.json).
    "topics": {"type": "array"},
    # Mega topics (10,000+ posts) replace `stream` (PostStreamSerializerMixin).
    "isMegaTopic": {"type": "boolean"},
    "lastId": {"type": "integer"},
    # A subcategory's parent (BasicCategorySerializer), as in /site.json's categories.
    "parent_category_id": {"type": "integer"},
    # Public profile fields of UserSerializer.
    "bio_cooked": {"type": ["string", "null"]},
    "bio_excerpt": {"type": ["string", "null"]},
}

# Required keys Discourse itself leaves out in the situations the demo serves.
NOT_REQUIRED = {
    # TopicViewDetailsSerializer includes it only for a user who may remove themselves.
    "can_remove_self_id",
    # Mega topics have neither (PostStreamSerializerMixin#include_timeline_lookup?).
    "stream",
    "timeline_lookup",
}


def _openapi_path() -> Path:
    return next(p for p in OPENAPI_CANDIDATES if p.is_file())


@cache
def _openapi() -> dict[str, Any]:
    return json.loads(_openapi_path().read_text(encoding="utf-8"))


def _widen(node: Any) -> Any:
    if isinstance(node, list):
        return [_widen(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _widen(value) for key, value in node.items()}
    props = node.get("properties")
    if isinstance(props, dict):
        for name, extra in WIDEN_TYPES.items():
            if name in props and "type" in props[name]:
                current = props[name]["type"]
                types = [current] if isinstance(current, str) else list(current)
                props[name]["type"] = types + [t for t in extra if t not in types]
        if node.get("additionalProperties") is False:
            for name, schema in EXTRA_PROPERTIES.items():
                props.setdefault(name, copy.deepcopy(schema))
        if "required" in node:
            node["required"] = [r for r in node["required"] if r not in NOT_REQUIRED]
    return node


def response_schema(path: str, status: str = "200", method: str = "get") -> dict[str, Any]:
    """The documented JSON schema of ``METHOD path`` (a path template of the OpenAPI file)."""
    operation = _openapi()["paths"][path][method]
    schema = operation["responses"][status]["content"]["application/json"]["schema"]
    return _widen(copy.deepcopy(schema))


@cache
def _validator(path: str, method: str = "get") -> jsonschema.Draft202012Validator:
    schema = response_schema(path, method=method)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def validate(path: str, body: Any, method: str = "get") -> None:
    errors = sorted(_validator(path, method).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "\n".join(
        f"{method.upper()} {path}: at {'/'.join(map(str, e.absolute_path)) or '(root)'}: "
        f"{e.message[:300]}"
        for e in errors[:10]
    )


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoApp]:
    demo = create_app(tmp_path_factory.mktemp("demo-schema"))
    yield demo
    demo.close()


async def _get(app: DemoApp, url: str) -> Any:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as client:
        response = await client.get(url)
    assert response.status_code == 200, (url, response.status_code, response.text[:200])
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    return response.json()


def test_the_schema_file_is_the_documented_one() -> None:
    data = _openapi()
    assert data["openapi"].startswith("3.")
    assert "/t/{id}.json" in data["paths"]


@pytest.mark.parametrize(
    ("template", "url"),
    [
        ("/site.json", "/site.json"),
        ("/site/basic-info.json", "/site/basic-info.json"),
        ("/categories.json", "/categories.json"),
        ("/categories.json", "/categories.json?include_subcategories=true"),
        ("/c/{id}/show.json", "/c/3/show.json"),
        ("/c/{id}/show.json", "/c/12/show.json"),
        ("/c/{slug}/{id}.json", "/c/visibility-reputation/3.json"),
        ("/c/{slug}/{id}.json", "/c/comunita-italiana/9.json"),
        ("/c/{slug}/{id}.json", "/c/etiquette/7/l/top.json?period=all"),
        ("/latest.json", "/latest.json"),
        ("/latest.json", "/latest.json?page=2"),
        ("/latest.json", "/latest.json?no_definitions=true&order=views"),
        ("/top.json", "/top.json"),
        ("/top.json", "/top.json?period=daily"),
        ("/top.json", "/top.json?period=weekly"),
        ("/top.json", "/top.json?period=all&page=1"),
        ("/tags.json", "/tags.json"),
        ("/tag/{name}.json", "/tag/api.json"),
        ("/search.json", "/search.json?q=tmux"),
        ("/search.json", "/search.json?q=domanda"),
        ("/search.json", "/search.json?q=no-such-words-anywhere"),
        ("/search.json", "/search.json?q=in:title+rate+%40sam_ops"),
    ],
)
async def test_documented_endpoint_matches_schema(app: DemoApp, template: str, url: str) -> None:
    validate(template, await _get(app, url))


async def _all_topic_ids(app: DemoApp) -> list[int]:
    ids: list[int] = []
    page = 0
    while True:
        body = await _get(app, f"/latest.json?page={page}")
        ids += [t["id"] for t in body["topic_list"]["topics"]]
        if "more_topics_url" not in body["topic_list"]:
            return ids
        page += 1


async def test_every_topic_matches_schema(app: DemoApp) -> None:
    ids = await _all_topic_ids(app)
    assert len(ids) >= 60
    mega_seen = False
    for topic_id in ids:
        body = await _get(app, f"/t/{topic_id}.json")
        validate("/t/{id}.json", body)
        mega_seen = mega_seen or bool(body["post_stream"].get("isMegaTopic"))
    assert mega_seen, "the 10,000-post topic should be served as a mega topic"


async def test_topic_posts_batches_match_schema(app: DemoApp) -> None:
    for topic_id in await _all_topic_ids(app):
        topic = await _get(app, f"/t/{topic_id}.json")
        stream = topic["post_stream"].get("stream")
        if not stream:
            body = await _get(app, f"/t/{topic_id}/posts.json?post_number=20&asc=true")
        else:
            query = "&".join(f"post_ids[]={i}" for i in stream[-25:])
            body = await _get(app, f"/t/{topic_id}/posts.json?{query}")
        validate("/t/{id}/posts.json", body)


async def test_posts_and_replies_match_schema(app: DemoApp) -> None:
    checked_replies = 0
    for topic_id in await _all_topic_ids(app):
        topic = await _get(app, f"/t/{topic_id}.json")
        for post in topic["post_stream"]["posts"][:6]:
            validate("/posts/{id}.json", await _get(app, f"/posts/{post['id']}.json"))
            if post["reply_count"]:
                replies = await _get(app, f"/posts/{post['id']}/replies.json")
                assert replies, "reply_count > 0 but no replies"
                validate("/posts/{id}/replies.json", replies)
                checked_replies += 1
    assert checked_replies > 10


async def test_every_user_matches_schema(app: DemoApp) -> None:
    users = await _get(app, "/about.json")
    names = {u["username"] for u in users["users"]}
    latest = await _get(app, "/latest.json")
    names |= {u["username"] for u in latest["users"]}
    assert len(names) >= 8
    for name in sorted(names):
        validate("/u/{username}.json", await _get(app, f"/u/{name}.json"))


# --------------------------------------------------------------------------- logged in


@pytest.fixture(scope="module")
def written(app: DemoApp) -> dict[str, Any]:
    """Writes made once, as the demo account, for the tests below to read back."""

    async def run() -> dict[str, Any]:
        _, key = app.demo_credentials()
        headers = {"User-Api-Key": key}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://demo.test", headers=headers
        ) as client:
            topic = (await client.get("/t/45.json")).json()
            target = topic["post_stream"]["posts"][1]["id"]
            created = await client.post(
                "/posts.json", json={"topic_id": 45, "raw": "A reply to check the schema with."}
            )
            new_topic = await client.post(
                "/posts.json",
                json={
                    "title": "A topic to check the schema with",
                    "raw": "Its first post, long enough to pass.",
                    "category": 8,
                },
            )
            edited = await client.put(
                f"/posts/{created.json()['id']}.json",
                json={
                    "post": {"raw": "An edited reply to check the schema with.", "edit_reason": "x"}
                },
            )
            liked = await client.post(
                "/post_actions.json", json={"id": target, "post_action_type_id": 2}
            )
            await client.post(
                "/bookmarks.json", json={"bookmarkable_id": target, "bookmarkable_type": "Post"}
            )
            await client.put("/t/45/bookmark.json")
            await client.post(
                "/topics/timings", data={"topic_id": "45", "topic_time": "5", "timings[2]": "5"}
            )
        return {
            "key": key,
            "target": target,
            "created": created,
            "new_topic": new_topic,
            "edited": edited,
            "liked": liked,
        }

    return asyncio.run(run())


async def test_write_answers_match_schema(written: dict[str, Any]) -> None:
    for name in ("created", "new_topic", "edited", "liked"):
        assert written[name].status_code == 200, (name, written[name].text[:300])
    validate("/posts.json", written["created"].json(), "post")
    validate("/posts.json", written["new_topic"].json(), "post")
    validate("/posts/{id}.json", written["edited"].json(), "put")
    validate("/post_actions.json", written["liked"].json(), "post")


async def test_logged_in_reads_match_schema(app: DemoApp, written: dict[str, Any]) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport,
        base_url="http://demo.test",
        headers={"User-Api-Key": written["key"]},
    ) as client:
        checks = [
            ("/t/{id}.json", "/t/45.json"),
            ("/t/{id}/posts.json", f"/t/45/posts.json?post_ids[]={written['target']}"),
            ("/posts/{id}.json", f"/posts/{written['target']}.json"),
            ("/latest.json", "/latest.json"),
            ("/top.json", "/top.json"),
            ("/c/{slug}/{id}.json", "/c/asking-for-help/6.json"),
        ]
        for template, url in checks:
            response = await client.get(url)
            assert response.status_code == 200, (url, response.text[:200])
            validate(template, response.json())
        # The personal fields are really there, so the check above covered them.
        topic = (await client.get("/t/45.json")).json()
        post = topic["post_stream"]["posts"][1]
        assert post["bookmark_id"] and post["actions_summary"][0]["acted"] is True
        assert topic["bookmarked"] is True and len(topic["bookmarks"]) == 2

"""Discourse JSON → termforum models: pure functions, no I/O, one per model.

Tolerant by design: unknown keys are ignored, optional keys may be missing or null, and the
older shapes of 2014–2021 servers are accepted. A missing *required* key (an id, a title)
raises ``KeyError``/``TypeError``/``ValueError``; the backend turns those into ``BadResponse``.

Server text is untrusted: these functions only make it plain text (tags stripped, HTML
entities decoded). Making it safe for a terminal is ``termforum.sanitize``'s job.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from termforum.models import (
    Group,
    Notification,
    Post,
    PostLimits,
    SearchHit,
    Site,
    Thread,
    Topic,
    TopicPage,
    User,
)

Json = Mapping[str, Any]

POST_KINDS: dict[int, str] = {1: "regular", 2: "moderator_action", 3: "small_action", 4: "whisper"}
"""``post_type`` → ``Post.kind`` (from ``/site.json`` ``post_types``)."""

LIKE_ACTION = 2
"""``post_action_type_id`` of a like."""

_HEX_COLOR = re.compile(r"[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3}")
_TOPIC_URL = re.compile(r"/t/(?:[^/]+/)?(\d+)(?:/(\d+))?")


# --- small tolerant readers -------------------------------------------------------------------


def parse_time(value: object) -> datetime | None:
    """A timezone-aware datetime from an ISO 8601 string (``Z`` or offset); None if absent/bad.

    A time without a zone is taken as UTC.
    """
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class _TextCollector(HTMLParser):
    """Collects the text of an HTML fragment, skipping scripts and styles."""

    _SKIP = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(value: object) -> str:
    """Plain text of an HTML fragment: tags dropped, entities decoded, whitespace collapsed."""
    if not isinstance(value, str) or not value:
        return ""
    if "<" in value:
        collector = _TextCollector()
        collector.feed(value)
        collector.close()
        text = "".join(collector.parts)
    elif "&" in value:
        text = html.unescape(value)
    else:
        text = value
    return " ".join(text.split())


def plain(value: object) -> str:
    """A text field with its HTML entities decoded (``fancy_title``, names)."""
    if not isinstance(value, str):
        return ""
    return html.unescape(value) if "&" in value else value


def _id(value: object) -> str:
    """A required id as a string."""
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        raise ValueError(f"not an id: {value!r}")
    return str(value)


def _opt_id(value: object) -> str | None:
    return None if value is None or value == "" else _id(value)


def _opt_id_or_none(value: object) -> str | None:
    """An optional id that is None (not an error) when it is not id-like."""
    if isinstance(value, bool) or not isinstance(value, int | str) or value == "":
        return None
    return str(value)


def _opt_int(value: object) -> int | None:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return None


def _int(value: object, default: int = 0) -> int:
    number = _opt_int(value)
    return default if number is None else number


def _username(user: object) -> str | None:
    """``username`` of a sideloaded user object (``details.created_by``...)."""
    if isinstance(user, Mapping):
        name = user.get("username")
        if isinstance(name, str) and name:
            return name
    return None


def _color(value: object) -> str | None:
    """Discourse's ``"0088CC"`` as ``"#0088CC"``; None unless it is a hex colour."""
    if not isinstance(value, str):
        return None
    digits = value.removeprefix("#")
    return f"#{digits}" if _HEX_COLOR.fullmatch(digits) else None


def _tags(value: object) -> tuple[str, ...]:
    """Tag names; newer servers send ``{"id", "name", "slug"}`` objects instead of strings."""
    if not isinstance(value, list):
        return ()
    names: list[str] = []
    for tag in value:
        if isinstance(tag, str):
            names.append(tag)
        elif isinstance(tag, Mapping) and isinstance(tag.get("name"), str):
            names.append(tag["name"])
    return tuple(names)


def _title(topic: Json) -> str:
    """The plain title: ``title`` if present, else the HTML-escaped ``fancy_title``."""
    title = topic.get("title")
    if not isinstance(title, str) or not title:
        title = topic["fancy_title"]
        if not isinstance(title, str):
            raise TypeError("topic title is not text")
    return html.unescape(title) if "&" in title else title


# --- site and groups --------------------------------------------------------------------------


def parse_site(data: Json, url: str) -> Site:
    """``Site`` from ``/site/basic-info.json``."""
    return Site(
        title=plain(data["title"]),
        description=html_to_text(data.get("description")),
        url=url,
        login_required=bool(data.get("login_required")),
    )


def parse_about(data: Json, url: str) -> Site:
    """``Site`` from ``/about.json`` (older servers without ``/site/basic-info.json``)."""
    about = data["about"]
    version = about.get("version")
    return Site(
        title=plain(about["title"]),
        description=html_to_text(about.get("description")),
        url=url,
        login_required=bool(about.get("login_required")),
        version=str(version) if version else None,
    )


CATEGORY_LEVELS: dict[int, str] = {
    0: "muted",
    1: "normal",
    2: "tracking",
    3: "watching",
    4: "watching_first_post",
}
"""Discourse's ``NotificationLevels.all`` (category ``notification_level``) → ``Group`` level."""

_LEVEL_NAMES: dict[str, str] = {
    **{name: name for name in CATEGORY_LEVELS.values()},
    "regular": "normal",
}


def group_level(value: object) -> str | None:
    """A group's notification level from a category's ``notification_level``: an int
    (or its digits), or a level's name; None when absent or not one of them."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        value = value.strip().lower()
        if value in _LEVEL_NAMES:
            return _LEVEL_NAMES[value]
        value = int(value) if value.isdigit() else None
    return CATEGORY_LEVELS.get(value) if isinstance(value, int) else None


def level_number(level: str) -> int:
    """The ``notification_level`` number Discourse takes for a ``Group`` level name."""
    for number, name in CATEGORY_LEVELS.items():
        if name == level:
            return number
    raise ValueError(f"unknown notification level {level!r}")


def parse_group(category: Json) -> Group:
    """``Group`` from one category object (``/site.json`` or ``/categories.json``)."""
    description = html_to_text(category.get("description_text")) or html_to_text(
        category.get("description") or category.get("description_excerpt")
    )
    return Group(
        id=_id(category["id"]),
        name=plain(category["name"]),
        slug=str(category.get("slug") or ""),
        description=description,
        parent_id=_opt_id(category.get("parent_category_id")),
        topic_count=_opt_int(category.get("topic_count")),
        color=_color(category.get("color")),
        notification_level=group_level(category.get("notification_level")),
    )


def parse_site_groups(data: Json) -> list[Group] | None:
    """Groups from ``/site.json`` in display order, or None when it lists no categories."""
    categories = data.get("categories")
    if not categories:
        return None
    return _in_display_order(categories)


def parse_category_list_groups(data: Json) -> list[Group]:
    """Groups from ``/categories.json?include_subcategories=true`` in display order.

    Subcategories come nested in ``subcategory_list``; old servers only give
    ``subcategory_ids``, whose categories are then unknown and left out.
    """
    flat: list[Json] = []
    pending: list[tuple[Iterable[Json], str | None]] = [(data["category_list"]["categories"], None)]
    while pending:
        categories, parent_id = pending.pop()
        for category in categories:
            if parent_id is not None and category.get("parent_category_id") is None:
                category = {**category, "parent_category_id": parent_id}
            flat.append(category)
            children = category.get("subcategory_list")
            if children:
                pending.append((children, _id(category["id"])))
    return _in_display_order(flat)


def _in_display_order(categories: Iterable[Json]) -> list[Group]:
    """Parents by ``position``, each followed by its children (depth first), ids unique.

    Missing positions sort last, ties keep the server's order; a subcategory whose parent is
    not listed is shown as a top-level group but keeps its ``parent_id``.
    """
    keyed: dict[str, tuple[tuple[bool, int, int], Group]] = {}
    for index, category in enumerate(categories):
        group = parse_group(category)
        if group.id in keyed:
            continue
        position = _opt_int(category.get("position"))
        keyed[group.id] = ((position is None, position or 0, index), group)
    children: dict[str | None, list[tuple[tuple[bool, int, int], Group]]] = {}
    for key, group in keyed.values():
        parent = group.parent_id if group.parent_id in keyed else None
        children.setdefault(parent, []).append((key, group))
    ordered: list[Group] = []
    visited: set[str] = set()
    stack = sorted(children.get(None, []), key=lambda item: item[0], reverse=True)
    while stack:
        _, group = stack.pop()
        if group.id in visited:
            continue
        visited.add(group.id)
        ordered.append(group)
        stack.extend(sorted(children.get(group.id, []), key=lambda item: item[0], reverse=True))
    if len(ordered) < len(keyed):  # a parent cycle: nothing reached these, keep them anyway
        ordered.extend(group for _, group in sorted(keyed.values()) if group.id not in visited)
    return ordered


def category_url_paths(groups: Sequence[Group]) -> dict[str, str]:
    """For each group id, the ``slug/.../id`` path Discourse routes ``/c/{path}/l/{view}`` by.

    A wrong slug makes Discourse answer with a redirect (and rewrites the query string
    while doing so), so the real slug path is used.
    """
    by_id = {group.id: group for group in groups}
    paths: dict[str, str] = {}
    for group in groups:
        slugs: list[str] = []
        current: Group | None = group
        while current is not None and len(slugs) < 8:
            slugs.append(quote(current.slug or f"{current.id}-category", safe="%-._~"))
            current = by_id.get(current.parent_id) if current.parent_id else None
        slugs.reverse()
        paths[group.id] = "/".join([*slugs, quote(group.id, safe="")])
    return paths


# --- topics -----------------------------------------------------------------------------------


def _original_poster(topic: Json, usernames: Mapping[Any, str]) -> str | None:
    """The poster described as "Original Poster" (joined with ``users``), else the first one."""
    posters = topic.get("posters")
    if not posters:
        return None
    chosen = posters[0]
    for poster in posters:
        if "Original Poster" in str(poster.get("description") or ""):
            chosen = poster
            break
    name = usernames.get(chosen.get("user_id"))
    if name:
        return name
    if "Most Recent Poster" in str(chosen.get("description") or ""):
        last = topic.get("last_poster_username")
        return last if isinstance(last, str) and last else None
    return None


def parse_list_topic(topic: Json, usernames: Mapping[Any, str]) -> Topic:
    """``Topic`` from an item of ``topic_list.topics`` (or of search ``topics``)."""
    if "unread_posts" in topic:
        unread = _int(topic.get("unread_posts"))
    else:
        unread = _int(topic.get("unread")) + _int(topic.get("new_posts"))
    last_poster = topic.get("last_poster_username")
    return Topic(
        id=_id(topic["id"]),
        group_id=_opt_id(topic.get("category_id")),
        title=_title(topic),
        author=_original_poster(topic, usernames),
        posts_count=_int(topic.get("posts_count")),
        created_at=parse_time(topic.get("created_at")),
        last_posted_at=parse_time(topic.get("last_posted_at")),
        tags=_tags(topic.get("tags")),
        pinned=bool(topic.get("pinned")),
        closed=bool(topic.get("closed")),
        excerpt=html_to_text(topic.get("excerpt")),
        unread_posts=unread,
        views=_int(topic.get("views")),
        like_count=_int(topic.get("like_count")),
        last_poster=last_poster if isinstance(last_poster, str) and last_poster else None,
        unseen=topic.get("unseen") is True,
        last_read_post_number=_opt_int(topic.get("last_read_post_number")),
        highest_post_number=_opt_int(topic.get("highest_post_number")),
    )


def next_page_number(more_topics_url: object, current: int) -> int | None:
    """The next 0-based page from ``topic_list.more_topics_url``; None on the last page.

    The URL may be relative or absolute, with or without ``.json``; a URL without a usable
    ``page`` means the page after ``current``.
    """
    if not isinstance(more_topics_url, str) or not more_topics_url:
        return None
    values = parse_qs(urlsplit(more_topics_url).query).get("page")
    number = _opt_int(values[-1]) if values else None
    if number is None:
        number = current + 1
    return number if number > current else None


def parse_topic_list(data: Json, page: int) -> TopicPage:
    """``TopicPage`` from ``/latest.json``, ``/top.json``, ``/c/.../l/{view}.json``..."""
    usernames = {
        user.get("id"): user["username"]
        for user in data.get("users") or ()
        if isinstance(user.get("username"), str)
    }
    topic_list = data["topic_list"]
    topics = tuple(parse_list_topic(topic, usernames) for topic in topic_list["topics"])
    return TopicPage(
        topics=topics, next_page=next_page_number(topic_list.get("more_topics_url"), page)
    )


# --- threads and posts ------------------------------------------------------------------------


def _likes(post: Json) -> tuple[int, bool]:
    """Like count and whether we liked it, from ``actions_summary`` (else ``like_count``)."""
    for action in post.get("actions_summary") or ():
        if action.get("id") == LIKE_ACTION:
            count = _opt_int(action.get("count"))
            if count is None:
                count = _int(post.get("like_count"))
            return count, bool(action.get("acted"))
    return _int(post.get("like_count")), bool(post.get("liked"))


def parse_post(post: Json, topic_id: str) -> Post:
    """``Post`` from one item of ``post_stream.posts`` (or a write's answer); ``topic_id`` if
    the post lacks one.

    ``bookmark_id`` is only sent by servers with polymorphic bookmarks (2022+), and only
    when the post is bookmarked; ``yours`` only when the request was authenticated.
    """
    like_count, liked = _likes(post)
    reply_to_user = post.get("reply_to_user")
    own_topic = post.get("topic_id")
    raw = post.get("raw")
    kind = post.get("post_type")
    bookmarked = bool(post.get("bookmarked"))
    return Post(
        id=_id(post["id"]),
        topic_id=topic_id if own_topic is None else _id(own_topic),
        number=int(post["post_number"]),
        author=str(post.get("username") or ""),
        created_at=parse_time(post.get("created_at")),
        html=str(post.get("cooked") or ""),
        raw=raw if isinstance(raw, str) else None,
        reply_to=_opt_int(post.get("reply_to_post_number")),
        like_count=like_count,
        liked=liked,
        can_edit=bool(post.get("can_edit")),
        kind=POST_KINDS.get(kind, "regular") if isinstance(kind, int) else "regular",
        name=plain(post.get("name")) or None,
        reply_to_user=_username(reply_to_user),
        version=_int(post.get("version"), 1),
        bookmarked=bookmarked,
        bookmark_id=_opt_id_or_none(post.get("bookmark_id")) if bookmarked else None,
        yours=post.get("yours") is True,
    )


def parse_posts(data: Json, topic_id: str) -> list[Post]:
    """Posts from ``/t/{id}/posts.json`` (``{"post_stream": {"posts": [...]}}``)."""
    return [parse_post(post, topic_id) for post in data["post_stream"]["posts"]]


def parse_thread(data: Json) -> Thread:
    """``Thread`` from ``/t/{id}.json``: every post id of ``post_stream.stream``, first chunk."""
    topic_id = _id(data["id"])
    stream = data["post_stream"]
    posts = tuple(parse_post(post, topic_id) for post in stream.get("posts") or ())
    posts = _with_topic_bookmarks(posts, data.get("bookmarks"))
    ids = stream.get("stream")
    post_ids = tuple(_id(i) for i in ids) if ids is not None else tuple(p.id for p in posts)
    details = data.get("details") or {}
    author = _username(details.get("created_by"))
    if author is None and posts and posts[0].number == 1:
        author = posts[0].author
    topic = Topic(
        id=topic_id,
        group_id=_opt_id(data.get("category_id")),
        title=_title(data),
        author=author,
        posts_count=_int(data.get("posts_count"), len(post_ids)),
        created_at=parse_time(data.get("created_at")),
        last_posted_at=parse_time(data.get("last_posted_at")),
        tags=_tags(data.get("tags")),
        pinned=bool(data.get("pinned")),
        closed=bool(data.get("closed")),
        views=_int(data.get("views")),
        like_count=_int(data.get("like_count")),
        last_poster=_username(details.get("last_poster")),
        last_read_post_number=_opt_int(data.get("last_read_post_number")),
        highest_post_number=_opt_int(data.get("highest_post_number")),
    )
    return Thread(topic=topic, post_ids=post_ids, posts=posts)


# --- search and users -------------------------------------------------------------------------


def parse_search(data: Json | list[Any]) -> list[SearchHit]:
    """Hits from ``/search.json``: each post joined with its topic from ``topics``.

    A bare list is the 2014 shape (result groups with ``type`` and ``results``).
    """
    if isinstance(data, list):
        return _parse_grouped_results(data)
    raw_topics = {topic["id"]: topic for topic in data.get("topics") or ()}
    topics: dict[Any, Topic] = {}
    hits: list[SearchHit] = []
    for post in data.get("posts") or ():
        key = post.get("topic_id")
        topic = topics.get(key)
        if topic is None:
            raw = raw_topics.get(key)
            if raw is None:
                continue
            topic = topics[key] = parse_list_topic(raw, {})
        number = _opt_int(post.get("post_number"))
        author = post.get("username")
        if topic.author is None and number == 1 and isinstance(author, str) and author:
            topic = replace(topic, author=author)
        hits.append(
            SearchHit(topic=topic, post_number=number, blurb=html_to_text(post.get("blurb")))
        )
    return hits


def search_error(data: Json | list[Any]) -> str | None:
    """The server's complaint about a query (e.g. a term too short), if it made one."""
    if not isinstance(data, Mapping):
        return None
    grouped = data.get("grouped_search_result")
    error = grouped.get("error") if isinstance(grouped, Mapping) else None
    return error if isinstance(error, str) and error.strip() else None


def _parse_grouped_results(groups: list[Any]) -> list[SearchHit]:
    hits: list[SearchHit] = []
    for group in groups:
        kind = group.get("type")
        if kind not in ("topic", "post"):
            continue
        for result in group.get("results") or ():
            match = _TOPIC_URL.search(str(result.get("url") or ""))
            if kind == "topic":
                topic_id, number = _id(result["id"]), None
            elif match:
                topic_id, number = match.group(1), _opt_int(match.group(2))
            else:
                continue
            topic = Topic(
                id=topic_id,
                group_id=None,
                title=plain(result.get("title")),
                author=None,
                posts_count=0,
                created_at=None,
                last_posted_at=None,
            )
            hits.append(
                SearchHit(topic=topic, post_number=number, blurb=html_to_text(result.get("blurb")))
            )
    return hits


def parse_current_user(data: Json) -> User:
    """``User`` from ``/session/current.json`` (``{"current_user": {...}}``)."""
    user = data["current_user"]
    username = user["username"]
    if not isinstance(username, str) or not username:
        raise ValueError("current user has no username")
    return User(
        username=username,
        name=plain(user.get("name")) or None,
        trust_level=_opt_int(user.get("trust_level")),
        post_count=_opt_int(user.get("post_count")),
        likes_received=_opt_int(user.get("likes_received")),
    )


# --- the write path ---------------------------------------------------------------------------


def _with_topic_bookmarks(posts: tuple[Post, ...], bookmarks: object) -> tuple[Post, ...]:
    """Fill in ``bookmark_id`` from a topic's ``bookmarks`` list (Discourse 2022+ sends the
    current user's bookmarks there, ``{id, bookmarkable_id, bookmarkable_type}``)."""
    if not isinstance(bookmarks, list) or not bookmarks:
        return posts
    by_post: dict[str, str] = {}
    for bookmark in bookmarks:
        if not isinstance(bookmark, Mapping):
            continue
        if bookmark.get("bookmarkable_type") not in (None, "Post"):
            continue
        target = _opt_id_or_none(bookmark.get("bookmarkable_id") or bookmark.get("post_id"))
        mark = _opt_id_or_none(bookmark.get("id"))
        if target is not None and mark is not None:
            by_post[target] = mark
    if not by_post:
        return posts
    return tuple(
        replace(post, bookmarked=True, bookmark_id=by_post[post.id]) if post.id in by_post else post
        for post in posts
    )


def is_enqueued(data: object) -> bool:
    """Whether a ``POST /posts.json`` answer says the post waits in the moderation queue.

    Discourse then answers 200 with ``NewPostResultSerializer`` itself instead of the post:
    ``{"action": "enqueued", "success": true, "pending_count": N, "pending_post": {...}}``
    (``pending_post`` since 2019).
    """
    return isinstance(data, Mapping) and str(data.get("action")) == "enqueued"


def pending_post_id(data: Json) -> str | None:
    """The id of the queued item of an ``enqueued`` answer, when the forum sends it."""
    pending = data.get("pending_post")
    if isinstance(pending, Mapping):
        return _opt_id_or_none(pending.get("id"))
    return None


def unwrap_post(data: Json) -> Json:
    """The post object of a write's answer: bare (``POST /posts.json``) or nested
    (``{"post": {...}}`` from ``PUT /posts/{id}.json`` or with ``nested_post=true``)."""
    nested = data.get("post")
    if isinstance(nested, Mapping) and "id" in nested and "post_number" not in data:
        return nested
    return data


def looks_like_post(data: object) -> bool:
    """Whether an answer is a post object (an id and a post number), bare or nested."""
    if not isinstance(data, Mapping):
        return False
    post = unwrap_post(data)
    return (
        _opt_id_or_none(post.get("id")) is not None
        and _opt_int(post.get("post_number")) is not None
    )


def parse_created_topic(post: Json, title: str, group_id: str | None, tags: Sequence[str]) -> Topic:
    """``Topic`` from the first post Discourse answers ``POST /posts.json`` with.

    The answer is the opening post, not the topic: ``topic_id`` names the topic, and the
    title and tags are the ones sent unless the answer has its own (``topic_title``,
    ``title``, ``tags``: not in the recorded shapes, but cheap to honour).
    """
    own_title = post.get("topic_title") or post.get("title")
    created = parse_time(post.get("created_at"))
    author = post.get("username")
    tag_names = _tags(post.get("tags")) if isinstance(post.get("tags"), list) else tuple(tags)
    category = post.get("category_id")
    return Topic(
        id=_id(post["topic_id"]),
        group_id=_opt_id(category) if category is not None else group_id,
        title=plain(own_title) if isinstance(own_title, str) and own_title else title,
        author=author if isinstance(author, str) and author else None,
        posts_count=1,
        created_at=created,
        last_posted_at=created,
        tags=tag_names,
        last_poster=author if isinstance(author, str) and author else None,
    )


def parse_similar_topics(data: Json | list[Any]) -> list[Topic]:
    """Topics from ``/topics/similar_to.json``.

    A bare ``[]`` means "nothing to suggest" (title too short, too few topics). Otherwise
    ``{"similar_topics": [{"id", "blurb", "created_at", "url", "topic_id"}], "topics": [...]}``
    (``rest_serializer``: the topics are sideloaded and joined by ``topic_id``); an item that
    embeds its ``topic`` or carries a title itself is read directly. The ``blurb`` becomes the
    topic's ``excerpt``.
    """
    if isinstance(data, list):
        items: Sequence[Any] = data
        sideloaded: dict[str, Json] = {}
    else:
        items = data.get("similar_topics") or ()
        sideloaded = {
            _id(topic["id"]): topic
            for topic in data.get("topics") or ()
            if isinstance(topic, Mapping) and _opt_id_or_none(topic.get("id")) is not None
        }
    topics: list[Topic] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, Mapping):
            continue
        embedded = item.get("topic")
        if isinstance(embedded, Mapping):
            raw = embedded
        else:
            key = _opt_id_or_none(item.get("topic_id") or item.get("id"))
            raw = sideloaded.get(key) if key is not None else None
            if raw is None:
                raw = item
        if not (raw.get("title") or raw.get("fancy_title")):
            continue
        topic = parse_list_topic(raw, {})
        blurb = html_to_text(item.get("blurb"))
        if blurb:
            topic = replace(topic, excerpt=blurb)
        if topic.id not in seen:
            seen.add(topic.id)
            topics.append(topic)
    return topics


def parse_post_limits(data: object) -> PostLimits:
    """``PostLimits`` from ``/site/settings.json`` (``SiteSetting.client_settings_json``).

    Each limit is taken when the forum sends a whole number for it (0 allowed for minimums,
    meaning none); anything else keeps Discourse's default. Never raises.
    """
    defaults = PostLimits()
    if not isinstance(data, Mapping):
        return defaults
    values: dict[str, int] = {}
    for name in (
        "min_post_length",
        "min_first_post_length",
        "min_topic_title_length",
        "max_topic_title_length",
        "max_post_length",
    ):
        value = data.get(name)
        number = _opt_int(value) if not isinstance(value, bool) else None
        if number is not None and (number > 0 or (number == 0 and name.startswith("min_"))):
            values[name] = number
    return replace(defaults, **values)


NOTIFICATION_KINDS: dict[int, str] = {
    1: "mentioned",
    2: "replied",
    3: "quoted",
    4: "edited",
    5: "liked",
    6: "private_message",
    7: "invited_to_private_message",
    8: "invitee_accepted",
    9: "posted",
    10: "moved_post",
    11: "linked",
    12: "granted_badge",
    13: "invited_to_topic",
    14: "custom",
    15: "group_mentioned",
    16: "group_message_summary",
    17: "watching_first_post",
    19: "liked_consolidated",
    24: "bookmark_reminder",
    25: "reaction",
}
"""Discourse's notification type numbers (``/site.json`` ``notification_types``), stable
across versions."""


def parse_notifications(data: Json | list[Any]) -> list[Notification]:
    """``GET /notifications.json``: ``{notifications: [...]}``, or a bare list (old servers).
    Entries that are not objects are skipped."""
    items = data.get("notifications") if isinstance(data, dict) else data
    if not isinstance(items, list):
        raise ValueError("no notifications list")
    return [parse_notification(item) for item in items if isinstance(item, dict)]


def parse_notification(item: Json) -> Notification:
    """One notification; who did it and the topic title come from its ``data``."""
    extra = item.get("data") if isinstance(item.get("data"), dict) else {}
    actor = next(
        (
            value
            for value in (
                extra.get("display_username"),
                extra.get("original_username"),
                extra.get("username"),
            )
            if isinstance(value, str) and value
        ),
        None,
    )
    title = extra.get("topic_title") or item.get("fancy_title") or ""
    kind = _int(item.get("notification_type"), -1)
    topic_id = _opt_id_or_none(item.get("topic_id"))
    post_number = _opt_int(item.get("post_number"))
    # Servers of 2014 sent no id: what, where and when then tell notifications apart.
    made_up = f"{kind}:{topic_id}:{post_number}:{item.get('created_at')}"
    return Notification(
        id=_opt_id_or_none(item.get("id")) or made_up,
        kind=NOTIFICATION_KINDS.get(kind, "other"),
        read=bool(item.get("read")),
        created_at=parse_time(item.get("created_at")),
        topic_id=topic_id,
        post_number=post_number,
        actor=actor,
        topic_title=plain(title) if isinstance(title, str) else "",
    )

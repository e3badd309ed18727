"""Build Discourse-shaped JSON for topic lists, topics and posts from demo database rows.

Field names, nesting and the rules for which fields appear follow Discourse's serializers
as seen in real responses (``fixtures/discourse``) and its OpenAPI description.

``viewer`` is the logged-in user (a ``users`` row) or None. For anonymous visitors the
per-user fields take their anonymous values and user-data fields are left out, as
Discourse does. For a viewer, what Discourse personalises is personalised: ``yours``,
``can_edit``, the like entry of ``actions_summary`` (``acted``, ``can_undo``,
``can_act``), ``bookmarked`` with ``bookmark_id`` & co. on posts, the topic's
``bookmarked``/``bookmarks``/``draft_sequence``/``details.notification_level``, and in
topic lists ``last_read_post_number``, ``unread_posts``, ``notification_level``,
``unseen``, ``liked`` and ``bookmarked`` for topics the viewer has opened. The site,
categories and profiles are in :mod:`termforum.demo.serialize_site`.
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from termforum.demo.cook import fancy_title, plain_text
from termforum.demo.db import parse_time
from termforum.demo.queries import NEW_TOPIC_DAYS, Store, TopicUserState

__all__ = [
    "CHUNK_SIZE",
    "PER_PAGE",
    "PostPersonal",
    "avatar_template",
    "bookmark_json",
    "is_staff",
    "post_json",
    "posts_json",
    "search_blurb",
    "tag_json",
    "topic_list_item",
    "topic_list_json",
    "topic_view_json",
    "user_summary",
]

Row = sqlite3.Row
Viewer = Row | None

PER_PAGE = 30
"""Topics per topic-list page (Discourse's default)."""
CHUNK_SIZE = 20
"""Posts in the first chunk of a topic (Discourse's ``TopicView.chunk_size``)."""
LIKE = 2
REGULAR = 1


@dataclass(frozen=True, slots=True)
class PostPersonal:
    """What the logged-in viewer did to one post."""

    liked: bool = False
    can_undo_like: bool = False
    """Whether the like may still be taken back (``post_undo_action_window_mins``)."""
    bookmark: Row | None = None


def is_staff(user: Row | None) -> bool:
    """Whether a user is an admin or a moderator."""
    return user is not None and bool(user["admin"] or user["moderator"])


def can_edit_post(viewer: Viewer, post: Row, topic: Row) -> bool:
    """Discourse's ``can_edit_post?``, roughly: staff, or the author outside archived
    topics (system lines like "closed the topic" only by staff)."""
    if viewer is None:
        return False
    if is_staff(viewer):
        return True
    return bool(
        viewer["id"] == post["user_id"]
        and post["post_type"] != 3
        and not topic["archived"]
        and topic["visible"]
    )


def bookmark_json(bookmark: Row) -> dict[str, Any]:
    """A bookmark as the topic view lists it (``bookmarks``)."""
    return {
        "id": bookmark["id"],
        "bookmarkable_id": bookmark["bookmarkable_id"],
        "bookmarkable_type": bookmark["bookmarkable_type"],
        "name": bookmark["name"],
        "reminder_at": bookmark["reminder_at"],
        "auto_delete_preference": bookmark["auto_delete_preference"],
    }


# --------------------------------------------------------------------------- users


def avatar_template(user: Row) -> str:
    """A Discourse letter-avatar template (``{size}`` to substitute)."""
    if user["id"] < 0:
        return "/images/discourse-logo-sketch-small.png"
    letter = user["username"][0].lower()
    return f"/letter_avatar_proxy/v4/letter/{letter}/{user['avatar_color']}/{{size}}.png"


def user_summary(user: Row) -> dict[str, Any]:
    """The basic user object sideloaded in lists: ``{id, username, name, avatar_template}``."""
    return {
        "id": user["id"],
        "username": user["username"],
        "name": user["name"],
        "avatar_template": avatar_template(user),
    }


def tag_json(tag: Row) -> dict[str, Any]:
    """A tag as current Discourse sends it: ``{id, name, slug}`` (older ones send names)."""
    return {"id": tag["id"], "name": tag["name"], "slug": tag["name"]}


# --------------------------------------------------------------------------- topic lists


def _posters(topic: Row, posters: Sequence[tuple[int, int, int]]) -> list[dict[str, Any]]:
    """Discourse's ``posters``: original poster, frequent posters, most recent poster."""
    if not posters:
        return []
    op = topic["user_id"]
    last = topic["last_post_user_id"]
    counts = {uid: n for uid, n, _ in posters}
    chosen = [op]
    others = sorted((uid for uid in counts if uid not in (op, last)), key=lambda u: (-counts[u], u))
    chosen += others[:3]
    if last not in chosen:
        chosen.append(last)
    single = len(counts) == 1
    result = []
    for uid in chosen:
        parts = []
        if uid == op:
            parts.append("Original Poster")
        if uid == last:
            parts.append("Most Recent Poster")
        if not parts:
            parts.append("Frequent Poster")
        extras = ("latest single" if single else "latest") if uid == last else None
        result.append(
            {
                "extras": extras,
                "description": ", ".join(parts),
                "user_id": uid,
                "primary_group_id": None,
            }
        )
    return result


def topic_list_item(
    store: Store,
    topic: Row,
    tags: Sequence[Row],
    posters: Sequence[tuple[int, int, int]],
    viewer: Viewer = None,
    state: TopicUserState | None = None,
) -> dict[str, Any]:
    """One topic of a topic list (``TopicListItemSerializer``); ``state`` is the
    viewer's relation to it, when they have one."""
    users = store.users()
    last_poster = users.get(topic["last_post_user_id"])
    data: dict[str, Any] = {
        "id": topic["id"],
        "title": topic["title"],
        "fancy_title": fancy_title(topic["title"]),
        "slug": topic["slug"],
        "posts_count": topic["posts_count"],
        "reply_count": topic["reply_count"],
        "highest_post_number": topic["highest_post_number"],
        "image_url": None,
        "created_at": topic["created_at"],
        "last_posted_at": topic["last_posted_at"],
        "bumped": topic["bumped_at"] > topic["created_at"],
        "bumped_at": topic["bumped_at"],
        "archetype": "regular",
        "unseen": False,
        "pinned": topic["pinned_at"] is not None,
        "unpinned": None,
        "excerpt": topic["excerpt"],
        "visible": bool(topic["visible"]),
        "closed": bool(topic["closed"]),
        "archived": bool(topic["archived"]),
        "bookmarked": None,
        "liked": None,
        "tags": [tag_json(t) for t in tags],
        "tags_descriptions": {},
        "views": topic["views"],
        "like_count": topic["like_count"],
        "has_summary": False,
        "last_poster_username": last_poster["username"] if last_poster else None,
        "category_id": topic["category_id"],
        "pinned_globally": bool(topic["pinned_globally"]),
        "featured_link": None,
        "posters": _posters(topic, posters),
    }
    if viewer is not None:
        _personalise_list_item(store, data, topic, state)
    return data


def _personalise_list_item(
    store: Store, data: dict[str, Any], topic: Row, state: TopicUserState | None
) -> None:
    """The per-user fields of a topic list item (Discourse's ``ListableTopicSerializer``
    and ``TopicListItemSerializer``), as sent to a logged-in viewer."""
    if state is None:
        age = store.now - parse_time(topic["created_at"])
        data["unseen"] = age <= timedelta(days=NEW_TOPIC_DAYS)
        return
    last_read = state.last_read_post_number
    data["unseen"] = last_read is None
    data["bookmarked"] = state.bookmarked
    data["liked"] = state.liked
    if last_read is not None:
        data["last_read_post_number"] = last_read
        data["unread_posts"] = max(topic["highest_post_number"] - last_read, 0)
    data["notification_level"] = state.notification_level


def topic_list_json(
    store: Store,
    topics: Sequence[Row],
    *,
    more_topics_url: str | None,
    per_page: int = PER_PAGE,
    for_period: str | None = None,
    extra_list: dict[str, Any] | None = None,
    viewer: Viewer = None,
) -> dict[str, Any]:
    """A topic list response: sideloaded ``users`` plus ``topic_list``."""
    ids = [t["id"] for t in topics]
    tags = store.tags_for(ids)
    posters = store.posters(ids)
    states = store.topic_states_for_user(viewer["id"], ids) if viewer is not None else {}
    items = [
        topic_list_item(store, t, tags[t["id"]], posters[t["id"]], viewer, states.get(t["id"]))
        for t in topics
    ]
    users = store.users()
    user_ids: list[int] = []
    for item in items:
        for poster in item["posters"]:
            if poster["user_id"] not in user_ids:
                user_ids.append(poster["user_id"])
    topic_list: dict[str, Any] = {
        "can_create_topic": viewer is not None,
        "per_page": per_page,
        "top_tags": [tag_json(t) for t in store.tag_counts()[:10]],
    }
    if more_topics_url:
        topic_list["more_topics_url"] = more_topics_url
    if for_period:
        topic_list["for_period"] = for_period
    if extra_list:
        topic_list.update(extra_list)
    topic_list["topics"] = items
    return {
        "users": [user_summary(users[u]) for u in user_ids if u in users],
        "primary_groups": [],
        "flair_groups": [],
        "topic_list": topic_list,
    }


# --------------------------------------------------------------------------- posts


def _score(post: Row) -> float:
    return round(post["like_count"] * 15 + post["reads"] * 0.2 + post["reply_count"] * 5, 1)


def post_json(
    store: Store,
    post: Row,
    topic: Row,
    *,
    reply_to_user_id: int | None = None,
    viewer: Viewer = None,
    include_raw: bool = False,
    personal: PostPersonal | None = None,
) -> dict[str, Any]:
    """A post as Discourse's ``PostSerializer`` shows it to ``viewer``; ``personal`` is
    what the viewer did to it (likes, bookmark)."""
    users = store.users()
    user = users[post["user_id"]]
    staff = bool(user["admin"] or user["moderator"])
    yours = viewer is not None and viewer["id"] == user["id"]
    bookmark = personal.bookmark if personal is not None else None
    data: dict[str, Any] = {
        "id": post["id"],
        "name": user["name"],
        "username": user["username"],
        "avatar_template": avatar_template(user),
        "created_at": post["created_at"],
        "cooked": post["cooked"],
        "post_number": post["post_number"],
        "post_type": post["post_type"],
        "updated_at": post["updated_at"],
        "reply_count": post["reply_count"],
        "reply_to_post_number": post["reply_to_post_number"],
        "quote_count": post["quote_count"],
        "incoming_link_count": 0,
        "reads": post["reads"],
        "readers_count": max(post["reads"] - 1, 0),
        "score": _score(post),
        "yours": yours,
        "topic_id": topic["id"],
        "topic_slug": topic["slug"],
        "display_username": user["name"],
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "version": post["version"],
        "can_edit": can_edit_post(viewer, post, topic),
        "can_delete": False,
        "can_recover": False,
        "can_see_hidden_post": False,
        "can_wiki": False,
        "link_counts": [],
        "read": True,
        "user_title": user["title"],
        "bookmarked": bookmark is not None,
        "actions_summary": _actions_summary(post, topic, viewer, yours, personal),
        "moderator": bool(user["moderator"]),
        "admin": bool(user["admin"]),
        "staff": staff,
        "user_id": user["id"],
        "hidden": False,
        "trust_level": user["trust_level"],
        "deleted_at": None,
        "user_deleted": False,
        "edit_reason": post["edit_reason"],
        "can_view_edit_history": True,
        "wiki": False,
        "reviewable_id": 0,
        "reviewable_score_count": 0,
        "reviewable_score_pending_count": 0,
    }
    if post["action_code"]:
        data["action_code"] = post["action_code"]
    if reply_to_user_id is not None and reply_to_user_id in users:
        replied = users[reply_to_user_id]
        data["reply_to_user"] = {
            "id": replied["id"],
            "username": replied["username"],
            "name": replied["name"],
            "avatar_template": avatar_template(replied),
        }
    if bookmark is not None:
        data["bookmark_reminder_at"] = bookmark["reminder_at"]
        data["bookmark_name"] = bookmark["name"]
        data["bookmark_auto_delete_preference"] = bookmark["auto_delete_preference"]
        data["bookmark_id"] = bookmark["id"]
    if include_raw:
        data["raw"] = post["raw"]
    return data


def _actions_summary(
    post: Row, topic: Row, viewer: Viewer, yours: bool, personal: PostPersonal | None
) -> list[dict[str, Any]]:
    """The like entry of ``actions_summary`` (flags are not offered by the demo).

    Anonymous: ``{id, count, can_act: false}`` when the post has likes. Logged in, as
    ``PostSerializer#actions_summary``: ``count`` when not 0, ``can_act`` unless the post
    is the viewer's own or already liked, ``acted`` and ``can_undo`` for the viewer's
    like (``can_undo`` only within ``post_undo_action_window_mins``). ``can_act`` is
    always sent (Discourse leaves it out when false; the documented schemas require it).
    """
    count = post["like_count"]
    if viewer is None:
        return [{"id": LIKE, "count": count, "can_act": False}] if count > 0 else []
    acted = personal is not None and personal.liked
    likeable = post["post_type"] == REGULAR and not topic["archived"]
    entry: dict[str, Any] = {"id": LIKE}
    if count:
        entry["count"] = count
    entry["can_act"] = likeable and not yours and not acted
    if acted:
        entry["acted"] = True
        if personal is not None and personal.can_undo_like:
            entry["can_undo"] = True
    return [entry] if (entry["can_act"] or count or acted) else []


def personal_for(
    store: Store, viewer: Viewer, post_ids: Sequence[int], undo_after: str | None
) -> dict[int, PostPersonal]:
    """What ``viewer`` did to each of ``post_ids``: likes (undoable when given at or after
    ``undo_after``, a stored timestamp; None: always) and bookmarks."""
    if viewer is None or not post_ids:
        return {}
    likes = store.likes_for_user(viewer["id"], post_ids)
    bookmarks = store.post_bookmarks_for_user(viewer["id"], post_ids)
    result = {}
    for post_id in set(likes) | set(bookmarks):
        liked_at = likes.get(post_id)
        result[post_id] = PostPersonal(
            liked=liked_at is not None,
            can_undo_like=liked_at is not None and (undo_after is None or liked_at >= undo_after),
            bookmark=bookmarks.get(post_id),
        )
    return result


def posts_json(
    store: Store,
    topic: Row,
    posts: Sequence[Row],
    *,
    viewer: Viewer = None,
    include_raw: bool = False,
    undo_after: str | None = None,
) -> list[dict[str, Any]]:
    """Serialize several posts of one topic (``reply_to_user`` resolved in one query);
    ``undo_after`` as for :func:`personal_for`."""
    authors = store.authors_of(
        topic["id"], (p["reply_to_post_number"] for p in posts if p["reply_to_post_number"])
    )
    personal = personal_for(store, viewer, [p["id"] for p in posts], undo_after)
    return [
        post_json(
            store,
            p,
            topic,
            reply_to_user_id=authors.get(p["reply_to_post_number"])
            if p["reply_to_post_number"]
            else None,
            viewer=viewer,
            include_raw=include_raw,
            personal=personal.get(p["id"]),
        )
        for p in posts
    ]


# --------------------------------------------------------------------------- topic view


def _timeline(store: Store, topic_id: int) -> list[list[int]]:
    """Discourse's ``timeline_lookup``: ``[stream position, days ago]`` where the day changes."""
    lookup: list[list[int]] = []
    last_days: int | None = None
    for position, created in enumerate(store.post_times(topic_id), start=1):
        days = max((store.now - parse_time(created)).days, 0)
        if days != last_days:
            lookup.append([position, days])
            last_days = days
    if len(lookup) > 40:
        step = len(lookup) / 40
        lookup = [lookup[int(i * step)] for i in range(40)]
    return lookup


def _participant(user: Row, count: int) -> dict[str, Any]:
    return {
        **user_summary(user),
        "post_count": count,
        "primary_group_name": None,
        "flair_name": None,
        "flair_url": None,
        "flair_color": None,
        "flair_bg_color": None,
        "flair_group_id": None,
        "admin": bool(user["admin"]),
        "moderator": bool(user["moderator"]),
        "trust_level": user["trust_level"],
    }


def topic_view_json(
    store: Store,
    topic: Row,
    posts: Sequence[Row],
    *,
    mega: bool,
    current_post_number: int | None = None,
    viewer: Viewer = None,
    undo_after: str | None = None,
) -> dict[str, Any]:
    """``/t/{id}.json``: the topic, its first chunk of posts and its post stream.

    ``mega`` topics (Discourse: 10,000 posts or more) get no ``stream`` and no
    ``timeline_lookup``; ``isMegaTopic`` and ``lastId`` instead, as in Discourse.
    ``undo_after`` as for :func:`personal_for`.
    """
    users = store.users()
    topic_id = topic["id"]
    post_stream: dict[str, Any] = {
        "posts": posts_json(store, topic, posts, viewer=viewer, undo_after=undo_after)
    }
    bookmarks = store.topic_bookmarks_for_user(viewer["id"], topic_id) if viewer else []
    topic_user = store.topic_user(viewer["id"], topic_id) if viewer else None
    draft_key = f"topic_{topic_id}"
    staff_viewer = is_staff(viewer)
    if mega:
        post_stream["isMegaTopic"] = True
        last = store.posts_from_number(topic_id, topic["highest_post_number"] + 1, 1, asc=False)
        post_stream["lastId"] = last[0]["id"] if last else None
    else:
        post_stream["stream"] = store.post_ids(topic_id)
    posters = store.posters([topic_id])[topic_id]
    participants = sorted(posters, key=lambda p: (-p[1], p[0]))[:24]
    tags = store.tags_for([topic_id])[topic_id]
    suggested = store.suggested(topic)
    sugg_tags = store.tags_for(t["id"] for t in suggested)
    sugg_posters = store.posters(t["id"] for t in suggested)
    created_by = users[topic["user_id"]]
    last_poster = users[topic["last_post_user_id"]]
    data: dict[str, Any] = {"post_stream": post_stream}
    if not mega:
        data["timeline_lookup"] = _timeline(store, topic_id)
    data.update(
        {
            "suggested_topics": [
                _suggested_item(store, t, sugg_tags[t["id"]], sugg_posters[t["id"]])
                for t in suggested
            ],
            "tags": [tag_json(t) for t in tags],
            "tags_descriptions": {},
            "id": topic_id,
            "title": topic["title"],
            "fancy_title": fancy_title(topic["title"]),
            "posts_count": topic["posts_count"],
            "created_at": topic["created_at"],
            "views": topic["views"],
            "reply_count": topic["reply_count"],
            "like_count": topic["like_count"],
            "last_posted_at": topic["last_posted_at"],
            "visible": bool(topic["visible"]),
            "closed": bool(topic["closed"]),
            "archived": bool(topic["archived"]),
            "has_summary": False,
            "archetype": "regular",
            "slug": topic["slug"],
            "category_id": topic["category_id"],
            "word_count": topic["word_count"],
            "deleted_at": None,
            "user_id": topic["user_id"],
            "featured_link": None,
            "pinned_globally": bool(topic["pinned_globally"]),
            "pinned_at": topic["pinned_at"],
            "pinned_until": None,
            "image_url": None,
            "slow_mode_seconds": 0,
            "draft": None,
            "draft_key": draft_key,
            "draft_sequence": store.draft_sequence(viewer["id"], draft_key) if viewer else 0,
            "unpinned": None,
            "pinned": topic["pinned_at"] is not None,
            "highest_post_number": topic["highest_post_number"],
            "deleted_by": None,
            "has_deleted": False,
            "actions_summary": [
                {"id": ident, "count": 0, "hidden": False, "can_act": False}
                for ident in (4, 8, 10, 7)
            ],
            "chunk_size": CHUNK_SIZE,
            "bookmarked": bool(bookmarks),
            "bookmarks": [bookmark_json(b) for b in bookmarks],
            "topic_timer": None,
            "message_bus_last_id": 0,
            "participant_count": len(posters),
            "show_read_indicator": False,
            "thumbnails": None,
            "slow_mode_enabled_until": None,
            "details": {
                "can_edit": viewer is not None
                and (staff_viewer or (viewer["id"] == topic["user_id"] and not topic["archived"])),
                "notification_level": topic_user["notification_level"] if topic_user else 1,
                "can_move_posts": False,
                "can_delete": False,
                "can_remove_allowed_users": False,
                "can_create_post": viewer is not None
                and not topic["archived"]
                and (staff_viewer or not topic["closed"]),
                "can_reply_as_new_topic": False,
                "can_convert_topic": False,
                "can_review_topic": False,
                "can_close_topic": False,
                "can_archive_topic": False,
                "can_split_merge_topic": False,
                "can_edit_staff_notes": False,
                "can_toggle_topic_visibility": False,
                "can_pin_unpin_topic": False,
                "can_moderate_category": False,
                "participants": [_participant(users[uid], n) for uid, n, _ in participants],
                "created_by": user_summary(created_by),
                "last_poster": user_summary(last_poster),
            },
        }
    )
    if current_post_number is not None:
        data["current_post_number"] = current_post_number
    if topic_user is not None and topic_user["last_read_post_number"] is not None:
        # TopicViewSerializer sends the viewer's last read post once they have one.
        data["last_read_post_number"] = topic_user["last_read_post_number"]
    return data


def _suggested_item(
    store: Store, topic: Row, tags: Sequence[Row], posters: Sequence[tuple[int, int, int]]
) -> dict[str, Any]:
    users = store.users()
    item = topic_list_item(store, topic, tags, posters)
    for key in ("last_poster_username", "has_summary", "pinned_globally"):
        item.pop(key, None)
    item["posters"] = [
        {
            "extras": p["extras"],
            "description": p["description"],
            "user": user_summary(users[p["user_id"]]),
        }
        for p in item["posters"]
    ]
    return item


# --------------------------------------------------------------------------- search


def search_blurb(cooked: str, words: Iterable[str], length: int = 200) -> str:
    """A plain-text window of a post around the first search word (HTML-escaped)."""
    text = plain_text(cooked)
    low = text.casefold()
    hits = [i for w in words if (i := low.find(w)) >= 0]
    start = max(min(hits) - length // 4, 0) if hits else 0
    snippet = text[start : start + length]
    if start > 0:
        snippet = "..." + snippet
    if start + length < len(text):
        snippet += "..."
    return html.escape(snippet, quote=False)

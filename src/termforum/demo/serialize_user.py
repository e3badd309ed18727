"""``GET /u/{username}/summary.json`` in Discourse's shape (``UserSummarySerializer``).

Discourse's serializers embed associations as ids and sideload the objects: the member's
top topics travel as ``user_summary.topic_ids`` with the topics themselves in the root
``topics`` list, which also holds the topic of every reply (``replies[].topic_id``). The
topics are ``ListableTopicSerializer`` objects plus ``category_id`` and ``like_count``.
Anyone who may see the profile sees the numbers (``can_see_summary_stats``); the
``bookmark_count`` is only sent to the member themselves.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from termforum.demo.cook import fancy_title
from termforum.demo.queries import Store
from termforum.demo.serialize import avatar_template

__all__ = ["user_summary_json"]

Row = sqlite3.Row
Viewer = Row | None

SECONDS_READ_PER_POST = 600
"""The demo records no reading time; like ``/u/{username}.json`` it counts ten minutes a
post written."""


def _topic(topic: Row) -> dict[str, Any]:
    """``UserSummarySerializer::TopicSerializer`` (a listable topic, anonymous view)."""
    return {
        "id": topic["id"],
        "title": topic["title"],
        "fancy_title": fancy_title(topic["title"]),
        "slug": topic["slug"],
        "posts_count": topic["posts_count"],
        "archetype": "regular",
        "reply_count": topic["reply_count"],
        "highest_post_number": topic["highest_post_number"],
        "image_url": None,
        "created_at": topic["created_at"],
        "last_posted_at": topic["last_posted_at"],
        "bumped": topic["bumped_at"] > topic["created_at"],
        "bumped_at": topic["bumped_at"],
        "unseen": False,
        "pinned": topic["pinned_at"] is not None,
        "unpinned": None,
        "visible": bool(topic["visible"]),
        "closed": bool(topic["closed"]),
        "archived": bool(topic["archived"]),
        "bookmarked": None,
        "liked": None,
        "category_id": topic["category_id"],
        "like_count": topic["like_count"],
    }


def _people(store: Store, pairs: list[tuple[int, int]]) -> list[dict[str, Any]]:
    """``UserWithCountSerializer``: ``{id, username, name, count, avatar_template}``."""
    users = store.users()
    return [
        {
            "id": user["id"],
            "username": user["username"],
            "name": user["name"],
            "count": count,
            "avatar_template": avatar_template(user),
        }
        for user_id, count in pairs
        if (user := users.get(user_id)) is not None
    ]


def _categories(store: Store, rows: list[tuple[int, int, int]]) -> list[dict[str, Any]]:
    """``CategoryWithCountsSerializer``, most written in first."""
    result = []
    for category_id, topics, replies in rows:
        category = store.category(category_id)
        if category is None:
            continue
        result.append(
            {
                "topic_count": topics,
                "post_count": replies,
                "id": category["id"],
                "name": category["name"],
                "color": category["color"],
                "text_color": category["text_color"],
                "slug": category["slug"],
                "read_restricted": bool(category["read_restricted"]),
                "parent_category_id": category["parent_id"],
            }
        )
    return result


def user_summary_json(store: Store, user: Row, viewer: Viewer = None) -> dict[str, Any]:
    """The answer to ``/u/{username}/summary.json`` for ``user``, as ``viewer`` sees it."""
    user_id = user["id"]
    stats = store.user_stats(user_id)
    topics = store.top_topics(user_id)
    replies = store.top_replies(user_id)
    sideloaded = {topic["id"]: topic for topic in topics}
    for topic_id in {reply["topic_id"] for reply in replies} - set(sideloaded):
        topic = store.topic(topic_id)
        if topic is not None:
            sideloaded[topic_id] = topic
    summary: dict[str, Any] = {
        "likes_given": stats.likes_given,
        "likes_received": stats.likes_received,
        "topics_entered": stats.topics_entered,
        "posts_read_count": stats.posts_read_count,
        "days_visited": stats.days_visited,
        "topic_count": stats.topic_count,
        "post_count": stats.post_count,
        "time_read": stats.post_count * SECONDS_READ_PER_POST,
        "recent_time_read": min(stats.post_count, 30) * 60,
        "can_see_summary_stats": True,
        "can_see_user_actions": True,
        "topic_ids": [topic["id"] for topic in topics],
        "replies": [
            {
                "post_number": reply["post_number"],
                "like_count": reply["like_count"],
                "created_at": reply["created_at"],
                "topic_id": reply["topic_id"],
            }
            for reply in replies
        ],
        "links": [],
        "most_liked_by_users": _people(store, store.most_liked_by(user_id)),
        "most_liked_users": _people(store, store.most_liked_users(user_id)),
        "most_replied_to_users": _people(store, store.most_replied_to(user_id)),
        "badges": [],
        "top_categories": _categories(store, store.top_categories(user_id)),
    }
    if viewer is not None and viewer["id"] == user_id:
        summary["bookmark_count"] = store.bookmark_count(user_id)
    return {
        "topics": [_topic(topic) for topic in sideloaded.values()],
        "user_summary": summary,
    }

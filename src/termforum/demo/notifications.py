"""Discourse notifications in the demo forum: who is told what when someone writes, and
the JSON a notification is served as.

The rules follow Discourse's ``PostAlerter`` and ``PostActionNotifier``, cut down to what
the demo's writes can cause. Nobody is ever notified of their own action.

- A new post notifies every existing user it ``@mentions`` (``mentioned``, type 1; case
  does not matter; mentions inside code, quotes and links do not count), then the author
  of the post it replies to, or the topic's author when it replies to no post in
  particular (``replied``, type 2), unless already told of this post as mentioned.
- A like notifies the post's author (``liked``, type 5); taking the like back deletes it.

The type numbers come from ``/site.json``'s ``notification_types``
(:data:`termforum.demo.serialize_site.NOTIFICATION_TYPES`). Functions that write take the
connection of a running :meth:`termforum.demo.queries.Store.transaction`, so that a post
and its notifications are committed together.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from typing import Any

from termforum.demo.cook import fancy_title
from termforum.demo.serialize_site import NOTIFICATION_TYPES

__all__ = [
    "HIGH_PRIORITY_TYPES",
    "LIKED",
    "MENTIONED",
    "REPLIED",
    "forget_like",
    "mark_read",
    "mark_seen",
    "mentioned_usernames",
    "notification_json",
    "notify_like",
    "notify_new_post",
]

Row = sqlite3.Row

MENTIONED = NOTIFICATION_TYPES["mentioned"]
REPLIED = NOTIFICATION_TYPES["replied"]
LIKED = NOTIFICATION_TYPES["liked"]
HIGH_PRIORITY_TYPES = frozenset(
    {NOTIFICATION_TYPES["private_message"], NOTIFICATION_TYPES["bookmark_reminder"]}
)
"""Discourse's ``Notification.high_priority_types``: counted apart from the others."""


class _MentionFinder(HTMLParser):
    """Collects the usernames of ``<a class="mention">`` links in cooked HTML, leaving
    out those inside quotes (``aside``) and code (Discourse's ``cooked_stripped``)."""

    _SKIP = frozenset({"aside", "pre", "code"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: list[str] = []
        self._skip = 0
        self._in_mention = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag == "a" and not self._skip:
            classes = (dict(attrs).get("class") or "").split()
            self._in_mention = "mention" in classes

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and self._skip:
            self._skip -= 1
        elif tag == "a":
            self._in_mention = False

    def handle_data(self, data: str) -> None:
        if self._in_mention and data.startswith("@") and len(data) > 1:
            self.names.append(data[1:])


def mentioned_usernames(cooked: str) -> list[str]:
    """The usernames a cooked post mentions, in order, each once (compared ignoring case)."""
    finder = _MentionFinder()
    finder.feed(cooked)
    finder.close()
    first: dict[str, str] = {}
    for name in finder.names:
        first.setdefault(name.casefold(), name)
    return list(first.values())


# --------------------------------------------------------------------------- writing


def _data(topic_title: str, post: Row, actor: Row) -> str:
    """The ``data`` of a post notification, as ``PostAlerter#create_notification`` fills
    it (``original_username`` is the acting user there too)."""
    return json.dumps(
        {
            "topic_title": topic_title,
            "original_post_id": post["id"],
            "original_post_type": post["post_type"],
            "original_username": actor["username"],
            "revision_number": None,
            "display_username": actor["username"],
        }
    )


def _insert(
    conn: sqlite3.Connection,
    user_id: int,
    kind: int,
    *,
    post: Row,
    topic_title: str,
    actor: Row,
    stamp: str,
) -> int:
    return conn.execute(
        "INSERT INTO notifications (user_id, notification_type, high_priority, created_at,"
        " topic_id, post_number, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            user_id,
            kind,
            int(kind in HIGH_PRIORITY_TYPES),
            stamp,
            post["topic_id"],
            post["post_number"],
            _data(topic_title, post, actor),
        ),
    ).lastrowid


def _mentioned_ids(cooked: str, users: Iterable[Row]) -> list[int]:
    by_name = {u["username"].casefold(): u["id"] for u in users}
    found = (by_name.get(name.casefold()) for name in mentioned_usernames(cooked))
    return [user_id for user_id in dict.fromkeys(found) if user_id is not None]


def _reply_target(conn: sqlite3.Connection, topic: Row, post: Row) -> int | None:
    """Who a new post answers: the author of the post it replies to, else the topic's."""
    number = post["reply_to_post_number"]
    if number is None:
        return int(topic["user_id"])
    row = conn.execute(
        "SELECT user_id FROM posts WHERE topic_id = ? AND post_number = ?",
        (post["topic_id"], number),
    ).fetchone()
    return int(row[0]) if row is not None else None


def notify_new_post(
    conn: sqlite3.Connection, users: Mapping[int, Row], actor: Row, topic: Row, post: Row
) -> list[int]:
    """Notify the users a just-created ``post`` (by ``actor``, in ``topic``) mentions or
    replies to; the ids of the notifications made."""
    told = {actor["id"]}
    made: list[int] = []
    plan = [(uid, MENTIONED) for uid in _mentioned_ids(post["cooked"], users.values())]
    target = _reply_target(conn, topic, post)
    if target is not None:
        plan.append((target, REPLIED))
    for user_id, kind in plan:
        if user_id in told:
            continue
        told.add(user_id)
        made.append(
            _insert(
                conn,
                user_id,
                kind,
                post=post,
                topic_title=topic["title"],
                actor=actor,
                stamp=post["created_at"],
            )
        )
    return made


def notify_like(
    conn: sqlite3.Connection, actor: Row, post: Row, topic: Row, stamp: str
) -> int | None:
    """Tell a post's author that ``actor`` liked it; the notification's id (None for a
    like of one's own post, which the writer refuses anyway)."""
    if post["user_id"] == actor["id"]:
        return None
    return _insert(
        conn,
        post["user_id"],
        LIKED,
        post=post,
        topic_title=topic["title"],
        actor=actor,
        stamp=stamp,
    )


def forget_like(conn: sqlite3.Connection, actor: Row, post: Row) -> None:
    """Delete the ``liked`` notification of ``actor``'s like of ``post`` (the like was
    taken back), as ``PostActionNotifier.post_action_deleted`` does."""
    conn.execute(
        "DELETE FROM notifications WHERE user_id = ? AND notification_type = ? AND topic_id = ?"
        " AND post_number = ? AND json_extract(data, '$.display_username') = ?",
        (post["user_id"], LIKED, post["topic_id"], post["post_number"], actor["username"]),
    )


def mark_read(conn: sqlite3.Connection, user_id: int, notification_id: int | None) -> int:
    """Mark one of the user's notifications read, or all of them (``None``); how many
    changed. Someone else's notification is left alone."""
    sql = "UPDATE notifications SET read = 1 WHERE user_id = ? AND NOT read"
    if notification_id is None:
        return conn.execute(sql, (user_id,)).rowcount
    return conn.execute(sql + " AND id = ?", (user_id, notification_id)).rowcount


def mark_seen(conn: sqlite3.Connection, user_id: int, notification_id: int) -> None:
    """Discourse's ``User#saw_notification_id``: move ``seen_notification_id`` forward."""
    conn.execute(
        "UPDATE users SET seen_notification_id = MAX(seen_notification_id, ?) WHERE id = ?",
        (notification_id, user_id),
    )


# --------------------------------------------------------------------------- reading


def notification_json(row: Row) -> dict[str, Any]:
    """One notification as ``NotificationSerializer`` sends it; ``row`` comes from
    :meth:`termforum.demo.queries.Store.notifications` (with its topic's title and slug)."""
    title = row["title"]
    return {
        "id": row["id"],
        "user_id": row["user_id"],
        "notification_type": row["notification_type"],
        "read": bool(row["read"]),
        "high_priority": bool(row["high_priority"]),
        "created_at": row["created_at"],
        "post_number": row["post_number"],
        "topic_id": row["topic_id"],
        "fancy_title": fancy_title(title) if title is not None else None,
        "slug": row["slug"],
        "data": json.loads(row["data"] or "{}"),
    }

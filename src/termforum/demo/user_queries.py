"""Queries about one member, for ``/u/{username}/summary.json`` (a mixin of
:class:`termforum.demo.queries.Store`).

Every count is computed from the rows themselves (likes, posts, topics), not from the
``users`` table's counters, so the summary says what the database holds. The lists follow
Discourse's ``UserSummary``: at most :data:`SUMMARY_RESULTS` each, most liked first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["SUMMARY_RESULTS", "UserQueries", "UserStats"]

SUMMARY_RESULTS = 6
"""Discourse's ``UserSummary::MAX_SUMMARY_RESULTS``: the length of each summary list."""

REGULAR = 1
"""``post_type`` of ordinary posts (small actions and moderator notes are not counted)."""

Row = sqlite3.Row


@dataclass(frozen=True, slots=True)
class UserStats:
    """A member's numbers, as Discourse's ``user_stats`` keeps them."""

    likes_given: int
    likes_received: int
    topic_count: int
    post_count: int
    days_visited: int
    """Days on which the member wrote or liked something (the demo records no visits)."""
    topics_entered: int
    """Topics the member wrote in or has opened."""
    posts_read_count: int
    """Posts of those topics up to where the member read (all of them where they wrote)."""


class UserQueries:
    """Per-member queries; :class:`~termforum.demo.queries.Store` provides ``_all``."""

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:  # pragma: no cover
        raise NotImplementedError

    def _count(self, sql: str, params: Sequence[Any]) -> int:
        rows = self._all(sql, params)
        return int(rows[0][0] or 0) if rows else 0

    def user_stats(self, user_id: int) -> UserStats:
        """The member's counts, computed from the posts, topics and likes tables."""
        mine = (user_id,)
        entered = (
            "SELECT topic_id FROM posts WHERE user_id = ?"
            " UNION SELECT topic_id FROM topic_users WHERE user_id = ?"
        )
        return UserStats(
            likes_given=self._count("SELECT COUNT(*) FROM likes WHERE user_id = ?", mine),
            likes_received=self._count(
                "SELECT COUNT(*) FROM likes l JOIN posts p ON p.id = l.post_id WHERE p.user_id = ?",
                mine,
            ),
            topic_count=self._count(
                "SELECT COUNT(*) FROM topics WHERE user_id = ? AND visible = 1", mine
            ),
            post_count=self._count(
                "SELECT COUNT(*) FROM posts WHERE user_id = ? AND post_type = ?",
                (user_id, REGULAR),
            ),
            days_visited=self._count(
                "SELECT COUNT(DISTINCT substr(created_at, 1, 10)) FROM ("
                " SELECT created_at FROM posts WHERE user_id = ?"
                " UNION ALL SELECT created_at FROM likes WHERE user_id = ?)",
                (user_id, user_id),
            ),
            topics_entered=self._count(f"SELECT COUNT(*) FROM ({entered})", (user_id, user_id)),
            posts_read_count=self._count(
                "SELECT SUM(CASE WHEN t.id IN (SELECT topic_id FROM posts WHERE user_id = ?)"
                " THEN t.highest_post_number"
                " ELSE MIN(COALESCE(tu.last_read_post_number, 0), t.highest_post_number) END)"
                f" FROM topics t LEFT JOIN topic_users tu ON tu.topic_id = t.id"
                f" AND tu.user_id = ? WHERE t.id IN ({entered})",
                (user_id, user_id, user_id, user_id),
            ),
        )

    def top_topics(self, user_id: int) -> list[Row]:
        """The member's most liked topics, newest first among equals."""
        return self._all(
            "SELECT * FROM topics WHERE user_id = ? AND visible = 1"
            " ORDER BY like_count DESC, created_at DESC, id DESC LIMIT ?",
            (user_id, SUMMARY_RESULTS),
        )

    def top_replies(self, user_id: int) -> list[Row]:
        """The member's most liked replies (posts after the first of a topic)."""
        return self._all(
            "SELECT p.* FROM posts p JOIN topics t ON t.id = p.topic_id"
            " WHERE p.user_id = ? AND p.post_number > 1 AND p.post_type = ? AND t.visible = 1"
            " ORDER BY p.like_count DESC, p.created_at DESC, p.id DESC LIMIT ?",
            (user_id, REGULAR, SUMMARY_RESULTS),
        )

    def most_liked_by(self, user_id: int) -> list[tuple[int, int]]:
        """``(user id, likes)`` of who liked the member's posts most."""
        return self._pairs(
            "SELECT l.user_id, COUNT(*) AS n FROM likes l JOIN posts p ON p.id = l.post_id"
            " WHERE p.user_id = ? GROUP BY l.user_id ORDER BY n DESC, l.user_id LIMIT ?",
            user_id,
        )

    def most_liked_users(self, user_id: int) -> list[tuple[int, int]]:
        """``(user id, likes)`` of whose posts the member liked most."""
        return self._pairs(
            "SELECT p.user_id, COUNT(*) AS n FROM likes l JOIN posts p ON p.id = l.post_id"
            " WHERE l.user_id = ? GROUP BY p.user_id ORDER BY n DESC, p.user_id LIMIT ?",
            user_id,
        )

    def most_replied_to(self, user_id: int) -> list[tuple[int, int]]:
        """``(user id, replies)`` of whom the member answered most (not themselves)."""
        return self._pairs(
            "SELECT r.user_id, COUNT(*) AS n FROM posts p JOIN posts r"
            " ON r.topic_id = p.topic_id AND r.post_number = p.reply_to_post_number"
            " WHERE p.user_id = ? AND r.user_id <> p.user_id AND r.post_type = 1"
            " GROUP BY r.user_id ORDER BY n DESC, r.user_id LIMIT ?",
            user_id,
        )

    def top_categories(self, user_id: int) -> list[tuple[int, int, int]]:
        """``(category id, topics, replies)`` where the member writes most."""
        rows = self._all(
            "SELECT t.category_id,"
            " SUM(CASE WHEN p.post_number = 1 THEN 1 ELSE 0 END) AS topics,"
            " SUM(CASE WHEN p.post_number > 1 THEN 1 ELSE 0 END) AS replies"
            " FROM posts p JOIN topics t ON t.id = p.topic_id"
            " WHERE p.user_id = ? AND p.post_type = 1 AND t.visible = 1"
            " GROUP BY t.category_id ORDER BY COUNT(*) DESC, t.category_id LIMIT ?",
            (user_id, SUMMARY_RESULTS),
        )
        return [(r[0], int(r[1]), int(r[2])) for r in rows]

    def bookmark_count(self, user_id: int) -> int:
        """How many bookmarks the member keeps."""
        return self._count("SELECT COUNT(*) FROM bookmarks WHERE user_id = ?", (user_id,))

    def _pairs(self, sql: str, user_id: int) -> list[tuple[int, int]]:
        return [(r[0], int(r[1])) for r in self._all(sql, (user_id, SUMMARY_RESULTS))]

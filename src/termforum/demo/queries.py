"""Read queries over the demo database (SQLite), shared by the request handlers.

One connection per app, guarded by a lock: the demo answers small, fast queries, so
running them inline in the event loop is fine. Data that only changes with writes
(users, categories, tag counts) is cached in memory; :meth:`Store.invalidate` drops it.
Writes go through :meth:`Store.transaction` (:mod:`termforum.demo.writes`), which
invalidates the cache when it ends.

Per-user reads (what a logged-in viewer liked, bookmarked, has read) are the
``*_for_user`` methods; they back the personalised fields of the serializers.
"""

from __future__ import annotations

import math
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any, NamedTuple

from termforum.demo.db import connect, iso, parse_time, read_meta
from termforum.demo.user_queries import UserQueries

__all__ = [
    "NEW_TOPIC_DAYS",
    "PERIODS",
    "NotificationCounts",
    "SearchQuery",
    "Store",
    "TopicUserState",
]

PERIODS: dict[str, int | None] = {
    "daily": 1,
    "weekly": 7,
    "monthly": 30,
    "quarterly": 90,
    "yearly": 365,
    "all": None,
}
"""Discourse's top periods and their length in days (None: no limit)."""

NEW_TOPIC_DAYS = 2
"""A topic is "new" to a user for this long (Discourse's ``new_topic_duration_minutes``,
2880, as seen from the seed's "now")."""

Row = sqlite3.Row


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """A parsed search: plain words plus the few Discourse filters the demo supports."""

    words: tuple[str, ...]
    in_title: bool = False
    username: str | None = None
    category_slug: str | None = None
    tags: tuple[str, ...] = ()
    order_latest: bool = False

    @classmethod
    def parse(cls, q: str) -> SearchQuery:
        """Split ``q`` into words and ``in:title``, ``@user``, ``#category``, ``tags:a,b``,
        ``order:latest`` (other ``key:value`` filters are ignored)."""
        words: list[str] = []
        in_title = order_latest = False
        username = category = None
        tags: tuple[str, ...] = ()
        for token in q.split():
            low = token.casefold()
            if low == "in:title":
                in_title = True
            elif low == "order:latest":
                order_latest = True
            elif low.startswith(("tags:", "tag:")):
                tags = tuple(t for t in low.split(":", 1)[1].replace("+", ",").split(",") if t)
            elif token.startswith("@") and len(token) > 1:
                username = token[1:]
            elif token.startswith("#") and len(token) > 1:
                category = token[1:].casefold()
            elif ":" in token and not token.startswith(("http:", "https:")):
                continue
            else:
                words.append(low)
        return cls(tuple(words), in_title, username, category, tags, order_latest)


@dataclass(frozen=True, slots=True)
class TopicUserState:
    """One user's relation to one topic (Discourse's ``topic_users`` plus likes/bookmarks)."""

    last_read_post_number: int | None
    notification_level: int
    liked: bool
    bookmarked: bool


class NotificationCounts(NamedTuple):
    """A user's unread notifications, counted as Discourse's ``User`` model does."""

    unread: int
    """Unread, not high priority, newer than ``seen_notification_id``
    (``unread_notifications``)."""
    unread_high_priority: int
    """Unread, high priority, newer than ``seen_notification_id``."""
    unseen: int
    """Unread and newer than ``seen_notification_id`` (``all_unread_notifications_count``)."""
    total_unread: int
    """Every unread one (``total_unread_notifications``)."""


class Store(UserQueries):
    """Queries against one demo database (those about one member: :class:`UserQueries`)."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        meta = read_meta(self.db_path)
        self.now = parse_time(meta["epoch"])
        """The demo's frozen "now", in seed time (periods and ages are computed from it;
        the app shows it, like every stored time, plus its time shift)."""
        self.conn = connect(self.db_path)
        self.conn.create_function("casefold", 1, _casefold, deterministic=True)
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.conn.close()

    def invalidate(self) -> None:
        """Forget cached users, categories and counts (call after a write)."""
        self._cache.clear()

    def cached(self, key: str, build: Callable[[], Any]) -> Any:
        """``build()``, remembered under ``key`` until the next write."""
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Run writes atomically: ``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on error).

        Holds the store's lock throughout, so readers on other threads never see half a
        write; the in-memory caches are dropped afterwards.
        """
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
            finally:
                self.invalidate()

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._lock:
            return self.conn.execute(sql, params).fetchall()

    def _one(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        with self._lock:
            return self.conn.execute(sql, params).fetchone()

    # -- users --------------------------------------------------------------------------

    def users(self) -> dict[int, Row]:
        """Every user by id (cached)."""
        if "users" not in self._cache:
            self._cache["users"] = {r["id"]: r for r in self._all("SELECT * FROM users")}
        return self._cache["users"]

    def user_by_username(self, username: str) -> Row | None:
        """A user by username, case-insensitively."""
        return self._one("SELECT * FROM users WHERE username = ? COLLATE NOCASE", (username,))

    def user(self, user_id: int) -> Row | None:
        """A user by id."""
        return self.users().get(user_id)

    def meta(self, key: str) -> str | None:
        """A value of the ``meta`` table."""
        row = self._one("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0] if row else None

    # -- categories ---------------------------------------------------------------------

    def categories(self) -> list[Row]:
        """Every category, in position order (cached)."""
        if "categories" not in self._cache:
            self._cache["categories"] = self._all("SELECT * FROM categories ORDER BY position")
        return self._cache["categories"]

    def category(self, category_id: int) -> Row | None:
        """One category by id."""
        return next((c for c in self.categories() if c["id"] == category_id), None)

    def subcategory_ids(self, category_id: int) -> list[int]:
        """Ids of the direct subcategories of a category, in position order."""
        return [c["id"] for c in self.categories() if c["parent_id"] == category_id]

    def category_stats(self) -> dict[int, dict[str, int]]:
        """Per category: topic and post counts and topics per period (cached)."""
        if "category_stats" not in self._cache:
            stats: dict[int, dict[str, int]] = {
                c["id"]: dict.fromkeys(
                    (
                        "topic_count",
                        "post_count",
                        "topics_day",
                        "topics_week",
                        "topics_month",
                        "topics_year",
                        "topics_all_time",
                    ),
                    0,
                )
                for c in self.categories()
            }
            definitions = {c["topic_id"] for c in self.categories() if c["topic_id"]}
            rows = self._all("SELECT id, category_id, posts_count, created_at FROM topics")
            windows = {"topics_day": 1, "topics_week": 7, "topics_month": 30, "topics_year": 365}
            for row in rows:
                entry = stats.get(row["category_id"])
                if entry is None:
                    continue
                entry["post_count"] += row["posts_count"]
                if row["id"] in definitions:
                    continue
                entry["topic_count"] += 1
                entry["topics_all_time"] += 1
                age = self.now - parse_time(row["created_at"])
                for key, days in windows.items():
                    if age <= timedelta(days=days):
                        entry[key] += 1
            self._cache["category_stats"] = stats
        return self._cache["category_stats"]

    # -- tags ---------------------------------------------------------------------------

    def tag_counts(self) -> list[Row]:
        """Every tag with its topic count, most used first (cached)."""
        if "tags" not in self._cache:
            self._cache["tags"] = self._all(
                "SELECT tags.id, tags.name, COUNT(topic_tags.topic_id) AS count FROM tags"
                " LEFT JOIN topic_tags ON topic_tags.tag_id = tags.id"
                " GROUP BY tags.id ORDER BY count DESC, tags.name"
            )
        return self._cache["tags"]

    def tag_by_name(self, name: str) -> Row | None:
        """A tag by name (case-insensitive)."""
        low = name.casefold()
        return next((t for t in self.tag_counts() if t["name"].casefold() == low), None)

    def tags_for(self, topic_ids: Iterable[int]) -> dict[int, list[Row]]:
        """Tags of each topic, in name order."""
        ids = list(topic_ids)
        result: dict[int, list[Row]] = {i: [] for i in ids}
        if not ids:
            return result
        marks = ",".join("?" * len(ids))
        for row in self._all(
            "SELECT topic_tags.topic_id, tags.id, tags.name FROM topic_tags"
            f" JOIN tags ON tags.id = topic_tags.tag_id WHERE topic_tags.topic_id IN ({marks})"
            " ORDER BY tags.name",
            ids,
        ):
            result[row["topic_id"]].append(row)
        return result

    # -- topics -------------------------------------------------------------------------

    def topic(self, topic_id: int) -> Row | None:
        """One visible topic by id."""
        return self._one("SELECT * FROM topics WHERE id = ? AND visible = 1", (topic_id,))

    def topics_by_ids(self, topic_ids: Iterable[int]) -> dict[int, Row]:
        """Topics by id."""
        ids = list(set(topic_ids))
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {r["id"]: r for r in self._all(f"SELECT * FROM topics WHERE id IN ({marks})", ids)}

    def totals(self) -> tuple[int, int]:
        """Numbers of topics and posts."""
        row = self._one("SELECT COUNT(*), COALESCE(SUM(posts_count), 0) FROM topics")
        return (int(row[0]), int(row[1])) if row else (0, 0)

    def featured_topic(self, user_id: int) -> Row | None:
        """A user's most liked topic, shown on their profile."""
        return self._one(
            "SELECT * FROM topics WHERE user_id = ? AND visible = 1"
            " ORDER BY like_count DESC, id LIMIT 1",
            (user_id,),
        )

    def definition_topic_ids(self) -> set[int]:
        """Ids of the "About the … category" topics."""
        return {c["topic_id"] for c in self.categories() if c["topic_id"]}

    def list_topics(
        self,
        view: str,
        *,
        category_ids: Sequence[int] | None = None,
        pin_category: int | None = None,
        tag_id: int | None = None,
        period: str = "all",
        no_definitions: bool = False,
        order: str | None = None,
        ascending: bool = False,
        page: int = 0,
        per_page: int = 30,
        user_id: int | None = None,
        exclude_category_ids: Iterable[int] = (),
    ) -> tuple[list[Row], bool]:
        """One page of a topic list and whether another page exists.

        ``view`` is ``latest``, ``top``, ``hot``, or (with ``user_id``) ``new``,
        ``unread``, ``posted`` (topics the user posted in) or ``bookmarks`` (topics with
        the user's bookmarks, on the topic or one of its posts). In ``latest`` (default
        order) pinned topics come first: globally pinned ones, or with ``pin_category``
        the ones pinned in that category, as Discourse's ``prioritize_pinned_topics``
        does. ``new`` lists topics created in the last :data:`NEW_TOPIC_DAYS` that the
        user has not opened; ``unread`` the topics the user tracks or watches with posts
        after their last read one.
        ``exclude_category_ids`` leaves out the topics of those categories (muted ones).
        """
        where = ["visible = 1"]
        params: list[Any] = []
        if view == "unread":
            where.append(
                "id IN (SELECT tu.topic_id FROM topic_users tu JOIN topics x ON x.id ="
                " tu.topic_id WHERE tu.user_id = ? AND tu.notification_level >= 2 AND"
                " COALESCE(tu.last_read_post_number, 0) < x.highest_post_number)"
            )
            params.append(user_id)
        elif view == "new":
            where.append(
                "id NOT IN (SELECT topic_id FROM topic_users WHERE user_id = ?"
                " AND last_read_post_number IS NOT NULL) AND created_at >= ?"
            )
            params += [user_id, iso(self.now - timedelta(days=NEW_TOPIC_DAYS))]
        elif view == "posted":
            where.append("id IN (SELECT topic_id FROM posts WHERE user_id = ? AND post_type = 1)")
            params.append(user_id)
        elif view == "bookmarks":
            where.append(
                "id IN (SELECT bookmarkable_id FROM bookmarks WHERE user_id = ?"
                " AND bookmarkable_type = 'Topic' UNION SELECT p.topic_id FROM bookmarks b"
                " JOIN posts p ON p.id = b.bookmarkable_id WHERE b.user_id = ?"
                " AND b.bookmarkable_type = 'Post')"
            )
            params += [user_id, user_id]
        if category_ids is not None:
            where.append(f"category_id IN ({','.join('?' * len(category_ids))})")
            params += list(category_ids)
        excluded = sorted(set(exclude_category_ids))
        if excluded:
            where.append(f"category_id NOT IN ({','.join('?' * len(excluded))})")
            params += excluded
        if tag_id is not None:
            where.append("id IN (SELECT topic_id FROM topic_tags WHERE tag_id = ?)")
            params.append(tag_id)
        if no_definitions:
            where.append("id NOT IN (SELECT topic_id FROM categories WHERE topic_id IS NOT NULL)")
        days = PERIODS.get(period) if view == "top" else None
        if days is not None:
            where.append("created_at >= ?")
            params.append(iso(self.now - timedelta(days=days)))
        rows = self._all(f"SELECT * FROM topics WHERE {' AND '.join(where)}", params)

        if view == "top":
            rows.sort(key=lambda r: (_top_score(r), r["bumped_at"], r["id"]), reverse=True)
        elif view == "hot":
            rows = [r for r in rows if self.now - parse_time(r["bumped_at"]) <= timedelta(days=60)]
            rows.sort(key=lambda r: (self._hot_score(r), r["id"]), reverse=True)
        else:
            rows = self._order_latest(rows, order, ascending, pin_category)
        start = page * per_page
        return rows[start : start + per_page], len(rows) > start + per_page

    def _order_latest(
        self, rows: list[Row], order: str | None, ascending: bool, pin_category: int | None
    ) -> list[Row]:
        column = {
            "created": "created_at",
            "activity": "bumped_at",
            "views": "views",
            "posts": "posts_count",
            "likes": "like_count",
            "op_likes": "like_count",
            "posters": "posts_count",
            "category": "category_id",
        }.get(order or "default")
        if column:
            rows.sort(key=lambda r: (r[column], r["id"]), reverse=not ascending)
            return rows
        rows.sort(key=lambda r: (r["bumped_at"], r["id"]), reverse=True)

        def pinned(r: Row) -> bool:
            if r["pinned_at"] is None:
                return False
            if pin_category is not None:
                return r["category_id"] == pin_category
            return bool(r["pinned_globally"])

        return [r for r in rows if pinned(r)] + [r for r in rows if not pinned(r)]

    def _hot_score(self, row: Row) -> float:
        hours = max((self.now - parse_time(row["created_at"])).total_seconds() / 3600, 0.0)
        return (row["like_count"] + row["posts_count"] * 2) / math.pow(hours + 2, 1.2)

    def posters(self, topic_ids: Iterable[int]) -> dict[int, list[tuple[int, int, int]]]:
        """Per topic: ``(user_id, post count, last post number)`` of every poster."""
        ids = list(topic_ids)
        result: dict[int, list[tuple[int, int, int]]] = {i: [] for i in ids}
        if not ids:
            return result
        marks = ",".join("?" * len(ids))
        for row in self._all(
            "SELECT topic_id, user_id, COUNT(*) AS n, MAX(post_number) AS last, MIN(post_number)"
            f" AS first FROM posts WHERE topic_id IN ({marks}) AND post_type != 3"
            " GROUP BY topic_id, user_id ORDER BY topic_id, first",
            ids,
        ):
            result[row["topic_id"]].append((row["user_id"], row["n"], row["last"]))
        return result

    def suggested(self, topic: Row, limit: int = 5) -> list[Row]:
        """Topics to suggest after ``topic``: same category first, then the latest."""
        return self._all(
            "SELECT * FROM topics WHERE id != ? AND visible = 1 AND id NOT IN"
            " (SELECT topic_id FROM categories WHERE topic_id IS NOT NULL)"
            " ORDER BY (category_id = ?) DESC, bumped_at DESC LIMIT ?",
            (topic["id"], topic["category_id"], limit),
        )

    # -- posts --------------------------------------------------------------------------

    def post_ids(self, topic_id: int) -> list[int]:
        """Every post id of a topic, in post-number order (Discourse's ``stream``)."""
        return [
            r[0]
            for r in self._all(
                "SELECT id FROM posts WHERE topic_id = ? ORDER BY post_number", (topic_id,)
            )
        ]

    def post_times(self, topic_id: int) -> list[str]:
        """Creation times of a topic's posts, in post-number order."""
        return [
            r[0]
            for r in self._all(
                "SELECT created_at FROM posts WHERE topic_id = ? ORDER BY post_number", (topic_id,)
            )
        ]

    def posts_page(self, topic_id: int, offset: int, limit: int) -> list[Row]:
        """``limit`` posts of a topic from position ``offset`` (0-based), in order."""
        return self._all(
            "SELECT * FROM posts WHERE topic_id = ? ORDER BY post_number LIMIT ? OFFSET ?",
            (topic_id, limit, offset),
        )

    def posts_by_ids(self, topic_id: int, post_ids: Sequence[int]) -> list[Row]:
        """The posts of ``topic_id`` among ``post_ids``, in post-number order."""
        if not post_ids:
            return []
        marks = ",".join("?" * len(post_ids))
        return self._all(
            f"SELECT * FROM posts WHERE topic_id = ? AND id IN ({marks}) ORDER BY post_number",
            (topic_id, *post_ids),
        )

    def posts_from_number(self, topic_id: int, number: int, limit: int, asc: bool) -> list[Row]:
        """Up to ``limit`` posts after (``asc``) or before ``number``, nearest first."""
        if asc:
            sql = (
                "SELECT * FROM posts WHERE topic_id = ? AND post_number > ?"
                " ORDER BY post_number LIMIT ?"
            )
        else:
            sql = (
                "SELECT * FROM posts WHERE topic_id = ? AND post_number < ?"
                " ORDER BY post_number DESC LIMIT ?"
            )
        return self._all(sql, (topic_id, number, limit))

    def post_ids_after(self, topic_id: int, number: int) -> list[int]:
        """Ids of every post after ``number``, in order (``/t/{id}/post_ids.json``)."""
        return [
            r[0]
            for r in self._all(
                "SELECT id FROM posts WHERE topic_id = ? AND post_number > ? ORDER BY post_number",
                (topic_id, number),
            )
        ]

    def post_position(self, topic_id: int, number: int) -> int:
        """How many posts of the topic come before post ``number``."""
        row = self._one(
            "SELECT COUNT(*) FROM posts WHERE topic_id = ? AND post_number < ?",
            (topic_id, number),
        )
        return int(row[0]) if row else 0

    def post(self, post_id: int) -> Row | None:
        """One post by id."""
        return self._one("SELECT * FROM posts WHERE id = ?", (post_id,))

    def post_by_number(self, topic_id: int, number: int) -> Row | None:
        """One post by topic and post number."""
        return self._one(
            "SELECT * FROM posts WHERE topic_id = ? AND post_number = ?", (topic_id, number)
        )

    def authors_of(self, topic_id: int, numbers: Iterable[int]) -> dict[int, int]:
        """``post_number → user_id`` for some posts of a topic."""
        wanted = sorted(set(numbers))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        return {
            r[0]: r[1]
            for r in self._all(
                f"SELECT post_number, user_id FROM posts WHERE topic_id = ? AND post_number IN"
                f" ({marks})",
                (topic_id, *wanted),
            )
        }

    def replies_to(self, post: Row) -> list[Row]:
        """Direct replies to a post, in order."""
        return self._all(
            "SELECT * FROM posts WHERE topic_id = ? AND reply_to_post_number = ?"
            " ORDER BY post_number",
            (post["topic_id"], post["post_number"]),
        )

    # -- search -------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> list[tuple[int, int]]:
        """``(topic_id, post_id)`` pairs matching ``query``, best first, one per topic."""
        where = ["t.visible = 1", "p.post_type = 1"]
        params: list[Any] = []
        for word in query.words:
            if query.in_title:
                where.append("instr(casefold(t.title), ?) > 0")
                params.append(word)
            else:
                where.append("(instr(casefold(t.title), ?) > 0 OR instr(casefold(p.raw), ?) > 0)")
                params += [word, word]
        if query.in_title:
            where.append("p.post_number = 1")
        if query.username:
            where.append("p.user_id = (SELECT id FROM users WHERE username = ? COLLATE NOCASE)")
            params.append(query.username)
        if query.category_slug:
            cats = [c for c in self.categories() if c["slug"] == query.category_slug]
            ids = [c["id"] for c in cats] + [i for c in cats for i in self.subcategory_ids(c["id"])]
            where.append(f"t.category_id IN ({','.join('?' * len(ids)) or 'NULL'})")
            params += ids
        if query.tags:
            marks = ",".join("?" * len(query.tags))
            where.append(
                "t.id IN (SELECT topic_id FROM topic_tags JOIN tags ON tags.id = tag_id"
                f" WHERE casefold(tags.name) IN ({marks}))"
            )
            params += list(query.tags)
        rows = self._all(
            "SELECT t.id AS topic_id, p.id AS post_id, p.post_number, p.created_at, p.like_count,"
            " t.bumped_at, t.title FROM posts p JOIN topics t ON t.id = p.topic_id"
            f" WHERE {' AND '.join(where)} ORDER BY t.id, p.post_number",
            params,
        )
        best: dict[int, Row] = {}
        title_hit: dict[int, bool] = {}
        for row in rows:
            topic_id = row["topic_id"]
            if topic_id not in best:
                best[topic_id] = row
                title = row["title"].casefold()
                title_hit[topic_id] = bool(query.words) and all(w in title for w in query.words)
        ranked = list(best.values())
        if query.order_latest:
            ranked.sort(key=lambda r: r["created_at"], reverse=True)
        else:
            ranked.sort(
                key=lambda r: (title_hit[r["topic_id"]], r["like_count"], r["bumped_at"]),
                reverse=True,
            )
        return [(r["topic_id"], r["post_id"]) for r in ranked]

    def posts_by_global_ids(self, post_ids: Sequence[int]) -> dict[int, Row]:
        """Posts by id, across topics."""
        if not post_ids:
            return {}
        marks = ",".join("?" * len(post_ids))
        rows = self._all(f"SELECT * FROM posts WHERE id IN ({marks})", post_ids)
        return {r["id"]: r for r in rows}

    # -- per user -----------------------------------------------------------------------

    def topic_user(self, user_id: int, topic_id: int) -> Row | None:
        """The ``topic_users`` row of a user and a topic, if any."""
        return self._one(
            "SELECT * FROM topic_users WHERE user_id = ? AND topic_id = ?", (user_id, topic_id)
        )

    def topic_states_for_user(
        self, user_id: int, topic_ids: Iterable[int]
    ) -> dict[int, TopicUserState]:
        """Per topic the user has a ``topic_users`` row for: read state, likes, bookmarks."""
        ids = list(topic_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self._all(
            f"SELECT * FROM topic_users WHERE user_id = ? AND topic_id IN ({marks})",
            (user_id, *ids),
        )
        liked = {
            r[0]
            for r in self._all(
                f"SELECT DISTINCT p.topic_id FROM likes l JOIN posts p ON p.id = l.post_id"
                f" WHERE l.user_id = ? AND p.topic_id IN ({marks})",
                (user_id, *ids),
            )
        }
        marked = {
            r[0]
            for r in self._all(
                "SELECT DISTINCT CASE b.bookmarkable_type WHEN 'Topic' THEN b.bookmarkable_id"
                " ELSE p.topic_id END FROM bookmarks b LEFT JOIN posts p ON"
                " b.bookmarkable_type = 'Post' AND p.id = b.bookmarkable_id WHERE b.user_id = ?",
                (user_id,),
            )
        }
        return {
            r["topic_id"]: TopicUserState(
                r["last_read_post_number"],
                r["notification_level"],
                r["topic_id"] in liked,
                r["topic_id"] in marked,
            )
            for r in rows
        }

    def likes_for_user(self, user_id: int, post_ids: Sequence[int]) -> dict[int, str]:
        """``post_id → created_at`` of the user's likes among ``post_ids``."""
        if not post_ids:
            return {}
        marks = ",".join("?" * len(post_ids))
        return {
            r[0]: r[1]
            for r in self._all(
                f"SELECT post_id, created_at FROM likes WHERE user_id = ? AND post_id IN ({marks})",
                (user_id, *post_ids),
            )
        }

    def post_bookmarks_for_user(self, user_id: int, post_ids: Sequence[int]) -> dict[int, Row]:
        """``post_id → bookmark`` of the user's post bookmarks among ``post_ids``."""
        if not post_ids:
            return {}
        marks = ",".join("?" * len(post_ids))
        return {
            r["bookmarkable_id"]: r
            for r in self._all(
                "SELECT * FROM bookmarks WHERE user_id = ? AND bookmarkable_type = 'Post'"
                f" AND bookmarkable_id IN ({marks})",
                (user_id, *post_ids),
            )
        }

    def topic_bookmarks_for_user(self, user_id: int, topic_id: int) -> list[Row]:
        """The user's bookmarks on a topic or on any of its posts, oldest first."""
        return self._all(
            "SELECT b.* FROM bookmarks b WHERE b.user_id = ? AND ((b.bookmarkable_type ="
            " 'Topic' AND b.bookmarkable_id = ?) OR (b.bookmarkable_type = 'Post' AND"
            " b.bookmarkable_id IN (SELECT id FROM posts WHERE topic_id = ?))) ORDER BY b.id",
            (user_id, topic_id, topic_id),
        )

    def bookmark(self, bookmark_id: int) -> Row | None:
        """One bookmark by id."""
        return self._one("SELECT * FROM bookmarks WHERE id = ?", (bookmark_id,))

    def draft_sequence(self, user_id: int, draft_key: str) -> int:
        """Discourse's ``DraftSequence.current`` for a user and a draft key (0 if none)."""
        row = self._one(
            "SELECT sequence FROM draft_sequences WHERE user_id = ? AND draft_key = ?",
            (user_id, draft_key),
        )
        return int(row[0]) if row else 0

    def pending_count(self, user_id: int) -> int:
        """How many of the user's posts wait for a moderator."""
        row = self._one(
            "SELECT COUNT(*) FROM pending_posts WHERE user_id = ? AND state = 'pending'",
            (user_id,),
        )
        return int(row[0]) if row else 0

    def pending_post(self, pending_id: int) -> Row | None:
        """One queued post by id."""
        return self._one("SELECT * FROM pending_posts WHERE id = ?", (pending_id,))

    def like(self, post_id: int, user_id: int) -> Row | None:
        """A user's like of a post, if given."""
        return self._one(
            "SELECT * FROM likes WHERE post_id = ? AND user_id = ?", (post_id, user_id)
        )

    def like_times_since(self, user_id: int, since: str) -> list[str]:
        """When the user gave each like since ``since`` (a stored timestamp), oldest first."""
        return [
            r[0]
            for r in self._all(
                "SELECT created_at FROM likes WHERE user_id = ? AND created_at >= ?"
                " ORDER BY created_at",
                (user_id, since),
            )
        ]

    def posts_by_user_since(self, user_id: int, since: str) -> list[Row]:
        """The user's posts created since ``since`` (a stored timestamp)."""
        return self._all(
            "SELECT * FROM posts WHERE user_id = ? AND created_at >= ?", (user_id, since)
        )

    def similarity_candidates(self) -> list[Row]:
        """Open, visible topics (no category definitions) with their first post's cooked
        HTML as ``first_cooked``: what ``/topics/similar_to`` ranks."""
        return self._all(
            "SELECT t.*, p.cooked AS first_cooked FROM topics t JOIN posts p ON"
            " p.topic_id = t.id AND p.post_number = 1 WHERE t.visible = 1 AND t.closed = 0"
            " AND t.archived = 0 AND t.id NOT IN (SELECT topic_id FROM categories WHERE"
            " topic_id IS NOT NULL) ORDER BY t.id"
        )

    def notifications(
        self, user_id: int, *, offset: int = 0, limit: int = 60, read: bool | None = None
    ) -> list[Row]:
        """The user's notifications, newest first, each with its topic's current ``title``
        and ``slug`` (None when the topic is gone); only read or unread ones if ``read``
        says so."""
        where, params = self._notification_filter(user_id, read)
        return self._all(
            "SELECT n.*, t.title AS title, t.slug AS slug FROM notifications n"
            f" LEFT JOIN topics t ON t.id = n.topic_id WHERE {where}"
            " ORDER BY n.created_at DESC, n.id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )

    def notification_count(self, user_id: int, *, read: bool | None = None) -> int:
        """How many notifications :meth:`notifications` has to page through."""
        where, params = self._notification_filter(user_id, read)
        row = self._one(f"SELECT COUNT(*) FROM notifications n WHERE {where}", params)
        return int(row[0]) if row else 0

    @staticmethod
    def _notification_filter(user_id: int, read: bool | None) -> tuple[str, tuple[Any, ...]]:
        if read is None:
            return "n.user_id = ?", (user_id,)
        return "n.user_id = ? AND n.read = ?", (user_id, int(read))

    def notification_counts(self, user: Row) -> NotificationCounts:
        """The user's unread notification counts (see :class:`NotificationCounts`)."""
        row = self._one(
            "SELECT COALESCE(SUM(id > :seen AND NOT high_priority), 0),"
            " COALESCE(SUM(id > :seen AND high_priority), 0), COALESCE(SUM(id > :seen), 0),"
            " COUNT(*) FROM notifications WHERE user_id = :user AND NOT read",
            {"seen": user["seen_notification_id"], "user": user["id"]},
        )
        return NotificationCounts(*(int(v) for v in row)) if row else NotificationCounts(0, 0, 0, 0)

    def live_key(self, table: str, key_hash: str) -> Row | None:
        """A key of ``api_keys`` or ``user_api_keys`` by its hash, unless revoked."""
        if table not in ("api_keys", "user_api_keys"):
            raise ValueError(f"not a key table: {table!r}")
        return self._one(
            f"SELECT * FROM {table} WHERE key_hash = ? AND revoked_at IS NULL", (key_hash,)
        )

    def topic_by_title(self, title: str) -> Row | None:
        """A visible topic whose title equals ``title`` ignoring case and outer spaces."""
        return self._one(
            "SELECT * FROM topics WHERE visible = 1 AND casefold(trim(title)) = ? LIMIT 1",
            (title.strip().casefold(),),
        )


def _casefold(value: Any) -> str:
    return str(value).casefold() if value is not None else ""


def _top_score(row: Row) -> float:
    return row["like_count"] * 4 + row["posts_count"] * 2 + row["views"] / 20

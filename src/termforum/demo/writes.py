"""The demo forum's write side: posting, editing, likes, bookmarks, read state,
notifications, and the admin-only creation of users and categories.

:class:`Writer` checks a write the way Discourse does (same rules, same messages), then
changes the database in one transaction (:meth:`Store.transaction`) so that every
counter a reader sees stays consistent: topic ``posts_count``, ``highest_post_number``,
``reply_count``, ``last_posted_at``, ``bumped_at``, ``last_post_user_id``, post
``reply_count`` and ``like_count``, user counts, the category's topic count (computed),
the author's ``topic_users`` row and ``DraftSequence``. The notifications a post or a
like causes (:mod:`termforum.demo.notifications`) are made in the same transaction.

Every time passed in (``now``) is **seed time**: the app turns real time into seed time
(:func:`termforum.demo.clock.to_seed_time`) so new posts show as just written.

Refusals are :class:`Refused` exceptions carrying the HTTP status and Discourse's JSON
body; the handlers in :mod:`termforum.demo.write_api` turn them into responses.
Messages come from Discourse's ``config/locales/server.en.yml`` (``errors.messages``,
``just_posted_that``, ``topic_not_found``, ``action_already_performed``, ...).
"""

from __future__ import annotations

import hashlib
import html
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from termforum.demo import notifications as alerts
from termforum.demo.cook import cook, excerpt, slugify
from termforum.demo.db import iso, parse_time
from termforum.demo.queries import Store
from termforum.demo.serialize import is_staff
from termforum.demo.settings import SiteSettings

__all__ = [
    "ACTION_ALREADY_PERFORMED",
    "CATEGORY_NAME_TAKEN",
    "DUPLICATE_BOOKMARK",
    "MAX_USERNAME_LENGTH",
    "JUST_POSTED_THAT",
    "TOPIC_NOT_FOUND",
    "CreateResult",
    "NewPost",
    "Refused",
    "TooMany",
    "Writer",
    "normalized_raw",
]

Row = sqlite3.Row

JUST_POSTED_THAT = "Body is too similar to what you recently posted"
TOPIC_NOT_FOUND = (
    "Something has gone wrong. Perhaps this topic was closed or deleted while you were "
    "looking at it?"
)
ACTION_ALREADY_PERFORMED = (
    "Oops! You already performed this action. Can you try refreshing the page?"
)
DUPLICATE_BOOKMARK = "You cannot bookmark the same {kind} twice."
INVALID_ACCESS = "You are not permitted to view the requested resource."
NOT_FOUND = "The requested URL or resource could not be found."
CATEGORY_NAME_TAKEN = "Category Name has already been taken"
MAX_USERNAME_LENGTH = 60
"""The longest username the demo accepts (the highest ``max_username_length`` Discourse
allows; its default is 20)."""
DEFAULT_CATEGORY_COLOR = "0088CC"
DEFAULT_CATEGORY_TEXT_COLOR = "FFFFFF"
"""Discourse's defaults for a new category's ``color`` and ``text_color``."""
NEW_USER_TRUST_LEVEL = 1
ACCOUNT_ACTIVATED = "Your account is activated and ready to use."
"""Discourse's ``login.active``: what ``POST /users.json`` answers for an active user."""
SMALL_ACTION = 3
TRACKING, WATCHING = 2, 3
AUTO_TRACK_MSECS = 240_000
"""Discourse's ``auto_track_topics_after_msecs``: reading this long tracks the topic."""
LIKE_MULTIPLIERS = {2: 1.5, 3: 2.0, 4: 3.0}
"""``tl2/3/4_additional_likes_per_day_multiplier``."""


class TooMany(Exception):
    """An action past its daily allowance: answer 429 after ``wait`` seconds."""

    def __init__(self, wait: int) -> None:
        super().__init__(wait)
        self.wait = wait


class Refused(Exception):
    """A write Discourse would refuse: ``status`` and the JSON ``body`` to answer with."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(status, body)
        self.status = status
        self.body = body
        self.headers = list(headers)

    @classmethod
    def errors(cls, status: int, *messages: str, error_type: str | None = None) -> Refused:
        """``{"errors": [...], "error_type"?: ...}``."""
        body: dict[str, Any] = {"errors": list(messages)}
        if error_type:
            body["error_type"] = error_type
        return cls(status, body)


def normalized_raw(raw: str) -> str:
    """A body as Discourse compares bodies for duplicates: no whitespace, case folded."""
    return "".join(raw.split()).casefold()


def _length_errors(label: str, text: str, minimum: int, maximum: int) -> list[str]:
    """Rails/Discourse ``StrippedLengthValidator`` messages."""
    stripped = text.strip()
    if not stripped:
        return [f"{label} can't be blank"]
    if len(stripped) < minimum:
        unit = "character" if minimum == 1 else "characters"
        return [f"{label} is too short (minimum is {minimum} {unit})"]
    if len(stripped) > maximum:
        unit = "character" if maximum == 1 else "characters"
        return [f"{label} is too long (maximum is {maximum} {unit})"]
    return []


@dataclass(frozen=True, slots=True)
class NewPost:
    """What ``POST /posts.json`` asks for: a reply (``topic_id``) or a new topic."""

    raw: str
    topic_id: int | None = None
    reply_to_post_number: int | None = None
    title: str | None = None
    category: str | None = None
    """The ``category`` parameter as sent: an id, or a category name (Discourse takes both)."""
    tags: tuple[str, ...] = ()


@dataclass(slots=True)
class CreateResult:
    """The outcome of :meth:`Writer.create_post` (Discourse's ``NewPostResult``)."""

    action: str
    """``create_post``, ``enqueued`` or ``created_post`` (Discourse's own spelling on
    the approval path when the body is refused)."""
    errors: list[str] = field(default_factory=list)
    post: Row | None = None
    topic: Row | None = None
    pending: Row | None = None
    pending_count: int = 0

    @property
    def success(self) -> bool:
        """Whether the post was created or queued."""
        return not self.errors


class Writer:
    """Checks and performs writes against one demo database."""

    def __init__(self, store: Store, settings: SiteSettings) -> None:
        self.store = store
        self.settings = settings

    # -- posts --------------------------------------------------------------------------

    def raw_errors(self, user: Row, raw: str, *, first_post: bool, now: datetime) -> list[str]:
        """Discourse's ``PostValidator`` for a new body: length, then recent duplicates."""
        s = self.settings
        minimum = s.min_first_post_length if first_post else s.min_post_length
        errors = _length_errors("Body", raw, minimum, s.max_post_length)
        if not errors and self.is_recent_duplicate(user, raw, now):
            errors.append(JUST_POSTED_THAT)
        return errors

    def is_recent_duplicate(self, user: Row, raw: str, now: datetime) -> bool:
        """Whether the user posted this body (ignoring case and whitespace) within
        ``unique_posts_mins``, in any topic (staff are exempt)."""
        minutes = self.settings.unique_posts_mins
        if minutes <= 0 or is_staff(user):
            return False
        wanted = normalized_raw(raw)
        since = iso(now - timedelta(minutes=minutes))
        return any(
            normalized_raw(p["raw"]) == wanted
            for p in self.store.posts_by_user_since(user["id"], since)
        )

    def create_post(self, user: Row, new: NewPost, now: datetime) -> CreateResult:
        """Create a reply or a topic, or queue it for approval (``NewPostManager``).

        Raises :class:`Refused` for an unknown category (404: ``NewPostManager`` looks it
        up with ``Category.find``); every other refusal is a result with ``errors`` (422).
        """
        topic: Row | None = None
        category: Row | None = None
        if new.topic_id is not None:
            topic = self.store.topic(new.topic_id)
            if topic is not None:
                category = self.store.category(topic["category_id"])
        else:
            category = self._category(new.category)
        queued = category is not None and self._needs_approval(user, category, topic is None)

        errors = self.raw_errors(user, new.raw, first_post=new.topic_id is None, now=now)
        if errors:
            return CreateResult("created_post" if queued else "create_post", errors)
        if new.topic_id is not None:
            if topic is None or topic["archived"] or (topic["closed"] and not is_staff(user)):
                return CreateResult("created_post" if queued else "create_post", [TOPIC_NOT_FOUND])
        else:
            errors = self._new_topic_errors(new, category)
            if errors:
                return CreateResult("enqueued" if queued else "create_post", errors)
        if queued:
            return self._enqueue(user, new, category, now)
        if topic is not None:
            post = self._reply(user, topic, new, now)
            return CreateResult("create_post", post=post, topic=self.store.topic(topic["id"]))
        assert category is not None
        post, topic = self._new_topic(user, new, category, now)
        return CreateResult("create_post", post=post, topic=topic)

    def _category(self, value: str | None) -> Row | None:
        if value is None or not str(value).strip():
            return None
        text = str(value).strip()
        if text.isdigit():
            found = self.store.category(int(text))
        else:
            found = next(
                (c for c in self.store.categories() if c["name"].casefold() == text.casefold()),
                None,
            )
        if found is None:
            raise Refused.errors(404, NOT_FOUND, error_type="not_found")
        return found

    def _needs_approval(self, user: Row, category: Row, new_topic: bool) -> bool:
        if is_staff(user):
            return False
        column = "require_topic_approval" if new_topic else "require_reply_approval"
        return bool(category[column])

    def _new_topic_errors(self, new: NewPost, category: Row | None) -> list[str]:
        s = self.settings
        errors = _length_errors(
            "Title", new.title or "", s.min_topic_title_length, s.max_topic_title_length
        )
        if not errors and self.store.topic_by_title(new.title or "") is not None:
            errors.append("Title has already been used")
        if not s.allow_uncategorized_topics:
            if category is None:
                errors.append("Category can't be blank")
            elif category["id"] == 1:
                errors.append("Category is reserved")
        return errors

    def _usernames(self) -> set[str]:
        return {u["username"].lower() for u in self.store.users().values()}

    def _tag_ids(self, conn: sqlite3.Connection, user: Row, names: Iterable[str]) -> list[int]:
        """Ids of the named tags. Unknown tags are created for staff and trust level 3+
        (Discourse's default ``create_tag_allowed_groups``) and dropped for others."""
        ids: list[int] = []
        for name in dict.fromkeys(n.strip().lower() for n in names if n.strip()):
            row = conn.execute("SELECT id FROM tags WHERE name = ?", (name,)).fetchone()
            if row is not None:
                ids.append(row[0])
            elif is_staff(user) or user["trust_level"] >= 3:
                ids.append(conn.execute("INSERT INTO tags (name) VALUES (?)", (name,)).lastrowid)
        return ids

    def _enqueue(
        self, user: Row, new: NewPost, category: Row | None, now: datetime
    ) -> CreateResult:
        with self.store.transaction() as conn:
            pending_id = conn.execute(
                "INSERT INTO pending_posts (user_id, topic_id, category_id, title, raw,"
                " reply_to_post_number, tags, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    user["id"],
                    new.topic_id,
                    category["id"] if category is not None else None,
                    new.title if new.topic_id is None else None,
                    new.raw,
                    new.reply_to_post_number,
                    json.dumps(list(new.tags)),
                    iso(now),
                ),
            ).lastrowid
        return CreateResult(
            "enqueued",
            pending=self.store.pending_post(pending_id),
            pending_count=self.store.pending_count(user["id"]),
        )

    def _insert_post(
        self,
        conn: sqlite3.Connection,
        user: Row,
        topic_id: int,
        number: int,
        raw: str,
        reply_to: int | None,
        stamp: str,
    ) -> int:
        cooked = cook(raw, usernames=self._usernames())
        return conn.execute(
            "INSERT INTO posts (topic_id, post_number, user_id, raw, cooked, created_at,"
            " updated_at, reply_to_post_number, quote_count, reads)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
            (
                topic_id,
                number,
                user["id"],
                raw,
                cooked,
                stamp,
                stamp,
                reply_to,
                raw.count("[quote"),
            ),
        ).lastrowid

    def _after_post(
        self,
        conn: sqlite3.Connection,
        user: Row,
        topic_id: int,
        number: int,
        stamp: str,
        *,
        new_topic: bool,
        draft_key: str,
    ) -> None:
        """User counts, the author's read state and their draft sequence."""
        conn.execute(
            "UPDATE users SET post_count = post_count + 1, topic_count = topic_count + ?,"
            " last_posted_at = ?, last_seen_at = ? WHERE id = ?",
            (1 if new_topic else 0, stamp, stamp, user["id"]),
        )
        level = WATCHING if new_topic else TRACKING
        conn.execute(
            "INSERT INTO topic_users (user_id, topic_id, last_read_post_number,"
            " notification_level) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, topic_id) DO UPDATE"
            " SET last_read_post_number = MAX(COALESCE(last_read_post_number, 0),"
            " excluded.last_read_post_number), notification_level = MAX(notification_level,"
            " excluded.notification_level)",
            (user["id"], topic_id, number, level),
        )
        conn.execute(
            "INSERT INTO draft_sequences (user_id, draft_key, sequence) VALUES (?, ?, 1)"
            " ON CONFLICT (user_id, draft_key) DO UPDATE SET sequence = sequence + 1",
            (user["id"], draft_key),
        )

    def _notify_post(self, conn: sqlite3.Connection, user: Row, post_id: int) -> None:
        """Notify whom a just-inserted post mentions or replies to."""
        post = conn.execute("SELECT * FROM posts WHERE id = ?", (post_id,)).fetchone()
        topic = conn.execute("SELECT * FROM topics WHERE id = ?", (post["topic_id"],)).fetchone()
        alerts.notify_new_post(conn, self.store.users(), user, topic, post)

    def _reply(self, user: Row, topic: Row, new: NewPost, now: datetime) -> Row:
        raw = new.raw.rstrip()
        stamp = iso(now)
        with self.store.transaction() as conn:
            current = conn.execute(
                "SELECT highest_post_number FROM topics WHERE id = ?", (topic["id"],)
            ).fetchone()
            number = current[0] + 1
            reply_to = new.reply_to_post_number
            if reply_to is not None:
                updated = conn.execute(
                    "UPDATE posts SET reply_count = reply_count + 1 WHERE topic_id = ?"
                    " AND post_number = ? AND post_type != ?",
                    (topic["id"], reply_to, SMALL_ACTION),
                ).rowcount
                if not updated:
                    reply_to = None  # nothing to reply to: keep the stream consistent
            post_id = self._insert_post(conn, user, topic["id"], number, raw, reply_to, stamp)
            conn.execute(
                "UPDATE topics SET posts_count = posts_count + 1, highest_post_number = ?,"
                " reply_count = reply_count + 1, last_posted_at = ?, bumped_at = ?,"
                " last_post_user_id = ?, word_count = word_count + ? WHERE id = ?",
                (number, stamp, stamp, user["id"], len(raw.split()), topic["id"]),
            )
            self._after_post(
                conn,
                user,
                topic["id"],
                number,
                stamp,
                new_topic=False,
                draft_key=f"topic_{topic['id']}",
            )
            self._notify_post(conn, user, post_id)
        post = self.store.post(post_id)
        assert post is not None
        return post

    def _new_topic(self, user: Row, new: NewPost, category: Row, now: datetime) -> tuple[Row, Row]:
        raw = new.raw.rstrip()
        title = " ".join((new.title or "").split())
        stamp = iso(now)
        with self.store.transaction() as conn:
            topic_id = conn.execute(
                "INSERT INTO topics (title, slug, category_id, user_id, created_at, bumped_at,"
                " last_posted_at, last_post_user_id, views, posts_count, highest_post_number,"
                " reply_count, like_count, word_count, excerpt)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, 1, 1, 0, 0, ?, '')",
                (
                    title,
                    slugify(title),
                    category["id"],
                    user["id"],
                    stamp,
                    stamp,
                    stamp,
                    user["id"],
                    len(raw.split()),
                ),
            ).lastrowid
            post_id = self._insert_post(conn, user, topic_id, 1, raw, None, stamp)
            cooked = conn.execute("SELECT cooked FROM posts WHERE id = ?", (post_id,)).fetchone()
            conn.execute(
                "UPDATE topics SET excerpt = ? WHERE id = ?", (excerpt(cooked[0]), topic_id)
            )
            for tag_id in self._tag_ids(conn, user, new.tags):
                conn.execute("INSERT INTO topic_tags VALUES (?, ?)", (topic_id, tag_id))
            self._after_post(conn, user, topic_id, 1, stamp, new_topic=True, draft_key="new_topic")
            self._notify_post(conn, user, post_id)
        post, topic = self.store.post(post_id), self.store.topic(topic_id)
        assert post is not None and topic is not None
        return post, topic

    def approve(self, pending_id: int, now: datetime) -> Row:
        """Publish a queued post as its author (a moderator approving it)."""
        pending = self.store.pending_post(pending_id)
        if pending is None or pending["state"] != "pending":
            raise ValueError(f"no pending post {pending_id}")
        user = self.store.user(pending["user_id"])
        assert user is not None
        new = NewPost(
            pending["raw"],
            pending["topic_id"],
            pending["reply_to_post_number"],
            pending["title"],
            tags=tuple(json.loads(pending["tags"] or "[]")),
        )
        if new.topic_id is not None:
            topic = self.store.topic(new.topic_id)
            if topic is None:
                raise ValueError(f"the topic of pending post {pending_id} is gone")
            post = self._reply(user, topic, new, now)
        else:
            category = self.store.category(pending["category_id"])
            assert category is not None
            post, _ = self._new_topic(user, new, category, now)
        with self.store.transaction() as conn:
            conn.execute("UPDATE pending_posts SET state = 'approved' WHERE id = ?", (pending_id,))
        return post

    # -- edits --------------------------------------------------------------------------

    def edit_post(
        self, user: Row, post: Row, raw: str, edit_reason: str | None, now: datetime
    ) -> Row:
        """Revise a post's body (``PostRevisor``); :class:`Refused` 422 for a bad body.

        ``version`` goes up when the body changes, unless the author edits again within
        ``editing_grace_period`` seconds of the last version.
        """
        s = self.settings
        minimum = s.min_first_post_length if post["post_number"] == 1 else s.min_post_length
        errors = _length_errors("Body", raw, minimum, s.max_post_length)
        if errors:
            raise Refused.errors(422, *errors)
        raw = raw.rstrip()
        if raw == post["raw"]:
            return post
        grace = timedelta(seconds=s.editing_grace_period)
        in_grace = (
            s.editing_grace_period > 0
            and user["id"] == post["user_id"]
            and now - parse_time(post["updated_at"]) < grace
        )
        cooked = cook(raw, usernames=self._usernames())
        with self.store.transaction() as conn:
            conn.execute(
                "UPDATE posts SET raw = ?, cooked = ?, updated_at = ?, edit_reason = ?,"
                " version = version + ?, quote_count = ? WHERE id = ?",
                (
                    raw,
                    cooked,
                    iso(now),
                    edit_reason or None,
                    0 if in_grace else 1,
                    raw.count("[quote"),
                    post["id"],
                ),
            )
            if post["post_number"] == 1:
                conn.execute(
                    "UPDATE topics SET excerpt = ? WHERE id = ?",
                    (excerpt(cooked), post["topic_id"]),
                )
        updated = self.store.post(post["id"])
        assert updated is not None
        return updated

    # -- likes --------------------------------------------------------------------------

    def likes_per_day(self, user: Row) -> int:
        """The user's daily like allowance (``Discourse-Actions-Max``)."""
        factor = LIKE_MULTIPLIERS.get(user["trust_level"], 1.0)
        return int(self.settings.max_likes_per_day * factor)

    def like(self, user: Row, post: Row, topic: Row, now: datetime) -> tuple[int, int]:
        """Like a post; ``(likes remaining today, daily maximum)``.

        Refuses (403) a second like, a like of one's own post, of a system line or in an
        archived topic; answers 429 past the daily allowance.
        """
        if self.store.like(post["id"], user["id"]) is not None:
            raise Refused.errors(403, ACTION_ALREADY_PERFORMED)
        if post["user_id"] == user["id"] or post["post_type"] != 1 or topic["archived"]:
            raise Refused.errors(403, INVALID_ACCESS)
        maximum = self.likes_per_day(user)
        given = self.store.like_times_since(user["id"], iso(now - timedelta(days=1)))
        if len(given) >= maximum:
            wait = max(1, int((parse_time(given[0]) + timedelta(days=1) - now).total_seconds()))
            raise TooMany(wait)
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO likes (post_id, user_id, created_at) VALUES (?, ?, ?)",
                (post["id"], user["id"], iso(now)),
            )
            self._count_like(conn, user, post, +1)
            alerts.notify_like(conn, user, post, topic, iso(now))
        return maximum - len(given) - 1, maximum

    def unlike(self, user: Row, post: Row, now: datetime) -> None:
        """Take a like back: 404 if there is none, 403 once the undo window has passed."""
        like = self.store.like(post["id"], user["id"])
        if like is None:
            raise Refused.errors(404, NOT_FOUND, error_type="not_found")
        window = timedelta(minutes=self.settings.post_undo_action_window_mins)
        if parse_time(like["created_at"]) < now - window:
            raise Refused.errors(403, INVALID_ACCESS, error_type="invalid_access")
        with self.store.transaction() as conn:
            conn.execute(
                "DELETE FROM likes WHERE post_id = ? AND user_id = ?", (post["id"], user["id"])
            )
            self._count_like(conn, user, post, -1)
            alerts.forget_like(conn, user, post)

    @staticmethod
    def _count_like(conn: sqlite3.Connection, user: Row, post: Row, step: int) -> None:
        conn.execute(
            "UPDATE posts SET like_count = like_count + ? WHERE id = ?", (step, post["id"])
        )
        conn.execute(
            "UPDATE topics SET like_count = like_count + ? WHERE id = ?", (step, post["topic_id"])
        )
        conn.execute(
            "UPDATE users SET likes_given = likes_given + ? WHERE id = ?", (step, user["id"])
        )
        conn.execute(
            "UPDATE users SET likes_received = likes_received + ? WHERE id = ?",
            (step, post["user_id"]),
        )

    # -- bookmarks ----------------------------------------------------------------------

    def bookmark(
        self,
        user: Row,
        kind: str,
        target_id: int,
        now: datetime,
        *,
        name: str | None = None,
        reminder_at: str | None = None,
        auto_delete_preference: int = 3,
    ) -> int:
        """Bookmark a post or a topic (``kind`` ``Post``/``Topic``); the bookmark's id.

        404 for a missing target; 400 ``{"failed": "FAILED", "errors": [...]}`` for a
        second bookmark of the same thing, as ``BookmarksController`` answers.
        """
        if kind not in ("Post", "Topic"):
            raise Refused(400, {"failed": "FAILED", "errors": [f"A {kind} cannot be bookmarked."]})
        exists = (
            self.store.post(target_id) if kind == "Post" else self.store.topic(target_id)
        ) is not None
        if not exists:
            raise Refused.errors(404, NOT_FOUND, error_type="not_found")
        try:
            with self.store.transaction() as conn:
                return conn.execute(
                    "INSERT INTO bookmarks (user_id, bookmarkable_type, bookmarkable_id, name,"
                    " reminder_at, auto_delete_preference, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        user["id"],
                        kind,
                        target_id,
                        name,
                        reminder_at,
                        auto_delete_preference,
                        iso(now),
                    ),
                ).lastrowid
        except sqlite3.IntegrityError:
            message = DUPLICATE_BOOKMARK.format(kind=kind.lower())
            raise Refused(400, {"failed": "FAILED", "errors": [message]}) from None

    def delete_bookmark(self, user: Row, bookmark_id: int) -> bool:
        """Delete one of the user's bookmarks; whether the user still has a bookmark in
        the same topic (``topic_bookmarked``). 404 if missing, 403 if someone else's."""
        bookmark = self.store.bookmark(bookmark_id)
        if bookmark is None:
            raise Refused.errors(404, NOT_FOUND, error_type="not_found")
        if bookmark["user_id"] != user["id"]:
            raise Refused.errors(403, INVALID_ACCESS, error_type="invalid_access")
        topic_id = self._bookmark_topic(bookmark)
        with self.store.transaction() as conn:
            conn.execute("DELETE FROM bookmarks WHERE id = ?", (bookmark_id,))
        if topic_id is None:
            return False
        return bool(self.store.topic_bookmarks_for_user(user["id"], topic_id))

    def _bookmark_topic(self, bookmark: Row) -> int | None:
        if bookmark["bookmarkable_type"] == "Topic":
            return int(bookmark["bookmarkable_id"])
        post = self.store.post(bookmark["bookmarkable_id"])
        return int(post["topic_id"]) if post is not None else None

    def remove_topic_bookmarks(self, user: Row, topic_id: int) -> None:
        """Delete the user's bookmarks on a topic and its posts."""
        ids = [b["id"] for b in self.store.topic_bookmarks_for_user(user["id"], topic_id)]
        if ids:
            with self.store.transaction() as conn:
                conn.executemany("DELETE FROM bookmarks WHERE id = ?", [(i,) for i in ids])

    # -- read state ---------------------------------------------------------------------

    def record_timings(
        self, user: Row, topic: Row, post_numbers: Iterable[int], topic_time_ms: int
    ) -> None:
        """``POST /topics/timings``: move the user's ``last_read_post_number`` forward (never
        back, never past the last post) and track the topic after 4 minutes of reading."""
        numbers = [n for n in post_numbers if n > 0]
        if not numbers:
            return
        last = min(max(numbers), topic["highest_post_number"])
        level = TRACKING if topic_time_ms >= AUTO_TRACK_MSECS else 1
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO topic_users (user_id, topic_id, last_read_post_number,"
                " notification_level) VALUES (?, ?, ?, ?) ON CONFLICT (user_id, topic_id) DO"
                " UPDATE SET last_read_post_number = MAX(COALESCE(last_read_post_number, 0),"
                " excluded.last_read_post_number), notification_level = MAX(notification_level,"
                " excluded.notification_level)",
                (user["id"], topic["id"], last, level),
            )

    # -- notifications ------------------------------------------------------------------

    def mark_notifications_read(self, user: Row, notification_id: int | None) -> None:
        """Mark one of the user's notifications read, or all of them (``None``)."""
        with self.store.transaction() as conn:
            alerts.mark_read(conn, user["id"], notification_id)

    def saw_notification(self, user: Row, notification_id: int) -> None:
        """Record that the user has seen notifications up to ``notification_id``."""
        with self.store.transaction() as conn:
            alerts.mark_seen(conn, user["id"], notification_id)

    # -- admin: users and categories ----------------------------------------------------

    def create_user(self, username: str, name: str | None, now: datetime) -> Row:
        """Create an active trust-level-1 user (``POST /users.json`` by an admin).

        Unlike Discourse, which allows only letters, digits, ``_``, ``-`` and ``.`` in
        usernames, the demo takes **any** text for ``username`` and ``name`` (escape
        sequences, markup, bidi controls, newlines): a client must survive whatever a
        server sends, and tests use such users to prove it. The username is only refused
        (422 ``{"success": false, "message", "errors": {"username": [...]}}``) when empty,
        longer than :data:`MAX_USERNAME_LENGTH` characters, or already taken (compared
        case-insensitively). It is stored exactly as given.
        """
        problem: str | None = None
        if not username:
            problem = "can't be blank"
        elif len(username) > MAX_USERNAME_LENGTH:
            problem = f"is too long (maximum is {MAX_USERNAME_LENGTH} characters)"
        elif username.casefold() in {u["username"].casefold() for u in self.store.users().values()}:
            problem = "must be unique"
        if problem is None:
            stamp = iso(now)
            color = hashlib.sha256(username.encode("utf-8")).hexdigest()[:6]
            try:
                with self.store.transaction() as conn:
                    user_id = conn.execute(
                        "INSERT INTO users (username, name, trust_level, avatar_color,"
                        " created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (username, name, NEW_USER_TRUST_LEVEL, color, stamp, stamp),
                    ).lastrowid
            except sqlite3.IntegrityError:  # taken after all (SQLite's NOCASE)
                problem = "must be unique"
            else:
                user = self.store.user(user_id)
                assert user is not None
                return user
        raise Refused(
            422,
            {
                "success": False,
                "message": f"Username {problem}",
                "errors": {"username": [problem]},
            },
        )

    def create_category(
        self,
        name: str,
        now: datetime,
        *,
        color: str | None = None,
        text_color: str | None = None,
        parent_id: int | None = None,
        description: str | None = None,
    ) -> Row:
        """Create a category (``POST /categories.json`` by an admin).

        Any text is accepted as the name (and the colours), as for usernames
        (:meth:`create_user`); the slug keeps only ``[a-z0-9-]`` of the name
        (:func:`termforum.demo.cook.slugify`) and is ``cat-<id>`` when nothing is left or
        a sibling already has it. Refused with 422 ``{"errors": [...]}`` when a sibling
        (same parent) has the same name, case-insensitively (Discourse's uniqueness
        rule), or the parent does not exist. No "About the … category" topic is made.
        """
        siblings = [c for c in self.store.categories() if c["parent_id"] == parent_id]
        if parent_id is not None and self.store.category(parent_id) is None:
            raise Refused.errors(422, "Parent category is invalid")
        if any(c["name"].casefold() == name.casefold() for c in siblings):
            raise Refused.errors(422, CATEGORY_NAME_TAKEN)
        text = description or ""
        slug = slugify(name, fallback="")
        with self.store.transaction() as conn:
            position = conn.execute(
                "SELECT COALESCE(MAX(position), -1) + 1 FROM categories"
            ).fetchone()[0]
            category_id = conn.execute(
                "INSERT INTO categories (name, slug, color, text_color, description,"
                " description_text, parent_id, position, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    name,
                    slug,
                    color or DEFAULT_CATEGORY_COLOR,
                    text_color or DEFAULT_CATEGORY_TEXT_COLOR,
                    f"<p>{html.escape(text, quote=False)}</p>" if text else "",
                    text,
                    parent_id,
                    position,
                    iso(now),
                ),
            ).lastrowid
            if not slug or any(c["slug"] == slug for c in siblings):
                conn.execute(
                    "UPDATE categories SET slug = ? WHERE id = ?",
                    (f"cat-{category_id}", category_id),
                )
        category = self.store.category(category_id)
        assert category is not None
        return category

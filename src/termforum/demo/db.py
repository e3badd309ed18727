"""The demo forum's SQLite schema, versions and connections.

One file, ``demo.sqlite3``, in the data folder. ``meta`` records the schema version and
the content version; :func:`termforum.demo.seed.ensure_seeded` reuses a folder whose
versions match and re-seeds otherwise.

The tables mirror the parts of Discourse's model the API needs. The seed leaves the
per-user tables empty: ``api_keys`` and ``user_api_keys`` (keys are stored as SHA-256
hashes, see :mod:`termforum.demo.auth`), ``topic_users`` (read state), ``bookmarks``,
``pending_posts`` (the moderation queue), ``draft_sequences``, ``notifications`` and
``category_users`` (notification levels per category); the write side fills them.

A folder at an older schema version whose content version matches is upgraded in place
when :data:`MIGRATIONS` lead from its version to this one (:func:`upgrade`), so what its
users wrote and the demo account's key survive; otherwise it is re-seeded. Version 2
folders (before notifications) and version 3 ones (before category notification levels)
are upgraded; older ones are re-seeded.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

__all__ = [
    "DB_FILENAME",
    "SCHEMA",
    "SCHEMA_VERSION",
    "connect",
    "iso",
    "parse_time",
    "read_meta",
    "upgrade",
]

SCHEMA_VERSION = 4
"""Bump when the tables change, with a :data:`MIGRATIONS` step from the previous version
when one can keep the data (without one, older data folders are re-seeded)."""

DB_FILENAME = "demo.sqlite3"

NOTIFICATIONS_TABLE = """
-- Discourse's notifications: data is the JSON text of the notification's `data` object.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    notification_type INTEGER NOT NULL,
    read INTEGER NOT NULL DEFAULT 0,
    high_priority INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    topic_id INTEGER REFERENCES topics(id),
    post_number INTEGER,
    data TEXT NOT NULL DEFAULT '{}'
);
"""
NOTIFICATIONS_INDEX = "CREATE INDEX notifications_user ON notifications (user_id, id);"

CATEGORY_USERS_TABLE = """
-- Discourse's category_users: a user's notification level for a category (0 muted,
-- 1 regular, 2 tracking, 3 watching, 4 watching first post); no row means regular.
CREATE TABLE category_users (
    user_id INTEGER NOT NULL REFERENCES users(id),
    category_id INTEGER NOT NULL REFERENCES categories(id),
    notification_level INTEGER NOT NULL,
    PRIMARY KEY (user_id, category_id)
);
"""

SCHEMA = (
    """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name TEXT,
    trust_level INTEGER NOT NULL,
    admin INTEGER NOT NULL DEFAULT 0,
    moderator INTEGER NOT NULL DEFAULT 0,
    title TEXT,
    bio_raw TEXT NOT NULL DEFAULT '',
    bio_cooked TEXT NOT NULL DEFAULT '',
    avatar_color TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT,
    last_posted_at TEXT,
    post_count INTEGER NOT NULL DEFAULT 0,
    topic_count INTEGER NOT NULL DEFAULT 0,
    likes_given INTEGER NOT NULL DEFAULT 0,
    likes_received INTEGER NOT NULL DEFAULT 0,
    -- Discourse's users.seen_notification_id (0 until a notification is seen).
    seen_notification_id INTEGER NOT NULL DEFAULT 0
);
-- Admin ("global") API keys: Api-Key + Api-Username. user_id NULL = any user.
CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER REFERENCES users(id),
    description TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
-- User API keys (the /user-api-key/new flow): User-Api-Key header.
CREATE TABLE user_api_keys (
    id INTEGER PRIMARY KEY,
    key_hash TEXT NOT NULL UNIQUE,
    user_id INTEGER NOT NULL REFERENCES users(id),
    client_id TEXT NOT NULL,
    application_name TEXT NOT NULL DEFAULT '',
    scopes TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE TABLE categories (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    slug TEXT NOT NULL,
    color TEXT NOT NULL,
    text_color TEXT NOT NULL,
    description TEXT NOT NULL,
    description_text TEXT NOT NULL,
    parent_id INTEGER REFERENCES categories(id),
    position INTEGER NOT NULL,
    read_restricted INTEGER NOT NULL DEFAULT 0,
    require_topic_approval INTEGER NOT NULL DEFAULT 0,
    require_reply_approval INTEGER NOT NULL DEFAULT 0,
    topic_id INTEGER,
    created_at TEXT NOT NULL
);
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE topics (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    slug TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    bumped_at TEXT NOT NULL,
    last_posted_at TEXT NOT NULL,
    last_post_user_id INTEGER NOT NULL,
    views INTEGER NOT NULL DEFAULT 0,
    posts_count INTEGER NOT NULL DEFAULT 0,
    highest_post_number INTEGER NOT NULL DEFAULT 0,
    reply_count INTEGER NOT NULL DEFAULT 0,
    like_count INTEGER NOT NULL DEFAULT 0,
    word_count INTEGER NOT NULL DEFAULT 0,
    excerpt TEXT NOT NULL DEFAULT '',
    pinned_at TEXT,
    pinned_globally INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    archived INTEGER NOT NULL DEFAULT 0,
    visible INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE topic_tags (
    topic_id INTEGER NOT NULL REFERENCES topics(id),
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    PRIMARY KEY (topic_id, tag_id)
);
CREATE TABLE posts (
    id INTEGER PRIMARY KEY,
    topic_id INTEGER NOT NULL REFERENCES topics(id),
    post_number INTEGER NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    raw TEXT NOT NULL,
    cooked TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    reply_to_post_number INTEGER,
    reply_count INTEGER NOT NULL DEFAULT 0,
    quote_count INTEGER NOT NULL DEFAULT 0,
    like_count INTEGER NOT NULL DEFAULT 0,
    reads INTEGER NOT NULL DEFAULT 0,
    post_type INTEGER NOT NULL DEFAULT 1,
    action_code TEXT,
    version INTEGER NOT NULL DEFAULT 1,
    edit_reason TEXT,
    UNIQUE (topic_id, post_number)
);
CREATE TABLE likes (
    post_id INTEGER NOT NULL REFERENCES posts(id),
    user_id INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (post_id, user_id)
);
-- Per-user read state (Discourse's topic_users), for when requests carry a user.
CREATE TABLE topic_users (
    user_id INTEGER NOT NULL REFERENCES users(id),
    topic_id INTEGER NOT NULL REFERENCES topics(id),
    last_read_post_number INTEGER,
    notification_level INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (user_id, topic_id)
);
-- Discourse's polymorphic bookmarks (bookmarkable_type 'Post' or 'Topic').
CREATE TABLE bookmarks (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    bookmarkable_type TEXT NOT NULL,
    bookmarkable_id INTEGER NOT NULL,
    name TEXT,
    reminder_at TEXT,
    auto_delete_preference INTEGER NOT NULL DEFAULT 3,
    created_at TEXT NOT NULL,
    UNIQUE (user_id, bookmarkable_type, bookmarkable_id)
);
-- Posts held for a moderator (Discourse's ReviewableQueuedPost), never published here.
CREATE TABLE pending_posts (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    topic_id INTEGER,
    category_id INTEGER,
    title TEXT,
    raw TEXT NOT NULL,
    reply_to_post_number INTEGER,
    tags TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL DEFAULT 'pending',
    created_at TEXT NOT NULL
);
-- Discourse's DraftSequence: advanced for a user and draft key when a post is made.
CREATE TABLE draft_sequences (
    user_id INTEGER NOT NULL REFERENCES users(id),
    draft_key TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    PRIMARY KEY (user_id, draft_key)
);
"""
    + NOTIFICATIONS_TABLE
    + CATEGORY_USERS_TABLE
)

INDEXES = (
    """
CREATE INDEX topics_bumped ON topics (bumped_at DESC);
CREATE INDEX topics_category ON topics (category_id, bumped_at DESC);
CREATE INDEX posts_user ON posts (user_id);
CREATE INDEX posts_reply_to ON posts (topic_id, reply_to_post_number);
CREATE INDEX topic_tags_tag ON topic_tags (tag_id);
CREATE INDEX likes_user ON likes (user_id);
CREATE INDEX bookmarks_user ON bookmarks (user_id);
CREATE INDEX pending_posts_user ON pending_posts (user_id, state);
"""
    + NOTIFICATIONS_INDEX
)

MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: (
        NOTIFICATIONS_TABLE,
        NOTIFICATIONS_INDEX,
        "ALTER TABLE users ADD COLUMN seen_notification_id INTEGER NOT NULL DEFAULT 0",
    ),
    3: (CATEGORY_USERS_TABLE,),
}
"""The statements that take a database from schema version N to N + 1. The seed makes
no rows for the tables they add, so upgrading leaves the same data as seeding afresh."""


def connect(path: Path) -> sqlite3.Connection:
    """Open the demo database for serving (usable from the server's thread)."""
    conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def read_meta(path: Path) -> dict[str, str]:
    """The ``meta`` table of an existing database (empty when it is not a demo database)."""
    if not path.is_file():
        return {}
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        return {}


def upgrade(path: Path, version: str | None) -> bool:
    """Bring the database at ``path``, at schema ``version`` (as ``meta`` records it), up
    to :data:`SCHEMA_VERSION` in one transaction; whether it is now current.

    False (nothing changed) when there is no way up: an unknown or newer version, a
    missing migration step, or a database that refuses a step (then re-seed it).
    """
    if version is None or not version.isdigit():
        return False
    start = int(version)
    steps = [MIGRATIONS.get(v) for v in range(start, SCHEMA_VERSION)]
    if start > SCHEMA_VERSION or any(step is None for step in steps):
        return False
    if not steps:
        return True
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            for step in steps:
                for statement in step or ():
                    conn.execute(statement)
            conn.execute(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
            )
        except sqlite3.Error:
            conn.execute("ROLLBACK")
            return False
        conn.execute("COMMIT")
    finally:
        conn.close()
    return True


def iso(moment: datetime) -> str:
    """Discourse's timestamp format, as stored: ``2025-11-20T09:00:00.000Z``."""
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def parse_time(value: str) -> datetime:
    """Parse a stored timestamp back into an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))

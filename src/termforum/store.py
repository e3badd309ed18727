"""The local cache: one SQLite file (``cache.sqlite3``) holding what forums sent.

Groups, topic lists, topics, threads (their post streams), posts and users are stored as they
arrive (models encoded by ``model_codec``), with when they were fetched, so that termforum
starts from disk, reads offline and asks the forum only for what is missing or stale. Read
state (the last post read per topic, and what still has to be told to the forum) and a
full-text index (FTS5) over topic titles and post text live here too.

Everything belongs to a *scope*, one account on one forum (:meth:`Cache.scope`): nothing
cached for one account is shown to another. Drafts and credentials are never stored here.

Integrity: WAL where the file system allows it (else a rollback journal), a busy time-out
so two termforum processes never see "database is locked", short transactions. A file that
is not a database, is damaged or has an unknown schema version is moved aside and a new one
started; :attr:`Cache.notice` then says so in one sentence. The full check of every page
(``PRAGMA quick_check``, whose time grows with the file) runs on a thread of its own after
opening, so start-up does not wait for it; damage it finds is marked in a file next to the
cache, moved aside at the next start, and said in :attr:`Cache.damage` meanwhile. A cache is
disposable: a write that fails (a full disk) is logged and forgotten, never raised to the
caller.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar

from termforum.model_codec import decode, encode
from termforum.models import Group, Post, SearchHit, Site, Thread, Topic, TopicPage, User
from termforum.paths import app_paths, ensure_private_dir

__all__ = ["SCHEMA_VERSION", "Cache", "CacheScope", "Cached"]

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 5000
ANONYMOUS = "anonymous"

log = logging.getLogger(__name__)
T = TypeVar("T")

_SCHEMA = """
CREATE TABLE scopes (id INTEGER PRIMARY KEY, forum_url TEXT NOT NULL, username TEXT NOT NULL,
    UNIQUE (forum_url, username));
CREATE TABLE objects (scope_id INTEGER NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL,
    data TEXT NOT NULL, fetched_at TEXT NOT NULL, PRIMARY KEY (scope_id, kind, key));
CREATE TABLE topics (scope_id INTEGER NOT NULL, topic_id TEXT NOT NULL, data TEXT NOT NULL,
    fts_rowid INTEGER, PRIMARY KEY (scope_id, topic_id));
CREATE TABLE posts (scope_id INTEGER NOT NULL, post_id TEXT NOT NULL, topic_id TEXT NOT NULL,
    number INTEGER NOT NULL, data TEXT NOT NULL, fts_rowid INTEGER,
    PRIMARY KEY (scope_id, post_id));
CREATE INDEX posts_by_topic ON posts (scope_id, topic_id, number);
CREATE TABLE read_state (scope_id INTEGER NOT NULL, topic_id TEXT NOT NULL,
    last_read INTEGER NOT NULL, sent INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (scope_id, topic_id));
CREATE TABLE fts_ids (rowid INTEGER PRIMARY KEY AUTOINCREMENT);
CREATE VIRTUAL TABLE fts USING fts5 (scope UNINDEXED, topic_id UNINDEXED,
    post_number UNINDEXED, title, body, tokenize = 'unicode61 remove_diacritics 2');
"""

_TAG = re.compile(r"<[^>]*>")
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Cached(Generic[T]):
    """A cached value and when it was fetched from the forum."""

    value: T
    fetched_at: datetime

    def age(self, now: datetime | None = None) -> timedelta:
        """How old the value is."""
        return (now or datetime.now(UTC)) - self.fetched_at


def plain_text(markup: str) -> str:
    """The words of a post's HTML, for the search index (tags dropped, entities decoded).

    ``[^>]*`` cannot backtrack badly: the scan is linear in the length of the text.
    """
    return " ".join(html.unescape(_TAG.sub(" ", markup)).split())


def _now() -> str:
    return datetime.now(UTC).isoformat()


class Cache:
    """One ``cache.sqlite3`` shared by every forum and account (see the module docs)."""

    def __init__(self, path: Path, conn: sqlite3.Connection, notice: str | None) -> None:
        self.path = path
        self._conn = conn
        self._lock = threading.RLock()
        self.notice = notice
        """One sentence when the file had to be moved aside at opening, else None."""
        self.damage: str | None = None
        """One sentence when the background check found the file damaged, else None."""
        self.checked = threading.Event()
        """Set once the background check of every page is over."""
        self.on_damage: Callable[[str], None] | None = None
        """Called (on the checking thread) with :attr:`damage` when the check finds any."""
        self.journal_mode = str(conn.execute("PRAGMA journal_mode").fetchone()[0]).lower()
        """``wal``, or ``delete`` where the file system refused WAL."""

    @classmethod
    def open(cls, path: Path | None = None) -> Cache:
        """Open (or create) the cache file; a damaged or unknown one is moved aside. Every
        page is then checked in the background (:attr:`checked`, :attr:`damage`)."""
        target = Path(path) if path is not None else app_paths().cache_dir / "cache.sqlite3"
        ensure_private_dir(target.parent)
        notice = None
        marker = _damage_marker(target)
        try:
            if marker.exists():
                raise sqlite3.DatabaseError(marker.read_text(errors="replace").strip()[:200])
            conn = _connect(target)
        except sqlite3.DatabaseError as error:
            moved = _move_aside(target)
            marker.unlink(missing_ok=True)
            notice = (
                f"The cache file {target} could not be used ({_reason(error)}); it was moved to "
                f"{moved.name} and a new one started (nothing you wrote was in it)."
            )
            conn = _connect(target)
        cache = cls(target, conn, notice)
        threading.Thread(target=cache._check_pages, name="cache-check", daemon=True).start()
        return cache

    def _check_pages(self) -> None:
        """Check every page on a connection of its own; mark the file when it is damaged."""
        try:
            self._record_damage(self._quick_check())
        finally:
            self.checked.set()

    def _quick_check(self) -> str:
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
            try:
                return str(conn.execute("PRAGMA quick_check").fetchone()[0])
            finally:
                conn.close()
        except sqlite3.OperationalError as error:  # busy, locked, out of memory: not damage
            log.info("cache check skipped: %s", error)
            return "ok"
        except sqlite3.Error as error:
            return _reason(error)

    def _record_damage(self, verdict: str) -> None:
        if verdict == "ok":
            return
        log.warning("cache file damaged: %s", verdict)
        with contextlib.suppress(OSError):
            _damage_marker(self.path).write_text(f"the file is damaged: {verdict[:150]}\n")
        self.damage = (
            f"The cache file {self.path} is damaged; termforum will start a new one next time "
            "(nothing you wrote was in it)."
        )
        if self.on_damage is not None:
            self.on_damage(self.damage)

    def close(self) -> None:
        """Close the file."""
        with self._lock:
            self._conn.close()

    def scope(self, forum_url: str, username: str | None) -> CacheScope:
        """What is cached for one account (``None``: anonymous) on one forum."""
        key = (forum_url.rstrip("/"), username or ANONYMOUS)

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("INSERT OR IGNORE INTO scopes (forum_url, username) VALUES (?, ?)", key)

        self._transact(work)
        row = self._read("SELECT id FROM scopes WHERE forum_url = ? AND username = ?", key)
        return CacheScope(self, int(row[0][0]) if row else -1, f"{key[0]} {key[1]}")

    def forget(self, forum_url: str, username: str | None) -> None:
        """Drop everything cached for one account on one forum (after a logout)."""
        scope = self.scope(forum_url, username)

        def work(conn: sqlite3.Connection) -> None:
            for table in ("objects", "topics", "posts", "read_state"):
                conn.execute(f"DELETE FROM {table} WHERE scope_id = ?", (scope.id,))
            conn.execute("DELETE FROM fts WHERE scope = ?", (scope.id,))

        self._transact(work)

    # --- plumbing -------------------------------------------------------------------------

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return list(self._conn.execute(sql, params))
            except sqlite3.Error as error:
                log.warning("cache read failed: %s", error)
                return []

    def _transact(self, work: Callable[[sqlite3.Connection], None]) -> None:
        """Run ``work`` in a short write transaction; a failure (a full disk, a lock held too
        long) is logged and the change dropped, never raised: a cache is disposable."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                log.warning("cache write failed: %s", error)
                return
            try:
                work(self._conn)
                self._conn.execute("COMMIT")
            except sqlite3.Error as error:
                log.warning("cache write failed: %s", error)
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                raise


def _reason(error: BaseException) -> str:
    return str(error).rstrip(".") or type(error).__name__


def _damage_marker(path: Path) -> Path:
    """The file that says the cache at ``path`` was found damaged (moved aside next start)."""
    return path.with_name(path.name + ".damaged")


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    moved = path.with_name(f"{path.name}.{stamp}.broken")
    for suffix in ("", "-wal", "-shm"):
        source = Path(str(path) + suffix)
        if source.exists():
            os.replace(source, Path(str(moved) + suffix))
    return moved


def _connect(path: Path) -> sqlite3.Connection:
    """Open, check and (when new) create the database; ``DatabaseError`` when unusable."""
    fresh = not path.exists()
    if fresh:
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
    os.chmod(path, 0o600)
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False, isolation_level=None
    )
    try:
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if version == 0 and tables == 0:
            _use_wal(conn)
            conn.executescript(_SCHEMA + f"PRAGMA user_version = {SCHEMA_VERSION};")
        elif version != SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"unknown cache version {version}")
        else:
            _use_wal(conn)
        conn.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        conn.close()
        raise
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.chmod(str(path) + suffix, 0o600)
    return conn


def _use_wal(conn: sqlite3.Connection) -> None:
    """WAL where the file system supports it; SQLite keeps a rollback journal otherwise."""
    try:
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    except sqlite3.OperationalError:
        mode = "delete"
    if str(mode).lower() != "wal":
        conn.execute("PRAGMA journal_mode = DELETE")


class CacheScope:
    """Everything cached for one account on one forum; nothing leaks across scopes."""

    def __init__(self, cache: Cache, scope_id: int, label: str) -> None:
        self._cache = cache
        self.id = scope_id
        self._label = label

    def __repr__(self) -> str:
        return f"CacheScope({self._label!r})"

    # --- objects ----------------------------------------------------------------------------

    def _put(self, kind: str, key: str, value: Any) -> None:
        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?, ?)",
                (self.id, kind, key, json.dumps(encode(value)), _now()),
            )

        self._cache._transact(work)

    def _get(self, kind: str, key: str, cls: type[T]) -> Cached[T] | None:
        rows = self._cache._read(
            "SELECT data, fetched_at FROM objects WHERE scope_id = ? AND kind = ? AND key = ?",
            (self.id, kind, key),
        )
        if not rows:
            return None
        try:
            value = decode(cls, json.loads(rows[0]["data"]))
            return Cached(value, datetime.fromisoformat(rows[0]["fetched_at"]))
        except (ValueError, TypeError, KeyError) as error:
            log.warning("cached %s %s unreadable: %s", kind, key, error)
            return None

    def put_site(self, site: Site) -> None:
        """Keep the forum's title and description."""
        self._put("site", "", site)

    def site(self) -> Cached[Site] | None:
        """The cached site, if any."""
        return self._get("site", "", Site)

    def put_groups(self, groups: Sequence[Group]) -> None:
        """Keep the group list."""
        self._put("groups", "", list(groups))

    def groups(self) -> Cached[list[Group]] | None:
        """The cached group list, if any."""
        return self._get("groups", "", list[Group])  # type: ignore[arg-type]

    @staticmethod
    def _page_key(
        group_id: str | None, view: str, page: int, period: str | None, tag: str | None
    ) -> str:
        key = f"{group_id or '*'}|{view}|{period or ''}|{page}"
        return f"{key}|#{tag}" if tag else key

    def put_topic_page(
        self,
        group_id: str | None,
        view: str,
        page: int,
        topic_page: TopicPage,
        *,
        period: str | None = None,
        tag: str | None = None,
    ) -> None:
        """Keep a page of a topic list (and each of its topics)."""
        key = self._page_key(group_id, view, page, period, tag)
        self._put("topics", key, topic_page)
        self._put_topics(topic_page.topics)

    def topic_page(
        self,
        group_id: str | None,
        view: str,
        page: int,
        *,
        period: str | None = None,
        tag: str | None = None,
    ) -> Cached[TopicPage] | None:
        """A cached page of a topic list, if any."""
        key = self._page_key(group_id, view, page, period, tag)
        return self._get("topics", key, TopicPage)

    def forget_topic_pages(self, group_ids: Iterable[str | None]) -> None:
        """Drop every cached page of the topic lists of ``group_ids`` (None: all groups),
        in every view: they no longer show what the forum would list."""
        prefixes = [f"{group_id or '*'}|" for group_id in group_ids]

        def work(conn: sqlite3.Connection) -> None:
            for prefix in prefixes:
                conn.execute(
                    "DELETE FROM objects WHERE scope_id = ? AND kind = 'topics'"
                    " AND substr(key, 1, ?) = ?",
                    (self.id, len(prefix), prefix),
                )

        self._cache._transact(work)

    def _put_topics(self, topics: Sequence[Topic]) -> None:
        def work(conn: sqlite3.Connection) -> None:
            for topic in topics:
                row = conn.execute(
                    "SELECT fts_rowid FROM topics WHERE scope_id = ? AND topic_id = ?",
                    (self.id, topic.id),
                ).fetchone()
                rowid = row[0] if row else _new_rowid(conn)
                conn.execute(
                    "INSERT OR REPLACE INTO topics VALUES (?, ?, ?, ?)",
                    (self.id, topic.id, json.dumps(encode(topic)), rowid),
                )
                conn.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
                conn.execute(
                    "INSERT INTO fts (rowid, scope, topic_id, post_number, title, body)"
                    " VALUES (?, ?, ?, NULL, ?, ?)",
                    (rowid, self.id, topic.id, topic.title, topic.excerpt),
                )

        self._cache._transact(work)

    def topic(self, topic_id: str) -> Topic | None:
        """A cached topic, if any."""
        rows = self._cache._read(
            "SELECT data FROM topics WHERE scope_id = ? AND topic_id = ?", (self.id, topic_id)
        )
        return decode(Topic, json.loads(rows[0]["data"])) if rows else None

    def put_thread(self, thread: Thread) -> None:
        """Keep a thread's topic and post stream (and any posts it carries)."""
        self._put("thread", thread.topic.id, Thread(thread.topic, thread.post_ids))
        self._put_topics([thread.topic])
        if thread.posts:
            self.put_posts(thread.posts)

    def thread(self, topic_id: str) -> Cached[Thread] | None:
        """A cached thread (without posts: see :meth:`posts`), if any."""
        return self._get("thread", topic_id, Thread)

    # --- posts ------------------------------------------------------------------------------

    def put_posts(self, posts: Sequence[Post]) -> None:
        """Keep posts (replacing earlier copies) and index their text."""
        if not posts:
            return

        def work(conn: sqlite3.Connection) -> None:
            for post in posts:
                row = conn.execute(
                    "SELECT fts_rowid FROM posts WHERE scope_id = ? AND post_id = ?",
                    (self.id, post.id),
                ).fetchone()
                rowid = row[0] if row else _new_rowid(conn)
                conn.execute(
                    "INSERT OR REPLACE INTO posts VALUES (?, ?, ?, ?, ?, ?)",
                    (self.id, post.id, post.topic_id, post.number, json.dumps(encode(post)), rowid),
                )
                conn.execute("DELETE FROM fts WHERE rowid = ?", (rowid,))
                conn.execute(
                    "INSERT INTO fts (rowid, scope, topic_id, post_number, title, body)"
                    " VALUES (?, ?, ?, ?, '', ?)",
                    (rowid, self.id, post.topic_id, post.number, plain_text(post.html)),
                )

        self._cache._transact(work)

    def posts(self, topic_id: str, post_ids: Sequence[str]) -> dict[str, Post]:
        """The cached posts among ``post_ids``, by id."""
        found: dict[str, Post] = {}
        ids = list(post_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            for row in self._cache._read(
                f"SELECT post_id, data FROM posts WHERE scope_id = ? AND post_id IN ({marks})",
                (self.id, *chunk),
            ):
                with contextlib.suppress(ValueError, TypeError, KeyError):
                    found[row["post_id"]] = decode(Post, json.loads(row["data"]))
        return found

    def missing_posts(self, topic_id: str, post_ids: Sequence[str]) -> list[str]:
        """The ids of ``post_ids`` not cached, in order."""
        have: set[str] = set()
        ids = list(post_ids)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            have.update(
                row[0]
                for row in self._cache._read(
                    f"SELECT post_id FROM posts WHERE scope_id = ? AND post_id IN ({marks})",
                    (self.id, *chunk),
                )
            )
        return [pid for pid in ids if pid not in have]

    def put_user(self, user: User) -> None:
        """Keep a user's profile."""
        self._put("user", user.username.casefold(), user)

    def user(self, username: str) -> User | None:
        """A cached user, if any."""
        cached = self.user_snapshot(username)
        return cached.value if cached else None

    def user_snapshot(self, username: str) -> Cached[User] | None:
        """A cached user and when it was fetched, if any."""
        return self._get("user", username.casefold(), User)

    # --- read state -------------------------------------------------------------------------

    def mark_read(self, topic_id: str, post_number: int) -> None:
        """Posts up to ``post_number`` were read (keeps the highest; queued for the forum)."""

        def work(conn: sqlite3.Connection) -> None:
            conn.execute(
                "INSERT INTO read_state (scope_id, topic_id, last_read) VALUES (?, ?, ?)"
                " ON CONFLICT (scope_id, topic_id) DO UPDATE SET"
                " last_read = max(last_read, excluded.last_read)",
                (self.id, topic_id, post_number),
            )

        self._cache._transact(work)

    def last_read(self, topic_id: str) -> int | None:
        """The last post number read in a topic, if any."""
        return self.last_read_many([topic_id]).get(topic_id)

    def last_read_many(self, topic_ids: Sequence[str]) -> dict[str, int]:
        """The last post number read, for each of ``topic_ids`` that has one."""
        ids = list(topic_ids)
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        return {
            row[0]: int(row[1])
            for row in self._cache._read(
                f"SELECT topic_id, last_read FROM read_state WHERE scope_id = ?"
                f" AND topic_id IN ({marks})",
                (self.id, *ids),
            )
        }

    def pending_timings(self, limit: int = 50) -> list[tuple[str, int]]:
        """``(topic_id, last read)`` not yet told to the forum."""
        return [
            (row[0], int(row[1]))
            for row in self._cache._read(
                "SELECT topic_id, last_read FROM read_state WHERE scope_id = ?"
                " AND last_read > sent LIMIT ?",
                (self.id, limit),
            )
        ]

    def timings_sent(self, items: Sequence[tuple[str, int]]) -> None:
        """These were told to the forum (a value that grew meanwhile stays pending)."""

        def work(conn: sqlite3.Connection) -> None:
            conn.executemany(
                "UPDATE read_state SET sent = max(sent, ?) WHERE scope_id = ? AND topic_id = ?",
                [(number, self.id, topic_id) for topic_id, number in items],
            )

        self._cache._transact(work)

    # --- search -----------------------------------------------------------------------------

    def search(self, query: str, *, limit: int = 20) -> list[SearchHit]:
        """Cached topics and posts matching every word of ``query``, best first."""
        words = _WORD.findall(query)
        if not words:
            return []
        return self._match(" AND ".join(_quote(word) for word in words), limit)

    def similar_topics(self, title: str, *, limit: int = 5) -> list[Topic]:
        """Cached topics sharing significant words with ``title``."""
        words = [word for word in _WORD.findall(title) if len(word) >= 3]
        if not words:
            return []
        found: dict[str, Topic] = {}
        for hit in self._match(" OR ".join(_quote(word) for word in words), limit * 4):
            found.setdefault(hit.topic.id, hit.topic)
            if len(found) >= limit:
                break
        return list(found.values())

    def _match(self, expression: str, limit: int) -> list[SearchHit]:
        rows = self._cache._read(
            "SELECT fts.topic_id, fts.post_number, snippet(fts, 4, '', '', ' … ', 12),"
            " topics.data FROM fts JOIN topics ON topics.scope_id = fts.scope"
            " AND topics.topic_id = fts.topic_id"
            " WHERE fts MATCH ? AND fts.scope = ? ORDER BY rank LIMIT ?",
            (expression, self.id, limit),
        )
        hits = []
        for row in rows:
            with contextlib.suppress(ValueError, TypeError, KeyError):
                topic = decode(Topic, json.loads(row[3]))
                number = int(row[1]) if row[1] is not None else None
                hits.append(SearchHit(topic, number, (row[2] or "").strip() or topic.excerpt))
        return hits

    def stats(self) -> dict[str, int]:
        """How much is cached here: topics and posts."""
        counts = {}
        for table in ("topics", "posts"):
            rows = self._cache._read(f"SELECT count(*) FROM {table} WHERE scope_id = ?", (self.id,))
            counts[table] = int(rows[0][0]) if rows else 0
        return counts


def _new_rowid(conn: sqlite3.Connection) -> int:
    return int(conn.execute("INSERT INTO fts_ids DEFAULT VALUES").lastrowid or 0)


def _quote(word: str) -> str:
    """A word as an FTS5 string (so ``AND``, ``*``, quotes in user text are just text)."""
    return '"' + word.replace('"', '""') + '"'

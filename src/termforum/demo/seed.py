"""Seed a demo forum database, deterministically and fast.

:func:`seed` writes a fresh database (users, groups, about 70 topics and a few hundred
hand-written posts, plus one generated topic of 10,000 posts) in well under two seconds.
:func:`ensure_seeded` reuses a data folder whose schema and content versions match
(upgrading an older schema in place when :func:`termforum.demo.db.upgrade` can).

The seed makes no notifications: the only account anyone logs in as by default, the demo
account (:data:`termforum.demo.content.DEMO_USER`), has no seeded posts to be replied
to, liked or mentioned in; notifications come from writes (:mod:`termforum.demo.writes`).

Every timestamp is derived from :data:`termforum.demo.content.EPOCH`, never from today's
date, and ids follow creation time as in Discourse, so two seedings are identical. These
are "seed times": the app may show them shifted to look current (``time_shift``, see
:mod:`termforum.demo.clock`, whose ``SEED_NEWEST_POST`` must match this content).
"""

from __future__ import annotations

import html
import os
import sqlite3
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from termforum.demo import content
from termforum.demo.content import CATEGORIES, DEMO_USER, EPOCH, USERS, PostSpec, TopicSpec
from termforum.demo.cook import cook, excerpt
from termforum.demo.db import (
    DB_FILENAME,
    INDEXES,
    SCHEMA,
    SCHEMA_VERSION,
    iso,
    read_meta,
    upgrade,
)
from termforum.demo.rng import Rng

__all__ = ["CONTENT_VERSION", "ensure_seeded", "iso", "seed", "seed_topics"]

CONTENT_VERSION = "2"
"""Bump when the seed content changes; an older data folder is then re-seeded."""

SMALL_ACTION = 3
_MODERATOR = "elena"


def seed_topics() -> tuple[TopicSpec, ...]:
    """The hand-written seed topics, English then Italian."""
    from termforum.demo.topics_en import TOPICS as EN
    from termforum.demo.topics_it import TOPICS as IT

    return EN + IT


@dataclass(slots=True)
class _Post:
    user_id: int
    raw: str
    created: datetime
    reply_to: int | None = None
    likers: tuple[int, ...] = ()
    post_type: int = 1
    action_code: str | None = None
    cooked: str | None = None


@dataclass(slots=True)
class _Topic:
    title: str
    category_id: int
    user_id: int
    created: datetime
    tags: tuple[str, ...] = ()
    posts: list[_Post] = field(default_factory=list)
    pinned: bool = False
    pinned_globally: bool = False
    closed: bool = False
    definition_of: int | None = None
    long_thread: bool = False
    views_seed: int = 0


class _Planner:
    """Turns the seed specs into rows (no database work here)."""

    def __init__(self) -> None:
        self.user_ids = {u.username: u.id for u in USERS}
        self.people = [u.id for u in USERS if u.id > 0]
        self.usernames = frozenset(u.username.lower() for u in USERS)
        self.categories = {c.slug: c for c in CATEGORIES}

    # -- planning -------------------------------------------------------------------

    def plan(self) -> list[_Topic]:
        topics = [self._definition_topic(c, i) for i, c in enumerate(CATEGORIES) if c.id != 1]
        topics += [self._content_topic(spec) for spec in seed_topics()]
        topics.append(self._long_thread_stub())
        return topics

    def _definition_topic(self, cat: content.CategorySpec, index: int) -> _Topic:
        created = EPOCH - timedelta(days=420) + timedelta(hours=index * 3)
        if cat.lang == "it":
            title = f"Informazioni sulla categoria {cat.name}"
            raw = (
                f"{cat.description}\n\n"
                "Usate questa categoria per le discussioni in tema; per tutto il resto "
                "scegliete la categoria più adatta o chiedete ai moderatori."
            )
        else:
            title = f"About the {cat.name} category"
            raw = (
                f"{cat.description}\n\n"
                "Use this category for discussions on that subject. If you are not sure "
                "where a topic belongs, post it anyway: a moderator will move it."
            )
        post = _Post(-1, raw, created)
        return _Topic(title, cat.id, -1, created, posts=[post], pinned=True, definition_of=cat.id)

    def _content_topic(self, spec: TopicSpec) -> _Topic:
        rng = Rng(zlib.crc32(spec.title.encode()))
        if spec.days_ago is not None:
            created = EPOCH - timedelta(days=spec.days_ago)
        elif spec.recent:
            created = EPOCH - timedelta(minutes=rng.between(3 * 60, 60 * 60))
        else:
            created = EPOCH - timedelta(minutes=rng.between(4 * 1440, 175 * 1440))
        posts: list[PostSpec] = list(spec.posts)
        if spec.padding and not spec.closed:
            posts += self._padding(spec, rng)
        times = self._times(created, len(posts) + (1 if spec.closed else 0), rng)
        planned: list[_Post] = []
        for i, (post, when) in enumerate(zip(posts, times, strict=False)):
            author = self.user_ids[post.user]
            likers = self._likers(rng, author, i == 0, post.likes)
            planned.append(
                _Post(author, post.raw, when, post.reply_to, likers, action_code=post.action_code)
            )
        if spec.closed:
            planned.append(
                _Post(
                    self.user_ids[_MODERATOR],
                    "",
                    times[-1],
                    post_type=SMALL_ACTION,
                    action_code="closed.enabled",
                    cooked="",
                )
            )
        return _Topic(
            spec.title,
            self.categories[spec.category].id,
            planned[0].user_id,
            created,
            spec.tags,
            planned,
            pinned=spec.pinned or spec.pinned_globally,
            pinned_globally=spec.pinned_globally,
            closed=spec.closed,
            views_seed=rng.between(6, 30),
        )

    def _padding(self, spec: TopicSpec, rng: Rng) -> list[PostSpec]:
        roll = rng.below(100)
        count = 0 if roll < 40 else 1 if roll < 72 else 2 if roll < 90 else 3
        pool = content.GENERIC_REPLIES[spec.lang]
        extra: list[PostSpec] = []
        last = spec.posts[-1].user
        for _ in range(count):
            user = rng.choice([u.username for u in USERS if u.id > 0 and u.username != last])
            total = len(spec.posts) + len(extra)
            reply_to = rng.between(1, total) if rng.chance(30) else None
            extra.append(PostSpec(user, rng.choice(pool), reply_to))
            last = user
        return extra

    def _times(self, start: datetime, count: int, rng: Rng) -> list[datetime]:
        gaps: list[int] = []
        for _ in range(count - 1):
            roll = rng.below(100)
            if roll < 40:
                gaps.append(rng.between(5, 90))
            elif roll < 75:
                gaps.append(rng.between(90, 720))
            elif roll < 95:
                gaps.append(rng.between(720, 2880))
            else:
                gaps.append(rng.between(2880, 10080))
        available = (EPOCH - timedelta(minutes=10) - start).total_seconds() / 60
        total = sum(gaps)
        if total > available > 0:
            target = available * rng.between(35, 90) / 100
            gaps = [max(1, int(g * target / total)) for g in gaps]
        times = [start]
        for gap in gaps:
            times.append(times[-1] + timedelta(minutes=gap, seconds=rng.below(60)))
        return times

    def _likers(self, rng: Rng, author: int, first: bool, wanted: int | None) -> tuple[int, ...]:
        if wanted is None:
            roll = rng.below(100)
            if first:
                wanted = 0 if roll < 20 else rng.between(1, 8)
            else:
                wanted = 0 if roll < 45 else rng.between(1, 4) if roll < 90 else rng.between(5, 9)
        candidates = [uid for uid in self.people if uid != author]
        return tuple(sorted(rng.sample(candidates, wanted)))

    def _long_thread_stub(self) -> _Topic:
        created = EPOCH - timedelta(days=160)
        cat = self.categories[content.LONG_THREAD_CATEGORY]
        return _Topic(
            "",
            cat.id,
            self.user_ids["sam_ops"],
            created,
            ("performance", "generated"),
            long_thread=True,
            views_seed=5,
        )

    # -- cooking --------------------------------------------------------------------

    def cook_topic(self, topic: _Topic, topic_id: int) -> None:
        if topic.long_thread:
            self._fill_long_thread(topic, topic_id)
            return
        for post in topic.posts:
            if post.cooked is None:
                post.raw = post.raw.replace("%TOPIC%", str(topic_id))
                post.cooked = cook(post.raw, usernames=self.usernames)

    def _fill_long_thread(self, topic: _Topic, topic_id: int) -> None:
        from termforum.demo.longthread import LONG_THREAD_TITLE, generate

        topic.title = LONG_THREAD_TITLE
        people = [(u.id, u.username) for u in USERS if u.id > 0]
        opener = next(p for p in people if p[0] == topic.user_id)
        people.remove(opener)
        people.insert(0, opener)
        for gp in generate(topic_id, people):
            when = topic.created + timedelta(minutes=gp.minutes, seconds=gp.post_number % 60)
            topic.posts.append(
                _Post(gp.user_id, gp.raw, when, gp.reply_to, gp.likers, cooked=gp.cooked)
            )


def _build_rows(conn: sqlite3.Connection) -> None:
    planner = _Planner()
    topics = planner.plan()
    topics.sort(key=lambda t: (t.created, t.title))
    for topic_id, topic in enumerate(topics, start=1):
        planner.cook_topic(topic, topic_id)

    tags = sorted({tag for t in topics for tag in t.tags})
    tag_ids = {name: i for i, name in enumerate(tags, start=1)}

    all_posts: list[tuple[datetime, int, int, _Post]] = []
    for topic_id, topic in enumerate(topics, start=1):
        for number, post in enumerate(topic.posts, start=1):
            all_posts.append((post.created, topic_id, number, post))
    all_posts.sort(key=lambda item: item[:3])

    post_rows = []
    like_rows = []
    reply_counts: dict[tuple[int, int], int] = {}
    for _, topic_id, _, post in all_posts:
        if post.reply_to:
            key = (topic_id, post.reply_to)
            reply_counts[key] = reply_counts.get(key, 0) + 1
    user_stats: dict[int, dict[str, Any]] = {
        u.id: {"posts": 0, "topics": 0, "given": 0, "got": 0, "last": None} for u in USERS
    }
    for post_id, (created, topic_id, number, post) in enumerate(all_posts, start=1):
        stamp = iso(created)
        reads = max(1, len(post.likers) * 3 + (post_id * 7) % 23)
        post_rows.append(
            (
                post_id,
                topic_id,
                number,
                post.user_id,
                post.raw,
                post.cooked,
                stamp,
                stamp,
                post.reply_to,
                reply_counts.get((topic_id, number), 0),
                post.raw.count("[quote"),
                len(post.likers),
                reads,
                post.post_type,
                post.action_code,
            )
        )
        like_time = iso(min(created + timedelta(hours=2), EPOCH - timedelta(minutes=1)))
        like_rows.extend((post_id, uid, like_time) for uid in post.likers)
        stats = user_stats[post.user_id]
        stats["posts"] += 1
        stats["got"] += len(post.likers)
        stats["last"] = stamp
        for uid in post.likers:
            user_stats[uid]["given"] += 1

    topic_rows = []
    topic_tag_rows = []
    for topic_id, topic in enumerate(topics, start=1):
        regular = [p for p in topic.posts if p.post_type != SMALL_ACTION]
        last = regular[-1]
        likes = sum(len(p.likers) for p in topic.posts)
        words = sum(len(p.raw.split()) for p in topic.posts)
        views = len(topic.posts) * topic.views_seed + likes * 3 + 17
        user_stats[topic.user_id]["topics"] += 1
        topic_rows.append(
            (
                topic_id,
                topic.title,
                content_slug(topic.title),
                topic.category_id,
                topic.user_id,
                iso(topic.created),
                iso(last.created),
                iso(last.created),
                last.user_id,
                views,
                len(topic.posts),
                len(topic.posts),
                len(regular) - 1,
                likes,
                words,
                excerpt(topic.posts[0].cooked or ""),
                iso(topic.created) if topic.pinned else None,
                int(topic.pinned_globally),
                int(topic.closed),
            )
        )
        topic_tag_rows.extend((topic_id, tag_ids[name]) for name in topic.tags)

    definitions = {t.definition_of: i for i, t in enumerate(topics, start=1) if t.definition_of}
    category_rows = []
    parents = {c.slug: c.id for c in CATEGORIES}
    for position, cat in enumerate(CATEGORIES):
        category_rows.append(
            (
                cat.id,
                cat.name,
                cat.slug,
                cat.color,
                cat.text_color,
                f"<p>{html.escape(cat.description, quote=False)}</p>",
                cat.description,
                parents[cat.parent] if cat.parent else None,
                position,
                int(cat.require_approval),
                int(cat.require_approval),
                definitions.get(cat.id),
                iso(EPOCH - timedelta(days=420) + timedelta(hours=position * 3)),
            )
        )

    user_rows = []
    user_stats[DEMO_USER.id] = {"posts": 0, "topics": 0, "given": 0, "got": 0, "last": None}
    for user in (*USERS, DEMO_USER):
        stats = user_stats[user.id]
        created = EPOCH - timedelta(days=user.joined_days_ago)
        bio_cooked = cook(user.bio) if user.bio else ""
        last = stats["last"]
        user_rows.append(
            (
                user.id,
                user.username,
                user.name,
                user.trust_level,
                int(user.admin),
                int(user.moderator),
                user.title,
                user.bio,
                bio_cooked,
                user.color,
                iso(created),
                last,
                last,
                stats["posts"],
                stats["topics"],
                stats["given"],
                stats["got"],
            )
        )

    conn.executemany(
        "INSERT INTO users (id, username, name, trust_level, admin, moderator, title, bio_raw,"
        " bio_cooked, avatar_color, created_at, last_seen_at, last_posted_at, post_count,"
        " topic_count, likes_given, likes_received) VALUES (" + ",".join("?" * 17) + ")",
        user_rows,
    )
    conn.executemany(
        "INSERT INTO categories (id, name, slug, color, text_color, description,"
        " description_text, parent_id, position, require_topic_approval,"
        " require_reply_approval, topic_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        category_rows,
    )
    conn.executemany("INSERT INTO tags VALUES (?, ?)", [(i, n) for n, i in tag_ids.items()])
    conn.executemany(
        "INSERT INTO topics (id, title, slug, category_id, user_id, created_at, bumped_at,"
        " last_posted_at, last_post_user_id, views, posts_count, highest_post_number,"
        " reply_count, like_count, word_count, excerpt, pinned_at, pinned_globally, closed)"
        " VALUES (" + ",".join("?" * 19) + ")",
        topic_rows,
    )
    conn.executemany("INSERT INTO topic_tags VALUES (?, ?)", topic_tag_rows)
    conn.executemany(
        "INSERT INTO posts (id, topic_id, post_number, user_id, raw, cooked, created_at,"
        " updated_at, reply_to_post_number, reply_count, quote_count, like_count, reads,"
        " post_type, action_code) VALUES (" + ",".join("?" * 15) + ")",
        post_rows,
    )
    conn.executemany("INSERT INTO likes VALUES (?, ?, ?)", like_rows)
    meta = {
        "schema_version": str(SCHEMA_VERSION),
        "content_version": CONTENT_VERSION,
        "epoch": iso(EPOCH),
        "title": content.SITE["title"],
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())


def content_slug(title: str) -> str:
    """The topic slug for a title (Discourse's ASCII slug)."""
    from termforum.demo.cook import slugify

    return slugify(title)


def seed(db_path: Path) -> None:
    """Write a freshly seeded demo database at ``db_path`` (replacing any file there).

    The database is built next to its final place and moved in atomically, so an
    interrupted seeding never leaves a half-filled database behind.
    """
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.with_name(db_path.name + ".seeding")
    tmp.unlink(missing_ok=True)
    conn = sqlite3.connect(tmp, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        _build_rows(conn)
        conn.execute("COMMIT")
        conn.executescript(INDEXES)
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()
    os.replace(tmp, db_path)


def ensure_seeded(data_dir: Path) -> Path:
    """The demo database in ``data_dir``, seeding it only when missing or outdated."""
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / DB_FILENAME
    meta = read_meta(path)
    current = meta.get("content_version") == CONTENT_VERSION and upgrade(
        path, meta.get("schema_version")
    )
    if not current:
        seed(path)
    return path

"""The demo forum's seed content: enough of it, consistent, and the same every time."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from termforum.demo import db as demo_db
from termforum.demo.content import EPOCH
from termforum.demo.seed import ensure_seeded, iso, seed

QUOTE = re.compile(r'\[quote="([^,"]+), post:(\d+), topic:(\d+)')


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("seed") / "demo.sqlite3"
    seed(path)
    return path


@pytest.fixture
def conn(seeded: Path) -> Iterator[sqlite3.Connection]:
    connection = sqlite3.connect(seeded)
    connection.row_factory = sqlite3.Row
    yield connection
    connection.close()


def scalar(conn: sqlite3.Connection, sql: str, *params: object) -> int:
    return conn.execute(sql, params).fetchone()[0]


def test_groups_and_subgroups(conn: sqlite3.Connection) -> None:
    top = scalar(
        conn,
        "SELECT COUNT(*) FROM categories c WHERE parent_id IS NULL AND id != 1 AND EXISTS"
        " (SELECT 1 FROM topics t WHERE t.category_id = c.id AND t.id != c.topic_id)",
    )
    subs = scalar(conn, "SELECT COUNT(*) FROM categories WHERE parent_id IS NOT NULL")
    assert top >= 6
    assert subs >= 3
    orphans = scalar(
        conn,
        "SELECT COUNT(*) FROM categories c WHERE parent_id IS NOT NULL AND parent_id NOT IN"
        " (SELECT id FROM categories)",
    )
    assert orphans == 0


def test_topics_and_posts_volume(conn: sqlite3.Connection) -> None:
    assert scalar(conn, "SELECT COUNT(*) FROM topics") >= 60
    hand_written = scalar(
        conn,
        "SELECT COUNT(*) FROM posts WHERE topic_id IN"
        " (SELECT id FROM topics WHERE posts_count < 1000)",
    )
    assert hand_written >= 250
    assert scalar(conn, "SELECT COUNT(*) FROM likes") > 0
    assert scalar(conn, "SELECT COUNT(*) FROM tags") >= 20


def test_the_long_topic_has_ten_thousand_contiguous_posts_in_its_own_group(
    conn: sqlite3.Connection,
) -> None:
    row = conn.execute("SELECT * FROM topics WHERE posts_count >= 10000").fetchone()
    assert row is not None and row["posts_count"] == 10_000
    numbers = [
        r[0]
        for r in conn.execute(
            "SELECT post_number FROM posts WHERE topic_id = ? ORDER BY post_number", (row["id"],)
        )
    ]
    assert numbers == list(range(1, 10_001))
    others = scalar(
        conn,
        "SELECT COUNT(*) FROM topics WHERE category_id = ? AND id != ? AND id NOT IN"
        " (SELECT topic_id FROM categories WHERE topic_id IS NOT NULL)",
        row["category_id"],
        row["id"],
    )
    assert others == 0
    quotes = scalar(
        conn, "SELECT COUNT(*) FROM posts WHERE topic_id = ? AND raw LIKE '[quote=%'", row["id"]
    )
    code = scalar(
        conn, "SELECT COUNT(*) FROM posts WHERE topic_id = ? AND raw LIKE '%```%'", row["id"]
    )
    assert quotes > 100 and code > 100


def test_both_languages_are_present(conn: sqlite3.Connection) -> None:
    italian = scalar(
        conn,
        "SELECT COUNT(*) FROM posts WHERE raw LIKE '% della %' OR raw LIKE '% che %'"
        " OR raw LIKE '% per %'",
    )
    english = scalar(conn, "SELECT COUNT(*) FROM posts WHERE raw LIKE '% the %'")
    assert italian >= 40 and english >= 150


def test_pinned_closed_and_small_action(conn: sqlite3.Connection) -> None:
    assert scalar(conn, "SELECT COUNT(*) FROM topics WHERE pinned_globally = 1") >= 1
    closed = conn.execute("SELECT * FROM topics WHERE closed = 1").fetchall()
    assert closed
    for topic in closed:
        last = conn.execute(
            "SELECT * FROM posts WHERE topic_id = ? ORDER BY post_number DESC LIMIT 1",
            (topic["id"],),
        ).fetchone()
        assert last["post_type"] == 3 and last["action_code"] == "closed.enabled"
    definitions = scalar(conn, "SELECT COUNT(*) FROM categories WHERE topic_id IS NOT NULL")
    pinned = scalar(
        conn,
        "SELECT COUNT(*) FROM topics WHERE pinned_at IS NOT NULL AND id IN"
        " (SELECT topic_id FROM categories)",
    )
    assert definitions == pinned >= 10


def test_users_have_a_range_of_trust_levels(conn: sqlite3.Connection) -> None:
    levels = {r[0] for r in conn.execute("SELECT trust_level FROM users WHERE id > 0")}
    assert levels == {0, 1, 2, 3, 4}
    assert scalar(conn, "SELECT COUNT(*) FROM users WHERE admin = 1 AND id > 0") >= 1
    assert scalar(conn, "SELECT COUNT(*) FROM users WHERE moderator = 1 AND id > 0") >= 1


def test_replies_quotes_and_mentions_point_at_real_things(conn: sqlite3.Connection) -> None:
    bad_reply = scalar(
        conn,
        "SELECT COUNT(*) FROM posts p WHERE reply_to_post_number IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM posts q WHERE q.topic_id = p.topic_id"
        "  AND q.post_number = p.reply_to_post_number AND q.post_number < p.post_number)",
    )
    assert bad_reply == 0
    assert scalar(conn, "SELECT COUNT(*) FROM posts WHERE reply_to_post_number IS NOT NULL") > 50
    authors = {
        (r["topic_id"], r["post_number"]): r["username"]
        for r in conn.execute(
            "SELECT p.topic_id, p.post_number, u.username FROM posts p JOIN users u"
            " ON u.id = p.user_id"
        )
    }
    quotes = 0
    for row in conn.execute("SELECT topic_id, raw FROM posts WHERE raw LIKE '%[quote=%'"):
        for user, number, topic in QUOTE.findall(row["raw"]):
            quotes += 1
            assert int(topic) == row["topic_id"]
            assert authors[(int(topic), int(number))] == user
    assert quotes > 100
    unknown = scalar(
        conn, "SELECT COUNT(*) FROM posts WHERE cooked LIKE '%<span class=\"mention\">%'"
    )
    assert unknown == 0
    assert scalar(conn, "SELECT COUNT(*) FROM posts WHERE cooked LIKE '%class=\"mention\"%'") > 20


def test_counters_match_the_rows(conn: sqlite3.Connection) -> None:
    mismatched_likes = scalar(
        conn,
        "SELECT COUNT(*) FROM posts p WHERE like_count !="
        " (SELECT COUNT(*) FROM likes l WHERE l.post_id = p.id)",
    )
    assert mismatched_likes == 0
    mismatched_topics = scalar(
        conn,
        "SELECT COUNT(*) FROM topics t WHERE posts_count !="
        " (SELECT COUNT(*) FROM posts p WHERE p.topic_id = t.id) OR like_count !="
        " (SELECT SUM(like_count) FROM posts p WHERE p.topic_id = t.id)",
    )
    assert mismatched_topics == 0
    self_likes = scalar(
        conn,
        "SELECT COUNT(*) FROM likes l JOIN posts p ON p.id = l.post_id WHERE l.user_id = p.user_id",
    )
    assert self_likes == 0


def test_time_runs_before_the_epoch_and_ids_follow_time(conn: sqlite3.Connection) -> None:
    epoch = iso(EPOCH)
    assert scalar(conn, "SELECT COUNT(*) FROM posts WHERE created_at >= ?", epoch) == 0
    times = [r[0] for r in conn.execute("SELECT created_at FROM posts ORDER BY id")]
    assert times == sorted(times)
    topic_times = [r[0] for r in conn.execute("SELECT created_at FROM topics ORDER BY id")]
    assert topic_times == sorted(topic_times)
    day_before = iso(EPOCH - timedelta(days=1))
    recent = scalar(conn, "SELECT COUNT(*) FROM topics WHERE created_at >= ?", day_before)
    assert recent >= 1, "the daily top list needs a topic from the last day"


def _digest(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return hashlib.sha256("\n".join(connection.iterdump()).encode()).hexdigest()
    finally:
        connection.close()


def test_seeding_is_deterministic(seeded: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite3"
    seed(again)
    assert _digest(again) == _digest(seeded)


def test_an_existing_data_folder_is_reused_and_an_outdated_one_reseeded(tmp_path: Path) -> None:
    path = ensure_seeded(tmp_path)
    assert path == tmp_path / demo_db.DB_FILENAME
    connection = sqlite3.connect(path)
    connection.execute("UPDATE topics SET title = 'changed by a user' WHERE id = 1")
    connection.commit()
    connection.close()
    assert ensure_seeded(tmp_path) == path
    connection = sqlite3.connect(path)
    assert connection.execute("SELECT title FROM topics WHERE id = 1").fetchone()[0] == (
        "changed by a user"
    )
    connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    connection.commit()
    connection.close()
    ensure_seeded(tmp_path)
    connection = sqlite3.connect(path)
    try:
        title = connection.execute("SELECT title FROM topics WHERE id = 1").fetchone()[0]
        version = connection.execute(
            "SELECT value FROM meta WHERE key = 'schema_version'"
        ).fetchone()[0]
    finally:
        connection.close()
    assert title != "changed by a user"
    assert version == str(demo_db.SCHEMA_VERSION)
    assert not list(tmp_path.glob("*.seeding"))


def test_a_file_that_is_not_a_demo_database_is_replaced(tmp_path: Path) -> None:
    (tmp_path / demo_db.DB_FILENAME).write_bytes(b"not a database")
    path = ensure_seeded(tmp_path)
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("SELECT COUNT(*) FROM topics").fetchone()[0] >= 60
    finally:
        connection.close()

"""The SQLite cache: round trips, scopes that never leak, read state, search, and a file that
survives damage, unknown versions, two processes and a full disk."""

from __future__ import annotations

import logging
import os
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from termforum.model_codec import decode, encode
from termforum.models import Group, Post, Site, Thread, Topic, TopicPage, User
from termforum.store import SCHEMA_VERSION, Cache, plain_text

URL = "https://forum.example.org"
WHEN = datetime(2026, 11, 20, 10, 30, tzinfo=UTC)


def topic(topic_id: str = "7", title: str = "Come fare una domanda chiara?") -> Topic:
    return Topic(topic_id, "3", title, "ada", 12, WHEN, WHEN, tags=("help",), excerpt="Ciao")


def post(number: int, topic_id: str = "7", body: str = "<p>Hello</p>") -> Post:
    return Post(f"{topic_id}-{number}", topic_id, number, "ada", WHEN, body)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "cache.sqlite3"


@pytest.fixture
def cache(path: Path) -> Iterator[Cache]:
    opened = Cache.open(path)
    yield opened
    opened.close()


def test_everything_round_trips(cache: Cache) -> None:
    scope = cache.scope(URL, None)
    site = Site("Forum", "About", URL)
    groups = [Group("3", "Help", "help"), Group("4", "Sub", "sub", parent_id="3")]
    page = TopicPage((topic(),), next_page=1)
    thread = Thread(topic(), ("7-1", "7-2"), (post(1),))
    scope.put_site(site)
    scope.put_groups(groups)
    scope.put_topic_page("3", "latest", 0, page)
    scope.put_thread(thread)
    scope.put_posts([post(2, body="<p>Two</p>")])
    scope.put_user(User("Ada", "Ada L."))

    assert scope.site().value == site  # type: ignore[union-attr]
    assert scope.groups().value == groups  # type: ignore[union-attr]
    assert scope.topic_page("3", "latest", 0).value == page  # type: ignore[union-attr]
    assert scope.topic_page("3", "top", 0) is None
    assert scope.thread("7").value == Thread(topic(), ("7-1", "7-2"))  # type: ignore[union-attr]
    assert scope.posts("7", ["7-1", "7-2", "7-3"]) == {
        "7-1": post(1),
        "7-2": post(2, body="<p>Two</p>"),
    }
    assert scope.missing_posts("7", ["7-1", "7-3", "7-2"]) == ["7-3"]
    assert scope.topic("7") == topic()
    assert scope.user("ada") == User("Ada", "Ada L.")
    assert scope.stats() == {"topics": 1, "posts": 2}
    assert scope.site().age() >= scope.site().age(scope.site().fetched_at)  # type: ignore[union-attr]


def test_scopes_never_leak(cache: Cache) -> None:
    cache.scope(URL, None).put_topic_page(None, "latest", 0, TopicPage((topic(),)))
    cache.scope(URL, "ada").put_thread(Thread(topic(), ("7-1",), (post(1),)))

    assert cache.scope(URL, "ada").topic_page(None, "latest", 0) is None
    assert cache.scope("https://other.example.org", None).topic_page(None, "latest", 0) is None
    assert cache.scope(URL, None).posts("7", ["7-1"]) == {}
    assert cache.scope(URL, None).search("Hello") == []
    assert cache.scope(URL, "ada").search("Hello") != []


def test_read_state_keeps_the_highest_and_what_is_left_to_send(cache: Cache) -> None:
    scope = cache.scope(URL, "ada")
    scope.mark_read("7", 5)
    scope.mark_read("7", 3)
    assert scope.last_read("7") == 5
    assert scope.pending_timings() == [("7", 5)]

    scope.mark_read("7", 9)  # read further while the batch was on its way
    scope.timings_sent([("7", 5)])

    assert scope.pending_timings() == [("7", 9)]
    scope.timings_sent([("7", 9)])
    assert scope.pending_timings() == []
    assert scope.last_read_many(["7", "8"]) == {"7": 9}


@pytest.mark.parametrize("query", ['"', "*", "AND", "-x", "NEAR(", "a OR", "()", "perché"])
def test_search_never_fails_on_odd_input(cache: Cache, query: str) -> None:
    scope = cache.scope(URL, None)
    scope.put_thread(Thread(topic(), ("7-1",), (post(1, body="<p>Perche &amp; AND</p>"),)))

    scope.search(query)  # no exception


def test_search_finds_words_with_and_without_accents(cache: Cache) -> None:
    scope = cache.scope(URL, None)
    scope.put_thread(Thread(topic(), ("7-1",), (post(1, body="<p>Perché <b>così</b>?</p>"),)))

    for query in ("perche", "perché", "COSI", "domanda chiara"):
        hits = scope.search(query)
        assert hits and hits[0].topic.id == "7", query
    assert scope.similar_topics("Una domanda chiara per favore")[0].id == "7"
    assert scope.similar_topics("ab cd") == []


def test_plain_text_drops_tags_and_decodes_entities() -> None:
    assert plain_text("<p>a &amp; <b>b</b></p><script>x</script>") == "a & b x"


@pytest.mark.parametrize(
    "content",
    [b"garbage" * 100, b"SQLite format 3\x00" + b"\xff" * 3000, b""],
)
def test_a_damaged_file_is_moved_aside_and_a_new_one_started(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True)
    path.write_bytes(content)

    cache = Cache.open(path)
    try:
        if content:
            assert cache.notice is not None and "moved to" in cache.notice
            assert list(path.parent.glob("cache.sqlite3.*.broken"))
        cache.scope(URL, None).put_posts([post(1)])
        assert cache.scope(URL, None).posts("7", ["7-1"])
    finally:
        cache.close()


def test_an_unknown_version_is_moved_aside(path: Path) -> None:
    Cache.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")

    cache = Cache.open(path)
    try:
        assert cache.notice is not None and "unknown cache version" in cache.notice
    finally:
        cache.close()


def test_files_are_private_whatever_the_umask(path: Path) -> None:
    old = os.umask(0)
    try:
        Cache.open(path).close()
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_wal_is_used_where_the_file_system_allows(cache: Cache) -> None:
    assert cache.journal_mode in ("wal", "delete")


WRITER = """
import sys
from termforum.models import Post
from termforum.store import Cache
cache = Cache.open(__import__("pathlib").Path(sys.argv[1]))
scope = cache.scope("https://forum.example.org", None)
for n in range(200):
    scope.put_posts([Post(f"{sys.argv[2]}-{n}", sys.argv[2], n + 1, "a", None, "<p>x</p>")])
    scope.mark_read(sys.argv[2], n + 1)
cache.close()
"""


def test_two_processes_write_at_once_without_locked_errors(path: Path) -> None:
    Cache.open(path).close()
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), name], stderr=subprocess.PIPE, text=True
        )
        for name in ("a", "b")
    ]
    errors = [writer.communicate(timeout=120)[1] for writer in writers]

    assert all(writer.returncode == 0 for writer in writers), errors
    assert not any("locked" in error for error in errors), errors
    cache = Cache.open(path)
    try:
        assert cache.scope(URL, None).stats()["posts"] == 400
    finally:
        cache.close()


def test_a_failed_write_is_logged_not_raised(
    cache: Cache, path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    scope = cache.scope(URL, None)
    cache._conn.execute("PRAGMA query_only = ON")  # every write now fails, like a full disk
    with caplog.at_level(logging.WARNING):
        scope.put_posts([post(1)])
    assert "cache write failed" in caplog.text
    assert scope.posts("7", ["7-1"]) == {}


_text = st.text(max_size=20)
_when = st.none() | st.datetimes(timezones=st.just(UTC))
_topics = st.builds(
    Topic,
    id=_text,
    group_id=st.none() | _text,
    title=_text,
    author=st.none() | _text,
    posts_count=st.integers(0, 10**6),
    created_at=_when,
    last_posted_at=_when,
    tags=st.tuples(_text) | st.just(()),
)
_posts = st.builds(
    Post,
    id=_text,
    topic_id=_text,
    number=st.integers(1),
    author=_text,
    created_at=_when,
    html=_text,
    raw=st.none() | _text,
)


@given(_topics, st.lists(_posts, max_size=3))
def test_model_codec_round_trips(some_topic: Topic, posts: list[Post]) -> None:
    thread = Thread(some_topic, tuple(p.id for p in posts), tuple(posts))

    assert decode(Thread, encode(thread)) == thread
    assert decode(TopicPage, encode(TopicPage((some_topic,), 2))) == TopicPage((some_topic,), 2)


def test_model_codec_ignores_unknown_keys_and_defaults_missing_ones() -> None:
    data = encode(topic())
    data["from_a_future_version"] = 1
    del data["like_count"]

    assert decode(Topic, data) == topic()


def test_damage_deep_in_the_file_is_found_in_the_background_and_moved_aside_next_time(
    path: Path,
) -> None:
    cache = Cache.open(path)
    cache.scope(URL, None).put_posts(
        [post(n, body="<p>" + "word " * 400 + "</p>") for n in range(300)]
    )
    assert cache.checked.wait(10) and cache.damage is None
    cache.close()
    with sqlite3.connect(path) as conn:  # where the posts table's pages start
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'posts'").fetchone()[0]
    conn.close()
    with path.open("r+b") as file:  # scribble over that page, not over the file's header
        file.seek(page_size * (root - 1))
        file.write(b"\xff" * page_size)

    damaged = Cache.open(path)  # opens at once: the full check runs on its own thread
    try:
        assert damaged.notice is None
        assert damaged.checked.wait(10)
        assert damaged.damage is not None and "start a new one next time" in damaged.damage
    finally:
        damaged.close()

    renewed = Cache.open(path)
    try:
        assert renewed.notice is not None and "moved to" in renewed.notice
        assert list(path.parent.glob("cache.sqlite3.*.broken"))
        assert not path.with_name("cache.sqlite3.damaged").exists()
        assert renewed.checked.wait(10) and renewed.damage is None
    finally:
        renewed.close()

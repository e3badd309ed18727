"""The demo forum's time shift: seed times stored, current-looking times served.

Two apps on the same seeded data, one without a shift and one with, must answer the same
requests identically except that every timestamp of the shifted one is later by the shift.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from termforum.demo import DemoApp, create_app, live_time_shift
from termforum.demo.clock import SEED_NEWEST_POST, as_time_shift, shift_times
from termforum.demo.db import iso

SHIFT = timedelta(days=371, hours=5, minutes=7, seconds=3)
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo-time")
    create_app(path).close()  # seed once; the apps below share the database
    return path


@pytest.fixture
async def pair(data_dir: Path) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Clients of a fresh unshifted app and a fresh app shifted by SHIFT (same data)."""
    with create_app(data_dir) as plain, create_app(data_dir, time_shift=SHIFT) as shifted:
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=plain), base_url="http://a") as a,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=shifted), base_url="http://b") as b,
        ):
            yield a, b


def compare(plain: Any, shifted: Any, path: str = "$") -> int:
    """Assert ``shifted`` is ``plain`` with every timestamp moved by SHIFT; count them."""
    if isinstance(plain, dict):
        assert isinstance(shifted, dict) and list(shifted) == list(plain), path
        return sum(compare(plain[k], shifted[k], f"{path}.{k}") for k in plain)
    if isinstance(plain, list):
        assert isinstance(shifted, list) and len(shifted) == len(plain), path
        return sum(
            compare(p, s, f"{path}[{i}]")
            for i, (p, s) in enumerate(zip(plain, shifted, strict=True))
        )
    if isinstance(plain, str) and TIMESTAMP.fullmatch(plain):
        assert isinstance(shifted, str) and TIMESTAMP.fullmatch(shifted), (path, shifted)
        assert parse(shifted) - parse(plain) == SHIFT, (path, plain, shifted)
        return 1
    assert shifted == plain, path
    return 0


async def both(pair: tuple[httpx.AsyncClient, httpx.AsyncClient], url: str, **kw: Any) -> Any:
    responses = [await client.get(url, **kw) for client in pair]
    for response in responses:
        assert response.status_code == 200, (url, response.status_code, response.text[:200])
    return [r.json() for r in responses]


async def test_every_timestamp_is_shifted_and_nothing_else_changes(
    pair: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    latest, latest_shifted = await both(pair, "/latest.json")
    counts = {"/latest.json": compare(latest, latest_shifted)}
    topics = latest["topic_list"]["topics"]
    assert counts["/latest.json"] >= 3 * len(topics)

    regular = next(t for t in topics if not t["pinned"] and t["posts_count"] > 3)
    for topic in (topics[0], regular):
        url = f"/t/{topic['id']}.json"
        view, view_shifted = await both(pair, url)
        counts[url] = compare(view, view_shifted)
        # created_at + updated_at per post, the topic's own times, suggested topics.
        assert counts[url] >= 2 * len(view["post_stream"]["posts"]) + 2

        stream = view["post_stream"]["stream"]
        params = [("post_ids[]", str(i)) for i in stream]
        url = f"/t/{topic['id']}/posts.json"
        posts, posts_shifted = await both(pair, url, params=params)
        counts[url] = compare(posts, posts_shifted)
        assert counts[url] == 2 * len(stream)

    for query in ("tmux", "domanda", "@sam_ops", "order:latest api"):
        found, found_shifted = await both(pair, "/search.json", params={"q": query})
        assert found["posts"], query
        n = compare(found, found_shifted)
        assert n >= len(found["posts"]) + 3 * len(found["topics"]), query

    # Everything else that carries a time, and the time-based lists: the same topics in
    # the same order (periods and "hot" use the same shifted "now").
    others = [
        "/latest.json?page=1",
        "/latest.json?order=created&ascending=true",
        "/hot.json",
        "/about.json",
        "/site.json",
        "/categories.json?include_subcategories=true",
        "/tag/api.json",
        f"/u/{regular['last_poster_username']}.json",
        f"/t/{regular['slug']}/{regular['id']}/2.json",
        f"/posts/{stream[0]}.json",
        f"/posts/{stream[0]}/replies.json",
    ] + [f"/top.json?period={p}" for p in ("daily", "weekly", "monthly", "yearly", "all")]
    for url in others:
        plain, shifted = await both(pair, url)
        counts[url] = compare(plain, shifted)
    assert counts["/about.json"] == 1  # site_creation_date
    assert counts[f"/u/{regular['last_poster_username']}.json"] == 3
    daily = counts["/top.json?period=daily"]
    assert 0 < daily < counts["/top.json?period=all"]


async def test_plain_text_raw_topic_shows_shifted_times(
    pair: tuple[httpx.AsyncClient, httpx.AsyncClient],
) -> None:
    latest, _ = await both(pair, "/latest.json")
    topic = next(t for t in latest["topic_list"]["topics"] if not t["pinned"])
    plain, shifted = [(await c.get(f"/raw/{topic['id']}")).text for c in pair]
    stamps = TIMESTAMP.findall(plain)
    assert stamps and len(TIMESTAMP.findall(shifted)) == len(stamps)
    expected = plain
    for stamp in stamps:
        expected = expected.replace(stamp, iso(parse(stamp) + SHIFT))
    assert shifted == expected


def test_the_app_reports_its_shift_and_shown_now(data_dir: Path) -> None:
    with create_app(data_dir) as plain, DemoApp(data_dir, time_shift=90.5) as seconds:
        assert plain.time_shift == timedelta(0)
        assert plain.now == plain.store.now == datetime(2025, 11, 20, 9, 0, tzinfo=UTC)
        assert seconds.time_shift == timedelta(seconds=90.5)
        assert seconds.now == seconds.store.now + timedelta(seconds=90.5)
    with pytest.raises(TypeError):
        as_time_shift("1h")  # type: ignore[arg-type]


def test_shift_times_leaves_content_alone() -> None:
    stamp = "2025-11-20T08:09:10.000Z"
    data = {
        "created_at": stamp,
        "title": stamp,
        "raw": f"posted {stamp}",
        "pinned_until": None,
        "site_creation_date": stamp,
        "items": [{"bumped_at": stamp, "cooked": stamp}],
        1: stamp,
    }
    moved = shift_times(data, timedelta(hours=1))
    later = "2025-11-20T09:09:10.000Z"
    assert moved == {
        "created_at": later,
        "title": stamp,
        "raw": f"posted {stamp}",
        "pinned_until": None,
        "site_creation_date": later,
        "items": [{"bumped_at": later, "cooked": stamp}],
        1: stamp,
    }
    assert data["created_at"] == stamp  # a new payload, the old one untouched
    assert shift_times(data, timedelta(0)) is data


# --------------------------------------------------------------------------- live shift


def test_seed_newest_post_matches_the_seeded_data(data_dir: Path) -> None:
    conn = sqlite3.connect(data_dir / "demo.sqlite3")
    try:
        newest = conn.execute("SELECT MAX(created_at) FROM posts").fetchone()[0]
        later = [
            conn.execute(f"SELECT MAX({column}) FROM {table}").fetchone()[0]
            for table, column in (
                ("posts", "updated_at"),
                ("topics", "bumped_at"),
                ("topics", "last_posted_at"),
                ("users", "last_seen_at"),
            )
        ]
    finally:
        conn.close()
    assert newest == iso(SEED_NEWEST_POST)
    assert all(value <= newest for value in later)


@pytest.mark.parametrize(
    "now",
    [
        datetime(2026, 3, 1, 12, 34, 56, 789_000, tzinfo=UTC),
        datetime(2031, 7, 15, 0, 0, tzinfo=UTC),
        datetime(2025, 11, 20, 8, 30, 10, 500_000, tzinfo=UTC),  # just after the seed's own
        datetime(2026, 5, 4, 10, 0),  # naive: taken as UTC
        None,  # the real clock
    ],
)
async def test_live_time_shift_shows_the_newest_post_minutes_ago(
    data_dir: Path, now: datetime | None
) -> None:
    before = datetime.now(UTC)
    shift = live_time_shift(now)
    reference = now.replace(tzinfo=now.tzinfo or UTC) if now else before
    assert shift % timedelta(minutes=1) == timedelta(0)  # whole minutes
    with create_app(data_dir, time_shift=shift) as app:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
            latest = (await c.get("/latest.json")).json()["topic_list"]["topics"]
            newest = max(parse(t["last_posted_at"]) for t in latest)
            topic = next(t for t in latest if parse(t["last_posted_at"]) == newest)
            view = (await c.get(f"/t/{topic['id']}/last.json")).json()
            shown = max(parse(p["created_at"]) for p in view["post_stream"]["posts"])
    assert shown == newest
    assert reference - timedelta(hours=1) < newest <= reference
    assert timedelta(minutes=20) <= reference - newest < timedelta(minutes=21)

"""Requests per user action, against the demo forum in-process (the real app, Pilot).

A user API key gets 20 requests a minute from Discourse, so what counts is how many requests
reading costs. The minimum the API allows for "open a group, open a long topic, read 300
posts": one topic list, one topic (plus ``post_ids`` for a topic of 10,000+ posts, whose
stream Discourse leaves out), and one request per 200 posts not yet loaded (the topic answer
carries the first 20): 1 + 2 + 2 = 5. Reading it again while the cache is fresh: 0.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import time
from pathlib import Path

import httpx

from run import figure
from termforum.backends import create_backend
from termforum.demo import DemoApp, create_app
from termforum.net import make_client
from termforum.service import ForumService
from termforum.store import Cache
from termforum.ui.app import TermforumApp

URL = "http://demo.bench"
POSTS_TO_READ = 300


class _Wire(httpx.AsyncBaseTransport):
    """The network: counts requests."""

    def __init__(self, app: DemoApp) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.count = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        return await self.inner.handle_async_request(request)


def _state(pilot) -> str:  # type: ignore[no-untyped-def]
    reader = pilot.app.screen.reader
    post = reader.selected_post
    return f"cursor {reader.cursor} of {reader.post_count}, post {post.number if post else None}"


async def _until(pilot, condition, timeout: float = 120.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the app never got there: {_state(pilot)}")
        await pilot.pause(0.01)


async def _read_session(demo: DemoApp, cache: Cache) -> int:
    """Open the long topic's group, the topic, and read POSTS_TO_READ posts with j."""
    wire = _Wire(demo)
    http = make_client(URL, transport=wire)
    service = ForumService(
        "bench", URL, create_backend("discourse", URL, http=http), http=http, cache=cache
    )
    app = TermforumApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _until(pilot, lambda: screen.groups_pane.groups != [])
        group = next(g for g in screen.groups_pane.groups if g.slug == "long-thread-lab")
        # Start-up (site, groups, latest, or the one request that says the forum is there
        # when all of it is cached) is not part of the action: it runs after the first frame.
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        before = wire.count
        screen.show_group(group)
        # The list of that group (not the list of all groups still on screen before it).
        await _until(
            pilot,
            lambda: (
                screen.topics_pane.topics != []
                and all(topic.group_id == group.id for topic in screen.topics_pane.topics)
            ),
        )
        topic = max(screen.topics_pane.topics, key=lambda t: t.posts_count)
        screen.open_topic(topic, post_number=1)  # the same posts each time
        reader = screen.reader
        await _until(pilot, lambda: reader.selected_post is not None)
        for _ in range(POSTS_TO_READ - 1):
            await pilot.press("j")
        await _until(
            pilot,
            lambda: (
                reader.selected_post is not None and reader.selected_post.number >= POSTS_TO_READ
            ),
        )
        return wire.count - before


async def _measure() -> dict[str, int]:
    folder = Path(tempfile.mkdtemp(prefix="termforum-bench-requests-"))
    home = os.environ.get("TERMFORUM_HOME")
    try:
        demo = create_app(folder / "forum")
        cache = Cache.open(folder / "cache" / "cache.sqlite3")
        try:
            # Each session starts with no remembered topic (a restored topic would load at
            # start-up, before the counting starts): only the cache is shared.
            os.environ["TERMFORUM_HOME"] = str(folder / "home-first")
            first = await _read_session(demo, cache)
            os.environ["TERMFORUM_HOME"] = str(folder / "home-again")
            again = await _read_session(demo, cache)
        finally:
            cache.close()
            demo.close()
    finally:
        if home is None:
            os.environ.pop("TERMFORUM_HOME", None)
        else:
            os.environ["TERMFORUM_HOME"] = home
        shutil.rmtree(folder, ignore_errors=True)
    return {"first": first, "again": again}


_results: dict[str, int] = {}


def _results_once() -> dict[str, int]:
    if not _results:
        _results.update(asyncio.run(_measure()))
    return _results


@figure(
    f"requests: open a group, the 10,000-post topic, read {POSTS_TO_READ} posts",
    unit="req",
    target=5,
)
def requests_first_read() -> tuple[float, str]:
    return _results_once()["first"], "minimum the API allows: 1 list + 2 topic + 2 batches = 5"


@figure("requests: the same again while the cache is fresh", unit="req", target=0)
def requests_cached_read() -> float:
    return _results_once()["again"]

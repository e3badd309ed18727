"""Reader figures against the demo forum served over loopback HTTP (Pilot, headless)."""

from __future__ import annotations

import asyncio
import time

from run import figure
from termforum.backends import create_backend
from termforum.demo import DemoServer
from termforum.net import make_client
from termforum.service import ForumService
from termforum.ui.app import TermforumApp


async def _until(pilot, condition, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Let the app run until ``condition()`` holds; fail instead of hanging."""
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app never got there (see the figure's note)")
        # A short real sleep, not pause(0): a busy loop here holds the GIL and starves the
        # demo server's thread, which made opening the topic look 100 times slower than it is.
        await pilot.pause(0.002)


async def _open_long_topic(size: tuple[int, int] = (120, 40)) -> dict[str, float]:
    results: dict[str, float] = {}
    with DemoServer() as server:
        url = server.url
        backend = create_backend("discourse", url, http=make_client(url))
        app = TermforumApp(ForumService("bench", url, backend))
        async with app.run_test(size=size) as pilot:
            screen = app.screen
            await _until(pilot, lambda: screen.topics_pane.topics != [])
            page = await screen.service.topics(view="top")
            topic = max(page.topics, key=lambda t: t.posts_count)
            reader = screen.reader
            start = time.perf_counter()
            screen.open_topic(topic)
            await _until(pilot, lambda: reader.selected_post is not None)
            await pilot.pause(0)  # let the first frame paint
            results["open"] = (time.perf_counter() - start) * 1000
            start = time.perf_counter()
            await pilot.press("G")
            await _until(
                pilot,
                lambda: reader.selected_post is not None and reader.cursor == reader.post_count - 1,
            )
            results["last"] = (time.perf_counter() - start) * 1000
    return results


_cache: dict[str, float] = {}


def _measure() -> dict[str, float]:
    if not _cache:
        _cache.update(asyncio.run(_open_long_topic()))
    return _cache


@figure("open the 10,000-post topic over loopback: to first screen", unit="ms", target=300)
def open_long_topic() -> tuple[float, str]:
    return _measure()["open"], "not yet cached: includes the HTTP round trip (cache: issue 5)"


@figure("jump to the last post of that topic (G), loading it", unit="ms", target=300)
def jump_to_last() -> float:
    return _measure()["last"]

"""One reading session in a process of its own, against a forum whose long topic is cached.

Run by ``bench_reader.py`` (never imported by it)::

    python reader_session.py termforum URL CACHE_FILE
    python reader_session.py markdown URL CACHE_FILE

``termforum`` drives the real app (Pilot, headless, 120x40) over the demo forum at URL with
the cache file, and prints one JSON object: the time from the key press that opens the
10,000-post topic to the first frame that shows its posts; the same for ``G`` and ``g``; the
UI thread's CPU time per ``j`` and ``k`` press, frame included; and the process's memory
before the topic is opened and after paging through all of it.

``markdown`` opens the same posts the way a straightforward Textual app would: one
``Markdown`` widget per post in a ``VerticalScroll``, and prints the time from the key press
to its first frame.

A frame counts when Textual hands it to the driver (``App._display``, called headless too).
"""

from __future__ import annotations

import asyncio
import gc
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from textual.app import App

PRESSES = 200
"""``j`` presses (and as many ``k`` presses) timed."""
TIMEOUT = 120.0


def _rss_mib() -> tuple[float, float]:
    """The process's resident memory now and at its peak, in MiB (Linux ``/proc``)."""
    fields = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines())
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


class _Frames:
    """Watches the frames an app draws: when the first one showing an expected state was
    drawn (the state is checked as each frame is handed to the driver)."""

    def __init__(self, app: App[object]) -> None:
        self.count = 0
        self._expected: Callable[[], bool] | None = None
        self.hit: float | None = None
        display = app._display

        def record(screen, renderable) -> None:  # type: ignore[no-untyped-def]
            display(screen, renderable)
            if renderable is None:
                return
            self.count += 1
            if self._expected is not None and self.hit is None and self._expected():
                self.hit = time.perf_counter()

        app._display = record  # type: ignore[method-assign]

    def expect(self, condition: Callable[[], bool]) -> None:
        """Note the time of the next frame drawn while ``condition()`` holds."""
        self._expected, self.hit = condition, None

    async def shown(self, what: str) -> float:
        """Wait for the expected frame (a short sleep between looks); its time."""
        deadline = time.perf_counter() + TIMEOUT
        while self.hit is None:
            if time.perf_counter() > deadline:
                raise TimeoutError(f"never drawn: {what}")
            await asyncio.sleep(0.0005)
        return self.hit


def _press(app: App[object], key: str) -> None:
    """A key press as the terminal driver delivers it (no test-harness waiting around it)."""
    from textual import events

    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    app._driver.send_message(event)  # type: ignore[union-attr]


async def _until(pilot, condition: Callable[[], bool], what: str = "") -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + TIMEOUT
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"the app never got there: {what}")
        await pilot.pause(0.001)


def _service(url: str, cache_file: str):  # type: ignore[no-untyped-def]
    from termforum.backends import create_backend
    from termforum.net import make_client
    from termforum.service import ForumService
    from termforum.store import Cache

    http = make_client(url)
    backend = create_backend("discourse", url, http=http)
    return ForumService("bench", url, backend, http=http, cache=Cache.open(Path(cache_file)))


async def _termforum(url: str, cache_file: str) -> dict[str, object]:
    from termforum.ui.app import TermforumApp

    app = TermforumApp(_service(url, cache_file))
    frames = _Frames(app)
    result: dict[str, object] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await _until(pilot, lambda: screen.groups_pane.groups != [])
        group = next(g for g in screen.groups_pane.groups if g.slug == "long-thread-lab")
        screen.show_group(group)

        def listed() -> bool:
            topics = screen.topics_pane.topics
            return bool(topics) and all(topic.group_id == group.id for topic in topics)

        await _until(pilot, listed, "the group's topics listed")
        topics = screen.topics_pane.topics
        long_topic = max(topics, key=lambda topic: topic.posts_count)
        screen.topics_pane.highlighted = topics.index(long_topic)
        await pilot.pause(0.2)
        gc.collect()
        result["rss_before"], _ = _rss_mib()
        reader = screen.reader

        # Open: enter on the topic → the first frame showing its posts.
        frames.expect(lambda: reader.selected_post is not None)
        pressed = time.perf_counter()
        _press(app, "enter")
        result["open_ms"] = (await frames.shown("the topic's posts") - pressed) * 1000
        result["posts"] = reader.post_count
        await pilot.pause(1.0)  # let the highlighters load and the footer settle

        # G and g: the first frame showing the last (first) post selected and loaded.
        def at(index: int) -> Callable[[], bool]:
            return lambda: reader.cursor == index and reader.selected_post is not None

        for key, index in (("G", reader.post_count - 1), ("g", 0)):
            frames.expect(at(index))
            pressed = time.perf_counter()
            _press(app, key)
            result[f"{key}_ms"] = (await frames.shown(f"post {index}") - pressed) * 1000
            await pilot.pause(0.3)

        # j and k: CPU time of this (the UI) thread from the press to the frame it causes.
        for key, step in (("j", 1), ("k", -1)):
            times = []
            for _ in range(PRESSES):
                frames.expect(at(reader.cursor + step))
                started = time.thread_time()
                _press(app, key)
                await frames.shown(f"{key} to post {reader.cursor + step}")
                times.append((time.thread_time() - started) * 1000)
                await asyncio.sleep(0.005)  # a fast typist, not a flood
            result[f"{key}_median_ms"] = statistics.median(times)
            result[f"{key}_p90_ms"] = statistics.quantiles(times, n=10)[-1]

        # Page through the whole topic, then measure the memory the process keeps.
        pages = 0
        while not (reader.scroll_offset.y >= reader.max_scroll_y and reader.max_scroll_y > 0):
            await pilot.press("space")
            pages += 1
            if pages > 50_000:
                raise RuntimeError("paging never reached the end")
        await pilot.pause(0.5)
        gc.collect()
        result["pages"] = pages
        result["rss_after"], result["rss_peak"] = _rss_mib()
    return result


async def _markdown(url: str, cache_file: str) -> dict[str, object]:
    from textual.app import ComposeResult
    from textual.containers import VerticalScroll
    from textual.widgets import Markdown, Static

    from termforum.store import plain_text

    service = _service(url, cache_file)
    groups = await service.groups()
    group = next(g for g in groups if g.slug == "long-thread-lab")
    page = await service.topics(group.id)
    topic = max(page.topics, key=lambda t: t.posts_count)
    state = await service.open_thread(topic.id)
    posts = list((await service.load_posts(topic.id, state.thread.post_ids)) or [])
    posts = sorted({**state.posts, **{p.id: p for p in posts}}.values(), key=lambda p: p.number)
    # Plain text of each post: easier Markdown than the real thing, so the comparison
    # flatters this app, not termforum.
    raws = [f"**{post.author}** #{post.number}\n\n{plain_text(post.html)}" for post in posts]

    class Straightforward(App[None]):
        """Press enter: every post of the topic as a Markdown widget in a scroll container."""

        BINDINGS = [("enter", "open", "Open")]

        def compose(self) -> ComposeResult:
            yield Static(topic.title, markup=False)
            yield VerticalScroll(id="thread")

        async def action_open(self) -> None:
            await self.query_one("#thread").mount_all(Markdown(raw) for raw in raws)

    app = Straightforward()
    frames = _Frames(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.2)
        thread = app.query_one("#thread")
        # Its first screen: the first frame in which the first post's text is mounted
        # (generous: the other posts may still be mounting).
        frames.expect(lambda: bool(thread.children) and bool(thread.children[0].children))
        pressed = time.perf_counter()
        _press(app, "enter")
        shown = await frames.shown("the first post")
        return {"open_ms": (shown - pressed) * 1000, "posts": len(raws)}


if __name__ == "__main__":
    kind, forum_url, cache_path = sys.argv[1:4]
    run = _termforum if kind == "termforum" else _markdown
    print(json.dumps(asyncio.run(run(forum_url, cache_path))))

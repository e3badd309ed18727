"""Reader figures against the demo forum served over loopback HTTP.

Cached figures: the 10,000-post topic is first read into a real cache file (every post, as
after reading it through or ``termforum sync``); then a fresh process (``reader_session.py``)
starts termforum on that cache and times, with Pilot, from each key press to the first frame
that shows its result. The same process pages through the whole topic for the memory figure.
A second process opens the same posts the straightforward way (one ``Markdown`` widget per
post) for the comparison. Uncached figures run in this process.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from run import figure
from termforum.backends import create_backend
from termforum.demo import DemoServer
from termforum.net import make_client
from termforum.service import POSTS_PER_REQUEST, ForumService
from termforum.store import Cache
from termforum.ui.app import TermforumApp

SESSION = Path(__file__).resolve().parent / "reader_session.py"


async def _open_long_topic(size: tuple[int, int] = (120, 40)) -> dict[str, float]:
    """Open the long topic (nothing cached) and jump to its end, timed to the frames."""
    from reader_session import _Frames, _press, _until

    results: dict[str, float] = {}
    with DemoServer() as server:
        url = server.url
        backend = create_backend("discourse", url, http=make_client(url))
        app = TermforumApp(ForumService("bench", url, backend))
        frames = _Frames(app)
        async with app.run_test(size=size) as pilot:
            screen = app.screen
            await _until(pilot, lambda: screen.topics_pane.topics != [])
            page = await screen.service.topics(view="top")
            topic = max(page.topics, key=lambda t: t.posts_count)
            reader = screen.reader
            frames.expect(lambda: reader.selected_post is not None)
            start = time.perf_counter()
            screen.open_topic(topic)
            results["open"] = (await frames.shown("the topic's posts") - start) * 1000
            await pilot.pause(0.5)
            last = reader.post_count - 1
            frames.expect(lambda: reader.cursor == last and reader.selected_post is not None)
            start = time.perf_counter()
            _press(app, "G")
            results["last"] = (await frames.shown("the last post") - start) * 1000
    return results


_uncached: dict[str, float] = {}


def _measure_uncached() -> dict[str, float]:
    if not _uncached:
        _uncached.update(asyncio.run(_open_long_topic()))
    return _uncached


@figure(
    "open the 10,000-post topic over loopback, not cached: to first screen", unit="ms", target=300
)
def open_long_topic() -> tuple[float, str]:
    return _measure_uncached()["open"], "includes the HTTP round trips (topic and post_ids)"


@figure("jump to the last post of that topic (G), not cached, loading it", unit="ms", target=300)
def jump_to_last() -> float:
    return _measure_uncached()["last"]


# ------------------------------------------------------------------------- cached


async def _fill_cache(url: str, cache_file: Path) -> int:
    """Read every post of the long topic into ``cache_file``, with its group's topic list."""
    http = make_client(url)
    service = ForumService(
        "bench",
        url,
        create_backend("discourse", url, http=http),
        http=http,
        cache=Cache.open(cache_file),
    )
    try:
        await service.site()
        groups = await service.groups()
        group = next(g for g in groups if g.slug == "long-thread-lab")
        page = await service.topics(group.id)
        await service.topics()
        topic = max(page.topics, key=lambda t: t.posts_count)
        state = await service.open_thread(topic.id)
        ids = list(state.thread.post_ids)
        for start in range(0, len(ids), POSTS_PER_REQUEST):
            await service.load_posts(topic.id, ids[start : start + POSTS_PER_REQUEST])
        return len(ids)
    finally:
        await service.aclose()


def _session(kind: str, url: str, cache_file: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, str(SESSION), kind, url, str(cache_file)],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
        env={**os.environ},
    )
    if done.returncode != 0:
        raise RuntimeError(f"{kind} session failed: {done.stderr[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


_cached: dict[str, dict[str, float]] = {}


def _measure_cached() -> dict[str, dict[str, float]]:
    if not _cached:
        with tempfile.TemporaryDirectory(prefix="termforum-bench-reader-") as folder:
            cache_file = Path(folder) / "cache.sqlite3"
            with DemoServer() as server:
                asyncio.run(_fill_cache(server.url, cache_file))
                _cached["termforum"] = _session("termforum", server.url, cache_file)
                _cached["markdown"] = _session("markdown", server.url, cache_file)
    return _cached


@figure(
    "open a cached 10,000-post topic: key press to the first screen of posts", unit="ms", target=100
)
def open_cached() -> tuple[float, str]:
    result = _measure_cached()["termforum"]
    return result["open_ms"], f"{result['posts']:,} posts, all in the cache file"


@figure("jump to the last post of that topic (G)", unit="ms", target=100)
def jump_last_cached() -> float:
    return _measure_cached()["termforum"]["G_ms"]


@figure("and back to the first (g)", unit="ms", target=100)
def jump_first_cached() -> float:
    return _measure_cached()["termforum"]["g_ms"]


@figure("j/k in that topic: handling time per key press, median", unit="ms", target=5)
def step_cost() -> tuple[float, str]:
    r = _measure_cached()["termforum"]
    note = (
        f"UI thread CPU from the press to its frame; j median {r['j_median_ms']:.2f} ms "
        f"(p90 {r['j_p90_ms']:.2f}), k median {r['k_median_ms']:.2f} ms (p90 {r['k_p90_ms']:.2f})"
    )
    return max(r["j_median_ms"], r["k_median_ms"]), note


@figure("memory: process growth after opening and paging through that topic", unit="MiB", target=60)
def memory_growth() -> tuple[float, str]:
    r = _measure_cached()["termforum"]
    note = (
        f"resident {r['rss_before']:.0f} → {r['rss_after']:.0f} MiB after {r['pages']:,} pages "
        f"(peak {r['rss_peak']:.0f} MiB)"
    )
    return r["rss_after"] - r["rss_before"], note


@figure(
    "that topic as one Markdown widget per post: times slower to first screen than termforum",
    unit="x",
    target=20,
    higher_is_better=True,
)
def against_markdown() -> tuple[float, str]:
    cached = _measure_cached()
    naive, ours = cached["markdown"]["open_ms"], cached["termforum"]["open_ms"]
    note = f"straightforward app {naive:,.0f} ms, termforum {ours:,.1f} ms, same posts, same run"
    return naive / ours, note

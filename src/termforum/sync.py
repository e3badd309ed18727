"""Downloading groups for offline reading: ``termforum sync`` and the palette's "Sync".

:func:`sync_groups` pulls the latest topics of some groups, each topic's stream and its posts
in the largest batches the forum accepts, into the local cache. What is cached and fresh is
skipped, and every request goes through the forum's request budget (``netpolicy``), so a large
sync is slow rather than rate-limited. Progress is reported to a callback; the command line
draws a bar, the TUI a progress notification. Never imports Textual.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from termforum.errors import ConfigError, ForumError, NotFound
from termforum.priority import background

if TYPE_CHECKING:
    from termforum.accounts import Accounts
    from termforum.models import Group, Topic
    from termforum.service import ForumService

__all__ = ["SyncProgress", "choose_groups", "sync_command", "sync_groups"]

POSTS_PER_REQUEST = 200
"""Posts asked for at once (Discourse accepts this many ``post_ids[]`` in one request)."""
MAX_POSTS_PER_TOPIC = 1000
"""A very long topic is cached up to this many posts (the rest loads when read online)."""


@dataclass(slots=True)
class SyncProgress:
    """How far a sync has come."""

    topics_done: int = 0
    topics_total: int = 0
    posts: int = 0
    skipped: int = 0
    """Topics already cached and fresh."""
    current: str = ""
    """The title of the topic being downloaded (untrusted text)."""

    @property
    def fraction(self) -> float:
        """0.0 to 1.0."""
        return self.topics_done / self.topics_total if self.topics_total else 0.0


def choose_groups(groups: Sequence[Group], wanted: Sequence[str] | None) -> list[Group]:
    """The groups named in ``wanted`` (slug, name or id, any case); all when None.

    ``ConfigError`` names the ones that do not exist and lists what does.
    """
    if not wanted:
        return list(groups)
    chosen: list[Group] = []
    unknown: list[str] = []
    for name in wanted:
        key = name.casefold().strip()
        match = next(
            (g for g in groups if key in (g.slug.casefold(), g.name.casefold(), g.id)), None
        )
        if match is None:
            unknown.append(name)
        elif match not in chosen:
            chosen.append(match)
    if unknown:
        known = ", ".join(group.slug for group in groups)
        raise ConfigError(f"No group {', '.join(unknown)} on this forum (groups: {known}).")
    return chosen


async def sync_groups(
    service: ForumService,
    groups: Sequence[Group],
    *,
    topics_per_group: int = 30,
    progress: Callable[[SyncProgress], None] | None = None,
) -> SyncProgress:
    """Cache the latest ``topics_per_group`` topics of each group with their posts.

    Its requests are background work: what the user asks for meanwhile goes first."""
    with background():
        return await _sync_groups(service, groups, topics_per_group, progress)


async def _sync_groups(
    service: ForumService,
    groups: Sequence[Group],
    topics_per_group: int,
    progress: Callable[[SyncProgress], None] | None,
) -> SyncProgress:
    state = SyncProgress()
    report = progress or (lambda _state: None)
    chosen: dict[str, Topic] = {}
    await service.topics(None, view="latest")  # the first screen termforum shows
    for group in groups:
        page: int | None = 0
        found = 0
        while page is not None and found < topics_per_group:
            listing = await service.topics(group.id, view="latest", page=page)
            for topic in listing.topics[: topics_per_group - found]:
                chosen.setdefault(topic.id, topic)
                found += 1
            page = listing.next_page
        state.topics_total = len(chosen)
        report(state)
    for topic in chosen.values():
        state.current = topic.title
        report(state)
        await _sync_topic(service, topic, state)
        state.topics_done += 1
        report(state)
    state.current = ""
    return state


async def _sync_topic(service: ForumService, topic: Topic, state: SyncProgress) -> None:
    cache = service.cache
    cached = cache.thread(topic.id) if cache is not None else None
    stream: Sequence[str] | None = None
    if cached is not None and cached.value.topic.posts_count >= topic.posts_count:
        stream = cached.value.post_ids[:MAX_POSTS_PER_TOPIC]
        if cache is not None and not cache.missing_posts(topic.id, stream):
            state.skipped += 1
            return
    try:
        thread = (await service.open_thread(topic.id, refresh=stream is None)).thread
    except NotFound:
        return  # deleted or hidden since it was listed
    wanted = list(thread.post_ids[:MAX_POSTS_PER_TOPIC])
    missing = cache.missing_posts(topic.id, wanted) if cache is not None else wanted
    for start in range(0, len(missing), POSTS_PER_REQUEST):
        batch = missing[start : start + POSTS_PER_REQUEST]
        posts = await service.load_posts(topic.id, batch)
        state.posts += len(posts)


# --- the command ---------------------------------------------------------------------------


def sync_command(
    accounts: Accounts,
    wanted: str,
    *,
    groups: Sequence[str] | None = None,
    topics: int = 30,
    out: TextIO | None = None,
) -> int:
    """``termforum sync NAME``: download groups for offline reading; the exit code."""
    stream = out or sys.stdout
    forum = accounts.find(wanted)
    if topics < 1:
        raise ConfigError(f"--topics must be at least 1, not {topics}.")
    service = accounts.open(forum)
    bar = _Bar(stream)

    async def run() -> SyncProgress:
        ticker = asyncio.create_task(_show_waits(service, bar))
        try:
            all_groups = await service.groups(refresh=True)
            chosen = choose_groups(all_groups, groups)
            names = ", ".join(group.name for group in chosen)
            print(f"Syncing {len(chosen)} group(s) of {forum.name}: {names}", file=stream)
            return await sync_groups(service, chosen, topics_per_group=topics, progress=bar)
        finally:
            ticker.cancel()
            await service.aclose()

    try:
        done = asyncio.run(run())
    except ForumError as error:
        bar.finish()
        raise ForumError(f"The sync stopped: {error}") from None
    bar.finish()
    print(
        f"Done: {done.topics_done} topics of {forum.name} can be read offline ({done.posts} "
        f"posts downloaded, {done.skipped} topics already up to date).",
        file=stream,
    )
    return 0


async def _show_waits(service: ForumService, bar: _Bar) -> None:
    """Once a second: say on the bar when the sync waits for the forum's request budget or
    a 429 pause (a sync under a user API key paces itself to 18 requests a minute)."""
    policy = service.policy
    if policy is None:
        return
    while True:
        await asyncio.sleep(1.0)
        status = policy.waiting()
        bar.waiting(status.describe() if status is not None else "")


class _Bar:
    """A one-line progress bar on a terminal; a line per topic elsewhere."""

    WIDTH = 24

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.tty = bool(getattr(stream, "isatty", lambda: False)())
        self._last = -1
        self._state: SyncProgress | None = None
        self._wait = ""

    def waiting(self, why: str) -> None:
        """Show ``why`` requests wait ("pacing 3 s"), or nothing; terminals only."""
        if why != self._wait:
            self._wait = why
            if self.tty and self._state is not None:
                self(self._state)

    def __call__(self, state: SyncProgress) -> None:
        self._state = state
        filled = int(state.fraction * self.WIDTH)
        line = (
            f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {state.topics_done}/"
            f"{state.topics_total} topics, {state.posts} posts"
        )
        if self._wait:
            line += f" ({self._wait})"
        if self.tty:
            self.stream.write("\r" + line.ljust(72))
            self.stream.flush()
        elif state.topics_done != self._last:
            self._last = state.topics_done
            print(line, file=self.stream)

    def finish(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()

"""ForumService: one per open forum; the only thing the UI calls to get forum data.

The service sits between the UI and a ``Backend``. It keeps what has been loaded in memory so
that going back to a topic or a list does not refetch it, loads the posts of a thread in the
batches the backend asks for, and tracks the connection state the header shows. It never
imports Textual: the UI calls its coroutines from workers and renders what they return.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from termforum.backends import Backend
from termforum.errors import NetworkError
from termforum.models import Group, Post, SearchHit, Site, Thread, TopicPage

__all__ = ["ConnectionState", "ForumService", "ThreadState"]


class ConnectionState(Enum):
    """What the header says about the forum connection."""

    CONNECTING = "connecting"
    ONLINE = "online"
    OFFLINE = "offline"


@dataclass(slots=True)
class ThreadState:
    """A thread being read: its stream of post ids and the posts loaded so far, by id."""

    thread: Thread
    posts: dict[str, Post] = field(default_factory=dict)

    @property
    def missing(self) -> list[str]:
        """Post ids of the stream that are not loaded yet, in stream order."""
        return [pid for pid in self.thread.post_ids if pid not in self.posts]


class ForumService:
    """Cache-aware access to one forum.

    Args:
        name: The forum's name (a ``[forums.NAME]`` table, or a host for ``--forum URL``).
        url: The forum's base URL.
        backend: The backend that talks to it.
    """

    def __init__(self, name: str, url: str, backend: Backend) -> None:
        self.name = name
        self.url = url
        self.backend = backend
        self.state = ConnectionState.CONNECTING
        self._threads: dict[str, ThreadState] = {}
        self._groups: list[Group] | None = None
        self.logged_in = False
        """True when requests carry a user's credentials (views like ``new`` need them)."""

    @property
    def capabilities(self) -> frozenset[str]:
        """What the backend can do; the UI hides actions it lacks."""
        return self.backend.capabilities

    async def _call(self, coro):  # type: ignore[no-untyped-def]
        """Await a backend call, keeping the connection state up to date."""
        try:
            result = await coro
        except NetworkError:
            self.state = ConnectionState.OFFLINE
            raise
        self.state = ConnectionState.ONLINE
        return result

    async def site(self) -> Site:
        """The forum's title and description."""
        return await self._call(self.backend.site())

    async def groups(self, *, refresh: bool = False) -> list[Group]:
        """All groups, parents followed by their subgroups."""
        if self._groups is None or refresh:
            self._groups = await self._call(self.backend.groups())
        return self._groups

    async def topics(
        self, group_id: str | None = None, *, view: str = "latest", page: int = 0
    ) -> TopicPage:
        """One page of a topic list."""
        return await self._call(self.backend.topics(group_id, view=view, page=page))

    async def open_thread(self, topic_id: str, *, refresh: bool = False) -> ThreadState:
        """The thread with its first chunk of posts (from memory when already open)."""
        known = self._threads.get(topic_id)
        if known is not None and not refresh:
            return known
        thread = await self._call(self.backend.thread(topic_id))
        state = ThreadState(thread, {post.id: post for post in thread.posts})
        if known is not None:
            # Keep posts already loaded that the new stream still contains.
            for pid in thread.post_ids:
                if pid not in state.posts and pid in known.posts:
                    state.posts[pid] = known.posts[pid]
        self._threads[topic_id] = state
        return state

    async def load_posts(self, topic_id: str, post_ids: Sequence[str]) -> list[Post]:
        """Load the given posts of an open thread (those not loaded yet) and return them."""
        state = self._threads.get(topic_id)
        wanted = [pid for pid in post_ids if state is None or pid not in state.posts]
        if not wanted:
            return []
        posts = await self._call(self.backend.posts(topic_id, wanted))
        if state is not None:
            for post in posts:
                state.posts[post.id] = post
            state.thread = replace(state.thread, posts=tuple(state.posts.values()))
        return posts

    async def search(self, query: str, *, page: int = 0) -> list[SearchHit]:
        """Full-text search on the forum."""
        return await self._call(self.backend.search(query, page=page))

    async def aclose(self) -> None:
        """Close the backend and its HTTP client."""
        await self.backend.aclose()

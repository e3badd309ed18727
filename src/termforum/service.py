"""ForumService: one per open forum; the only thing the UI calls to get forum data.

The service sits between the UI and a ``Backend``. It keeps what has been loaded in memory so
that going back to a topic or a list does not refetch it, loads the posts of a thread in the
batches the backend asks for, and tracks the connection state the header shows. It never
imports Textual: the UI calls its coroutines from workers and renders what they return.

With a cache (``store.CacheScope``) it is cache-first: ``cached_*`` answer at once from disk
(with how old the answer is and whether it is still fresh), the network methods store what
arrives, a thread or posts that are cached and fresh cost no request, and when the forum
cannot be reached what is cached is served instead. ``offline=True`` (``--offline``) never
touches the network.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import TYPE_CHECKING, Generic, TypeVar

from termforum.auth import ANONYMOUS, Credentials
from termforum.backends import Backend
from termforum.errors import ForumError, NetworkError, ServerError
from termforum.models import (
    Group,
    Notification,
    Post,
    PostLimits,
    SearchHit,
    Site,
    Thread,
    Topic,
    TopicPage,
    User,
)
from termforum.priority import background
from termforum.unread import last_post_number

if TYPE_CHECKING:
    import httpx

    from termforum.drafts import Draft, DraftKey, DraftSession, DraftStore
    from termforum.netpolicy import RequestPolicy
    from termforum.outbox import SendOutcome
    from termforum.store import Cache, CacheScope

__all__ = [
    "ConnectionState",
    "ForumService",
    "Freshness",
    "Snapshot",
    "ThreadState",
]

T = TypeVar("T")

Connect = Callable[[Credentials], "tuple[Backend, httpx.AsyncClient | None]"]
"""Builds a forum's backend (and the HTTP client the service should close) for credentials."""

TIMINGS_SPAN = 200
"""At most this many post numbers (the last ones read) are reported per topic and batch."""
CACHE_READ_LIMIT = 60
"""Posts read from the cache when a thread opens (more than a screen of them, from a little
before where reading resumes); the reader asks for the rest as it scrolls."""
CACHE_READ_BEFORE = 10
POSTS_PER_REQUEST = 200
"""Posts asked for at once: the most Discourse answers in one ``/t/{id}/posts`` request."""
OFFLINE_MESSAGE = "termforum is offline (--offline): only what is cached can be shown."


@dataclass(frozen=True, slots=True)
class Freshness:
    """How long cached answers count as fresh (no request is sent for them)."""

    site: timedelta = timedelta(hours=12)
    groups: timedelta = timedelta(hours=1)
    topics: timedelta = timedelta(minutes=3)
    thread: timedelta = timedelta(minutes=5)
    user: timedelta = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Snapshot(Generic[T]):
    """An answer from the cache: the value, when it was fetched, and whether it is fresh."""

    value: T
    fetched_at: datetime
    fresh: bool

    def age(self, now: datetime | None = None) -> timedelta:
        """How old the answer is."""
        return (now or datetime.now(UTC)) - self.fetched_at


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
    fetched_at: datetime | None = None
    """When the stream was fetched, for a thread shown from the cache (None: just now)."""
    last_read: int | None = None
    """The last post number read before this visit (posts after it are new)."""

    @property
    def from_cache(self) -> bool:
        """Whether the stream came from the cache rather than the forum just now."""
        return self.fetched_at is not None


class ForumService:
    """Cache-aware access to one forum.

    Args:
        name: The forum's name (a ``[forums.NAME]`` table, or a host for ``--forum URL``).
        url: The forum's base URL.
        backend: The backend that talks to it; or
        connect: a function that builds it (and its HTTP client) when the first request is
            made, so that nothing of the HTTP stack loads before the first screen.
        drafts: Where drafts are kept (default: the draft folder).
        credentials: What the backend was built with (who we post as).
        http: The HTTP client the backend uses, when the service should close it.
        cache: The local cache (None: memory only); the service reads and writes only the
            part of it that belongs to the account it speaks as.
        cache_key: The address the cache files this forum under (default ``url``; the demo,
            whose address changes at every start, uses a fixed name).
        freshness: How long cached answers are fresh.
        offline: Never use the network (``--offline``): serve the cache only.
        policy: The request policy of ``http`` (retries, pauses, budget), shown by the UI.
    """

    def __init__(
        self,
        name: str,
        url: str,
        backend: Backend | None = None,
        *,
        connect: Connect | None = None,
        drafts: DraftStore | None = None,
        credentials: Credentials | None = None,
        http: httpx.AsyncClient | None = None,
        cache: Cache | None = None,
        cache_key: str | None = None,
        freshness: Freshness | None = None,
        offline: bool = False,
        policy: RequestPolicy | None = None,
    ) -> None:
        self.name = name
        self.policy = policy
        """Retries, 429 pauses and the request budget (None: requests go out unpaced)."""
        self.url = url
        if backend is None and connect is None:
            raise TypeError("ForumService needs a backend or a way to connect")
        self._backend = backend
        self._connect = connect
        self.state = ConnectionState.CONNECTING
        self._threads: dict[str, ThreadState] = {}
        self._groups: list[Group] | None = None
        self._seen_topics: dict[str, Topic] = {}
        self._read_here: dict[str, int] = {}
        """Topic id → last post number read in this session (the cache keeps it too)."""
        self._read_sent: dict[str, int] = {}
        """What of ``_read_here`` the forum was told (used when there is no cache)."""
        self._users: dict[str, Snapshot[User]] = {}
        self._drafts = drafts
        self.limits = PostLimits()
        """The forum's length rules for posts (defaults until the forum says otherwise)."""
        self._limits_loaded = False
        self._http = http
        self._cache = cache
        self._cache_key = cache_key or url
        self.cache: CacheScope | None = None
        """This account's part of the local cache (None: memory only)."""
        self.freshness = freshness or Freshness()
        self.offline = offline
        """True with ``--offline``: no request is ever sent."""
        self.searched_offline = False
        """Whether the last search could only look in the cache."""
        if offline:
            self.state = ConnectionState.OFFLINE
        self.credentials: Credentials = credentials if credentials is not None else ANONYMOUS
        """What the backend signs requests with (set at start, changed by a login)."""
        self.username: str | None = self.credentials.username if self.logged_in else None
        """Who we post as (``None`` when reading anonymously)."""
        self._rescope()

    def _rescope(self) -> None:
        """Use the cache of the account we speak as now: nothing cached for one account is
        shown to another."""
        if self._cache is not None:
            self.cache = self._cache.scope(self._cache_key, self.username)

    @property
    def drafts(self) -> DraftStore:
        """Where drafts are kept (files, never the cache); opened when first needed."""
        if self._drafts is None:
            from termforum.drafts import DraftStore

            self._drafts = DraftStore()
        return self._drafts

    @property
    def backend(self) -> Backend:
        """The forum's API client. With ``connect`` it is built on first use: start-up paints
        the first screen from the cache before the HTTP stack is even imported."""
        if self._backend is None:
            assert self._connect is not None
            self._backend, http = self._connect(self.credentials)
            self._http = self._http or http
        return self._backend

    @property
    def connected(self) -> bool:
        """Whether the backend (and its HTTP client) has been built yet."""
        return self._backend is not None

    def use_credentials(self, credentials: Credentials | None) -> None:
        """Speak as ``credentials`` from now on (after a login or a logout)."""
        self.credentials = credentials if credentials is not None else ANONYMOUS
        if self._backend is not None:  # else ``connect`` is given them when it runs
            self._backend.set_credentials(self.credentials)
        previous = self.username
        self.username = self.credentials.username if self.logged_in else None
        if self.username != previous:
            # What was loaded belongs to the other account.
            self._threads.clear()
            self._groups = None
            self._seen_topics.clear()
            self._read_here.clear()
            self._read_sent.clear()
            self._users.clear()
        self._rescope()

    @property
    def logged_in(self) -> bool:
        """True when requests carry a user's credentials (views like ``new`` need them)."""
        if self._backend is None:
            return self.credentials.logged_in
        return bool(getattr(self._backend, "logged_in", False))

    @property
    def capabilities(self) -> frozenset[str]:
        """What the backend can do; the UI hides actions it lacks."""
        return self.backend.capabilities

    async def _call(self, coro):  # type: ignore[no-untyped-def]
        """Await a backend call, keeping the connection state up to date."""
        if self.offline:
            coro.close()
            raise NetworkError(OFFLINE_MESSAGE)
        try:
            result = await coro
        except NetworkError:
            self.state = ConnectionState.OFFLINE
            raise
        except ServerError:
            raise
        except ForumError:
            # The forum itself answered (a refusal, a 404, a rate limit): it is reachable.
            self.state = ConnectionState.ONLINE
            raise
        self.state = ConnectionState.ONLINE
        return result

    # ------------------------------------------------------------------ the cache

    def _snapshot(self, cached: object, fresh_for: timedelta) -> Snapshot | None:  # type: ignore[type-arg]
        if cached is None:
            return None
        fetched_at = cached.fetched_at  # type: ignore[attr-defined]
        fresh = datetime.now(UTC) - fetched_at < fresh_for
        return Snapshot(cached.value, fetched_at, fresh)  # type: ignore[attr-defined]

    def cached_site(self) -> Snapshot[Site] | None:
        """The forum's title from the cache, at once (None: never seen)."""
        return self._snapshot(self.cache.site(), self.freshness.site) if self.cache else None

    def cached_groups(self) -> Snapshot[list[Group]] | None:
        """The groups from the cache, at once (None: never listed)."""
        if self.cache is None:
            return None
        snapshot = self._snapshot(self.cache.groups(), self.freshness.groups)
        if snapshot is not None and self._groups is None:
            self._groups = list(snapshot.value)
        return snapshot

    def cached_topics(
        self,
        group_id: str | None = None,
        *,
        view: str = "latest",
        page: int = 0,
        period: str | None = None,
        tag: str | None = None,
    ) -> Snapshot[TopicPage] | None:
        """A topic-list page from the cache, at once (None: never listed)."""
        if self.cache is None:
            return None
        cached = self.cache.topic_page(group_id, view, page, period=period, tag=tag)
        snapshot = self._snapshot(cached, self.freshness.topics)
        if snapshot is not None:
            self._seen_topics.update((topic.id, topic) for topic in snapshot.value.topics)
        return snapshot

    def known_tags(self) -> list[str]:
        """Tags of the topics listed so far, the most used first (for the tag filter)."""
        counts: dict[str, int] = {}
        for topic in self._seen_topics.values():
            for tag in topic.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts, key=lambda tag: (-counts[tag], tag.casefold()))

    def last_read(self, topic_ids: Sequence[str]) -> dict[str, int]:
        """The last post number read here, for each of ``topic_ids`` that has one."""
        found = self.cache.last_read_many(topic_ids) if self.cache else {}
        for topic_id in topic_ids:
            number = self._read_here.get(topic_id)
            if number is not None:
                found[topic_id] = max(found.get(topic_id, 0), number)
        return found

    def mark_read(self, topic_id: str, post_number: int) -> None:
        """Remember that posts up to ``post_number`` of a topic were read (sent to the
        forum later, in batches, by :meth:`send_read_state`; kept in memory too, so that
        it holds for the session without a cache)."""
        if post_number <= 0:
            return
        self._read_here[topic_id] = max(self._read_here.get(topic_id, 0), post_number)
        if self.cache is not None:
            self.cache.mark_read(topic_id, post_number)

    def mark_topic_read(self, topic: Topic) -> None:
        """Count every post of ``topic`` as read (here at once; the forum is told with the
        next batch of read state)."""
        self.mark_read(topic.id, last_post_number(topic))

    async def mark_group_read(self, group_id: str | None) -> list[Topic]:
        """Count every topic of a group and its subgroups (``None``: of the whole forum) as
        read: the topics known here at once, and, logged in, every one on the forum too
        (Discourse's "Dismiss"). Returns the topics known here, now read."""
        groups = {group_id} if group_id is not None else None
        if group_id is not None:
            groups = _with_subgroups(group_id, self.cached_groups())
        topics = [
            topic
            for topic in self._seen_topics.values()
            if groups is None or topic.group_id in groups
        ]
        for topic in topics:
            self.mark_topic_read(topic)
        if self.logged_in and not self.offline:
            await self._call(self.backend.dismiss(group_id))
        return topics

    async def send_read_state(self, *, limit: int = 20) -> int:
        """Tell the forum what was read here (``/topics/timings``); topics sent."""
        if not self.logged_in or self.offline:
            return 0
        if self.cache is not None:
            pending = self.cache.pending_timings(limit)
        else:
            pending = [
                (topic_id, number)
                for topic_id, number in self._read_here.items()
                if number > self._read_sent.get(topic_id, 0)
            ][:limit]
        sent: list[tuple[str, int]] = []
        for topic_id, number in pending:
            numbers = range(max(1, number - TIMINGS_SPAN + 1), number + 1)
            try:
                with background():
                    await self._call(self.backend.send_timings(topic_id, list(numbers)))
            except NetworkError:
                break
            except ForumError:
                pass  # a deleted topic, a refusal: do not try it forever
            sent.append((topic_id, number))
        if self.cache is not None:
            self.cache.timings_sent(sent)
        else:
            self._read_sent.update(sent)
        return len(sent)

    # ------------------------------------------------------------------ reading

    async def site(self) -> Site:
        """The forum's title and description."""
        site: Site = await self._call(self.backend.site())
        if self.cache is not None:
            self.cache.put_site(site)
        return site

    async def probe(self) -> bool:
        """Whether the forum answers now (used to reconnect after being offline)."""
        try:
            with background():
                await self.site()
        except NetworkError:
            return False
        except ForumError:
            return self.state is ConnectionState.ONLINE
        return True

    async def groups(self, *, refresh: bool = False) -> list[Group]:
        """All groups, parents followed by their subgroups."""
        if self._groups is None or refresh:
            groups = await self._call(self.backend.groups())
            self._groups = list(groups)
            if self.cache is not None:
                self.cache.put_groups(groups)
        return self._groups

    async def set_group_level(self, group: Group, level: str) -> Group:
        """Set the reader's notification level of ``group`` on the forum (one request, never
        retried) and in the cached group list; returns the group as it is now.

        The forum decides what else changes (muting a parent mutes its subgroups that have
        no level of their own, and the lists of all groups leave out muted groups), so the
        cached lists of all groups are dropped and the caller reloads what it shows.
        """
        await self._call(self.backend.set_group_notification_level(group.id, level))
        updated = replace(group, notification_level=level)
        if self._groups is not None:
            self._groups = [updated if g.id == group.id else g for g in self._groups]
            if self.cache is not None:
                self.cache.put_groups(self._groups)
        if self.cache is not None:
            self.cache.forget_topic_pages([None, group.id, group.parent_id])
        return updated

    async def topics(
        self,
        group_id: str | None = None,
        *,
        view: str = "latest",
        page: int = 0,
        period: str | None = None,
        tag: str | None = None,
    ) -> TopicPage:
        """One page of a topic list, from the forum (and kept in the cache); ``period``
        for ``top``, ``tag`` to list only the topics with that tag."""
        filters: dict[str, str] = {}
        if period is not None and view == "top":
            filters["period"] = period
        if tag:
            filters["tag"] = tag
        coro = self.backend.topics(group_id, view=view, page=page, **filters)
        result: TopicPage = await self._call(coro)
        self._seen_topics.update((topic.id, topic) for topic in result.topics)
        if self.cache is not None:
            self.cache.put_topic_page(group_id, view, page, result, period=period, tag=tag)
        return result

    async def load_limits(self) -> PostLimits:
        """Ask the forum for its length rules once (kept in ``limits``)."""
        limits = getattr(self.backend, "limits", None)
        if limits is not None and not self._limits_loaded:
            self.limits = await self._call(limits())
            self._limits_loaded = True
        return self.limits

    async def open_thread(self, topic_id: str, *, refresh: bool = False) -> ThreadState:
        """The thread with the posts loaded so far.

        From memory when already open; from the cache when it is fresh there (no request);
        else from the forum (kept in the cache). When the forum cannot be reached a cached
        thread of any age is returned (``ThreadState.from_cache``); without one the
        ``NetworkError`` is raised.
        """
        known = self._threads.get(topic_id)
        if known is not None and not refresh:
            return known
        cached = self.cache.thread(topic_id) if self.cache is not None else None
        read_here = self.last_read([topic_id]).get(topic_id)

        def last_read(thread: Thread) -> int | None:
            # Where reading resumes: the furthest of here and the forum (read elsewhere),
            # fixed for the session so that "new since your last visit" stays put.
            if known is not None:
                return known.last_read
            return _furthest(read_here, thread.topic.last_read_post_number)

        fresh = cached is not None and datetime.now(UTC) - cached.fetched_at < self.freshness.thread
        if cached is not None and fresh and not refresh:
            state = self._from_cache(cached.value, cached.fetched_at, last_read(cached.value))
        else:
            try:
                thread = await self._call(self.backend.thread(topic_id))
            except NetworkError:
                if cached is None:
                    raise
                state = self._from_cache(cached.value, cached.fetched_at, last_read(cached.value))
            else:
                state = ThreadState(
                    thread, {post.id: post for post in thread.posts}, last_read=last_read(thread)
                )
                if self.cache is not None:
                    self.cache.put_thread(thread)
                    self.cache.put_posts(thread.posts)
                    missing = [pid for pid in thread.post_ids if pid not in state.posts]
                    state.posts.update(self.cache.posts(topic_id, missing[:CACHE_READ_LIMIT]))
        if known is not None:
            # Keep posts already loaded that the new stream still contains.
            for pid in state.thread.post_ids:
                if pid not in state.posts and pid in known.posts:
                    state.posts[pid] = known.posts[pid]
        self._threads[topic_id] = state
        self._seen_topics[topic_id] = state.thread.topic
        return state

    def _from_cache(
        self, thread: Thread, fetched_at: datetime, last_read: int | None
    ) -> ThreadState:
        """The cached thread with the cached posts where reading resumes (post numbers follow
        the stream closely); the reader asks for the others as they come into view."""
        assert self.cache is not None
        ids = thread.post_ids
        first = max(0, min((last_read or 0) - CACHE_READ_BEFORE, len(ids) - CACHE_READ_LIMIT))
        posts = self.cache.posts(thread.topic.id, ids[first : first + CACHE_READ_LIMIT])
        return ThreadState(thread, dict(posts), fetched_at=fetched_at, last_read=last_read)

    async def load_posts(self, topic_id: str, post_ids: Sequence[str]) -> list[Post]:
        """Load the given posts of an open thread (those not loaded yet) and return them:
        from the cache first, the rest from the forum. Offline, what the cache has is
        returned, and ``NetworkError`` only when it has none of them."""
        state = self._threads.get(topic_id)
        wanted = [pid for pid in post_ids if state is None or pid not in state.posts]
        if not wanted:
            return []
        found: list[Post] = []
        if self.cache is not None:
            cached = self.cache.posts(topic_id, wanted)
            found = [cached[pid] for pid in wanted if pid in cached]
            wanted = [pid for pid in wanted if pid not in cached]
        if wanted and state is not None:
            # Ask for a whole batch; the cache already has some of the neighbours.
            have = {post.id for post in found}
            wider = [pid for pid in _widen(state, wanted) if pid not in have]
            uncached = set(self.cache.missing_posts(topic_id, wider)) if self.cache else None
            wanted = [pid for pid in wider if uncached is None or pid in uncached]
            if self.cache is not None:
                extra = self.cache.posts(topic_id, [p for p in wider if p not in set(wanted)])
                found.extend(extra.values())
        if wanted:
            try:
                fetched = await self._call(self.backend.posts(topic_id, wanted))
            except NetworkError:
                if not found:
                    raise
                fetched = []
            if self.cache is not None:
                self.cache.put_posts(fetched)
            found.extend(fetched)
        if state is not None:
            for post in found:
                state.posts[post.id] = post
            state.thread = replace(state.thread, posts=tuple(state.posts.values()))
        return found

    async def search(self, query: str, *, page: int = 0) -> list[SearchHit]:
        """Full-text search: the forum's results, then matches in the local cache that the
        forum did not list. When the forum cannot be reached, the cache's alone
        (``searched_offline`` is then True)."""
        local = self.cache.search(query, limit=20) if self.cache is not None and page == 0 else []
        self.searched_offline = False
        try:
            hits: list[SearchHit] = list(await self._call(self.backend.search(query, page=page)))
        except NetworkError:
            if self.cache is None:
                raise
            self.searched_offline = True
            return local
        seen = {(hit.topic.id, hit.post_number) for hit in hits}
        topics = {hit.topic.id for hit in hits}
        hits.extend(
            hit
            for hit in local
            if (hit.topic.id, hit.post_number) not in seen and hit.topic.id not in topics
        )
        return hits

    # ------------------------------------------------------------------ writing

    async def raw(self, post: Post) -> str:
        """The Markdown source of ``post`` (for quoting and editing)."""
        if post.raw is not None:
            return post.raw
        return await self._call(self.backend.raw(post.id))

    async def similar_topics(self, title: str, body: str = "") -> list[Topic]:
        """Topics that may already answer a new one: the forum's suggestions first, then
        matching topics from the local cache."""
        found: list[Topic] = []
        if "similar" in self.capabilities:
            try:
                found = list(await self._call(self.backend.similar_topics(title, body)))
            except NetworkError:
                found = []
        known = {topic.id for topic in found}
        found.extend(t for t in self.local_matches(title) if t.id not in known)
        return found[:8]

    def local_matches(self, title: str, *, limit: int = 5) -> list[Topic]:
        """Topics in the local cache (or, without one, listed in this session) whose titles
        share words with ``title``."""
        if self.cache is not None:
            return self.cache.similar_topics(title, limit=limit)
        words = {w for w in _words(title) if len(w) > 3}
        if not words:
            return []
        scored = []
        for topic in self._seen_topics.values():
            overlap = len(words & set(_words(topic.title)))
            if overlap >= max(2, len(words) // 3):
                scored.append((overlap, topic))
        scored.sort(key=lambda pair: -pair[0])
        return [topic for _, topic in scored[:limit]]

    async def toggle_like(self, post: Post) -> Post:
        """Like ``post`` or take the like back; returns the post as it is now."""
        call = self.backend.unlike if post.liked else self.backend.like
        updated = await self._call(call(post.id))
        if updated is None:
            count = post.like_count + (-1 if post.liked else 1)
            updated = replace(post, liked=not post.liked, like_count=max(0, count))
        self._remember_post(updated)
        return updated

    async def toggle_bookmark(self, post: Post) -> Post:
        """Bookmark ``post`` or remove its bookmark; returns the post as it is now."""
        if post.bookmarked and post.bookmark_id:
            await self._call(self.backend.remove_bookmark(post.bookmark_id))
            updated = replace(post, bookmarked=False, bookmark_id=None)
        else:
            bookmark_id = await self._call(self.backend.bookmark(post.id))
            updated = replace(post, bookmarked=True, bookmark_id=bookmark_id)
        self._remember_post(updated)
        return updated

    async def user(self, username: str, *, refresh: bool = False) -> Snapshot[User]:
        """A member's card (profile, standing, top topics), with when it was fetched.

        Asked once per ``freshness.user`` (two requests on Discourse) and kept in memory
        and the cache; when the forum cannot be reached, the cached card is given instead
        (``fresh`` False). Raises ``NotFound`` for no such member.
        """
        key = username.casefold()
        now = datetime.now(UTC)
        known = self._users.get(key)
        if known is not None and not refresh and now - known.fetched_at < self.freshness.user:
            return known
        try:
            user: User = await self._call(self.backend.user(username))
        except NetworkError:
            cached = self.cache.user_snapshot(username) if self.cache is not None else None
            if cached is None:
                raise
            return Snapshot(cached.value, cached.fetched_at, False)
        snapshot = Snapshot(user, now, True)
        self._users[key] = snapshot
        if self.cache is not None:
            self.cache.put_user(user)
        return snapshot

    async def notifications(self) -> list[Notification]:
        """The logged-in user's latest notifications, newest first (one request)."""
        return await self._call(self.backend.notifications())

    async def mark_notification_read(self, notification: Notification | None = None) -> None:
        """Tell the forum ``notification`` (or every one, when None) has been seen."""
        await self._call(
            self.backend.mark_notifications_read(notification.id if notification else None)
        )

    def _remember_post(self, post: Post) -> None:
        state = self._threads.get(post.topic_id)
        if state is None:
            return
        if post.id not in state.thread.post_ids:
            state.thread = replace(state.thread, post_ids=(*state.thread.post_ids, post.id))
        state.posts[post.id] = post

    # ------------------------------------------------------------------- drafts

    def draft_key(
        self,
        kind: str,
        *,
        topic_id: str | None = None,
        reply_to: int | None = None,
        post_id: str | None = None,
        group_id: str | None = None,
    ) -> DraftKey:
        """The key of the draft for this forum and target."""
        from termforum.drafts import DraftKey

        return DraftKey(self.name, kind, topic_id, reply_to, post_id, group_id)  # type: ignore[arg-type]

    def open_draft(self, key: DraftKey) -> tuple[DraftSession | None, Draft | None, bool]:
        """Open the draft ``key`` for writing: ``(session, saved draft, read_only)``.

        When another termforum holds it, the draft opens read-only (no session)."""
        from termforum.drafts import DraftLocked

        try:
            session = self.drafts.open(key)
        except DraftLocked:
            return None, self.drafts.load(key), True
        return session, session.draft, False

    def make_draft(
        self,
        key: DraftKey,
        *,
        body: str,
        title: str = "",
        tags: tuple[str, ...] = (),
        topic_title: str | None = None,
    ) -> Draft:
        """A draft of what is on screen."""
        from termforum.drafts import Draft

        return Draft(key, title=title, body=body, tags=tags, topic_title=topic_title)

    def save_draft(self, session: DraftSession | None, draft: Draft) -> None:
        """Save ``draft`` now (atomic write). A draft whose last send is unconfirmed stays so,
        so that the next send checks the forum first."""
        if session is None:
            return
        if session.draft is not None and session.draft.status == "unconfirmed":
            draft = replace(draft, status="unconfirmed", note=session.draft.note)
        session.save(draft)

    def close_draft(self, session: DraftSession | None) -> None:
        """Release the draft's lock (its text is already saved)."""
        if session is not None:
            session.close()

    def drafts_list(self) -> list[Draft]:
        """This forum's unsent drafts, newest first."""
        return self.drafts.all(self.name)

    def discard_draft(self, draft: Draft) -> None:
        """Delete a draft the user no longer wants."""
        self.drafts.delete(draft.key)

    async def send(
        self, session: DraftSession | None, draft: Draft, *, group_id: str | None = None
    ) -> SendOutcome:
        """Send ``draft`` once. The draft is saved first and deleted only when the forum has
        the text; on any failure it stays, with the reason in its note."""
        from termforum.outbox import OutgoingPost, send_post

        key = draft.key
        unconfirmed = (
            session is not None
            and session.draft is not None
            and (session.draft.status == "unconfirmed")
        )
        if session is not None:
            session.save(replace(draft, status="sending"))
        item = OutgoingPost(
            kind=key.kind,
            body=draft.body,
            topic_id=key.topic_id,
            reply_to=key.reply_to,
            post_id=key.post_id,
            group_id=group_id or key.group_id,
            title=draft.title,
            tags=draft.tags,
            unconfirmed=unconfirmed,
        )
        outcome = await send_post(self.backend, item, self.username)
        if outcome.post is not None:
            self._remember_post(outcome.post)
        if session is not None:
            if outcome.done:
                session.delete()
            else:
                status = "unconfirmed" if outcome.status == "unconfirmed" else "failed"
                session.save(replace(draft, status=status, note=outcome.message))
        return outcome

    async def aclose(self) -> None:
        """Close the backend, and the HTTP client handed to the service (if any)."""
        if self._backend is not None:
            await self._backend.aclose()
        if self._http is not None:
            await self._http.aclose()


def _with_subgroups(group_id: str, groups: Snapshot[list[Group]] | None) -> set[str]:
    """``group_id`` and the ids of the groups under it, at any depth (as far as the cached
    group list tells)."""
    children: dict[str, list[str]] = {}
    for group in groups.value if groups is not None else ():
        if group.parent_id is not None:
            children.setdefault(group.parent_id, []).append(group.id)
    found, pending = {group_id}, [group_id]
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return found


def _furthest(*numbers: int | None) -> int | None:
    """The highest of the post numbers given, or None when none is known."""
    return max((number for number in numbers if number), default=None)


def _widen(state: ThreadState, wanted: list[str]) -> list[str]:
    """``wanted`` grown to a whole batch with the next (then the previous) posts of the
    stream that are not loaded: a request costs the same for 20 posts as for 200, and the
    forum allows only so many requests a minute."""
    ids = state.thread.post_ids
    chosen = dict.fromkeys(wanted)
    positions = {pid: index for index, pid in enumerate(ids)}
    indexes = [positions[pid] for pid in wanted if pid in positions]
    if not indexes:
        return wanted
    after = max(indexes) + 1
    while len(chosen) < POSTS_PER_REQUEST and after < len(ids):
        if ids[after] not in state.posts:
            chosen.setdefault(ids[after])
        after += 1
    before = min(indexes) - 1
    while len(chosen) < POSTS_PER_REQUEST and before >= 0:
        if ids[before] not in state.posts:
            chosen.setdefault(ids[before])
        before -= 1
    return list(chosen)


def _words(text: str) -> list[str]:
    return "".join(c.lower() if c.isalnum() else " " for c in text).split()

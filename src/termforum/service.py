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
from typing import TYPE_CHECKING

from termforum.auth import ANONYMOUS, Credentials
from termforum.backends import Backend
from termforum.drafts import Draft, DraftKey, DraftLocked, DraftSession, DraftStore
from termforum.errors import ForumError, NetworkError, ServerError
from termforum.models import Group, Post, PostLimits, SearchHit, Site, Thread, Topic, TopicPage
from termforum.outbox import OutgoingPost, SendOutcome, send_post

if TYPE_CHECKING:
    import httpx

__all__ = ["ConnectionState", "ForumService", "SendOutcome", "ThreadState"]


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


class ForumService:
    """Cache-aware access to one forum.

    Args:
        name: The forum's name (a ``[forums.NAME]`` table, or a host for ``--forum URL``).
        url: The forum's base URL.
        backend: The backend that talks to it.
        drafts: Where drafts are kept (default: the draft folder).
        credentials: What the backend was built with (who we post as).
        http: The HTTP client the backend uses, when the service should close it.
    """

    def __init__(
        self,
        name: str,
        url: str,
        backend: Backend,
        *,
        drafts: DraftStore | None = None,
        credentials: Credentials | None = None,
        http: httpx.AsyncClient | None = None,
    ) -> None:
        self.name = name
        self.url = url
        self.backend = backend
        self.state = ConnectionState.CONNECTING
        self._threads: dict[str, ThreadState] = {}
        self._groups: list[Group] | None = None
        self._seen_topics: dict[str, Topic] = {}
        self.drafts = drafts if drafts is not None else DraftStore()
        """Where drafts are kept (files, never the cache)."""
        self.limits = PostLimits()
        """The forum's length rules for posts (defaults until the forum says otherwise)."""
        self._limits_loaded = False
        self._http = http
        self.credentials: Credentials = credentials if credentials is not None else ANONYMOUS
        """What the backend signs requests with (set at start, changed by a login)."""
        self.username: str | None = self.credentials.username if self.logged_in else None
        """Who we post as (``None`` when reading anonymously)."""

    def use_credentials(self, credentials: Credentials | None) -> None:
        """Speak as ``credentials`` from now on (after a login or a logout)."""
        self.credentials = credentials if credentials is not None else ANONYMOUS
        self.backend.set_credentials(self.credentials)
        self.username = self.credentials.username if self.logged_in else None

    @property
    def logged_in(self) -> bool:
        """True when requests carry a user's credentials (views like ``new`` need them)."""
        return bool(getattr(self.backend, "logged_in", False))

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
        except ServerError:
            raise
        except ForumError:
            # The forum itself answered (a refusal, a 404, a rate limit): it is reachable.
            self.state = ConnectionState.ONLINE
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
        result: TopicPage = await self._call(self.backend.topics(group_id, view=view, page=page))
        self._seen_topics.update((topic.id, topic) for topic in result.topics)
        return result

    async def load_limits(self) -> PostLimits:
        """Ask the forum for its length rules once (kept in ``limits``)."""
        limits = getattr(self.backend, "limits", None)
        if limits is not None and not self._limits_loaded:
            self.limits = await self._call(limits())
            self._limits_loaded = True
        return self.limits

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

    # ------------------------------------------------------------------ writing

    async def raw(self, post: Post) -> str:
        """The Markdown source of ``post`` (for quoting and editing)."""
        if post.raw is not None:
            return post.raw
        return await self._call(self.backend.raw(post.id))

    async def similar_topics(self, title: str, body: str = "") -> list[Topic]:
        """Topics that may already answer a new one: the forum's suggestions first, then
        matching topics seen in this session's lists."""
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
        """Topics already listed in this session whose titles share words with ``title``."""
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
        return DraftKey(self.name, kind, topic_id, reply_to, post_id, group_id)  # type: ignore[arg-type]

    def open_draft(self, key: DraftKey) -> tuple[DraftSession | None, Draft | None, bool]:
        """Open the draft ``key`` for writing: ``(session, saved draft, read_only)``.

        When another termforum holds it, the draft opens read-only (no session)."""
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
        await self.backend.aclose()
        if self._http is not None:
            await self._http.aclose()


def _words(text: str) -> list[str]:
    return "".join(c.lower() if c.isalnum() else " " for c in text).split()

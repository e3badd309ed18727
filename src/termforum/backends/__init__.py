"""Forum backends: the ``Backend`` protocol and a registry of implementations.

A backend turns one forum API into the models of ``termforum.models`` and raises only
``termforum.errors.ForumError`` subclasses. Backends never import Textual.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Protocol, runtime_checkable

from termforum.errors import ConfigError
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

if TYPE_CHECKING:
    import httpx

    from termforum.auth import Credentials

__all__ = ["BACKEND_KINDS", "CAPABILITIES", "Backend", "create_backend"]

BACKEND_KINDS: tuple[str, ...] = ("discourse",)
"""The backend kinds a config file may name."""

CAPABILITIES: dict[str, str] = {
    "search": "full-text search (``search``)",
    "write": "replying and starting topics (``reply``, ``create_topic``, ``my_recent_posts``)",
    "edit": "editing one's own posts (``edit_post``, ``raw``)",
    "like": "liking posts and taking likes back (``like``, ``unlike``)",
    "bookmark": "bookmarking posts (``bookmark``, ``remove_bookmark``)",
    "similar": "similar topics while composing a new one (``similar_topics``)",
    "group_levels": "the reader's notification level per group (``set_group_notification_level``)",
    "users": "members' cards: profile, standing and top topics (``user``)",
}
"""Every capability name a backend may list, and what it allows. Write capabilities are only
listed when the backend has logged-in credentials; the UI hides what is absent."""


@runtime_checkable
class Backend(Protocol):
    """What termforum needs from a forum API (contract: see ``docs/design.md``).

    Writes (``reply``, ``create_topic``, ``edit_post``, ``like``, ``unlike``, ``bookmark``,
    ``remove_bookmark``, ``set_group_notification_level``) are sent once and never retried.
    A failure after the request may have reached the forum is ``NetworkError`` with
    ``sent=True``; a post held for moderation raises ``PostQueued``; a refusal with the
    forum's reasons is ``Rejected``.
    """

    kind: ClassVar[str]
    capabilities: frozenset[str]

    async def site(self) -> Site: ...
    async def groups(self) -> list[Group]: ...
    async def set_group_notification_level(self, group_id: str, level: str) -> None: ...
    async def topics(
        self,
        group_id: str | None = None,
        *,
        view: str = "latest",
        page: int = 0,
        period: str | None = None,
        tag: str | None = None,
    ) -> TopicPage: ...
    async def thread(self, topic_id: str) -> Thread: ...
    async def posts(
        self, topic_id: str, post_ids: Sequence[str], *, include_raw: bool = False
    ) -> list[Post]: ...
    async def search(self, query: str, *, page: int = 0) -> list[SearchHit]: ...
    async def similar_topics(self, title: str, body: str = "") -> list[Topic]: ...
    async def limits(self) -> PostLimits: ...
    async def reply(self, topic_id: str, body: str, *, reply_to: int | None = None) -> Post: ...
    async def create_topic(
        self, group_id: str, title: str, body: str, *, tags: Sequence[str] = ()
    ) -> Topic: ...
    async def edit_post(self, post_id: str, body: str) -> Post: ...
    async def raw(self, post_id: str) -> str: ...
    async def like(self, post_id: str) -> Post | None: ...
    async def unlike(self, post_id: str) -> Post | None: ...
    async def bookmark(self, post_id: str) -> str: ...
    async def remove_bookmark(self, bookmark_id: str) -> None: ...
    async def my_recent_posts(self, topic_id: str, *, limit: int = 20) -> list[Post]: ...
    async def send_timings(
        self, topic_id: str, post_numbers: Sequence[int], *, ms_per_post: int = 2000
    ) -> None: ...
    async def notifications(self) -> list[Notification]: ...
    async def mark_notifications_read(self, notification_id: str | None = None) -> None: ...
    async def dismiss(self, group_id: str | None = None) -> None: ...
    async def me(self) -> User | None: ...
    async def user(self, username: str) -> User: ...
    async def revoke_key(self) -> None: ...
    def set_credentials(self, credentials: Credentials | None) -> None: ...
    async def aclose(self) -> None: ...


def create_backend(
    kind: str,
    base_url: str,
    *,
    http: httpx.AsyncClient | None = None,
    credentials: Credentials | None = None,
) -> Backend:
    """Build the backend named ``kind`` for the forum at ``base_url``."""
    if kind == "discourse":
        from termforum.backends.discourse import DiscourseBackend

        return DiscourseBackend(base_url, http=http, credentials=credentials)
    raise ConfigError(
        f"Unknown forum backend {kind!r}; termforum knows: {', '.join(BACKEND_KINDS)}."
    )

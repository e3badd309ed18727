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
    SearchHit,
    Site,
    Thread,
    Topic,
    TopicPage,
    User,
)

if TYPE_CHECKING:
    import httpx

__all__ = ["BACKEND_KINDS", "Backend", "create_backend"]

BACKEND_KINDS: tuple[str, ...] = ("discourse",)
"""The backend kinds a config file may name."""


@runtime_checkable
class Backend(Protocol):
    """What termforum needs from a forum API (contract: see ``docs/design.md``)."""

    kind: ClassVar[str]
    capabilities: frozenset[str]

    async def site(self) -> Site: ...
    async def groups(self) -> list[Group]: ...
    async def topics(
        self,
        group_id: str | None = None,
        *,
        view: str = "latest",
        page: int = 0,
        period: str | None = None,
    ) -> TopicPage: ...
    async def thread(self, topic_id: str) -> Thread: ...
    async def posts(self, topic_id: str, post_ids: Sequence[str]) -> list[Post]: ...
    async def search(self, query: str, *, page: int = 0) -> list[SearchHit]: ...
    async def similar_topics(self, title: str, body: str = "") -> list[Topic]: ...
    async def reply(self, topic_id: str, body: str, *, reply_to: int | None = None) -> Post: ...
    async def create_topic(
        self, group_id: str, title: str, body: str, *, tags: Sequence[str] = ()
    ) -> Topic: ...
    async def edit_post(self, post_id: str, body: str) -> Post: ...
    async def like(self, post_id: str) -> None: ...
    async def notifications(self) -> list[Notification]: ...
    async def me(self) -> User | None: ...
    async def aclose(self) -> None: ...


def create_backend(kind: str, base_url: str, *, http: httpx.AsyncClient | None = None) -> Backend:
    """Build the backend named ``kind`` for the forum at ``base_url``."""
    if kind == "discourse":
        from termforum.backends.discourse import DiscourseBackend

        return DiscourseBackend(base_url, http=http)
    raise ConfigError(
        f"Unknown forum backend {kind!r}; termforum knows: {', '.join(BACKEND_KINDS)}."
    )

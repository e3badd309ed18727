"""The Discourse backend: read path (site, categories, topic lists, topics, posts, search).

Every method raises only ``termforum.errors.ForumError`` subclasses: transport failures come
from ``termforum.net.send``, HTTP statuses from ``_discourse_http``, and a body that does not
have the promised shape (a ``KeyError``/``TypeError``/``ValueError`` in ``_discourse_parse``)
becomes ``BadResponse``.

Writing (reply, new topic, edit, like), similar topics and notifications come later; those
methods raise ``Rejected`` and are absent from ``capabilities``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, ClassVar, TypeVar
from urllib.parse import quote

import httpx

from termforum.backends._discourse_http import clean_message, read_json
from termforum.backends._discourse_parse import (
    category_url_paths,
    parse_about,
    parse_category_list_groups,
    parse_current_user,
    parse_posts,
    parse_search,
    parse_site,
    parse_site_groups,
    parse_thread,
    parse_topic_list,
    search_error,
)
from termforum.errors import (
    AuthError,
    BadResponse,
    ConfigError,
    ForumError,
    NotFound,
    Rejected,
)
from termforum.models import (
    TOP_PERIODS,
    TOPIC_VIEWS,
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
from termforum.net import make_client, send

__all__ = ["POSTS_BATCH_SIZE", "DiscourseBackend"]

MEGA_STREAM_MAX_PAGES = 200
"""Most ``post_ids.json`` pages read to complete a mega topic's stream."""

POSTS_BATCH_SIZE = 200
"""Most post ids asked for in one ``GET /t/{id}/posts.json?post_ids[]=...`` request.

Discourse itself sets no cap: ``TopicsController#posts`` hands ``post_ids`` straight to
``TopicView#filter_posts_by_ids`` (``Post.where(id: post_ids, topic_id: ...)``), and the
``chunk_size`` of 20 only applies to paged loads. The real limit is the request line: nginx
refuses lines longer than 8 KiB (``large_client_header_buffers`` default) with 414. One id
costs at most 25 bytes (``post_ids%5B%5D=`` + up to 9 digits + ``&``), so 200 ids stay near
5 KB, with room to spare, while a 1,000-post topic still needs only 5 requests against the
User API key budget of 20 requests a minute.
"""

_T = TypeVar("_T")


def _scrub(error: ForumError, secrets: Iterable[str]) -> None:
    """Mask credential values a server may have echoed into its error message."""
    message = error.message
    for secret in secrets:
        if len(secret) >= 4 and secret in message:
            message = message.replace(secret, "[redacted]")
    if message != error.message:
        error.message = message
        error.args = (message,)


class DiscourseBackend:
    """A Discourse forum spoken to through its JSON API.

    ``http``: the client to use (tests inject one built by ``termforum.net.make_client`` on
    an ``httpx.MockTransport``). An injected client belongs to whoever made it and is *not*
    closed by ``aclose()``; without one the backend builds its own with ``make_client`` and
    closes it in ``aclose()``. Calling ``aclose()`` twice is safe either way.

    ``credentials``: anything with a ``headers()`` method (or a ``headers`` mapping) giving
    the headers that authenticate a request, e.g. ``{"User-Api-Key": ...}``; they are added to
    every request and never appear in messages. ``None`` reads anonymously.
    """

    kind: ClassVar[str] = "discourse"
    capabilities: frozenset[str] = frozenset({"search"})

    def __init__(
        self,
        base_url: str,
        *,
        http: httpx.AsyncClient | None = None,
        credentials: object | None = None,
    ) -> None:
        url = base_url.strip().rstrip("/")
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            raise ConfigError(f"The forum address {base_url!r} is not a valid URL.") from exc
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ConfigError(
                f"The forum address {base_url!r} must start with http:// or https:// "
                "and name a host."
            )
        self.base_url = url
        """The forum's address, without a trailing slash."""
        self._owns_http = http is None
        self._http = make_client(url) if http is None else http
        self._credentials = credentials
        self._category_paths: dict[str, str] = {}
        self._closed = False

    async def __aenter__(self) -> DiscourseBackend:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the HTTP client if this backend created it; safe to call more than once."""
        if self._closed:
            return
        self._closed = True
        if self._owns_http:
            await self._http.aclose()

    # --- plumbing -----------------------------------------------------------------------------

    def _auth_headers(self) -> dict[str, str] | None:
        source = getattr(self._credentials, "headers", None)
        headers = source() if callable(source) else source
        return dict(headers) if isinstance(headers, Mapping) else None

    async def _get(
        self, path: str, what: str, params: Sequence[tuple[str, str | int]] | None = None
    ) -> Any:
        """GET ``path`` (starting with ``/``) under the forum URL; the decoded JSON."""
        if self._closed:
            raise ForumError("This forum connection has been closed.")
        credentials = self._auth_headers()
        request = self._http.build_request(
            "GET", self.base_url + path, params=params, headers=credentials
        )
        response = await send(self._http, request)
        try:
            return read_json(response, what)
        except ForumError as error:
            if credentials:
                _scrub(error, credentials.values())
            raise

    @staticmethod
    def _parse(what: str, parse: Callable[..., _T], *args: Any) -> _T:
        """Run a parser; a body of the wrong shape becomes ``BadResponse``."""
        try:
            return parse(*args)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise BadResponse(
                f"The forum's answer for {what} is not in the expected form."
            ) from exc

    # --- site and groups ----------------------------------------------------------------------

    async def site(self) -> Site:
        """Title, description and ``login_required`` from ``/site/basic-info.json``.

        Servers older than that endpoint (before 2019) are asked ``/about.json`` instead.
        """
        what = "site information"
        try:
            data = await self._get("/site/basic-info.json", what)
        except NotFound:
            data = await self._get("/about.json", what)
            return self._parse(what, parse_about, data, self.base_url)
        return self._parse(what, parse_site, data, self.base_url)

    async def groups(self) -> list[Group]:
        """Categories and subcategories, flat, in display order (``parent_id`` on children).

        Read from ``/site.json``; when that lists no categories (sites that load them
        lazily), from ``/categories.json?include_subcategories=true``.
        """
        what = "category list"
        data = await self._get("/site.json", what)
        groups = self._parse(what, parse_site_groups, data)
        if groups is None:
            data = await self._get("/categories.json", what, [("include_subcategories", "true")])
            groups = self._parse(what, parse_category_list_groups, data)
        self._category_paths = category_url_paths(groups)
        return groups

    async def _category_path(self, group_id: str) -> str:
        """The ``slug/.../id`` URL path of a category (loads the categories once if needed)."""
        if group_id not in self._category_paths:
            await self.groups()
        return self._category_paths.get(group_id) or quote(group_id, safe="")

    # --- topics -------------------------------------------------------------------------------

    async def topics(
        self,
        group_id: str | None = None,
        *,
        view: str = "latest",
        page: int = 0,
        period: str | None = None,
    ) -> TopicPage:
        """One page (0-based) of a topic list, of the whole forum or of one category.

        ``view`` is one of ``termforum.models.TOPIC_VIEWS``. For ``top``, ``period`` is one
        of ``TOP_PERIODS``; when it is None the forum's own default applies (the site setting
        ``top_page_default_timeframe`` or the period Discourse picks for the user). ``period``
        is ignored by the other views. ``new`` and ``unread`` need a logged-in user.
        """
        if view not in TOPIC_VIEWS:
            raise ForumError(
                f"There is no topic list called {view!r}; choose one of {', '.join(TOPIC_VIEWS)}."
            )
        if page < 0:
            raise ForumError("Topic list pages are numbered from 0.")
        params: list[tuple[str, str | int]] = []
        if view == "top" and period is not None:
            if period not in TOP_PERIODS:
                raise ForumError(
                    f"There is no top period called {period!r}; choose one of "
                    f"{', '.join(TOP_PERIODS)}."
                )
            params.append(("period", period))
        if page:
            params.append(("page", page))
        if group_id is None:
            path, what = f"/{view}.json", f"{view} topic list"
        else:
            group_id = str(group_id)
            category = await self._category_path(group_id)
            path, what = f"/c/{category}/l/{view}.json", f"{view} topic list of category {group_id}"
        data = await self._get(path, what, params)
        return self._parse(what, parse_topic_list, data, page)

    async def thread(self, topic_id: str) -> Thread:
        """A topic with the ids of all its posts and the first chunk (up to 20) of posts."""
        what = f"topic {topic_id}"
        data = await self._get(f"/t/{quote(str(topic_id), safe='')}.json", what)
        thread = self._parse(what, parse_thread, data)
        stream = data.get("post_stream") if isinstance(data, dict) else None
        if isinstance(stream, dict) and stream.get("stream") is None and thread.posts:
            thread = await self._complete_mega_stream(thread)
        return thread

    async def _complete_mega_stream(self, thread: Thread) -> Thread:
        """Fill in the ids of a "mega topic" (10,000+ posts), which Discourse sends without
        ``post_stream.stream``: ask ``/t/{id}/post_ids.json`` for the ids after the last post
        of the first chunk, page after page until the forum has no more."""
        ids = list(thread.post_ids)
        seen = set(ids)
        after = max(post.number for post in thread.posts)
        path = f"/t/{quote(thread.topic.id, safe='')}/post_ids.json"
        what = f"post ids of topic {thread.topic.id}"
        for _ in range(MEGA_STREAM_MAX_PAGES):
            data = await self._get(path, what, [("post_number", str(after))])
            raw = data.get("post_ids") if isinstance(data, dict) else None
            more = [str(i) for i in raw or () if str(i) not in seen]
            if not more:
                break
            ids.extend(more)
            seen.update(more)
            if len(ids) >= thread.topic.posts_count:
                break
            # The forum does not say which post number the last id has: ask for those after
            # the highest number we can vouch for (ids may come in pages on real servers).
            after += len(more)
        return replace(thread, post_ids=tuple(ids))

    async def posts(self, topic_id: str, post_ids: Sequence[str]) -> list[Post]:
        """The posts of a topic with these ids, in the order asked (duplicates once).

        Ids are sent as ``post_ids[]`` in the query string, ``POSTS_BATCH_SIZE`` per request;
        ids the forum does not return (deleted, hidden) are left out.
        """
        topic_id = str(topic_id)
        wanted = list(dict.fromkeys(str(post_id) for post_id in post_ids))
        what = f"posts of topic {topic_id}"
        path = f"/t/{quote(topic_id, safe='')}/posts.json"
        found: dict[str, Post] = {}
        for start in range(0, len(wanted), POSTS_BATCH_SIZE):
            batch = wanted[start : start + POSTS_BATCH_SIZE]
            data = await self._get(path, what, [("post_ids[]", post_id) for post_id in batch])
            for post in self._parse(what, parse_posts, data, topic_id):
                found[post.id] = post
        return [found[post_id] for post_id in wanted if post_id in found]

    # --- search and users ---------------------------------------------------------------------

    async def search(self, query: str, *, page: int = 0) -> list[SearchHit]:
        """Posts matching ``query`` (Discourse search syntax), page 0-based; [] for blank."""
        query = query.strip()
        if not query:
            return []
        if page < 0:
            raise ForumError("Search result pages are numbered from 0.")
        what = "search results"
        # Discourse numbers search pages from 1.
        data = await self._get("/search.json", what, [("q", query), ("page", page + 1)])
        hits = self._parse(what, parse_search, data)
        if not hits:
            complaint = search_error(data)
            if complaint:
                raise Rejected(clean_message(complaint))
        return hits

    async def me(self) -> User | None:
        """The logged-in user, or None when the forum says nobody is (404/401/403)."""
        what = "current user"
        try:
            data = await self._get("/session/current.json", what)
        except (NotFound, AuthError):
            return None
        return self._parse(what, parse_current_user, data)

    # --- not supported yet --------------------------------------------------------------------

    async def similar_topics(self, title: str, body: str = "") -> list[Topic]:
        """Not supported yet: raises ``Rejected``."""
        raise Rejected("Finding similar topics is not supported yet.")

    async def reply(self, topic_id: str, body: str, *, reply_to: int | None = None) -> Post:
        """Not supported yet: raises ``Rejected``."""
        raise Rejected("Replying is not supported yet.")

    async def create_topic(
        self, group_id: str, title: str, body: str, *, tags: Sequence[str] = ()
    ) -> Topic:
        """Not supported yet: raises ``Rejected``."""
        raise Rejected("Creating topics is not supported yet.")

    async def edit_post(self, post_id: str, body: str) -> Post:
        """Not supported yet: raises ``Rejected``."""
        raise Rejected("Editing posts is not supported yet.")

    async def like(self, post_id: str) -> None:
        """Not supported yet: raises ``Rejected``."""
        raise Rejected("Liking posts is not supported yet.")

    async def notifications(self) -> list[Notification]:
        """Not supported yet: raises ``Rejected``."""
        raise Rejected("Notifications are not supported yet.")

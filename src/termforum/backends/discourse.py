"""The Discourse backend: reads (site, categories, topic lists, topics, posts, search) and
writes (replies, new topics, edits, likes, bookmarks), plus similar topics and post limits.

Every method raises only ``termforum.errors.ForumError`` subclasses (and ``PostQueued`` when a
new post waits for a moderator): transport failures come from ``termforum.net.send``, HTTP
statuses from ``_discourse_http``, and a body that does not have the promised shape (a
``KeyError``/``TypeError``/``ValueError`` in ``_discourse_parse``) becomes ``BadResponse``.

Writes are sent exactly once: nothing here retries them, and each goes through
``termforum.net.send``, so a failure after the request was written (a read time-out, a
connection dropped while waiting) is a ``NetworkError`` with ``sent=True``: the outcome is
unknown and the caller must reconcile (``my_recent_posts``) before sending again. A
``BadResponse`` from a write means the forum answered 2xx: the write most likely landed.

Credentials never reach a message, a log line or a ``repr``: the header values are read from
``Credentials.headers()`` only while a request is built, server messages that echo them are
masked, and no local variable of this module holds them across an ``await``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar
from urllib.parse import quote

import httpx

from termforum.backends._discourse_http import (
    clean_message,
    error_for_write,
    read_json,
    rejection_message,
    server_message,
)
from termforum.backends._discourse_parse import (
    LIKE_ACTION,
    category_url_paths,
    is_enqueued,
    level_number,
    looks_like_post,
    parse_about,
    parse_category_list_groups,
    parse_created_topic,
    parse_current_user,
    parse_notifications,
    parse_post,
    parse_post_limits,
    parse_posts,
    parse_search,
    parse_similar_topics,
    parse_site,
    parse_site_groups,
    parse_thread,
    parse_topic_list,
    pending_post_id,
    search_error,
    unwrap_post,
)
from termforum.backends._discourse_user import add_user_summary, parse_user_profile
from termforum.errors import (
    AuthError,
    BadResponse,
    ConfigError,
    ForumError,
    NetworkError,
    NotFound,
    PostQueued,
    RateLimited,
    Rejected,
    ServerError,
)
from termforum.models import (
    GROUP_LEVELS,
    TOP_PERIODS,
    TOPIC_VIEWS,
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
from termforum.net import SECRET_HEADERS, CredentialsAuth, make_client, send

if TYPE_CHECKING:
    from termforum.auth import Credentials

__all__ = [
    "POSTS_BATCH_SIZE",
    "QUEUED_MESSAGE",
    "READ_CAPABILITIES",
    "WRITE_CAPABILITIES",
    "DiscourseBackend",
]

log = logging.getLogger(__name__)

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

SIMILAR_QUERY_BYTES = 2000
"""Most bytes (URL-encoded) of the body sent to ``/topics/similar_to.json``.

The body travels in the query string, which nginx caps at 8 KiB; Discourse only needs the
start of it to find similar topics.
"""

READ_CAPABILITIES: frozenset[str] = frozenset({"search", "users"})
"""What the backend can do for anyone, logged in or not."""

WRITE_CAPABILITIES: frozenset[str] = frozenset(
    {"write", "like", "bookmark", "edit", "similar", "group_levels"}
)
"""What it can do only with credentials that carry a user's identity."""

QUEUED_MESSAGE = "Your post is waiting for a moderator's approval."
"""The ``PostQueued`` message when Discourse puts a new post in the review queue."""

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


def _wire_id(value: str) -> int | str:
    """An id as Discourse expects it in a JSON body: a number when it is one."""
    text = str(value)
    return int(text) if text.isascii() and text.isdigit() else text


def _path_id(value: str) -> str:
    """An id made safe for one URL path segment (server ids are untrusted)."""
    return quote(str(value), safe="")


def _clip_query(text: str, limit: int) -> str:
    """The longest prefix of ``text`` whose URL encoding fits in ``limit`` bytes."""
    if len(quote(text, safe="")) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if len(quote(text[:middle], safe="")) <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low]


class DiscourseBackend:
    """A Discourse forum spoken to through its JSON API.

    ``http``: the client to use (tests inject one built by ``termforum.net.make_client`` on
    an ``httpx.MockTransport``). An injected client belongs to whoever made it and is *not*
    closed by ``aclose()``; without one the backend builds its own with ``make_client`` and
    closes it in ``aclose()``. Calling ``aclose()`` twice is safe either way.

    ``credentials``: a ``termforum.auth.Credentials`` (anything with a ``headers()`` method,
    and optionally ``logged_in`` and ``username``, is accepted). Its headers are added to
    every request and never appear in messages. ``None`` or anonymous credentials read
    anonymously, and ``capabilities`` then lists only what a visitor can do.
    """

    kind: ClassVar[str] = "discourse"
    capabilities: frozenset[str] = READ_CAPABILITIES
    """Anonymous by default; an instance with a logged-in user adds ``WRITE_CAPABILITIES``."""

    def __init__(
        self,
        base_url: str,
        *,
        http: httpx.AsyncClient | None = None,
        credentials: Credentials | None = None,
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
        self._category_paths: dict[str, str] = {}
        self._closed = False
        self._limits: PostLimits | None = None
        self.set_credentials(credentials)

    def set_credentials(self, credentials: Credentials | None) -> None:
        """Speak as ``credentials`` from the next request on (after a login or a logout)."""
        self._credentials = credentials
        self._auth = CredentialsAuth(credentials) if credentials is not None else None
        self._username: str | None = None
        self.capabilities = READ_CAPABILITIES
        if self.logged_in:
            self.capabilities = READ_CAPABILITIES | WRITE_CAPABILITIES
            named = getattr(credentials, "username", None)
            if isinstance(named, str) and named:
                # Who logged in (user key) or whom an admin key acts as (Api-Username);
                # ``me()`` replaces it with what the forum says.
                self._username = named

    def __repr__(self) -> str:
        who = "logged in" if self.logged_in else "anonymous"
        return f"DiscourseBackend({self.base_url!r}, {who})"

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

    @property
    def logged_in(self) -> bool:
        """Whether requests carry a user's identity (so writes can be offered)."""
        if self._credentials is None:
            return False
        flag = getattr(self._credentials, "logged_in", None)
        if isinstance(flag, bool):
            return flag
        return bool(self._auth_headers())

    # --- plumbing -----------------------------------------------------------------------------

    def _auth_headers(self) -> dict[str, str] | None:
        source = getattr(self._credentials, "headers", None)
        headers = source() if callable(source) else source
        return dict(headers) if isinstance(headers, Mapping) and headers else None

    def _secret_values(self) -> list[str]:
        """The secret credential header values (keys, not user names), for masking; never
        stored."""
        headers = self._auth_headers() or {}
        return [value for name, value in headers.items() if name.lower() in SECRET_HEADERS]

    async def _request(
        self,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str | int]] | None = None,
        body: Any = None,
    ) -> httpx.Response:
        """Send one request to ``path`` (starting with ``/``) under the forum URL, once."""
        if self._closed:
            raise ForumError("This forum connection has been closed.")
        request = self._http.build_request(
            method,
            self.base_url + path,
            params=params,
            json=body,
        )
        try:
            return await send(self._http, request, auth=self._auth)
        except ForumError as error:
            _scrub(error, self._secret_values())
            raise

    async def _get(
        self, path: str, what: str, params: Sequence[tuple[str, str | int]] | None = None
    ) -> Any:
        """GET ``path`` (starting with ``/``) under the forum URL; the decoded JSON."""
        response = await self._request("GET", path, params=params)
        try:
            return read_json(response, what)
        except ForumError as error:
            _scrub(error, self._secret_values())
            raise

    async def _write(
        self,
        method: str,
        path: str,
        *,
        doing: str,
        thing: str,
        body: Any = None,
        params: Sequence[tuple[str, str | int]] | None = None,
    ) -> Any:
        """Send a write once and return its decoded JSON answer (None for an empty body).

        ``doing`` completes "to ..." in messages (``"send your reply"``), ``thing`` names
        what is written to (``"topic 57"``).
        """
        response = await self._request(method, path, params=params, body=body)
        return self._write_answer(response, method, path, doing=doing, thing=thing)

    def _write_answer(
        self, response: httpx.Response, method: str, path: str, *, doing: str, thing: str
    ) -> Any:
        """The decoded answer to a write, or the typed error for it."""
        log.debug("%s %s -> HTTP %s", method, path, response.status_code)
        try:
            if response.history and response.request.method != method:
                # A 301/302 turned the write into a GET: it never reached the forum.
                raise Rejected(
                    f"The forum redirected the request to {response.url.host}, so it could not "
                    f"{doing}; check the forum's address (https:// and the exact host name)."
                )
            status = response.status_code
            if not 200 <= status < 300:
                raise error_for_write(
                    response, doing=doing, thing=thing, anonymous=not self.logged_in
                )
            if not response.content.strip():
                return None
            return read_json(response, thing)
        except ForumError as error:
            _scrub(error, self._secret_values())
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

    @staticmethod
    def _written_post(data: Any, done: str) -> Post:
        """The post a write answered with; ``done`` says what happened ("Your reply was sent").

        Raises ``PostQueued`` for a post held for moderation and ``Rejected`` for a 2xx
        answer that carries ``errors`` (``nested_post`` answers).
        """
        if is_enqueued(data):
            raise PostQueued(QUEUED_MESSAGE, pending_id=pending_post_id(data))
        if isinstance(data, Mapping) and data.get("errors") and not looks_like_post(data):
            raise Rejected(rejection_message(data) or "The forum refused the post.")
        try:
            post = unwrap_post(data)
            return parse_post(post, str(post["topic_id"]))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            raise BadResponse(
                f"{done}, but the forum's answer is not in the expected form; reload the "
                "topic to see it."
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
        if not self.logged_in:
            # A visitor is told "regular" for every category: that says nothing about them.
            groups = [replace(group, notification_level=None) for group in groups]
        return groups

    async def set_group_notification_level(self, group_id: str, level: str) -> None:
        """Set the logged-in user's notification level for category ``group_id`` to
        ``level`` (one of ``GROUP_LEVELS``): ``POST /category/{id}/notifications`` with
        ``{notification_level: 0..4}`` → ``{"success": "OK", ...}``.

        Muting a category also mutes its subcategories that have no level of their own,
        and leaves their topics out of the lists of all categories (the server's doing).
        An unknown ``level`` is ``Rejected`` before anything is sent.
        """
        group_id = str(group_id)
        if level not in GROUP_LEVELS:
            raise Rejected(f"{level!r} is not a notification level termforum knows.")
        await self._write(
            "POST",
            f"/category/{_path_id(group_id)}/notifications",
            doing="change the group's notification level",
            thing=f"category {group_id}",
            body={"notification_level": level_number(level)},
        )

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
        tag: str | None = None,
    ) -> TopicPage:
        """One page (0-based) of a topic list, of the whole forum or of one category, of
        every topic or (``tag``) only those with a tag.

        ``view`` is one of ``termforum.models.TOPIC_VIEWS``. For ``top``, ``period`` is one
        of ``TOP_PERIODS``; when it is None the forum's own default applies (the site setting
        ``top_page_default_timeframe`` or the period Discourse picks for the user). ``period``
        is ignored by the other views. ``new``, ``unread``, ``posted`` and ``bookmarks``
        need a logged-in user.
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
        tagged = quote(tag, safe="") if tag else None
        what = f"{view} topic list"
        if group_id is None:
            path = f"/tag/{tagged}/l/{view}.json" if tagged else f"/{view}.json"
        else:
            group_id = str(group_id)
            category = await self._category_path(group_id)
            what += f" of category {group_id}"
            path = f"/c/{category}/l/{view}.json"
            if tagged:
                path = f"/tags/c/{category}/{tagged}/l/{view}.json"
        if tag:
            what += f" with tag {tag}"
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

    async def posts(
        self, topic_id: str, post_ids: Sequence[str], *, include_raw: bool = False
    ) -> list[Post]:
        """The posts of a topic with these ids, in the order asked (duplicates once).

        Ids are sent as ``post_ids[]`` in the query string, ``POSTS_BATCH_SIZE`` per request;
        ids the forum does not return (deleted, hidden) are left out. ``include_raw`` asks
        for each post's Markdown source too (``Post.raw``).
        """
        topic_id = str(topic_id)
        wanted = list(dict.fromkeys(str(post_id) for post_id in post_ids))
        what = f"posts of topic {topic_id}"
        path = f"/t/{quote(topic_id, safe='')}/posts.json"
        found: dict[str, Post] = {}
        for start in range(0, len(wanted), POSTS_BATCH_SIZE):
            batch = wanted[start : start + POSTS_BATCH_SIZE]
            params: list[tuple[str, str | int]] = [("post_ids[]", post_id) for post_id in batch]
            if include_raw:
                params.append(("include_raw", "true"))
            data = await self._get(path, what, params)
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
        """The logged-in user, or None when nobody is.

        Asks ``/session/current.json``. Anonymously, a 404/401/403 there means "nobody" and
        gives None. With credentials, a 401/403 means the forum refused them (a revoked or
        wrong key) and is raised as ``AuthError``; a 404 (servers without the route) falls
        back to ``/u/{username}.json`` when the credentials name the user.
        """
        what = "current user"
        try:
            data = await self._get("/session/current.json", what)
        except AuthError:
            if self.logged_in:
                raise
            return None
        except NotFound:
            named = getattr(self._credentials, "username", None)
            if not self.logged_in or not isinstance(named, str) or not named:
                return None
            data = await self._get(f"/u/{_path_id(named)}.json", what)
            user = self._parse(what, parse_user_profile, data)
        else:
            user = self._parse(what, parse_current_user, data)
        if self.logged_in:
            self._username = user.username
        return user

    async def user(self, username: str) -> User:
        """A member's card: who they are, their standing and their top topics.

        Two requests: the profile (``GET /u/{username}.json``: name, title, trust level,
        join and last-seen times) and its summary (``GET /u/{username}/summary.json``:
        counts and top topics). A server without the summary (before 2016) answers 404
        there; the profile's older ``stats`` then give the counts. The name is sent
        percent-encoded whole (``/`` included), so any username reaches the right place.
        No such member (or a profile hidden from us) raises ``NotFound``.
        """
        if not username:
            raise NotFound("Which member? The post names no author.")
        what = f"member called {username}"
        path = f"/u/{_path_id(username)}"
        data = await self._get(f"{path}.json", what)
        user = self._parse(what, parse_user_profile, data)
        try:
            summary = await self._get(f"{path}/summary.json", f"summary of {what}")
        except NotFound:
            return user
        return self._parse(f"summary of {what}", add_user_summary, user, summary)

    async def revoke_key(self) -> None:
        """Revoke the User API key this backend speaks with (``POST /user-api-key/revoke``).

        Admin API keys cannot revoke themselves (``Rejected`` says so); anonymous backends
        have nothing to revoke. Raises the usual typed errors when the forum says no.
        """
        kind = getattr(self._credentials, "kind", None)
        if not self.logged_in:
            return
        if kind != "user_api_key":
            raise Rejected(
                "An admin API key cannot be revoked from termforum; an admin revokes it in the "
                "forum's API settings."
            )
        await self._write("POST", "/user-api-key/revoke", doing="revoke the key", thing="key")

    async def _current_username(self) -> str | None:
        """The logged-in user's name (asked once, then remembered); None when anonymous."""
        if self._username is None and self.logged_in:
            try:
                await self.me()
            except NotFound:
                return None
        return self._username

    # --- writing ------------------------------------------------------------------------------

    async def reply(self, topic_id: str, body: str, *, reply_to: int | None = None) -> Post:
        """Post ``body`` (Markdown) to a topic, as a reply to post number ``reply_to`` if given.

        ``POST /posts.json`` with ``{raw, topic_id, reply_to_post_number}``; the forum answers
        with the new post. Sent once, never retried. Raises ``PostQueued`` when the post waits
        for a moderator, ``Rejected`` with the forum's reasons on 422 ("Body is too short"),
        ``AuthError`` when not logged in, and ``NetworkError(sent=True)`` when the answer
        never came (the post may exist: reconcile with ``my_recent_posts``).
        """
        topic_id = str(topic_id)
        payload: dict[str, Any] = {"raw": body, "topic_id": _wire_id(topic_id)}
        if reply_to is not None:
            payload["reply_to_post_number"] = int(reply_to)
        data = await self._write(
            "POST", "/posts.json", doing="send your reply", thing=f"topic {topic_id}", body=payload
        )
        return self._written_post(data, "Your reply was sent")

    async def create_topic(
        self, group_id: str, title: str, body: str, *, tags: Sequence[str] = ()
    ) -> Topic:
        """Start a topic in category ``group_id`` with ``title``, ``body`` and ``tags``.

        ``POST /posts.json`` with ``{title, raw, category, tags}``; the forum answers with the
        opening post, from which the ``Topic`` is built (title and tags as sent, unless the
        answer carries its own). An empty ``group_id`` leaves the category to the forum.
        Errors as for ``reply``.
        """
        group = str(group_id) if group_id is not None else ""
        payload: dict[str, Any] = {"title": title, "raw": body}
        if group:
            payload["category"] = _wire_id(group)
        if tags:
            payload["tags"] = [str(tag) for tag in tags]
        thing = f"category {group}" if group else "forum"
        data = await self._write(
            "POST", "/posts.json", doing="create the topic", thing=thing, body=payload
        )
        post = self._written_post(data, "The topic was created")
        try:
            return parse_created_topic(unwrap_post(data), title, group or None, tuple(tags))
        except (KeyError, TypeError, ValueError) as exc:
            raise BadResponse(
                f"The topic was created (post {post.id}), but the forum's answer is not in the "
                "expected form; reload the list to see it."
            ) from exc

    async def edit_post(self, post_id: str, body: str) -> Post:
        """Replace the Markdown of post ``post_id`` with ``body``; the updated post.

        ``PUT /posts/{id}.json`` with ``{"post": {"raw": ...}}`` → ``{"post": {...}}``.
        Errors as for ``reply`` (a 403 when the post is not yours to edit).
        """
        post_id = str(post_id)
        data = await self._write(
            "PUT",
            f"/posts/{_path_id(post_id)}.json",
            doing="save your edit",
            thing=f"post {post_id}",
            body={"post": {"raw": body}},
        )
        return self._written_post(data, "Your edit was saved")

    async def raw(self, post_id: str) -> str:
        """The Markdown source of post ``post_id`` (``GET /posts/{id}.json``, its ``raw``)."""
        post_id = str(post_id)
        what = f"post {post_id}"
        data = await self._get(f"/posts/{_path_id(post_id)}.json", what)
        raw = data.get("raw") if isinstance(data, Mapping) else None
        if not isinstance(raw, str):
            raise BadResponse(f"The forum's answer for {what} has no Markdown source.")
        return raw

    async def like(self, post_id: str) -> Post | None:
        """Like post ``post_id``; the updated post when the forum sends it, else None.

        ``POST /post_actions.json`` with ``{id, post_action_type_id: 2}``.
        """
        post_id = str(post_id)
        data = await self._write(
            "POST",
            "/post_actions.json",
            doing="like the post",
            thing=f"post {post_id}",
            body={"id": _wire_id(post_id), "post_action_type_id": LIKE_ACTION},
        )
        return self._maybe_post(data)

    async def unlike(self, post_id: str) -> Post | None:
        """Take back the like of post ``post_id``; the updated post when the forum sends it.

        ``DELETE /post_actions/{id}.json?post_action_type_id=2``.
        """
        post_id = str(post_id)
        data = await self._write(
            "DELETE",
            f"/post_actions/{_path_id(post_id)}.json",
            doing="remove your like",
            thing=f"post {post_id}",
            params=[("post_action_type_id", LIKE_ACTION)],
        )
        return self._maybe_post(data)

    @staticmethod
    def _maybe_post(data: Any) -> Post | None:
        """The post in a like/unlike answer, or None when the answer is not a post."""
        if not looks_like_post(data):
            return None
        post = unwrap_post(data)
        try:
            return parse_post(post, str(post["topic_id"]))
        except (KeyError, TypeError, ValueError, AttributeError, IndexError):
            return None

    async def send_timings(
        self, topic_id: str, post_numbers: Sequence[int], *, ms_per_post: int = 2000
    ) -> None:
        """Tell the forum these posts of a topic were read (``POST /topics/timings``), so its
        unread counts agree with what was read here. Nothing is sent anonymously."""
        numbers = sorted({int(n) for n in post_numbers if int(n) > 0})
        if not self.logged_in or not numbers:
            return
        body = {
            "topic_id": _wire_id(topic_id),
            "topic_time": ms_per_post * len(numbers),
            "timings": {str(number): ms_per_post for number in numbers},
        }
        await self._write(
            "POST",
            "/topics/timings",
            doing="record what you read",
            thing=f"topic {topic_id}",
            body=body,
        )

    async def bookmark(self, post_id: str) -> str:
        """Bookmark post ``post_id``; the bookmark's id (needed by ``remove_bookmark``).

        ``POST /bookmarks.json`` with ``{bookmarkable_id, bookmarkable_type: "Post"}`` →
        ``{"success": "OK", "id": N}``. Servers from before polymorphic bookmarks (2022)
        want ``{post_id}`` and refuse the new form with a 400 "param is missing ... post_id":
        only then is the older form sent, once.
        """
        post_id = str(post_id)
        doing, thing = "bookmark the post", f"post {post_id}"
        current = {"bookmarkable_id": _wire_id(post_id), "bookmarkable_type": "Post"}
        response = await self._request("POST", "/bookmarks.json", body=current)
        if response.status_code in (400, 422) and _wants_post_id(response):
            log.debug("POST /bookmarks.json -> HTTP %s; trying the post_id form", 400)
            older = {"post_id": _wire_id(post_id)}
            response = await self._request("POST", "/bookmarks.json", body=older)
        data = self._write_answer(response, "POST", "/bookmarks.json", doing=doing, thing=thing)
        mark = data.get("id") if isinstance(data, Mapping) else None
        if isinstance(mark, bool) or not isinstance(mark, int | str) or mark == "":
            raise BadResponse(
                "The forum bookmarked the post but did not say the bookmark's id; reload the "
                "topic to see it."
            )
        return str(mark)

    async def remove_bookmark(self, bookmark_id: str) -> None:
        """Delete bookmark ``bookmark_id`` (``DELETE /bookmarks/{id}.json``)."""
        bookmark_id = str(bookmark_id)
        await self._write(
            "DELETE",
            f"/bookmarks/{_path_id(bookmark_id)}.json",
            doing="remove the bookmark",
            thing=f"bookmark {bookmark_id}",
        )

    # --- composing helpers --------------------------------------------------------------------

    async def similar_topics(self, title: str, body: str = "") -> list[Topic]:
        """Topics like the one being written (``GET /topics/similar_to.json?title=&raw=``).

        [] when the title is blank, when the forum has nothing to suggest (it answers a bare
        ``[]`` for short titles or small sites), when an older server refuses short input
        with a 400 (those also required ``raw``), and when the route does not exist (404).
        Only the start of ``body`` is sent (it travels in the query string).
        """
        title = title.strip()
        if not title:
            return []
        params: list[tuple[str, str | int]] = [("title", title)]
        raw = _clip_query(body, SIMILAR_QUERY_BYTES) if body.strip() else ""
        if raw:
            params.append(("raw", raw))
        what = "similar topics"
        try:
            data = await self._get("/topics/similar_to.json", what, params)
        except NotFound:
            return []  # no such route: a forum without the feature
        except Rejected as error:
            if error.status in (400, 414):
                return []
            raise
        return self._parse(what, parse_similar_topics, data)

    async def limits(self) -> PostLimits:
        """The forum's length rules for new posts and titles.

        Discourse does not give site settings to members through its documented API (admin
        only: ``/admin/site_settings.json``), but the settings its own composer enforces are
        ``client: true`` settings, served to everyone by ``GET /site/settings.json``
        (``SiteController#settings`` → ``SiteSetting.client_settings_json``) and preloaded in
        the web page. That is asked once; each limit it lacks, and every limit when the
        route is missing or refused (404/403, the demo forum), keeps the Discourse default
        of ``PostLimits()``. A network failure gives the defaults without remembering them.
        """
        if self._limits is not None:
            return self._limits
        try:
            data = await self._get("/site/settings.json", "site settings")
        except (NetworkError, ServerError, RateLimited):
            return PostLimits()
        except ForumError:
            data = None
        self._limits = parse_post_limits(data)
        return self._limits

    async def my_recent_posts(self, topic_id: str, *, limit: int = 20) -> list[Post]:
        """The current user's posts among the last ``limit`` posts of a topic, with ``raw``,
        in topic order; [] when anonymous.

        For reconciling a send whose answer never came: if one of these has the text that
        was sent, the post landed. Costs two requests (the topic's post ids, then the posts).
        A post counts as the user's when the forum marks it ``yours`` or its author is the
        logged-in username.
        """
        if limit <= 0 or not self.logged_in:
            return []
        username = await self._current_username()
        topic_id = str(topic_id)
        what = f"topic {topic_id}"
        data = await self._get(f"/t/{_path_id(topic_id)}.json", what)
        thread = self._parse(what, parse_thread, data)
        stream = data.get("post_stream") if isinstance(data, Mapping) else None
        ids = list(thread.post_ids)
        if isinstance(stream, Mapping) and stream.get("stream") is None:
            # A mega topic sends no full stream: its last chunk holds the newest posts.
            last = await self._get(f"/t/{_path_id(topic_id)}/last.json", what)
            ids = list(self._parse(what, parse_thread, last).post_ids)
        posts = await self.posts(topic_id, ids[-limit:], include_raw=True)
        folded = username.casefold() if username else None
        return [
            post
            for post in posts
            if post.yours or (folded is not None and post.author.casefold() == folded)
        ]

    # --- notifications --------------------------------------------------------------------------

    async def notifications(self) -> list[Notification]:
        """The logged-in user's latest notifications, newest first (``GET /notifications.json``,
        one request for up to 60 of them)."""
        what = "notifications"
        data = await self._get("/notifications.json", what)
        return self._parse(what, parse_notifications, data)

    async def mark_notifications_read(self, notification_id: str | None = None) -> None:
        """Mark one notification read, or all of them (``PUT /notifications/mark-read.json``)."""
        body = {"id": _wire_id(notification_id)} if notification_id is not None else {}
        await self._write(
            "PUT",
            "/notifications/mark-read.json",
            doing="mark the notification read",
            thing="notifications",
            body=body,
        )

    # --- read state -------------------------------------------------------------------------

    async def dismiss(self, group_id: str | None = None) -> None:
        """Mark every topic of a category (or of the whole forum) read for the logged-in
        user, as Discourse's "Dismiss" buttons do: the unread topics with
        ``PUT /topics/bulk.json`` (``filter: unread``, ``operation: dismiss_posts``), then the
        new ones with ``PUT /topics/reset-new.json``. Nothing is sent anonymously."""
        if not self.logged_in:
            return
        scope: dict[str, Any] = {}
        if group_id is not None:
            scope["category_id"] = _wire_id(group_id)
        thing = f"category {group_id}" if group_id is not None else "all categories"
        await self._write(
            "PUT",
            "/topics/bulk.json",
            doing="mark the unread topics read",
            thing=thing,
            body={"filter": "unread", "operation": {"type": "dismiss_posts"}, **scope},
        )
        await self._write(
            "PUT",
            "/topics/reset-new.json",
            doing="mark the new topics read",
            thing=thing,
            body=scope,
        )


def _wants_post_id(response: httpx.Response) -> bool:
    """Whether a refused bookmark comes from a server that wants the older ``post_id`` form
    (Rails' ``ParameterMissing``: "param is missing or the value is empty: post_id")."""
    try:
        body = response.json()
    except ValueError:
        return False
    says = server_message(body) or ""
    return "post_id" in says

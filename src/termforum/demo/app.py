"""The demo forum's ASGI application: routing table and request handlers.

:class:`DemoApp` is a plain ASGI callable (``http`` and ``lifespan`` scopes). The routing
table (:func:`build_router`) lists every endpoint with the handler that answers it and the
Discourse route name sent back as ``X-Discourse-Route``. Read handlers live here; the
write handlers (posting, editing, likes, bookmarks, timings, similar topics) are in
:class:`termforum.demo.write_api.WriteHandlers`, the notification endpoints in
:class:`termforum.demo.notification_api.NotificationHandlers`, the User API key
authorization pages (``/user-api-key/new``, ``POST /user-api-key``) in
:class:`termforum.demo.user_api_keys.UserApiKeyHandlers`, the member profile and summary in
:class:`termforum.demo.user_api.UserHandlers`; ``DemoApp`` inherits all four.

Authentication happens once per request in :meth:`DemoApp.dispatch`
(:meth:`DemoApp.identify`, see :mod:`termforum.demo.auth`): a bad key answers 403, a
user API key outside its scopes 403, a key over its rate limit 429 (when
``faults.set_key_rate_limits()`` is on), an anonymous request to a route that needs a
login 403 ``not_logged_in``. Every handler then receives the viewer (a ``users`` row or
None); the identity itself is ``request.auth``. Logged-in answers carry
``X-Discourse-Username``.

Times: handlers and queries work in seed time (what the database stores); ``time_shift``
moves every timestamp of a JSON answer in one place, :meth:`DemoApp.dispatch`, just before
it is encoded. See :mod:`termforum.demo.clock` for the mapping, also for writes.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import sqlite3
import tempfile
from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlencode

from termforum.demo import auth, content
from termforum.demo import serialize as ser
from termforum.demo import serialize_site as site
from termforum.demo.category_levels import levels_for, muted_ids
from termforum.demo.clock import as_time_shift, shift_times, shift_timestamp, to_seed_time
from termforum.demo.content import DEMO_USERNAME
from termforum.demo.cook import fancy_title
from termforum.demo.db import iso
from termforum.demo.dismiss_api import DismissHandlers
from termforum.demo.faults import ACCEPT_KINDS, FaultRule, Faults
from termforum.demo.notification_api import NotificationHandlers
from termforum.demo.queries import PERIODS, SearchQuery, Store
from termforum.demo.seed import ensure_seeded
from termforum.demo.settings import SiteSettings
from termforum.demo.user_api import UserHandlers
from termforum.demo.user_api_keys import UserApiKeyHandlers
from termforum.demo.web import (
    BadParams,
    Receive,
    Request,
    Response,
    Route,
    Router,
    Scope,
    Send,
    error,
    not_found,
    read_body,
)
from termforum.demo.write_api import WriteHandlers
from termforum.demo.writes import Refused, TooMany, Writer

__all__ = [
    "Arrival",
    "DEMO_CLIENT_ID",
    "DEMO_USERNAME",
    "LOGIN_REQUIRED",
    "MAX_POST_IDS",
    "MEGA_TOPIC_POSTS",
    "ConnectionDropped",
    "DemoApp",
    "build_router",
    "create_app",
]

MAX_POST_IDS = 1000
"""Most ``post_ids[]`` accepted by ``/t/{id}/posts.json``. Discourse itself sets no limit
there (``TopicsController#posts`` passes the ids straight to ``TopicView``); the demo caps
at its print chunk size (``TopicView.print_chunk_size`` = 1000) and answers 400 above.
In practice a real site is limited sooner by the length of the request line (nginx's
default buffers hold about 8 KB, some 400 ids)."""

MEGA_TOPIC_POSTS = 10_000
"""Discourse's ``TopicView::MEGA_TOPIC_POSTS_COUNT``: topics with this many posts or more
get no ``post_stream.stream`` (``isMegaTopic``/``lastId`` instead); clients page them with
``/t/{id}/posts.json?post_number=N&asc=true``."""

SEARCH_PER_PAGE = 50
MIN_SEARCH_LENGTH = 3
LIST_VIEWS = ("latest", "top", "hot", "new", "unread", "posted", "bookmarks")
LOGIN_VIEWS = ("new", "unread", "posted", "bookmarks")

NOT_LOGGED_IN = "You need to be logged in to do that."
DEMO_CLIENT_ID = "termforum-demo"
"""The ``client_id`` of the demo account's user API key (:meth:`DemoApp.demo_credentials`)."""
_DEMO_KEY_META = "demo_user_api_key"
LOGIN_REQUIRED = frozenset(
    {
        "create_post",
        "update_post",
        "post_action_create",
        "post_action_delete",
        "bookmark_create",
        "bookmark_delete",
        "topic_bookmark",
        "topic_remove_bookmarks",
        "timings",
        "category_notifications",
        "revoke_user_api_key",
        "notifications",
        "notifications_mark_read",
        "notifications_totals",
        "topics_bulk",
        "topics_reset_new",
    }
)
"""Handlers that answer 403 ``not_logged_in`` to anonymous requests (``requires_login``)."""
NOT_FOUND_HTML = (
    "<!DOCTYPE html><html><head><title>Page Not Found</title></head><body>"
    "<h1>Oops! That page doesn't exist or is private.</h1></body></html>"
)

_latency_sleep = asyncio.sleep
"""How the app waits out ``Faults.latency`` (a name of its own, so tests can replace it
without replacing ``asyncio.sleep`` for everything else)."""

JOURNAL_SIZE = 10_000
"""Requests kept in ``DemoApp.journal``."""


class Arrival(NamedTuple):
    """One request as the demo forum saw it: when it arrived (the faults clock, monotonic
    seconds), its method and path, and the status it was answered with."""

    at: float
    method: str
    path: str
    status: int


class ConnectionDropped(Exception):
    """Raised by a ``drop`` fault when the server gives no way to close the connection
    (e.g. under ``httpx.ASGITransport``); under uvicorn the socket is closed instead."""


class _NotFound(Exception):
    pass


def build_router(*, control: bool = True) -> Router:
    """The routing table: ``(method, path regex, handler, Discourse route name)``.

    Paths are matched without their ``.json`` suffix; JSON is returned when the path had
    it or ``Accept: application/json`` was sent (else a small HTML page, as Discourse
    serves its web app there).
    """
    r = Router()
    r.add("GET", r"/", "index", "list/latest", kind="html")
    r.add("GET", r"/site", "site", "site/site")
    r.add("GET", r"/site/basic-info", "basic_info", "site/basic_info")
    r.add("GET", r"/about", "about", "about/index")
    r.add("GET", r"/categories", "categories", "categories/index")
    r.add("GET", r"/c/(?P<rest>.+)", "category", "list/category_default")
    r.add(
        "GET",
        r"/(?P<view>latest|top|hot|new|unread|posted|bookmarks)",
        "topic_list",
        "list/{view}",
    )
    r.add("GET", r"/tags", "tags", "tags/index")
    r.add("GET", r"/tag/(?P<name>[^/]+)(?:/l/(?P<view>[a-z]+))?", "tag_list", "tags/show")
    r.add("GET", r"/tags/c/(?P<rest>.+)", "category_tag_list", "tags/show")
    r.add("GET", r"/t/(?P<id>\d+)/posts", "topic_posts", "topics/posts")
    r.add("GET", r"/t/(?P<id>\d+)/post_ids", "topic_post_ids", "topics/post_ids")
    r.add("GET", r"/t/(?P<a>[^/]+)(?:/(?P<b>[^/]+))?(?:/(?P<c>[^/]+))?", "topic", "topics/show")
    r.add("GET", r"/posts/(?P<id>\d+)", "post", "posts/show")
    r.add("GET", r"/posts/(?P<id>\d+)/replies", "post_replies", "posts/replies")
    r.add("GET", r"/posts/(?P<id>\d+)/raw", "post_raw", "posts/markdown_id", kind="text")
    r.add(
        "GET",
        r"/raw/(?P<topic_id>\d+)(?:/(?P<number>\d+))?",
        "raw",
        "posts/markdown_num",
        kind="text",
    )
    r.add("GET", r"/search", "search", "search/show")
    r.add("GET", r"/session/current", "session_current", "session/current")
    # Notifications (notification_api.py).
    r.add("GET", r"/notifications", "notifications", "notifications/index")
    r.add("GET", r"/notifications/totals", "notifications_totals", "notifications/totals")
    r.add(
        "PUT",
        r"/notifications/(?:mark-read|read)",
        "notifications_mark_read",
        "notifications/mark_read",
        kind="api",
    )
    # Members (user_api.py). Any text after /u/ (slashes and newlines included): usernames
    # made through POST /users.json may hold anything, and "%2F" reaches the app already
    # decoded. Discourse's usernames never hold "/", so ".../summary" is the summary.
    r.add("GET", r"/u/(?P<username>(?s:.+))/summary", "user_summary", "users/summary")
    r.add("GET", r"/u/(?P<username>(?s:.+))", "user", "users/show")
    # The write side (handlers in write_api.py). "api" routes always answer JSON.
    r.add("POST", r"/posts", "create_post", "posts/create", kind="api")
    r.add("PUT", r"/posts/(?P<id>\d+)", "update_post", "posts/update", kind="api")
    r.add("POST", r"/post_actions", "post_action_create", "post_actions/create", kind="api")
    r.add(
        "DELETE",
        r"/post_actions/(?P<id>\d+)",
        "post_action_delete",
        "post_actions/destroy",
        kind="api",
    )
    r.add("POST", r"/bookmarks", "bookmark_create", "bookmarks/create", kind="api")
    r.add("DELETE", r"/bookmarks/(?P<id>\d+)", "bookmark_delete", "bookmarks/destroy", kind="api")
    r.add("PUT", r"/t/(?P<id>\d+)/bookmark", "topic_bookmark", "topics/bookmark", kind="api")
    r.add(
        "PUT",
        r"/t/(?P<id>\d+)/remove_bookmarks",
        "topic_remove_bookmarks",
        "topics/remove_bookmarks",
        kind="api",
    )
    r.add("POST", r"/topics/timings", "timings", "topics/timings", kind="api")
    r.add("PUT", r"/topics/bulk", "topics_bulk", "topics/bulk", kind="api")
    r.add("PUT", r"/topics/reset-new", "topics_reset_new", "topics/reset_new", kind="api")
    # Admin-only (write_api.py): users and categories with any name, for tests.
    r.add("POST", r"/users", "create_user", "users/create", kind="api")
    r.add("POST", r"/categories", "create_category", "categories/create", kind="api")
    r.add(
        "POST",
        r"/category/(?P<id>\d+)/notifications",
        "category_notifications",
        "categories/set_notifications",
        kind="api",
    )
    r.add("GET", r"/topics/similar_to", "similar_to", "similar_topics/index", kind="api")
    r.add(
        "POST",
        r"/user-api-key/revoke",
        "revoke_user_api_key",
        "user_api_keys/revoke",
        kind="api",
    )
    # The key authorization flow (user_api_keys.py): browser pages, no key needed.
    r.add("GET", r"/user-api-key/new", "user_api_key_new", "user_api_keys/new", kind="html")
    r.add("POST", r"/user-api-key", "user_api_key_create", "user_api_keys/create", kind="html")
    if control:
        r.add("GET", r"/__demo/faults", "faults_get", "demo/faults", kind="control")
        r.add("POST", r"/__demo/faults", "faults_post", "demo/faults", kind="control")
        r.add("DELETE", r"/__demo/faults", "faults_delete", "demo/faults", kind="control")
    return r


class DemoApp(
    WriteHandlers, NotificationHandlers, DismissHandlers, UserApiKeyHandlers, UserHandlers
):
    """A Discourse-compatible demo forum over SQLite, as an ASGI application.

    ``data_dir`` holds the database (seeded on first use, reused afterwards); without one
    a temporary folder is used and removed by :meth:`close`. ``faults`` makes it misbehave
    (see :mod:`termforum.demo.faults`); ``control=False`` hides ``/__demo/faults``.
    ``settings`` are the site settings writes obey (:class:`SiteSettings`);
    ``wall_clock`` is the real time (aware ``datetime``; tests pass a fake one to move
    past ``unique_posts_mins`` or the like undo window without waiting).

    ``time_shift`` (a timedelta or seconds, default 0) is added to every timestamp the
    API answers with; the stored data stays in seed time and time-based logic (``top``
    periods, ``hot``) keeps using the seed's "now", shown as :attr:`now`. Use
    :func:`termforum.demo.clock.live_time_shift` to make the content look current; keep
    0 for fixed, deterministic times (tests). Anything stored later must be stored in
    seed time: real time minus the shift (:func:`termforum.demo.clock.to_seed_time`).
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        *,
        mega_topic_posts: int = MEGA_TOPIC_POSTS,
        control: bool = True,
        faults: Faults | None = None,
        time_shift: timedelta | float = 0,
        settings: SiteSettings | None = None,
        wall_clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.time_shift = as_time_shift(time_shift)
        """Added to every timestamp in the answers (stored data is in seed time)."""
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if data_dir is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="termforum-demo-")
            data_dir = Path(self._tmp.name)
        self.data_dir = Path(data_dir)
        self.db_path = ensure_seeded(self.data_dir)
        self.store = Store(self.db_path)
        self.faults = faults if faults is not None else Faults()
        self.mega_topic_posts = mega_topic_posts
        self.router = build_router(control=control)
        self._search_log = itertools.count(1)
        self.journal: deque[Arrival] = deque(maxlen=JOURNAL_SIZE)
        """Every request that reached the app, oldest first (the last ``JOURNAL_SIZE``):
        what tests read to check what a client sent and when."""
        self.settings = settings if settings is not None else SiteSettings()
        self.wall_clock: Callable[[], datetime] = wall_clock or (lambda: datetime.now(UTC))
        self.writer = Writer(self.store, self.settings)
        self._memo: dict[str, tuple[datetime, dict[str, Any]]] = {}

    @property
    def now(self) -> datetime:
        """The forum's "now" as the API shows it: the seed's "now" plus the time shift."""
        return self.store.now + self.time_shift

    def seed_now(self) -> datetime:
        """The real time now (``wall_clock``) as stored: minus the time shift, so that
        what is written now shows as written now."""
        return to_seed_time(self.wall_clock(), self.time_shift)

    # -- keys and the demo account --------------------------------------------------------

    def create_user_api_key(
        self,
        username: str,
        *,
        scopes: Iterable[str] = ("read", "write"),
        client_id: str | None = None,
        application_name: str = "termforum",
    ) -> str:
        """A new User API key for ``username`` (send it as ``User-Api-Key``).

        An earlier key of the same user with the same ``client_id`` is revoked, as when
        a user authorises an application again. ``ValueError`` for an unknown user or
        scope.
        """
        return auth.create_user_api_key(
            self.store,
            username,
            now=self.seed_now(),
            scopes=scopes,
            client_id=client_id,
            application_name=application_name,
        )

    def create_api_key(self, username: str | None = None, *, description: str = "") -> str:
        """A new admin API key (send ``Api-Key`` and ``Api-Username``): for ``username``
        only, or for any user when None (then ``Api-Username`` is required)."""
        return auth.create_api_key(
            self.store, username, now=self.seed_now(), description=description
        )

    def revoke_key(self, key: str) -> bool:
        """Revoke a key of either kind (it then answers 403); whether one was revoked."""
        return auth.revoke_key(self.store, key, now=self.seed_now())

    def demo_credentials(self) -> tuple[str, str]:
        """``(username, user API key)`` of the demo account (:data:`DEMO_USERNAME`).

        The key (scopes ``read``, ``write``, ``session_info``; client id
        :data:`DEMO_CLIENT_ID`) is made once per data folder and kept in its database,
        so later calls, and later runs on the same folder, return the same key (a new
        one if it was revoked).
        """
        stored = self.store.meta(_DEMO_KEY_META)
        if stored and auth.user_api_key_is_live(self.store, stored):
            return DEMO_USERNAME, stored
        key = self.create_user_api_key(
            DEMO_USERNAME,
            scopes=("read", "write", "session_info"),
            client_id=DEMO_CLIENT_ID,
            application_name="termforum --demo",
        )
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE"
                " SET value = excluded.value",
                (_DEMO_KEY_META, key),
            )
        return DEMO_USERNAME, key

    def approve_pending_post(self, pending_id: int) -> int:
        """Publish a post from the moderation queue (as a moderator would); its post id."""
        return int(self.writer.approve(pending_id, self.seed_now())["id"])

    def close(self) -> None:
        """Close the database (and remove the temporary data folder, if any)."""
        self.store.close()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    def __enter__(self) -> DemoApp:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- ASGI ---------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        raw_send, send = send, self._journaled(scope, send)
        body = b""
        if scope.get("method", "GET").upper() in ("POST", "PUT", "PATCH", "DELETE"):
            read = await read_body(receive)
            if read is None:
                await error(413, "Request body too large.").send(send)
                return
            body = read
        request = Request.from_scope(scope, body)
        head = request.method == "HEAD"
        match = self.router.match(request.method, request.path)
        rule: FaultRule | None = None
        if match is None or match[0].kind != "control":
            if self.faults.latency > 0:
                await _latency_sleep(self.faults.latency)
            wait = self.faults.check_rate_limit(request.client)
            if wait is not None:
                await _rate_limited(wait, self.faults.rate_limit_form).send(send, head=head)
                return
            rule = self.faults.take(str(scope.get("path") or "/"), request.method)
            if rule is not None and rule.kind not in ("malformed", *ACCEPT_KINDS):
                await self._misbehave(rule, send, raw_send, head=head)
                return
        response = self.dispatch(request, match)
        if rule is not None and rule.kind == "malformed":
            response.encode()
            response.body = response.body[: max(1, len(response.body) // 2)] or b"{"
        elif rule is not None and rule.kind == "accept_then_drop":
            await _drop(raw_send)  # the write is committed; the client never hears of it
            return
        elif rule is not None and rule.kind == "accept_then_delay":
            response.encode()
            if await _client_left(receive, rule.delay):
                return  # the client gave up waiting; the write stays committed
        await response.send(send, head=head)

    def _journaled(self, scope: Scope, send: Send) -> Send:
        """``send`` that notes the request in ``journal`` when its answer starts."""
        arrived = self.faults.clock()
        method = str(scope.get("method", "GET"))
        path = str(scope.get("path") or "/")

        async def noting(message: dict[str, Any]) -> None:
            if message.get("type") == "http.response.start":
                self.journal.append(Arrival(arrived, method, path, int(message["status"])))
            await send(message)

        return noting

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def _misbehave(self, rule: FaultRule, send: Send, raw_send: Send, *, head: bool) -> None:
        if rule.kind == "drop":
            await _drop(raw_send)
            return
        if rule.kind == "rate_limit":
            await _rate_limited(rule.retry_after, rule.form).send(send, head=head)
            return
        await _status_fault(rule).send(send, head=head)

    # -- dispatch -----------------------------------------------------------------------

    def dispatch(self, request: Request, match: tuple[Route, dict[str, str]] | None) -> Response:
        """Answer one request (no faults applied)."""
        if match is None:
            return not_found() if request.wants_json else _html(NOT_FOUND_HTML, 404)
        route, params = match
        request.params = params
        if route.kind == "json" and not request.wants_json:
            return _html(_shell_page(), 200)
        name = route.name.format(view=params.get("view", ""))
        response = self._answer(request, route, name)
        response.headers.append(("x-discourse-route", name))
        if request.auth is not None:
            shown = _header_value(request.auth.user["username"])
            if shown is not None:
                response.headers.append(("x-discourse-username", shown))
        if self.time_shift:  # the one place where seed time becomes shown time
            response.rewrite_json(lambda data: shift_times(data, self.time_shift))
        return response

    def _answer(self, request: Request, route: Route, name: str) -> Response:
        """Authenticate, check the key's scopes, rate limit and login, then handle."""
        if route.kind != "control":
            try:
                request.auth = self.identify(request)
            except auth.AuthFailed as exc:
                return error(403, exc.message, "invalid_access")
        identity: auth.Identity | None = request.auth
        if identity is not None:
            limited = self.faults.check_key_rate_limit(identity.kind, identity.key_hash)
            if limited is not None:
                return _rate_limited(limited[0], "json", code=limited[1])
            if not auth.scope_allows(identity, request.method, name):
                return error(403, auth.INVALID_ACCESS, "invalid_access")
        elif route.handler in LOGIN_REQUIRED:
            return error(403, NOT_LOGGED_IN, "not_logged_in")
        handler = getattr(self, f"handle_{route.handler}")
        try:
            return handler(request, self.viewer(request))
        except _NotFound:
            return not_found() if route.kind != "text" else _html(NOT_FOUND_HTML, 404)
        except Refused as exc:
            return Response.json(exc.body, exc.status, exc.headers)
        except TooMany as exc:
            return _rate_limited(exc.wait, "json", code=None)
        except BadParams as exc:
            return error(
                400, f"You supplied invalid parameters to the request: {exc}", "invalid_parameters"
            )

    def identify(self, request: Request) -> auth.Identity | None:
        """Who the request speaks for, from ``Api-Key``/``Api-Username`` or
        ``User-Api-Key`` (None: anonymous); :class:`termforum.demo.auth.AuthFailed` for a
        key that identifies nobody."""
        return auth.authenticate(self.store, request.headers, now=self.seed_now())

    def viewer(self, request: Request) -> sqlite3.Row | None:
        """The user making the request (a ``users`` row), or None when anonymous."""
        return request.auth.user if request.auth is not None else None

    def undo_after(self) -> str:
        """The stored time after which a like can still be taken back."""
        window = timedelta(minutes=self.settings.post_undo_action_window_mins)
        return iso(self.seed_now() - window)

    # -- site ---------------------------------------------------------------------------

    def handle_index(self, request: Request, viewer: Any) -> Response:
        """``GET /``: a small HTML page (the latest list when JSON is asked for)."""
        if request.wants_json:
            return self.handle_topic_list(request, viewer, view="latest")
        return _html(_shell_page(), 200)

    def handle_site(self, request: Request, viewer: Any) -> Response:
        """``GET /site.json``."""
        return Response.json(site.site_json(self.store, viewer))

    def handle_basic_info(self, request: Request, viewer: Any) -> Response:
        """``GET /site/basic-info.json``."""
        return Response.json(site.basic_info())

    def handle_about(self, request: Request, viewer: Any) -> Response:
        """``GET /about.json``."""
        return Response.json(site.about_json(self.store))

    # -- categories ---------------------------------------------------------------------

    def handle_categories(self, request: Request, viewer: Any) -> Response:
        """``GET /categories.json`` (``include_subcategories``, ``parent_category_id``)."""
        include = request.arg("include_subcategories") == "true"
        parent = request.int_arg("parent_category_id", 0) or None
        cats = [c for c in self.store.categories() if c["parent_id"] == parent]
        levels = levels_for(self.store, viewer["id"] if viewer is not None else None)
        return Response.json(
            {
                "category_list": {
                    "can_create_category": False,
                    "can_create_topic": viewer is not None,
                    "categories": [
                        site.category_list_item(
                            self.store, c, include_subcategories=include, levels=levels
                        )
                        for c in cats
                    ],
                }
            }
        )

    def handle_category(self, request: Request, viewer: Any) -> Response:
        """``GET /c/{id}/show.json`` and the category topic lists under ``/c/...``."""
        parts = [p for p in request.params["rest"].split("/") if p]
        if len(parts) == 2 and parts[1] == "show" and parts[0].isdigit():
            cat = self._category(int(parts[0]))
            return Response.json({"category": site.category_full(self.store, cat)})
        view = "latest"
        if len(parts) >= 3 and parts[-2] == "l":
            view = parts[-1]
            parts = parts[:-2]
        subcategories = True
        if parts and parts[-1] == "none":
            subcategories = False
            parts = parts[:-1]
        if not parts or not parts[-1].isdigit() or view not in LIST_VIEWS:
            raise _NotFound
        cat = self._category(int(parts[-1]))
        ids = [cat["id"]]
        if subcategories:
            pending = [cat["id"]]
            while pending:
                children = self.store.subcategory_ids(pending.pop())
                ids += children
                pending += children
        slug_path = self._slug_path(cat)
        base = f"/c/{slug_path}/{cat['id']}" + ("/none" if not subcategories else "")
        return self.handle_topic_list(
            request,
            viewer,
            view=view,
            category_ids=ids,
            pin_category=cat["id"],
            base_path=f"{base}/l/{view}",
        )

    def _category(self, category_id: int) -> sqlite3.Row:
        cat = self.store.category(category_id)
        if cat is None:
            raise _NotFound
        return cat

    def _slug_path(self, cat: sqlite3.Row) -> str:
        slugs = [cat["slug"]]
        parent = cat["parent_id"]
        while parent is not None:
            row = self.store.category(parent)
            if row is None:
                break
            slugs.insert(0, row["slug"])
            parent = row["parent_id"]
        return "/".join(slugs)

    # -- topic lists --------------------------------------------------------------------

    def handle_topic_list(
        self,
        request: Request,
        viewer: Any,
        *,
        view: str | None = None,
        category_ids: list[int] | None = None,
        pin_category: int | None = None,
        tag: sqlite3.Row | None = None,
        base_path: str | None = None,
    ) -> Response:
        """``GET /latest|top|hot|new|unread.json`` and every other topic list."""
        view = view or request.params.get("view", "latest")
        if view in LOGIN_VIEWS and viewer is None:
            return error(403, NOT_LOGGED_IN, "not_logged_in")
        period: str | None = None
        if view == "top":
            period = request.arg("period") or "yearly"
            if period not in PERIODS:
                return _invalid("period")
        page = max(request.int_arg("page", 0), 0)
        per_page = min(max(request.int_arg("per_page", ser.PER_PAGE), 1), 100)
        topics, more = self.store.list_topics(
            view,
            category_ids=category_ids,
            pin_category=pin_category,
            tag_id=tag["id"] if tag is not None else None,
            period=period or "all",
            no_definitions=request.arg("no_definitions") == "true",
            order=request.arg("order"),
            ascending=request.arg("ascending") == "true",
            page=page,
            per_page=per_page,
            user_id=viewer["id"] if viewer is not None else None,
            # Discourse's remove_muted_categories: muted ones stay out, but for the one shown.
            exclude_category_ids=muted_ids(self.store, viewer["id"] if viewer else None)
            - {pin_category},
        )
        more_url = None
        if more:
            keep = ("period", "no_definitions", "order", "ascending", "per_page")
            query = [(k, v) for k, v in request.query if k in keep]
            query.append(("page", str(page + 1)))
            more_url = f"{base_path or '/' + view}?{urlencode(query)}"
        extra = None
        if tag is not None:
            tag_json = {"id": tag["id"], "name": tag["name"], "topic_count": tag["count"]}
            extra = {"tags": [{**tag_json, "staff": False}]}
        return Response.json(
            ser.topic_list_json(
                self.store,
                topics,
                more_topics_url=more_url,
                per_page=per_page,
                for_period=period,
                extra_list=extra,
                viewer=viewer,
            )
        )

    def handle_tags(self, request: Request, viewer: Any) -> Response:
        """``GET /tags.json``."""
        return Response.json(
            {
                "tags": [
                    {
                        "id": t["id"],
                        "text": t["name"],
                        "name": t["name"],
                        "description": None,
                        "count": t["count"],
                        "pm_count": 0,
                        "target_tag": None,
                    }
                    for t in self.store.tag_counts()
                ],
                "extras": {"categories": []},
            }
        )

    def handle_tag_list(self, request: Request, viewer: Any) -> Response:
        """``GET /tag/{name}.json`` and ``/tag/{name}/l/{view}.json``."""
        tag = self.store.tag_by_name(request.params["name"])
        view = request.params.get("view", "latest")
        if tag is None or view not in LIST_VIEWS:
            raise _NotFound
        base = f"/tag/{tag['name']}" + (f"/l/{view}" if "view" in request.params else "")
        return self.handle_topic_list(request, viewer, view=view, tag=tag, base_path=base)

    def handle_category_tag_list(self, request: Request, viewer: Any) -> Response:
        """``GET /tags/c/{slug path}/{id}/{tag}.json`` and ``…/{tag}/l/{view}.json``: a
        category's topics (its subcategories' too) with a tag."""
        parts = [p for p in request.params["rest"].split("/") if p]
        view = "latest"
        if len(parts) >= 2 and parts[-2] == "l":
            view, parts = parts[-1], parts[:-2]
        if len(parts) < 2 or not parts[-2].isdigit() or view not in LIST_VIEWS:
            raise _NotFound
        cat = self._category(int(parts[-2]))
        tag = self.store.tag_by_name(parts[-1])
        if tag is None:
            raise _NotFound
        ids, pending = [cat["id"]], [cat["id"]]
        while pending:
            children = self.store.subcategory_ids(pending.pop())
            ids += children
            pending += children
        return self.handle_topic_list(
            request,
            viewer,
            view=view,
            category_ids=ids,
            pin_category=cat["id"],
            tag=tag,
            base_path=f"/tags/c/{self._slug_path(cat)}/{cat['id']}/{tag['name']}/l/{view}",
        )

    # -- topics -------------------------------------------------------------------------

    def _topic(self, topic_id: int) -> sqlite3.Row:
        topic = self.store.topic(topic_id)
        if topic is None:
            raise _NotFound
        return topic

    def handle_topic(self, request: Request, viewer: Any) -> Response:
        """``GET /t/{id}.json``, ``/t/{slug}/{id}.json``, ``/t/{id}/{post_number}.json``."""
        a, b, c = (request.params.get(k) for k in ("a", "b", "c"))
        slug: str | None = None
        number: str | None = None
        if a.isdigit() and c is None:
            topic_id, number = int(a), b
        elif b is not None and b.isdigit():
            slug, topic_id, number = a, int(b), c
        else:
            raise _NotFound
        topic = self._topic(topic_id)
        if slug is not None and slug != topic["slug"]:
            target = f"/t/{topic['slug']}/{topic_id}" + (f"/{number}" if number else "")
            return Response.text("", 301, [("location", target + ".json")])
        post_number: int | None = None
        if number == "last":
            post_number = topic["highest_post_number"]
        elif number is not None:
            if not number.isdigit():
                raise _NotFound
            post_number = int(number)
        total = topic["posts_count"]
        size = ser.CHUNK_SIZE
        if post_number is not None:
            index = self.store.post_position(topic_id, post_number)
            start = max(0, min(index - size // 4, total - size))
        else:
            page = max(request.int_arg("page", 1), 1)
            start = (page - 1) * size
            if start >= total and page > 1:
                raise _NotFound
        posts = self.store.posts_page(topic_id, start, size)
        return Response.json(
            ser.topic_view_json(
                self.store,
                topic,
                posts,
                mega=total >= self.mega_topic_posts,
                current_post_number=post_number,
                viewer=viewer,
                undo_after=self.undo_after(),
            )
        )

    def handle_topic_posts(self, request: Request, viewer: Any) -> Response:
        """``GET /t/{id}/posts.json`` (``post_ids[]``, or ``post_number`` + ``asc``)."""
        topic = self._topic(int(request.params["id"]))
        raw_ids = request.args("post_ids[]")
        if len(raw_ids) > MAX_POST_IDS:
            return error(
                400,
                f"Requested a chunk that is too big: at most {MAX_POST_IDS} post_ids[].",
                "invalid_parameters",
            )
        include_raw = request.arg("include_raw") not in (None, "", "false")
        number = request.arg("post_number")
        if raw_ids:
            ids = sorted({int(i) for i in raw_ids if i.strip().isdigit()})
            posts = self.store.posts_by_ids(topic["id"], ids)
        elif number is not None and number.isdigit():
            asc = request.arg("asc") == "true"
            posts = self.store.posts_from_number(topic["id"], int(number), ser.CHUNK_SIZE, asc)
        else:
            posts = self.store.posts_page(topic["id"], 0, ser.CHUNK_SIZE)
        return Response.json(
            {
                "post_stream": {
                    "posts": ser.posts_json(
                        self.store,
                        topic,
                        posts,
                        viewer=viewer,
                        include_raw=include_raw,
                        undo_after=self.undo_after(),
                    )
                },
                "id": topic["id"],
            }
        )

    def handle_topic_post_ids(self, request: Request, viewer: Any) -> Response:
        """``GET /t/{id}/post_ids.json?post_number=N``."""
        topic = self._topic(int(request.params["id"]))
        after = max(request.int_arg("post_number", 0), 0)
        return Response.json({"post_ids": self.store.post_ids_after(topic["id"], after)})

    # -- posts --------------------------------------------------------------------------

    def _post(self, post_id: int) -> tuple[sqlite3.Row, sqlite3.Row]:
        post = self.store.post(post_id)
        if post is None:
            raise _NotFound
        return post, self._topic(post["topic_id"])

    def _full_post(self, post: sqlite3.Row, topic: sqlite3.Row, viewer: Any) -> dict[str, Any]:
        authors = self.store.authors_of(topic["id"], [post["reply_to_post_number"] or 0])
        personal = ser.personal_for(self.store, viewer, [post["id"]], self.undo_after())
        data = ser.post_json(
            self.store,
            post,
            topic,
            reply_to_user_id=authors.get(post["reply_to_post_number"]),
            viewer=viewer,
            personal=personal.get(post["id"]),
        )
        data["posts_count"] = topic["posts_count"]
        data["post_url"] = f"/t/{topic['slug']}/{topic['id']}/{post['post_number']}"
        return data

    def _single_post(self, post: sqlite3.Row, topic: sqlite3.Row, viewer: Any) -> dict[str, Any]:
        """A post as ``render_post_json`` answers writes: ``PostSerializer`` outside a
        topic view (no ``read``; ``flair_group_id`` and ``badges_granted`` present)."""
        data = self._full_post(post, topic, viewer)
        data.pop("read", None)
        data["flair_group_id"] = None
        data["badges_granted"] = []
        return data

    def handle_post(self, request: Request, viewer: Any) -> Response:
        """``GET /posts/{id}.json`` (with ``raw``)."""
        post, topic = self._post(int(request.params["id"]))
        data = self._full_post(post, topic, viewer)
        data["raw"] = post["raw"]
        data["mentioned_users"] = []
        return Response.json(data)

    def handle_post_replies(self, request: Request, viewer: Any) -> Response:
        """``GET /posts/{id}/replies.json``."""
        post, topic = self._post(int(request.params["id"]))
        replies = self.store.replies_to(post)
        return Response.json([self._full_post(p, topic, viewer) for p in replies])

    def handle_post_raw(self, request: Request, viewer: Any) -> Response:
        """``GET /posts/{id}/raw`` (text/plain)."""
        post, _ = self._post(int(request.params["id"]))
        return Response.text(post["raw"])

    def handle_raw(self, request: Request, viewer: Any) -> Response:
        """``GET /raw/{topic_id}[/{post_number}]`` (text/plain)."""
        topic = self._topic(int(request.params["topic_id"]))
        number = request.params.get("number")
        if number is not None:
            post = self.store.post_by_number(topic["id"], int(number))
            if post is None:
                raise _NotFound
            return Response.text(post["raw"])
        page = max(request.int_arg("page", 1), 1)
        users = self.store.users()
        parts = [
            f"{users[p['user_id']]['username']} | {self._shown(p['created_at'])}"
            f" | #{p['post_number']}\n\n"
            f"{p['raw']}\n\n-------------------------\n"
            for p in self.store.posts_page(topic["id"], (page - 1) * 100, 100)
        ]
        return Response.text("\n".join(parts))

    def _shown(self, stamp: str) -> str:
        """A stored timestamp as shown in a plain-text answer (JSON is shifted on its way
        out, in :meth:`dispatch`)."""
        return shift_timestamp(stamp, self.time_shift) if self.time_shift else stamp

    # -- search, session, users ---------------------------------------------------------

    def handle_search(self, request: Request, viewer: Any) -> Response:
        """``GET /search.json?q=&page=`` (full-page search, 50 results a page)."""
        q = (request.arg("q") or request.arg("term") or "").strip()
        query = SearchQuery.parse(q)
        page = max(request.int_arg("page", 1), 1)
        filtered = query.username or query.category_slug or query.tags
        too_short = not filtered and len(" ".join(query.words)) < MIN_SEARCH_LENGTH
        hits = [] if too_short else self.store.search(query)
        start = (page - 1) * SEARCH_PER_PAGE
        chosen = hits[start : start + SEARCH_PER_PAGE]
        more = len(hits) > start + SEARCH_PER_PAGE
        topics = self.store.topics_by_ids(t for t, _ in chosen)
        posts = self.store.posts_by_global_ids([p for _, p in chosen])
        tags = self.store.tags_for(topics)
        posters = self.store.posters(topics)
        users = self.store.users()
        post_items = []
        for topic_id, post_id in chosen:
            post = posts[post_id]
            user = users[post["user_id"]]
            post_items.append(
                {
                    "id": post_id,
                    "name": user["name"],
                    "username": user["username"],
                    "avatar_template": ser.avatar_template(user),
                    "created_at": post["created_at"],
                    "like_count": post["like_count"],
                    "blurb": ser.search_blurb(post["cooked"], query.words),
                    "post_number": post["post_number"],
                    "topic_title_headline": fancy_title(topics[topic_id]["title"]),
                    "topic_id": topic_id,
                }
            )
        topic_items = [
            ser.topic_list_item(self.store, topics[t], tags[t], posters[t], viewer)
            for t in dict.fromkeys(t for t, _ in chosen)
        ]
        return Response.json(
            {
                "posts": post_items,
                "topics": topic_items,
                "users": [],
                "categories": [],
                "tags": [],
                "groups": [],
                "grouped_search_result": {
                    "more_posts": None,
                    "more_users": None,
                    "more_categories": None,
                    "term": q,
                    "search_log_id": next(self._search_log),
                    "more_full_page_results": True if more else None,
                    "can_create_topic": viewer is not None,
                    "error": "Your search term is too short." if too_short and q else None,
                    "post_ids": [p for _, p in chosen],
                    "user_ids": [],
                    "category_ids": [],
                    "tag_ids": [],
                    "group_ids": [],
                },
            }
        )

    def handle_session_current(self, request: Request, viewer: Any) -> Response:
        """``GET /session/current.json``: 404 with no body when anonymous."""
        if viewer is None:
            return Response(404)  # Discourse: `render body: nil, status: 404`
        return Response.json({"current_user": site.current_user_json(self.store, viewer)})

    # -- fault control ------------------------------------------------------------------

    def handle_faults_get(self, request: Request, viewer: Any) -> Response:
        """``GET /__demo/faults``: the current fault settings."""
        return Response.json(self.faults.snapshot())

    def handle_faults_post(self, request: Request, viewer: Any) -> Response:
        """``POST /__demo/faults``: change the fault settings (JSON)."""
        # Requiring a JSON content type means a web page cannot drive this endpoint with a
        # plain cross-site form post: browsers would have to ask (CORS) first.
        if not request.headers.get("content-type", "").startswith("application/json"):
            return error(415, "Send the fault settings as application/json.", "invalid_parameters")
        try:
            self.faults.apply(request.json_body() or {})
        except ValueError as exc:
            return error(400, str(exc), "invalid_parameters")
        return Response.json(self.faults.snapshot())

    def handle_faults_delete(self, request: Request, viewer: Any) -> Response:
        """``DELETE /__demo/faults``: back to a well-behaved forum."""
        self.faults.reset()
        return Response.json(self.faults.snapshot())


def create_app(data_dir: Path | None = None, **options: Any) -> DemoApp:
    """Build a demo app (seeding ``data_dir`` if needed); see :class:`DemoApp`.

    Options: ``mega_topic_posts``, ``control``, ``faults``, ``time_shift`` (default 0:
    the seed's own, fixed times), ``settings``, ``wall_clock``.
    """
    return DemoApp(data_dir, **options)


# --------------------------------------------------------------------------- responses


def _html(text: str, status: int) -> Response:
    return Response.text(text, status, content_type="text/html; charset=utf-8")


def _shell_page() -> str:
    title = html.escape(content.SITE["title"])
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body>"
        f"<h1>{title}</h1><p>This is a demo Discourse API. Add <code>.json</code> to a path "
        "or send <code>Accept: application/json</code>, e.g. "
        '<a href="/latest.json">/latest.json</a>.</p></body></html>'
    )


def _header_value(text: str) -> str | None:
    """``text`` as a response header value: its UTF-8 bytes (as Rails sends them; our
    headers are encoded as Latin-1), or None when it cannot be one at all (control
    characters, as in usernames made through ``POST /users.json``, or edge whitespace)."""
    if text != text.strip(" \t") or any(ord(c) < 0x20 or ord(c) == 0x7F for c in text):
        return None
    return text.encode("utf-8").decode("latin-1")


def _invalid(name: str) -> Response:
    return error(
        400, f"You supplied invalid parameters to the request: {name}", "invalid_parameters"
    )


def _time_left(seconds: int) -> str:
    if seconds >= 120:
        return f"{seconds // 60} minutes"
    return "1 second" if seconds == 1 else f"{seconds} seconds"


async def _client_left(receive: Receive, seconds: float) -> bool:
    """Hold the answer back up to ``seconds``; True as soon as the client disconnects
    (then nothing is left to answer), False when the time is up."""

    async def disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    try:
        await asyncio.wait_for(disconnect(), timeout=seconds)
    except TimeoutError:
        return False
    return True


async def _drop(send: Send) -> None:
    """Close the connection without an answer (uvicorn), or raise
    :class:`ConnectionDropped` where there is no connection (``httpx.ASGITransport``)."""
    cycle = getattr(send, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None or not hasattr(transport, "abort"):
        raise ConnectionDropped("connection dropped by a demo fault")
    transport.abort()
    for _ in range(3):  # let the server see the closed connection before we return
        await asyncio.sleep(0)


def _rate_limited(
    wait: int, form: str, code: str | None = "user_api_key_limiter_60_secs"
) -> Response:
    """A 429 like Discourse's: JSON from the app's limiters (with
    ``Discourse-Rate-Limit-Error-Code`` when the limiter has one), text/plain per IP."""
    if form == "text":
        code = "ip_60_secs_limit"
        return Response.text(
            "Slow down, too many requests from this IP address. Please retry again in "
            f"{wait} seconds. Error code: {code}.\n",
            429,
            [("retry-after", str(wait)), ("discourse-rate-limit-error-code", code)],
        )
    left = _time_left(wait)
    headers = [("retry-after", str(wait))]
    if code:
        headers.append(("discourse-rate-limit-error-code", code))
    return error(
        429,
        f"You’ve performed this action too many times. Please wait {left} before trying again.",
        "rate_limit",
        extras={"wait_seconds": wait, "time_left": left},
        headers=headers,
    )


_ERROR_TYPES = {
    400: "invalid_parameters",
    403: "invalid_access",
    404: "not_found",
    422: "record_invalid",
    429: "rate_limit",
    503: "read_only",
}


def _status_fault(rule: FaultRule) -> Response:
    status = rule.status
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Error"
    if rule.body == "html":
        page = (
            f"<html><head><title>{status} {reason}</title></head><body>"
            f"<center><h1>{status} {reason}</h1></center><hr><center>nginx</center>"
            "</body></html>"
        )
        return _html(page, status)
    return error(status, reason, _ERROR_TYPES.get(status))

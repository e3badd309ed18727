"""A Discourse-compatible demo forum: ASGI app + SQLite + original seed content.

``termforum --demo`` runs it in-process on 127.0.0.1 and points a Discourse backend at
it; ``termforum demo-server`` runs it alone. It answers the Discourse JSON API subset the
client uses, reads and writes, with the response shapes of a real Discourse (checked
against Discourse's OpenAPI description by the tests). It is a test double and a
showroom.

Use from Python::

    from termforum.demo import DemoServer, create_app

    app = create_app(tmp_path)                 # ASGI app; seeds tmp_path on first use
    transport = httpx.ASGITransport(app=app)   # in-process, no sockets
    key = app.create_user_api_key("priya")     # header User-Api-Key: key

    with DemoServer() as server:               # real loopback HTTP, free port
        httpx.get(server.url + "/latest.json")
        username, key = server.demo_credentials()   # the demo account, "you"

Read endpoints (``.json`` suffix or ``Accept: application/json``):
``/site``, ``/site/basic-info``, ``/about``, ``/categories`` (``include_subcategories``),
``/c/{id}/show``, ``/latest``, ``/top`` (``period``), ``/hot``, ``/new`` and ``/unread``
(per user; 403 ``not_logged_in`` for anonymous requests),
``/c/[parent/]{slug}/{id}[/none][/l/{view}]``, ``/tags``, ``/tag/{name}``, ``/t/{id}``,
``/t/{slug}/{id}[/{post_number}]``, ``/t/{id}/posts`` (``post_ids[]``, at most
:data:`MAX_POST_IDS`; or ``post_number`` + ``asc``; ``include_raw``), ``/t/{id}/post_ids``,
``/posts/{id}``, ``/posts/{id}/replies``, ``/posts/{id}/raw``,
``/raw/{topic_id}[/{post_number}]`` (text/plain), ``/search`` (``q``, ``page``),
``/session/current`` (``{"current_user": ...}``; 404 when anonymous), ``/u/{username}``,
``/topics/similar_to`` (``title``, ``raw``).

Write endpoints (login required; see :mod:`termforum.demo.write_api`): ``POST /posts``
(reply, new topic; 422 with Discourse's messages; the moderation queue's ``enqueued``
answer in *Moderation Notes*), ``PUT /posts/{id}``, ``POST /post_actions`` and
``DELETE /post_actions/{post_id}`` (likes), ``POST /bookmarks``, ``DELETE
/bookmarks/{id}``, ``PUT /t/{id}/bookmark``, ``PUT /t/{id}/remove_bookmarks``,
``POST /topics/timings``, ``POST /user-api-key/revoke``.

Notifications (login required; see :mod:`termforum.demo.notification_api`): ``GET
/notifications`` (newest first, 60 a page), ``PUT /notifications/mark-read`` (``id`` or
all), ``GET /notifications/totals``; replies, ``@mentions`` and likes make them
(:mod:`termforum.demo.notifications`), and ``/session/current`` counts the unread ones.

Logging in (:mod:`termforum.demo.user_api_keys`): Discourse's User API key flow without a
browser session — ``GET /user-api-key/new`` (approval page; ``HEAD`` answers
``Auth-Api-Version: 4``) and ``POST /user-api-key`` (the payload, encrypted with the
client's RSA public key, shown for copy and paste). Per-key rate limits like Discourse's
(20 a minute, 2,880 a day per user API key) are off unless ``key_rate_limits`` turns them
on (``termforum demo-server --key-rate-limits 20/2880``).

Who is asking (:mod:`termforum.demo.auth`): ``User-Api-Key`` (+ ``User-Api-Client-Id``)
or ``Api-Key`` + ``Api-Username``; keys come from :meth:`DemoApp.create_user_api_key`,
:meth:`DemoApp.create_api_key` and, for the seeded demo account :data:`DEMO_USERNAME`
("You (demo)", trust level 1), :meth:`DemoApp.demo_credentials` /
:meth:`DemoServer.demo_credentials`. Bad or revoked keys answer 403 ``invalid_access``.
The rules writes obey are :class:`SiteSettings` (Discourse's defaults).

Times: the database holds "seed time" (fixed, before 2025-11-20, so seeding is
deterministic); the API adds ``time_shift`` to every timestamp it answers with.
``create_app()``/``DemoApp()`` default to no shift (fixed times for tests);
``DemoServer``/``serve_forever`` default to :func:`live_time_shift`, which shows the newest
post about 20 minutes before now, so the forum looks lively. Writes are stored at real
time minus the shift, so they show as just written. Details in
:mod:`termforum.demo.clock`.
Lists page like Discourse: 30 per page, ``page`` 0-based, ``more_topics_url`` (no
``.json``) only when another page exists. Topics with 10,000 posts or more are "mega
topics": no ``post_stream.stream``, as in Discourse.

Misbehaving on purpose (for tests), through ``app.faults`` or ``POST /__demo/faults``
(JSON; ``GET`` shows the settings, ``DELETE`` resets them); every rule takes
``path_prefix`` and ``method`` (``"POST"``, ``"write"``, ...) filters:

- ``latency``: seconds added to every request;
- ``fail_next(n, status=503, path_prefix="/latest", body="json"|"html")``: 4xx/5xx answers;
- ``rate_limit_next(n, retry_after=7, form="json"|"text")``: 429 with ``Retry-After`` and
  ``Discourse-Rate-Limit-Error-Code``; JSON form ``{"errors", "error_type": "rate_limit",
  "extras": {"wait_seconds", "time_left"}}``, text form like Discourse's per-IP limiter;
- ``malform_next(n)``: 200 with cut-off JSON;
- ``drop_next(n)``: the connection is closed without an answer (nothing is handled);
- ``accept_then_timeout(n, delay=30)`` / ``accept_then_drop(n)``: the request is handled
  (a write is stored and committed), then the answer waits ``delay`` seconds or the
  connection is closed: the client cannot know its write landed;
- ``set_rate_limit(per_minute, form=...)``: per-client (IP) limit like Discourse's, off by
  default;
- ``set_key_rate_limits()``: Discourse's per-key API limits (20/min and 2,880/day per user
  API key, 60/min for admin keys), off by default.

Admin keys may also ``POST /users.json`` and ``POST /categories.json``. Unlike Discourse, the
demo takes any text as a username, name or group name (escape sequences, markup, bidi
controls): tests use them to check that hostile server text stays harmless.

``app.journal`` lists the requests that reached the app (when, method, path, status), so a
test can check what a client sent and when.

The control endpoint is never subject to faults; ``create_app(control=False)`` removes it.
Importing this package is cheap: the app, the seeder and uvicorn load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from termforum.demo.app import (
        DEMO_CLIENT_ID,
        MAX_POST_IDS,
        MEGA_TOPIC_POSTS,
        DemoApp,
        create_app,
    )
    from termforum.demo.clock import live_time_shift
    from termforum.demo.content import DEMO_USERNAME
    from termforum.demo.faults import Faults, KeyRateLimits
    from termforum.demo.seed import ensure_seeded, seed
    from termforum.demo.server import DemoServer, DemoServerError, serve_forever
    from termforum.demo.settings import SiteSettings

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_USERNAME",
    "MAX_POST_IDS",
    "MEGA_TOPIC_POSTS",
    "DemoApp",
    "DemoServer",
    "DemoServerError",
    "Faults",
    "KeyRateLimits",
    "SiteSettings",
    "create_app",
    "ensure_seeded",
    "live_time_shift",
    "seed",
    "serve_forever",
]

_EXPORTS = {
    "DEMO_CLIENT_ID": "termforum.demo.app",
    "DEMO_USERNAME": "termforum.demo.content",
    "KeyRateLimits": "termforum.demo.faults",
    "SiteSettings": "termforum.demo.settings",
    "MAX_POST_IDS": "termforum.demo.app",
    "MEGA_TOPIC_POSTS": "termforum.demo.app",
    "DemoApp": "termforum.demo.app",
    "create_app": "termforum.demo.app",
    "Faults": "termforum.demo.faults",
    "live_time_shift": "termforum.demo.clock",
    "ensure_seeded": "termforum.demo.seed",
    "seed": "termforum.demo.seed",
    "DemoServer": "termforum.demo.server",
    "DemoServerError": "termforum.demo.server",
    "serve_forever": "termforum.demo.server",
}


def __getattr__(name: str) -> Any:
    """Load the public names on first use (keeps ``import termforum.demo`` cheap)."""
    module_name = _EXPORTS.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value

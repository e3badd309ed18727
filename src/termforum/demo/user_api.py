"""The demo forum's member endpoints, as a mixin of :class:`termforum.demo.app.DemoApp`.

``GET /u/{username}.json``
    The profile (``UserSerializer``): ``{"user_badges": [], "user": {...}}``.
``GET /u/{username}/summary.json``
    The numbers and top lists of the profile's summary tab (``UserSummarySerializer``,
    see :mod:`termforum.demo.serialize_user`).

Both find the member case-insensitively, as Discourse's ``fetch_user_from_params`` does,
and answer 404 (Discourse's ``not_found`` body) when there is no such member. Anyone may
ask, logged in or not.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any

from termforum.demo import serialize_site as site
from termforum.demo.serialize_user import user_summary_json
from termforum.demo.web import Request, Response, not_found

if TYPE_CHECKING:
    from termforum.demo.queries import Store

__all__ = ["UserHandlers"]


class UserHandlers:
    """``/u/{username}.json`` and ``/u/{username}/summary.json``."""

    store: Store

    def _member(self, request: Request) -> sqlite3.Row | None:
        return self.store.user_by_username(request.params["username"])

    def handle_user(self, request: Request, viewer: Any) -> Response:
        """``GET /u/{username}.json``."""
        user = self._member(request)
        if user is None:
            return not_found()
        return Response.json(site.user_json(self.store, user, viewer))

    def handle_user_summary(self, request: Request, viewer: Any) -> Response:
        """``GET /u/{username}/summary.json``."""
        user = self._member(request)
        if user is None:
            return not_found()
        return Response.json(user_summary_json(self.store, user, viewer))

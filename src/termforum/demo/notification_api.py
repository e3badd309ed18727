"""The demo forum's notification endpoints, as a mixin of :class:`termforum.demo.app.DemoApp`.

All of them need a login (403 ``not_logged_in`` otherwise); a User API key needs the
``read`` or ``notifications`` scope to list, ``write`` or ``notifications`` to mark read.
Answers follow Discourse's ``NotificationsController``:

``GET /notifications.json``
    ``{"notifications": [...], "total_rows_notifications": N, "seen_notification_id": N,
    "load_more_notifications": "/notifications?offset=60&username=..."}``: the newest 60
    (``offset`` pages on, ``filter=read|unread`` narrows), newest first. ``username``
    names another user (staff only: 403 ``invalid_access`` for others, 404 when there is
    no such user). With ``recent`` it is the short list of the notification menu instead:
    ``{"notifications": [...], "seen_notification_id": N}``, the newest ``limit`` (15, at
    most 50), which also marks them seen unless ``silent`` is given.
``PUT /notifications/mark-read.json`` (also ``PUT /notifications/read``)
    ``id`` (form or JSON) marks that notification read, no ``id`` all of the user's:
    ``{"success": "OK"}`` (an id that is not the user's changes nothing).
``GET /notifications/totals.json``
    The unread counts: ``{"unread_notifications", "unread_high_priority_notifications",
    "unread_personal_messages", "unseen_reviewables",
    "new_personal_messages_notifications_count", "group_inboxes"}`` (the demo has no
    personal messages or review queue to count: those are 0 and ``[]``).

What makes notifications is :mod:`termforum.demo.notifications`.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from termforum.demo import auth
from termforum.demo.notifications import notification_json
from termforum.demo.web import Request, Response
from termforum.demo.writes import NOT_FOUND, Refused

if TYPE_CHECKING:
    from termforum.demo.queries import Store
    from termforum.demo.writes import Writer

__all__ = ["PAGE_SIZE", "NotificationHandlers"]

PAGE_SIZE = 60
"""Notifications per page of the full list (``NotificationsController#index``)."""
RECENT_LIMIT, RECENT_MAX = 15, 50
"""Default and largest ``limit`` of the ``recent`` list."""
_FILTERS = {"read": True, "unread": False}

Row = sqlite3.Row


def _to_i(value: Any) -> int:
    """Ruby's ``to_i`` for a parameter: the leading digits, else 0."""
    text = str(value).strip()
    digits = len(text) - len(text.lstrip("0123456789"))
    return int(text[:digits]) if digits else 0


class NotificationHandlers:
    """Handlers of the notification endpoints (mixed into ``DemoApp``)."""

    if TYPE_CHECKING:
        store: Store
        writer: Writer

    def _notifications_owner(self, request: Request, viewer: Row) -> Row:
        """Whose notifications to list: the viewer's, or (staff only) ``username``'s."""
        wanted = request.arg("username")
        if not wanted or wanted.casefold() == viewer["username"].casefold():
            return viewer
        if not (viewer["admin"] or viewer["moderator"]):
            raise Refused.errors(403, auth.INVALID_ACCESS, error_type="invalid_access")
        user = self.store.user_by_username(wanted)
        if user is None:
            raise Refused.errors(404, NOT_FOUND, error_type="not_found")
        return user

    def handle_notifications(self, request: Request, viewer: Row) -> Response:
        """``GET /notifications.json`` (``offset``, ``filter``, ``username``; ``recent``)."""
        if request.arg("recent") not in (None, "", "false"):
            return self._recent_notifications(request, viewer)
        user = self._notifications_owner(request, viewer)
        flt = request.arg("filter")
        read = _FILTERS.get(flt or "")
        offset = max(request.int_arg("offset", 0), 0)
        rows = self.store.notifications(user["id"], offset=offset, limit=PAGE_SIZE, read=read)
        more: dict[str, Any] = {"offset": offset + PAGE_SIZE, "username": user["username"]}
        if read is not None:
            more["filter"] = flt
        return Response.json(
            {
                "notifications": [notification_json(r) for r in rows],
                "total_rows_notifications": self.store.notification_count(user["id"], read=read),
                "seen_notification_id": user["seen_notification_id"],
                "load_more_notifications": f"/notifications?{urlencode(sorted(more.items()))}",
            }
        )

    def _recent_notifications(self, request: Request, viewer: Row) -> Response:
        """The notification menu's list; marks what it shows seen unless ``silent``."""
        limit = min(max(request.int_arg("limit", RECENT_LIMIT), 1), RECENT_MAX)
        rows = self.store.notifications(viewer["id"], limit=limit)
        seen = viewer["seen_notification_id"]
        if rows and request.arg("silent") is None:
            newest = max(r["id"] for r in rows)
            self.writer.saw_notification(viewer, newest)
            seen = max(seen, newest)
        return Response.json(
            {"notifications": [notification_json(r) for r in rows], "seen_notification_id": seen}
        )

    def handle_notifications_mark_read(self, request: Request, viewer: Row) -> Response:
        """``PUT /notifications/mark-read.json`` (``id`` optional): ``{"success": "OK"}``."""
        value = request.params_dict().get("id")
        self.writer.mark_notifications_read(viewer, None if value is None else _to_i(value))
        return Response.json({"success": "OK"})

    def handle_notifications_totals(self, request: Request, viewer: Row) -> Response:
        """``GET /notifications/totals.json``: the unread counts."""
        counts = self.store.notification_counts(viewer)
        return Response.json(
            {
                "unread_notifications": counts.unread,
                "unread_high_priority_notifications": counts.unread_high_priority,
                "unread_personal_messages": 0,
                "unseen_reviewables": 0,
                "new_personal_messages_notifications_count": 0,
                "group_inboxes": [],
            }
        )

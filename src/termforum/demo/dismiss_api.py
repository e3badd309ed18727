"""The demo forum's "Dismiss" endpoints, as a mixin of :class:`termforum.demo.app.DemoApp`.

Both need a login (403 ``not_logged_in`` otherwise). They follow Discourse's
``TopicsController#bulk`` and ``#reset_new``:

``PUT /topics/bulk.json``
    ``operation[type]`` ``dismiss_posts`` (the only operation the demo knows; others are
    400 ``invalid_parameters``) on ``topic_ids[]``, or with ``filter=unread`` on the
    viewer's unread topics, of ``category_id`` (and its subcategories) when given. The
    viewer's ``last_read_post_number`` of each becomes the topic's last post:
    ``{"topic_ids": [changed ids]}``.
``PUT /topics/reset-new.json``
    Dismisses the viewer's new topics (of ``category_id`` and its subcategories when
    given): ``{"success": "OK", "topic_ids": [...]}``. Discourse records them as dismissed
    without reading them; the demo marks them read, which takes them out of *new* and
    *unread* alike, as the dismissal does.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from termforum.demo.web import BadParams, Request, Response

if TYPE_CHECKING:
    from termforum.demo.queries import Store

__all__ = ["DismissHandlers"]

Row = sqlite3.Row

_ALL = 10_000
"""Enough topics for one dismissal (the demo's lists are far shorter)."""


def _int(value: Any) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


class DismissHandlers:
    """Handlers of the dismiss endpoints (mixed into ``DemoApp``)."""

    if TYPE_CHECKING:
        store: Store

    def _scope(self, params: Mapping[str, Any]) -> list[int] | None:
        """The category of ``category_id`` with its subcategories (None: all)."""
        if params.get("category_id") in (None, ""):
            return None
        category_id = _int(params.get("category_id"))
        if category_id is None or self.store.category(category_id) is None:
            raise BadParams("category_id")
        ids, pending = [category_id], [category_id]
        while pending:
            children = self.store.subcategory_ids(pending.pop())
            ids += children
            pending += children
        return ids

    def _listed(self, view: str, viewer: Row, categories: list[int] | None) -> list[Row]:
        rows, _ = self.store.list_topics(
            view, category_ids=categories, per_page=_ALL, user_id=viewer["id"]
        )
        return rows

    def _read_to_end(self, viewer: Row, topics: Sequence[Row]) -> list[int]:
        """Move the viewer's last read post of each topic to its last post."""
        with self.store.transaction() as conn:
            conn.executemany(
                "INSERT INTO topic_users (user_id, topic_id, last_read_post_number,"
                " notification_level) VALUES (?, ?, ?, 1) ON CONFLICT (user_id, topic_id) DO"
                " UPDATE SET last_read_post_number = excluded.last_read_post_number",
                [(viewer["id"], t["id"], t["highest_post_number"]) for t in topics],
            )
        return [t["id"] for t in topics]

    def handle_topics_bulk(self, request: Request, viewer: Row) -> Response:
        """``PUT /topics/bulk.json``: ``dismiss_posts`` on ``topic_ids`` or ``filter=unread``."""
        params = request.params_dict()
        operation = params.get("operation")
        kind = operation.get("type") if isinstance(operation, Mapping) else None
        if kind != "dismiss_posts":
            raise BadParams("operation")
        wanted = params.get("topic_ids")
        if wanted is not None:
            values = list(wanted.values()) if isinstance(wanted, Mapping) else wanted
            if not isinstance(values, list):
                raise BadParams("topic_ids")
            ids = [i for i in (_int(v) for v in values) if i is not None]
            topics = [t for t in self.store.topics_by_ids(ids).values() if t["visible"]]
            # Like Discourse's dismiss_posts: only topics the viewer has a relation to.
            states = self.store.topic_states_for_user(viewer["id"], [t["id"] for t in topics])
            topics = [t for t in topics if t["id"] in states]
        elif params.get("filter") == "unread":
            topics = self._listed("unread", viewer, self._scope(params))
        else:
            raise BadParams("topic_ids")
        return Response.json({"topic_ids": self._read_to_end(viewer, topics)})

    def handle_topics_reset_new(self, request: Request, viewer: Row) -> Response:
        """``PUT /topics/reset-new.json`` (``category_id`` optional)."""
        topics = self._listed("new", viewer, self._scope(request.params_dict()))
        return Response.json({"success": "OK", "topic_ids": self._read_to_end(viewer, topics)})

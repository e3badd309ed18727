"""The demo forum's write endpoints, as a mixin of :class:`termforum.demo.app.DemoApp`.

Each ``handle_*`` method answers one route of the routing table (:func:`build_router`);
the checks and database changes are in :class:`termforum.demo.writes.Writer`. Bodies may
be JSON, form-encoded or multipart (:meth:`Request.params_dict`). Answers follow
Discourse's controllers:

``POST /posts.json``
    ``PostsController#create``: the bare created post (200); 422
    ``{"action": "create_post", "errors": [...]}`` when refused; 200 ``{"action":
    "enqueued", "success": true, "pending_count": N, "pending_post": {"id", "raw",
    "created_at"}}`` when the category holds posts for approval; with ``nested_post``
    the whole result. Identical requests made with an *admin* key within
    ``api_memoize_seconds`` get the first answer again (Discourse's memoizer).
``PUT /posts/{id}.json``
    ``{"post": {...}}`` (with ``raw``); 403 unless the author or staff.
``POST /post_actions.json`` / ``DELETE /post_actions/{post_id}.json``
    Like and unlike (``post_action_type_id`` 2): the updated post, with
    ``Discourse-Actions-Remaining``/``Discourse-Actions-Max`` on a like.
``POST /bookmarks.json`` / ``DELETE /bookmarks/{id}.json`` / ``PUT /t/{id}/bookmark``
    ``{"success": "OK", "id": N}``, ``{"success": "OK", "topic_bookmarked": bool}``,
    an empty 200.
``POST /topics/timings``
    Read state; an empty 200.
``GET /topics/similar_to.json``
    ``[]`` for short titles, else Discourse's REST-serializer shape: ``{"topics": [topic
    list items], "similar_topics": [{"id", "blurb", "created_at", "url", "topic_id"}],
    "__rest_serializer": "1"}``.
``POST /user-api-key/revoke``
    Revokes the calling user API key: ``{"success": "OK"}``.
``POST /category/{id}/notifications``
    ``notification_level`` (0 muted … 4 watching first post) sets the user's level for the
    category (:mod:`termforum.demo.category_levels`): ``{"success": "OK",
    "indirectly_muted_category_ids": [...]}``; 404 for an unknown category, 400
    ``invalid_parameters`` for a level that is not one of those (Discourse takes
    ``to_i`` of anything, so a typo would mute: the demo refuses instead).
``POST /users.json`` (admin API key only)
    ``username``, ``name``?, ``email``?, ``password``, ``active``, ``approved`` (the
    last four are accepted and ignored: every demo user is active): creates a trust
    level 1 user and answers ``{"success": true, "active": true, "message": "...",
    "user_id": N}``; 422 ``{"success": false, "message": "...", "errors": {"username":
    [...]}}`` for an empty, over-long (60) or taken username. Any other text is
    accepted, unlike Discourse (see :meth:`Writer.create_user`).
``POST /categories.json`` (admin API key only)
    ``name``, ``color``?, ``text_color``?, ``parent_category_id``?, ``description``?:
    ``{"category": {...}}`` (``CategorySerializer``, as ``/c/{id}/show.json``); 422
    ``{"errors": ["Category Name has already been taken"]}`` for a duplicate name.

The two admin routes answer 403 ``invalid_access`` to anonymous requests, user API keys
and admin keys speaking for a non-admin user. They exist so that tests can make users and
categories with hostile names through HTTP.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from termforum.demo import auth
from termforum.demo import serialize as ser
from termforum.demo import serialize_site as site
from termforum.demo.category_levels import LEVELS, indirectly_muted_ids, set_level
from termforum.demo.similar import rank_similar
from termforum.demo.web import Request, Response
from termforum.demo.writes import ACCOUNT_ACTIVATED, NOT_FOUND, CreateResult, NewPost, Refused

if TYPE_CHECKING:
    from termforum.demo.queries import Store
    from termforum.demo.settings import SiteSettings
    from termforum.demo.writes import Writer

__all__ = ["WriteHandlers"]

LIKE = 2
Row = sqlite3.Row


def _missing(name: str) -> Refused:
    """Rails' ``ParameterMissing``, as Discourse renders it (400, no ``error_type``)."""
    return Refused.errors(400, f"param is missing or the value is empty: {name}")


def _not_found() -> Refused:
    return Refused.errors(404, NOT_FOUND, error_type="not_found")


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    return None


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = value.split(",")
    if isinstance(value, Mapping):  # tags[0]=a&tags[1]=b
        value = list(value.values())
    if not isinstance(value, list):
        return ()
    names = []
    for item in value:
        if isinstance(item, Mapping):  # {id, name} objects (newer clients)
            item = item.get("name")
        if isinstance(item, str) and item.strip():
            names.append(item.strip())
    return tuple(names)


def _require_admin_key(request: Request, viewer: Row | None) -> None:
    """Refuse (403 ``invalid_access``) unless an admin API key speaks for an admin."""
    identity = request.auth
    if identity is None or not identity.is_api or viewer is None or not viewer["admin"]:
        raise Refused.errors(403, auth.INVALID_ACCESS, error_type="invalid_access")


def _empty() -> Response:
    """Discourse's ``render body: nil``."""
    return Response(200)


class WriteHandlers:
    """Handlers of the write endpoints (mixed into ``DemoApp``)."""

    if TYPE_CHECKING:
        store: Store
        writer: Writer
        settings: SiteSettings
        wall_clock: Callable[[], datetime]
        _memo: dict[str, tuple[datetime, dict[str, Any]]]

        def seed_now(self) -> datetime: ...

        def undo_after(self) -> str: ...

        def _single_post(self, post: Row, topic: Row, viewer: Any) -> dict[str, Any]: ...

    # -- helpers ------------------------------------------------------------------------

    def _post_and_topic(self, post_id: int | None) -> tuple[Row, Row]:
        post = self.store.post(post_id) if post_id is not None else None
        topic = self.store.topic(post["topic_id"]) if post is not None else None
        if post is None or topic is None:
            raise _not_found()
        return post, topic

    def _post_with_raw(self, post: Row, topic: Row, viewer: Row) -> dict[str, Any]:
        data = self._single_post(post, topic, viewer)
        data["raw"] = post["raw"]
        data["draft_sequence"] = self.store.draft_sequence(viewer["id"], f"topic_{topic['id']}")
        return data

    def _memoized(self, request: Request, params: Mapping[str, Any]) -> tuple[str | None, Any]:
        """Discourse's ``DistributedMemoizer`` for admin-key post creation: a signature of
        the request and any answer remembered for it."""
        identity = request.auth
        seconds = self.settings.api_memoize_seconds
        if identity is None or not identity.is_api or seconds <= 0:
            return None, None
        material = json.dumps(
            [
                sorted((k, v) for k, v in params.items() if k != "nested_post"),
                identity.user["id"],
                request.client,
                request.headers.get("user-agent"),
            ],
            default=str,
            sort_keys=True,
        )
        signature = hashlib.sha1(material.encode("utf-8")).hexdigest()
        now = self.wall_clock()
        for key in [
            k for k, (at, _) in self._memo.items() if now - at > timedelta(seconds=seconds)
        ]:
            del self._memo[key]
        hit = self._memo.get(signature)
        return signature, hit[1] if hit is not None else None

    def _result_json(self, result: CreateResult, viewer: Row) -> dict[str, Any]:
        """``NewPostResultSerializer``."""
        data: dict[str, Any] = {"action": result.action}
        if result.post is not None and result.topic is not None:
            data["post"] = self._post_with_raw(result.post, result.topic, viewer)
        if result.errors:
            data["errors"] = list(result.errors)
        if result.success:
            data["success"] = True
        if result.action == "enqueued":
            data["pending_count"] = result.pending_count
        if result.pending is not None:
            data["pending_post"] = {
                "id": result.pending["id"],
                "raw": result.pending["raw"],
                "created_at": result.pending["created_at"],
            }
        return data

    # -- posts --------------------------------------------------------------------------

    def handle_create_post(self, request: Request, viewer: Row) -> Response:
        """``POST /posts.json``: a reply (``topic_id``) or a new topic (``title``)."""
        params = request.params_dict()
        if params.get("archetype") not in (None, "", "regular"):
            raise Refused.errors(
                400,
                "You supplied invalid parameters to the request: archetype",
                error_type="invalid_parameters",
            )
        signature, data = self._memoized(request, params)
        if data is None:
            topic_param = params.get("topic_id")
            topic_id = _int(topic_param)
            if topic_id is None and _text(topic_param):
                topic_id = 0  # not a number: no such topic
            new = NewPost(
                raw=_text(params.get("raw")) or "",
                topic_id=topic_id,
                reply_to_post_number=_int(params.get("reply_to_post_number")),
                title=_text(params.get("title")),
                category=_text(params.get("category")),
                tags=_tags(params.get("tags")),
            )
            data = self._result_json(self.writer.create_post(viewer, new, self.seed_now()), viewer)
            if signature is not None:
                self._memo[signature] = (self.wall_clock(), data)
        # PostsController#backwards_compatible_json
        success = bool(data.get("success"))
        body = data
        nested = params.get("nested_post")
        if not nested and not data.get("errors") and data.get("action") != "enqueued":
            body = data["post"]
        return Response.json(body, 200 if success else 422)

    def handle_update_post(self, request: Request, viewer: Row) -> Response:
        """``PUT /posts/{id}.json`` with ``{"post": {"raw", "edit_reason"?}}``."""
        params = request.params_dict()
        changes = params.get("post")
        if not isinstance(changes, Mapping) or not changes:
            raise _missing("post")
        post, topic = self._post_and_topic(int(request.params["id"]))
        if not ser.can_edit_post(viewer, post, topic):
            raise Refused.errors(403, auth.INVALID_ACCESS, error_type="invalid_access")
        raw = _text(changes.get("raw"))
        if raw is None:
            raw = post["raw"]
        reason = _text(changes.get("edit_reason"))
        updated = self.writer.edit_post(viewer, post, raw, reason, self.seed_now())
        topic = self.store.topic(topic["id"]) or topic
        return Response.json({"post": self._post_with_raw(updated, topic, viewer)})

    # -- likes --------------------------------------------------------------------------

    def handle_post_action_create(self, request: Request, viewer: Row) -> Response:
        """``POST /post_actions.json`` ``{id, post_action_type_id: 2}``: like a post."""
        params = request.params_dict()
        if params.get("id") in (None, ""):
            raise _missing("id")
        if params.get("post_action_type_id") in (None, ""):
            raise _missing("post_action_type_id")
        post, topic = self._post_and_topic(_int(params.get("id")))
        if _int(params.get("post_action_type_id")) != LIKE:
            # Flags are not offered by the demo (actions_summary never offers them).
            raise Refused.errors(403, auth.INVALID_ACCESS)
        remaining, maximum = self.writer.like(viewer, post, topic, self.seed_now())
        fresh = self.store.post(post["id"]) or post
        return Response.json(
            self._single_post(fresh, self.store.topic(topic["id"]) or topic, viewer),
            headers=[
                ("discourse-actions-remaining", str(remaining)),
                ("discourse-actions-max", str(maximum)),
            ],
        )

    def handle_post_action_delete(self, request: Request, viewer: Row) -> Response:
        """``DELETE /post_actions/{post_id}.json?post_action_type_id=2``: unlike."""
        params = request.params_dict()
        if params.get("post_action_type_id") in (None, ""):
            raise _missing("post_action_type_id")
        post, topic = self._post_and_topic(int(request.params["id"]))
        if _int(params.get("post_action_type_id")) != LIKE:
            raise _not_found()
        self.writer.unlike(viewer, post, self.seed_now())
        fresh = self.store.post(post["id"]) or post
        return Response.json(
            self._single_post(fresh, self.store.topic(topic["id"]) or topic, viewer)
        )

    # -- bookmarks ----------------------------------------------------------------------

    def handle_bookmark_create(self, request: Request, viewer: Row) -> Response:
        """``POST /bookmarks.json`` ``{bookmarkable_id, bookmarkable_type}`` (or the
        older ``post_id``): ``{"success": "OK", "id": N}``."""
        params = request.params_dict()
        kind = _text(params.get("bookmarkable_type"))
        target = params.get("bookmarkable_id")
        if target in (None, "") and params.get("post_id") not in (None, ""):
            kind, target = "Post", params.get("post_id")
        if target in (None, ""):
            raise _missing("bookmarkable_id")
        if not kind:
            raise _missing("bookmarkable_type")
        target_id = _int(target)
        if target_id is None:
            raise _not_found()
        preference = _int(params.get("auto_delete_preference"))
        bookmark_id = self.writer.bookmark(
            viewer,
            kind,
            target_id,
            self.seed_now(),
            name=_text(params.get("name")) or None,
            reminder_at=_text(params.get("reminder_at")) or None,
            auto_delete_preference=3 if preference is None else preference,
        )
        return Response.json({"success": "OK", "id": bookmark_id})

    def handle_bookmark_delete(self, request: Request, viewer: Row) -> Response:
        """``DELETE /bookmarks/{id}.json``: ``{"success": "OK", "topic_bookmarked": bool}``."""
        still = self.writer.delete_bookmark(viewer, int(request.params["id"]))
        return Response.json({"success": "OK", "topic_bookmarked": still})

    def handle_topic_bookmark(self, request: Request, viewer: Row) -> Response:
        """``PUT /t/{id}/bookmark.json``: bookmark the topic (empty 200)."""
        topic_id = int(request.params["id"])
        if self.store.topic(topic_id) is None:
            raise _not_found()
        try:
            self.writer.bookmark(viewer, "Topic", topic_id, self.seed_now())
        except Refused as exc:  # TopicsController renders the manager's errors plainly
            raise Refused(exc.status, {"errors": exc.body.get("errors", [])}) from None
        return _empty()

    def handle_topic_remove_bookmarks(self, request: Request, viewer: Row) -> Response:
        """``PUT /t/{id}/remove_bookmarks.json``: drop the user's bookmarks in a topic."""
        topic_id = int(request.params["id"])
        if self.store.topic(topic_id) is None:
            raise _not_found()
        self.writer.remove_topic_bookmarks(viewer, topic_id)
        return _empty()

    # -- read state ---------------------------------------------------------------------

    def handle_timings(self, request: Request, viewer: Row) -> Response:
        """``POST /topics/timings`` (``topic_id``, ``topic_time``, ``timings[n]=ms``)."""
        params = request.params_dict()
        topic_id = _int(params.get("topic_id"))
        topic = self.store.topic(topic_id) if topic_id is not None else None
        timings = params.get("timings")
        if topic is not None and isinstance(timings, Mapping):
            numbers = [n for n in (_int(k) for k in timings) if n is not None]
            spent = _int(params.get("topic_time")) or 0
            self.writer.record_timings(viewer, topic, numbers, spent)
        return _empty()

    # -- category notification levels ---------------------------------------------------

    def handle_category_notifications(self, request: Request, viewer: Row) -> Response:
        """``POST /category/{id}/notifications`` (``notification_level``, form or JSON):
        ``{"success": "OK", "indirectly_muted_category_ids": [...]}``."""
        category_id = int(request.params["id"])
        if self.store.category(category_id) is None:
            raise _not_found()
        raw = request.params_dict().get("notification_level")
        if raw in (None, ""):
            raise _missing("notification_level")
        params_level = _int(raw)
        if params_level is None or params_level not in LEVELS:
            raise Refused.errors(
                400,
                "You supplied invalid parameters to the request: notification_level",
                error_type="invalid_parameters",
            )
        set_level(self.store, viewer["id"], category_id, params_level)
        return Response.json(
            {
                "success": "OK",
                "indirectly_muted_category_ids": indirectly_muted_ids(self.store, viewer["id"]),
            }
        )

    # -- similar topics -----------------------------------------------------------------

    def handle_similar_to(self, request: Request, viewer: Any) -> Response:
        """``GET /topics/similar_to.json?title=&raw=``."""
        params = request.params_dict()
        title = _text(params.get("title")) or ""
        if not title.strip():
            raise _missing("title")
        if len(title) < self.settings.min_title_similar_length:
            return Response.json([])
        rows = rank_similar(
            self.store,
            title,
            _text(params.get("raw")) or "",
            limit=self.settings.max_similar_results,
        )
        ids = [r["id"] for r in rows]
        tags = self.store.tags_for(ids)
        posters = self.store.posters(ids)
        states = self.store.topic_states_for_user(viewer["id"], ids) if viewer else {}
        return Response.json(
            {
                "topics": [
                    ser.topic_list_item(
                        self.store, r, tags[r["id"]], posters[r["id"]], viewer, states.get(r["id"])
                    )
                    for r in rows
                ],
                "similar_topics": [
                    {
                        "id": r["id"],
                        "blurb": ser.search_blurb(r["first_cooked"], ()),
                        "created_at": r["created_at"],
                        "url": f"{request.base_url}/t/{r['slug']}/{r['id']}",
                        "topic_id": r["id"],
                    }
                    for r in rows
                ],
                "__rest_serializer": "1",
            }
        )

    # -- keys ---------------------------------------------------------------------------

    def handle_revoke_user_api_key(self, request: Request, viewer: Row) -> Response:
        """``POST /user-api-key/revoke``: revoke the calling user API key (or, with an
        admin key, the user's key ``id``)."""
        identity = request.auth
        params = request.params_dict()
        key_id = _int(params.get("id"))
        if identity is not None and identity.kind == "user_api_key" and key_id is None:
            key_id = identity.key_id
        if key_id is None:
            raise _missing("id")
        if not auth.revoke_user_api_key_id(self.store, viewer["id"], key_id, now=self.seed_now()):
            raise _not_found()
        return Response.json({"success": "OK"})

    # -- admin: users and categories ----------------------------------------------------

    def handle_create_user(self, request: Request, viewer: Row | None) -> Response:
        """``POST /users.json`` (admin API key): create a user with any username."""
        _require_admin_key(request, viewer)
        params = request.params_dict()
        name = _text(params.get("name"))
        user = self.writer.create_user(
            _text(params.get("username")) or "", name or None, self.seed_now()
        )
        return Response.json(
            {"success": True, "active": True, "message": ACCOUNT_ACTIVATED, "user_id": user["id"]}
        )

    def handle_create_category(self, request: Request, viewer: Row | None) -> Response:
        """``POST /categories.json`` (admin API key): create a category with any name."""
        _require_admin_key(request, viewer)
        params = request.params_dict()
        name = _text(params.get("name"))
        if not name:
            raise _missing("name")
        parent_param = params.get("parent_category_id")
        parent_id = _int(parent_param)
        if parent_id is None and _text(parent_param):
            raise Refused.errors(422, "Parent category is invalid")
        category = self.writer.create_category(
            name,
            self.seed_now(),
            color=_text(params.get("color")) or None,
            text_color=_text(params.get("text_color")) or None,
            parent_id=parent_id,
            description=_text(params.get("description")),
        )
        return Response.json({"category": site.category_full(self.store, category)})

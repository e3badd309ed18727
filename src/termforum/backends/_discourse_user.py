"""Discourse member JSON → ``User``: the profile (``/u/{username}.json``) and its summary
(``/u/{username}/summary.json``). Pure functions, no I/O.

Tolerant like ``_discourse_parse``: a profile must name its member (``user.username``);
everything else may be missing or null and then stays None. What each source holds:

- The profile (``UserSerializer``) has the name, title, trust level, join and last-seen
  times. Its ``post_count`` is sent to staff only. Servers before the summary existed
  (2014–2016) add ``stats``: ``[{action_type, count}]`` (``UserAction`` types: 1 like
  given, 2 like received, 4 new topic, 5 reply), which is where their counts come from.
- The summary (``UserSummarySerializer``) has the counts and the top topics, embedded as
  ``user_summary.topic_ids`` and sideloaded in the root ``topics`` list. When a member
  hides their stats (``can_see_summary_stats: false``) the counts are left out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from termforum.backends._discourse_parse import (
    Json,
    _id,
    _opt_int,
    parse_list_topic,
    parse_time,
    plain,
)
from termforum.models import Topic, User

__all__ = ["add_user_summary", "parse_user_profile"]

LIKED, WAS_LIKED, NEW_TOPIC, REPLY = 1, 2, 4, 5
"""``UserAction`` types counted in an old profile's ``stats``."""

SUMMARY_COUNTS = ("likes_given", "likes_received", "topic_count", "post_count", "days_visited")
"""Counts the summary gives, by their names in both the JSON and ``User``."""


def parse_user_profile(data: Json) -> User:
    """``User`` from ``/u/{username}.json`` (``{"user": {...}}``)."""
    user = data["user"]
    username = user["username"]
    if not isinstance(username, str) or not username:
        raise ValueError("the profile names no member")
    counts: dict[str, int | None] = {
        "post_count": _opt_int(user.get("post_count")),
        "topic_count": _opt_int(user.get("topic_count")),
    }
    counts.update(_old_stats(user.get("stats"), counts))
    return User(
        username=username,
        name=plain(user.get("name")) or None,
        trust_level=_opt_int(user.get("trust_level")),
        title=plain(user.get("title")) or None,
        created_at=parse_time(user.get("created_at")),
        last_seen_at=parse_time(user.get("last_seen_at")),
        last_posted_at=parse_time(user.get("last_posted_at")),
        time_read=_opt_int(user.get("time_read")),
        admin=user.get("admin") is True,
        moderator=user.get("moderator") is True,
        **counts,
    )


def _old_stats(stats: object, known: Mapping[str, int | None]) -> dict[str, int | None]:
    """Counts from a 2014–2016 profile's ``stats`` list (only those ``known`` lacks)."""
    if not isinstance(stats, list):
        return {}
    by_type: dict[int, int] = {}
    for item in stats:
        if isinstance(item, Mapping):
            kind, count = _opt_int(item.get("action_type")), _opt_int(item.get("count"))
            if kind is not None and count is not None:
                by_type[kind] = by_type.get(kind, 0) + count
    found = {
        "likes_given": by_type.get(LIKED, 0),
        "likes_received": by_type.get(WAS_LIKED, 0),
        "topic_count": by_type.get(NEW_TOPIC, 0),
        "post_count": by_type.get(NEW_TOPIC, 0) + by_type.get(REPLY, 0),
    }
    return {key: value for key, value in found.items() if known.get(key) is None}


def add_user_summary(user: User, data: Json) -> User:
    """``user`` with the counts and top topics of ``/u/{username}/summary.json``."""
    summary = data["user_summary"]
    if not isinstance(summary, Mapping):
        raise TypeError("user_summary is not an object")
    changes: dict[str, Any] = {}
    if summary.get("can_see_summary_stats") is not False:
        for key in SUMMARY_COUNTS:
            value = _opt_int(summary.get(key))
            if value is not None:
                changes[key] = value
        time_read = _opt_int(summary.get("time_read"))
        if time_read is not None:
            changes["time_read"] = time_read
    changes["top_topics"] = _top_topics(data, summary, user.username)
    return replace(user, **changes)


def _top_topics(data: Json, summary: Json, username: str) -> tuple[Topic, ...]:
    """The summary's topics in its order: ``topic_ids`` looked up in the sideloaded
    ``topics``, or embedded ``topics`` objects; each written by ``username``."""
    embedded = summary.get("topics")
    sideloaded = data.get("topics")
    ids = summary.get("topic_ids")
    items: list[Any]
    if isinstance(ids, list) and isinstance(sideloaded, list):
        by_id = {str(t.get("id")): t for t in sideloaded if isinstance(t, Mapping)}
        items = [by_id[str(i)] for i in ids if str(i) in by_id]
    elif isinstance(embedded, list):
        items = embedded
    else:
        return ()
    topics: list[Topic] = []
    for item in items:
        if not isinstance(item, Mapping):
            continue
        try:
            _id(item.get("id"))
            topic = parse_list_topic(item, {})
        except (KeyError, TypeError, ValueError):
            continue  # one odd topic does not hide the member's card
        topics.append(replace(topic, author=username))
    return tuple(topics)

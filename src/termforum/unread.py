"""Unread and new: what the forum says a user has not read, joined with what was read here.

The forum knows what a logged-in user read anywhere (Discourse's ``last_read_post_number``,
``unread_posts`` and ``unseen`` on each topic of a list); the cache knows what was read in
termforum, including offline and anonymously. A topic's unread count is taken from whichever
of the two has read further, so a topic read here shows as read before the forum has been
told, and one read in a browser shows as read without opening it here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from termforum.models import Topic

__all__ = ["ReadCounts", "count_unread", "last_post_number", "with_read_state"]


def last_post_number(topic: Topic) -> int:
    """The number of the topic's last post (its post count when the list does not say)."""
    return max(topic.highest_post_number or 0, topic.posts_count)


def with_read_state(topics: Iterable[Topic], read_here: Mapping[str, int]) -> list[Topic]:
    """``topics`` with unread counts and new marks that agree with ``read_here`` (topic id →
    last post number read in termforum) as well as with the forum."""
    joined = []
    for topic in topics:
        here = read_here.get(topic.id)
        there = topic.last_read_post_number
        if here is None or (there is not None and there >= here):
            joined.append(topic)
            continue
        unread = max(0, last_post_number(topic) - here)
        joined.append(replace(topic, unread_posts=unread, unseen=False))
    return joined


@dataclass(frozen=True, slots=True)
class ReadCounts:
    """How many topics of a list are new (never opened) and unread (opened, with posts
    written since)."""

    new: int = 0
    unread: int = 0

    def describe(self) -> str:
        """``"2 new · 5 unread"``, or ``""`` when there is nothing to read."""
        parts = []
        if self.new:
            parts.append(f"{self.new} new")
        if self.unread:
            parts.append(f"{self.unread} unread")
        return " · ".join(parts)


def count_unread(topics: Sequence[Topic]) -> ReadCounts:
    """The new and unread topics of a list."""
    new = sum(1 for topic in topics if topic.unseen)
    unread = sum(1 for topic in topics if not topic.unseen and topic.unread_posts > 0)
    return ReadCounts(new=new, unread=unread)

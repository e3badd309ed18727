"""The data contract shared by every layer (see ``docs/design.md``: *Contract: models*).

All models are frozen dataclasses. Ids are strings for every backend, times are timezone-aware
``datetime`` objects, and every text field that came from a server is *untrusted*: it is plain
text (HTML entities decoded) but it may still hold control characters or markup-looking
brackets. Only ``termforum.render`` and ``termforum.sanitize`` make it safe for the screen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "Group",
    "Notification",
    "Post",
    "PostLimits",
    "SearchHit",
    "Site",
    "Thread",
    "Topic",
    "TopicPage",
    "User",
    "GROUP_LEVELS",
    "MEMBER_VIEWS",
    "TOPIC_VIEWS",
    "TOP_PERIODS",
    "TRUST_LEVELS",
]

GROUP_LEVELS: tuple[str, ...] = ("watching", "watching_first_post", "tracking", "normal", "muted")
"""Notification levels a group may have for the reader, most attentive first (Discourse's
category levels 3, 4, 2, 1, 0)."""

TOPIC_VIEWS: tuple[str, ...] = ("latest", "new", "unread", "top", "hot", "posted", "bookmarks")
"""The topic-list views every backend is asked for: the first five in the order ``v``
cycles them, then the user's own activity (topics they posted in, their bookmarks)."""

MEMBER_VIEWS: frozenset[str] = frozenset({"new", "unread", "posted", "bookmarks"})
"""Views that only make sense for a logged-in user."""

TOP_PERIODS: tuple[str, ...] = ("daily", "weekly", "monthly", "quarterly", "yearly", "all")
"""Periods accepted by the ``top`` view."""


@dataclass(frozen=True, slots=True)
class Site:
    """What a forum says about itself."""

    title: str
    description: str
    url: str
    login_required: bool = False
    version: str | None = None


@dataclass(frozen=True, slots=True)
class Group:
    """A discussion group: a Discourse category or a Lemmy community."""

    id: str
    name: str
    slug: str
    description: str = ""
    parent_id: str | None = None
    topic_count: int | None = None
    color: str | None = None
    notification_level: str | None = None
    """One of ``GROUP_LEVELS`` for the logged-in reader; None when unknown (anonymous)."""


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic (thread) as it appears in a list."""

    id: str
    group_id: str | None
    title: str
    author: str | None
    posts_count: int
    created_at: datetime | None
    last_posted_at: datetime | None
    tags: tuple[str, ...] = ()
    pinned: bool = False
    closed: bool = False
    excerpt: str = ""
    unread_posts: int = 0
    views: int = 0
    like_count: int = 0
    last_poster: str | None = None
    """Username of the last poster, when the list says so (not part of the contract's minimum)."""
    unseen: bool = False
    """The forum counts this topic as *new* for the logged-in user: never opened (Discourse's
    ``unseen``)."""
    last_read_post_number: int | None = None
    """The last post the forum knows the user read (logged in, and only once opened)."""
    highest_post_number: int | None = None
    """The number of the topic's last post (above ``posts_count`` when posts were deleted)."""


@dataclass(frozen=True, slots=True)
class TopicPage:
    """One page of a topic list; ``next_page`` is ``None`` on the last page."""

    topics: tuple[Topic, ...]
    next_page: int | None = None


@dataclass(frozen=True, slots=True)
class Post:
    """One post of a topic. ``html`` is the server's rendering and is untrusted."""

    id: str
    topic_id: str
    number: int
    author: str
    created_at: datetime | None
    html: str
    raw: str | None = None
    reply_to: int | None = None
    like_count: int = 0
    liked: bool = False
    can_edit: bool = False
    kind: str = "regular"
    name: str | None = None
    """The author's display name, when the server sends one."""
    reply_to_user: str | None = None
    """Username of the author of ``reply_to``, when the server sends it."""
    version: int = 1
    """Edit revision; the renderer caches by (id, version)."""
    bookmarked: bool = False
    """Whether the current user bookmarked this post."""
    bookmark_id: str | None = None
    """The id of that bookmark, when the forum sends it (needed to remove it)."""
    yours: bool = False
    """Whether the current user wrote this post."""


@dataclass(frozen=True, slots=True)
class Thread:
    """A topic with the ids of all its posts in order and the posts loaded so far."""

    topic: Topic
    post_ids: tuple[str, ...]
    posts: tuple[Post, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the topic, the matching post number and a plain-text blurb."""

    topic: Topic
    post_number: int | None
    blurb: str


@dataclass(frozen=True, slots=True)
class Notification:
    """A notification for the logged-in user: someone replied, mentioned, liked…"""

    id: str
    kind: str
    """What happened, in Discourse's words: ``"replied"``, ``"mentioned"``, ``"liked"``,
    ``"quoted"``, ``"posted"``… (``"other"`` for a type termforum does not know)."""
    read: bool
    created_at: datetime | None
    topic_id: str | None
    post_number: int | None
    actor: str | None = None
    """Who did it (a username), when the forum says."""
    topic_title: str = ""


@dataclass(frozen=True, slots=True)
class PostLimits:
    """Length rules a forum applies to new posts (Discourse site-setting defaults)."""

    min_post_length: int = 20
    min_first_post_length: int = 20
    min_topic_title_length: int = 15
    max_topic_title_length: int = 255
    max_post_length: int = 32000


TRUST_LEVELS: tuple[str, ...] = ("new user", "basic user", "member", "regular", "leader")
"""Discourse's trust levels 0–4 in words, as its own interface names them."""


@dataclass(frozen=True, slots=True)
class User:
    """A forum member: who they are and, when the forum says, their standing in it.

    ``username``, ``name`` and ``title`` are untrusted server text (plain, but possibly
    holding control characters or markup-looking brackets). A count is None when the forum
    did not say (hidden profile stats, an older server), never a guessed 0.
    """

    username: str
    name: str | None = None
    trust_level: int | None = None
    """0 (new user) to 4 (leader); see ``TRUST_LEVELS``."""
    post_count: int | None = None
    likes_received: int | None = None
    title: str | None = None
    """The title the member shows under their name ("Community lead"); untrusted."""
    created_at: datetime | None = None
    """When they joined."""
    last_seen_at: datetime | None = None
    last_posted_at: datetime | None = None
    topic_count: int | None = None
    """Topics they started."""
    likes_given: int | None = None
    days_visited: int | None = None
    time_read: int | None = None
    """Seconds spent reading, as the forum counts them."""
    admin: bool = False
    moderator: bool = False
    top_topics: tuple[Topic, ...] = ()
    """Their most liked topics, best first (at most six on Discourse)."""

    @property
    def trust_level_name(self) -> str | None:
        """The trust level in words ("member"), or None when unknown."""
        level = self.trust_level
        if level is None or not 0 <= level < len(TRUST_LEVELS):
            return None
        return TRUST_LEVELS[level]

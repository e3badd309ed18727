"""The few Discourse site settings the demo forum's write side obeys.

Defaults are Discourse's stock values (``config/site_settings.yml``), except where noted.
Pass your own to the app: ``create_app(path, settings=SiteSettings(unique_posts_mins=0))``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SiteSettings"]


@dataclass(frozen=True, slots=True)
class SiteSettings:
    """Site settings for posting, editing, likes, similar topics and User API keys."""

    min_post_length: int = 20
    """Shortest reply body, in characters after stripping surrounding whitespace."""
    min_first_post_length: int = 20
    """Shortest first post of a topic."""
    max_post_length: int = 32000
    min_topic_title_length: int = 15
    max_topic_title_length: int = 255
    unique_posts_mins: int = 5
    """A user may not post the same body twice within this many minutes (staff exempt;
    0 turns the check off). Discourse compares the body ignoring case and whitespace,
    across all topics."""
    allow_uncategorized_topics: bool = False
    """Current Discourse's default: a new topic needs a category."""
    min_title_similar_length: int = 10
    """``/topics/similar_to`` answers ``[]`` for shorter titles."""
    max_similar_results: int = 5
    post_undo_action_window_mins: int = 10
    """A like can be taken back only this many minutes after it was given."""
    max_likes_per_day: int = 50
    """Likes a day for trust levels 0–1; Discourse multiplies it by 1.5 (TL2), 2 (TL3)
    and 3 (TL4). Sent back in ``Discourse-Actions-Max``."""
    editing_grace_period: int = 0
    """Seconds after a post's last version during which its author's edits do not make a
    new version. Discourse's default is 300 (and only small edits qualify); the demo
    defaults to 0 so that every edit bumps ``version``. Set 300 to see the real thing."""
    api_memoize_seconds: int = 120
    """Discourse answers an identical ``POST /posts.json`` made with an *admin* API key
    within this many seconds with the first answer (same post) instead of posting again.
    User API keys are not memoized. 0 turns it off."""
    allow_user_api_key_scopes: tuple[str, ...] = (
        "read",
        "write",
        "message_bus",
        "push",
        "notifications",
        "session_info",
        "one_time_password",
    )
    """Scopes an application may ask for at ``/user-api-key/new`` (Discourse's setting of
    the same name; only the core scopes the demo knows can be allowed)."""
    allowed_user_api_auth_redirects: tuple[str, ...] = ("discourse://auth_redirect",)
    """Where ``POST /user-api-key`` may send the payload (``auth_redirect``); ``*``
    matches any run of non-space characters, e.g. ``http://127.0.0.1:*/callback``."""

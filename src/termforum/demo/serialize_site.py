"""Discourse-shaped JSON for the site, its categories and user profiles.

Companion of :mod:`termforum.demo.serialize` (topics and posts); the same rules apply:
field names and presence follow Discourse's serializers for an anonymous visitor.
"""

from __future__ import annotations

import html
import sqlite3
from typing import Any

from termforum.demo import content
from termforum.demo.category_levels import levels_for
from termforum.demo.cook import fancy_title, plain_text
from termforum.demo.db import iso
from termforum.demo.queries import Store
from termforum.demo.serialize import avatar_template, tag_json, user_summary

__all__ = [
    "about_json",
    "basic_info",
    "category_full",
    "category_list_item",
    "current_user_json",
    "site_category",
    "site_json",
    "user_json",
]

Row = sqlite3.Row
Viewer = Row | None

NOTIFICATION_TYPES = {
    "mentioned": 1,
    "replied": 2,
    "quoted": 3,
    "edited": 4,
    "liked": 5,
    "private_message": 6,
    "invited_to_private_message": 7,
    "invitee_accepted": 8,
    "posted": 9,
    "moved_post": 10,
    "linked": 11,
    "granted_badge": 12,
    "invited_to_topic": 13,
    "custom": 14,
    "group_mentioned": 15,
    "group_message_summary": 16,
    "watching_first_post": 17,
    "topic_reminder": 18,
    "liked_consolidated": 19,
    "post_approved": 20,
    "code_review_commit_approved": 21,
    "membership_request_accepted": 22,
    "membership_request_consolidated": 23,
    "bookmark_reminder": 24,
    "reaction": 25,
    "votes_released": 26,
    "event_reminder": 27,
    "event_invitation": 28,
    "chat_mention": 29,
    "chat_message": 30,
    "chat_invitation": 31,
    "chat_group_mention": 32,
    "chat_quoted": 33,
    "assigned": 34,
    "question_answer_user_commented": 35,
    "watching_category_or_tag": 36,
    "new_features": 37,
    "admin_problems": 38,
    "linked_consolidated": 39,
    "chat_watched_thread": 40,
    "following": 800,
    "following_created_topic": 801,
    "following_replied": 802,
    "circles_activity": 900,
}
POST_TYPES = {"regular": 1, "moderator_action": 2, "small_action": 3, "whisper": 4}
TRUST_LEVELS = {"newuser": 0, "basic": 1, "member": 2, "regular": 3, "leader": 4}
FILTERS = ["latest", "unread", "new", "unseen", "top", "read", "posted", "bookmarks", "hot"]
PERIODS = ["all", "yearly", "quarterly", "monthly", "weekly", "daily"]
TOP_MENU = ["latest", "new", "unread", "hot", "categories", "top"]
ANON_TOP_MENU = ["latest", "hot", "categories", "top"]
AUTO_GROUPS = [
    (0, "everyone"),
    (1, "admins"),
    (2, "moderators"),
    (3, "staff"),
    (10, "trust_level_0"),
    (11, "trust_level_1"),
    (12, "trust_level_2"),
    (13, "trust_level_3"),
    (14, "trust_level_4"),
]
_ACTION_TYPES: list[tuple[Any, ...]] = [
    (2, "like", "Like", "Like this post", False, ["Post", "Chat::Message"]),
    (
        3,
        "off_topic",
        "It's Off-Topic",
        "This post is not relevant to the discussion.",
        True,
        ["Post", "Chat::Message"],
    ),
    (
        4,
        "inappropriate",
        "It's Inappropriate",
        "This post is offensive or abusive.",
        True,
        ["Post", "Topic", "Chat::Message"],
    ),
    (
        8,
        "spam",
        "It's Spam",
        "This post is an advertisement or vandalism.",
        True,
        ["Post", "Topic", "Chat::Message"],
    ),
    (
        10,
        "illegal",
        "It's Illegal",
        "This post requires staff attention because it may be illegal.",
        True,
        ["Post", "Topic", "Chat::Message"],
    ),
    (
        6,
        "notify_user",
        "Send a message",
        "Talk to the author of this post privately.",
        True,
        ["Post", "Chat::Message"],
    ),
    (
        7,
        "notify_moderators",
        "Something Else",
        "This post requires staff attention for another reason.",
        True,
        ["Post", "Topic", "Chat::Message"],
    ),
]


def _flag(row: tuple[Any, ...], position: int) -> dict[str, Any]:
    ident, key, name, description, is_flag, applies_to = row
    return {
        "id": ident,
        "name_key": key,
        "name": name,
        "description": description,
        "short_description": description,
        "is_flag": is_flag,
        "require_message": key == "notify_user",
        "enabled": True,
        "applies_to": applies_to,
        "is_used": True,
        "position": position,
        "auto_action_type": not is_flag,
        "system": True,
    }


# --------------------------------------------------------------------------- site


def site_category(store: Store, cat: Row, level: int = 1) -> dict[str, Any]:
    """A category as listed in ``/site.json`` (flat list, with ``parent_category_id``);
    ``level``: the viewer's notification level for it (1, regular, for anonymous ones)."""
    stats = store.category_stats()[cat["id"]]
    subs = store.subcategory_ids(cat["id"])
    data: dict[str, Any] = {
        "id": cat["id"],
        "name": cat["name"],
        "color": cat["color"],
        "text_color": cat["text_color"],
        "style_type": "square",
        "emoji": None,
        "icon": None,
        "slug": cat["slug"],
        "topic_count": stats["topic_count"],
        "post_count": stats["post_count"],
        "position": cat["position"],
        "description": cat["description"],
        "description_text": cat["description_text"],
        "description_excerpt": html.escape(cat["description_text"], quote=False),
        "topic_url": _topic_url(store, cat),
        "read_restricted": bool(cat["read_restricted"]),
        "permission": 3,
        "notification_level": level,
        "topic_template": None,
        "topic_title_placeholder": None,
        "has_children": bool(subs),
        "subcategory_count": len(subs) or None,
        "sort_order": None,
        "sort_ascending": None,
        "show_subcategory_list": bool(subs),
        "num_featured_topics": 3,
        "default_view": None,
        "subcategory_list_style": "rows_with_featured_topics",
        "default_top_period": "all",
        "default_list_filter": "all",
        "minimum_required_tags": 0,
        "navigate_to_first_post_after_read": False,
        "allow_global_tags": False,
        "required_tag_groups": [],
        "read_only_banner": None,
        "uploaded_logo": None,
        "uploaded_logo_dark": None,
        "uploaded_background": None,
        "uploaded_background_dark": None,
        "can_edit": False,
        "custom_fields": {},
        "form_template_ids": [],
    }
    if cat["parent_id"] is not None:
        data["parent_category_id"] = cat["parent_id"]
    return data


def _topic_url(store: Store, cat: Row) -> str | None:
    topic_id = cat["topic_id"]
    if not topic_id:
        return None
    topic = store.topic(topic_id)
    return f"/t/{topic['slug']}/{topic_id}" if topic else None


def site_json(store: Store, viewer: Viewer = None) -> dict[str, Any]:
    """``/site.json``."""
    levels = levels_for(store, viewer["id"] if viewer is not None else None)
    return {
        "default_archetype": "regular",
        "notification_types": dict(NOTIFICATION_TYPES),
        "post_types": dict(POST_TYPES),
        "trust_levels": dict(TRUST_LEVELS),
        "user_tips": {
            "first_notification": 1,
            "topic_timeline": 2,
            "post_menu": 3,
            "topic_notification_levels": 4,
            "suggested_topics": 5,
        },
        "groups": [
            {
                "id": ident,
                "name": name,
                "flair_url": None,
                "flair_bg_color": None,
                "flair_color": None,
                "automatic": True,
            }
            for ident, name in AUTO_GROUPS
        ],
        "filters": list(FILTERS),
        "homepage_choices": [],
        "periods": list(PERIODS),
        "top_menu_items": list(TOP_MENU),
        "anonymous_top_menu_items": list(ANON_TOP_MENU),
        "uncategorized_category_id": 1,
        "user_field_max_length": 2048,
        "post_action_types": [_flag(row, i) for i, row in enumerate(_ACTION_TYPES)],
        "topic_flag_types": [
            _flag(row, i) for i, row in enumerate(_ACTION_TYPES) if "Topic" in row[5]
        ],
        "can_create_tag": False,
        "can_tag_topics": False,
        "can_tag_pms": False,
        "tags_filter_regexp": "[/\\?#\\[\\]@!\\$&'\\(\\)\\*\\+,;=\\.%\\\\`^\\s|\\{\\}\"<>]+",
        "top_tags": [tag_json(t) for t in store.tag_counts()[:20]],
        "wizard_required": False,
        "topic_featured_link_allowed_category_ids": [],
        "user_themes": [
            {
                "theme_id": 1,
                "name": "Default",
                "default": True,
                "color_scheme_id": None,
                "dark_color_scheme_id": None,
            }
        ],
        "user_color_schemes": [],
        "default_light_color_scheme": None,
        "default_dark_color_scheme": None,
        "censored_regexp": [],
        "custom_emoji_translation": {},
        "watched_words_replace": None,
        "watched_words_link": None,
        "categories": [site_category(store, c, levels.get(c["id"], 1)) for c in store.categories()],
        "archetypes": [
            {"id": "regular", "name": "Regular Topic", "options": []},
            {"id": "banner", "name": "Banner", "options": []},
        ],
        "user_fields": [],
        "auth_providers": [],
        "full_name_required_for_signup": False,
        "full_name_visible_in_signup": True,
        "email_configured": False,
    }


def basic_info() -> dict[str, Any]:
    """``/site/basic-info.json``."""
    return {
        "logo_url": "/images/discourse-logo-sketch.png",
        "logo_small_url": "/images/discourse-logo-sketch-small.png",
        "apple_touch_icon_url": "/images/default-apple-touch-icon.png",
        "favicon_url": "/images/default-favicon.ico",
        "title": content.SITE["title"],
        "description": content.SITE["description"],
        "header_primary_color": "333333",
        "header_background_color": "ffffff",
        "login_required": False,
        "locale": content.SITE["locale"],
        "include_in_discourse_discover": False,
        "mobile_logo_url": "",
    }


def about_json(store: Store) -> dict[str, Any]:
    """``/about.json`` (staff sideloaded under ``users``)."""
    users = store.users()
    staff = [u for u in users.values() if u["id"] > 0 and (u["admin"] or u["moderator"])]
    topic_count, post_count = store.totals()
    return {
        "about": {
            "title": content.SITE["title"],
            "description": content.SITE["description"],
            "extended_site_description": None,
            "banner_image": None,
            "site_creation_date": iso(store.now.replace(year=store.now.year - 2)),
            "locale": content.SITE["locale"],
            "version": "3.5.0",
            "https": False,
            "can_see_about_stats": True,
            "contact_url": "",
            "contact_email": "",
            "moderator_ids": [u["id"] for u in staff if u["moderator"]],
            "admin_ids": [u["id"] for u in staff if u["admin"]],
            "category_moderators": [],
            "stats": {
                "topics_count": topic_count,
                "posts_count": post_count,
                "users_count": len([u for u in users.values() if u["id"] > 0]),
                "active_users_7_days": 12,
                "active_users_30_days": 14,
                "likes_count": sum(u["likes_given"] for u in users.values()),
            },
        },
        "users": [user_summary(u) for u in staff],
    }


# --------------------------------------------------------------------------- categories

_CATEGORY_LIST_KEYS = (
    "id",
    "name",
    "color",
    "text_color",
    "style_type",
    "emoji",
    "icon",
    "slug",
    "topic_count",
    "post_count",
    "position",
    "description",
    "description_text",
    "description_excerpt",
    "topic_url",
    "read_restricted",
    "permission",
    "notification_level",
    "can_edit",
    "topic_template",
    "topic_title_placeholder",
    "has_children",
    "subcategory_count",
    "sort_order",
    "sort_ascending",
    "show_subcategory_list",
    "num_featured_topics",
    "default_view",
    "subcategory_list_style",
    "default_top_period",
    "default_list_filter",
    "minimum_required_tags",
    "navigate_to_first_post_after_read",
    "uploaded_logo",
    "uploaded_logo_dark",
    "uploaded_background",
    "uploaded_background_dark",
)


def category_list_item(
    store: Store,
    cat: Row,
    *,
    include_subcategories: bool = False,
    levels: dict[int, int] | None = None,
) -> dict[str, Any]:
    """A top-level category in ``/categories.json``; ``levels``: the viewer's notification
    levels by category id (see :mod:`termforum.demo.category_levels`)."""
    levels = levels or {}
    base = site_category(store, cat, levels.get(cat["id"], 1))
    stats = store.category_stats()[cat["id"]]
    data = {key: base[key] for key in _CATEGORY_LIST_KEYS}
    for key in ("topics_day", "topics_week", "topics_month", "topics_year", "topics_all_time"):
        data[key] = stats[key]
    data["is_uncategorized"] = cat["id"] == 1
    subs = [store.category(i) for i in store.subcategory_ids(cat["id"])]
    data["subcategory_ids"] = [s["id"] for s in subs if s]
    if include_subcategories:
        data["subcategory_list"] = [
            {**site_category(store, s, levels.get(s["id"], 1)), **_period_counts(store, s)}
            for s in subs
            if s
        ]
    return data


def _period_counts(store: Store, cat: Row) -> dict[str, int]:
    stats = store.category_stats()[cat["id"]]
    return {k: v for k, v in stats.items() if k.startswith("topics_")}


def category_full(store: Store, cat: Row) -> dict[str, Any]:
    """``/c/{id}/show.json``'s ``category`` object."""
    data = site_category(store, cat)
    for key in ("allow_global_tags", "form_template_ids"):
        data.pop(key, None)
    data.update(
        {
            "locale": None,
            "form_template_ids": [],
            "allowed_tags": [],
            "allowed_tag_groups": [],
            "allow_global_tags": False,
            "category_setting": {
                "auto_bump_cooldown_days": 1,
                "num_auto_bump_daily": None,
                "require_reply_approval": bool(cat["require_reply_approval"]),
                "require_topic_approval": bool(cat["require_topic_approval"]),
            },
            "category_localizations": [],
            "available_groups": [],
            "auto_close_hours": None,
            "auto_close_based_on_last_post": False,
            "allow_unlimited_owner_edits_on_first_post": False,
            "default_slow_mode_seconds": None,
            "group_permissions": [{"permission_type": 1, "group_name": "everyone", "group_id": 0}],
            "email_in": None,
            "email_in_allow_strangers": False,
            "mailinglist_mirror": False,
            "all_topics_wiki": False,
            "can_delete": False,
            "allow_badges": True,
            "topic_featured_link_allowed": True,
            "search_priority": 0,
            "topic_posting_review_group_ids": [],
            "reply_posting_review_group_ids": [],
        }
    )
    return data


# --------------------------------------------------------------------------- users


def user_json(store: Store, user: Row, viewer: Viewer = None) -> dict[str, Any]:
    """``/u/{username}.json``."""
    featured = store.featured_topic(user["id"])
    schedule = {"enabled": False}
    for day in range(7):
        schedule[f"day_{day}_start_time"] = 480
        schedule[f"day_{day}_end_time"] = 1020
    tl_group = 10 + user["trust_level"]
    groups = [
        _group_json(tl_group, f"trust_level_{user['trust_level']}", user["trust_level"]),
    ]
    data: dict[str, Any] = {
        **user_summary(user),
        "last_posted_at": user["last_posted_at"],
        "last_seen_at": user["last_seen_at"],
        "created_at": user["created_at"],
        "ignored": False,
        "muted": False,
        "can_ignore_user": False,
        "can_mute_user": False,
        "can_send_private_messages": False,
        "can_send_private_message_to_user": False,
        "trust_level": user["trust_level"],
        "moderator": bool(user["moderator"]),
        "admin": bool(user["admin"]),
        "title": user["title"],
        "badge_count": 0,
        "custom_fields": {},
        "time_read": user["post_count"] * 600,
        "recent_time_read": min(user["post_count"], 30) * 60,
        "primary_group_id": None,
        "primary_group_name": None,
        "flair_group_id": None,
        "flair_name": None,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "featured_topic": (
            {
                "id": featured["id"],
                "title": featured["title"],
                "fancy_title": fancy_title(featured["title"]),
                "slug": featured["slug"],
                "posts_count": featured["posts_count"],
            }
            if featured
            else None
        ),
        "staged": False,
        "can_edit": False,
        "can_edit_username": False,
        "can_edit_email": False,
        "can_edit_name": False,
        "uploaded_avatar_id": None,
        "has_title_badges": False,
        "pending_count": 0,
        "profile_view_count": user["post_count"] * 3,
        "second_factor_enabled": False,
        "can_upload_profile_header": False,
        "can_upload_user_card_background": False,
        "post_count": user["post_count"],
        "topic_count": user["topic_count"],
        "can_be_deleted": False,
        "can_delete_all_posts": False,
        "locale": None,
        "muted_category_ids": [],
        "regular_category_ids": [],
        "watched_tags": [],
        "watching_first_post_tags": [],
        "tracked_tags": [],
        "muted_tags": [],
        "tracked_category_ids": [],
        "watched_category_ids": [],
        "watched_first_post_category_ids": [],
        "system_avatar_upload_id": None,
        "system_avatar_template": avatar_template(user),
        "muted_usernames": [],
        "ignored_usernames": [],
        "allowed_pm_usernames": [],
        "mailing_list_posts_per_day": 0,
        "can_change_bio": False,
        "can_change_location": False,
        "can_change_website": False,
        "can_change_tracking_preferences": False,
        "user_api_keys": None,
        "user_auth_tokens": [],
        "user_notification_schedule": schedule,
        "use_logo_small_as_avatar": False,
        "featured_user_badge_ids": [],
        "invited_by": None,
        "groups": groups,
        "group_users": [{"group_id": tl_group, "user_id": user["id"], "notification_level": 2}],
        "user_option": _user_option(user["id"]),
        "bio_cooked": user["bio_cooked"] or None,
        "bio_excerpt": html.escape(plain_text(user["bio_cooked"]), quote=False) or None,
    }
    return {"user_badges": [], "user": data}


def current_user_json(store: Store, user: Row) -> dict[str, Any]:
    """``/session/current.json``'s ``current_user``: a subset of ``CurrentUserSerializer``
    (identity, trust, counts of unread notifications, permissions, user options).

    The counts are Discourse's (:class:`termforum.demo.queries.NotificationCounts`):
    ``unread_notifications`` and ``unread_high_priority_notifications`` count unread ones
    newer than ``seen_notification_id``, ``total_unread_notifications`` every unread one."""
    staff = bool(user["admin"] or user["moderator"])
    tl_group = 10 + user["trust_level"]
    counts = store.notification_counts(user)
    return {
        **user_summary(user),
        "last_posted_at": user["last_posted_at"],
        "last_seen_at": user["last_seen_at"],
        "created_at": user["created_at"],
        "total_unread_notifications": counts.total_unread,
        "unread_notifications": counts.unread,
        "unread_high_priority_notifications": counts.unread_high_priority,
        "all_unread_notifications_count": counts.unseen,
        "seen_notification_id": user["seen_notification_id"],
        "read_first_notification": True,
        "admin": bool(user["admin"]),
        "moderator": bool(user["moderator"]),
        "staff": staff,
        "whisperer": staff,
        "title": user["title"],
        "any_posts": user["post_count"] > 0,
        "trust_level": user["trust_level"],
        "can_send_private_email_messages": False,
        "can_send_private_messages": False,
        "can_edit": True,
        "can_invite_to_forum": False,
        "no_password": False,
        "can_delete_account": not staff,
        "can_post_anonymously": False,
        "can_ignore_users": staff or user["trust_level"] >= 2,
        "can_create_topic": True,
        "can_review": staff,
        "pending_posts_count": store.pending_count(user["id"]),
        "custom_fields": {},
        "muted_category_ids": [],
        "regular_category_ids": [],
        "tracked_category_ids": [],
        "watched_category_ids": [],
        "watched_first_post_category_ids": [],
        "muted_tags": [],
        "tracked_tags": [],
        "watched_tags": [],
        "groups": [
            {"id": tl_group, "name": f"trust_level_{user['trust_level']}", "has_messages": False}
        ],
        "user_option": _user_option(user["id"]),
    }


def _group_json(ident: int, name: str, trust_level: int) -> dict[str, Any]:
    return {
        "id": ident,
        "automatic": True,
        "name": name,
        "display_name": name,
        "user_count": 0,
        "mentionable_level": 0,
        "messageable_level": 0,
        "visibility_level": 1,
        "primary_group": False,
        "title": None,
        "grant_trust_level": None,
        "incoming_email": None,
        "has_messages": False,
        "flair_url": None,
        "flair_bg_color": None,
        "flair_color": None,
        "bio_raw": None,
        "bio_cooked": None,
        "bio_excerpt": None,
        "public_admission": False,
        "public_exit": False,
        "allow_membership_requests": False,
        "full_name": None,
        "default_notification_level": 3,
        "membership_request_template": None,
        "members_visibility_level": 0,
        "can_see_members": True,
        "can_admin_group": False,
        "publish_read_state": False,
    }


def _user_option(user_id: int) -> dict[str, Any]:
    return {
        "user_id": user_id,
        "mailing_list_mode": False,
        "mailing_list_mode_frequency": 1,
        "email_digests": True,
        "email_level": 1,
        "email_messages_level": 0,
        "external_links_in_new_tab": False,
        "color_scheme_id": None,
        "dark_scheme_id": None,
        "dynamic_favicon": False,
        "enable_quoting": True,
        "enable_smart_lists": True,
        "enable_markdown_monospace_font": True,
        "digest_after_minutes": 10080,
        "automatically_unpin_topics": True,
        "auto_track_topics_after_msecs": 240000,
        "notification_level_when_replying": 2,
        "new_topic_duration_minutes": 2880,
        "email_previous_replies": 2,
        "email_in_reply_to": True,
        "like_notification_frequency": 1,
        "notify_on_linked_posts": True,
        "push_notification_level": "always",
        "enable_upcoming_change_available_notifications": False,
        "include_tl0_in_digests": False,
        "theme_ids": [1],
        "theme_key_seq": 0,
        "allow_private_messages": True,
        "enable_allowed_pm_users": False,
        "homepage_id": None,
        "hide_profile_and_presence": False,
        "hide_profile": False,
        "hide_presence": False,
        "text_size": "normal",
        "text_size_seq": 0,
        "title_count_mode": "notifications",
        "timezone": None,
        "skip_new_user_tips": False,
        "topics_unread_when_closed": True,
        "interface_color_mode": 1,
        "automatically_translate": False,
        "understood_languages": [],
        "show_original_content": True,
        "send_shortcut": "ctrl_enter",
    }

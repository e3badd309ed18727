"""Per-user category notification levels in the demo forum (Discourse's ``CategoryUser``).

A user's level for a category is the ``category_users`` row, or regular (1) without one.
Levels follow ``NotificationLevels.all``: 0 muted, 1 regular, 2 tracking, 3 watching,
4 watching first post. ``/site.json`` and ``/categories.json`` show each category's level
to a logged-in user as ``notification_level``; an anonymous visitor sees regular (1)
everywhere, as Discourse's ``CategoryUser.notification_levels_for(nil)`` gives with no
default categories set.

Muting hides a category's topics from the lists of all categories, as Discourse's
``TopicQuery#remove_muted_categories`` does; a subcategory of a muted category is muted
too ("indirectly muted") unless the user set a level above muted on it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from termforum.demo.queries import Store

__all__ = [
    "LEVELS",
    "MUTED",
    "REGULAR",
    "indirectly_muted_ids",
    "levels_for",
    "muted_ids",
    "set_level",
]

MUTED, REGULAR, TRACKING, WATCHING, WATCHING_FIRST_POST = 0, 1, 2, 3, 4
LEVELS: frozenset[int] = frozenset({MUTED, REGULAR, TRACKING, WATCHING, WATCHING_FIRST_POST})
"""Every level a category may be given."""


def levels_for(store: Store, user_id: int | None) -> dict[int, int]:
    """The levels ``user_id`` set, by category id (empty for anonymous visitors)."""
    if user_id is None:
        return {}
    return store.cached(
        f"category_levels:{user_id}",
        lambda: {
            row["category_id"]: row["notification_level"]
            for row in store._all(  # noqa: SLF001 - the store's query helper
                "SELECT category_id, notification_level FROM category_users WHERE user_id = ?",
                (user_id,),
            )
        },
    )


def indirectly_muted_ids(store: Store, user_id: int | None) -> list[int]:
    """Subcategories muted through a muted ancestor (Discourse's
    ``CategoryUser.indirectly_muted_category_ids``), in category order."""
    levels = levels_for(store, user_id)
    if not levels:
        return []
    parents = {cat["id"]: cat["parent_id"] for cat in store.categories()}
    found: list[int] = []
    for category_id in parents:
        if category_id in levels:
            continue
        parent = parents.get(category_id)
        while parent is not None:
            level = levels.get(parent)
            if level == MUTED:
                found.append(category_id)
                break
            if level is not None:
                break  # a level set above muted stops the muting from further up
            parent = parents.get(parent)
    return found


def muted_ids(store: Store, user_id: int | None) -> set[int]:
    """Every category whose topics ``user_id`` does not want in the lists of all
    categories: muted ones and their subcategories (directly or indirectly muted)."""
    levels = levels_for(store, user_id)
    muted = {category_id for category_id, level in levels.items() if level == MUTED}
    return muted | set(indirectly_muted_ids(store, user_id)) if muted else set()


def set_level(store: Store, user_id: int, category_id: int, level: int) -> None:
    """Give ``category_id`` the notification level ``level`` for ``user_id``."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO category_users (user_id, category_id, notification_level)"
            " VALUES (?, ?, ?) ON CONFLICT (user_id, category_id)"
            " DO UPDATE SET notification_level = excluded.notification_level",
            (user_id, category_id, level),
        )

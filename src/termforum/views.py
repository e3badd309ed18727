"""Topic-list views as people name them: "top this week", "topics you posted in"…

A view is a name from ``termforum.models.TOPIC_VIEWS`` and, for ``top``, a period from
``TOP_PERIODS``. ``view_key`` / ``parse_view_key`` turn one into the short string kept in
``state.toml`` (``"top/weekly"``), which older files hold without a period (``"top"``).
"""

from __future__ import annotations

from termforum.models import MEMBER_VIEWS, TOP_PERIODS, TOPIC_VIEWS

__all__ = [
    "CYCLED_VIEWS",
    "PERIOD_NAMES",
    "VIEW_HELP",
    "available",
    "describe_view",
    "parse_view_key",
    "view_choices",
    "view_key",
]

CYCLED_VIEWS: tuple[str, ...] = ("latest", "new", "unread", "top", "hot")
"""The views ``v`` steps through (the user's own activity is chosen with ``V``)."""

PERIOD_NAMES: dict[str, str] = {
    "daily": "today",
    "weekly": "this week",
    "monthly": "this month",
    "quarterly": "this quarter",
    "yearly": "this year",
    "all": "of all time",
}
"""How each ``top`` period reads in a sentence ("top this week")."""

VIEW_HELP: dict[str, str] = {
    "latest": "every topic, the most recent activity first",
    "new": "topics you have never opened",
    "unread": "topics you follow with posts you have not read",
    "top": "the most active topics",
    "hot": "topics lively right now",
    "posted": "topics you posted in",
    "bookmarks": "topics you bookmarked",
}
"""One line on what each view lists."""


def available(view: str, *, logged_in: bool) -> bool:
    """Whether the forum can list ``view`` for this user (some views need an account)."""
    return view in TOPIC_VIEWS and (logged_in or view not in MEMBER_VIEWS)


def describe_view(view: str, period: str | None = None) -> str:
    """``"top this week"``, ``"latest"``, ``"posted"``…"""
    if view == "top" and period in PERIOD_NAMES:
        return f"top {PERIOD_NAMES[period]}"
    return view


def view_key(view: str, period: str | None = None) -> str:
    """The string ``state.toml`` keeps for a view: ``"top/weekly"``, ``"latest"``."""
    return f"{view}/{period}" if view == "top" and period else view


def parse_view_key(key: str) -> tuple[str, str | None] | None:
    """``(view, period)`` from :func:`view_key`'s string; None when it names no view."""
    view, _, period = key.partition("/")
    if view not in TOPIC_VIEWS:
        return None
    if view != "top" or period not in TOP_PERIODS:
        return view, None
    return view, period


def view_choices() -> list[tuple[str, str | None]]:
    """Every ``(view, period)`` there is to choose, in the order listed: ``top`` once per
    period, from today to all time."""
    choices: list[tuple[str, str | None]] = []
    for view in TOPIC_VIEWS:
        if view == "top":
            choices += [("top", period) for period in TOP_PERIODS]
        else:
            choices.append((view, None))
    return choices

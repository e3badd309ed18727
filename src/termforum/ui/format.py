"""Small formatting helpers shared by the widgets: times and counts as a reader scans them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

__all__ = ["count", "format_age", "relative_time"]


def relative_time(when: datetime | None, now: datetime | None = None) -> str:
    """A compact age like ``5m``, ``3h``, ``2d``, ``Mar 4`` or ``Mar 2023``."""
    if when is None:
        return "?"
    now = now or datetime.now(UTC)
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "now"
    if seconds < 3600:
        return f"{int(seconds // 60)}m"
    if seconds < 86400:
        return f"{int(seconds // 3600)}h"
    if seconds < 86400 * 30:
        return f"{int(seconds // 86400)}d"
    if when.year == now.year:
        return f"{when:%b} {when.day}"
    return f"{when:%b %Y}"


def count(value: int | None, singular: str, plural: str | None = None) -> str:
    """``1 reply``, ``12 replies``, ``1.2k replies``."""
    value = value or 0
    word = singular if value == 1 else (plural or singular + "s")
    if value >= 9_950:
        return f"{round(value / 1000)}k {word}"
    if value >= 1000:
        return f"{value / 1000:.1f}k {word}"
    return f"{value} {word}"


def format_age(age: timedelta) -> str:
    """How old something is, in words: ``40 s``, ``5 min``, ``3 h``, ``2 days``."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400 * 2:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} days"

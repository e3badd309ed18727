"""Seed time and shown time: how the demo forum makes fixed seed content look current.

Every time the demo stores is **seed time**: the seed places its content before
:data:`termforum.demo.content.EPOCH` (2025-11-20), so two seedings are identical and the
tests can rely on fixed timestamps. What the API answers with is **shown time**::

    shown = stored + time_shift

The shift is one constant per app (``DemoApp(time_shift=...)``): 0 by default, so tests
see the seed's own times; :class:`~termforum.demo.DemoServer` and ``termforum demo-server``
use :func:`live_time_shift` unless told otherwise, so the newest seed post is about 20
minutes old whenever the forum is started and the forum looks lively, not a year old.

The rules that keep this consistent:

- Queries and stored data stay in seed time. Time-based logic (``top`` periods, ``hot``,
  category ``topics_day``/``topics_week``, ``timeline_lookup``) compares seed times with
  the seed's "now" (``Store.now``, the epoch), which is shown as ``Store.now + shift``
  (``DemoApp.now``): every period and age is the same whatever the shift.
- The shift is applied once, at the API boundary: :func:`shift_times` rewrites a JSON
  payload just before it is encoded (``DemoApp.dispatch``); the few plain-text answers
  that carry a time (``/raw/{topic_id}``) use :func:`shift_timestamp`.
- Anything written later (replies, new topics, likes) is stored in seed time too: a post
  made at real time ``T`` is stored at ``T - time_shift`` (:func:`to_seed_time`), so it is
  shown at ``T``. After a restart with a new live shift, it keeps its place relative to
  the seed content (everything moves forward together), like the seed itself.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from termforum.demo.db import iso, parse_time

__all__ = [
    "LIVE_LAG",
    "SEED_NEWEST_POST",
    "as_time_shift",
    "is_timestamp_key",
    "live_time_shift",
    "shift_timestamp",
    "shift_times",
    "to_seed_time",
]

SEED_NEWEST_POST = datetime(2025, 11, 20, 8, 9, 10, tzinfo=UTC)
"""When the newest seed post was written, in seed time (the seed's newest activity as the
API shows it: posts, ``bumped_at``, ``last_posted_at``, ``last_seen_at``). Derived from
the seed content; ``tests/unit/test_demo_seed.py`` checks it against a fresh seeding, so
update it together with ``CONTENT_VERSION`` when the content changes."""

LIVE_LAG = timedelta(minutes=20)
"""How long before "now" the newest seed post appears under :func:`live_time_shift`."""

_MINUTE = timedelta(minutes=1)
_TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z\Z")
_TIMESTAMP_SUFFIXES = ("_at", "_date", "_until")


def live_time_shift(now: datetime | None = None) -> timedelta:
    """The shift that shows the seed's newest post :data:`LIVE_LAG` before ``now``.

    ``now`` defaults to the current time (a naive ``now`` is taken as UTC). The result is
    a whole number of minutes, rounded down, so the newest post appears 20 to 21 minutes
    before ``now`` and the rest of the content keeps its distance from it.
    """
    if now is None:
        now = datetime.now(UTC)
    elif now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    shift = now - LIVE_LAG - SEED_NEWEST_POST
    return shift - shift % _MINUTE


def as_time_shift(value: timedelta | float | None) -> timedelta:
    """A ``time_shift`` option as a timedelta: a timedelta, or seconds (None: no shift)."""
    if value is None:
        return timedelta(0)
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"time_shift must be seconds or a timedelta, not {value!r}")
    return timedelta(seconds=value)


def to_seed_time(moment: datetime, shift: timedelta) -> datetime:
    """The seed time to store for something that happens at real time ``moment``."""
    return moment - shift


def is_timestamp_key(key: str) -> bool:
    """Whether a JSON key names a timestamp (``created_at``, ``site_creation_date``, ...)."""
    return key.endswith(_TIMESTAMP_SUFFIXES)


def shift_timestamp(value: str, shift: timedelta) -> str:
    """A stored timestamp (``2025-11-20T09:00:00.000Z``) moved by ``shift``, same format."""
    return iso(parse_time(value) + shift)


def shift_times(data: Any, shift: timedelta) -> Any:
    """``data`` (a JSON payload) with every timestamp moved by ``shift``.

    A timestamp is a string in the stored format under a key that names one (see
    :func:`is_timestamp_key`); other values, including user content, are left alone.
    Returns a new payload (``data`` itself when ``shift`` is zero).
    """
    if not shift:
        return data
    return _shift(data, shift)


def _shift(data: Any, shift: timedelta) -> Any:
    if isinstance(data, dict):
        return {
            key: (
                shift_timestamp(value, shift)
                if isinstance(value, str)
                and isinstance(key, str)
                and is_timestamp_key(key)
                and _TIMESTAMP.match(value)
                else _shift(value, shift)
            )
            for key, value in data.items()
        }
    if isinstance(data, list | tuple):
        return [_shift(item, shift) for item in data]
    return data

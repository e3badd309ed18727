"""Foreground and background requests: what the user asked for goes first.

Work the user did not wait for (syncing for offline reading, refreshing a stale list that is
already shown, sending read state, reconnect probes) runs inside ``background()``. The
request policy (``netpolicy``) lets such requests go only when no foreground request is
waiting, and keeps part of the forum's request budget for the user. Kept apart from
``netpolicy`` so that callers need not import the HTTP stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

__all__ = ["background", "in_background"]

_background: ContextVar[bool] = ContextVar("termforum_background", default=False)


@contextmanager
def background() -> Iterator[None]:
    """Requests sent inside this block (in this task) are background work."""
    token = _background.set(True)
    try:
        yield
    finally:
        _background.reset(token)


def in_background() -> bool:
    """Whether the current task sends background requests."""
    return _background.get()

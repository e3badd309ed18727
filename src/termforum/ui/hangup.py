"""Notice when the terminal goes away although no SIGHUP came.

A dropped SSH connection normally sends SIGHUP, which termforum handles (drafts saved, then
exit). Without a controlling terminal (started under ``nohup``, ``setsid``, some multiplexers
and job runners) nothing is sent: the terminal just hangs up, and Textual's input thread then
sees end-of-file on every read and spins a CPU core forever. This watcher waits on the
terminal for a hang-up only (``poll`` with no events asked for: only ``POLLHUP``,
``POLLERR`` or ``POLLNVAL`` wake it, never typing) in a daemon thread, so it costs nothing
while the terminal is there, and calls back once when it is gone.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable

__all__ = ["watch_for_hangup"]

_GONE = select.POLLHUP | select.POLLERR | select.POLLNVAL


def watch_for_hangup(fd: int, on_hangup: Callable[[], None]) -> threading.Thread | None:
    """Call ``on_hangup`` (from a daemon thread) once the terminal on ``fd`` hangs up.

    Returns the thread, or None when ``fd`` is not a terminal (tests, pipes) and nothing is
    watched.
    """
    try:
        if not os.isatty(fd):
            return None
    except OSError:
        return None
    poller = select.poll()
    poller.register(fd, 0)

    def wait() -> None:
        while True:
            try:
                events = poller.poll()
            except InterruptedError:  # a signal arrived; keep waiting
                continue
            if any(mask & _GONE for _, mask in events):
                on_hangup()
                return

    thread = threading.Thread(target=wait, name="termforum-hangup", daemon=True)
    thread.start()
    return thread

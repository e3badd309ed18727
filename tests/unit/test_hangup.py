"""The hang-up watcher: quiet while the terminal is there (typing does not wake it), one call
once it is gone, nothing at all for something that is not a terminal."""

from __future__ import annotations

import os
import pty
import threading

from termforum.ui.hangup import watch_for_hangup


def test_a_hang_up_is_reported_once_and_typing_is_not() -> None:
    master, slave = pty.openpty()
    gone = threading.Event()
    calls: list[int] = []

    def hung_up() -> None:
        calls.append(1)
        gone.set()

    thread = watch_for_hangup(slave, hung_up)
    assert thread is not None
    os.write(master, b"typing is not a hang-up")
    assert not gone.wait(0.3)
    os.close(master)
    assert gone.wait(5)
    thread.join(5)
    assert calls == [1] and not thread.is_alive()
    os.close(slave)


def test_nothing_is_watched_without_a_terminal() -> None:
    read, write = os.pipe()
    try:
        assert watch_for_hangup(read, lambda: None) is None
    finally:
        os.close(read)
        os.close(write)

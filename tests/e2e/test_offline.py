"""Reading offline, as a user would: browse the demo forum, stop it, start termforum again
and read what was cached (marked offline), start the forum again and termforum reconnects by
itself. Also: a damaged cache file, two termforum processes on one cache, and `termforum sync`.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from termforum.demo import DemoServer
from tests.e2e.ptyrun import PtyProcess, spawn, termforum

pytestmark = pytest.mark.slow

SIZE = (120, 32)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DemoServer]:
    demo = DemoServer(tmp_path / "forum-data")
    demo.start()
    yield demo
    demo.stop()


@pytest.fixture
def home(termforum_home: Path, server: DemoServer) -> Path:
    termforum_home.mkdir(parents=True, exist_ok=True)
    (termforum_home / "config.toml").write_text(f'[forums.work]\nurl = "{server.url}"\n')
    return termforum_home


def start() -> PtyProcess:
    proc = termforum("--forum", "work", size=SIZE)
    assert proc.wait_for_text("replies", timeout=60), proc.text()
    return proc


def quit_(proc: PtyProcess) -> None:
    proc.send(b"\x11")  # ctrl+q
    assert proc.finish(timeout=20) == 0, proc.text()


def open_first_topic(proc: PtyProcess) -> str:
    proc.send(b"\r")
    assert proc.wait_for_text("#1 ", timeout=30), proc.text()
    proc.send(b"j")
    proc.read(0.5)
    screen = proc.text()
    return screen


def test_read_offline_then_reconnect_without_a_restart(home: Path, server: DemoServer) -> None:
    first = start()
    online_screen = open_first_topic(first)
    assert "online" in online_screen
    quit_(first)
    server.stop()

    offline = start()  # the topic list comes from the cache
    try:
        assert offline.wait_for_text("offline", timeout=30), offline.text()
        offline.send(b"\r")
        # Posts from the cache, opened after the last one read (#2), which is marked new.
        assert offline.wait_for_text("#3 ", timeout=30), offline.text()
        assert "new" in offline.text()
        server.start()  # the forum is back, on the same address
        assert offline.wait_for_text("back online", timeout=40), offline.text()
        assert offline.wait_for_text("online", timeout=10), offline.text()
    finally:
        quit_(offline)


def test_offline_flag_reads_the_cache_and_sends_nothing(home: Path, server: DemoServer) -> None:
    first = start()
    open_first_topic(first)
    quit_(first)
    assert server.app is not None
    server.app.faults.fail_next(1000, status=500)  # any request would now show an error

    proc = termforum("--forum", "work", "--offline", size=SIZE)
    try:
        assert proc.wait_for_text("replies", timeout=60), proc.text()
        assert "offline" in proc.text()
        proc.send(b"\r")
        assert proc.wait_for_text("#3 ", timeout=30), proc.text()
        assert "500" not in proc.text()
    finally:
        quit_(proc)
    server.app.faults.reset()


def test_a_damaged_cache_file_is_moved_aside_with_one_sentence(home: Path) -> None:
    cache = home / "cache" / "cache.sqlite3"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(b"SQLite format 3\x00" + b"\xff" * 3000)

    proc = start()
    try:
        assert proc.wait_for_text("moved", timeout=20), proc.text()
    finally:
        quit_(proc)
    assert list(cache.parent.glob("cache.sqlite3.*")), list(cache.parent.iterdir())


def test_two_termforums_on_one_cache(home: Path) -> None:
    one = termforum("--forum", "work", size=SIZE)
    two = termforum("--forum", "work", size=SIZE)
    try:
        for proc in (one, two):
            assert proc.wait_for_text("replies", timeout=60), proc.text()
            proc.send(b"\r")
        for proc in (one, two):
            # The reader shows the topic (where depends on what the other one read first:
            # the two share the cache, read state included).
            assert proc.wait_for_text("─ Welcome to Working Groups", timeout=30), proc.text()
            assert "locked" not in proc.text()
    finally:
        quit_(one)
        quit_(two)


def test_sync_downloads_a_group_for_offline_reading(home: Path, server: DemoServer) -> None:
    sync = spawn(
        [
            sys.executable,
            "-m",
            "termforum",
            "sync",
            "work",
            "--group",
            "asking-for-help",
            "--topics",
            "5",
        ],
        size=SIZE,
    )
    code = sync.finish(timeout=120)
    said = sync.output.decode(errors="replace")
    assert code == 0, said
    assert "topics" in said and "can be read offline" in said
    server.stop()

    proc = termforum("--forum", "work", "--offline", size=SIZE)
    try:
        assert proc.wait_for_text("replies", timeout=60), proc.text()
    finally:
        quit_(proc)

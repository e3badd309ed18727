"""termforum in a real terminal against `termforum demo-server` over loopback HTTP."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.ptyrun import termforum

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def demo_server(tmp_path: Path) -> Iterator[str]:
    """`termforum demo-server` in its own process; its URL."""
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "termforum",
            "demo-server",
            "--port",
            str(port),
            "--data",
            str(tmp_path / "forum"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                httpx.get(f"{url}/site/basic-info.json", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("demo-server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_forum_url_reads_the_same_forum_as_demo(demo_server: str) -> None:
    site = httpx.get(f"{demo_server}/site.json").json()
    first_group = next(c["name"] for c in site["categories"] if not c.get("parent_category_id"))
    latest = httpx.get(f"{demo_server}/latest.json").json()["topic_list"]["topics"]

    proc = termforum("--forum", demo_server, size=(120, 40))
    try:
        assert proc.wait_for_text(first_group, timeout=30), proc.text()
        assert proc.wait_for_text(latest[0]["title"][:30], timeout=30), proc.text()
        proc.send(b"\r")  # open the first topic
        assert proc.wait_for_text("#1 ", timeout=30), proc.text()
        proc.send(b"\x11")  # ctrl+q
        assert proc.finish(timeout=20) == 0
    finally:
        if proc.process.poll() is None:
            proc.process.kill()

"""Hostile server text against the real terminal: a user, a group and a topic whose names and
post carry terminal escape sequences, Textual markup and bidi tricks are created in the demo
forum through its HTTP API, then read in termforum running in a pseudo-terminal. None of the
injected sequences may reach the terminal's bytes, no injected action may run, and the text
must still be readable."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from termforum.demo import DemoServer
from tests.e2e.ptyrun import PtyProcess, termforum

pytestmark = pytest.mark.slow

SIZE = (120, 40)

OSC52 = "\x1b]52;c;aGFja2Vk\x07"  # rewrite the clipboard
OSC8 = "\x1b]8;;https://evil.example/\x07"  # a forged hyperlink
TITLE = "\x1b]0;PWNED-TITLE\x07"  # set the window title
CLEAR = "\x1b[2J\x1b[H"  # clear the screen
DCS = "\x1bP+q544e\x1b\\"  # ask the terminal to answer (request status)
C1_CSI = "\x9b6n"  # a C1 CSI: report the cursor position
RED = "\x1b[31m"  # colour, from the server

INJECTED: dict[str, bytes] = {
    "OSC 52": b"\x1b]52;",
    "OSC 8 to evil.example": b"evil.example/\x07",
    "window title": b"PWNED-TITLE\x07",
    "DCS": b"\x1bP",
    "C1 CSI (UTF-8)": b"\xc2\x9b",
    "C1 CSI (raw)": b"\x9b6n",
    "bidi override": "\u202e".encode(),
}

USERNAME = f"mallory{OSC52}[@click=app.quit]u[/]\u202e"
NAME = f"{TITLE}Mal {RED}lory{CLEAR}"
GROUP = f"Trap {RED}group{C1_CSI} [b]bold[/b]"
TOPIC_TITLE = f"Hostile {OSC8}title{OSC8} [@click=app.quit]quit[/] \\"
RAW = (
    f"Read this {OSC52} carefully{CLEAR}.\n\n"
    f"[@click=app.quit]click me[/] and [link=https://evil.example]here[/link] {DCS}\n\n"
    f"\u202eevil bidi\u202c and a lone [/ and {C1_CSI} and {TITLE}\n\n"
    "[js link](javascript:alert(1)) and [ok link](https://example.org/ok)"
    "\n\nA trailing backslash \\"
)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[DemoServer]:
    demo = DemoServer(tmp_path / "forum-data")
    demo.start()
    yield demo
    demo.stop()


def seed_hostile_content(server: DemoServer) -> None:
    """What a hostile member (and a careless admin) could put on a forum, through HTTP."""
    admin = {"Api-Key": server.app.create_api_key(), "Api-Username": "giulia"}
    with httpx.Client(base_url=server.url, timeout=10) as http:
        user = http.post("/users.json", headers=admin, json={"username": USERNAME, "name": NAME})
        assert user.status_code == 200, user.text
        group = http.post("/categories.json", headers=admin, json={"name": GROUP})
        assert group.status_code == 200, group.text
        as_mallory = {"Api-Key": admin["Api-Key"], "Api-User-Id": str(user.json()["user_id"])}
        topic = http.post(
            "/posts.json",
            headers=as_mallory,
            json={"title": TOPIC_TITLE, "raw": RAW, "category": group.json()["category"]["id"]},
        )
        assert topic.status_code == 200, topic.text


def test_users_groups_titles_and_posts_cannot_attack_the_terminal(
    termforum_home: Path, server: DemoServer
) -> None:
    seed_hostile_content(server)
    termforum_home.mkdir(parents=True, exist_ok=True)
    (termforum_home / "config.toml").write_text(f'[forums.work]\nurl = "{server.url}"\n')

    proc: PtyProcess = termforum("--forum", "work", size=SIZE)
    try:
        assert proc.wait_for_text("Hostile", timeout=60), proc.text()
        proc.send(b"j\r")  # the hostile topic is the newest, after the pinned one: open it
        assert proc.wait_for_text("click me", timeout=30), proc.text()
        proc.read(1.0)
        reading = proc.text()
        proc.send(b"o")  # its links
        assert proc.wait_for_text("Links in #1", timeout=10), proc.text()
        links = proc.text()
        proc.send(b"1")
        proc.read(0.5)
        proc.send(b"\x1b")
        proc.read(0.5)
        proc.send(b"u")  # back to the lists, where the group and title are shown again
        proc.read(1.0)
        assert proc.process.poll() is None, "an injected action ended termforum"
        proc.send(b"\x11")  # ctrl+q
        assert proc.finish(timeout=20) == 0, proc.text()
    finally:
        if proc.process.poll() is None:
            proc.process.kill()

    written = bytes(proc.output)
    for what, needle in INJECTED.items():
        assert needle not in written, f"{what} reached the terminal"
    # Every escape sequence on the wire is one termforum (Textual) writes on purpose: CSI
    # sequences for cursor, colour and modes, and OSC 22 naming a mouse pointer shape. No
    # other OSC, and no DCS, APC or PM at all.
    own = re.sub(rb"\x1b\]22;[a-z-]{1,20}(\x07|\x1b\\)", b"", written)
    kinds = set(re.findall(rb"\x1b(.)", own))
    assert kinds <= {b"[", b"7", b"8", b"=", b">", b"(", b")"}, kinds
    assert b"\x1b[31m" + b"lory" not in written and b"\x1b[31mgroup" not in written

    # Readable: the markup shows literally, the link to a javascript: address is listed but
    # never given an address, and the names are there without their escape sequences.
    assert "[@click=app.quit]click me[/]" in reading
    assert "[link=https://evil.example]here[/link]" in reading
    assert "A trailing backslash \\" in reading
    assert "mallory" in reading and "lory" in reading
    assert "Hostile" in reading and "[@click=app.quit]quit[/]" in reading
    assert "js link" in links and "only http, https and mailto" in links

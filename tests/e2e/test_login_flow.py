"""Logging in end to end, as a user over SSH would: `termforum login` in a real terminal,
the "browser" part done against the demo forum's approval page, a reply posted as that user
from the TUI, `termforum accounts`, then `termforum logout` revoking the key on the forum.

Also: the credentials file is private whatever the umask, and neither a crash nor the debug
log ever shows the key.
"""

from __future__ import annotations

import html
import os
import re
import stat
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from termforum.demo import DemoServer
from tests.e2e.ptyrun import PtyProcess, spawn, termforum

pytestmark = pytest.mark.slow

USER = "giulia"
"""The account the "browser" approves: not the demo's default, to prove whose key it is."""
TOPIC = 45
SIZE = (100, 30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    demo = DemoServer(tmp_path_factory.mktemp("login-demo"))
    demo.start()
    yield demo
    demo.stop()


@pytest.fixture
def home(termforum_home: Path, server: DemoServer) -> Path:
    termforum_home.mkdir(parents=True, exist_ok=True)
    (termforum_home / "config.toml").write_text(f'[forums.work]\nurl = "{server.url}"\n')
    return termforum_home


def approve_in_browser(authorize_url: str, username: str = USER) -> str:
    """What the user does in a browser: open the page, choose the account, Authorize; the
    payload text the forum then shows."""
    with httpx.Client(timeout=10) as browser:
        page = browser.get(authorize_url)
        assert page.status_code == 200, page.text
        fields = dict(
            (name, html.unescape(value))
            for name, value in re.findall(
                r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text
            )
        )
        form = re.search(r'<form method="post" action="([^"]+)"', page.text)
        assert form is not None and fields
        answer = browser.post(
            str(page.url.join(form.group(1))), data={**fields, "username": username}
        )
        assert answer.status_code == 200, answer.text
    payload = re.search(r'<pre id="payload">(.*?)</pre>', answer.text, re.S)
    assert payload is not None
    return html.unescape(payload.group(1))


def log_in(*, umask: int | None = None) -> tuple[PtyProcess, int]:
    """Run `termforum login work` in a terminal and go through the whole flow."""
    args = [sys.executable, "-m", "termforum", "login", "work", "--no-browser"]
    if umask is not None:
        args = ["sh", "-c", f'umask {umask:03o} && exec "$@"', "sh", *args]
    proc = spawn(args, size=SIZE)
    assert proc.wait_for(b"Paste: ", timeout=30), proc.output.decode(errors="replace")
    printed = proc.output.decode(errors="replace")
    url = re.search(r"(http://\S+/user-api-key/new\?\S+)", printed)
    assert url is not None, printed
    payload = approve_in_browser(url.group(1))
    for line in payload.splitlines():
        proc.send(line.encode() + b"\r")
    return proc, proc.finish(timeout=30)


def stored_key(home: Path) -> str:
    data = tomllib.loads((home / "data" / "credentials.toml").read_text())
    (account,) = data["accounts"].values()
    return str(account["key"])


def test_login_reply_accounts_logout(home: Path, server: DemoServer) -> None:
    proc, code = log_in()
    said = proc.output.decode(errors="replace")
    assert code == 0, said
    assert f"Logged in to work as {USER}" in said
    # No keyring here (the fail backend): the key went to the private file, and it says so.
    assert "stored in the plain file" in said, said
    key = stored_key(home)
    assert key not in said

    # A reply from the TUI, as that user.
    body = "Posted from a terminal after logging in without a local browser."
    tui = termforum("--forum", "work", size=SIZE)
    try:
        assert tui.wait_for_text(USER, timeout=60), tui.text()
        assert tui.wait_for_text("replies", timeout=30), tui.text()
        tui.send(b"\r")
        assert tui.wait_for_text("#1 ", timeout=30), tui.text()
        tui.send(b"R")
        assert tui.wait_for_text("Markdown", timeout=30), tui.text()
        tui.send(body.encode())
        assert tui.wait_for_text(body[:30], timeout=20), tui.text()
        tui.send(b"\x13")  # ctrl+s
        assert tui.wait_for_text("Your reply was posted", timeout=30), tui.text()
    finally:
        tui.send(b"\x11")  # ctrl+q
        tui.finish(timeout=20)
    assert key not in tui.output.decode(errors="replace")
    with httpx.Client(base_url=server.url, headers={"User-Api-Key": key}, timeout=10) as forum:
        me = forum.get("/session/current.json")
        assert me.json()["current_user"]["username"] == USER
        found = forum.get("/search.json", params={"q": "logging in without a local browser"})
        posts = found.json()["posts"]
        assert posts and {post["username"] for post in posts} == {USER}

    listing = termforum("accounts", size=(160, 30))
    assert listing.finish(timeout=30) == 0
    table = listing.text()
    assert re.search(
        rf"work\s+{re.escape(server.url or '')}\s+{USER}\s+User API key\s+file ", table
    )
    assert key not in listing.output.decode(errors="replace")

    logout = termforum("logout", "work", size=SIZE)
    assert logout.finish(timeout=30) == 0, logout.text()
    assert "revoked on the forum" in logout.text()
    with httpx.Client(base_url=server.url, headers={"User-Api-Key": key}, timeout=10) as forum:
        assert forum.get("/session/current.json").status_code == 403
    assert key not in (home / "data" / "credentials.toml").read_text()


def test_logout_deletes_the_key_here_even_when_the_forum_is_unreachable(
    home: Path, server: DemoServer
) -> None:
    _, code = log_in()
    assert code == 0
    key = stored_key(home)
    # The forum moved: the config now points at a port nobody listens on.
    config = home / "config.toml"
    config.write_text('[forums.work]\nurl = "http://127.0.0.1:9"\n')
    data = (home / "data" / "credentials.toml").read_text()
    (home / "data" / "credentials.toml").write_text(
        data.replace(server.url or "", "http://127.0.0.1:9")
    )

    logout = termforum("logout", "work", size=(160, 30))
    code = logout.finish(timeout=30)
    said = logout.text()

    assert code == 1
    assert "deleted from" in said
    assert "could not revoke" in said
    assert key not in (home / "data" / "credentials.toml").read_text()


def test_credentials_file_is_private_even_with_umask_000(home: Path) -> None:
    _, code = log_in(umask=0)
    assert code == 0

    data_dir = home / "data"
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700
    assert stat.S_IMODE((data_dir / "credentials.toml").stat().st_mode) == 0o600


CRASH = """
import sys
from termforum.ui.screens.main import MainScreen

def explode(self):
    key = self.service.credentials.key.reveal()
    headers = {"User-Api-Key": key, "Api-Key": key}
    raise RuntimeError("boom while holding the key")

MainScreen.action_refresh = explode
from termforum.cli import main
sys.exit(main(sys.argv[1:]))
"""


def test_a_crash_and_the_debug_log_never_show_the_key(home: Path) -> None:
    _, code = log_in()
    assert code == 0
    key = stored_key(home)
    log_file = home / "debug.log"

    proc = spawn(
        [sys.executable, "-c", CRASH, "--forum", "work", "--debug-log", str(log_file)], size=SIZE
    )
    assert proc.wait_for_text(USER, timeout=60), proc.text()
    assert proc.wait_for_text("replies", timeout=30), proc.text()
    proc.send(b"\x12")  # ctrl+r → the crash
    proc.finish(timeout=30)

    everything = proc.output.decode(errors="replace")
    assert "boom while holding the key" in everything  # the crash report is shown ...
    assert key not in everything  # ... without the key
    logged = log_file.read_text()
    assert "GET /session/current.json -> 200" in logged or "-> 200 in" in logged
    assert key not in logged
    for path in home.rglob("*"):
        if path.is_file() and path.name != "credentials.toml":
            assert key.encode() not in path.read_bytes(), path
    assert os.environ.get("PYTHON_KEYRING_BACKEND") == "keyring.backends.fail.Keyring"

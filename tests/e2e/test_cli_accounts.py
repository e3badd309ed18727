"""`termforum login --api-key`, `logout`, `accounts` and their mistakes, over loopback HTTP.

The User API key flow in a real terminal is ``test_login_flow.py``; these run the commands
as scripts would (stdin piped), and check that every expected failure is one sentence.
"""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from termforum.demo import DemoServer


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    demo = DemoServer(tmp_path_factory.mktemp("cli-accounts-demo"))
    demo.start()
    yield demo
    demo.stop()


@pytest.fixture
def home(termforum_home: Path, server: DemoServer) -> Path:
    termforum_home.mkdir(parents=True, exist_ok=True)
    (termforum_home / "config.toml").write_text(
        f'[forums.work]\nurl = "{server.url}"\n\n'
        '[forums.meta]\nurl = "https://meta.discourse.org"\nauth = "anonymous"\n'
    )
    return termforum_home


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termforum", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def one_sentence(stream: str) -> str:
    lines = [line for line in stream.splitlines() if line.strip()]
    assert len(lines) == 1, stream
    assert "Traceback" not in stream
    return lines[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_admin_api_key_login_then_accounts_then_logout(home: Path, server: DemoServer) -> None:
    assert server.app is not None
    key = server.app.create_api_key(None, description="cli test")

    login = run("login", "work", "--api-key", "--username", "priya", stdin=key + "\n")

    assert login.returncode == 0, login.stderr
    assert "Logged in to work as priya" in login.stdout
    assert key not in login.stdout + login.stderr
    listing = run("accounts")
    assert listing.returncode == 0
    rows = {line.split()[0]: line for line in listing.stdout.splitlines() if line.strip()}
    assert "priya" in rows["work"] and "admin API key" in rows["work"]
    assert "anonymous (config says so)" in rows["meta"]
    assert "The OS keyring is not installed here" in listing.stdout

    logout = run("logout", "work")

    assert logout.returncode == 1  # deleted here, but an admin key is not revoked by us
    assert "deleted from file" in logout.stdout
    assert "revoked by an admin" in logout.stderr
    assert "anonymous (not logged in)" in run("accounts").stdout
    with httpx.Client(base_url=server.url or "", timeout=10) as forum:
        still = forum.get(
            "/session/current.json", headers={"Api-Key": key, "Api-Username": "priya"}
        )
    assert still.status_code == 200  # as said: the admin key itself still works


def test_a_wrong_admin_key_is_refused_and_not_stored(home: Path) -> None:
    result = run("login", "work", "--api-key", "--username", "priya", stdin="0" * 64 + "\n")

    assert result.returncode == 2
    assert "refused the new key" in one_sentence(result.stderr)
    assert "nothing was stored" in result.stderr
    assert (
        not (home / "data" / "credentials.toml").exists()
        or "accounts" not in (home / "data" / "credentials.toml").read_text()
    )


def test_login_to_an_unreachable_forum_is_one_sentence(home: Path) -> None:
    result = run("login", f"http://127.0.0.1:{free_port()}", "--no-browser")

    assert result.returncode == 2
    assert "refused the connection" in one_sentence(result.stderr)


def test_login_where_the_config_says_anonymous_is_refused(home: Path) -> None:
    result = run("login", "meta")

    assert result.returncode == 2
    assert 'auth = "anonymous"' in one_sentence(result.stderr)


def test_login_to_an_unknown_name_lists_the_known_ones(home: Path) -> None:
    result = run("login", "wrok")

    assert result.returncode == 2
    assert "known: work, meta" in one_sentence(result.stderr)


def test_a_garbage_paste_is_one_sentence(home: Path) -> None:
    result = run("login", "work", "--no-browser", stdin="not the payload at all!\n\n")

    assert result.returncode == 2
    assert "Nothing that looks like the forum's payload" in one_sentence(result.stderr)


def test_logout_when_not_logged_in_is_harmless(home: Path) -> None:
    result = run("logout", "work")

    assert result.returncode == 0
    assert "Not logged in to work" in result.stdout


def test_a_damaged_credentials_file_stops_the_tui_with_one_sentence(home: Path) -> None:
    store = home / "data" / "credentials.toml"
    store.parent.mkdir(mode=0o700)
    store.write_text("this = is = not toml")
    store.chmod(0o600)

    result = run("--forum", "work")

    assert result.returncode == 2
    line = one_sentence(result.stderr)
    assert str(store) in line and "fix or delete it" in line
    assert store.read_text() == "this = is = not toml"


def test_a_stored_login_makes_a_bare_url_usable_as_a_forum(home: Path, server: DemoServer) -> None:
    (home / "config.toml").write_text("")
    assert server.app is not None
    key = server.app.create_api_key("priya")
    assert (
        run("login", server.url or "", "--api-key", "--username", "priya", stdin=key).returncode
        == 0
    )

    listing = run("accounts").stdout

    host = (server.url or "").removeprefix("http://")
    assert host in listing and "priya" in listing

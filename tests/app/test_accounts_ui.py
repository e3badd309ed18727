"""Logging in from the TUI, the forums list and switching forums, on demo forums over loopback.

The "browser" half of the login (opening the address, pressing Authorize, copying the text)
is done with httpx against the demo forum's approval page, as a person would on a phone.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from textual import events
from textual.widgets import TextArea

from termforum.accounts import Accounts
from termforum.auth import Credentials, Secret
from termforum.config import Config, ForumConfig
from termforum.credstore import CredentialStore
from termforum.demo import DemoServer
from termforum.demo.app import DEMO_CLIENT_ID
from termforum.ui.app import TermforumApp
from termforum.ui.screens.composer import ComposerScreen
from termforum.ui.screens.login import LoginScreen
from termforum.ui.screens.main import MainScreen
from tests.app.conftest import settle

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')
_PAYLOAD = re.compile(r'<pre id="payload">(.*?)</pre>', re.S)


@pytest.fixture(scope="module")
def own_forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo forum of this module's own (the login test posts a reply to it)."""
    with DemoServer(data_dir=tmp_path_factory.mktemp("accounts-forum")) as server:
        yield server


@pytest.fixture
def store(tmp_path: Path) -> CredentialStore:
    """A credential store in a private file of this test's own."""
    return CredentialStore(tmp_path / "credentials.toml", mode="file")


def _accounts(store: CredentialStore, **urls: str) -> Accounts:
    forums = {name: ForumConfig(name=name, url=url) for name, url in urls.items()}
    return Accounts(Config(forums=forums), store)


def _app(accounts: Accounts, name: str) -> TermforumApp:
    forum = accounts.find(name)
    return TermforumApp(accounts.open(forum), accounts=accounts)


def _main(app: TermforumApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def _login(app: TermforumApp) -> LoginScreen:
    screen = app.screen
    assert isinstance(screen, LoginScreen)
    return screen


def _notifications(app: TermforumApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]  # noqa: SLF001


def _authorize(authorize_url: str, username: str = "you") -> str:
    """What a browser does: open the approval page, press Authorize, read the payload."""
    page = httpx.get(authorize_url).text
    fields = {name: html.unescape(value) for name, value in _HIDDEN.findall(page)}
    fields["username"] = username
    base = authorize_url.split("/user-api-key/new", 1)[0]
    answer = httpx.post(f"{base}/user-api-key", data=fields).text
    found = _PAYLOAD.search(answer)
    assert found is not None, answer
    return html.unescape(found.group(1))


async def _open_login(pilot) -> LoginScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    await pilot.press("L")
    await settle(pilot, lambda: isinstance(app.screen, LoginScreen))
    screen = _login(app)
    await settle(pilot, lambda: screen.request is not None)
    return screen


async def _paste(pilot, screen: LoginScreen, pasted: str) -> None:  # type: ignore[no-untyped-def]
    """Paste ``pasted`` as a terminal does (a bracketed paste into the focused box)."""
    box = screen.query_one("#login-paste", TextArea)
    assert screen.focused is box
    pilot.app.post_message(events.Paste(pasted))  # the driver's message: the app forwards it
    await settle(pilot, lambda: box.text == pasted)


async def test_login_in_the_tui_stores_the_key_and_lets_you_post(
    own_forum: DemoServer, store: CredentialStore
) -> None:
    url = own_forum.url
    accounts = _accounts(store, demo=url)
    app = _app(accounts, "demo")
    reply = "Logged in from the terminal; thanks for the welcome thread."
    async with app.run_test(size=(100, 30)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        assert "anonymous" in app.sub_title
        await pilot.press("c")  # writing needs an account: the message says how to get one
        await settle(pilot, lambda: any("press L to log in" in n for n in _notifications(app)))

        login = await _open_login(pilot)
        request = login.request
        assert request is not None
        assert login.query_one("#login-url").render().plain == request.authorize_url
        payload = await asyncio.to_thread(_authorize, request.authorize_url)
        await _paste(pilot, login, payload)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))

        assert app.service.username == "you"
        assert "you" in app.sub_title.split(" · ")
        assert any(n.startswith("Logged in to demo as you") for n in _notifications(app))
        stored = store.load(url)
        assert stored is not None and stored.username == "you"
        assert stored.kind == "user_api_key" and stored.key == app.service.credentials.key
        forums = screen.forums_pane
        await settle(pilot, lambda: [e.username for e in forums.entries] == ["you"])

        # Writing works at once: reply to the first topic.
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        screen.topics_pane.focus()
        await pilot.press("enter")
        await settle(pilot, lambda: screen.reader.selected_post is not None)
        topic_id = screen.reader.thread.topic.id
        await pilot.press("R")
        await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
        await pilot.press(*reply, "ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen), tries=200)
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None and reader.selected_post.yours)

    stream = httpx.get(f"{url}/t/{topic_id}.json").json()["post_stream"]["stream"]
    params = [("post_ids[]", stream[-1]), ("include_raw", "true")]
    [post] = httpx.get(f"{url}/t/{topic_id}/posts.json", params=params).json()["post_stream"][
        "posts"
    ]
    assert post["username"] == "you" and post["raw"] == reply


async def test_a_bad_paste_is_said_in_one_sentence_and_kept(
    demo_url: str, store: CredentialStore
) -> None:
    accounts = _accounts(store, demo=demo_url)
    app = _app(accounts, "demo")
    async with app.run_test(size=(80, 24)) as pilot:
        login = await _open_login(pilot)
        await _paste(pilot, login, "hello, this is not it")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "Nothing that looks like" in login.status)
        assert login.status.count(".") == 1  # one sentence
        assert login.pasted == "hello, this is not it"
        assert isinstance(app.screen, LoginScreen)

        request = login.request
        assert request is not None
        payload = await asyncio.to_thread(_authorize, request.authorize_url)
        cut = payload[: len(payload) // 2]
        login.query_one("#login-paste", TextArea).clear()
        await _paste(pilot, login, cut)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "not a whole payload" in login.status)
        assert login.pasted == cut

        # The same attempt still works with the whole text.
        login.query_one("#login-paste", TextArea).clear()
        await _paste(pilot, login, payload)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.service.username == "you"
    assert _notifications(app) and not any("went wrong" in n for n in _notifications(app))


async def test_a_new_address_means_a_new_attempt(demo_url: str, store: CredentialStore) -> None:
    accounts = _accounts(store, demo=demo_url)
    app = _app(accounts, "demo")
    async with app.run_test(size=(100, 30)) as pilot:
        login = await _open_login(pilot)
        first = login.request
        assert first is not None
        old_payload = await asyncio.to_thread(_authorize, first.authorize_url)
        await pilot.press("ctrl+n")
        await settle(pilot, lambda: login.request is not None and login.request is not first)
        await _paste(pilot, login, old_payload)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: "another login attempt" in login.status)
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.service.username is None
    assert store.load(demo_url) is None


async def test_a_revoked_key_brings_up_the_login_screen(
    demo_server: DemoServer, demo_url: str, store: CredentialStore
) -> None:
    key = demo_server.app.create_user_api_key(
        "you", scopes=("read", "write", "session_info"), client_id=store.client_id()
    )
    store.save(demo_url, Credentials("user_api_key", Secret(key), "you", store.client_id()))
    accounts = _accounts(store, demo=demo_url)
    app = _app(accounts, "demo")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.groups_pane.option_count > 1)
        assert "you" in app.sub_title.split(" · ")
        assert demo_server.app.revoke_key(key)
        screen.groups_pane.focus()
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: isinstance(app.screen, LoginScreen))
        login = _login(app)
        reason = login.query_one("#login-reason").render().plain
        assert reason == "demo refused your key: it may have been revoked."
        await settle(pilot, lambda: login.request is not None)

        # Log in again: the new key replaces the revoked one.
        assert login.request is not None
        payload = await asyncio.to_thread(_authorize, login.request.authorize_url)
        await _paste(pilot, login, payload)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        stored = store.load(demo_url)
        assert stored is not None and stored.key.reveal() != key
    assert app.return_code in (None, 0)
    assert not any("went wrong" in n for n in _notifications(app))


async def test_a_refused_key_offers_login_once_per_forum(
    demo_server: DemoServer, demo_url: str, store: CredentialStore
) -> None:
    key = demo_server.app.create_user_api_key("you", client_id=store.client_id())
    demo_server.app.revoke_key(key)
    store.save(demo_url, Credentials("user_api_key", Secret(key), "you", store.client_id()))
    accounts = _accounts(store, demo=demo_url)
    app = _app(accounts, "demo")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, lambda: isinstance(app.screen, LoginScreen))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        screen = _main(app)
        assert "press L to log in" in str(screen.topics_pane.get_option_at_index(0).prompt)
        said = len(_notifications(app))
        screen.groups_pane.focus()
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: len(_notifications(app)) > said)
        assert isinstance(app.screen, MainScreen)  # said in a sentence, not asked again


@pytest.fixture
def two_forums(demo_url: str, store: CredentialStore) -> Callable[[], TermforumApp]:
    """Forums "one" and "two": the session's demo forum under two addresses."""
    other = demo_url.replace("127.0.0.1", "localhost")
    assert other != demo_url

    def build() -> TermforumApp:
        return _app(_accounts(store, one=demo_url, two=other), "one")

    return build


async def test_switching_forums_from_the_list_and_the_palette(
    two_forums: Callable[[], TermforumApp],
) -> None:
    app = two_forums()
    async with app.run_test(size=(80, 24)) as pilot:
        first = _main(app)
        await settle(pilot, lambda: len(first.forums_pane.entries) == 2)
        await settle(pilot, lambda: first.groups_pane.option_count > 2)
        assert [(e.forum.name, e.current) for e in first.forums_pane.entries] == [
            ("one", True),
            ("two", False),
        ]
        # Remember a group on "one".
        first.groups_pane.focus()
        await pilot.press("down", "down", "enter")
        chosen = first.groups_pane.groups[1]
        await settle(pilot, lambda: first.group is chosen)
        old_service = app.service

        first.forums_pane.focus()
        await pilot.press("down", "enter")
        await settle(pilot, lambda: app.service.name == "two" and app.screen is not first)
        second = _main(app)
        assert second.service is app.service and app.forum.name == "two"
        await settle(pilot, lambda: second.groups_pane.option_count > 2)
        await settle(pilot, lambda: app.sub_title.startswith("two · anonymous"))
        assert second.group is None
        entries = second.forums_pane
        await settle(pilot, lambda: [e.current for e in entries.entries] == [False, True])
        assert app.state.last_forum == "two"
        assert old_service._http is not None and old_service._http.is_closed  # noqa: SLF001

        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Switch to forum: one")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, lambda: app.service.name == "one" and app.screen is not second)
        third = _main(app)
        await settle(pilot, lambda: third.group is not None)
        assert third.group.id == chosen.id  # the forum's last group is back
        await settle(pilot, lambda: app.sub_title.startswith("one · "))
        assert app.state.last_forum == "one"


async def test_narrow_layout_keeps_room_for_groups_and_hides_lists_while_reading(
    two_forums: Callable[[], TermforumApp],
) -> None:
    app = two_forums()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: len(screen.forums_pane.entries) == 2)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        await pilot.pause()
        assert screen.forums_pane.size.height == 2
        assert screen.groups_pane.size.height >= 10
        await pilot.press("enter")
        await settle(pilot, lambda: screen.reader.selected_post is not None)
        assert not screen.query_one("#left").display
        assert screen.reader.size.width >= 76


async def test_the_demo_says_you_are_already_signed_in(demo_server: DemoServer) -> None:
    username, key = demo_server.demo_credentials()
    credentials = Credentials("user_api_key", Secret(key), username, DEMO_CLIENT_ID)
    forum = ForumConfig(name="demo", url=demo_server.url)
    accounts = Accounts.single(forum, credentials)
    app = TermforumApp(accounts.open(forum, credentials), accounts=accounts)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        assert [(e.forum.name, e.username) for e in screen.forums_pane.entries] == [
            ("demo", username)
        ]
        await pilot.press("L")
        await settle(pilot, lambda: _notifications(app) != [])
        assert isinstance(app.screen, MainScreen)
        [message] = _notifications(app)
        assert "already signs you in" in message and username in message

"""What a user sees when the forum misbehaves: one plain sentence, nothing lost, no crash."""

from __future__ import annotations

from collections.abc import Callable

from termforum.demo import Faults
from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from tests.app.conftest import settle


def _notifications(app: TermforumApp) -> list[str]:
    return [str(notification.message) for notification in app._notifications]  # noqa: SLF001


async def test_server_error_is_one_sentence_and_the_list_survives(
    make_app: Callable[..., TermforumApp], faults: Faults
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        shown = [topic.id for topic in screen.topics_pane.topics]
        faults.fail_next(1, status=503)
        screen.topics_pane.focus()
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: _notifications(app) != [])
        [message] = _notifications(app)
        assert "503" in message or "server" in message.lower()
        assert "\n" not in message and "Traceback" not in message
        await pilot.press("ctrl+r")  # the forum works again: the list comes back
        await settle(pilot, lambda: [t.id for t in screen.topics_pane.topics] == shown)


async def test_malformed_answer_is_reported_not_crashed(
    make_app: Callable[..., TermforumApp], faults: Faults
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        faults.malform_next(path_prefix="/t/")
        await pilot.press("enter")
        await settle(pilot, lambda: _notifications(app) != [])
        assert app.is_running
        assert screen.reader.thread is None


async def test_rate_limited_answer_says_when_to_retry(
    make_app: Callable[..., TermforumApp], faults: Faults
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        faults.rate_limit_next(retry_after=7, form="text")
        await pilot.press("v")
        await settle(pilot, lambda: _notifications(app) != [])
        assert "7" in _notifications(app)[0]


async def test_server_text_in_notifications_is_not_markup() -> None:
    """A hostile error message from the server shows literally and cannot run an action."""
    import httpx

    from termforum.backends import create_backend
    from termforum.net import make_client
    from termforum.service import ForumService

    hostile = "[@click=app.quit]Click me[/] [b]bold?[/b] \x1b]52;c;ZWNobw==\x07"

    def forum(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/site/basic-info.json":
            return httpx.Response(200, json={"title": "Hostile", "description": ""})
        return httpx.Response(422, json={"errors": [hostile], "error_type": "invalid"})

    url = "http://forum.test"
    http = make_client(url, transport=httpx.MockTransport(forum))
    app = TermforumApp(ForumService("hostile", url, create_backend("discourse", url, http=http)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, lambda: _notifications(app) != [])
        notification = next(iter(app._notifications))  # noqa: SLF001
        assert notification.markup is False
        assert "[@click=app.quit]Click me[/]" in notification.message
        assert "\x1b" not in notification.message and "\x07" not in notification.message
        toast = app.screen.query("Toast")
        if toast:
            await pilot.click(toast.first())
        assert app.is_running

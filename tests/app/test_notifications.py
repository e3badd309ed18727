"""Notifications as a reader meets them: anonymous readers are told they need an account."""

from __future__ import annotations

from collections.abc import Callable

from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from tests.app.conftest import settle


def _toasts(app: TermforumApp) -> list[str]:
    return [str(note.message) for note in app._notifications]  # noqa: SLF001


async def test_anonymous_readers_are_told_notifications_need_an_account(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert any("for members" in toast for toast in _toasts(app))

"""Notifications as a member meets them: someone replies, the header counts it and a toast
says who, ``i`` lists it, enter opens the reply and marks it read. Anonymous readers are
told notifications need an account."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from termforum.demo import DemoServer
from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from termforum.ui.screens.notifications import NotificationsScreen
from tests.app.conftest import app_as_demo_user, settle


@pytest.fixture(scope="module")
def busy_forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo forum of this module's own: other members write to it during the tests."""
    with DemoServer(data_dir=tmp_path_factory.mktemp("busy-forum")) as server:
        yield server


def _post(forum: DemoServer, headers: dict[str, str], **body: object) -> dict:
    answer = httpx.post(f"{forum.url}/posts.json", json=body, headers=headers)
    assert answer.status_code == 200, answer.text
    return answer.json()


def _toasts(app: TermforumApp) -> list[str]:
    return [str(note.message) for note in app._notifications]  # noqa: SLF001


async def test_a_reply_from_someone_else_is_counted_announced_listed_and_opened(
    busy_forum: DemoServer,
) -> None:
    _, key = busy_forum.demo_credentials()
    mine = {"User-Api-Key": key}
    theirs = {"User-Api-Key": busy_forum.app.create_user_api_key("kwame")}
    topics = httpx.get(f"{busy_forum.url}/latest.json").json()["topic_list"]["topics"]
    topic = next(t for t in topics if t["title"] == "Reading a long thread efficiently")
    own = _post(
        busy_forum, mine, topic_id=topic["id"], raw="I skim the tree view first, then read."
    )
    url = busy_forum.url
    app = app_as_demo_user(busy_forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        screen.check_notifications()  # what the timer does every few minutes
        await app.workers.wait_for_complete()
        before = screen.unread_notifications
        assert not any("replied to you" in toast for toast in _toasts(app))

        reply = _post(
            busy_forum,
            theirs,
            topic_id=topic["id"],
            raw="Same here: the tree shows who answers whom.",
            reply_to_post_number=own["post_number"],
        )
        screen.check_notifications()
        await app.workers.wait_for_complete()
        assert screen.unread_notifications == before + 1
        assert f"{before + 1} new notification" in app.sub_title
        assert any(
            "kwame replied to you in “Reading a long thread efficiently”" in toast
            and "Press i" in toast
            for toast in _toasts(app)
        )

        await pilot.press("i")
        await settle(pilot, lambda: isinstance(app.screen, NotificationsScreen))
        listed = app.screen
        assert isinstance(listed, NotificationsScreen)
        assert listed.notifications[0].actor == "kwame" and not listed.notifications[0].read
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        reader = screen.reader
        await settle(
            pilot,
            lambda: (
                reader.selected_post is not None
                and reader.selected_post.number == reply["post_number"]
            ),
        )
        await settle(pilot, lambda: screen.unread_notifications == before)
    served = httpx.get(f"{url}/notifications.json", headers=mine).json()["notifications"]
    assert served[0]["read"] is True


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

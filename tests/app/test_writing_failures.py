"""A reply under a failing forum: the text is never lost and never published twice."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from termforum.auth import Credentials, Secret
from termforum.backends import create_backend
from termforum.demo import DemoServer, Faults
from termforum.demo.app import DEMO_CLIENT_ID
from termforum.drafts import DraftStore
from termforum.net import Timeouts, make_client
from termforum.service import ForumService
from termforum.ui.app import TermforumApp
from termforum.ui.screens.composer import ComposerScreen
from termforum.ui.screens.main import MainScreen
from tests.app.conftest import settle


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    with DemoServer(data_dir=tmp_path_factory.mktemp("failing-forum")) as server:
        yield server


@pytest.fixture
def faults(forum: DemoServer) -> Iterator[Faults]:
    forum.app.faults.reset()
    yield forum.app.faults
    forum.app.faults.reset()


class RecordingApp(TermforumApp):
    """The app, remembering every notification it showed (toasts expire)."""

    def notify(self, message, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        self.shown = [*getattr(self, "shown", []), str(message)]
        return super().notify(message, *args, **kwargs)


def _app(forum: DemoServer) -> TermforumApp:
    username, key = forum.demo_credentials()
    credentials = Credentials("user_api_key", Secret(key), username, DEMO_CLIENT_ID)
    # A short read time-out, so "the forum took the post but never answered" is quick to test.
    http = make_client(forum.url, timeouts=Timeouts(connect=2.0, read=1.5))
    backend = create_backend("discourse", forum.url, http=http, credentials=credentials)
    return RecordingApp(ForumService("demo", forum.url, backend))


def _count_on_forum(forum: DemoServer, topic_id: str, text: str) -> int:
    data = httpx.get(f"{forum.url}/t/{topic_id}.json").json()
    ids = data["post_stream"]["stream"]
    params = [("post_ids[]", i) for i in ids] + [("include_raw", "true")]
    posts = httpx.get(f"{forum.url}/t/{topic_id}/posts.json", params=params).json()
    return sum(1 for p in posts["post_stream"]["posts"] if p.get("raw") == text)


async def _compose_reply(pilot, app: TermforumApp, text: str) -> tuple[ComposerScreen, str]:  # type: ignore[no-untyped-def]
    screen = app.screen
    assert isinstance(screen, MainScreen)
    await settle(pilot, lambda: screen.topics_pane.topics != [])
    await pilot.press("enter")
    await settle(pilot, lambda: screen.reader.selected_post is not None)
    topic_id = screen.reader.thread.topic.id
    await pilot.press("R")
    await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
    composer = app.screen
    composer.query_one("#body").load_text(text)
    return composer, topic_id


def _notes(app: TermforumApp) -> list[str]:
    return list(getattr(app, "shown", []))


@pytest.mark.parametrize(
    "break_forum",
    [
        pytest.param(lambda f: f.fail_next(1, status=503, method="POST"), id="503"),
        pytest.param(lambda f: f.rate_limit_next(1, method="POST"), id="429"),
        pytest.param(lambda f: f.drop_next(1, method="POST"), id="dropped"),
    ],
)
async def test_a_failed_send_keeps_the_text_and_a_resend_posts_once(
    forum: DemoServer, faults: Faults, break_forum: Callable[[Faults], object], request
) -> None:
    text = f"A reply that must survive a failing forum ({request.node.callspec.id})."
    app = _app(forum)
    async with app.run_test(size=(100, 30)) as pilot:
        composer, topic_id = await _compose_reply(pilot, app, text)
        break_forum(faults)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: _notes(app) != [], tries=300)
        assert app.screen is composer  # still open, with the text
        assert composer.query_one("#body").text == text
        [draft] = [d for d in DraftStore().all("demo") if d.body == text]
        assert draft.status == "failed" and draft.note
        assert _count_on_forum(forum, topic_id, text) == 0
        await pilot.press("ctrl+s")  # the forum works again
        await settle(pilot, lambda: isinstance(app.screen, MainScreen), tries=300)
    assert _count_on_forum(forum, topic_id, text) == 1
    assert [d for d in DraftStore().all("demo") if d.body == text] == []


@pytest.mark.parametrize(
    "lose_answer",
    [
        pytest.param(lambda f: f.accept_then_drop(1, method="POST"), id="accepted-then-dropped"),
        pytest.param(
            lambda f: f.accept_then_timeout(1, delay=4, method="POST"), id="accepted-then-timeout"
        ),
    ],
)
async def test_a_lost_answer_is_checked_on_the_forum_not_resent(
    forum: DemoServer, faults: Faults, lose_answer: Callable[[Faults], object], request
) -> None:
    text = f"This reply lands but its answer is lost ({request.node.callspec.id})."
    app = _app(forum)
    async with app.run_test(size=(100, 30)) as pilot:
        _composer, topic_id = await _compose_reply(pilot, app, text)
        lose_answer(faults)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen), tries=400)
        assert any("checked after no answer came" in note for note in _notes(app)), _notes(app)
    assert _count_on_forum(forum, topic_id, text) == 1  # published once, never twice
    assert [d for d in DraftStore().all("demo") if d.body == text] == []

"""Reading by structure: the reply tree (``t``), folding (``z``/``Z``), the post answered
(``p``), replies to the same post (``J``/``K``) and the next new post (``n``), as a reader
meets them on the demo forum's "How to ask a question that gets answered" topic:

    #1 ├─#2 └─#3 · ├─#4 └─#5 · ├─#6 └─#7 └─#10 · ├─#8 · └─#9
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from termforum.auth import Credentials, Secret
from termforum.backends import create_backend
from termforum.demo import DemoServer
from termforum.demo.app import DEMO_CLIENT_ID
from termforum.net import make_client
from termforum.service import ForumService
from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from termforum.ui.widgets.reader import ThreadView
from tests.app.conftest import settle

TITLE = "How to ask a question that gets answered"


async def _open(pilot, title: str = TITLE) -> ThreadView:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    assert isinstance(screen, MainScreen)
    await settle(pilot, lambda: screen.topics_pane.topics != [])
    topics = screen.topics_pane
    topics.highlighted = next(i for i, t in enumerate(topics.topics) if t.title == title)
    topics.focus()
    await pilot.press("enter")
    reader = screen.reader
    await settle(pilot, lambda: reader.thread is not None and reader.selected_post is not None)
    await settle(pilot, lambda: all(pid in reader._posts for pid in reader._stream))  # noqa: SLF001
    return reader


def _shown(reader: ThreadView) -> list[int]:
    """Post numbers in the order the reader shows them."""
    return [reader._posts[pid].number for pid in reader._ids]  # noqa: SLF001


def _view(reader: ThreadView) -> str:
    """The reader's lines as on screen."""
    return "\n".join(reader.render_line(y).text for y in range(reader.size.height))


def _at(reader: ThreadView) -> int:
    post = reader.selected_post
    assert post is not None
    return post.number


async def test_t_shows_the_reply_tree_with_guides_and_back_in_the_order_written(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        reader = await _open(pilot)
        assert _shown(reader) == list(range(1, 11))
        await pilot.press("t")
        assert reader.tree_mode
        assert _shown(reader) == [1, 2, 3, 4, 5, 6, 7, 10, 8, 9]
        await pilot.pause()
        view = _view(reader)
        assert "├─" in view and "│ └─" in view
        await pilot.press("t")
        assert not reader.tree_mode and _shown(reader) == list(range(1, 11))


async def test_z_folds_a_branch_and_says_how_many_replies_it_hides(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        reader = await _open(pilot)
        await pilot.press("z")  # outside the tree: explained, nothing folds
        assert _shown(reader) == list(range(1, 11))
        await pilot.press("t", "j", "j", "j", "j", "j")
        assert _at(reader) == 6
        await pilot.press("z")
        assert _shown(reader) == [1, 2, 3, 4, 5, 6, 8, 9]
        assert _at(reader) == 6
        await pilot.pause()
        assert "[+2 replies folded]" in _view(reader)
        await pilot.press("z")
        assert _shown(reader) == [1, 2, 3, 4, 5, 6, 7, 10, 8, 9]
        await pilot.press("Z")  # every answer to the topic folded
        assert _shown(reader) == [1, 2, 4, 6, 8, 9]
        await pilot.press("Z")
        assert len(_shown(reader)) == 10


async def test_p_goes_to_the_post_answered_and_J_K_to_replies_to_the_same_post(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        reader = await _open(pilot)
        await pilot.press("G")
        assert _at(reader) == 10
        await pilot.press("p")  # in the order written too: #10 answers #7
        assert _at(reader) == 7
        await pilot.press("p")
        assert _at(reader) == 6
        await pilot.press("p")  # #6 answers the topic: the first post
        assert _at(reader) == 1
        await pilot.press("j", "J")  # #2 → the next answer to the topic, #4
        assert _at(reader) == 4
        await pilot.press("J", "J", "J")
        assert _at(reader) == 9
        await pilot.press("J")  # the last one: stays, says so
        assert _at(reader) == 9
        await pilot.press("K")
        assert _at(reader) == 8
        # A post folded away in the tree shows as the fold that hides it.
        await pilot.press("t", "Z", "t", "G")
        assert not reader.tree_mode and _at(reader) == 10
        await pilot.press("t")
        assert _at(reader) == 6


@pytest.fixture(scope="module")
def lively_forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo forum of this module's own, where other people reply during the test."""
    with DemoServer(data_dir=tmp_path_factory.mktemp("lively-forum")) as server:
        yield server


async def test_n_steps_through_new_posts_and_finds_a_reply_that_arrives_later(
    lively_forum: DemoServer,
) -> None:
    username, key = lively_forum.demo_credentials()
    credentials = Credentials("user_api_key", Secret(key), username, DEMO_CLIENT_ID)
    url = lively_forum.url
    backend = create_backend("discourse", url, http=make_client(url), credentials=credentials)
    app = TermforumApp(ForumService("demo", url, backend))
    async with app.run_test(size=(100, 40)) as pilot:
        reader = await _open(pilot)
        await pilot.press("t")
        visited = [_at(reader)]
        for _ in range(9):
            await pilot.press("n")
            visited.append(_at(reader))
        assert visited == [1, 2, 3, 4, 5, 6, 7, 10, 8, 9]
        await pilot.press("n")
        assert _at(reader) == 9  # nothing new left
        # Someone else answers #2 …
        topic_id = reader.thread.topic.id  # type: ignore[union-attr]
        other = {"User-Api-Key": lively_forum.app.create_user_api_key("kwame")}
        body = {
            "topic_id": int(topic_id),
            "raw": "Late to this: the template works.",
            "reply_to_post_number": 2,
        }
        answer = httpx.post(f"{url}/posts.json", json=body, headers=other)
        assert answer.status_code == 200, answer.text
        # … the reader refreshes, and n finds the reply where it belongs in the tree.
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: reader.post_count == 11)
        await settle(pilot, lambda: all(pid in reader._posts for pid in reader._stream))  # noqa: SLF001
        assert reader.tree_mode
        assert _shown(reader) == [1, 2, 3, 11, 4, 5, 6, 7, 10, 8, 9]
        await pilot.press("g", "n")
        assert _at(reader) == 11

"""Unread and new as a member meets them: topic rows say "new" and "N unread" (from the
forum and from what was read here), a topic opens at its first unread post, and ``m`` marks a
topic or a whole group read, here and on the forum."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from termforum.demo import DemoServer
from termforum.ui.app import TermforumApp
from termforum.ui.screens.confirm import ConfirmScreen
from termforum.ui.screens.main import MainScreen
from tests.app.conftest import app_as_demo_user, settle

ASK_TOPIC = "45"
"""Seed topic "How to ask a question that gets answered": 10 posts, not new."""
SEVEN_POSTS = "63"
NEW_IN_GROUP_5 = {"70", "73"}
NEW_ELSEWHERE = {"71", "72", "74"}


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo forum of this module's own: the tests read, reply and dismiss on it."""
    with DemoServer(data_dir=tmp_path_factory.mktemp("unread-forum")) as server:
        yield server


def _you(forum: DemoServer) -> dict[str, str]:
    return {"User-Api-Key": forum.demo_credentials()[1]}


def _main(app: TermforumApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def _row(screen: MainScreen, topic_id: str) -> str:
    """The topic's row in the list, as text."""
    prompt = screen.topics_pane.get_option(topic_id).prompt
    return " / ".join(line.plain for line in prompt.layout(100))  # type: ignore[union-attr]


async def _highlight(pilot, screen: MainScreen, topic_id: str) -> None:  # type: ignore[no-untyped-def]
    pane = screen.topics_pane
    await settle(pilot, lambda: pane.topic(topic_id) is not None)
    pane.focus()
    pane.highlighted = pane.get_option_index(topic_id)
    await pilot.pause()


def _served_topic(forum: DemoServer, topic_id: str) -> dict:
    return httpx.get(f"{forum.url}/t/{topic_id}.json", headers=_you(forum)).json()


def _listed(forum: DemoServer, view: str) -> set[str]:
    data = httpx.get(f"{forum.url}/{view}.json", headers=_you(forum)).json()
    return {str(topic["id"]) for topic in data["topic_list"]["topics"]}


async def test_rows_count_new_and_unread_and_a_topic_opens_at_its_first_unread_post(
    forum: DemoServer,
) -> None:
    app = app_as_demo_user(forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await _highlight(pilot, screen, ASK_TOPIC)
        new = {t.id for t in screen.topics_pane.topics if t.unseen}
        assert new == NEW_IN_GROUP_5 | NEW_ELSEWHERE
        assert "new" in _row(screen, "74")
        assert "unread" not in _row(screen, ASK_TOPIC) and "new" not in _row(screen, ASK_TOPIC)
        assert screen.topics_pane.border_subtitle == "5 new"

        # Read the first three posts of a ten-post topic, then go back to the list.
        await pilot.press("enter")
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None)
        assert reader.selected_post.number == 1
        await pilot.press("j", "j")
        await settle(pilot, lambda: reader.selected_post.number == 3)
        await pilot.press("u")
        await settle(pilot, lambda: "7 unread" in _row(screen, ASK_TOPIC))
        assert screen.topics_pane.border_subtitle == "5 new · 1 unread"

        # Someone else answers: the refreshed list counts it, and the topic opens at #4.
        reply = httpx.post(
            f"{forum.url}/posts.json",
            headers={"User-Api-Key": forum.app.create_user_api_key("kwame")},
            json={"topic_id": int(ASK_TOPIC), "raw": "One more thing: say what you tried."},
        )
        assert reply.status_code == 200, reply.text
        await pilot.press("ctrl+r")
        await settle(pilot, lambda: "8 unread" in _row(screen, ASK_TOPIC))
        screen._opened.discard(ASK_TOPIC)  # noqa: SLF001 - as after a restart
        screen.service._threads.clear()  # noqa: SLF001
        await pilot.press("enter")
        await settle(pilot, lambda: reader.selected_post is not None and screen.reading)
        assert reader.selected_post.number == 4
        await pilot.press("G")
        await settle(pilot, lambda: reader.selected_post.number == 11)
        await pilot.pause()
        lines = [reader.render_line(y).text for y in range(reader.size.height)]
        header = next(line for line in lines if "kwame" in line and "#11" in line)
        assert "new" in header
        first_read = next((line for line in lines if "#3 " in line), None)
        assert first_read is None or "new" not in first_read


async def test_m_marks_the_open_topic_read_here_and_on_the_forum(forum: DemoServer) -> None:
    app = app_as_demo_user(forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await _highlight(pilot, screen, SEVEN_POSTS)
        await pilot.press("enter")
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None and screen.reading)
        assert reader.selected_post.number == 1

        await pilot.press("m")
        await app.workers.wait_for_complete()
        await pilot.press("n")
        await pilot.pause()
        assert reader.selected_post.number == 1  # nothing new is left to visit
        assert any("No new posts" in str(n.message) for n in app._notifications)  # noqa: SLF001
        await pilot.press("u")
        await settle(pilot, lambda: not screen.reading)
        assert "unread" not in _row(screen, SEVEN_POSTS)
    served = _served_topic(forum, SEVEN_POSTS)
    assert served["last_read_post_number"] == served["highest_post_number"] == 7


async def test_m_on_a_new_topic_in_the_list_takes_it_out_of_new(forum: DemoServer) -> None:
    app = app_as_demo_user(forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await _highlight(pilot, screen, "74")
        assert "new" in _row(screen, "74")
        await pilot.press("m")
        await settle(pilot, lambda: "new" not in _row(screen, "74"))
        await app.workers.wait_for_complete()
        assert any("Marked" in str(n.message) for n in app._notifications)  # noqa: SLF001
    assert "74" not in _listed(forum, "new")


async def test_m_on_a_group_asks_then_dismisses_all_its_topics(forum: DemoServer) -> None:
    assert _listed(forum, "new") >= NEW_IN_GROUP_5
    app = app_as_demo_user(forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await _highlight(pilot, screen, "70")
        groups = screen.groups_pane
        groups.focus()
        groups.highlighted = groups.get_option_index("5")
        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("escape")  # no: nothing changes
        await settle(pilot, lambda: app.screen is screen)
        await app.workers.wait_for_complete()
        assert _listed(forum, "new") >= NEW_IN_GROUP_5

        await pilot.press("m")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")
        await settle(pilot, lambda: app.screen is screen)
        await app.workers.wait_for_complete()
        assert all("new" not in _row(screen, topic_id) for topic_id in NEW_IN_GROUP_5)
        assert "new" in _row(screen, "72")
    assert not NEW_IN_GROUP_5 & _listed(forum, "new")
    assert "72" in _listed(forum, "new")


async def test_a_topic_read_elsewhere_opens_where_reading_stopped(forum: DemoServer) -> None:
    # Read up to post 4 of topic 1 of the long help thread "in a browser" (the forum's API).
    topic = 52
    body = {"topic_id": topic, "topic_time": 4000, "timings": {"3": 2000, "4": 2000}}
    answer = httpx.post(f"{forum.url}/topics/timings.json", headers=_you(forum), json=body)
    assert answer.status_code == 200
    app = app_as_demo_user(forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await _highlight(pilot, screen, str(topic))
        assert "1 unread" in _row(screen, str(topic))
        await pilot.press("enter")
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None and screen.reading)
        assert reader.selected_post.number == 5


async def test_anonymous_reading_is_counted_here_and_m_clears_it(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await _highlight(pilot, screen, ASK_TOPIC)
        await pilot.press("enter")
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None and screen.reading)
        await pilot.press("j")
        await settle(pilot, lambda: reader.selected_post.number == 2)
        await pilot.press("u")
        total = screen.topics_pane.topic(ASK_TOPIC).posts_count  # type: ignore[union-attr]
        await settle(pilot, lambda: f"{total - 2} unread" in _row(screen, ASK_TOPIC))
        await pilot.press("m")
        await settle(pilot, lambda: "unread" not in _row(screen, ASK_TOPIC))


async def test_the_compact_layout_still_says_new_and_unread(forum: DemoServer) -> None:
    app = app_as_demo_user(forum)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _main(app)
        await _highlight(pilot, screen, "72")
        await pilot.press("backslash")
        await settle(pilot, lambda: screen.topics_pane.compact)
        row = _row(screen, "72")
        assert "/" not in row  # one line
        assert "new" in row and row.startswith("● ")

"""Views and filters as a member uses them: ``V`` picks any view (top of a period, the
topics you posted in, your bookmarks), ``#`` lists only the topics with a tag, and each list
comes back where you left it, also after a restart."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from textual.content import Content

from termforum.demo import DemoServer
from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from termforum.ui.screens.main_views import MAX_POSITIONS
from termforum.ui.screens.tag_filter import TagFilterScreen
from termforum.ui.screens.views import ViewsScreen
from termforum.ui.widgets.lists import TopicList
from termforum.views import view_choices
from tests.app.conftest import app_as_demo_user, settle


@pytest.fixture(scope="module")
def forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo forum of this module's own: the demo account posts and bookmarks on it."""
    with DemoServer(data_dir=tmp_path_factory.mktemp("views-forum")) as server:
        yield server


def _main(app: TermforumApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def _title(screen: MainScreen) -> str:
    """The topic list's title as shown."""
    return Content.from_markup(str(screen.topics_pane.border_title)).plain


def _at(pane: TopicList) -> str | None:
    """The id of the highlighted topic (None while the list shows a notice)."""
    option = pane.highlighted_option
    return option.id if option is not None else None


def _ids(forum_url: str, path: str, headers: dict[str, str] | None = None) -> list[str]:
    data = httpx.get(f"{forum_url}{path}", headers=headers or {}).json()
    return [str(topic["id"]) for topic in data["topic_list"]["topics"]]


async def _choose_view(pilot, app: TermforumApp, view: str, period: str | None = None) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("V")
    await settle(pilot, lambda: isinstance(app.screen, ViewsScreen))
    box = app.screen.query_one("#views-box")
    box.highlighted = view_choices().index((view, period))  # type: ignore[attr-defined]
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_v_then_a_period_lists_the_top_topics_of_that_period(
    make_app: Callable[..., TermforumApp], demo_url: str
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        await _choose_view(pilot, app, "top", "monthly")
        expected = _ids(demo_url, "/top.json?period=monthly")
        await settle(pilot, lambda: [t.id for t in screen.topics_pane.topics] == expected)
        assert (screen.view, screen.period) == ("top", "monthly")
        assert "top this month" in _title(screen)
        assert expected != _ids(demo_url, "/top.json?period=all")  # the period mattered


async def test_anonymous_readers_cannot_pick_member_views(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        await pilot.press("V")
        await settle(pilot, lambda: isinstance(app.screen, ViewsScreen))
        box = app.screen.query_one("#views-box")
        posted = box.get_option_at_index(view_choices().index(("posted", None)))  # type: ignore[attr-defined]
        latest = box.get_option_at_index(0)  # type: ignore[attr-defined]
        assert posted.disabled and "log in" in str(posted.prompt)
        assert not latest.disabled
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        screen.set_view("bookmarks")  # from the palette, say
        await pilot.pause()
        assert screen.view == "latest"
        assert any("for members" in str(n.message) for n in app._notifications)  # noqa: SLF001


async def test_my_activity_lists_topics_i_posted_in_and_bookmarked(forum: DemoServer) -> None:
    headers = {"User-Api-Key": forum.demo_credentials()[1]}
    latest = _ids(forum.url, "/latest.json")
    replied, marked = latest[3], latest[6]
    answer = httpx.post(
        f"{forum.url}/posts.json",
        headers=headers,
        json={"topic_id": int(replied), "raw": "Adding my own experience to this topic."},
    )
    assert answer.status_code == 200, answer.text
    first_post = httpx.get(f"{forum.url}/t/{marked}.json").json()["post_stream"]["posts"][0]
    bookmark = httpx.post(
        f"{forum.url}/bookmarks.json",
        headers=headers,
        json={"bookmarkable_id": first_post["id"], "bookmarkable_type": "Post"},
    )
    assert bookmark.status_code == 200, bookmark.text

    app = app_as_demo_user(forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        await _choose_view(pilot, app, "posted")
        await settle(pilot, lambda: [t.id for t in screen.topics_pane.topics] == [replied])
        await _choose_view(pilot, app, "bookmarks")
        await settle(pilot, lambda: [t.id for t in screen.topics_pane.topics] == [marked])
        assert "bookmarks" in _title(screen)


async def test_hash_filters_by_tag_in_all_groups_and_in_one_group(
    make_app: Callable[..., TermforumApp], demo_url: str
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        everything = [t.id for t in screen.topics_pane.topics]
        await pilot.press("number_sign")
        await settle(pilot, lambda: isinstance(app.screen, TagFilterScreen))
        suggested = app.screen.query_one("#tag-list")
        assert suggested.option_count > 0  # tags of the topics listed so far
        await pilot.press(*"etiquette", "enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        expected = _ids(demo_url, "/tag/etiquette/l/latest.json")
        await settle(pilot, lambda: [t.id for t in screen.topics_pane.topics] == expected)
        assert all("etiquette" in t.tags for t in screen.topics_pane.topics)
        assert "#etiquette" in _title(screen)

        # The filter holds in one group (its subgroups included).
        group = next(t.group_id for t in screen.topics_pane.topics)
        screen.show_group(next(g for g in screen.groups_pane.groups if g.id == group))
        await settle(pilot, lambda: screen.group is not None and screen.group.id == group)
        screen.set_tag("etiquette")
        expected_here = _ids(demo_url, f"/tags/c/g/{group}/etiquette/l/latest.json")
        await settle(pilot, lambda: [t.id for t in screen.topics_pane.topics] == expected_here)
        assert 0 < len(expected_here) < len(expected)

        # Enter with nothing typed lists every topic again.
        screen.show_group(None)
        await settle(pilot, lambda: screen.group is None)
        await pilot.press("number_sign")
        await settle(pilot, lambda: isinstance(app.screen, TagFilterScreen))
        await pilot.press("ctrl+u", "enter")
        await settle(pilot, lambda: [t.id for t in screen.topics_pane.topics] == everything)
        assert screen.tag is None


async def test_each_list_comes_back_where_it_was_left_also_after_a_restart(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 10)
        pane = screen.topics_pane
        pane.focus()
        await pilot.press("j", "j", "j", "j", "j", "j")
        left_at = pane.highlighted_option.id  # type: ignore[union-attr]
        await pilot.press("v")  # to another view and back: the highlight comes back
        await settle(pilot, lambda: screen.view != "latest" and pane.topics != [])
        await pilot.press("j")
        other_view_at = pane.highlighted_option.id  # type: ignore[union-attr]
        screen.set_view("latest")
        await settle(pilot, lambda: screen.view == "latest" and pane.topic(left_at) is not None)
        assert _at(pane) == left_at
        screen.set_view("top")
        await settle(pilot, lambda: screen.view == "top" and pane.topics != [])
        await settle(pilot, lambda: _at(pane) == other_view_at)
        screen.set_view("latest")
        await settle(pilot, lambda: _at(pane) == left_at)

    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        screen = _main(again)
        await settle(pilot, lambda: screen.topics_pane.topic(left_at) is not None)
        await settle(pilot, lambda: _at(screen.topics_pane) == left_at)


async def test_remembered_positions_are_capped_oldest_first(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        for number in range(MAX_POSITIONS + 5):
            screen.tag = f"tag{number}"  # as if each tag's list had been visited
            screen.remember_position()
        places = app.state.position["demo"]
        assert len(places) == MAX_POSITIONS
        assert "__all__|latest|#tag0" not in places
        assert f"__all__|latest|#tag{MAX_POSITIONS + 4}" in places

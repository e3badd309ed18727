"""Reading the demo forum as a user would: groups → topics → thread and back, with the keyboard."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from termforum.ui.widgets.reader import ThreadView
from tests.app.conftest import settle


def _main(app: TermforumApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def _reader_text(reader: ThreadView) -> str:
    height = reader.scrollable_content_region.height
    return "\n".join(reader.render_line(y).text for y in range(height))


async def test_start_shows_groups_and_latest_topics(make_app: Callable[..., TermforumApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        groups = screen.groups_pane
        assert groups.option_count >= 7  # "All groups" + at least six groups
        assert app.title and app.title != "demo"  # the forum's own title
        assert "online" in app.sub_title
        assert len(screen.topics_pane.topics) == 30  # first page of /latest
        assert screen.topics_pane.has_more


async def test_enter_group_topic_read_and_back(make_app: Callable[..., TermforumApp]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.groups_pane.option_count > 1)
        screen.groups_pane.focus()
        await pilot.press("down", "enter")
        chosen = screen.groups_pane.groups[0]
        await settle(pilot, lambda: screen.group is chosen and screen.topics_pane.topics != [])
        assert app.focused is screen.topics_pane
        ids = {chosen.id} | {g.id for g in screen.groups_pane.groups if g.parent_id == chosen.id}
        assert all(topic.group_id in ids for topic in screen.topics_pane.topics)

        first_topic = screen.topics_pane.topics[0]
        await pilot.press("enter")
        reader = screen.reader
        await settle(pilot, lambda: reader.thread is not None and reader.selected_post is not None)
        assert app.focused is reader
        assert reader.thread.topic.id == first_topic.id
        assert reader.selected_post.number == 1
        assert reader.selected_post.author in _reader_text(reader)

        if reader.post_count > 1:
            await pilot.press("j")
            await settle(pilot, lambda: reader.cursor == 1)
        await pilot.press("u")
        await pilot.pause()
        assert app.focused is screen.topics_pane
        assert not screen.reading


async def test_topic_list_loads_more_as_you_scroll(make_app: Callable[..., TermforumApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        topics = _main(app).topics_pane
        await settle(pilot, lambda: len(topics.topics) == 30)
        topics.focus()
        await pilot.press("G")
        await settle(pilot, lambda: len(topics.topics) > 30)
        assert len({topic.id for topic in topics.topics}) == len(topics.topics)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_long_thread_jumps_to_last_post_and_back(
    make_app: Callable[..., TermforumApp], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.groups_pane.option_count > 1)
        long_topic = None
        for _ in range(5):
            page = await screen.service.topics(view="top")
            long_topic = max(page.topics, key=lambda topic: topic.posts_count)
            if long_topic.posts_count >= 10_000:
                break
        assert long_topic is not None and long_topic.posts_count >= 10_000
        screen.open_topic(long_topic)
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None)
        assert reader.post_count >= 10_000
        await pilot.press("G")
        await settle(
            pilot,
            lambda: reader.selected_post is not None and reader.cursor == reader.post_count - 1,
        )
        assert reader.selected_post.number >= 10_000 - 5
        await pilot.pause(0.2)  # the posts around the last one arrive; it must stay in view
        assert f"#{reader.selected_post.number} " in _reader_text(reader)
        await pilot.press("g")
        await settle(pilot, lambda: reader.cursor == 0)
        assert reader.selected_post.number == 1


async def test_help_lists_every_binding(make_app: Callable[..., TermforumApp]) -> None:
    from termforum.ui.bindings import binding_ids
    from termforum.ui.screens.help import HelpScreen

    app = make_app()
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = app.screen.query_one("#help-text").render().plain  # type: ignore[union-attr]
        for binding_id in binding_ids():
            assert binding_id in shown
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_keymap_remaps_a_binding(make_app: Callable[..., TermforumApp]) -> None:
    app = make_app(keymap={"cursor_down": "n"})
    async with app.run_test(size=(100, 30)) as pilot:
        topics = _main(app).topics_pane
        await settle(pilot, lambda: len(topics.topics) > 2)
        topics.focus()
        assert topics.highlighted == 0
        await pilot.press("n")
        assert topics.highlighted == 1
        await pilot.press("j")  # no longer bound to cursor_down
        assert topics.highlighted == 1


async def test_view_cycles_and_lists_top_topics(make_app: Callable[..., TermforumApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        latest = [topic.id for topic in screen.topics_pane.topics]
        await pilot.press("v")
        await settle(pilot, lambda: screen.view == "top" and screen.topics_pane.topics != [])
        await settle(pilot, lambda: [t.id for t in screen.topics_pane.topics] != latest)
        assert "top" in screen.topics_pane.border_title


async def test_search_opens_the_topic_at_the_hit(make_app: Callable[..., TermforumApp]) -> None:
    from termforum.ui.screens.search import SearchScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        title = screen.topics_pane.topics[0].title
        word = max(title.split(), key=len)
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*word, "enter")
        results = app.screen.query_one("#search-results")
        await settle(
            pilot, lambda: results.option_count > 0 and not results.get_option_at_index(0).disabled
        )
        await pilot.press("down", "enter")
        await settle(pilot, lambda: screen.reader.thread is not None)
        assert isinstance(app.screen, MainScreen)
        assert screen.reading


async def test_group_and_view_are_remembered_across_runs(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.groups_pane.option_count > 2)
        screen.groups_pane.focus()
        await pilot.press("down", "down", "enter")
        chosen = screen.groups_pane.groups[1]
        await settle(pilot, lambda: screen.group is chosen)
        await pilot.press("v")
        await settle(pilot, lambda: screen.view == "top")
    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        screen = _main(again)
        await settle(pilot, lambda: screen.group is not None and screen.topics_pane.topics != [])
        assert (screen.group.id, screen.view) == (chosen.id, "top")
        assert screen.groups_pane.highlighted == screen.groups_pane.get_option_index(chosen.id)


async def test_command_palette_switches_the_view(make_app: Callable[..., TermforumApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"View: hot")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(pilot, lambda: screen.view == "hot")
        assert isinstance(app.screen, MainScreen)


async def test_at_80x24_the_thread_takes_the_screen(make_app: Callable[..., TermforumApp]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        assert screen.has_class("-narrow")
        assert screen.groups_pane.display and screen.topics_pane.display
        assert not screen.reader.display
        await pilot.press("enter")
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None)
        assert reader.display and not screen.topics_pane.display
        assert reader.size.width >= 76
        for y in range(reader.size.height):
            assert reader.render_line(y).cell_length <= reader.size.width
        await pilot.press("u")
        await pilot.pause()
        assert screen.topics_pane.display and not reader.display


async def test_search_while_offline_finds_cached_posts_and_says_so(
    demo_url: str, tmp_path: Path
) -> None:
    """Read a topic, lose the network, then search: the cached topic is found, and the
    search box says the results come from the cache only."""
    import httpx

    from termforum.backends import create_backend
    from termforum.net import base_transport, make_client
    from termforum.service import ForumService
    from termforum.store import Cache
    from termforum.ui.screens.search import SearchScreen

    class Cable(httpx.AsyncBaseTransport):
        """The loopback connection, which the test can pull out."""

        def __init__(self) -> None:
            self.inner = base_transport(demo_url)
            self.unplugged = False

        async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
            if self.unplugged:
                raise httpx.ConnectError("network is unreachable", request=request)
            return await self.inner.handle_async_request(request)

        async def aclose(self) -> None:
            await self.inner.aclose()

    cable = Cable()
    cache = Cache.open(tmp_path / "cache.sqlite3")
    http = make_client(demo_url, transport=cable)
    backend = create_backend("discourse", demo_url, http=http)
    app = TermforumApp(ForumService("demo", demo_url, backend, cache=cache, http=http))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        topic = screen.topics_pane.topics[0]
        await pilot.press("enter")
        await settle(pilot, lambda: screen.reader.thread is not None)
        word = max(topic.title.split(), key=len)
        cable.unplugged = True
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*word, "enter")
        results = app.screen.query_one("#search-results")
        box = app.screen.query_one("#search-box")
        await settle(pilot, lambda: "offline" in str(box.border_title))
        assert "cached topics and posts only" in str(box.border_title)
        await settle(
            pilot, lambda: results.option_count > 0 and not results.get_option_at_index(0).disabled
        )
        shown = [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]
        assert any(topic.title in line for line in shown)
    cache.close()


async def test_the_palette_shows_hostile_group_names_literally(
    make_app: Callable[..., TermforumApp],
) -> None:
    """Group names reach the command palette, which parses plain strings as markup: ours
    must show them as text, and choosing one must run nothing but "go to group"."""
    from dataclasses import replace

    from textual.command import CommandPalette

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.groups_pane.option_count > 2)
        hostile = [
            replace(screen.groups_pane.groups[0], name="Trap [@click=app.quit]x[/]"),
            replace(screen.groups_pane.groups[1], name="Lone [/ and end\\"),
        ]
        screen.groups_pane.set_groups(hostile)
        await pilot.press("ctrl+p")
        await settle(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"Go to group")
        await pilot.pause(0.3)
        palette = app.screen
        shown = "\n".join(str(option.prompt) for option in palette.query_one("CommandList").options)
        assert "Trap [@click=app.quit]x[/]" in shown
        assert "Lone [/ and end\\" in shown
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        assert app.is_running
        await settle(
            pilot, lambda: screen.group is not None and screen.group.name.startswith("Trap")
        )

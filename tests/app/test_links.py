"""Links and hidden content in posts, as a reader meets them: ``o`` lists the selected post's
links, a number picks one and shows its full address, ``c`` copies it (OSC 52), enter opens
it only where a browser can be opened, and ``s`` reveals a post's spoilers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.app import App, ComposeResult

from termforum.render import Link
from termforum.ui.app import TermforumApp
from termforum.ui.screens.links import LinksScreen
from termforum.ui.screens.main import MainScreen
from tests.app.conftest import settle


def _main(app: TermforumApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


def _notifications(app: App) -> list[str]:
    return [str(notification.message) for notification in app._notifications]  # noqa: SLF001


async def _open_welcome(pilot, app: TermforumApp) -> MainScreen:  # type: ignore[no-untyped-def]
    """Open the pinned welcome topic, whose first post links to two groups."""
    screen = _main(app)
    await settle(pilot, lambda: screen.topics_pane.topics != [])
    assert screen.topics_pane.topics[0].title.startswith("Welcome")
    await pilot.press("enter")
    await settle(pilot, lambda: screen.reader.selected_post is not None)
    return screen


async def test_o_lists_the_links_a_number_shows_the_address_and_c_copies_it(
    make_app: Callable[..., TermforumApp], demo_url: str
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_welcome(pilot, app)
        await pilot.press("o")
        await settle(pilot, lambda: isinstance(app.screen, LinksScreen))
        links = app.screen
        assert isinstance(links, LinksScreen)
        assert links.query_one("#links-list").option_count == 2
        await pilot.press("2")
        assert links.chosen is not None and links.chosen.number == 2
        # A relative link in the post, resolved against the forum's address.
        assert links.chosen.url == f"{demo_url}/c/site-feedback/2"
        detail = str(links.query_one("#links-detail").render())
        assert links.chosen.url in detail
        await pilot.press("c")
        assert app.clipboard == f"{demo_url}/c/site-feedback/2"
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_enter_opens_the_link_only_where_a_browser_can_be_opened(
    make_app: Callable[..., TermforumApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    monkeypatch.setattr("termforum.login.local_browser_available", lambda *a, **k: False)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_welcome(pilot, app)
        await pilot.press("o")
        await settle(pilot, lambda: isinstance(app.screen, LinksScreen))
        await pilot.press("1", "enter")  # over SSH: the address is shown, nothing opens
        await pilot.pause()
        assert opened == []
        assert any("copy the address" in message for message in _notifications(app))
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))

        monkeypatch.setattr("termforum.login.local_browser_available", lambda *a, **k: True)
        await pilot.press("o")
        await settle(pilot, lambda: isinstance(app.screen, LinksScreen))
        await pilot.press("enter")  # picks the highlighted first link: its address shows
        await pilot.pause()
        assert opened == []
        await pilot.press("enter")  # and only now opens it
        await settle(pilot, lambda: opened != [])
        assert opened[0].endswith("/c/comunita-italiana/9")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))


class _LinksApp(App[None]):
    def __init__(self, links: list[Link]) -> None:
        super().__init__()
        self.links = links

    def compose(self) -> ComposeResult:
        return iter(())

    def on_mount(self) -> None:
        self.push_screen(LinksScreen("Links", self.links, browser=True))


async def test_a_link_with_an_odd_scheme_is_listed_but_never_opened_or_copied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import webbrowser

    opened: list[str] = []
    monkeypatch.setattr(webbrowser, "open", lambda url, *a, **k: opened.append(url) or True)
    links = [
        Link(1, None, "click me", ""),  # javascript:, data:, file: ... have no url
        Link(2, "https://example.org/a", "fine", "example.org"),
    ]
    app = _LinksApp(links)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LinksScreen)
        await pilot.press("1")
        assert "only http, https and mailto" in str(screen.query_one("#links-detail").render())
        await pilot.press("enter", "c")
        await pilot.pause()
        assert opened == [] and app.clipboard == ""
        await pilot.press("2", "c")
        assert app.clipboard == "https://example.org/a"


async def test_twelve_links_need_two_digits_for_link_twelve() -> None:
    links = [Link(n, f"https://example.org/{n}", f"link {n}", "example.org") for n in range(1, 13)]
    app = _LinksApp(links)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LinksScreen)
        await pilot.press("1")
        assert screen.chosen is None  # could still be 10, 11 or 12
        await pilot.press("2")
        assert screen.chosen is not None and screen.chosen.url == "https://example.org/12"
        await pilot.press("3")
        assert screen.chosen.url == "https://example.org/3"


async def test_s_reveals_a_spoiler_and_hides_it_again(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        hits = await screen.service.search("Tabs spaces round 47")
        topic = next(hit.topic for hit in hits if "round 47" in hit.topic.title)
        screen.open_topic(topic)
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None)

        def shown() -> str:
            height = reader.scrollable_content_region.height
            return "\n".join(reader.render_line(y).text for y in range(height))

        for _ in range(reader.post_count):
            post = reader.selected_post
            if post is not None and "Spoiler for rounds" in reader._body(post).plain_text():  # noqa: SLF001
                break
            await pilot.press("j")
            await pilot.pause()
        assert "use a formatter" not in shown()
        await pilot.press("s")
        await pilot.pause()
        assert "use a formatter" in shown()
        await pilot.press("s")
        await pilot.pause()
        assert "use a formatter" not in shown()

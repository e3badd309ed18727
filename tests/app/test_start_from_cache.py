"""Start-up from the cache: the first frame already shows the cached groups and topics, and
nothing of the network has been set up yet; a list refreshed later keeps the user's place."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from termforum.backends import create_backend
from termforum.net import make_client
from termforum.service import ForumService
from termforum.store import Cache
from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from tests.app.conftest import settle


async def test_the_first_frame_shows_the_cached_lists_before_any_request(
    demo_url: str, tmp_path: Path
) -> None:
    cache = Cache.open(tmp_path / "cache.sqlite3")
    try:
        http = make_client(demo_url)
        backend = create_backend("discourse", demo_url, http=http)
        filling = TermforumApp(ForumService("demo", demo_url, backend, http=http, cache=cache))
        async with filling.run_test(size=(120, 40)) as pilot:  # an earlier run fills the cache
            screen = filling.screen
            assert isinstance(screen, MainScreen)
            await settle(pilot, lambda: len(screen.topics_pane.topics) == 30)

        def connect(credentials):  # type: ignore[no-untyped-def]
            client = make_client(demo_url)
            return create_backend("discourse", demo_url, http=client), client

        service = ForumService("demo", demo_url, connect=connect, cache=cache)
        app = TermforumApp(service)
        first_frame: list[tuple[int, int, bool]] = []
        display = app._display

        def record(screen, renderable) -> None:  # type: ignore[no-untyped-def]
            display(screen, renderable)
            if renderable is not None and isinstance(screen, MainScreen) and not first_frame:
                first_frame.append(
                    (
                        len(screen.groups_pane.groups),
                        len(screen.topics_pane.topics),
                        service.connected,
                    )
                )

        app._display = record  # type: ignore[method-assign]
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot, lambda: bool(first_frame))
            groups, topics, connected = first_frame[0]
            assert groups > 5 and topics == 30
            assert not connected  # no client, no request: the network comes after this frame
            await settle(pilot, lambda: service.connected)  # …and then it does come
    finally:
        cache.close()


async def test_a_refreshed_topic_list_keeps_the_highlight_on_its_topic(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: len(screen.topics_pane.topics) == 30)
        topics = screen.topics_pane
        await pilot.press("j", "j", "j", "j", "j")
        chosen = topics.topics[topics.highlighted or 0]
        assert topics.highlighted == 5

        await pilot.press("ctrl+r")  # the list comes again from the forum
        await pilot.pause(0.3)
        await settle(pilot, lambda: len(topics.topics) == 30)

        assert topics.topics[topics.highlighted or 0].id == chosen.id

"""A few SVG snapshots of key screens (pytest-textual-snapshot), on a demo forum with fixed times.

Update after an intended change with ``pytest tests/snapshots --snapshot-update`` and look at
``snapshot_report.html`` before committing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from termforum.backends import create_backend
from termforum.demo import DemoServer
from termforum.net import make_client
from termforum.service import ForumService
from termforum.ui.app import TermforumApp
from tests.app.conftest import settle


@pytest.fixture(scope="module")
def fixed_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A demo forum whose times never move (so relative times render the same every run)."""
    data: Path = tmp_path_factory.mktemp("snapshot-forum")
    with DemoServer(data_dir=data, time_shift=timedelta(0)) as server:
        yield server.url


@pytest.fixture
def app_for(fixed_demo: str) -> Callable[..., TermforumApp]:
    def build(**kwargs: object) -> TermforumApp:
        backend = create_backend("discourse", fixed_demo, http=make_client(fixed_demo))
        return TermforumApp(ForumService("demo", fixed_demo, backend), **kwargs)  # type: ignore[arg-type]

    return build


async def _topics_loaded(pilot) -> None:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    await settle(pilot, lambda: len(screen.topics_pane.topics) == 30)


async def _welcome_open(pilot) -> None:  # type: ignore[no-untyped-def]
    await _topics_loaded(pilot)
    await pilot.press("enter")
    reader = pilot.app.screen.reader
    await settle(pilot, lambda: reader.selected_post is not None and not reader.highlighting)
    await pilot.pause(0.2)


def test_main_screen_80x24(snap_compare, app_for) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(), terminal_size=(80, 24), run_before=_topics_loaded)


def test_reader_120x40(snap_compare, app_for) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(app_for(), terminal_size=(120, 40), run_before=_welcome_open)


def test_reader_16_colours_80x24(snap_compare, app_for) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(
        app_for(theme="ansi-dark"), terminal_size=(80, 24), run_before=_welcome_open
    )


def test_help_screen(snap_compare, app_for) -> None:  # type: ignore[no-untyped-def]
    async def help_open(pilot) -> None:  # type: ignore[no-untyped-def]
        await _topics_loaded(pilot)
        await pilot.press("question_mark")
        await pilot.pause(0.1)

    assert snap_compare(app_for(), terminal_size=(100, 40), run_before=help_open)


def test_compact_80x24_in_termforum_ansi(snap_compare, app_for) -> None:  # type: ignore[no-untyped-def]
    async def compact(pilot) -> None:  # type: ignore[no-untyped-def]
        await _topics_loaded(pilot)
        await pilot.press("backslash")
        pilot.app.clear_notifications()  # the "Compact layout." toast
        await pilot.pause(0.1)

    assert snap_compare(app_for(theme="termforum-ansi"), terminal_size=(80, 24), run_before=compact)

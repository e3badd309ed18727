"""The layout keys: the compact toggle and the pane split, kept in state.toml across runs."""

from __future__ import annotations

from collections.abc import Callable

from termforum.state import load_state
from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from termforum.ui.screens.main_layout import GROUPS_WIDTH_MIN, LIST_RATIO_MAX, LIST_RATIO_MIN
from tests.app.conftest import settle


def rows_per_topic(screen: MainScreen) -> int:
    """How many lines the first topic of the list takes on screen."""
    return len(screen.topics_pane.get_option_at_index(0).prompt.lines)


async def test_compact_layout_shows_one_line_per_topic_and_is_remembered(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 0)
        assert rows_per_topic(screen) == 2
        full_height = screen.topics_pane.content_region.height
        assert screen.topics_pane.styles.border_bottom[0] != ""

        await pilot.press("backslash")
        await pilot.pause()

        assert screen.compact and app.state.compact
        assert rows_per_topic(screen) == 1
        assert screen.topics_pane.styles.border_bottom[0] == ""  # no frame, only top and left
        assert screen.topics_pane.content_region.height > full_height
        assert screen.topics_pane.highlighted == 0
    assert load_state().compact is True

    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        screen = again.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 0)
        assert screen.compact
        assert rows_per_topic(screen) == 1

        await pilot.press("backslash")  # and back to two lines
        await pilot.pause()
        assert not screen.compact
        assert rows_per_topic(screen) == 2
    assert load_state().compact is False


async def test_the_groups_column_and_the_split_are_remembered_and_bounded(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 45)) as pilot:  # wide: all three panes show
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 0)
        left = screen.query_one("#left")
        start = left.outer_size.width
        list_start = screen.topics_pane.outer_size.width

        await pilot.press("greater_than_sign", "greater_than_sign", "greater_than_sign")
        await pilot.pause()
        assert left.outer_size.width == start + 6

        await pilot.press("right_curly_bracket", "right_curly_bracket")
        await pilot.pause()
        assert screen.topics_pane.outer_size.width > list_start
        ratio = app.state.list_ratio
        assert ratio is not None and LIST_RATIO_MIN <= ratio <= LIST_RATIO_MAX
        widths = (left.outer_size.width, screen.topics_pane.outer_size.width)

    saved = load_state()
    assert saved.groups_width == start + 6
    assert saved.list_ratio == ratio

    again = make_app()
    async with again.run_test(size=(160, 45)) as pilot:
        screen = again.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 0)
        left = screen.query_one("#left")
        assert (left.outer_size.width, screen.topics_pane.outer_size.width) == widths

        await pilot.press(*["less_than_sign"] * 40)  # far past the narrowest
        await pilot.press(*["left_curly_bracket"] * 40)
        await pilot.pause()
        assert left.outer_size.width == GROUPS_WIDTH_MIN
        assert again.state.list_ratio == LIST_RATIO_MIN
        assert screen.reader.outer_size.width > 60 and screen.topics_pane.outer_size.width >= 20


async def test_a_width_kept_from_a_wide_terminal_fits_a_small_one(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    app.state.groups_width = 58  # as if widened on a big screen
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 0)
        left = screen.query_one("#left")
        assert left.outer_size.width == 40  # 80 columns leave 40 to the topics
        assert screen.topics_pane.outer_size.width == 40

        await pilot.press("less_than_sign")
        await pilot.pause()
        assert left.outer_size.width == 38  # one step from what shows, not from 58

        # No reader beside the list at 80 columns: the split keys say so and change nothing.
        await pilot.press("right_curly_bracket")
        await pilot.pause()
        assert app.state.list_ratio is None
        assert any("side by side" in str(n.message) for n in app._notifications)


async def test_the_layout_keys_follow_the_keymap(make_app: Callable[..., TermforumApp]) -> None:
    app = make_app(keymap={"toggle_compact": "f2"})
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 0)
        await pilot.press("backslash")
        await pilot.pause()
        assert not screen.compact  # the old key no longer toggles
        await pilot.press("f2")
        await pilot.pause()
        assert screen.compact

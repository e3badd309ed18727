"""termforum's own themes: offered next to Textual's, drawable, and a palette pick remembered."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.theme import ThemeProvider

from termforum.errors import ConfigError
from termforum.state import load_state
from termforum.ui.app import TermforumApp
from termforum.ui.screens.help import HelpScreen
from termforum.ui.screens.main import MainScreen
from termforum.ui.themes import TERMFORUM_THEMES
from tests.app.conftest import settle


@pytest.mark.parametrize("name", sorted(TERMFORUM_THEMES))
async def test_each_termforum_theme_draws_the_main_screen_and_a_modal(
    make_app: Callable[..., TermforumApp], name: str
) -> None:
    app = make_app(theme=name)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 0)
        await pilot.press("question_mark")  # a modal with Textual's own widgets
        await settle(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert app.theme == name
        assert app.current_theme.ansi is (name in ("termforum-ansi", "termforum-mono"))
        names = [command for command, _ in ThemeProvider(app.screen).commands]
        assert set(TERMFORUM_THEMES) <= set(names) and "textual-dark" in names


def test_an_unknown_theme_is_one_sentence_with_a_suggestion(
    make_app: Callable[..., TermforumApp],
) -> None:
    with pytest.raises(ConfigError) as caught:
        make_app(theme="termforum-drak")
    message = caught.value.message
    assert 'did you mean "termforum-dark"?' in message
    assert "termforum-ansi" in message and "\n" not in message


async def test_a_theme_picked_at_run_time_is_kept_until_the_config_names_another(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app(theme="textual-dark")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "termforum-light"  # what the palette's "Change theme" does
        await pilot.pause()
    saved = load_state()
    assert (saved.theme, saved.theme_config) == ("termforum-light", "textual-dark")

    again = make_app(theme="textual-dark")
    assert again.theme == "termforum-light"

    edited = make_app(theme="nord")  # the user has since edited config.toml
    assert edited.theme == "nord"


async def test_picking_the_configured_theme_again_forgets_the_pick(
    make_app: Callable[..., TermforumApp],
) -> None:
    first = make_app(theme="nord")
    async with first.run_test(size=(80, 24)) as pilot:
        first.theme = "termforum-ansi"
        await pilot.pause()
        first.theme = "nord"
        await pilot.pause()
    assert load_state().theme is None
    assert make_app(theme="nord").theme == "nord"


def test_no_color_draws_with_the_mono_theme_and_no_colour_filter(
    make_app: Callable[..., TermforumApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    from textual.filter import Monochrome, NoColor

    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(theme="termforum-dark")
    assert app.theme == "termforum-mono"
    kinds = [type(f) for f in app.get_line_filters()]
    assert NoColor in kinds and Monochrome not in kinds

    monkeypatch.setenv("NO_COLOR", "")  # set but empty: colour stays on (no-color.org)
    plain = make_app(theme="termforum-dark")
    assert plain.theme == "termforum-dark"
    assert not {NoColor, Monochrome} & {type(f) for f in plain.get_line_filters()}

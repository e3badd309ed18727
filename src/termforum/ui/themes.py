"""termforum's own colour themes, and how ``NO_COLOR`` turns colour off.

Four themes join Textual's set (``textual-dark``, ``nord``, ``ansi-dark``…):

- ``termforum-dark`` and ``termforum-light``: calm truecolour palettes (a terminal with fewer
  colours gets the nearest ones).
- ``termforum-ansi``: only the terminal's own 16 ANSI colours and its default foreground and
  background, so the bytes on the wire carry only SGR 30–37, 90–97, 40–47, 100–107, 39 and 49
  colour codes (never ``38;5``/``38;2``). For SSH sessions, 16-colour terminals and users who
  set up their terminal's palette.
- ``termforum-mono``: no colour, only the terminal's default foreground and background; the
  selection and the focus are bold and underline.

Registering them is cheap (a few small dataclasses, no imports beyond Textual's own).

``NO_COLOR`` (https://no-color.org: set and not empty) means no colour on the wire at all:
termforum then draws with ``termforum-mono`` through Textual's ``NoColor`` filter (which also
strips colour that content brings, such as syntax highlighting). Textual on its own would
either turn colours into greys (still 256-colour or truecolour codes) or, with an ANSI theme
chosen after start-up, paint black on black; :func:`apply_no_color` replaces what it chose.
"""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import App
from textual.filter import Monochrome, NoColor
from textual.theme import Theme

from termforum.state import AppState

__all__ = [
    "ANSI_THEME",
    "MONO_THEME",
    "TERMFORUM_THEMES",
    "apply_no_color",
    "no_color_requested",
    "register_themes",
    "remember_theme",
    "starting_theme",
    "unknown_theme_sentence",
]

ANSI_THEME = "termforum-ansi"
"""The theme that uses only the terminal's ANSI colours."""
MONO_THEME = "termforum-mono"
"""The theme without colour (the terminal's default ones only): what ``NO_COLOR`` draws with."""

_DARK = Theme(
    name="termforum-dark",
    primary="#5FA8D3",
    secondary="#8FB3D9",
    accent="#E5A84B",
    warning="#E5A84B",
    error="#E06C75",
    success="#98C379",
    foreground="#D8DEE6",
    background="#161B22",
    surface="#1C222B",
    panel="#26303C",
    dark=True,
    variables={
        "block-cursor-background": "#2F5D80",
        "block-cursor-foreground": "#F2F5F8",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#E5A84B",
    },
)

_LIGHT = Theme(
    name="termforum-light",
    primary="#1F6FB2",
    secondary="#3B5B7A",
    accent="#B35C00",
    warning="#9A6200",
    error="#C0392B",
    success="#2E7D32",
    foreground="#1F2328",
    background="#F6F8FA",
    surface="#FFFFFF",
    panel="#A3AFBD",  # darker than the page: unfocused pane edges are $panel-lighten-2
    dark=False,
    variables={
        "block-cursor-background": "#CFE3F5",
        "block-cursor-foreground": "#0B1F33",
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#1F6FB2",
    },
)

_ANSI = Theme(
    name=ANSI_THEME,
    ansi=True,
    primary="ansi_blue",
    secondary="ansi_cyan",
    accent="ansi_bright_cyan",
    warning="ansi_yellow",
    error="ansi_red",
    success="ansi_green",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        "ansi-background": "ansi_black",  # Textual's buttons and toggles use these two
        "ansi-foreground": "ansi_white",
        # The selected row: white on blue in every palette; in a list without focus, underlined.
        # (Textual's option lists drop "reverse" from the cursor's text style.)
        "block-cursor-foreground": "ansi_bright_white",
        "block-cursor-background": "ansi_blue",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-foreground": "ansi_default",
        "block-cursor-blurred-background": "ansi_default",
        "block-cursor-blurred-text-style": "underline",
        "block-hover-background": "ansi_default",
        "border": "ansi_bright_cyan",
        "border-blurred": "ansi_bright_black",
        "footer-key-foreground": "ansi_bright_cyan",
        "footer-description-foreground": "ansi_default",
        "input-cursor-background": "ansi_default",
        "input-cursor-foreground": "ansi_default",
        "input-cursor-text-style": "reverse",
        "input-selection-background": "ansi_blue",
        "input-selection-foreground": "ansi_bright_white",
        "screen-selection-background": "ansi_blue",
        "screen-selection-foreground": "ansi_bright_white",
        "scrollbar": "ansi_bright_black",
        "scrollbar-hover": "ansi_white",
        "scrollbar-active": "ansi_bright_white",
        "scrollbar-background": "ansi_default",
        "scrollbar-background-hover": "ansi_default",
        "scrollbar-background-active": "ansi_default",
        "scrollbar-corner-color": "ansi_default",
        "link-color": "ansi_bright_blue",
        "link-background-hover": "ansi_blue",
    },
)

_MONO = Theme(
    name=MONO_THEME,
    ansi=True,
    primary="ansi_default",
    secondary="ansi_default",
    accent="ansi_default",
    warning="ansi_default",
    error="ansi_default",
    success="ansi_default",
    foreground="ansi_default",
    background="ansi_default",
    surface="ansi_default",
    panel="ansi_default",
    boost="ansi_default",
    dark=True,
    variables={
        **{name: "ansi_default" for name in _ANSI.variables if not name.endswith("text-style")},
        # Without colour the selection and the focus are text styles.
        "block-cursor-text-style": "bold underline",
        "block-cursor-blurred-text-style": "underline",
        "input-cursor-text-style": "reverse",
        "footer-key-foreground": "ansi_default",
    },
)

TERMFORUM_THEMES: Mapping[str, Theme] = {
    theme.name: theme for theme in (_DARK, _LIGHT, _ANSI, _MONO)
}
"""termforum's own themes, by name."""


def register_themes(app: App[object]) -> None:
    """Make termforum's themes available to ``app`` (config ``theme``, the palette's list)."""
    for theme in TERMFORUM_THEMES.values():
        app.register_theme(theme)


def unknown_theme_sentence(name: str, available: Mapping[str, Theme]) -> str:
    """The one sentence that refuses an unknown ``theme`` in the config."""
    import difflib  # only on this error path

    close = difflib.get_close_matches(name, sorted(available), n=1)
    hint = f'did you mean "{close[0]}"? ' if close else ""
    own = ", ".join(TERMFORUM_THEMES)
    return (
        f'Unknown theme "{name}"; {hint}termforum has {own}, and Textual\'s own such as '
        'textual-dark, nord, gruvbox, ansi-dark (the palette\'s "Change theme" lists them all).'
    )


def starting_theme(
    configured: str, state: AppState, available: Mapping[str, Theme], *, no_color: bool
) -> str:
    """The theme to start with: ``termforum-mono`` under ``NO_COLOR``; else the one last
    picked in the palette, as long as the config still names the theme it replaced; else
    the configured one."""
    if no_color:
        return MONO_THEME
    if state.theme in available and state.theme_config == configured:
        return state.theme
    return configured


def remember_theme(state: AppState, configured: str, chosen: str) -> None:
    """Note in ``state`` that ``chosen`` is on screen while the config names ``configured``
    (choosing the configured theme again forgets the run-time choice)."""
    if chosen == configured:
        state.theme = state.theme_config = None
    else:
        state.theme, state.theme_config = chosen, configured


def no_color_requested(environ: Mapping[str, str]) -> bool:
    """Whether ``NO_COLOR`` asks for no colour: set to a non-empty value (no-color.org)."""
    return bool(environ.get("NO_COLOR"))


def apply_no_color(app: App[object], wanted: bool) -> None:
    """Draw ``app`` without any colour (``wanted``) or with the theme's colours.

    Replaces the filter Textual picked from ``NO_COLOR`` when the app was created (it looked
    only at the default theme then): with ``wanted`` every colour becomes the terminal's
    default, whatever the theme; without, no colour filter is left. Relies on the pinned
    Textual's ``App._filters`` list.
    """
    filters = [f for f in app._filters if not isinstance(f, Monochrome | NoColor)]
    if wanted:
        filters.append(NoColor())
    app._filters = filters
    app.no_color = wanted

"""The main screen's layout: the compact toggle and the pane split, remembered in state.toml.

A mixin of :class:`~termforum.ui.screens.main.MainScreen` (which provides the panes and
``_state``); kept apart so each file has one job.

- ``\\`` toggles the compact layout (the ``-compact`` class): one line per topic, and panes
  drawn with a top edge (carrying the title) and a left edge instead of a full frame. It works
  with the size classes (``-narrow``, ``-medium``, ``-wide``), which still decide which panes
  show while reading.
- ``<`` and ``>`` make the groups column narrower or wider; ``{`` and ``}`` move the split
  between the topic list and the reader. Both are inline styles over the CSS defaults, bounded
  so no pane vanishes, and kept in ``AppState.groups_width`` and ``AppState.list_ratio``
  (saved with the rest of the state when termforum quits).
"""

from __future__ import annotations

__all__ = [
    "GROUPS_STEP",
    "GROUPS_WIDTH_MAX",
    "GROUPS_WIDTH_MIN",
    "LIST_RATIO_DEFAULT",
    "LIST_RATIO_MAX",
    "LIST_RATIO_MIN",
    "LIST_STEP",
    "LayoutMixin",
    "groups_width_bounds",
]

GROUPS_WIDTH_MIN = 20
"""The narrowest the groups column gets, in columns (the stylesheet's min-width too)."""
GROUPS_WIDTH_MAX = 60
"""The widest the groups column gets, in columns."""
ROOM_BESIDE_GROUPS = 40
"""Columns the groups column always leaves to the panes beside it."""
GROUPS_STEP = 2
"""Columns per press of ``<`` or ``>``."""
LIST_RATIO_DEFAULT = 1 / 3
"""The topic list's share beside the reader before the user moves the split (CSS 1fr : 2fr)."""
LIST_RATIO_MIN = 0.25
"""The smallest share of the width the topic list gets beside the reader."""
LIST_RATIO_MAX = 0.7
"""The largest share of the width the topic list gets beside the reader."""
LIST_STEP = 0.05
"""Share moved per press of ``{`` or ``}``."""
_FRACTIONS = 1000
"""The split is drawn as ``list fr`` : ``reader fr`` out of this many."""


def groups_width_bounds(screen_width: int) -> tuple[int, int]:
    """The narrowest and widest the groups column may be on a screen this wide."""
    widest = min(GROUPS_WIDTH_MAX, screen_width - ROOM_BESIDE_GROUPS)
    return GROUPS_WIDTH_MIN, max(GROUPS_WIDTH_MIN, widest)


def _clamp_ratio(ratio: float) -> float:
    return round(min(LIST_RATIO_MAX, max(LIST_RATIO_MIN, ratio)), 3)


class LayoutMixin:
    """The compact toggle and the pane split, for the main screen."""

    @property
    def compact(self) -> bool:
        """Whether the compact layout is on."""
        return self.has_class("-compact")

    def _apply_layout(self) -> None:
        """Show the remembered layout (at mount, before the first frame)."""
        state = self._state
        compact = bool(state is not None and state.compact)
        self.set_class(compact, "-compact")
        self.topics_pane.set_compact(compact)
        self._apply_split()

    def _apply_split(self) -> None:
        """Size the groups column and the list/reader split from the state (also on resize:
        a width remembered on a wide terminal is narrowed to fit a small one)."""
        state = self._state
        left = self.query_one("#left")
        width = state.groups_width if state is not None else None
        if width is None:
            left.styles.width = None  # the stylesheet's width for this terminal size
        else:
            low, high = groups_width_bounds(self.size.width or self.app.size.width)
            left.styles.width = min(high, max(low, width))
        ratio = state.list_ratio if state is not None else None
        topics, reader = self.topics_pane, self.reader
        if ratio is None:
            topics.styles.width = reader.styles.width = topics.styles.max_width = None
        else:
            share = round(_clamp_ratio(ratio) * _FRACTIONS)
            topics.styles.width = f"{share}fr"
            reader.styles.width = f"{_FRACTIONS - share}fr"
            topics.styles.max_width = "100%"  # the stylesheet's cap gives way to the user's split

    # ----------------------------------------------------------------- actions

    def action_toggle_compact(self) -> None:
        """Switch between the compact layout (for 80x24) and the roomy one."""
        compact = not self.compact
        state = self._state
        if state is not None:
            state.compact = compact
        self.set_class(compact, "-compact")
        self.topics_pane.set_compact(compact)
        self.notify("Compact layout." if compact else "Roomy layout.", markup=False, timeout=2)

    def action_narrow_groups(self) -> None:
        """Make the groups column narrower."""
        self._resize_groups(-GROUPS_STEP)

    def action_widen_groups(self) -> None:
        """Make the groups column wider."""
        self._resize_groups(GROUPS_STEP)

    def action_shrink_list(self) -> None:
        """Give the reader more room beside the topic list."""
        self._move_split(-LIST_STEP)

    def action_grow_list(self) -> None:
        """Give the topic list more room beside the reader."""
        self._move_split(LIST_STEP)

    def _resize_groups(self, step: int) -> None:
        left = self.query_one("#left")
        if not left.display or left.size.width == 0:
            self.notify("The groups column is hidden now.", markup=False, timeout=3)
            return
        low, high = groups_width_bounds(self.size.width)
        state = self._state
        # The remembered width, not the one on screen: keys pressed before the next layout
        # each count.
        now = state.groups_width if state is not None else None
        current = min(high, max(low, now)) if now else left.outer_size.width
        width = min(high, max(low, current + step))
        if state is not None:
            state.groups_width = width
        left.styles.width = width

    def _move_split(self, step: float) -> None:
        topics, reader = self.topics_pane, self.reader
        if not (topics.display and reader.display and topics.size.width and reader.size.width):
            self.notify(
                "The split moves while the topics and a thread show side by side.",
                markup=False,
                timeout=3,
            )
            return
        state = self._state
        current = state.list_ratio if state is not None else None
        if current is None:  # start from what is on screen
            shown = topics.outer_size.width + reader.outer_size.width
            current = topics.outer_size.width / shown if shown else LIST_RATIO_DEFAULT
        ratio = _clamp_ratio(current + step)
        if state is None:
            return
        state.list_ratio = ratio
        self._apply_split()

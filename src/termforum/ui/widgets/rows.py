"""``Rows``: a list entry whose lines each have a left part and a right-aligned part.

Long left parts are cut with an ellipsis at the width the list has now (so a resize re-lays
them out), and the right part (a count, an age) always stays visible — no wrapping mid-name.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

__all__ = ["Rows"]


class Rows(Visual):
    """Lines of ``(left, right)`` content, the right part flush with the right edge."""

    def __init__(self, lines: Sequence[tuple[Content, Content]]) -> None:
        self.lines = tuple(lines)

    def layout(self, width: int) -> list[Content]:
        """The lines as they show at ``width`` cells."""
        laid_out = []
        for left, right in self.lines:
            room = width - right.cell_length - (1 if right.cell_length else 0)
            if room < 4:  # too narrow for both: the left part matters more
                laid_out.append(left.truncate(width, ellipsis=True))
                continue
            left = left.truncate(room, ellipsis=True, pad=True)
            laid_out.append(Content.assemble(left, " " if right.cell_length else "", right))
        return laid_out

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """Render each line at ``width``."""
        strips: list[Strip] = []
        for line in self.layout(width):
            strips.extend(line.render_strips(width, 1, style, options))
        return strips[:height] if height is not None else strips

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """Wide enough for every line without cutting."""
        return max(
            (left.cell_length + 1 + right.cell_length for left, right in self.lines), default=0
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        """One line per row."""
        return len(self.lines)

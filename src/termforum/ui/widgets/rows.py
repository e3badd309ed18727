"""``Rows``: a list entry whose lines each have a left part and a right-aligned part.

Long left parts are cut with an ellipsis at the width the list has now (so a resize re-lays
them out), and the right part (a count, an age) always stays visible — no wrapping mid-name.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.segment import Segment
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
        """Render each line at ``width``.

        A laid-out line is already one row, so it goes straight to segments (``render`` folds
        ``style`` in); Textual's general path (wrapping, alignment, selection offsets) runs
        only when text is being selected.
        """
        lines = self.layout(width)[:height] if height is not None else self.layout(width)
        if options.selection is not None or options.post_style is not None:
            return [
                strip for line in lines for strip in line.render_strips(width, 1, style, options)
            ]
        get_style = options.get_style
        return [
            Strip(
                [
                    Segment(part, part_style.rich_style)
                    for part, part_style in line.render(style, end="", parse_style=get_style)
                ],
                line.cell_length,
            )
            for line in lines
        ]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        """Wide enough for every line without cutting."""
        return max(
            (left.cell_length + 1 + right.cell_length for left, right in self.lines), default=0
        )

    def get_height(self, rules: RulesMap, width: int) -> int:
        """One line per row."""
        return len(self.lines)

"""``Rows``, the two-part list entry: its direct rendering must match Textual's general one,
and a narrow list keeps the right-hand part (a count, an age) whole."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content
from textual.style import Style
from textual.visual import RenderOptions
from textual.widgets import OptionList

from termforum.ui.widgets.rows import Rows


class _ListApp(App[None]):
    def compose(self) -> ComposeResult:
        yield OptionList()


def _rows() -> Rows:
    meta = Content.assemble(
        Content.styled("general", "dim"), " · ", Content.styled("12 replies", "bold $accent")
    )
    return Rows(
        [
            (Content("A long title about tabs, 漢字 and emoji 🎉 that will not fit"), Content("")),
            (meta, Content.styled("3h", "dim")),
        ]
    )


def _general(rows: Rows, width: int, style: Style, options: RenderOptions) -> list[str]:
    """What Textual's own Content rendering makes of each laid-out line."""
    return [
        "".join(f"{segment.text}|{segment.style}" for segment in strip)
        for line in rows.layout(width)
        for strip in line.render_strips(width, 1, style, options)
    ]


def _direct(rows: Rows, width: int, style: Style, options: RenderOptions) -> list[str]:
    return [
        "".join(f"{segment.text}|{segment.style}" for segment in strip)
        for strip in rows.render_strips(width, None, style, options)
    ]


async def test_rows_render_exactly_like_textual_content_at_every_width() -> None:
    app = _ListApp()
    async with app.run_test(size=(80, 10)):
        widget = app.query_one(OptionList)
        options = RenderOptions(widget._get_style, widget.styles)  # noqa: SLF001
        style = widget.get_visual_style("option-list--option")
        rows = _rows()
        for width in (70, 40, 12, 5):
            assert _direct(rows, width, style, options) == _general(rows, width, style, options)
        assert len(rows.render_strips(40, 1, style, options)) == 1


def test_a_narrow_row_keeps_its_right_part_and_cuts_the_left_with_an_ellipsis() -> None:
    lines = _rows().layout(20)
    assert lines[1].plain.endswith(" 3h")
    assert lines[1].cell_length == 20
    assert lines[0].plain.endswith("…")

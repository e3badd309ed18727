"""Moving through a long thread with j and k: the view turns a page only when it must.

A step to a post that is already in view leaves the view still (over SSH only the two cursor
marks are redrawn); a step past the bottom brings the next post's first line to the top, and
a step above the top brings the previous post's last line to the bottom, as a pager does, so
the next steps again move within the view.
"""

from __future__ import annotations

from collections.abc import Callable

from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from termforum.ui.widgets.reader import ThreadView
from tests.app.conftest import settle


def _view_lines(reader: ThreadView) -> list[str]:
    height = reader.scrollable_content_region.height
    return [reader.render_line(y).text for y in range(height)]


def _header_row(reader: ThreadView, number: int) -> int | None:
    """The view row showing post ``number``'s header line, if it is in view."""
    for row, line in enumerate(_view_lines(reader)):
        if f"  #{number}  " in line:
            return row
    return None


async def test_j_and_k_turn_pages_like_a_pager(make_app: Callable[..., TermforumApp]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await settle(pilot, lambda: screen.groups_pane.option_count > 1)
        page = await screen.service.topics(view="top")
        long_topic = max(page.topics, key=lambda topic: topic.posts_count)
        screen.open_topic(long_topic, post_number=100)  # posts above it to page back to
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None)
        await pilot.pause(0.2)

        # Down: within the view nothing moves; past the bottom, the new post starts the view.
        turned = False
        for _ in range(40):
            before = reader.scroll_offset.y
            target = reader.selected_post.number + 1
            fully_in_view = _header_row(reader, target) is not None and (
                _header_row(reader, target + 1) is not None
            )
            await pilot.press("j")
            await settle(pilot, lambda n=target: reader.selected_post.number == n)
            if fully_in_view:
                assert reader.scroll_offset.y == before, f"the view moved for #{target}"
            elif reader.scroll_offset.y != before:
                assert _header_row(reader, target) == 0  # the page turned to it
                turned = True
                break
        assert turned, "forty j presses never turned a page"

        # Up from the top post of the view: the previous post ends at the bottom of the view.
        top_post = reader.selected_post.number
        before = reader.scroll_offset.y
        await pilot.press("k")
        await settle(pilot, lambda: reader.selected_post.number == top_post - 1)
        after = reader.scroll_offset.y
        assert after < before
        assert _header_row(reader, top_post - 1) is not None
        assert _header_row(reader, top_post) is None  # the post it left is below the view
        # …so the next k moves within the view.
        await pilot.press("k")
        await settle(pilot, lambda: reader.selected_post.number == top_post - 2)
        assert reader.scroll_offset.y == after

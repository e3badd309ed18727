"""The thread reader: a line-based view over every post of a topic.

There is no widget per post. ``ThreadView`` knows the whole stream of post ids, keeps a height
per post (an estimate until the post is rendered at the current width) and renders only the
lines in view. Posts are rendered once per (post, version, width) and cached. Posts that are not
loaded yet show a placeholder and are asked for with ``ThreadView.NeedPosts``; the screen loads
them and calls ``add_posts``.

The cursor is a post, as in Discourse: ``j``/``k`` move it, the post under it is marked in the
gutter, and it is kept in view. While heights change (posts arrive, posts above the view get
measured), the first visible post stays where it is on screen.

Two orders: the stream (chronological, as the forum shows it) and the reply tree (``t``,
:mod:`termforum.thread_tree`), where each post follows the one it answers, drawn with guides,
and branches fold (``z``). ``p`` goes to the post answered, ``J``/``K`` to the next and
previous reply to the same post, ``n`` to the next new post not yet visited.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual import events, work
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollDown, ScrollTo, ScrollUp
from textual.strip import Strip

from termforum.models import Post, Thread
from termforum.plain import text
from termforum.thread_tree import ThreadTree, TreeRow, build_tree
from termforum.ui.bindings import READER_BINDINGS, key_for
from termforum.ui.format import relative_time

if TYPE_CHECKING:
    from termforum.render import Link, RenderedBody

__all__ = ["ThreadView"]

_GUTTER = 2
"""Columns left of every line: the cursor mark and a space."""
_PLACEHOLDER_HEIGHT = 3
"""Lines an unloaded post takes (and the first estimate of any post)."""
_RENDER_CACHE_SIZE = 600
"""Rendered bodies kept in memory; posts far away are re-rendered when needed."""
_MEASURED_KEEP = 500
"""Laid-out posts kept in memory (several screens around the view; far ones are laid out
again when they come back into view)."""
_PREFETCH_SCREENS = 2
"""How many screens beyond the view to measure and load ahead."""


@dataclass(slots=True)
class _Measured:
    """A post laid out at one width (and place in the tree): its lines (without gutter), and
    those lines drawn."""

    key: tuple[object, ...]
    """The width, and in the tree the guides and folded count the lines were made with."""
    lines: tuple[Content, ...]
    strips: dict[int, Strip] = field(default_factory=dict)
    """Drawn lines by offset, right of the gutter (for ``style``)."""
    style: object = None
    """The base style the strips were drawn with (a theme change draws them again)."""


class ThreadView(ScrollView, can_focus=True):
    """Scrollable view of one thread's posts, rendering only what is visible."""

    BINDINGS = list(READER_BINDINGS)

    COMPONENT_CLASSES = {"thread-view--cursor"}

    DEFAULT_CSS = """
    ThreadView {
        background: $surface;
    }
    ThreadView > .thread-view--cursor {
        color: $accent;
        text-style: bold;
    }
    """

    cursor: reactive[int] = reactive(0, init=False, always_update=True, repaint=False)
    """Index (in the stream) of the selected post (a move repaints two gutters, not the view)."""

    @dataclass
    class NeedPosts(Message):
        """Posts in or near the view are not loaded yet."""

        thread_view: ThreadView
        topic_id: str
        post_ids: list[str]

    def __init__(self, *, base_url: str | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.base_url = base_url
        """Relative links in posts resolve against this URL."""
        self.thread: Thread | None = None
        self._ids: list[str] = []
        self._posts: dict[str, Post] = {}
        self._heights: list[int] = []
        self._offsets: list[int] = [0]
        self._offsets_dirty = False
        self._measured: OrderedDict[str, _Measured] = OrderedDict()
        """Laid-out posts, the most recently used last (at most ``_MEASURED_KEEP``; the
        heights of all of them stay in ``_heights``)."""
        self._bodies: OrderedDict[tuple[str, int, int], RenderedBody] = OrderedDict()
        self._revealed: set[str] = set()
        """Posts whose spoilers and details the user asked to see (``s``)."""
        self._requested: set[str] = set()
        self._layout_version = 0
        """Bumped whenever a post is laid out anew or changes height: the view must repaint."""
        self._measured_plain: set[str] = set()
        """Posts laid out with plain code while their highlighters load."""
        self._lexers_loading: set[str] = set()
        """Languages whose highlighters were asked for (each is loaded once per process)."""
        self._follow_cursor = True
        self.new_after: int | None = None
        """Posts numbered above this are marked new (read up to it on an earlier visit)."""
        self._stream: list[str] = []
        """Every post id in the order written; ``_ids`` is the order shown."""
        self.tree_mode = False
        """Whether posts show as a reply tree (``t``) instead of the stream."""
        self._collapsed: set[str] = set()
        """Posts whose replies are folded away in the tree."""
        self._tree: ThreadTree | None = None
        """The reply structure of the loaded posts (built when first needed)."""
        self._rows: dict[str, TreeRow] = {}
        """In the tree: each shown post's depth, guides and folded count."""
        self._visited: set[str] = set()
        """Posts the cursor has been on during this visit (``n`` skips them)."""
        self._position: dict[str, int] = {}
        """Post id → index in ``_ids``."""

    # ----------------------------------------------------------------- public API

    def show_thread(
        self,
        thread: Thread,
        posts: Iterable[Post],
        *,
        start_at: int = 0,
        new_after: int | None = None,
    ) -> None:
        """Show ``thread`` with the posts loaded so far; select the post at index ``start_at``.

        ``start_at`` counts in the order written. Posts numbered above ``new_after`` (the last
        one read on an earlier visit) are marked new. Showing the same topic again (a refresh)
        keeps the tree view and its folded branches."""
        same_topic = self.thread is not None and self.thread.topic.id == thread.topic.id
        self.thread = thread
        self.new_after = new_after
        self._stream = list(thread.post_ids)
        self._posts = {post.id: post for post in posts}
        self._measured.clear()
        self._revealed.clear()
        self._requested.clear()
        if not same_topic:
            self.tree_mode = False
            self._collapsed.clear()
            self._visited.clear()
        self._tree = None
        self._arrange()
        self._heights = [_PLACEHOLDER_HEIGHT] * len(self._ids)
        self._offsets_dirty = True
        self._sync_virtual_size()
        self._apply_scroll(0)
        start = 0
        if self._stream:
            wanted = self._stream[max(0, min(start_at, len(self._stream) - 1))]
            start = self._shown_index(wanted)
        self.cursor = start
        self._scroll_to_post(start, top=True)
        self.refresh()

    def add_posts(self, posts: Iterable[Post]) -> None:
        """Posts have arrived (loaded or edited): show them in place."""
        changed = False
        for post in posts:
            self._posts[post.id] = post
            self._measured.pop(post.id, None)
            self._requested.discard(post.id)
            changed = True
        if changed:
            self._tree = None  # the replies of these posts may change the structure
            if self.tree_mode:
                self._rearrange()
            self._prepare_view()
            self.refresh()

    def show_new_post(self, post: Post) -> None:
        """A post was just written here: add it in place (no reload) and select it."""
        if post.id not in self._posts and post.id not in self._stream:
            self._stream.append(post.id)
            if not self.tree_mode:
                self._position[post.id] = len(self._ids)
                self._ids.append(post.id)
                self._heights.append(_PLACEHOLDER_HEIGHT)
                self._offsets_dirty = True
            if self.thread is not None:
                self.thread = replace(self.thread, post_ids=(*self.thread.post_ids, post.id))
        self.add_posts([post])
        self._move_cursor(self._shown_index(post.id))

    @property
    def post_count(self) -> int:
        """Number of posts in the stream."""
        return len(self._ids)

    @property
    def highlighting(self) -> bool:
        """Whether code in view is shown plain while its highlighter loads."""
        return bool(self._measured_plain)

    @property
    def stream_position(self) -> int:
        """Where the post under the cursor is in the order written (0 when none)."""
        if not self._ids:
            return 0
        pid = self._ids[self.cursor]
        return self._stream.index(pid) if pid in self._stream else 0

    @property
    def selected_post(self) -> Post | None:
        """The post under the cursor, when it is loaded."""
        if not self._ids:
            return None
        return self._posts.get(self._ids[self.cursor])

    # ------------------------------------------------------------------- actions

    def action_next_post(self) -> None:
        """Select the next post (or the first one in view after scrolling away)."""
        self._move_cursor(self.cursor + 1 if self._cursor_visible() else self._first_in_view())

    def action_previous_post(self) -> None:
        """Select the previous post (or the first one in view after scrolling away)."""
        self._move_cursor(self.cursor - 1 if self._cursor_visible() else self._first_in_view())

    def action_first_post(self) -> None:
        """Select the first post."""
        self._move_cursor(0)

    def action_last_post(self) -> None:
        """Select the last post."""
        self._move_cursor(len(self._ids) - 1)

    def action_page_down(self) -> None:
        """Scroll down a screen."""
        self._scroll_lines(max(1, self.scrollable_content_region.height - 1))

    def action_page_up(self) -> None:
        """Scroll up a screen."""
        self._scroll_lines(-max(1, self.scrollable_content_region.height - 1))

    def action_toggle_tree(self) -> None:
        """Show the posts as a reply tree, or back in the order written (``t``)."""
        if not self._stream:
            return
        self.tree_mode = not self.tree_mode
        self._rearrange()
        if self.tree_mode:
            missing = sum(1 for pid in self._stream if pid not in self._posts)
            if missing:
                self.notify(
                    f"{missing:,} posts are not loaded yet: they hang under the first post "
                    "until they load and find their place as you read.",
                    markup=False,
                    timeout=5,
                )

    def action_toggle_branch(self) -> None:
        """Fold the replies under the post at the cursor away, or unfold them (``z``)."""
        if not self._tree_only("z folds"):
            return
        pid = self._ids[self.cursor]
        if not self._structure().children.get(pid):
            self.notify("No replies hang under this post.", markup=False, timeout=3)
            return
        self._collapsed.symmetric_difference_update({pid})
        self._rearrange()

    def action_toggle_all_branches(self) -> None:
        """Fold the replies under every answer to the topic, or unfold everything (``Z``)."""
        if not self._tree_only("Z folds"):
            return
        if self._collapsed:
            self._collapsed.clear()
        else:
            tree = self._structure()
            root = self._stream[0]
            self._collapsed = {pid for pid in tree.children.get(root, ()) if pid in tree.children}
        self._rearrange()

    def action_parent_post(self) -> None:
        """Go to the post the one at the cursor answers (``p``); the first post when it
        answers the topic itself."""
        post = self.selected_post
        if post is None or not self._stream:
            return
        if post.id == self._stream[0]:
            self.notify("This is the first post: it answers nothing.", markup=False, timeout=3)
            return
        target = self._stream[0]
        if post.reply_to is not None:
            found = self._id_for_number(post.reply_to)
            if found is None:
                self.notify(
                    f"Post #{post.reply_to} is not in this topic any more.", markup=False, timeout=3
                )
                return
            target = found
        self._go_to(target)

    def _id_for_number(self, number: int) -> str | None:
        """The id of post ``number``: exact when loaded, else estimated from loaded posts
        before it (numbers follow the stream, with gaps where posts were deleted)."""
        best: tuple[int, int] | None = None  # (stream index, number) of the closest below
        for index, pid in enumerate(self._stream):
            post = self._posts.get(pid)
            if post is None:
                continue
            if post.number == number:
                return pid
            if post.number < number and (best is None or post.number > best[1]):
                best = (index, post.number)
        if best is None:
            return None
        guess = best[0] + (number - best[1])
        if guess >= len(self._stream) or self._stream[guess] in self._posts:
            return None  # that place holds another post: the one wanted is gone
        return self._stream[guess]

    def action_next_sibling(self) -> None:
        """Go to the next reply to the same post (``J``)."""
        self._sibling(1)

    def action_previous_sibling(self) -> None:
        """Go to the previous reply to the same post (``K``)."""
        self._sibling(-1)

    def action_next_unread(self) -> None:
        """Go to the next new post not visited yet, in the order shown (``n``)."""
        if not self._ids:
            return
        count = len(self._ids)
        for step in range(1, count + 1):
            index = (self.cursor + step) % count
            pid = self._ids[index]
            if pid not in self._visited and self._is_new(pid):
                self._move_cursor(index)
                return
        self.notify("No new posts left to read in this topic.", markup=False, timeout=3)

    def mark_all_read(self) -> None:
        """Count every post of the topic as read: the "new" marks go and ``n`` has nothing
        left to visit (``m``)."""
        if self.thread is None:
            return
        numbers = [post.number for post in self._posts.values()]
        highest = self.thread.topic.highest_post_number or 0
        self.new_after = max([highest, self.thread.topic.posts_count, *numbers])
        self._visited.update(self._stream)
        self._measured.clear()  # headers lose their "new" mark; heights stay the same
        self.refresh()

    def _is_new(self, pid: str) -> bool:
        post = self._posts.get(pid)
        if post is None:
            return self.new_after is not None  # not loaded: new if it lies past what was read
        if post.yours:
            return False
        return self.new_after is None or post.number > self.new_after

    def _sibling(self, step: int) -> None:
        if not self._ids:
            return
        pid = self._ids[self.cursor]
        siblings = self._structure().siblings(pid)
        at = siblings.index(pid) if pid in siblings else 0
        if 0 <= at + step < len(siblings):
            self._go_to(siblings[at + step])
        else:
            where = "after" if step > 0 else "before"
            self.notify(f"No reply to the same post {where} this one.", markup=False, timeout=3)

    def _go_to(self, pid: str) -> None:
        """Put the cursor on post ``pid`` (on the fold that hides it, in a folded branch)."""
        self._move_cursor(self._shown_index(pid))

    def _tree_only(self, what: str) -> bool:
        if self.tree_mode:
            return True
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        key = self.app.get_key_display(Binding(key_for("toggle_tree", keymap), ""))
        self.notify(f"{what} branches of the reply tree: press {key} first.", markup=False)
        return False

    # ------------------------------------------------------------------ the tree

    def _structure(self) -> ThreadTree:
        """The reply tree of the loaded posts (with the folded branches)."""
        if self._tree is None:
            posts = self._posts
            self._tree = build_tree(
                self._stream,
                {pid: post.reply_to for pid, post in posts.items()},
                {pid: post.number for pid, post in posts.items()},
                self._collapsed,
            )
        return self._tree

    def _arrange(self) -> None:
        """Set the shown order from the stream, or from the tree in the tree view."""
        if self.tree_mode:
            rows = self._structure().rows
            self._rows = {row.post_id: row for row in rows}
            self._ids = [row.post_id for row in rows]
        else:
            self._rows = {}
            self._ids = list(self._stream)
        self._position = {pid: index for index, pid in enumerate(self._ids)}

    def _rearrange(self) -> None:
        """Change the shown order, keeping the post at the cursor selected and in its place."""
        keep = self._ids[self.cursor] if self._ids else None
        row = self._post_span(self.cursor)[0] - self.scroll_offset.y if self._ids else 0
        heights = dict(zip(self._ids, self._heights, strict=True))
        self._tree = None
        self._arrange()
        self._heights = [heights.get(pid, _PLACEHOLDER_HEIGHT) for pid in self._ids]
        self._offsets_dirty = True
        self._layout_version += 1
        if keep is None or not self._ids:
            self.refresh()
            return
        index = self._shown_index(keep)
        self.cursor = index
        self._follow_cursor = True
        self._lines_for(index)
        self._set_scroll_y(self._post_span(index)[0] - max(0, row))
        self._prepare_view()
        self.refresh()

    def _shown_index(self, pid: str) -> int:
        """Where post ``pid`` is shown; a post folded away shows as the fold that hides it."""
        position = self._position
        node: str | None = pid
        tree = self._tree
        while node is not None:
            if node in position:
                return position[node]
            node = tree.parent.get(node) if tree is not None else None
        return 0

    # ------------------------------------------------------------ cursor & scroll

    def _move_cursor(self, index: int) -> None:
        if not self._ids:
            return
        index = max(0, min(index, len(self._ids) - 1))
        self.cursor = index
        self._scroll_to_post(index)

    def _cursor_visible(self) -> bool:
        """Whether any line of the cursor post is in view."""
        top = self.scroll_offset.y
        start, end = self._post_span(self.cursor)
        return end > top and start < top + self.scrollable_content_region.height

    def _first_in_view(self) -> int:
        """The first post whose top line is in view (or the one covering the view)."""
        top = self.scroll_offset.y
        index = self._index_at(top)
        bottom = top + self.scrollable_content_region.height
        partly_above = self._post_span(index)[0] < top
        if partly_above and index + 1 < len(self._ids) and self._post_span(index + 1)[0] < bottom:
            return index + 1
        return index

    def watch_cursor(self, old: int, new: int) -> None:
        """Repaint the gutters of the old and new cursor posts only."""
        if 0 <= new < len(self._ids):
            self._visited.add(self._ids[new])
        for index in {old, new}:
            if 0 <= index < len(self._ids):
                self._refresh_post(index)

    def _refresh_post(self, index: int) -> None:
        """Repaint the cursor gutter of post ``index`` where it is in view (a few cells)."""
        start, end = self._post_span(index)
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height
        first, last = max(start, top), min(end, top + height)
        if first < last:
            self.refresh(Region(0, first - top, _GUTTER, last - first))

    def _scroll_to_post(self, index: int, *, top: bool = False) -> None:
        """Bring post ``index`` into view and keep it there while posts around it load."""
        self._follow_cursor = True
        version = self._layout_version
        self._measure_from(index)
        target = self._target_for(index, top=top)
        if target == self.scroll_offset.y and version == self._layout_version:
            return  # the view stays as it is: only the two gutters repaint (watch_cursor)
        self._set_scroll_y(target)
        self._prepare_view()

    def _target_for(self, index: int, *, top: bool = False) -> int:
        """Scroll offset that shows post ``index``: unchanged when the whole post is in view.

        Otherwise the view turns a page, as a pager does: going down, the post's first line
        comes to the top of the view; going up, its last line comes to the bottom (so the
        next ``k`` presses move within the view). A post taller than the view shows from
        its first line. ``top``: always put its first line at the top."""
        start, end = self._post_span(index)
        view_top = self.scroll_offset.y
        height = self.scrollable_content_region.height or 1
        if top:
            return start
        if view_top <= start and end <= view_top + height:
            return view_top  # all of it is in view
        if end - start >= height or start > view_top:
            return start
        return max(0, end - height)

    def _scroll_lines(self, delta: int) -> None:
        self._follow_cursor = False
        self._set_scroll_y(self.scroll_offset.y + delta)
        self._prepare_view()

    def _set_scroll_y(self, y: int) -> None:
        """Scroll to ``y`` (clamped); scrolling repaints the view by itself."""
        self._sync_virtual_size()
        limit = max(0, self._total_height() - self.scrollable_content_region.height)
        self._apply_scroll(max(0, min(y, limit)))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Measure and load what comes into view (mouse wheel, scrollbar)."""
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self.call_later(self._prepare_view)

    def _apply_scroll(self, y: int) -> None:
        """Scroll to ``y`` at once (no animation: frugal over SSH)."""
        self.scroll_to(y=y, animate=False, force=True)

    # The mouse wheel and the scrollbar move the view away from the cursor: stop following it.
    def _on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        self._follow_cursor = False
        super()._on_mouse_scroll_down(event)

    def _on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        self._follow_cursor = False
        super()._on_mouse_scroll_up(event)

    def _on_scroll_to(self, message: ScrollTo) -> None:
        self._follow_cursor = False
        super()._on_scroll_to(message)

    def _on_scroll_up(self, event: ScrollUp) -> None:
        self._follow_cursor = False
        super()._on_scroll_up(event)

    def _on_scroll_down(self, event: ScrollDown) -> None:
        self._follow_cursor = False
        super()._on_scroll_down(event)

    def on_resize(self) -> None:
        """Re-measure for the new width, keeping the first visible post in place."""
        self._prepare_view()

    # ---------------------------------------------------------------- measuring

    def _content_width(self) -> int:
        return max(10, self.scrollable_content_region.width - _GUTTER - 1)

    def _total_height(self) -> int:
        return self._offsets_now()[-1]

    def _offsets_now(self) -> list[int]:
        if self._offsets_dirty:
            self._offsets = [0, *accumulate(self._heights)]
            self._offsets_dirty = False
        return self._offsets

    def _post_span(self, index: int) -> tuple[int, int]:
        offsets = self._offsets_now()
        return offsets[index], offsets[index + 1]

    def _index_at(self, y: int) -> int:
        offsets = self._offsets_now()
        return max(0, min(bisect_right(offsets, y) - 1, len(self._ids) - 1))

    def _sync_virtual_size(self) -> None:
        size = Size(self.scrollable_content_region.width, self._total_height())
        if self.virtual_size != size:
            self.virtual_size = size

    def _lines_for(self, index: int) -> tuple[Content, ...]:
        """The lines of post ``index`` at the current width (rendering it when needed)."""
        pid = self._ids[index]
        width = self._content_width()
        row = self._rows.get(pid)
        key: tuple[object, ...] = (width,) if row is None else (width, row.head, row.hidden)
        measured = self._measured.get(pid)
        if measured is not None and measured.key == key:
            self._measured.move_to_end(pid)
            return measured.lines
        post = self._posts.get(pid)
        if post is None:
            number = self._guess_number(index)
            lines: tuple[Content, ...] = (
                Content.styled(f"#{number}" if number else "…", "dim"),
                Content.styled("loading…", "dim italic"),
                Content(""),
            )
            if row is not None:
                lines = _with_guides(lines, row)
        else:
            if row is None:
                lines = self._render_post(post, width)
            else:
                inner = max(10, width - len(row.head))
                lines = _with_guides(self._render_post(post, inner, folded=row.hidden), row)
            self._measured[pid] = _Measured(key, lines)
            self._measured.move_to_end(pid)
            if len(self._measured) > _MEASURED_KEEP:
                self._measured.popitem(last=False)
            self._layout_version += 1
        if self._heights[index] != len(lines):
            self._heights[index] = len(lines)
            self._offsets_dirty = True
            self._layout_version += 1
        return lines

    def _guess_number(self, index: int) -> int | None:
        for step in (-1, 1):
            neighbour = index + step
            if 0 <= neighbour < len(self._ids):
                post = self._posts.get(self._ids[neighbour])
                if post is not None:
                    return post.number - step
        return None

    def links_of_selected(self) -> tuple[Link, ...]:
        """The link table of the post under the cursor (empty when none)."""
        post = self.selected_post
        return self._body(post).links if post is not None else ()

    def action_reveal(self) -> None:
        """Show (or hide again) the spoilers and folded details of the post under the cursor."""
        post = self.selected_post
        if post is None:
            return
        body = self._body(post)
        if not (body.has_spoilers or body.has_details):
            self.notify("This post hides nothing.", markup=False, timeout=3)
            return
        if post.id in self._revealed:
            self._revealed.discard(post.id)
        else:
            self._revealed.add(post.id)
        self._measured.pop(post.id, None)
        self._lines_for(self.cursor)  # its height changes
        self._sync_virtual_size()
        self.refresh()

    def _body(self, post: Post) -> RenderedBody:
        # Discourse does not bump ``version`` for edits in the grace period: the text counts.
        key = (post.id, post.version, hash(post.html))
        body = self._bodies.get(key)
        if body is None:
            # Imported here: the start-up frame shows lists only and need not load the renderer.
            from termforum.render import render_html

            body = render_html(post.html, base_url=self.base_url)
            self._bodies[key] = body
            if len(self._bodies) > _RENDER_CACHE_SIZE:
                self._bodies.popitem(last=False)
        else:
            self._bodies.move_to_end(key)
        return body

    def _render_post(self, post: Post, width: int, *, folded: int = 0) -> tuple[Content, ...]:
        from termforum.render import lexer_is_loaded

        header = self._header(post)
        shown = post.id in self._revealed
        rendered = self._body(post)
        body = rendered.lines(width, reveal_spoilers=shown, expand_details=shown, load_lexers=False)
        missing = {lang for lang in rendered.languages if not lexer_is_loaded(lang)}
        if missing:
            # Shown plain now, highlighted as soon as the highlighter has loaded.
            self._measured_plain.add(post.id)
            todo = missing - self._lexers_loading
            if todo:
                self._lexers_loading |= todo
                self._load_lexers(frozenset(todo))
        if folded:
            replies = "reply" if folded == 1 else "replies"
            fold = Content.styled(f"[+{folded} {replies} folded]", "dim italic")
            return (*header.wrap(width), *body, fold, Content(""))
        return (*header.wrap(width), *body, Content(""))

    @work(thread=True, group="lexers")
    def _load_lexers(self, languages: frozenset[str]) -> None:
        """Load highlighters off the UI thread, then lay out again what was shown plain."""
        from termforum.render import load_lexer

        for lang in languages:
            load_lexer(lang)
        self.app.call_from_thread(self._lexers_loaded)

    def _lexers_loaded(self) -> None:
        for pid in self._measured_plain:
            self._measured.pop(pid, None)
        self._measured_plain.clear()
        self._prepare_view()

    def _header(self, post: Post) -> Content:
        parts: list[Content | tuple[str, str] | str] = [text(post.author, "bold $primary")]
        if post.name and post.name != post.author:
            parts += [" ", text(post.name, "dim")]
        parts.append((f"  #{post.number}  {relative_time(post.created_at)}", "dim"))
        if self.new_after is not None and post.number > self.new_after and not post.yours:
            parts.append(("  new", "bold $accent"))
        if post.reply_to and post.reply_to != 1:
            parts.append(("  in reply to ", "dim"))
            if post.reply_to_user:
                parts += [text("@" + post.reply_to_user, "dim"), (" ", "dim")]
            parts.append((f"#{post.reply_to}", "dim"))
        if post.like_count or post.liked:
            liked = " (you)" if post.liked else ""
            parts.append((f"  ♥ {post.like_count}{liked}", "$error" if post.liked else "dim"))
        if post.bookmarked:
            parts.append(("  bookmarked", "$accent"))
        if post.kind != "regular":
            parts.append((f"  [{post.kind.replace('_', ' ')}]", "dim italic"))
        return Content.assemble(*parts)

    def _measure_from(self, index: int) -> None:
        """Measure post ``index`` and the posts that fill a screen after it."""
        if not self._ids:
            return
        height = self.scrollable_content_region.height or 24
        filled = 0
        while index < len(self._ids) and filled < height:
            filled += len(self._lines_for(index))
            index += 1

    def _prepare_view(self) -> None:
        """Measure posts around the view, keep what the reader looks at still, load the rest.

        While the cursor is followed (after ``j``/``k``/``G``…) the cursor post stays in view
        as the posts around it arrive; otherwise the first visible post keeps its place.
        """
        if not self._ids or not self.is_mounted:
            return
        version = self._layout_version
        top = self.scroll_offset.y
        height = self.scrollable_content_region.height or 24
        anchor = self.cursor if self._follow_cursor else self._index_at(top)
        anchor_row = self._post_span(anchor)[0] - top
        start = self._index_at(max(0, top))
        below, filled = start, 0
        while below < len(self._ids) and filled < height * (1 + _PREFETCH_SCREENS):
            filled += len(self._lines_for(below))
            below += 1
        above, filled = start - 1, 0
        while above >= 0 and filled < height:
            filled += len(self._lines_for(above))
            above -= 1
        self._lines_for(anchor)
        new_top = self._post_span(anchor)[0] - anchor_row
        if self._follow_cursor:
            self._apply_scroll(max(0, new_top))
            new_top = self._target_for(anchor)
        self._sync_virtual_size()
        limit = max(0, self._total_height() - height)
        new_top = max(0, min(new_top, limit))
        if new_top != self.scroll_offset.y:
            self._apply_scroll(new_top)
        self._request_missing(max(0, above), below)
        if self._layout_version != version:
            # Posts were laid out or changed height: what the view shows changed. (A cursor
            # step among posts already laid out repaints only its two gutters.)
            self.refresh()

    def _request_missing(self, first: int, last: int) -> None:
        if self.thread is None:
            return
        missing = [
            pid
            for pid in self._ids[first : last + 1]
            if pid not in self._posts and pid not in self._requested
        ]
        if missing:
            self._requested.update(missing)
            self.post_message(self.NeedPosts(self, self.thread.topic.id, missing))

    def forget_requests(self, post_ids: Iterable[str]) -> None:
        """Loading these posts failed: allow asking for them again."""
        self._requested.difference_update(post_ids)

    # ----------------------------------------------------------------- rendering

    def render_line(self, y: int) -> Strip:
        """Render one line of the view (drawn lines are kept with their post's layout)."""
        width = self.scrollable_content_region.width
        rich_style = self.rich_style
        if not self._ids:
            return Strip.blank(width, rich_style)
        line_no = self.scroll_offset.y + y
        if line_no >= self._total_height():
            return Strip.blank(width, rich_style)
        index = self._index_at(line_no)
        lines = self._lines_for(index)
        offset = line_no - self._post_span(index)[0]
        if offset >= len(lines):
            return Strip.blank(width, rich_style)
        if index == self.cursor:
            cursor_style = self.get_component_rich_style("thread-view--cursor")
            gutter = Strip([Segment("▌ ", cursor_style)], _GUTTER)
        else:
            gutter = Strip([Segment(" " * _GUTTER, rich_style)], _GUTTER)
        base = self.visual_style
        measured = self._measured.get(self._ids[index])
        if measured is not None and measured.style != base:
            measured.strips.clear()
            measured.style = base
        body = measured.strips.get(offset) if measured is not None else None
        if body is None:
            room = max(0, width - _GUTTER)
            body = Strip(lines[offset].render_segments(base)).crop_extend(0, room, rich_style)
            # Neighbouring pieces of one style become one segment: fewer style changes sent.
            body = body.simplify()
            if measured is not None:
                measured.strips[offset] = body
        return Strip.join([gutter, body])


def _with_guides(lines: tuple[Content, ...], row: TreeRow) -> tuple[Content, ...]:
    """A post's lines with the tree guides of ``row`` on their left."""
    if not row.head:
        return lines
    head = Content.styled(row.head, "dim")
    body = Content.styled(row.body, "dim")
    return tuple(
        Content.assemble(head if number == 0 else body, line) for number, line in enumerate(lines)
    )

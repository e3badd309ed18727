"""The main screen's topic-list views: which view of which group is listed, how it is
chosen (``v`` steps through the reading views, ``V`` picks any view and ``top`` period,
``#`` filters by tag), and what is remembered per group (the view across runs, and where the
highlight was in each view).

A mixin of :class:`~termforum.ui.screens.main.MainScreen` (which provides ``service``,
``group``, the panes, ``_state`` and ``load_topics``); kept apart so each file has one job.
"""

from __future__ import annotations

from datetime import timedelta

from textual.content import Content

from termforum.models import Topic
from termforum.plain import text
from termforum.ui.format import format_age
from termforum.ui.widgets.lists import ALL_GROUPS
from termforum.views import (
    CYCLED_VIEWS,
    available,
    describe_view,
    parse_view_key,
    view_key,
)

__all__ = ["STALE_MARK_AFTER", "ViewsMixin"]

STALE_MARK_AFTER = timedelta(minutes=1)
"""Cached lists and threads older than this say how old they are in their title."""
MAX_POSITIONS = 200
"""Topic-list positions kept per forum in ``state.toml`` (each tag filter is a list too)."""


class ViewsMixin:
    """Topic-list views, periods, the tag filter and remembered positions."""

    view: str
    """The topic-list view: one of ``TOPIC_VIEWS``."""
    period: str | None
    """The ``top`` period (None: the forum's default); unused by the other views."""
    tag: str | None
    """Only topics with this tag are listed (None: every topic)."""
    _positions: dict[str, str]

    def _init_views(self) -> None:
        self.view = "latest"
        self.period = None
        self.tag = None
        self._positions = {}

    def list_key(self) -> tuple[object, ...]:
        """What the topic list shows: (group, view, period, tag). A result for another
        key arrived after the user moved on and is dropped."""
        return (self.group, self.view, self.period, self.tag)

    # ---------------------------------------------------------------- remembered

    def _group_key(self) -> str:
        return self.group.id if self.group else ALL_GROUPS

    def _position_key(self) -> str:
        key = f"{self._group_key()}|{view_key(self.view, self.period)}"
        return f"{key}|#{self.tag}" if self.tag else key

    def _restore_view(self) -> None:
        """The view last chosen for this group (``latest`` when none, or when it needs an
        account and nobody is logged in); the tag filter is not kept between groups."""
        state = self._state
        views = state.view.get(self.service.name, {}) if state else {}
        parsed = parse_view_key(views.get(self._group_key(), "latest")) or ("latest", None)
        if not available(parsed[0], logged_in=self.service.logged_in):
            parsed = ("latest", None)
        self.view, self.period = parsed
        self.tag = None

    def _remember(self) -> None:
        state = self._state
        if state is None:
            return
        name = self.service.name
        if self.group is None:
            state.last_group.pop(name, None)
        else:
            state.last_group[name] = self.group.id
        state.view.setdefault(name, {})[self._group_key()] = view_key(self.view, self.period)

    def remember_position(self) -> None:
        """Note which topic is highlighted in the list on screen (for coming back to it)."""
        option = self.topics_pane.highlighted_option
        if option is None or option.id is None:
            return  # a notice ("Loading…"), not a topic
        key = self._position_key()
        self._positions[key] = option.id
        state = self._state
        if state is not None:
            places = state.position.setdefault(self.service.name, {})
            places.pop(key, None)  # the most recent last: the oldest go first past the cap
            places[key] = option.id
            while len(places) > MAX_POSITIONS:
                del places[next(iter(places))]

    def _topic_highlighted(self, _index: int | None) -> None:
        self.remember_position()

    def remembered_position(self) -> str | None:
        """The topic that was highlighted when this list was last on screen."""
        key = self._position_key()
        if key in self._positions:
            return self._positions[key]
        state = self._state
        return state.position.get(self.service.name, {}).get(key) if state else None

    # ------------------------------------------------------------------ switching

    def _switch_list(self) -> None:
        """List the topics of the current group, view and tag from the first page."""
        self._remember()
        self._next_page = 0
        self.topics_pane.clear_topics("Loading…")
        self.load_topics()

    def set_view(self, view: str, period: str | None = None) -> None:
        """Switch the topic list to ``view`` (``period`` for ``top``)."""
        if not available(view, logged_in=self.service.logged_in):
            self.notify(
                f"The {view} list is for members: press {self._login_key()} to log in.",
                severity="warning",
                markup=False,
            )
            return
        self.remember_position()
        self.view, self.period = view, period if view == "top" else None
        self._switch_list()

    def set_tag(self, tag: str | None) -> None:
        """List only the topics with ``tag`` (None or empty: every topic)."""
        self.remember_position()
        self.tag = tag.strip() if tag and tag.strip() else None
        self._switch_list()

    def action_cycle_view(self) -> None:
        """Show the next topic-list view (latest, new, unread, top, hot)."""
        views = [v for v in CYCLED_VIEWS if available(v, logged_in=self.service.logged_in)]
        position = views.index(self.view) if self.view in views else -1
        self.set_view(views[(position + 1) % len(views)])

    def action_choose_view(self) -> None:
        """Pick any view, a ``top`` period, or your own activity, from a list."""
        from termforum.ui.screens.views import ViewsScreen

        def chosen(choice: tuple[str, str | None] | None) -> None:
            if choice is not None:
                self.set_view(*choice)

        screen = ViewsScreen(self.view, self.period, logged_in=self.service.logged_in)
        self.app.push_screen(screen, chosen)

    def action_filter_tag(self) -> None:
        """List only the topics with a tag (asked for, with the tags seen so far)."""
        from termforum.ui.screens.tag_filter import TagFilterScreen

        def chosen(tag: str | None) -> None:
            if tag is not None:
                self.set_tag(tag)

        self.app.push_screen(TagFilterScreen(self.tag, self.service.known_tags()), chosen)

    # ------------------------------------------------------------------- showing

    def _set_topics_title(self, age: timedelta | None = None) -> None:
        name = text(self.group.name) if self.group else Content("All groups")
        parts: list[Content | tuple[str, str]] = [
            name,
            (f" · {describe_view(self.view, self.period)}", "dim"),
        ]
        if self.tag:
            parts += [(" · #", "$accent"), text(self.tag, "$accent")]
        if age is not None and age >= STALE_MARK_AFTER:
            parts.append((f" · cached {format_age(age)} ago", "$warning"))
        self.topics_pane.border_title = Content.assemble(*parts)

    def _highlight_remembered(self, topics: list[Topic]) -> str | None:
        """The id to highlight in a freshly shown first page (None: the list decides)."""
        wanted = self.remembered_position()
        return wanted if wanted is not None and any(t.id == wanted for t in topics) else None

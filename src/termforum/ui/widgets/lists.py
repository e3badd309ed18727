"""The group list and the topic list: line-based ``OptionList`` panes, never a widget per row.

Each pane turns the generic option messages into domain messages that carry the model
(``GroupList.Selected``, ``TopicList.Opened``, ``TopicList.NeedMore``); the screen routes them.
All server text reaches the screen as plain-text ``Content`` built by ``termforum.render.text``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termforum.models import Group, Topic
from termforum.plain import text
from termforum.ui.bindings import LIST_BINDINGS
from termforum.ui.format import count, relative_time
from termforum.ui.widgets.rows import Rows

__all__ = ["ALL_GROUPS", "GroupList", "ListPane", "TopicList"]

ALL_GROUPS = "__all__"
"""Option id of the "All groups" entry."""

_LOAD_MORE_MARGIN = 8
"""Ask for the next page when the highlight is this close to the end of the list."""


class ListPane(OptionList, inherit_bindings=False):
    """An ``OptionList`` with termforum's list keys (vim keys, ``g``/``G``, space to page)."""

    BINDINGS = list(LIST_BINDINGS)


class GroupList(ListPane):
    """The groups of a forum, subgroups indented under their parents, with topic counts."""

    @dataclass
    class Selected(Message):
        """The user opened a group (``group`` is ``None`` for "All groups")."""

        group: Group | None

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._groups: dict[str, Group] = {}

    @property
    def groups(self) -> list[Group]:
        """The groups shown, in order."""
        return list(self._groups.values())

    def set_groups(self, groups: Iterable[Group], *, select: str | None = None) -> None:
        """Show ``groups``; keep the highlight on ``select`` (a group id) when given."""
        groups = list(groups)
        self._groups = {group.id: group for group in groups}
        options = [Option(Content.styled("All groups", "bold"), id=ALL_GROUPS)]
        options.extend(Option(self._prompt(group), id=group.id) for group in groups)
        self.set_options(options)
        target = select if select in self._groups else ALL_GROUPS
        self.highlighted = self.get_option_index(target)

    @staticmethod
    def _prompt(group: Group) -> Rows:
        name = Content.assemble("  " if group.parent_id else "", text(group.name))
        topic_count = "" if group.topic_count is None else str(group.topic_count)
        return Rows([(name, Content.styled(topic_count, "dim"))])

    def group(self, option_id: str | None) -> Group | None:
        """The group behind an option id (``None`` for "All groups")."""
        return self._groups.get(option_id or "")

    @on(OptionList.OptionSelected)
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Selected(self.group(event.option.id)))


class TopicList(ListPane):
    """Topics of the selected group: two lines each (one in the compact layout), unread and
    pinned/closed marked."""

    @dataclass
    class Opened(Message):
        """The user opened a topic."""

        topic: Topic

    @dataclass
    class NeedMore(Message):
        """The highlight is near the end and more topics exist."""

        topic_list: TopicList

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._topics: dict[str, Topic] = {}
        self.has_more = False
        """True while the server has further pages of this list."""
        self._asked_more = False
        self.compact = False
        """One line per topic (see :meth:`set_compact`)."""

    def set_compact(self, compact: bool) -> None:
        """Show one line per topic (``compact``: title, unread count, age) or two (with the
        author, replies, pinned and closed)."""
        if compact == self.compact:
            return
        self.compact = compact
        if self._topics:
            asked_more = self._asked_more
            self.set_topics(self.topics, has_more=self.has_more)
            self._asked_more = asked_more

    @property
    def topics(self) -> list[Topic]:
        """The topics shown, in order."""
        return list(self._topics.values())

    def set_topics(self, topics: Iterable[Topic], *, has_more: bool, append: bool = False) -> None:
        """Show ``topics`` (or add them at the end with ``append``). The highlight stays on
        the topic it was on when that topic is still listed (a refresh that arrives while
        the user moves through the list does not send them back to the top)."""
        fresh = [topic for topic in topics if not append or topic.id not in self._topics]
        prompt = self._line if self.compact else self._prompt
        options = [Option(prompt(topic), id=topic.id) for topic in fresh]
        if append:
            self._topics.update((topic.id, topic) for topic in fresh)
            self.add_options(options)
        else:
            current = self.highlighted_option.id if self.highlighted_option else None
            self._topics = {topic.id: topic for topic in fresh}
            self.set_options(options)
            if options:
                kept = current in self._topics
                self.highlighted = self.get_option_index(current) if kept else 0
        self.has_more = has_more
        self._asked_more = False

    def clear_topics(self, notice: str | None = None) -> None:
        """Empty the list, optionally showing a (trusted) notice line instead."""
        self._topics = {}
        self.has_more = False
        self.set_options(
            [Option(Content.styled(notice, "dim italic"), disabled=True)] if notice else []
        )

    @staticmethod
    def _prompt(topic: Topic) -> Rows:
        unread = topic.unread_posts > 0
        marker = ("● ", "$accent") if unread else "  "
        title = Content.assemble(marker, text(topic.title, "bold" if unread else ""))
        meta: list[Content | tuple[str, str] | str] = ["  "]
        if topic.author:
            meta += [text(topic.author, "$text-secondary"), "  "]
        replies = max(topic.posts_count - 1, 0)
        meta.append((count(replies, "reply", "replies"), "dim"))
        if unread:
            meta.append((f"  {topic.unread_posts} unread", "$accent"))
        if topic.pinned:
            meta.append(("  pinned", "$warning"))
        if topic.closed:
            meta.append(("  closed", "$error"))
        age = Content.styled(relative_time(topic.last_posted_at), "dim")
        return Rows([(title, Content("")), (Content.assemble(*meta), age)])

    @staticmethod
    def _line(topic: Topic) -> Rows:
        """The compact row: marker and title, then the unread count and the age."""
        unread = topic.unread_posts > 0
        marker = ("● ", "$accent") if unread else ("▪ ", "$warning") if topic.pinned else "  "
        title = Content.assemble(marker, text(topic.title, "bold" if unread else ""))
        right: list[tuple[str, str]] = []
        if unread:
            right.append((f"{topic.unread_posts} ", "$accent"))
        right.append((relative_time(topic.last_posted_at), "dim"))
        return Rows([(title, Content.assemble(*right))])

    def topic(self, option_id: str | None) -> Topic | None:
        """The topic behind an option id."""
        return self._topics.get(option_id or "")

    @on(OptionList.OptionSelected)
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        topic = self.topic(event.option.id)
        if topic is not None:
            self.post_message(self.Opened(topic))

    @on(OptionList.OptionHighlighted)
    def _maybe_more(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        near_end = event.option_index >= self.option_count - _LOAD_MORE_MARGIN
        if near_end and self.has_more and not self._asked_more:
            self._asked_more = True
            self.post_message(self.NeedMore(self))

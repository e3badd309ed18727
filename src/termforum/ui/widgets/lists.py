"""The topic list (and, from ``group_list``, the group list): line-based ``OptionList`` panes,
never a widget per row.

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

from termforum.models import Topic
from termforum.plain import text
from termforum.ui.bindings import LIST_BINDINGS
from termforum.ui.format import count, relative_time
from termforum.ui.widgets.group_list import ALL_GROUPS, GroupList
from termforum.ui.widgets.rows import Rows
from termforum.unread import count_unread

__all__ = ["ALL_GROUPS", "GroupList", "ListPane", "TopicList"]

_LOAD_MORE_MARGIN = 8
"""Ask for the next page when the highlight is this close to the end of the list."""


class ListPane(OptionList, inherit_bindings=False):
    """An ``OptionList`` with termforum's list keys (vim keys, ``g``/``G``, space to page)."""

    BINDINGS = list(LIST_BINDINGS)


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

    def set_topics(
        self,
        topics: Iterable[Topic],
        *,
        has_more: bool,
        append: bool = False,
        highlight: str | None = None,
    ) -> None:
        """Show ``topics`` (or add them at the end with ``append``). The highlight stays on
        the topic it was on when that topic is still listed (a refresh that arrives while
        the user moves through the list does not send them back to the top); on a list
        that showed no topic yet it goes to ``highlight`` (a topic id) when that is listed."""
        fresh = [topic for topic in topics if not append or topic.id not in self._topics]
        prompt = self._line if self.compact else self._prompt
        options = [Option(prompt(topic), id=topic.id) for topic in fresh]
        if append:
            self._topics.update((topic.id, topic) for topic in fresh)
            self.add_options(options)
        else:
            current = self.highlighted_option.id if self.highlighted_option else None
            if highlight is not None and current not in self._topics:
                current = highlight  # nothing was highlighted yet: not yanked while moving
            self._topics = {topic.id: topic for topic in fresh}
            self.set_options(options)
            if options:
                kept = current in self._topics
                self.highlighted = self.get_option_index(current) if kept else 0
        self.has_more = has_more
        self._asked_more = False
        self._show_counts()

    def update_topics(self, topics: Iterable[Topic]) -> None:
        """Redraw the rows of ``topics`` that are listed (same ids, new read state…)."""
        for topic in topics:
            if topic.id in self._topics:
                self._topics[topic.id] = topic
                prompt = self._line if self.compact else self._prompt
                self.replace_option_prompt(topic.id, prompt(topic))
        self._show_counts()

    def _show_counts(self) -> None:
        """Say under the list how many of its topics are new and unread."""
        self.border_subtitle = count_unread(list(self._topics.values())).describe()

    def clear_topics(self, notice: str | None = None) -> None:
        """Empty the list, optionally showing a (trusted) notice line instead."""
        self._topics = {}
        self.has_more = False
        self.border_subtitle = ""
        self.set_options(
            [Option(Content.styled(notice, "dim italic"), disabled=True)] if notice else []
        )

    @staticmethod
    def _prompt(topic: Topic) -> Rows:
        unread = topic.unread_posts > 0 and not topic.unseen
        fresh = unread or topic.unseen
        marker = ("● ", "$accent") if fresh else "  "
        title = Content.assemble(marker, text(topic.title, "bold" if fresh else ""))
        meta: list[Content | tuple[str, str] | str] = ["  "]
        if topic.author:
            meta += [text(topic.author, "$text-secondary"), "  "]
        replies = max(topic.posts_count - 1, 0)
        meta.append((count(replies, "reply", "replies"), "dim"))
        if topic.unseen:
            meta.append(("  new", "$accent"))
        elif unread:
            meta.append((f"  {topic.unread_posts} unread", "$accent"))
        if topic.pinned:
            meta.append(("  pinned", "$warning"))
        if topic.closed:
            meta.append(("  closed", "$error"))
        age = Content.styled(relative_time(topic.last_posted_at), "dim")
        return Rows([(title, Content("")), (Content.assemble(*meta), age)])

    @staticmethod
    def _line(topic: Topic) -> Rows:
        """The compact row: marker and title, then "new" or the unread count, and the age."""
        unread = topic.unread_posts > 0 and not topic.unseen
        fresh = unread or topic.unseen
        marker = ("● ", "$accent") if fresh else ("▪ ", "$warning") if topic.pinned else "  "
        title = Content.assemble(marker, text(topic.title, "bold" if fresh else ""))
        right: list[tuple[str, str]] = []
        if topic.unseen:
            right.append(("new ", "$accent"))
        elif unread:
            right.append((f"{topic.unread_posts} unread ", "$accent"))
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

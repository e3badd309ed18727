"""The main screen's read marks: ``m`` counts a topic (in the list or the reader) or a whole
group as read, and the topic list's rows follow what was read.

A mixin of :class:`~termforum.ui.screens.main.MainScreen` (which provides ``service``, the
panes, ``_topic``, ``_with_local_unread``, ``send_read_state`` and ``_report``); kept apart
so each file has one job. A topic is marked here at once and told to the forum with the next
batch of read state; a group is marked on the forum with Discourse's "Dismiss" (two
requests) after the user says yes.
"""

from __future__ import annotations

from textual import work

from termforum.errors import ForumError
from termforum.models import Group, Topic
from termforum.plain import text

__all__ = ["ReadMarksMixin"]


class ReadMarksMixin:
    """Marking topics and groups read, for the main screen."""

    def action_mark_read(self) -> None:
        """Mark read what the focused pane shows: the group under the highlight (all its
        topics, after a yes), the highlighted topic, or the topic open in the reader."""
        focused = self.focused
        if focused is self.groups_pane:
            option = self.groups_pane.highlighted_option
            if option is not None:
                self._confirm_group_read(self.groups_pane.group(option.id))
            return
        topic: Topic | None
        if focused is self.reader and self._topic is not None:
            topic = self._topic
            self.reader.mark_all_read()
        else:
            pane = self.topics_pane
            option = pane.highlighted_option
            topic = pane.topic(option.id) if option is not None else None
        if topic is None:
            return
        self.service.mark_topic_read(topic)
        self.show_read_marks([topic])
        self.send_read_state()
        title = text(topic.title).plain
        self.notify(f"Marked “{title}” read.", markup=False, timeout=3)

    def show_read_marks(self, topics: list[Topic]) -> None:
        """Redraw the topic list's rows of ``topics`` with what was read here."""
        pane = self.topics_pane
        listed = [pane.topic(topic.id) for topic in topics]
        pane.update_topics(self._with_local_unread([t for t in listed if t is not None]))

    def _confirm_group_read(self, group: Group | None) -> None:
        from termforum.ui.screens.confirm import ConfirmScreen

        name = text(group.name).plain if group is not None else "every group"
        points = [f"Every topic in {name} counts as read, here and on the forum."]
        if not self.service.logged_in:
            points = [
                f"Every topic of {name} listed here so far counts as read (on this"
                " computer: you are not logged in)."
            ]

        def answered(yes: bool | None) -> None:
            if yes:
                self.mark_group_read(group)

        screen = ConfirmScreen(f"Mark {name} read?", points, go_ahead="Mark read")
        self.app.push_screen(screen, answered)

    @work(exclusive=True, group="mark-read", exit_on_error=False)
    async def mark_group_read(self, group: Group | None) -> None:
        """Mark every topic of ``group`` (None: all groups) read and redraw the list."""
        service = self.service
        name = text(group.name).plain if group is not None else "All groups"
        try:
            topics = await service.mark_group_read(group.id if group is not None else None)
        except ForumError as error:
            self._report(error)
            return
        self.show_read_marks(topics)
        self.notify(f"{name}: every topic marked read.", markup=False, timeout=4)

"""The logged-in user's notifications: who replied, mentioned, quoted or liked, and where.

Enter opens the post a notification points to (the main screen does, and marks it read);
``a`` marks every notification read.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termforum.models import Notification
from termforum.plain import text
from termforum.ui.format import relative_time
from termforum.ui.styles import SCREENS_CSS
from termforum.ui.widgets.lists import ListPane

__all__ = ["NotificationsScreen", "describe"]

_VERBS = {
    "replied": "replied to you",
    "mentioned": "mentioned you",
    "group_mentioned": "mentioned your group",
    "quoted": "quoted you",
    "liked": "liked your post",
    "liked_consolidated": "liked your posts",
    "reaction": "reacted to your post",
    "edited": "edited your post",
    "posted": "posted",
    "watching_first_post": "opened a topic",
    "private_message": "sent you a message",
    "invited_to_private_message": "invited you to a message",
    "invited_to_topic": "invited you to a topic",
    "linked": "linked to your post",
    "moved_post": "moved your post",
    "granted_badge": "gave you a badge",
    "bookmark_reminder": "reminds you of a bookmark",
}


def describe(notification: Notification) -> Content:
    """One line saying who did what where, e.g. ``noor replied to you in "Rate limits"``
    (every server field as plain text)."""
    who = text(notification.actor or "someone", "bold")
    what = _VERBS.get(notification.kind, notification.kind.replace("_", " "))
    parts: list[Content | str] = [who, " ", what]
    if notification.topic_title:
        parts += [" in “", text(notification.topic_title), "”"]
    return Content.assemble(*parts)


class NotificationsScreen(ModalScreen[Notification | None]):
    """Notifications, newest first, unread ones marked; dismissed with the one to open."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="close_notifications"),
        Binding("a", "mark_all_read", "Mark all read", id="mark_all_read"),
    ]

    def __init__(
        self,
        notifications: list[Notification],
        *,
        on_mark_all: Callable[[], None] | None = None,
    ) -> None:
        super().__init__()
        self.notifications = notifications
        self._on_mark_all = on_mark_all

    def compose(self) -> ComposeResult:
        yield ListPane(id="notifications-box")

    def on_mount(self) -> None:
        box = self.query_one(OptionList)
        unread = sum(1 for note in self.notifications if not note.read)
        box.border_title = Content(
            f"Notifications · {unread} unread" if unread else "Notifications"
        )
        box.border_subtitle = Content("enter open · a mark all read · escape close")
        self._fill()
        box.focus()

    def _fill(self) -> None:
        box = self.query_one(OptionList)
        if not self.notifications:
            box.set_options([Option(Content.styled("No notifications.", "dim"), disabled=True)])
            return
        box.set_options(
            [Option(self._prompt(note), id=str(i)) for i, note in enumerate(self.notifications)]
        )
        box.highlighted = 0

    @staticmethod
    def _prompt(note: Notification) -> Content:
        mark = ("● ", "bold $accent") if not note.read else ("  ", "")
        where = f"  #{note.post_number}" if note.post_number else ""
        return Content.assemble(
            mark,
            describe(note) if not note.read else describe(note).stylize("dim"),
            (f"{where}  {relative_time(note.created_at)}", "dim"),
        )

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is None:
            return
        note = self.notifications[int(event.option.id)]
        if note.topic_id is None:
            self.notify("This notification points to no post.", markup=False, timeout=3)
            return
        self.dismiss(note)

    def action_mark_all_read(self) -> None:
        """Mark every notification read (here and on the forum)."""
        if self._on_mark_all is not None:
            self._on_mark_all()
        self.notifications = [replace(note, read=True) for note in self.notifications]
        self.query_one(OptionList).border_title = Content("Notifications")
        self._fill()

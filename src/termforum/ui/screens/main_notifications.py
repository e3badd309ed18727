"""The main screen's notifications: a quiet check every few minutes, the count in the header,
a toast when someone replies, mentions or likes, and the list (``i``).

A mixin of :class:`~termforum.ui.screens.main.MainScreen` (which provides ``service``,
``open_topic``, ``_update_title`` and ``_report``); kept apart so each file has one job.
One request per check (``GET /notifications.json``), sent as background work so the user's
own requests go first, and only when logged in and online: a few requests an hour against a
budget of 20 a minute.
"""

from __future__ import annotations

from dataclasses import replace

from textual import work
from textual.binding import Binding

from termforum.errors import ForumError
from termforum.models import Notification, Topic
from termforum.priority import background
from termforum.service import ConnectionState
from termforum.ui.bindings import key_for

__all__ = ["NOTIFICATIONS_EVERY", "NOTIFICATIONS_FIRST", "NotificationsMixin"]

NOTIFICATIONS_FIRST = 5.0
"""Seconds after start-up before the first check (the first screen's requests go first)."""
NOTIFICATIONS_EVERY = 120.0
"""Seconds between checks."""


class NotificationsMixin:
    """Notifications for the main screen."""

    _notifications: list[Notification]
    _notification_ids: set[str] | None
    unread_notifications: int

    def _start_notifications(self) -> None:
        """Check now and then (nothing is sent when not logged in or offline)."""
        self._notifications = []
        self._notification_ids = None
        self.unread_notifications = 0
        self.set_timer(NOTIFICATIONS_FIRST, self.check_notifications)
        self.set_interval(NOTIFICATIONS_EVERY, self.check_notifications)

    def _can_check_notifications(self) -> bool:
        service = self.service
        if not service.logged_in or service.offline or service.state is ConnectionState.OFFLINE:
            return False
        # While the forum asks us to wait (429) or the budget is spent, a check is not worth
        # a place in the queue: the next one comes soon enough.
        return self._requests_held_status() is None

    @work(exclusive=True, group="notifications", exit_on_error=False)
    async def check_notifications(self) -> None:
        """Ask the forum for notifications; say so when new ones came in since the last look."""
        if not self._can_check_notifications():
            return
        try:
            with background():
                notifications = await self.service.notifications()
        except ForumError:
            return  # a failed check is retried at the next; other requests report the forum
        fresh = self._take(notifications)
        if fresh:
            self._announce(fresh)

    def _take(self, notifications: list[Notification]) -> list[Notification]:
        """Keep ``notifications``; the unread ones not seen at the previous check (none the
        first time: what was there before start-up is not news)."""
        known = self._notification_ids
        fresh = [
            note
            for note in notifications
            if not note.read and known is not None and note.id not in known
        ]
        self._notifications = notifications
        self._notification_ids = {note.id for note in notifications}
        self.unread_notifications = sum(1 for note in notifications if not note.read)
        self._update_title()
        return fresh

    def _announce(self, fresh: list[Notification]) -> None:
        from termforum.ui.screens.notifications import describe

        more = f" (and {len(fresh) - 1} more)" if len(fresh) > 1 else ""
        key = self._notifications_key()
        self.notify(
            f"{describe(fresh[0]).plain}{more}. Press {key} to see it.",
            title="Notification",
            markup=False,
            timeout=10,
        )

    def _notifications_key(self) -> str:
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        return self.app.get_key_display(Binding(key_for("notifications", keymap), ""))

    def action_notifications(self) -> None:
        """List notifications (``i``): enter opens the post one points to."""
        if not self.service.logged_in:
            self.notify(
                f"Notifications are for members: press {self._login_key()} to log in.",
                markup=False,
                timeout=5,
            )
            return
        self.show_notifications()

    @work(exclusive=True, group="notifications", exit_on_error=False)
    async def show_notifications(self) -> None:
        """Fetch the notifications and show them."""
        from termforum.ui.screens.notifications import NotificationsScreen

        try:
            notifications = await self.service.notifications()
        except ForumError as error:
            self._report(error)
            return
        self._take(notifications)

        def chosen(note: Notification | None) -> None:
            if note is not None:
                self._open_notification(note)

        screen = NotificationsScreen(notifications, on_mark_all=self._mark_all_read)
        self.app.push_screen(screen, chosen)

    def _open_notification(self, note: Notification) -> None:
        """Open the post ``note`` points to, and mark it read."""
        if note.topic_id is None:
            return
        topic = Topic(
            id=note.topic_id,
            group_id=None,
            title=note.topic_title,
            author=None,
            posts_count=0,
            created_at=None,
            last_posted_at=None,
        )
        self.open_topic(topic, note.post_number)
        if not note.read:
            self._mark_read(note)

    @work(group="notifications-read", exit_on_error=False)
    async def _mark_read(self, note: Notification | None) -> None:
        """Tell the forum ``note`` (every one, when None) was seen; the count follows."""
        try:
            with background():
                await self.service.mark_notification_read(note)
        except ForumError as error:
            self._report(error)
            return
        self._notifications = [
            replace(item, read=True) if note is None or item.id == note.id else item
            for item in self._notifications
        ]
        self.unread_notifications = sum(1 for item in self._notifications if not item.read)
        self._update_title()

    def _mark_all_read(self) -> None:
        self._mark_read(None)

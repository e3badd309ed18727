"""The main screen's offline side: reconnecting by itself, and syncing for offline reading.

A mixin of :class:`~termforum.ui.screens.main.MainScreen` (which provides ``service``, the
panes and the loaders); kept apart so each file has one job.
"""

from __future__ import annotations

from textual import work
from textual.content import Content
from textual.widgets import Label, ProgressBar

from termforum.errors import ForumError
from termforum.plain import text

__all__ = ["RECONNECT_FIRST", "RECONNECT_MAX", "OfflineMixin"]

RECONNECT_FIRST = 5.0
"""Seconds before the first reconnection attempt after the forum became unreachable."""
RECONNECT_MAX = 60.0
"""The longest wait between reconnection attempts (the wait doubles up to it)."""


class OfflineMixin:
    """Offline reading and reconnection, for the main screen."""

    # ------------------------------------------------------------- offline

    def _went_offline(self, error: ForumError) -> None:
        """The forum cannot be reached: say so once and keep trying to reconnect."""
        self._update_title()
        if self.service.offline:
            return
        if self._reconnect_timer is None:
            self.notify(
                f"{text(error.message).plain} Reading offline from the cache; termforum "
                "reconnects by itself.",
                severity="warning",
                markup=False,
                timeout=8,
            )
            self._reconnect_delay = RECONNECT_FIRST
            self._reconnect_timer = self.set_timer(self._reconnect_delay, self._try_reconnect)

    def _try_reconnect(self) -> None:
        self._reconnect_timer = None
        self.reconnect()

    @work(exclusive=True, group="reconnect", exit_on_error=False)
    async def reconnect(self) -> None:
        """Ask the forum whether it answers again; reload what is shown when it does."""
        if await self.service.probe():
            self._reconnect_delay = RECONNECT_FIRST
            self._update_title()
            self.notify(f"{self.service.name} is back online.", markup=False, timeout=5)
            self.load_start(refresh=True)
            if self.reading and self._topic is not None:
                self.refresh_topic()
            return
        self._reconnect_delay = min(self._reconnect_delay * 2, RECONNECT_MAX)
        self._reconnect_timer = self.set_timer(self._reconnect_delay, self._try_reconnect)

    # ------------------------------------------------------------------ held requests

    def _watch_request_policy(self) -> None:
        """Show a countdown in the header while the forum's request policy holds requests
        back (a 429 pause, or pacing to stay within the forum's limits)."""
        if self.service.policy is not None:
            self.service.policy.listen(self._requests_held)

    def _unwatch_request_policy(self) -> None:
        if self.service.policy is not None:
            self.service.policy.unlisten(self._requests_held)

    def _requests_held_status(self) -> str | None:
        """The header's words for held requests, e.g. "pacing 12 s"; None."""
        policy = self.service.policy
        status = policy.status() if policy is not None else None
        return status.describe() if status is not None else None

    def _requests_held(self) -> None:
        self._update_title()
        if self._hold_timer is None and self._requests_held_status() is not None:
            self._hold_timer = self.set_interval(1.0, self._tick_held)

    def _tick_held(self) -> None:
        """Once a second while requests are held: the countdown; stops when they go."""
        self._update_title()
        if self._requests_held_status() is None and self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None

    # ------------------------------------------------------------------ offline reading

    @work(exclusive=True, group="sync", exit_on_error=False)
    async def sync_for_offline(self, *, every_group: bool = False) -> None:
        """Download the current group (or every group) for offline reading, with a progress
        bar at the bottom; the user's own requests keep priority."""
        from termforum.sync import SyncProgress, sync_groups

        groups = list(self.groups_pane.groups)
        if not every_group and self.group is not None:
            groups = [self.group]
        if not groups:
            self.notify("No groups to sync yet.", markup=False)
            return
        label = self.query_one("#sync-label", Label)
        bar = self.query_one("#sync-progress", ProgressBar)
        where = "every group" if every_group or self.group is None else text(self.group.name).plain
        label.update(Content(f"Syncing {where} for offline reading "))
        bar.update(total=None, progress=0)
        self.add_class("-syncing")

        def progress(state: SyncProgress) -> None:
            bar.update(total=max(state.topics_total, 1), progress=state.topics_done)

        try:
            done = await sync_groups(self.service, groups, progress=progress)
        except ForumError as error:
            self._report(error)
            return
        finally:
            self.remove_class("-syncing")
        self.notify(
            f"{done.topics_done} topics of {where} can be read offline ({done.posts} posts "
            f"downloaded, {done.skipped} topics already up to date).",
            markup=False,
            timeout=6,
        )

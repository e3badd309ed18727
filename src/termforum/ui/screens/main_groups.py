"""The main screen's group side: folds remembered between runs, and a group's notification
level changed from the group list (``w``).

A mixin of :class:`~termforum.ui.screens.main.MainScreen` (which provides ``service``,
``group``, ``groups_pane``, ``load_topics``, ``_report``, ``_login_refusal`` and
``_login_key``); kept apart so each file has one job. The chooser screen is imported when
first used, so start-up does not pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from termforum.errors import ForumError
from termforum.models import Group
from termforum.plain import text
from termforum.ui.widgets.group_list import GroupList

if TYPE_CHECKING:
    from termforum.state import AppState

__all__ = ["GroupsMixin"]

_DONE: dict[str, str] = {
    "watching": "Watching {name}: you are notified of every new post there.",
    "watching_first_post": "Watching the first posts of {name}: you are notified of new topics.",
    "tracking": "Tracking {name}: new replies there are counted.",
    "normal": "{name} is back to normal notifications.",
    "muted": "Muted {name}: its topics are left out of All groups.",
}
"""What is said once the forum took a new level."""


class GroupsMixin:
    """Folding and notification levels of groups, for the main screen."""

    def _restore_group_folds(self) -> None:
        """Fold the groups that were folded when this forum was last open."""
        state: AppState | None = getattr(self.app, "state", None)
        if state is not None:
            self.groups_pane.folded = state.folded_groups.get(self.service.name, ())

    def on_group_list_fold_changed(self, event: GroupList.FoldChanged) -> None:
        """Remember the folds (``state.toml`` is written when termforum quits)."""
        state: AppState | None = getattr(self.app, "state", None)
        if state is None:
            return
        if event.folded:
            state.folded_groups[self.service.name] = sorted(event.folded)
        else:
            state.folded_groups.pop(self.service.name, None)

    def on_group_list_level_wanted(self, event: GroupList.LevelWanted) -> None:
        """Offer the levels for a group (logged in), or say how to log in."""
        if not self._can_set_group_levels():
            return
        from termforum.ui.screens.group_level import GroupLevelScreen  # when first used

        group = event.group

        def chosen(level: str | None) -> None:
            if level is not None and level != group.notification_level:
                self.change_group_level(group, level)

        self.app.push_screen(GroupLevelScreen(group), chosen)

    def _can_set_group_levels(self) -> bool:
        """True when logged in to a forum that keeps levels per group; else say why not."""
        if "group_levels" in self.service.capabilities:
            return True
        what = "change how a group notifies you"
        if self.service.logged_in:
            self.notify(f"This forum does not let termforum {what}.", markup=False)
            return False
        refusal = self._login_refusal()
        if refusal is None:
            key = self._login_key()
            sentence = f"To {what}, press {key} to log in (you are reading anonymously)."
        else:
            sentence = f"To {what}, you need an account here. {refusal}"
        self.notify(sentence, severity="warning", markup=False)
        return False

    @work(exclusive=True, group="group-level", exit_on_error=False)
    async def change_group_level(self, group: Group, level: str) -> None:
        """Ask the forum for the new level; on success show it and reload the topic list
        when it lists this group's topics among others (all groups, or its parent)."""
        try:
            updated = await self.service.set_group_level(group, level)
        except ForumError as error:
            self._report(error)
            return
        self.groups_pane.update_group(updated)
        self.notify(_DONE[level].format(name=text(updated.name).plain), markup=False)
        shown = self.group
        if shown is None or shown.id == group.parent_id:
            self._next_page = 0
            self.load_topics(refresh=True)

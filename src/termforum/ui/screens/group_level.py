"""A small chooser for a group's notification level (imported when first used)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termforum.models import GROUP_LEVELS, Group
from termforum.plain import text
from termforum.ui.styles import SCREENS_CSS
from termforum.ui.widgets.group_list import LEVEL_MARKS

__all__ = ["LEVEL_CHOICES", "GroupLevelScreen"]

LEVEL_CHOICES: dict[str, tuple[str, str]] = {
    "watching": ("Watching", "Notified of every new post here; new replies are counted."),
    "watching_first_post": (
        "Watching first post",
        "Notified of the first post of each new topic here.",
    ),
    "tracking": ("Tracking", "New replies counted; notified of mentions and replies to you."),
    "normal": ("Normal", "Notified only of mentions and replies to you."),
    "muted": ("Muted", "Never notified; its topics are left out of All groups."),
}
"""Each level's name and what it does, as the chooser shows them."""


class GroupLevelScreen(ModalScreen[str | None]):
    """The levels with what each does, the group's current one marked; enter picks one,
    escape leaves it as it is (``None``)."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="close_group_level"),
        Binding("j", "move(1)", "Down", show=False),
        Binding("k", "move(-1)", "Up", show=False),
    ]

    def __init__(self, group: Group) -> None:
        super().__init__()
        self.group = group

    def compose(self) -> ComposeResult:
        yield OptionList(*self._options(), id="group-level-box")

    def _options(self) -> list[Option]:
        current = self.group.notification_level
        options = []
        for level in GROUP_LEVELS:
            name, does = LEVEL_CHOICES[level]
            mark, style = LEVEL_MARKS.get(level, (" ", ""))
            chosen = level == current
            options.append(
                Option(
                    Content.assemble(
                        ("✓ " if chosen else "  ", "$success"),
                        (mark, style),
                        " ",
                        (name, "bold"),
                        ("  (now)" if chosen else "", "dim"),
                        "\n    ",
                        (does, "dim"),
                    ),
                    id=level,
                )
            )
        return options

    def on_mount(self) -> None:
        box = self.query_one(OptionList)
        box.border_title = Content.assemble("Notifications for ", text(self.group.name, "bold"))
        box.border_subtitle = Content("enter choose · escape close")
        current = self.group.notification_level
        box.highlighted = GROUP_LEVELS.index(current) if current in GROUP_LEVELS else 0
        box.focus()

    def action_move(self, step: int) -> None:
        """Move the highlight (``j``/``k``, as in the lists)."""
        box = self.query_one(OptionList)
        box.action_cursor_down() if step > 0 else box.action_cursor_up()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

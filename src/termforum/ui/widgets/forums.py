"""The forums list: every forum termforum knows, who you are there, and which one is open.

It sits above the group list. Choosing a forum posts ``ForumList.Chosen``; the screen asks the
app to switch. Forum names come from the config or a stored login's host and user names from
the forum: both reach the screen as plain-text ``Content``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termforum.config import ForumConfig
from termforum.plain import text
from termforum.ui.widgets.lists import ListPane
from termforum.ui.widgets.rows import Rows

__all__ = ["ForumEntry", "ForumList"]


@dataclass(frozen=True, slots=True)
class ForumEntry:
    """One row of the forums list."""

    forum: ForumConfig
    username: str | None
    """Who termforum speaks as there (``None``: anonymous)."""
    current: bool = False
    """Whether this is the forum on screen."""


class ForumList(ListPane):
    """One row per known forum: its name and your user there (or "anonymous")."""

    @dataclass
    class Chosen(Message):
        """The user picked a forum."""

        entry: ForumEntry

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._entries: list[ForumEntry] = []

    @property
    def entries(self) -> list[ForumEntry]:
        """The rows shown, in order."""
        return list(self._entries)

    def set_forums(self, entries: Iterable[ForumEntry]) -> None:
        """Show ``entries``, keeping the highlight on the current forum."""
        self._entries = list(entries)
        self.set_options(
            [Option(self._prompt(entry), id=str(i)) for i, entry in enumerate(self._entries)]
        )
        current = next((i for i, entry in enumerate(self._entries) if entry.current), 0)
        if self._entries:
            self.highlighted = current

    @staticmethod
    def _prompt(entry: ForumEntry) -> Rows:
        marker = ("● ", "$accent") if entry.current else "  "
        name = Content.assemble(marker, text(entry.forum.name, "bold" if entry.current else ""))
        who = text(entry.username, "$text-secondary") if entry.username else None
        return Rows([(name, who or Content.styled("anonymous", "dim"))])

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Chosen(self._entries[int(event.option.id)]))

"""The group list: groups as a tree (subgroups under their parents, foldable), each with its
topic count and, for a logged-in reader, a mark for its notification level.

Line-based (an ``OptionList``, never a widget per row). Folding only changes which options
exist; the pane says what changed with messages (``Selected``, ``FoldChanged``,
``LevelWanted``) and the screen routes them. Server text reaches the screen only as plain
``Content`` built by ``termforum.plain.text``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termforum.models import Group
from termforum.plain import text
from termforum.ui.bindings import GROUP_LIST_BINDINGS, LIST_BINDINGS
from termforum.ui.widgets.rows import Rows

__all__ = ["ALL_GROUPS", "LEVEL_MARKS", "GroupList"]

ALL_GROUPS = "__all__"
"""Option id of the "All groups" entry."""

FOLDED, UNFOLDED = "▸ ", "▾ "
"""Fold markers of a group with subgroups."""

LEVEL_MARKS: dict[str, tuple[str, str]] = {
    "watching": ("◉", "$accent"),
    "watching_first_post": ("◎", "$accent"),
    "tracking": ("○", "$secondary"),
    "muted": ("⊘", "$text-muted"),
}
"""The mark (and its style) of each notification level shown in the list; "normal" and an
unknown level have none."""


class GroupList(OptionList, inherit_bindings=False):
    """The groups of a forum as a foldable tree, with topic counts and level marks."""

    BINDINGS: list[Binding] = [*LIST_BINDINGS, *GROUP_LIST_BINDINGS]  # type: ignore[assignment]

    @dataclass
    class Selected(Message):
        """The user opened a group (``group`` is ``None`` for "All groups")."""

        group: Group | None

    @dataclass
    class FoldChanged(Message):
        """Groups were folded or unfolded; ``folded``: every group folded now."""

        folded: frozenset[str]

    @dataclass
    class LevelWanted(Message):
        """The user asked to change the notification level of ``group``."""

        group: Group

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._groups: dict[str, Group] = {}
        self._children: dict[str, list[str]] = {}
        self._depth: dict[str, int] = {}
        self._folded: set[str] = set()

    # ------------------------------------------------------------------ contents

    @property
    def groups(self) -> list[Group]:
        """Every group (shown or folded away), in order."""
        return list(self._groups.values())

    @property
    def folded(self) -> frozenset[str]:
        """Ids of the groups whose subgroups are folded away."""
        return frozenset(self._folded)

    @folded.setter
    def folded(self, group_ids: Iterable[str]) -> None:
        self._folded = set(group_ids)
        if self._groups:
            self._rebuild()

    def set_groups(self, groups: Iterable[Group], *, select: str | None = None) -> None:
        """Show ``groups`` (parents before their subgroups); keep the highlight on ``select``
        (a group id), or on the nearest shown group above it when it is folded away."""
        groups = list(groups)
        self._groups = {group.id: group for group in groups}
        self._children = {}
        for group in groups:
            if group.parent_id in self._groups:
                self._children.setdefault(group.parent_id, []).append(group.id)
        self._depth = {}
        for group in groups:
            parent = self._groups.get(group.parent_id or "")
            self._depth[group.id] = self._depth.get(parent.id, 0) + 1 if parent else 0
        self._rebuild(select if select in self._groups else ALL_GROUPS)

    def update_group(self, group: Group) -> None:
        """Show ``group`` as it is now (a new notification level), in place."""
        if group.id not in self._groups:
            return
        self._groups[group.id] = group
        if self._children.get(group.id):
            self._rebuild()  # its subgroups may be muted (or not) with it
        elif self._shown(group.id):
            self.replace_option_prompt(group.id, self._prompt(group))

    def is_muted(self, group: Group) -> bool:
        """Whether the forum leaves ``group`` out: muted itself, or a subgroup left at the
        normal level under a muted group (Discourse mutes those too; the forum's lists do
        not say whether "normal" was chosen or is the default, so it counts as the default)."""
        while group.notification_level in ("normal", "muted"):
            if group.notification_level == "muted":
                return True
            parent = self._groups.get(group.parent_id or "")
            if parent is None:
                return False
            group = parent
        return False

    def group(self, option_id: str | None) -> Group | None:
        """The group behind an option id (``None`` for "All groups")."""
        return self._groups.get(option_id or "")

    @property
    def highlighted_group(self) -> Group | None:
        """The highlighted group (``None`` on "All groups" or when empty)."""
        option = self.highlighted_option
        return self.group(option.id) if option is not None else None

    def _shown(self, group_id: str) -> bool:
        """Whether no parent of the group is folded."""
        parent = self._groups[group_id].parent_id
        while parent in self._groups:
            if parent in self._folded:
                return False
            parent = self._groups[parent].parent_id
        return True

    def _rebuild(self, target: str | None = None) -> None:
        """Make the options again; the highlight goes to ``target`` (default: where it is),
        or to its nearest shown parent."""
        if target is None:
            option = self.highlighted_option
            target = option.id if option is not None else ALL_GROUPS
        options = [Option(Content.styled("All groups", "bold"), id=ALL_GROUPS)]
        options.extend(
            Option(self._prompt(group), id=group.id)
            for group in self._groups.values()
            if self._shown(group.id)
        )
        self.set_options(options)
        while target in self._groups and not self._shown(target):
            target = self._groups[target].parent_id or ALL_GROUPS
        self.highlighted = self.get_option_index(target or ALL_GROUPS)

    def _prompt(self, group: Group) -> Rows:
        """One row: tree guide or fold marker, the name, then the level mark and count."""
        depth = self._depth.get(group.id, 0)
        children = self._children.get(group.id, ())
        guide = ""
        if depth:
            siblings = self._children.get(group.parent_id or "", [])
            last = bool(siblings) and siblings[-1] == group.id
            guide = "  " * (depth - 1) + ("└ " if last else "├ ")
        if children:
            marker: tuple[str, str] | str = (FOLDED if group.id in self._folded else UNFOLDED, "")
        else:
            marker = "" if depth else "  "
        name = text(group.name, "dim" if self.is_muted(group) else "")
        left = Content.assemble((guide, "dim"), marker, name)
        right: list[tuple[str, str] | str] = []
        mark = LEVEL_MARKS.get(group.notification_level or "")
        if mark is not None:
            right += [mark, " "]
        if group.topic_count is not None:
            right.append((str(group.topic_count), "dim"))
        return Rows([(left, Content.assemble(*right).rstrip())])

    # ------------------------------------------------------------------ folding

    def _fold(self, group_ids: Iterable[str], fold: bool) -> None:
        before = set(self._folded)
        for group_id in group_ids:
            if group_id in self._children:
                (self._folded.add if fold else self._folded.discard)(group_id)
        if self._folded != before:
            self._rebuild()
            self.post_message(self.FoldChanged(frozenset(self._folded)))

    def action_toggle_fold(self) -> None:
        """Fold or unfold the subgroups of the highlighted group (or of its parent)."""
        group = self.highlighted_group
        if group is None:
            return
        if group.id not in self._children and group.parent_id in self._groups:
            group = self._groups[group.parent_id]
        self._fold([group.id], group.id not in self._folded)

    def action_toggle_all_folds(self) -> None:
        """Fold every group with subgroups, or unfold them all when all are folded."""
        parents = list(self._children)
        self._fold(parents, not set(parents) <= self._folded)

    def action_fold(self) -> None:
        """Like a tree: fold an unfolded group, else go up to its parent."""
        group = self.highlighted_group
        if group is None:
            return
        if group.id in self._children and group.id not in self._folded:
            self._fold([group.id], True)
        elif group.parent_id in self._groups:
            self.highlighted = self.get_option_index(group.parent_id)  # type: ignore[arg-type]

    def action_unfold(self) -> None:
        """Like a tree: unfold a folded group, else go down to its first subgroup."""
        group = self.highlighted_group
        if group is None or group.id not in self._children:
            return
        if group.id in self._folded:
            self._fold([group.id], False)
        else:
            self.highlighted = self.get_option_index(self._children[group.id][0])

    # ------------------------------------------------------------------ messages

    def action_group_level(self) -> None:
        """Ask to change the highlighted group's notification level."""
        group = self.highlighted_group
        if group is not None:
            self.post_message(self.LevelWanted(group))
        else:
            self.notify("Choose a group first: levels belong to groups.", markup=False)

    @on(OptionList.OptionSelected)
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Selected(self.group(event.option.id)))

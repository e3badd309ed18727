"""Every key binding of termforum, each with an id a ``[keymap]`` entry can remap.

Widgets take their ``BINDINGS`` from here so that the help screen, the keymap validation and
the documentation all read one list. Default keys follow Discourse's own keyboard shortcuts
where they exist (``j``/``k``, ``g``/``G``, ``/``, ``?``, ``u``), plus the arrows.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding

__all__ = [
    "APP_BINDINGS",
    "COMPOSER_BINDINGS",
    "BINDING_GROUPS",
    "GROUP_LIST_BINDINGS",
    "LAYOUT_BINDINGS",
    "LINK_BINDINGS",
    "LIST_BINDINGS",
    "LOGIN_BINDINGS",
    "READER_BINDINGS",
    "SCREEN_BINDINGS",
    "BindingGroup",
    "binding_ids",
    "key_for",
    "keymap_clashes",
]


@dataclass(frozen=True)
class BindingGroup:
    """A titled set of bindings, as shown on the help screen."""

    title: str
    bindings: tuple[Binding, ...]


APP_BINDINGS: tuple[Binding, ...] = (
    Binding("ctrl+q", "quit", "Quit", id="quit", priority=True),
    Binding("question_mark", "help", "Help", id="help"),
    Binding("ctrl+p", "command_palette", "Commands", id="command_palette", show=False),
)

SCREEN_BINDINGS: tuple[Binding, ...] = (
    Binding("tab", "focus_next_pane", "Next pane", id="next_pane", show=False),
    Binding("shift+tab", "focus_previous_pane", "Previous pane", id="previous_pane", show=False),
    Binding("u,escape", "back", "Back", id="back", key_display="u"),
    Binding("q", "back_or_quit", "Back/quit", id="back_or_quit", show=False),
    Binding("slash", "search", "Search", id="search"),
    Binding("v", "cycle_view", "View", id="cycle_view"),
    Binding("V", "choose_view", "Choose view", id="choose_view", show=False),
    Binding(
        "number_sign", "filter_tag", "Tag filter", id="filter_tag", key_display="#", show=False
    ),
    Binding("ctrl+r", "refresh", "Refresh", id="refresh"),
    Binding("c", "new_topic", "New topic", id="new_topic"),
    Binding("D", "drafts", "Drafts", id="drafts", show=False),
    Binding("L", "login", "Log in", id="login", show=False),
    Binding("i", "notifications", "Notifications", id="notifications", show=False),
    Binding("m", "mark_read", "Mark read", id="mark_read", show=False),
)

LAYOUT_BINDINGS: tuple[Binding, ...] = (
    Binding("backslash", "toggle_compact", "Compact layout", id="toggle_compact", show=False),
    Binding("less_than_sign", "narrow_groups", "Narrower groups", id="narrow_groups", show=False),
    Binding("greater_than_sign", "widen_groups", "Wider groups", id="widen_groups", show=False),
    Binding("left_curly_bracket", "shrink_list", "Topics narrower", id="shrink_list", show=False),
    Binding("right_curly_bracket", "grow_list", "Topics wider", id="grow_list", show=False),
)
"""The main screen's layout: the compact toggle and the pane split (remembered in state.toml)."""

LIST_BINDINGS: tuple[Binding, ...] = (
    Binding("j,down", "cursor_down", "Down", id="cursor_down", show=False),
    Binding("k,up", "cursor_up", "Up", id="cursor_up", show=False),
    Binding("enter,o", "select", "Open", id="open", key_display="enter"),
    Binding("g,home", "first", "First", id="first", show=False),
    Binding("G,end", "last", "Last", id="last", show=False),
    Binding("space,pagedown", "page_down", "Page down", id="page_down", show=False),
    Binding("pageup", "page_up", "Page up", id="page_up", show=False),
    Binding("U", "screen.user_card", "Author's card", id="user_card", show=False),
)

GROUP_LIST_BINDINGS: tuple[Binding, ...] = (
    Binding("z", "toggle_fold", "Fold/unfold subgroups", id="toggle_group_fold", show=False),
    Binding("Z", "toggle_all_folds", "Fold/unfold all", id="toggle_all_group_folds", show=False),
    Binding("left", "fold", "Fold, or go to parent", id="fold_group", show=False),
    Binding("right", "unfold", "Unfold, or go to subgroup", id="unfold_group", show=False),
    Binding("w", "group_level", "Watch/mute", id="group_level"),
)
"""Keys of the group list only (on top of ``LIST_BINDINGS``): subgroups fold under their
parent like a tree, and ``w`` changes how the forum notifies you about a group. Not ``h``/``l``:
a common ``[keymap]`` gives them to back and open (ranger-style), in the same scope."""

READER_BINDINGS: tuple[Binding, ...] = (
    Binding("j,down", "next_post", "Next post", id="cursor_down", key_display="j"),
    Binding("k,up", "previous_post", "Previous post", id="cursor_up", key_display="k"),
    Binding("g,home", "first_post", "First post", id="first", show=False),
    Binding("G,end", "last_post", "Last post", id="last", show=False),
    Binding("space,pagedown", "page_down", "Page", id="page_down", key_display="space"),
    Binding("pageup", "page_up", "Page up", id="page_up", show=False),
    Binding("r", "screen.reply", "Reply", id="reply"),
    Binding("R", "screen.reply_topic", "Reply to topic", id="reply_topic", show=False),
    Binding("Q", "screen.quote_reply", "Quote", id="quote_reply", show=False),
    Binding("e", "screen.edit_post", "Edit", id="edit_post", show=False),
    Binding("l", "screen.like", "Like", id="like", show=False),
    Binding("b", "screen.bookmark", "Bookmark", id="bookmark", show=False),
    Binding("o", "screen.links", "Links", id="links"),
    Binding("U", "screen.user_card", "Author's card", id="user_card", show=False),
    Binding("s", "reveal", "Show hidden", id="reveal", show=False),
    Binding("t", "toggle_tree", "Tree", id="toggle_tree"),
    Binding("z", "toggle_branch", "Fold branch", id="toggle_branch", show=False),
    Binding("Z", "toggle_all_branches", "Fold all", id="toggle_all_branches", show=False),
    Binding("p", "parent_post", "Post answered", id="parent_post", show=False),
    Binding("J", "next_sibling", "Next reply to same", id="next_sibling", show=False),
    Binding("K", "previous_sibling", "Previous reply to same", id="previous_sibling", show=False),
    Binding("n", "next_unread", "Next new", id="next_unread"),
)

COMPOSER_BINDINGS: tuple[Binding, ...] = (
    Binding("ctrl+s", "send", "Send", id="send", priority=True),
    Binding("ctrl+e", "external_editor", "$EDITOR", id="external_editor", priority=True),
    Binding("ctrl+t", "toggle_preview", "Preview", id="toggle_preview", priority=True),
    Binding("escape", "close", "Close (keeps draft)", id="close_composer"),
)

LOGIN_BINDINGS: tuple[Binding, ...] = (
    Binding("ctrl+s", "submit", "Log in", id="login_submit", priority=True),
    Binding("ctrl+l", "copy_address", "Copy address", id="login_copy", priority=True),
    Binding("ctrl+o", "open_browser", "Open in browser", id="login_browser", priority=True),
    Binding("ctrl+n", "new_address", "New address", id="login_new_address", priority=True),
    Binding("escape", "cancel", "Cancel", id="login_cancel"),
)

LINK_BINDINGS: tuple[Binding, ...] = (
    Binding("enter", "open_link", "Open", id="link_open", priority=True),
    Binding("c", "copy_link", "Copy address", id="link_copy"),
    Binding("escape,q", "close", "Close", id="link_close"),
)

BINDING_GROUPS: tuple[BindingGroup, ...] = (
    BindingGroup("Everywhere", APP_BINDINGS + SCREEN_BINDINGS),
    BindingGroup("Layout", LAYOUT_BINDINGS),
    BindingGroup("Group and topic lists", LIST_BINDINGS),
    BindingGroup("Group list", GROUP_LIST_BINDINGS),
    BindingGroup("Reading a topic", READER_BINDINGS),
    BindingGroup("Writing", COMPOSER_BINDINGS),
    BindingGroup("Links of a post", LINK_BINDINGS),
    BindingGroup("Logging in", LOGIN_BINDINGS),
)


def binding_ids() -> frozenset[str]:
    """Every binding id a ``[keymap]`` entry may name."""
    return frozenset(
        binding.id for group in BINDING_GROUPS for binding in group.bindings if binding.id
    )


def key_for(binding_id: str, keymap: dict[str, str]) -> str:
    """The first key that runs binding ``binding_id`` after the user's ``keymap`` (Textual's
    key name, e.g. ``"t"`` or ``"ctrl+s"``); turn it into a label with ``App.get_key_display``."""
    if binding_id in keymap:
        return keymap[binding_id].split(",")[0].strip()
    for group in BINDING_GROUPS:
        for binding in group.bindings:
            if binding.id == binding_id:
                return binding.key.split(",")[0].strip()
    raise KeyError(binding_id)


_SCOPES: tuple[tuple[str, tuple[Binding, ...]], ...] = (
    ("in the lists", APP_BINDINGS + SCREEN_BINDINGS + LAYOUT_BINDINGS + LIST_BINDINGS),
    (
        "in the group list",
        APP_BINDINGS + SCREEN_BINDINGS + LAYOUT_BINDINGS + LIST_BINDINGS + GROUP_LIST_BINDINGS,
    ),
    (
        "while reading a topic",
        APP_BINDINGS + SCREEN_BINDINGS + LAYOUT_BINDINGS + READER_BINDINGS,
    ),
    ("while writing", APP_BINDINGS + COMPOSER_BINDINGS),
    ("in the links of a post", APP_BINDINGS + LINK_BINDINGS),
    ("while logging in", APP_BINDINGS + LOGIN_BINDINGS),
)
"""Bindings that are active together: one key may run only one of them in each."""


def keymap_clashes(keymap: dict[str, str]) -> list[str]:
    """Sentences naming each key that ``keymap`` gives to two bindings active together
    (only one of them could ever run); empty when there is none."""
    clashes: list[str] = []
    for scope, bindings in _SCOPES:
        owners: dict[str, str] = {}
        for binding in bindings:
            binding_id = binding.id or binding.action
            for key in keymap.get(binding_id, binding.key).split(","):
                owner = owners.setdefault(key.strip(), binding_id)
                if owner != binding_id:
                    clashes.append(
                        f'[keymap] puts "{key.strip()}" on both {owner} and {binding_id} '
                        f"{scope}; give one of them another key."
                    )
    return list(dict.fromkeys(clashes))

"""Command palette entries: views, groups, forums, logging in, search, refresh and help.

Entry names hold server text (group and forum names, user names). Textual's palette parses a
``str`` prompt or help text as markup, so prompts are passed as plain ``Content`` and help
texts never hold server text.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from termforum.models import Group
from termforum.plain import text
from termforum.views import available, describe_view, view_choices

__all__ = ["ForumCommands"]


class ForumCommands(Provider):
    """Commands of the main screen, plus one "Go to group" entry per group and one "Switch
    to forum" entry per other known forum."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from termforum.ui.screens.main import MainScreen

        screen = self.screen
        if not isinstance(screen, MainScreen):
            return []
        commands: list[tuple[str, Callable[[], object], str]] = [
            ("Search the forum", screen.action_search, "Full-text search (/)"),
            ("Refresh", screen.action_refresh, "Reload the focused pane (ctrl+r)"),
            ("Show keys", self.app.action_help, "Every key binding (?)"),
            ("All groups", partial(screen.show_group, None), "Topics of every group"),
            ("Drafts", screen.action_drafts, "Unsent drafts: resume or discard (D)"),
            ("New topic", screen.action_new_topic, "Start a topic in this group (c)"),
            (
                "Sync this group for offline reading",
                screen.sync_for_offline,
                "Download its latest topics and their posts into the cache",
            ),
            (
                "Sync every group for offline reading",
                partial(screen.sync_for_offline, every_group=True),
                "Download the latest topics of every group (takes a while)",
            ),
            (
                f"Log in to {text(screen.forum.name).plain}…",
                screen.action_login,
                "Log in with your forum account (L)",
            ),
        ]
        for view, period in view_choices():
            if available(view, logged_in=screen.service.logged_in):
                name = describe_view(view, period)
                commands.append((f"View: {name}", partial(screen.set_view, view, period), ""))
        commands.append(("Filter by tag…", screen.action_filter_tag, "Only topics with a tag (#)"))
        groups: list[Group] = screen.groups_pane.groups
        for group in groups:
            name = text(group.name).plain
            commands.append((f"Go to group: {name}", partial(screen.show_group, group), ""))
        for entry in screen.forums_pane.entries:
            if not entry.current:
                name = text(entry.forum.name).plain
                who = text(entry.username).plain if entry.username else "anonymous"
                switch = partial(screen.switch_forum, entry.forum)
                commands.append((f"Switch to forum: {name} (as {who})", switch, ""))
        return commands

    async def discover(self) -> Hits:
        """Offer the main commands before anything is typed."""
        for name, callback, help_text in self._commands()[:8]:
            yield DiscoveryHit(Content(name), callback, text=name, help=help_text or None)

    async def search(self, query: str) -> Hits:
        """Commands whose name matches ``query``."""
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, _highlight(matcher, name), callback, text=name, help=help_text or None
                )


def _highlight(matcher: Matcher, candidate: str) -> Content:
    """``Matcher.highlight`` for plain text: the candidate is never parsed as markup."""
    content = Content(candidate)
    _score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    for offset in offsets:
        if not candidate[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content

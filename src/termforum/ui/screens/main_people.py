"""The main screen's member cards (``U``): the author of the post under the cursor in the
reader, or of the highlighted topic in the topic list.

A mixin of :class:`~termforum.ui.screens.main.MainScreen` (which provides ``service``,
``reader``, ``topics_pane`` and ``open_topic``); kept apart so each file has one job. The
card screen is imported when first opened, so start-up does not load it.
"""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TYPE_CHECKING

from termforum.models import Topic, User

if TYPE_CHECKING:
    from termforum.service import Snapshot

__all__ = ["PeopleMixin"]


class PeopleMixin:
    """Member cards for the main screen."""

    def _card_author(self) -> tuple[str | None, str]:
        """The username whose card ``U`` opens here, or None and a sentence saying why not."""
        if self.reader.has_focus:
            post = self.reader.selected_post
            if post is None:
                return None, "Move to a post first: U shows its author's card."
            return post.author or None, "This post names no author."
        if self.topics_pane.has_focus:
            option = self.topics_pane.highlighted_option
            topic = self.topics_pane.topic(option.id if option else None)
            if topic is None:
                return None, "Move to a topic first: U shows its author's card."
            if not topic.author:
                return None, "This list does not say who started the topic; open it and press U."
            return topic.author, ""
        return None, "Move to a post or a topic: U shows its author's card."

    def action_user_card(self) -> None:
        """Show the card of the selected post's (or topic's) author (``U``)."""
        from termforum.ui.screens.user_card import UserCardScreen

        username, why_not = self._card_author()
        if username is None:
            self.notify(why_not, markup=False, timeout=4)
            return
        if "users" not in self.service.capabilities:
            self.notify("This forum does not show member cards.", markup=False, timeout=4)
            return

        def chosen(topic: Topic | None) -> None:
            if topic is not None:
                self.open_topic(topic)

        def load() -> Awaitable[Snapshot[User]]:
            return self.service.user(username)

        self.app.push_screen(UserCardScreen(username, load), chosen)

"""What the composer is asked to write, built by the main screen from the selection.

Apart from ``composer.py`` so that the main screen can describe a reply without loading the
composer (its editor widgets) before someone starts writing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.content import Content

from termforum.models import Group, Post, Topic

if TYPE_CHECKING:
    from termforum.drafts import DraftKey

__all__ = ["ComposerRequest", "quote_block"]


@dataclass
class ComposerRequest:
    """What to compose: built by the main screen from the selection."""

    key: DraftKey
    heading: Content
    """One line saying what is being written (reply to whom, in which topic)."""
    body: str = ""
    title: str = ""
    tags: tuple[str, ...] = ()
    groups: list[Group] = field(default_factory=list)
    """Groups a new topic can go to (``key.group_id`` is preselected)."""
    topic: Topic | None = None
    editing: Post | None = None


def quote_block(post: Post, topic_id: str, raw: str) -> str:
    """Discourse's quote form of ``raw`` (the quoted post's Markdown), ready to answer below."""
    body = raw.strip()
    return f'[quote="{post.author}, post:{post.number}, topic:{topic_id}"]\n{body}\n[/quote]\n\n'

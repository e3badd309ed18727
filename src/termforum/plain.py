"""Server text as plain-text Textual ``Content``: never parsed as markup, always cleaned.

Titles, usernames, tags, error pages — any one-off string from a server that is not a post
body (those go through :mod:`termforum.render`) reaches the screen through these two.
"""

from __future__ import annotations

from textual.content import Content

from termforum.sanitize import clean_line, clean_text

__all__ = ["body_text", "text"]


def text(value: str, style: str = "") -> Content:
    """A one-line server field (title, username, tag…) as safe Content.

    :func:`~termforum.sanitize.clean_line` is applied; the value is never parsed as markup.
    """
    return Content.styled(clean_line(value), style) if style else Content(clean_line(value))


def body_text(value: str, style: str = "") -> Content:
    """Multi-line server text (a bio, an error page) as safe Content; never markup."""
    return Content.styled(clean_text(value), style) if style else Content(clean_text(value))

"""The pre-flight check before a post is sent: what a careful member would fix first.

Groups reward good questions: a clear title, a body that says something, and a look at what
already answers it. ``check_post`` lists what to fix, one plain sentence each; the composer
shows the list and asks for confirmation, and the user can always go ahead.
"""

from __future__ import annotations

from dataclasses import dataclass

from termforum.models import PostLimits

__all__ = ["PostCheck", "check_post"]


@dataclass(frozen=True, slots=True)
class PostCheck:
    """What the composer knows when the user asks to send."""

    body: str
    title: str | None = None
    """The title of a new topic (``None`` for replies and edits)."""
    similar_shown: int = 0
    """How many similar topics were listed while composing."""
    similar_opened: int = 0
    """How many of them the user opened."""
    first_post: bool = False
    """True for a new topic's opening post (its minimum length may differ)."""


def _mostly_capitals(text: str) -> bool:
    letters = [char for char in text if char.isalpha()]
    if len(letters) < 8:
        return False
    upper = sum(1 for char in letters if char.isupper())
    return upper / len(letters) > 0.7


def check_post(check: PostCheck, limits: PostLimits = PostLimits()) -> list[str]:  # noqa: B008
    """Everything worth fixing before ``check`` is sent; empty when it looks ready."""
    problems: list[str] = []
    if check.title is not None:
        title = check.title.strip()
        if not title:
            problems.append("The topic has no title yet.")
        elif len(title) < limits.min_topic_title_length:
            problems.append(
                f"The title is {len(title)} characters; the forum asks for at least "
                f"{limits.min_topic_title_length}, and a longer one says what you need."
            )
        elif len(title) > limits.max_topic_title_length:
            problems.append(
                f"The title is {len(title)} characters; the forum allows at most "
                f"{limits.max_topic_title_length}."
            )
        if title and _mostly_capitals(title):
            problems.append("The title is in capital letters, which reads as shouting.")
    body = check.body.strip()
    minimum = limits.min_first_post_length if check.first_post else limits.min_post_length
    if not body:
        problems.append("The post is empty.")
    elif len(body) < minimum:
        problems.append(
            f"The post is {len(body)} characters; the forum asks for at least {minimum}."
        )
    elif len(body) > limits.max_post_length:
        problems.append(
            f"The post is {len(body)} characters; the forum allows at most "
            f"{limits.max_post_length}."
        )
    if check.similar_shown and not check.similar_opened:
        noun = "topic looks" if check.similar_shown == 1 else "topics look"
        problems.append(
            f"{check.similar_shown} similar {noun} like yours and you have not opened any; "
            "one may already answer it."
        )
    return problems

"""Sending a post exactly once, and knowing what happened.

Writes are never retried automatically: a POST that timed out after it was sent may have been
published, and sending it again would publish it twice. ``send_post`` calls the backend once
and turns every result into a ``SendOutcome``:

- ``posted``: the forum confirmed the post (a 2xx answer with a post); the draft can go.
- ``queued``: the forum accepted it for a moderator's approval; it must not be sent again.
- ``failed``: the forum did not take it (connection refused, 4xx, 5xx, 429); the text stays
  in the composer and the draft, and sending again is safe.
- ``unconfirmed``: the outcome is unknown (a time-out after sending) *and* checking the forum
  did not settle it; sending again must wait for another check.

After an ambiguous failure, ``reconcile`` looks at the forum: the topic's latest posts by this
user with the same text (a reply), the post's current source (an edit), or the group's newest
topics by this user with the same title (a new topic).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from termforum.errors import (
    ForumError,
    NetworkError,
    PostQueued,
    RateLimited,
    Rejected,
    ServerError,
)
from termforum.models import Post, Topic

__all__ = ["OutgoingPost", "SendOutcome", "reconcile", "send_post", "same_text"]

_TOO_SIMILAR = ("too similar", "already been used", "duplicate")
"""Words in a 422 that suggest an earlier attempt landed (Discourse's duplicate checks)."""


@dataclass(frozen=True, slots=True)
class OutgoingPost:
    """What to send: a reply, a new topic or an edit."""

    kind: str
    """``"reply"``, ``"topic"`` or ``"edit"``."""
    body: str
    topic_id: str | None = None
    reply_to: int | None = None
    post_id: str | None = None
    group_id: str | None = None
    title: str = ""
    tags: tuple[str, ...] = ()
    unconfirmed: bool = False
    """An earlier attempt ended without an answer: check the forum before sending."""


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What became of a send, with one sentence for the user."""

    status: str
    message: str
    post: Post | None = None
    topic: Topic | None = None

    @property
    def done(self) -> bool:
        """True when the forum has the text (posted or queued): the draft can go."""
        return self.status in ("posted", "queued")


def same_text(a: str, b: str) -> bool:
    """Whether two post bodies are the same text (Discourse trims and normalises newlines)."""

    def norm(text: str) -> str:
        return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").strip().split("\n"))

    return norm(a) == norm(b)


_GATEWAY_STATUSES = (502, 504)
"""Answers from a proxy in front of the forum: the post may have landed behind it."""

_WHAT = {"reply": "reply", "topic": "topic", "edit": "edit"}


async def reconcile(backend: Any, item: OutgoingPost, username: str | None) -> SendOutcome | None:
    """Look at the forum to learn whether ``item`` landed; ``None`` when it cannot tell."""
    what = _WHAT.get(item.kind, "post")
    try:
        if item.kind == "reply" and item.topic_id is not None:
            for post in await backend.my_recent_posts(item.topic_id):
                if post.raw is not None and same_text(post.raw, item.body):
                    return SendOutcome(
                        "posted", f"Your {what} was posted (checked after no answer came).", post
                    )
        elif item.kind == "edit" and item.post_id is not None:
            if same_text(await backend.raw(item.post_id), item.body):
                return SendOutcome("posted", "Your edit was saved (checked after no answer came).")
        elif item.kind == "topic":
            page = await backend.topics(item.group_id, view="latest")
            for topic in page.topics:
                if topic.title.strip() == item.title.strip() and (
                    username is None or topic.author == username
                ):
                    return SendOutcome(
                        "posted",
                        "Your topic was created (checked after no answer came).",
                        topic=topic,
                    )
        else:
            return None
    except ForumError:
        return None
    return SendOutcome(
        "failed", f"The forum did not receive your {what}; it is safe to send it again."
    )


async def send_post(backend: Any, item: OutgoingPost, username: str | None) -> SendOutcome:
    """Send ``item`` once (checking first when an earlier attempt is unconfirmed)."""
    what = _WHAT.get(item.kind, "post")
    if item.unconfirmed:
        checked = await reconcile(backend, item, username)
        if checked is None:
            return _unconfirmed(what)
        if checked.done:
            return checked
    try:
        if item.kind == "reply":
            post = await backend.reply(item.topic_id, item.body, reply_to=item.reply_to)
            return SendOutcome("posted", "Your reply was posted.", post=post)
        if item.kind == "edit":
            post = await backend.edit_post(item.post_id, item.body)
            return SendOutcome("posted", "Your edit was saved.", post=post)
        topic = await backend.create_topic(item.group_id, item.title, item.body, tags=item.tags)
        return SendOutcome("posted", "Your topic was created.", topic=topic)
    except PostQueued as queued:
        return SendOutcome("queued", queued.message)
    except NetworkError as error:
        if not error.sent:
            return SendOutcome("failed", f"{error.message} Your {what} was not sent; try again.")
        checked = await reconcile(backend, item, username)
        return checked if checked is not None else _unconfirmed(what)
    except Rejected as error:
        if any(word in error.message.lower() for word in _TOO_SIMILAR):
            checked = await reconcile(backend, item, username)
            if checked is not None and checked.done:
                return checked
        return SendOutcome("failed", f"The forum refused the {what}: {error.message}")
    except RateLimited as error:
        return SendOutcome("failed", f"{error.message} Your {what} is kept.")
    except ServerError as error:
        if error.status in _GATEWAY_STATUSES:
            # A proxy gave up waiting: the forum behind it may still have taken the post.
            checked = await reconcile(backend, item, username)
            if checked is not None and checked.done:
                return checked
        return SendOutcome("failed", f"{error.message} Your {what} is kept; try again.")
    except ForumError as error:
        return SendOutcome("failed", f"{error.message} Your {what} is kept; try again.")


def _unconfirmed(what: str) -> SendOutcome:
    return SendOutcome(
        "unconfirmed",
        f"No answer came and the forum could not be checked, so your {what} may or may not "
        "be posted; termforum checks again before sending it.",
    )

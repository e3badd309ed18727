"""Typed errors: the only exceptions that escape a backend (see ``docs/design.md``).

::

    ForumError
     ├── NetworkError     connect/read failures, time-outs (``sent``: a write may have landed)
     ├── AuthError        401/403: not logged in, bad or revoked key
     ├── NotFound         404
     ├── RateLimited      429 or the backend's equivalent; ``retry_after`` in seconds when known
     ├── Rejected         422 and other refusals, with the server's message
     ├── ServerError      5xx
     └── BadResponse      a body that is not what the API promises
    PostQueued            not a failure: the forum accepted a post for moderator approval

Every message is one plain sentence meant for the user. Messages may quote server text; the UI
must show them as plain text (never as markup).
"""

from __future__ import annotations

__all__ = [
    "AuthError",
    "BadResponse",
    "ConfigError",
    "ForumError",
    "NetworkError",
    "NotFound",
    "PostQueued",
    "RateLimited",
    "Rejected",
    "ServerError",
    "TermforumError",
]


class TermforumError(Exception):
    """Base of every error termforum reports to its user as one sentence."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConfigError(TermforumError):
    """The configuration file (or a command-line setting) is invalid."""


class ForumError(TermforumError):
    """Something went wrong talking to a forum."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class NetworkError(ForumError):
    """The forum could not be reached, or the connection failed or timed out.

    ``sent`` is True when the request may have reached the server before the failure
    (a read time-out after the body was written): for a write, the outcome is then unknown.
    """

    def __init__(self, message: str, *, sent: bool = False) -> None:
        super().__init__(message)
        self.sent = sent


class AuthError(ForumError):
    """The forum refused our credentials (401/403)."""


class NotFound(ForumError):
    """The forum says the thing does not exist (404)."""


class RateLimited(ForumError):
    """The forum asked us to slow down (429); ``retry_after`` is in seconds when known."""

    def __init__(
        self, message: str, *, retry_after: float | None = None, status: int | None = 429
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class Rejected(ForumError):
    """The forum refused the request (422 and similar) with its own reason."""


class ServerError(ForumError):
    """The forum failed with a 5xx answer."""


class BadResponse(ForumError):
    """The forum answered with something that is not what its API promises."""


class PostQueued(TermforumError):
    """The forum accepted the post but holds it for a moderator's approval.

    Not an error and not a published post: the text reached the server (``pending_id`` names
    the queued item when the forum says so), so it must not be sent again.
    """

    def __init__(self, message: str, *, pending_id: str | None = None) -> None:
        super().__init__(message)
        self.pending_id = pending_id

"""Credentials: who termforum speaks as on a forum, without ever showing the secret.

This module holds the credential *value* types shared by the backends and the UI. The key
itself is wrapped in ``Secret``, whose ``repr``/``str`` are redacted, so a crash report, a log
line or a traceback with locals never prints it; every ``Secret`` also registers its value with
``termforum.redact`` so that logs and crash output mask it even if a library prints it.
Storing credentials is ``termforum.credstore``; the User API Key login is ``termforum.login``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from termforum.redact import register_secret

__all__ = ["ANONYMOUS", "SCOPES", "Credentials", "Secret"]


class Secret:
    """A secret string that never shows itself: ``repr`` and ``str`` are redacted."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        register_secret(value)

    def reveal(self) -> str:
        """The secret itself: only for the header that carries it."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


SCOPES: tuple[str, ...] = ("read", "write", "notifications", "session_info")
"""The User API key scopes termforum asks for: reading and posting, notifications, and who
is logged in (here so that the command line need not load the login machinery)."""


@dataclass(frozen=True)
class Credentials:
    """How requests to one forum authenticate.

    ``kind`` is ``"anonymous"``, ``"user_api_key"`` (Discourse User API Key, per user, from the
    login flow) or ``"api_key"`` (an admin/global key with ``Api-Username``).
    """

    kind: str = "anonymous"
    key: Secret = field(default_factory=lambda: Secret(""))
    username: str | None = None
    client_id: str | None = None

    @property
    def logged_in(self) -> bool:
        """Whether requests carry a user's identity."""
        return self.kind != "anonymous" and bool(self.key)

    @property
    def description(self) -> str:
        """How these credentials sign in, in words: "User API key", "admin API key", ..."""
        return _DESCRIPTIONS.get(self.kind, self.kind)

    def headers(self) -> dict[str, str]:
        """The HTTP headers that authenticate a request (empty when anonymous).

        Only for the moment a request is signed (``net.CredentialsAuth``): a dict holding the
        key in clear must not be kept in a variable that a traceback could print.
        """
        if self.kind == "user_api_key" and self.key:
            headers = {"User-Api-Key": self.key.reveal()}
            if self.client_id:
                headers["User-Api-Client-Id"] = self.client_id
            return headers
        if self.kind == "api_key" and self.key:
            return {"Api-Key": self.key.reveal(), "Api-Username": self.username or "system"}
        return {}


_DESCRIPTIONS = {
    "anonymous": "anonymous (read only)",
    "user_api_key": "User API key",
    "api_key": "admin API key",
}

ANONYMOUS = Credentials()
"""Read-only access without an account."""

"""Credentials: who termforum speaks as on a forum, without ever showing the secret.

This module holds the credential *value* types shared by the backends and the UI. The key
itself is wrapped in ``Secret``, whose ``repr``/``str`` are redacted, so a crash report, a log
line or a traceback with locals never prints it. Storing credentials (keyring / 0600 file) and
the User API Key login flow build on these types.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["ANONYMOUS", "Credentials", "Secret"]


class Secret:
    """A secret string that never shows itself: ``repr`` and ``str`` are redacted."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

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

    def headers(self) -> dict[str, str]:
        """The HTTP headers that authenticate a request (empty when anonymous)."""
        if self.kind == "user_api_key" and self.key:
            headers = {"User-Api-Key": self.key.reveal()}
            if self.client_id:
                headers["User-Api-Client-Id"] = self.client_id
            return headers
        if self.kind == "api_key" and self.key:
            return {"Api-Key": self.key.reveal(), "Api-Username": self.username or "system"}
        return {}


ANONYMOUS = Credentials()
"""Read-only access without an account."""

"""Who is asking: Discourse's API keys and User API keys, for the demo forum.

Two kinds of key identify a user, as in Discourse (``Auth::DefaultCurrentUserProvider``):

- **Admin ("global") API keys**, headers ``Api-Key`` + ``Api-Username`` (or
  ``Api-User-Id``). A key made for one user accepts no other ``Api-Username``; a key made
  for all users needs one. Unknown, revoked or mismatched → 403 ``invalid_access`` with
  Discourse's ``invalid_api_credentials`` message.
- **User API keys**, header ``User-Api-Key`` (``User-Api-Client-Id`` optional, recorded).
  Each carries scopes: ``write`` allows every request, ``read`` every GET, ``session_info``
  ``GET /session/current``, ``notifications`` listing notifications, their totals and
  marking them read; revoking itself is always allowed. Unknown or revoked keys,
  and requests outside the scopes → 403 ``invalid_access`` with the generic message
  (Discourse raises a bare ``InvalidAccess`` there).

Keys are random hex strings (32 characters for user keys, 64 for admin keys, as
Discourse makes them); only their SHA-256 is stored. :func:`create_user_api_key` and
:func:`create_api_key` are the Python API tests use (``DemoApp`` wraps them).
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from termforum.demo.db import iso
from termforum.demo.queries import Store

__all__ = [
    "INVALID_ACCESS",
    "INVALID_API_CREDENTIALS",
    "USER_API_SCOPES",
    "AuthFailed",
    "Identity",
    "authenticate",
    "create_api_key",
    "create_user_api_key",
    "hash_key",
    "revoke_key",
    "revoke_user_api_key_id",
    "scope_allows",
    "user_api_key_is_live",
]

INVALID_API_CREDENTIALS = (
    "You are not permitted to view the requested resource. The API username or key is invalid."
)
"""Discourse's ``invalid_api_credentials`` (server.en.yml)."""
INVALID_ACCESS = "You are not permitted to view the requested resource."
"""Discourse's ``invalid_access`` (server.en.yml)."""

USER_API_SCOPES = frozenset(
    {"read", "write", "message_bus", "push", "notifications", "session_info", "one_time_password"}
)
"""The core User API key scopes (``UserApiKeyScope::SCOPES``)."""

_READ_METHODS = frozenset({"GET", "HEAD"})
_NOTIFICATION_ROUTES = frozenset(
    {
        ("GET", "notifications/index"),
        ("HEAD", "notifications/index"),
        ("GET", "notifications/totals"),
        ("HEAD", "notifications/totals"),
        ("PUT", "notifications/mark_read"),
    }
)
"""What the ``notifications`` scope allows (``UserApiKeyScope``; its ``message_bus``
polling is not served by the demo)."""
_USE_RESOLUTION = timedelta(minutes=1)


class AuthFailed(Exception):
    """The request carried a key that identifies nobody (answer 403 ``invalid_access``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True, slots=True)
class Identity:
    """The user a request speaks for, and through which kind of key."""

    user: sqlite3.Row
    kind: str
    """``api_key`` (admin/global key) or ``user_api_key``."""
    key_id: int
    key_hash: str
    scopes: frozenset[str] = frozenset()
    """Scopes of a user API key (empty for admin keys, which may do everything)."""

    @property
    def is_api(self) -> bool:
        """Discourse's ``is_api?``: true for admin keys only (not for user API keys)."""
        return self.kind == "api_key"


def hash_key(key: str) -> str:
    """The stored form of a key."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def _user(store: Store, username: str) -> sqlite3.Row:
    user = store.user_by_username(username)
    if user is None:
        raise ValueError(f"no such user: {username!r}")
    return user


def create_user_api_key(
    store: Store,
    username: str,
    *,
    now: datetime,
    scopes: Iterable[str] = ("read", "write"),
    client_id: str | None = None,
    application_name: str = "termforum",
) -> str:
    """Make a User API key for ``username`` and return it.

    As Discourse does when a user authorises an application again, an earlier key of
    the same user for the same ``client_id`` is revoked. Unknown scopes are refused.
    """
    wanted = tuple(dict.fromkeys(scopes))
    unknown = set(wanted) - USER_API_SCOPES
    if not wanted or unknown:
        raise ValueError(f"scopes must be some of {sorted(USER_API_SCOPES)}, not {wanted!r}")
    user = _user(store, username)
    key = secrets.token_hex(16)
    client = client_id or secrets.token_hex(8)
    with store.transaction() as conn:
        if client_id:
            conn.execute(
                "UPDATE user_api_keys SET revoked_at = ? WHERE user_id = ? AND client_id = ?"
                " AND revoked_at IS NULL",
                (iso(now), user["id"], client_id),
            )
        conn.execute(
            "INSERT INTO user_api_keys (key_hash, user_id, client_id, application_name,"
            " scopes, created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (hash_key(key), user["id"], client, application_name, ",".join(wanted), iso(now)),
        )
    return key


def create_api_key(
    store: Store, username: str | None = None, *, now: datetime, description: str = ""
) -> str:
    """Make an admin API key and return it: for one user, or for any user (``None``),
    who is then named by each request's ``Api-Username``."""
    user_id = _user(store, username)["id"] if username is not None else None
    key = secrets.token_hex(32)
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO api_keys (key_hash, user_id, description, created_at) VALUES (?, ?, ?, ?)",
            (hash_key(key), user_id, description, iso(now)),
        )
    return key


def revoke_key(store: Store, key: str, *, now: datetime) -> bool:
    """Revoke a key of either kind; whether a live key was revoked."""
    hashed = hash_key(key)
    revoked = 0
    with store.transaction() as conn:
        for table in ("user_api_keys", "api_keys"):
            revoked += conn.execute(
                f"UPDATE {table} SET revoked_at = ? WHERE key_hash = ? AND revoked_at IS NULL",
                (iso(now), hashed),
            ).rowcount
    return revoked > 0


def revoke_user_api_key_id(store: Store, user_id: int, key_id: int, *, now: datetime) -> bool:
    """Revoke the user's live user API key ``key_id``; whether there was one."""
    with store.transaction() as conn:
        return (
            conn.execute(
                "UPDATE user_api_keys SET revoked_at = ? WHERE id = ? AND user_id = ?"
                " AND revoked_at IS NULL",
                (iso(now), key_id, user_id),
            ).rowcount
            > 0
        )


def user_api_key_is_live(store: Store, key: str) -> bool:
    """Whether ``key`` is a user API key that still works."""
    return store.live_key("user_api_keys", hash_key(key)) is not None


def authenticate(store: Store, headers: Mapping[str, str], *, now: datetime) -> Identity | None:
    """The identity behind a request's headers (lower-case names); None when anonymous.

    Raises :class:`AuthFailed` for a key that matches no live key or no user.
    """
    identity: Identity | None = None
    api_key = headers.get("api-key")
    if api_key:
        identity = _admin_identity(store, api_key, headers)
    user_api_key = headers.get("user-api-key")
    if user_api_key:
        identity = _user_identity(store, user_api_key)
    if identity is not None:
        _record_use(store, identity, headers.get("user-api-client-id"), now)
    return identity


def _record_use(store: Store, identity: Identity, client_id: str | None, now: datetime) -> None:
    """Note when a key was last used (at most once a minute, to spare the disk) and, for a
    user API key, the client id it was last used from."""
    table = "api_keys" if identity.kind == "api_key" else "user_api_keys"
    row = store.live_key(table, identity.key_hash)
    if row is None:
        return
    stamp = iso(now)
    stale = row["last_used_at"] is None or row["last_used_at"] < iso(now - _USE_RESOLUTION)
    new_client = table == "user_api_keys" and client_id and client_id != row["client_id"]
    if not stale and not new_client:
        return
    with store.transaction() as conn:
        conn.execute(f"UPDATE {table} SET last_used_at = ? WHERE id = ?", (stamp, row["id"]))
        if new_client:
            conn.execute(
                "UPDATE user_api_keys SET client_id = ? WHERE id = ?", (client_id, row["id"])
            )


def _admin_identity(store: Store, key: str, headers: Mapping[str, str]) -> Identity:
    hashed = hash_key(key)
    row = store.live_key("api_keys", hashed)
    if row is None:
        raise AuthFailed(INVALID_API_CREDENTIALS)
    username = _header_text(headers.get("api-username"))
    user: sqlite3.Row | None = None
    if row["user_id"] is not None:
        owner = store.user(row["user_id"])
        if owner is not None and (
            not username or owner["username"].casefold() == username.casefold()
        ):
            user = owner
    elif username:
        user = store.user_by_username(username)
    elif (user_id := headers.get("api-user-id", "")).lstrip("-").isdigit():
        user = store.user(int(user_id))
    if user is None:
        raise AuthFailed(INVALID_API_CREDENTIALS)
    return Identity(user, "api_key", row["id"], hashed)


def _header_text(value: str | None) -> str | None:
    """A header value as the client meant it: the demo decodes header bytes as Latin-1,
    but clients send non-ASCII usernames as UTF-8 bytes (Rails compares those bytes with
    the stored UTF-8 username), so re-read them as UTF-8 when they are valid UTF-8.

    Nothing else is normalised: ``Api-Username`` then finds the user whose username is
    exactly this text (:meth:`Store.user_by_username`, which ignores only ASCII case), odd
    characters included. Control characters cannot travel in a real HTTP header; name
    such users with ``Api-User-Id`` or a key made for them instead.
    """
    if value is None:
        return None
    try:
        return value.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return value


def _user_identity(store: Store, key: str) -> Identity:
    hashed = hash_key(key)
    row = store.live_key("user_api_keys", hashed)
    user = store.user(row["user_id"]) if row is not None else None
    if row is None or user is None:
        raise AuthFailed(INVALID_ACCESS)
    scopes = frozenset(s for s in row["scopes"].split(",") if s)
    return Identity(user, "user_api_key", row["id"], hashed, scopes)


def scope_allows(identity: Identity, method: str, route_name: str) -> bool:
    """Whether the identity's key may make this request (admin keys may do anything)."""
    if identity.kind != "user_api_key":
        return True
    scopes = identity.scopes
    if "write" in scopes or route_name == "user_api_keys/revoke":
        return True
    if method in _READ_METHODS and "read" in scopes:
        return True
    if "notifications" in scopes and (method, route_name) in _NOTIFICATION_ROUTES:
        return True
    return method in _READ_METHODS and route_name == "session/current" and "session_info" in scopes

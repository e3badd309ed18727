"""Where forum keys are kept: the OS keyring when one answers, else a private file.

``credentials.toml`` (in termforum's data folder, mode 0600, folder 0700) is always the
*index* of logins — forum address, kind of key, user name, client id, where the key is —
and holds the key itself only when it is stored there (``storage = "file"``). With the OS
keyring the key goes to service ``termforum``, user name = the forum's address.

Keyring back ends can hang on headless machines (a locked GNOME Keyring waiting for a GUI
prompt, D-Bus without a display; even choosing the back end opens a D-Bus connection), so
every keyring call, the first one choosing the back end too, runs in a daemon thread with a
time-out; a keyring that fails or does not answer once is not asked again by this store.
In ``auto`` mode the key then goes to the file, and the user is told so.

The file is written atomically (``files.write_atomically``: a 0600 temporary file renamed
over the old one) under an ``flock`` on ``credentials.toml.lock`` so two termforum processes
cannot lose each other's logins; a looser existing file is tightened to 0600 before it is
read, or refused, and a link or anything but a regular file is refused. A damaged file is
never overwritten (nor is the keyring touched for it): the user is told to fix or delete it.
Keys are held only in ``auth.Secret`` (also while the file's content is in memory) and never
appear in a message or a log line of this module.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import stat
import threading
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from termforum.auth import Credentials, Secret
from termforum.errors import TermforumError
from termforum.files import write_atomically
from termforum.paths import app_paths, ensure_private_dir

__all__ = [
    "CREDENTIALS_FILE_NAME",
    "KEYRING_SERVICE",
    "STORAGE_FILE",
    "STORAGE_KEYRING",
    "STORE_MODES",
    "CredentialError",
    "CredentialStore",
    "SaveResult",
    "StoredAccount",
]

STORAGE_KEYRING = "keyring"
"""``storage`` of a login whose key is in the OS keyring."""
STORAGE_FILE = "file"
"""``storage`` of a login whose key is in ``credentials.toml`` itself."""
STORE_MODES: tuple[str, ...] = ("auto", "keyring", "file")
"""The values of ``CredentialStore(mode=...)`` (the config's ``credential_store``)."""
KEYRING_SERVICE = "termforum"
"""The keyring "service" name under which termforum keeps keys."""
CREDENTIALS_FILE_NAME = "credentials.toml"
"""The credentials file's name inside the data folder."""
KINDS: tuple[str, ...] = ("user_api_key", "api_key")
"""The kinds of credentials that are stored (anonymous access needs nothing)."""

log = logging.getLogger(__name__)

T = TypeVar("T")


class CredentialError(TermforumError):
    """Stored credentials cannot be read or written; one sentence saying what to do."""


@dataclass(frozen=True, slots=True)
class StoredAccount:
    """A login as the index records it (never the key)."""

    forum_url: str
    """The forum's address, without a trailing slash."""
    kind: str
    """``user_api_key`` or ``api_key``."""
    username: str | None
    client_id: str | None
    storage: str
    """``keyring`` or ``file``."""
    created_at: str
    """When it was stored (ISO 8601, UTC; empty when the file does not say)."""
    file: Path
    """The credentials file (where the key is when ``storage`` is ``file``)."""

    @property
    def where(self) -> str:
        """Where the key is, for people: "OS keyring" or "file PATH"."""
        return "OS keyring" if self.storage == STORAGE_KEYRING else f"file {self.file}"


@dataclass(frozen=True, slots=True)
class SaveResult:
    """Where :meth:`CredentialStore.save` put the key, and a warning to show if any."""

    storage: str
    """``keyring`` or ``file``."""
    warning: str | None = None
    """One sentence for the user when the key went to the file because the keyring failed."""


class _KeyringUnusable(Exception):
    """The keyring failed or did not answer (the message is the reason, never a key)."""


class _NoBackend(Exception):
    """The keyring package has no usable back end here (the message says how)."""


def _normalise(forum_url: str) -> str:
    return forum_url.strip().rstrip("/")


class CredentialStore:
    """Logins per forum address, with keys in the OS keyring or the private file.

    Args:
        path: The credentials file (default ``credentials.toml`` in the data folder).
        mode: ``auto`` (keyring when usable, else the file with a warning), ``keyring``
            (keyring only; ``CredentialError`` when it is unusable) or ``file`` (keys are
            never put in the keyring; a key an earlier login put there is still read from
            it, and removed from it when that login is replaced or deleted).
        keyring_timeout: Seconds to wait for any one keyring call; after one time-out or
            failure this store does not ask the keyring again.
    """

    def __init__(
        self, path: Path | None = None, *, mode: str = "auto", keyring_timeout: float = 3.0
    ) -> None:
        if mode not in STORE_MODES:
            raise ValueError(f"mode must be one of {STORE_MODES}, not {mode!r}")
        self._path = (
            Path(path) if path is not None else app_paths().data_dir / CREDENTIALS_FILE_NAME
        )
        self.mode = mode
        self.keyring_timeout = keyring_timeout
        self._keyring_problem: str | None = None
        self._backend: Any = None

    def __repr__(self) -> str:
        return f"CredentialStore({str(self._path)!r}, mode={self.mode!r})"

    @property
    def path(self) -> Path:
        """The credentials file."""
        return self._path

    # --- reading the index ------------------------------------------------------------------

    def accounts(self) -> list[StoredAccount]:
        """Every stored login, in file order, from the index (the keyring is not asked)."""
        return [
            self._account(url, entry) for url, entry in self._read().get("accounts", {}).items()
        ]

    def account(self, forum_url: str) -> StoredAccount | None:
        """The stored login for ``forum_url``, if any (the keyring is not asked)."""
        url = _normalise(forum_url)
        entry = self._read().get("accounts", {}).get(url)
        return self._account(url, entry) if entry is not None else None

    def _account(self, url: str, entry: dict[str, Any]) -> StoredAccount:
        return StoredAccount(
            forum_url=url,
            kind=entry["kind"],
            username=entry.get("username"),
            client_id=entry.get("client_id"),
            storage=entry["storage"],
            created_at=entry.get("created_at", ""),
            file=self._path,
        )

    def client_id(self) -> str:
        """This installation's User API key client id: made once, then kept in the file."""
        existing = self._read().get("client_id")
        if existing:
            return str(existing)
        with self._locked():
            data = self._read()
            if not data.get("client_id"):
                import secrets  # only the first run makes a client id

                data["client_id"] = secrets.token_hex(16)
                self._write(data)
            return str(data["client_id"])

    # --- keys -----------------------------------------------------------------------------

    def load(self, forum_url: str) -> Credentials | None:
        """The credentials stored for ``forum_url``; None when nothing is stored.

        Raises ``CredentialError`` when the file cannot be trusted or read, when the key
        should be in the keyring but cannot be read from it, or when it is missing.
        """
        url = _normalise(forum_url)
        entry = self._read().get("accounts", {}).get(url)
        if entry is None:
            return None
        if entry["storage"] == STORAGE_FILE:
            key = entry.get("key")
            if not isinstance(key, Secret) or not key:
                raise CredentialError(
                    f"The key for {url} is missing from {self._path}; run 'termforum login "
                    f"{url}' again."
                )
        else:
            try:
                key = self._keyring(lambda kr: _as_secret(kr.get_password(KEYRING_SERVICE, url)))
            except _KeyringUnusable as problem:
                raise CredentialError(
                    f"The key for {url} is in the OS keyring, which {problem}; unlock it, or run "
                    f"'termforum login {url}' again."
                ) from None
            if key is None:
                raise CredentialError(
                    f"The key for {url} is no longer in the OS keyring; run 'termforum login "
                    f"{url}' again."
                )
        return Credentials(entry["kind"], key, entry.get("username"), entry.get("client_id"))

    def save(self, forum_url: str, credentials: Credentials) -> SaveResult:
        """Store ``credentials`` for ``forum_url``, replacing an earlier login there.

        The key goes to the keyring unless the mode is ``file`` or (in ``auto`` mode) the
        keyring is unusable; then it goes to the file and ``SaveResult.warning`` says why.
        A key the earlier login kept in the other place is removed from there. Raises
        ``CredentialError`` when the file is damaged or cannot be written (nothing is stored
        then, the keyring is not touched), or in ``keyring`` mode when the keyring is unusable.
        """
        if credentials.kind not in KINDS or not credentials.key:
            raise ValueError("only user_api_key or api_key credentials with a key are stored")
        url = _normalise(forum_url)
        if not url:
            raise ValueError("a forum address is needed to store credentials")
        entry: dict[str, Any] = {"kind": credentials.kind}
        if credentials.username:
            entry["username"] = credentials.username
        if credentials.client_id:
            entry["client_id"] = credentials.client_id
        with self._locked():
            data = self._read()  # a damaged file stops everything here
            previous = data.get("accounts", {}).get(url)
            storage, warning = self._put_key(url, credentials.key)
            entry["storage"] = storage
            entry["created_at"] = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            if storage == STORAGE_FILE:
                entry["key"] = credentials.key
            data.setdefault("accounts", {})[url] = entry
            self._write(data)
            if (
                storage == STORAGE_FILE
                and previous is not None
                and previous["storage"] == STORAGE_KEYRING
            ):
                self._forget_in_keyring(url)
        return SaveResult(storage, warning)

    def _put_key(self, url: str, key: Secret) -> tuple[str, str | None]:
        """Put ``key`` in the keyring if the mode allows; where it must go, and a warning."""
        if self.mode == "file":
            return STORAGE_FILE, None
        try:
            self._keyring(lambda kr: kr.set_password(KEYRING_SERVICE, url, key.reveal()))
        except _KeyringUnusable as problem:
            if self.mode == "keyring":
                raise CredentialError(
                    f'The OS keyring {problem}, and credential_store = "keyring" allows no '
                    "other place for the key; unlock or set up a keyring, or set "
                    'credential_store = "file" in the config file.'
                ) from None
            return STORAGE_FILE, (
                f"The OS keyring {problem}, so the key is stored in the plain file "
                f"{self._path}, readable only by you (mode 0600)."
            )
        return STORAGE_KEYRING, None

    def delete(self, forum_url: str) -> bool:
        """Remove the login for ``forum_url``; whether there was one.

        The index entry (and a key kept in the file) goes even when the keyring cannot be
        reached; removing a key from the keyring is best effort (logged when it fails).
        """
        url = _normalise(forum_url)
        if url not in self._read().get("accounts", {}):
            return False
        with self._locked():
            data = self._read()
            entry = data.get("accounts", {}).pop(url, None)
            if entry is None:
                return False
            self._write(data)
            if entry["storage"] == STORAGE_KEYRING:
                self._forget_in_keyring(url)
        return True

    def keyring_status(self) -> str | None:
        """None when the OS keyring is usable, else why not, to follow "The OS keyring ...":
        ``is not installed here (no keyring back end)``, ``did not answer within 3 s``,
        ``failed (KeyringLocked)``, ``is not used (credential_store = "file")``.

        Only the back end is looked for (an earlier failure of this store is remembered);
        nothing is read from the keyring, so a locked keyring shows no unlock prompt.
        """
        if self.mode == "file":
            return 'is not used (credential_store = "file")'
        with contextlib.suppress(_KeyringUnusable):
            self._keyring(lambda kr: None)
        return self._keyring_problem

    # --- the keyring, with a time-out -----------------------------------------------------------

    def _keyring(self, call: Callable[[Any], T]) -> T:
        """Run ``call(backend)`` in a daemon thread, waiting at most ``keyring_timeout`` s.

        The first call also chooses the back end in that thread (it may open D-Bus). Any
        failure or time-out raises ``_KeyringUnusable`` now and for every later call.
        """
        if self._keyring_problem is not None:
            raise _KeyringUnusable(self._keyring_problem)
        known = self._backend
        outcome: dict[str, Any] = {}

        def run() -> None:
            try:
                backend = known if known is not None else _usable_backend()
                outcome["backend"] = backend
                outcome["value"] = call(backend)
            except _NoBackend as missing:
                outcome["problem"] = str(missing)
            except BaseException as error:  # reported below, by type only
                outcome["problem"] = f"failed ({type(error).__name__})"

        worker = threading.Thread(target=run, name="termforum-keyring", daemon=True)
        worker.start()
        worker.join(self.keyring_timeout)
        if worker.is_alive():
            problem: str | None = f"did not answer within {self.keyring_timeout:g} s"
        else:
            problem = outcome.get("problem")
            self._backend = outcome.get("backend", known)
        if problem is not None:
            outcome.clear()
            self._keyring_problem = problem
            log.info("OS keyring unusable: it %s.", problem)
            raise _KeyringUnusable(problem)
        return outcome.get("value")  # type: ignore[return-value]

    def _forget_in_keyring(self, url: str) -> None:
        """Best effort: remove the key for ``url`` from the keyring (a missing one is fine)."""
        try:
            self._keyring(lambda kr: _delete_password(kr, url))
        except _KeyringUnusable as problem:
            log.warning(
                "Could not remove the key for %s from the OS keyring, which %s.", url, problem
            )

    # --- the file ----------------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        """The file's content ({} when there is none), keys wrapped in ``Secret``.

        A file others may read is made 0600 first; a link or a non-regular file is refused,
        and so is content that is not what termforum writes.
        """
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self._path, flags)
        except FileNotFoundError:
            return {}
        except OSError as error:
            if os.path.islink(self._path):
                raise self._not_regular() from None
            raise self._unreadable(error) from None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                raise self._not_regular()
            if info.st_mode & 0o077:
                try:
                    os.chmod(fd, 0o600)
                except OSError:
                    raise CredentialError(
                        f"{self._path} can be read by other users and could not be made "
                        f"private; run 'chmod 600 {self._path}' and try again."
                    ) from None
            data = _parse(fd)
        except OSError as error:
            raise self._unreadable(error) from None
        finally:
            os.close(fd)
        if data is None:
            raise self._damaged("is not valid UTF-8 TOML")
        _wrap_keys(data)
        if not _well_formed(data):
            raise self._damaged("is not in the form termforum writes")
        return data

    def _not_regular(self) -> CredentialError:
        return CredentialError(
            f"{self._path} is not a regular file (a link or a folder?); termforum will not "
            "read keys from it: remove it and run 'termforum login' again."
        )

    def _damaged(self, what: str) -> CredentialError:
        return CredentialError(
            f"The credentials file {self._path} {what}; fix or delete it, then run "
            "'termforum login' again."
        )

    def _unreadable(self, error: OSError) -> CredentialError:
        reason = error.strerror or type(error).__name__
        return CredentialError(f"The credentials file {self._path} cannot be read ({reason}).")

    def _write(self, data: dict[str, Any]) -> None:
        try:
            ensure_private_dir(self._path.parent)
            write_atomically(self._path, _dump(data))
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise CredentialError(
                f"The credentials file {self._path} could not be written ({reason}); nothing "
                "was changed."
            ) from None

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold an exclusive lock on ``credentials.toml.lock`` for a read-modify-write."""
        lock_path = self._path.with_name(self._path.name + ".lock")
        try:
            ensure_private_dir(self._path.parent)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise CredentialError(
                f"The lock file {lock_path} cannot be opened ({reason}); check that folder's "
                "permissions."
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock


# --- helpers (module level, so no frame holds more than it must) ------------------------------


def _usable_backend() -> Any:
    """The keyring back end, or ``_NoBackend`` when there is none worth asking."""
    import keyring
    from keyring.backends import chainer, fail

    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or (
        isinstance(backend, chainer.ChainerBackend) and not backend.backends
    ):
        raise _NoBackend("is not installed here (no keyring back end)")
    if backend.priority <= 0:
        raise _NoBackend("is not available here (no usable keyring back end)")
    return backend


def _as_secret(value: str | None) -> Secret | None:
    return Secret(value) if value else None


def _delete_password(backend: Any, url: str) -> None:
    from keyring.errors import PasswordDeleteError

    with contextlib.suppress(PasswordDeleteError):  # nothing there: nothing to remove
        backend.delete_password(KEYRING_SERVICE, url)


def _parse(fd: int) -> dict[str, Any] | None:
    """The TOML document in ``fd``; None when it is not UTF-8 TOML (no text is kept)."""
    chunks: list[bytes] = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    try:
        return tomllib.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    finally:
        chunks.clear()


def _wrap_keys(data: dict[str, Any]) -> None:
    """Replace every ``key`` string in the accounts table with a ``Secret``, in place."""
    accounts = data.get("accounts")
    if not isinstance(accounts, dict):
        return
    for entry in accounts.values():
        if isinstance(entry, dict) and isinstance(entry.get("key"), str):
            entry["key"] = Secret(entry["key"])


def _well_formed(data: dict[str, Any]) -> bool:
    """Whether ``data`` has the shape termforum writes (after ``_wrap_keys``)."""
    client_id = data.get("client_id")
    accounts = data.get("accounts", {})
    if not (client_id is None or isinstance(client_id, str)) or not isinstance(accounts, dict):
        return False
    return all(
        isinstance(entry, dict)
        and entry.get("kind") in KINDS
        and entry.get("storage") in (STORAGE_KEYRING, STORAGE_FILE)
        and isinstance(entry.get("key", Secret("")), Secret)
        and all(
            isinstance(entry.get(name, ""), str) for name in ("username", "client_id", "created_at")
        )
        for entry in accounts.values()
    )


def _dump(data: dict[str, Any]) -> bytes:
    """``data`` as TOML bytes, with the ``Secret`` keys revealed (only here)."""
    accounts = {
        url: {
            name: value.reveal() if isinstance(value, Secret) else value
            for name, value in entry.items()
        }
        for url, entry in data.get("accounts", {}).items()
    }
    document = {name: value for name, value in data.items() if name != "accounts"}
    if accounts:
        document["accounts"] = accounts
    import tomli_w  # only when writing: reading a key needs tomllib alone

    return tomli_w.dumps(document).encode("utf-8")

"""The credential store: keyring with a time-out, else a private file that is never loose,
never half-written, never silently overwritten, and never shows a key in a message."""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
import subprocess
import sys
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import null
from keyring.errors import KeyringLocked, NoKeyringError, PasswordDeleteError

from termforum import credstore
from termforum.auth import Credentials, Secret
from termforum.credstore import (
    KEYRING_SERVICE,
    STORAGE_FILE,
    STORAGE_KEYRING,
    CredentialError,
    CredentialStore,
    SaveResult,
)

URL = "https://forum.example.org"
OTHER = "http://127.0.0.1:8765"
KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"


class MemoryKeyring(KeyringBackend):
    """A working keyring, in memory."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}
        self.calls = 0

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        if (service, username) not in self.items:
            raise PasswordDeleteError("not there")
        del self.items[(service, username)]


class LockedKeyring(MemoryKeyring):
    """A keyring that refuses every call (a locked GNOME Keyring, a D-Bus error); its
    messages quote what it was given, as careless back ends do."""

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        raise KeyringLocked(f"locked while asked for {username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        raise KeyringLocked(f"locked while storing {password}")

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        raise KeyringLocked("locked")


class NoKeyringKeyring(MemoryKeyring):
    """A back end that turns out to have nothing behind it when asked."""

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        raise NoKeyringError("No recommended backend was available.")


class HangingKeyring(MemoryKeyring):
    """A keyring that never answers (waiting for a GUI prompt nobody sees)."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.calls += 1
        self.release.wait(30)
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls += 1
        self.release.wait(30)

    def delete_password(self, service: str, username: str) -> None:
        self.calls += 1
        self.release.wait(30)


# The keyring package registers every back-end class it sees; keep these fakes out of its
# discovery so no other test can pick one up by chance.
for _fake in (MemoryKeyring, LockedKeyring, NoKeyringKeyring, HangingKeyring):
    KeyringBackend._classes.discard(_fake)  # type: ignore[attr-defined]

Install = Callable[[KeyringBackend], KeyringBackend]


@pytest.fixture
def use_keyring() -> Iterator[Install]:
    """Install a (fake) keyring back end for the test; the previous one comes back after."""
    previous = keyring.get_keyring()
    installed: list[KeyringBackend] = []

    def install(backend: KeyringBackend) -> KeyringBackend:
        keyring.set_keyring(backend)
        installed.append(backend)
        return backend

    yield install
    for backend in installed:
        if isinstance(backend, HangingKeyring):
            backend.release.set()
    keyring.set_keyring(previous)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "credentials.toml"


def user_key(key: str = KEY, username: str | None = "ada") -> Credentials:
    return Credentials("user_api_key", Secret(key), username, "client-1")


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- the file: where, and how private -----------------------------------------------------


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_file_is_0600_in_a_0700_folder_whatever_the_umask(path: Path, umask: int) -> None:
    old = os.umask(umask)
    try:
        result = CredentialStore(path).save(URL, user_key())
    finally:
        os.umask(old)

    assert result.storage == STORAGE_FILE
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700
    assert mode_of(path.with_name("credentials.toml.lock")) == 0o600


def test_an_existing_loose_folder_is_made_private(path: Path) -> None:
    path.parent.mkdir(mode=0o755)
    path.parent.chmod(0o755)

    CredentialStore(path).save(URL, user_key())

    assert mode_of(path.parent) == 0o700


def test_the_default_file_is_in_the_data_folder(termforum_home: Path) -> None:
    store = CredentialStore()
    store.save(URL, user_key())

    assert store.path == termforum_home / "data" / "credentials.toml"
    assert store.path.is_file()


def test_the_file_has_the_documented_layout(path: Path) -> None:
    store = CredentialStore(path)
    client_id = store.client_id()
    store.save(URL, user_key())

    data = tomllib.loads(path.read_text())
    assert data["client_id"] == client_id
    entry = data["accounts"][URL]
    assert entry["kind"] == "user_api_key"
    assert entry["username"] == "ada"
    assert entry["client_id"] == "client-1"
    assert entry["storage"] == STORAGE_FILE
    assert entry["key"] == KEY
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry["created_at"])
    assert store.account(URL).created_at == entry["created_at"]  # type: ignore[union-attr]


def test_without_a_keyring_the_file_is_used_and_the_user_is_told(path: Path) -> None:
    store = CredentialStore(path)

    result = store.save(URL + "/", user_key())

    assert result.storage == STORAGE_FILE
    assert result.warning == (
        "The OS keyring is not installed here (no keyring back end), so the key is stored in "
        f"the plain file {path}, readable only by you (mode 0600)."
    )
    assert store.load(URL) == user_key()
    assert store.load(URL + "/") == user_key()
    (account,) = store.accounts()
    assert (account.forum_url, account.kind, account.username, account.storage) == (
        URL,
        "user_api_key",
        "ada",
        STORAGE_FILE,
    )
    assert account.where == f"file {path}"
    assert store.keyring_status() == "is not installed here (no keyring back end)"


def test_a_loose_file_is_tightened_before_it_is_read(path: Path) -> None:
    CredentialStore(path).save(URL, user_key())
    path.chmod(0o644)

    assert CredentialStore(path).load(URL) == user_key()
    assert mode_of(path) == 0o600

    path.chmod(0o604)
    assert len(CredentialStore(path).accounts()) == 1
    assert mode_of(path) == 0o600


def test_a_loose_file_that_cannot_be_tightened_is_refused(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    CredentialStore(path).save(URL, user_key())
    path.chmod(0o644)

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    with pytest.raises(CredentialError) as caught:
        CredentialStore(path).load(URL)
    assert str(caught.value) == (
        f"{path} can be read by other users and could not be made private; run "
        f"'chmod 600 {path}' and try again."
    )
    with pytest.raises(CredentialError, match="can be read by other users"):
        CredentialStore(path).accounts()


def test_a_symlink_is_not_followed(path: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text('client_id = "x"\n')
    elsewhere.chmod(0o644)
    path.parent.mkdir(parents=True)
    path.symlink_to(elsewhere)

    with pytest.raises(CredentialError, match="not a regular file") as caught:
        CredentialStore(path).accounts()
    assert str(path) in str(caught.value)
    with pytest.raises(CredentialError, match="not a regular file"):
        CredentialStore(path).save(URL, user_key())
    assert mode_of(elsewhere) == 0o644  # the link's target was not touched
    assert elsewhere.read_text() == 'client_id = "x"\n'
    assert path.is_symlink()


def test_a_dangling_symlink_is_refused(path: Path, tmp_path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.symlink_to(tmp_path / "nowhere.toml")

    with pytest.raises(CredentialError, match="not a regular file"):
        CredentialStore(path).save(URL, user_key())
    assert not (tmp_path / "nowhere.toml").exists()


def test_a_folder_at_the_path_is_refused(path: Path) -> None:
    path.mkdir(parents=True)

    with pytest.raises(CredentialError, match="not a regular file"):
        CredentialStore(path).load(URL)


def test_a_fifo_at_the_path_is_refused_without_blocking(path: Path) -> None:
    path.parent.mkdir(parents=True)
    os.mkfifo(path, 0o600)

    with pytest.raises(CredentialError, match="not a regular file"):
        CredentialStore(path).accounts()


@pytest.mark.parametrize(
    ("content", "what"),
    [
        ("this is = = not toml", "is not valid UTF-8 TOML"),
        (b"client_id = '\xff\xfe'\n", "is not valid UTF-8 TOML"),
        ("client_id = 3\n", "is not in the form termforum writes"),
        ('accounts = "none"\n', "is not in the form termforum writes"),
        ('[accounts]\n"https://x" = 1\n', "is not in the form termforum writes"),
        ('[accounts."https://x"]\nkind = "password"\nstorage = "file"\n', "not in the form"),
        ('[accounts."https://x"]\nkind = "api_key"\nstorage = "cloud"\n', "not in the form"),
        ('[accounts."https://x"]\nstorage = "file"\nkey = "abc"\n', "not in the form"),
        (
            '[accounts."https://x"]\nkind = "user_api_key"\nstorage = "file"\nkey = 12\n',
            "not in the form",
        ),
        (
            '[accounts."https://x"]\nkind = "api_key"\nstorage = "file"\nusername = [1]\n',
            "not in the form",
        ),
    ],
)
def test_a_damaged_file_is_reported_and_never_overwritten(
    path: Path, content: str | bytes, what: str
) -> None:
    path.parent.mkdir(parents=True)
    raw = content.encode() if isinstance(content, str) else content
    path.write_bytes(raw)
    path.chmod(0o600)
    store = CredentialStore(path)

    with pytest.raises(CredentialError, match="fix or delete it") as caught:
        store.accounts()
    message = str(caught.value)
    assert message.startswith(f"The credentials file {path} ")
    assert what in message
    assert message.endswith("fix or delete it, then run 'termforum login' again.")
    for attempt in (
        lambda: store.save(URL, user_key()),
        lambda: store.delete("https://x"),
        store.client_id,
        lambda: store.load("https://x"),
    ):
        with pytest.raises(CredentialError, match="fix or delete it"):
            attempt()
    assert path.read_bytes() == raw


def test_a_damaged_file_stops_a_save_before_the_keyring_is_touched(
    path: Path, use_keyring: Install
) -> None:
    backend = use_keyring(MemoryKeyring())
    backend.items[(KEYRING_SERVICE, URL)] = "the-key-stored-before"
    path.parent.mkdir(parents=True)
    path.write_text("[[[")
    path.chmod(0o600)

    with pytest.raises(CredentialError, match="fix or delete it"):
        CredentialStore(path).save(URL, user_key())

    assert backend.items == {(KEYRING_SERVICE, URL): "the-key-stored-before"}
    assert backend.calls == 0


def test_a_file_that_cannot_be_written_changes_nothing(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = CredentialStore(path)
    store.save(URL, user_key())
    before = path.read_bytes()

    def full_disk(target: Path, content: bytes) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(credstore, "write_atomically", full_disk)
    with pytest.raises(CredentialError) as caught:
        store.save(OTHER, user_key("f" * 32))

    assert str(caught.value) == (
        f"The credentials file {path} could not be written (No space left on device); "
        "nothing was changed."
    )
    assert path.read_bytes() == before


def test_a_login_whose_key_is_missing_from_the_file_is_a_clear_error(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.write_text(f'[accounts."{URL}"]\nkind = "user_api_key"\nstorage = "file"\n')
    path.chmod(0o600)

    with pytest.raises(CredentialError) as caught:
        CredentialStore(path).load(URL)
    assert str(caught.value) == (
        f"The key for {URL} is missing from {path}; run 'termforum login {URL}' again."
    )


# --- the index -------------------------------------------------------------------------------


def test_nothing_stored_means_none_and_no_file(path: Path) -> None:
    store = CredentialStore(path)

    assert store.accounts() == []
    assert store.account(URL) is None
    assert store.load(URL) is None
    assert store.delete(URL) is False
    assert not path.parent.exists()


def test_saving_again_replaces_the_login_and_keeps_the_others(path: Path) -> None:
    store = CredentialStore(path)
    store.save(URL, user_key(username="ada"))
    store.save(OTHER, user_key("a" * 32, username="bob"))

    store.save(URL + "/", user_key("b" * 32, username="ada2"))

    assert store.load(URL) == user_key("b" * 32, username="ada2")
    assert store.load(OTHER) == user_key("a" * 32, username="bob")
    assert [account.forum_url for account in store.accounts()] == [URL, OTHER]


def test_delete_removes_the_key_and_says_whether_there_was_one(path: Path) -> None:
    store = CredentialStore(path)
    store.save(URL, user_key())
    store.save(OTHER, user_key("a" * 32))

    assert store.delete(URL + "/") is True
    assert store.delete(URL) is False
    assert store.delete("https://never.example.org") is False
    assert store.load(URL) is None
    assert KEY not in path.read_text()
    assert [account.forum_url for account in store.accounts()] == [OTHER]


def test_admin_keys_keep_their_user_name(path: Path) -> None:
    store = CredentialStore(path, mode="file")
    store.save(URL, Credentials("api_key", Secret("c" * 64), "system"))

    assert store.load(URL) == Credentials("api_key", Secret("c" * 64), "system")
    assert store.account(URL).username == "system"  # type: ignore[union-attr]


def test_only_real_credentials_are_stored(path: Path) -> None:
    store = CredentialStore(path)

    with pytest.raises(ValueError):
        store.save(URL, Credentials())
    with pytest.raises(ValueError):
        store.save(URL, Credentials("user_api_key", Secret("")))
    with pytest.raises(ValueError):
        store.save(" / ", user_key())
    with pytest.raises(ValueError):
        CredentialStore(path, mode="cloud")
    assert not path.exists()


def test_client_id_is_made_once_and_kept(path: Path) -> None:
    first = CredentialStore(path).client_id()

    assert re.fullmatch(r"[0-9a-f]{32}", first)
    assert CredentialStore(path).client_id() == first
    CredentialStore(path).save(URL, user_key())
    CredentialStore(path).delete(URL)
    assert CredentialStore(path).client_id() == first
    assert mode_of(path) == 0o600


def test_reading_the_index_never_asks_the_keyring(path: Path, use_keyring: Install) -> None:
    backend = use_keyring(MemoryKeyring())
    CredentialStore(path).save(URL, user_key())
    backend.calls = 0
    store = CredentialStore(path)

    assert [account.storage for account in store.accounts()] == [STORAGE_KEYRING]
    assert store.account(URL) is not None
    store.client_id()

    assert backend.calls == 0


def test_concurrent_saves_in_threads_lose_nothing(path: Path) -> None:
    urls = [f"https://forum{n}.example.org" for n in range(16)]

    def save(url: str) -> None:
        CredentialStore(path, mode="file").save(url, user_key("d" * 32))

    threads = [threading.Thread(target=save, args=(url,)) for url in urls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert {account.forum_url for account in CredentialStore(path).accounts()} == set(urls)
    assert not list(path.parent.glob(".credentials.toml.*.tmp"))


def test_concurrent_saves_in_processes_lose_nothing(path: Path) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from termforum.auth import Credentials, Secret\n"
        "from termforum.credstore import CredentialStore\n"
        "store = CredentialStore(Path(sys.argv[1]), mode='file')\n"
        "for n in range(10):\n"
        "    url = f'https://p{sys.argv[2]}-{n}.example.org'\n"
        "    store.save(url, Credentials('user_api_key', Secret('e' * 32), 'u', 'c'))\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", script, str(path), str(worker)])
        for worker in range(4)
    ]
    assert [proc.wait(timeout=60) for proc in procs] == [0, 0, 0, 0]

    urls = {account.forum_url for account in CredentialStore(path).accounts()}
    assert urls == {f"https://p{w}-{n}.example.org" for w in range(4) for n in range(10)}
    assert mode_of(path) == 0o600


# --- the keyring -------------------------------------------------------------------------


def test_a_working_keyring_keeps_the_key_out_of_the_file(path: Path, use_keyring: Install) -> None:
    backend = use_keyring(MemoryKeyring())
    store = CredentialStore(path)

    result = store.save(URL + "/", user_key())

    assert result == SaveResult(STORAGE_KEYRING, None)
    assert backend.items == {(KEYRING_SERVICE, URL): KEY}
    assert KEY not in path.read_text()
    assert tomllib.loads(path.read_text())["accounts"][URL]["storage"] == STORAGE_KEYRING
    assert store.load(URL) == user_key()
    assert store.account(URL).where == "OS keyring"  # type: ignore[union-attr]
    assert store.keyring_status() is None

    assert store.delete(URL) is True
    assert backend.items == {}
    assert store.accounts() == []


def test_moving_from_the_keyring_to_the_file_removes_the_keyring_copy(
    path: Path, use_keyring: Install
) -> None:
    backend = use_keyring(MemoryKeyring())
    CredentialStore(path).save(URL, user_key())

    CredentialStore(path, mode="file").save(URL, user_key("e" * 32))

    assert backend.items == {}
    assert CredentialStore(path).load(URL) == user_key("e" * 32)


def test_moving_from_the_file_to_the_keyring_removes_the_key_from_the_file(
    path: Path, use_keyring: Install
) -> None:
    CredentialStore(path).save(URL, user_key("f" * 32))  # no keyring yet: the file
    assert "f" * 32 in path.read_text()
    backend = use_keyring(MemoryKeyring())

    result = CredentialStore(path).save(URL, user_key())

    assert result.storage == STORAGE_KEYRING
    assert "f" * 32 not in path.read_text()
    assert "key =" not in path.read_text()
    assert backend.items == {(KEYRING_SERVICE, URL): KEY}
    assert CredentialStore(path).load(URL) == user_key()


@pytest.mark.parametrize(
    ("backend_type", "reason"),
    [(LockedKeyring, "failed (KeyringLocked)"), (NoKeyringKeyring, "failed (NoKeyringError)")],
)
def test_a_failing_keyring_falls_back_to_the_file_and_is_not_asked_again(
    path: Path, use_keyring: Install, backend_type: type[MemoryKeyring], reason: str
) -> None:
    backend = use_keyring(backend_type())
    store = CredentialStore(path)

    result = store.save(URL, user_key())
    second = store.save(OTHER, user_key())

    assert result.storage == STORAGE_FILE == second.storage
    assert result.warning == (
        f"The OS keyring {reason}, so the key is stored in the plain file {path}, readable "
        "only by you (mode 0600)."
    )
    assert backend.calls == 1
    assert store.keyring_status() == reason
    assert store.load(URL) == user_key()


def test_a_hanging_keyring_costs_one_time_out_then_the_file(
    path: Path, use_keyring: Install
) -> None:
    backend = use_keyring(HangingKeyring())
    store = CredentialStore(path, keyring_timeout=0.2)

    started = time.monotonic()
    result = store.save(URL, user_key())
    store.save(OTHER, user_key())
    assert store.keyring_status() == "did not answer within 0.2 s"
    elapsed = time.monotonic() - started

    assert elapsed < 2
    assert result.storage == STORAGE_FILE
    assert "did not answer within 0.2 s" in (result.warning or "")
    assert backend.calls == 1
    assert store.load(URL) == user_key()


def test_a_back_end_that_hangs_while_being_chosen_costs_one_time_out(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    chosen: list[int] = []

    def dbus_without_an_answer() -> KeyringBackend:
        chosen.append(1)
        release.wait(30)
        return MemoryKeyring()

    monkeypatch.setattr(keyring, "get_keyring", dbus_without_an_answer)
    store = CredentialStore(path, keyring_timeout=0.2)
    try:
        started = time.monotonic()
        assert store.keyring_status() == "did not answer within 0.2 s"
        result = store.save(URL, user_key())
        elapsed = time.monotonic() - started
    finally:
        release.set()

    assert elapsed < 2
    assert chosen == [1]
    assert result.storage == STORAGE_FILE


def test_a_null_back_end_counts_as_no_keyring(path: Path, use_keyring: Install) -> None:
    use_keyring(null.Keyring())
    store = CredentialStore(path)

    result = store.save(URL, user_key())

    assert result.storage == STORAGE_FILE
    assert store.keyring_status() == "is not available here (no usable keyring back end)"


def test_keyring_only_mode_refuses_to_fall_back(path: Path) -> None:
    with pytest.raises(CredentialError) as caught:
        CredentialStore(path, mode="keyring").save(URL, user_key())

    assert str(caught.value) == (
        "The OS keyring is not installed here (no keyring back end), and credential_store = "
        '"keyring" allows no other place for the key; unlock or set up a keyring, or set '
        'credential_store = "file" in the config file.'
    )
    assert not path.exists() or URL not in path.read_text()


def test_keyring_only_mode_with_a_hanging_keyring_fails_in_time(
    path: Path, use_keyring: Install
) -> None:
    use_keyring(HangingKeyring())
    store = CredentialStore(path, mode="keyring", keyring_timeout=0.2)

    with pytest.raises(CredentialError, match="did not answer within 0.2 s"):
        store.save(URL, user_key())
    assert store.accounts() == []


def test_keyring_only_mode_stores_in_the_keyring(path: Path, use_keyring: Install) -> None:
    backend = use_keyring(MemoryKeyring())

    result = CredentialStore(path, mode="keyring").save(URL, user_key())

    assert result == SaveResult(STORAGE_KEYRING, None)
    assert backend.items == {(KEYRING_SERVICE, URL): KEY}


def test_a_key_in_a_keyring_that_stopped_answering_is_a_clear_error(
    path: Path, use_keyring: Install
) -> None:
    use_keyring(MemoryKeyring())
    CredentialStore(path).save(URL, user_key())
    use_keyring(HangingKeyring())

    with pytest.raises(CredentialError) as caught:
        CredentialStore(path, keyring_timeout=0.2).load(URL)
    assert str(caught.value) == (
        f"The key for {URL} is in the OS keyring, which did not answer within 0.2 s; unlock "
        f"it, or run 'termforum login {URL}' again."
    )


def test_a_key_in_a_keyring_that_is_gone_is_a_clear_error(path: Path, use_keyring: Install) -> None:
    use_keyring(MemoryKeyring())
    CredentialStore(path).save(URL, user_key())
    use_keyring(keyring.backends.fail.Keyring())

    with pytest.raises(CredentialError) as caught:
        CredentialStore(path).load(URL)
    assert str(caught.value) == (
        f"The key for {URL} is in the OS keyring, which is not installed here (no keyring back "
        f"end); unlock it, or run 'termforum login {URL}' again."
    )


def test_a_key_removed_from_the_keyring_behind_our_back_is_a_clear_error(
    path: Path, use_keyring: Install
) -> None:
    backend = use_keyring(MemoryKeyring())
    CredentialStore(path).save(URL, user_key())
    backend.items.clear()

    with pytest.raises(CredentialError) as caught:
        CredentialStore(path).load(URL)
    assert str(caught.value) == (
        f"The key for {URL} is no longer in the OS keyring; run 'termforum login {URL}' again."
    )


def test_delete_works_when_the_keyring_is_unusable(
    path: Path, use_keyring: Install, caplog: pytest.LogCaptureFixture
) -> None:
    use_keyring(MemoryKeyring())
    CredentialStore(path).save(URL, user_key())
    use_keyring(HangingKeyring())
    store = CredentialStore(path, keyring_timeout=0.2)

    assert store.delete(URL) is True

    assert store.accounts() == []
    assert "Could not remove the key for" in caplog.text
    assert store.delete(URL) is False


def test_delete_of_a_key_already_gone_from_the_keyring_is_fine(
    path: Path, use_keyring: Install, caplog: pytest.LogCaptureFixture
) -> None:
    backend = use_keyring(MemoryKeyring())
    store = CredentialStore(path)
    store.save(URL, user_key())
    backend.items.clear()

    assert store.delete(URL) is True
    assert store.keyring_status() is None
    assert "Could not remove" not in caplog.text


def test_file_mode_never_puts_a_key_in_the_keyring(path: Path, use_keyring: Install) -> None:
    backend = use_keyring(MemoryKeyring())
    store = CredentialStore(path, mode="file")

    result = store.save(URL, user_key())
    store.load(URL)
    store.delete(URL)

    assert result == SaveResult(STORAGE_FILE, None)
    assert backend.calls == 0
    assert store.keyring_status() == 'is not used (credential_store = "file")'


def test_file_mode_still_reads_a_key_an_earlier_login_put_in_the_keyring(
    path: Path, use_keyring: Install
) -> None:
    backend = use_keyring(MemoryKeyring())
    CredentialStore(path).save(URL, user_key())
    store = CredentialStore(path, mode="file")

    assert store.load(URL) == user_key()
    assert store.delete(URL) is True
    assert backend.items == {}


# --- secrets -----------------------------------------------------------------------------


def test_no_message_repr_or_log_line_shows_the_key(
    path: Path, use_keyring: Install, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    said: list[str] = []

    store = CredentialStore(path)
    said.append(store.save(URL, user_key()).warning or "")  # the file (no keyring)
    said += [repr(store), repr(store.load(URL)), repr(store.accounts()), repr(store.account(URL))]

    use_keyring(LockedKeyring())  # a back end whose own messages quote the key
    locked = CredentialStore(path, mode="keyring")
    with pytest.raises(CredentialError) as caught:
        locked.save(URL, user_key())
    said += [str(caught.value), repr(caught.value)]
    said.append(CredentialStore(path).save(OTHER, user_key()).warning or "")

    use_keyring(MemoryKeyring())
    CredentialStore(path).save(URL, user_key())
    use_keyring(HangingKeyring())
    for attempt in (
        lambda: CredentialStore(path, keyring_timeout=0.1).load(URL),
        lambda: CredentialStore(path, mode="keyring", keyring_timeout=0.1).save(URL, user_key()),
    ):
        with pytest.raises(CredentialError) as caught:
            attempt()
        said += [str(caught.value), repr(caught.value)]
    CredentialStore(path, keyring_timeout=0.1).delete(URL)

    path.write_text(path.read_text().replace("[accounts", "[[accounts", 1))
    with pytest.raises(CredentialError) as caught:
        CredentialStore(path).load(OTHER)
    said += [str(caught.value), repr(caught.value)]

    assert all(KEY not in text for text in said), said
    assert KEY not in caplog.text
    assert "OS keyring unusable" in caplog.text


def test_keys_read_from_the_file_are_held_as_secrets(path: Path) -> None:
    store = CredentialStore(path)
    store.save(URL, user_key())

    loaded = store.load(URL)

    assert loaded is not None and isinstance(loaded.key, Secret)
    assert KEY not in repr(loaded)
    assert KEY not in repr(store._read())

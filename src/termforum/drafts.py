"""The draft journal: every reply, new topic and edit being written, one file each.

Drafts are the one thing termforum must never lose (``docs/reliability.md`` §4). They live
in their own folder (``app_paths().drafts_dir``, 0700), never in the cache database, one JSON
file per ``DraftKey`` (0600), and every save is atomic: a private temporary file in the same
folder is written and fsynced, then renamed over the old file, then the folder is fsynced. A
save that fails at any step leaves the previous file as it was and no temporary file behind.

Two termforum instances (two SSH sessions, tmux panes) must not overwrite each other's text:

* ``DraftStore.open(key)`` takes an advisory ``fcntl.flock`` lock for that draft, without
  waiting. A second holder (another process, or another ``open`` of the same draft) gets
  ``DraftLocked`` and can show the draft read-only (``DraftStore.load``) or warn.
* Every file carries a ``generation`` that each save increments. A save whose base is older
  than the file on disk raises ``DraftConflict`` (with the newer draft) instead of
  overwriting it; ``force=True`` overwrites after the user has been told.

A file that cannot be read back is never deleted: it is renamed to
``<name>.corrupt-<timestamp>`` next to the others, logged, and reported through
``DraftStore.quarantined`` and the ``on_corrupt`` callback.

Termination: Textual installs no SIGHUP/SIGTERM handler, so a dropped SSH connection kills
the process without cleanup. The UI installs ``loop.add_signal_handler`` for both and calls
``DraftStore.flush_all()`` there, which saves the latest text of every open session (set
with ``DraftSession.stage`` or read from ``DraftSession.snapshot``) and never raises.

This module never imports Textual or Rich.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args

from termforum.errors import TermforumError
from termforum.files import fsync_dir, write_atomically
from termforum.paths import app_paths, ensure_private_dir

try:  # POSIX only; elsewhere drafts work without the cross-process lock.
    import fcntl
except ImportError:  # pragma: no cover - not on the platforms termforum runs on
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "DRAFT_FORMAT",
    "Draft",
    "DraftConflict",
    "DraftError",
    "DraftKey",
    "DraftKind",
    "DraftLocked",
    "DraftSession",
    "DraftStatus",
    "DraftStore",
    "Quarantined",
]

log = logging.getLogger(__name__)

DraftKind = Literal["reply", "topic", "edit"]
"""A reply to a topic or post, a new topic, or an edit of an existing post."""

DraftStatus = Literal["editing", "sending", "unconfirmed", "failed", "queued"]
"""Where a draft stands:

* ``editing``: being written (or closed unsent);
* ``sending``: saved just before the send (write-ahead); found so on start-up, the send's
  outcome is unknown and must be reconciled like ``unconfirmed``;
* ``unconfirmed``: the request may have reached the forum but no answer came;
* ``failed``: the forum refused it or could not be reached (``note`` says why);
* ``queued``: the forum holds it for a moderator (kept until the user discards it).
"""

KINDS: tuple[str, ...] = get_args(DraftKind)
STATUSES: tuple[str, ...] = get_args(DraftStatus)

DRAFT_FORMAT = 1
"""The layout version written in every draft file (``"format"``)."""

LOCKS_DIR = ".locks"
"""Sub-folder of the lock files (one per draft ever opened; removed with the draft)."""


# --- errors -----------------------------------------------------------------------------------


class DraftError(TermforumError):
    """A draft could not be read or written; ``errno`` is set when the system said why."""

    def __init__(self, message: str, *, errno: int | None = None) -> None:
        super().__init__(message)
        self.errno = errno


class DraftLocked(DraftError):
    """The draft is open in another termforum session (another process or window)."""


class DraftConflict(DraftError):
    """The draft on disk is newer than the one being saved (another session changed it, or
    sent and removed it); ``disk`` is that newer draft, or None when it was removed."""

    def __init__(self, message: str, *, disk: Draft | None) -> None:
        super().__init__(message)
        self.disk = disk


class _Corrupt(Exception):
    """A draft file that cannot be read back (internal: it is quarantined)."""


# --- keys and drafts --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DraftKey:
    """What a draft is for; one file per key.

    ``reply``: ``topic_id`` and, when answering one post, ``reply_to`` (its post number).
    ``topic``: a new topic, in ``group_id`` when one is chosen. ``edit``: ``post_id`` (and
    ``topic_id`` when known). ``forum`` is the configured forum's name. Ids come from servers
    and may hold anything: the file name is a hash, so they can never reach the path.
    """

    forum: str
    kind: DraftKind
    topic_id: str | None = None
    reply_to: int | None = None
    post_id: str | None = None
    group_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.forum, str) or not self.forum:
            raise ValueError("A draft key needs the forum's name.")
        if self.kind not in KINDS:
            raise ValueError(f"A draft is a {', '.join(KINDS)}, not {self.kind!r}.")
        for name in ("topic_id", "post_id", "group_id"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, str):
                raise TypeError(f"DraftKey.{name} must be a string or None, not {value!r}.")
        if self.reply_to is not None and (
            isinstance(self.reply_to, bool) or not isinstance(self.reply_to, int)
        ):
            raise TypeError(f"DraftKey.reply_to must be a post number, not {self.reply_to!r}.")
        if self.kind == "reply" and not self.topic_id:
            raise ValueError("A reply draft needs the topic it answers.")
        if self.kind == "edit" and not self.post_id:
            raise ValueError("An edit draft needs the post being edited.")

    @property
    def file_name(self) -> str:
        """``<kind>-<32 hex digits>.json``: stable across runs and Python versions, safe on
        every filesystem, and the same for equal keys only."""
        canonical = json.dumps(
            [DRAFT_FORMAT, *self._fields()], ensure_ascii=True, separators=(",", ":")
        )
        import hashlib  # loaded when a draft is first named, not at start-up

        digest = hashlib.sha256(canonical.encode("ascii")).hexdigest()[:32]
        return f"{self.kind}-{digest}.json"

    def _fields(self) -> list[Any]:
        return [self.forum, self.kind, self.topic_id, self.reply_to, self.post_id, self.group_id]

    def to_json(self) -> dict[str, Any]:
        """The key as stored in its file."""
        return {
            "forum": self.forum,
            "kind": self.kind,
            "topic_id": self.topic_id,
            "reply_to": self.reply_to,
            "post_id": self.post_id,
            "group_id": self.group_id,
        }

    @classmethod
    def from_json(cls, data: object) -> DraftKey:
        """The key stored in a file; ``ValueError``/``TypeError`` when it is not one."""
        if not isinstance(data, dict):
            raise TypeError("the draft key is not an object")
        return cls(
            forum=data["forum"],
            kind=data["kind"],
            topic_id=data.get("topic_id"),
            reply_to=data.get("reply_to"),
            post_id=data.get("post_id"),
            group_id=data.get("group_id"),
        )


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Draft:
    """The text of one draft and where it stands.

    ``body`` (and ``title``) are kept exactly, byte for byte: trailing spaces, blank lines,
    ``\\r\\n`` and control characters included. ``updated_at`` and ``generation`` are set by
    each save. ``topic_title`` and ``quote_of`` (the author quoted) are display context for
    the drafts list.
    """

    key: DraftKey
    title: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    updated_at: datetime = field(default_factory=_now)
    status: DraftStatus = "editing"
    note: str = ""
    """The last error, one sentence, when the status is ``failed`` or ``unconfirmed``."""
    generation: int = 0
    topic_title: str | None = None
    quote_of: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"A draft's status is one of {', '.join(STATUSES)}.")
        if not isinstance(self.tags, tuple) or not all(isinstance(t, str) for t in self.tags):
            raise TypeError("Draft.tags must be a tuple of strings.")
        if self.updated_at.tzinfo is None:
            raise ValueError("Draft.updated_at must be timezone-aware.")

    def same_text(self, other: Draft) -> bool:
        """Whether ``other`` holds the same text, status and context (times and generation
        aside): saving it again would change nothing a user sees."""
        return _content(self) == _content(other)


def _content(draft: Draft) -> tuple[Any, ...]:
    return (
        draft.key,
        draft.title,
        draft.body,
        draft.tags,
        draft.status,
        draft.note,
        draft.topic_title,
        draft.quote_of,
    )


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A draft file that could not be read and was set aside (never deleted)."""

    original: Path
    moved_to: Path | None
    """Where it is now; None when it could not even be renamed (it stays where it was)."""
    reason: str


# --- the file format --------------------------------------------------------------------------


def encode_draft(draft: Draft) -> bytes:
    """The file content of ``draft``: UTF-8 JSON.

    Text that cannot be encoded as UTF-8 (a lone surrogate) is written with ``\\u`` escapes
    instead, so every Python string round-trips exactly.
    """
    document = {
        "format": DRAFT_FORMAT,
        "key": draft.key.to_json(),
        "status": draft.status,
        "generation": draft.generation,
        "updated_at": draft.updated_at.isoformat(),
        "title": draft.title,
        "tags": list(draft.tags),
        "topic_title": draft.topic_title,
        "quote_of": draft.quote_of,
        "note": draft.note,
        "body": draft.body,
    }
    try:
        return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        return (json.dumps(document, ensure_ascii=True, indent=1) + "\n").encode("ascii")


def decode_draft(content: bytes) -> Draft:
    """The draft in a file's ``content``.

    Raises ``DraftError`` for a file of a newer format (left alone) and ``_Corrupt`` for
    anything that is not a draft.
    """
    try:
        document = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise _Corrupt("it is not valid UTF-8 JSON") from exc
    if not isinstance(document, dict):
        raise _Corrupt("it is not a JSON object")
    version = document.get("format")
    if isinstance(version, int) and not isinstance(version, bool) and version > DRAFT_FORMAT:
        raise DraftError("This draft was written by a newer termforum; open it with that version.")
    if version != DRAFT_FORMAT:
        raise _Corrupt("it has no known format version")
    try:
        key = DraftKey.from_json(document["key"])
        updated_at = datetime.fromisoformat(_text(document, "updated_at"))
        if updated_at.tzinfo is None:
            updated_at = updated_at.replace(tzinfo=UTC)
        tags = document.get("tags", [])
        if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
            raise TypeError("tags are not a list of strings")
        generation = document["generation"]
        if isinstance(generation, bool) or not isinstance(generation, int) or generation < 0:
            raise TypeError("the generation is not a count")
        return Draft(
            key=key,
            title=_text(document, "title"),
            body=_text(document, "body"),
            tags=tuple(tags),
            updated_at=updated_at,
            status=document["status"],
            note=_text(document, "note", ""),
            generation=generation,
            topic_title=_optional_text(document, "topic_title"),
            quote_of=_optional_text(document, "quote_of"),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise _Corrupt(f"a field is missing or wrong ({exc})") from exc


def _text(document: dict[str, Any], name: str, default: str | None = None) -> str:
    value = document.get(name, default)
    if not isinstance(value, str):
        raise TypeError(f"{name} is not text")
    return value


def _optional_text(document: dict[str, Any], name: str) -> str | None:
    value = document.get(name)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} is not text")
    return value


# --- the store --------------------------------------------------------------------------------


def _describe(error: OSError) -> str:
    """The system's reason for an ``OSError``, as words."""
    if error.errno is not None:
        return os.strerror(error.errno)
    return str(error) or error.__class__.__name__


class DraftStore:
    """The drafts of every forum, as files under ``root`` (``app_paths().drafts_dir``).

    ``clock`` gives the time stamped on each save (tests pass a fixed one). ``on_corrupt``
    is called with each ``Quarantined`` file, also kept in ``quarantined``.

    Use it from one thread (the UI's event loop); ``flush_all`` is meant for a signal handler
    installed with ``loop.add_signal_handler``, which runs in that loop.
    """

    def __init__(
        self,
        root: Path | None = None,
        *,
        clock: Callable[[], datetime] = _now,
        on_corrupt: Callable[[Quarantined], None] | None = None,
    ) -> None:
        self.root = Path(root) if root is not None else app_paths().drafts_dir
        """The drafts folder (created 0700 on first save or open)."""
        self.quarantined: list[Quarantined] = []
        """Corrupt files found and set aside since this store was made."""
        self._clock = clock
        self._on_corrupt = on_corrupt
        self._sessions: dict[DraftKey, DraftSession] = {}
        self._guard = threading.RLock()

    # --- paths and locks ----------------------------------------------------------------------

    def path(self, key: DraftKey) -> Path:
        """The file of the draft ``key`` (it may not exist)."""
        return self.root / key.file_name

    def _ensure_root(self) -> None:
        try:
            ensure_private_dir(self.root)
            ensure_private_dir(self.root / LOCKS_DIR)
        except OSError as error:
            raise DraftError(
                f"Could not create the drafts folder {self.root} ({_describe(error)}).",
                errno=error.errno,
            ) from error

    def _lock_path(self, key: DraftKey) -> Path:
        return self.root / LOCKS_DIR / (key.file_name.removesuffix(".json") + ".lock")

    def _acquire(self, key: DraftKey) -> int | None:
        """Take the draft's lock without waiting: its file descriptor, or None when this
        system cannot lock (the draft then works unlocked). Raises ``DraftLocked``."""
        if fcntl is None:  # pragma: no cover - POSIX has fcntl
            return None
        self._ensure_root()
        lock_path = self._lock_path(key)
        for _ in range(100):
            try:
                fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            except OSError as error:
                raise DraftError(
                    f"Could not open the lock of the draft ({_describe(error)}).",
                    errno=error.errno,
                ) from error
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                raise DraftLocked(
                    "This draft is open in another termforum session; it can be read here, "
                    "but changes must be made there."
                ) from None
            except OSError as error:
                os.close(fd)
                log.warning("Cannot lock drafts here (%s); continuing unlocked.", _describe(error))
                return None
            # The lock file may have been removed (with its draft) between open and flock:
            # then the lock is on a dead file and must be taken again on the new one.
            try:
                same = os.stat(lock_path).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                return fd
            os.close(fd)
        raise DraftError("Could not lock the draft: its lock file keeps changing.")

    @staticmethod
    def _release(fd: int | None, lock_path: Path | None = None) -> None:
        """Release a lock; with ``lock_path``, remove the lock file first (while held)."""
        if fd is None:
            return
        if lock_path is not None:
            with contextlib.suppress(OSError):
                os.unlink(lock_path)
        os.close(fd)

    # --- reading ------------------------------------------------------------------------------

    def _quarantine(self, path: Path, reason: str) -> None:
        """Rename a corrupt file aside (never delete it) and report it."""
        stamp = self._clock().astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        target = path.with_name(f"{path.name}.corrupt-{stamp}")
        counter = 1
        while target.exists():
            target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
            counter += 1
        moved: Path | None = target
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return
        except OSError as error:
            moved = None
            log.warning(
                "The draft %s is damaged (%s) and could not be set aside: %s",
                path,
                reason,
                _describe(error),
            )
        else:
            fsync_dir(path.parent)
            log.warning(
                "The draft %s was damaged (%s); it was set aside as %s.", path, reason, target
            )
        found = Quarantined(original=path, moved_to=moved, reason=reason)
        self.quarantined.append(found)
        if self._on_corrupt is not None:
            try:
                self._on_corrupt(found)
            except Exception:  # a reporting hook must not break reading
                log.exception("The on_corrupt hook failed.")

    def _read(self, path: Path, key: DraftKey | None = None) -> tuple[Draft | None, bool]:
        """The draft in ``path`` (None if absent) and whether a corrupt file was set aside."""
        try:
            content = path.read_bytes()
        except FileNotFoundError:
            return None, False
        except OSError as error:
            raise DraftError(
                f"Could not read the draft {path.name} ({_describe(error)}).", errno=error.errno
            ) from error
        try:
            draft = decode_draft(content)
        except _Corrupt as corrupt:
            self._quarantine(path, str(corrupt))
            return None, True
        if key is not None and draft.key != key:
            self._quarantine(path, "it belongs to another draft")
            return None, True
        return draft, False

    def load(self, key: DraftKey) -> Draft | None:
        """The saved draft for ``key``, or None. Needs no lock: use it to show a draft
        read-only. A corrupt file is set aside (see ``quarantined``) and gives None."""
        with self._guard:
            return self._read(self.path(key), key)[0]

    def all(self, forum: str | None = None) -> list[Draft]:
        """Every saved draft (of ``forum`` when given), newest first.

        Corrupt files are set aside and reported; a file of a newer format is skipped.
        """
        drafts: list[Draft] = []
        with self._guard:
            try:
                paths = sorted(self.root.glob("*.json"))
            except OSError:
                return []
            for path in paths:
                if path.name.startswith(".") or not path.is_file():
                    continue
                try:
                    draft, _ = self._read(path)
                except DraftError as error:
                    log.warning("Skipping the draft %s: %s", path.name, error)
                    continue
                if draft is not None and path.name != draft.key.file_name:
                    self._quarantine(path, "its name does not match its key")
                    continue
                if draft is not None and (forum is None or draft.key.forum == forum):
                    drafts.append(draft)
        drafts.sort(key=lambda d: (d.updated_at, d.key.file_name), reverse=True)
        return drafts

    # --- writing ------------------------------------------------------------------------------

    def _write(self, draft: Draft, *, base: int, force: bool) -> Draft:
        """Save ``draft`` over a file whose generation must not exceed ``base``; the lock (if
        any) is held by the caller."""
        self._ensure_root()
        path = self.path(draft.key)
        disk, set_aside = self._read(path, draft.key)
        on_disk = disk.generation if disk is not None else 0
        if not force:
            if disk is not None and on_disk > base:
                raise DraftConflict(
                    "Another termforum session changed this draft since it was opened here; "
                    "nothing was overwritten.",
                    disk=disk,
                )
            if disk is None and base > 0 and not set_aside:
                raise DraftConflict(
                    "Another termforum session sent or discarded this draft since it was "
                    "opened here; nothing was written.",
                    disk=None,
                )
        saved = replace(draft, generation=max(on_disk, base) + 1, updated_at=self._clock())
        self._replace_file(path, encode_draft(saved))
        return saved

    def _replace_file(self, path: Path, content: bytes) -> None:
        """Atomically make ``path`` hold ``content`` (see the module docstring)."""
        try:
            write_atomically(path, content)
        except OSError as error:
            raise self._save_error(error) from error

    @staticmethod
    def _save_error(error: OSError) -> DraftError:
        return DraftError(
            f"Could not save the draft ({_describe(error)}); the copy saved before is unchanged.",
            errno=error.errno,
        )

    def save(self, draft: Draft, *, force: bool = False) -> Draft:
        """Save ``draft`` atomically and return it as saved (``generation`` + 1, ``updated_at``
        now).

        When this store has a session open for the key, this is ``session.save``. Otherwise
        the draft's lock is taken for the write (``DraftLocked`` if another session holds it),
        and ``draft.generation`` must be at least the file's (``DraftConflict`` otherwise;
        ``force=True`` overwrites). Raises ``DraftError`` when the disk refuses; the previous
        file is then intact and no temporary file remains.
        """
        with self._guard:
            session = self._sessions.get(draft.key)
            if session is not None:
                return session.save(draft, force=force)
            fd = self._acquire(draft.key)
            try:
                return self._write(draft, base=draft.generation, force=force)
            finally:
                self._release(fd)

    def delete(self, key: DraftKey) -> None:
        """Remove the draft ``key`` (after a confirmed send, or when the user discards it).

        Raises ``DraftLocked`` when another session holds it; a missing draft is fine.
        """
        with self._guard:
            session = self._sessions.get(key)
            if session is not None:
                session.delete()
                return
            fd = self._acquire(key)
            try:
                self._unlink(key)
            finally:
                self._release(fd, self._lock_path(key))

    def _unlink(self, key: DraftKey) -> None:
        try:
            os.unlink(self.path(key))
        except FileNotFoundError:
            return
        except OSError as error:
            raise DraftError(
                f"Could not remove the draft ({_describe(error)}).", errno=error.errno
            ) from error
        fsync_dir(self.root)

    # --- sessions -----------------------------------------------------------------------------

    def open(self, key: DraftKey) -> DraftSession:
        """Open the draft ``key`` for writing: take its lock and load what is saved.

        Raises ``DraftLocked`` when another session (another process, or an earlier ``open``
        not yet closed) holds it: show ``load(key)`` read-only or warn instead. Close the
        session (or use it as a context manager) when the composer closes.
        """
        with self._guard:
            if key in self._sessions:
                raise DraftLocked(
                    "This draft is already open in another composer of this termforum."
                )
            fd = self._acquire(key)
            try:
                draft, _ = self._read(self.path(key), key)
            except BaseException:
                self._release(fd)
                raise
            session = DraftSession(self, key, fd, draft)
            self._sessions[key] = session
            return session

    def _forget(self, session: DraftSession) -> None:
        with self._guard:
            if self._sessions.get(session.key) is session:
                del self._sessions[session.key]

    @property
    def sessions(self) -> list[DraftSession]:
        """The sessions open in this store."""
        with self._guard:
            return list(self._sessions.values())

    def flush_all(self) -> list[tuple[DraftKey, Exception]]:
        """Save the latest text of every open session (for SIGHUP/SIGTERM and quitting).

        Never raises: the failures are returned (and logged), one per draft, so the caller
        can still exit. Sessions whose text did not change since their last save write
        nothing.
        """
        failures: list[tuple[DraftKey, Exception]] = []
        for session in self.sessions:
            try:
                session.flush()
            except Exception as error:
                log.error("Could not save the draft %s: %s", session.key.file_name, error)
                failures.append((session.key, error))
        return failures

    def close_all(self) -> list[tuple[DraftKey, Exception]]:
        """``flush_all``, then release every lock; the failures of the flush."""
        failures = self.flush_all()
        for session in self.sessions:
            session.close(flush=False)
        return failures


class DraftSession:
    """One draft open for writing, holding its lock until ``close()``.

    ``draft`` is the draft as last loaded or saved here (None when there is none yet). Call
    ``save`` from the autosave timer; set ``snapshot`` (a callable returning the draft as on
    screen) or call ``stage`` on each change so that ``DraftStore.flush_all`` can save the
    latest text when the process is told to end.
    """

    def __init__(self, store: DraftStore, key: DraftKey, fd: int | None, draft: Draft | None):
        self.store = store
        self.key = key
        self.draft = draft
        self.generation = draft.generation if draft is not None else 0
        """The generation this session last read or wrote; saves build on it."""
        self.snapshot: Callable[[], Draft | None] | None = None
        """Returns the current text as a ``Draft`` (read by ``flush``), when set."""
        self._fd = fd
        self._staged: Draft | None = None
        self.closed = False

    def __repr__(self) -> str:
        state = "closed" if self.closed else ("locked" if self.locked else "unlocked")
        return f"DraftSession({self.key.kind} {self.key.file_name}, {state})"

    @property
    def locked(self) -> bool:
        """Whether this session holds the cross-process lock (False where locks fail)."""
        return self._fd is not None and not self.closed

    def _check_open(self) -> None:
        if self.closed:
            raise DraftError("This draft was closed; open it again to change it.")

    def save(self, draft: Draft, *, force: bool = False) -> Draft:
        """Save ``draft`` (its key must be this session's) and return it as saved.

        The file must not have moved past the generation this session last read or wrote
        (``DraftConflict`` otherwise, unless ``force``); ``draft.generation`` is ignored.
        """
        self._check_open()
        if draft.key != self.key:
            raise ValueError("This session holds another draft.")
        with self.store._guard:
            saved = self.store._write(draft, base=self.generation, force=force)
            self.draft = saved
            self.generation = saved.generation
            if self._staged is not None and self._staged.same_text(saved):
                self._staged = None
            return saved

    def stage(self, draft: Draft) -> None:
        """Remember ``draft`` as the latest text, without writing (``flush`` writes it)."""
        self._check_open()
        if draft.key != self.key:
            raise ValueError("This session holds another draft.")
        self._staged = draft

    def flush(self) -> Draft | None:
        """Save the latest text (``snapshot()``, else what was staged) if it differs from
        what is saved; the saved draft, or None when there was nothing to write."""
        if self.closed:
            return None
        latest = self._staged
        if self.snapshot is not None:
            latest = self.snapshot() or latest
        if latest is None or (self.draft is not None and latest.same_text(self.draft)):
            return None
        return self.save(latest)

    def delete(self) -> None:
        """Remove the saved draft (after the forum confirmed the post); the session stays
        open, empty, so a later ``save`` starts a new draft."""
        self._check_open()
        with self.store._guard:
            self.store._unlink(self.key)
            self.draft = None
            self.generation = 0
            self._staged = None
            self.snapshot = None

    def close(self, *, flush: bool = True) -> None:
        """Release the lock (saving the latest text first unless ``flush=False``); safe to
        call twice. The lock is released even when the flush fails (which is raised)."""
        if self.closed:
            return
        try:
            if flush:
                self.flush()
        finally:
            self.closed = True
            self.store._forget(self)
            fd, self._fd = self._fd, None
            removable = self.draft is None and not self.store.path(self.key).exists()
            DraftStore._release(fd, self.store._lock_path(self.key) if removable else None)

    def __enter__(self) -> DraftSession:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

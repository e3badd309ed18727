"""The draft journal (reliability checklist 13, 14 and 17).

Real files in a temporary folder, real ``fcntl`` locks, and real child processes for what
only another process can show: a lock held elsewhere, ``kill -9`` right after a save, and
SIGTERM/SIGHUP reaching a process that flushes its open drafts. Failures of ``write``,
``fsync`` and ``replace`` are injected by replacing those ``os`` functions for one save.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import re
import signal
import stat
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from termforum.drafts import (
    DRAFT_FORMAT,
    Draft,
    DraftConflict,
    DraftError,
    DraftKey,
    DraftLocked,
    DraftStore,
    Quarantined,
    encode_draft,
)
from termforum.errors import TermforumError
from termforum.paths import app_paths

REPLY = DraftKey(forum="demo", kind="reply", topic_id="57", reply_to=3)
TOPIC = DraftKey(forum="demo", kind="topic", group_id="5")
EDIT = DraftKey(forum="demo", kind="edit", post_id="83", topic_id="57")
BODY = "Grazie per la risposta!  \n\n```py\nprint('ciao')\n```\r\n\t— café ☕ 👩🏽‍💻\x07  \n\n"
SRC = str(Path(__file__).resolve().parents[2] / "src")


class Clock:
    """A clock that moves one second per reading (no wall-clock time in assertions)."""

    def __init__(self) -> None:
        self.now = datetime(2025, 10, 11, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return tmp_path / "drafts"


@pytest.fixture
def store(root: Path) -> Iterator[DraftStore]:
    drafts = DraftStore(root, clock=Clock())
    yield drafts
    drafts.close_all()


def leftovers(root: Path) -> list[str]:
    """Temporary files left in the drafts folder."""
    return sorted(path.name for path in root.iterdir() if path.name.endswith(".tmp"))


def run_child(code: str, root: Path) -> subprocess.Popen[str]:
    """Start a Python child running ``code`` with ``ROOT`` set to the drafts folder."""
    prelude = "import sys, os, time, json\nfrom pathlib import Path\n"
    prelude += "from termforum.drafts import Draft, DraftKey, DraftStore\n"
    prelude += f"ROOT = Path({str(root)!r})\n"
    prelude += "REPLY = DraftKey(forum='demo', kind='reply', topic_id='57', reply_to=3)\n"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    return subprocess.Popen(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def wait_for(child: subprocess.Popen[str], word: str) -> None:
    line = child.stdout.readline() if child.stdout else ""
    if line.strip() != word:
        child.kill()
        _, err = child.communicate(timeout=10)
        pytest.fail(f"child said {line!r}, not {word!r}; stderr:\n{err}")


# --- keys -------------------------------------------------------------------------------------


def test_file_names_are_stable_and_safe() -> None:
    # The name must never change between versions: drafts saved by one run are found by the next.
    assert REPLY.file_name == DraftKey("demo", "reply", "57", 3).file_name
    assert re.fullmatch(r"reply-[0-9a-f]{32}\.json", REPLY.file_name)
    assert REPLY.file_name == "reply-" + _digest(REPLY) + ".json"
    names = {
        key.file_name
        for key in (
            REPLY,
            DraftKey("demo", "reply", "57"),
            DraftKey("demo", "reply", "57", 4),
            DraftKey("other", "reply", "57", 3),
            TOPIC,
            DraftKey("demo", "topic"),
            EDIT,
            DraftKey("demo", "edit", post_id="83"),
        )
    }
    assert len(names) == 8


def _digest(key: DraftKey) -> str:
    import hashlib

    canonical = json.dumps(
        [1, key.forum, key.kind, key.topic_id, key.reply_to, key.post_id, key.group_id],
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


@pytest.mark.parametrize(
    "hostile", ["../../../etc/passwd", "/abs/path", "a/../../b", "..", "x\x00y", "é" * 300]
)
def test_server_ids_never_reach_the_path(store: DraftStore, root: Path, hostile: str) -> None:
    key = DraftKey(forum=hostile, kind="edit", post_id=hostile, topic_id=hostile, group_id=hostile)
    saved = store.save(Draft(key, body="text"))
    assert store.path(key).parent == root
    assert [p.name for p in root.glob("*.json")] == [key.file_name]
    assert store.load(key) == saved


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"forum": "", "kind": "topic"}, ValueError),
        ({"forum": "demo", "kind": "poll"}, ValueError),
        ({"forum": "demo", "kind": "reply"}, ValueError),
        ({"forum": "demo", "kind": "edit", "topic_id": "5"}, ValueError),
        ({"forum": "demo", "kind": "reply", "topic_id": 57}, TypeError),
        ({"forum": "demo", "kind": "reply", "topic_id": "57", "reply_to": "3"}, TypeError),
        ({"forum": "demo", "kind": "reply", "topic_id": "57", "reply_to": True}, TypeError),
    ],
)
def test_bad_keys_are_refused(fields: dict[str, object], error: type[Exception]) -> None:
    with pytest.raises(error):
        DraftKey(**fields)  # type: ignore[arg-type]


def test_the_default_folder_is_the_state_drafts_folder(termforum_home: Path) -> None:
    drafts = DraftStore()
    assert drafts.root == app_paths().drafts_dir
    assert drafts.root.is_relative_to(termforum_home)
    drafts.save(Draft(TOPIC, title="A title", body="b"))
    assert (app_paths().drafts_dir / TOPIC.file_name).is_file()
    cache = app_paths().cache_dir
    assert not cache.exists() or not any(cache.iterdir())  # drafts never go to the cache


# --- round trip -------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(blacklist_categories=()), max_size=400)
"""Any string: control characters, emoji, CR/LF, NUL, lone surrogates."""


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=ANY_TEXT,
    title=ANY_TEXT,
    tags=st.lists(ANY_TEXT, max_size=4).map(tuple),
    note=ANY_TEXT,
    context=st.none() | ANY_TEXT,
)
def test_every_text_round_trips_exactly(
    body: str, title: str, tags: tuple[str, ...], note: str, context: str | None
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        store = DraftStore(Path(folder), clock=Clock())
        draft = Draft(
            REPLY,
            title=title,
            body=body,
            tags=tags,
            note=note,
            topic_title=context,
            quote_of=context,
            status="failed",
        )
        saved = store.save(draft)
        again = DraftStore(Path(folder)).load(REPLY)
        assert again == saved
        assert again is not None
        assert again.body == body and len(again.body) == len(body)
        assert (again.title, again.tags, again.note, again.topic_title) == (
            title,
            tags,
            note,
            context,
        )


def test_the_file_is_readable_utf8_json(store: DraftStore) -> None:
    store.save(Draft(REPLY, body=BODY, title="Perché?"))
    content = store.path(REPLY).read_bytes()
    document = json.loads(content.decode("utf-8"))
    assert document["body"] == BODY
    assert document["format"] == DRAFT_FORMAT
    assert "Perché?".encode() in content  # human-readable, not \u-escaped


def test_a_lone_surrogate_falls_back_to_escapes(store: DraftStore) -> None:
    saved = store.save(Draft(REPLY, body="half \ud83d of an emoji"))
    assert store.path(REPLY).read_bytes().isascii()
    assert store.load(REPLY) == saved


def test_save_counts_generations_and_stamps_the_time(store: DraftStore) -> None:
    first = store.save(Draft(REPLY, body="one"))
    second = store.save(replace_body(first, "two"))
    assert (first.generation, second.generation) == (1, 2)
    assert second.updated_at - first.updated_at == timedelta(seconds=1)
    assert store.load(REPLY) == second


def replace_body(draft: Draft, body: str) -> Draft:
    from dataclasses import replace

    return replace(draft, body=body)


# --- permissions ------------------------------------------------------------------------------


def test_modes_are_private_even_with_umask_zero(store: DraftStore, root: Path) -> None:
    old = os.umask(0)
    try:
        store.save(Draft(REPLY, body=BODY))
        session = store.open(TOPIC)
        session.save(Draft(TOPIC, title="t", body="b"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    assert stat.S_IMODE((root / ".locks").stat().st_mode) == 0o700
    for path in root.glob("*.json"):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for path in (root / ".locks").iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    session.close()


def test_an_open_folder_is_tightened(root: Path) -> None:
    root.mkdir(parents=True, mode=0o755)
    os.chmod(root, 0o755)
    DraftStore(root).save(Draft(REPLY, body="x"))
    assert stat.S_IMODE(root.stat().st_mode) == 0o700


# --- failed saves leave the old draft -----------------------------------------------------------


def _partial_write_then(err: int) -> Callable[[int, object], int]:
    real = os.write

    def write(fd: int, data: object) -> int:
        real(fd, bytes(memoryview(data))[:7])  # type: ignore[arg-type]
        raise OSError(err, os.strerror(err))

    return write


def _raise(err: int) -> Callable[..., object]:
    def fail(*args: object, **kwargs: object) -> object:
        raise OSError(err, os.strerror(err))

    return fail


@pytest.mark.parametrize(
    ("target", "replacement", "err"),
    [
        ("write", _partial_write_then(errno.ENOSPC), errno.ENOSPC),
        ("write", _raise(errno.EIO), errno.EIO),
        ("fsync", _raise(errno.EIO), errno.EIO),
        ("fsync", _raise(errno.ENOSPC), errno.ENOSPC),
        ("replace", _raise(errno.EACCES), errno.EACCES),
    ],
    ids=["partial write ENOSPC", "write EIO", "fsync EIO", "fsync ENOSPC", "replace EACCES"],
)
def test_a_failed_save_keeps_the_previous_draft_and_no_temp_file(
    store: DraftStore, root: Path, monkeypatch: pytest.MonkeyPatch, target, replacement, err
) -> None:
    before = store.save(Draft(REPLY, body=BODY))
    content = store.path(REPLY).read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(os, target, replacement)
        with pytest.raises(DraftError) as caught:
            store.save(replace_body(before, "the new text that must not half-replace the old"))
    assert caught.value.errno == err
    assert os.strerror(err) in str(caught.value)
    assert isinstance(caught.value, TermforumError)
    assert store.path(REPLY).read_bytes() == content
    assert store.load(REPLY) == before
    assert leftovers(root) == []
    assert store.save(replace_body(before, "later")).generation == 2  # the store still works


def test_no_space_for_the_temporary_file(
    store: DraftStore, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.save(Draft(REPLY, body=BODY))
    with monkeypatch.context() as patch:
        patch.setattr(tempfile, "mkstemp", _raise(errno.ENOSPC))
        with pytest.raises(DraftError, match="No space left"):
            store.save(replace_body(before, "new"))
    assert store.load(REPLY) == before


def test_an_interrupt_mid_write_removes_the_temp_file(
    store: DraftStore, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = store.save(Draft(REPLY, body=BODY))

    def interrupted(fd: int, data: object) -> int:
        raise KeyboardInterrupt

    with monkeypatch.context() as patch:
        patch.setattr(os, "write", interrupted)
        with pytest.raises(KeyboardInterrupt):
            store.save(replace_body(before, "new"))
    assert leftovers(root) == []
    assert store.load(REPLY) == before


def test_a_first_save_that_fails_leaves_nothing(
    store: DraftStore, root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", _raise(errno.EIO))
        with pytest.raises(DraftError):
            store.save(Draft(REPLY, body=BODY))
    assert store.load(REPLY) is None
    assert leftovers(root) == []


# --- locks and generations (two instances) ------------------------------------------------------


def test_a_lock_held_by_another_process_is_reported(store: DraftStore, root: Path) -> None:
    store.save(Draft(REPLY, body="written earlier"))
    child = run_child(
        """
        session = DraftStore(ROOT).open(REPLY)
        print("locked", flush=True)
        sys.stdin.readline()
        session.save(Draft(REPLY, body="written by the other window"))
        session.close()
        print("done", flush=True)
        """,
        root,
    )
    try:
        wait_for(child, "locked")
        with pytest.raises(DraftLocked, match="open in another termforum session"):
            store.open(REPLY)
        with pytest.raises(DraftLocked):
            store.save(Draft(REPLY, body="would overwrite", generation=1))
        with pytest.raises(DraftLocked):
            store.delete(REPLY)
        readonly = store.load(REPLY)
        assert readonly is not None and readonly.body == "written earlier"
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()
        wait_for(child, "done")
    finally:
        child.kill()
        child.communicate(timeout=10)
    # The other window saved on top of generation 1; our read-only copy is now stale.
    with pytest.raises(DraftConflict) as caught:
        store.save(replace_body(readonly, "my stale edit"))
    assert caught.value.disk is not None
    assert caught.value.disk.body == "written by the other window"
    with store.open(REPLY) as session:
        assert session.draft is not None and session.draft.generation == 2


def test_a_second_session_in_the_same_process_is_locked_out(root: Path) -> None:
    first = DraftStore(root)
    second = DraftStore(root)
    session = first.open(REPLY)
    with pytest.raises(DraftLocked, match="already open"):
        first.open(REPLY)
    with pytest.raises(DraftLocked):
        second.open(REPLY)
    other = second.open(TOPIC)  # other drafts are independent
    session.close()
    second.open(REPLY).close()
    other.close()


def test_a_session_refuses_to_overwrite_a_newer_file(store: DraftStore) -> None:
    session = store.open(REPLY)
    session.save(Draft(REPLY, body="mine"))
    # Something wrote past the lock (an old version, a filesystem without locks).
    newer = Draft(REPLY, body="theirs", generation=5)
    store.path(REPLY).write_bytes(encode_draft(newer))
    with pytest.raises(DraftConflict) as caught:
        session.save(Draft(REPLY, body="mine, edited"))
    assert caught.value.disk == newer
    assert store.load(REPLY) == newer  # nothing overwritten
    forced = session.save(Draft(REPLY, body="mine, edited"), force=True)
    assert forced.generation == 6
    session.close()


def test_session_saves_build_on_their_own_generation(store: DraftStore) -> None:
    with store.open(REPLY) as session:
        base = Draft(REPLY, body="v")
        for count in range(1, 4):
            # The caller may keep passing a draft with the old generation: the session knows.
            assert session.save(replace_body(base, f"v{count}")).generation == count


def test_a_draft_removed_elsewhere_is_not_resurrected(store: DraftStore) -> None:
    stale = store.save(Draft(REPLY, body="sent from the other window"))
    store.delete(REPLY)
    with pytest.raises(DraftConflict, match="sent or discarded") as caught:
        store.save(replace_body(stale, "edit of a draft that was already sent"))
    assert caught.value.disk is None
    assert store.load(REPLY) is None
    assert store.save(replace_body(stale, "on purpose"), force=True).body == "on purpose"


def test_kill_9_right_after_save_keeps_the_draft(root: Path) -> None:
    child = run_child(
        f"""
        session = DraftStore(ROOT).open(REPLY)
        session.save(Draft(REPLY, body={BODY!r}, status="sending"))
        print("saved", flush=True)
        time.sleep(600)
        """,
        root,
    )
    try:
        wait_for(child, "saved")
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        child.kill()
        child.communicate(timeout=10)
    assert child.returncode == -signal.SIGKILL
    store = DraftStore(root)
    with store.open(REPLY) as session:  # the dead process's lock is gone
        assert session.draft is not None
        assert (session.draft.body, session.draft.status) == (BODY, "sending")
    assert leftovers(root) == []


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_flush_all_from_a_signal_handler_saves_the_open_text(root: Path, signum: int) -> None:
    """How the UI wires it: ``loop.add_signal_handler`` → ``flush_all`` → exit."""
    child = run_child(
        f"""
        import asyncio, signal
        store = DraftStore(ROOT)
        session = store.open(REPLY)
        session.save(Draft(REPLY, body="autosaved a while ago"))
        text = {{"body": "autosaved a while ago"}}
        session.snapshot = lambda: Draft(REPLY, body=text["body"])

        async def main():
            loop = asyncio.get_running_loop()
            done = asyncio.Event()

            def on_signal():
                failures = store.flush_all()
                print("flushed", len(failures), flush=True)
                done.set()

            loop.add_signal_handler({int(signum)}, on_signal)
            text["body"] = {BODY!r}  # typed after the last autosave
            print("ready", flush=True)
            await done.wait()

        asyncio.run(main())
        """,
        root,
    )
    try:
        wait_for(child, "ready")
        child.send_signal(signum)
        wait_for(child, "flushed 0")
        child.wait(timeout=10)
    finally:
        child.kill()
        child.communicate(timeout=10)
    saved = DraftStore(root).load(REPLY)
    assert saved is not None and saved.body == BODY and saved.generation == 2


# --- corrupt files ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01garbage",
        encode_draft(Draft(REPLY, body="cut short by a crash"))[:60],
        b"[]",
        b'{"format": 1}',
        b"\xff\xfe not utf-8",
        b"",
    ],
    ids=["binary", "truncated", "list", "no fields", "not utf-8", "empty"],
)
def test_a_corrupt_draft_is_set_aside_and_reported(
    root: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    found: list[Quarantined] = []
    store = DraftStore(root, clock=Clock(), on_corrupt=found.append)
    store.save(Draft(TOPIC, title="Healthy", body="still here"))
    store.path(REPLY).write_bytes(content)
    caplog.set_level(logging.WARNING)

    assert store.load(REPLY) is None
    assert not store.path(REPLY).exists()
    aside = list(root.glob(REPLY.file_name + ".corrupt-*"))
    assert len(aside) == 1
    assert re.fullmatch(re.escape(REPLY.file_name) + r"\.corrupt-\d{8}T\d{6}Z", aside[0].name)
    assert aside[0].read_bytes() == content  # kept, byte for byte
    assert found == store.quarantined
    assert [(q.original, q.moved_to) for q in found] == [(store.path(REPLY), aside[0])]
    assert "set aside" in caplog.text
    assert [d.key for d in store.all()] == [TOPIC]  # the others are fine


def test_all_sets_corrupt_files_aside_and_lists_the_rest(store: DraftStore, root: Path) -> None:
    store.save(Draft(REPLY, body="reply"))
    store.save(Draft(TOPIC, title="Topic", body="topic"))
    (root / "reply-0123456789abcdef0123456789abcdef.json").write_text("{not json")
    store.path(EDIT).write_bytes(encode_draft(Draft(REPLY, body="someone else's key")))
    listed = store.all()
    assert [d.key for d in listed] == [TOPIC, REPLY]
    assert len(store.quarantined) == 2
    assert len(list(root.glob("*.corrupt-*"))) == 2
    assert store.all() == listed  # already set aside: nothing new


def test_a_draft_of_a_newer_format_is_left_alone(store: DraftStore) -> None:
    newer = {"format": DRAFT_FORMAT + 1, "key": REPLY.to_json(), "whatever": "comes next"}
    store.path(REPLY).parent.mkdir(parents=True, exist_ok=True)
    store.path(REPLY).write_text(json.dumps(newer))
    with pytest.raises(DraftError, match="newer termforum"):
        store.load(REPLY)
    assert store.all() == []
    assert store.path(REPLY).exists() and store.quarantined == []


# --- listing, deleting, flushing ----------------------------------------------------------------


def test_all_is_newest_first_and_filters_by_forum(store: DraftStore, root: Path) -> None:
    other = DraftKey(forum="meta", kind="topic")
    store.save(Draft(REPLY, body="1"))
    store.save(Draft(other, body="2"))
    store.save(Draft(EDIT, body="3"))
    store.save(Draft(TOPIC, body="4"))
    with store.open(REPLY) as session:
        session.save(Draft(REPLY, body="1 again"))
    (root / ".reply-x.json.abc.tmp").write_text("half")
    assert [d.body for d in store.all()] == ["1 again", "4", "3", "2"]
    assert [d.body for d in store.all("demo")] == ["1 again", "4", "3"]
    assert store.all("nowhere") == []


def test_delete_removes_the_draft_and_its_lock(store: DraftStore, root: Path) -> None:
    store.save(Draft(REPLY, body="sent"))
    store.delete(REPLY)
    store.delete(REPLY)  # already gone: fine
    assert store.load(REPLY) is None
    assert list(root.glob("*.json")) == []
    assert list((root / ".locks").iterdir()) == []


def test_session_delete_after_a_confirmed_send(store: DraftStore, root: Path) -> None:
    session = store.open(REPLY)
    session.save(Draft(REPLY, body="about to be sent", status="sending"))
    session.delete()
    assert store.load(REPLY) is None
    assert session.flush() is None  # nothing staged any more
    again = session.save(Draft(REPLY, body="a new one"))
    assert again.generation == 1
    session.delete()
    session.close()
    assert list((root / ".locks").iterdir()) == []


def test_flush_all_saves_what_changed_and_reports_failures(store: DraftStore) -> None:
    reply = store.open(REPLY)
    topic = store.open(TOPIC)
    edit = store.open(EDIT)
    reply.save(Draft(REPLY, body="same"))
    reply.stage(Draft(REPLY, body="same"))  # unchanged: not written again
    topic.snapshot = lambda: Draft(TOPIC, title="T", body="typed, not yet autosaved")

    def broken() -> Draft:
        raise RuntimeError("the widget is gone")

    edit.snapshot = broken
    failures = store.flush_all()
    assert [(key, str(error)) for key, error in failures] == [(EDIT, "the widget is gone")]
    assert store.load(REPLY).generation == 1  # type: ignore[union-attr]
    assert store.load(TOPIC).body == "typed, not yet autosaved"  # type: ignore[union-attr]
    edit.snapshot = None
    assert store.close_all() == []
    assert store.sessions == []


def test_close_flushes_the_staged_text_and_releases_the_lock(root: Path) -> None:
    store = DraftStore(root)
    session = store.open(REPLY)
    session.stage(Draft(REPLY, body=BODY))
    session.close()
    session.close()
    assert store.load(REPLY).body == BODY  # type: ignore[union-attr]
    with pytest.raises(DraftError, match="closed"):
        session.save(Draft(REPLY, body="x"))
    DraftStore(root).open(REPLY).close()  # the lock is free


def test_a_session_only_takes_its_own_draft(store: DraftStore) -> None:
    with store.open(REPLY) as session, pytest.raises(ValueError):
        session.save(Draft(TOPIC, body="wrong key"))


def test_drafts_never_import_textual() -> None:
    code = (
        "import sys, termforum.drafts\n"
        "print([m for m in sys.modules if m.startswith(('textual', 'rich'))])"
    )
    env = {**os.environ, "PYTHONPATH": SRC}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert result.stdout.strip() == "[]"

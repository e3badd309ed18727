"""state.toml: round trip, atomic private writes, and recovery from a corrupt file."""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from termforum.state import AppState, load_state, save_state, state_file


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("TERMFORUM_HOME", str(home))
    monkeypatch.delenv("TERMFORUM_CONFIG", raising=False)
    return home


@pytest.fixture
def open_umask() -> Iterator[None]:
    """Run with umask 0, the most permissive, so modes must be set on purpose."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def full_state() -> AppState:
    return AppState(
        last_forum="work",
        last_group={"work": "12", "meta": "general"},
        last_topic={"work": "3456"},
        groups_width=28,
        list_ratio=0.4,
        compact=True,
        theme="termforum-ansi",
        theme_config="textual-dark",
        view={"work": {"12": "top/weekly", "": "latest"}, "meta": {"general": "new"}},
        position={"work": {"12|top/weekly": "3456", "__all__|latest|#api": "77"}},
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_state_file_lives_in_the_state_folder_under_termforum_home(home: Path) -> None:
    assert state_file() == home / "state" / "state.toml"


def test_round_trip(home: Path) -> None:
    save_state(full_state())

    assert state_file().exists()
    assert load_state() == full_state()


def test_missing_file_gives_defaults_and_creates_nothing(home: Path) -> None:
    assert load_state() == AppState()
    assert not home.exists()


def test_unset_values_are_left_out_of_the_file(home: Path) -> None:
    save_state(AppState(last_forum="work"))

    data = tomllib.loads(state_file().read_text(encoding="utf-8"))
    assert data["last_forum"] == "work"
    assert "groups_width" not in data
    assert "list_ratio" not in data
    assert load_state() == AppState(last_forum="work")


def test_saving_again_replaces_the_old_state(home: Path) -> None:
    save_state(full_state())
    save_state(AppState(groups_width=40))

    assert load_state() == AppState(groups_width=40)


def test_modes_are_private_even_with_umask_zero(home: Path, open_umask: None) -> None:
    save_state(full_state())

    assert mode(state_file()) == 0o600
    assert mode(state_file().parent) == 0o700


def test_an_existing_loose_file_becomes_private(home: Path, open_umask: None) -> None:
    state_file().parent.mkdir(parents=True)
    state_file().write_text('last_forum = "old"\n', encoding="utf-8")
    os.chmod(state_file(), 0o644)
    os.chmod(state_file().parent, 0o755)

    save_state(AppState(last_forum="new"))

    assert mode(state_file()) == 0o600
    assert mode(state_file().parent) == 0o700
    assert load_state().last_forum == "new"


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_failed_write_keeps_old_file_and_leaves_no_temp_file(home: Path, failing: str) -> None:
    save_state(full_state())
    before = state_file().read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    with pytest.MonkeyPatch.context() as patch, pytest.raises(OSError, match="No space left"):
        patch.setattr(os, failing, broken)
        save_state(AppState(last_forum="lost"))

    assert sorted(p.name for p in state_file().parent.iterdir()) == ["state.toml"]
    assert state_file().read_bytes() == before
    assert load_state() == full_state()


def test_corrupt_file_gives_defaults_and_is_moved_aside(home: Path) -> None:
    state_file().parent.mkdir(parents=True)
    garbage = b'last_forum = "work\n[[[ not toml'
    state_file().write_bytes(garbage)

    assert load_state() == AppState()

    assert not state_file().exists()
    moved = [p for p in state_file().parent.iterdir() if p.name.startswith("state.toml.corrupt-")]
    assert len(moved) == 1
    assert moved[0].read_bytes() == garbage


def test_two_corrupt_files_in_a_row_are_both_kept(home: Path) -> None:
    state_file().parent.mkdir(parents=True)
    for garbage in (b"\xff\xfe not utf-8", b"= no key"):
        state_file().write_bytes(garbage)
        assert load_state() == AppState()

    moved = sorted(
        p.read_bytes()
        for p in state_file().parent.iterdir()
        if p.name.startswith("state.toml.corrupt-")
    )
    assert moved == sorted([b"\xff\xfe not utf-8", b"= no key"])


def test_a_save_after_corruption_starts_afresh(home: Path) -> None:
    state_file().parent.mkdir(parents=True)
    state_file().write_text("not toml at all", encoding="utf-8")

    state = load_state()
    state.last_forum = "meta"
    save_state(state)

    assert load_state() == AppState(last_forum="meta")


def test_values_of_the_wrong_type_are_ignored_not_fatal(home: Path) -> None:
    state_file().parent.mkdir(parents=True)
    state_file().write_text(
        "\n".join(
            [
                "version = 99",
                "last_forum = 3",
                'groups_width = "wide"',
                "list_ratio = 1.5",
                'compact = "yes"',
                'theme = "nord"',
                'future_key = "from a newer termforum"',
                "[last_group]",
                'work = "12"',
                "meta = 7",
                "bad = true",
                "[last_topic]",
                "work = [1, 2]",
                "[view]",
                'work = "not a table"',
                "[view.meta]",
                'general = "top"',
            ]
        ),
        encoding="utf-8",
    )

    state = load_state()

    assert state == AppState(
        last_group={"work": "12", "meta": "7"}, view={"meta": {"general": "top"}}
    )
    assert state_file().exists()  # valid TOML is not moved aside


def test_unreadable_state_gives_defaults(home: Path) -> None:
    state_file().mkdir(parents=True)  # a folder where the file should be

    assert load_state() == AppState()


def test_save_state_never_writes_config_toml(home: Path) -> None:
    home.mkdir()
    config = home / "config.toml"
    config.write_text('theme = "nord"  # mine\n', encoding="utf-8")
    before = (config.read_bytes(), config.stat().st_mtime_ns)

    save_state(full_state())

    assert (config.read_bytes(), config.stat().st_mtime_ns) == before
    assert sorted(p.name for p in home.iterdir()) == ["config.toml", "state"]

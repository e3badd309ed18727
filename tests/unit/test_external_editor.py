"""ctrl+e hands the text to $VISUAL/$EDITOR and takes back what the editor saved."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from termforum.errors import TermforumError
from termforum.ui.screens.composer import edit_externally


def _editor(tmp_path: Path, script: str) -> str:
    path = tmp_path / "fake-editor"
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_edited_text_comes_back_and_the_temp_file_is_private_and_removed(tmp_path: Path) -> None:
    seen = tmp_path / "seen"
    editor = _editor(
        tmp_path, f'stat -c %a "$1" > {seen}; cp "$1" {seen}.text; printf "edited\\n" >> "$1"\n'
    )
    assert edit_externally("original\n", editor) == "original\nedited\n"
    assert seen.read_text().strip() == "600"
    assert (tmp_path / "seen.text").read_text() == "original\n"


def test_a_failing_editor_keeps_the_text_and_says_so(tmp_path: Path) -> None:
    with pytest.raises(TermforumError, match="exited with status 3"):
        edit_externally("keep me", _editor(tmp_path, "exit 3\n"))


def test_a_missing_editor_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(TermforumError, match="Could not start the editor"):
        edit_externally("keep me", str(tmp_path / "no-such-editor"))

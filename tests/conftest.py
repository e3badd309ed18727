"""Shared fixtures: every test gets its own TERMFORUM_HOME so nothing touches the user's files."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def termforum_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty home for config, cache, state and data, isolated per test."""
    home = tmp_path / "termforum-home"
    monkeypatch.setenv("TERMFORUM_HOME", str(home))
    monkeypatch.delenv("TERMFORUM_CONFIG", raising=False)
    monkeypatch.setenv("NO_COLOR", "")
    monkeypatch.delenv("NO_COLOR")
    # Never touch the developer's real keyring: tests that need one install a fake backend.
    # (The `keyring` package honours this variable; the fail backend is "no keyring".)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    return home

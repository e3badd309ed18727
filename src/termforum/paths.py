"""Where termforum keeps its files (platformdirs), with the ``TERMFORUM_*`` overrides.

``TERMFORUM_HOME`` moves every folder under one directory (tests use it);
``TERMFORUM_CONFIG`` names the config file directly. This module is the one seam that
decides paths: nothing else calls platformdirs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["AppPaths", "app_paths", "ensure_private_dir"]

APP_NAME = "termforum"


@dataclass(frozen=True, slots=True)
class AppPaths:
    """The files and folders termforum uses."""

    config_file: Path
    """The user's ``config.toml`` (never written by termforum)."""
    cache_dir: Path
    """Disposable cache (``cache.sqlite3``)."""
    state_dir: Path
    """App-written state (``state.toml``, ``drafts/``)."""
    data_dir: Path
    """Long-lived data (``credentials.toml`` when no keyring is usable)."""

    @property
    def drafts_dir(self) -> Path:
        """Folder of draft files."""
        return self.state_dir / "drafts"


def app_paths(environ: dict[str, str] | None = None) -> AppPaths:
    """Resolve the paths from the environment (``os.environ`` by default)."""
    env = os.environ if environ is None else environ
    home = env.get("TERMFORUM_HOME")
    if home:
        root = Path(home).expanduser()
        config_file = root / "config.toml"
        cache_dir, state_dir, data_dir = root / "cache", root / "state", root / "data"
    else:
        import platformdirs

        config_file = platformdirs.user_config_path(APP_NAME) / "config.toml"
        cache_dir = platformdirs.user_cache_path(APP_NAME)
        state_dir = platformdirs.user_state_path(APP_NAME)
        data_dir = platformdirs.user_data_path(APP_NAME)
    override = env.get("TERMFORUM_CONFIG")
    if override:
        config_file = Path(override).expanduser()
    return AppPaths(config_file, cache_dir, state_dir, data_dir)


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed and make it 0700, whatever the umask."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path

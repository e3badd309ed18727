"""App-written state: ``state.toml`` in the state folder (``app_paths().state_dir``).

What termforum remembers between runs: the last forum, group and topic, pane sizes, the
compact layout, a theme picked at run time, the topic-list view of each group, the topic
highlighted in each list and which groups have their subgroups folded. It is written with
tomli-w (which cannot write ``None``, so unset values are left out) and atomically: a
private temporary file in the same folder is written, flushed, fsynced and then renamed over
``state.toml``. The folder is 0700, the file 0600.

State is a convenience: ``load_state`` never raises. A file that is not valid TOML is moved
aside to ``state.toml.corrupt-<timestamp>`` and the defaults are used; a value of the wrong type
is ignored. This module never touches ``config.toml`` and never imports Textual or Rich.
"""

from __future__ import annotations

import logging
import math
import os
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from termforum.files import write_atomically
from termforum.paths import app_paths, ensure_private_dir

__all__ = ["STATE_FILE_NAME", "STATE_VERSION", "AppState", "load_state", "save_state", "state_file"]

STATE_FILE_NAME = "state.toml"
"""The state file's name inside the state folder."""

STATE_VERSION = 1
"""The layout version written to ``state.toml`` (the ``version`` key)."""

log = logging.getLogger(__name__)


@dataclass(slots=True)
class AppState:
    """What termforum remembers between runs; every field may be unset."""

    last_forum: str | None = None
    """Name of the forum open when termforum last quit."""
    last_group: dict[str, str] = field(default_factory=dict)
    """Per forum name, the id of the group (category) last open in it."""
    last_topic: dict[str, str] = field(default_factory=dict)
    """Per forum name, the id of the topic last open in it."""
    groups_width: int | None = None
    """Width of the groups pane, in terminal cells (a positive integer)."""
    list_ratio: float | None = None
    """Share of the remaining width given to the topic list, strictly between 0 and 1."""
    compact: bool = False
    """Whether the compact layout (one-line topic rows, thin pane edges) is on."""
    theme: str | None = None
    """The theme last picked at run time (the command palette's "Change theme")."""
    theme_config: str | None = None
    """The config's ``theme`` when ``theme`` was picked: the pick applies only while the
    config still names this one (editing ``config.toml`` wins over a remembered pick)."""
    view: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per forum name, per group id, the topic-list view last chosen there (``"latest"``,
    ``"top"``, ...). The UI picks the key for the list of all groups' topics."""
    position: dict[str, dict[str, str]] = field(default_factory=dict)
    """Per forum name, per topic list (group and view, as the UI names them), the id of the
    topic highlighted there last."""
    folded_groups: dict[str, list[str]] = field(default_factory=dict)
    """Per forum name, the ids of the groups whose subgroups are folded away."""


def state_file() -> Path:
    """Where ``state.toml`` lives (``TERMFORUM_HOME`` moves it)."""
    return app_paths().state_dir / STATE_FILE_NAME


def load_state() -> AppState:
    """The saved state, or the defaults when the file is missing, unreadable or corrupt."""
    path = state_file()
    try:
        text = path.read_bytes().decode("utf-8")
        data = tomllib.loads(text)
    except FileNotFoundError:
        return AppState()
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        _move_aside(path, error)
        return AppState()
    except OSError as error:
        log.warning("Cannot read %s (%s); using default state.", path, error)
        return AppState()
    return _from_toml(data)


def save_state(state: AppState) -> None:
    """Write ``state`` to ``state.toml`` atomically (folder 0700, file 0600).

    Raises ``OSError`` when it cannot be written; the previous file is then left untouched and
    no temporary file remains.
    """
    path = state_file()
    ensure_private_dir(path.parent)
    import tomli_w  # only when saving

    write_atomically(path, tomli_w.dumps(_to_toml(state)).encode("utf-8"))


def _move_aside(path: Path, error: Exception) -> None:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    counter = 1
    while target.exists():
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{counter}")
        counter += 1
    try:
        os.replace(path, target)
    except OSError as move_error:
        log.warning("%s is corrupt (%s) and could not be moved aside: %s", path, error, move_error)
        return
    log.warning("%s was corrupt (%s); moved it to %s and started afresh.", path, error, target)


# --- TOML mapping ----------------------------------------------------------------------------


def _to_toml(state: AppState) -> dict[str, Any]:
    """The state as a TOML document, without ``None`` values or empty tables."""
    data: dict[str, Any] = {
        "version": STATE_VERSION,
        "last_forum": state.last_forum,
        "groups_width": state.groups_width,
        "list_ratio": state.list_ratio,
        "compact": state.compact or None,
        "theme": state.theme,
        "theme_config": state.theme_config,
        "last_group": _str_table(state.last_group),
        "last_topic": _str_table(state.last_topic),
        "view": {forum: _str_table(views) for forum, views in state.view.items()},
        "position": {forum: _str_table(places) for forum, places in state.position.items()},
        "folded_groups": {
            forum: sorted({str(group_id) for group_id in ids})
            for forum, ids in state.folded_groups.items()
            if ids
        },
    }
    for table in ("view", "position"):
        data[table] = {forum: values for forum, values in data[table].items() if values}
    return {key: value for key, value in data.items() if value is not None and value != {}}


def _str_table(table: dict[str, Any]) -> dict[str, str]:
    return {str(key): str(value) for key, value in table.items() if value is not None}


def _from_toml(data: dict[str, Any]) -> AppState:
    """Build the state from whatever a (possibly older or hand-edited) file holds."""
    state = AppState()
    last_forum = data.get("last_forum")
    if isinstance(last_forum, str):
        state.last_forum = last_forum
    width = data.get("groups_width")
    if isinstance(width, int) and not isinstance(width, bool) and width > 0:
        state.groups_width = width
    ratio = data.get("list_ratio")
    if (
        isinstance(ratio, int | float)
        and not isinstance(ratio, bool)
        and math.isfinite(ratio)
        and 0 < ratio < 1
    ):
        state.list_ratio = float(ratio)
    if data.get("compact") is True:
        state.compact = True
    theme, theme_config = data.get("theme"), data.get("theme_config")
    if isinstance(theme, str) and theme and isinstance(theme_config, str) and theme_config:
        state.theme, state.theme_config = theme, theme_config
    state.last_group = _read_ids(data.get("last_group"))
    state.last_topic = _read_ids(data.get("last_topic"))
    for name, into in (("view", state.view), ("position", state.position)):
        tables = data.get(name)
        if isinstance(tables, dict):
            for forum, table in tables.items():
                if read := _read_ids(table):
                    into[forum] = read
    folded = data.get("folded_groups")
    if isinstance(folded, dict):
        for forum, ids in folded.items():
            if isinstance(ids, list):
                kept = [
                    str(i)
                    for i in ids
                    if isinstance(i, str) or (isinstance(i, int) and not isinstance(i, bool))
                ]
                if kept:
                    state.folded_groups[forum] = kept
    return state


def _read_ids(table: Any) -> dict[str, str]:
    """A table of name → id or name; integers are accepted as ids, other values dropped."""
    if not isinstance(table, dict):
        return {}
    return {
        key: str(value)
        for key, value in table.items()
        if isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
    }

"""Private files written so that a crash or a full disk never leaves half a file.

``write_atomically`` is what drafts and ``state.toml`` use: a private temporary file in the
same folder (0600 from creation, whatever the umask) is written in full and fsynced, renamed
over the old file, and the folder is fsynced. When any step fails the temporary file is
removed and the old file is left exactly as it was.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

__all__ = ["fsync_dir", "write_atomically"]

log = logging.getLogger(__name__)


def write_atomically(path: Path, content: bytes) -> None:
    """Make ``path`` hold ``content``, all or nothing; raises ``OSError`` on failure."""
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        try:
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename or unlink in ``folder`` durable; best effort (logged when it fails)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as error:
        log.warning("Could not flush the folder %s to disk: %s", folder, error)
    finally:
        os.close(fd)

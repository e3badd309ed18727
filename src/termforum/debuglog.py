"""``--debug-log PATH``: a private debug log that never holds a key.

Requests are logged as method, path, status and latency (``termforum.net``), and every record
passes through ``redact.SecretFilter`` on its way to the file, so a key that some library puts
in a message is masked too. The file is created 0600.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from termforum.errors import ConfigError
from termforum.redact import SecretFilter

__all__ = ["start_debug_log"]

_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def start_debug_log(path: Path) -> logging.Handler:
    """Send termforum's (and httpx's) debug logging to ``path``, appending; the handler."""
    target = path.expanduser()
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.fchmod(fd, 0o600)
        stream = os.fdopen(fd, "a", encoding="utf-8", buffering=1)
    except OSError as error:
        raise ConfigError(
            f"Cannot write the debug log {target}: {error.strerror or error}."
        ) from None
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler.addFilter(SecretFilter())
    handler.setLevel(logging.DEBUG)
    for name in ("termforum", "httpx"):
        logger = logging.getLogger(name)
        logger.setLevel(logging.DEBUG)
        logger.addHandler(handler)
    return handler

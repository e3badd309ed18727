"""Keeping keys out of every output: logs, crash reports, messages.

Every forum key termforum handles lives in an ``auth.Secret``, which registers its value
here when created. :func:`scrub` replaces every registered value in a text with ``***``;
:class:`SecretFilter` does it to log records and :class:`ScrubbingWriter` to a stream (the
crash report Textual prints on stderr goes through one). Together with the redacted
``Secret.__repr__`` this is defence in depth: the key should never reach an output in the
first place, and if a library frame prints it anyway, it is masked on the way out.
"""

from __future__ import annotations

import logging
import threading
from typing import TextIO

__all__ = [
    "MASK",
    "ScrubbingWriter",
    "SecretFilter",
    "forget_secret",
    "register_secret",
    "scrub",
]

MASK = "***"
MIN_SECRET_LENGTH = 8
"""Shorter values are not masked: replacing a 3-letter word everywhere would garble text."""

_lock = threading.Lock()
_secrets: set[str] = set()
_ordered: tuple[str, ...] = ()


def register_secret(value: str) -> None:
    """Mask ``value`` in everything :func:`scrub` sees from now on."""
    global _ordered
    if len(value) < MIN_SECRET_LENGTH:
        return
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        # Longest first, so a secret that contains another is masked whole.
        _ordered = tuple(sorted(_secrets, key=len, reverse=True))


def forget_secret(value: str) -> None:
    """Stop masking ``value`` (after logout, when the key is gone everywhere)."""
    global _ordered
    with _lock:
        _secrets.discard(value)
        _ordered = tuple(sorted(_secrets, key=len, reverse=True))


def scrub(text: str) -> str:
    """``text`` with every registered secret replaced by ``***``."""
    for secret in _ordered:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class SecretFilter(logging.Filter):
    """A logging filter that masks registered secrets in the formatted message.

    Attach it to a *handler*: it formats the record once, scrubs the result and stores it
    back as the message without arguments, so formatters downstream print the safe text.
    Exception text is scrubbed too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = scrub(record.getMessage())
        record.msg, record.args = message, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


class ScrubbingWriter:
    """A text stream wrapper that masks registered secrets in what is written.

    Writes are buffered up to each newline so a secret split across two ``write`` calls of
    the same line is still caught; :meth:`flush` writes out what is left.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._pending = ""

    def write(self, text: str) -> int:
        """Write ``text`` (masked) once its line is complete; return ``len(text)``."""
        self._pending += text
        if "\n" in self._pending:
            complete, _, self._pending = self._pending.rpartition("\n")
            self._stream.write(scrub(complete + "\n"))
        return len(text)

    def flush(self) -> None:
        """Write any partial line and flush the underlying stream."""
        if self._pending:
            self._stream.write(scrub(self._pending))
            self._pending = ""
        self._stream.flush()

    def isatty(self) -> bool:
        """Whether the wrapped stream is a terminal (Rich asks, to choose colours)."""
        return self._stream.isatty()

    def fileno(self) -> int:
        """The wrapped stream's file descriptor (Rich asks for the terminal size)."""
        return self._stream.fileno()

    @property
    def encoding(self) -> str:
        """The wrapped stream's encoding."""
        return getattr(self._stream, "encoding", "utf-8")

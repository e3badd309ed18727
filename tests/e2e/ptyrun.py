"""Run termforum in a real pseudo-terminal, as a user's terminal would, and collect its bytes."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyte


@dataclass
class PtyProcess:
    """A process whose stdin/stdout/stderr are the slave side of a pseudo-terminal."""

    process: subprocess.Popen[bytes]
    master: int
    size: tuple[int, int] = (80, 24)
    output: bytearray = field(default_factory=bytearray)
    screen: pyte.Screen = field(init=False)

    def __post_init__(self) -> None:
        self.screen = pyte.Screen(*self.size)
        self._stream = pyte.ByteStream(self.screen)

    def text(self) -> str:
        """What the terminal shows now, one line per row."""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def read(self, timeout: float = 0.1) -> bytes:
        """Read what the process wrote within ``timeout`` seconds."""
        chunk = bytearray()
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                break
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the slave closed: the process is gone
                break
            if not data:
                break
            chunk += data
        self.output += chunk
        self._stream.feed(bytes(chunk))
        return bytes(chunk)

    def wait_for(self, needle: bytes, timeout: float = 20.0) -> bool:
        """Read until ``needle`` has appeared in the output (or the time is up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.output:
                return True
            self.read(0.1)
            if self.process.poll() is not None:
                self.read(0.2)
                return needle in self.output
        return needle in self.output

    def wait_for_text(self, needle: str, timeout: float = 20.0) -> bool:
        """Read until the screen shows ``needle`` (or the time is up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in self.text():
                return True
            self.read(0.1)
            if self.process.poll() is not None:
                self.read(0.2)
                break
        return needle in self.text()

    def send(self, data: bytes) -> None:
        """Type ``data`` into the terminal."""
        os.write(self.master, data)

    def finish(self, timeout: float = 20.0) -> int:
        """Wait for the process to exit (killing it after ``timeout``) and return its code."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read(0.1)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        code = self.process.wait()
        self.read(0.2)
        os.close(self.master)
        return code


def spawn(
    args: Sequence[str], *, env: dict[str, str] | None = None, size: tuple[int, int] = (80, 24)
) -> PtyProcess:
    """Start ``args`` in a new pseudo-terminal of ``size`` (columns, rows)."""
    master, slave = os.openpty()
    columns, rows = size
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    full_env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    full_env.update(env or {})
    process = subprocess.Popen(
        list(args),
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=full_env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    return PtyProcess(process, master, size)


def termforum(*args: str, **kwargs: object) -> PtyProcess:
    """Start the installed ``termforum`` (this interpreter's) in a pseudo-terminal."""
    return spawn([sys.executable, "-m", "termforum", *args], **kwargs)  # type: ignore[arg-type]

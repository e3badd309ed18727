"""Bytes termforum writes to a real terminal while reading (pseudo-terminal, 120x40).

The real program (``python -m termforum --demo``) runs in a pseudo-terminal through the e2e
tests' runner (``tests/e2e/ptyrun.py``); the 10,000-post topic is opened with the keyboard,
as a user would, and every byte the program writes is counted: per ``j`` step in the reader,
and while it sits idle. Over SSH or a slow link those bytes are what the user waits for.
"""

from __future__ import annotations

import select
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from run import figure
from termforum.demo.longthread import LONG_THREAD_TITLE

if TYPE_CHECKING:
    from tests.e2e.ptyrun import PtyProcess

ROOT = Path(__file__).resolve().parent.parent
"""The repository root (``tests.e2e.ptyrun`` is imported from there)."""
SIZE = (120, 40)
"""Columns and rows of the pseudo-terminal."""
ENV = {"COLORTERM": ""}
"""256 colours (``TERM=xterm-256color``), whatever terminal ``make bench`` runs in: a
``COLORTERM=truecolor`` inherited from it would make every colour change longer."""
STEPS = 60
"""How many times ``j`` is pressed."""
SETTLE = 0.25
"""A step is over once the program has written nothing for this many seconds…"""
STEP_LIMIT = 3.0
"""…or after this many seconds at most."""
IDLE_SECONDS = 5.0
"""How long the reader is watched while nothing is typed."""
WAIT = 60.0
"""Seconds allowed for each wait on the screen (start-up, opening the topic)."""
DEADLINE = 300.0
"""Seconds allowed for the whole session."""


@dataclass
class Session:
    """What one run in the pseudo-terminal wrote."""

    steps: list[bytes] = field(default_factory=list)
    """The output of each ``j`` press, in order."""
    idle: bytes = b""
    """The output while idle."""


def drain(proc: PtyProcess, settle: float = SETTLE, limit: float = STEP_LIMIT) -> bytes:
    """Read until ``proc`` has written nothing for ``settle`` seconds (at most ``limit``)."""
    chunk = bytearray()
    deadline = time.monotonic() + limit
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([proc.master], [], [], min(settle, left))
        if not ready or proc.process.poll() is not None:
            break
        chunk += proc.read(0.005)
    return bytes(chunk)


def _wait(proc: PtyProcess, needle: str, what: str) -> None:
    if not proc.wait_for_text(needle, timeout=WAIT):
        raise TimeoutError(f"never saw {what}; the screen showed:\n{proc.text()}")


def open_long_topic(proc: PtyProcess) -> None:
    """Open the 10,000-post topic from the topic list (focused at start) with ``j``/enter,
    and wait until its first screen is shown and the output has gone quiet."""
    _wait(proc, LONG_THREAD_TITLE, "the 10,000-post topic in the topic list")
    drain(proc, settle=0.5, limit=10)
    rows = proc.screen.display
    title_row = next(y for y, line in enumerate(rows) if LONG_THREAD_TITLE in line)
    # Walk up the topic list's left border to its first row; each topic takes two rows.
    border = rows[title_row].rindex("│", 0, rows[title_row].index(LONG_THREAD_TITLE))
    first_row = title_row
    while rows[first_row - 1][border] == "│":
        first_row -= 1
    for _ in range((title_row - first_row) // 2):
        proc.send(b"j")
        drain(proc, settle=0.05, limit=1)
    proc.send(b"\r")
    _wait(proc, "#1 ", "the first post of the topic")
    reader_border = next(line for line in proc.text().splitlines() if "╭" in line)
    if LONG_THREAD_TITLE[:40] not in reader_border:
        raise RuntimeError(f"opened another topic; the screen showed:\n{proc.text()}")
    drain(proc, settle=0.5, limit=15)


def measure_session() -> Session:
    """Run termforum on the demo forum, open the long topic, press ``j``, then sit idle."""
    sys.path.insert(0, str(ROOT))
    from tests.e2e.ptyrun import termforum

    session = Session()
    deadline = time.monotonic() + DEADLINE
    with tempfile.TemporaryDirectory(prefix="termforum-bench-pty-") as home:
        proc = termforum("--demo", env={**ENV, "TERMFORUM_HOME": home}, size=SIZE)
        try:
            open_long_topic(proc)
            for _ in range(STEPS):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{len(session.steps)} j steps in {DEADLINE:.0f} s")
                proc.send(b"j")
                session.steps.append(drain(proc))
            time.sleep(1.0)
            drain(proc, settle=0.0)  # what the last second wrote does not count
            session.idle = drain(proc, settle=IDLE_SECONDS, limit=IDLE_SECONDS)
        finally:
            if proc.process.poll() is None:
                proc.send(b"\x11")  # ctrl+q
            proc.finish(timeout=10)  # killed if it has not quit by then
    return session


_cache: list[Session] = []


def _session() -> Session:
    if not _cache:
        _cache.append(measure_session())
    return _cache[0]


@figure(
    "bytes written to the terminal per `j` step in the reader, median (pseudo-terminal, 120x40)",
    unit="bytes",
    target=3072,
)
def bytes_per_j_step() -> tuple[float, str]:
    sizes = [len(step) for step in _session().steps]
    p90 = statistics.quantiles(sizes, n=10, method="inclusive")[-1]
    note = (
        f"median of {len(sizes)} j steps; mean {statistics.mean(sizes):,.0f} B, "
        f"p90 {p90:,.0f} B, max {max(sizes):,} B"
    )
    return statistics.median(sizes), note


@figure(
    "bytes written while idle for 5 s with the reader open (no timers repainting)",
    unit="bytes",
    target=0,
)
def idle_bytes() -> tuple[float, str]:
    return len(_session().idle), f"{IDLE_SECONDS:.0f} s without input, from 1 s after the last j"

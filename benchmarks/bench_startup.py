"""Start-up: termforum with cached data against a minimal Textual app, in the same run.

Each start is a new process (``startup_probe.py``), timed from the moment it is spawned to its
first complete frame, headless. The two kinds of start alternate so a machine that speeds up
or slows down during the run affects both alike; the figure is the ratio of the medians.

termforum's modules are byte-compiled first, as installing a wheel does (and as Python does at
the first start unless ``PYTHONDONTWRITEBYTECODE`` is set): Textual's already are.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import termforum as termforum_package
from run import figure
from termforum.demo import DemoServer

PROBE = Path(__file__).resolve().parent / "startup_probe.py"
ROUNDS = 11


def _start(kind: str, env: dict[str, str]) -> float:
    """Seconds from spawning a probe of ``kind`` to its first complete frame."""
    spawned = time.monotonic()
    done = subprocess.run(
        [sys.executable, str(PROBE), kind, "--forum", "bench"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    for line in done.stdout.splitlines():
        if line.startswith("first-frame "):
            return float(line.split()[1]) - spawned
    raise RuntimeError(f"{kind} start-up never drew its first frame: {done.stderr[-500:]}")


def _measure() -> tuple[float, float]:
    """Median start-up seconds of (termforum with cached data, the minimal app)."""
    compileall.compile_dir(Path(termforum_package.__file__).parent, quiet=1)
    with tempfile.TemporaryDirectory(prefix="termforum-bench-start-") as home, DemoServer() as demo:
        config = Path(home) / "config.toml"
        config.write_text(f'[forums.bench]\nurl = "{demo.url}"\nauth = "anonymous"\n')
        env = {**os.environ, "TERMFORUM_HOME": home, "TERMFORUM_CONFIG": str(config)}
        _start("termforum", env)  # fills the cache: every start after it is a cached one
        termforum, minimal = [], []
        for _ in range(ROUNDS):
            termforum.append(_start("termforum", env))
            minimal.append(_start("minimal", env))
    return statistics.median(termforum), statistics.median(minimal)


@figure(
    "start-up to the first complete frame, cached data, headless (x minimal app)",
    unit="x",
    target=1.3,
)
def startup_ratio() -> tuple[float, str]:
    termforum, minimal = _measure()
    note = (
        f"median of {ROUNDS} starts each: termforum {termforum * 1000:,.0f} ms, "
        f"a minimal Textual app with the same panes {minimal * 1000:,.0f} ms"
    )
    return termforum / minimal, note

"""``make bench``: measure termforum's performance figures and compare them with their targets.

Each benchmark is a function in a ``bench_*.py`` module of this folder, registered with
``@figure``; it returns the measured value. The table printed at the end lists every figure,
its target and whether it holds; the same data is written as JSON to
``benchmarks/results/latest.json`` (and a timestamped copy) so runs can be compared.

Figures are measured, never asserted in tests: the test suite checks behaviour only.
"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


@dataclass
class Figure:
    """One measured figure and its target."""

    name: str
    unit: str
    target: float
    higher_is_better: bool
    value: float | None = None
    note: str = ""

    @property
    def holds(self) -> bool | None:
        """Whether the measured value meets the target (``None`` when not measured)."""
        if self.value is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


_REGISTRY: list[tuple[Figure, Callable[[], float | tuple[float, str]]]] = []


def figure(
    name: str, *, unit: str, target: float, higher_is_better: bool = False
) -> Callable[[Callable[[], float | tuple[float, str]]], Callable[[], float | tuple[float, str]]]:
    """Register a benchmark function measuring ``name`` (it returns the value, or a
    ``(value, note)`` pair)."""

    def register(
        function: Callable[[], float | tuple[float, str]],
    ) -> Callable[[], float | tuple[float, str]]:
        _REGISTRY.append((Figure(name, unit, target, higher_is_better), function))
        return function

    return register


def _load_benchmarks() -> None:
    sys.path.insert(0, str(HERE))
    sys.modules.setdefault("run", sys.modules[__name__])  # bench modules `from run import figure`
    for path in sorted(HERE.glob("bench_*.py")):
        importlib.import_module(path.stem)


def _format(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "x" and value < 10:
        return f"{value:.2f} {unit}"  # a ratio near its target: 1.27, not 1.3
    return f"{value:,.1f} {unit}" if value < 1000 else f"{value:,.0f} {unit}"


def main() -> int:
    """Run every registered benchmark, print the table and write the JSON results."""
    # Benchmarks run the real app: keep its state, cache and drafts away from the user's.
    home = tempfile.TemporaryDirectory(prefix="termforum-bench-home-")
    os.environ["TERMFORUM_HOME"] = home.name
    os.environ.pop("TERMFORUM_CONFIG", None)
    _load_benchmarks()
    figures: list[Figure] = []
    for fig, function in _REGISTRY:
        print(f"measuring: {fig.name} …", file=sys.stderr, flush=True)
        try:
            result = function()
        except Exception as error:  # a broken benchmark is reported, the others still run
            fig.note = f"failed: {type(error).__name__}: {error}"
        else:
            fig.value, fig.note = result if isinstance(result, tuple) else (result, "")
        figures.append(fig)

    width = max(len(fig.name) for fig in figures)
    print(f"\n{'figure':<{width}}  {'measured':>16}  {'target':>16}  holds")
    for fig in figures:
        sign = "≥" if fig.higher_is_better else "≤"
        holds = {True: "yes", False: "NO", None: "—"}[fig.holds]
        target = f"{sign} {_format(fig.target, fig.unit)}"
        print(f"{fig.name:<{width}}  {_format(fig.value, fig.unit):>16}  {target:>16}  {holds}")
        if fig.note:
            print(f"{'':<{width}}  {fig.note}")

    RESULTS.mkdir(exist_ok=True)
    payload = {
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "figures": [{**asdict(fig), "holds": fig.holds} for fig in figures],
    }
    text = json.dumps(payload, indent=2, ensure_ascii=False)
    (RESULTS / "latest.json").write_text(text)
    (RESULTS / f"{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(text)
    print(f"\nresults: {RESULTS / 'latest.json'}")
    missed = [fig.name for fig in figures if fig.holds is False]
    if missed:
        print(f"{len(missed)} figure(s) miss their target (see the table).")
    # --strict makes a missed target fail the command (for a CI gate); by default it reports.
    return 1 if missed and "--strict" in sys.argv[1:] else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Renderer throughput for ``make bench`` (the details: ``python benchmarks/bench_render.py``)."""

from __future__ import annotations

import bench_render
from run import figure


@figure(
    "renderer throughput, typical 1 KB posts (render + layout at 80)",
    unit="posts/s",
    target=bench_render.TARGET_POSTS_PER_SECOND,
    higher_is_better=True,
)
def render_throughput() -> float:
    return bench_render.measure()

"""A tiny deterministic random number generator (SplitMix64) for the seed content.

The standard library's ``random`` is stable in practice, but the demo's content must be
byte-for-byte identical on every machine and Python version, so it uses this instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

__all__ = ["Rng"]

_MASK = (1 << 64) - 1
T = TypeVar("T")


class Rng:
    """SplitMix64: ``Rng(seed)`` always yields the same sequence."""

    __slots__ = ("_state",)

    def __init__(self, seed: int) -> None:
        self._state = seed & _MASK

    def next(self) -> int:
        """The next 64-bit value."""
        self._state = (self._state + 0x9E3779B97F4A7C15) & _MASK
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        """An integer in ``range(n)`` (``n`` > 0)."""
        return self.next() % n

    def between(self, low: int, high: int) -> int:
        """An integer in ``[low, high]``."""
        return low + self.below(high - low + 1)

    def chance(self, percent: int) -> bool:
        """True ``percent`` times out of 100."""
        return self.below(100) < percent

    def choice(self, items: Sequence[T]) -> T:
        """One item of a non-empty sequence."""
        return items[self.below(len(items))]

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """``k`` distinct items (fewer if the sequence is shorter), in a stable order."""
        pool = list(items)
        out: list[T] = []
        while pool and len(out) < k:
            out.append(pool.pop(self.below(len(pool))))
        return out

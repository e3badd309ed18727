"""How termforum spends a forum's patience: retries, 429 pauses and a request budget.

``RequestPolicy`` holds the rules and the state; ``policy_transport.PolicyTransport`` applies
them to one forum's client (see ``net.py``)::

    httpx.AsyncClient
     └── PolicyTransport(base_transport(url), RequestPolicy(...))

This module does not import the HTTP stack, so the UI can show a policy's state before the
first request is made (start-up paints from the cache first). For every request the
transport

1. waits while the forum has asked us to stop (a 429's ``Retry-After``, or Discourse's
   ``extras.wait_seconds``, or the plain-text answer of its per-IP limiter): **no request
   goes to that forum until the wait is over**. A request that cannot wait that long gets a
   429 made here, without touching the network, so the backend reports it like the forum's;
2. waits for a slot in the forum's request budget: a sliding-window log per credential kind
   that mirrors Discourse's own limiters (user API key 20 a minute and 2,880 a day; admin key
   60 a minute; anonymous the per-IP limits), of which termforum uses 90 % (the rest is left
   for other clients of the same key), so it never triggers a 429 by itself.
   Background work (``background()``: sync, refresh, read-state) leaves a quarter of each
   window to the user and always lets a waiting foreground request go first;
3. sends it, and retries a GET (never a write) after a connection error, a time-out, a 502,
   503 or 504, or a 429 with a short wait: exponential back-off with jitter, at most
   ``RetryPolicy.attempts`` tries and ``RetryPolicy.max_total_wait`` seconds of waiting.

``RequestPolicy.status()`` says whether requests are waiting and for how long; the UI shows
it as a countdown. Clock, sleep and randomness are injectable so the tests run on fake time.
"""

from __future__ import annotations

import asyncio
import math
import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from termforum.priority import background, in_background

__all__ = [
    "BUDGETS",
    "DEFAULT_RETRY",
    "PolicyStatus",
    "RequestBudget",
    "RequestPolicy",
    "RetryPolicy",
    "Window",
    "background",
    "in_background",
    "parse_rate_limits",
]


@dataclass(frozen=True, slots=True)
class Window:
    """At most ``limit`` requests in any ``seconds``-long stretch of time."""

    limit: int
    seconds: float

    def __str__(self) -> str:
        return f"{self.limit}/{_duration(self.seconds)}"


BUDGETS: dict[str, tuple[Window, ...]] = {
    # Discourse GlobalSetting defaults: max_user_api_reqs_per_minute / _per_day.
    "user_api_key": (Window(20, 60.0), Window(2880, 86_400.0)),
    # max_admin_api_reqs_per_minute (one bucket for all admin keys).
    "api_key": (Window(60, 60.0),),
    # max_reqs_per_ip_per_10_seconds / _per_minute.
    "anonymous": (Window(50, 10.0), Window(200, 60.0)),
}
"""The request budget of each credential kind: Discourse's default limits."""


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """When a failed GET is tried again."""

    attempts: int = 3
    """Tries in all, the first included."""
    base_delay: float = 0.5
    """The wait before the first retry; it doubles for each further one."""
    max_delay: float = 8.0
    """The longest wait between two tries."""
    max_total_wait: float = 15.0
    """No retry starts once this many seconds have passed since the first try."""
    max_pause_wait: float = 5.0
    """A GET that got a 429 is tried again only when the forum asks for at most this wait."""


DEFAULT_RETRY = RetryPolicy()

RETRY_STATUSES = frozenset({429, 502, 503, 504})
"""Answers after which a GET is tried again."""
IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS"})
"""Methods that may be sent twice; everything else is a write and is never retried."""
DEFAULT_PAUSE = 10.0
"""Seconds to stop after a 429 that does not say how long."""
MAX_PAUSE = 86_400.0
"""The longest pause a forum can ask for (a garbled header must not stop us for a year)."""


def parse_rate_limits(text: str) -> tuple[Window, ...]:
    """Windows from ``"20/min, 2880/day"`` (units: ``s``, ``min``, ``hour``, ``day``, or a
    number of seconds such as ``5s``). Raises ValueError with a sentence on bad input."""
    windows: list[Window] = []
    for part in text.split(","):
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)?\s*([a-z]*)\s*", part)
        if match is None:
            raise ValueError(
                f'{part.strip()!r} is not a rate limit; write it like "20/min, 2880/day".'
            )
        count, amount, unit = int(match[1]), float(match[2] or 1), match[3] or "s"
        seconds = _UNITS.get(unit)
        if seconds is None:
            raise ValueError(f"{unit!r} is not a time unit; use s, min, hour or day.")
        if count < 1 or amount * seconds <= 0:
            raise ValueError("A rate limit needs at least one request in a positive time.")
        windows.append(Window(count, amount * seconds))
    return tuple(windows)


_UNITS = {"s": 1.0, "sec": 1.0, "min": 60.0, "m": 60.0, "hour": 3600.0, "h": 3600.0,
          "day": 86_400.0, "d": 86_400.0}  # fmt: skip


def _duration(seconds: float) -> str:
    for unit, size in (("day", 86_400.0), ("hour", 3600.0), ("min", 60.0)):
        if seconds == size:
            return unit
    return f"{seconds:g}s"


class _Slot:
    """One request counted in a window: when it reached the forum at the latest."""

    __slots__ = ("at",)

    def __init__(self, at: float) -> None:
        self.at = at


class RequestBudget:
    """Sliding-window logs, one per ``Window``, like the forum's own rate limiters.

    A request is counted from the moment it is sent and re-dated when its answer arrives
    (the forum counted it somewhere in between), so a window never holds more requests in
    the forum's eyes than in ours. ``margin`` seconds are added to every wait for the
    clocks' sake. termforum allows itself ``headroom`` of each limit (the rest is left for
    whatever else uses the same key: another termforum, ``termforum login`` checking the
    key, a script); background work gets ``background_share`` of that.
    """

    def __init__(
        self,
        windows: tuple[Window, ...],
        *,
        headroom: float = 1.0,
        background_share: float = 0.75,
        margin: float = 0.5,
    ) -> None:
        if not windows:
            raise ValueError("a budget needs at least one window")
        self.windows = windows
        self.margin = margin
        self.limits = tuple(max(1, math.floor(w.limit * headroom)) for w in windows)
        """The requests termforum sends in each window at most."""
        self._background_limits = tuple(
            max(1, math.floor(limit * background_share)) for limit in self.limits
        )
        self._logs: list[list[_Slot]] = [[] for _ in windows]

    def wait(self, now: float, *, background: bool = False) -> float:
        """Seconds until a request may be sent (0: now)."""
        longest = 0.0
        self._forget(now)
        for index, window in enumerate(self.windows):
            log = self._logs[index]
            limit = self._background_limits[index] if background else self.limits[index]
            if len(log) >= limit:
                # The oldest request that must leave the window before another may enter.
                oldest = sorted(slot.at for slot in log)[len(log) - limit]
                longest = max(longest, oldest + window.seconds + self.margin - now)
        return max(0.0, longest)

    def take(self, now: float) -> tuple[_Slot, ...]:
        """Count a request sent at ``now``; settle the slots when its answer arrives."""
        slots = []
        for log in self._logs:
            slot = _Slot(now)
            log.append(slot)
            slots.append(slot)
        return tuple(slots)

    @staticmethod
    def settle(slots: tuple[_Slot, ...], now: float) -> None:
        """The request answered at ``now``: it counts from then on."""
        for slot in slots:
            slot.at = max(slot.at, now)

    def used(self, now: float) -> tuple[int, ...]:
        """Requests counted in each window now."""
        self._forget(now)
        return tuple(len(log) for log in self._logs)

    def _forget(self, now: float) -> None:
        """Drop the requests that have left their window."""
        for index, window in enumerate(self.windows):
            log = self._logs[index]
            span = window.seconds + self.margin
            if log and any(now - slot.at >= span for slot in log):
                self._logs[index] = [slot for slot in log if now - slot.at < span]


@dataclass(frozen=True, slots=True)
class PolicyStatus:
    """What is holding requests back: ``paused`` (the forum said 429) or ``pacing`` (our own
    budget), and for how many more seconds."""

    reason: str
    seconds: float

    def describe(self) -> str:
        """A short phrase for the header: "rate-limited 12 s" (the forum said 429) or
        "pacing 3 s" (waiting for the budget)."""
        left = max(1, math.ceil(self.seconds))
        if self.reason == "paused":
            return f"rate-limited {left} s"
        return f"pacing {left} s"


@dataclass
class RequestPolicy:
    """The network manners of one forum: shared by every request its client sends.

    Args:
        budgets: The budget windows of each credential kind (default ``BUDGETS``).
        retry: When GETs are tried again.
        headroom: The share of each limit termforum uses (the rest is left for other
            clients of the same key).
        foreground_patience: How long a request the user asked for may wait for the budget or
            a pause before a local 429 is returned instead (the UI shows a countdown meanwhile).
        background_patience: The same for background work.
        clock, sleep, rng: Injected for tests (monotonic seconds, ``asyncio.sleep``, jitter).
    """

    budgets: dict[str, tuple[Window, ...]] = field(default_factory=lambda: dict(BUDGETS))
    retry: RetryPolicy = DEFAULT_RETRY
    headroom: float = 0.9
    foreground_patience: float = 90.0
    background_patience: float = 300.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], object] = asyncio.sleep
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self._budgets: dict[str, RequestBudget] = {}
        self._paused_until = 0.0
        self._pacing_until = 0.0
        self._background_until = 0.0
        self._foreground_waiting = 0
        self._listeners: list[Callable[[], None]] = []
        self.sent = 0
        """Requests sent to the network so far."""
        self.rate_limited = 0
        """429 answers received from the forum so far."""

    # -- what the UI reads ----------------------------------------------------------------

    def status(self) -> PolicyStatus | None:
        """Why requests are held back now, or None when they go out at once."""
        now = self.clock()
        if self._paused_until > now:
            return PolicyStatus("paused", self._paused_until - now)
        if self._pacing_until > now and self._foreground_waiting:
            return PolicyStatus("pacing", self._pacing_until - now)
        return None

    def waiting(self) -> PolicyStatus | None:
        """Like :meth:`status`, and also while background work waits for the budget (what a
        sync shows while it paces itself)."""
        status = self.status()
        now = self.clock()
        if status is None and self._background_until > now:
            return PolicyStatus("pacing", self._background_until - now)
        return status

    def listen(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` whenever requests start or stop being held back."""
        self._listeners.append(callback)

    def unlisten(self, callback: Callable[[], None]) -> None:
        """Stop calling ``callback``."""
        if callback in self._listeners:
            self._listeners.remove(callback)

    def budget(self, kind: str) -> RequestBudget:
        """The budget of a credential kind (made on first use)."""
        if kind not in self._budgets:
            windows = (
                self.budgets.get(kind) or self.budgets.get("anonymous") or BUDGETS["anonymous"]
            )
            self._budgets[kind] = RequestBudget(windows, headroom=self.headroom)
        return self._budgets[kind]

    # -- what the transport does ----------------------------------------------------------

    def pause(self, seconds: float) -> None:
        """The forum said 429: send nothing for ``seconds``."""
        self.rate_limited += 1
        until = self.clock() + min(max(seconds, 0.0), MAX_PAUSE)
        if until > self._paused_until:
            self._paused_until = until
            self._changed()

    async def admit(self, kind: str, *, background: bool, patience: float) -> float | None:
        """Wait until a request of ``kind`` may go out, and count it.

        Returns None when the request was admitted, or the seconds it would still have to
        wait when that is more than ``patience`` (the caller answers with a local 429).
        """
        deadline = self.clock() + patience
        budget = self.budget(kind)
        if not background:
            self._foreground_waiting += 1
        try:
            while True:
                now = self.clock()
                paused = self._paused_until - now
                if paused > 0:
                    if now + paused > deadline:
                        return paused
                    await self.sleep(paused)
                    continue
                if background and self._foreground_waiting:
                    if now >= deadline:
                        return 1.0
                    await self.sleep(min(1.0, deadline - now))
                    continue
                wait = budget.wait(now, background=background)
                if wait <= 0:
                    return None
                if now + wait > deadline:
                    return wait
                if background:
                    self._background_until = now + wait
                else:
                    self._pace(now + wait)
                await self.sleep(min(wait, 1.0) if background else wait)
        finally:
            if not background:
                self._foreground_waiting -= 1
                if not self._foreground_waiting and self._pacing_until:
                    self._pacing_until = 0.0
                    self._changed()

    def _pace(self, until: float) -> None:
        if until > self._pacing_until:
            self._pacing_until = until
            self._changed()

    def _changed(self) -> None:
        for callback in list(self._listeners):
            callback()

    def backoff(self, attempt: int) -> float:
        """The wait before try number ``attempt + 1``: doubling, with jitter (half to all)."""
        delay = min(self.retry.max_delay, self.retry.base_delay * 2 ** (attempt - 1))
        return delay * (0.5 + self.rng.random() / 2)

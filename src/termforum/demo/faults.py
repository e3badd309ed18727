"""Telling the demo forum to misbehave, for tests: latency, errors, rate limits, drops.

A :class:`Faults` object hangs off every demo app (``app.faults``). Set it from Python::

    app.faults.latency = 0.2                        # every request waits 200 ms
    app.faults.fail_next(2, status=503)             # the next 2 requests answer 503
    app.faults.rate_limit_next(retry_after=7)       # the next request answers 429 (JSON)
    app.faults.rate_limit_next(form="text")         # ... or the per-IP text/plain form
    app.faults.malform_next(path_prefix="/t/")      # next /t/... answer is cut-off JSON
    app.faults.drop_next()                          # next request: connection closed
    app.faults.set_rate_limit(20)                   # 20 requests/minute per client
    app.faults.set_key_rate_limits()                # Discourse's per-key API limits
    app.faults.reset()

Writes have their own faults, for the ambiguous outcomes a client must survive:

    app.faults.fail_next(status=502, path_prefix="/posts", method="POST")  # not stored
    app.faults.drop_next(method="POST", path_prefix="/posts")   # dropped, not stored
    app.faults.accept_then_timeout(delay=30)   # stored, then the answer waits 30 s
    app.faults.accept_then_drop()              # stored, then the connection is closed

or over HTTP with ``POST /__demo/faults`` (see :meth:`Faults.apply` for the JSON).
Rules are consumed in the order they were added; each matches a path prefix (all paths
when empty) and a method filter (all methods when empty; ``"POST"``, ``"POST,PUT"``, or
``"write"`` for POST, PUT, PATCH and DELETE) and applies to the next ``count`` matching
requests. Paths are matched as sent, so ``/posts`` also catches ``/posts/12.json``.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["ACCEPT_KINDS", "FAULT_KINDS", "FaultRule", "Faults", "KeyRateLimits", "RateLimiter"]

ACCEPT_KINDS = ("accept_then_delay", "accept_then_drop")
"""Faults applied *after* the request was handled (a write is stored and committed)."""
FAULT_KINDS = ("status", "rate_limit", "malformed", "drop", *ACCEPT_KINDS)
RATE_LIMIT_FORMS = ("json", "text")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_METHODS = frozenset({"GET", "HEAD", "OPTIONS", *WRITE_METHODS})


def _methods(spec: str) -> frozenset[str]:
    """The HTTP methods a rule's ``method`` filter names (empty: every method)."""
    names: set[str] = set()
    for part in spec.replace(",", " ").split():
        upper = part.upper()
        if upper == "WRITE":
            names |= WRITE_METHODS
        elif upper in _METHODS:
            names.add(upper)
        else:
            raise ValueError(f"unknown method {part!r} (use GET, POST, PUT, ... or 'write')")
    return frozenset(names)


@dataclass(slots=True)
class FaultRule:
    """Misbehave on the next ``remaining`` requests whose path starts with ``path_prefix``."""

    kind: str
    remaining: int = 1
    path_prefix: str = ""
    status: int = 500
    """For ``status``: the status code (400–599)."""
    body: str = "json"
    """For ``status``: ``json`` (Discourse error shape) or ``html`` (a proxy's error page)."""
    retry_after: int = 10
    """For ``rate_limit``: seconds in ``Retry-After`` and ``extras.wait_seconds``."""
    form: str = "json"
    """For ``rate_limit``: ``json`` (app-level limiter) or ``text`` (per-IP middleware)."""
    method: str = ""
    """Methods the rule applies to: empty (all), ``"POST"``, ``"POST,PUT"``, ``"write"``."""
    delay: float = 30.0
    """For ``accept_then_delay``: seconds to hold the answer back after handling."""

    def matches(self, path: str, method: str = "GET") -> bool:
        """Whether this rule applies to a ``method`` request for ``path``."""
        if self.remaining <= 0 or not path.startswith(self.path_prefix):
            return False
        methods = _methods(self.method)
        return not methods or method.upper() in methods


class RateLimiter:
    """Discourse-style sliding window: at most ``per_minute`` requests per key in
    ``window`` seconds (60 unless told otherwise; the name predates other windows)."""

    def __init__(
        self,
        per_minute: int,
        clock: Callable[[], float] = time.monotonic,
        *,
        window: float = 60.0,
    ) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self.window = window
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> int | None:
        """Record a request; None when allowed, else the seconds to wait."""
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= self.window:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return max(1, math.ceil(self.window - (now - hits[0])))
        hits.append(now)
        return None


@dataclass(frozen=True, slots=True)
class KeyRateLimits:
    """Discourse's limits on API keys (``GlobalSetting`` defaults).

    User API keys: ``user_per_minute`` and ``user_per_day`` per key (error codes
    ``user_api_key_limiter_60_secs`` and ``user_api_key_limiter_1_day``). Admin keys:
    ``admin_per_minute`` in one bucket shared by every admin key (``admin_api_min``,
    error code ``admin_api_key_rate_limit``).
    """

    user_per_minute: int = 20
    user_per_day: int = 2880
    admin_per_minute: int = 60
    minute: float = 60.0
    """The length of the "per minute" windows in seconds (shorter only in tests)."""

    def __post_init__(self) -> None:
        if min(self.user_per_minute, self.user_per_day, self.admin_per_minute) < 1:
            raise ValueError("key rate limits must be at least 1")
        if not self.minute > 0:
            raise ValueError("the minute window must be positive")


class _KeyLimiters:
    """The live counters of :class:`KeyRateLimits`."""

    def __init__(self, limits: KeyRateLimits, clock: Callable[[], float]) -> None:
        self.limits = limits
        self.user_minute = RateLimiter(limits.user_per_minute, clock, window=limits.minute)
        self.user_day = RateLimiter(limits.user_per_day, clock, window=86_400.0)
        self.admin = RateLimiter(limits.admin_per_minute, clock, window=limits.minute)

    def hit(self, kind: str, key_hash: str) -> tuple[int, str] | None:
        if kind == "api_key":
            wait = self.admin.hit("admin_api_min")
            return (wait, "admin_api_key_rate_limit") if wait is not None else None
        wait = self.user_minute.hit(key_hash)
        if wait is not None:
            return wait, "user_api_key_limiter_60_secs"
        wait = self.user_day.hit(key_hash)
        return (wait, "user_api_key_limiter_1_day") if wait is not None else None


class Faults:
    """The misbehaviour settings of one demo app; safe to change from any thread."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._lock = threading.Lock()
        self.clock = clock
        self.latency: float = 0.0
        """Seconds to wait before answering each request."""
        self.rules: list[FaultRule] = []
        self.limiter: RateLimiter | None = None
        self.rate_limit_form: str = "json"
        self.key_limiters: _KeyLimiters | None = None
        """Per-key API limits (:meth:`set_key_rate_limits`); None: off (the default)."""

    # -- setting up ---------------------------------------------------------------------

    def add(self, rule: FaultRule) -> FaultRule:
        """Queue a rule (validated)."""
        if rule.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {rule.kind!r}; use one of {FAULT_KINDS}")
        if rule.remaining < 1:
            raise ValueError("count must be at least 1")
        if rule.kind == "status" and not 400 <= rule.status <= 599:
            raise ValueError("status must be between 400 and 599")
        if rule.form not in RATE_LIMIT_FORMS or rule.body not in ("json", "html"):
            raise ValueError("form must be 'json' or 'text', body 'json' or 'html'")
        if rule.retry_after < 0:
            raise ValueError("retry_after must not be negative")
        if isinstance(rule.delay, bool) or not isinstance(rule.delay, int | float):
            raise ValueError("delay must be a number of seconds")
        if rule.delay < 0:
            raise ValueError("delay must not be negative")
        _methods(rule.method)
        with self._lock:
            self.rules.append(rule)
        return rule

    def fail_next(
        self,
        count: int = 1,
        *,
        status: int = 500,
        path_prefix: str = "",
        body: str = "json",
        method: str = "",
    ) -> FaultRule:
        """The next ``count`` matching requests answer ``status`` (a write is not stored)."""
        return self.add(
            FaultRule("status", count, path_prefix, status=status, body=body, method=method)
        )

    def rate_limit_next(
        self,
        count: int = 1,
        *,
        retry_after: int = 10,
        form: str = "json",
        path_prefix: str = "",
        method: str = "",
    ) -> FaultRule:
        """The next ``count`` matching requests answer 429 with ``Retry-After``."""
        return self.add(
            FaultRule(
                "rate_limit",
                count,
                path_prefix,
                retry_after=retry_after,
                form=form,
                method=method,
            )
        )

    def malform_next(self, count: int = 1, *, path_prefix: str = "", method: str = "") -> FaultRule:
        """The next ``count`` matching requests answer 200 with cut-off JSON."""
        return self.add(FaultRule("malformed", count, path_prefix, method=method))

    def drop_next(self, count: int = 1, *, path_prefix: str = "", method: str = "") -> FaultRule:
        """The next ``count`` matching requests get their connection closed, no answer;
        the request is not handled (a write is not stored)."""
        return self.add(FaultRule("drop", count, path_prefix, method=method))

    def accept_then_timeout(
        self,
        count: int = 1,
        *,
        delay: float = 30.0,
        path_prefix: str = "",
        method: str = "write",
    ) -> FaultRule:
        """The next ``count`` matching requests are handled (a write is stored and
        committed), then the answer is held back ``delay`` seconds: longer than the
        client's read timeout, the client cannot know the write landed."""
        return self.add(
            FaultRule("accept_then_delay", count, path_prefix, delay=delay, method=method)
        )

    def accept_then_drop(
        self, count: int = 1, *, path_prefix: str = "", method: str = "write"
    ) -> FaultRule:
        """The next ``count`` matching requests are handled (a write is stored and
        committed), then the connection is closed without an answer."""
        return self.add(FaultRule("accept_then_drop", count, path_prefix, method=method))

    def set_rate_limit(self, per_minute: int | None, *, form: str = "json") -> None:
        """Limit every client (by IP) to ``per_minute`` requests a minute; None turns it off."""
        if form not in RATE_LIMIT_FORMS:
            raise ValueError("form must be 'json' or 'text'")
        with self._lock:
            self.limiter = RateLimiter(per_minute, self.clock) if per_minute else None
            self.rate_limit_form = form

    def set_key_rate_limits(self, limits: KeyRateLimits | bool | None = True) -> None:
        """Turn Discourse's per-key API limits on (``True``: the defaults, 20/min and
        2,880/day per user API key, 60/min for admin keys; or given limits) or off."""
        if limits is True:
            limits = KeyRateLimits()
        with self._lock:
            self.key_limiters = (
                _KeyLimiters(limits, self.clock) if isinstance(limits, KeyRateLimits) else None
            )

    def reset(self) -> None:
        """Back to a well-behaved forum."""
        with self._lock:
            self.latency = 0.0
            self.rules.clear()
            self.limiter = None
            self.rate_limit_form = "json"
            self.key_limiters = None

    # -- used by the app ----------------------------------------------------------------

    def take(self, path: str, method: str = "GET") -> FaultRule | None:
        """Consume and return the first rule matching ``method path`` (a copy), if any."""
        with self._lock:
            for rule in self.rules:
                if rule.matches(path, method):
                    rule.remaining -= 1
                    taken = FaultRule(**asdict(rule))
                    if rule.remaining <= 0:
                        self.rules.remove(rule)
                    return taken
        return None

    def check_rate_limit(self, client: str) -> int | None:
        """None when ``client`` may proceed, else the seconds it must wait."""
        with self._lock:
            limiter = self.limiter
            return limiter.hit(client) if limiter else None

    def check_key_rate_limit(self, kind: str, key_hash: str) -> tuple[int, str] | None:
        """None when a request with this key (``api_key`` or ``user_api_key``) may
        proceed, else ``(seconds to wait, Discourse-Rate-Limit-Error-Code)``."""
        with self._lock:
            limiters = self.key_limiters
            return limiters.hit(kind, key_hash) if limiters else None

    # -- JSON control -------------------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """The current settings as JSON-ready data."""
        with self._lock:
            return {
                "latency": self.latency,
                "rate_limit": (
                    {"per_minute": self.limiter.per_minute, "form": self.rate_limit_form}
                    if self.limiter
                    else None
                ),
                "key_rate_limits": (
                    asdict(self.key_limiters.limits) if self.key_limiters else None
                ),
                "rules": [_rule_json(rule) for rule in self.rules],
            }

    def apply(self, config: Mapping[str, Any]) -> None:
        """Apply settings from JSON, as sent to ``POST /__demo/faults``::

            {"reset": true,
             "latency": 0.5,
             "rate_limit": {"per_minute": 20, "form": "json"},      (or null: off)
             "key_rate_limits": {"user_per_minute": 20},   (or true: defaults; null: off)
             "add": [{"kind": "status", "status": 503, "count": 2, "path_prefix": "/latest"},
                     {"kind": "rate_limit", "retry_after": 5, "form": "text"},
                     {"kind": "malformed"}, {"kind": "drop", "path_prefix": "/t/"},
                     {"kind": "status", "status": 422, "method": "POST",
                      "path_prefix": "/posts"},
                     {"kind": "accept_then_delay", "delay": 30, "path_prefix": "/posts"},
                     {"kind": "accept_then_drop", "method": "PUT"}]}

        Every key is optional; a rule's ``method`` defaults to every method, except for
        the ``accept_then_*`` kinds, where it defaults to ``write``. Raises
        ``ValueError`` (nothing applied) on bad input.
        """
        if not isinstance(config, Mapping):
            raise ValueError("expected a JSON object")
        unknown = set(config) - {"reset", "latency", "rate_limit", "key_rate_limits", "add"}
        if unknown:
            raise ValueError(f"unknown keys: {', '.join(sorted(unknown))}")
        rules = [self._rule_from(item) for item in config.get("add") or ()]
        latency = config.get("latency")
        if latency is not None and (
            isinstance(latency, bool) or not isinstance(latency, int | float) or latency < 0
        ):
            raise ValueError("latency must be a non-negative number of seconds")
        limit = config.get("rate_limit", ...)
        if limit not in (None, ...):
            if not isinstance(limit, Mapping) or not isinstance(limit.get("per_minute"), int):
                raise ValueError("rate_limit must be null or {per_minute: int, form?: str}")
            if limit.get("form", "json") not in RATE_LIMIT_FORMS or limit["per_minute"] < 1:
                raise ValueError("rate_limit: per_minute ≥ 1, form 'json' or 'text'")
        key_limits = self._key_limits_from(config.get("key_rate_limits", ...))
        if config.get("reset"):
            self.reset()
        if latency is not None:
            self.latency = float(latency)
        if limit is None:
            self.set_rate_limit(None)
        elif limit is not ...:
            self.set_rate_limit(limit["per_minute"], form=limit.get("form", "json"))
        if key_limits is not ...:
            self.set_key_rate_limits(key_limits)
        for rule in rules:
            self.add(rule)

    @staticmethod
    def _key_limits_from(value: Any) -> Any:
        """``key_rate_limits`` from JSON: ``...`` (absent), None (off) or the limits."""
        if value is ... or value is None or value is False:
            return value if value is ... else None
        if value is True:
            return KeyRateLimits()
        if not isinstance(value, Mapping):
            raise ValueError("key_rate_limits must be true, null or an object")
        names = {"user_per_minute", "user_per_day", "admin_per_minute", "minute"}
        if set(value) - names:
            raise ValueError(f"key_rate_limits takes only {', '.join(sorted(names))}")
        counts = [v for name, v in value.items() if name != "minute"]
        if any(isinstance(v, bool) or not isinstance(v, int) for v in counts):
            raise ValueError("key_rate_limits counts must be integers")
        minute = value.get("minute", 60.0)
        if isinstance(minute, bool) or not isinstance(minute, int | float):
            raise ValueError("key_rate_limits minute must be a number of seconds")
        return KeyRateLimits(**value)

    @staticmethod
    def _rule_from(item: Any) -> FaultRule:
        if not isinstance(item, Mapping):
            raise ValueError("each rule must be an object")
        fields = {
            "kind": str,
            "count": int,
            "path_prefix": str,
            "status": int,
            "body": str,
            "retry_after": int,
            "form": str,
            "method": str,
            "delay": (int, float),
        }
        unknown = set(item) - set(fields)
        if unknown:
            raise ValueError(f"unknown rule keys: {', '.join(sorted(unknown))}")
        for key, kind in fields.items():
            if key in item and (not isinstance(item[key], kind) or isinstance(item[key], bool)):
                name = "number" if key == "delay" else getattr(kind, "__name__", "value")
                raise ValueError(f"rule key {key!r} must be a {name}")
        if "kind" not in item:
            raise ValueError("each rule needs a 'kind'")
        kwargs = {k: v for k, v in item.items() if k not in ("count", "kind")}
        if item["kind"] in ACCEPT_KINDS:
            kwargs.setdefault("method", "write")
        rule = FaultRule(item["kind"], item.get("count", 1), **kwargs)
        # Validate now so that a bad rule rejects the whole request.
        Faults().add(rule)
        return rule


def _rule_json(rule: FaultRule) -> dict[str, Any]:
    data = asdict(rule)
    data["count"] = data.pop("remaining")
    return data

"""Telling the demo forum to misbehave, for tests: latency, errors, rate limits, drops.

A :class:`Faults` object hangs off every demo app (``app.faults``). Set it from Python::

    app.faults.latency = 0.2                        # every request waits 200 ms
    app.faults.fail_next(2, status=503)             # the next 2 requests answer 503
    app.faults.rate_limit_next(retry_after=7)       # the next request answers 429 (JSON)
    app.faults.rate_limit_next(form="text")         # ... or the per-IP text/plain form
    app.faults.malform_next(path_prefix="/t/")      # next /t/... answer is cut-off JSON
    app.faults.drop_next()                          # next request: connection closed
    app.faults.set_rate_limit(20)                   # 20 requests/minute per client
    app.faults.reset()

or over HTTP with ``POST /__demo/faults`` (see :meth:`Faults.apply` for the JSON).
Rules are consumed in the order they were added; each matches a path prefix (all paths
when empty) and applies to the next ``count`` matching requests.
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from typing import Any

__all__ = ["FAULT_KINDS", "FaultRule", "Faults", "RateLimiter"]

FAULT_KINDS = ("status", "rate_limit", "malformed", "drop")
RATE_LIMIT_FORMS = ("json", "text")


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

    def matches(self, path: str) -> bool:
        """Whether this rule applies to a request for ``path``."""
        return self.remaining > 0 and path.startswith(self.path_prefix)


class RateLimiter:
    """Discourse-style sliding window: at most ``per_minute`` requests per client in 60 s."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be at least 1")
        self.per_minute = per_minute
        self.clock = clock
        self._hits: dict[str, deque[float]] = {}

    def hit(self, key: str) -> int | None:
        """Record a request; None when allowed, else the seconds to wait."""
        now = self.clock()
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= 60.0:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return max(1, math.ceil(60.0 - (now - hits[0])))
        hits.append(now)
        return None


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
        with self._lock:
            self.rules.append(rule)
        return rule

    def fail_next(
        self, count: int = 1, *, status: int = 500, path_prefix: str = "", body: str = "json"
    ) -> FaultRule:
        """The next ``count`` matching requests answer ``status``."""
        return self.add(FaultRule("status", count, path_prefix, status=status, body=body))

    def rate_limit_next(
        self, count: int = 1, *, retry_after: int = 10, form: str = "json", path_prefix: str = ""
    ) -> FaultRule:
        """The next ``count`` matching requests answer 429 with ``Retry-After``."""
        return self.add(
            FaultRule("rate_limit", count, path_prefix, retry_after=retry_after, form=form)
        )

    def malform_next(self, count: int = 1, *, path_prefix: str = "") -> FaultRule:
        """The next ``count`` matching requests answer 200 with cut-off JSON."""
        return self.add(FaultRule("malformed", count, path_prefix))

    def drop_next(self, count: int = 1, *, path_prefix: str = "") -> FaultRule:
        """The next ``count`` matching requests get their connection closed, no answer."""
        return self.add(FaultRule("drop", count, path_prefix))

    def set_rate_limit(self, per_minute: int | None, *, form: str = "json") -> None:
        """Limit every client (by IP) to ``per_minute`` requests a minute; None turns it off."""
        if form not in RATE_LIMIT_FORMS:
            raise ValueError("form must be 'json' or 'text'")
        with self._lock:
            self.limiter = RateLimiter(per_minute, self.clock) if per_minute else None
            self.rate_limit_form = form

    def reset(self) -> None:
        """Back to a well-behaved forum."""
        with self._lock:
            self.latency = 0.0
            self.rules.clear()
            self.limiter = None
            self.rate_limit_form = "json"

    # -- used by the app ----------------------------------------------------------------

    def take(self, path: str) -> FaultRule | None:
        """Consume and return the first rule matching ``path`` (a copy), if any."""
        with self._lock:
            for rule in self.rules:
                if rule.matches(path):
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
                "rules": [_rule_json(rule) for rule in self.rules],
            }

    def apply(self, config: Mapping[str, Any]) -> None:
        """Apply settings from JSON, as sent to ``POST /__demo/faults``::

            {"reset": true,
             "latency": 0.5,
             "rate_limit": {"per_minute": 20, "form": "json"},      (or null: off)
             "add": [{"kind": "status", "status": 503, "count": 2, "path_prefix": "/latest"},
                     {"kind": "rate_limit", "retry_after": 5, "form": "text"},
                     {"kind": "malformed"}, {"kind": "drop", "path_prefix": "/t/"}]}

        Every key is optional. Raises ``ValueError`` (nothing applied) on bad input.
        """
        if not isinstance(config, Mapping):
            raise ValueError("expected a JSON object")
        unknown = set(config) - {"reset", "latency", "rate_limit", "add"}
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
        if config.get("reset"):
            self.reset()
        if latency is not None:
            self.latency = float(latency)
        if limit is None:
            self.set_rate_limit(None)
        elif limit is not ...:
            self.set_rate_limit(limit["per_minute"], form=limit.get("form", "json"))
        for rule in rules:
            self.add(rule)

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
        }
        unknown = set(item) - set(fields)
        if unknown:
            raise ValueError(f"unknown rule keys: {', '.join(sorted(unknown))}")
        for key, kind in fields.items():
            if key in item and (not isinstance(item[key], kind) or isinstance(item[key], bool)):
                raise ValueError(f"rule key {key!r} must be a {kind.__name__}")
        if "kind" not in item:
            raise ValueError("each rule needs a 'kind'")
        kwargs = {k: v for k, v in item.items() if k not in ("count", "kind")}
        rule = FaultRule(item["kind"], item.get("count", 1), **kwargs)
        # Validate now so that a bad rule rejects the whole request.
        Faults().add(rule)
        return rule


def _rule_json(rule: FaultRule) -> dict[str, Any]:
    data = asdict(rule)
    data["count"] = data.pop("remaining")
    return data

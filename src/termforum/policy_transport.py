"""``PolicyTransport``: applies a forum's ``RequestPolicy`` (``netpolicy.py``) to every request.

It wraps the base transport of one forum's client (see ``net.py``)::

    httpx.AsyncClient
     └── PolicyTransport(base_transport(url), RequestPolicy(...))

Kept apart from ``netpolicy`` because it needs httpx, which start-up does not load until the
first request.
"""

from __future__ import annotations

import json
import math
import re

import httpx

from termforum.net import parse_retry_after, wait_seconds
from termforum.netpolicy import DEFAULT_PAUSE, IDEMPOTENT, MAX_PAUSE, RETRY_STATUSES, RequestPolicy
from termforum.priority import in_background

__all__ = ["PolicyTransport", "credential_kind", "pause_seconds"]


def credential_kind(request: httpx.Request) -> str:
    """Which budget a request draws on, from the credential headers it carries."""
    if "user-api-key" in request.headers:
        return "user_api_key"
    if "api-key" in request.headers:
        return "api_key"
    return "anonymous"


def pause_seconds(response: httpx.Response) -> float:
    """How long a 429 asks us to wait: ``Retry-After``, else Discourse's JSON
    ``extras.wait_seconds``, else the seconds its plain-text per-IP answer names, else
    ``DEFAULT_PAUSE``. The body must have been read."""
    wait = parse_retry_after(response.headers.get("Retry-After"))
    if wait is None:
        try:
            wait = wait_seconds(json.loads(response.content))
        except (ValueError, UnicodeDecodeError, httpx.ResponseNotRead):
            wait = None
    if wait is None:
        # The per-IP limiter's plain text: "... Please retry again in 12 seconds. ..."
        said = _RETRY_IN.search(response.content[:2000].decode("utf-8", "replace"))
        wait = float(said[1]) if said else None
    return DEFAULT_PAUSE if wait is None else min(wait, MAX_PAUSE)


_RETRY_IN = re.compile(r"again in (\d{1,6}) seconds?", re.IGNORECASE)

_RETRYABLE_ERRORS = (
    httpx.ConnectError,
    httpx.ConnectTimeout,
    httpx.ReadTimeout,
    httpx.ReadError,
    httpx.RemoteProtocolError,
    httpx.WriteError,
    httpx.PoolTimeout,
)


class PolicyTransport(httpx.AsyncBaseTransport):
    """Applies a ``RequestPolicy`` to every request before handing it to ``inner``."""

    def __init__(self, inner: httpx.AsyncBaseTransport, policy: RequestPolicy) -> None:
        self._inner = inner
        self.policy = policy

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        policy = self.policy
        retry = policy.retry
        is_background = in_background() or bool(request.extensions.get("termforum_background"))
        may_retry = request.method in IDEMPOTENT and not request.extensions.get(
            "termforum_no_retry"
        )
        kind = credential_kind(request)
        patience = policy.background_patience if is_background else policy.foreground_patience
        started = policy.clock()
        attempt = 0
        while True:
            attempt += 1
            left = await policy.admit(kind, background=is_background, patience=patience)
            if left is not None:
                return _local_rate_limit(request, left)
            slots = policy.budget(kind).take(policy.clock())
            policy.sent += 1
            try:
                response = await self._inner.handle_async_request(request)
            except _RETRYABLE_ERRORS:
                policy.budget(kind).settle(slots, policy.clock())
                delay = policy.backoff(attempt)
                if not (may_retry and self._may_try_again(attempt, started, delay)):
                    raise
                await policy.sleep(delay)
                continue
            policy.budget(kind).settle(slots, policy.clock())
            status = response.status_code
            if status == 429:
                await response.aread()
                wait = pause_seconds(response)
                policy.pause(wait)
                short = wait <= retry.max_pause_wait
                if may_retry and short and self._may_try_again(attempt, started, wait):
                    await response.aclose()
                    continue  # admit() waits out the pause
                return response
            if status in RETRY_STATUSES and may_retry:
                await response.aread()
                delay = policy.backoff(attempt)
                asked = parse_retry_after(response.headers.get("Retry-After"))
                if asked is not None:
                    delay = max(delay, asked)
                if delay <= retry.max_pause_wait and self._may_try_again(attempt, started, delay):
                    await response.aclose()
                    await policy.sleep(delay)
                    continue
            return response

    def _may_try_again(self, attempt: int, started: float, delay: float) -> bool:
        retry = self.policy.retry
        waited = self.policy.clock() - started
        return attempt < retry.attempts and waited + delay <= retry.max_total_wait

    async def aclose(self) -> None:
        await self._inner.aclose()


def _local_rate_limit(request: httpx.Request, seconds: float) -> httpx.Response:
    """A 429 made here, never sent: the forum asked us to wait, or the budget is spent."""
    wait = max(1, math.ceil(seconds))
    body = {
        "errors": [f"termforum is holding requests back for {wait} more seconds."],
        "error_type": "rate_limit",
        "extras": {"wait_seconds": wait},
    }
    return httpx.Response(
        429,
        headers={"Retry-After": str(wait), "Content-Type": "application/json"},
        content=json.dumps(body).encode(),
        request=request,
        extensions={"termforum_local": True},
    )

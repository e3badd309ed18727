"""HTTP plumbing shared by every backend; the only module that builds an ``httpx.AsyncClient``.

One long-lived client per forum (see ``docs/design.md``). Its layers, outermost first::

    httpx.AsyncClient   default headers, timeouts, redirects, credential guard
     └── transport      PolicyTransport(base_transport(url), policy) for a forum the user
                        reads (``accounts.Accounts.open``); see ``netpolicy.py``

Request behaviour (retries, the rate budget, 429 pauses) lives in transports that wrap
``base_transport()``, passed as ``make_client(transport=...)``. The client never
mounts other transports (``trust_env=False``): an environment proxy is applied inside
``base_transport()`` so that every request goes through the wrapped chain.

Credentials are added per request by ``CredentialsAuth`` (an ``httpx.Auth``), never kept in
``client.headers``: the key exists in clear only inside the request being sent.

``send()`` turns httpx transport failures into ``termforum.errors.NetworkError`` with one plain
sentence naming the host; ``redact_headers()`` makes headers safe to log. With debug logging on,
each request is logged as method, path, status and latency, nothing else.
"""

from __future__ import annotations

import email.utils
import logging
import math
import socket
import ssl
import time
import urllib.request
from collections.abc import Generator, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import httpx

from termforum import __version__
from termforum.errors import BadResponse, ForumError, NetworkError

if TYPE_CHECKING:
    from termforum.auth import Credentials

__all__ = [
    "CREDENTIAL_HEADERS",
    "CredentialsAuth",
    "DEFAULT_TIMEOUTS",
    "LIMITS",
    "SECRET_HEADERS",
    "USER_AGENT",
    "Timeouts",
    "base_transport",
    "environment_proxy",
    "error_from_exception",
    "make_client",
    "parse_retry_after",
    "redact_headers",
    "send",
    "wait_seconds",
]

USER_AGENT = f"termforum/{__version__} (terminal forum client; python-httpx/{httpx.__version__})"
"""The User-Agent of every request: names termforum and its version."""

SECRET_HEADERS: frozenset[str] = frozenset(
    {"user-api-key", "api-key", "authorization", "cookie", "set-cookie", "proxy-authorization"}
)
"""Header names (lower case) whose values ``redact_headers`` masks."""

CREDENTIAL_HEADERS: frozenset[str] = frozenset(
    {"user-api-key", "user-api-client-id", "api-key", "api-username", "authorization", "cookie"}
)
"""Request headers that identify the user; they are dropped from requests that leave the forum."""

REDACTED = "[redacted]"

log = logging.getLogger(__name__)

LIMITS = httpx.Limits(max_connections=8, max_keepalive_connections=4, keepalive_expiry=30.0)
"""Connection pool of the base transport: a few kept-alive HTTP/1.1 connections per forum."""


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Per-request time limits in seconds (httpx applies each one to a single step)."""

    connect: float = 5.0
    """Establishing the TCP/TLS connection."""
    read: float = 20.0
    """Waiting for each chunk of the answer; generous for slow links over SSH."""
    write: float = 20.0
    """Sending each chunk of the request body."""
    pool: float = 10.0
    """Waiting for a free connection from the pool."""

    def to_httpx(self) -> httpx.Timeout:
        """The same limits as an ``httpx.Timeout``."""
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


DEFAULT_TIMEOUTS = Timeouts()


def environment_proxy(url: str) -> str | None:
    """The ``http``/``https`` proxy the environment (``HTTPS_PROXY``, ``NO_PROXY``...) sets for url.

    SOCKS proxies are ignored: they need an extra package termforum does not install.
    """
    target = httpx.URL(url)
    if not target.host or urllib.request.proxy_bypass(target.host):
        return None
    proxies = urllib.request.getproxies()
    proxy = proxies.get(target.scheme) or proxies.get("all")
    if proxy and proxy.lower().startswith(("http://", "https://")):
        return proxy
    return None


def base_transport(
    base_url: str | None = None, *, limits: httpx.Limits = LIMITS
) -> httpx.AsyncHTTPTransport:
    """The innermost transport: HTTP/1.1 keep-alive, TLS trust from the environment, no retries.

    With ``base_url`` given, an environment proxy for that URL is applied here.
    """
    proxy = environment_proxy(base_url) if base_url else None
    return httpx.AsyncHTTPTransport(
        http1=True, http2=False, limits=limits, proxy=proxy, trust_env=True, retries=0
    )


class _CredentialGuard:
    """Request hook: keeps credentials on the forum's own host (httpx only strips Authorization).

    It runs for every request the client sends, redirects included, and drops the
    ``CREDENTIAL_HEADERS`` when a request goes to another host or port, or from https down
    to http.
    """

    def __init__(self, base_url: str) -> None:
        url = httpx.URL(base_url)
        self._host = url.host
        self._port = url.port
        self._https = url.scheme == "https"

    async def __call__(self, request: httpx.Request) -> None:
        url = request.url
        same_place = url.host == self._host and url.port == self._port
        if same_place and not (self._https and url.scheme != "https"):
            return
        for name in CREDENTIAL_HEADERS:
            if name in request.headers:
                del request.headers[name]


class CredentialsAuth(httpx.Auth):
    """Signs each request with a forum's credentials at the moment it is sent.

    The headers are written straight into the request, so no variable (in this frame or a
    caller's) holds the key in clear; ``repr`` shows only the kind of credentials.
    """

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def __repr__(self) -> str:
        return f"CredentialsAuth({getattr(self._credentials, 'kind', 'credentials')})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add the credential headers (none when anonymous) and send the request once."""
        request.headers.update(self._credentials.headers())
        yield request


async def _log_request(request: httpx.Request) -> None:
    request.extensions["termforum_started"] = time.perf_counter()


async def _log_response(response: httpx.Response) -> None:
    """Debug log: method, path, status, latency; never headers, query values or bodies."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    request = response.request
    started = request.extensions.get("termforum_started")
    took = f"{(time.perf_counter() - started) * 1000:.0f} ms" if started else "?"
    log.debug("%s %s -> %s in %s", request.method, request.url.path, response.status_code, took)


def make_client(
    base_url: str,
    *,
    timeouts: Timeouts = DEFAULT_TIMEOUTS,
    headers: Mapping[str, str] | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> httpx.AsyncClient:
    """Build the long-lived client for the forum at ``base_url``.

    It sends ``Accept: application/json`` and ``USER_AGENT`` (``headers`` add to or override
    them), follows redirects, applies ``timeouts`` and never sends credential headers to
    another host. ``transport`` defaults to ``base_transport(base_url)``; wrap that one to add
    behaviour. The caller owns the client and must ``await client.aclose()``.
    """
    default_headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
    if headers:
        default_headers.update(headers)
    return httpx.AsyncClient(
        base_url=base_url,
        headers=default_headers,
        timeout=timeouts.to_httpx(),
        follow_redirects=True,
        max_redirects=10,
        transport=transport if transport is not None else base_transport(base_url),
        trust_env=False,
        event_hooks={
            "request": [_CredentialGuard(base_url), _log_request],
            "response": [_log_response],
        },
    )


async def send(
    client: httpx.AsyncClient, request: httpx.Request, *, auth: httpx.Auth | None = None
) -> httpx.Response:
    """Send ``request`` with ``client`` (signed by ``auth``, e.g. ``CredentialsAuth``);
    failures before an HTTP answer become ``ForumError``.

    Raises ``NetworkError`` (connection refused, DNS failure, time-outs, broken connections,
    a closed client) or ``BadResponse`` (a body that cannot be decoded). HTTP error statuses
    are returned as responses: mapping them is the backend's job.
    """
    if client.is_closed:
        raise NetworkError(f"The connection to {_host(request.url)} is already closed.")
    try:
        if auth is None:
            return await client.send(request)
        return await client.send(request, auth=auth)
    except httpx.HTTPError as exc:
        raise error_from_exception(exc, request) from exc


def error_from_exception(exc: httpx.HTTPError, request: httpx.Request | None = None) -> ForumError:
    """Map an httpx exception to a typed error with one plain sentence naming the host.

    ``NetworkError.sent`` is True when the request had been written when the failure came
    (read time-out, connection dropped while waiting for the answer, too many redirects):
    a write may then have reached the forum.
    """
    if request is None:
        try:
            request = exc.request
        except RuntimeError:
            request = None
    host = _host(request.url) if request is not None else "the forum"
    limits = request.extensions.get("timeout", {}) if request is not None else {}

    if isinstance(exc, httpx.ConnectTimeout):
        return NetworkError(f"Connecting to {host} timed out{_after(limits.get('connect'))}.")
    if isinstance(exc, httpx.ReadTimeout):
        return NetworkError(
            f"{host} did not answer in time{_after(limits.get('read'))}.", sent=True
        )
    if isinstance(exc, httpx.WriteTimeout):
        return NetworkError(
            f"Sending the request to {host} timed out{_after(limits.get('write'))}."
        )
    if isinstance(exc, httpx.PoolTimeout):
        return NetworkError(f"Too many requests to {host} were waiting, so this one gave up.")
    if isinstance(exc, httpx.ProxyError):
        return NetworkError(f"The proxy could not connect to {host}.")
    if isinstance(exc, httpx.ConnectError):
        return _connect_error(exc, host)
    if isinstance(exc, httpx.WriteError):
        return NetworkError(f"The connection to {host} broke while sending the request.")
    if isinstance(exc, httpx.ReadError | httpx.RemoteProtocolError):
        return NetworkError(f"The connection to {host} broke before the answer arrived.", sent=True)
    if isinstance(exc, httpx.UnsupportedProtocol):
        return NetworkError(f"The address of {host} does not start with http:// or https://.")
    if isinstance(exc, httpx.TooManyRedirects):
        return NetworkError(f"{host} redirected the request too many times.", sent=True)
    if isinstance(exc, httpx.DecodingError):
        return BadResponse(f"The answer from {host} could not be decoded.")
    if isinstance(exc, httpx.TimeoutException):
        return NetworkError(f"The request to {host} timed out.", sent=True)
    return NetworkError(f"The request to {host} failed.", sent=True)


def _connect_error(exc: BaseException, host: str) -> NetworkError:
    """Name the reason a connection could not be opened, from the exception's causes."""
    for cause in _causes(exc):
        if isinstance(cause, socket.gaierror):
            return NetworkError(
                f"Could not find {host}: the name does not resolve (check the address and "
                "your connection)."
            )
        if isinstance(cause, ConnectionRefusedError):
            return NetworkError(
                f"{host} refused the connection; the forum may be down or the address wrong."
            )
        if isinstance(cause, ssl.SSLCertVerificationError):
            return NetworkError(f"The certificate of {host} could not be verified.")
        if isinstance(cause, ssl.SSLError):
            return NetworkError(f"Could not open a secure connection to {host}.")
        if isinstance(cause, TimeoutError):
            return NetworkError(f"Connecting to {host} timed out.")
    return NetworkError(f"Could not connect to {host}.")


def _causes(exc: BaseException) -> Iterable[BaseException]:
    """The exception and its chain of causes/contexts (httpx → httpcore → OSError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(seen) < 16:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _host(url: httpx.URL) -> str:
    """``host`` or ``host:port`` of url, never its user name, password, path or query."""
    host = url.host or "the forum"
    return f"{host}:{url.port}" if url.port is not None else host


def _after(seconds: object) -> str:
    if isinstance(seconds, int | float) and seconds > 0:
        unit = "second" if seconds == 1 else "seconds"
        return f" after {seconds:g} {unit}"
    return ""


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date), or None."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
        return max(0.0, seconds)
    if math.isnan(seconds) or math.isinf(seconds) or seconds < 0:
        return None
    return seconds


def wait_seconds(body: object) -> float | None:
    """Discourse's ``extras.wait_seconds`` from a decoded 429 body, when it is a usable
    number of seconds."""
    if not isinstance(body, dict):
        return None
    extras = body.get("extras")
    wait = extras.get("wait_seconds") if isinstance(extras, dict) else None
    if isinstance(wait, bool) or not isinstance(wait, int | float):
        return None
    return float(wait) if math.isfinite(wait) and wait >= 0 else None


def redact_headers(
    headers: httpx.Headers | Mapping[str, str] | Iterable[tuple[str, str]],
) -> dict[str, str]:
    """A copy of headers safe for logs: values of ``SECRET_HEADERS`` become ``[redacted]``.

    Names are matched case-insensitively; repeated headers are joined with ``", "``.
    """
    if isinstance(headers, httpx.Headers):
        items: Iterable[tuple[str, str]] = headers.multi_items()
    elif isinstance(headers, Mapping):
        items = headers.items()
    else:
        items = headers
    result: dict[str, str] = {}
    for name, value in items:
        shown = REDACTED if name.lower() in SECRET_HEADERS else value
        result[name] = f"{result[name]}, {shown}" if name in result else shown
    return result

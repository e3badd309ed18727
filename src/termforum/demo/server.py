"""Serve the demo forum over real loopback HTTP with uvicorn.

:class:`DemoServer` runs uvicorn in a daemon thread with its own event loop (for the TUI's
``--demo`` mode and for tests); :func:`serve_forever` runs it in the foreground for
``termforum demo-server``. uvicorn is imported lazily, so importing this module is cheap.
Logging is quiet: no access log, only uvicorn errors, never on the terminal by default.

Both make the seed content look current by default: ``time_shift=None`` means
:func:`termforum.demo.clock.live_time_shift` at start (the newest post some 20 minutes
old); pass ``time_shift=timedelta(0)`` for the seed's own, fixed times.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import signal
import socket
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from termforum.errors import TermforumError

if TYPE_CHECKING:
    from termforum.demo.app import DemoApp
    from termforum.demo.faults import KeyRateLimits

__all__ = ["DemoServer", "DemoServerError", "serve_forever"]

_LOGGER = "termforum.demo"
_START_TIMEOUT = 20.0


class DemoServerError(TermforumError):
    """The demo server could not start (the message is one sentence for the user)."""


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a :class:`DemoServerError` that says why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise DemoServerError(
                f"Cannot start the demo forum: port {port} on {host} is already in use."
            ) from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise DemoServerError(
                f"Cannot start the demo forum: no permission to listen on {host}:{port}."
            ) from None
        raise DemoServerError(
            f"Cannot start the demo forum on {host}:{port}: {exc.strerror or exc}."
        ) from None
    sock.setblocking(False)
    return sock


def _make_app(data_dir: Path | None, time_shift: timedelta | float | None) -> DemoApp:
    """The demo app, with data-folder problems reported as one sentence.

    ``time_shift=None`` is the live shift (:func:`~termforum.demo.clock.live_time_shift`).
    """
    import sqlite3

    from termforum.demo.app import DemoApp
    from termforum.demo.clock import live_time_shift

    shift = live_time_shift() if time_shift is None else time_shift
    try:
        return DemoApp(data_dir, time_shift=shift)
    except (OSError, sqlite3.Error) as exc:
        where = f"the data folder {data_dir}" if data_dir else "a temporary data folder"
        reason = getattr(exc, "strerror", None) or str(exc)
        raise DemoServerError(f"Cannot prepare {where} for the demo forum: {reason}.") from None


def _check_key_rate_limits(limits: object) -> None:
    """``TypeError`` unless ``limits`` is None, a bool or a ``KeyRateLimits``."""
    from termforum.demo.faults import KeyRateLimits

    if limits is not None and not isinstance(limits, bool | KeyRateLimits):
        raise TypeError("key_rate_limits must be None, True, False or a KeyRateLimits")


def _url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def _log_config(stream: TextIO | None) -> dict[str, Any]:
    """uvicorn logging: errors only, to ``stream`` (None: swallowed), no access log."""
    handler: dict[str, Any] = (
        {"class": "logging.StreamHandler", "stream": stream}
        if stream is not None
        else {"class": "logging.NullHandler"}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"demo": handler},
        "loggers": {
            "uvicorn": {"handlers": ["demo"], "level": "WARNING", "propagate": False},
            "uvicorn.error": {"level": "WARNING"},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


def _server(app: DemoApp, host: str, port: int, log_stream: TextIO | None) -> Any:
    """A uvicorn server for ``app`` that leaves signal handling to us."""
    import uvicorn

    class _Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self) -> Iterator[None]:
            # uvicorn would install its own SIGINT/SIGTERM handlers and re-raise the
            # signal after shutting down; the caller decides how the program stops.
            yield

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        lifespan="on",
        access_log=False,
        log_config=_log_config(log_stream),
        log_level="warning",
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=2,
        # h11 refuses a request head over 16 KiB when it arrives in pieces; make room for
        # a request line carrying MAX_POST_IDS post_ids[] (some 21 KB).
        h11_max_incomplete_event_size=64 * 1024,
    )
    return _Server(config)


class DemoServer:
    """The demo forum served on ``host:port`` in a background thread.

    ``port=0`` picks a free port. ``start()`` returns the base URL once the server accepts
    connections; ``stop()`` shuts it down and closes the app. Usable as a context
    manager::

        with DemoServer() as server:
            httpx.get(server.url + "/latest.json")

    ``time_shift`` (timedelta or seconds) moves every timestamp the forum answers with;
    None (the default) picks :func:`~termforum.demo.clock.live_time_shift` when the app
    is made, so the content looks current; ``timedelta(0)`` keeps the seed's fixed times.
    With ``app=`` the app's own shift applies and ``time_shift`` must be left out.

    ``key_rate_limits`` turns on Discourse's per-key API limits when the server starts
    (:meth:`~termforum.demo.faults.Faults.set_key_rate_limits`): ``True`` for Discourse's
    defaults (20 requests a minute and 2,880 a day per user API key, 60 a minute for
    admin keys), a :class:`~termforum.demo.faults.KeyRateLimits` for others, ``False``
    to turn them off; None (the default) leaves the app's setting alone (off unless
    turned on). Requests over a limit answer 429 with ``Retry-After``.
    """

    def __init__(
        self,
        data_dir: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        app: DemoApp | None = None,
        log_stream: TextIO | None = None,
        time_shift: timedelta | float | None = None,
        key_rate_limits: KeyRateLimits | bool | None = None,
    ) -> None:
        if app is not None and time_shift is not None:
            raise ValueError("time_shift belongs to the app when an app is given")
        _check_key_rate_limits(key_rate_limits)
        self.data_dir = data_dir
        self.time_shift = time_shift
        self.key_rate_limits = key_rate_limits
        self.host = host
        self.port = port
        self.app = app
        self.log_stream = log_stream
        self.url: str | None = None
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._owns_app = app is None
        self._error: BaseException | None = None

    def demo_credentials(self) -> tuple[str, str]:
        """``(username, user API key)`` of the demo account, for ``termforum --demo``.

        In-process, no HTTP: send the key as ``User-Api-Key`` (client id
        :data:`~termforum.demo.app.DEMO_CLIENT_ID`). The key is made once per data
        folder and reused; callable before :meth:`start` (the app is made then) or after.
        """
        if self.app is None:
            self.app = _make_app(self.data_dir, self.time_shift)
        return self.app.demo_credentials()

    def start(self) -> str:
        """Start serving; return the base URL (``http://127.0.0.1:PORT``)."""
        if self._thread is not None:
            raise RuntimeError("the demo server is already running")
        sock = _bind(self.host, self.port)
        self.port = sock.getsockname()[1]
        if self.app is None:
            try:
                self.app = _make_app(self.data_dir, self.time_shift)
            except BaseException:
                sock.close()
                raise
        if self.key_rate_limits is not None:
            self.app.faults.set_key_rate_limits(self.key_rate_limits)
        server = _server(self.app, self.host, self.port, self.log_stream)
        self._server = server
        self._thread = threading.Thread(
            target=self._run, args=(server, sock), name="termforum-demo-server", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + _START_TIMEOUT
        while not server.started and time.monotonic() < deadline and self._thread.is_alive():
            time.sleep(0.005)
        if not server.started:
            self.stop()
            reason = f": {self._error}" if self._error else "."
            raise DemoServerError(f"The demo forum did not start{reason}")
        self.url = _url(self.host, self.port)
        return self.url

    def _run(self, server: Any, sock: socket.socket) -> None:
        loop = asyncio.new_event_loop()
        try:
            loop.run_until_complete(server.serve(sockets=[sock]))
        except BaseException as exc:  # reported by start()
            self._error = exc
        finally:
            sock.close()
            loop.close()

    def stop(self) -> None:
        """Stop serving (waits for the thread) and close the app if this server made it."""
        server, thread = self._server, self._thread
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout=10)
        self._server = None
        self._thread = None
        if self._owns_app and self.app is not None:
            self.app.close()
            self.app = None
        self.url = None

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def serve_forever(
    host: str = "127.0.0.1",
    port: int = 4200,
    data_dir: Path | None = None,
    *,
    out: TextIO | None = None,
    time_shift: timedelta | float | None = None,
    key_rate_limits: KeyRateLimits | bool | None = None,
) -> int:
    """Run the demo forum in the foreground until Ctrl+C or SIGTERM; return exit code 0.

    Prints one line with the URL to ``out`` (stdout by default). Raises
    :class:`DemoServerError` (one sentence) when it cannot listen, e.g. port in use.
    ``time_shift`` as for :class:`DemoServer` (None: the live shift, content looks current);
    ``key_rate_limits`` as for :class:`DemoServer` (None: off).
    """
    _check_key_rate_limits(key_rate_limits)
    out = out if out is not None else sys.stdout
    sock = _bind(host, port)
    port = sock.getsockname()[1]
    try:
        app = _make_app(data_dir, time_shift)
    except BaseException:
        sock.close()
        raise
    if key_rate_limits is not None:
        app.faults.set_key_rate_limits(key_rate_limits)
    server = _server(app, host, port, sys.stderr)

    def stop(signum: int, frame: FrameType | None) -> None:
        if server.should_exit:
            server.force_exit = True
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    where = f" (data in {data_dir})" if data_dir else ""
    print(f"Demo forum running at {_url(host, port)}{where} — press Ctrl+C to stop.", file=out)
    out.flush()
    try:
        asyncio.run(server.serve(sockets=[sock]))
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        sock.close()
        app.close()
    logging.getLogger(_LOGGER).debug("demo server stopped")
    return 0

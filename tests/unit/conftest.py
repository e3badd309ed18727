"""Fixtures for unit tests: the demo forum (a seeded database copied for each test and an
``httpx`` client that calls the ASGI app directly, no sockets) and Discourse backends that
talk to recorded answers through ``httpx.MockTransport``."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from termforum.backends.discourse import DiscourseBackend
from termforum.demo import DemoApp, create_app
from termforum.demo.db import DB_FILENAME
from termforum.demo.seed import ensure_seeded
from termforum.net import make_client

FAKE_FORUM_URL = "https://forum.test"
"""Where the backends of ``connect`` believe their forum is (requests never leave the test)."""


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the seeded demo database, seeded once per test session."""
    folder = tmp_path_factory.mktemp("demo-template")
    ensure_seeded(folder)
    return folder


@pytest.fixture
def demo_app(demo_template: Path, tmp_path: Path) -> Iterator[DemoApp]:
    """A demo forum on a fresh copy of the seeded database."""
    shutil.copy(demo_template / DB_FILENAME, tmp_path / DB_FILENAME)
    demo = create_app(tmp_path)
    yield demo
    demo.close()


@pytest.fixture
async def demo_client(demo_app: DemoApp) -> AsyncIterator[httpx.AsyncClient]:
    """An ``httpx`` client that sends its requests straight to ``demo_app``."""
    transport = httpx.ASGITransport(app=demo_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as client:
        yield client


@pytest.fixture
def demo_you(demo_app: DemoApp) -> dict[str, str]:
    """Request headers that speak as the demo account (a User API key)."""
    _, key = demo_app.demo_credentials()
    return {"User-Api-Key": key}


@pytest.fixture
async def connect() -> AsyncIterator[Callable[..., DiscourseBackend]]:
    """``connect(forum, credentials=None)`` → a ``DiscourseBackend`` whose requests go to
    ``forum`` (an ``httpx.MockTransport`` handler replaying recorded answers); its clients are
    closed after the test. Modules with their own ``connect`` override this one."""
    clients: list[httpx.AsyncClient] = []

    def _connect(forum: Callable[..., object], credentials: Any = None) -> DiscourseBackend:
        client = make_client(FAKE_FORUM_URL, transport=httpx.MockTransport(forum))  # type: ignore[arg-type]
        clients.append(client)
        return DiscourseBackend(FAKE_FORUM_URL, http=client, credentials=credentials)

    yield _connect
    for client in clients:
        await client.aclose()


def upgraded_from(template: Path, folder: Path, downgrade: str) -> sqlite3.Connection:
    """Copy the seeded database into ``folder``, turn it back into an older data folder with
    the SQL ``downgrade``, let the demo forum open it (upgrading it in place), and return a
    connection to the result (the caller closes it)."""
    path = folder / DB_FILENAME
    shutil.copy(template / DB_FILENAME, path)
    conn = sqlite3.connect(path)
    conn.executescript(downgrade)
    conn.close()
    assert ensure_seeded(folder) == path
    return sqlite3.connect(path)

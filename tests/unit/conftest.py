"""Fixtures for unit tests of the demo forum: a seeded database copied for each test and an
``httpx`` client that calls the ASGI app directly (no sockets)."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from termforum.demo import DemoApp, create_app
from termforum.demo.db import DB_FILENAME
from termforum.demo.seed import ensure_seeded


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

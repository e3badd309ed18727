"""Pilot-test fixtures: one demo forum over real loopback HTTP for the whole session."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from termforum.backends import create_backend
from termforum.demo import DemoServer, Faults
from termforum.net import make_client
from termforum.service import ForumService
from termforum.ui.app import TermforumApp


@pytest.fixture(scope="session")
def demo_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo forum served on 127.0.0.1 for the test session."""
    data: Path = tmp_path_factory.mktemp("demo-forum")
    server = DemoServer(data_dir=data)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def demo_url(demo_server: DemoServer) -> str:
    """Base URL of the session's demo forum."""
    return demo_server.url


@pytest.fixture
def faults(demo_server: DemoServer) -> Iterator[Faults]:
    """The demo forum's fault switches, reset after the test."""
    demo_server.app.faults.reset()
    try:
        yield demo_server.app.faults
    finally:
        demo_server.app.faults.reset()


@pytest.fixture
def make_app(demo_url: str) -> Callable[..., TermforumApp]:
    """Build a TermforumApp on the demo forum (keyword arguments go to the app)."""

    def build(**kwargs: object) -> TermforumApp:
        backend = create_backend("discourse", demo_url, http=make_client(demo_url))
        return TermforumApp(ForumService("demo", demo_url, backend), **kwargs)  # type: ignore[arg-type]

    return build


async def settle(pilot, condition: Callable[[], bool], *, tries: int = 100) -> None:  # type: ignore[no-untyped-def]
    """Let the app work (network, workers, repaint) until ``condition`` holds."""
    for _ in range(tries):
        await pilot.pause(0.02)
        if condition():
            return
    raise AssertionError("the app never reached the expected state")


def app_as_demo_user(forum: DemoServer, **kwargs: object) -> TermforumApp:
    """A TermforumApp on ``forum`` logged in as its demo account (a User API key)."""
    from termforum.auth import Credentials, Secret
    from termforum.demo.app import DEMO_CLIENT_ID

    username, key = forum.demo_credentials()
    credentials = Credentials("user_api_key", Secret(key), username, DEMO_CLIENT_ID)
    backend = create_backend(
        "discourse", forum.url, http=make_client(forum.url), credentials=credentials
    )
    return TermforumApp(ForumService("demo", forum.url, backend), **kwargs)  # type: ignore[arg-type]

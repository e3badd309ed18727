"""The network policy as a user meets it, against a demo forum over real loopback HTTP that
enforces Discourse's per-key limits: quick browsing under a user API key never draws a 429,
a 429 from the forum stops every request until its ``Retry-After`` has passed, and the header
counts the wait down. The demo's journal says what reached the forum, and when."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from termforum.accounts import Accounts
from termforum.auth import Credentials, Secret
from termforum.config import ForumConfig
from termforum.demo import DemoServer
from termforum.demo.faults import KeyRateLimits
from termforum.ui.app import TermforumApp
from termforum.ui.screens.main import MainScreen
from tests.app.conftest import settle

LIMITS = KeyRateLimits(user_per_minute=6, minute=3.0)
"""The forum's limit, shrunk in time so the test is quick: 6 requests in any 3 seconds."""


@pytest.fixture(scope="module")
def limited_forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo forum that answers 429 past 6 requests in 3 seconds per user API key."""
    data: Path = tmp_path_factory.mktemp("limited-forum")
    server = DemoServer(data_dir=data, key_rate_limits=LIMITS)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def _app(server: DemoServer) -> TermforumApp:
    """termforum as ``termforum --forum`` builds it, signed in as priya, told the forum's
    limits through ``rate_limits`` in its config."""
    key = server.app.create_user_api_key("priya")
    forum = ForumConfig(name="limited", url=server.url, rate_limits="6/3s")
    credentials = Credentials(kind="user_api_key", key=Secret(key), username="priya")
    accounts = Accounts.single(forum, credentials, use_cache=False)
    return TermforumApp(accounts.open(forum), accounts=accounts)


def _main(app: TermforumApp) -> MainScreen:
    assert isinstance(app.screen, MainScreen)
    return app.screen


async def test_quick_browsing_under_a_user_key_never_draws_a_429(
    limited_forum: DemoServer,
) -> None:
    journal = limited_forum.app.journal
    journal.clear()
    app = _app(limited_forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 12, tries=400)
        # Open twelve topics one after the other, as fast as the keys go.
        for step in range(12):
            screen.topics_pane.focus()
            await pilot.press("down", "enter")
            wanted = screen.topics_pane.topics[step + 1].id
            await settle(
                pilot,
                lambda wanted=wanted: (
                    screen.reader.thread is not None and screen.reader.thread.topic.id == wanted
                ),
                tries=600,
            )
            await pilot.press("u")
    statuses = [arrival.status for arrival in journal]
    assert len(statuses) > LIMITS.user_per_minute * 2  # enough to need pacing
    assert 429 not in statuses
    assert app.service.policy is not None and app.service.policy.rate_limited == 0


async def test_after_a_429_no_request_goes_out_before_retry_after_and_the_header_counts_down(
    limited_forum: DemoServer,
) -> None:
    app = _app(limited_forum)
    journal = limited_forum.app.journal
    faults = limited_forum.app.faults
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: len(screen.topics_pane.topics) > 2, tries=400)
        await pilot.pause(3.5)  # let the budget window empty
        journal.clear()
        faults.rate_limit_next(retry_after=3, form="text")
        screen.topics_pane.focus()
        await pilot.press("down", "enter")
        await settle(pilot, lambda: "rate-limited" in app.sub_title, tries=200)
        wanted = screen.topics_pane.topics[1].id
        await settle(
            pilot,
            lambda: screen.reader.thread is not None and screen.reader.thread.topic.id == wanted,
            tries=600,
        )
        await settle(pilot, lambda: "rate-limited" not in app.sub_title, tries=200)
    arrivals = list(journal)
    refused = [arrival for arrival in arrivals if arrival.status == 429]
    assert len(refused) == 1
    later = [arrival for arrival in arrivals if arrival.at > refused[0].at]
    assert later, "the topic was asked for again after the pause"
    assert min(arrival.at for arrival in later) - refused[0].at >= 3.0
    assert all(arrival.status == 200 for arrival in later)

"""A member's card as a reader meets it: ``U`` on a post shows its author's standing (the
numbers the forum holds), enter on one of their topics opens it; ``U`` on the topic list
shows who started the highlighted topic; a missing member or a refusing forum is one
sentence on the card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import httpx

from termforum.demo import Faults
from termforum.models import TRUST_LEVELS
from termforum.ui.app import TermforumApp
from termforum.ui.format import count
from termforum.ui.screens.main import MainScreen
from termforum.ui.screens.user_card import UserCardScreen
from tests.app.conftest import settle


def _main(app: TermforumApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def _card_text(card: UserCardScreen) -> str:
    about = card.query_one("#user-card-about")
    return str(about.render())


def _forum_says(demo_url: str, username: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """The member's profile and summary, as the demo forum answers them now."""
    name = quote(username, safe="")
    profile = httpx.get(f"{demo_url}/u/{name}.json").json()["user"]
    summary = httpx.get(f"{demo_url}/u/{name}/summary.json").json()
    return profile, summary


async def _open_card(pilot, app: TermforumApp) -> UserCardScreen:  # type: ignore[no-untyped-def]
    await pilot.press("U")
    await settle(pilot, lambda: isinstance(app.screen, UserCardScreen))
    card = app.screen
    assert isinstance(card, UserCardScreen)
    await settle(pilot, lambda: card.user is not None or card.failure is not None)
    return card


async def test_U_on_a_reply_shows_its_authors_real_numbers_and_opens_their_top_topic(
    make_app: Callable[..., TermforumApp], demo_url: str
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        topics = screen.topics_pane
        topics.focus()
        # A topic with replies, so the card is not simply the topic's starter's.
        index = next(i for i, t in enumerate(topics.topics) if t.posts_count > 2)
        topics.highlighted = index
        await pilot.press("enter")
        reader = screen.reader
        await settle(pilot, lambda: reader.thread is not None and reader.selected_post is not None)
        await pilot.press("g", "j")
        await settle(pilot, lambda: reader.selected_post is not None and reader.cursor == 1)
        author = reader.selected_post.author

        card = await _open_card(pilot, app)
        profile, summary = _forum_says(demo_url, author)
        numbers = summary["user_summary"]
        assert card.user is not None and card.user.username == author
        shown = _card_text(card)
        assert author in shown
        assert f"{TRUST_LEVELS[profile['trust_level']]} (trust level" in shown
        assert count(numbers["post_count"], "post") in shown
        assert count(numbers["topic_count"], "topic") in shown
        assert f"{count(numbers['likes_received'], 'like')} received" in shown
        assert "Joined " in shown and "last seen" in shown
        titles = {t["id"]: t["title"] for t in summary["topics"]}
        expected = [titles[i] for i in numbers["topic_ids"]]
        assert [t.title for t in card.user.top_topics] == expected
        assert expected, "the author has topics to open"

        await pilot.press("enter")
        await settle(pilot, lambda: app.screen is screen)
        first = str(numbers["topic_ids"][0])
        await settle(pilot, lambda: reader.thread is not None and reader.thread.topic.id == first)
        assert screen.reading


async def test_U_on_the_topic_list_shows_who_started_the_topic(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        topics = screen.topics_pane
        await settle(pilot, lambda: topics.topics != [])
        topics.focus()
        topics.highlighted = 3
        starter = topics.topics[3].author
        assert starter
        card = await _open_card(pilot, app)
        assert card.user is not None and card.user.username.casefold() == starter.casefold()
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is screen)
        assert app.focused is topics


async def test_no_such_member_and_a_refusing_forum_are_one_sentence_each(
    make_app: Callable[..., TermforumApp], faults: Faults
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        service = screen.service

        def ghost_card() -> UserCardScreen:
            return UserCardScreen("nobody-here", lambda: service.user("nobody-here"))

        card = ghost_card()
        await app.push_screen(card)
        await settle(pilot, lambda: card.failure is not None)
        shown = _card_text(card)
        assert "There is no member called nobody-here on this forum" in shown
        assert "Traceback" not in shown and "\n" not in shown.strip()
        assert not card.query_one("#user-card-topics").display
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is screen)

        faults.rate_limit_next(3, retry_after=40, path_prefix="/u/")
        busy = UserCardScreen("elena", lambda: service.user("elena", refresh=True))
        await app.push_screen(busy)
        await settle(pilot, lambda: busy.failure is not None)
        said = _card_text(busy)
        assert "too many requests" in said and "40" in said

"""Writing on the demo forum as its demo account: replies, new topics, edits, likes, drafts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from termforum.auth import Credentials, Secret
from termforum.backends import create_backend
from termforum.demo import DemoServer
from termforum.demo.app import DEMO_CLIENT_ID
from termforum.drafts import DraftStore
from termforum.net import make_client
from termforum.service import ForumService
from termforum.ui.app import TermforumApp
from termforum.ui.screens.composer import ComposerScreen
from termforum.ui.screens.confirm import ConfirmScreen
from termforum.ui.screens.main import MainScreen
from tests.app.conftest import settle


@pytest.fixture(scope="module")
def writable_forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo forum of this module's own (these tests change its content)."""
    with DemoServer(data_dir=tmp_path_factory.mktemp("writable-forum")) as server:
        yield server


@pytest.fixture
def writer_app(writable_forum: DemoServer) -> Callable[..., TermforumApp]:
    def build() -> TermforumApp:
        username, key = writable_forum.demo_credentials()
        credentials = Credentials("user_api_key", Secret(key), username, DEMO_CLIENT_ID)
        url = writable_forum.url
        backend = create_backend("discourse", url, http=make_client(url), credentials=credentials)
        return TermforumApp(ForumService("demo", url, backend))

    return build


def _main(app: TermforumApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


async def _open_first_topic(pilot, app: TermforumApp) -> MainScreen:  # type: ignore[no-untyped-def]
    screen = _main(app)
    await settle(pilot, lambda: screen.topics_pane.topics != [])
    await pilot.press("enter")
    await settle(pilot, lambda: screen.reader.selected_post is not None)
    # Earlier tests wrote in this topic: it may open at its first unread post. Start at #1.
    await pilot.press("g")
    await settle(pilot, lambda: screen.reader.cursor == 0)
    return screen


async def _leave_reply_draft(pilot, app: TermforumApp, text: str) -> None:  # type: ignore[no-untyped-def]
    """Open the first topic, type ``text`` as a reply to it, and close the composer."""
    await _open_first_topic(pilot, app)
    await pilot.press("R")
    await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
    await pilot.press(*text, "escape")
    await settle(pilot, lambda: isinstance(app.screen, MainScreen))


def _similar_listed(similar) -> bool:  # type: ignore[no-untyped-def]
    """Similar topics are listed (not just the "type a title" hint)."""
    return similar.option_count > 0 and not similar.get_option_at_index(0).disabled


def _forum_posts(server: DemoServer, topic_id: str) -> list[dict]:
    data = httpx.get(f"{server.url}/t/{topic_id}.json").json()
    ids = data["post_stream"]["stream"]
    params = [("post_ids[]", i) for i in ids] + [("include_raw", "true")]
    return httpx.get(f"{server.url}/t/{topic_id}/posts.json", params=params).json()["post_stream"][
        "posts"
    ]


async def test_reply_appears_in_place_and_on_the_forum(
    writer_app: Callable[..., TermforumApp], writable_forum: DemoServer, termforum_home: Path
) -> None:
    text = "Welcome, Noor! Introductions go in Uncategorized; keep them short."
    app = writer_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_first_topic(pilot, app)
        topic_id = screen.reader.thread.topic.id
        await pilot.press("j", "r")
        await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
        await pilot.press(*text)
        drafts = DraftStore()
        await settle(pilot, lambda: any(d.body == text for d in drafts.all("demo")), tries=200)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None and reader.selected_post.yours)
        assert "Uncategorized" in reader.selected_post.html
        assert reader.cursor == reader.post_count - 1
    assert DraftStore().all("demo") == []  # deleted once the forum confirmed the post
    posts = _forum_posts(writable_forum, topic_id)
    assert [p["raw"] for p in posts].count(text) == 1
    assert posts[-1]["username"] == "you" and posts[-1]["reply_to_post_number"] == 2


async def test_new_topic_shows_similar_topics_and_asks_before_posting(
    writer_app: Callable[..., TermforumApp], writable_forum: DemoServer
) -> None:
    title = "How do I ask a good question in a group?"
    body = "I never get answers. What should a first question in a group contain?"
    app = writer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.groups_pane.option_count > 1)
        groups = screen.groups_pane
        groups.focus()
        help_group = next(g for g in groups.groups if g.name == "Asking for Help")
        groups.highlighted = groups.get_option_index(help_group.id)
        await pilot.press("enter")
        await settle(pilot, lambda: screen.group is help_group)
        await pilot.press("c")
        await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
        composer = app.screen
        await pilot.press(*title)
        similar = composer.query_one("#similar")
        await settle(pilot, lambda: _similar_listed(similar), tries=200)
        await pilot.press("tab", "tab", "tab")  # group, tags, body
        composer.query_one("#body").focus()
        await pilot.press(*body)
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        points = app.screen.query_one("#confirm-points").render().plain  # type: ignore[union-attr]
        assert "similar" in points and "not opened" in points
        await pilot.press("enter")  # post anyway
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await settle(
            pilot,
            lambda: screen.reader.thread is not None and screen.reader.thread.topic.title == title,
        )
    latest = httpx.get(f"{writable_forum.url}/latest.json").json()["topic_list"]["topics"]
    assert [t["title"] for t in latest].count(title) == 1


async def test_edit_own_post_starts_from_its_markdown(
    writer_app: Callable[..., TermforumApp], writable_forum: DemoServer
) -> None:
    app = writer_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_first_topic(pilot, app)
        await pilot.press("r")
        await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
        await pilot.press(*"A first version of my reply, to be edited.")
        await pilot.press("ctrl+s")
        reader = screen.reader
        await settle(pilot, lambda: reader.selected_post is not None and reader.selected_post.yours)
        mine = reader.selected_post
        await pilot.press("e")
        await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
        area = app.screen.query_one("#body")
        await settle(pilot, lambda: "first version" in area.text)
        area.load_text("The second version of my reply, after the edit.")
        await pilot.press("ctrl+s")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        post = httpx.get(f"{writable_forum.url}/posts/{mine.id}.json").json()
        assert post["raw"] == "The second version of my reply, after the edit."
        assert post["version"] == 2


async def test_like_toggles_on_someone_elses_post(
    writer_app: Callable[..., TermforumApp],
) -> None:
    app = writer_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_first_topic(pilot, app)
        reader = screen.reader
        post = reader.selected_post
        assert post is not None and not post.yours
        before = post.like_count
        await pilot.press("l")
        await settle(pilot, lambda: reader.selected_post.liked)
        assert reader.selected_post.like_count == before + 1
        await pilot.press("l")
        await settle(pilot, lambda: not reader.selected_post.liked)
        assert reader.selected_post.like_count == before


async def test_escape_keeps_the_draft_and_it_comes_back_in_place(
    writer_app: Callable[..., TermforumApp],
) -> None:
    app = writer_app()
    text = "Half a thought that I will finish later."
    async with app.run_test(size=(100, 30)) as pilot:
        await _leave_reply_draft(pilot, app, text)
        await pilot.press("R")
        await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
        assert app.screen.query_one("#body").text == text


async def test_a_draft_open_in_another_termforum_opens_read_only(
    writer_app: Callable[..., TermforumApp],
) -> None:
    app = writer_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_first_topic(pilot, app)
        key = screen.service.draft_key("reply", topic_id=screen.reader.thread.topic.id)
        other = DraftStore()  # another termforum process holding the same draft
        with other.open(key):
            await pilot.press("R")
            await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
            body = app.screen.query_one("#body")
            assert body.read_only
            await pilot.press(*"typed here")
            assert body.text == ""


async def test_quote_reply_quotes_the_post_in_discourse_form(
    writer_app: Callable[..., TermforumApp],
) -> None:
    app = writer_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_first_topic(pilot, app)
        await pilot.press("j")
        await settle(pilot, lambda: screen.reader.cursor == 1)
        post = screen.reader.selected_post
        topic_id = screen.reader.thread.topic.id
        await pilot.press("Q")
        await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
        body = app.screen.query_one("#body").text
        assert body.startswith(f'[quote="{post.author}, post:{post.number}, topic:{topic_id}"]\n')
        assert "[/quote]" in body
        await pilot.press("ctrl+t")  # the preview renders the quote like a post
        await pilot.pause(0.1)
        preview = app.screen.query_one("#preview-text").render().plain
        assert f"{post.author} said:" in preview
        await pilot.press("escape")


async def test_bookmark_toggles_and_shows_on_the_post(
    writer_app: Callable[..., TermforumApp],
) -> None:
    app = writer_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await _open_first_topic(pilot, app)
        reader = screen.reader
        await pilot.press("b")
        await settle(pilot, lambda: reader.selected_post.bookmarked)
        top = "\n".join(reader.render_line(y).text for y in range(3))
        assert "bookmarked" in top
        await pilot.press("b")
        await settle(pilot, lambda: not reader.selected_post.bookmarked)


async def test_similar_topic_opens_over_the_draft_and_counts_as_looked_at(
    writer_app: Callable[..., TermforumApp],
) -> None:
    from termforum.ui.screens.topic_preview import TopicPreviewScreen

    app = writer_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = _main(app)
        await settle(pilot, lambda: screen.topics_pane.topics != [])
        await pilot.press("c")
        await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
        composer = app.screen
        await pilot.press(*"Search before asking: how do you do it?")
        similar = composer.query_one("#similar")
        await settle(pilot, lambda: _similar_listed(similar), tries=200)
        similar.focus()
        similar.highlighted = 0
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, TopicPreviewScreen))
        reader = app.screen.query_one("#preview-reader")
        await settle(pilot, lambda: reader.selected_post is not None)
        await pilot.press("escape")
        await settle(pilot, lambda: app.screen is composer)
        assert composer.query_one("#title").value == "Search before asking: how do you do it?"
        assert similar.get_option_at_index(0).prompt.plain.startswith("✓")


async def test_drafts_list_resumes_and_discards(
    writer_app: Callable[..., TermforumApp],
) -> None:
    from termforum.ui.screens.drafts import DraftsScreen

    app = writer_app()
    text = "A reply I will find again in the drafts list."
    async with app.run_test(size=(100, 30)) as pilot:
        await _leave_reply_draft(pilot, app, text)
        await pilot.press("D")
        await settle(pilot, lambda: isinstance(app.screen, DraftsScreen))
        listed = app.screen.query_one("#drafts-box")
        assert any(
            text in listed.get_option_at_index(i).prompt.plain for i in range(listed.option_count)
        )
        await pilot.press("enter")  # resume: the composer opens with the text
        await settle(pilot, lambda: isinstance(app.screen, ComposerScreen))
        assert app.screen.query_one("#body").text == text
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await pilot.press("D")
        await settle(pilot, lambda: isinstance(app.screen, DraftsScreen))
        await pilot.press("x")
        await settle(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("enter")
        await settle(pilot, lambda: isinstance(app.screen, DraftsScreen))
    assert all(d.body != text for d in DraftStore().all("demo"))

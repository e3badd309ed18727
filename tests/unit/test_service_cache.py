"""Cache-first reading in ForumService, against the demo forum in-process (ASGI) and a real
SQLite cache: what is cached and fresh costs no request, what is missing is asked for once,
an unreachable forum serves the cache, and one account never sees another's cache."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from termforum.auth import ANONYMOUS, Credentials, Secret
from termforum.backends import create_backend
from termforum.demo import DemoApp, create_app
from termforum.demo.db import DB_FILENAME
from termforum.demo.seed import ensure_seeded
from termforum.errors import NetworkError
from termforum.net import make_client
from termforum.service import ForumService, Freshness
from termforum.store import Cache

URL = "http://demo.test"
TOPIC = "45"


class Wire(httpx.AsyncBaseTransport):
    """The network: counts requests and can be cut."""

    def __init__(self, app: DemoApp) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.down = False
        self.requests: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused", request=request)
        self.requests.append(f"{request.method} {request.url.path}")
        return await self.inner.handle_async_request(request)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("service-cache-template")
    ensure_seeded(folder)
    return folder


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Iterator[DemoApp]:
    shutil.copy(template / DB_FILENAME, tmp_path / DB_FILENAME)
    demo = create_app(tmp_path)
    yield demo
    demo.close()


@pytest.fixture
def wire(app: DemoApp) -> Wire:
    return Wire(app)


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    opened = Cache.open(tmp_path / "cache" / "cache.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
async def make_service(wire: Wire, cache: Cache) -> AsyncIterator:  # type: ignore[type-arg]
    made: list[ForumService] = []

    def make(
        credentials: Credentials = ANONYMOUS, *, offline: bool = False, **fresh: timedelta
    ) -> ForumService:
        http = make_client(URL, transport=wire)
        backend = create_backend("discourse", URL, http=http, credentials=credentials)
        service = ForumService(
            "demo",
            URL,
            backend,
            credentials=credentials,
            http=http,
            cache=cache,
            offline=offline,
            freshness=Freshness(**fresh) if fresh else None,
        )
        made.append(service)
        return service

    yield make
    for service in made:
        await service.aclose()


async def test_a_fresh_cached_topic_opens_without_a_request(make_service, wire: Wire) -> None:  # type: ignore[no-untyped-def]
    first = make_service()
    state = await first.open_thread(TOPIC)
    assert not state.from_cache
    sent = len(wire.requests)

    again = make_service()  # a new run of termforum: nothing in memory
    reopened = await again.open_thread(TOPIC)

    assert len(wire.requests) == sent
    assert reopened.from_cache
    assert reopened.thread.post_ids == state.thread.post_ids
    assert set(reopened.posts) == set(state.posts)


async def test_a_stale_cached_topic_is_asked_for_again(make_service, wire: Wire) -> None:  # type: ignore[no-untyped-def]
    await make_service().open_thread(TOPIC)
    sent = len(wire.requests)

    state = await make_service(thread=timedelta(0)).open_thread(TOPIC)

    assert len(wire.requests) == sent + 1
    assert not state.from_cache


async def test_an_unreachable_forum_serves_the_cache(make_service, wire: Wire) -> None:  # type: ignore[no-untyped-def]
    online = make_service()
    listed = await online.topics(None, view="latest")
    await online.groups()
    await online.open_thread(TOPIC)
    wire.down = True

    offline = make_service(thread=timedelta(0))
    state = await offline.open_thread(TOPIC)

    assert state.from_cache
    assert offline.state.value == "offline"
    assert offline.cached_groups() is not None
    cached = offline.cached_topics(None, view="latest")
    assert cached is not None and cached.value.topics == listed.topics
    with pytest.raises(NetworkError):
        await offline.open_thread("46")  # never cached


async def test_posts_come_from_the_cache_and_only_the_missing_are_asked_for(
    make_service,  # type: ignore[no-untyped-def]
    wire: Wire,
) -> None:
    first = make_service()
    state = await first.open_thread(TOPIC)
    ids = list(state.thread.post_ids)
    loaded = await first.load_posts(TOPIC, ids)
    assert len(loaded) + len(state.posts) >= len(ids)

    second = make_service(thread=timedelta(hours=1))
    await second.open_thread(TOPIC)
    before = len(wire.requests)
    again = await second.load_posts(TOPIC, ids)

    assert len(wire.requests) == before  # all cached
    assert {post.id for post in again} <= set(ids)


async def test_offline_mode_sends_nothing(make_service, wire: Wire) -> None:  # type: ignore[no-untyped-def]
    await make_service().open_thread(TOPIC)
    sent = len(wire.requests)

    offline = make_service(offline=True, thread=timedelta(0))
    state = await offline.open_thread(TOPIC)
    with pytest.raises(NetworkError, match="--offline"):
        await offline.site()

    assert state.from_cache
    assert len(wire.requests) == sent


async def test_one_account_never_sees_anothers_cache(
    make_service,  # type: ignore[no-untyped-def]
    app: DemoApp,
) -> None:
    _, key = app.demo_credentials()
    you = Credentials("user_api_key", Secret(key), "you")
    mine = make_service(you)
    await mine.topics(None, view="new")
    await mine.open_thread(TOPIC)

    visitor = make_service()

    assert visitor.cached_topics(None, view="new") is None
    assert visitor.cache is not None and visitor.cache.thread(TOPIC) is None
    assert make_service(you).cached_topics(None, view="new") is not None


async def test_logging_in_switches_to_that_accounts_cache(make_service, app: DemoApp) -> None:  # type: ignore[no-untyped-def]
    service = make_service()
    await service.open_thread(TOPIC)
    _, key = app.demo_credentials()

    service.use_credentials(Credentials("user_api_key", Secret(key), "you"))

    assert service.cache is not None and service.cache.thread(TOPIC) is None


async def test_read_state_is_kept_and_sent_to_the_forum_in_batches(
    make_service,  # type: ignore[no-untyped-def]
    app: DemoApp,
    wire: Wire,
) -> None:
    _, key = app.demo_credentials()
    service = make_service(Credentials("user_api_key", Secret(key), "you"))
    await service.open_thread(TOPIC)
    service.mark_read(TOPIC, 3)
    service.mark_read(TOPIC, 2)  # going back does not unread

    assert service.last_read([TOPIC]) == {TOPIC: 3}
    assert await service.send_read_state() == 1
    assert "POST /topics/timings" in wire.requests
    assert await service.send_read_state() == 0  # nothing new to send
    reopened = await make_service(Credentials("user_api_key", Secret(key), "you")).open_thread(
        TOPIC
    )
    assert reopened.last_read == 3


async def test_search_offline_looks_in_the_cache(make_service, wire: Wire) -> None:  # type: ignore[no-untyped-def]
    online = make_service()
    state = await online.open_thread(TOPIC)
    word = state.thread.topic.title.split()[-1].strip("?.!,")
    wire.down = True

    hits = await make_service().search(word)

    assert any(hit.topic.id == TOPIC for hit in hits)


async def test_a_long_cached_topic_reopens_with_the_posts_where_reading_resumes(
    make_service,  # type: ignore[no-untyped-def]
    wire: Wire,
) -> None:
    first = make_service()
    page = await first.topics(view="top")
    long_topic = max(page.topics, key=lambda topic: topic.posts_count)
    state = await first.open_thread(long_topic.id)
    ids = state.thread.post_ids
    assert len(ids) >= 10_000
    loaded = await first.load_posts(long_topic.id, ids[4_990:5_060])
    resume = next(post for post in loaded if post.id == ids[5_000])
    first.mark_read(long_topic.id, resume.number)
    sent = len(wire.requests)

    again = make_service()  # a new run: the thread and those posts come from the cache
    reopened = await again.open_thread(long_topic.id)

    assert len(wire.requests) == sent
    assert reopened.from_cache and reopened.last_read == resume.number
    assert ids[5_000] in reopened.posts and ids[5_010] in reopened.posts
    assert ids[0] not in reopened.posts  # cached too, but far from where reading resumes


async def test_a_members_card_is_asked_once_then_served_from_the_cache_when_offline(
    make_service,  # type: ignore[no-untyped-def]
    wire: Wire,
) -> None:
    service = make_service()
    card = await service.user("elena")
    assert card.fresh and card.value.username == "elena" and card.value.top_topics
    assert wire.requests == ["GET /u/elena.json", "GET /u/elena/summary.json"]
    again = await service.user("ELENA")  # the same member, whatever the case
    assert again.value == card.value and len(wire.requests) == 2

    wire.down = True
    later = make_service()  # a new session: nothing in memory, the card on disk
    cached = await later.user("elena")
    assert not cached.fresh and cached.value == card.value
    with pytest.raises(NetworkError):
        await later.user("giulia")  # never fetched: nothing to show

"""Faults for writes: refused, dropped, and the ambiguous "accepted, then no answer".

Through ``httpx.ASGITransport``, a dropped connection surfaces as ``ConnectionDropped``
and a held-back answer as the client's own timeout (``asyncio.wait_for``); the same
faults over real sockets are in ``tests/e2e/test_demo_write_server.py``.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from termforum.demo import DemoApp, Faults, create_app
from termforum.demo.app import ConnectionDropped
from termforum.demo.db import DB_FILENAME
from termforum.demo.faults import FaultRule
from termforum.demo.seed import ensure_seeded

TOPIC = 45
RAW = "Posting through a flaky connection, one more time."


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-write-faults-template")
    ensure_seeded(folder)
    return folder


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Iterator[DemoApp]:
    shutil.copy(template / DB_FILENAME, tmp_path / DB_FILENAME)
    demo = create_app(tmp_path)
    yield demo
    demo.close()


@pytest.fixture
async def client(app: DemoApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    headers = {"User-Api-Key": app.demo_credentials()[1]}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://demo.test", headers=headers
    ) as c:
        yield c


def stored(app: DemoApp, raw: str = RAW) -> int:
    """How many posts with this body the database holds (read apart from the app)."""
    conn = sqlite3.connect(app.db_path)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM posts WHERE raw = ?", (raw,)).fetchone()[0])
    finally:
        conn.close()


async def post(client: httpx.AsyncClient, raw: str = RAW) -> httpx.Response:
    return await client.post("/posts.json", json={"topic_id": TOPIC, "raw": raw})


@pytest.mark.parametrize(
    ("status", "error_type"),
    [(502, None), (503, "read_only"), (500, None), (422, "record_invalid")],
)
async def test_failed_writes_answer_the_status_and_store_nothing(
    app: DemoApp, client: httpx.AsyncClient, status: int, error_type: str | None
) -> None:
    app.faults.fail_next(status=status, path_prefix="/posts", method="POST")
    # Reads, even of the same path prefix, do not use the rule up.
    assert (await client.get("/posts/1.json")).status_code == 200
    response = await post(client)
    assert response.status_code == status
    assert response.json().get("error_type") == error_type
    assert stored(app) == 0
    assert (await post(client)).status_code == 200
    assert stored(app) == 1


async def test_rate_limited_writes_store_nothing(app: DemoApp, client: httpx.AsyncClient) -> None:
    app.faults.rate_limit_next(retry_after=4, method="write")
    response = await post(client)
    assert response.status_code == 429 and response.headers["retry-after"] == "4"
    assert stored(app) == 0


async def test_a_dropped_write_is_not_stored(app: DemoApp, client: httpx.AsyncClient) -> None:
    app.faults.drop_next(method="POST", path_prefix="/posts")
    with pytest.raises(ConnectionDropped):
        await post(client)
    assert stored(app) == 0


async def test_accept_then_drop_stores_the_post_but_answers_nothing(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    app.faults.accept_then_drop(path_prefix="/posts")
    with pytest.raises(ConnectionDropped):
        await post(client)
    assert stored(app) == 1
    topic = (await client.get(f"/t/{TOPIC}.json")).json()
    assert topic["post_stream"]["posts"][-1]["username"] == "you"
    # Sending it again is refused as a duplicate: the hint that the first one landed.
    again = await post(client)
    assert again.status_code == 422
    assert again.json()["errors"] == ["Body is too similar to what you recently posted"]
    assert stored(app) == 1


async def test_accept_then_timeout_stores_the_post_and_keeps_the_client_waiting(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    app.faults.accept_then_timeout(delay=30, path_prefix="/posts")
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(post(client), timeout=0.2)  # the client's read timeout
    assert stored(app) == 1
    # The rule is used up: the next write answers at once.
    assert (await post(client, RAW + " Again.")).status_code == 200


async def test_accept_faults_also_cover_edits_likes_and_bookmarks(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    created = (await post(client)).json()
    app.faults.accept_then_drop(2, method="PUT,POST", path_prefix="/")
    with pytest.raises(ConnectionDropped):
        await client.put(f"/posts/{created['id']}.json", json={"post": {"raw": RAW + " Edited."}})
    with pytest.raises(ConnectionDropped):
        await client.post(
            "/bookmarks.json", json={"bookmarkable_id": 1, "bookmarkable_type": "Post"}
        )
    assert stored(app, RAW + " Edited.") == 1
    first = (await client.get("/posts/1.json")).json()
    assert first["bookmarked"] is True


async def test_accept_faults_through_the_control_endpoint(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    response = await client.post(
        "/__demo/faults",
        json={"add": [{"kind": "accept_then_delay", "delay": 45, "path_prefix": "/posts"}]},
    )
    rule = response.json()["rules"][0]
    assert (rule["kind"], rule["delay"], rule["method"]) == ("accept_then_delay", 45, "write")
    assert (await client.get("/posts/1.json")).status_code == 200  # GET: not affected
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(post(client), timeout=0.2)
    assert stored(app) == 1
    bad = await client.post(
        "/__demo/faults", json={"add": [{"kind": "accept_then_delay", "method": "FETCH"}]}
    )
    assert bad.status_code == 400
    negative = await client.post(
        "/__demo/faults", json={"add": [{"kind": "accept_then_delay", "delay": -1}]}
    )
    assert negative.status_code == 400


@pytest.mark.parametrize(
    ("spec", "method", "matches"),
    [
        ("", "GET", True),
        ("POST", "POST", True),
        ("POST", "PUT", False),
        ("post, put", "PUT", True),
        ("write", "DELETE", True),
        ("write", "GET", False),
        ("GET", "HEAD", False),
    ],
)
def test_method_filters(spec: str, method: str, matches: bool) -> None:
    assert FaultRule("status", method=spec).matches("/posts.json", method) is matches


def test_bad_method_filters_are_refused() -> None:
    with pytest.raises(ValueError):
        Faults().fail_next(method="FETCH")
    with pytest.raises(ValueError):
        Faults().accept_then_timeout(delay=-2)

"""Writing to the demo forum over real loopback HTTP, and the ways a write can go missing.

Each fault is seen the way a client sees it over a socket: ``ReadTimeout`` when the
answer is held back past the client's read timeout, ``RemoteProtocolError`` when the
connection is closed without an answer. Whether the post landed is then checked by
reading the topic back, as a careful client would.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from termforum.demo import DEMO_CLIENT_ID, DemoServer

TOPIC = 45


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("demo-write-server")


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[DemoServer]:
    demo = DemoServer(data_dir)
    demo.start()
    yield demo
    demo.stop()


@pytest.fixture
def client(server: DemoServer) -> Iterator[httpx.Client]:
    assert server.url and server.app is not None
    server.app.faults.reset()
    _, key = server.demo_credentials()
    headers = {"User-Api-Key": key, "User-Api-Client-Id": DEMO_CLIENT_ID}
    timeout = httpx.Timeout(10.0, read=0.5)
    with httpx.Client(base_url=server.url, headers=headers, timeout=timeout) as c:
        yield c


def landed(client: httpx.Client, raw: str) -> bool:
    """Whether the demo account's last post in the topic has this body."""
    topic = client.get(f"/t/{TOPIC}.json").json()
    last_id = topic["post_stream"]["stream"][-1]
    last = client.get(f"/posts/{last_id}.json").json()
    return bool(last["username"] == "you" and last["raw"] == raw)


def test_a_reply_round_trip_as_the_demo_account(client: httpx.Client) -> None:
    me = client.get("/session/current.json")
    assert me.status_code == 200 and me.json()["current_user"]["username"] == "you"
    raw = "Hello from a real socket, long enough to post."
    response = client.post("/posts.json", json={"topic_id": TOPIC, "raw": raw})
    assert response.status_code == 200
    assert response.json()["yours"] is True
    assert landed(client, raw)


def test_accept_then_timeout_lands_although_the_client_timed_out(
    server: DemoServer, client: httpx.Client
) -> None:
    assert server.app is not None
    server.app.faults.accept_then_timeout(delay=30, path_prefix="/posts", method="POST")
    raw = "Sent just before the connection went quiet."
    with pytest.raises(httpx.ReadTimeout):
        client.post("/posts.json", json={"topic_id": TOPIC, "raw": raw})
    assert landed(client, raw)
    retry = client.post("/posts.json", json={"topic_id": TOPIC, "raw": raw})
    assert retry.status_code == 422  # "too similar": the first attempt landed


def test_accept_then_drop_lands_although_the_connection_closed(
    server: DemoServer, client: httpx.Client
) -> None:
    assert server.app is not None
    server.app.faults.accept_then_drop(path_prefix="/posts")
    raw = "Sent just before the connection was cut."
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/posts.json", json={"topic_id": TOPIC, "raw": raw})
    assert landed(client, raw)


def test_a_dropped_write_does_not_land(server: DemoServer, client: httpx.Client) -> None:
    assert server.app is not None
    server.app.faults.drop_next(method="POST", path_prefix="/posts")
    raw = "Lost before the server ever read it."
    with pytest.raises(httpx.RemoteProtocolError):
        client.post("/posts.json", json={"topic_id": TOPIC, "raw": raw})
    assert not landed(client, raw)
    assert client.post("/posts.json", json={"topic_id": TOPIC, "raw": raw}).status_code == 200


def test_demo_credentials_survive_a_restart(tmp_path: Path) -> None:
    first = DemoServer(tmp_path)
    username, key = first.demo_credentials()  # before start: the app is made on demand
    with first as running:
        assert running.url
        me = httpx.get(
            f"{running.url}/session/current.json", headers={"User-Api-Key": key}, timeout=10
        )
        assert me.json()["current_user"]["username"] == username == "you"
    with DemoServer(tmp_path) as again:
        assert again.demo_credentials() == (username, key)

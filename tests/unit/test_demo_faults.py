"""The demo forum misbehaves on request: errors, 429s, bad JSON, drops, latency, limits."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from termforum.demo import DemoApp, Faults, create_app
from termforum.demo.app import ConnectionDropped


class FakeClock:
    """A clock the test moves by hand (no wall-clock waiting)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def shared_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoApp]:
    demo = create_app(tmp_path_factory.mktemp("demo-faults"))
    yield demo
    demo.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def app(shared_app: DemoApp, clock: FakeClock) -> DemoApp:
    shared_app.faults = Faults(clock=clock)
    return shared_app


@pytest.fixture
async def client(app: DemoApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app, client=("192.0.2.10", 50000))
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
        yield c


async def test_fail_next_answers_errors_then_recovers(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    app.faults.fail_next(2, status=503)
    first = await client.get("/latest.json")
    second = await client.get("/site.json")
    assert first.status_code == second.status_code == 503
    assert first.json() == {"errors": ["Service Unavailable"], "error_type": "read_only"}
    assert (await client.get("/latest.json")).status_code == 200


async def test_rules_match_a_path_prefix(app: DemoApp, client: httpx.AsyncClient) -> None:
    app.faults.fail_next(1, status=502, path_prefix="/t/", body="html")
    assert (await client.get("/latest.json")).status_code == 200
    failed = await client.get("/t/1.json")
    assert failed.status_code == 502
    assert failed.headers["content-type"].startswith("text/html")
    assert (await client.get("/t/1.json")).status_code == 200


async def test_rate_limit_json_form(app: DemoApp, client: httpx.AsyncClient) -> None:
    app.faults.rate_limit_next(retry_after=7)
    response = await client.get("/latest.json")
    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"
    assert response.headers["discourse-rate-limit-error-code"]
    body = response.json()
    assert body["error_type"] == "rate_limit"
    assert body["extras"] == {"wait_seconds": 7, "time_left": "7 seconds"}
    assert (await client.get("/latest.json")).status_code == 200


async def test_rate_limit_text_form(app: DemoApp, client: httpx.AsyncClient) -> None:
    app.faults.rate_limit_next(retry_after=3, form="text")
    response = await client.get("/latest.json")
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["retry-after"] == "3"
    assert "Error code: ip_60_secs_limit" in response.text
    with pytest.raises(json.JSONDecodeError):
        response.json()


async def test_malformed_json(app: DemoApp, client: httpx.AsyncClient) -> None:
    app.faults.malform_next()
    response = await client.get("/site.json")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert (await client.get("/site.json")).json()["categories"]


async def test_drop_without_a_socket_raises(app: DemoApp, client: httpx.AsyncClient) -> None:
    app.faults.drop_next()
    with pytest.raises(ConnectionDropped):
        await client.get("/latest.json")
    assert (await client.get("/latest.json")).status_code == 200


async def test_latency_is_applied_to_every_request(
    app: DemoApp, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr("termforum.demo.app._latency_sleep", fake_sleep)
    app.faults.latency = 0.25
    await client.get("/latest.json")
    await client.get("/t/1.json")
    assert waits == [0.25, 0.25]


async def test_per_client_rate_limit_uses_a_sliding_minute(app: DemoApp, clock: FakeClock) -> None:
    app.faults.set_rate_limit(3)

    def client_for(ip: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(ip, 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://demo.test")

    async with client_for("192.0.2.1") as one, client_for("192.0.2.2") as two:
        statuses = []
        for _ in range(4):
            statuses.append((await one.get("/site/basic-info.json")).status_code)
            clock.now += 10
        assert statuses == [200, 200, 200, 429]
        limited = await one.get("/site/basic-info.json")
        assert limited.status_code == 429
        assert int(limited.headers["retry-after"]) == 60 - 40
        assert limited.json()["extras"]["wait_seconds"] == 20
        assert (await two.get("/site/basic-info.json")).status_code == 200
        clock.now += 20
        assert (await one.get("/site/basic-info.json")).status_code == 200


async def test_control_endpoint(app: DemoApp, client: httpx.AsyncClient) -> None:
    config = {
        "latency": 0,
        "rate_limit": {"per_minute": 100, "form": "text"},
        "add": [
            {"kind": "status", "status": 500, "count": 2, "path_prefix": "/latest"},
            {"kind": "rate_limit", "retry_after": 5},
        ],
    }
    response = await client.post("/__demo/faults", json=config)
    assert response.status_code == 200
    state = response.json()
    assert state["rate_limit"] == {"per_minute": 100, "form": "text"}
    assert [r["kind"] for r in state["rules"]] == ["status", "rate_limit"]
    assert state["rules"][0]["count"] == 2
    # The control endpoint itself never misbehaves.
    assert (await client.get("/__demo/faults")).json() == state
    assert (await client.get("/latest.json")).status_code == 500
    assert (await client.get("/site.json")).status_code == 429
    assert (await client.get("/latest.json")).status_code == 500
    assert (await client.get("/latest.json")).status_code == 200
    reset = await client.delete("/__demo/faults")
    assert reset.json() == {
        "latency": 0.0,
        "rate_limit": None,
        "key_rate_limits": None,
        "rules": [],
    }


@pytest.mark.parametrize(
    "config",
    [
        {"add": [{"kind": "explode"}]},
        {"add": [{"kind": "status", "status": 200}]},
        {"add": [{"kind": "drop", "count": 0}]},
        {"latency": -1},
        {"rate_limit": {"per_minute": "many"}},
        {"surprise": True},
        ["not", "an", "object"],
    ],
)
async def test_control_endpoint_rejects_bad_settings_whole(
    app: DemoApp, client: httpx.AsyncClient, config: object
) -> None:
    app.faults.latency = 0.0
    body = {"latency": 0, **config} if isinstance(config, dict) else config
    response = await client.post("/__demo/faults", json=body)
    assert response.status_code == 400
    assert response.json()["error_type"] == "invalid_parameters"
    assert app.faults.snapshot() == {
        "latency": 0.0,
        "rate_limit": None,
        "key_rate_limits": None,
        "rules": [],
    }


async def test_control_endpoint_wants_json(app: DemoApp, client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/__demo/faults",
        content=json.dumps({"latency": 5}),
        headers={"Content-Type": "text/plain"},
    )
    assert response.status_code == 415
    assert app.faults.latency == 0.0


async def test_control_endpoint_can_be_disabled(app: DemoApp) -> None:
    demo = create_app(app.data_dir, control=False)
    try:
        transport = httpx.ASGITransport(app=demo)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
            response = await c.post("/__demo/faults", json={"reset": True})
        assert response.status_code == 404
    finally:
        demo.close()


async def test_the_journal_says_what_reached_the_forum_when_and_how_it_was_answered(
    app: DemoApp, client: httpx.AsyncClient, clock: FakeClock
) -> None:
    app.journal.clear()
    app.faults.rate_limit_next(retry_after=4, path_prefix="/latest")
    await client.get("/latest.json")
    clock.now += 5
    await client.get("/latest.json")
    await client.get("/t/no-such-topic/999999.json")
    seen = [(arrival.method, arrival.path, arrival.status) for arrival in app.journal]
    assert seen == [
        ("GET", "/latest.json", 429),
        ("GET", "/latest.json", 200),
        ("GET", "/t/no-such-topic/999999.json", 404),
    ]
    assert app.journal[1].at - app.journal[0].at == 5

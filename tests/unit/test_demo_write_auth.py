"""Who is asking: API keys, User API keys, the demo account, scopes and per-key limits."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from termforum.demo import DEMO_USERNAME, DemoApp, Faults, KeyRateLimits, create_app
from termforum.demo.db import DB_FILENAME
from termforum.demo.seed import ensure_seeded

INVALID_ACCESS = {
    "errors": ["You are not permitted to view the requested resource."],
    "error_type": "invalid_access",
}
INVALID_API_CREDENTIALS = {
    "errors": [
        "You are not permitted to view the requested resource. The API username or key is invalid."
    ],
    "error_type": "invalid_access",
}
NOT_LOGGED_IN = {"errors": ["You need to be logged in to do that."], "error_type": "not_logged_in"}
REPLY = {"topic_id": 45, "raw": "A reply that is long enough to be taken."}


class MonotonicClock:
    """The rate limiters' clock, moved by hand."""

    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-auth-template")
    ensure_seeded(folder)
    return folder


@pytest.fixture
def ticks() -> MonotonicClock:
    return MonotonicClock()


@pytest.fixture
def app(template: Path, tmp_path: Path, ticks: MonotonicClock) -> Iterator[DemoApp]:
    shutil.copy(template / DB_FILENAME, tmp_path / DB_FILENAME)
    demo = create_app(tmp_path, faults=Faults(clock=ticks))
    yield demo
    demo.close()


@pytest.fixture
async def client(app: DemoApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
        yield c


def user_key(key: str) -> dict[str, str]:
    return {"User-Api-Key": key}


# --------------------------------------------------------------------------- anonymous


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("POST", "/posts.json", REPLY),
        ("PUT", "/posts/1.json", {"post": {"raw": "An edit that is long enough."}}),
        ("POST", "/post_actions.json", {"id": 1, "post_action_type_id": 2}),
        ("DELETE", "/post_actions/1.json?post_action_type_id=2", None),
        ("POST", "/bookmarks.json", {"bookmarkable_id": 1, "bookmarkable_type": "Post"}),
        ("DELETE", "/bookmarks/1.json", None),
        ("PUT", "/t/45/bookmark.json", None),
        ("POST", "/topics/timings", {"topic_id": 45, "topic_time": 10, "timings": {"1": 10}}),
        ("POST", "/user-api-key/revoke", None),
    ],
)
async def test_anonymous_writes_need_a_login(
    client: httpx.AsyncClient, method: str, url: str, body: Any
) -> None:
    response = await client.request(method, url, json=body)
    assert response.status_code == 403
    assert response.json() == NOT_LOGGED_IN
    assert "x-discourse-username" not in response.headers


async def test_anonymous_reads_stay_open(client: httpx.AsyncClient) -> None:
    assert (await client.get("/latest.json")).status_code == 200
    similar = await client.get("/topics/similar_to.json", params={"title": "How to ask well?"})
    assert similar.status_code == 200
    assert (await client.get("/session/current.json")).status_code == 404


# --------------------------------------------------------------------------- user API keys


async def test_the_demo_account_logs_in_with_its_key(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    username, key = app.demo_credentials()
    assert username == DEMO_USERNAME == "you"
    response = await client.get("/session/current.json", headers=user_key(key))
    assert response.status_code == 200
    assert response.headers["x-discourse-username"] == "you"
    current = response.json()["current_user"]
    assert (current["username"], current["name"], current["trust_level"]) == (
        "you",
        "You (demo)",
        1,
    )
    assert current["admin"] is False and current["staff"] is False
    for view in ("/new.json", "/unread.json"):
        assert (await client.get(view, headers=user_key(key))).status_code == 200


async def test_demo_credentials_are_made_once_per_data_folder(app: DemoApp) -> None:
    first = app.demo_credentials()
    assert app.demo_credentials() == first
    again = create_app(app.data_dir)
    try:
        assert again.demo_credentials() == first
        assert app.revoke_key(first[1]) is True
        renewed = again.demo_credentials()
        assert renewed[0] == DEMO_USERNAME and renewed[1] != first[1]
    finally:
        again.close()


async def test_bad_and_revoked_user_keys_are_refused_everywhere(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    for url in ("/latest.json", "/session/current.json", "/t/45.json"):
        response = await client.get(url, headers=user_key("0" * 32))
        assert response.status_code == 403
        assert response.json() == INVALID_ACCESS
    key = app.create_user_api_key("priya")
    assert (await client.get("/session/current.json", headers=user_key(key))).status_code == 200
    app.revoke_key(key)
    revoked = await client.post("/posts.json", headers=user_key(key), json=REPLY)
    assert revoked.status_code == 403 and revoked.json() == INVALID_ACCESS


async def test_keys_speak_for_their_own_user(app: DemoApp, client: httpx.AsyncClient) -> None:
    priya = app.create_user_api_key("priya", client_id="laptop")
    marco = app.create_user_api_key("marco_dev")
    for key, name in ((priya, "priya"), (marco, "marco_dev")):
        current = await client.get("/session/current.json", headers=user_key(key))
        assert current.json()["current_user"]["username"] == name
    # Authorising the same client again replaces its key, as Discourse does.
    newer = app.create_user_api_key("priya", client_id="laptop")
    assert (await client.get("/latest.json", headers=user_key(priya))).status_code == 403
    assert (await client.get("/latest.json", headers=user_key(newer))).status_code == 200
    with pytest.raises(ValueError):
        app.create_user_api_key("nobody-at-all")
    with pytest.raises(ValueError):
        app.create_user_api_key("priya", scopes=("read", "everything"))


async def test_scopes_limit_what_a_user_key_may_do(app: DemoApp, client: httpx.AsyncClient) -> None:
    read_only = user_key(app.create_user_api_key("priya", scopes=("read",)))
    assert (await client.get("/t/45.json", headers=read_only)).status_code == 200
    refused = await client.post("/posts.json", headers=read_only, json=REPLY)
    assert refused.status_code == 403 and refused.json() == INVALID_ACCESS
    session_only = user_key(app.create_user_api_key("priya", scopes=("session_info",)))
    assert (await client.get("/session/current.json", headers=session_only)).status_code == 200
    assert (await client.get("/latest.json", headers=session_only)).status_code == 403
    # Revoking itself is always allowed.
    revoked = await client.post("/user-api-key/revoke", headers=read_only)
    assert revoked.status_code == 200 and revoked.json() == {"success": "OK"}
    assert (await client.get("/t/45.json", headers=read_only)).status_code == 403


async def test_the_client_id_header_is_recorded(app: DemoApp, client: httpx.AsyncClient) -> None:
    key = app.create_user_api_key("priya")
    headers = {"User-Api-Key": key, "User-Api-Client-Id": "termforum-7"}
    assert (await client.get("/latest.json", headers=headers)).status_code == 200
    with app.store.transaction() as conn:
        row = conn.execute("SELECT client_id, last_used_at FROM user_api_keys").fetchone()
    assert row[0] == "termforum-7" and row[1] is not None


# --------------------------------------------------------------------------- admin keys


async def test_admin_keys_name_their_user(app: DemoApp, client: httpx.AsyncClient) -> None:
    global_key = app.create_api_key()
    as_elena = {"Api-Key": global_key, "Api-Username": "elena"}
    current = await client.get("/session/current.json", headers=as_elena)
    assert current.json()["current_user"]["username"] == "elena"
    assert current.headers["x-discourse-username"] == "elena"
    nobody = await client.get("/latest.json", headers={"Api-Key": global_key})
    assert nobody.status_code == 403 and nobody.json() == INVALID_API_CREDENTIALS
    unknown = await client.get(
        "/latest.json", headers={"Api-Key": global_key, "Api-Username": "ghost"}
    )
    assert unknown.json() == INVALID_API_CREDENTIALS

    single = app.create_api_key("marco_dev")
    alone = await client.get("/session/current.json", headers={"Api-Key": single})
    assert alone.json()["current_user"]["username"] == "marco_dev"
    other = await client.get("/latest.json", headers={"Api-Key": single, "Api-Username": "elena"})
    assert other.status_code == 403 and other.json() == INVALID_API_CREDENTIALS
    bad = await client.get("/latest.json", headers={"Api-Key": "f" * 64, "Api-Username": "elena"})
    assert bad.json() == INVALID_API_CREDENTIALS


async def test_admin_key_posts_are_memoized_user_key_posts_are_not(
    app: DemoApp, client: httpx.AsyncClient
) -> None:
    admin = {"Api-Key": app.create_api_key("marco_dev")}
    first = await client.post("/posts.json", headers=admin, json=REPLY)
    second = await client.post("/posts.json", headers=admin, json=REPLY)
    assert first.status_code == second.status_code == 200
    assert first.json()["id"] == second.json()["id"]  # one post, the same answer twice
    user = user_key(app.create_user_api_key("priya"))
    assert (await client.post("/posts.json", headers=user, json=REPLY)).status_code == 200
    repeat = await client.post("/posts.json", headers=user, json=REPLY)
    assert repeat.status_code == 422


# --------------------------------------------------------------------------- rate limits


async def test_key_rate_limits_are_off_by_default(app: DemoApp, client: httpx.AsyncClient) -> None:
    headers = user_key(app.create_user_api_key("priya"))
    for _ in range(25):
        assert (await client.get("/site/basic-info.json", headers=headers)).status_code == 200


async def test_user_keys_are_limited_per_key_per_minute(
    app: DemoApp, client: httpx.AsyncClient, ticks: MonotonicClock
) -> None:
    app.faults.set_key_rate_limits(KeyRateLimits(user_per_minute=3))
    one = user_key(app.create_user_api_key("priya"))
    two = user_key(app.create_user_api_key("marco_dev"))
    statuses = []
    for _ in range(3):
        statuses.append((await client.get("/site/basic-info.json", headers=one)).status_code)
        ticks.now += 10
    limited = await client.get("/site/basic-info.json", headers=one)
    assert statuses == [200, 200, 200] and limited.status_code == 429
    assert limited.headers["retry-after"] == "30"
    assert limited.headers["discourse-rate-limit-error-code"] == "user_api_key_limiter_60_secs"
    assert limited.json() == {
        "errors": [
            "You’ve performed this action too many times. Please wait 30 seconds before "
            "trying again."
        ],
        "error_type": "rate_limit",
        "extras": {"wait_seconds": 30, "time_left": "30 seconds"},
    }
    assert (await client.get("/site/basic-info.json", headers=two)).status_code == 200
    assert (await client.get("/site/basic-info.json")).status_code == 200  # anonymous
    ticks.now += 30
    assert (await client.get("/site/basic-info.json", headers=one)).status_code == 200


async def test_user_keys_have_a_daily_limit_and_admin_keys_share_one_bucket(
    app: DemoApp, client: httpx.AsyncClient, ticks: MonotonicClock
) -> None:
    app.faults.set_key_rate_limits(KeyRateLimits(user_per_day=2, admin_per_minute=2))
    daily = user_key(app.create_user_api_key("priya"))
    for _ in range(2):
        assert (await client.get("/site/basic-info.json", headers=daily)).status_code == 200
        ticks.now += 3600
    over = await client.get("/site/basic-info.json", headers=daily)
    assert over.status_code == 429
    assert over.headers["discourse-rate-limit-error-code"] == "user_api_key_limiter_1_day"

    first, second = app.create_api_key("elena"), app.create_api_key("giulia")
    assert (await client.get("/latest.json", headers={"Api-Key": first})).status_code == 200
    assert (await client.get("/latest.json", headers={"Api-Key": second})).status_code == 200
    shared = await client.get("/latest.json", headers={"Api-Key": first})
    assert shared.status_code == 429
    assert shared.headers["discourse-rate-limit-error-code"] == "admin_api_key_rate_limit"


async def test_bad_keys_do_not_use_up_the_limit(app: DemoApp, client: httpx.AsyncClient) -> None:
    app.faults.set_key_rate_limits(KeyRateLimits(user_per_minute=1))
    for _ in range(3):
        assert (await client.get("/latest.json", headers=user_key("0" * 32))).status_code == 403


async def test_key_limits_through_the_control_endpoint(client: httpx.AsyncClient) -> None:
    response = await client.post("/__demo/faults", json={"key_rate_limits": True})
    assert response.json()["key_rate_limits"] == {
        "user_per_minute": 20,
        "user_per_day": 2880,
        "admin_per_minute": 60,
        "minute": 60.0,
    }
    custom = await client.post(
        "/__demo/faults", json={"key_rate_limits": {"user_per_minute": 5, "minute": 2.5}}
    )
    assert custom.json()["key_rate_limits"]["user_per_minute"] == 5
    assert custom.json()["key_rate_limits"]["minute"] == 2.5
    bad = await client.post("/__demo/faults", json={"key_rate_limits": {"per_hour": 5}})
    assert bad.status_code == 400
    off = await client.post("/__demo/faults", json={"key_rate_limits": None})
    assert off.json()["key_rate_limits"] is None

"""The request policy on fake time: retries with back-off, 429 pauses, the request budget and
background requests yielding to foreground ones. The "forum" is an httpx MockTransport whose
answers are scripted per test; a sliding-window limiter like Discourse's (the demo's own)
checks that paced requests would never have been refused."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Callable

import httpx
import pytest

from termforum.auth import Credentials, Secret
from termforum.backends import create_backend
from termforum.demo.faults import RateLimiter
from termforum.errors import NetworkError, RateLimited
from termforum.net import make_client
from termforum.netpolicy import (
    BUDGETS,
    DEFAULT_PAUSE,
    RequestBudget,
    RequestPolicy,
    RetryPolicy,
    Window,
    parse_rate_limits,
)
from termforum.policy_transport import PolicyTransport
from termforum.priority import background

URL = "http://forum.test"
USER_KEY = Credentials(kind="user_api_key", key=Secret("k" * 32), username="ana")


class FakeTime:
    """A clock that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += max(0.0, seconds)
        await asyncio.sleep(0)


Handler = Callable[[httpx.Request, float], httpx.Response]


class Forum:
    """A scripted forum: records when each request arrived (on fake time)."""

    def __init__(self, time: FakeTime, answer: Handler | None = None) -> None:
        self.time = time
        self.answer = answer or (lambda request, now: httpx.Response(200, json={"ok": True}))
        self.arrivals: list[tuple[float, str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        now = self.time.clock()
        self.arrivals.append((now, request.method, request.url.path))
        return self.answer(request, now)

    @property
    def times(self) -> list[float]:
        return [at for at, _method, _path in self.arrivals]


def client(forum: Forum, policy: RequestPolicy) -> httpx.AsyncClient:
    transport = PolicyTransport(httpx.MockTransport(forum), policy)
    return make_client(URL, transport=transport)


def policy_on(time: FakeTime, **kwargs: object) -> RequestPolicy:
    """A policy on fake time that uses whole limits (``headroom=1``) unless told otherwise."""
    kwargs.setdefault("headroom", 1.0)
    return RequestPolicy(clock=time.clock, sleep=time.sleep, rng=random.Random(7), **kwargs)  # type: ignore[arg-type]


def scripted(*answers: httpx.Response | type[Exception]) -> Handler:
    """Answer with ``answers`` in turn (an exception class is raised), then 200s."""
    queue = list(answers)

    def answer(request: httpx.Request, now: float) -> httpx.Response:
        if not queue:
            return httpx.Response(200, json={"ok": True})
        item = queue.pop(0)
        if isinstance(item, type):
            raise item("scripted failure", request=request)  # type: ignore[call-arg]
        return item

    return answer


def too_many(
    retry_after: str | None = None, *, body: object = None, text: str = ""
) -> httpx.Response:
    headers = {"Retry-After": retry_after} if retry_after is not None else {}
    if body is not None:
        return httpx.Response(429, headers=headers, json=body)
    return httpx.Response(429, headers=headers, text=text)


# --- retries ---------------------------------------------------------------------------------


async def test_a_get_is_retried_after_connection_errors_with_growing_waits() -> None:
    time = FakeTime()
    forum = Forum(time, scripted(httpx.ConnectError, httpx.ConnectError))
    async with client(forum, policy_on(time)) as http:
        response = await http.get("/latest.json")
    assert response.status_code == 200
    assert len(forum.arrivals) == 3
    first, second = time.sleeps
    assert 0.25 <= first <= 0.5  # base 0.5 s with jitter (half to all)
    assert 0.5 <= second <= 1.0  # doubled
    assert forum.times[1] - forum.times[0] == pytest.approx(first)


async def test_a_get_gives_up_after_the_allowed_attempts_with_one_plain_sentence() -> None:
    time = FakeTime()
    forum = Forum(time, scripted(*[httpx.ConnectError] * 10))
    backend = create_backend("discourse", URL, http=client(forum, policy_on(time)))
    with pytest.raises(NetworkError) as caught:
        await backend.site()
    assert len(forum.arrivals) == RetryPolicy().attempts
    assert "Traceback" not in str(caught.value)
    await backend.aclose()


@pytest.mark.parametrize("status", [502, 503, 504])
async def test_a_get_is_retried_after_a_gateway_failure(status: int) -> None:
    time = FakeTime()
    forum = Forum(time, scripted(httpx.Response(status, text="bad gateway")))
    async with client(forum, policy_on(time)) as http:
        response = await http.get("/latest.json")
    assert response.status_code == 200
    assert len(forum.arrivals) == 2


async def test_a_503_with_retry_after_waits_that_long_before_trying_again() -> None:
    time = FakeTime()
    forum = Forum(time, scripted(httpx.Response(503, headers={"Retry-After": "3"})))
    async with client(forum, policy_on(time)) as http:
        await http.get("/latest.json")
    assert forum.times[1] - forum.times[0] >= 3


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError, httpx.ReadTimeout, httpx.Response(503), httpx.Response(502)],
    ids=["connect-error", "read-timeout", "503", "502"],
)
async def test_writes_are_never_retried(failure: httpx.Response | type[Exception]) -> None:
    time = FakeTime()
    forum = Forum(time, scripted(failure))
    async with client(forum, policy_on(time)) as http:
        try:
            response = await http.post("/posts.json", json={"raw": "hello"})
        except httpx.TransportError:
            response = None
    assert len(forum.arrivals) == 1
    if response is not None:
        assert response.status_code == failure.status_code  # type: ignore[union-attr]


async def test_retries_stop_once_the_total_wait_is_spent() -> None:
    time = FakeTime()
    retry = RetryPolicy(attempts=50, base_delay=1.0, max_delay=4.0, max_total_wait=10.0)

    def slow_timeout(request: httpx.Request, now: float) -> httpx.Response:
        time.now += 3.0  # each try waits 3 s for an answer that never comes
        raise httpx.ReadTimeout("read timed out", request=request)

    forum = Forum(time, slow_timeout)
    async with client(forum, policy_on(time, retry=retry)) as http:
        with pytest.raises(httpx.ReadTimeout):
            await http.get("/latest.json")
    assert 2 <= len(forum.arrivals) <= 4
    assert forum.times[-1] - forum.times[0] <= retry.max_total_wait


# --- 429 -------------------------------------------------------------------------------------


async def test_a_short_429_pause_is_waited_out_and_the_get_succeeds() -> None:
    time = FakeTime()
    forum = Forum(time, scripted(too_many("2", body={"extras": {"wait_seconds": 2}})))
    async with client(forum, policy_on(time)) as http:
        response = await http.get("/latest.json")
    assert response.status_code == 200
    assert forum.times[1] - forum.times[0] >= 2


@pytest.mark.parametrize(
    ("answer", "pause"),
    [
        (too_many("30", body={"errors": ["slow down"], "extras": {"wait_seconds": 30}}), 30),
        (too_many(body={"errors": ["slow down"], "extras": {"wait_seconds": 40}}), 40),
        (too_many("45", text="Slow down, too many requests from this IP address."), 45),
        (too_many(text="Slow down. Please retry again in 25 seconds. Error code: ip."), 25),
        (too_many(text="<html>busy</html>"), DEFAULT_PAUSE),
    ],
    ids=["json-and-header", "json-only", "text-and-header", "text-only", "nothing-said"],
)
async def test_after_a_429_nothing_is_sent_before_the_wait_is_over(
    answer: httpx.Response, pause: float
) -> None:
    time = FakeTime()
    forum = Forum(time, scripted(answer))
    policy = policy_on(time, retry=RetryPolicy(max_pause_wait=1.0))
    async with client(forum, policy) as http:
        first = await http.get("/latest.json")
        assert first.status_code == 429  # too long to wait inside one request
        status = policy.status()
        assert status is not None and status.reason == "paused"
        assert status.seconds == pytest.approx(pause)
        second = await http.get("/categories.json")  # the user's next action waits
    assert second.status_code == 200
    assert len(forum.arrivals) == 2
    assert forum.times[1] - forum.times[0] >= pause
    assert policy.status() is None


async def test_a_request_that_cannot_wait_that_long_gets_a_local_429_and_sends_nothing() -> None:
    time = FakeTime()
    forum = Forum(time, scripted(too_many("600", body={"extras": {"wait_seconds": 600}})))
    backend = create_backend("discourse", URL, http=client(forum, policy_on(time)))
    with pytest.raises(RateLimited):
        await backend.site()
    with pytest.raises(RateLimited) as caught:
        await backend.groups()
    assert len(forum.arrivals) == 1
    assert caught.value.retry_after is not None and 590 <= caught.value.retry_after <= 600
    await backend.aclose()


async def test_a_write_is_not_retried_after_a_429_but_waits_for_a_pause_in_force() -> None:
    time = FakeTime()
    forum = Forum(time, scripted(too_many("5"), too_many("5")))
    async with client(forum, policy_on(time)) as http:
        first = await http.post("/posts.json", json={"raw": "x"})
        second = await http.post("/posts.json", json={"raw": "y"})
    assert (first.status_code, second.status_code) == (429, 429)
    assert len(forum.arrivals) == 2
    assert forum.times[1] - forum.times[0] >= 5


async def test_listeners_hear_when_requests_are_held_and_released() -> None:
    time = FakeTime()
    forum = Forum(time, scripted(too_many("20")))
    policy = policy_on(time, retry=RetryPolicy(max_pause_wait=1.0))
    heard: list[str | None] = []
    policy.listen(lambda: heard.append(s.describe() if (s := policy.status()) else None))
    async with client(forum, policy) as http:
        await http.get("/latest.json")
    assert heard == ["rate-limited 20 s"]


# --- the budget ------------------------------------------------------------------------------


async def test_a_user_key_session_never_exceeds_discourses_limits() -> None:
    """45 quick page loads under a user API key: the forum's own sliding-window limiter (20 a
    minute) never refuses one, and termforum waits only as long as it must."""
    time = FakeTime()
    limiter = RateLimiter(20, time.clock)

    def discourse(request: httpx.Request, now: float) -> httpx.Response:
        wait = limiter.hit("key")
        if wait is not None:
            return too_many(str(wait))
        return httpx.Response(200, json={})

    forum = Forum(time, discourse)
    policy = policy_on(time, headroom=RequestPolicy.headroom)
    async with client(forum, policy) as http:
        for _ in range(45):
            response = await http.get("/t/1.json", headers={"User-Api-Key": "k"})
            assert response.status_code == 200
    assert policy.rate_limited == 0
    assert len(forum.arrivals) == 45
    # 18 at once (90 % of 20: two are left for other clients of the key), 18 more a minute
    # later, 9 more a minute after that: about two minutes.
    assert forum.times.count(forum.times[0]) == 18
    assert 120 <= forum.times[-1] - forum.times[0] <= 125


async def test_other_clients_of_the_same_key_find_room_left_for_them() -> None:
    """`termforum login` checked the key a moment ago (one request the session never saw):
    the session still stays under the forum's limit."""
    time = FakeTime()
    limiter = RateLimiter(20, time.clock)
    limiter.hit("key")

    def discourse(request: httpx.Request, now: float) -> httpx.Response:
        wait = limiter.hit("key")
        return too_many(str(wait)) if wait is not None else httpx.Response(200, json={})

    forum = Forum(time, discourse)
    policy = policy_on(time, headroom=RequestPolicy.headroom)
    async with client(forum, policy) as http:
        for _ in range(30):
            await http.get("/t/1.json", headers={"User-Api-Key": "k"})
    assert policy.rate_limited == 0


async def test_anonymous_requests_use_the_per_ip_budget() -> None:
    time = FakeTime()
    forum = Forum(time)
    policy = policy_on(time)
    async with client(forum, policy) as http:
        for _ in range(51):
            await http.get("/latest.json")
    assert forum.times[49] == forum.times[0]  # 50 in 10 s are fine
    assert forum.times[50] - forum.times[0] >= 10


async def test_every_window_of_a_budget_is_respected() -> None:
    budget = RequestBudget(parse_rate_limits("3/10s, 5/100s"), margin=0.0)
    now, sent = 0.0, []
    while len(sent) < 11:
        wait = budget.wait(now)
        if wait:
            now += wait
            continue
        budget.take(now)
        sent.append(now)
    for index, at in enumerate(sent):
        assert sum(1 for other in sent if at <= other < at + 10) <= 3, index
        assert sum(1 for other in sent if at <= other < at + 100) <= 5, index


async def test_a_slow_answer_counts_from_when_it_arrived() -> None:
    budget = RequestBudget((Window(1, 10.0),), margin=0.0)
    slots = budget.take(0.0)
    budget.settle(slots, 4.0)  # the forum may have counted it as late as 4 s
    assert budget.wait(5.0) == pytest.approx(9.0)


async def test_a_spent_daily_budget_answers_at_once_with_a_local_429() -> None:
    time = FakeTime()
    forum = Forum(time)
    policy = policy_on(time, budgets={"anonymous": (Window(2, 86_400.0),)})
    async with client(forum, policy) as http:
        answers = [(await http.get("/latest.json")).status_code for _ in range(3)]
    assert answers == [200, 200, 429]
    assert len(forum.arrivals) == 2
    assert time.sleeps == []


async def test_pacing_shows_a_countdown_while_the_user_waits() -> None:
    time = FakeTime()
    forum = Forum(time)
    policy = policy_on(time, budgets={"anonymous": (Window(1, 30.0),)})
    heard: list[str | None] = []
    policy.listen(lambda: heard.append(s.describe() if (s := policy.status()) else None))
    async with client(forum, policy) as http:
        await http.get("/latest.json")
        await http.get("/latest.json")
    assert heard[0] == "pacing 31 s"  # 30 s window + the half-second margin
    assert heard[-1] is None
    assert forum.times[1] - forum.times[0] >= 30


# --- background work -------------------------------------------------------------------------


async def test_background_work_leaves_a_quarter_of_the_budget_to_the_user() -> None:
    time = FakeTime()
    forum = Forum(time)
    policy = policy_on(time, budgets={"anonymous": (Window(8, 60.0),)})
    async with client(forum, policy) as http:
        with background():
            for _ in range(6):
                await http.get("/t/1.json")
        started = time.now
        for _ in range(2):
            await http.get("/latest.json")  # the user's clicks go at once
        assert time.now == started
        with background():
            await http.get("/t/2.json")  # background waits for the window to move
    assert forum.times[-1] - forum.times[0] >= 60


async def test_a_waiting_foreground_request_goes_before_waiting_background_ones() -> None:
    time = FakeTime()
    forum = Forum(time)
    policy = policy_on(time, budgets={"anonymous": (Window(4, 20.0),)})
    async with client(forum, policy) as http:

        async def prefetch() -> None:
            with background():
                for index in range(6):
                    await http.get(f"/t/{index}.json")

        task = asyncio.create_task(prefetch())
        for _ in range(5):
            await asyncio.sleep(0)
        await http.get("/latest.json")
        await http.get("/categories.json")
        await task
    order = [path for _at, _method, path in forum.arrivals]
    # Background took its three slots; the user's two requests came before the rest of it.
    assert order[:3] == ["/t/0.json", "/t/1.json", "/t/2.json"]
    assert order.index("/categories.json") < order.index("/t/3.json")


# --- settings --------------------------------------------------------------------------------


def test_budgets_match_discourses_defaults() -> None:
    assert BUDGETS["user_api_key"] == (Window(20, 60.0), Window(2880, 86_400.0))
    assert BUDGETS["api_key"] == (Window(60, 60.0),)
    assert BUDGETS["anonymous"] == (Window(50, 10.0), Window(200, 60.0))


@pytest.mark.parametrize(
    ("text", "windows"),
    [
        ("20/min, 2880/day", (Window(20, 60.0), Window(2880, 86_400.0))),
        ("50/10s", (Window(50, 10.0),)),
        (" 5 / 2 hour ", (Window(5, 7200.0),)),
    ],
)
def test_rate_limits_are_read_from_plain_text(text: str, windows: tuple[Window, ...]) -> None:
    assert parse_rate_limits(text) == windows


@pytest.mark.parametrize("text", ["", "20", "20/fortnight", "0/min", "x/min", "20/min,"])
def test_unusable_rate_limits_say_why(text: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_rate_limits(text)
    assert str(caught.value).endswith(".")


def test_the_local_429_body_is_json_like_discourses() -> None:
    from termforum.policy_transport import _local_rate_limit

    response = _local_rate_limit(httpx.Request("GET", URL), 12.2)
    assert response.headers["Retry-After"] == "13"
    assert json.loads(response.content)["extras"]["wait_seconds"] == 13


def test_a_forums_own_rate_limits_from_the_config_pace_every_kind_of_credentials(
    tmp_path: object,
) -> None:
    from termforum.accounts import Accounts
    from termforum.config import ForumConfig

    forum = ForumConfig(name="work", url=URL, rate_limits="10/min, 1000/day")
    policy = Accounts.request_policy(forum)
    for kind in ("user_api_key", "api_key", "anonymous"):
        assert policy.budget(kind).windows == (Window(10, 60.0), Window(1000, 86_400.0))
    assert Accounts.request_policy(ForumConfig(name="x", url=URL)).budgets == BUDGETS


async def test_a_sync_can_say_when_its_background_requests_wait_for_the_budget() -> None:
    time = FakeTime()
    forum = Forum(time)
    policy = policy_on(time, budgets={"anonymous": (Window(4, 60.0),)})
    seen: list[str | None] = []

    real_sleep = time.sleep

    async def sleep_and_look(seconds: float) -> None:
        status = policy.waiting()
        seen.append(status.describe() if status else None)
        await real_sleep(seconds)

    policy.sleep = sleep_and_look
    async with client(forum, policy) as http:
        with background():
            for _ in range(4):
                await http.get("/t/1.json")
    assert policy.status() is None  # nobody the user waits for
    assert seen and seen[0] == "pacing 61 s"  # 3 of 4 slots for background, then wait

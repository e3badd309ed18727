"""DiscourseBackend failures: every one reaches the caller as a typed ForumError.

Error bodies follow Discourse's ``render_json_error`` shape (``errors``, ``error_type``,
``extras``), the per-IP limiter's ``text/plain`` 429, and HTML pages from proxies.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import httpx
import pytest

from termforum.backends.discourse import DiscourseBackend
from termforum.errors import (
    AuthError,
    BadResponse,
    ForumError,
    NetworkError,
    NotFound,
    RateLimited,
    Rejected,
    ServerError,
)
from termforum.net import make_client

BASE = "https://forum.test"
SECRET = "uak-very-secret-value"


class KeyCredentials:
    def headers(self) -> dict[str, str]:
        return {"User-Api-Key": SECRET}


@pytest.fixture
async def answering():
    """``answering(handler)`` → a backend with a user key; handler answers every request."""
    clients: list[httpx.AsyncClient] = []

    def _answering(handler) -> DiscourseBackend:
        client = make_client(BASE, transport=httpx.MockTransport(handler))
        clients.append(client)
        return DiscourseBackend(BASE, http=client, credentials=KeyCredentials())

    yield _answering
    for client in clients:
        await client.aclose()


def always(response: httpx.Response):
    return lambda request: response


def json_error(status: int, errors: list[str], error_type: str, **extra: Any) -> httpx.Response:
    """A Discourse ``render_json_error`` answer."""
    return httpx.Response(status, json={"errors": errors, "error_type": error_type, **extra})


async def test_401_and_403_are_auth_errors_with_the_server_message(answering) -> None:
    backend = answering(
        always(
            json_error(
                403, ["You are not permitted to view the requested resource."], "invalid_access"
            )
        )
    )
    with pytest.raises(AuthError) as caught:
        await backend.thread("57")
    assert str(caught.value) == "You are not permitted to view the requested resource."
    assert caught.value.status == 403

    backend = answering(always(httpx.Response(401)))
    with pytest.raises(AuthError, match="log in") as caught:
        await backend.topics(view="new")
    assert caught.value.status == 401


async def test_404_html_page_is_not_found_naming_the_topic(answering) -> None:
    page = httpx.Response(
        404,
        text="<!DOCTYPE html><html><body><h1>Oops! That page doesn't exist.</h1></body></html>",
        headers={"Content-Type": "text/html; charset=utf-8"},
    )
    with pytest.raises(NotFound) as caught:
        await answering(always(page)).thread("999")
    assert "topic 999" in str(caught.value)
    assert "<" not in str(caught.value)
    assert caught.value.status == 404


async def test_404_json_and_410_are_not_found(answering) -> None:
    observed = json_error(404, ["The requested URL or resource could not be found."], "not_found")
    with pytest.raises(NotFound, match="hot topic list"):
        await answering(always(observed)).topics(view="hot")
    with pytest.raises(NotFound):
        await answering(always(httpx.Response(410))).thread("5")


async def test_text_plain_429_uses_retry_after(answering) -> None:
    limited = httpx.Response(
        429,
        text=(
            "Slow down, too many requests from this IP address. Please retry again in 27 "
            "seconds. Error code: ip_10_secs_limit."
        ),
        headers={
            "Content-Type": "text/plain",
            "Retry-After": "27",
            "Discourse-Rate-Limit-Error-Code": "ip_10_secs_limit",
        },
    )
    with pytest.raises(RateLimited) as caught:
        await answering(always(limited)).topics()
    assert caught.value.retry_after == 27.0
    assert "27 seconds" in str(caught.value)
    assert caught.value.status == 429


async def test_json_429_uses_wait_seconds_without_retry_after(answering) -> None:
    limited = json_error(
        429,
        [
            "You’ve performed this action too many times. "
            "Please wait 13 seconds before trying again."
        ],
        "rate_limit",
        extras={"wait_seconds": 13, "time_left": "13 seconds"},
    )
    with pytest.raises(RateLimited) as caught:
        await answering(always(limited)).search("python")
    assert caught.value.retry_after == 13.0
    assert "13 seconds" in str(caught.value)


async def test_429_prefers_the_retry_after_header(answering) -> None:
    limited = httpx.Response(
        429,
        json={"errors": ["Slow down."], "error_type": "rate_limit", "extras": {"wait_seconds": 50}},
        headers={"Retry-After": "42"},
    )
    with pytest.raises(RateLimited) as caught:
        await answering(always(limited)).thread("57")
    assert caught.value.retry_after == 42.0


async def test_429_without_any_wait_still_says_what_happened(answering) -> None:
    with pytest.raises(RateLimited) as caught:
        await answering(always(httpx.Response(429, text="busy"))).thread("57")
    assert caught.value.retry_after is None
    assert "too many requests" in str(caught.value)


async def test_422_is_rejected_with_the_server_errors(answering) -> None:
    invalid = json_error(
        422,
        ["Title is too short (minimum is 15 characters)", "Body is too short"],
        "record_invalid",
    )
    with pytest.raises(Rejected) as caught:
        await answering(always(invalid)).thread("57")
    assert str(caught.value) == ("Title is too short (minimum is 15 characters) Body is too short")
    assert caught.value.status == 422


async def test_other_4xx_are_rejected_even_without_a_message(answering) -> None:
    bad = httpx.Response(
        400, text="<html>Bad Request</html>", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(Rejected) as caught:
        await answering(always(bad)).search("x y")
    assert "HTTP 400" in str(caught.value)
    assert "<html>" not in str(caught.value)


async def test_server_messages_are_cleaned_to_one_short_line(answering) -> None:
    noisy = json_error(
        422, ["Bad\x1b]52;c;ZWNobw==\x07 thing\n\nhappened " + "x" * 1000], "invalid"
    )
    with pytest.raises(Rejected) as caught:
        await answering(always(noisy)).thread("57")
    message = str(caught.value)
    assert "\x1b" not in message and "\x07" not in message and "\n" not in message
    assert message.startswith("Bad]52;c;ZWNobw== thing happened")
    assert len(message) <= 300


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_5xx_html_is_a_server_error(answering, status) -> None:
    page = httpx.Response(status, text="<html>oops</html>", headers={"Content-Type": "text/html"})
    with pytest.raises(ServerError) as caught:
        await answering(always(page)).groups()
    assert f"HTTP {status}" in str(caught.value)
    assert caught.value.status == status


async def test_503_read_only_keeps_the_server_message(answering) -> None:
    read_only = json_error(
        503, ["Site is in read only mode. Interactions are disabled."], "read_only"
    )
    with pytest.raises(ServerError, match="read only mode"):
        await answering(always(read_only)).thread("57")


async def test_an_html_page_instead_of_json_is_a_bad_response(answering) -> None:
    login_page = httpx.Response(
        200, text="<html><body>Please log in</body></html>", headers={"Content-Type": "text/html"}
    )
    with pytest.raises(BadResponse, match="web page"):
        await answering(always(login_page)).site()


async def test_malformed_json_is_a_bad_response(answering) -> None:
    broken = httpx.Response(
        200, content=b'{"topic_list": {"topics": [', headers={"Content-Type": "application/json"}
    )
    with pytest.raises(BadResponse, match="malformed"):
        await answering(always(broken)).topics()


async def test_connection_refused(answering) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("All connection attempts failed", request=request) from (
            ConnectionRefusedError(111, "Connect call failed")
        )

    with pytest.raises(NetworkError) as caught:
        await answering(refuse).groups()
    assert "forum.test" in str(caught.value) and "refused" in str(caught.value)
    assert caught.value.sent is False


async def test_dns_failure(answering) -> None:
    def unknown(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno -2]", request=request) from socket.gaierror(-2, "unknown")

    with pytest.raises(NetworkError, match="does not resolve"):
        await answering(unknown).site()


async def test_read_timeout(answering) -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(NetworkError) as caught:
        await answering(slow).thread("57")
    assert "forum.test did not answer in time" in str(caught.value)
    assert caught.value.sent is True


async def test_no_message_ever_contains_the_credentials(answering) -> None:
    sent_keys: list[str] = []

    def echo(request: httpx.Request) -> httpx.Response:
        # A buggy server that quotes the request's key back in its error.
        sent_keys.append(request.headers["User-Api-Key"])
        return json_error(403, [f"Key {request.headers['User-Api-Key']} is revoked."], "invalid")

    def refuse(request: httpx.Request) -> httpx.Response:
        sent_keys.append(request.headers["User-Api-Key"])
        raise httpx.ConnectError("refused", request=request) from ConnectionRefusedError(111, "")

    handlers = [echo, refuse, always(httpx.Response(404)), always(httpx.Response(429))]
    messages: list[str] = []
    for handler in handlers:
        with pytest.raises(ForumError) as caught:
            await answering(handler).thread("57")
        messages.append(str(caught.value))
    assert sent_keys == [SECRET, SECRET]  # the key was really sent
    assert messages[0] == "Key [redacted] is revoked."
    assert not any(SECRET in message for message in messages)


# --- nothing but ForumError escapes -----------------------------------------------------------

WRONG_BODIES: list[Any] = [
    None,
    42,
    "text",
    [],
    [1, 2],
    {},
    {"topic_list": None},
    {"topic_list": {"topics": [{"title": "no id"}]}},
    {"topic_list": {"topics": [{"id": 1}]}},
    {"topic_list": {"topics": "nope"}},
    {"post_stream": []},
    {"post_stream": {"posts": [{"id": 1}]}, "id": 5, "title": "t"},
    {"categories": [{"id": 1}]},
    {"categories": "abc"},
    {"category_list": {"categories": [{"name": "no id"}]}},
    {"posts": [{"topic_id": 1}], "topics": [{"id": 1}]},
    {"posts": "x", "topics": 3},
    {"title": None},
    {"current_user": {"username": None}},
]

CALLS = {
    "site": lambda b: b.site(),
    "groups": lambda b: b.groups(),
    "topics": lambda b: b.topics(),
    "category topics": lambda b: b.topics("3", view="top"),
    "thread": lambda b: b.thread("57"),
    "posts": lambda b: b.posts("57", ["1", "2"]),
    "search": lambda b: b.search("python"),
    "me": lambda b: b.me(),
}


@pytest.mark.parametrize("body", WRONG_BODIES, ids=lambda body: json.dumps(body)[:40])
@pytest.mark.parametrize("call", list(CALLS.values()), ids=list(CALLS))
async def test_wrong_shapes_become_bad_response_or_are_read_tolerantly(
    answering, call, body
) -> None:
    backend = answering(always(httpx.Response(200, json=body)))
    try:
        await call(backend)
    except ForumError as error:
        assert isinstance(error, BadResponse), error
        assert str(error).endswith(".")

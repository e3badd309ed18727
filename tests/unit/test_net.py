"""termforum.net: the shared client factory, transport-error mapping and header redaction."""

from __future__ import annotations

import socket
from datetime import UTC, datetime

import httpx
import pytest

import termforum
from termforum.errors import NetworkError
from termforum.net import (
    USER_AGENT,
    Timeouts,
    environment_proxy,
    make_client,
    parse_retry_after,
    redact_headers,
    send,
)

BASE = "https://forum.test"


class Recorder:
    """A MockTransport handler that answers 200 ``{}`` and keeps every request."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(200, json={})


def raising(exc_type: type[httpx.TransportError], cause: BaseException | None = None):
    """A handler that fails the way httpx does, optionally chained from an OS error."""

    def handler(request: httpx.Request) -> httpx.Response:
        error = exc_type("simulated failure", request=request)
        if cause is not None:
            raise error from cause
        raise error

    return handler


async def fail_with(handler, url: str = f"{BASE}/latest.json") -> NetworkError:
    async with make_client(BASE, transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(NetworkError) as caught:
            await send(client, client.build_request("GET", url))
    return caught.value


# --- make_client ------------------------------------------------------------------------------


async def test_make_client_sends_user_agent_and_accept_json() -> None:
    recorder = Recorder()
    async with make_client(BASE, transport=httpx.MockTransport(recorder)) as client:
        await client.get("/latest.json")
    [request] = recorder.requests
    assert request.headers["User-Agent"] == USER_AGENT
    assert f"termforum/{termforum.__version__}" in request.headers["User-Agent"]
    assert request.headers["Accept"] == "application/json"
    assert str(request.url) == "https://forum.test/latest.json"


async def test_make_client_keeps_a_forum_installed_in_a_subfolder() -> None:
    recorder = Recorder()
    async with make_client(
        "https://example.test/community", transport=httpx.MockTransport(recorder)
    ) as client:
        await client.get("/t/57.json")
    assert str(recorder.requests[0].url) == "https://example.test/community/t/57.json"


async def test_make_client_applies_timeouts_and_follows_redirects() -> None:
    async with make_client(BASE, transport=httpx.MockTransport(Recorder())) as client:
        assert client.timeout.connect == 5.0
        assert client.timeout.read == 20.0
        assert client.follow_redirects is True
    custom = Timeouts(connect=1.5, read=60.0, write=7.0, pool=2.0)
    async with make_client(BASE, timeouts=custom, transport=httpx.MockTransport(Recorder())) as c:
        assert (c.timeout.connect, c.timeout.read, c.timeout.write, c.timeout.pool) == (
            1.5,
            60.0,
            7.0,
            2.0,
        )


async def test_make_client_adds_and_overrides_headers() -> None:
    recorder = Recorder()
    async with make_client(
        BASE,
        headers={"Accept-Language": "it", "Accept": "application/json, text/plain"},
        transport=httpx.MockTransport(recorder),
    ) as client:
        await client.get("/site.json")
    headers = recorder.requests[0].headers
    assert headers["Accept-Language"] == "it"
    assert headers["Accept"] == "application/json, text/plain"
    assert headers["User-Agent"] == USER_AGENT


async def test_redirect_is_followed_and_credentials_stay_on_the_forum_host() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/old":
            return httpx.Response(301, headers={"Location": "https://forum.test/new"})
        if request.url.path == "/new":
            return httpx.Response(302, headers={"Location": "https://elsewhere.test/steal"})
        return httpx.Response(200, json={"ok": True})

    async with make_client(BASE, transport=httpx.MockTransport(handler)) as client:
        response = await client.get("/old", headers={"User-Api-Key": "k-123", "Api-Key": "a"})
    assert response.json() == {"ok": True}
    assert [str(r.url) for r in seen] == [
        "https://forum.test/old",
        "https://forum.test/new",
        "https://elsewhere.test/steal",
    ]
    assert seen[1].headers["User-Api-Key"] == "k-123"
    assert "User-Api-Key" not in seen[2].headers
    assert "Api-Key" not in seen[2].headers
    assert seen[2].headers["User-Agent"] == USER_AGENT


@pytest.mark.parametrize(
    ("location", "keeps_key"),
    [
        ("http://forum.test/plain", False),  # downgrade to http
        ("https://forum.test:8443/other", False),  # another port
        ("https://evil.test/", False),  # another host
        ("https://forum.test/moved", True),  # same origin
    ],
)
async def test_credentials_follow_only_same_origin_redirects(location, keeps_key) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/start":
            return httpx.Response(302, headers={"Location": location})
        return httpx.Response(200, json={})

    async with make_client(BASE, transport=httpx.MockTransport(handler)) as client:
        await client.get("/start", headers={"User-Api-Key": "k-123"})
    assert str(seen[-1].url) == location
    assert ("User-Api-Key" in seen[-1].headers) is keeps_key


async def test_environment_proxy_does_not_bypass_the_given_transport(monkeypatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.invalid:3128")
    monkeypatch.setenv("https_proxy", "http://proxy.invalid:3128")
    recorder = Recorder()
    async with make_client(BASE, transport=httpx.MockTransport(recorder)) as client:
        await client.get("/latest.json")
    assert len(recorder.requests) == 1


def test_environment_proxy_reads_proxy_and_no_proxy(monkeypatch) -> None:
    for name in ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    assert environment_proxy("https://forum.test/") is None
    monkeypatch.setenv("https_proxy", "http://proxy.example:3128")
    assert environment_proxy("https://forum.test/") == "http://proxy.example:3128"
    monkeypatch.setenv("no_proxy", "forum.test")
    assert environment_proxy("https://forum.test/") is None
    monkeypatch.delenv("no_proxy")
    monkeypatch.setenv("https_proxy", "socks5://proxy.example:1080")
    assert environment_proxy("https://forum.test/") is None


# --- send: transport failures -----------------------------------------------------------------


async def test_connection_refused_on_a_real_closed_port() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    async with make_client(base) as client:
        with pytest.raises(NetworkError) as caught:
            await send(client, client.build_request("GET", f"{base}/site.json"))
    message = str(caught.value)
    assert f"127.0.0.1:{port}" in message
    assert "refused" in message
    assert caught.value.sent is False


async def test_dns_failure_names_the_host() -> None:
    error = await fail_with(
        raising(httpx.ConnectError, socket.gaierror(-2, "Name or service not known")),
        url="https://no-such-forum.test/site.json",
    )
    assert "no-such-forum.test" in str(error)
    assert "does not resolve" in str(error)
    assert error.sent is False


async def test_read_timeout_means_the_request_may_have_arrived() -> None:
    error = await fail_with(raising(httpx.ReadTimeout))
    assert "forum.test" in str(error)
    assert "20 seconds" in str(error)
    assert error.sent is True


async def test_connect_timeout_was_not_sent() -> None:
    error = await fail_with(raising(httpx.ConnectTimeout))
    assert "forum.test" in str(error)
    assert "5 seconds" in str(error)
    assert error.sent is False


@pytest.mark.parametrize(
    ("exc_type", "sent"),
    [
        (httpx.RemoteProtocolError, True),
        (httpx.ReadError, True),
        (httpx.WriteError, False),
        (httpx.WriteTimeout, False),
        (httpx.PoolTimeout, False),
        (httpx.ProxyError, False),
    ],
)
async def test_broken_connections_say_whether_the_request_was_sent(exc_type, sent) -> None:
    error = await fail_with(raising(exc_type))
    assert "forum.test" in str(error)
    assert error.sent is sent
    assert str(error).endswith(".")


async def test_a_message_names_the_host_but_never_the_query_or_user_info() -> None:
    error = await fail_with(
        raising(httpx.ConnectError, ConnectionRefusedError(111, "refused")),
        url="https://user:secret@forum.test:8443/search.json?q=private+words",
    )
    message = str(error)
    assert "forum.test:8443" in message
    assert "secret" not in message
    assert "private" not in message


async def test_sending_with_a_closed_client_is_a_network_error() -> None:
    client = make_client(BASE, transport=httpx.MockTransport(Recorder()))
    request = client.build_request("GET", f"{BASE}/site.json")
    await client.aclose()
    with pytest.raises(NetworkError, match="closed"):
        await send(client, request)


# --- Retry-After and redaction ----------------------------------------------------------------


def test_parse_retry_after_reads_seconds_and_http_dates() -> None:
    now = datetime(2025, 10, 11, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("27") == 27.0
    assert parse_retry_after(" 0 ") == 0.0
    assert parse_retry_after("Sat, 11 Oct 2025 12:00:45 GMT", now=now) == 45.0
    assert parse_retry_after("Sat, 11 Oct 2025 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") is None
    assert parse_retry_after(None) is None


def test_redact_headers_masks_secrets_case_insensitively() -> None:
    original = {
        "user-api-key": "uak-secret",
        "Api-Key": "admin-secret",
        "AUTHORIZATION": "Bearer jwt-secret",
        "Cookie": "_t=session-secret",
        "Proxy-Authorization": "Basic proxy-secret",
        "Api-Username": "alice",
        "Accept": "application/json",
    }
    redacted = redact_headers(original)
    assert list(redacted) == list(original)
    assert "secret" not in " ".join(redacted.values())
    assert redacted["Api-Username"] == "alice"
    assert redacted["Accept"] == "application/json"
    assert original["user-api-key"] == "uak-secret"


def test_redact_headers_masks_every_set_cookie_of_a_response() -> None:
    headers = httpx.Headers(
        [
            ("Set-Cookie", "_t=one-secret; path=/"),
            ("set-cookie", "_forum_session=two-secret"),
            ("Content-Type", "application/json"),
        ]
    )
    redacted = redact_headers(headers)
    assert "secret" not in " ".join(redacted.values())
    assert redacted["content-type"] == "application/json"

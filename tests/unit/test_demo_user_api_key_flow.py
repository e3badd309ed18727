"""The demo forum's User API Key authorization flow, as a browser and a client see it.

``GET /user-api-key/new`` shows an approval page, its form posts to ``POST
/user-api-key``, which answers the key encrypted with the client's RSA public key (PKCS#1
v1.5, Ruby-style base64) on a page, as JSON, or by redirect; the key then works until
revoked. Also: the ``HEAD`` probe, refused requests, and per-key rate limits turned on
through ``DemoServer(key_rate_limits=...)``.
"""

from __future__ import annotations

import base64
import html
import json
import re
import shutil
from collections.abc import AsyncIterator, Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

from termforum.demo import DEMO_USERNAME, DemoApp, DemoServer, KeyRateLimits, create_app
from termforum.demo.db import DB_FILENAME
from termforum.demo.seed import ensure_seeded
from termforum.demo.settings import SiteSettings
from termforum.demo.user_api_keys import encode64

SITE_TITLE = "Working Groups (termforum demo)"
INVALID_ACCESS = {
    "errors": ["You are not permitted to view the requested resource."],
    "error_type": "invalid_access",
}


@cache
def private_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def public_pem(key: rsa.RSAPrivateKey, form: str = "spki") -> str:
    fmt = (
        serialization.PublicFormat.SubjectPublicKeyInfo
        if form == "spki"
        else serialization.PublicFormat.PKCS1
    )
    return key.public_key().public_bytes(serialization.Encoding.PEM, fmt).decode("ascii")


def key_params(**overrides: str | None) -> dict[str, str]:
    params: dict[str, str | None] = {
        "application_name": "termforum",
        "client_id": "laptop-1",
        "scopes": "read,write,session_info",
        "public_key": public_pem(private_key()),
        "nonce": "n0nce-4f9a",
    }
    params.update(overrides)
    return {k: v for k, v in params.items() if v is not None}


def decrypt(payload: str, key: rsa.RSAPrivateKey | None = None) -> dict[str, Any]:
    secret = (key or private_key()).decrypt(base64.b64decode(payload), padding.PKCS1v15())
    data = json.loads(secret)
    assert isinstance(data, dict)
    return data


class FormScraper(HTMLParser):
    """The approval page's form: its action, fields and the username choices."""

    def __init__(self) -> None:
        super().__init__()
        self.form: dict[str, str] = {}
        self.fields: dict[str, str] = {}
        self.options: list[str] = []
        self.selected: list[str] = []
        self.buttons: list[str] = []
        self._in_button = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.form = attr
        elif tag == "input":
            self.fields[attr["name"]] = attr.get("value", "")
            assert attr["type"] == "hidden"
        elif tag == "option":
            self.options.append(attr["value"])
            if "selected" in attr:
                self.selected.append(attr["value"])
        elif tag == "button":
            self._in_button = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "button":
            self._in_button = False

    def handle_data(self, data: str) -> None:
        if self._in_button:
            self.buttons.append(data)


def scrape(page: str) -> FormScraper:
    scraper = FormScraper()
    scraper.feed(page)
    return scraper


def payload_of(page: str) -> str:
    match = re.search(r'<pre id="payload">(.*?)</pre>', page, re.DOTALL)
    assert match is not None, page
    return html.unescape(match.group(1))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("demo-key-flow-template")
    ensure_seeded(folder)
    return folder


def make_app(template: Path, folder: Path, **options: Any) -> DemoApp:
    shutil.copy(template / DB_FILENAME, folder / DB_FILENAME)
    return create_app(folder, **options)


@pytest.fixture
def app(template: Path, tmp_path: Path) -> Iterator[DemoApp]:
    demo = make_app(template, tmp_path)
    yield demo
    demo.close()


@pytest.fixture
async def client(app: DemoApp) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
        yield c


async def authorize(
    client: httpx.AsyncClient,
    username: str | None = None,
    private: rsa.RSAPrivateKey | None = None,
    **overrides: str | None,
) -> str:
    """Go through the pages as a browser would; the decrypted key."""
    page = await client.get("/user-api-key/new", params=key_params(**overrides))
    assert page.status_code == 200, page.text
    form = scrape(page.text)
    data = dict(form.fields, username=username or form.selected[0])
    done = await client.post(form.form["action"], data=data)
    assert done.status_code == 200, done.text
    decrypted = decrypt(payload_of(done.text), private)
    assert decrypted["nonce"] == (overrides.get("nonce") or key_params()["nonce"])
    return str(decrypted["key"])


async def whoami(client: httpx.AsyncClient, key: str) -> httpx.Response:
    return await client.get("/session/current.json", headers={"User-Api-Key": key})


# --------------------------------------------------------------------------- the flow


async def test_the_whole_flow_page_form_payload_key_revoke(client: httpx.AsyncClient) -> None:
    params = key_params()
    page = await client.get("/user-api-key/new", params=params)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["x-discourse-route"] == "user_api_keys/new"
    text = page.text
    assert (
        "<strong>termforum</strong> is asking for access to your account on "
        f"<strong>{html.escape(SITE_TITLE)}</strong>"
    ) in text
    for scope, words in (
        ("read", "Read everything you can see"),
        ("write", "Post, edit, like and bookmark as you"),
        ("session_info", "Read your session info"),
    ):
        assert f'<li data-scope="{scope}">{words}' in text
    form = scrape(text)
    assert form.form == {"method": "post", "action": "/user-api-key"}
    assert form.fields == params  # every parameter carried as a hidden field, unchanged
    assert DEMO_USERNAME in form.options and "priya" in form.options
    assert "system" not in form.options
    assert form.selected == [DEMO_USERNAME]
    assert form.buttons == ["Authorize"]

    done = await client.post("/user-api-key", data=dict(form.fields, username="priya"))
    assert done.status_code == 200
    assert done.headers["x-discourse-route"] == "user_api_keys/create"
    assert done.headers["cache-control"] == "no-cache, no-store"
    assert '<p id="instructions">Copy this text and paste it into termforum' in done.text
    payload = payload_of(done.text)
    lines = payload.split("\n")
    assert payload.endswith("\n") and lines[-1] == ""
    assert all(len(line) == 60 for line in lines[:-2]) and 0 < len(lines[-2]) <= 60
    data = decrypt(payload)
    assert data == {"key": data["key"], "nonce": params["nonce"], "push": False, "api": 4}

    key = data["key"]
    me = await whoami(client, key)
    assert me.status_code == 200 and me.json()["current_user"]["username"] == "priya"
    revoked = await client.post("/user-api-key/revoke", headers={"User-Api-Key": key})
    assert revoked.status_code == 200 and revoked.json() == {"success": "OK"}
    after = await whoami(client, key)
    assert after.status_code == 403 and after.json() == INVALID_ACCESS


async def test_the_preselected_account_is_the_demo_account(client: httpx.AsyncClient) -> None:
    key = await authorize(client)
    me = await whoami(client, key)
    assert me.json()["current_user"]["username"] == DEMO_USERNAME


@pytest.mark.parametrize("form", ["spki", "pkcs1"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
async def test_both_pem_forms_are_accepted(
    client: httpx.AsyncClient, form: str, newline: str
) -> None:
    pem = public_pem(private_key(), form).replace("\n", newline)
    assert pem.startswith("-----BEGIN RSA PUBLIC KEY-----" if form == "pkcs1" else "-----BEGIN P")
    key = await authorize(client, public_key=pem)
    assert (await whoami(client, key)).status_code == 200


async def test_a_json_body_gets_a_json_answer(client: httpx.AsyncClient) -> None:
    body = key_params(nonce="json-nonce")
    answer = await client.post("/user-api-key.json", json=dict(body, username="elena"))
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    data = answer.json()
    assert set(data) == {"payload", "instructions"}
    assert data["instructions"].startswith("Copy this text and paste it into termforum")
    decrypted = decrypt(data["payload"])
    assert decrypted["nonce"] == "json-nonce"
    me = await whoami(client, decrypted["key"])
    assert me.json()["current_user"]["username"] == "elena"
    # A form body with Accept: application/json is answered in JSON too.
    accept = {"Accept": "application/json"}
    form_answer = await client.post("/user-api-key", data=body, headers=accept)
    assert set(form_answer.json()) == {"payload", "instructions"}


async def test_authorizing_a_client_again_revokes_its_earlier_key(
    client: httpx.AsyncClient,
) -> None:
    first = await authorize(client, "priya", client_id="desk")
    other_client = await authorize(client, "priya", client_id="phone")
    other_user = await authorize(client, "elena", client_id="desk")
    second = await authorize(client, "priya", client_id="desk")
    assert (await whoami(client, first)).status_code == 403
    for key in (other_client, other_user, second):
        assert (await whoami(client, key)).status_code == 200


async def test_the_head_probe_answers_the_api_version(client: httpx.AsyncClient) -> None:
    probe = await client.head("/user-api-key/new")
    assert probe.status_code == 200
    assert probe.headers["auth-api-version"] == "4"
    assert probe.content == b""


# --------------------------------------------------------------------------- redirects


async def test_an_allowed_auth_redirect_gets_the_payload(client: httpx.AsyncClient) -> None:
    params = key_params(auth_redirect="discourse://auth_redirect")
    page = await client.get("/user-api-key/new", params=params)
    fields = scrape(page.text).fields
    assert fields["auth_redirect"] == "discourse://auth_redirect"
    answer = await client.post("/user-api-key", data=dict(fields, username="priya"))
    assert answer.status_code == 302
    location = answer.headers["location"]
    assert location.startswith("discourse://auth_redirect?payload=")
    payload = parse_qs(urlsplit(location).query)["payload"][0]
    assert "\n" in payload  # Ruby's base64, escaped as CGI.escape does
    data = decrypt(payload)
    assert data["nonce"] == params["nonce"]
    assert (await whoami(client, data["key"])).status_code == 200


async def test_wildcard_redirects_keep_their_query(template: Path, tmp_path: Path) -> None:
    settings = SiteSettings(allowed_user_api_auth_redirects=("http://127.0.0.1:*/callback*",))
    with make_app(template, tmp_path, settings=settings) as demo:
        transport = httpx.ASGITransport(app=demo)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
            target = "http://127.0.0.1:8765/callback?state=xyz"
            answer = await c.post("/user-api-key", data=key_params(auth_redirect=target))
            assert answer.status_code == 302
            query = parse_qs(urlsplit(answer.headers["location"]).query)
            assert query["state"] == ["xyz"]
            assert decrypt(query["payload"][0])["api"] == 4
            refused = await c.post(
                "/user-api-key", data=key_params(auth_redirect="discourse://auth_redirect")
            )
            assert refused.status_code == 400


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/callback",
        "discourse://auth_redirect/../elsewhere",
        "discourse://auth_redirect\r\nSet-Cookie: x=1",
        "not a url",
    ],
)
async def test_other_auth_redirects_are_refused(client: httpx.AsyncClient, target: str) -> None:
    params = key_params(auth_redirect=target)
    page = await client.get("/user-api-key/new", params=params)
    assert page.status_code == 400 and "auth_redirect is not allowed" in page.text
    answer = await client.post("/user-api-key", data=dict(params, username="priya"))
    assert answer.status_code == 400 and "location" not in answer.headers
    assert '<p id="error">' in answer.text


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize("name", ["application_name", "client_id", "scopes", "public_key", "nonce"])
@pytest.mark.parametrize("value", [None, "", "   "])
async def test_missing_parameters_are_named(
    client: httpx.AsyncClient, name: str, value: str | None
) -> None:
    params = key_params(**{name: value})
    page = await client.get("/user-api-key/new", params=params)
    assert page.status_code == 400
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert f'<p id="error">Missing parameter: {name}.</p>' in page.text
    posted = await client.post("/user-api-key", data=params)
    assert posted.status_code == 400 and f"Missing parameter: {name}." in posted.text


async def test_scopes_must_be_allowed(client: httpx.AsyncClient, app: DemoApp) -> None:
    page = await client.get("/user-api-key/new", params=key_params(scopes="read,admin"))
    assert page.status_code == 400 and "Scope not allowed: admin;" in page.text
    posted = await client.post("/user-api-key", data=key_params(scopes="read,admin"))
    assert posted.status_code == 400
    every = "read,write,message_bus,push,notifications,session_info,one_time_password"
    assert (await client.get("/user-api-key/new", params=key_params(scopes=every))).is_success


async def test_the_site_setting_narrows_the_scopes(template: Path, tmp_path: Path) -> None:
    settings = SiteSettings(allow_user_api_key_scopes=("read", "session_info"))
    with make_app(template, tmp_path, settings=settings) as demo:
        transport = httpx.ASGITransport(app=demo)
        async with httpx.AsyncClient(transport=transport, base_url="http://demo.test") as c:
            page = await c.get("/user-api-key/new", params=key_params(scopes="read,write"))
            assert page.status_code == 400 and "Scope not allowed: write;" in page.text
            ok = await c.get("/user-api-key/new", params=key_params(scopes="read"))
            assert ok.status_code == 200


@pytest.mark.parametrize(
    ("pem", "message"),
    [
        ("not a key", "public_key is not a PEM-encoded RSA public key."),
        ("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", "not a PEM-encoded"),
        (
            ec.generate_private_key(ec.SECP256R1())
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode(),
            "public_key must be an RSA public key.",
        ),
    ],
)
async def test_bad_public_keys_are_refused(
    client: httpx.AsyncClient, pem: str, message: str
) -> None:
    page = await client.get("/user-api-key/new", params=key_params(public_key=pem))
    assert page.status_code == 400 and message in page.text
    posted = await client.post("/user-api-key", data=key_params(public_key=pem))
    assert posted.status_code == 400 and message in posted.text


async def test_a_nonce_too_long_for_the_key_is_refused(client: httpx.AsyncClient) -> None:
    small = private_key(1024)
    pem = public_pem(small)
    fits = "n" * 43  # 1024 bits hold 117 bytes; the rest of the JSON takes 74
    key = await authorize(client, private=small, public_key=pem, nonce=fits)
    assert (await whoami(client, key)).status_code == 200
    page = await client.get("/user-api-key/new", params=key_params(public_key=pem, nonce="n" * 44))
    assert page.status_code == 400 and "nonce is too long" in page.text


async def test_unknown_users_are_refused(client: httpx.AsyncClient, app: DemoApp) -> None:
    for username in ("nobody-at-all", "system"):
        answer = await client.post("/user-api-key", data=key_params(username=username))
        assert answer.status_code == 400
        assert f'<p id="error">Unknown user: {username}</p>' in answer.text
    count = app.store.conn.execute("SELECT COUNT(*) FROM user_api_keys").fetchone()[0]
    assert count == 0  # nothing was made


async def test_json_requests_get_json_errors(client: httpx.AsyncClient) -> None:
    answer = await client.post("/user-api-key.json", json=key_params(nonce=None))
    assert answer.status_code == 400
    assert answer.json() == {
        "errors": ["Missing parameter: nonce."],
        "error_type": "invalid_parameters",
    }


async def test_page_text_is_escaped(client: httpx.AsyncClient) -> None:
    evil = '<script>alert("hi")</script>'
    params = key_params(application_name=evil, nonce='"><b>nonce</b>', client_id="a&b")
    page = await client.get("/user-api-key/new", params=params)
    assert page.status_code == 200
    assert "<script>" not in page.text and "<b>" not in page.text
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;" in page.text
    assert scrape(page.text).fields == params  # the escaped values come back unchanged
    done = await client.post("/user-api-key", data=dict(params, username="priya"))
    assert done.status_code == 200 and "<script>" not in done.text
    assert decrypt(payload_of(done.text))["nonce"] == '"><b>nonce</b>'
    refused = await client.get("/user-api-key/new", params=key_params(scopes=evil))
    assert refused.status_code == 400 and "<script>" not in refused.text


def test_encode64_is_rubys() -> None:
    assert encode64(b"") == ""
    assert encode64(b"hi") == "aGk=\n"
    text = encode64(bytes(range(256)))
    assert text.replace("\n", "") == base64.b64encode(bytes(range(256))).decode()
    assert [len(line) for line in text.split("\n")] == [60] * 5 + [44, 0]


# --------------------------------------------------------------------------- rate limits


def test_demo_server_turns_key_rate_limits_on(template: Path, tmp_path: Path) -> None:
    demo = make_app(template, tmp_path)
    limits = KeyRateLimits(user_per_minute=3)
    with demo, DemoServer(app=demo, key_rate_limits=limits) as server:
        assert server.url is not None
        with httpx.Client(base_url=server.url, timeout=10) as http:
            body = dict(key_params(), username="priya")
            answer = http.post("/user-api-key.json", json=body)
            assert answer.status_code == 200  # anonymous: no key to count
            headers = {"User-Api-Key": decrypt(answer.json()["payload"])["key"]}
            statuses = [http.get("/session/current.json", headers=headers).status_code]
            statuses += [http.get("/latest.json", headers=headers).status_code for _ in range(2)]
            limited = http.get("/latest.json", headers=headers)
            assert statuses == [200, 200, 200]
            assert limited.status_code == 429
            assert int(limited.headers["retry-after"]) > 0
            assert (
                limited.headers["discourse-rate-limit-error-code"] == "user_api_key_limiter_60_secs"
            )
            assert limited.json()["error_type"] == "rate_limit"
            snapshot = http.get("/__demo/faults").json()
            assert snapshot["key_rate_limits"]["user_per_minute"] == 3


def test_demo_server_leaves_key_rate_limits_off_by_default(template: Path, tmp_path: Path) -> None:
    demo = make_app(template, tmp_path)
    with demo, DemoServer(app=demo) as server:
        assert server.app is demo and demo.faults.key_limiters is None
    with pytest.raises(TypeError):
        DemoServer(key_rate_limits=3)  # type: ignore[arg-type]

"""The User API key login: key pair, authorize URL, finding and decrypting the pasted payload.

The forum side is played by the demo forum's own encryption (``demo.user_api_keys``), an
implementation written separately from ``termforum.login``, plus hand-made payloads in the
shape Discourse's Ruby code produces (``Base64.encode64`` of a PKCS#1 v1.5 ciphertext).
"""

from __future__ import annotations

import base64
import json
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import padding

from termforum.auth import Secret
from termforum.demo.user_api_keys import encrypt_payload, load_public_key
from termforum.login import (
    KEY_BITS,
    SCOPES,
    LoginError,
    LoginRequest,
    extract_payload,
    local_browser_available,
    read_pasted_payload,
)
from termforum.redact import scrub

FORUM = "https://forum.example.org"


@pytest.fixture(scope="module")
def request_() -> LoginRequest:
    return LoginRequest.start(FORUM + "/", "client-123")


def _forum_payload(request: LoginRequest, key: str = "k" * 32, nonce: str | None = None) -> str:
    """What the forum shows: our JSON, encrypted with the public key from the URL."""
    query = parse_qs(urlsplit(request.authorize_url).query)
    public_key = load_public_key(query["public_key"][0])
    return encrypt_payload(public_key, key, nonce if nonce is not None else request.nonce)


def test_authorize_url_carries_what_discourse_requires(request_: LoginRequest) -> None:
    parts = urlsplit(request_.authorize_url)
    query = parse_qs(parts.query)

    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == f"{FORUM}/user-api-key/new"
    assert query["application_name"] == ["termforum"]
    assert query["client_id"] == ["client-123"]
    assert query["scopes"] == [",".join(SCOPES)]
    assert query["nonce"] == [request_.nonce]
    assert "auth_redirect" not in query  # the copy-and-paste flow needs no admin set-up
    public_key = serialization.load_pem_public_key(query["public_key"][0].encode())
    assert public_key.key_size >= 2048 == KEY_BITS


def test_each_attempt_has_its_own_key_pair_and_nonce(request_: LoginRequest) -> None:
    other = LoginRequest.start(FORUM, "client-123")

    assert other.nonce != request_.nonce
    assert other.public_key_pem != request_.public_key_pem


def test_the_payload_the_forum_shows_gives_the_key(request_: LoginRequest) -> None:
    payload = _forum_payload(request_, key="0123456789abcdef0123456789abcdef")

    assert "\n" in payload  # Ruby's encode64 breaks lines every 60 characters
    key = request_.accept(payload)

    assert key == Secret("0123456789abcdef0123456789abcdef")
    assert "0123" not in repr(key)


def test_payload_is_found_among_copied_page_text_and_indentation(
    request_: LoginRequest,
) -> None:
    payload = _forum_payload(request_, key="abcdef0123456789abcdef0123456789")
    indented = "\n".join("    " + line for line in payload.splitlines())
    pasted = f"termforum is authorized\nCopy this text and paste it into termforum.\n{indented}\n"

    assert request_.accept(pasted).reveal() == "abcdef0123456789abcdef0123456789"


def test_payload_copied_from_a_redirect_address_is_unescaped(request_: LoginRequest) -> None:
    payload = _forum_payload(request_, key="fedcba9876543210fedcba9876543210")
    address = "discourse://auth_redirect?payload=" + quote(payload.replace("\n", ""), safe="")

    assert request_.accept(address).reveal() == "fedcba9876543210fedcba9876543210"


def test_a_payload_cut_short_says_how_much_is_missing(request_: LoginRequest) -> None:
    payload = "".join(_forum_payload(request_).split())[:200]

    with pytest.raises(LoginError, match=f"200 of {request_.payload_length} characters"):
        request_.accept(payload)


def test_nothing_pasted_says_what_to_copy(request_: LoginRequest) -> None:
    with pytest.raises(LoginError, match="Nothing that looks like the forum's payload"):
        request_.accept("   \n\t\n")


def test_a_payload_for_another_attempt_is_refused(request_: LoginRequest) -> None:
    earlier = LoginRequest.start(FORUM, "client-123")
    payload = _forum_payload(earlier)

    with pytest.raises(LoginError, match="another login attempt"):
        request_.accept(payload)


def test_a_payload_with_the_wrong_nonce_is_refused(request_: LoginRequest) -> None:
    payload = _forum_payload(request_, nonce="0" * 32)

    with pytest.raises(LoginError, match="nonce differs"):
        request_.accept(payload)


def test_a_payload_without_a_key_is_refused(request_: LoginRequest) -> None:
    public_key = serialization.load_pem_public_key(request_.public_key_pem.encode())
    sealed = public_key.encrypt(  # type: ignore[union-attr]
        json.dumps({"nonce": request_.nonce, "push": False, "api": 4}).encode(),
        padding.PKCS1v15(),
    )

    with pytest.raises(LoginError, match="holds no key"):
        request_.accept(base64.encodebytes(sealed).decode())


def test_login_errors_never_echo_the_pasted_text(request_: LoginRequest) -> None:
    payload = _forum_payload(LoginRequest.start(FORUM, "x"))
    with pytest.raises(LoginError) as caught:
        request_.accept(payload)

    assert "".join(payload.split())[:20] not in str(caught.value)


def test_a_key_from_a_payload_is_masked_in_scrubbed_output(request_: LoginRequest) -> None:
    key = request_.accept(_forum_payload(request_, key="c0ffee" * 6))

    assert scrub(f"sending User-Api-Key: {key.reveal()}") == "sending User-Api-Key: ***"


@pytest.mark.parametrize(
    ("pasted", "expected"),
    [
        ("QUJD\nREVG\n", "QUJDREVG"),
        ("Paste: QUJD\nREVG", "REVG"),  # a prompt on the first line is not base64
        ("short\n\nQUJDREVGR0hJ\nSktM", "QUJDREVGR0hJSktM"),  # the longest run wins
        ("no payload here!", ""),
    ],
)
def test_extract_payload(pasted: str, expected: str) -> None:
    assert extract_payload(pasted) == expected


def test_reading_a_paste_stops_when_the_payload_is_complete(request_: LoginRequest) -> None:
    lines = [line + "\n" for line in _forum_payload(request_).splitlines()]
    consumed: list[str] = []

    def source():  # type: ignore[no-untyped-def]
        for line in [*lines, "this line is never read\n"]:
            consumed.append(line)
            yield line

    text = read_pasted_payload(source(), request_.payload_length)

    assert len(consumed) == len(lines)
    assert "".join(text.split()) == "".join("".join(lines).split())


def test_reading_a_paste_stops_at_an_empty_line_after_text() -> None:
    assert read_pasted_payload(iter(["\n", "QUJD\n", "\n", "REVG\n"]), 344) == "QUJD"


@pytest.mark.parametrize(
    ("environ", "platform", "expected"),
    [
        ({"DISPLAY": ":0"}, "linux", True),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({}, "linux", False),  # a server console or a container
        ({"DISPLAY": ":0", "SSH_CONNECTION": "10.0.0.1 1 10.0.0.2 22"}, "linux", False),
        ({}, "darwin", True),
        ({"SSH_TTY": "/dev/pts/1"}, "darwin", False),
        ({}, "win32", True),
    ],
)
def test_a_browser_is_offered_only_on_a_local_graphical_session(
    environ: dict[str, str], platform: str, expected: bool
) -> None:
    assert local_browser_available(environ, platform) is expected


def test_no_scopes_is_refused() -> None:
    with pytest.raises(LoginError, match="at least one scope"):
        LoginRequest.start(FORUM, "c", scopes=[" ", ""])

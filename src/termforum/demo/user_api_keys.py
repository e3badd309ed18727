"""Discourse's User API Key authorization flow, for the demo forum.

An application asks a user for a key in three steps (``UserApiKeysController``):

``GET /user-api-key/new?application_name=&client_id=&scopes=&public_key=&nonce=``
    (optional ``auth_redirect``, ``push_url``). All five parameters are required; every
    scope must be in :attr:`SiteSettings.allow_user_api_key_scopes`; ``public_key`` must
    be an RSA public key in PEM (``BEGIN PUBLIC KEY`` or ``BEGIN RSA PUBLIC KEY``) of at
    least :data:`MIN_KEY_BITS` bits (Discourse takes any RSA key; smaller ones cannot
    hold the payload anyway). The answer is an approval page, or a 400 page saying what
    is wrong. ``HEAD`` answers 200 with ``Auth-Api-Version: 4`` (the capability probe).
``POST /user-api-key`` (form-encoded, as the page's form sends it, or JSON)
    Checks everything again, makes the key (revoking the user's earlier key for the same
    ``client_id``) and encrypts ``{"key","nonce","push","api"}`` with the public key
    (RSA PKCS#1 v1.5, then base64 with a newline every 60 characters, as Ruby's
    ``Base64.encode64``). Without ``auth_redirect`` the answer is a page with the
    payload in ``<pre id="payload">`` (JSON ``{"payload", "instructions"}`` when asked
    for JSON); with one, a 302 to ``auth_redirect?payload=…`` when the target is in
    :attr:`SiteSettings.allowed_user_api_auth_redirects`, else a 400 page.

The demo has no browser sessions and no passwords: the approval page lets the user pick
the account (the demo account :data:`~termforum.demo.content.DEMO_USERNAME` preselected),
and the ``POST`` takes a ``username`` (default: the request's key's user, else the demo
account). Anyone who can reach the demo server can therefore get a key for any demo
user; that is the point of a demo. The demo always answers ``"push": false`` (it sends no
push notifications) and makes no ``oneTimePassword``.
"""

from __future__ import annotations

import base64
import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote_plus, urlsplit, urlunsplit

from termforum.demo import auth, content
from termforum.demo.content import DEMO_USERNAME
from termforum.demo.web import BadParams, Request, Response, error

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

    from termforum.demo.queries import Store
    from termforum.demo.settings import SiteSettings

__all__ = [
    "AUTH_API_VERSION",
    "MIN_KEY_BITS",
    "SCOPE_DESCRIPTIONS",
    "InvalidKeyRequest",
    "KeyRequest",
    "UserApiKeyHandlers",
    "encode64",
    "encrypt_payload",
    "load_public_key",
    "parse_key_request",
    "redirect_allowed",
]

AUTH_API_VERSION = 4
"""Discourse's ``UserApiKeysController::AUTH_API_VERSION`` (``api`` in the payload)."""
MIN_KEY_BITS = 1024
"""Smallest RSA key accepted (a 1024-bit key holds 117 bytes of payload)."""
REQUIRED = ("application_name", "client_id", "scopes", "public_key", "nonce")
"""The parameters both steps require, in the order they are reported missing."""
SCOPE_DESCRIPTIONS: Mapping[str, str] = {
    "read": "Read everything you can see",
    "write": "Post, edit, like and bookmark as you",
    "message_bus": "Receive live updates",
    "push": "Send your notifications to an external push service",
    "notifications": "Read and clear your notifications",
    "session_info": "Read your session info (who you are)",
    "one_time_password": "Create a one-time login token",
}
"""Scopes in words, as the approval page lists them."""
_KEY_PLACEHOLDER = "0" * 32  # a user API key's length (auth.create_user_api_key)
_SECURITY_HEADERS = (
    ("cache-control", "no-cache, no-store"),
    ("content-security-policy", "default-src 'none'; frame-ancestors 'none'"),
    ("referrer-policy", "no-referrer"),
)


class InvalidKeyRequest(ValueError):
    """A key request with missing or bad parameters; the message says what is wrong."""


@dataclass(frozen=True, slots=True)
class KeyRequest:
    """The validated parameters of a key request."""

    application_name: str
    client_id: str
    scopes: tuple[str, ...]
    public_key_pem: str
    public_key: RSAPublicKey
    nonce: str
    auth_redirect: str | None = None
    push_url: str | None = None

    def hidden_fields(self) -> list[tuple[str, str]]:
        """The parameters as the approval form carries them (name, value)."""
        fields = [
            ("application_name", self.application_name),
            ("client_id", self.client_id),
            ("scopes", ",".join(self.scopes)),
            ("public_key", self.public_key_pem),
            ("nonce", self.nonce),
        ]
        if self.auth_redirect is not None:
            fields.append(("auth_redirect", self.auth_redirect))
        if self.push_url is not None:
            fields.append(("push_url", self.push_url))
        return fields


def load_public_key(pem: str) -> RSAPublicKey:
    """An RSA public key from PEM (SPKI ``BEGIN PUBLIC KEY`` or PKCS#1 ``BEGIN RSA
    PUBLIC KEY``); :class:`InvalidKeyRequest` when it is not one, or is too small."""
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    text = pem.replace("\r\n", "\n").strip() + "\n"
    try:
        key = load_pem_public_key(text.encode("utf-8"))
    except (ValueError, TypeError):
        raise InvalidKeyRequest("public_key is not a PEM-encoded RSA public key.") from None
    if not isinstance(key, RSAPublicKey):
        raise InvalidKeyRequest("public_key must be an RSA public key.")
    if key.key_size < MIN_KEY_BITS:
        raise InvalidKeyRequest(
            f"public_key is a {key.key_size}-bit RSA key; at least {MIN_KEY_BITS} bits needed."
        )
    return key


def encode64(data: bytes) -> str:
    """Base64 as Ruby's ``Base64.encode64``: a newline after every 60 characters and at
    the end."""
    text = base64.b64encode(data).decode("ascii")
    return "".join(text[i : i + 60] + "\n" for i in range(0, len(text), 60))


def _payload_json(key: str, nonce: str) -> bytes:
    data = {"key": key, "nonce": nonce, "push": False, "api": AUTH_API_VERSION}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _payload_room(public_key: RSAPublicKey) -> int:
    """Most bytes RSA PKCS#1 v1.5 encrypts with this key."""
    return public_key.key_size // 8 - 11


def encrypt_payload(public_key: RSAPublicKey, key: str, nonce: str) -> str:
    """The payload Discourse hands back: ``{"key","nonce","push":false,"api":4}`` as
    compact JSON, encrypted with RSA PKCS#1 v1.5, in :func:`encode64` form."""
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15

    return encode64(public_key.encrypt(_payload_json(key, nonce), PKCS1v15()))


def redirect_allowed(url: str, allowed: tuple[str, ...]) -> bool:
    """Whether ``auth_redirect`` may be used: an absolute URL (scheme and host, printable
    ASCII) matching one of ``allowed`` case-insensitively, where ``*`` matches any run of
    non-space characters (Discourse's ``WildcardUrlChecker``)."""
    if not url.isascii() or not url.isprintable() or " " in url:
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if not parts.scheme or not parts.netloc:
        return False
    for pattern in allowed:
        regex = re.escape(pattern).replace(r"\*", r"\S*")
        if re.fullmatch(regex, url, re.IGNORECASE):
            return True
    return False


def _text(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if isinstance(value, list) and name == "scopes":
        value = ",".join(v for v in value if isinstance(v, str))
    if not isinstance(value, str) or not value.strip():
        return None
    return value


def parse_key_request(params: Mapping[str, Any], settings: SiteSettings) -> KeyRequest:
    """Validate a key request's parameters; :class:`InvalidKeyRequest` says what is
    wrong (the first problem found)."""
    missing = [name for name in REQUIRED if _text(params, name) is None]
    if missing:
        raise InvalidKeyRequest(f"Missing parameter: {', '.join(missing)}.")
    values = {name: _text(params, name) or "" for name in REQUIRED}
    scopes = tuple(dict.fromkeys(s.strip() for s in values["scopes"].split(",") if s.strip()))
    allowed = set(settings.allow_user_api_key_scopes) & auth.USER_API_SCOPES
    refused = [s for s in scopes if s not in allowed]
    if not scopes or refused:
        raise InvalidKeyRequest(
            f"Scope not allowed: {', '.join(refused) or '(none)'}; this site allows "
            f"{', '.join(sorted(allowed))}."
        )
    public_key = load_public_key(values["public_key"])
    room = _payload_room(public_key)
    if len(_payload_json(_KEY_PLACEHOLDER, values["nonce"])) > room:
        raise InvalidKeyRequest(
            f"nonce is too long: the encrypted payload holds at most {room} bytes with a "
            f"{public_key.key_size}-bit key."
        )
    redirect = _text(params, "auth_redirect")
    if redirect is not None and not redirect_allowed(
        redirect, settings.allowed_user_api_auth_redirects
    ):
        raise InvalidKeyRequest(f"auth_redirect is not allowed on this site: {redirect}")
    return KeyRequest(
        application_name=values["application_name"],
        client_id=values["client_id"],
        scopes=scopes,
        public_key_pem=values["public_key"],
        public_key=public_key,
        nonce=values["nonce"],
        auth_redirect=redirect,
        push_url=_text(params, "push_url"),
    )


# --------------------------------------------------------------------------- pages


def _page(title: str, body: str, status: int = 200) -> Response:
    site = html.escape(content.SITE["title"])
    text = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)} — {site}</title></head>\n<body>\n{body}\n</body></html>\n"
    )
    return Response.text(text, status, _SECURITY_HEADERS, "text/html; charset=utf-8")


def _refused(request: Request, message: str) -> Response:
    """A 400: Discourse's JSON error shape when JSON was asked for, else a page."""
    if request.wants_json:
        return error(400, message, "invalid_parameters")
    body = f'<h1>Cannot authorize the application</h1>\n<p id="error">{html.escape(message)}</p>'
    return _page("Cannot authorize the application", body, 400)


def _approval_page(key_request: KeyRequest, users: list[str]) -> Response:
    esc = html.escape
    app_name = esc(key_request.application_name)
    site = esc(content.SITE["title"])
    scopes = "\n".join(
        f'<li data-scope="{esc(s)}">{esc(SCOPE_DESCRIPTIONS.get(s, s))} ({esc(s)})</li>'
        for s in key_request.scopes
    )
    options = "\n".join(
        f'<option value="{esc(u)}"{" selected" if u == DEMO_USERNAME else ""}>{esc(u)}</option>'
        for u in users
    )
    hidden = "\n".join(
        f'<input type="hidden" name="{name}" value="{esc(value)}">'
        for name, value in key_request.hidden_fields()
    )
    body = (
        "<h1>Authorize application</h1>\n"
        f'<p id="request"><strong>{app_name}</strong> is asking for access to your account'
        f" on <strong>{site}</strong>.</p>\n"
        f'<p>It will be able to:</p>\n<ul id="scopes">\n{scopes}\n</ul>\n'
        '<form method="post" action="/user-api-key">\n'
        '<p><label for="username">Signed in as</label>\n'
        f'<select id="username" name="username">\n{options}\n</select></p>\n'
        f"{hidden}\n"
        '<p><button type="submit">Authorize</button></p>\n</form>\n'
        "<p>This demo forum has no passwords: pick the account to authorize.</p>"
    )
    return _page(f"Authorize {key_request.application_name}", body)


def _instructions(application_name: str) -> str:
    return f"Copy this text and paste it into {application_name} to finish signing in."


def _payload_page(application_name: str, payload: str) -> Response:
    body = (
        f"<h1>{html.escape(application_name)} is authorized</h1>\n"
        f'<p id="instructions">{html.escape(_instructions(application_name))}</p>\n'
        f'<pre id="payload">{html.escape(payload)}</pre>'
    )
    return _page("Application authorized", body)


def _redirect(target: str, payload: str) -> Response:
    parts = urlsplit(target)
    query = "&".join(q for q in (parts.query, f"payload={quote_plus(payload)}") if q)
    location = urlunsplit(parts._replace(query=query))
    body = f'<p>You are being <a href="{html.escape(location)}">redirected</a>.</p>'
    response = _page("Redirecting", body, 302)
    response.headers.append(("location", location))
    return response


# --------------------------------------------------------------------------- handlers


class UserApiKeyHandlers:
    """Handlers of ``/user-api-key/new`` and ``POST /user-api-key`` (mixed into
    ``DemoApp``)."""

    if TYPE_CHECKING:
        store: Store
        settings: SiteSettings

        def seed_now(self) -> datetime: ...

    def user_api_key_usernames(self) -> list[str]:
        """The accounts the approval page offers (every user but ``system``), sorted."""
        names = (u["username"] for u in self.store.users().values() if u["id"] > 0)
        return sorted(names, key=str.casefold)

    def handle_user_api_key_new(self, request: Request, viewer: Any) -> Response:
        """``GET /user-api-key/new``: the approval page (``HEAD``: the version probe)."""
        if request.method == "HEAD":
            return Response(
                200,
                headers=[
                    ("content-type", "text/html; charset=utf-8"),
                    ("auth-api-version", str(AUTH_API_VERSION)),
                ],
            )
        try:
            key_request = parse_key_request(request.params_dict(), self.settings)
        except (InvalidKeyRequest, BadParams) as exc:
            return _refused(request, str(exc))
        return _approval_page(key_request, self.user_api_key_usernames())

    def handle_user_api_key_create(self, request: Request, viewer: Any) -> Response:
        """``POST /user-api-key``: make the key, answer the encrypted payload (a page,
        JSON, or a redirect to ``auth_redirect``)."""
        try:
            params = request.params_dict()
            key_request = parse_key_request(params, self.settings)
        except (InvalidKeyRequest, BadParams) as exc:
            return _refused(request, str(exc))
        username = _text(params, "username")
        if username is None:
            username = viewer["username"] if viewer is not None else DEMO_USERNAME
        user = self.store.user_by_username(username)
        if user is None or user["id"] <= 0:
            return _refused(request, f"Unknown user: {username}")
        try:
            key = auth.create_user_api_key(
                self.store,
                user["username"],
                now=self.seed_now(),
                scopes=key_request.scopes,
                client_id=key_request.client_id,
                application_name=key_request.application_name,
            )
        except ValueError as exc:
            return _refused(request, str(exc))
        payload = encrypt_payload(key_request.public_key, key, key_request.nonce)
        if key_request.auth_redirect is not None:
            return _redirect(key_request.auth_redirect, payload)
        if request.wants_json:
            instructions = _instructions(key_request.application_name)
            return Response.json({"payload": payload, "instructions": instructions})
        return _payload_page(key_request.application_name, payload)

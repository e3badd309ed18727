"""Logging in to a Discourse forum with a User API key, without a browser on this machine.

The flow (Discourse's "User API keys specification"; ``docs/discourse-lemmy-api.md`` 2.2):

1. :meth:`LoginRequest.start` makes a fresh RSA key pair (2048 bits) and a random nonce.
2. The user opens :attr:`LoginRequest.authorize_url` in any browser where they are logged in
   to the forum (a phone will do) and presses *Authorize*.
3. With no ``auth_redirect`` the forum shows the payload: the JSON
   ``{"key", "nonce", "push", "api"}`` encrypted with our public key (RSA PKCS#1 v1.5) and
   base64-encoded with a line break every 60 characters.
4. The user pastes it; :meth:`LoginRequest.accept` finds it in the pasted text, decrypts it,
   checks the nonce and returns the key as a ``Secret``.

No admin set-up is needed (a redirect back to termforum would need the forum's admin to allow
it). The private key lives only in memory, for one attempt.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import json
import os
import re
import secrets
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlencode

from termforum.auth import SCOPES, Secret
from termforum.errors import TermforumError

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

__all__ = [
    "APPLICATION_NAME",
    "KEY_BITS",
    "SCOPES",
    "LoginError",
    "LoginRequest",
    "extract_payload",
    "local_browser_available",
    "read_pasted_payload",
]

APPLICATION_NAME = "termforum"
"""How the forum names termforum on its authorization page and in the user's app list."""
KEY_BITS = 2048
"""RSA key size; Discourse's payload needs at least 2048 bits (1024 holds only 117 bytes)."""
API_VERSION = 4
"""The User API key protocol version termforum speaks (the payload's ``api``)."""

_BASE64_LINE = re.compile(r"^[A-Za-z0-9+/=]+$")


class LoginError(TermforumError):
    """A login attempt that cannot go on, in one sentence that says what to do."""


@dataclass(frozen=True, slots=True)
class LoginRequest:
    """One attempt to get a User API key: the key pair and nonce it is bound to."""

    forum_url: str
    client_id: str
    nonce: str
    scopes: tuple[str, ...] = SCOPES
    application_name: str = APPLICATION_NAME
    _private_key: RSAPrivateKey | None = field(default=None, repr=False, compare=False)

    @classmethod
    def start(
        cls,
        forum_url: str,
        client_id: str,
        *,
        scopes: Iterable[str] = SCOPES,
        application_name: str = APPLICATION_NAME,
    ) -> LoginRequest:
        """A new attempt with a fresh key pair and nonce (takes a few tens of milliseconds)."""
        from cryptography.hazmat.primitives.asymmetric import rsa

        wanted = tuple(dict.fromkeys(scope.strip() for scope in scopes if scope.strip()))
        if not wanted:
            raise LoginError("Ask for at least one scope, such as read.")
        private_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        return cls(
            forum_url=forum_url.rstrip("/"),
            client_id=client_id,
            nonce=secrets.token_hex(16),
            scopes=wanted,
            application_name=application_name,
            _private_key=private_key,
        )

    @property
    def public_key_pem(self) -> str:
        """The public key, PEM (SubjectPublicKeyInfo), as sent to the forum."""
        from cryptography.hazmat.primitives import serialization

        return (
            self._key()
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
        )

    @property
    def authorize_url(self) -> str:
        """The page where the user approves termforum (open it in any logged-in browser)."""
        query = urlencode(
            {
                "application_name": self.application_name,
                "client_id": self.client_id,
                "scopes": ",".join(self.scopes),
                "public_key": self.public_key_pem,
                "nonce": self.nonce,
            }
        )
        return f"{self.forum_url}/user-api-key/new?{query}"

    @property
    def payload_length(self) -> int:
        """How many base64 characters the forum's payload has (without line breaks)."""
        size = KEY_BITS // 8
        return 4 * ((size + 2) // 3)

    def accept(self, pasted: str) -> Secret:
        """The key in the payload the user pasted; ``LoginError`` when it is not usable."""
        from cryptography.hazmat.primitives.asymmetric import padding

        payload = extract_payload(pasted)
        if not payload:
            raise LoginError(
                "Nothing that looks like the forum's payload was pasted: copy the whole block "
                "of letters and digits the forum shows after you press Authorize."
            )
        try:
            sealed = base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            sealed = b""
        if len(sealed) != KEY_BITS // 8:
            raise LoginError(
                f"The pasted text is not a whole payload (it has {len(payload)} of "
                f"{self.payload_length} characters): copy the complete block and try again."
            )
        try:
            # OpenSSL may answer a wrong ciphertext with random bytes instead of an error
            # (implicit rejection), so a failure can also surface as unreadable JSON below.
            data = json.loads(self._key().decrypt(sealed, padding.PKCS1v15()))
        except (ValueError, UnicodeDecodeError):
            data = None
        if not isinstance(data, Mapping):
            raise LoginError(
                "This payload was made for another login attempt (an earlier address?): open "
                "the address shown for this attempt, authorize, and paste the new text."
            )
        nonce = data.get("nonce")
        if not isinstance(nonce, str) or not hmac.compare_digest(nonce, self.nonce):
            raise LoginError(
                "The payload does not belong to this login attempt (its nonce differs): open "
                "the address shown for this attempt and paste the text it gives."
            )
        key = data.get("key")
        if not isinstance(key, str) or not key.strip():
            raise LoginError("The forum's payload holds no key; try logging in again.")
        return Secret(key.strip())

    def _key(self) -> RSAPrivateKey:
        if self._private_key is None:
            raise LoginError("This login attempt has no key pair; start a new one.")
        return self._private_key


def extract_payload(pasted: str) -> str:
    """The base64 payload in pasted text: the longest run of consecutive base64-only lines
    (the forum breaks it every 60 characters), joined; ``""`` when there is none.

    Text around it (instructions copied along, a prompt) is ignored, and a payload copied
    from a redirect address (``payload=...%2B...``) is unescaped.
    """
    text = unquote(pasted) if "%" in pasted else pasted
    text = text.replace("payload=", "\n")
    best: list[str] = []
    run: list[str] = []
    for raw_line in text.splitlines():
        line = "".join(raw_line.split())
        if line and _BASE64_LINE.match(line):
            run.append(line)
            if sum(map(len, run)) > sum(map(len, best)):
                best = list(run)
        else:
            run = []
    return "".join(best)


def read_pasted_payload(lines: Iterable[str], expected_length: int) -> str:
    """Read pasted lines until a whole payload has arrived, an empty line after some text,
    or the end of input; return what was read.

    The payload comes in several lines, so one ``input()`` is not enough; stopping as soon
    as ``expected_length`` base64 characters have arrived spares the user an extra Enter.
    """
    read: list[str] = []
    for line in lines:
        if not line.strip():
            if read:
                break
            continue
        read.append(line.rstrip("\n"))
        if len(extract_payload("\n".join(read))) >= expected_length:
            break
    return "\n".join(read)


def local_browser_available(
    environ: Mapping[str, str] | None = None, platform: str | None = None
) -> bool:
    """Whether a graphical browser can be opened on this machine for the user.

    Not over SSH (the browser would open on the remote machine, if anywhere), and on Linux
    and the BSDs only with a display; text-mode browsers would take over the terminal.
    """
    env = os.environ if environ is None else environ
    system = sys.platform if platform is None else platform
    if env.get("SSH_CONNECTION") or env.get("SSH_TTY"):
        return False
    if system == "darwin" or system.startswith("win"):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))

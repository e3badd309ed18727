"""``termforum login``, ``logout`` and ``accounts``: the account commands of the command line.

They talk to the user on plain stdin/stdout (no TUI: they must work in any SSH session and in
scripts). Every expected failure raises a ``TermforumError`` whose one sentence ``cli.main``
prints; keys are never printed.
"""

from __future__ import annotations

import asyncio
import getpass
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from termforum.auth import Credentials, Secret
from termforum.credstore import CredentialError
from termforum.errors import ConfigError, ForumError, NotFound
from termforum.login import (
    SCOPES,
    LoginRequest,
    local_browser_available,
    read_pasted_payload,
)

if TYPE_CHECKING:
    from termforum.accounts import Accounts, LoginOutcome
    from termforum.config import ForumConfig

__all__ = ["Console", "accounts_command", "login_command", "logout_command"]


@dataclass
class Console:
    """Where the commands read and write (the process's streams; tests pass others)."""

    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)

    def say(self, text: str = "") -> None:
        """A line for the user on stdout."""
        print(text, file=self.stdout, flush=True)

    def warn(self, text: str) -> None:
        """A line for the user on stderr (warnings, partial failures)."""
        print(f"termforum: {text}", file=self.stderr, flush=True)

    def ask(self, prompt: str) -> str:
        """One line of input ('' at the end of input)."""
        self.stdout.write(prompt)
        self.stdout.flush()
        return self.stdin.readline().strip()

    def ask_secret(self, prompt: str) -> str:
        """A secret line, not echoed when stdin is a terminal."""
        if self.stdin is sys.stdin and sys.stdin.isatty():
            return getpass.getpass(prompt, stream=self.stderr).strip()
        return self.ask(prompt)

    @property
    def interactive(self) -> bool:
        """Whether a person is typing (stdin is a terminal)."""
        return bool(getattr(self.stdin, "isatty", lambda: False)())


# --- login ---------------------------------------------------------------------------------


def login_command(
    accounts: Accounts,
    wanted: str,
    *,
    api_key: bool = False,
    username: str | None = None,
    scopes: tuple[str, ...] = SCOPES,
    browser: bool | None = None,
    console: Console | None = None,
) -> int:
    """Log in to the forum ``wanted`` (a name or URL) and store the key; the exit code."""
    io = console or Console()
    forum = accounts.find(wanted)
    if forum.auth == "anonymous":
        raise ConfigError(
            f'The config file sets auth = "anonymous" for {forum.name}; remove that line to use '
            "a login there."
        )
    if api_key or forum.auth == "api_key":
        credentials = _ask_admin_key(io, forum, username)
    else:
        credentials = _user_api_key(io, accounts, forum, scopes, browser)
    outcome = asyncio.run(_verify(accounts, forum, credentials))
    io.say(
        f"Logged in to {forum.name} as {outcome.user.username}; the key is kept in "
        f"{_storage_words(outcome.saved.storage, accounts)}."
    )
    if outcome.saved.warning:
        io.warn(outcome.saved.warning)
    return 0


def _user_api_key(
    io: Console,
    accounts: Accounts,
    forum: ForumConfig,
    scopes: tuple[str, ...],
    browser: bool | None,
) -> Credentials:
    asyncio.run(_probe(accounts, forum))
    request = LoginRequest.start(forum.url, accounts.client_id(), scopes=scopes)
    io.say(f"To log in to {forum.name} ({forum.url}):")
    io.say()
    io.say("1. Open this address in a browser where you are logged in to the forum")
    io.say("   (any device will do, a phone too):")
    io.say()
    io.say(request.authorize_url)
    io.say()
    io.say('2. Press "Authorize". The forum then shows a block of letters and digits.')
    io.say("3. Copy all of it and paste it here. termforum reads it when it is complete")
    io.say("   (or press Enter on an empty line).")
    _maybe_open_browser(io, request.authorize_url, browser)
    io.say()
    io.stdout.write("Paste: ")
    io.stdout.flush()
    pasted = read_pasted_payload(iter(io.stdin.readline, ""), request.payload_length)
    key = request.accept(pasted)
    return Credentials("user_api_key", key, None, request.client_id)


def _maybe_open_browser(io: Console, url: str, browser: bool | None) -> None:
    """Open ``url`` in a local browser when asked to, or when one exists and the user agrees."""
    if browser is False or (browser is None and not local_browser_available()):
        return
    if browser is None:
        if not io.interactive:
            return
        answer = io.ask("Open it in your browser now? [Y/n] ").lower()
        if answer not in ("", "y", "yes"):
            return
    import webbrowser

    if not webbrowser.open(url):
        io.warn("no browser could be opened here; open the address yourself.")


def _ask_admin_key(io: Console, forum: ForumConfig, username: str | None) -> Credentials:
    io.say(
        f"An admin API key for {forum.name} is made by an admin in the forum's "
        "Admin > API > Keys page."
    )
    who = username or forum.username or io.ask("User name to act as: ")
    if not who:
        raise ConfigError("An admin API key needs a user name to act as; none was given.")
    key = io.ask_secret("Admin API key (not shown): ")
    if not key:
        raise ConfigError("No API key was given; nothing was stored.")
    return Credentials("api_key", Secret(key), who)


async def _probe(accounts: Accounts, forum: ForumConfig) -> None:
    """Fail early, before the browser dance, when the forum is unreachable or has no User
    API keys."""
    from termforum.net import make_client, send

    async with make_client(forum.url) as http:
        request = http.build_request("HEAD", f"{forum.url}/user-api-key/new")
        response = await send(http, request)
    if response.status_code in (404, 410):
        raise NotFound(
            f"{forum.url} does not offer Discourse User API keys (HTTP "
            f"{response.status_code}); check the address, or use --api-key with an admin key."
        )


async def _verify(accounts: Accounts, forum: ForumConfig, credentials: Credentials) -> LoginOutcome:
    from termforum.errors import AuthError

    service = accounts.open(forum, credentials)
    try:
        return await accounts.complete_login(forum, service, credentials)
    except AuthError as error:
        raise AuthError(
            f"{forum.name} refused the new key ({error}); nothing was stored."
        ) from None
    finally:
        await service.aclose()


def _storage_words(storage: str, accounts: Accounts) -> str:
    if storage == "keyring":
        return "the OS keyring"
    return f"the file {accounts.store.path} (readable only by you)"


# --- logout --------------------------------------------------------------------------------


def logout_command(accounts: Accounts, wanted: str, *, console: Console | None = None) -> int:
    """Revoke the forum's key on the forum and delete it here (even when revoking fails)."""
    io = console or Console()
    forum = accounts.find(wanted)
    stored = accounts.store.account(forum.url)
    if stored is None:
        io.say(f"Not logged in to {forum.name}; nothing to do.")
        return 0
    problem: str | None = None
    try:
        credentials = accounts.store.load(forum.url)
    except CredentialError as error:
        credentials, problem = None, f"the key could not be read to revoke it ({error})"
    if credentials is not None and credentials.kind == "user_api_key":
        try:
            asyncio.run(_revoke(accounts, forum, credentials))
        except ForumError as error:
            problem = f"the forum could not revoke the key ({error})"
    elif credentials is not None:
        problem = "admin API keys are revoked by an admin in the forum's API settings"
    accounts.store.delete(forum.url)
    where = stored.where
    if problem is None:
        io.say(
            f"Logged out of {forum.name}: the key was revoked on the forum and deleted from "
            f"{where}."
        )
        return 0
    io.say(f"Logged out of {forum.name}: the key was deleted from {where}.")
    revoke_page = f"{forum.url}/my/preferences/apps"
    io.warn(
        f"{problem[0].upper()}{problem[1:]}; to be sure it no longer works, revoke it at "
        f"{revoke_page}."
    )
    return 1


async def _revoke(accounts: Accounts, forum: ForumConfig, credentials: Credentials) -> None:
    service = accounts.open(forum, credentials)
    try:
        await service.backend.revoke_key()
    finally:
        await service.aclose()


# --- accounts ------------------------------------------------------------------------------


def accounts_command(accounts: Accounts, *, console: Console | None = None) -> int:
    """List the known forums, who termforum is there, and where each key is kept."""
    io = console or Console()
    rows = [("FORUM", "ADDRESS", "USER", "SIGNS IN WITH", "KEY KEPT IN")]
    for account in accounts.accounts():
        rows.append(
            (
                account.forum.name,
                account.forum.url,
                account.username or "-",
                account.how,
                account.where,
            )
        )
    if len(rows) == 1:
        io.say(
            "No forums yet: add a [forums.NAME] table to the config file, or run "
            "'termforum login URL'."
        )
        return 0
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
        io.say("  ".join([*cells, row[-1]]).rstrip())
    status = accounts.store.keyring_status()
    if status is not None:
        io.say()
        io.say(f"The OS keyring {status}: keys are kept in {accounts.store.path} (mode 0600).")
    return 0

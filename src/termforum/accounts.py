"""The forums termforum knows, the account on each, and how to open one.

A forum is known from the config file (``[forums.NAME]``) or from a login stored by
``termforum login URL`` for an address the config does not name (it is then named after
its host, as ``--forum URL`` names it). The credential store holds the keys;
:class:`Accounts` joins the two and is what the command line and the TUI's forum switcher
use. It never imports Textual.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from termforum.auth import ANONYMOUS, Credentials
from termforum.config import Config, ForumConfig, forum_from_url
from termforum.credstore import CredentialStore, SaveResult, StoredAccount
from termforum.errors import AuthError, ConfigError

if TYPE_CHECKING:
    import httpx

    from termforum.backends import Backend
    from termforum.models import User
    from termforum.netpolicy import RequestPolicy
    from termforum.service import ForumService
    from termforum.store import Cache

__all__ = ["Account", "Accounts", "LoginOutcome"]


@dataclass(frozen=True, slots=True)
class Account:
    """One known forum and what is stored for it."""

    forum: ForumConfig
    stored: StoredAccount | None

    @property
    def username(self) -> str | None:
        """Who termforum speaks as there (None: anonymous)."""
        if self.forum.auth == "anonymous" or self.stored is None:
            return None
        return self.stored.username or self.forum.username

    @property
    def how(self) -> str:
        """How termforum signs in there, in words."""
        if self.forum.auth == "anonymous":
            return "anonymous (config says so)"
        if self.stored is None:
            return "anonymous (not logged in)"
        return Credentials(self.stored.kind).description

    @property
    def where(self) -> str:
        """Where the key is kept ("-" when there is none)."""
        return self.stored.where if self.stored is not None else "-"


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    """A finished login: who the forum says we are and where the key went."""

    user: User
    saved: SaveResult


class Accounts:
    """Known forums (config + stored logins) and their credentials."""

    def __init__(
        self,
        config: Config,
        store: CredentialStore | None = None,
        *,
        cache: Cache | None = None,
        use_cache: bool = True,
    ) -> None:
        self.config = config
        self.store = store if store is not None else CredentialStore(mode=config.credential_store)
        self._given: dict[str, Credentials] = {}
        self._cache = cache
        self._use_cache = use_cache
        self.offline = False
        """Open every forum offline (``--offline``): the cache only, no request."""
        self.cache_key: str | None = None
        """The forum address the cache files this forum's data under (default: its URL)."""

    @property
    def cache(self) -> Cache | None:
        """The local cache shared by every forum (opened on first use; None when off)."""
        if self._cache is None and self._use_cache:
            from termforum.store import Cache

            self._cache = Cache.open()
        return self._cache

    @property
    def cache_notice(self) -> str | None:
        """What happened to a damaged cache file when it was opened (one sentence), if any."""
        return self._cache.notice if self._cache is not None else None

    def on_cache_damage(self, report: Callable[[str], None]) -> str | None:
        """Have ``report`` called (on the checking thread) with one sentence if the cache
        file turns out damaged; returns that sentence when the check has found it already."""
        cache = self._cache
        if cache is None:
            return None
        cache.on_damage = report
        return cache.damage

    def close(self) -> None:
        """Close the cache."""
        if self._cache is not None:
            self._cache.close()
            self._cache = None

    @classmethod
    def single(
        cls,
        forum: ForumConfig,
        credentials: Credentials,
        *,
        cache_key: str | None = None,
        use_cache: bool = True,
    ) -> Accounts:
        """Only ``forum``, speaking as ``credentials`` held in memory (the built-in demo,
        whose address and key change at every start and are never stored); ``cache_key``
        files its cached data under a stable name instead of the changing address."""
        accounts = cls(Config(forums={forum.name: forum}), use_cache=use_cache)
        accounts._given[forum.url] = credentials
        accounts.cache_key = cache_key
        return accounts

    @property
    def fixed(self) -> bool:
        """Whether these are in-memory accounts that logging in cannot change (the demo)."""
        return bool(self._given)

    # --- which forums ---------------------------------------------------------------------

    def forums(self) -> list[ForumConfig]:
        """Config forums in file order, then forums only a stored login knows, by address."""
        known = list(self.config.forums.values())
        if self.fixed:
            return known
        urls = {forum.url for forum in known}
        for stored in self.store.accounts():
            if stored.forum_url not in urls:
                urls.add(stored.forum_url)
                known.append(forum_from_url(stored.forum_url))
        return known

    def accounts(self) -> list[Account]:
        """Every known forum with its stored login (if any)."""
        if self.fixed:
            return [Account(forum, None) for forum in self.forums()]
        return [Account(forum, self.store.account(forum.url)) for forum in self.forums()]

    def find(self, wanted: str) -> ForumConfig:
        """The forum a user means by ``wanted``: a config name, a stored login's host, or
        any forum URL (a config forum with that address keeps its name and settings)."""
        forums = self.forums()
        for forum in forums:
            if forum.name == wanted:
                return forum
        if "://" in wanted or "." in wanted or ":" in wanted:
            target = forum_from_url(wanted)
            for forum in forums:
                if forum.url == target.url:
                    return forum
            return target
        names = ", ".join(forum.name for forum in forums) or "none configured"
        raise ConfigError(f'No forum named "{wanted}" (known: {names}).')

    def initial(self, wanted: str | None) -> ForumConfig:
        """The forum to open: ``wanted``, else ``default_forum``, else the only one known."""
        if wanted:
            return self.find(wanted)
        if self.config.default_forum is not None:
            return self.find(self.config.default_forum)
        forums = self.forums()
        if len(forums) == 1:
            return forums[0]
        if not forums:
            raise ConfigError(
                "No forum chosen: try 'termforum --demo', 'termforum --forum "
                "https://meta.discourse.org', or add a [forums.NAME] table to your config file."
            )
        names = ", ".join(forum.name for forum in forums)
        raise ConfigError(
            f"Several forums are known ({names}): choose one with --forum NAME, or set "
            "default_forum in the config file."
        )

    # --- credentials -----------------------------------------------------------------------

    def credentials(self, forum: ForumConfig) -> Credentials:
        """What to sign requests to ``forum`` with: the stored login unless the config says
        ``auth = "anonymous"``; anonymous when nothing is stored.

        Raises ``CredentialError`` when a stored key cannot be read (a locked keyring, a
        damaged file): that is said, not silently replaced by anonymous reading.
        """
        if forum.url in self._given:
            return self._given[forum.url]
        if forum.auth == "anonymous":
            return ANONYMOUS
        stored = self.store.load(forum.url)
        return stored if stored is not None else ANONYMOUS

    def open(self, forum: ForumConfig, credentials: Credentials | None = None) -> ForumService:
        """A service for ``forum`` speaking as ``credentials`` (default: its stored login).

        Its HTTP client and backend are built at the first request (``ForumService.backend``),
        so a start from the cache never waits for the HTTP stack to load."""
        from termforum.service import ForumService

        if credentials is None:
            credentials = self.credentials(forum)
        network = self.config.network
        policy = self.request_policy(forum)

        def connect(speaking_as: Credentials) -> tuple[Backend, httpx.AsyncClient]:
            from termforum.backends import create_backend
            from termforum.net import Timeouts, base_transport, make_client
            from termforum.policy_transport import PolicyTransport

            timeouts = Timeouts(connect=network.connect_timeout, read=network.read_timeout)
            transport = PolicyTransport(base_transport(forum.url), policy)
            http = make_client(forum.url, timeouts=timeouts, transport=transport)
            backend = create_backend(forum.backend, forum.url, http=http, credentials=speaking_as)
            return backend, http

        return ForumService(
            forum.name,
            forum.url,
            connect=connect,
            credentials=credentials,
            cache=self.cache,
            cache_key=self.cache_key,
            offline=self.offline,
            policy=policy,
        )

    @staticmethod
    def request_policy(forum: ForumConfig) -> RequestPolicy:
        """The network manners for ``forum``: Discourse's default limits for each kind of
        credentials, or the forum's own ``rate_limits`` from the config."""
        from termforum.netpolicy import BUDGETS, RequestPolicy, parse_rate_limits

        budgets = dict(BUDGETS)
        if forum.rate_limits:
            windows = parse_rate_limits(forum.rate_limits)
            budgets = {kind: windows for kind in BUDGETS}
        return RequestPolicy(budgets=budgets)

    def client_id(self) -> str:
        """This installation's User API key client id."""
        return self.store.client_id()

    async def complete_login(
        self, forum: ForumConfig, service: ForumService, credentials: Credentials
    ) -> LoginOutcome:
        """Check ``credentials`` against the forum, then store them and keep using them.

        The forum is asked who the key belongs to; a key it refuses is not stored (``AuthError``)
        and ``service`` goes back to the credentials it had.
        """
        previous = service.credentials
        service.use_credentials(credentials)
        try:
            user = await service.backend.me()
        except BaseException:
            service.use_credentials(previous)
            raise
        if user is None:
            service.use_credentials(previous)
            raise AuthError("The forum did not say who this key belongs to; it was not saved.")
        confirmed = replace(credentials, username=user.username)
        saved = self.store.save(forum.url, confirmed)
        service.use_credentials(confirmed)
        return LoginOutcome(user, saved)

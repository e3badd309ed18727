"""The main screen's accounts side: the forums list, switching forums, logging in.

A mixin of :class:`~termforum.ui.screens.main.MainScreen` (which provides ``service``, the
panes, ``load_start`` and the other loaders); kept apart so each file has one job.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import work
from textual.binding import Binding

from termforum.errors import TermforumError
from termforum.plain import text
from termforum.ui.bindings import key_for
from termforum.ui.widgets.forums import ForumEntry, ForumList

if TYPE_CHECKING:
    from termforum.accounts import Accounts, LoginOutcome
    from termforum.config import ForumConfig

__all__ = ["AccountsMixin"]


class AccountsMixin:
    """Forums list, forum switching and the login screen, for the main screen."""

    # ------------------------------------------------------------------ forums

    @property
    def accounts(self) -> Accounts | None:
        """The app's known forums and logins (``None`` in an app that has none)."""
        return getattr(self.app, "accounts", None)

    @property
    def forum(self) -> ForumConfig:
        """The config of the forum on screen."""
        from termforum.config import ForumConfig

        forum: ForumConfig | None = getattr(self.app, "forum", None)
        if forum is None or forum.url != self.service.url:
            return ForumConfig(name=self.service.name, url=self.service.url)
        return forum

    @work(exclusive=True, group="forums", exit_on_error=False)
    async def load_forums(self) -> None:
        """List the known forums (reading the credential store off the event loop)."""
        accounts = self.accounts
        if accounts is None:
            return
        try:
            known = await asyncio.to_thread(accounts.accounts)
        except (TermforumError, OSError) as error:
            self.log.warning("could not list forums", error=repr(error))
            return
        url = self.service.url
        entries = [
            ForumEntry(
                account.forum,
                self.service.username if account.forum.url == url else account.username,
                account.forum.url == url,
            )
            for account in known
        ]
        if not any(entry.current for entry in entries):
            entries.insert(0, ForumEntry(self.forum, self.service.username, True))
        self.forums_pane.set_forums(entries)

    def on_forum_list_chosen(self, event: ForumList.Chosen) -> None:
        """A forum was chosen in the forums list: switch to it."""
        if event.entry.current:
            self.groups_pane.focus()
        else:
            self.switch_forum(event.entry.forum)

    def switch_forum(self, forum: ForumConfig) -> None:
        """Show ``forum`` instead of this one (the app builds its service and a new screen)."""
        switch = getattr(self.app, "switch_forum", None)
        if switch is not None:
            # The app's worker, not this screen's: switching removes this screen.
            self.app.run_worker(
                switch(forum), group="switch-forum", exclusive=True, exit_on_error=False
            )

    # ------------------------------------------------------------------ logging in

    def _login_key(self) -> str:
        """The key that opens the login screen now (after the user's keymap)."""
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        return self.app.get_key_display(Binding(key_for("login", keymap), ""))

    def _login_refusal(self) -> str | None:
        """Why logging in is not offered here (``None``: it is)."""
        accounts = self.accounts
        forum = self.forum
        name = forum.name
        if accounts is None or accounts.fixed:
            if self.service.username:
                return (
                    f"The {name} forum already signs you in as its demo account "
                    f"({text(self.service.username).plain})."
                )
            return f"Logging in is not offered for {name} in this session."
        if forum.auth == "anonymous":
            return (
                f'The config file sets auth = "anonymous" for {name}; remove that line to '
                "log in there."
            )
        if forum.auth == "api_key":
            return (
                f'{name} is set up for an admin API key (auth = "api_key"): run '
                f"'termforum login {name} --api-key' in a shell."
            )
        return None

    def _login_open(self) -> bool:
        from termforum.ui.screens.login import LoginScreen

        return any(isinstance(screen, LoginScreen) for screen in self.app.screen_stack)

    def action_login(self) -> None:
        """Log in to this forum (or say why that is not offered here)."""
        refusal = self._login_refusal()
        if refusal is not None:
            self.notify(refusal, markup=False, timeout=6)
            return
        self.open_login()

    def open_login(self, reason: str | None = None) -> bool:
        """Show the login screen for this forum, with ``reason`` at its top; False when it is
        not offered or already up."""
        from termforum.ui.screens.login import LoginScreen

        accounts = self.accounts
        if accounts is None or self._login_refusal() is not None or self._login_open():
            return False
        screen = LoginScreen(accounts, self.forum, self.service, reason=reason)
        self.app.push_screen(screen, self._logged_in)
        return True

    def _offer_login(self) -> bool:
        """After a refused request: the login screen with the reason, once per forum."""
        offered: set[str] | None = getattr(self.app, "login_offered", None)
        if offered is None or self.service.url in offered:
            return False
        if self._login_refusal() is not None or self._login_open():
            return False
        offered.add(self.service.url)
        name = self.forum.name
        if self.service.logged_in:
            reason = f"{name} refused your key: it may have been revoked."
        else:
            reason = f"{name} shows its content only to members: log in to read it."
        return self.open_login(reason)

    def _logged_in(self, outcome: LoginOutcome | None) -> None:
        """Say who we are now and reload, so that logged-in views and writing work at once."""
        if outcome is None:
            return
        accounts = self.accounts
        if outcome.saved.storage == "keyring":
            where = "the OS keyring"
        else:
            path = getattr(accounts.store, "path", None) if accounts is not None else None
            where = f"the file {path}" if path is not None else "a private file"
        user = text(outcome.user.username).plain
        self.notify(
            f"Logged in to {self.forum.name} as {user} (key kept in {where}).",
            markup=False,
            timeout=8,
        )
        if outcome.saved.warning:
            self.notify(outcome.saved.warning, severity="warning", markup=False, timeout=10)
        self._stale = set(self._opened)
        self._update_title()
        self.load_forums()
        self.load_start(refresh=True)
        if self.reading and self._topic is not None:
            self._stale.discard(self._topic.id)
            self.refresh_topic()

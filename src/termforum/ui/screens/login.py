"""Log in to a Discourse forum from inside termforum, without a browser on this machine.

The screen shows the address of the forum's authorization page (any browser where the user is
logged in to the forum will do: a phone too), lets the user copy it (OSC 52, which many
terminals honour over SSH) or open it in a local browser when there is one, and takes the
text the forum shows after *Authorize* in a paste box. The key pair is made and the key is
checked with the forum in workers; a bad paste or a refused key is said in one sentence and
the pasted text stays for another try. Dismissed with the ``LoginOutcome``, or ``None``.
"""

from __future__ import annotations

import asyncio

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from termforum.accounts import Accounts, LoginOutcome
from termforum.auth import Credentials
from termforum.config import ForumConfig
from termforum.errors import AuthError, ForumError, TermforumError
from termforum.login import LoginError, LoginRequest, extract_payload, local_browser_available
from termforum.plain import text
from termforum.service import ForumService
from termforum.ui.bindings import LOGIN_BINDINGS
from termforum.ui.styles import SCREENS_CSS

__all__ = ["LoginScreen"]

CHECKING = "Checking with the forum…"
"""What the status line says while the forum is asked about the new key."""


class LoginScreen(ModalScreen[LoginOutcome | None]):
    """Log in to ``forum`` with a User API key; ``service`` is switched to it on success.

    Args:
        accounts: Where the key is stored (and this installation's client id).
        forum: The forum to log in to.
        service: The open service for ``forum``.
        reason: Why the screen opened by itself (a refused key), shown at the top.
        browser: Whether to offer opening a local browser (default: when one exists).
    """

    CSS_PATH = SCREENS_CSS

    BINDINGS = list(LOGIN_BINDINGS)

    def __init__(
        self,
        accounts: Accounts,
        forum: ForumConfig,
        service: ForumService,
        *,
        reason: str | None = None,
        browser: bool | None = None,
    ) -> None:
        super().__init__()
        self.accounts = accounts
        self.forum = forum
        self.service = service
        self.reason = reason
        self.browser = local_browser_available() if browser is None else browser
        self.request: LoginRequest | None = None
        """The current attempt (``None`` while its key pair is being made)."""
        self.checking = False
        """True while the forum is asked about a pasted key."""

    # ------------------------------------------------------------------ layout

    def compose(self) -> ComposeResult:
        name = text(self.forum.name, "bold")
        with Vertical(id="login-box"):
            if self.reason:
                yield Static(text(self.reason), id="login-reason")
            yield Static(
                Content.assemble(
                    ("1. ", "bold"),
                    "Open this address in any browser where you are logged in to ",
                    name,
                    " (a phone will do):",
                ),
                classes="login-step",
            )
            with VerticalScroll(id="login-address"):
                yield Static(Content.styled("Making a new address…", "dim italic"), id="login-url")
            yield Static(
                Content.assemble(
                    ("2. ", "bold"),
                    "Press Authorize there; the forum then shows a block of text.",
                ),
                classes="login-step",
            )
            yield TextArea(
                soft_wrap=True, tab_behavior="focus", show_line_numbers=False, id="login-paste"
            )
            yield Static(id="login-status")
            with Horizontal(id="login-actions"):
                yield Button("Log in", id="login-submit", variant="primary", compact=True)
                yield Static(self._hints(), id="login-keys")

    def on_mount(self) -> None:
        box = self.query_one("#login-box")
        box.border_title = Content.assemble("Log in to ", text(self.forum.name))
        # Admin API keys are not typed into the TUI: the command line takes them.
        box.border_subtitle = Content.assemble(
            "admin API key: ", text(f"termforum login {self.forum.name} --api-key")
        )
        paste = self.query_one("#login-paste", TextArea)
        paste.border_title = Content.assemble(
            "3. Paste that text here, then press ", (self._key("login_submit"), "bold")
        )
        paste.cursor_blink = False
        paste.focus()
        self.new_request()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100 or self.size.height < 30, "-narrow")

    def _key(self, binding_id: str) -> str:
        """The first key bound to ``binding_id`` now (after the user's keymap)."""
        binding = next(b for b in LOGIN_BINDINGS if b.id == binding_id)
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        first = keymap.get(binding_id, binding.key).split(",")[0].strip()
        return self.app.get_key_display(Binding(first, ""))

    def _hints(self) -> Content:
        hints = [
            ("login_submit", "log in"),
            ("login_copy", "copy address"),
            ("login_browser", "open in browser"),
            ("login_new_address", "new address"),
            ("login_cancel", "cancel"),
        ]
        parts: list[Content] = []
        for binding_id, words in hints:
            if binding_id == "login_browser" and not self.browser:
                continue
            parts.append(Content.assemble((self._key(binding_id), "bold"), " ", words))
        return Content("  ").join(parts)

    # ------------------------------------------------------------------ status

    @property
    def status(self) -> str:
        """The status line as plain text (an error, progress, or nothing)."""
        return self.query_one("#login-status", Static).render().plain  # type: ignore[union-attr]

    def _say(self, sentence: str, *, error: bool = False) -> None:
        status = self.query_one("#login-status", Static)
        status.set_class(error, "-error")
        status.update(Content(sentence))

    @property
    def pasted(self) -> str:
        """What is in the paste box."""
        return self.query_one("#login-paste", TextArea).text

    # ------------------------------------------------------------------ the attempt

    @work(exclusive=True, group="login-request", exit_on_error=False)
    async def new_request(self) -> None:
        """Make a fresh key pair and nonce (a new address to open)."""
        self.request = None
        self.query_one("#login-url", Static).update(
            Content.styled("Making a new address…", "dim italic")
        )
        try:
            client_id = await asyncio.to_thread(self.accounts.client_id)
            request = await asyncio.to_thread(LoginRequest.start, self.forum.url, client_id)
        except TermforumError as error:
            self._say(text(error.message).plain, error=True)
            return
        self.request = request
        self.query_one("#login-url", Static).update(Content(request.authorize_url))

    def action_new_address(self) -> None:
        """Start over with a new address (an earlier payload then no longer fits)."""
        if self.checking:
            return
        self.query_one("#login-paste", TextArea).clear()
        self._say("This is a new address: open it, authorize, and paste the new text.")
        self.new_request()

    def action_copy_address(self) -> None:
        """Copy the address to the clipboard (OSC 52: works over SSH in many terminals)."""
        if self.request is None:
            return
        self.app.copy_to_clipboard(self.request.authorize_url)
        self.notify("Address copied.", markup=False, timeout=3)

    def action_open_browser(self) -> None:
        """Open the address in this machine's browser."""
        if self.request is not None:
            self._open_browser(self.request.authorize_url)

    @work(group="login-browser", exit_on_error=False)
    async def _open_browser(self, url: str) -> None:
        import webbrowser

        if not await asyncio.to_thread(webbrowser.open, url):
            self._say("No browser could be opened here; open the address yourself.", error=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer opening a browser only where one can be opened."""
        if action == "open_browser":
            return self.browser
        return True

    @on(TextArea.Changed, "#login-paste")
    def _pasted(self, event: TextArea.Changed) -> None:
        if self.checking or self.request is None:
            return
        found = len(extract_payload(self.pasted))
        wanted = self.request.payload_length
        if found >= wanted:
            self._say(f"The whole text is here: press {self._key('login_submit')} to log in.")
        elif found:
            self._say(f"{found} of {wanted} characters so far.")

    @on(Button.Pressed, "#login-submit")
    def _button(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        """Read the pasted text and check the key in it with the forum."""
        if self.checking:
            return
        if self.request is None:
            self._say("The address is still being made; paste again in a moment.")
            return
        try:
            key = self.request.accept(self.pasted)
        except LoginError as error:
            self._say(error.message, error=True)
            return
        self.check(Credentials("user_api_key", key, None, self.request.client_id))

    @work(exclusive=True, group="login-check", exit_on_error=False)
    async def check(self, credentials: Credentials) -> None:
        """Ask the forum who the key belongs to; store it and finish when it answers."""
        self.checking = True
        self._say(CHECKING)
        self.query_one("#login-submit", Button).disabled = True
        previous = self.service.credentials
        try:
            outcome = await self.accounts.complete_login(self.forum, self.service, credentials)
        except AuthError:
            self._say(
                f"{self.forum.name} refused this key: authorize again, or press "
                f"{self._key('login_new_address')} for a new address.",
                error=True,
            )
            return
        except (TermforumError, OSError) as error:
            if not isinstance(error, ForumError):
                # The forum took the key but it could not be stored: keep the old login.
                self.service.use_credentials(previous)
            if isinstance(error, TermforumError):
                message = text(error.message).plain
            else:
                message = f"The key could not be saved ({error.strerror or error})."
            self._say(message, error=True)
            return
        finally:
            self.checking = False
            if self.is_attached:
                self.query_one("#login-submit", Button).disabled = False
        self.dismiss(outcome)

    def action_cancel(self) -> None:
        """Close without logging in."""
        self.dismiss(None)

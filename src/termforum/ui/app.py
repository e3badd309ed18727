"""TermforumApp: wiring only — styles, theme, keymap, the forum service's life (and switching
forums), the error hub."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

from rich.console import Console
from textual import on
from textual.app import App
from textual.theme import Theme
from textual.worker import Worker, WorkerState

from termforum import gcpause
from termforum.accounts import Accounts
from termforum.config import ForumConfig
from termforum.errors import ConfigError, TermforumError
from termforum.plain import text
from termforum.redact import ScrubbingWriter
from termforum.service import ForumService
from termforum.state import AppState, load_state, save_state
from termforum.ui.bindings import APP_BINDINGS
from termforum.ui.commands import ForumCommands
from termforum.ui.hangup import watch_for_hangup
from termforum.ui.styles import APP_CSS, styles_dir
from termforum.ui.themes import (
    apply_no_color,
    no_color_requested,
    register_themes,
    remember_theme,
    starting_theme,
    unknown_theme_sentence,
)

__all__ = ["TermforumApp", "styles_dir"]


class TermforumApp(App[str | None]):
    """The termforum terminal app: one forum at a time, switchable to the other known ones.

    Args:
        service: The forum to show first.
        theme: A theme name: Textual's or termforum's own (``termforum.ui.themes``). A theme
            picked in the palette since replaces it until the config names another one;
            ``NO_COLOR`` replaces it with no colour at all.
        keymap: Binding id → keys, from the ``[keymap]`` table of the config.
        mouse: Whether to capture the mouse.
        accounts: The known forums and logins (default: only ``service``'s forum, speaking as
            its credentials, which logging in cannot change).

    The app's result is ``None`` on a normal exit; with return code 2 it is the one sentence
    that explains why termforum could not start (the CLI prints it).
    """

    CSS_PATH = APP_CSS
    BINDINGS = list(APP_BINDINGS)
    COMMANDS = App.COMMANDS | {ForumCommands}
    ENABLE_COMMAND_PALETTE = True

    def __init__(
        self,
        service: ForumService,
        *,
        theme: str = "textual-dark",
        keymap: dict[str, str] | None = None,
        mouse: bool = True,
        accounts: Accounts | None = None,
    ) -> None:
        super().__init__()
        self.service = service
        """The forum on screen."""
        forum = ForumConfig(name=service.name, url=service.url)
        if accounts is None:
            accounts = Accounts.single(forum, service.credentials)
        self.accounts = accounts
        """Every known forum and its login."""
        configured = accounts.config.forums.get(service.name)
        if configured is not None and configured.url == service.url:
            forum = configured  # keeps its settings (auth = "anonymous", ...)
        self.forum: ForumConfig = forum
        """The config of the forum on screen."""
        self.title = self.forum.name  # until the forum says its own title
        self.login_offered: set[str] = set()
        """Forums (by URL) where a refused key already brought up the login screen."""
        self.keymap: dict[str, str] = dict(keymap or {})
        """The user's remapped keys (binding id → keys)."""
        self.mouse = mouse
        register_themes(self)
        if theme not in self.available_themes:
            raise ConfigError(unknown_theme_sentence(theme, self.available_themes))
        self.configured_theme = theme
        """The theme the config asks for (a theme picked in the palette may replace it)."""
        self.state: AppState = load_state()
        """What termforum remembers between runs (last group, view…), saved on exit."""
        no_color = no_color_requested(os.environ)
        self.theme = starting_theme(theme, self.state, self.available_themes, no_color=no_color)
        apply_no_color(self, no_color)
        self.set_keymap(self.keymap)
        self.animation_level = "none"
        # Crash reports go to stderr through a writer that masks every known key.
        self.error_console = Console(
            file=ScrubbingWriter(sys.__stderr__ or sys.stderr),  # type: ignore[arg-type]
            markup=False,
            highlight=False,
            stderr=True,
        )

    def _fatal_error(self) -> None:
        """Exit after an unhandled exception, with a traceback *without local variables*.

        Textual's own report shows locals (``show_locals=True``), and a local may be a
        request or a dict holding a forum key. Overrides a private method of the pinned
        Textual version; ``tests/e2e/test_login_flow.py`` checks that a crash never shows a key.
        """
        import rich
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        traceback = Traceback(show_locals=False, width=None, suppress=[rich])
        self._exit_renderables.append(
            Segments(self.console.render(traceback, self.console.options))
        )
        self._close_messages_no_wait()

    def on_mount(self) -> None:
        from termforum.ui.screens.main import MainScreen

        self._install_signal_handlers()
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        self.push_screen(MainScreen(self.service))
        self.call_after_refresh(gcpause.release)  # see termforum.gcpause
        notice = self.accounts.cache_notice or self.accounts.on_cache_damage(self._cache_damaged)
        if notice:
            self.notify(notice, severity="warning", markup=False, timeout=12)

    def _theme_changed(self, theme: Theme) -> None:
        """A theme picked at run time (the palette's "Change theme") is remembered."""
        if not self.no_color:  # under NO_COLOR the theme is termforum's choice, not the user's
            remember_theme(self.state, self.configured_theme, theme.name)

    def _cache_damaged(self, sentence: str) -> None:
        """The background check found the cache file damaged (called from its thread)."""
        with contextlib.suppress(RuntimeError):  # the app may be gone already
            self.call_from_thread(
                self.notify, sentence, severity="warning", markup=False, timeout=12
            )

    async def switch_forum(self, forum: ForumConfig) -> bool:
        """Show ``forum`` instead of the current one; False (said in one sentence) when its
        login cannot be read. The old forum's drafts are saved and its connection closed."""
        from termforum.ui.screens.main import MainScreen

        if forum.url == self.forum.url:
            return True
        if not isinstance(self.screen, MainScreen):
            return False
        try:
            credentials = await asyncio.to_thread(self.accounts.credentials, forum)
            service = self.accounts.open(forum, credentials)
        except TermforumError as error:
            self.notify(text(error.message).plain, severity="error", markup=False, timeout=8)
            return False
        old = self.service
        self.service, self.forum = service, forum
        self.state.last_forum = forum.name
        self.title = forum.name
        await self.switch_screen(MainScreen(service))
        old.drafts.flush_all()
        old.drafts.close_all()
        await old.aclose()
        return True

    def _install_signal_handlers(self) -> None:
        """Save every open draft when the terminal goes away (SIGHUP: a dropped SSH
        connection; or a hang-up without any signal, see ``termforum.ui.hangup``) or
        termforum is told to stop (SIGTERM); Textual handles none of them."""
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self._terminate, signum)
        stdin = sys.__stdin__
        if stdin is not None and not self.is_headless:
            with contextlib.suppress(OSError, ValueError):
                watch_for_hangup(stdin.fileno(), self._hung_up)

    def _hung_up(self) -> None:
        """The terminal is gone (called from the watcher's thread)."""
        with contextlib.suppress(RuntimeError):  # the app may be gone already
            self.call_from_thread(self._terminate, signal.SIGHUP)

    def _terminate(self, signum: int) -> None:
        failures = self.service.drafts.flush_all()
        for key, error in failures:
            self.log.error("draft not saved", draft=key.file_name, error=repr(error))
        self.exit(return_code=128 + signum)

    async def on_unmount(self) -> None:
        self.service.drafts.flush_all()  # a composer still open keeps its latest text
        self.service.drafts.close_all()
        self.state.last_forum = self.service.name
        try:
            save_state(self.state)
        except OSError as error:  # a full disk must not turn quitting into a crash
            self.log.warning("could not save state", error=repr(error))
        await self.service.aclose()

    def action_help(self) -> None:
        """Show every key binding."""
        from termforum.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        """A bug in a worker: say so in one sentence instead of dying with a traceback."""
        if event.state is WorkerState.ERROR and event.worker.error is not None:
            error = event.worker.error
            self.log.error("worker failed", worker=event.worker.name, error=repr(error))
            self.notify(
                f"Something went wrong ({type(error).__name__}); the rest of termforum works.",
                severity="error",
                markup=False,
            )

"""One cold start, in a process of its own: print when the first complete frame was made.

Run by ``bench_startup.py``, never imported by it. ``python startup_probe.py termforum``
starts termforum the way the ``termforum`` command does (config file, accounts, cache), but
headless; ``python startup_probe.py minimal`` starts a minimal Textual app with the same panes
and no data. Each prints ``time.monotonic()`` at its first complete frame (Linux's monotonic
clock is shared by every process, so the parent can subtract the moment it spawned this one)
and exits.

A frame is complete for termforum when the groups and the topics of the cached forum are on
screen; for the minimal app, when its screen is first drawn.
"""

from __future__ import annotations

import sys
import time


def _minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.containers import Horizontal, Vertical
    from textual.scroll_view import ScrollView
    from textual.widgets import Footer, Header, Label, OptionList, ProgressBar

    class Minimal(App[None]):
        """The same panes as termforum's main screen, empty."""

        def compose(self) -> ComposeResult:
            yield Header()
            with Horizontal():
                with Vertical(id="left"):
                    yield OptionList(id="forums")
                    yield OptionList(id="groups")
                yield OptionList(id="topics")
                yield ScrollView(id="reader")
            with Horizontal(id="sync-bar"):
                yield Label("")
                yield ProgressBar()
            yield Footer()

        def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
            super()._display(screen, renderable)
            if renderable is not None and screen is self.screen:
                _report_and_exit(self)

    Minimal().run(headless=True, size=(120, 40))


def _termforum(argv: list[str]) -> None:
    from termforum import cli

    start_tui = cli._start_tui

    def patched_start(args):  # type: ignore[no-untyped-def]
        # Runs where the real start imports the UI, so the imports happen as they would.
        from textual.app import App

        from termforum.ui.app import TermforumApp
        from termforum.ui.screens.main import MainScreen

        display = TermforumApp._display

        def _display(self, screen, renderable) -> None:  # type: ignore[no-untyped-def]
            display(self, screen, renderable)
            if renderable is not None and _complete(self, screen):
                _report_and_exit(self)

        def _complete(app: App[object], screen: object) -> bool:
            if not isinstance(screen, MainScreen) or screen is not app.screen:
                return False
            return bool(screen.groups_pane.groups) and bool(screen.topics_pane.topics)

        def run(self, **kwargs):  # type: ignore[no-untyped-def]
            return App.run(self, headless=True, size=(120, 40))

        TermforumApp._display = _display  # type: ignore[method-assign]
        TermforumApp.run = run  # type: ignore[method-assign]
        return start_tui(args)

    cli._start_tui = patched_start  # type: ignore[assignment]
    cli.main(argv)


_reported = False


def _report_and_exit(app: object) -> None:
    global _reported
    if not _reported:
        _reported = True
        print(f"first-frame {time.monotonic():.6f}", flush=True)
        app.exit()  # type: ignore[attr-defined]


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        _minimal()
    else:
        _termforum(sys.argv[2:])

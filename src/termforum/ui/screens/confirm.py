"""A small yes/no question with a list of points (the pre-flight check before posting)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from termforum.ui.styles import SCREENS_CSS

__all__ = ["ConfirmScreen"]


class ConfirmScreen(ModalScreen[bool]):
    """Lists ``points`` and asks to go ahead (enter / y) or go back (escape / n)."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Go ahead", id="confirm_yes"),
        Binding("escape,n", "answer(False)", "Go back", id="confirm_no"),
    ]

    def __init__(self, title: str, points: Sequence[str], go_ahead: str = "Go ahead") -> None:
        super().__init__()
        self._title = title
        self._points = list(points)
        self._go_ahead = go_ahead

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            lines = [Content.assemble(("• ", "$warning"), point) for point in self._points]
            yield Static(Content("\n").join(lines), id="confirm-points")
            yield Static(
                Content.assemble(
                    ("enter", "bold"), f" {self._go_ahead}    ", ("escape", "bold"), " Go back"
                ),
                id="confirm-keys",
            )

    def on_mount(self) -> None:
        self.query_one("#confirm-box").border_title = Content(self._title)

    def action_answer(self, go_ahead: bool) -> None:
        """Close with the answer."""
        self.dismiss(go_ahead)

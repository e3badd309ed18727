"""The ``?`` screen: every key binding, with the keys in force after the user's keymap."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from termforum.ui.bindings import BINDING_GROUPS
from termforum.ui.styles import SCREENS_CSS

__all__ = ["HelpScreen"]


class HelpScreen(ModalScreen[None]):
    """Lists every binding by group: keys, what they do, and the id to remap them."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="close_help"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._table(), id="help-text")

    def on_mount(self) -> None:
        box = self.query_one("#help-box")
        box.border_title = Content("Keys")
        box.border_subtitle = Content("escape to close · remap in [keymap] by id")
        box.focus()

    def _keys(self, binding: Binding) -> str:
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        keys = keymap.get(binding.id or "", binding.key)
        return ", ".join(self.app.get_key_display(Binding(key, "")) for key in keys.split(","))

    def _table(self) -> Content:
        rows: list[Content | str | tuple[str, str]] = []
        for group in BINDING_GROUPS:
            rows.append((f"{group.title}\n", "bold $accent"))
            for binding in group.bindings:
                keys = self._keys(binding)
                rows.append((f"  {keys:<18}", "bold"))
                rows.append(f" {binding.description:<18}")
                rows.append((f" {binding.id}\n", "dim"))
            rows.append("\n")
        return Content.assemble(*rows)

"""Filter the topic list by tag (``#``): type a tag or pick one of those seen so far; enter
with nothing typed lists every topic again."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from termforum.plain import text
from termforum.ui.styles import SCREENS_CSS
from termforum.ui.widgets.lists import ListPane

__all__ = ["TagFilterScreen"]

_SHOWN = 30
"""Most tags suggested at once."""


class TagFilterScreen(ModalScreen[str | None]):
    """A tag box over the known tags; dismissed with the tag (``""``: no filter) or
    ``None`` when closed without choosing."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="close_tag_filter"),
        Binding("down", "focus_tags", "Tags", show=False, id="tag_filter_list"),
    ]

    def __init__(self, current: str | None, known: list[str]) -> None:
        super().__init__()
        self._current = current or ""
        self._known = known

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-box"):
            yield Input(
                self._current,
                placeholder="A tag (enter with nothing typed: every topic)",
                id="tag-input",
            )
            yield ListPane(id="tag-list")

    def on_mount(self) -> None:
        box = self.query_one("#tag-box")
        box.border_title = Content("Only topics with the tag")
        box.border_subtitle = Content("enter filter · ↓ known tags · escape close")
        self._suggest(self._current)
        self.query_one(Input).focus()

    def _suggest(self, typed: str) -> None:
        wanted = typed.strip().casefold()
        tags = [tag for tag in self._known if wanted in tag.casefold()][:_SHOWN]
        tag_list = self.query_one(OptionList)
        if tags:
            tag_list.set_options([Option(text("#" + tag), id=tag) for tag in tags])
        else:
            note = "No tags seen yet in the lists." if not self._known else "No tag seen matches."
            tag_list.set_options([Option(Content.styled(note, "dim italic"), disabled=True)])

    def action_focus_tags(self) -> None:
        """Move from the box to the known tags."""
        tag_list = self.query_one(OptionList)
        if tag_list.option_count and not tag_list.get_option_at_index(0).disabled:
            tag_list.focus()
            tag_list.highlighted = tag_list.highlighted or 0

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._suggest(event.value)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip().lstrip("#").strip())

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(event.option.id)

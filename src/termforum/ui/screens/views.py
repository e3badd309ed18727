"""Choose a topic-list view (``V``): latest, new, unread, top of a period, hot, or your own
activity (topics you posted in, your bookmarks). Views that need an account are shown but
cannot be chosen while reading anonymously."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termforum.models import TOP_PERIODS
from termforum.ui.styles import SCREENS_CSS
from termforum.ui.widgets.lists import ListPane
from termforum.views import VIEW_HELP, available, describe_view, view_choices, view_key

__all__ = ["ViewsScreen"]


class ViewsScreen(ModalScreen[tuple[str, str | None] | None]):
    """The views as a list; dismissed with the ``(view, period)`` chosen, or ``None``."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close", id="close_views")]

    def __init__(self, view: str, period: str | None, *, logged_in: bool) -> None:
        super().__init__()
        self._current = view_key(view, period)
        self._logged_in = logged_in
        self._choices = view_choices()

    def compose(self) -> ComposeResult:
        yield ListPane(id="views-box")

    def on_mount(self) -> None:
        box = self.query_one(OptionList)
        box.border_title = Content("Topic list view")
        box.border_subtitle = Content("enter choose · escape close")
        options = []
        for index, (view, period) in enumerate(self._choices):
            usable = available(view, logged_in=self._logged_in)
            current = view_key(view, period) == self._current
            help_text = VIEW_HELP[view] if usable else f"{VIEW_HELP[view]} (log in to see)"
            prompt = Content.assemble(
                ("● " if current else "  ", "$accent"),
                (describe_view(view, period).capitalize(), "bold" if usable else "dim"),
                (f"  {help_text}" if period in (None, TOP_PERIODS[0]) else "", "dim"),
            )
            options.append(Option(prompt, id=str(index), disabled=not usable))
        box.set_options(options)
        keys = [view_key(*choice) for choice in self._choices]
        box.highlighted = keys.index(self._current) if self._current in keys else 0
        box.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self._choices[int(event.option.id)])

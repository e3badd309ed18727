"""Search the forum: type a query, pick a result, and it opens at the matching post."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from termforum.errors import ForumError
from termforum.models import SearchHit
from termforum.plain import text
from termforum.service import ForumService
from termforum.ui.styles import SCREENS_CSS
from termforum.ui.widgets.lists import ListPane

__all__ = ["SearchScreen"]


class SearchScreen(ModalScreen[SearchHit | None]):
    """A search box over a list of results; dismissed with the chosen hit (or ``None``)."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="close_search"),
        Binding("down", "focus_results", "Results", show=False, id="search_results"),
    ]

    def __init__(self, service: ForumService) -> None:
        super().__init__()
        self.service = service
        self._hits: list[SearchHit] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            yield Input(placeholder="Search the forum… (enter to search)", id="search-input")
            yield ListPane(id="search-results")

    def on_mount(self) -> None:
        self.query_one("#search-box").border_title = Content("Search")
        self.query_one(Input).focus()

    def action_focus_results(self) -> None:
        """Move from the search box to the results."""
        results = self.query_one(OptionList)
        if results.option_count:
            results.focus()
            results.highlighted = results.highlighted or 0

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        query = event.value.strip()
        if query:
            self.run_search(query)

    @work(exclusive=True, exit_on_error=False)
    async def run_search(self, query: str) -> None:
        """Ask the forum and list what it found."""
        results = self.query_one(OptionList)
        results.set_options([Option(Content.styled("Searching…", "dim italic"), disabled=True)])
        try:
            hits = await self.service.search(query)
        except ForumError as error:
            results.clear_options()
            self.notify(text(error.message).plain, severity="error", markup=False)
            return
        self._hits = hits
        offline = bool(getattr(self.service, "searched_offline", False))
        title = "Search · offline: cached topics and posts only" if offline else "Search"
        self.query_one("#search-box").border_title = Content(title)
        if not hits:
            nothing = "Nothing found in the cache." if offline else "Nothing found."
            message = Content.styled(nothing, "dim italic")
            results.set_options([Option(message, disabled=True)])
            return
        results.set_options(
            [Option(self._prompt(hit), id=str(index)) for index, hit in enumerate(hits)]
        )
        results.highlighted = 0

    @staticmethod
    def _prompt(hit: SearchHit) -> Content:
        where = f"  #{hit.post_number}" if hit.post_number else ""
        return Content.assemble(
            text(hit.topic.title, "bold"), (where, "dim"), "\n  ", text(hit.blurb, "dim")
        )

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self._hits[int(event.option.id)])

"""The links of one post: pick one by its number, see its full address, then open or copy it.

A post shows each link as ``text [3 host]``; ``o`` in the reader opens this list. Typing a
link's number picks it (``1`` ``2`` for link 12 when there are that many), as does enter on a
row. A picked link shows its whole address before anything happens; only ``http``, ``https``
and ``mailto`` addresses can be opened (the renderer gives no address to any other scheme).
Opening needs a browser on this machine; over SSH there is none, so the address is shown and
``c`` copies it to the terminal's clipboard with OSC 52, which most terminals pass to the
machine the user sits at.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from termforum.plain import text
from termforum.render import Link
from termforum.ui.bindings import LINK_BINDINGS
from termforum.ui.styles import SCREENS_CSS

__all__ = ["LinksScreen"]

_NOT_OPENED = "not opened: only http, https and mailto addresses are"


class LinksScreen(ModalScreen[None]):
    """Lists a post's links; digits or enter pick one; enter again opens it, ``c`` copies."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = list(LINK_BINDINGS)

    def __init__(self, title: str, links: Sequence[Link], *, browser: bool) -> None:
        """``browser``: whether a browser can be opened on this machine."""
        super().__init__()
        self._title = title
        self._links = list(links)
        self._browser = browser
        self._digits = ""
        self.chosen: Link | None = None
        """The link whose full address is shown, waiting for open or copy."""

    def compose(self) -> ComposeResult:
        with Vertical(id="links-box"):
            yield OptionList(*self._options(), id="links-list")
            yield Static(id="links-detail")
            yield Static(id="links-keys")

    def on_mount(self) -> None:
        self.query_one("#links-box").border_title = Content(self._title)
        self._show_keys()
        self.query_one("#links-list", OptionList).focus()

    def _options(self) -> list[Option]:
        options = []
        for link in self._links:
            where = link.host if link.url else _NOT_OPENED
            prompt = Content.assemble(
                (f"[{link.number}] ", "bold"),
                text(link.text or link.host or "link"),
                ("  ", ""),
                (where, "dim" if link.url else "$warning"),
            )
            options.append(Option(prompt, id=str(link.number)))
        return options

    # ------------------------------------------------------------------ picking

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        """Digits pick a link by its number."""
        if event.character is None or not event.character.isdigit():
            return
        event.stop()
        event.prevent_default()
        digits = (self._digits + event.character).lstrip("0")
        numbers = [link.number for link in self._links]
        if not any(str(number).startswith(digits) for number in numbers):
            digits = event.character.lstrip("0")
        self._digits = digits
        if not digits:
            return
        exact = int(digits) in numbers
        longer = any(str(n).startswith(digits) and str(n) != digits for n in numbers)
        if exact:
            self._highlight(int(digits))
            if not longer:
                self._choose(int(digits))

    def _highlight(self, number: int) -> None:
        listing = self.query_one("#links-list", OptionList)
        listing.highlighted = listing.get_option_index(str(number))

    @on(OptionList.OptionSelected, "#links-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self._choose(int(event.option.id))

    def _choose(self, number: int) -> None:
        """Show the link's full address and what can be done with it."""
        self._digits = ""
        link = next((link for link in self._links if link.number == number), None)
        if link is None:
            return
        self._highlight(number)
        self.chosen = link
        detail = self.query_one("#links-detail", Static)
        if link.url is None:
            detail.update(
                Content.assemble(
                    (f"[{link.number}] ", "bold"),
                    (f"This link is {_NOT_OPENED}; its address is not shown.", "$warning"),
                )
            )
        else:
            detail.update(Content.assemble((f"[{link.number}] ", "bold"), text(link.url)))
        self._show_keys()

    def _show_keys(self) -> None:
        keys = self.query_one("#links-keys", Static)
        link = self.chosen
        if link is None or link.url is None:
            keys.update(
                Content.assemble(
                    ("number", "bold"),
                    " or ",
                    ("enter", "bold"),
                    " pick a link    ",
                    ("escape", "bold"),
                    " close",
                )  # fmt: skip
            )
            return
        parts: list[tuple[str, str] | str] = []
        if self._browser:
            parts += [("enter", "bold"), " open in the browser    "]
        else:
            parts += ["no browser on this machine (SSH?)    "]
        parts += [("c", "bold"), " copy the address    ", ("escape", "bold"), " close"]
        keys.update(Content.assemble(*parts))

    # ------------------------------------------------------------------ acting

    def action_open_link(self) -> None:
        """Enter: pick the highlighted link, or open the picked one."""
        listing = self.query_one("#links-list", OptionList)
        highlighted = listing.highlighted_option
        if highlighted is not None and highlighted.id is not None:
            number = int(highlighted.id)
            if self.chosen is None or self.chosen.number != number:
                self._choose(number)
                return
        link = self.chosen
        if link is None or link.url is None:
            return
        if not self._browser:
            self.notify(
                "No browser can be opened here; press c to copy the address.",
                markup=False,
                timeout=5,
            )
            return
        self._open(link.url)

    def action_copy_link(self) -> None:
        """Copy the picked (or highlighted) link's address with OSC 52."""
        link = self.chosen
        if link is None:
            highlighted = self.query_one("#links-list", OptionList).highlighted_option
            if highlighted is not None and highlighted.id is not None:
                self._choose(int(highlighted.id))
                link = self.chosen
        if link is None or link.url is None:
            return
        self.app.copy_to_clipboard(link.url)
        self.notify(
            "Address copied to the terminal's clipboard (if your terminal allows it).",
            markup=False,
            timeout=4,
        )

    def action_close(self) -> None:
        """Back to the post."""
        self.dismiss(None)

    @work(group="open-link", exit_on_error=False)
    async def _open(self, url: str) -> None:
        import webbrowser

        if await asyncio.to_thread(webbrowser.open, url):
            self.dismiss(None)
        else:
            self.notify(
                "No browser could be opened; press c to copy the address.",
                severity="warning",
                markup=False,
            )

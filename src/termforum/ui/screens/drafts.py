"""The list of unsent drafts: resume one where it belongs, or discard it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from termforum.drafts import Draft
from termforum.plain import text
from termforum.service import ForumService
from termforum.ui.format import relative_time
from termforum.ui.styles import SCREENS_CSS
from termforum.ui.widgets.lists import ListPane

__all__ = ["DraftsScreen"]

_KIND = {"reply": "Reply", "topic": "New topic", "edit": "Edit"}


class DraftsScreen(ModalScreen[Draft | None]):
    """Drafts of this forum, newest first; enter resumes, ``x`` discards (after a question)."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="close_drafts"),
        Binding("x,delete", "discard", "Discard", id="discard_draft"),
    ]

    def __init__(self, service: ForumService) -> None:
        super().__init__()
        self.service = service
        self._drafts: list[Draft] = []

    def compose(self) -> ComposeResult:
        yield ListPane(id="drafts-box")

    def on_mount(self) -> None:
        box = self.query_one(OptionList)
        box.border_title = Content("Unsent drafts")
        box.border_subtitle = Content("enter resume · x discard · escape close")
        self._fill()
        box.focus()

    def _fill(self) -> None:
        box = self.query_one(OptionList)
        self._drafts = self.service.drafts_list()
        if not self._drafts:
            box.set_options([Option(Content.styled("No unsent drafts.", "dim"), disabled=True)])
            return
        box.set_options([Option(self._prompt(d), id=str(i)) for i, d in enumerate(self._drafts)])
        box.highlighted = 0

    @staticmethod
    def _prompt(draft: Draft) -> Content:
        what = draft.title or draft.topic_title or ""
        first_line = next((line for line in draft.body.splitlines() if line.strip()), "")
        status = "" if draft.status == "editing" else f"  [{draft.status}]"
        return Content.assemble(
            (_KIND.get(draft.key.kind, draft.key.kind) + ": ", "bold"),
            text(what),
            (status, "$warning"),
            (f"  {relative_time(draft.updated_at)}", "dim"),
            "\n  ",
            text(first_line[:200], "dim"),
        )

    @on(OptionList.OptionSelected)
    def _resume(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self._drafts[int(event.option.id)])

    def action_discard(self) -> None:
        """Discard the highlighted draft after asking."""
        box = self.query_one(OptionList)
        if box.highlighted is None or not self._drafts:
            return
        draft = self._drafts[box.highlighted]
        from termforum.ui.screens.confirm import ConfirmScreen

        def answered(yes: bool | None) -> None:
            if yes:
                self.service.discard_draft(draft)
                self._fill()

        preview = text(draft.body.strip()[:120] or "(empty)").plain
        self.app.push_screen(ConfirmScreen("Discard this draft?", [preview], "Discard"), answered)

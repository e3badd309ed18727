"""Read another topic over the composer (a similar topic) and come back to the draft."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen

from termforum.errors import ForumError
from termforum.models import Topic
from termforum.plain import text
from termforum.service import ForumService
from termforum.ui.styles import SCREENS_CSS
from termforum.ui.widgets.reader import ThreadView

__all__ = ["TopicPreviewScreen"]


class TopicPreviewScreen(ModalScreen[None]):
    """A thread reader in a box; escape returns to whatever was underneath."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape,q,u", "dismiss", "Back to the draft", id="close_preview")]

    def __init__(self, service: ForumService, topic: Topic) -> None:
        super().__init__()
        self.service = service
        self.topic = topic

    def compose(self) -> ComposeResult:
        yield ThreadView(base_url=self.service.url, id="preview-reader")

    def on_mount(self) -> None:
        reader = self.query_one(ThreadView)
        reader.border_title = text(self.topic.title)
        reader.border_subtitle = text("escape: back to your draft")
        reader.focus()
        self.load()

    @work(exclusive=True, exit_on_error=False)
    async def load(self) -> None:
        """Load the topic into the reader."""
        try:
            state = await self.service.open_thread(self.topic.id)
        except ForumError as error:
            self.notify(text(error.message).plain, severity="error", markup=False)
            return
        self.query_one(ThreadView).show_thread(state.thread, state.posts.values())

    def on_thread_view_need_posts(self, event: ThreadView.NeedPosts) -> None:
        """Load posts the reader scrolls to."""
        self._load_posts(event.topic_id, event.post_ids)

    @work(group="preview-posts", exit_on_error=False)
    async def _load_posts(self, topic_id: str, post_ids: list[str]) -> None:
        reader = self.query_one(ThreadView)
        try:
            posts = await self.service.load_posts(topic_id, post_ids)
        except ForumError:
            reader.forget_requests(post_ids)
            return
        reader.add_posts(posts)

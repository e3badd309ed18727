"""A member's card (``U``): who they are and their standing in the group at a glance.

Name, title and trust level, when they joined and were last seen, how much they wrote and
how it was received, and their top topics: enter opens one (the main screen does), escape
closes. The card loads in the background; a failure is one plain sentence on the card.
Every server string reaches the screen as plain Content (``termforum.plain.text``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from termforum.errors import ForumError, NotFound
from termforum.models import Topic, User
from termforum.plain import text
from termforum.service import Snapshot
from termforum.ui.format import count, format_age
from termforum.ui.styles import SCREENS_CSS

__all__ = ["UserCardScreen", "card_failure", "describe_user", "since"]

STALE_AFTER = timedelta(minutes=1)
"""A card from the cache older than this says how old it is."""


def since(when: datetime, now: datetime | None = None) -> str:
    """How long ago, in words a person would use: ``3 h ago``, ``5 months ago``."""
    now = now or datetime.now(UTC)
    days = (now - when).days
    if days < 60:
        return f"{format_age(now - when)} ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def _date(when: datetime) -> str:
    return f"{when.day} {when:%b %Y}"


def describe_user(user: User, now: datetime | None = None) -> Content:
    """The card's text: name, standing, dates and numbers (server text kept plain)."""
    now = now or datetime.now(UTC)
    head: list[Content | str | tuple[str, str]] = [text(user.username, "bold")]
    if user.name and user.name.casefold() != user.username.casefold():
        head += ["  ", text(user.name)]
    standing: list[Content | str | tuple[str, str]] = []
    if user.title:
        standing += [text(user.title, "italic"), " · "]
    level = user.trust_level_name
    if level is not None:
        standing.append((f"{level} (trust level {user.trust_level})", "$accent"))
    else:
        standing.append(("trust level unknown", "dim"))
    for flag, word in ((user.admin, "admin"), (user.moderator, "moderator")):
        if flag:
            standing.append((f" · {word}", "$warning"))
    dates: list[str] = []
    if user.created_at is not None:
        dates.append(f"Joined {_date(user.created_at)} ({since(user.created_at, now)})")
    if user.last_seen_at is not None:
        dates.append(f"last seen {since(user.last_seen_at, now)}")
    elif user.last_posted_at is not None:
        dates.append(f"last posted {since(user.last_posted_at, now)}")
    activity = _known(
        (user.post_count, lambda n: count(n, "post")),
        (user.topic_count, lambda n: count(n, "topic")),
        (user.days_visited, lambda n: count(n, "day visited", "days visited")),
        (user.time_read, lambda n: f"{format_age(timedelta(seconds=n))} read"),
    )
    likes = _known(
        (user.likes_received, lambda n: f"{count(n, 'like')} received"),
        (user.likes_given, lambda n: f"{count(n, 'like')} given"),
    )
    lines = [
        Content.assemble(*head),
        Content.assemble(*standing),
        Content(" · ".join(dates)) if dates else Content.styled("Joined: unknown", "dim"),
    ]
    if activity or likes:
        lines += [Content(" · ".join(part)) for part in (activity, likes) if part]
    else:
        lines.append(Content.styled("This member's numbers are not shown.", "dim"))
    return Content("\n").join(lines)


def _known(*pairs: tuple[int | None, Callable[[int], str]]) -> list[str]:
    """Each known number in words; unknown ones (None) are left out, never shown as 0."""
    return [say(value) for value, say in pairs if value is not None]


def card_failure(error: ForumError, username: str) -> Content:
    """One plain sentence saying why the card could not be shown."""
    if isinstance(error, NotFound):
        return Content.assemble(
            "There is no member called ",
            text(username, "bold"),
            " on this forum, or their profile is hidden.",
        )
    return text(error.message)


class UserCardScreen(ModalScreen[Topic | None]):
    """A member's card; dismissed with the topic to open, or None."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = [Binding("escape,q,U", "dismiss(None)", "Close", id="close_user_card")]

    def __init__(self, username: str, load: Callable[[], Awaitable[Snapshot[User]]]) -> None:
        super().__init__()
        self.username = username
        self._load = load
        self.user: User | None = None
        """The member, once loaded."""
        self.failure: Content | None = None
        """Why the card could not be loaded, once it failed."""

    def compose(self) -> ComposeResult:
        with Vertical(id="user-card"):
            yield Static(id="user-card-about")
            yield Static(Content.styled("Top topics", "bold"), id="user-card-heading")
            yield OptionList(id="user-card-topics")

    def on_mount(self) -> None:
        card = self.query_one("#user-card")
        card.border_title = Content.assemble("Member ", text(self.username, "bold"))
        card.border_subtitle = Content("escape close")
        self._about(Content.assemble("Loading ", text(self.username), "…"))
        self.query_one("#user-card-heading").display = False
        self.query_one(OptionList).display = False
        self.fetch()

    def _about(self, content: Content) -> None:
        self.query_one("#user-card-about", Static).update(content)

    @work(exclusive=True, group="user-card", exit_on_error=False)
    async def fetch(self) -> None:
        """Load the card and show it (or the sentence saying why not)."""
        try:
            snapshot = await self._load()
        except ForumError as error:
            self.failure = card_failure(error, self.username)
            self._about(self.failure)
            return
        self.show(snapshot)

    def show(self, snapshot: Snapshot[User]) -> None:
        """Fill the card with ``snapshot``'s member."""
        user = self.user = snapshot.value
        self._about(describe_user(user))
        self.query_one("#user-card-heading").display = True
        box = self.query_one(OptionList)
        box.display = True
        subtitle: list[str | tuple[str, str]] = []
        age = snapshot.age()
        if not snapshot.fresh and age >= STALE_AFTER:
            subtitle += [(f"cached {format_age(age)} ago", "$warning"), " · "]
        if user.top_topics:
            box.set_options(
                [Option(self._prompt(t), id=str(i)) for i, t in enumerate(user.top_topics)]
            )
            box.highlighted = 0
            box.focus()
            subtitle.append("enter open · escape close")
        else:
            box.set_options([Option(Content.styled("No topics to show.", "dim"), disabled=True)])
            subtitle.append("escape close")
        self.query_one("#user-card").border_subtitle = Content.assemble(*subtitle)

    @staticmethod
    def _prompt(topic: Topic) -> Content:
        meta = f"  ♥ {topic.like_count} · {count(topic.posts_count, 'post')}"
        if topic.created_at is not None:
            meta += f" · started {since(topic.created_at)}"
        return Content.assemble(text(topic.title), "\n", (meta, "dim"))

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.user is None or event.option.id is None:
            return
        self.dismiss(self.user.top_topics[int(event.option.id)])

"""The main screen: forums and groups, topics and the reader side by side.

Panes post messages up; this screen routes them, runs the network work in exclusive workers
(one group per pane, so a newer request cancels an older one) and calls methods on the panes.
Panes never talk to each other. A result that arrives after the user has moved on is dropped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, ProgressBar

from termforum.errors import AuthError, ForumError, NetworkError, NotFound
from termforum.models import Group, Post, SearchHit, Topic, TopicPage
from termforum.plain import text
from termforum.priority import background
from termforum.service import ConnectionState, ForumService, ThreadState
from termforum.state import AppState
from termforum.ui.bindings import LAYOUT_BINDINGS, SCREEN_BINDINGS
from termforum.ui.format import format_age
from termforum.ui.screens.composer_request import ComposerRequest, quote_block
from termforum.ui.screens.main_accounts import AccountsMixin
from termforum.ui.screens.main_groups import GroupsMixin
from termforum.ui.screens.main_layout import LayoutMixin
from termforum.ui.screens.main_notifications import NotificationsMixin
from termforum.ui.screens.main_offline import RECONNECT_FIRST, OfflineMixin
from termforum.ui.screens.main_people import PeopleMixin
from termforum.ui.screens.main_unread import ReadMarksMixin
from termforum.ui.screens.main_views import STALE_MARK_AFTER, ViewsMixin
from termforum.ui.widgets.forums import ForumEntry, ForumList
from termforum.ui.widgets.lists import GroupList, TopicList
from termforum.ui.widgets.reader import ThreadView
from termforum.unread import last_post_number, with_read_state

if TYPE_CHECKING:
    from textual.timer import Timer

    from termforum.drafts import Draft
    from termforum.outbox import SendOutcome


__all__ = ["MainScreen"]

NARROW_WIDTH = 110
"""Below this many columns the reader takes the whole width while a topic is open."""
WIDE_WIDTH = 160
"""From this many columns all three panes stay visible while reading."""
TIMINGS_EVERY = 60.0
"""How often what was read is sent to the forum (``/topics/timings``)."""

SHORT_HEIGHT = 30
"""Below this many rows the forums list shows fewer rows, leaving room for the groups."""


class MainScreen(
    AccountsMixin,
    OfflineMixin,
    NotificationsMixin,
    GroupsMixin,
    LayoutMixin,
    PeopleMixin,
    ReadMarksMixin,
    ViewsMixin,
    Screen[None],
):
    """Three panes: forums and groups, the topics of the selected group, and the open thread."""

    BINDINGS = list(SCREEN_BINDINGS + LAYOUT_BINDINGS)

    reading: reactive[bool] = reactive(False)
    """True while a topic is open in the reader."""

    def __init__(self, service: ForumService) -> None:
        super().__init__()
        self.service = service
        self.group: Group | None = None
        """The group whose topics are listed (``None``: all groups)."""
        self._init_views()
        self._next_page: int | None = None
        self._topic: Topic | None = None
        self._opened: set[str] = set()
        """Topics opened so far (the service keeps them in memory)."""
        self._stale: set[str] = set()
        """Topics kept in memory from before a login: reloaded when opened again."""
        self._reconnect_timer: Timer | None = None
        self._reconnect_delay = RECONNECT_FIRST
        self._hold_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        # Classes for the terminal's size before the first styling: setting them only on
        # the first resize would style every widget twice before the first frame.
        self._set_size_classes(self.app.size)
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield ForumList(id="forums")
                yield GroupList(id="groups")
            yield TopicList(id="topics")
            yield ThreadView(base_url=self.service.url, id="reader")
        with Horizontal(id="sync-bar"):
            yield Label("", id="sync-label")
            yield ProgressBar(id="sync-progress", show_eta=False)
        yield Footer()

    @property
    def forums_pane(self) -> ForumList:
        """The list of known forums."""
        return self.query_one("#forums", ForumList)

    @property
    def groups_pane(self) -> GroupList:
        """The group list."""
        return self.query_one("#groups", GroupList)

    @property
    def topics_pane(self) -> TopicList:
        """The topic list."""
        return self.query_one("#topics", TopicList)

    @property
    def reader(self) -> ThreadView:
        """The thread reader."""
        return self.query_one("#reader", ThreadView)

    def on_mount(self) -> None:
        self._apply_layout()
        self.forums_pane.border_title = Content("Forums")
        self.forums_pane.set_forums([ForumEntry(self.forum, self.service.username, True)])
        self.groups_pane.border_title = Content("Groups")
        self.topics_pane.border_title = Content("Topics")
        self.reader.border_title = Content("Thread")
        self.topics_pane.clear_topics("Loading…")
        self._update_title()
        self.topics_pane.focus()
        # The first frame shows what the cache has (no worker, no await); the forum comes after.
        self._restore_group_folds()
        painted = self._paint_groups_from_cache()
        if painted:
            self.load_topics(fetch_after_refresh=True)
        self.call_after_refresh(self.load_start, painted=painted)
        self.call_after_refresh(self.load_forums)
        self.watch(self.reader, "cursor", self._cursor_moved, init=False)
        self.watch(self.topics_pane, "highlighted", self._topic_highlighted, init=False)
        self.set_interval(TIMINGS_EVERY, self.send_read_state)
        self._start_notifications()
        self._watch_request_policy()

    def on_unmount(self) -> None:
        self._unwatch_request_policy()

    def on_resize(self) -> None:
        self._set_size_classes(self.size)
        self._apply_split()

    def _set_size_classes(self, size: Size) -> None:
        width = size.width
        self.set_class(width < NARROW_WIDTH, "-narrow")
        self.set_class(NARROW_WIDTH <= width < WIDE_WIDTH, "-medium")
        self.set_class(width >= WIDE_WIDTH, "-wide")
        self.set_class(size.height < SHORT_HEIGHT, "-short")

    def watch_reading(self, reading: bool) -> None:
        self.set_class(reading, "-reading")
        if not reading and self._topic is not None:
            self._remember_reading()
            self.show_read_marks([self._topic])

    # ------------------------------------------------------------------ status

    def _update_title(self, site_title: str | None = None) -> None:
        app = self.app
        if site_title is not None:
            app.title = text(site_title).plain or self.service.name
        elif not app.title:
            app.title = self.service.name
        who = text(self.service.username).plain if self.service.username else "anonymous"
        status = f"{self.service.name} · {who} · {self.service.state.value}"
        unread = getattr(self, "unread_notifications", 0)
        if unread:
            status += f" · {unread} new notification{'s' if unread != 1 else ''}"
        held = self._requests_held_status()
        app.sub_title = f"{status} · {held}" if held else status

    def _report(self, error: ForumError) -> None:
        """Show a forum error as one plain sentence (never parsed as markup)."""
        self._update_title()
        self.notify(text(error.message).plain, severity="error", markup=False, timeout=8)

    def _load_failed(self, error: ForumError) -> None:
        """A load failed: a refused key (or a members-only forum) brings up the login screen
        once per forum and session; anything else is said in one sentence."""
        if isinstance(error, AuthError) and self._offer_login():
            self._update_title()
            return
        self._report(error)

    # ----------------------------------------------------------------- loading

    def _paint_groups_from_cache(self) -> bool:
        """Show the cached site title and groups at once; False when none are cached."""
        cached_groups = self.service.cached_groups()
        if cached_groups is None:
            return False
        cached_site = self.service.cached_site()
        title = cached_site.value.title if cached_site is not None else None
        self._show_groups(cached_groups.value, title, reload_topics=False)
        return True

    @work(exclusive=True, group="start", exit_on_error=False)
    async def load_start(self, *, refresh: bool = False, painted: bool = False) -> None:
        """Show the forum's title and groups: at once from the cache, then from the forum
        when the cache is missing or stale (``refresh``: always ask the forum, e.g. after
        logging in; ``painted``: the cached groups and topics are on screen already).
        Unreachable with a cache: read offline and reconnect by itself; unreachable
        without one: leave with the reason."""
        cached_site = self.service.cached_site()
        cached_groups = self.service.cached_groups()
        if cached_groups is not None and not refresh:
            title = cached_site.value.title if cached_site is not None else None
            if not painted:
                self._show_groups(cached_groups.value, title)
            if cached_groups.fresh and cached_site is not None and cached_site.fresh:
                # Nothing to fetch: one small request says whether the forum is there.
                if not self.service.offline and not await self.service.probe():
                    self._went_offline(NetworkError(f"{self.service.name} cannot be reached."))
                self._update_title()
                return
        # Refreshing what is already shown is background work: the user's requests go first.
        quietly = background() if cached_groups is not None and not refresh else nullcontext()
        try:
            with quietly:
                site = await self.service.site()
                groups = await self.service.groups(refresh=True)
        except ForumError as error:
            if isinstance(error, NetworkError):
                if cached_groups is not None:
                    self._went_offline(error)
                    return
                # Nothing to show without the forum: leave with the reason (cli prints it).
                self.app.exit(result=text(error.message).plain, return_code=2)
                return
            if isinstance(error, AuthError) and self._login_refusal() is None:
                key = self._login_key()
                self.topics_pane.clear_topics(f"The forum refused: press {key} to log in.")
            self._load_failed(error)
            return
        self._show_groups(groups, site.title, reload_topics=cached_groups is None or refresh)

    def _show_groups(
        self, groups: list[Group], site_title: str | None, *, reload_topics: bool = True
    ) -> None:
        self._update_title(site_title)
        self._mention_drafts()
        state = self._state
        remembered = state.last_group.get(self.service.name) if state else None
        if self.group is None and remembered is not None:
            self.group = next((group for group in groups if group.id == remembered), None)
            self._restore_view()
        self.groups_pane.set_groups(groups, select=self.group.id if self.group else None)
        if reload_topics:
            self.load_topics()

    def _mention_drafts(self) -> None:
        """Say once, at start, that unsent drafts are waiting."""
        if getattr(self, "_drafts_mentioned", False):
            return
        self._drafts_mentioned = True
        waiting = len(self.service.drafts_list())
        if waiting:
            noun = "draft is" if waiting == 1 else "drafts are"
            self.notify(
                f"{waiting} unsent {noun} waiting: press D to see them.", markup=False, timeout=8
            )

    def load_topics(
        self, *, append: bool = False, refresh: bool = False, fetch_after_refresh: bool = False
    ) -> None:
        """Show the first (or, with ``append``, the next) page of the topic list: at once
        from the cache, then from the forum unless the cached page is fresh (``refresh``:
        always ask; ``fetch_after_refresh``: ask once the screen has been drawn, as at
        start-up, where the first request also loads the HTTP stack)."""
        page = self._next_page if append else 0
        if page is None:
            return
        group_id = self.group.id if self.group else None
        cached = self.service.cached_topics(
            group_id, view=self.view, page=page, period=self.period, tag=self.tag
        )
        if cached is not None:
            self._show_topics(cached.value, append=append, age=cached.age())
            if cached.fresh and not refresh:
                return
        else:
            self._set_topics_title()
        fetch = partial(
            self.fetch_topics,
            self.list_key(),
            page,
            append=append,
            shown=cached is not None,
            refresh=refresh,
        )
        if fetch_after_refresh:
            self.call_after_refresh(fetch)
        else:
            fetch()

    @work(exclusive=True, group="topics", exit_on_error=False)
    async def fetch_topics(
        self,
        key: tuple[object, ...],
        page: int,
        *,
        append: bool,
        shown: bool,
        refresh: bool = False,
    ) -> None:
        """Ask the forum for a page of the topic list ``key`` (see ``list_key``) and show
        it, unless the user has moved on (``shown``: a cached copy is on screen meanwhile,
        so this is background work unless ``refresh``)."""
        if key != self.list_key():
            return
        group_id = self.group.id if self.group else None
        quietly = background() if shown and not refresh else nullcontext()
        try:
            with quietly:
                result = await self.service.topics(
                    group_id, view=self.view, page=page, period=self.period, tag=self.tag
                )
        except ForumError as error:
            if key != self.list_key():
                return
            if shown and isinstance(error, NetworkError):
                self._went_offline(error)
                return
            if not append and not shown and isinstance(error, NetworkError):
                self._went_offline(error)
                self.topics_pane.clear_topics(
                    "Offline, and this list is not cached. It loads when the forum is back; "
                    "'Sync … for offline reading' in the palette keeps groups for next time."
                )
                return
            self._load_failed(error)
            if not append and not shown:
                self.topics_pane.clear_topics("Could not load topics. Press ctrl+r to retry.")
            return
        if key != self.list_key():
            return
        self._update_title()
        self._show_topics(result, append=append)

    def _show_topics(
        self, result: TopicPage, *, append: bool, age: timedelta | None = None
    ) -> None:
        """List a page of topics (with local unread counts); ``age``: it came from the cache."""
        self._set_topics_title(age)
        self._next_page = result.next_page
        topics = self._with_local_unread(result.topics)
        if not topics and not append:
            self.topics_pane.clear_topics(self._empty_list_notice())
        else:
            self.topics_pane.set_topics(
                topics,
                has_more=result.next_page is not None,
                append=append,
                highlight=None if append else self._highlight_remembered(topics),
            )

    def _with_local_unread(self, topics: Sequence[Topic]) -> list[Topic]:
        """Topics with unread counts that agree with what was read here too."""
        return with_read_state(topics, self.service.last_read([topic.id for topic in topics]))

    def _empty_list_notice(self) -> str:
        if self.tag:
            return "No topics with this tag here. Press # and enter with nothing typed for all."
        if self.view == "posted":
            return "You have not posted in this group yet."
        if self.view == "bookmarks":
            return "No bookmarks here: press b on a post to bookmark it."
        if self.view in ("new", "unread"):
            return f"Nothing {self.view} here: you are up to date."
        return "No topics here yet."

    @work(exclusive=True, group="thread", exit_on_error=False)
    async def open_topic(self, topic: Topic, post_number: int | None = None) -> None:
        """Open ``topic`` in the reader: at ``post_number`` when given, else after the last
        post read here before."""
        self._remember_reading()
        self._topic = topic
        self.reader.border_title = text(topic.title)
        self.reading = True
        self.reader.focus()
        refresh = topic.id in self._stale
        try:
            state = await self.service.open_thread(topic.id, refresh=refresh)
        except ForumError as error:
            self._load_failed(error)
            return
        self._opened.add(topic.id)
        self._stale.discard(topic.id)
        if self._topic is not topic:
            return
        self._update_title()
        self._set_reader_title(state)
        last_read = max(state.last_read or 0, topic.last_read_post_number or 0) or None
        if post_number is None and last_read is not None:
            # Land on the first post not read yet (the last post when all were read).
            highest = last_post_number(state.thread.topic)
            post_number = min(last_read + 1, highest) if highest else None
        start = 0
        if post_number is not None:
            start = self._index_for_number(state, post_number)
        self.reader.show_thread(
            state.thread, state.posts.values(), start_at=start, new_after=last_read
        )
        self._remember_reading()
        self.show_read_marks([topic])
        if state.from_cache and not self.service.offline:
            age = datetime.now(UTC) - state.fetched_at if state.fetched_at else None
            if age is not None and age >= self.service.freshness.thread:
                self._went_offline_if_needed()

    def _set_reader_title(self, state: ThreadState) -> None:
        parts: list[Content | tuple[str, str]] = [text(state.thread.topic.title)]
        if state.from_cache and state.fetched_at is not None:
            age = datetime.now(UTC) - state.fetched_at
            if age >= STALE_MARK_AFTER:
                parts.append((f" · cached {format_age(age)} ago", "$warning"))
        self.reader.border_title = Content.assemble(*parts)

    def _went_offline_if_needed(self) -> None:
        if self.service.state is ConnectionState.OFFLINE:
            self._went_offline(NetworkError(f"{self.service.name} cannot be reached."))

    def _remember_reading(self) -> None:
        """Note how far the open topic was read (kept here, sent to the forum in batches)."""
        topic = self._topic
        post = self.reader.selected_post
        if topic is not None and post is not None and post.topic_id == topic.id:
            self.service.mark_read(topic.id, post.number)

    def _cursor_moved(self, _cursor: int) -> None:
        if self.reading:
            self._remember_reading()

    @work(exclusive=True, group="timings", exit_on_error=False)
    async def send_read_state(self) -> None:
        """Tell the forum what was read here (a few topics at a time, in the background)."""
        self._remember_reading()
        await self.service.send_read_state()

    @staticmethod
    def _index_for_number(state, post_number: int) -> int:  # type: ignore[no-untyped-def]
        """Where post ``post_number`` is in the stream: exact when it is loaded, else
        estimated from the loaded posts around it (numbers follow the stream closely, with
        gaps where posts were deleted)."""
        ids = state.thread.post_ids
        below: tuple[int, int] | None = None  # (index, number) of the last loaded post before
        for index, pid in enumerate(ids):
            post = state.posts.get(pid)
            if post is None:
                continue
            if post.number == post_number:
                return index
            if post.number < post_number:
                below = (index, post.number)
                continue
            # The first loaded post after it: the post is before this one.
            if below is None:
                return max(0, index - (post.number - post_number))
            return min(index, below[0] + (post_number - below[1]))
        if below is not None:
            return min(len(ids) - 1, below[0] + (post_number - below[1]))
        return max(0, min(post_number - 1, len(ids) - 1))

    @work(group="posts", exit_on_error=False)
    async def load_posts(self, topic_id: str, post_ids: list[str]) -> None:
        """Load posts the reader asked for and show them in place."""
        try:
            posts = await self.service.load_posts(topic_id, post_ids)
        except ForumError as error:
            self.reader.forget_requests(post_ids)
            if not isinstance(error, NotFound):
                self._load_failed(error)
            return
        thread = self.reader.thread
        if thread is not None and thread.topic.id == topic_id:
            self.reader.add_posts(posts)

    # ---------------------------------------------------------------- messages

    @property
    def _state(self) -> AppState | None:
        """The app's remembered state (``None`` when the app keeps none)."""
        return getattr(self.app, "state", None)

    @on(GroupList.Selected)
    def _group_selected(self, event: GroupList.Selected) -> None:
        self.remember_position()
        self.group = event.group
        self._restore_view()
        self.topics_pane.focus()
        self._switch_list()

    @on(TopicList.Opened)
    def _topic_opened(self, event: TopicList.Opened) -> None:
        self.open_topic(event.topic)

    @on(TopicList.NeedMore)
    def _more_topics(self, event: TopicList.NeedMore) -> None:
        self.load_topics(append=True)

    @on(ThreadView.NeedPosts)
    def _need_posts(self, event: ThreadView.NeedPosts) -> None:
        self.load_posts(event.topic_id, event.post_ids)

    def open_search_hit(self, hit: SearchHit) -> None:
        """Open a search result at its post."""
        self.open_topic(hit.topic, hit.post_number)

    def show_group(self, group: Group | None) -> None:
        """List the topics of ``group`` (from the command palette)."""
        self.post_message(GroupList.Selected(group))

    # ----------------------------------------------------------------- actions

    def action_focus_next_pane(self) -> None:
        """Move focus to the next visible pane."""
        self.focus_next()

    def action_focus_previous_pane(self) -> None:
        """Move focus to the previous visible pane."""
        self.focus_previous()

    def action_back(self) -> None:
        """Go back one level: reader → topics → groups."""
        focused = self.focused
        if focused is self.reader or self.reading and focused is not self.topics_pane:
            self.reading = False
            self.topics_pane.focus()
        elif focused is self.topics_pane:
            self.groups_pane.focus()

    def action_back_or_quit(self) -> None:
        """Go back one level, or quit from the group list."""
        if self.focused in (self.groups_pane, self.forums_pane):
            self.app.exit()
        else:
            self.action_back()

    def action_refresh(self) -> None:
        """Reload what the focused pane shows."""
        if self.focused is self.reader and self._topic is not None:
            self.refresh_topic()
        elif self.focused is self.groups_pane:
            self.load_start(refresh=True)
        elif self.focused is self.forums_pane:
            self.load_forums()
        else:
            self._next_page = 0
            self.load_topics()

    @work(exclusive=True, group="thread", exit_on_error=False)
    async def refresh_topic(self) -> None:
        """Reload the open topic, keeping the post under the cursor selected."""
        topic = self._topic
        if topic is None:
            return
        position = self.reader.stream_position
        try:
            state = await self.service.open_thread(topic.id, refresh=True)
        except ForumError as error:
            self._load_failed(error)
            return
        if self._topic is topic:
            self._set_reader_title(state)
            self.reader.show_thread(
                state.thread, state.posts.values(), start_at=position, new_after=state.last_read
            )

    # ------------------------------------------------------------------ writing

    def _can_write(self, what: str) -> bool:
        if "write" in self.service.capabilities:
            return True
        refusal = self._login_refusal()
        if refusal is None:
            key = self._login_key()
            sentence = f"To {what}, press {key} to log in (you are reading anonymously)."
        else:
            sentence = f"To {what} you need an account here. {refusal}"
        self.notify(sentence, severity="warning", markup=False)
        return False

    def _open_composer(self, request: ComposerRequest) -> None:
        from termforum.ui.screens.composer import ComposerScreen  # loaded when first needed

        def done(outcome: SendOutcome | None) -> None:
            if outcome is None:
                return
            self.notify(outcome.message, markup=False, timeout=6)
            if outcome.post is not None and self.reader.thread is not None:
                if outcome.post.topic_id == self.reader.thread.topic.id:
                    self.reader.show_new_post(outcome.post)
                    self.reader.focus()
            elif outcome.topic is not None:
                self.open_topic(outcome.topic)

        self.app.push_screen(ComposerScreen(self.service, request), done)

    def _reply_request(self, post: Post | None, body: str = "") -> ComposerRequest | None:
        thread = self.reader.thread
        if thread is None:
            return None
        topic = thread.topic
        reply_to = post.number if post is not None and post.number > 1 else None
        key = self.service.draft_key("reply", topic_id=topic.id, reply_to=reply_to)
        target: list[Content | str | tuple[str, str]] = ["Reply to "]
        if reply_to is not None and post is not None:
            target += [text("@" + post.author, "bold"), f" #{post.number} in "]
        target.append(text(topic.title, "italic"))
        return ComposerRequest(key, Content.assemble(*target), body=body, topic=topic)

    def action_reply(self) -> None:
        """Reply to the selected post."""
        if self._can_write("reply") and (request := self._reply_request(self.reader.selected_post)):
            self._open_composer(request)

    def action_reply_topic(self) -> None:
        """Reply to the topic as a whole."""
        if self._can_write("reply") and (request := self._reply_request(None)):
            self._open_composer(request)

    @work(exclusive=True, group="compose", exit_on_error=False)
    async def action_quote_reply(self) -> None:
        """Reply to the selected post, quoting it in Discourse's [quote] form."""
        post = self.reader.selected_post
        thread = self.reader.thread
        if post is None or thread is None or not self._can_write("reply"):
            return
        try:
            raw = await self.service.raw(post)
        except ForumError as error:
            self._report(error)
            return
        request = self._reply_request(post, quote_block(post, thread.topic.id, raw))
        if request is not None:
            self._open_composer(request)

    @work(exclusive=True, group="compose", exit_on_error=False)
    async def action_edit_post(self) -> None:
        """Edit the selected post (yours), starting from its Markdown source."""
        post = self.reader.selected_post
        thread = self.reader.thread
        if post is None or thread is None or not self._can_write("edit"):
            return
        if not post.can_edit:
            self.notify("You can only edit your own posts.", severity="warning", markup=False)
            return
        try:
            raw = await self.service.raw(post)
        except ForumError as error:
            self._report(error)
            return
        key = self.service.draft_key("edit", topic_id=thread.topic.id, post_id=post.id)
        heading = Content.assemble(f"Edit your post #{post.number} in ", text(thread.topic.title))
        self._open_composer(
            ComposerRequest(key, heading, body=raw, topic=thread.topic, editing=post)
        )

    def action_new_topic(self) -> None:
        """Start a new topic in the current group."""
        if not self._can_write("start a topic"):
            return
        group = self.group
        key = self.service.draft_key("topic", group_id=group.id if group else None)
        where = text(group.name, "bold") if group else Content("a group")
        self._open_composer(
            ComposerRequest(
                key,
                Content.assemble("New topic in ", where),
                groups=self.groups_pane.groups,
            )
        )

    def action_links(self) -> None:
        """List the links of the selected post, to open or copy one (``o``)."""
        from termforum.login import local_browser_available
        from termforum.ui.screens.links import LinksScreen

        post = self.reader.selected_post
        if not self.reading or post is None:
            return
        links = self.reader.links_of_selected()
        if not links:
            self.notify("This post has no links.", markup=False, timeout=3)
            return
        title = f"Links in #{post.number} by {text(post.author).plain}"
        self.app.push_screen(LinksScreen(title, links, browser=local_browser_available()))

    def action_like(self) -> None:
        """Like the selected post, or take the like back."""
        self._toggle_on_post("like posts", self.service.toggle_like)

    def action_bookmark(self) -> None:
        """Bookmark the selected post, or remove the bookmark."""
        self._toggle_on_post("bookmark posts", self.service.toggle_bookmark, announce=True)

    @work(group="post-actions", exit_on_error=False)
    async def _toggle_on_post(
        self,
        what: str,
        toggle: Callable[[Post], Awaitable[Post]],
        *,
        announce: bool = False,
    ) -> None:
        """Run ``toggle`` on the selected post and show the post as the forum has it now."""
        post = self.reader.selected_post
        if post is None or not self._can_write(what):
            return
        try:
            updated = await toggle(post)
        except ForumError as error:
            self._report(error)
            return
        self.reader.add_posts([updated])
        if announce:
            message = "Bookmarked." if updated.bookmarked else "Bookmark removed."
            self.notify(message, markup=False)

    def action_drafts(self) -> None:
        """List unsent drafts to resume or discard them."""
        from termforum.ui.screens.drafts import DraftsScreen

        def chosen(draft: Draft | None) -> None:
            if draft is not None:
                self.resume_draft(draft)

        self.app.push_screen(DraftsScreen(self.service), chosen)

    def resume_draft(self, draft: Draft) -> None:
        """Open the composer on a saved draft, where it belongs."""
        key = draft.key
        title = draft.topic_title or ""
        if key.kind == "topic":
            group = next((g for g in self.groups_pane.groups if g.id == key.group_id), None)
            where = text(group.name, "bold") if group else Content("a group")
            heading = Content.assemble("New topic in ", where)
            request = ComposerRequest(key, heading, groups=self.groups_pane.groups)
        else:
            verb = "Edit your post in " if key.kind == "edit" else "Reply in "
            heading = Content.assemble(verb, text(title, "italic"))
            request = ComposerRequest(key, heading)
        self._open_composer(request)

    def action_search(self) -> None:
        """Search the forum."""
        from termforum.ui.screens.search import SearchScreen

        def opened(hit: SearchHit | None) -> None:
            if hit is not None:
                self.open_search_hit(hit)

        self.app.push_screen(SearchScreen(self.service), opened)

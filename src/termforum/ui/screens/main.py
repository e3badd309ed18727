"""The main screen: forums and groups, topics and the reader side by side.

Panes post messages up; this screen routes them, runs the network work in exclusive workers
(one group per pane, so a newer request cancels an older one) and calls methods on the panes.
Panes never talk to each other. A result that arrives after the user has moved on is dropped.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Header

from termforum.drafts import Draft
from termforum.errors import AuthError, ForumError, NotFound, TermforumError
from termforum.models import TOPIC_VIEWS, Group, Post, SearchHit, Topic
from termforum.render import text
from termforum.service import ConnectionState, ForumService, SendOutcome
from termforum.state import AppState
from termforum.ui.bindings import SCREEN_BINDINGS
from termforum.ui.screens.composer import ComposerRequest, ComposerScreen, quote_block
from termforum.ui.widgets.forums import ForumEntry, ForumList
from termforum.ui.widgets.lists import ALL_GROUPS, GroupList, TopicList
from termforum.ui.widgets.reader import ThreadView

if TYPE_CHECKING:
    from termforum.accounts import Accounts, LoginOutcome
    from termforum.config import ForumConfig

__all__ = ["MainScreen"]

NARROW_WIDTH = 110
"""Below this many columns the reader takes the whole width while a topic is open."""
WIDE_WIDTH = 160
"""From this many columns all three panes stay visible while reading."""
SHORT_HEIGHT = 30
"""Below this many rows the forums list shows fewer rows, leaving room for the groups."""

ANONYMOUS_VIEWS: tuple[str, ...] = ("latest", "top", "hot")
"""Views a forum answers without an account (``new`` and ``unread`` need one)."""


class MainScreen(Screen[None]):
    """Three panes: forums and groups, the topics of the selected group, and the open thread."""

    BINDINGS = list(SCREEN_BINDINGS)

    reading: reactive[bool] = reactive(False)
    """True while a topic is open in the reader."""

    def __init__(self, service: ForumService) -> None:
        super().__init__()
        self.service = service
        self.group: Group | None = None
        """The group whose topics are listed (``None``: all groups)."""
        self.view = "latest"
        """The topic-list view: one of ``TOPIC_VIEWS``."""
        self._next_page: int | None = None
        self._topic: Topic | None = None
        self._opened: set[str] = set()
        """Topics opened so far (the service keeps them in memory)."""
        self._stale: set[str] = set()
        """Topics kept in memory from before a login: reloaded when opened again."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="panes"):
            with Vertical(id="left"):
                yield ForumList(id="forums")
                yield GroupList(id="groups")
            yield TopicList(id="topics")
            yield ThreadView(base_url=self.service.url, id="reader")
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
        self.forums_pane.border_title = Content("Forums")
        self.forums_pane.set_forums([ForumEntry(self.forum, self.service.username, True)])
        self.groups_pane.border_title = Content("Groups")
        self.topics_pane.border_title = Content("Topics")
        self.reader.border_title = Content("Thread")
        self.topics_pane.clear_topics("Loading…")
        self._update_title()
        self.topics_pane.focus()
        self.load_start()
        self.load_forums()

    def on_resize(self) -> None:
        width = self.size.width
        self.set_class(width < NARROW_WIDTH, "-narrow")
        self.set_class(NARROW_WIDTH <= width < WIDE_WIDTH, "-medium")
        self.set_class(width >= WIDE_WIDTH, "-wide")
        self.set_class(self.size.height < SHORT_HEIGHT, "-short")

    def watch_reading(self, reading: bool) -> None:
        self.set_class(reading, "-reading")

    # ------------------------------------------------------------------ status

    def _update_title(self, site_title: str | None = None) -> None:
        app = self.app
        if site_title is not None:
            app.title = text(site_title).plain or self.service.name
        elif not app.title:
            app.title = self.service.name
        who = text(self.service.username).plain if self.service.username else "anonymous"
        app.sub_title = f"{self.service.name} · {who} · {self.service.state.value}"

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

    # ------------------------------------------------------------------ forums

    @property
    def accounts(self) -> Accounts | None:
        """The app's known forums and logins (``None`` in an app that has none)."""
        return getattr(self.app, "accounts", None)

    @property
    def forum(self) -> ForumConfig:
        """The config of the forum on screen."""
        from termforum.config import ForumConfig

        forum: ForumConfig | None = getattr(self.app, "forum", None)
        if forum is None or forum.url != self.service.url:
            return ForumConfig(name=self.service.name, url=self.service.url)
        return forum

    @work(exclusive=True, group="forums", exit_on_error=False)
    async def load_forums(self) -> None:
        """List the known forums (reading the credential store off the event loop)."""
        accounts = self.accounts
        if accounts is None:
            return
        try:
            known = await asyncio.to_thread(accounts.accounts)
        except (TermforumError, OSError) as error:
            self.log.warning("could not list forums", error=repr(error))
            return
        url = self.service.url
        entries = [
            ForumEntry(
                account.forum,
                self.service.username if account.forum.url == url else account.username,
                account.forum.url == url,
            )
            for account in known
        ]
        if not any(entry.current for entry in entries):
            entries.insert(0, ForumEntry(self.forum, self.service.username, True))
        self.forums_pane.set_forums(entries)

    @on(ForumList.Chosen)
    def _forum_chosen(self, event: ForumList.Chosen) -> None:
        if event.entry.current:
            self.groups_pane.focus()
        else:
            self.switch_forum(event.entry.forum)

    def switch_forum(self, forum: ForumConfig) -> None:
        """Show ``forum`` instead of this one (the app builds its service and a new screen)."""
        switch = getattr(self.app, "switch_forum", None)
        if switch is not None:
            # The app's worker, not this screen's: switching removes this screen.
            self.app.run_worker(
                switch(forum), group="switch-forum", exclusive=True, exit_on_error=False
            )

    # ------------------------------------------------------------------ logging in

    def _login_key(self) -> str:
        """The key that opens the login screen now (after the user's keymap)."""
        keymap: dict[str, str] = getattr(self.app, "keymap", {})
        first = keymap.get("login", "L").split(",")[0].strip()
        return self.app.get_key_display(Binding(first, ""))

    def _login_refusal(self) -> str | None:
        """Why logging in is not offered here (``None``: it is)."""
        accounts = self.accounts
        forum = self.forum
        name = forum.name
        if accounts is None or accounts.fixed:
            if self.service.username:
                return (
                    f"The {name} forum already signs you in as its demo account "
                    f"({text(self.service.username).plain})."
                )
            return f"Logging in is not offered for {name} in this session."
        if forum.auth == "anonymous":
            return (
                f'The config file sets auth = "anonymous" for {name}; remove that line to '
                "log in there."
            )
        if forum.auth == "api_key":
            return (
                f'{name} is set up for an admin API key (auth = "api_key"): run '
                f"'termforum login {name} --api-key' in a shell."
            )
        return None

    def _login_open(self) -> bool:
        from termforum.ui.screens.login import LoginScreen

        return any(isinstance(screen, LoginScreen) for screen in self.app.screen_stack)

    def action_login(self) -> None:
        """Log in to this forum (or say why that is not offered here)."""
        refusal = self._login_refusal()
        if refusal is not None:
            self.notify(refusal, markup=False, timeout=6)
            return
        self.open_login()

    def open_login(self, reason: str | None = None) -> bool:
        """Show the login screen for this forum, with ``reason`` at its top; False when it is
        not offered or already up."""
        from termforum.ui.screens.login import LoginScreen

        accounts = self.accounts
        if accounts is None or self._login_refusal() is not None or self._login_open():
            return False
        screen = LoginScreen(accounts, self.forum, self.service, reason=reason)
        self.app.push_screen(screen, self._logged_in)
        return True

    def _offer_login(self) -> bool:
        """After a refused request: the login screen with the reason, once per forum."""
        offered: set[str] | None = getattr(self.app, "login_offered", None)
        if offered is None or self.service.url in offered:
            return False
        if self._login_refusal() is not None or self._login_open():
            return False
        offered.add(self.service.url)
        name = self.forum.name
        if self.service.logged_in:
            reason = f"{name} refused your key: it may have been revoked."
        else:
            reason = f"{name} shows its content only to members: log in to read it."
        return self.open_login(reason)

    def _logged_in(self, outcome: LoginOutcome | None) -> None:
        """Say who we are now and reload, so that logged-in views and writing work at once."""
        if outcome is None:
            return
        accounts = self.accounts
        if outcome.saved.storage == "keyring":
            where = "the OS keyring"
        else:
            path = getattr(accounts.store, "path", None) if accounts is not None else None
            where = f"the file {path}" if path is not None else "a private file"
        user = text(outcome.user.username).plain
        self.notify(
            f"Logged in to {self.forum.name} as {user} (key kept in {where}).",
            markup=False,
            timeout=8,
        )
        if outcome.saved.warning:
            self.notify(outcome.saved.warning, severity="warning", markup=False, timeout=10)
        self._stale = set(self._opened)
        self._update_title()
        self.load_forums()
        self.load_start(refresh=True)
        if self.reading and self._topic is not None:
            self._stale.discard(self._topic.id)
            self.refresh_topic()

    # ----------------------------------------------------------------- loading

    @work(exclusive=True, group="start", exit_on_error=False)
    async def load_start(self, *, refresh: bool = False) -> None:
        """Load the forum's title and groups, then the topic list (``refresh``: ask the
        forum again for the groups, e.g. after logging in)."""
        try:
            site = await self.service.site()
            groups = await self.service.groups(refresh=refresh)
        except ForumError as error:
            if self.service.state is ConnectionState.OFFLINE:
                # Nothing to show without the forum: leave with the reason (cli prints it).
                self.app.exit(result=text(error.message).plain, return_code=2)
                return
            if isinstance(error, AuthError) and self._login_refusal() is None:
                key = self._login_key()
                self.topics_pane.clear_topics(f"The forum refused: press {key} to log in.")
            self._load_failed(error)
            return
        self._update_title(site.title)
        self._mention_drafts()
        state = self._state
        remembered = state.last_group.get(self.service.name) if state else None
        if self.group is None and remembered is not None:
            self.group = next((group for group in groups if group.id == remembered), None)
            self.view = self._remembered_view()
        self.groups_pane.set_groups(groups, select=self.group.id if self.group else None)
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

    @work(exclusive=True, group="topics", exit_on_error=False)
    async def load_topics(self, *, append: bool = False) -> None:
        """Load the first (or, with ``append``, the next) page of the topic list."""
        group, view = self.group, self.view
        page = self._next_page if append else 0
        if page is None:
            return
        self._set_topics_title()
        try:
            result = await self.service.topics(group.id if group else None, view=view, page=page)
        except ForumError as error:
            self._load_failed(error)
            if not append:
                self.topics_pane.clear_topics("Could not load topics. Press ctrl+r to retry.")
            return
        if (group, view) != (self.group, self.view):
            return
        self._update_title()
        self._next_page = result.next_page
        has_more = result.next_page is not None
        if not result.topics and not append:
            self.topics_pane.clear_topics("No topics here yet.")
        else:
            self.topics_pane.set_topics(result.topics, has_more=has_more, append=append)

    def _set_topics_title(self) -> None:
        name = text(self.group.name) if self.group else Content("All groups")
        self.topics_pane.border_title = Content.assemble(name, (f" · {self.view}", "dim"))

    @work(exclusive=True, group="thread", exit_on_error=False)
    async def open_topic(self, topic: Topic, post_number: int | None = None) -> None:
        """Open ``topic`` in the reader (at ``post_number`` when given)."""
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
        self.reader.border_title = text(state.thread.topic.title)
        start = 0
        if post_number is not None:
            start = self._index_for_number(state, post_number)
        self.reader.show_thread(state.thread, state.posts.values(), start_at=start)

    @staticmethod
    def _index_for_number(state, post_number: int) -> int:  # type: ignore[no-untyped-def]
        for index, pid in enumerate(state.thread.post_ids):
            post = state.posts.get(pid)
            if post is not None and post.number >= post_number:
                return index
        # Not loaded yet: post numbers usually follow the stream closely.
        return max(0, min(post_number - 1, len(state.thread.post_ids) - 1))

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

    def _view_key(self) -> str:
        return self.group.id if self.group else ALL_GROUPS

    def _remembered_view(self) -> str:
        state = self._state
        views = state.view.get(self.service.name, {}) if state else {}
        view = views.get(self._view_key(), "latest")
        allowed = TOPIC_VIEWS if self.service.logged_in else ANONYMOUS_VIEWS
        return view if view in allowed else "latest"

    def _remember(self) -> None:
        state = self._state
        if state is None:
            return
        name = self.service.name
        if self.group is None:
            state.last_group.pop(name, None)
        else:
            state.last_group[name] = self.group.id
        state.view.setdefault(name, {})[self._view_key()] = self.view

    @on(GroupList.Selected)
    def _group_selected(self, event: GroupList.Selected) -> None:
        self.group = event.group
        self.view = self._remembered_view()
        self._remember()
        self._next_page = 0
        self.topics_pane.clear_topics("Loading…")
        self.topics_pane.focus()
        self.load_topics()

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

    def action_cycle_view(self) -> None:
        """Show the next topic-list view (latest, top, hot, …)."""
        views = TOPIC_VIEWS if self.service.logged_in else ANONYMOUS_VIEWS
        position = views.index(self.view) if self.view in views else -1
        self.set_view(views[(position + 1) % len(views)])

    def set_view(self, view: str) -> None:
        """Switch the topic list to ``view``."""
        self.view = view
        self._remember()
        self._next_page = 0
        self.topics_pane.clear_topics("Loading…")
        self.load_topics()

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
        cursor = self.reader.cursor
        try:
            state = await self.service.open_thread(topic.id, refresh=True)
        except ForumError as error:
            self._load_failed(error)
            return
        if self._topic is topic:
            self.reader.show_thread(state.thread, state.posts.values(), start_at=cursor)

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

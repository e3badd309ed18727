"""The composer: replies, quote-replies, new topics and edits, with drafts that are never lost.

Every keystroke is saved to a draft file within a couple of seconds (the draft journal in
``termforum.drafts``); the draft is deleted only when the forum confirms the post. For a new
topic the composer looks for similar topics while the title is typed ("search before you
ask") and runs a short pre-flight check before sending. The composer stays open with the text
on any failure and says in one sentence what happened.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from termforum.drafts import Draft
from termforum.errors import TermforumError
from termforum.models import Topic
from termforum.outbox import SendOutcome
from termforum.plain import text
from termforum.preflight import PostCheck, check_post
from termforum.render import render_markdown
from termforum.service import ForumService
from termforum.ui.bindings import COMPOSER_BINDINGS
from termforum.ui.screens.composer_request import ComposerRequest, quote_block
from termforum.ui.styles import SCREENS_CSS

__all__ = ["ComposerRequest", "ComposerScreen", "edit_externally", "quote_block"]

AUTOSAVE_SECONDS = 1.0
"""A draft is written this long after the last keystroke (well within the 2 s promise)."""
SIMILAR_DEBOUNCE_SECONDS = 0.6
"""Similar topics are looked up this long after the title or body stops changing."""
MIN_SIMILAR_TITLE = 10
"""Discourse answers ``[]`` for shorter titles (``min_title_similar_length``)."""


def edit_externally(body: str, editor: str | None = None) -> str:
    """Open ``body`` in ``$VISUAL``/``$EDITOR`` and return the edited text.

    Raises ``TermforumError`` with one sentence when no editor can be run. The temporary file
    is private (0600) and removed afterwards.
    """
    command = editor or os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    fd, name = tempfile.mkstemp(prefix="termforum-", suffix=".md")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body)
        try:
            result = subprocess.run([*shlex.split(command), str(path)], check=False)
        except (OSError, ValueError) as error:
            raise TermforumError(
                f'Could not start the editor "{command}" ({error.__class__.__name__}); '
                "set $VISUAL or $EDITOR to one that works."
            ) from None
        if result.returncode != 0:
            raise TermforumError(
                f'The editor "{command}" exited with status {result.returncode}; '
                "your text is unchanged."
            )
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)


class ComposerScreen(Screen[SendOutcome | None]):
    """Write a post. Dismissed with the ``SendOutcome`` of a sent post, or ``None``."""

    CSS_PATH = SCREENS_CSS

    BINDINGS = list(COMPOSER_BINDINGS)

    def __init__(self, service: ForumService, request: ComposerRequest) -> None:
        super().__init__()
        self.service = service
        self.request = request
        self.key = request.key
        self._session = None
        self._read_only = False
        self._save_timer: Timer | None = None
        self._similar_timer: Timer | None = None
        self._similar: list[Topic] = []
        self._similar_opened: set[str] = set()
        self._saved_text = ""
        self._sending = False

    @property
    def is_new_topic(self) -> bool:
        """True when composing a new topic (title, group and tags shown)."""
        return self.key.kind == "topic"

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="composer"):
            yield Static(self.request.heading, id="composer-heading")
            if self.is_new_topic:
                yield Input(self.request.title, placeholder="Title: what do you need?", id="title")
                with Horizontal(id="composer-meta"):
                    yield Select(
                        [(text(g.name).plain, g.id) for g in self.request.groups],
                        value=self.key.group_id or Select.NULL,
                        prompt="Group",
                        id="group",
                    )
                    yield Input(
                        ", ".join(self.request.tags), placeholder="tags, comma separated", id="tags"
                    )
            with Horizontal(id="composer-main"):
                yield TextArea(
                    self.request.body,
                    language="markdown",
                    soft_wrap=True,
                    tab_behavior="focus",
                    show_line_numbers=False,
                    id="body",
                )
                with VerticalScroll(id="preview"):
                    yield Static(id="preview-text")
                if self.is_new_topic:
                    yield OptionList(id="similar")
            yield Static(id="composer-status")
        yield Footer()

    def on_mount(self) -> None:
        # No blinking cursors: a blink repaints twice a second, costly over a slow SSH link.
        for widget in self.query("TextArea, Input"):
            widget.cursor_blink = False  # type: ignore[attr-defined]
        self.query_one("#preview").display = False
        body = self.query_one("#body", TextArea)
        body.border_title = Content("Markdown")
        if self.is_new_topic:
            similar = self.query_one("#similar", OptionList)
            similar.border_title = Content("Similar topics")
            similar.add_option(
                Option(Content.styled("Type a title to see them.", "dim"), disabled=True)
            )
        self._open_draft()
        self._load_limits()
        if self.is_new_topic and not self.query_one("#title", Input).value:
            self.query_one("#title", Input).focus()
        else:
            body.focus()
            body.move_cursor(body.document.end)
        self._update_status()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 100, "-narrow")

    # ------------------------------------------------------------------ drafts

    def _open_draft(self) -> None:
        """Take the draft lock; load a draft left by an earlier run (offered back in place)."""
        try:
            self._session, existing, self._read_only = self.service.open_draft(self.key)
        except (TermforumError, OSError) as error:
            self.notify(str(error), severity="error", markup=False)
            return
        if self._session is not None:
            # What a SIGHUP/SIGTERM flush saves: the text as it is on screen at that moment.
            self._session.snapshot = self.current_draft
        if existing is not None and (existing.body or existing.title):
            self._load(existing)
            self.notify(f"Your unsent draft is back ({existing.status}).", markup=False, timeout=5)
        if self._read_only:
            self.query_one("#body", TextArea).read_only = True
            self.notify(
                "This draft is open in another termforum; it is read-only here.",
                severity="warning",
                markup=False,
            )
        self._saved_text = self._snapshot_key()

    def _load(self, draft: Draft) -> None:
        self.query_one("#body", TextArea).load_text(draft.body)
        if self.is_new_topic:
            self.query_one("#title", Input).value = draft.title
            self.query_one("#tags", Input).value = ", ".join(draft.tags)

    def current_draft(self) -> Draft:
        """The draft as it is on screen now."""
        title, tags = "", ()
        if self.is_new_topic:
            title = self.query_one("#title", Input).value
            raw_tags = self.query_one("#tags", Input).value.split(",")
            tags = tuple(tag.strip() for tag in raw_tags if tag.strip())
        return self.service.make_draft(
            self.key,
            body=self.query_one("#body", TextArea).text,
            title=title,
            tags=tags,
            topic_title=self.request.topic.title if self.request.topic else None,
        )

    def chosen_group(self) -> str | None:
        """The group a new topic goes to (the selector's value)."""
        if not self.is_new_topic:
            return None
        selected = self.query_one("#group", Select).value
        return selected if isinstance(selected, str) else None

    def _snapshot_key(self) -> str:
        draft = self.current_draft()
        return "\x00".join((draft.title, draft.body, ",".join(draft.tags)))

    def save_draft(self) -> bool:
        """Write the draft now if it changed; True when it is safe on disk."""
        if self._session is None or self._read_only:
            return False
        snapshot = self._snapshot_key()
        if snapshot == self._saved_text:
            return True
        try:
            self.service.save_draft(self._session, self.current_draft())
        except (TermforumError, OSError) as error:
            self._set_status(f"Draft NOT saved: {error}", error=True)
            return False
        self._saved_text = snapshot
        self._update_status(saved=True)
        return True

    def _changed(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(AUTOSAVE_SECONDS, self.save_draft)
        self._update_status()
        if self.is_new_topic:
            if self._similar_timer is not None:
                self._similar_timer.stop()
            self._similar_timer = self.set_timer(SIMILAR_DEBOUNCE_SECONDS, self._look_for_similar)

    @on(TextArea.Changed)
    def _body_changed(self) -> None:
        self._changed()
        if self.query_one("#preview").display:
            self._render_preview()

    @on(Input.Changed)
    def _input_changed(self) -> None:
        self._changed()

    @work(group="limits", exit_on_error=False)
    async def _load_limits(self) -> None:
        """Ask the forum for its length rules once (defaults meanwhile and on failure)."""
        try:
            await self.service.load_limits()
        except TermforumError:
            return
        self._update_status()

    # ------------------------------------------------------------------ status

    def _update_status(self, *, saved: bool = False) -> None:
        body = self.query_one("#body", TextArea).text
        limits = self.service.limits
        minimum = limits.min_first_post_length if self.is_new_topic else limits.min_post_length
        count = len(body.strip())
        parts: list[tuple[str, str] | str] = [
            (f"{count} characters", "$warning" if count < minimum else ""),
            (f" (at least {minimum})", "dim"),
        ]
        if self.is_new_topic:
            title = len(self.query_one("#title", Input).value.strip())
            need = limits.min_topic_title_length
            parts.append((f" · title {title}", "$warning" if title < need else ""))
            parts.append((f" (at least {need})", "dim"))
        if saved:
            parts.append((" · draft saved", "$success"))
        elif self._saved_text != self._snapshot_key():
            parts.append((" · saving…", "dim"))
        self.query_one("#composer-status", Static).update(Content.assemble(*parts))

    def _set_status(self, message: str, *, error: bool = False) -> None:
        style = "$error" if error else ""
        self.query_one("#composer-status", Static).update(text(message, style))

    # ----------------------------------------------------------------- similar

    @work(exclusive=True, group="similar", exit_on_error=False)
    async def _look_for_similar(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        if len(title) < MIN_SIMILAR_TITLE:
            return
        body = self.query_one("#body", TextArea).text
        topics = await self.service.similar_topics(title, body)
        if title != self.query_one("#title", Input).value.strip():
            return
        self._similar = topics
        similar = self.query_one("#similar", OptionList)
        if not topics:
            nothing = Content.styled("Nothing similar found.", "dim")
            similar.set_options([Option(nothing, disabled=True)])
            return
        similar.set_options([Option(self._similar_prompt(t), id=t.id) for t in topics])

    def _similar_prompt(self, topic: Topic) -> Content:
        seen = "✓ " if topic.id in self._similar_opened else "  "
        replies = max(topic.posts_count - 1, 0)
        return Content.assemble(
            (seen, "$success"), text(topic.title), (f"\n  {replies} replies", "dim")
        )

    @on(OptionList.OptionSelected, "#similar")
    def _open_similar(self, event: OptionList.OptionSelected) -> None:
        topic = next((t for t in self._similar if t.id == event.option.id), None)
        if topic is None:
            return
        self.save_draft()
        self._similar_opened.add(topic.id)
        event.option_list.replace_option_prompt(topic.id, self._similar_prompt(topic))
        from termforum.ui.screens.topic_preview import TopicPreviewScreen

        self.app.push_screen(TopicPreviewScreen(self.service, topic))

    # ----------------------------------------------------------------- actions

    def action_toggle_preview(self) -> None:
        """Show how the post will read (same renderer as posts), or go back to editing."""
        preview = self.query_one("#preview")
        preview.display = not preview.display
        self.query_one("#body").display = not preview.display
        if preview.display:
            self.call_after_refresh(self._render_preview)  # once it has its width
            preview.focus()
        else:
            self.query_one("#body").focus()

    def _render_preview(self) -> None:
        body = self.query_one("#body", TextArea).text
        width = max(20, self.query_one("#preview").size.width - 2)
        lines = render_markdown(body, base_url=self.service.url).lines(width)
        self.query_one("#preview-text", Static).update(Content("\n").join(lines))

    def action_external_editor(self) -> None:
        """Edit the text in $VISUAL/$EDITOR (the app suspends and resumes)."""
        if self._read_only:
            return
        self.save_draft()
        area = self.query_one("#body", TextArea)
        try:
            with self.app.suspend():
                edited = edit_externally(area.text)
        except TermforumError as error:
            self.notify(str(error), severity="error", markup=False)
            return
        except Exception:  # SuspendNotSupported (e.g. a web or headless driver)
            message = "This terminal cannot hand over to an editor."
            self.notify(message, severity="warning", markup=False)
            return
        area.load_text(edited)
        self.save_draft()

    def action_close(self) -> None:
        """Close the composer; the draft stays (resume it from the drafts list)."""
        self.save_draft()
        self.service.close_draft(self._session)
        self._session = None
        self.dismiss(None)

    def action_send(self) -> None:
        """Run the pre-flight check, then send."""
        if self._sending or self._read_only:
            return
        draft = self.current_draft()
        problems = check_post(
            PostCheck(
                body=draft.body,
                title=draft.title if self.is_new_topic else None,
                similar_shown=len(self._similar),
                similar_opened=len(self._similar_opened),
                first_post=self.is_new_topic,
            ),
            self.service.limits,
        )
        if self.is_new_topic and self.chosen_group() is None:
            problems.insert(0, "Choose a group for the topic.")
        if not problems:
            self._send()
            return
        from termforum.ui.screens.confirm import ConfirmScreen

        def answered(go_ahead: bool | None) -> None:
            if go_ahead:
                self._send()

        self.app.push_screen(ConfirmScreen("Before you post", problems, "Post anyway"), answered)

    @work(exclusive=True, group="send", exit_on_error=False)
    async def _send(self) -> None:
        self._sending = True
        self._set_status("Sending…")
        try:
            outcome = await self.service.send(
                self._session, self.current_draft(), group_id=self.chosen_group()
            )
        finally:
            self._sending = False
        self._saved_text = self._snapshot_key()
        if outcome.status in ("posted", "queued"):
            self.service.close_draft(self._session)
            self._session = None
            self.dismiss(outcome)
            return
        # Failed or unconfirmed: the text stays here and in the draft file.
        severity = "warning" if outcome.status == "unconfirmed" else "error"
        self._set_status(outcome.message, error=True)
        self.notify(outcome.message, severity=severity, markup=False, timeout=10)

"""Hostile post bodies: nothing reaches the terminal but text and our own styles.

Checklist items 1, 4, 5, 6, 7 and 25 of ``docs/reliability.md``: escape sequences and
control characters never survive rendering (checked down to the bytes written to the
terminal), markup in server text shows literally and cannot attach actions, link targets
never become terminal hyperlinks, and pathological HTML is rendered or truncated within a
time budget without raising.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

import termforum.render as render
from termforum.plain import text
from termforum.render import RenderedBody, render_html, render_markdown
from termforum.sanitize import clean_line

FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\u2060\ufeff\ud800-\udfff]"
)
PAYLOADS = [
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\",
    "\x1b]0;owned\x07",  # window title
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # hyperlink
    "\x1b[2J\x1b[H",  # clear screen, cursor home
    "\x1b[6n",  # cursor position report (answer on stdin)
    "\x1bP$q m\x1b\\",  # DECRQSS
    "\x1b_Gpayload\x1b\\",  # APC
    "\x9b2J",  # 8-bit CSI
    "\x9d0;title\x9c",  # 8-bit OSC
    "\x90q\x9c",  # 8-bit DCS
    "\x1b]unterminated",
    "\x00\x7f\x08\r",
    "&#27;[2J&#x1b;]52;c;QQ==&#7;&#x9b;",  # the same as entities
    "\u202eevil\u202c",
    "zero\u200bwidth",
]
MARKUP = [
    "[b]x[/b]",
    "[link=https://evil.example]x[/link]",
    "[@click=app.quit]x[/]",
    "[/",
    "a [/ b",
    "[bold",
    "end\\",
]
RELAXED = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def no_fallbacks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the error fallbacks fail loudly: the main path must cope on its own."""

    def fail(*_args: object) -> None:
        raise AssertionError("the renderer needed its error fallback")

    monkeypatch.setattr(render, "_fallback_body", fail)
    monkeypatch.setattr(render, "_fallback_lines", fail)


def assert_safe_lines(body: RenderedBody, width: int) -> None:
    for flags in ({}, {"reveal_spoilers": True, "expand_details": True}):
        for line in body.lines(width, **flags):
            assert line.cell_length <= width, (width, line.plain)
            assert FORBIDDEN.search(line.plain) is None, repr(line.plain)
            for span in line.spans:
                style = str(span.style)
                assert "@click" not in style and "link" not in style.split(), style
                assert not getattr(span.style, "meta", None)


# --------------------------------------------------------------------------- generated HTML

TAG_NAMES = (
    "p div span a b strong i em s code pre blockquote aside ul ol li h1 h2 h3 table thead "
    "tr td th details summary img br hr video source iframe script style svg kbd mark "
    "dl dt dd textarea blink"
)
TAGS = st.sampled_from(TAG_NAMES.split())
ATTRS = st.sampled_from(
    [
        "",
        ' class="quote no-group" data-username="al\x1b[2Jice"',
        ' class="onebox" data-onebox-src="https://example.com/\x1b]52;c;QQ==\x07"',
        ' href="https://example.com/a"',
        ' href="javascript:alert(1)"',
        ' href="/t/1"',
        ' href="https://x.example/\x1b\\\x1b]52;c;QQ==\x1b\\"',
        ' class="spoiler"',
        ' class="emoji" alt=":smile:"',
        ' class="emoji" alt=":\x1b[31m:"',
        ' class="lang-python"',
        ' src="//cdn.example/x.png" alt="pic\x9b2J"',
        ' class="mention"',
        ' class="hashtag-cooked" data-slug="d\u202eev"',
        ' class="poll"',
        ' class="title"',
        ' class="lightbox" href="/x" title="t\x07"',
        ' class="meta"',
        ' start="3"',
        ' value="99999999999"',
        " open",
        ' class="lazy-video-container" data-video-title="V\x1b]0;t\x07"',
        " unterminated='",
    ]
)
TEXT = st.one_of(
    st.sampled_from(PAYLOADS + MARKUP + ["word", " ", "\n", "中文", "😀\u200d😀", "&amp;", "<"]),
    st.text(max_size=20),
)


@st.composite
def html_fragments(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 40))):
        kind = draw(st.integers(0, 2))
        tag = draw(TAGS)
        if kind == 0:
            parts.append(f"<{tag}{draw(ATTRS)}>")
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(TEXT))
    return "".join(parts)


@RELAXED
@given(html_fragments(), st.sampled_from([1, 2, 5, 20, 80]))
def test_generated_html_renders_safely(
    monkeypatch: pytest.MonkeyPatch, html: str, width: int
) -> None:
    no_fallbacks(monkeypatch)
    body = render_html(html, base_url="https://forum.example/")
    assert_safe_lines(body, width)
    for link in body.links:
        assert link.url is None or re.fullmatch(r"[!-~]+", link.url)
        assert FORBIDDEN.search(link.text + link.host) is None


@RELAXED
@given(st.text(st.characters(exclude_categories=())), st.sampled_from([3, 40]))
def test_any_string_renders_safely(monkeypatch: pytest.MonkeyPatch, value: str, width: int) -> None:
    no_fallbacks(monkeypatch)
    assert_safe_lines(render_html(value), width)
    assert_safe_lines(render_markdown(value), width)


@RELAXED
@given(st.one_of(st.text(st.characters(exclude_categories=())), st.sampled_from(MARKUP)))
def test_text_shows_exactly_the_cleaned_string(value: str) -> None:
    content = text(value)
    assert content.plain == clean_line(value)
    assert content.spans == []
    styled = text(value, "bold")
    assert styled.plain == clean_line(value)
    assert all(str(span.style) == "bold" for span in styled.spans)


# --------------------------------------------------------------------------- markup


@pytest.mark.parametrize("markup", MARKUP)
def test_markup_in_posts_is_shown_literally(markup: str) -> None:
    escaped = markup.replace("&", "&amp;").replace("<", "&lt;")
    body = render_html(f"<p>before {escaped} after</p>")
    (line,) = body.lines(80)
    assert line.plain == f"before {markup} after"
    assert line.spans == []


def test_markup_in_attributes_is_shown_literally() -> None:
    html = (
        '<aside class="quote" data-username="[@click=app.quit]x[/]"><blockquote><p>q</p>'
        '</blockquote></aside><p><img src="/i.png" alt="[link=https://evil]x[/link]"></p>'
    )
    plain = render_html(html, base_url="https://forum.example/").plain_text()
    assert "[@click=app.quit]x[/] said:" in plain
    assert "[image: [link=https://evil]x[/link]]" in plain


class ClickApp(App[None]):
    """Shows one server string; records whether any action ran."""

    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value
        self.ran: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static(text(self.value), id="shown")

    def action_pwn(self, argument: str = "") -> None:
        self.ran.append(argument)

    def action_quit(self) -> None:  # type: ignore[override]
        self.ran.append("quit")


@pytest.mark.parametrize("value", ["[@click=app.pwn('x')]Mallory[/]", "[@click=app.quit]Mal[/]"])
async def test_clicking_server_text_runs_no_action(value: str) -> None:
    app = ClickApp(value)
    async with app.run_test() as pilot:
        await pilot.click("#shown", offset=(2, 0))
        await pilot.click("#shown", offset=(10, 0))
        await pilot.pause()
        shown = app.query_one("#shown", Static)
        assert str(shown.render()) == value
    assert app.ran == []


# --------------------------------------------------------------------------- bytes on the wire


class LinesView(Widget):
    """Draws rendered lines the way the thread reader does (segments into strips)."""

    def __init__(self, lines: list[Content]) -> None:
        super().__init__()
        self.lines = lines

    def render_line(self, y: int) -> Strip:
        if y >= len(self.lines):
            return Strip.blank(self.size.width)
        return Strip(self.lines[y].render_segments(self.visual_style))


HOSTILE_POST = "".join(
    [
        "<h2>Title " + PAYLOADS[0] + "</h2>",
        "<p>" + " ".join(PAYLOADS) + "</p>",
        '<p><a href="https://x.example/\x1b\\\x1b]52;c;QQ==\x1b\\">link' + PAYLOADS[4] + "</a>",
        ' <a href="javascript:\x1b]0;x\x07">js</a></p>',
        '<aside class="quote" data-username="eve' + PAYLOADS[1] + '"><blockquote><p>',
        PAYLOADS[8] + "quoted</p></blockquote></aside>",
        '<pre><code class="lang-python">print("' + PAYLOADS[0] + PAYLOADS[9] + '")</code></pre>',
        "<table><tr><th>h" + PAYLOADS[2] + "</th></tr><tr><td>c" + PAYLOADS[10] + "</td></tr>",
        "</table><ul><li>item" + PAYLOADS[5] + "</li></ul>",
        '<p><img src="/x.png" alt="alt' + PAYLOADS[3] + '"> <img class="emoji" alt=":x\x07:">',
        '<span class="spoiler">s' + PAYLOADS[6] + "</span></p>",
        '<aside class="onebox" data-onebox-src="https://o.example/"><h3>t' + PAYLOADS[11],
        "</h3><p>d" + PAYLOADS[12] + "</p></aside>",
        "<details><summary>sum" + PAYLOADS[7] + "</summary><p>x</p></details>",
    ]
)


async def test_terminal_bytes_contain_only_our_own_sgr() -> None:
    body = render_html(HOSTILE_POST, base_url="https://forum.example/")
    lines = body.lines(76, reveal_spoilers=True, expand_details=True)
    assert any("quoted" in line.plain for line in lines)

    class Viewer(App[None]):
        def compose(self) -> ComposeResult:
            yield LinesView(lines)

    app = Viewer()
    async with app.run_test(size=(80, len(lines) + 2)) as pilot:
        await pilot.pause()
        view = app.query_one(LinesView)
        strips = view.render_lines(Region(0, 0, view.size.width, view.size.height))
        output = "".join(strip.render(app.console) for strip in strips)
    assert "quoted" in output and "Title" in output
    for forbidden in ("\x1b]", "\x1b[2J", "\x1b[H", "\x1b[6n", "\x1bP", "\x1b_", "\x07"):
        assert forbidden not in output
    assert not re.search("[\x80-\x9f]", output)
    without_sgr = re.sub(r"\x1b\[[0-9;]*m", "", output)
    assert "\x1b" not in without_sgr  # every escape sequence left is plain colour/attributes


def test_hostile_link_targets_never_become_hyperlinks() -> None:
    body = render_html(HOSTILE_POST, base_url="https://forum.example/")
    for link in body.links:
        assert link.url is None or re.fullmatch(r"[!-~]+", link.url)
    for line in body.lines(80):
        for span in line.spans:
            assert "link=" not in str(span.style)


# --------------------------------------------------------------------------- pathological


PATHOLOGICAL = {
    "20,000 unclosed <a ": "<a " * 20_000,
    "20,000 unclosed <a href": '<a href="x" ' * 20_000,
    "20,000 unclosed quoted attributes": '<a b="' * 20_000,
    "20,000 unclosed inline tags": "<b><i><span>" * 20_000 + "text",
    "10,000 nested divs": "<div>" * 10_000 + "deep" + "</div>" * 10_000,
    "10,000 nested quotes": "<blockquote><p>q</p>" * 10_000,
    "10,000 nested lists": "<ul><li>item" * 10_000,
    "10,000 open list items": "<ul><li>" * 10_000 + "x",
    "10,000 open quotes": "<blockquote>" * 10_000 + "x",
    "10,000 nested details": "<details><summary>s</summary>" * 10_000,
    "10,000 nested tables": "<table><tr><td>" * 10_000 + "x",
    "50,000 open comments": "<!--" * 50_000,
    "50,000 marked sections": "<![" * 50_000,
    "50,000 bogus end tags": "</" * 50_000 + "</ >" * 10_000,
    "100,000 lone <": "<" * 100_000,
    "100,000 entities": "&#" * 50_000 + "&amp;" * 50_000,
    "one huge attribute": '<a href="' + "x" * 1_000_000 + '">',
    "one huge word": "<p>" + "x" * 300_000 + "</p>",
    "wide table": "<table><tr>" + "<td>cell</td>" * 5_000 + "</tr></table>",
    "long table": "<table>" + "<tr><td>a</td><td>b</td></tr>" * 5_000 + "</table>",
    "huge code block": '<pre><code class="lang-python">' + "x = (1 +\n" * 20_000 + "</code></pre>",
    "escape soup": "\x1b]" * 50_000 + "\x9b" * 50_000,
}


@pytest.mark.parametrize("name", list(PATHOLOGICAL))
def test_pathological_html_is_handled_within_budget(
    monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    no_fallbacks(monkeypatch)
    html = PATHOLOGICAL[name]
    # How long it takes is a figure of `make bench` (bench_render.py), not a test timer.
    body = render_html(html)
    lines = body.lines(80)
    for line in lines[:2000]:
        assert line.cell_length <= 80
        assert FORBIDDEN.search(line.plain) is None


def test_deep_nesting_stops_indenting_but_keeps_the_text() -> None:
    (line,) = render_html("<blockquote>" * 10_000 + "deep").lines(80)
    assert line.plain == "│ " * 8 + "deep"
    (line,) = render_html("<ul><li>" * 10_000 + "deep").lines(80)
    assert line.plain == "• ◦ ▪ • ◦ ▪ • ◦ deep"


@pytest.mark.parametrize("markdown", ["[" * 200_000, "*a" * 100_000, "> " * 100_000 + "x"])
def test_pathological_markdown_is_handled_within_budget(markdown: str) -> None:
    body = render_markdown(markdown)
    lines = body.lines(80)
    assert body.truncated and lines
    assert all(line.cell_length <= 80 for line in lines)


def test_unclosed_tags_degrade_to_visible_text() -> None:
    body = render_html("<p>before</p><a " * 3)
    assert body.plain_text().startswith("before")
    assert "<a" in body.plain_text()


def test_ten_megabyte_post_is_truncated_with_a_notice() -> None:
    html = "<p>" + "word " * 2_000_000 + "</p>"
    body = render_html(html)
    lines = body.lines(80)
    assert body.truncated
    assert lines[-1].plain == "⋯ post truncated"
    assert lines[0].plain.startswith("word word")


def test_size_cap_never_shows_half_a_tag() -> None:
    html = "<p>" + "a" * 50 + '</p><p><a href="https://example.com/very/long/path">x</a></p>'
    body = render_html(html, max_chars=70)
    assert body.truncated
    assert "<a" not in body.plain_text()
    assert body.plain_text().startswith("a" * 50)


def test_time_budget_truncates_with_a_notice() -> None:
    body = render_html("<p>" + "<b>x</b> " * 5_000 + "</p>", time_budget=0.0)
    assert body.truncated
    assert body.lines(80)[-1].plain == "⋯ post truncated"


def test_internal_error_falls_back_to_the_plain_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: object, source: str) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(render._Builder, "run", broken)
    body = render_html("<p>still <b>readable</b> \x1b[2Jtext</p>")
    assert body.truncated
    assert body.plain_text().splitlines() == ["still readable text", "", "⋯ post truncated"]


def test_layout_error_falls_back_to_wrapped_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object) -> list[Content]:
        raise RuntimeError("bug")

    body = render_html("<p>" + "plain words " * 20 + "</p>")
    monkeypatch.setattr(render, "_layout", broken)
    lines = body.lines(30)
    assert lines and all(line.cell_length <= 30 for line in lines)
    assert " ".join(line.plain for line in lines).split() == ["plain", "words"] * 20


def test_non_string_input_gives_an_empty_body() -> None:
    assert render_html(None).lines(80) == []  # type: ignore[arg-type]
    assert render_markdown(b"bytes").lines(80) == []  # type: ignore[arg-type]


# --------------------------------------------------------------------------- list rows

HOSTILE_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=()), max_size=60),
    st.sampled_from(PAYLOADS + MARKUP),
    st.lists(st.sampled_from(PAYLOADS + MARKUP + ["ok", "名前", "👩‍💻"]), max_size=4).map("".join),
)


@RELAXED
@given(
    title=HOSTILE_TEXT,
    author=HOSTILE_TEXT,
    tag=HOSTILE_TEXT,
    excerpt=HOSTILE_TEXT,
    group_name=HOSTILE_TEXT,
    width=st.sampled_from([6, 30, 80]),
)
def test_every_field_of_a_list_row_is_shown_safely(
    title: str, author: str, tag: str, excerpt: str, group_name: str, width: int
) -> None:
    """Topic titles, usernames, tags, excerpts and group names, as the group and topic lists
    lay them out: no control characters, no markup actions, nothing wider than the list."""
    from termforum.models import Group, Topic
    from termforum.ui.widgets.lists import GroupList, TopicList

    topic = Topic(
        id="1",
        group_id="2",
        title=title,
        author=author,
        posts_count=3,
        created_at=None,
        last_posted_at=None,
        tags=(tag,),
        excerpt=excerpt,
        last_poster=author,
    )
    group = Group(id="2", name=group_name, slug="g", description=excerpt, parent_id="9")
    parent = Group(id="9", name=group_name, slug="p", notification_level="muted", topic_count=7)
    groups = GroupList()
    groups.set_groups([parent, group])
    groups.folded = {"9"}
    prompts = [groups._prompt(parent), groups._prompt(group)]  # noqa: SLF001
    for rows in (TopicList._prompt(topic), *prompts):  # noqa: SLF001
        for line in rows.layout(width):
            assert line.cell_length <= width, (width, line.plain)
            assert FORBIDDEN.search(line.plain) is None, repr(line.plain)
            for span in line.spans:
                assert "@click" not in str(span.style) and not getattr(span.style, "meta", None)

"""``termforum.render``: what a reader sees for Discourse ``cooked`` HTML and Markdown.

The HTML samples below follow the shapes Discourse's cooker emits (quotes as
``aside.quote``, fenced code as ``pre > code.lang-x``, oneboxes, lightboxes, polls…);
the recorded API responses in ``tests/fixtures/discourse`` are rendered as well.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from textual.content import Content

from termforum.plain import body_text, text
from termforum.render import Link, RenderedBody, render_html, render_markdown

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "discourse"
BASE = "https://forum.example/"


def show(body: RenderedBody, width: int = 80, **flags: bool) -> list[str]:
    """The lines as a reader sees them (non-breaking spaces read as spaces)."""
    lines = body.lines(width, **flags)
    for line in lines:
        assert line.cell_length <= width, (width, line.plain)
    return [line.plain.replace("\u00a0", " ").rstrip() for line in lines]


def styles_of(line: Content, fragment: str) -> set[str]:
    """The style strings applied to the first occurrence of ``fragment`` in ``line``."""
    start = line.plain.index(fragment)
    end = start + len(fragment)
    return {str(span.style) for span in line.spans if span.start <= start and span.end >= end}


def cooked_posts(path: Path) -> list[str]:
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "cooked" and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(path.read_text(encoding="utf-8")))
    return found


# --------------------------------------------------------------------------- paragraphs


def test_paragraphs_are_separated_and_wrapped() -> None:
    body = render_html("<p>" + "word " * 30 + "</p>\n\n<p>second paragraph</p>")
    lines = show(body, 40)
    assert lines[0] == "word " * 7 + "word"
    assert all(len(line) <= 40 for line in lines)
    assert lines[-2:] == ["", "second paragraph"]
    assert " ".join(lines[:-2]).split() == ["word"] * 30


def test_br_breaks_a_line_and_whitespace_collapses() -> None:
    body = render_html("<p>first line<br>\nsecond   line\n  continues</p>")
    assert show(body) == ["first line", "second line continues"]


def test_inline_styles_are_applied() -> None:
    body = render_html(
        "<p><strong>bold</strong> <em>it</em> <s>gone</s> <code>x = 1</code> <kbd>Ctrl</kbd></p>"
    )
    (line,) = body.lines(80)
    assert line.plain == "bold it gone x = 1 Ctrl"
    assert "bold" in styles_of(line, "bold")
    assert "italic" in styles_of(line, "it")
    assert "strike" in styles_of(line, "gone")
    assert styles_of(line, "x = 1")  # inline code is styled
    assert "reverse" in styles_of(line, "Ctrl")


def test_headings_are_bold_and_h1_h2_get_a_rule() -> None:
    body = render_html("<h1>Title</h1><h3>Smaller</h3><p>text</p>")
    lines = body.lines(80)
    assert [line.plain for line in lines] == ["Title", "━━━━━", "", "Smaller", "", "text"]
    assert "bold" in styles_of(lines[0], "Title")
    assert "bold" in styles_of(lines[3], "Smaller")


def test_a_heading_s_permalink_anchor_is_not_a_link() -> None:
    # Discourse cooks every heading with an empty ``a.anchor`` before its text.
    cooked = (
        '<h2><a name="the-short-version" class="anchor" href="#the-short-version"></a>'
        'The short version</h2><p>See <a href="https://example.org/guide">the guide</a>.</p>'
    )
    body = render_html(cooked, base_url=BASE)
    assert show(body)[0] == "The short version"
    assert [link.url for link in body.links] == ["https://example.org/guide"]
    assert "See the guide [1 example.org]." in show(body)


def test_horizontal_rule_spans_the_width() -> None:
    assert show(render_html("<p>a</p><hr><p>b</p>"), 30) == ["a", "", "─" * 30, "", "b"]


def test_entities_are_decoded() -> None:
    body = render_html("<p>Tom &amp; Jerry &lt;3 &quot;quoted&quot; &copy; &#x1F600;</p>")
    assert show(body) == ['Tom & Jerry <3 "quoted" © 😀']


# --------------------------------------------------------------------------- code


def test_code_block_keeps_lines_and_indentation() -> None:
    html = '<pre><code class="lang-auto">def f():\n    return 1\n\n\tif x:\n\t\tpass\n</code></pre>'
    assert show(render_html(html)) == [
        "┆ def f():",
        "┆     return 1",
        "┆",
        "┆     if x:",
        "┆         pass",
    ]


def test_long_code_lines_are_folded_not_rewrapped() -> None:
    code = "x = [" + ", ".join(str(n) for n in range(30)) + "]"
    lines = show(render_html(f"<pre><code>{code}</code></pre>"), 40)
    assert len(lines) > 1
    assert "".join(line[2:] for line in lines) == code  # nothing lost, nothing re-spaced


def test_code_with_a_language_is_highlighted() -> None:
    html = '<pre><code class="lang-python">def greet(name):\n    return "hi"\n</code></pre>'
    lines = render_html(html).lines(80)
    assert [line.plain for line in lines] == ["┆ def greet(name):", '┆     return "hi"']
    keyword = styles_of(lines[0], "def")
    string = styles_of(lines[1], "hi")
    assert keyword and string and keyword != string


def test_code_waits_plain_for_its_highlighter_then_shows_highlighted() -> None:
    # In a process of its own, so no other test has loaded the highlighter already.
    code = (
        "from termforum.render import render_html, lexer_is_loaded, load_lexer\n"
        "body = render_html('<pre><code class=\"lang-python\">def f(): pass</code></pre>')\n"
        "def styled():\n"
        "    line = body.lines(80, load_lexers=False)[0]\n"
        "    return bool([s for s in line.spans if 'def' in line.plain[s.start:s.end]])\n"
        "print(sorted(body.languages), lexer_is_loaded('python'), styled(), styled())\n"
        "load_lexer('python')\n"
        "print(lexer_is_loaded('python'), styled())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    # Plain while the highlighter is not loaded (and that layout is not kept), then coloured.
    assert result.stdout.split("\n")[:2] == ["['python'] False False False", "True True"]


def test_code_without_a_language_is_not_highlighted() -> None:
    lines = render_html("<pre><code>def greet(name): pass</code></pre>").lines(80)
    assert not styles_of(lines[0], "def")


def test_unknown_language_falls_back_to_plain_code() -> None:
    lines = render_html('<pre><code class="lang-nosuchlang">a b c</code></pre>').lines(80)
    assert [line.plain for line in lines] == ["┆ a b c"]


def test_pygments_is_imported_only_for_highlighted_code() -> None:
    code = (
        "import sys\n"
        "from termforum.render import render_html\n"
        "render_html('<p>x</p><pre><code>plain</code></pre>').lines(80)\n"
        "before = 'pygments' in sys.modules\n"
        "render_html('<pre><code class=\"lang-python\">x = 1</code></pre>').lines(80)\n"
        "print(before, 'pygments' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]


# --------------------------------------------------------------------------- quotes

QUOTE = """<aside class="quote no-group" data-username="alice" data-post="3" data-topic="42">
<div class="title">
<div class="quote-controls"></div>
<img loading="lazy" alt="" width="24" height="24" src="/user_avatar/forum.example/alice/48/1_2.png" class="avatar"> alice:</div>
<blockquote>
<p>You should <strong>never</strong> do that.</p>
<aside class="quote no-group" data-username="bob" data-post="1" data-topic="42">
<div class="title">
<div class="quote-controls"></div>
<img loading="lazy" alt="" width="24" height="24" src="/user_avatar/forum.example/bob/48/2_2.png" class="avatar"> bob:</div>
<blockquote>
<p>Can I do that?</p>
</blockquote>
</aside>
<p>That is all.</p>
</blockquote>
</aside>
<p>My answer.</p>"""  # noqa: E501


def test_quotes_show_the_author_and_an_indented_dimmed_body() -> None:
    body = render_html(QUOTE, base_url=BASE)
    assert show(body) == [
        "alice said:",
        "│ You should never do that.",
        "│",
        "│ bob said:",
        "│ │ Can I do that?",
        "│",
        "│ That is all.",
        "",
        "My answer.",
    ]
    lines = body.lines(80)
    assert "dim" in styles_of(lines[1], "You should")
    assert "dim" not in styles_of(lines[-1], "My answer.")
    assert body.links == ()  # avatars are not links


def test_quote_of_another_topic_names_it() -> None:
    html = (
        '<aside class="quote no-group" data-username="EvilTrout" data-post="2" data-topic="7">\n'
        '<div class="title">\n<div class="quote-controls"></div>\n'
        '<a href="https://forum.example/t/a-test-topic/7/2">A test topic <img width="20" '
        'height="20" src="/images/emoji/twitter/slight_smile.png?v=9" title="slight_smile" '
        'alt="slight_smile" class="emoji"></a></div>\n'
        "<blockquote>\n<p>ddd</p>\n</blockquote>\n</aside>"
    )
    body = render_html(html, base_url=BASE)
    assert show(body) == ["EvilTrout said in A test topic 🙂 [1]:", "│ ddd"]
    assert body.links == (
        Link(1, "https://forum.example/t/a-test-topic/7/2", "A test topic 🙂", "forum.example"),
    )


def test_plain_blockquotes_nest() -> None:
    body = render_html("<blockquote><p>outer</p><blockquote><p>inner</p></blockquote></blockquote>")
    assert show(body) == ["│ outer", "│", "│ │ inner"]


def test_quoted_text_wraps_inside_the_bar() -> None:
    body = render_html("<blockquote><p>" + "quoted words " * 10 + "</p></blockquote>")
    lines = show(body, 30)
    assert len(lines) > 2
    assert all(line.startswith("│ ") and len(line) <= 30 for line in lines)


# --------------------------------------------------------------------------- lists


def test_nested_lists_have_markers_and_hanging_indents() -> None:
    html = (
        "<ul><li>first item with enough words to wrap onto another line</li>"
        '<li>second<ol start="9"><li>nine</li><li>ten<ul><li>deep</li></ul></li></ol></li>'
        "</ul><p>after</p>"
    )
    assert show(render_html(html), 40) == [
        "• first item with enough words to wrap",
        "  onto another line",
        "• second",
        "  9. nine",
        "  10. ten",
        "      ◦ deep",
        "",
        "after",
    ]


def test_loose_list_items_keep_their_paragraphs() -> None:
    html = "<ol><li><p>one</p><p>more about one</p></li><li><p>two</p></li></ol>"
    assert show(render_html(html)) == ["1. one", "", "   more about one", "2. two"]


def test_list_item_value_sets_the_number() -> None:
    html = '<ol><li>a</li><li value="7">b</li><li>c</li></ol>'
    assert show(render_html(html)) == ["1. a", "7. b", "8. c"]


# --------------------------------------------------------------------------- tables

TABLE = (
    '<div class="md-table"><table><thead><tr><th>Option</th><th>Meaning</th><th>Default</th>'
    "</tr></thead><tbody><tr><td>timeout</td><td>seconds to wait for the server before the "
    "request is given up</td><td>30</td></tr><tr><td>retries</td><td>attempts</td><td>3</td>"
    "</tr></tbody></table></div>"
)


def test_table_at_its_natural_width() -> None:
    html = "<table><tr><th>a</th><th>bb</th></tr><tr><td>1</td><td>2</td></tr></table>"
    assert show(render_html(html)) == ["a │ bb", "──┼───", "1 │ 2"]


def test_table_columns_shrink_and_cells_wrap_to_fit() -> None:
    lines = show(render_html(TABLE), 60)
    assert lines[0].split("│")[0].strip() == "Option"
    assert set(lines[1]) <= {"─", "┼"}
    assert any("timeout" in line and "30" in line for line in lines)
    assert all(len(line) <= 60 for line in lines)
    cells = " ".join(line.split("│")[1].strip() for line in lines[2:-1])
    assert "seconds to wait for the server before the request is given up" in cells


def test_too_narrow_table_becomes_records() -> None:
    lines = show(render_html(TABLE), 24)
    assert lines[0] == "Option: timeout"
    assert "Default: 30" in lines
    assert "Option: retries" in lines
    assert all(len(line) <= 24 for line in lines)


def test_table_cells_keep_links() -> None:
    html = '<table><tr><td><a href="https://example.com/x">site</a></td></tr></table>'
    body = render_html(html)
    assert show(body) == ["site [1 example.com]"]
    assert body.links[0].url == "https://example.com/x"


# --------------------------------------------------------------------------- links


def test_links_are_numbered_with_their_real_host() -> None:
    html = (
        '<p>Read <a href="https://docs.python.org/3/">the docs</a>, '
        '<a href="https://docs.python.org/3/">again</a> and '
        '<a href="/t/welcome/1">this topic</a> or mail '
        '<a href="mailto:help@example.com">help@example.com</a>.</p>'
    )
    body = render_html(html, base_url=BASE)
    assert show(body, 200) == [
        "Read the docs [1 docs.python.org], again [1 docs.python.org] and this topic [2] or mail "
        "help@example.com [3]."
    ]
    assert body.links == (
        Link(1, "https://docs.python.org/3/", "the docs", "docs.python.org"),
        Link(2, "https://forum.example/t/welcome/1", "this topic", "forum.example"),
        Link(3, "mailto:help@example.com", "help@example.com", "example.com"),
    )


def test_url_shown_as_text_is_not_repeated() -> None:
    html = '<p><a href="https://github.com/discourse/discourse">https://github.com/discourse/discourse</a></p>'  # noqa: E501
    assert show(render_html(html)) == ["https://github.com/discourse/discourse [1]"]


def test_link_text_that_fakes_a_host_shows_the_real_one() -> None:
    html = '<p><a href="https://evil.example/">https://bank.example/evil.example</a></p>'
    assert show(render_html(html)) == ["https://bank.example/evil.example [1 evil.example]"]


def test_disallowed_links_are_plain_text_and_not_openable() -> None:
    html = (
        '<p><a href="javascript:alert(1)">click</a> <a href="file:///etc/passwd">file</a> '
        '<a href="/relative">relative without base</a></p>'
    )
    body = render_html(html)
    assert show(body) == ["click [1 ✗] file [2 ✗] relative without base [3 ✗]"]
    assert [link.url for link in body.links] == [None, None, None]
    (line,) = body.lines(80)
    assert not styles_of(line, "click")  # not styled as a link


def test_link_spans_never_carry_terminal_hyperlinks() -> None:
    body = render_html('<p><a href="https://example.com/">x</a></p>')
    for line in body.lines(80):
        for span in line.spans:
            assert "link" not in str(span.style).split()
            assert "@click" not in str(span.style)


def test_empty_link_shows_its_host() -> None:
    body = render_html('<p>see <a href="https://example.com/page"></a></p>')
    assert show(body) == ["see example.com [1]"]


# --------------------------------------------------------------------------- Discourse bits


def test_mentions_and_hashtags() -> None:
    html = (
        '<p>Hi <a class="mention" href="/u/sam">@sam</a> and <span class="mention">@ghost</span>,'
        ' see <a class="hashtag-cooked" href="/c/dev/7" data-type="category" data-slug="dev">'
        '<span class="hashtag-icon-placeholder"><svg class="fa d-icon"><use href="#square-full">'
        "</use></svg></span><span>Development</span></a> and the old "
        '<a class="hashtag" href="/tag/help">#<span>help</span></a>.</p>'
    )
    body = render_html(html, base_url=BASE)
    (line,) = body.lines(80)
    assert line.plain == "Hi @sam and @ghost, see #dev and the old #help."
    assert styles_of(line, "@sam") and styles_of(line, "#dev")
    assert body.links == ()


def test_emoji_images_become_characters() -> None:
    html = (
        '<p><img src="/images/emoji/twitter/wrench.png?v=6" title=":wrench:" class="emoji" '
        'alt=":wrench:"> <img src="/e.png" class="emoji" alt=":+1:t3:"> '
        '<img src="/custom.png" class="emoji emoji-custom" alt=":party_parrot:"></p>'
    )
    assert show(render_html(html)) == ["🔧 👍🏼 :party_parrot:"]


def test_images_show_their_alt_text_and_a_link() -> None:
    html = '<p><img src="/uploads/default/original/1X/abc.png" alt="diagram" width="690"></p>'
    body = render_html(html, base_url=BASE)
    assert show(body) == ["[image: diagram] [1]"]
    assert body.links[0].url == "https://forum.example/uploads/default/original/1X/abc.png"


def test_lightbox_images_use_the_link_and_skip_the_metadata() -> None:
    html = (
        '<div class="lightbox-wrapper"><a href="//forum.example/uploads/default/4399/full.png" '
        'class="lightbox" title="Screen Shot.png"><img src="//forum.example/uploads/_optimized/'
        'small.png" width="655" height="500"><div class="meta">\n<svg class="fa d-icon"><use '
        'href="#far-image"></use></svg><span class="filename">Screen Shot.png</span><span '
        'class="informations">966x737 1.47 MB</span><span class="expand"></span>\n</div></a></div>'
    )
    body = render_html(html, base_url=BASE)
    assert show(body) == ["[image: Screen Shot.png] [1]"]
    assert body.links[0].url == "https://forum.example/uploads/default/4399/full.png"


ONEBOX = """<aside class="onebox allowlistedgeneric" data-onebox-src="https://example.com/article">
  <header class="source">
      <img src="https://example.com/favicon.ico" class="site-icon" width="32" height="32">
      <a href="https://example.com/article" target="_blank" rel="noopener">example.com</a>
  </header>
  <article class="onebox-body">
    <div class="aspect-image" style="--aspect-ratio:690/362;"><img src="https://example.com/t.png" class="thumbnail" width="690" height="362"></div>
    <h3><a href="https://example.com/article" target="_blank" rel="noopener">Working in public</a></h3>
    <p>How people in open communities build a reputation.</p>
  </article>
  <div class="onebox-metadata"></div>
  <div style="clear: both"></div>
</aside>"""  # noqa: E501


def test_onebox_is_a_compact_title_and_host() -> None:
    body = render_html(ONEBOX, base_url=BASE)
    assert show(body) == [
        "┃ Working in public [1 example.com]",
        "┃ How people in open communities build a reputation.",
    ]
    assert body.links == (
        Link(1, "https://example.com/article", "Working in public", "example.com"),
    )


def test_video_oneboxes_and_embeds() -> None:
    html = (
        '<div class="youtube-onebox lazy-video-container" data-video-id="abc" '
        'data-video-title="A talk" data-provider-name="youtube"><a href="https://www.youtube.com/'
        'watch?v=abc" target="_blank"><img class="youtube-thumbnail" src="https://img.youtube.com'
        '/vi/abc/maxresdefault.jpg" title="A talk"></a></div>'
        '<p><video controls><source src="/uploads/clip.mp4">Your browser cannot play it</video> '
        '<iframe src="https://player.example/embed/1">fallback text</iframe></p>'
    )
    body = render_html(html, base_url=BASE)
    assert show(body) == [
        "┃ A talk [1 www.youtube.com]",
        "",
        "[video] [2] [embedded: player.example] [3 player.example]",
    ]


def test_spoilers_are_hidden_until_revealed() -> None:
    html = (
        '<p>The killer is <span class="spoiler">the butler</span>.</p>'
        '<div class="spoiler"><p>Whole paragraph</p><p>and another</p></div><p>end</p>'
    )
    body = render_html(html)
    assert body.has_spoilers
    assert show(body) == ["The killer is [spoiler].", "", "[spoiler]", "", "end"]
    assert show(body, reveal_spoilers=True) == [
        "The killer is the butler.",
        "",
        "Whole paragraph",
        "",
        "and another",
        "",
        "end",
    ]


def test_details_are_collapsed_until_expanded() -> None:
    html = "<details><summary>Show <b>logs</b></summary><pre><code>line 1</code></pre></details>"
    body = render_html(html + "<p>after</p>")
    assert body.has_details
    assert show(body) == ["▸ Show logs", "", "after"]
    assert show(body, expand_details=True) == ["▾ Show logs", "  ┆ line 1", "", "after"]


def test_details_without_summary_still_have_a_handle() -> None:
    assert show(render_html("<details><p>x</p></details>")) == ["▸ Details"]


def test_polls_list_their_options() -> None:
    html = (
        '<div class="poll" data-poll-status="open" data-poll-name="poll" data-poll-type="regular">'
        '<div class="poll-container"><ul><li data-poll-option-id="a1">Tabs</li>'
        '<li data-poll-option-id="b2">Spaces</li></ul></div><div class="poll-info"><div '
        'class="poll-info_counts"><div class="poll-info_counts-count"><span class="info-number">'
        '12</span><span class="info-text">voters</span></div></div></div></div>'
    )
    assert show(render_html(html)) == ["Poll", "○ Tabs", "○ Spaces", "", "12 voters"]


def test_checklist_boxes() -> None:
    html = (
        '<ul><li><span class="chcklst-box fa fa-square-o fa-fw"></span> todo</li>'
        '<li><span class="chcklst-box checked fa fa-check-square-o fa-fw"></span> done</li></ul>'
    )
    assert show(render_html(html)) == ["• [ ] todo", "• [x] done"]


def test_unknown_tags_degrade_to_their_text() -> None:
    html = (
        "<custom-widget data-x=1><p>inside <blink>blinking</blink> <foo:bar>ns</foo:bar></p>"
        "</custom-widget><section><marquee>moving</marquee></section>"
        "<dl><dt>term</dt><dd>definition</dd></dl>"
    )
    assert show(render_html(html)) == [
        "inside blinking ns",
        "",
        "moving",
        "",
        "term",
        "",
        "  definition",
    ]


def test_script_style_and_comments_are_dropped() -> None:
    html = (
        "<p>a<script>alert('x')</script>b<style>p{color:red}</style>c<!-- hidden -->d"
        "<template><p>t</p></template></p>"
    )
    assert show(render_html(html)) == ["abcd"]


def test_broken_html_keeps_its_text() -> None:
    html = "<p>unclosed <b>bold <i>both</p><p>next</b> para</div></span>"
    assert show(render_html(html)) == ["unclosed bold both", "", "next para"]


# --------------------------------------------------------------------------- layout


def test_lines_are_cached_per_width() -> None:
    body = render_html("<p>" + "text " * 50 + "</p>")
    first = body.lines(40)
    assert body.lines(40) == first
    assert body.lines(40)[0] is first[0]  # served from the cache
    assert len(body.lines(100)) < len(first)


@pytest.mark.parametrize("width", [1, 2, 3, 7, 12])
def test_tiny_widths_never_overflow(width: int) -> None:
    html = QUOTE + TABLE + ONEBOX + "<p>中文😀 <a href='https://example.com'>x</a></p>"
    body = render_html(html, base_url=BASE)
    for flags in ({}, {"reveal_spoilers": True, "expand_details": True}):
        for line in body.lines(width, **flags):
            assert line.cell_length <= width


def test_zero_width_gives_no_lines() -> None:
    assert render_html("<p>x</p>").lines(0) == []


def test_wide_characters_wrap_by_cells() -> None:
    body = render_html("<p>中文文本测试这是一段很长的中文没有空格</p><p>😀😀😀😀😀😀</p>")
    lines = body.lines(9)
    assert [line.cell_length for line in lines] == [8, 8, 8, 8, 6, 0, 8, 4]
    assert "".join(line.plain for line in lines[:5]) == "中文文本测试这是一段很长的中文没有空格"


def test_plain_text_is_unwrapped_and_reveals_everything() -> None:
    html = "<p>" + "long " * 40 + '</p><p><span class="spoiler">secret</span></p>'
    body = render_html(html)
    plain = body.plain_text()
    assert plain.splitlines()[0] == ("long " * 40).strip()
    assert "secret" in plain
    assert "secret" not in body.plain_text(reveal_spoilers=False)


# --------------------------------------------------------------------------- markdown


def test_markdown_is_rendered_like_cooked_html() -> None:
    markdown = (
        "# Title\n\nSome *text* with `code` and [a link](https://example.com/x).\n\n"
        "```python\nprint('hi')\n```\n\n> quoted\n\n- a\n- b\n\n| h | i |\n|---|---|\n| 1 | 2 |\n"
    )
    body = render_markdown(markdown, base_url=BASE)
    assert show(body) == [
        "Title",
        "━━━━━",
        "",
        "Some text with code and a link [1 example.com].",
        "",
        "┆ print('hi')",
        "",
        "│ quoted",
        "",
        "• a",
        "• b",
        "",
        "h │ i",
        "──┼──",
        "1 │ 2",
    ]
    assert body.links[0].url == "https://example.com/x"


def test_markdown_raw_html_is_shown_not_interpreted() -> None:
    body = render_markdown("<script>alert(1)</script> <b>not bold</b>")
    assert show(body) == ["<script>alert(1)</script> <b>not bold</b>"]


# --------------------------------------------------------------------------- text helpers


def test_text_and_body_text_build_plain_content() -> None:
    title = text("Hello\n[b]World[/b]\x1b[2J", "bold")
    assert title.plain == "Hello [b]World[/b]"
    assert [str(span.style) for span in title.spans] == ["bold"]
    body = body_text("line 1\r\nline\t2\x9b31m")
    assert body.plain == "line 1\nline    2"
    assert body.spans == []


# --------------------------------------------------------------------------- real responses


def test_recorded_gem_topic_renders_its_lists_links_and_headings() -> None:
    posts = cooked_posts(FIXTURES / "gem" / "topic.json")
    welcome = show(render_html(posts[0], base_url="https://try.discourse.org"), 200)
    assert welcome[:3] == [
        "Welcome!",
        "",
        "Try is a sandbox, a safe place to play with Discourse and its features.",
    ]
    assert (
        "• For more information on the Discourse project and its goals, visit "
        "http://www.discourse.org [1]" in welcome
    )
    assert (
        "• If you wish to participate in the Discourse development process, visit "
        "http://meta.discourse.org [2]" in welcome
    )
    body = render_html(posts[0], base_url="https://try.discourse.org")
    assert [link.url for link in body.links] == [
        "http://www.discourse.org/",
        "http://meta.discourse.org/",
        "https://github.com/discourse/discourse",
    ]
    image_posts = [show(render_html(post)) for post in posts if "<img" in post]
    assert ["What? So I have to post this every day?", "[image] [1 q101.com]"] in image_posts


def test_every_recorded_cooked_body_renders_without_losing_words() -> None:
    files = [
        FIXTURES / "gem" / "topic.json",
        FIXTURES / "gem" / "topic_posts.json",
        FIXTURES / "api_docs" / "topics" / "topic_response.json",
        FIXTURES / "api_docs" / "search" / "query_response.json",
    ]
    posts = [post for path in files for post in cooked_posts(path)]
    assert len(posts) >= 5
    import html as html_module
    import re

    for post in posts:
        body = render_html(post, base_url="https://try.discourse.org")
        assert not body.truncated
        shown = " ".join(body.plain_text().split())
        words = html_module.unescape(re.sub(r"<[^>]+>", " ", post)).split()
        for word in words:
            assert word in shown, (word, shown)


def test_recorded_category_description_lists() -> None:
    (post,) = cooked_posts(FIXTURES / "api_docs" / "topics" / "topic_response.json")[:1]
    lines = show(render_html(post), 100)
    assert "• Why should people use this category? What is it for?" in lines
    assert lines[0].startswith("(Replace this first paragraph")


def test_markdown_with_discourse_quote_renders_like_a_cooked_quote() -> None:
    from termforum.render import render_markdown

    body = render_markdown(
        '[quote="noor, post:2, topic:17"]\nIs there a place to introduce ourselves?\n[/quote]\n\n'
        "Yes: Uncategorized."
    )
    text = body.plain_text()
    assert "noor said:" in text
    assert "Is there a place to introduce ourselves?" in text
    assert "[quote" not in text and "[/quote]" not in text
    assert text.rstrip().endswith("Yes: Uncategorized.")

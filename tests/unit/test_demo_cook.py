"""The demo forum cooks Markdown into the HTML dialect a real Discourse sends."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from termforum.demo.content import USERS, unwrap
from termforum.demo.cook import cook, excerpt, fancy_title, onebox_title, plain_text, slugify
from termforum.demo.longthread import generate

KNOWN = frozenset({"giulia", "marco_dev"})


class _Tags(HTMLParser):
    """Collects start tags with their attributes, to assert on structure, not spelling."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


def test_basic_markdown() -> None:
    html = cook("Hello **world**, *you* and ~~old~~ `code`\nnext line")
    assert html == (
        "<p>Hello <strong>world</strong>, <em>you</em> and <s>old</s> <code>code</code><br>\n"
        "next line</p>"
    )


def test_fenced_code_gets_discourse_language_class_and_is_escaped() -> None:
    html = cook('```python\nprint("<b>&</b>")\n```\n\n```\nplain\n```')
    assert '<pre><code class="lang-python">print("&lt;b&gt;&amp;&lt;/b&gt;")\n</code></pre>' in html
    assert '<pre><code class="lang-auto">plain\n</code></pre>' in html


def test_raw_html_is_escaped_not_rendered() -> None:
    html = cook('<script>alert("x")</script>\n\nhi <img src=x onerror=alert(1)> <b>b</b>')
    assert [tag for tag, _ in tags_of(html)] == ["p", "p"]
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_dangerous_link_schemes_are_not_links() -> None:
    html = cook("[click](javascript:alert(1)) and [ok](https://example.com/a)")
    links = [attrs for tag, attrs in tags_of(html) if tag == "a"]
    assert links == [{"href": "https://example.com/a", "rel": "noopener nofollow ugc"}]


def test_quote_becomes_discourse_aside_with_cooked_content() -> None:
    raw = '[quote="marco_dev, post:3, topic:12"]\nQuoted *text*\n[/quote]\n\nMy answer'
    html = cook(raw)
    assert html.startswith(
        '<aside class="quote no-group" data-username="marco_dev" data-post="3" '
        'data-topic="12">\n<div class="title"><div class="quote-controls"></div> marco_dev:</div>\n'
        "<blockquote>\n<p>Quoted <em>text</em></p>\n</blockquote>\n</aside>"
    )
    assert html.endswith("<p>My answer</p>")


def test_quote_tags_on_the_same_line_as_text_and_nested_quotes() -> None:
    html = cook(
        '[quote="a, post:1, topic:2"]outer\n[quote="b, post:2, topic:2"]inner[/quote]\n[/quote]'
    )
    asides = [attrs for tag, attrs in tags_of(html) if tag == "aside"]
    assert [a["data-username"] for a in asides] == ["a", "b"]
    assert html.count("</aside>") == 2
    assert "<p>outer</p>" in html and "<p>inner</p>" in html


def test_quote_without_attribution_and_unclosed_quote() -> None:
    assert cook("[quote]\nsaid\n[/quote]") == (
        '<aside class="quote no-group">\n<blockquote>\n<p>said</p>\n</blockquote>\n</aside>'
    )
    unclosed = cook('[quote="a"]\nnever closed')
    assert "<aside" not in unclosed and "[quote=" in unclosed


def test_bbcode_inside_code_is_left_alone() -> None:
    html = cook("```\n[quote]\nnot a quote\n[/quote]\n```")
    assert "<aside" not in html and "[quote]" in html


def test_mentions_link_known_users_only() -> None:
    html = cook("Hi @giulia, @Marco_Dev and @nobody; mail a@b.com; `@code`", usernames=KNOWN)
    assert '<a class="mention" href="/u/giulia">@giulia</a>' in html
    assert '<a class="mention" href="/u/marco_dev">@Marco_Dev</a>' in html
    assert '<span class="mention">@nobody</span>' in html
    assert "a@b.com" in html and "<code>@code</code>" in html
    assert html.count('class="mention"') == 3


def test_emoji_shortcodes() -> None:
    html = cook("Done :tada: but :not_an_emoji: and 10:30:00")
    assert (
        '<img src="/images/emoji/twitter/tada.png?v=12" title=":tada:" class="emoji" '
        'alt=":tada:">' in html
    )
    assert ":not_an_emoji:" in html and "10:30:00" in html


def test_details_spoiler_and_poll() -> None:
    html = cook('[details="Logs"]\nhidden *text*\n[/details]')
    assert html == "<details>\n<summary>\nLogs</summary>\n<p>hidden <em>text</em></p>\n</details>"
    assert cook("a [spoiler]secret[/spoiler] b") == '<p>a <span class="spoiler">secret</span> b</p>'
    assert cook("[spoiler]\nblock\n[/spoiler]") == '<div class="spoiler">\n<p>block</p>\n</div>'
    poll = cook("[poll type=regular]\n* Yes\n* No\n[/poll]")
    items = [attrs for tag, attrs in tags_of(poll) if tag == "li"]
    assert len(items) == 2
    ids = [a["data-poll-option-id"] for a in items]
    assert all(ids) and len(set(ids)) == 2
    assert '<div class="poll" data-poll-status="open" data-poll-name="poll"' in poll


def test_bare_url_line_becomes_onebox_but_inline_urls_become_links() -> None:
    url = "https://example.com/guides/asking-good-questions"
    html = cook(f"{url}\n\nsee https://example.org/x, then stop.")
    assert html.startswith(
        f'<aside class="onebox allowlistedgeneric" data-onebox-src="{url}">'
        f'<header class="source"><a href="{url}" rel="noopener nofollow ugc">example.com</a>'
        f'</header><article class="onebox-body"><h3><a href="{url}" '
        'rel="noopener nofollow ugc">Asking good questions</a></h3></article></aside>'
    )
    assert '<a href="https://example.org/x" rel="noopener nofollow ugc">' in html
    assert "</a>, then stop." in html
    assert "onebox" not in cook(f"- {url}")
    assert "onebox" not in cook(f"> {url}")
    assert "onebox" not in cook(f'[quote="a"]\n{url}\n[/quote]')
    after_text = cook(f"Intro paragraph.\n\n{url}\n\nMore.")
    assert after_text.count('<aside class="onebox') == 1 and after_text.endswith("<p>More.</p>")


def test_tables_headings_rules_lists_blockquotes_images() -> None:
    html = cook(
        "## Setup guide\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n---\n\n- one\n- two\n\n"
        "> quoted\n\n![diagram](https://example.com/d.png)"
    )
    assert html.startswith(
        '<h2><a name="setup-guide" class="anchor" href="#setup-guide"></a>Setup guide</h2>'
    )
    assert '<div class="md-table">\n<table>' in html and "</table>\n</div>" in html
    assert "<hr>" in html and "<ul>\n<li>one</li>" in html
    assert "<blockquote>\n<p>quoted</p>\n</blockquote>" in html
    assert '<img src="https://example.com/d.png" alt="diagram">' in html


def test_typography_like_discourse() -> None:
    assert cook('Don\'t "quote" -- this...') == "<p>Don’t “quote” – this…</p>"


def test_excerpt_and_plain_text_leave_out_quotes_and_escape() -> None:
    cooked = cook('[quote="a"]\nquoted words\n[/quote]\n\nVisible <text> & :smile: ' + "x" * 300)
    text = plain_text(cooked)
    assert "quoted words" not in text and text.startswith("Visible <text> & :smile:")
    short = excerpt(cooked, 30)
    assert short.endswith("&hellip;") and "&lt;text&gt; &amp;" in short


def test_titles_and_slugs() -> None:
    assert slugify("Perché è così? Domande & risposte") == "perche-e-cosi-domande-risposte"
    assert slugify("???") == "topic"
    assert fancy_title('Don\'t "panic" <now>') == "Don&rsquo;t &ldquo;panic&rdquo; &lt;now&gt;"
    assert onebox_title("https://example.com/") == "example.com"


def test_unwrap_joins_prose_but_keeps_blocks() -> None:
    raw = "one\ntwo\n\n- item\n  continued\n- next\n\n```\na\nb\n```\n| x |\n| y |"
    assert unwrap(raw) == "one two\n\n- item continued\n- next\n\n```\na\nb\n```\n| x |\n| y |"


@pytest.mark.parametrize("count", [600])
def test_generated_long_thread_html_equals_cooking_its_markdown(count: int) -> None:
    users = [(u.id, u.username) for u in USERS if u.id > 0]
    posts = generate(77, users, count=count)
    assert [p.post_number for p in posts] == list(range(1, count + 1))
    kinds = {"quote": 0, "code": 0, "mention": 0}
    for post in posts:
        assert post.cooked == cook(post.raw), post.raw
        kinds["quote"] += "[quote=" in post.raw
        kinds["code"] += "```" in post.raw
        kinds["mention"] += bool(re.search(r"@\w", post.raw))
    assert all(n > 5 for n in kinds.values()), kinds

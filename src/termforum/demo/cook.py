"""Cook post Markdown into HTML the way Discourse does (markdown-it-py, no raw HTML).

Discourse stores each post's Markdown (``raw``) and the HTML it renders from it
(``cooked``). The demo forum does the same with :func:`cook`, which reproduces the
Discourse dialect a client has to cope with:

- CommonMark with tables (wrapped in ``<div class="md-table">``), ``~~strike~~``,
  hard line breaks on single newlines, typographic quotes and replacements, bare URLs
  made into links, ``rel="noopener nofollow ugc"`` on external links, heading anchors;
- fenced code as ``<pre><code class="lang-python">`` (``lang-auto`` without a language);
- BBCode blocks: ``[quote="user, post:N, topic:T"]`` → ``<aside class="quote no-group">``,
  ``[details="Summary"]`` → ``<details><summary>``, ``[spoiler]`` (inline ``<span
  class="spoiler">`` or block ``<div class="spoiler">``) and ``[poll]`` lists;
- ``@mentions`` (``<a class="mention">`` for known users, ``<span class="mention">``
  otherwise), ``:emoji:`` shortcodes as ``<img class="emoji">``;
- a bare URL alone in a paragraph becomes a onebox ``<aside class="onebox">`` (the title
  is derived from the URL; nothing is fetched).

Raw HTML in a post is escaped, never passed through (Discourse sanitizes it away).
"""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata
from collections.abc import Collection
from functools import cache
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_block import StateBlock
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

__all__ = [
    "EMOJI",
    "QUOTE_CLOSE_HTML",
    "cook",
    "cook_inline",
    "excerpt",
    "fancy_title",
    "onebox_title",
    "plain_text",
    "quote_open_html",
    "slugify",
]

EMOJI_VERSION = 12
"""The ``?v=`` cache-buster Discourse appends to emoji image URLs."""

EMOJI: frozenset[str] = frozenset(
    (
        "smile",
        "slight_smile",
        "grinning",
        "joy",
        "sweat_smile",
        "wink",
        "thinking",
        "neutral_face",
        "confused",
        "+1",
        "-1",
        "clap",
        "pray",
        "raised_hands",
        "wave",
        "muscle",
        "ok_hand",
        "point_up",
        "point_right",
        "eyes",
        "heart",
        "tada",
        "rocket",
        "fire",
        "sparkles",
        "star",
        "bulb",
        "books",
        "memo",
        "pencil",
        "link",
        "lock",
        "key",
        "white_check_mark",
        "x",
        "warning",
        "question",
        "exclamation",
        "hourglass",
        "alarm_clock",
        "calendar",
        "coffee",
        "computer",
        "keyboard",
        "desktop_computer",
        "wrench",
        "hammer",
        "gear",
        "mag",
        "mag_right",
        "chart_with_upwards_trend",
        "bar_chart",
        "speech_balloon",
        "handshake",
        "open_mouth",
        "see_no_evil",
        "man_facepalming",
        "heart_eyes",
        "it",
        "gb",
    )
)
"""Emoji shortcodes the demo knows; an unknown ``:name:`` stays plain text, as in Discourse."""

_OPEN_TAG_RE = re.compile(r"^\[(quote|details|spoiler|poll)(?:=([^\]\n]*)|\s+([^\]\n]*))?\]$")
_SPLIT_OPEN_RE = re.compile(
    r"^(\s{0,3})(\[(?:quote|details|poll)(?:=[^\]\n]*|\s[^\]\n]*)?\])[ \t]*(\S.*)$"
)
_SPLIT_CLOSE_RE = re.compile(r"^(.*\S)[ \t]*(\[/(?:quote|details|poll)\])[ \t]*$")
_FENCE_RE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_ONEBOX_RE = re.compile(r"^https?://[^\s<>\"']+$")
_URL_TAIL_RE = re.compile(r"[^\s<>\"'`]+")
_MENTION_RE = re.compile(r"@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)")
_EMOJI_RE = re.compile(r":([a-z0-9_+-]+):")
_ATTR_RE = re.compile(r"(\w+)=(?:\"([^\"]*)\"|(\S+))")
_EXTERNAL_RE = re.compile(r"^(?:https?:)?//", re.IGNORECASE)


# --------------------------------------------------------------------------- helpers


def slugify(text: str, *, fallback: str = "topic") -> str:
    """Discourse's ASCII slug: transliterated, lower case, words joined by ``-``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:80].rstrip("-") or fallback


def fancy_title(title: str) -> str:
    """The HTML-escaped, typographically quoted title Discourse sends as ``fancy_title``."""
    escaped = html.escape(title, quote=False)
    escaped = re.sub(r"(?<=\w)'(?=\w)", "&rsquo;", escaped)
    escaped = re.sub(r"'([^']*)'", r"&lsquo;\1&rsquo;", escaped)
    return re.sub(r'"([^"]*)"', r"&ldquo;\1&rdquo;", escaped)


def onebox_title(url: str) -> str:
    """A readable title for a onebox, derived from the URL only (the demo fetches nothing)."""
    parts = urlsplit(url)
    segments = [s for s in unquote(parts.path).split("/") if s]
    if not segments:
        return parts.hostname or url
    last = re.sub(r"\.(html?|php|aspx?)$", "", segments[-1])
    words = re.sub(r"[-_+]+", " ", last).strip()
    if not words or words.isdigit():
        words = " ".join(re.sub(r"[-_+]+", " ", s) for s in segments[-2:])
    return words[:1].upper() + words[1:] if words else (parts.hostname or url)


def _emoji_img(name: str) -> str:
    src = f"/images/emoji/twitter/{html.escape(name)}.png?v={EMOJI_VERSION}"
    return f'<img src="{src}" title=":{name}:" class="emoji" alt=":{name}:">'


def _mention_html(name: str, known: Collection[str] | None) -> str:
    safe = html.escape(name)
    if known is None or name.lower() in known:
        return f'<a class="mention" href="/u/{safe.lower()}">@{safe}</a>'
    return f'<span class="mention">@{safe}</span>'


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def _parse_quote_params(raw: str) -> dict[str, str]:
    """``"alice, post:3, topic:12, full:true"`` → ``{"username": "alice", "post": "3", ...}``."""
    value = raw.strip().strip('"').strip("'").strip()
    params: dict[str, str] = {}
    for i, part in enumerate(p.strip() for p in value.split(",")):
        if not part:
            continue
        key, sep, val = part.partition(":")
        if sep and key.strip() in {"post", "topic", "full", "username"}:
            params[key.strip()] = val.strip()
        elif i == 0:
            params["username"] = part
    return params


def _parse_tag_attrs(raw: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _ATTR_RE.finditer(raw)
    }


# --------------------------------------------------------------------------- preprocessing


def _split_bbcode_lines(raw: str) -> str:
    """Put ``[quote]``/``[details]``/``[poll]`` open and close tags on lines of their own.

    Discourse accepts ``[quote="a"]text`` and ``text[/quote]``; the block rule below only
    looks at whole lines, so split them first. Fenced code is left alone.
    """
    out: list[str] = []
    fence: str | None = None
    pending = raw.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    pending.reverse()
    while pending:
        line = pending.pop()
        fence_match = _FENCE_RE.match(line)
        if fence is not None:
            if (
                fence_match
                and fence_match.group(1)[0] == fence[0]
                and len(fence_match.group(1)) >= len(fence)
            ):
                fence = None
            out.append(line)
            continue
        if fence_match:
            fence = fence_match.group(1)
            out.append(line)
            continue
        if m := _SPLIT_OPEN_RE.match(line):
            out.append(m.group(1) + m.group(2))
            pending.append(m.group(3))
            continue
        if m := _SPLIT_CLOSE_RE.match(line):
            pending.append(m.group(2))
            pending.append(m.group(1))
            continue
        out.append(line)
    return "\n".join(out)


# --------------------------------------------------------------------------- block rules


def _line(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _bbcode_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    if state.is_code_block(start_line):
        return False
    opening = _line(state, start_line).rstrip()
    m = _OPEN_TAG_RE.match(opening)
    if not m:
        return False
    tag = m.group(1)
    open_prefix = f"[{tag}"
    close_tag = f"[/{tag}]"
    depth = 0
    fence: str | None = None
    close_line = -1
    for line in range(start_line + 1, end_line):
        text = _line(state, line).rstrip()
        fence_match = _FENCE_RE.match(text)
        if fence is not None:
            if fence_match and fence_match.group(1)[0] == fence[0]:
                fence = None
            continue
        if fence_match:
            fence = fence_match.group(1)
            continue
        if text == close_tag:
            if depth == 0:
                close_line = line
                break
            depth -= 1
        elif text.startswith(open_prefix) and _OPEN_TAG_RE.match(text):
            depth += 1
    if close_line < 0:
        return False
    if silent:
        return True

    params_raw = m.group(2) if m.group(2) is not None else (m.group(3) or "")
    old_line_max = state.lineMax
    state.lineMax = close_line

    token = state.push(f"bb_{tag}_open", "div", 1)
    token.block = True
    token.map = [start_line, close_line + 1]
    token.info = params_raw
    token.markup = opening
    if tag == "quote":
        token.meta = _parse_quote_params(params_raw)
    elif tag == "details":
        token.meta = {"summary": params_raw.strip().strip('"').strip("'") or "Details"}
    elif tag == "poll":
        token.meta = _parse_tag_attrs(params_raw)

    state.md.block.tokenize(state, start_line + 1, close_line)

    token = state.push(f"bb_{tag}_close", "div", -1)
    token.block = True
    token.markup = close_tag

    state.lineMax = old_line_max
    state.line = close_line + 1
    return True


def _onebox_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    # Only at the top level (not in lists, block quotes or BBCode blocks). ``parentType``
    # cannot tell: markdown-it's lheading rule leaves it set to "paragraph".
    if state.level != 0 or state.blkIndent != 0 or state.is_code_block(start_line):
        return False
    text = _line(state, start_line).strip()
    if not _ONEBOX_RE.match(text):
        return False
    next_line = start_line + 1
    if next_line < end_line and not state.isEmpty(next_line):
        return False
    if silent:
        return True
    token = state.push("onebox", "aside", 0)
    token.block = True
    token.map = [start_line, next_line]
    token.content = text
    state.line = next_line
    return True


# --------------------------------------------------------------------------- inline rules


def _linkify(state: StateInline, silent: bool) -> bool:
    """Bare ``http(s)://`` URLs become links (Discourse enables linkify)."""
    pos = state.pos
    src = state.src
    if state.linkLevel > 0 or src[pos] != ":" or src[pos + 1 : pos + 3] != "//":
        return False
    pending = state.pending
    if pending.endswith("https"):
        scheme = "https"
    elif pending.endswith("http"):
        scheme = "http"
    else:
        return False
    before = pending[: -len(scheme)]
    if before and (before[-1].isalnum() or before[-1] in "_/"):
        return False
    m = _URL_TAIL_RE.match(src, pos, state.posMax)
    if not m:
        return False
    tail = m.group(0)
    # Trailing punctuation belongs to the sentence, and a ')' only when unbalanced.
    while tail and tail[-1] in ".,;:!?*'\"":
        tail = tail[:-1]
    while tail.endswith(")") and tail.count(")") > tail.count("("):
        tail = tail[:-1]
    if len(tail) <= 3:
        return False
    url = scheme + tail
    full_url = state.md.normalizeLink(url)
    if not state.md.validateLink(full_url):
        return False
    if not silent:
        state.pending = before
        token = state.push("link_open", "a", 1)
        token.attrs = {"href": full_url}
        token.markup = "linkify"
        token.info = "auto"
        token = state.push("text", "", 0)
        token.content = state.md.normalizeLinkText(url)
        token = state.push("link_close", "a", -1)
        token.markup = "linkify"
        token.info = "auto"
    state.pos += len(tail)
    return True


def _prev_char(state: StateInline) -> str:
    pos = state.pos
    return state.src[pos - 1] if pos > 0 else ""


def _mention(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "@" or state.linkLevel > 0:
        return False
    prev = _prev_char(state)
    if prev and (prev.isalnum() or prev in "_.-/`@"):
        return False
    m = _MENTION_RE.match(state.src, state.pos, state.posMax)
    if not m:
        return False
    if not silent:
        token = state.push("mention", "a", 0)
        token.content = m.group(1)
    state.pos = m.end()
    return True


def _emoji(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != ":":
        return False
    prev = _prev_char(state)
    if prev and prev.isalnum():
        return False
    m = _EMOJI_RE.match(state.src, state.pos, state.posMax)
    if not m or m.group(1) not in EMOJI:
        return False
    if not silent:
        token = state.push("emoji", "img", 0)
        token.content = m.group(1)
    state.pos = m.end()
    return True


def _inline_spoiler(state: StateInline, silent: bool) -> bool:
    start = state.pos
    if not state.src.startswith("[spoiler]", start):
        return False
    content_start = start + len("[spoiler]")
    end = state.src.find("[/spoiler]", content_start, state.posMax)
    if end < 0:
        return False
    if not silent:
        old_max = state.posMax
        state.push("spoiler_inline_open", "span", 1)
        state.pos, state.posMax = content_start, end
        state.md.inline.tokenize(state)
        state.push("spoiler_inline_close", "span", -1)
        state.posMax = old_max
    state.pos = end + len("[/spoiler]")
    return True


# --------------------------------------------------------------------------- core rules


def _poll_option_ids(state: Any) -> None:
    """Give every option of a ``[poll]`` list a stable ``data-poll-option-id``."""
    depth = 0
    tokens: list[Token] = state.tokens
    for i, token in enumerate(tokens):
        if token.type == "bb_poll_open":
            depth += 1
        elif token.type == "bb_poll_close":
            depth -= 1
        elif depth and token.type == "list_item_open":
            text = next((t.content for t in tokens[i + 1 :] if t.type == "inline"), "")
            token.attrSet("data-poll-option-id", hashlib.md5(text.encode()).hexdigest())


# --------------------------------------------------------------------------- renderers


def quote_open_html(params: dict[str, str]) -> str:
    """The opening HTML of a cooked ``[quote]`` (``params``: username, post, topic, full)."""
    username = params.get("username")
    if not username:
        return '<aside class="quote no-group">\n<blockquote>\n'
    attrs = f' data-username="{_attr(username)}"'
    if params.get("post"):
        attrs += f' data-post="{_attr(params["post"])}"'
    if params.get("topic"):
        attrs += f' data-topic="{_attr(params["topic"])}"'
    if params.get("full") == "true":
        attrs += ' data-full="true"'
    return (
        f'<aside class="quote no-group"{attrs}>\n'
        f'<div class="title"><div class="quote-controls"></div> {html.escape(username)}:</div>\n'
        "<blockquote>\n"
    )


QUOTE_CLOSE_HTML = "</blockquote>\n</aside>\n"
"""The closing HTML of a cooked ``[quote]``."""


def _r_fence(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    lang = token.info.strip().split(maxsplit=1)[0] if token.info.strip() else "auto"
    return (
        f'<pre><code class="lang-{_attr(lang)}">'
        f"{html.escape(token.content, quote=False)}</code></pre>\n"
    )


def _r_code_block(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return f"<pre><code>{html.escape(tokens[idx].content, quote=False)}</code></pre>\n"


def _r_link_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    href = str(token.attrGet("href") or "")
    if _EXTERNAL_RE.match(href):
        token.attrSet("rel", "noopener nofollow ugc")
    return self.renderToken(tokens, idx, options, env)


def _r_heading_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    token = tokens[idx]
    text = tokens[idx + 1].content if idx + 1 < len(tokens) else ""
    seen: dict[str, int] = env.setdefault("_anchors", {})
    slug = slugify(text, fallback="heading")
    seen[slug] = seen.get(slug, 0) + 1
    if seen[slug] > 1:
        slug = f"{slug}-{seen[slug]}"
    return f'<{token.tag}><a name="{slug}" class="anchor" href="#{slug}"></a>'


def _r_table_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return '<div class="md-table">\n' + self.renderToken(tokens, idx, options, env)


def _r_table_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _r_mention(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return _mention_html(tokens[idx].content, env.get("usernames"))


def _r_emoji(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return _emoji_img(tokens[idx].content)


def _r_onebox(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    url = tokens[idx].content
    host = urlsplit(url).hostname or url
    u, title = _attr(url), html.escape(onebox_title(url), quote=False)
    return (
        f'<aside class="onebox allowlistedgeneric" data-onebox-src="{u}">'
        f'<header class="source"><a href="{u}" rel="noopener nofollow ugc">'
        f"{html.escape(host, quote=False)}</a></header>"
        f'<article class="onebox-body"><h3><a href="{u}" rel="noopener nofollow ugc">'
        f"{title}</a></h3></article></aside>\n"
    )


def _r_quote_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return quote_open_html(tokens[idx].meta or {})


def _r_quote_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return QUOTE_CLOSE_HTML


def _r_details_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    summary = (tokens[idx].meta or {}).get("summary", "Details")
    return f"<details>\n<summary>\n{html.escape(summary, quote=False)}</summary>\n"


def _r_details_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return "</details>\n"


def _r_spoiler_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return '<div class="spoiler">\n'


def _r_div_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return "</div>\n"


def _r_poll_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    meta: dict[str, str] = tokens[idx].meta or {}
    name = _attr(meta.get("name", "poll"))
    kind = _attr(meta.get("type", "regular"))
    status = _attr(meta.get("status", "open"))
    return (
        f'<div class="poll" data-poll-status="{status}" data-poll-name="{name}" '
        f'data-poll-type="{kind}">\n<div class="poll-container">\n'
    )


def _r_poll_close(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return (
        '</div>\n<div class="poll-info">\n<div class="poll-info_counts">\n'
        '<div class="poll-info_counts-count">\n<span class="info-number">0</span>\n'
        '<span class="info-label">voters</span>\n</div>\n</div>\n</div>\n</div>\n'
    )


def _r_spoiler_inline_open(self: Any, tokens: list[Token], idx: int, options: Any, env: Any) -> str:
    return '<span class="spoiler">'


def _r_spoiler_inline_close(
    self: Any, tokens: list[Token], idx: int, options: Any, env: Any
) -> str:
    return "</span>"


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt(
        "commonmark",
        {"html": False, "breaks": True, "typographer": True, "xhtmlOut": False},
    )
    md.enable(["table", "strikethrough", "replacements", "smartquotes"])
    alt = ["paragraph", "reference", "blockquote", "list"]
    md.block.ruler.before("fence", "bbcode", _bbcode_block, {"alt": alt})
    md.block.ruler.before("lheading", "onebox", _onebox_block)
    md.inline.ruler.before("link", "spoiler_inline", _inline_spoiler)
    md.inline.ruler.before("emphasis", "linkify_bare", _linkify)
    md.inline.ruler.after("linkify_bare", "emoji", _emoji)
    md.inline.ruler.after("emoji", "mention", _mention)
    md.core.ruler.push("poll_option_ids", _poll_option_ids)
    rules = {
        "fence": _r_fence,
        "code_block": _r_code_block,
        "link_open": _r_link_open,
        "heading_open": _r_heading_open,
        "table_open": _r_table_open,
        "table_close": _r_table_close,
        "mention": _r_mention,
        "emoji": _r_emoji,
        "onebox": _r_onebox,
        "bb_quote_open": _r_quote_open,
        "bb_quote_close": _r_quote_close,
        "bb_details_open": _r_details_open,
        "bb_details_close": _r_details_close,
        "bb_spoiler_open": _r_spoiler_open,
        "bb_spoiler_close": _r_div_close,
        "bb_poll_open": _r_poll_open,
        "bb_poll_close": _r_poll_close,
        "spoiler_inline_open": _r_spoiler_inline_open,
        "spoiler_inline_close": _r_spoiler_inline_close,
    }
    for name, fn in rules.items():
        md.add_render_rule(name, fn)
    return md


# --------------------------------------------------------------------------- public API


def cook(raw: str, *, usernames: Collection[str] | None = None) -> str:
    """Render post Markdown to Discourse-style HTML.

    ``usernames`` (lower case) are the users that exist: their ``@mentions`` become links,
    others become ``<span class="mention">``. ``None`` treats every mention as a user.
    """
    env: dict[str, Any] = {"usernames": usernames}
    return _markdown().render(_split_bbcode_lines(raw), env).rstrip("\n")


def cook_inline(text: str, *, usernames: Collection[str] | None = None) -> str:
    """Render one line of inline Markdown (no ``<p>``), as :func:`cook` would inside one."""
    env: dict[str, Any] = {"usernames": usernames}
    return _markdown().renderInline(text, env)


class _TextExtractor(HTMLParser):
    """Collects the readable text of cooked HTML, skipping quotes, oneboxes and polls."""

    _SKIP = {"aside", "details", "script", "style"}
    _BLOCK = {"p", "div", "li", "br", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "hr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        poll = tag == "div" and ("class", "poll") in attrs
        if tag in self._SKIP or poll or (self._skip and tag == "div"):
            self._skip += 1
        elif not self._skip and tag == "img":
            alt = dict(attrs).get("alt")
            if alt and ("class", "emoji") in attrs:
                self.parts.append(alt)
        if tag in self._BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._skip and (tag in self._SKIP or tag == "div"):
            self._skip -= 1
        if tag in self._BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def plain_text(cooked: str) -> str:
    """The readable text of cooked HTML on one line (quotes, oneboxes and polls left out)."""
    parser = _TextExtractor()
    parser.feed(cooked)
    parser.close()
    return " ".join("".join(parser.parts).split())


def excerpt(cooked: str, max_length: int = 220) -> str:
    """A topic-list excerpt as Discourse sends it: HTML-escaped text, ``&hellip;`` if cut."""
    text = plain_text(cooked)
    if len(text) > max_length:
        cut = text[:max_length].rsplit(" ", 1)[0] or text[:max_length]
        return html.escape(cut, quote=False) + "&hellip;"
    return html.escape(text, quote=False)

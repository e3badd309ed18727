"""Untrusted server HTML (Discourse ``cooked``) or Markdown → safe, styled terminal lines.

The one place where post bodies become screen content. Two steps:

1. :func:`render_html` reads the HTML **once** into a flat list of blocks (paragraphs,
   headings, code, quotes, list items, tables, rules, oneboxes, spoilers, details, polls…)
   plus a numbered table of links. Every text node is entity-decoded first and then cleaned
   with :func:`termforum.sanitize.clean_text`; attribute values shown to the user go through
   :func:`~termforum.sanitize.clean_line`; every link target through
   :func:`~termforum.sanitize.safe_url`.
2. :meth:`RenderedBody.lines` lays those blocks out for a width (cached per width): word
   wrap with East-Asian-wide and emoji-aware cell widths, quote bars, hanging indents for
   lists, code folded (never re-wrapped) and syntax-highlighted, tables fitted to the width.

Safety decisions:

- Content is always built from plain text and spans (never ``Content.from_markup``), so
  ``[b]``, ``[@click=app.quit]x[/]`` or a lone ``[/`` in a post show literally.
- No terminal hyperlinks (OSC 8) are emitted at all: a link shows its text, then a number
  (and the real host when the text does not already show it), e.g. ``docs [3 docs.python.org]``.
  The reader opens links by number from :attr:`RenderedBody.links`; only ``http``,
  ``https`` and ``mailto`` targets get a ``url``. Others are shown as ``text [3 ✗]``.
- The HTML tokenizer is our own, linear-time one rather than ``html.parser.HTMLParser``:
  on CPython 3.11.7 ``HTMLParser`` needs 36 s for 20,000 unclosed ``<a `` (CVE-2025-6069)
  and raises ``AssertionError`` on ``<![``. Ours follows the HTML tokenizer rules closely
  enough for cooked HTML, scans every character a bounded number of times, and checks a
  time budget; past the budget or the size cap the body ends with a "post truncated" notice.
- Any internal error falls back to the tag-stripped, cleaned plain text. Nothing raises.
"""

from __future__ import annotations

import contextlib
import html as _html
import re
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rich.cells import cell_len, split_graphemes
from textual.content import Content, Span

from termforum.sanitize import clean_line, clean_text, safe_url, url_host

__all__ = [
    "lexer_is_loaded",
    "load_lexer",
    "MAX_CHARS",
    "MAX_MARKDOWN_CHARS",
    "STYLES",
    "TIME_BUDGET",
    "Link",
    "RenderedBody",
    "render_html",
    "render_markdown",
]

MAX_CHARS = 400_000
"""Characters of HTML read per post; the rest is cut off with a visible notice."""

TIME_BUDGET = 0.5
"""Seconds of parsing allowed per post before the rest is cut off with a visible notice."""

MAX_MARKDOWN_CHARS = 50_000
"""Characters of Markdown read per post (markdown-it needs about 10 µs per character at worst)."""

MAX_LINKS = 1_000
MAX_TABLE_COLUMNS = 40
MAX_TABLE_ROWS = 2_000
MAX_VISIBLE_DEPTH = 8
"""Quotes and list items nested deeper than this add no further indentation."""
MAX_HIGHLIGHT_BLOCK = 20_000
MAX_HIGHLIGHT_TOTAL = 60_000
_LINE_CACHE_SIZE = 4
_PLAIN_WIDTH = 100_000
_RULE_MAX = 120

STYLES: dict[str, str] = {
    "bold": "bold",
    "italic": "italic",
    "strike": "strike",
    "underline": "underline",
    "code": "$text-warning",
    "kbd": "reverse",
    "mark": "reverse",
    "small": "dim",
    "link": "underline",
    "link_ref": "dim",
    "link_blocked": "dim strike",
    "mention": "bold $text-accent",
    "hashtag": "$text-secondary",
    "image": "italic $text-secondary",
    "heading": "bold",
    "rule": "dim",
    "quote_bar": "dim",
    "quote_text": "dim",
    "quote_author": "bold",
    "quote_said": "dim",
    "list_marker": "$text-primary",
    "code_gutter": "dim",
    "onebox_bar": "$text-primary",
    "onebox_title": "bold",
    "onebox_text": "dim",
    "spoiler": "reverse",
    "summary": "bold",
    "poll_title": "bold",
    "table_border": "dim",
    "table_header": "bold",
    "notice": "italic $text-warning",
}
"""Style of each role (Textual style strings; ``$variables`` resolve against the app theme).

These are our own constants: no server text ever becomes part of a style.
"""


# =========================================================================== public model


@dataclass(frozen=True, slots=True)
class Link:
    """One entry of a post's link table (``[3]`` in the text is ``number=3``)."""

    number: int
    url: str | None
    """The sanitized, absolute target; ``None`` when it may not be opened (shown, not linked)."""
    text: str
    """What the link showed (clean, one line)."""
    host: str
    """Where it really goes, for display (``""`` when ``url`` is ``None``)."""


class RenderedBody:
    """A rendered post: blocks laid out on demand for a width, plus the link table."""

    __slots__ = ("links", "truncated", "_blocks", "_cache", "_flags")

    def __init__(
        self, blocks: list[_Block], links: tuple[Link, ...], truncated: bool, flags: int = 0
    ) -> None:
        """Built by :func:`render_html` and :func:`render_markdown`."""
        self.links: tuple[Link, ...] = links
        self.truncated: bool = truncated
        self._blocks = blocks
        self._cache: OrderedDict[tuple[int, bool, bool], list[Content]] = OrderedDict()
        self._flags = flags

    @property
    def has_spoilers(self) -> bool:
        """Whether some content is hidden until spoilers are revealed."""
        return bool(self._flags & _SPOILER)

    @property
    def has_details(self) -> bool:
        """Whether some content is folded inside ``details`` blocks."""
        return bool(self._flags & _DETAILS)

    @property
    def languages(self) -> frozenset[str]:
        """The languages its code blocks are marked with (to highlight them)."""
        return frozenset(
            block.extra for block in self._blocks if block.kind == _CODE and block.extra
        )

    def lines(
        self,
        width: int,
        *,
        reveal_spoilers: bool = False,
        expand_details: bool = False,
        load_lexers: bool = True,
    ) -> list[Content]:
        """The body wrapped to ``width`` cells; every line's ``cell_length`` is ``<= width``.

        Spoilers show as ``[spoiler]`` and ``details`` as ``▸ summary`` unless revealed or
        expanded. Results are cached for the last few (width, flags) combinations.

        Loading a language's highlighter the first time takes tens of milliseconds; with
        ``load_lexers=False`` code whose highlighter is not loaded yet is shown plain (and
        that layout is not cached): load it with :func:`load_lexer` and ask again.
        """
        try:
            width = int(width)
        except (TypeError, ValueError):
            return []
        if width <= 0:
            return []
        key = (width, bool(reveal_spoilers), bool(expand_details))
        cached = self._cache.get(key)
        if cached is None:
            budget = _Highlighting(load_lexers)
            try:
                cached = _layout(self._blocks, width, key[1], key[2], self.truncated, budget)
            except Exception:
                cached = _fallback_lines(self._blocks, width)
            if budget.deferred:
                return list(cached)
            self._cache[key] = cached
            if len(self._cache) > _LINE_CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return list(cached)

    def plain_text(self, *, reveal_spoilers: bool = True, expand_details: bool = True) -> str:
        """The text a reader would see (unwrapped), for search and tests.

        By default spoilers are revealed and details expanded, so search finds everything.
        Non-breaking spaces (used to keep ``[3 host]`` on one line) read as plain spaces.
        """
        lines = self.lines(
            _PLAIN_WIDTH, reveal_spoilers=reveal_spoilers, expand_details=expand_details
        )
        return "\n".join(line.plain.rstrip() for line in lines).replace("\u00a0", " ")


def render_html(
    html: str,
    *,
    base_url: str | None = None,
    max_chars: int = MAX_CHARS,
    time_budget: float = TIME_BUDGET,
) -> RenderedBody:
    """Render Discourse ``cooked`` HTML (or any HTML fragment) for the terminal.

    Relative links resolve against ``base_url``. Input beyond ``max_chars`` or parsing beyond
    ``time_budget`` seconds is cut off and the result has ``truncated=True`` and a visible
    notice. Never raises.
    """
    source = html if isinstance(html, str) else ""
    try:
        truncated = False
        if len(source) > max_chars:
            source = source[: max(0, max_chars)]
            cut = source.rfind("<")
            if cut > source.rfind(">"):
                source = source[:cut]  # do not show half a tag as text
            truncated = True
        builder = _Builder(base_url, time.perf_counter() + time_budget, max_chars)
        builder.run(source)
        return builder.result(truncated)
    except Exception:
        return _fallback_body(source[:max_chars])


def render_markdown(markdown: str, *, base_url: str | None = None) -> RenderedBody:
    """Render Markdown (for backends that send Markdown) via markdown-it-py.

    Raw HTML inside the Markdown is not interpreted (it shows as text). Never raises.
    """
    source = markdown if isinstance(markdown, str) else ""
    try:
        truncated = len(source) > MAX_MARKDOWN_CHARS
        source = source[:MAX_MARKDOWN_CHARS]
        cooked = _cook_markdown(source)
        body = render_html(cooked, base_url=base_url, max_chars=max(MAX_CHARS, len(cooked)))
        if not body._blocks and source.strip():
            # markdown-it drops what is nested too deep; show the source instead of nothing
            return _text_body(clean_text(source), truncated)
        if truncated and not body.truncated:
            body = RenderedBody(body._blocks, body.links, True, body._flags)
        return body
    except Exception:
        return _text_body(clean_text(source), True)


_BBCODE_QUOTE = re.compile(r"\[quote(?:=\"([^\"\]]*)\")?\]\s*\n?(.*?)\n?\[/quote\]", re.S | re.I)
"""Discourse's ``[quote="user, post:N, topic:T"]…[/quote]`` (not nested)."""


def _cook_markdown(source: str) -> str:
    """Markdown to HTML, with Discourse's ``[quote]`` blocks as its ``aside.quote`` shape."""
    parser = _markdown_parser()
    parts: list[str] = []
    position = 0
    for match in _BBCODE_QUOTE.finditer(source):
        parts.append(parser.render(source[position : match.start()]))
        author = (match.group(1) or "").split(",")[0].strip()
        inner = parser.render(match.group(2))
        parts.append(
            f'<aside class="quote" data-username="{_html.escape(author, quote=True)}">'
            f"<blockquote>{inner}</blockquote></aside>"
        )
        position = match.end()
    parts.append(parser.render(source[position:]))
    return "".join(parts)


@lru_cache(maxsize=1)
def _markdown_parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "breaks": True}).enable(
        ["table", "strikethrough"]
    )


# =========================================================================== block model

_PARA, _HEADING, _CODE, _RULE, _TABLE, _SUMMARY, _NOTICE = range(7)
_SPOILER = 1
_DETAILS = 2


class _Prefix:
    """Text drawn before a block's lines (quote bars, list markers), with its styles."""

    __slots__ = ("text", "spans", "width", "_stripped")

    def __init__(self, text: str = "", spans: tuple[Span, ...] = ()) -> None:
        self.text = text
        self.spans = spans
        self.width = len(text)  # our prefixes are made of single-cell characters
        self._stripped: _Prefix | None = None

    @classmethod
    def styled(cls, text: str, style: str) -> _Prefix:
        return cls(text, (Span(0, len(text), style),) if style and text else ())

    def __add__(self, other: _Prefix) -> _Prefix:
        if not other.text:
            return self
        if not self.text:
            return other
        offset = len(self.text)
        shifted = tuple(Span(s + offset, e + offset, st) for s, e, st in other.spans)
        return _Prefix(self.text + other.text, self.spans + shifted)

    def stripped(self) -> _Prefix:
        """The prefix without trailing spaces (for blank lines)."""
        if self._stripped is None:
            text = self.text.rstrip(" ")
            n = len(text)
            spans = tuple(Span(s, min(e, n), st) for s, e, st in self.spans if s < n)
            self._stripped = _Prefix(text, spans) if n != len(self.text) else self
        return self._stripped

    def fit(self, width: int) -> _Prefix:
        """Keep at least 10 cells (or everything, on tiny widths) for the text itself."""
        keep = max(0, min(self.width, width - 10))
        if keep == self.width:
            return self
        spans = tuple(Span(s, min(e, keep), st) for s, e, st in self.spans if s < keep)
        return _Prefix(self.text[:keep], spans)


_NO_PREFIX = _Prefix()


class _Block:
    __slots__ = (
        "kind",
        "text",
        "spans",
        "first",
        "rest",
        "gap",
        "gap_prefix",
        "dim",
        "hide",
        "spoiler",
        "extra",
        "inline_spoiler",
    )

    def __init__(self, kind: int, text: str, spans: Any, extra: Any = None) -> None:
        self.kind = kind
        self.text = text
        self.spans = spans  # list of (start, end, style, flags)
        self.first = _NO_PREFIX
        self.rest = _NO_PREFIX
        self.gap = False
        self.gap_prefix = _NO_PREFIX
        self.dim = False
        self.hide = 0
        self.spoiler = 0
        self.extra = extra
        self.inline_spoiler = False


class _Frame:
    """An open container (quote, list item, details body…) as seen by the layout."""

    __slots__ = ("kind", "own_first", "own_rest", "rest", "pending", "dim", "hide", "spoiler")

    def __init__(self) -> None:
        self.kind = ""
        self.own_first = _NO_PREFIX
        self.own_rest = _NO_PREFIX
        self.rest = _NO_PREFIX
        self.pending = False
        self.dim = False
        self.hide = 0
        self.spoiler = 0


class _Para:
    """Inline text being collected: parts with a style and flags each."""

    __slots__ = ("parts", "styles", "space", "size")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.styles: list[tuple[str, int]] = []
        self.space = True  # ends with whitespace (or is empty): drop leading spaces
        self.size = 0

    def add(self, text: str, style: tuple[str, int]) -> None:
        if self.space and text[0] == " ":
            text = text.lstrip(" ")
            if not text:
                return
        self.parts.append(text)
        self.styles.append(style)
        self.space = text[-1] == " " or text[-1] == "\n"
        self.size += len(text)

    def soft_space(self) -> None:
        if not self.space:
            self.parts.append(" ")
            self.styles.append(("", 0))
            self.space = True
            self.size += 1

    def hard_break(self) -> None:
        if self.parts and self.parts[-1].endswith(" "):
            last = self.parts[-1].rstrip(" ")
            if last:
                self.parts[-1] = last
            else:
                self.parts.pop()
                self.styles.pop()
        self.parts.append("\n")
        self.styles.append(("", 0))
        self.space = True
        self.size += 1

    def take(self) -> tuple[str, list[tuple[int, int, str, int]]]:
        """The collected text (trimmed) and its merged spans; empties the paragraph."""
        parts, styles = self.parts, self.styles
        self.parts, self.styles, self.space, self.size = [], [], True, 0
        text = "".join(parts)
        stripped = text.strip(" \n")
        if not stripped:
            return "", []
        lead = len(text) - len(text.lstrip(" \n"))
        end = lead + len(stripped)
        spans: list[tuple[int, int, str, int]] = []
        pos = 0
        for part, (style, flags) in zip(parts, styles, strict=True):
            start, pos = pos, pos + len(part)
            if not (style or flags):
                continue
            s, e = max(start, lead) - lead, min(pos, end) - lead
            if s >= e:
                continue
            if spans and spans[-1][1] == s and spans[-1][2] == style and spans[-1][3] == flags:
                spans[-1] = (spans[-1][0], e, style, flags)
            else:
                spans.append((s, e, style, flags))
        return stripped, spans


class _Table:
    __slots__ = ("rows", "row", "cell", "in_head", "nested", "dropped")

    def __init__(self) -> None:
        self.rows: list[list[Any]] = []  # [in thead, cells, header cells]
        self.row: list[Any] | None = None
        self.cell: _Para | None = None
        self.in_head = False
        self.nested = 0
        self.dropped = False

    def new_row(self) -> None:
        self.cell = None
        if len(self.rows) >= MAX_TABLE_ROWS:
            self.dropped = True
            self.row = None
            return
        self.row = [self.in_head, [], 0]
        self.rows.append(self.row)

    def new_cell(self, header: bool) -> _Para | None:
        if self.row is None:
            if self.dropped:
                return None
            self.new_row()
            if self.row is None:
                return None
        cells = self.row[1]
        if len(cells) >= MAX_TABLE_COLUMNS:
            self.dropped = True
            self.cell = None
            return None
        para = _Para()
        cells.append(para)
        self.row[2] += header
        self.cell = para
        return para


class _Onebox:
    __slots__ = ("src", "title", "desc", "field", "title_set")

    def __init__(self, src: str | None, title: str = "") -> None:
        self.src = src
        self.title = _Para()
        self.desc = _Para()
        self.field: _Para | None = None
        self.title_set = bool(title)
        if title:
            self.title.add(title, ("", 0))


class _El:
    __slots__ = ("name", "acts", "data")

    def __init__(self, name: str, acts: int = 0, data: Any = None) -> None:
        self.name = name
        self.acts = acts
        self.data = data


class _Stop(Exception):
    """The time or size budget ran out."""


# =========================================================================== tokenizer

# The next markup token: a start or end tag (groups 1-4; group 4 is empty when the tag runs
# to the end of the input), a comment (group 5) or a bogus comment (<!…>, <?…>, </ …>).
# Possessive quantifiers: no backtracking, so each token is matched in linear time.
_TOKEN = re.compile(
    r"<(?:"
    r"(/?)([A-Za-z][^\t\n\f\r />]*+)"
    r"((?:[^>\"'=]++|=[\t\n\f\r ]*+(?:\"[^\"]*+(?:\"|\Z)|'[^']*+(?:'|\Z)|[^\t\n\f\r >]*+)"
    r"|[\"'])*+)"
    r"(>|\Z)"
    r"|(!--)"
    r"|[!?]|/(?![A-Za-z])"
    r")"
)
_ATTR = re.compile(
    r"([^\t\n\f\r />=][^\t\n\f\r />=]*+)"
    r"(?:[\t\n\f\r ]*+=[\t\n\f\r ]*+(?:\"([^\"]*+)\"?|'([^']*+)'?|([^\t\n\f\r >]*+)))?"
)
_RAW_TEXT = {
    name: re.compile(rf"</{name}(?=[\t\n\f\r />]|\Z)", re.IGNORECASE)
    for name in (
        "script",
        "style",
        "xmp",
        "iframe",
        "noembed",
        "noframes",
        "noscript",
        "textarea",
        "title",
        "template",
    )
}
_RAW_SHOWN = frozenset({"xmp", "textarea"})
_WS = re.compile(r"[ \n]+")
_MAX_ATTRS = 16_384
_EMPTY_ATTRS: dict[str, str] = {}


def _attrs(raw: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for match in _ATTR.finditer(raw, 0, min(len(raw), _MAX_ATTRS)):
        name = match.group(1).lower()
        if name in attrs:
            continue
        value = match.group(2)
        if value is None:
            value = match.group(3)
            if value is None:
                value = match.group(4) or ""
        attrs[name] = _html.unescape(value) if "&" in value else value
    return attrs


# =========================================================================== builder


def _names(words: str) -> frozenset[str]:
    return frozenset(words.split())


_VOID = _names("area base br col embed hr img input link meta param source track wbr keygen")
_BLOCK = _names(
    "p div section article header footer nav main figure figcaption address center "
    "dl dt dd form fieldset legend caption hgroup search menu dir"
)
_INLINE_STYLE = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "cite": "italic",
    "dfn": "italic",
    "var": "italic",
    "s": "strike",
    "del": "strike",
    "strike": "strike",
    "u": "underline",
    "ins": "underline",
    "code": "code",
    "tt": "code",
    "samp": "code",
    "kbd": "kbd",
    "mark": "mark",
    "small": "small",
}
_SKIPPED = frozenset({"svg", "head", "canvas", "map", "datalist"})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_BULLETS = ("• ", "◦ ", "▪ ")
_NO_HIGHLIGHT = frozenset({"auto", "plaintext", "text", "nohighlight", "none", "plain", "txt"})
_LANG = re.compile(r"^(?:lang-|language-)?([A-Za-z0-9_+#.\-]{1,32})$")

# element actions, undone when the element closes
_A_STYLE = 1
_A_FLAG = 2
_A_BLOCK = 4
_A_FRAME = 8
_A_SKIP = 16
_A_LINK = 32
_A_HEADING = 64
_A_PRE = 128
_A_TABLE = 256
_A_CELL = 512
_A_ONEBOX = 1024
_A_SINK = 2048
_A_SUMMARY = 4096
_A_LIST = 8192
_A_SPACE = 16384
_A_TITLE = 32768
_A_FIELD = 65536
_A_POLL = 131072
_A_NESTED_TABLE = 262144
_A_THEAD = 524288


@lru_cache(maxsize=256)
def _combine(current: str, add: str) -> str:
    if not add:
        return current
    if not current:
        return add
    have = current.split()
    new = [word for word in add.split() if word not in have]
    return current if not new else current + " " + " ".join(new)


class _Builder:
    """Turns a token stream into blocks and links. One instance per post."""

    def __init__(self, base_url: str | None, deadline: float, max_chars: int) -> None:
        self.base = safe_url(base_url) if base_url else None
        if self.base is not None and not self.base.startswith(("http://", "https://")):
            self.base = None
        self.base_host = url_host(self.base) if self.base else ""
        self.deadline = deadline
        self.max_chars = max_chars
        self.blocks: list[_Block] = []
        self.links: list[Link] = []
        self.link_numbers: dict[str, int] = {}
        self.stack: list[_El] = []
        root = _Frame()
        self.frames: list[_Frame] = [root]
        self.low = 1
        self.pending_low: int | None = None  # the lowest frame whose marker is not shown yet
        self.para = _Para()
        self.sink: _Para | None = self.para
        self.style: list[tuple[str, int]] = [("", 0)]
        self.skip = 0
        self.code: list[str] | None = None
        self.code_lang = ""
        self.heading = 0
        self.table: _Table | None = None
        self.onebox: _Onebox | None = None
        # the open link: (sink, where its text starts, "lightbox" or "", its title)
        self.link: tuple[_Para | None, int, str, str] | None = None
        # [ordered, next number, items so far, in a poll, nested in an item, bullet depth]
        self.lists: list[list[Any]] = []
        self.poll = 0
        self.tight_next = False
        self.spoilers = 0
        self.flags = 0
        self.chars = 0
        self.truncated = False

    # ----------------------------------------------------------------- tokenizer loop

    def run(self, src: str) -> None:
        try:
            self._tokenize(src)
        except _Stop:
            self.truncated = True

    def _tokenize(self, src: str) -> None:
        n = len(src)
        pos = text_from = 0
        search = _TOKEN.search
        count = 0
        while True:
            match = search(src, pos)
            if match is None:
                break
            lt = match.start()
            name = match.group(2)
            if name is not None and not match.group(4):
                break  # a tag still open at the end: the rest shows as text
            if lt > text_from:
                self._data(src[text_from:lt])
            pos = text_from = match.end()
            if name is not None:
                name = name.lower()
                if match.group(1):
                    self._end(name)
                else:
                    self._start(name, match.group(3))
                    raw = _RAW_TEXT.get(name)
                    if raw is not None:
                        closing = raw.search(src, pos)
                        stop = closing.start() if closing else n
                        if name in _RAW_SHOWN and stop > pos:
                            body = src[pos:stop]
                            if name == "textarea" and "&" in body:
                                body = _html.unescape(body)
                            self._data_raw(body)
                        pos = text_from = stop
            else:
                # a comment (to "-->") or a bogus comment such as <!DOCTYPE>, <?xml?> (to ">");
                # unclosed, it runs to the end
                if match.group(5):
                    if src.startswith(">", pos) or src.startswith("->", pos):
                        close, size = pos, (1 if src.startswith(">", pos) else 2)
                    else:
                        close, size = src.find("-->", pos), 3
                else:
                    close, size = src.find(">", pos), 1
                if close < 0:
                    text_from = n
                    break
                pos = text_from = close + size
            count += 1
            if count & 127 == 0:
                self._check_budget()
        if text_from < n:
            self._data(src[text_from:])
        self._check_budget()

    def _check_budget(self) -> None:
        if time.perf_counter() > self.deadline or self.chars > self.max_chars:
            raise _Stop

    # ----------------------------------------------------------------- text

    def _data(self, data: str) -> None:
        if self.skip:
            return
        if self.code is not None:
            self.code.append(_html.unescape(data) if "&" in data else data)
            self.chars += len(data)
            return
        sink = self.sink
        if sink is None:
            if self.table is None or self.onebox is not None or data.isspace():
                return
            sink = self.sink = self.table.new_cell(False)  # text loose in a table
            if sink is None:
                return
        if "&" in data:
            data = _html.unescape(data)
        data = clean_text(data)
        if "\n" in data or "  " in data:
            data = _WS.sub(" ", data)
        if data:
            sink.add(data, self.style[-1])
            self.chars += len(data)
            if self.chars & 0xFFF < len(data):
                self._check_budget()

    def _data_raw(self, data: str) -> None:
        """Text of ``textarea``/``xmp``: kept as is, line breaks included."""
        if self.skip or self.sink is None:
            return
        for number, line in enumerate(clean_text(data).split("\n")):
            if number:
                self.sink.hard_break()
            if line.strip():
                self.sink.add(line, self.style[-1])
        self.chars += len(data)

    def _add(self, value: str, style: str = "", flags: int = 0) -> None:
        """Add our own inline text (markers, link numbers) to the current sink."""
        sink = self.sink
        if sink is None or self.skip or not value:
            return
        current, current_flags = self.style[-1]
        sink.add(value, (_combine(current, style), current_flags | flags))
        self.chars += len(value)

    # ----------------------------------------------------------------- styles and frames

    def _push_style(self, el: _El, style: str, flags: int = 0) -> None:
        current, current_flags = self.style[-1]
        self.style.append((_combine(current, style), current_flags | flags))
        el.acts |= _A_STYLE

    def _push_frame(
        self,
        el: _El,
        kind: str,
        first: _Prefix = _NO_PREFIX,
        rest: _Prefix = _NO_PREFIX,
        *,
        dim: bool = False,
        hide: int = 0,
        spoiler: int = 0,
    ) -> _Frame:
        parent = self.frames[-1]
        frame = _Frame()
        frame.kind = kind
        if len(self.frames) > MAX_VISIBLE_DEPTH:
            first = rest = _NO_PREFIX  # deeper containers add no more indentation
        frame.own_first = first
        frame.own_rest = rest
        frame.rest = parent.rest + rest
        frame.pending = first.text != rest.text  # a list marker still to be shown
        if frame.pending and self.pending_low is None:
            self.pending_low = len(self.frames)
        frame.dim = parent.dim or dim
        frame.hide = parent.hide | hide
        frame.spoiler = parent.spoiler or spoiler
        self.frames.append(frame)
        el.acts |= _A_FRAME
        return frame

    def _pop_frame(self) -> None:
        if len(self.frames) > 1:
            self.frames.pop()
            if len(self.frames) < self.low:
                self.low = len(self.frames)
            if self.pending_low is not None and len(self.frames) <= self.pending_low:
                self.pending_low = None

    def _prefixes(self) -> tuple[_Prefix, _Prefix]:
        """First-line and other-line prefixes for a new block; shows pending list markers."""
        frames = self.frames
        top = frames[-1]
        low = self.pending_low
        if low is None:
            return top.rest, top.rest
        self.pending_low = None
        first = frames[low - 1].rest
        # Only the first MAX_VISIBLE_DEPTH containers draw anything.
        for frame in frames[low : MAX_VISIBLE_DEPTH + 1]:
            first = first + (frame.own_first if frame.pending else frame.own_rest)
            frame.pending = False
        return first, top.rest

    @property
    def flowing(self) -> bool:
        """Whether inline text currently goes into ordinary paragraphs (not a capture)."""
        return self.sink is self.para and self.code is None

    # ----------------------------------------------------------------- blocks

    def _emit(self, block: _Block) -> _Block:
        block.first, block.rest = self._prefixes()
        top = self.frames[-1]
        block.gap = bool(self.blocks) and not self.tight_next
        if block.gap:
            low = min(self.low, len(self.frames))
            block.gap_prefix = self.frames[low - 1].rest.stripped()
        block.dim = top.dim
        block.hide = top.hide
        block.spoiler = top.spoiler
        self.flags |= top.hide
        self.tight_next = False
        self.low = len(self.frames)
        self.blocks.append(block)
        return block

    def _flush(self) -> None:
        """End the current paragraph (if it has any text) as a block."""
        para = self.para
        if not para.parts:
            return
        text, spans = para.take()
        if not text:
            return
        kind = _HEADING if self.heading else _PARA
        block = _Block(kind, text, spans, self.heading)
        block.inline_spoiler = any(flags & _SPOILER for _s, _e, _st, flags in spans)
        if block.inline_spoiler:
            self.flags |= _SPOILER
        self._emit(block)

    def _boundary(self) -> None:
        if self.sink is self.para:
            self._flush()
        elif self.sink is not None:
            self.sink.soft_space()

    # ----------------------------------------------------------------- start tags

    def _start(self, name: str, raw_attrs: str) -> None:
        if self.skip:
            if name not in _VOID:
                self.stack.append(_El(name))
            if name == "source" and self.onebox is None:
                self._media_source(_attrs(raw_attrs) if raw_attrs else _EMPTY_ATTRS)
            return
        attrs = _attrs(raw_attrs) if raw_attrs and not raw_attrs.isspace() else _EMPTY_ATTRS
        if self.code is not None:
            self._start_in_code(name, attrs)
            return
        if name in _VOID:
            self._void(name, attrs)
            return
        classes = attrs.get("class", "").split() if attrs else ()
        if self.onebox is not None:
            self._start_in_onebox(name, attrs)
            return
        self._implied_ends(name)
        el = _El(name)
        self.stack.append(el)
        if name in _SKIPPED or "meta" in classes and self._in_lightbox():
            self.skip += 1
            el.acts |= _A_SKIP
            return
        if name == "a":
            self._start_link(el, attrs, classes)
        elif "spoiler" in classes and (name != "div" or not self.flowing):
            self._push_style(el, "", _SPOILER)
            self.flags |= _SPOILER
        elif name in _INLINE_STYLE:
            self._push_style(el, STYLES[_INLINE_STYLE[name]])
        elif name == "span":
            self._start_span(el, attrs, classes)
        elif name in ("iframe", "video", "audio", "embed", "object"):
            self._media(el, name, attrs)
        elif not self.flowing:
            self._start_captured(el, name, classes)
        else:
            self._start_block(el, name, attrs, classes)

    def _implied_ends(self, name: str) -> None:
        stack = self.stack
        if not stack:
            return
        if stack[-1].name == "p" and (name in _BLOCK or name in _BLOCK_OPENERS):
            self._end("p")
        if name == "li":
            self._close_open("li", stop=("ul", "ol", "menu"))
        elif name in ("td", "th"):
            self._close_open(("td", "th"), stop=("tr", "table"))
        elif name == "tr":
            self._close_open("tr", stop=("table",))
        elif name in ("dt", "dd"):
            self._close_open(("dt", "dd"), stop=("dl",))

    def _close_open(self, names: str | tuple[str, ...], stop: tuple[str, ...]) -> None:
        stack = self.stack
        for depth in range(len(stack) - 1, max(-1, len(stack) - 33), -1):
            current = stack[depth].name
            if current in stop:
                return
            if current == names or (isinstance(names, tuple) and current in names):
                while len(stack) > depth:
                    self._close(stack.pop())
                return

    def _in_lightbox(self) -> bool:
        return self.link is not None and self.link[2] == "lightbox"

    def _start_span(self, el: _El, attrs: dict[str, str], classes: Any) -> None:
        if "hashtag-icon-placeholder" in classes:
            self.skip += 1
            el.acts |= _A_SKIP
        elif "chcklst-box" in classes:
            checked = "checked" in classes or "fa-check-square-o" in classes
            self._add("[x] " if checked else "[ ] ")
        elif "mention" in classes:
            self._push_style(el, STYLES["mention"])
        elif "info-number" in classes:
            el.acts |= _A_SPACE  # "12" "voters" are separate spans

    def _start_captured(self, el: _El, name: str, classes: Any) -> None:
        """A block-level element where only inline text is collected (table cell, summary…)."""
        table = self.table
        if table is not None and table.nested == 0:
            if name == "tr":
                table.new_row()
                self.sink = None
                return
            if name in ("td", "th"):
                para = table.new_cell(name == "th")
                if para is not None and name == "th":
                    self._push_style(el, STYLES["table_header"])
                el.acts |= _A_CELL
                self.sink = para
                return
            if name == "thead":
                table.in_head = True
                el.acts |= _A_THEAD
                return
        if table is not None and name == "table":
            table.nested += 1
            el.acts |= _A_NESTED_TABLE
        if name in _HEADINGS:
            self._push_style(el, STYLES["heading"])
        elif name == "pre":
            self._push_style(el, STYLES["code"])
        if name in _BLOCK or name in _BLOCK_OPENERS or name in _TABLE_PARTS:
            if self.sink is not None:
                self.sink.soft_space()
            el.acts |= _A_SPACE

    def _start_block(self, el: _El, name: str, attrs: dict[str, str], classes: Any) -> None:
        if name in _BLOCK:
            self._flush()
            el.acts |= _A_BLOCK
            if name == "div":
                self._start_div(el, attrs, classes)
            elif name == "dd":
                self._push_frame(el, "indent", _Prefix("  "), _Prefix("  "))
        elif name in ("ul", "ol", "menu", "dir"):
            self._flush()
            el.acts |= _A_BLOCK | _A_LIST
            start = 1
            if name == "ol" and "start" in attrs:
                try:
                    start = max(-99_999, min(99_999, int(attrs["start"].strip())))
                except ValueError:
                    start = 1
            nested = any(frame.kind == "item" for frame in self.frames[-3:])
            depth = self.lists[-1][5] if self.lists else 0
            depth += name != "ol"
            self.lists.append([name == "ol", start, 0, self.poll > 0, nested, depth])
        elif name == "li":
            self._start_item(el, attrs)
        elif name == "summary":
            self._flush()
            el.acts |= _A_BLOCK
            self._start_summary(el)
        elif name in _HEADINGS:
            self._flush()
            self.heading = _HEADINGS[name]
            el.acts |= _A_BLOCK | _A_HEADING
            self._push_style(el, STYLES["heading"])
        elif name == "pre":
            self._flush()
            el.acts |= _A_PRE
            self.code = []
            self.code_lang = _language(attrs.get("data-code-wrap", "")) or _class_language(classes)
        elif name == "blockquote":
            self._flush()
            el.acts |= _A_BLOCK
            top = self.frames[-1]
            if top.kind == "aside-quote":
                top.kind = "aside-quote-body"  # the quote's own blockquote: no second bar
            else:
                self._push_frame(el, "quote", *_quote_bar(), dim=True)
        elif name == "aside":
            self._flush()
            el.acts |= _A_BLOCK
            if "onebox" in classes:
                self._start_onebox(el, attrs)
            elif "quote" in classes:
                self._start_quote(el, attrs)
        elif name == "details":
            self._start_details(el, attrs)
        elif name == "table":
            self._flush()
            el.acts |= _A_TABLE
            self.table = _Table()
            self.sink = None
        elif name in ("tr", "td", "th", "thead", "tbody", "tfoot"):
            self._flush()  # table parts outside a table: plain blocks
            el.acts |= _A_BLOCK

    def _start_summary(self, el: _El) -> None:
        for opened in reversed(self.stack[-8:-1]):
            if opened.name == "details" and isinstance(opened.data, _Block):
                summary = opened.data
                if summary.extra != "set":
                    summary.extra = "set"
                    el.acts |= _A_SUMMARY
                    el.data = (self.sink, summary, _Para())
                    self.sink = el.data[2]
                    return
        self._push_style(el, STYLES["summary"])

    def _start_quote_title(self, el: _El) -> bool:
        """The title line of a Discourse quote: only a link to another topic is kept."""
        for opened in reversed(self.stack[-4:-1]):
            if opened.name == "aside":
                if not isinstance(opened.data, _Block):
                    return False
                el.acts |= _A_TITLE
                el.data = (self.sink, opened.data, len(self.links))
                self.sink = _Para()
                return True
        return False

    def _start_div(self, el: _El, attrs: dict[str, str], classes: Any) -> None:
        is_title = "title" in classes and self.frames[-1].kind == "aside-quote"
        if is_title and self._start_quote_title(el):
            return
        if "spoiler" in classes:
            self.spoilers += 1
            self._push_frame(el, "spoiler", hide=_SPOILER, spoiler=self.spoilers)
        elif "poll" in classes:
            self.poll += 1
            el.acts |= _A_POLL
            name = clean_line(attrs.get("data-poll-name", ""))
            title = "Poll" if not name or name == "poll" else f"Poll: {name}"
            self._add(title, STYLES["poll_title"])
            self._flush()
            self.tight_next = True
        elif "poll-info" in classes:
            self._push_frame(el, "muted", dim=True)
        elif "poll-buttons" in classes or "meta" in classes and self._in_lightbox():
            self.skip += 1
            el.acts |= _A_SKIP
        elif "lazy-video-container" in classes or "lazyYT" in classes:
            title = attrs.get("data-video-title") or attrs.get("data-youtube-title") or ""
            src = None
            if "data-youtube-id" in attrs:
                src = "https://www.youtube.com/watch?v=" + attrs["data-youtube-id"]
            self._start_onebox(el, {"data-onebox-src": src or ""}, title=clean_line(title))
        elif "video-placeholder-container" in classes:
            url = safe_url(attrs.get("data-video-src", ""), base=self.base)
            self._add("[video]", STYLES["image"])
            if url:
                self._ref(url, "[video]")

    def _start_item(self, el: _El, attrs: dict[str, str]) -> None:
        self._flush()
        el.acts |= _A_BLOCK
        info = self.lists[-1] if self.lists else None
        if info is None:
            marker = _BULLETS[0]
        elif info[3]:
            marker = "○ "
        elif info[0]:
            number = info[1]
            if "value" in attrs:
                with contextlib.suppress(ValueError):
                    number = max(-99_999, min(99_999, int(attrs["value"].strip())))
            info[1] = number + 1
            marker = f"{number}. "
        else:
            marker = _BULLETS[(info[5] - 1) % len(_BULLETS)]
        if info is not None:
            if info[2] or info[4]:
                self.tight_next = True
            info[2] += 1
        self._push_frame(
            el,
            "item",
            _Prefix.styled(marker, STYLES["list_marker"]),
            _Prefix(" " * len(marker)),
        )

    def _start_quote(self, el: _El, attrs: dict[str, str]) -> None:
        username = clean_line(attrs.get("data-username", ""))[:60]
        header: _Block | None = None
        if username:
            header = _Block(
                _PARA,
                f"{username} said:",
                [
                    (0, len(username), STYLES["quote_author"], 0),
                    (len(username), len(username) + 6, STYLES["quote_said"], 0),
                ],
            )
            self._emit(header)
            self.tight_next = True
        self._push_frame(el, "aside-quote", *_quote_bar(), dim=True)
        el.data = header

    def _start_details(self, el: _El, attrs: dict[str, str]) -> None:
        self._flush()
        el.acts |= _A_BLOCK
        summary = _Block(_SUMMARY, "Details", [])
        self._emit(summary)
        self.flags |= _DETAILS
        indent = _Prefix("  ")
        self._push_frame(el, "details", indent, indent, hide=_DETAILS)
        self.tight_next = True
        el.data = summary

    def _start_onebox(self, el: _El, attrs: dict[str, str], title: str = "") -> None:
        el.acts |= _A_ONEBOX | _A_SINK
        el.data = self.sink
        self.onebox = _Onebox(attrs.get("data-onebox-src") or None, title)
        self.sink = None

    def _start_in_onebox(self, name: str, attrs: dict[str, str]) -> None:
        box = self.onebox
        assert box is not None
        el = _El(name)
        if name in _SKIPPED:
            self.skip += 1
            el.acts |= _A_SKIP
        elif name == "a" and box.src is None and attrs.get("href"):
            box.src = attrs["href"]
        elif name in ("h3", "h4", "h2", "h1") and not box.title_set and box.field is None:
            box.title_set = True
            box.field = box.title
            el.acts |= _A_FIELD | _A_SINK
            el.data = self.sink
            self.sink = box.title
        elif name == "p" and not box.desc.parts and box.field is None:
            box.field = box.desc
            el.acts |= _A_FIELD | _A_SINK
            el.data = self.sink
            self.sink = box.desc
        self.stack.append(el)

    def _start_in_code(self, name: str, attrs: dict[str, str]) -> None:
        if name == "br":
            assert self.code is not None
            self.code.append("\n")
            return
        if name == "code" and not self.code_lang:
            classes = attrs.get("class", "").split() if attrs else ()
            self.code_lang = _class_language(classes)
        if name not in _VOID:
            self.stack.append(_El(name))

    def _void(self, name: str, attrs: dict[str, str]) -> None:
        if name == "br":
            if self.sink is not None:
                self.sink.hard_break()
        elif name == "img":
            if self.onebox is None:
                self._image(attrs)
        elif name == "hr":
            if self.flowing:
                self._flush()
                self._emit(_Block(_RULE, "", []))
            elif self.sink is not None:
                self.sink.soft_space()
        elif name == "input":
            kind = attrs.get("type", "").lower()
            if kind in ("checkbox", "radio"):
                self._add("[x] " if "checked" in attrs else "[ ] ")
        elif name == "source":
            self._media_source(attrs)
        elif name == "embed":
            self._media(None, name, attrs)

    # ----------------------------------------------------------------- links and media

    def _start_link(self, el: _El, attrs: dict[str, str], classes: Any) -> None:
        href = attrs.get("href")
        if "mention" in classes or "mention-group" in classes:
            self._push_style(el, STYLES["mention"])
            return
        if "hashtag-cooked" in classes or "hashtag" in classes:
            slug = clean_line(attrs.get("data-slug", ""))
            if slug:
                self._add("#" + slug, STYLES["hashtag"])
                self.skip += 1
                el.acts |= _A_SKIP
            else:
                if "hashtag-cooked" in classes:
                    self._add("#", STYLES["hashtag"])
                self._push_style(el, STYLES["hashtag"])
            return
        if href is None or self.link is not None:
            return  # an anchor without a target, or a link inside a link: just text
        if "anchor" in classes or href.startswith("#"):
            # A heading's permalink (Discourse puts an empty ``a.anchor`` in every heading)
            # or a jump within the post (footnotes): nothing to open from a terminal.
            return
        url = safe_url(href, base=self.base)
        sink = self.sink
        kind = "lightbox" if "lightbox" in classes else ""
        title = attrs.get("title", "")
        self.link = (sink, len(sink.parts) if sink is not None else 0, kind, title)
        el.acts |= _A_LINK
        el.data = url
        self._push_style(el, STYLES["link"] if url else "")

    def _end_link(self, el: _El) -> None:
        info = self.link
        self.link = None
        if info is None:
            return
        sink, start, _kind, _title = info
        url: str | None = el.data
        shown = ""
        if sink is not None and sink is self.sink and start <= len(sink.parts):
            shown = clean_line("".join(sink.parts[start:]))
        if not shown:
            shown = url_host(url) if url else ""
            if shown:
                self._add(shown, STYLES["link"])
        self._ref(url, shown or "link")

    def _ref(self, url: str | None, shown: str) -> None:
        """Number a link target and show the number (and host) after its text."""
        if self.skip or self.sink is None:
            return
        if url is not None and url in self.link_numbers:
            number = self.link_numbers[url]
        elif len(self.links) >= MAX_LINKS:
            return
        else:
            number = len(self.links) + 1
            host = url_host(url) if url else ""
            self.links.append(Link(number, url, shown.replace("\u00a0", " ")[:200], host))
            if url is not None:
                self.link_numbers[url] = number
        host = self.links[number - 1].host
        if url is None:
            label = f" [{number}\u00a0✗]"
        elif not host or host == self.base_host or _shows_host(shown, host):
            label = f" [{number}]"
        else:
            label = f" [{number}\u00a0{host}]"
        self._add(label, STYLES["link_ref"])

    def _image(self, attrs: dict[str, str]) -> None:
        classes = attrs.get("class", "").split()
        if "emoji" in classes:
            code = attrs.get("title") or attrs.get("alt") or ""
            self._add(_emoji(code))
            return
        if "avatar" in classes or "site-icon" in classes:
            return
        alt = attrs.get("alt") or attrs.get("title") or ""
        if not alt and self.link is not None and self.link[2] == "lightbox":
            alt = self.link[3]  # Discourse puts the file name on the lightbox link
        alt = clean_line(alt)[:120]
        label = f"[image:\u00a0{alt}]" if alt and alt.lower() not in ("image", "img") else "[image]"
        if self.sink is not None:
            self.sink.soft_space()
        self._add(label, STYLES["image"])
        if self.link is None:
            src = attrs.get("src") or attrs.get("data-src") or ""
            url = safe_url(src, base=self.base) if src else None
            if url is not None:
                self._ref(url, label)

    def _media(self, el: _El | None, name: str, attrs: dict[str, str]) -> None:
        if el is not None:
            self.skip += 1  # fallback content of iframe/video/audio/object
            el.acts |= _A_SKIP
        src = attrs.get("src") or attrs.get("data") or ""
        url = safe_url(src, base=self.base) if src else None
        label = {"video": "[video]", "audio": "[audio]"}.get(name)
        if label is None:
            host = url_host(url) if url else ""
            label = f"[embedded: {host}]" if host else "[embedded content]"
        saved, self.skip = self.skip, 0
        if self.sink is not None:
            self.sink.soft_space()
        self._add(label, STYLES["image"])
        if url is not None:
            self._ref(url, label)
        self.skip = saved
        if el is not None and url is None and name in ("video", "audio"):
            el.data = "want-source"

    def _media_source(self, attrs: dict[str, str]) -> None:
        for el in reversed(self.stack[-4:]):
            if el.data == "want-source":
                url = safe_url(attrs.get("src", ""), base=self.base)
                if url is not None:
                    el.data = None
                    saved, self.skip = self.skip, 0
                    self._ref(url, "[video]")
                    self.skip = saved
                return

    # ----------------------------------------------------------------- tables

    def _finish_table(self) -> None:
        table = self.table
        self.table = None
        self.sink = self.para
        if table is None:
            return
        rows = []
        for in_head, cells, headers in table.rows:
            taken = [cell.take() for cell in cells]
            if any(text for text, _spans in taken):
                is_head = in_head or (not rows and headers == len(cells))
                rows.append((is_head, taken))
        if rows:
            self._emit(_Block(_TABLE, "", [], rows))
        if table.dropped:
            self.truncated = True

    # ----------------------------------------------------------------- end tags

    def _end(self, name: str) -> None:
        stack = self.stack
        for depth in range(len(stack) - 1, max(-1, len(stack) - 65), -1):
            if stack[depth].name == name:
                while len(stack) > depth:
                    self._close(stack.pop())
                return
        if name == "br" and not self.skip and self.sink is not None:
            self.sink.hard_break()
        elif name == "p" and self.flowing:
            self._flush()

    def _close(self, el: _El) -> None:
        acts = el.acts
        if not acts:
            return
        if acts & _A_SKIP:
            self.skip -= 1
        if acts & _A_LINK:
            self._end_link(el)
        if acts & _A_FIELD and self.onebox is not None:
            self.onebox.field = None
        if acts & _A_SINK:
            self.sink = el.data
        if acts & _A_SUMMARY:
            saved, summary, para = el.data
            self.sink = saved
            value, _spans = para.take()
            if value:
                summary.text = clean_line(value)
        if acts & _A_TITLE:
            self._finish_quote_title(el)
        if acts & _A_ONEBOX:
            self._finish_onebox()
        if acts & _A_CELL:
            self.sink = None
        if acts & _A_SPACE and self.sink is not None:
            self.sink.soft_space()
        if acts & _A_HEADING:
            self._flush()
            self.heading = 0
        if acts & _A_PRE:
            self._finish_code()
        if acts & _A_STYLE and len(self.style) > 1:
            self.style.pop()
        if acts & _A_TABLE:
            self._finish_table()
        if acts & _A_NESTED_TABLE and self.table is not None:
            self.table.nested = max(0, self.table.nested - 1)
        if acts & _A_THEAD and self.table is not None:
            self.table.in_head = False
        if acts & _A_BLOCK:
            self._flush()
        if acts & _A_LIST and self.lists:
            self.lists.pop()
        if acts & _A_POLL:
            self.poll = max(0, self.poll - 1)
        if acts & _A_FRAME:
            self._pop_frame()

    def _finish_code(self) -> None:
        parts = self.code or []
        self.code = None
        code = clean_text("".join(parts))
        if code.startswith("\n"):
            code = code[1:]
        code = code.rstrip("\n")
        lang = self.code_lang
        self.code_lang = ""
        if code.strip():
            self._emit(_Block(_CODE, code, [], lang))

    def _finish_onebox(self) -> None:
        box = self.onebox
        self.onebox = None
        self.sink = self.para
        if box is None:
            return
        url = safe_url(box.src, base=self.base) if box.src else None
        title, _spans = box.title.take()
        desc, _dspans = box.desc.take()
        if not title:
            title = clean_line(box.src or "")[:200] if box.src else ""
        if not title and not desc:
            return
        start = len(self.blocks)
        el = _El("aside")
        self._push_frame(el, "onebox", *_onebox_bar())
        if title:
            self._add(title, STYLES["onebox_title"])
            if box.src:
                self._ref(url, title)
            self._flush()
        if desc:
            if len(desc) > 300:
                desc = desc[:299].rstrip() + "…"
            self.tight_next = len(self.blocks) > start
            self._add(desc, STYLES["onebox_text"])
            self._flush()
        self._pop_frame()

    def _finish_quote_title(self, el: _El) -> None:
        saved, header, first_link = el.data
        self.sink = saved
        if len(self.links) <= first_link:
            return
        link = self.links[first_link]
        name_end = header.spans[0][1] if header.spans else 0
        name = header.text[:name_end]
        topic = link.text[:120] or link.host or "another topic"
        ref = f" [{link.number}]"
        parts = [(name, STYLES["quote_author"]), (" said in ", STYLES["quote_said"])]
        parts += [(topic, STYLES["link"]), (ref, STYLES["link_ref"]), (":", STYLES["quote_said"])]
        spans = []
        pos = 0
        for value, style in parts:
            spans.append((pos, pos + len(value), style, 0))
            pos += len(value)
        header.text = "".join(value for value, _style in parts)
        header.spans = spans

    # ----------------------------------------------------------------- result

    def result(self, truncated: bool) -> RenderedBody:
        try:
            while self.stack:
                self._close(self.stack.pop())
            if self.code is not None:
                self._finish_code()
            if self.table is not None:
                self._finish_table()
            self.sink = self.para
            self._flush()
        except _Stop:
            self.truncated = True
        return RenderedBody(self.blocks, tuple(self.links), truncated or self.truncated, self.flags)


_TABLE_PARTS = _names("table tr td th thead tbody tfoot caption")
_BLOCK_OPENERS = _names("ul ol li pre blockquote aside details table hr h1 h2 h3 h4 h5 h6 summary")


def _quote_bar() -> tuple[_Prefix, _Prefix]:
    bar = _Prefix.styled("│ ", STYLES["quote_bar"])
    return bar, bar


def _onebox_bar() -> tuple[_Prefix, _Prefix]:
    bar = _Prefix.styled("┃ ", STYLES["onebox_bar"])
    return bar, bar


def _shows_host(shown: str, host: str) -> bool:
    """Whether a link's visible text already names its real host (an address or a URL).

    Only the host part of the text counts: ``https://bank.example/evil.example`` does not
    show ``evil.example``.
    """
    value = shown.strip().lower()
    if "@" in value and " " not in value and not value.startswith(("http://", "https://")):
        return value.removeprefix("mailto:").rpartition("@")[2] == host
    if value.startswith(("http://", "https://", "//")):
        return url_host(safe_url(value) or "") == host
    candidate = value.split("/", 1)[0]
    return candidate == host or candidate == "www." + host or "www." + candidate == host


def _language(value: str) -> str:
    match = _LANG.match(value.strip()) if value else None
    if match is None:
        return ""
    lang = match.group(1).lower()
    return "" if lang in _NO_HIGHLIGHT else lang


def _class_language(classes: Any) -> str:
    for name in classes:
        if name.startswith(("lang-", "language-")):
            return _language(name)
    return ""


# =========================================================================== layout


class _Highlighting:
    """How much code one layout may still highlight, and whether highlighters may load."""

    __slots__ = ("chars_left", "load", "deferred")

    def __init__(self, load: bool) -> None:
        self.chars_left = MAX_HIGHLIGHT_TOTAL
        self.load = load
        self.deferred = False
        """True when some code was left plain because its highlighter was not loaded."""


def _layout(
    blocks: list[_Block],
    width: int,
    reveal: bool,
    expand: bool,
    truncated: bool,
    highlight_budget: _Highlighting | None = None,
) -> list[Content]:
    out: list[Content] = []
    last_spoiler = 0
    if highlight_budget is None:
        highlight_budget = _Highlighting(load=True)
    for block in blocks:
        if block.hide:
            if block.hide & _DETAILS and not expand:
                continue
            if block.hide & _SPOILER and not reveal:
                if block.spoiler == last_spoiler:
                    continue
                last_spoiler = block.spoiler
                block = _placeholder(block)
        else:
            last_spoiler = 0
        if block.gap and out:
            out.append(_gap_line(block.gap_prefix, width))
        kind = block.kind
        if kind in (_PARA, _HEADING):
            _layout_para(out, block, width, reveal)
        elif kind == _SUMMARY:
            _layout_summary(out, block, width, expand)
        elif kind == _CODE:
            _layout_code(out, block, width, highlight_budget)
        elif kind == _RULE:
            first = block.first.fit(width)
            size = min(_RULE_MAX, width - first.width)
            _emit_line(out, first, "─" * size, [(0, size, STYLES["rule"], 0)], width, False)
        elif kind == _TABLE:
            _layout_table(out, block, width)
        elif kind == _NOTICE:
            _layout_para(out, block, width, reveal)
    if truncated:
        if out:
            out.append(Content(""))
        notice = _Block(_NOTICE, "⋯ post truncated", [(0, 16, STYLES["notice"], 0)])
        _layout_para(out, notice, width, True)
    return out


def _placeholder(block: _Block) -> _Block:
    holder = _Block(_PARA, "[spoiler]", [(0, 9, STYLES["spoiler"], 0)])
    holder.first, holder.rest = block.first, block.rest
    holder.gap, holder.gap_prefix, holder.dim = block.gap, block.gap_prefix, block.dim
    return holder


def _gap_line(prefix: _Prefix, width: int) -> Content:
    prefix = prefix.fit(width).stripped()
    if not prefix.text:
        return Content("")
    return Content(prefix.text[:width], list(prefix.spans), cell_length=None)


def _emit_line(
    out: list[Content],
    prefix: _Prefix,
    text: str,
    spans: list[tuple[int, int, str, int]],
    width: int,
    dim: bool,
    cells: int = -1,
) -> None:
    """Append one line: prefix + text with spans (relative to ``text``).

    ``cells`` is the text's width when the caller measured it already. The line is cropped
    if it would still be wider than ``width`` (a wide character on a 1-cell screen).
    """
    offset = len(prefix.text)
    line_spans = list(prefix.spans)
    for start, end, style, _flags in spans:
        if style:
            line_spans.append(Span(start + offset, end + offset, style))
    full = prefix.text + text
    if dim and text:
        line_spans.append(Span(offset, len(full), STYLES["quote_text"]))
    # The text was cleaned when it was read; nothing left for Content to strip.
    content = Content(full, line_spans, strip_control_codes=False)
    if cells < 0 or "\u200d" in text or "\ufe0f" in text:
        cells = len(text) if text.isascii() else cell_len(text)
    if prefix.width + cells > width:
        content = content.truncate(width)
    out.append(content)


def _clip(
    spans: list[tuple[int, int, str, int]], start: int, end: int, cursor: int
) -> tuple[list[tuple[int, int, str, int]], int]:
    """Spans inside [start, end), shifted to start at 0; ``cursor`` speeds up the scan."""
    result = []
    count = len(spans)
    while cursor < count and spans[cursor][1] <= start:
        cursor += 1
    index = cursor
    while index < count:
        s, e, style, flags = spans[index]
        if s >= end:
            break
        result.append((max(s, start) - start, min(e, end) - start, style, flags))
        index += 1
    return result, cursor


def _wrap(text: str, avail: int) -> list[tuple[int, int, int]]:
    """Word-wrap ``text`` to ``avail`` cells: (start, end, cells) of each line."""
    avail = max(1, avail)
    ascii_text = text.isascii()
    measure = len if ascii_text else cell_len
    lines: list[tuple[int, int, int]] = []
    append = lines.append
    line_start = 0
    for hard in text.split("\n") if "\n" in text else (text,):
        hard_end = line_start + len(hard)
        size = measure(hard)
        if size <= avail:
            append((line_start, hard_end, size))
            line_start = hard_end + 1
            continue
        col = 0
        start = last_end = pos = line_start
        pending = False
        for word in hard.split(" "):
            word_start, word_end = pos, pos + len(word)
            pos = word_end + 1
            if not word:
                continue
            word_cells = measure(word)
            if pending:
                gap = word_start - last_end
                if col + gap + word_cells <= avail:
                    col += gap + word_cells
                    last_end = word_end
                    continue
                append((start, last_end, col))
            if word_cells <= avail:
                start, last_end, col = word_start, word_end, word_cells
            else:
                pieces = _fold(text, word_start, word_end, avail, ascii_text)
                lines.extend(pieces[:-1])
                start, last_end, col = pieces[-1]
            pending = True
        if pending:
            append((start, last_end, col))
        line_start = hard_end + 1
    return lines


def _fold(
    text: str, start: int, end: int, avail: int, ascii_text: bool
) -> list[tuple[int, int, int]]:
    """Cut text[start:end] into pieces of at most ``avail`` cells (grapheme-aware)."""
    avail = max(1, avail)
    if ascii_text:
        return [
            (pos, min(pos + avail, end), min(avail, end - pos)) for pos in range(start, end, avail)
        ]
    pieces = []
    graphemes, _total = split_graphemes(text[start:end])
    piece_start = start
    cells = 0
    for g_start, _g_end, g_cells in graphemes:
        if cells and cells + g_cells > avail:
            pieces.append((piece_start, start + g_start, cells))
            piece_start, cells = start + g_start, 0
        cells += g_cells
    if piece_start < end or not pieces:
        pieces.append((piece_start, end, cells))
    return pieces


def _layout_para(out: list[Content], block: _Block, width: int, reveal: bool) -> None:
    text, spans = block.text, block.spans
    if block.inline_spoiler and not reveal:
        text, spans = _hide_spoilers(text, spans)
    first, rest = block.first.fit(width), block.rest.fit(width)
    avail = width - max(first.width, rest.width)
    if avail < 1:
        first = rest = _NO_PREFIX
        avail = width
    cursor = 0
    ranges = _wrap(text, avail)
    for number, (start, end, cells) in enumerate(ranges):
        line_spans, cursor = _clip(spans, start, end, cursor)
        prefix = first if number == 0 else rest
        _emit_line(out, prefix, text[start:end], line_spans, width, block.dim, cells)
    if block.kind == _HEADING and block.extra in (1, 2) and ranges:
        size = max(cells for _start, _end, cells in ranges)
        size = min(size, avail)
        rule = ("━" if block.extra == 1 else "─") * size
        _emit_line(out, rest, rule, [(0, size, STYLES["rule"], 0)], width, block.dim)


def _hide_spoilers(
    text: str, spans: list[tuple[int, int, str, int]]
) -> tuple[str, list[tuple[int, int, str, int]]]:
    """Replace each stretch of inline spoiler text by ``[spoiler]``."""
    parts: list[str] = []
    new_spans: list[tuple[int, int, str, int]] = []
    pos = 0  # position in the original text
    shift = 0  # new position - old position
    index = 0
    count = len(spans)
    while index < count:
        start, end, style, flags = spans[index]
        if not flags & _SPOILER:
            new_spans.append((start + shift, end + shift, style, flags))
            index += 1
            continue
        # a stretch of adjacent spoiler spans
        stop = end
        index += 1
        while index < count and spans[index][3] & _SPOILER and spans[index][0] <= stop:
            stop = max(stop, spans[index][1])
            index += 1
        parts.append(text[pos:start])
        new_start = start + shift
        parts.append("[spoiler]")
        new_spans.append((new_start, new_start + 9, STYLES["spoiler"], 0))
        shift += 9 - (stop - start)
        pos = stop
    parts.append(text[pos:])
    return "".join(parts), new_spans


def _layout_summary(out: list[Content], block: _Block, width: int, expand: bool) -> None:
    marker = "▾ " if expand else "▸ "
    summary = _Block(
        _PARA,
        marker + block.text,
        [(0, len(marker) + len(block.text), STYLES["summary"], 0)],
    )
    summary.first, summary.rest = block.first, block.rest + _Prefix("  ")
    summary.dim = block.dim
    _layout_para(out, summary, width, True)


def _layout_code(out: list[Content], block: _Block, width: int, budget: _Highlighting) -> None:
    gutter = _Prefix.styled("┆ ", STYLES["code_gutter"])
    first = (block.first + gutter).fit(width)
    rest = (block.rest + gutter).fit(width)
    avail = width - max(first.width, rest.width)
    if avail < 1:
        first = rest = _NO_PREFIX
        avail = width
    code: str = block.text
    spans = block.spans
    lang = block.extra
    if lang and not spans and budget.chars_left > 0 and len(code) <= MAX_HIGHLIGHT_BLOCK:
        if budget.load or lexer_is_loaded(lang):
            budget.chars_left -= len(code)
            highlighted = _highlight(code, lang)
            if highlighted:
                block.spans = spans = highlighted
            else:
                block.extra = ""
        else:
            budget.deferred = True
    ascii_code = code.isascii()
    pos = 0
    cursor = 0
    number = 0
    for line in code.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        width_line = len(line) if ascii_code else cell_len(line)
        pieces = (
            [(start, end, width_line)]
            if width_line <= avail
            else _fold(code, start, end, avail, ascii_code)
        )
        for piece_start, piece_end, cells in pieces:
            line_spans, cursor = _clip(spans, piece_start, piece_end, cursor)
            prefix = first if number == 0 else rest
            piece = code[piece_start:piece_end]
            _emit_line(out, prefix, piece, line_spans, width, block.dim, cells)
            number += 1


_LEXERS: dict[str, Any] = {}
"""Highlighters loaded so far, by language (``None``: pygments does not know it)."""


def lexer_is_loaded(lang: str) -> bool:
    """Whether the highlighter for ``lang`` is ready (or known not to exist)."""
    return lang in _LEXERS


def load_lexer(lang: str) -> None:
    """Load the highlighter for ``lang`` (safe on any thread; a second load is harmless)."""
    _lexer(lang)


def _lexer(lang: str) -> Any:
    if lang in _LEXERS:
        return _LEXERS[lang]
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        lexer = get_lexer_by_name(lang, stripnl=False, ensurenl=False, tabsize=0)
    except ClassNotFound:
        lexer = None
    _LEXERS[lang] = lexer
    return lexer


@lru_cache(maxsize=1)
def _token_styles() -> dict[Any, str]:
    from textual.highlight import HighlightTheme

    return dict(HighlightTheme.STYLES)


def _highlight(code: str, lang: str) -> list[tuple[int, int, str, int]] | None:
    """Syntax-highlight spans for ``code`` (pygments, imported only when needed)."""
    try:
        lexer = _lexer(lang)
        if lexer is None:
            return None
        styles = _token_styles()
        cache: dict[Any, str] = {}
        spans: list[tuple[int, int, str, int]] = []
        pos = 0
        deadline = time.perf_counter() + 0.2
        for count, (token_type, value) in enumerate(lexer.get_tokens(code)):
            if count & 255 == 255 and time.perf_counter() > deadline:
                return None
            end = pos + len(value)
            style = cache.get(token_type)
            if style is None:
                lookup = token_type
                style = ""
                while lookup is not None:
                    found = styles.get(lookup)
                    if found is not None:
                        style = found
                        break
                    lookup = lookup.parent
                cache[token_type] = style
            if style and value.strip():
                spans.append((pos, end, style, 0))
            pos = end
        if pos != len(code):
            return None
        return spans
    except Exception:
        return None


# --------------------------------------------------------------------------- tables

_SEP = " │ "
_MIN_COLUMN = 6


def _layout_table(out: list[Content], block: _Block, width: int) -> None:
    rows: list[tuple[bool, list[tuple[str, list[tuple[int, int, str, int]]]]]] = block.extra
    first, rest = block.first.fit(width), block.rest.fit(width)
    avail = width - max(first.width, rest.width)
    if avail < 1:
        first = rest = _NO_PREFIX
        avail = width
    columns = max(len(cells) for _head, cells in rows)
    natural = [1] * columns
    longest_word = [1] * columns
    for _head, cells in rows:
        for index, (cell, _spans) in enumerate(cells):
            size = max(cell_len(part) for part in cell.split("\n"))
            natural[index] = max(natural[index], size)
            word = max((cell_len(part) for part in cell.split()), default=1)
            longest_word[index] = max(longest_word[index], word)
    # A column may shrink, but not below its longest word (up to 12 cells) or 6 cells.
    minimum = [
        min(size, max(_MIN_COLUMN, min(12, word)))
        for size, word in zip(natural, longest_word, strict=True)
    ]
    seps = len(_SEP) * (columns - 1)
    if sum(natural) + seps <= avail:
        widths = natural
    elif sum(minimum) + seps <= avail:
        widths = _fit_columns(natural, minimum, avail - seps)
    else:
        _layout_records(out, block, rows, first, rest, avail, width)
        return
    border = STYLES["table_border"]
    emitted = 0
    for row_number, (is_head, cells) in enumerate(rows):
        wrapped = []
        for index in range(columns):
            cell, spans = cells[index] if index < len(cells) else ("", [])
            wrapped.append((cell, spans, _wrap(cell, widths[index]) if cell else [(0, 0, 0)]))
        height = max(len(lines) for _c, _s, lines in wrapped)
        for line_no in range(height):
            parts: list[str] = []
            line_spans: list[tuple[int, int, str, int]] = []
            pos = 0
            for index, (cell, spans, lines) in enumerate(wrapped):
                if index:
                    parts.append(_SEP)
                    line_spans.append((pos + 1, pos + 2, border, 0))
                    pos += len(_SEP)
                if line_no < len(lines):
                    start, end, cells_used = lines[line_no]
                    piece = cell[start:end]
                    clipped, _cursor = _clip(spans, start, end, 0)
                    for s, e, st, fl in clipped:
                        line_spans.append((s + pos, e + pos, st, fl))
                else:
                    piece, cells_used = "", 0
                pad = widths[index] - cells_used
                parts.append(piece + " " * max(0, pad))
                pos += len(piece) + max(0, pad)
            line_text = "".join(parts).rstrip(" ")
            prefix = first if emitted == 0 else rest
            _emit_line(out, prefix, line_text, line_spans, width, block.dim)
            emitted += 1
        next_is_body = row_number + 1 < len(rows) and not rows[row_number + 1][0]
        if is_head and next_is_body:
            rule = "─┼─".join("─" * size for size in widths)
            _emit_line(out, rest, rule, [(0, len(rule), border, 0)], width, block.dim)
            emitted += 1


def _fit_columns(natural: list[int], minimum: list[int], total: int) -> list[int]:
    """Shrink the widest columns first (never below ``minimum``) to fit ``total`` cells."""

    def widths_for(cap: int) -> list[int]:
        return [max(least, min(size, cap)) for size, least in zip(natural, minimum, strict=True)]

    low, high = 1, max(natural)
    while low < high:  # the largest cap that still fits
        cap = (low + high + 1) // 2
        if sum(widths_for(cap)) <= total:
            low = cap
        else:
            high = cap - 1
    widths = widths_for(low)
    spare = total - sum(widths)
    for index, size in enumerate(natural):
        if spare <= 0:
            break
        if size > widths[index]:
            widths[index] += 1
            spare -= 1
    return widths


def _layout_records(
    out: list[Content],
    block: _Block,
    rows: list[Any],
    first: _Prefix,
    rest: _Prefix,
    avail: int,
    width: int,
) -> None:
    """A table too wide for the screen: one "column: value" line per cell."""
    header: list[str] = []
    body = rows
    if rows and rows[0][0]:
        header = [clean_line(cell) for cell, _spans in rows[0][1]]
        body = rows[1:] or rows
    border = STYLES["table_border"]
    bold = STYLES["table_header"]
    emitted = 0
    for row_number, (_head, cells) in enumerate(body):
        if row_number:
            size = min(avail, 20)
            _emit_line(out, rest, "┄" * size, [(0, size, border, 0)], width, block.dim)
            emitted += 1
        for index, (cell, spans) in enumerate(cells):
            if not cell:
                continue
            label = header[index] if index < len(header) and header[index] else f"{index + 1}"
            label = label[:40]
            line_text = f"{label}: {cell}"
            offset = len(label) + 2
            line_spans = [(0, len(label) + 1, bold, 0)]
            line_spans += [(s + offset, e + offset, st, fl) for s, e, st, fl in spans]
            hang = _Prefix("  ") if avail > 4 else _NO_PREFIX
            cursor = 0
            for number, (start, end, cells) in enumerate(_wrap(line_text, avail - hang.width)):
                clipped, cursor = _clip(line_spans, start, end, cursor)
                prefix = (first if emitted == 0 else rest) + (hang if number else _NO_PREFIX)
                _emit_line(out, prefix, line_text[start:end], clipped, width, block.dim, cells)
                emitted += 1


# =========================================================================== fallbacks

_STRIP_TAGS = re.compile(r"<[^<>]*>")


def _plain_from_html(source: str) -> str:
    try:
        stripped = _STRIP_TAGS.sub(" ", source)
        return clean_text(_html.unescape(stripped))
    except Exception:
        return ""


def _fallback_body(source: str) -> RenderedBody:
    """The tag-stripped text of a body, for when rendering failed."""
    return _text_body(_plain_from_html(source), True)


def _text_body(text_value: str, truncated: bool) -> RenderedBody:
    """Clean text as plain paragraphs."""
    try:
        blocks = []
        for paragraph in re.split(r"\n\s*\n", text_value):
            paragraph = _WS.sub(" ", paragraph).strip()
            if paragraph:
                block = _Block(_PARA, paragraph, [])
                block.gap = bool(blocks)
                blocks.append(block)
        return RenderedBody(blocks, (), truncated)
    except Exception:
        return RenderedBody([], (), True)


def _fallback_lines(blocks: list[_Block], width: int) -> list[Content]:
    out: list[Content] = []
    try:
        for block in blocks:
            if block.hide:
                continue
            value = block.text
            for start, end, _cells in _wrap(value, width):
                piece = value[start:end]
                content = Content(piece)
                if content.cell_length > width:
                    content = content.truncate(width)
                out.append(content)
    except Exception:
        return [Content("⋯ this post could not be displayed")[:width]]
    return out


# =========================================================================== emoji

# fmt: off
_EMOJI = {
    "+1": "👍", "thumbsup": "👍", "-1": "👎", "thumbsdown": "👎", "smile": "😄",
    "smiley": "😃", "grinning": "😀", "grin": "😁", "laughing": "😆", "joy": "😂",
    "rofl": "🤣", "sweat_smile": "😅", "slight_smile": "🙂",
    "slightly_smiling_face": "🙂", "upside_down_face": "🙃", "wink": "😉",
    "blush": "😊", "innocent": "😇", "heart_eyes": "😍", "star_struck": "🤩",
    "kissing_heart": "😘", "yum": "😋", "stuck_out_tongue": "😛", "thinking": "🤔",
    "face_with_monocle": "🧐", "nerd_face": "🤓", "sunglasses": "😎",
    "partying_face": "🥳", "hugs": "🤗", "neutral_face": "😐", "expressionless": "😑",
    "no_mouth": "😶", "smirk": "😏", "unamused": "😒", "roll_eyes": "🙄",
    "rolling_eyes": "🙄", "grimacing": "😬", "relieved": "😌", "pensive": "😔",
    "sleepy": "😪", "sleeping": "😴", "mask": "😷", "confused": "😕", "worried": "😟",
    "slightly_frowning_face": "🙁", "frowning": "😦", "open_mouth": "😮",
    "hushed": "😯", "astonished": "😲", "flushed": "😳", "scream": "😱", "cry": "😢",
    "sob": "😭", "weary": "😩", "tired_face": "😫", "angry": "😠", "rage": "😡",
    "exploding_head": "🤯", "dizzy_face": "😵", "zipper_mouth_face": "🤐",
    "money_mouth_face": "🤑", "clown_face": "🤡", "skull": "💀", "ghost": "👻",
    "robot": "🤖", "poop": "💩", "hankey": "💩", "see_no_evil": "🙈",
    "hear_no_evil": "🙉", "speak_no_evil": "🙊", "wave": "👋", "raised_hand": "✋",
    "ok_hand": "👌", "v": "✌️", "crossed_fingers": "🤞", "metal": "🤘",
    "call_me_hand": "🤙", "point_left": "👈", "point_right": "👉", "point_up": "☝️",
    "point_up_2": "👆", "point_down": "👇", "fist": "✊", "facepunch": "👊",
    "punch": "👊", "clap": "👏", "raised_hands": "🙌", "open_hands": "👐",
    "handshake": "🤝", "pray": "🙏", "writing_hand": "✍️", "muscle": "💪",
    "eyes": "👀", "shrug": "🤷", "man_shrugging": "🤷‍♂️", "woman_shrugging": "🤷‍♀️",
    "facepalm": "🤦", "man_facepalming": "🤦‍♂️", "woman_facepalming": "🤦‍♀️",
    "heart": "❤️", "orange_heart": "🧡", "yellow_heart": "💛", "green_heart": "💚",
    "blue_heart": "💙", "purple_heart": "💜", "black_heart": "🖤",
    "broken_heart": "💔", "sparkling_heart": "💖", "100": "💯", "boom": "💥",
    "zap": "⚡", "fire": "🔥", "sparkles": "✨", "star": "⭐", "star2": "🌟",
    "tada": "🎉", "confetti_ball": "🎊", "balloon": "🎈", "gift": "🎁", "trophy": "🏆",
    "medal": "🏅", "crown": "👑", "gem": "💎", "rocket": "🚀", "airplane": "✈️",
    "car": "🚗", "bulb": "💡", "books": "📚", "book": "📖", "memo": "📝", "pencil": "📝",
    "pencil2": "✏️", "link": "🔗", "lock": "🔒", "unlock": "🔓", "key": "🔑",
    "white_check_mark": "✅", "heavy_check_mark": "✔️",
    "ballot_box_with_check": "☑️", "x": "❌", "negative_squared_cross_mark": "❎",
    "warning": "⚠️", "no_entry": "⛔", "no_entry_sign": "🚫", "stop_sign": "🛑",
    "question": "❓", "grey_question": "❔", "exclamation": "❗",
    "grey_exclamation": "❕", "bangbang": "‼️", "interrobang": "⁉️",
    "information_source": "ℹ️", "heavy_plus_sign": "➕", "heavy_minus_sign": "➖",
    "arrow_right": "➡️", "arrow_left": "⬅️", "arrow_up": "⬆️", "arrow_down": "⬇️",
    "hourglass": "⌛", "hourglass_flowing_sand": "⏳", "alarm_clock": "⏰",
    "watch": "⌚", "calendar": "📆", "date": "📅", "coffee": "☕", "tea": "🍵",
    "beer": "🍺", "beers": "🍻", "wine_glass": "🍷", "pizza": "🍕", "cake": "🍰",
    "birthday": "🎂", "apple": "🍎", "computer": "💻", "keyboard": "⌨️",
    "desktop_computer": "🖥️", "iphone": "📱", "phone": "☎️", "telephone": "☎️",
    "email": "📧", "envelope": "✉️", "package": "📦", "wrench": "🔧", "hammer": "🔨",
    "hammer_and_wrench": "🛠️", "gear": "⚙️", "nut_and_bolt": "🔩", "mag": "🔍",
    "mag_right": "🔎", "microscope": "🔬", "chart_with_upwards_trend": "📈",
    "chart_with_downwards_trend": "📉", "bar_chart": "📊", "clipboard": "📋",
    "pushpin": "📌", "paperclip": "📎", "bookmark": "🔖", "label": "🏷️",
    "file_folder": "📁", "speech_balloon": "💬", "thought_balloon": "💭",
    "loudspeaker": "📢", "mega": "📣", "bell": "🔔", "no_bell": "🔕",
    "musical_note": "🎵", "notes": "🎶", "headphones": "🎧", "video_game": "🎮",
    "art": "🎨", "camera": "📷", "movie_camera": "🎥", "tv": "📺", "bug": "🐛",
    "dog": "🐶", "cat": "🐱", "seedling": "🌱", "four_leaf_clover": "🍀",
    "sunflower": "🌻", "rose": "🌹", "sunny": "☀️", "cloud": "☁️", "umbrella": "☔",
    "snowflake": "❄️", "rainbow": "🌈", "globe_with_meridians": "🌐",
    "earth_africa": "🌍", "earth_americas": "🌎", "earth_asia": "🌏", "house": "🏠",
    "construction": "🚧", "rotating_light": "🚨", "sos": "🆘", "recycle": "♻️",
    "checkered_flag": "🏁", "triangular_flag_on_post": "🚩", "white_flag": "🏳️",
    "red_circle": "🔴", "large_blue_circle": "🔵", "green_circle": "🟢",
    "yellow_circle": "🟡", "white_circle": "⚪", "black_circle": "⚫", "zzz": "💤",
    "sweat_drops": "💦", "dash": "💨", "anger": "💢", "moneybag": "💰", "dollar": "💵",
    "credit_card": "💳", "shield": "🛡️", "battery": "🔋", "electric_plug": "🔌",
    "satellite": "📡", "telescope": "🔭", "ok": "🆗", "new": "🆕", "cool": "🆒",
    "free": "🆓", "copyright": "©️", "registered": "®️", "tm": "™️", "it": "🇮🇹",
    "gb": "🇬🇧", "uk": "🇬🇧", "us": "🇺🇸", "de": "🇩🇪", "fr": "🇫🇷", "es": "🇪🇸",
    "jp": "🇯🇵", "cn": "🇨🇳", "kr": "🇰🇷", "ru": "🇷🇺", "eu": "🇪🇺",
}
# fmt: on
"""Common Discourse emoji shortcodes (gemoji names); others show as ``:name:``."""

_SKIN_TONES = {"t2": "🏻", "t3": "🏼", "t4": "🏽", "t5": "🏾", "t6": "🏿"}
_SHORTCODE = re.compile(r"^:?([a-z0-9_+\-]{1,64}?)(?::(t[2-6]))?:?$")


def _emoji(code: str) -> str:
    """The character for an emoji shortcode such as ``:smile:`` or ``:+1:t3:``."""
    code = clean_line(code).strip().lower()
    match = _SHORTCODE.match(code)
    if match is None:
        return f":{code.strip(':')[:64]}:" if code.strip(":") else ""
    name, tone = match.group(1), match.group(2)
    char = _EMOJI.get(name)
    if char is None:
        return f":{name}:"
    if tone and len(char) == 1:
        return char + _SKIN_TONES[tone]
    return char

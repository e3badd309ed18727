"""Make untrusted server text safe to show in a terminal (pure Python, no Textual or Rich).

Every string a forum sends (titles, usernames, post bodies, error messages, link targets) may
carry terminal escape sequences, raw control characters, bidirectional overrides or invisible
characters (see ``docs/reliability.md`` §1). This module neutralises them:

- :func:`clean_line` for one-line fields: titles, usernames, group names, tags, excerpts,
  error messages. Line breaks and tabs become one space; bidi controls and invisible
  characters are removed.
- :func:`clean_text` for multi-line bodies: keeps ``\\n``, expands tabs, and shows bidi
  embeddings/overrides/isolates as a visible marker such as ``⟪RLO⟫`` (so an attempt to
  reorder text is visible instead of silently working or silently vanishing).
- :func:`safe_url` for link targets: only ``http``, ``https`` and ``mailto`` survive, made
  absolute and percent-encoded into plain printable ASCII.
- :func:`url_host` for showing where a link really goes.

Decode HTML entities *before* calling these (``&#27;`` must not turn into a live ESC after
cleaning). All functions are idempotent, never raise, and are fast for clean input (one
precompiled regular-expression scan).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote, urljoin, urlsplit

__all__ = ["clean_line", "clean_text", "safe_url", "url_host"]

TAB_SIZE = 4
"""Tab stops used by :func:`clean_text` (code in posts reads best with narrow tabs)."""

# --------------------------------------------------------------------------- escape sequences

# ECMA-48 control strings (OSC, DCS, SOS, PM, APC) in 7-bit (ESC ] / P / X / ^ / _) and 8-bit
# (U+009D, U+0090, U+0098, U+009E, U+009F) form, up to BEL, ST (ESC \ or U+009C) or the end of
# the line. Ending at a line break or a stray ESC loses less of a body than eating the rest of
# it; safety does not depend on it, because every control character left over is removed next.
_STRING = r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c\n]*+(?:\x07|\x9c|\x1b\\)?"
# CSI in 7-bit (ESC [) and 8-bit (U+009B) form: parameters, intermediates, final byte.
_CSI = r"(?:\x1b\[|\x9b)[0-?]*+[ -/]*+[@-~]?"
# Any other escape sequence (ESC, intermediates, final byte) or a lone ESC.
_OTHER_ESC = r"\x1b[ -/]*+[0-~]?"
_ESCAPES = re.compile(f"{_STRING}|{_CSI}|{_OTHER_ESC}")

# --------------------------------------------------------------------------- character tables

_BIDI_MARKERS = {
    0x202A: "⟪LRE⟫",
    0x202B: "⟪RLE⟫",
    0x202C: "⟪PDF⟫",
    0x202D: "⟪LRO⟫",
    0x202E: "⟪RLO⟫",
    0x2066: "⟪LRI⟫",
    0x2067: "⟪RLI⟫",
    0x2068: "⟪FSI⟫",
    0x2069: "⟪PDI⟫",
}
# Removed everywhere: implicit direction marks and invisible characters.
_INVISIBLE = [0x061C, 0x180E, 0x200B, 0x200E, 0x200F, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB]
_INVISIBLE += range(0x2060, 0x2065)  # word joiner, invisible operators
_INVISIBLE += range(0x206A, 0x2070)  # deprecated format characters
# Removed from one-line fields only: zero-width non-joiner and the blank "filler" letters often
# used for invisible usernames. (Bodies keep ZWNJ: Persian and Indic text need it.)
_LINE_ONLY_INVISIBLE = [0x200C, 0x115F, 0x1160, 0x3164, 0xFFA0]
_LINE_BREAKS = [0x0A, 0x0B, 0x0C, 0x0D, 0x85, 0x2028, 0x2029]
_SURROGATES = range(0xD800, 0xE000)  # lone surrogates cannot even be encoded to UTF-8


def _table(*, line: bool) -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]:
        table[code] = None
    for code in _INVISIBLE:
        table[code] = None
    for code in _SURROGATES:
        table[code] = "\ufffd"
    for code in _LINE_BREAKS:
        table[code] = "\n"
    if line:
        table[0x09] = "\n"  # a tab in a one-line field becomes a space, like a line break
        for code in (*_BIDI_MARKERS, *_LINE_ONLY_INVISIBLE):
            table[code] = None
    else:
        table[0x09] = "\t"  # expanded afterwards, with tab stops
        table.update(_BIDI_MARKERS)
    return table


_LINE_TABLE = _table(line=True)
_TEXT_TABLE = _table(line=False)


def _class(codes: dict[int, str | None], keep: str = "") -> str:
    """A regex character class matching every code point that needs any work.

    Consecutive code points become one range: the class stays small and compiles quickly
    (listing the 2,048 surrogates one by one cost 10 ms at every start)."""
    wanted = sorted(code for code in codes if chr(code) not in keep)
    parts: list[str] = []
    start = previous = wanted[0]
    for code in [*wanted[1:], -1]:
        if code == previous + 1:
            previous = code
            continue
        parts.append(f"\\U{start:08x}" + (f"-\\U{previous:08x}" if previous > start else ""))
        start = previous = code
    return "[" + "".join(parts) + _COMBINING + "\U000e0000-\U000e007f\u200d]"


_COMBINING = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# "Is there anything to do at all?" — a single scan that is false for almost all real text.
_LINE_SUSPECT = re.compile(_class(_LINE_TABLE))
_TEXT_SUSPECT = re.compile(_class(_TEXT_TABLE, keep="\n"))
_COMBINING_RUN = re.compile(f"([{_COMBINING}]{{4}})[{_COMBINING}]+")
"""More than four stacked combining marks ("Zalgo" text) can paint over neighbouring lines."""

# Emoji-ish code points: a ZWJ is kept only between two of these (emoji ZWJ sequences).
_EMOJI = (
    "\u00a9\u00ae\u203c\u2049\u2122\u2139\u2194-\u21aa\u231a-\u23ff\u24c2\u25aa-\u27bf"
    "\u2934\u2935\u2b05-\u2b55\u3030\u303d\u3297\u3299\U0001f000-\U0001faff"
)
_STRAY_ZWJ = re.compile(f"(?<![{_EMOJI}\ufe0f\u20e3\U000e007f])\u200d|\u200d(?![{_EMOJI}])")
# Tag characters are legitimate only inside an emoji tag sequence (flags such as England's).
_TAGS = re.compile("(\U0001f3f4[\U000e0020-\U000e007e]{1,30}\U000e007f)|[\U000e0000-\U000e007f]")
_LINE_BREAK_RUN = re.compile(r" *\n[ \n]*")


def _keep_emoji_tags(match: re.Match[str]) -> str:
    return match.group(1) or ""


def _common(text: str, table: dict[int, str | None]) -> str:
    text = _ESCAPES.sub("", text) if ("\x1b" in text or _HAS_C1(text)) else text
    text = text.translate(table)
    if _HAS_TAG(text):
        text = _TAGS.sub(_keep_emoji_tags, text)
    if "\u200d" in text:
        text = _STRAY_ZWJ.sub("", text)
    return _COMBINING_RUN.sub(r"\1", text)


_HAS_C1 = re.compile("[\x90-\x9f]").search
_HAS_TAG = re.compile("[\U000e0000-\U000e007f]").search


def _as_str(text: object) -> str:
    if isinstance(text, str):
        return text
    return "" if text is None else str(text)


def clean_line(text: str) -> str:
    """Make a one-line server field safe to display.

    Removes escape sequences and control characters, turns line breaks and tabs into a single
    space, removes bidi controls and invisible characters (a ZWJ survives only inside emoji),
    and strips leading and trailing spaces. Idempotent; never raises.
    """
    try:
        text = _as_str(text)
        if _LINE_SUSPECT.search(text) is None:
            return text.strip(" ")
        text = _common(text, _LINE_TABLE)
        if "\n" in text:
            text = _LINE_BREAK_RUN.sub(" ", text)
        return text.strip(" ")
    except Exception:  # pragma: no cover - defensive: a display helper must never fail
        return "".join(ch for ch in str(text) if ch.isalnum() or ch == " ")


def clean_text(text: str) -> str:
    """Make multi-line server text (a post body, a bio) safe to display.

    Like :func:`clean_line`, but keeps line breaks (``\\r\\n``, ``\\r``, U+2028/2029 and NEL
    become ``\\n``), expands tabs to :data:`TAB_SIZE` stops, keeps ZWNJ, and shows bidi
    embeddings, overrides and isolates as visible markers (``⟪RLO⟫``) instead of applying
    them. Implicit direction marks (LRM, RLM, ALM) are removed. Idempotent; never raises.
    """
    try:
        text = _as_str(text)
        if _TEXT_SUSPECT.search(text) is None:
            return text
        if "\r\n" in text:
            text = text.replace("\r\n", "\n")
        text = _common(text, _TEXT_TABLE)
        if "\t" in text:
            text = text.expandtabs(TAB_SIZE)
        return text
    except Exception:  # pragma: no cover - defensive
        return "".join(ch for ch in str(text) if ch.isalnum() or ch in " \n")


# --------------------------------------------------------------------------- URLs

ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
MAX_URL_LENGTH = 8192

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
# Anything that has no business inside a link target: controls, whitespace other than a
# plain space, bidi and invisible characters.
_URL_FORBIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u115f\u1160\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f"
    "\u3000\u3164\ufeff\uffa0\ufff9-\ufffb\ud800-\udfff\U000e0000-\U000e007f]"
)
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9\-_.]*[a-z0-9_])?\.?$")
_IPV6 = re.compile(r"^\[[0-9a-f:.]+\]$")
_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"
_QUERY_SAFE = _PATH_SAFE + "?"
_PRINTABLE_ASCII = re.compile(r"^[!-~]+$")


def _encode(part: str, safe: str) -> str:
    return quote(_BAD_PERCENT.sub("%25", part), safe=safe)


def _ascii_host(host: str) -> str | None:
    host = host.lower()
    if _IPV6.match(host):
        return host
    if not host.isascii():
        try:
            host = host.encode("idna").decode("ascii").lower()
        except (UnicodeError, ValueError):
            return None
    if len(host) > 253 or not _HOST.match(host) or ".." in host:
        return None
    return host


def safe_url(href: str, *, base: str | None = None) -> str | None:
    """Return ``href`` as an absolute, allowed, printable-ASCII URL, or ``None``.

    Relative links resolve against ``base`` (the forum's URL); a protocol-relative ``//host/x``
    becomes ``https://host/x``. Only ``http``, ``https`` and ``mailto`` are allowed. Targets
    with control, invisible or bidi characters, user credentials (``https://bank@evil/``), a
    bad host or port are refused. Characters that must not appear raw are percent-encoded
    and non-ASCII host names are IDNA-encoded. Never raises.
    """
    try:
        href = _as_str(href)
        base = None if base is None else _as_str(base)
        return (_cached_safe_url if len(href) <= 1024 else _safe_url)(href, base)
    except Exception:
        return None


def _safe_url(href: str, base: str | None) -> str | None:
    href = href.strip(" \t\n\r\f\x00")
    if not href or len(href) > MAX_URL_LENGTH or _URL_FORBIDDEN.search(href):
        return None
    if href.startswith("//"):
        href = "https:" + href
    elif not _SCHEME.match(href):
        if base is None:
            return None
        base_url = _cached_safe_url(base.strip(), None)
        if base_url is None or not base_url.startswith(("http://", "https://")):
            return None
        href = urljoin(base_url, href)
    match = _SCHEME.match(href)
    if match is None:
        return None
    scheme = match.group(1).lower()
    if scheme not in ALLOWED_SCHEMES:
        return None
    if scheme == "mailto":
        rest = href[len(match.group(0)) :]
        address, _, query = rest.partition("?")
        if "@" not in address:
            return None
        url = "mailto:" + _encode(address, "@.+-_~!$&'*=%,;:")
        if query:
            url += "?" + _encode(query, _QUERY_SAFE)
    else:
        parts = urlsplit(href)
        if parts.username is not None or parts.password is not None or "@" in parts.netloc:
            return None
        hostname = parts.hostname
        if not hostname:
            return None
        host = _ascii_host(hostname if ":" not in hostname else f"[{hostname}]")
        if host is None:
            return None
        port = parts.port  # raises ValueError for a bad port: refused by safe_url
        netloc = host if port is None else f"{host}:{port}"
        path = _encode(parts.path, _PATH_SAFE) or "/"
        url = f"{scheme}://{netloc}{path}"
        if parts.query:
            url += "?" + _encode(parts.query, _QUERY_SAFE)
        if parts.fragment:
            url += "#" + _encode(parts.fragment, _QUERY_SAFE)
    if len(url) > MAX_URL_LENGTH or not _PRINTABLE_ASCII.match(url):
        return None
    return url


_cached_safe_url = lru_cache(maxsize=2048)(_safe_url)


def _script(char: str) -> str:
    """A coarse script name for a letter (``LATIN``, ``CYRILLIC``, ``CJK``…), or ``""``."""
    if char.isascii():
        return "LATIN" if char.isalpha() else ""
    try:
        name = unicodedata.name(char)
    except ValueError:
        return "?"
    word = name.split(" ", 1)[0]
    if word in {"HIRAGANA", "KATAKANA", "CJK", "HANGUL", "IDEOGRAPHIC"}:
        return "CJK"
    return word


# Letters of other scripts that look like Latin ones: a label made only of these (``аррӏе``)
# is a homograph of a Latin name and is shown in its ``xn--`` form.
_LATIN_LOOKALIKES = frozenset("асеһіјӏорԛѕԝхуԁкмнтвгпьαικνορτυχοյհօսզ")


def _display_label(label: str) -> str:
    """Show an IDNA label as Unicode only when it is letters of a single script that cannot
    pass for Latin letters; otherwise keep the ``xn--`` form."""
    if not label.startswith("xn--"):
        return label
    try:
        decoded = label.encode("ascii").decode("idna")
    except (UnicodeError, ValueError):
        return label
    scripts = set()
    for char in decoded:
        if char in "-" or char.isdigit():
            continue
        category = unicodedata.category(char)
        if not category.startswith(("L", "M")):
            return label  # symbols, punctuation lookalikes: keep the punycode
        if category.startswith("L"):
            scripts.add(_script(char))
    if len(scripts) > 1 or not decoded.isprintable():
        return label
    letters = [char for char in decoded if char.isalpha()]
    if letters and all(char in _LATIN_LOOKALIKES for char in letters):
        return label
    return decoded


def url_host(url: str) -> str:
    """The host a URL really points to, for display next to a link.

    Lower case; internationalised names are shown in Unicode only when every label is of a
    single script (otherwise the ``xn--`` form, which cannot impersonate another name). For
    ``mailto:`` it is the address's domain. Returns ``""`` when there is no host. Never raises.
    """
    try:
        url = _as_str(url)
        return _cached_url_host(url) if len(url) <= 1024 else _url_host(url)
    except Exception:
        return ""


def _url_host(url: str) -> str:
    if url[:7].lower() == "mailto:":
        address = url[7:].partition("?")[0]
        host = unquote(address.rpartition("@")[2])
    else:
        host = urlsplit(url).hostname or ""
    host = clean_line(host).lower()
    if not host:
        return ""
    if ":" in host:
        return f"[{host}]" if not host.startswith("[") else host
    if not host.isascii():
        ascii_host = _ascii_host(host)
        if ascii_host is None:
            return clean_line(host.encode("ascii", "backslashreplace").decode("ascii"))
        host = ascii_host
    return ".".join(_display_label(label) for label in host.split("."))


_cached_url_host = lru_cache(maxsize=1024)(_url_host)

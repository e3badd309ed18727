"""``termforum.sanitize``: untrusted server text and link targets made safe for a terminal.

Checklist items 1–3, 6 and 7 of ``docs/reliability.md``: escape sequences, control
characters, line breaks in one-line fields, bidi and invisible characters, link schemes and
control characters in link targets.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from termforum.sanitize import clean_line, clean_text, safe_url, url_host

# Every code point that must never reach the terminal from server text.
C0 = {chr(c) for c in range(0x20)}
C1 = {chr(c) for c in range(0x80, 0xA0)}
DEL = {"\x7f"}
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C]}
INVISIBLE = {"\u200b", "\u2060", "\u2061", "\u2062", "\u2063", "\u2064", "\ufeff", "\u180e"}
SURROGATES = re.compile("[\ud800-\udfff]")

# Text full of the pieces attacks are made of, so generated strings form real sequences.
NASTY = st.sampled_from(
    [
        "\x1b",
        "[",
        "]",
        "\\",
        "P",
        "_",
        "^",
        "X",
        "2J",
        "52;c;",
        "QQ==",
        "0;",
        "\x07",
        "\x9b",
        "\x9c",
        "\x9d",
        "\x90",
        "\x85",
        "\x00",
        "\x7f",
        "\r",
        "\n",
        "\t",
        " ",
        "a",
        "é",
        "中",
        "😀",
        "\u200d",
        "\u200b",
        "\ufe0f",
        "\u202e",
        "\u2066",
        "\u2028",
        "\U0001f3f4",
        "\U000e0067",
        "\U000e007f",
        "\U000e0001",
        "\u0301",
        "\ud800",
    ]
)
ANY_TEXT = st.one_of(
    st.text(st.characters(exclude_categories=())),  # every code point, surrogates included
    st.lists(NASTY, max_size=40).map("".join),
)
PROPERTY = settings(
    max_examples=600, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_terminal_safe(value: str, *, newlines: bool) -> None:
    allowed = {"\n"} if newlines else set()
    bad = (C0 - allowed) | C1 | DEL
    assert not bad & set(value), f"control characters left in {value!r}"
    assert SURROGATES.search(value) is None
    value.encode("utf-8")  # what the terminal driver will do with it


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(ANY_TEXT)
@example("\x1b]52;c;ZWNobyBwd25lZA==\x07")
@example("\x9d0;title\x9c\x9b2J")
def test_clean_line_output_is_safe_single_line_and_idempotent(value: str) -> None:
    cleaned = clean_line(value)
    assert_terminal_safe(cleaned, newlines=False)
    assert not (BIDI | INVISIBLE) & set(cleaned)
    assert "\u2028" not in cleaned and "\u2029" not in cleaned
    assert clean_line(cleaned) == cleaned


@PROPERTY
@given(ANY_TEXT)
def test_clean_text_output_is_safe_and_idempotent(value: str) -> None:
    cleaned = clean_text(value)
    assert_terminal_safe(cleaned, newlines=True)
    assert not (BIDI | INVISIBLE) & set(cleaned)
    assert "\t" not in cleaned and "\r" not in cleaned
    assert clean_text(cleaned) == cleaned


@PROPERTY
@given(ANY_TEXT)
def test_zwj_survives_only_between_emoji(value: str) -> None:
    for cleaned in (clean_line(value), clean_text(value)):
        for match in re.finditer("\u200d", cleaned):
            before = cleaned[match.start() - 1] if match.start() else ""
            after = cleaned[match.end()] if match.end() < len(cleaned) else ""
            assert before and after, cleaned
            assert after not in " abcdefghijklmnopqrstuvwxyz0123456789"


def test_clean_functions_accept_non_strings() -> None:
    assert clean_line(None) == ""  # type: ignore[arg-type]
    assert clean_text(42) == "42"  # type: ignore[arg-type]


# --------------------------------------------------------------------------- escape sequences


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("A\x1b]52;c;ZWNobyBwd25lZA==\x1b\\B\x1b[2JC", "ABC"),  # OSC 52 clipboard + clear
        ("A\x1b]52;c;QQ==\x07B", "AB"),  # OSC terminated by BEL
        ("A\x1b]0;fake title\x07B", "AB"),  # window title
        ("A\x1b]8;;https://evil/\x1b\\link\x1b]8;;\x1b\\B", "AlinkB"),  # OSC 8 hyperlink
        ("A\x1bPq#0;2;0;0;0\x1b\\B", "AB"),  # DCS (sixel)
        ("A\x1b_Gf=100;payload\x1b\\B", "AB"),  # APC (kitty graphics)
        ("A\x1b[6nB", "AB"),  # cursor position report request
        ("A\x1b[?1049hB", "AB"),  # alternate screen
        ("A\x9b2JB", "AB"),  # 8-bit CSI
        ("A\x9d0;title\x9cB", "AB"),  # 8-bit OSC and ST
        ("A\x90q\x9cB", "AB"),  # 8-bit DCS
        ("A\x1b(0B", "AB"),  # charset switch
        ("A\x1b7B\x1b8", "AB"),  # save/restore cursor
        ("AB\x1b", "AB"),  # a lone ESC at the end
        ("A\x00B\x7fC\x08D", "ABCD"),  # NUL, DEL, backspace
    ],
)
def test_escape_sequences_are_removed_from_titles(raw: str, shown: str) -> None:
    assert clean_line(raw) == shown
    assert clean_text(raw) == shown


def test_unterminated_control_string_is_removed_to_the_end_of_its_line() -> None:
    assert clean_line("safe\x1b]52;c;QQ== everything after") == "safe"
    assert clean_text("safe\x1b]0;title\nnext line") == "safe\nnext line"


def test_decoded_escapes_are_removed() -> None:
    # JSON "\u001b" and HTML "&#x9b;" both decode before cleaning; neither gets through.
    import html
    import json

    assert clean_line(json.loads('"a\\u001b[2Jb\\u009b31mc"')) == "abc"
    assert clean_line(html.unescape("x&#27;[2J&#x1b;]0;t&#7;")) == "x[2J]0;t"


# --------------------------------------------------------------------------- line breaks


def test_line_breaks_and_tabs_become_one_space_in_one_line_fields() -> None:
    assert clean_line("Reply\r\nsent\tby\x0badmin") == "Reply sent by admin"
    assert clean_line("a \n\n  b") == "a b"
    assert clean_line("a\u2028b\u2029c\x85d") == "a b c d"
    assert clean_line("  padded  ") == "padded"


def test_spaces_the_author_typed_are_kept() -> None:
    assert clean_line("two  spaces") == "two  spaces"
    assert clean_text("two  spaces\n  indented") == "two  spaces\n  indented"


def test_bodies_keep_newlines_and_normalise_carriage_returns() -> None:
    assert clean_text("one\r\ntwo\rthree\nfour") == "one\ntwo\nthree\nfour"
    assert clean_text("x\u2028y") == "x\ny"


def test_bodies_expand_tabs_to_four_column_stops() -> None:
    assert clean_text("a\tb\n\tc\nabcd\te") == "a   b\n    c\nabcd    e"


# --------------------------------------------------------------------------- bidi and invisibles


def test_bidi_overrides_are_removed_from_one_line_fields() -> None:
    # "Trojan source"-style spoofing of a file name in a title.
    assert clean_line("invoice\u202egpj.exe") == "invoicegpj.exe"
    assert clean_line("\u2067admin\u2069") == "admin"
    assert clean_line("a\u200fb\u200ec") == "abc"


def test_bidi_overrides_are_shown_as_markers_in_bodies() -> None:
    assert clean_text("invoice\u202egpj.exe") == "invoice⟪RLO⟫gpj.exe"
    assert clean_text("\u2066x\u2069") == "⟪LRI⟫x⟪PDI⟫"
    assert clean_text("שלום\u200f world") == "שלום world"  # marks are dropped silently


def test_invisible_characters_are_removed() -> None:
    assert clean_line("ad\u200bmin") == "admin"
    assert clean_line("ad\u2060m\ufeffin") == "admin"
    assert clean_line("ad\u200cmin") == "admin"  # no ZWNJ in names
    assert clean_text("می\u200cخواهم") == "می\u200cخواهم"  # bodies keep it for Persian


def test_emoji_sequences_keep_their_joiners() -> None:
    family = "👨\u200d👩\u200d👧"
    rainbow = "🏳\ufe0f\u200d🌈"
    assert clean_line(f"{family} {rainbow}") == f"{family} {rainbow}"
    assert clean_line("adm\u200din") == "admin"
    assert clean_line("😀\u200d") == "😀"


def test_tag_characters_survive_only_in_flag_sequences() -> None:
    england = "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
    assert clean_line(england) == england
    assert clean_line("pay\U000e0041\U000e0042pal") == "paypal"


def test_stacked_combining_marks_are_capped() -> None:
    zalgo = "Z" + "\u0301" * 50 + "a"
    assert clean_line(zalgo) == "Z" + "\u0301" * 4 + "a"
    assert clean_line("Cafe\u0301") == "Cafe\u0301"


def test_lone_surrogates_become_replacement_characters() -> None:
    assert clean_line("a\ud800b") == "a\ufffdb"
    assert clean_text("\udfff") == "\ufffd"


def test_sanitize_does_not_load_textual_or_rich() -> None:
    code = "import sys, termforum.sanitize; print(sorted({m.split('.')[0] for m in sys.modules}))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "'textual'" not in result.stdout and "'rich'" not in result.stdout


# --------------------------------------------------------------------------- safe_url

BASE = "https://forum.example/"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("https://docs.python.org/3/", "https://docs.python.org/3/"),
        ("HTTP://Example.COM", "http://example.com/"),
        ("/t/welcome/12/3", "https://forum.example/t/welcome/12/3"),
        ("../u/sam", "https://forum.example/u/sam"),
        ("#post_4", "https://forum.example/#post_4"),
        ("//cdn.example/img.png", "https://cdn.example/img.png"),
        ("mailto:bob@example.com", "mailto:bob@example.com"),
        ("  https://example.com/a  ", "https://example.com/a"),
        ("https://example.com/a b?q=x y#f g", "https://example.com/a%20b?q=x%20y#f%20g"),
        ("https://example.com/ünï?q=ç", "https://example.com/%C3%BCn%C3%AF?q=%C3%A7"),
        ("https://example.com/100%", "https://example.com/100%25"),
        ("https://example.com/a%20b", "https://example.com/a%20b"),
        ("https://bücher.example/", "https://xn--bcher-kva.example/"),
        ("http://[::1]:8080/x", "http://[::1]:8080/x"),
    ],
)
def test_allowed_links_become_absolute_printable_urls(href: str, expected: str) -> None:
    assert safe_url(href, base=BASE) == expected


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java\tscript:alert(1)",
        "java\nscript:alert(1)",
        "\x01javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "ftp://example.com/",
        "ssh://example.com/",
        "https://x.example/\x1b\\\x1b]52;c;QQ==\x1b\\",
        "https://x.example/\x07",
        "https://x.example/\x9b2J",
        "https://x.example/\u202egpj.exe",
        "https://x.example/zero\u200bwidth",
        "https://bank.example@evil.example/",
        "https://user:pass@evil.example/",
        "https://x.example:99999/",
        "https://exa mple.com/",
        "https://exa<mple.com/",
        "https:evil.example",
        "mailto:",
        "mailto:no-at-sign",
        "",
        "   ",
    ],
)
def test_refused_links(href: str) -> None:
    assert safe_url(href, base=BASE) is None


def test_relative_links_need_a_usable_base() -> None:
    assert safe_url("/t/1") is None
    assert safe_url("/t/1", base="javascript:alert(1)") is None
    assert safe_url("/t/1", base="file:///home/me/") is None
    assert safe_url("https://example.com/", base=None) == "https://example.com/"


def test_safe_url_never_raises_on_odd_input() -> None:
    assert safe_url(None) is None  # type: ignore[arg-type]
    assert safe_url("http://[::1") is None
    assert safe_url("https://" + "a" * 10_000 + ".example/") is None


URLISH = st.one_of(
    ANY_TEXT,
    st.builds(
        lambda scheme, rest: scheme + rest,
        st.sampled_from(["https://", "http://", "//", "/", "mailto:", "HTTPS://", " http://", ""]),
        ANY_TEXT,
    ),
)


@PROPERTY
@given(URLISH)
def test_safe_url_returns_printable_ascii_with_an_allowed_scheme(href: str) -> None:
    url = safe_url(href, base=BASE)
    if url is None:
        return
    assert re.fullmatch(r"[!-~]+", url), url
    assert url.split(":", 1)[0] in {"http", "https", "mailto"}
    assert safe_url(url, base=BASE) == url
    host = url_host(url)
    assert_terminal_safe(host, newlines=False)


# --------------------------------------------------------------------------- url_host


def test_url_host_shows_where_a_link_really_goes() -> None:
    assert url_host("https://Docs.Python.org/3/") == "docs.python.org"
    assert url_host("mailto:bob@Example.com?subject=hi") == "example.com"
    assert url_host("http://[::1]:8080/") == "[::1]"
    assert url_host("not a url") == ""
    assert url_host(None) == ""  # type: ignore[arg-type]


def test_url_host_shows_lookalike_names_in_punycode() -> None:
    # "аррӏе" is Cyrillic made to look like "apple".
    assert url_host(safe_url("https://аррӏе.com/") or "") == "xn--80ak6aa92e.com"
    # Mixed scripts in one label (Latin "p" with Cyrillic "а").
    assert url_host(safe_url("https://pаypal.com/") or "").startswith("xn--")


def test_url_host_shows_single_script_names_in_unicode() -> None:
    assert url_host(safe_url("https://пример.рф/") or "") == "пример.рф"
    assert url_host(safe_url("https://bücher.example/") or "") == "bücher.example"
    assert url_host(safe_url("https://例え.jp/") or "") == "例え.jp"

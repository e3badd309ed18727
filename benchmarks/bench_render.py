"""Throughput of the post renderer: cooked HTML → ``render_html`` → ``lines(80)``.

Standalone: ``python benchmarks/bench_render.py [--seconds N]`` prints posts per second for
typical ~1 KB cooked posts (target: at least 2,000 per second on one core), the split between
parsing and layout, and the time taken by a few pathological bodies.

``measure()`` returns the posts-per-second figure for ``make bench``.
"""

from __future__ import annotations

import argparse
import random
import time

from termforum.render import render_html

TARGET_POSTS_PER_SECOND = 2_000

_VOCABULARY = (
    "the community forum answer question thread reply people group help project code "
    "release version docs example issue problem solution idea thanks reading terminal "
    "keyboard network cache draft search profile reputation trend field etiquette ask "
    "perché grazie risposta domanda gruppo comunità esempio progetto"
)
_WORDS = _VOCABULARY.split()

_SHAPES = (
    "plain",
    "links",
    "quote",
    "list",
    "code",
    "onebox",
    "mixed",
)


def _sentence(rng: random.Random, words: int) -> str:
    chosen = [rng.choice(_WORDS) for _ in range(words)]
    chosen[0] = chosen[0].capitalize()
    return " ".join(chosen) + rng.choice(".!?")


def _paragraph(rng: random.Random, sentences: int = 3) -> str:
    parts = []
    for _ in range(sentences):
        sentence = _sentence(rng, rng.randint(6, 14))
        if rng.random() < 0.3:
            sentence = sentence.replace(" ", " <strong>", 1).replace(" ", "</strong> ", 2)
            sentence = sentence.replace("</strong> ", " ", 1)
        if rng.random() < 0.2:
            sentence += ' <img src="/images/emoji/twitter/smile.png?v=12" title=":smile:" '
            sentence += 'class="emoji" alt=":smile:" loading="lazy" width="20" height="20">'
        parts.append(sentence)
    return "<p>" + " ".join(parts) + "</p>"


def _post(rng: random.Random, shape: str) -> str:
    """One cooked post in the shape Discourse produces, about 1 KB."""
    out = []
    if shape in ("quote", "mixed"):
        out.append(
            '<aside class="quote no-group" data-username="alice" data-post="3" data-topic="42">\n'
            '<div class="title">\n<div class="quote-controls"></div>\n'
            '<img loading="lazy" alt="" width="24" height="24" '
            'src="/user_avatar/forum.example/alice/48/1_2.png" class="avatar"> alice:</div>\n'
            f"<blockquote>\n{_paragraph(rng, 2)}\n</blockquote>\n</aside>"
        )
    out.append(_paragraph(rng))
    if shape in ("links", "mixed"):
        out.append(
            f'<p>See <a href="https://docs.python.org/3/library/{rng.choice(_WORDS)}.html">'
            'the docs</a>, <a class="mention" href="/u/bob">@bob</a> and '
            '<a href="/t/some-topic/123/4">this topic</a> '
            '<a class="hashtag-cooked" href="/c/dev/7" data-type="category" data-slug="dev">'
            '<span class="hashtag-icon-placeholder"></span><span>dev</span></a>.</p>'
        )
    if shape in ("list", "mixed"):
        items = "".join(f"<li>{_sentence(rng, rng.randint(4, 12))}</li>\n" for _ in range(4))
        out.append(f"<ul>\n{items}</ul>")
    if shape in ("code", "mixed"):
        out.append(
            '<pre><code class="lang-python">def handler(request):\n'
            '    """Answer one request."""\n'
            "    data = request.json()\n"
            "    return {'ok': True, 'items': len(data)}\n</code></pre>"
        )
    if shape == "onebox":
        out.append(
            '<aside class="onebox allowlistedgeneric" data-onebox-src="https://example.com/a">\n'
            '<header class="source"><img src="https://example.com/favicon.ico" '
            'class="site-icon" width="16" height="16"><a href="https://example.com/a" '
            'target="_blank" rel="noopener">example.com</a></header>\n'
            '<article class="onebox-body"><h3><a href="https://example.com/a" target="_blank" '
            f'rel="noopener">{_sentence(rng, 6)}</a></h3>\n<p>{_sentence(rng, 20)}</p>\n'
            '</article>\n<div style="clear: both"></div>\n</aside>'
        )
    while sum(len(part) for part in out) < 900:
        out.append(_paragraph(rng, 2))
    return "\n".join(out)


def corpus(count: int = 500, seed: int = 1) -> list[str]:
    """A deterministic set of typical cooked posts."""
    rng = random.Random(seed)
    return [_post(rng, _SHAPES[index % len(_SHAPES)]) for index in range(count)]


def _run(posts: list[str], seconds: float, width: int = 80) -> tuple[float, float, float]:
    """(posts/s end to end, seconds parsing, seconds laying out) over at least ``seconds``."""
    base = "https://forum.example/"
    done = 0
    parse = layout = 0.0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for html in posts:
            t0 = time.perf_counter()
            body = render_html(html, base_url=base)
            t1 = time.perf_counter()
            body.lines(width)
            t2 = time.perf_counter()
            parse += t1 - t0
            layout += t2 - t1
            done += 1
    elapsed = time.perf_counter() - start
    return done / elapsed, parse, layout


def measure(seconds: float = 2.0) -> float:
    """Posts per second (render + ``lines(80)``) over typical ~1 KB cooked posts."""
    posts = corpus()
    _run(posts[:50], 0.1)  # warm up (lazy imports such as pygments, caches)
    rate, _parse, _layout = _run(posts, seconds)
    return rate


def _pathological() -> list[tuple[str, str]]:
    return [
        ("20,000 unclosed <a ", "<a " * 20_000),
        ("20,000 unclosed <b><i><span>", "<b><i><span>" * 20_000 + "x"),
        ("10,000 nested <div>", "<div>" * 10_000 + "deep" + "</div>" * 10_000),
        ("10,000 nested quotes", "<blockquote><p>q</p>" * 10_000),
        ("10,000 nested lists", "<ul><li>item" * 10_000),
        ("10 MB paragraph", "<p>" + "word " * 2_000_000 + "</p>"),
        ("50,000 '<!--'", "<!--" * 50_000),
        ("50,000 '<!['", "<![" * 50_000),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="how long to measure")
    args = parser.parse_args()
    posts = corpus()
    average = sum(len(post) for post in posts) / len(posts)
    _run(posts[:50], 0.1)
    rate, parse, layout = _run(posts, args.seconds)
    share = parse / (parse + layout) if parse + layout else 0.0
    verdict = "ok" if rate >= TARGET_POSTS_PER_SECOND else "BELOW TARGET"
    print(f"typical posts: {len(posts)} distinct, {average:.0f} chars of cooked HTML on average")
    print(
        f"render_html + lines(80): {rate:,.0f} posts/s "
        f"(target {TARGET_POSTS_PER_SECOND:,}: {verdict}); "
        f"{share:.0%} parsing, {1 - share:.0%} layout"
    )
    for name, html in _pathological():
        start = time.perf_counter()
        body = render_html(html)
        lines = body.lines(80)
        elapsed = time.perf_counter() - start
        print(
            f"pathological {name:32s} {elapsed * 1000:8.1f} ms  "
            f"{len(lines):6d} lines  truncated={body.truncated}"
        )


if __name__ == "__main__":
    main()

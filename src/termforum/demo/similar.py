"""``/topics/similar_to``: topics like the one being written, by a simple word overlap.

Discourse ranks similar topics with its full-text search index. The demo does something
small and deterministic instead: titles and first posts are split into words, English and
Italian stop words are dropped, words are crudely stemmed (``questions``, ``asking``,
``domande`` → ``question``, ``ask``, ``domand``), and each shared word scores by where it
is found (title words count most) times its rarity across the forum (an inverse document
frequency), so "group" matters less than "question". Topics scoring below
:data:`MIN_SCORE` are left out; closed, archived and unlisted topics and category
descriptions are never suggested, as in Discourse.
"""

from __future__ import annotations

import math
import re
import sqlite3
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from termforum.demo.cook import plain_text
from termforum.demo.queries import Store

__all__ = ["MIN_SCORE", "STOP_WORDS", "rank_similar", "words"]

_ENGLISH = """
    a about above after again against all also am an and any are aren as at be because
    been before being below between both but by can cannot could couldn did didn do does
    doesn doing don down during each even ever every few for from further get gets got had
    hasn have haven having he her here hers herself him himself his how however i if in
    into is isn it its itself just let like ll me might more most much must my myself no
    nor not now of off often on once one only or other our ours ourselves out over own re
    really same shall she should so some still such than that the their theirs them
    themselves then there these they this those through thus to too under until up upon us
    use used using ve very via was wasn we well were weren what when where whether which
    while who whom whose why will with within without won would wouldn yet you your yours
    yourself yourselves anyone anything someone something thing things way ways want need
"""
_ITALIAN = """
    ad al alla alle allo agli ai anche ancora avere aveva avete avevo c che chi ci cio
    come con contro cosa cui da dal dalla dalle dallo dagli dai degli dei del della delle
    dello dentro di dopo dove e ed era erano essere fa fare fino fra gli ha hai hanno ho
    il in io l la le lei li lo loro lui ma me mi mia mie miei mio molto ne negli nei nel
    nella nelle nello no noi non nostra nostre nostri nostro o ogni per perche piu po poi
    puo qua quale quali qualche quando quanto quella quelle quelli quello questa queste
    questi questo qui se sei senza si sia siamo siete solo sono su sua sue sui sul sulla
    sulle sullo suo suoi ti tra tu tua tue tuo tuoi tutti tutto un una uno vi voi gia
    stato stata stati state essere sto sta stanno fatto fanno molto tanto cosi
"""
STOP_WORDS = frozenset(_ENGLISH.split()) | frozenset(_ITALIAN.split())
"""Common English and Italian words (accents folded), never counted as overlap."""

MIN_SCORE = 2.0
"""The least score a suggested topic needs: about one rare word shared with a title."""

TITLE_IN_TITLE = 2.0
TITLE_IN_BODY = 0.6
BODY_IN_TITLE = 0.6
BODY_IN_BODY = 0.15

_WORD = re.compile(r"[a-z0-9]+")
_SUFFIXES = ("ing", "ed", "es", "s")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stem(word: str) -> str:
    if len(word) > 4:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)]
                break
        if len(word) > 4 and word[-1] in "aeio":
            word = word[:-1]
    return word


def words(text: str) -> set[str]:
    """The stems of the meaningful words of ``text`` (stop words and 1–2 letter words
    dropped)."""
    return {
        _stem(w)
        for w in _WORD.findall(_fold(text))
        if len(w) > 2 and w not in STOP_WORDS and not w.isdigit()
    }


@dataclass(frozen=True, slots=True)
class _Entry:
    topic: sqlite3.Row
    title: frozenset[str]
    body: frozenset[str]


@dataclass(frozen=True, slots=True)
class _Index:
    entries: tuple[_Entry, ...]
    idf: dict[str, float]


def _build(store: Store) -> _Index:
    entries = tuple(
        _Entry(
            row, frozenset(words(row["title"])), frozenset(words(plain_text(row["first_cooked"])))
        )
        for row in store.similarity_candidates()
    )
    frequency: Counter[str] = Counter()
    for entry in entries:
        frequency.update(entry.title | entry.body)
    total = max(len(entries), 1)
    idf = {word: math.log(1 + total / count) for word, count in frequency.items()}
    return _Index(entries, idf)


def _weight(index: _Index, shared: Iterable[str]) -> float:
    return sum(index.idf.get(w, 0.0) for w in shared)


def rank_similar(store: Store, title: str, raw: str = "", *, limit: int = 5) -> list[sqlite3.Row]:
    """Up to ``limit`` topics most like ``title`` (and ``raw``), best first; each row has
    the first post's cooked HTML as ``first_cooked``."""
    index: _Index = store.cached("similar_index", lambda: _build(store))
    query_title, query_body = words(title), words(raw) - words(title)
    scored: list[tuple[float, int, sqlite3.Row]] = []
    for entry in index.entries:
        score = (
            TITLE_IN_TITLE * _weight(index, query_title & entry.title)
            + TITLE_IN_BODY * _weight(index, query_title & entry.body)
            + BODY_IN_TITLE * _weight(index, query_body & entry.title)
            + BODY_IN_BODY * _weight(index, query_body & entry.body)
        )
        if score >= MIN_SCORE:
            scored.append((score, entry.topic["id"], entry.topic))
    scored.sort(key=lambda item: (-item[0], -item[1]))
    return [row for _, _, row in scored[:limit]]

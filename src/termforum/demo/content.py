"""Seed content of the demo forum: users, groups (categories) and the shapes of seed topics.

Everything here is original text written for the demo. Topic texts live in
:mod:`termforum.demo.topics_en` and :mod:`termforum.demo.topics_it`; the very long generated
thread comes from :mod:`termforum.demo.longthread`.

In a topic's Markdown, ``%TOPIC%`` stands for the topic's own id (for ``[quote]`` tags).
Links to the demo itself are relative (``/t/...``, ``/u/...``).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = [
    "CATEGORIES",
    "DEMO_USER",
    "DEMO_USERNAME",
    "EPOCH",
    "GENERIC_REPLIES",
    "LONG_THREAD_CATEGORY",
    "SITE",
    "USERS",
    "CategorySpec",
    "PostSpec",
    "TopicSpec",
    "UserSpec",
    "p",
    "unwrap",
]

EPOCH = datetime(2025, 11, 20, 9, 0, tzinfo=UTC)
"""The demo's fixed "now": every seed timestamp lies before it, and period filters
(``/top.json?period=daily``) are computed relative to it, so content never ages."""

SITE = {
    "title": "Working Groups (termforum demo)",
    "description": (
        "A bilingual demo forum about working with professional online groups: "
        "visibility, finding answers, trends, asking for help, etiquette and terminal tools."
    ),
    "locale": "en",
}


@dataclass(frozen=True, slots=True)
class UserSpec:
    """A seed user."""

    id: int
    username: str
    name: str
    trust_level: int
    admin: bool = False
    moderator: bool = False
    title: str | None = None
    bio: str = ""
    color: str = "8c6238"
    joined_days_ago: int = 400


@dataclass(frozen=True, slots=True)
class CategorySpec:
    """A seed group (Discourse category); ``parent`` is the parent's slug."""

    id: int
    name: str
    slug: str
    description: str
    color: str
    text_color: str = "FFFFFF"
    parent: str | None = None
    lang: str = "en"
    require_approval: bool = False
    """New topics and replies here wait for a moderator (Discourse's category settings
    ``require_topic_approval`` and ``require_reply_approval``); staff are exempt."""


@dataclass(frozen=True, slots=True)
class PostSpec:
    """A seed post: author, Markdown, the post number it replies to, extra likes."""

    user: str
    raw: str
    reply_to: int | None = None
    likes: int | None = None
    action_code: str | None = None


@dataclass(frozen=True, slots=True)
class TopicSpec:
    """A seed topic: its group (by slug), title, tags and posts in order."""

    category: str
    title: str
    posts: tuple[PostSpec, ...]
    tags: tuple[str, ...] = ()
    lang: str = "en"
    pinned: bool = False
    pinned_globally: bool = False
    closed: bool = False
    recent: bool = False
    """Place the topic in the last few days before :data:`EPOCH` (so daily/weekly tops
    have content)."""
    padding: bool = True
    """Allow a few short generic replies to be appended."""
    days_ago: float | None = None
    """Force the creation time (days before :data:`EPOCH`) instead of a derived one."""


_BLOCK_START = re.compile(
    r"^\s*(?:[-*+]\s|\d+[.)]\s|>|#|\||```|~~~|\[/?(?:quote|details|spoiler|poll)\b|---)"
)


def unwrap(markdown: str) -> str:
    """Join hard-wrapped lines of prose, as a person typing in a browser would have written
    them (Discourse turns every single newline into ``<br>``). Lists, quotes, tables,
    headings, BBCode tags and fenced code keep their lines."""
    out: list[str] = []
    fence: str | None = None
    for line in markdown.split("\n"):
        stripped = line.strip()
        if fence is not None:
            out.append(line)
            if stripped.startswith(fence):
                fence = None
            continue
        if stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            out.append(line)
            continue
        prev = out[-1].strip() if out else ""
        if prev and stripped and not _BLOCK_START.match(line) and not _no_join_after(prev):
            out[-1] = out[-1].rstrip() + " " + stripped
        else:
            out.append(line)
    return "\n".join(out)


def _no_join_after(line: str) -> bool:
    return line.startswith(("|", "#", "[", "```", "~~~", "---")) or line.endswith("]")


def p(
    user: str,
    raw: str,
    *,
    reply_to: int | None = None,
    likes: int | None = None,
    action_code: str | None = None,
) -> PostSpec:
    """Shorthand for a :class:`PostSpec` (Markdown dedented, unwrapped and stripped)."""
    return PostSpec(user, unwrap(textwrap.dedent(raw).strip("\n")), reply_to, likes, action_code)


USERS: tuple[UserSpec, ...] = (
    UserSpec(-1, "system", "system", 4, admin=True, moderator=True, color="bcef8e"),
    UserSpec(
        1,
        "giulia",
        "Giulia Ferri",
        4,
        admin=True,
        title="Community lead",
        bio="Runs this group. Ex-sysadmin, now herds communities. Milano.",
        color="e68b39",
        joined_days_ago=900,
    ),
    UserSpec(
        2,
        "elena",
        "Elena Conti",
        3,
        moderator=True,
        title="Moderator",
        bio="Moderator. Technical writer; cares a lot about good titles.",
        color="9e5fb8",
        joined_days_ago=820,
    ),
    UserSpec(
        3,
        "marco_dev",
        "Marco Rinaldi",
        3,
        bio="Backend developer. Bologna. Terminal all day.",
        color="3ab54a",
        joined_days_ago=760,
    ),
    UserSpec(
        4,
        "priya",
        "Priya Nair",
        2,
        bio="Data engineer, occasional speaker, forever searching for the right thread.",
        color="f1592a",
        joined_days_ago=540,
    ),
    UserSpec(
        5,
        "tom_h",
        "Tom Hughes",
        1,
        bio="Support engineer learning in public.",
        color="12a89d",
        joined_days_ago=210,
    ),
    UserSpec(
        6,
        "jonas",
        "Jonas Berg",
        2,
        bio="SRE. Writes shell functions for everything.",
        color="0e76bd",
        joined_days_ago=610,
    ),
    UserSpec(
        7,
        "aiko",
        "Aiko Tanaka",
        2,
        bio="Frontend developer and meetup organiser.",
        color="ed207b",
        joined_days_ago=480,
    ),
    UserSpec(
        8,
        "luca.b",
        "Luca Bassi",
        1,
        bio="Studente di informatica a Torino.",
        color="b3b5b4",
        joined_days_ago=150,
    ),
    UserSpec(
        9,
        "noor",
        "Noor Haddad",
        0,
        bio="New here. Product manager trying to understand developer communities.",
        color="92278f",
        joined_days_ago=40,
    ),
    UserSpec(
        10,
        "fede",
        "Federica Gallo",
        2,
        bio="Consulente, scrive di lavoro da remoto e community.",
        color="e45735",
        joined_days_ago=520,
    ),
    UserSpec(
        11,
        "sam_ops",
        "Sam Okafor",
        3,
        title="Regular",
        bio="Ops person. Keeps a wiki of every answer he ever got.",
        color="25aae2",
        joined_days_ago=700,
    ),
    UserSpec(
        12,
        "bea",
        "Beatrice Moretti",
        1,
        bio="UX researcher. Napoli.",
        color="a461ef",
        joined_days_ago=180,
    ),
    UserSpec(
        13,
        "olly",
        "Oliver Grant",
        0,
        bio="",
        color="ad7e3e",
        joined_days_ago=25,
    ),
    UserSpec(
        14,
        "kwame",
        "Kwame Mensah",
        2,
        bio="Developer advocate. Collects good questions.",
        color="57bb81",
        joined_days_ago=450,
    ),
)
"""Seed users: ``system`` plus a mix of trust levels 0–4, one admin, one moderator."""

DEMO_USERNAME = "you"
"""The account ``termforum --demo`` logs in as (see ``DemoServer.demo_credentials``)."""

DEMO_USER = UserSpec(
    15,
    DEMO_USERNAME,
    "You (demo)",
    1,
    bio="The demo account: everything you post here stays in the demo's data folder.",
    color="2b7a78",
    joined_days_ago=30,
)
"""The demo account: a basic (trust level 1) member with no posts yet. Seeded apart from
:data:`USERS` so that adding it leaves the generated seed content unchanged."""

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec(
        1,
        "Uncategorized",
        "uncategorized",
        "Topics that don't need a category, or don't fit into any other existing category.",
        "0088CC",
    ),
    CategorySpec(
        2,
        "Site Feedback",
        "site-feedback",
        "Discussion about this demo forum, how it works, and how we could improve it.",
        "808281",
    ),
    CategorySpec(
        3,
        "Visibility & Reputation",
        "visibility-reputation",
        "Being known for good work in a professional group: answers, write-ups, profiles.",
        "F7941D",
    ),
    CategorySpec(
        4,
        "Finding Answers",
        "finding-answers",
        "Searching well, reading long threads, and judging whether an old answer still holds.",
        "25AAE2",
    ),
    CategorySpec(
        5,
        "Trends in the Field",
        "trends",
        "How professional communities are changing, and how to keep up with a field.",
        "9EB83B",
    ),
    CategorySpec(
        6,
        "Asking for Help",
        "asking-for-help",
        "How to ask questions that get good answers, and what to do when they don't.",
        "E45735",
    ),
    CategorySpec(
        7,
        "Group Etiquette",
        "etiquette",
        "Quoting, disagreeing, bumping, thanking: the unwritten rules, written down.",
        "652D90",
    ),
    CategorySpec(
        8,
        "Tools & Terminal Workflows",
        "tools-terminal",
        "Reading and writing in groups from the terminal: clients, scripts, editors, APIs.",
        "231F20",
    ),
    CategorySpec(
        9,
        "Comunità italiana",
        "comunita-italiana",
        "Il gruppo in italiano: visibilità, domande, strumenti e buone maniere.",
        "009246",
        lang="it",
    ),
    CategorySpec(
        10,
        "Long Thread Lab",
        "long-thread-lab",
        "One very long, generated thread for testing how clients cope with big topics.",
        "B3B5B4",
        text_color="000000",
    ),
    CategorySpec(
        11,
        "Portfolios & Profiles",
        "portfolios-profiles",
        "What to put in your profile and how to show your work without bragging.",
        "F7941D",
        parent="visibility-reputation",
    ),
    CategorySpec(
        12,
        "Writing in Public",
        "writing-in-public",
        "Write-ups, summaries and 'today I learned' posts that others can reuse.",
        "F7941D",
        parent="visibility-reputation",
    ),
    CategorySpec(
        13,
        "Search Techniques",
        "search-techniques",
        "Operators, filters and habits for finding what has already been answered.",
        "25AAE2",
        parent="finding-answers",
    ),
    CategorySpec(
        14,
        "Moderation Notes",
        "moderation",
        "How this group is moderated, written by the moderators. New topics and replies "
        "here wait for a moderator's approval.",
        "652D90",
        parent="etiquette",
        require_approval=True,
    ),
    CategorySpec(
        15,
        "Shell & Editors",
        "shell-editors",
        "Shell functions, editors and keyboard habits for people who live in a terminal.",
        "231F20",
        parent="tools-terminal",
    ),
    CategorySpec(
        16,
        "Domande e risposte",
        "domande-risposte",
        "Domande pratiche sul lavorare nei gruppi online, in italiano.",
        "009246",
        parent="comunita-italiana",
        lang="it",
    ),
    CategorySpec(
        17,
        "Strumenti e terminale",
        "strumenti",
        "Client, script ed editor per seguire i gruppi dal terminale.",
        "009246",
        parent="comunita-italiana",
        lang="it",
    ),
)
"""Seed groups: 9 top-level (plus Uncategorized) and 7 subcategories."""

LONG_THREAD_CATEGORY = "long-thread-lab"

GENERIC_REPLIES: dict[str, tuple[str, ...]] = {
    "en": (
        "Thanks, this is exactly what I was looking for. :+1:",
        "Bookmarking this one.",
        "Same experience here, for what it's worth.",
        "This deserves to be linked from the FAQ.",
        "Great write-up. Would you mind if I quote it in our team wiki?",
        "I tried this yesterday and it worked on the first attempt. :tada:",
        "Interesting. I had never thought about it that way.",
        "Agree with most of this, although it depends a lot on the group.",
        "Saving this for the next time someone asks.",
        "Thank you for taking the time to write this down.",
        "+1, and I'd add: read the pinned topics first.",
        "Short version for the impatient: be specific and be kind.",
        "This matches what we see in our group too.",
        "Helpful, thanks! :slight_smile:",
        "Late to the thread, but this is still relevant.",
    ),
    "it": (
        "Grazie, era proprio quello che cercavo. :+1:",
        "Me lo salvo nei segnalibri.",
        "Stessa esperienza anche per me.",
        "Questo andrebbe messo nelle FAQ.",
        "Ottimo riassunto, grazie per il tempo dedicato.",
        "Provato ieri, funziona al primo colpo. :tada:",
        "Interessante, non ci avevo mai pensato.",
        "D'accordo su quasi tutto, ma dipende molto dal gruppo.",
        "Utilissimo, grazie! :slight_smile:",
        "Arrivo tardi, ma il tema è ancora attuale.",
        "Aggiungo solo: leggete prima gli argomenti fissati in alto.",
        "Grazie a tutti per le risposte, molto chiaro.",
    ),
}
"""Short replies sprinkled (deterministically) into seed topics to make threads realistic."""

"""The generated very long thread (10,000 posts by default) for performance work.

Posts are built from small fragments (sentences, code snippets, lists, quotes of earlier
posts). Each distinct fragment is cooked once and the post's HTML is assembled from the
cooked fragments, which is what makes seeding 10,000 posts fast; a unit test checks that
the assembled HTML equals what :func:`termforum.demo.cook.cook` makes of the post's raw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from termforum.demo.content import unwrap
from termforum.demo.cook import QUOTE_CLOSE_HTML, cook, cook_inline, quote_open_html
from termforum.demo.rng import Rng

__all__ = ["LONG_THREAD_POSTS", "LONG_THREAD_TITLE", "GeneratedPost", "generate"]

LONG_THREAD_TITLE = "The 10,000-post thread: one small tip per reply"
LONG_THREAD_POSTS = 10_000

_OPENING = unwrap("""\
This thread is a stress test with a friendly face: **every reply adds one small tip** about
working in online groups, in English or Italian. It is generated, so expect repetition.

- Keep replies short.
- Quote the post you are answering.
- Code is welcome when it helps.

Clients: this topic is meant for measuring how you cope with thousands of posts. :rocket:""")

_TIPS_EN = (
    "Read the pinned topics of a group before posting for the first time.",
    "A specific title gets more answers than a clever one.",
    "Say what you already tried, even if it failed.",
    "Reply to the post you mean, not just to the topic.",
    "Quote only the sentence you are answering.",
    "Search the group for the exact error message first.",
    "Mark the answer that solved your problem so others find it.",
    "Write the summary you wish you had found.",
    "Use code blocks for logs, not screenshots.",
    "Put the versions of your tools in the first post.",
    "Thank people by name when something worked.",
    "Edit your first post when the answer turns up.",
    "If a thread drifts, start a new topic and link back.",
    "Bookmark answers you will need again.",
    "Follow the tags of your field, not every category.",
    "A digest email once a day beats constant notifications.",
    "Read the whole thread before asking a follow-up.",
    "Keep one question per topic.",
    "Use the preview before you post long replies.",
    "Write in `$EDITOR` and paste, so nothing is lost.",
    "Prefer links to the post over links to the topic.",
    "Add a short note when you bump a topic.",
    "Explain acronyms the first time you use them.",
    "Disagree with the idea, never with the person.",
    "When in doubt, ask the moderators in private.",
    "Good titles are searchable titles.",
    "Share the final solution, even if you found it elsewhere.",
    "Check the date of an answer before trusting it.",
    "Small reproducible examples get faster replies.",
    "Use lists when you describe steps.",
    "Leave a like instead of a one-word reply.",
    "Do not cross-post the same question everywhere.",
    "Keep your profile short and current.",
    "Link your write-ups from your profile.",
    "Summarise long threads for latecomers.",
    "Use `tmux` to keep a thread open next to your work.",
    "Pipe the JSON API through `jq` to skim a topic.",
    "Respect rate limits: one request every few seconds is plenty.",
    "Use the search operator `in:title` for quick lookups.",
    "Try `order:latest` when old answers crowd the results.",
    "Mute topics you are done with.",
    "Watch the categories you can actually answer in.",
    "Post the answer when you solve your own question.",
    "Write for the reader who arrives next year.",
    "Assume good intent, ask for clarification.",
)

_TIPS_IT = (
    "Leggi gli argomenti fissati prima di scrivere la prima volta.",
    "Un titolo preciso riceve più risposte di uno brillante.",
    "Scrivi cosa hai già provato, anche se non ha funzionato.",
    "Rispondi al messaggio giusto, non solo alla discussione.",
    "Cita solo la frase a cui rispondi.",
    "Cerca prima il messaggio di errore esatto.",
    "Segna la risposta che ha risolto il problema.",
    "Usa i blocchi di codice per i log, non gli screenshot.",
    "Indica le versioni degli strumenti nel primo messaggio.",
    "Ringrazia per nome chi ti ha aiutato.",
    "Se la discussione devia, apri un nuovo argomento.",
    "Una sola domanda per argomento.",
    "Rileggi l'anteprima prima di pubblicare.",
    "Spiega le sigle la prima volta che le usi.",
    "Critica le idee, mai le persone.",
    "Controlla la data di una risposta prima di fidarti.",
    "Condividi la soluzione finale, anche se l'hai trovata altrove.",
    "Un riassunto aiuta chi arriva tardi.",
    "Scrivi nel tuo editor e poi incolla, così non perdi nulla.",
    "Usa le liste per descrivere i passaggi.",
    "Un like vale più di una risposta di una parola.",
    "Non pubblicare la stessa domanda in tre categorie.",
    "Tieni il profilo breve e aggiornato.",
    "Scrivi per chi leggerà fra un anno.",
)

_COMMENTS_EN = (
    "Learned this the hard way.",
    "Works in every group I know.",
    "Simple, but people forget it.",
    "This one saved me hours last month. :bulb:",
    "Obvious in hindsight. :sweat_smile:",
    "Our moderators repeat this weekly.",
    "Still true after all these years.",
    "Especially in busy groups.",
    "Costs nothing, helps everyone. :+1:",
    "Worth repeating.",
)

_COMMENTS_IT = (
    "Imparato a mie spese.",
    "Vale in ogni gruppo che conosco.",
    "Semplice, ma spesso dimenticato.",
    "Mi ha fatto risparmiare ore. :bulb:",
    "Ovvio, a posteriori. :sweat_smile:",
    "Sempre valido.",
    "Soprattutto nei gruppi molto attivi. :+1:",
)

_MENTIONS = (
    "Agree with @{user} on this.",
    "As @{user} said a few posts ago, it depends on the group.",
    "Adding to what @{user} wrote:",
    "Sono d'accordo con @{user}.",
    "Come diceva @{user} poco fa:",
)

_CODE = (
    "```bash\ncurl -s -H 'Accept: application/json' \"$FORUM/latest.json\""
    " | jq '.topic_list.topics[].title'\n```",
    '```python\nimport httpx\n\nr = httpx.get(f"{base}/t/{topic_id}.json")\n'
    'print(r.json()["title"])\n```',
    "```bash\ntmux new-session -d -s forum 'termforum' \\; split-window -h 'vim notes.md'\n```",
    '```json\n{"post_ids[]": [21, 22, 23], "note": "batch your requests"}\n```',
    "```bash\nexport EDITOR=vim\ntermforum --demo\n```",
    "```python\nfor page in range(3):\n    topics = fetch_latest(page=page)\n"
    "    if not topics:\n        break\n```",
    "```\n429 Too Many Requests\nRetry-After: 12\n```",
    "```sql\nSELECT title FROM topics ORDER BY bumped_at DESC LIMIT 30;\n```",
)

_LISTS = (
    "- search first\n- ask second\n- summarise third",
    "1. Read the pinned topics\n2. Search\n3. Ask with details",
    "- title\n- context\n- what you tried\n- what you expected",
    "- cerca\n- chiedi\n- ringrazia",
)


@dataclass(frozen=True, slots=True)
class GeneratedPost:
    """One post of the long thread (``minutes`` after the thread started)."""

    post_number: int
    user_id: int
    raw: str
    cooked: str
    reply_to: int | None
    minutes: int
    likers: tuple[int, ...]


@lru_cache(maxsize=4096)
def _inline(text: str) -> str:
    return cook_inline(text)


@lru_cache(maxsize=256)
def _block(raw: str) -> str:
    return cook(raw)


def _paragraph(sentences: Sequence[str]) -> tuple[str, str]:
    raw = " ".join(sentences)
    return raw, "<p>" + " ".join(_inline(s) for s in sentences) + "</p>"


def generate(
    topic_id: int,
    users: Sequence[tuple[int, str]],
    *,
    count: int = LONG_THREAD_POSTS,
    span_minutes: int = 150 * 24 * 60,
    seed: int = 20_251_120,
) -> list[GeneratedPost]:
    """Build the thread's posts, deterministically, spread over ``span_minutes``.

    ``users`` are ``(id, username)`` pairs that may post; the first one opens the thread.
    """
    rng = Rng(seed)
    step = max(span_minutes // max(count, 1), 1)
    first_sentences: list[str] = [""]
    posts: list[GeneratedPost] = []
    opener_id = users[0][0]
    posts.append(GeneratedPost(1, opener_id, _OPENING, _block(_OPENING), None, 0, ()))
    first_sentences.append("Every reply adds one small tip about working in online groups.")
    minutes = 0
    for number in range(2, count + 1):
        minutes += rng.between(1, step * 2 - 1)
        user_id, username = rng.choice(users)
        italian = rng.chance(30)
        tips = _TIPS_IT if italian else _TIPS_EN
        comments = _COMMENTS_IT if italian else _COMMENTS_EN
        raws: list[str] = []
        cooks: list[str] = []
        reply_to: int | None = None
        roll = rng.below(100)
        if roll < 8 and number > 3:
            quoted = rng.between(max(1, number - 40), number - 1)
            quoted_user = posts[quoted - 1]
            qname = next(name for uid, name in users if uid == quoted_user.user_id)
            sentence = first_sentences[quoted]
            raws.append(f'[quote="{qname}, post:{quoted}, topic:{topic_id}"]\n{sentence}\n[/quote]')
            cooks.append(
                quote_open_html({"username": qname, "post": str(quoted), "topic": str(topic_id)})
                + f"<p>{_inline(sentence)}</p>\n"
                + QUOTE_CLOSE_HTML.rstrip("\n")
            )
            reply_to = quoted
        elif roll < 14 and number > 3:
            other = rng.choice(users)[1]
            mention = rng.choice(_MENTIONS).format(user=other)
            raw, html_ = _paragraph([mention, rng.choice(tips)])
            raws.append(raw)
            cooks.append(html_)
        tip = rng.choice(tips)
        sentences = [tip]
        if rng.chance(45):
            sentences.append(rng.choice(comments))
        raw, html_ = _paragraph(sentences)
        raws.append(raw)
        cooks.append(html_)
        extra = rng.below(100)
        if extra < 6:
            block = rng.choice(_CODE)
            raws.append(block)
            cooks.append(_block(block))
        elif extra < 9:
            block = rng.choice(_LISTS)
            raws.append(block)
            cooks.append(_block(block))
        if reply_to is None and rng.chance(10):
            reply_to = rng.between(max(1, number - 15), number - 1)
        likes = rng.below(7) if rng.chance(40) else 0
        likers = tuple(uid for uid, _ in rng.sample(users, likes) if uid != user_id)
        first_sentences.append(tip)
        posts.append(
            GeneratedPost(
                number, user_id, "\n\n".join(raws), "\n".join(cooks), reply_to, minutes, likers
            )
        )
    return posts

"""English seed topics of the demo forum (original text written for termforum)."""

from __future__ import annotations

from termforum.demo.content import TopicSpec, p

__all__ = ["TOPICS"]

TOPICS: tuple[TopicSpec, ...] = (
    # ------------------------------------------------------------------ Site Feedback
    TopicSpec(
        "site-feedback",
        "Welcome to Working Groups — start here",
        (
            p(
                "giulia",
                """
                Welcome! :wave:

                **Working Groups** is a small forum about working with professional online
                groups: how to become visible for the right reasons, how to find answers that
                already exist, how to follow the trends of a field, how to ask for help well,
                and the etiquette that keeps a group pleasant.

                A few things to know before you post:

                1. Search first. Most questions have been asked, and the answers are good.
                2. Pick the most specific category. Subcategories exist for a reason.
                3. One question per topic, with a title that says what the question is.
                4. Be kind. Everyone here was new once.

                There is an Italian-speaking corner too: see
                [Comunità italiana](/c/comunita-italiana/9).

                If something about the forum itself bothers you, tell us in
                [Site Feedback](/c/site-feedback/2).
                """,
                likes=12,
            ),
            p(
                "noor",
                """
                Thanks for the welcome. Is there a place to introduce ourselves, or is that
                frowned upon?
                """,
            ),
            p(
                "giulia",
                """
                [quote="noor, post:2, topic:%TOPIC%"]
                Is there a place to introduce ourselves, or is that frowned upon?
                [/quote]

                Not frowned upon at all! The Italian group has a *Presentazioni* thread, and
                English introductions are welcome in Uncategorized. Keep it short: what you do,
                and what you hope to learn here.
                """,
                reply_to=2,
            ),
        ),
        tags=("meta", "welcome"),
        pinned_globally=True,
        days_ago=380,
        padding=False,
    ),
    TopicSpec(
        "site-feedback",
        "What this demo forum is (and is not)",
        (
            p(
                "giulia",
                """
                This forum runs inside **termforum**, a terminal client for discussion groups.
                It answers the same JSON API as a Discourse forum, so you can try the client
                with no account and no network.

                What it is:

                - a showroom with realistic threads (quotes, code, links, long topics);
                - a test double that clients can be pointed at;
                - bilingual, English and Italian.

                What it is not: a real community. The people here are invented, and the
                content is the same on every machine.
                """,
            ),
            p(
                "jonas",
                """
                Nice. So I can run the server on its own and point `curl` at it?
                """,
            ),
            p(
                "giulia",
                """
                Yes:

                ```bash
                termforum demo-server --port 4200
                curl -s -H 'Accept: application/json' http://127.0.0.1:4200/latest | jq .
                ```

                It only listens on `127.0.0.1` unless you ask otherwise.
                """,
                reply_to=2,
            ),
        ),
        tags=("meta", "demo"),
        days_ago=370,
    ),
    TopicSpec(
        "site-feedback",
        "Feature request: a keyboard shortcut cheat sheet",
        (
            p(
                "tom_h",
                """
                Would it be possible to have a printable list of keyboard shortcuts? I keep
                forgetting which key opens the reply composer.
                """,
            ),
            p(
                "aiko",
                """
                +1. Something like the `?` overlay that many tools have would be perfect.
                """,
            ),
            p(
                "marco_dev",
                """
                Most terminal apps show their bindings in a footer; a full list behind `?`
                on top of that would cover everyone.
                """,
            ),
            p(
                "giulia",
                """
                Noted, thanks! I'll pass it on. In the meantime: `r` replies, `/` searches,
                `q` goes back. :slight_smile:
                """,
                reply_to=1,
            ),
        ),
        tags=("feature-request", "keyboard"),
    ),
    # ------------------------------------------------------------------ Visibility & Reputation
    TopicSpec(
        "visibility-reputation",
        "Does answering questions actually build a reputation?",
        (
            p(
                "tom_h",
                """
                I've been answering questions in a few groups for about three months. People
                say thanks, but I'm not sure anyone remembers who answered. Is it worth the time
                if the goal is to be known in the field?
                """,
            ),
            p(
                "sam_ops",
                """
                Short answer: yes, but slowly, and not in the way you expect.

                Nobody remembers a single answer. What people remember is the name that keeps
                showing up under *good* answers in one narrow area. Pick a niche small enough
                that you can be the person who always replies there.
                """,
                likes=9,
            ),
            p(
                "priya",
                """
                [quote="sam_ops, post:2, topic:%TOPIC%"]
                Pick a niche small enough that you can be the person who always replies there.
                [/quote]

                This. I became "the Parquet person" in one group simply by answering every
                question tagged `parquet` for a year. Invitations to speak came from there.
                """,
                reply_to=2,
                likes=6,
            ),
            p(
                "noor",
                """
                How do you pick the niche without boxing yourself in?
                """,
            ),
            p(
                "sam_ops",
                """
                You don't lock it forever. Start narrow, widen later. A reputation in one area
                transfers surprisingly well to neighbouring ones.
                """,
                reply_to=4,
            ),
            p(
                "elena",
                """
                One more thing: edit your old answers when they become outdated. A reputation
                for keeping things correct is rarer than one for answering fast.
                """,
                likes=5,
            ),
        ),
        tags=("reputation", "answers"),
    ),
    TopicSpec(
        "visibility-reputation",
        "How I went from lurker to regular in six months",
        (
            p(
                "aiko",
                """
                I lurked for two years before posting anything. Here is what finally worked for
                me, in case it helps someone:

                1. I set a goal of **one useful reply per week**, not per day.
                2. I only replied where I had tried the thing myself.
                3. I wrote short summaries at the end of long threads.
                4. I said thank you publicly when an answer helped me.

                After six months people started mentioning me in questions. Terrifying and
                lovely at the same time.
                """,
                likes=11,
            ),
            p(
                "kwame",
                """
                The summaries are underrated. Long threads have hundreds of readers and almost
                nobody summarises them.
                """,
                reply_to=1,
            ),
            p(
                "tom_h",
                """
                Did you ever worry about being wrong in public?
                """,
            ),
            p(
                "aiko",
                """
                All the time. The trick is to say how sure you are. "This worked for me on
                version 3, not tested on 4" is honest and still useful.
                """,
                reply_to=3,
                likes=4,
            ),
            p(
                "giulia",
                """
                Lovely write-up, @aiko. I'm linking it from the welcome topic. :heart:
                """,
            ),
        ),
        tags=("reputation", "lurking", "story"),
    ),
    TopicSpec(
        "visibility-reputation",
        "Signature links: helpful or spammy?",
        (
            p(
                "olly",
                """
                Is it OK to put a link to my blog at the end of every post?
                """,
            ),
            p(
                "elena",
                """
                Please don't. It reads as advertising and it makes every post longer. Put the
                link in your profile instead: people who want to know more will click your
                name.
                """,
                likes=7,
            ),
            p(
                "fede",
                """
                If a specific article of yours answers the question, linking it *with a short
                summary in the reply* is fine. The summary is what makes it not spam.
                """,
            ),
            p(
                "olly",
                """
                Makes sense, thanks. Profile it is.
                """,
            ),
        ),
        tags=("self-promotion", "etiquette"),
    ),
    TopicSpec(
        "portfolios-profiles",
        "What should go in a forum profile bio?",
        (
            p(
                "noor",
                """
                Writing my profile bio and I'm stuck. How much is too much?
                """,
            ),
            p(
                "kwame",
                """
                Two or three lines:

                - what you work on,
                - what you can help with,
                - where to find your longer work.

                Skip the buzzwords. "I fix slow SQL queries" beats "passionate data
                professional".
                """,
                likes=8,
            ),
            p(
                "bea",
                """
                And a real name if you are comfortable with it. People trust advice more when
                it comes from a person.
                """,
            ),
            p(
                "priya",
                """
                Also update it. My bio said "learning Spark" for four years. :sweat_smile:
                """,
            ),
            p(
                "noor",
                """
                Great, thanks all. Went with: *PM at a developer-tools company. Ask me about
                user interviews.*
                """,
                likes=3,
            ),
        ),
        tags=("profile",),
    ),
    TopicSpec(
        "portfolios-profiles",
        "Linking your code from your profile — what reviewers look at",
        (
            p(
                "marco_dev",
                """
                When I review someone who links their repositories, I look at three things:
                the README, the most recent commit messages, and whether issues get answers.
                I rarely read the code itself on a first look.
                """,
                likes=6,
            ),
            p(
                "jonas",
                """
                Same. A README that says what the thing does, in the first sentence, already
                puts you ahead of most.
                """,
            ),
            p(
                "tom_h",
                """
                What about pinned repositories full of tutorial projects?
                """,
            ),
            p(
                "marco_dev",
                """
                Fine when you're starting out. Replace them with something you use yourself as
                soon as you can: it shows in the details.
                """,
                reply_to=3,
            ),
        ),
        tags=("profile", "code"),
    ),
    TopicSpec(
        "writing-in-public",
        "Write-ups that get bookmarked: a checklist",
        (
            p(
                "elena",
                """
                After editing a lot of community write-ups, here is my checklist for posts that
                people bookmark and come back to:

                - [x] The title says what problem it solves.
                - [x] The first paragraph gives the answer; the rest explains it.
                - [x] Versions and dates are stated.
                - [x] Commands are in code blocks, copy-pasteable.
                - [x] There is a short "what didn't work" section.
                - [ ] Jokes. Optional. Use sparingly.

                | Part | Length |
                |---|---|
                | Title | under 80 characters |
                | Summary | 2–3 sentences |
                | Body | as long as needed, with headings |
                """,
                likes=14,
            ),
            p(
                "priya",
                """
                The "what didn't work" section is the most useful part of any write-up. It is
                what people are searching for when they are stuck.
                """,
                likes=5,
            ),
            p(
                "luca.b",
                """
                Should the summary go at the top even if it spoils the story?
                """,
            ),
            p(
                "elena",
                """
                Yes. A write-up is not a mystery novel. :slight_smile:
                """,
                reply_to=3,
                likes=7,
            ),
            p(
                "kwame",
                """
                Adding one: link to the original thread where the question came up, so readers
                can see the context.
                """,
            ),
        ),
        tags=("writing", "checklist"),
    ),
    TopicSpec(
        "writing-in-public",
        "Posting a weekly 'today I learned' thread",
        (
            p(
                "tom_h",
                """
                I'm thinking of posting a weekly "today I learned" topic with small things from
                my support job. Is that noise, or useful?
                """,
            ),
            p(
                "sam_ops",
                """
                Useful, if each item is concrete. "Learned that `journalctl --since` accepts
                'yesterday'" is great. "Learned a lot about Kubernetes" is not.
                """,
                likes=4,
            ),
            p(
                "aiko",
                """
                Consider one topic per month with a reply per week, instead of a new topic each
                week. Keeps the category tidy.
                """,
            ),
            p(
                "tom_h",
                """
                Good idea, I'll do monthly topics. First one next Monday.
                """,
            ),
        ),
        tags=("writing", "til"),
        recent=True,
    ),
    # ------------------------------------------------------------------ Finding Answers
    TopicSpec(
        "finding-answers",
        "Search before you ask — but how, exactly?",
        (
            p(
                "luca.b",
                """
                Everyone says "search first", but I often don't know the right words. How do
                you search for a problem you can't name?
                """,
            ),
            p(
                "priya",
                """
                Search for the *symptom*, not the cause. Copy the exact error message, remove
                the parts that are specific to you (paths, ids, timestamps), and search for
                what's left.
                """,
                likes=10,
            ),
            p(
                "kwame",
                """
                And search the group's tags. Browsing the tag for your tool often finds the
                answer faster than typing keywords.
                """,
            ),
            p(
                "marco_dev",
                """
                [quote="priya, post:2, topic:%TOPIC%"]
                remove the parts that are specific to you (paths, ids, timestamps)
                [/quote]

                This is the single best search tip. A quick way to do it:

                ```bash
                sed -E 's/[0-9a-f]{8,}/ID/g; s#/home/[^ ]+#PATH#g' error.log | sort -u
                ```
                """,
                reply_to=2,
                likes=6,
            ),
            p(
                "luca.b",
                """
                That `sed` line is going in my notes. Thank you!
                """,
            ),
            p(
                "elena",
                """
                When you still find nothing, say so in your question and list what you searched
                for. It tells helpers which words *don't* work, which is information too.
                """,
                likes=5,
            ),
        ),
        tags=("search", "beginners"),
    ),
    TopicSpec(
        "finding-answers",
        "When the accepted answer is outdated",
        (
            p(
                "jonas",
                """
                Found a topic with a solved answer from four years ago. The option it uses was
                removed since. Do I reply there, or open a new topic?
                """,
            ),
            p(
                "elena",
                """
                Reply in the old topic with the current way to do it, and say which version
                changed it. Future searchers will land on the old topic, so that is where the
                update is most useful.
                """,
                likes=8,
            ),
            p(
                "sam_ops",
                """
                Agree. Start the reply with the version, in bold: **As of 2.4, the option is
                gone; use the config file instead.** People skim.
                """,
            ),
            p(
                "jonas",
                """
                Done. A moderator also added a note to the accepted answer pointing to my
                reply, which is a nice touch.
                """,
            ),
            p(
                "kwame",
                """
                That's the forum working as intended. :+1:
                """,
            ),
        ),
        tags=("answers", "maintenance"),
    ),
    TopicSpec(
        "finding-answers",
        "Reading a long thread efficiently",
        (
            p(
                "bea",
                """
                Some threads here have hundreds of replies. How do you read them without
                spending an afternoon?
                """,
            ),
            p(
                "priya",
                """
                Read the first post, then the last ten. If the problem is solved, the solution
                is usually near the end. Then jump back only to the posts that the end quotes.
                """,
                likes=6,
            ),
            p(
                "marco_dev",
                """
                Sorting by likes also helps: the top-liked replies are often the summary.
                """,
            ),
            p(
                "bea",
                """
                Following the quotes backwards is clever. Like a linked list. :slight_smile:
                """,
                reply_to=2,
            ),
        ),
        tags=("reading", "long-threads"),
    ),
    TopicSpec(
        "search-techniques",
        "Discourse search operators I use every day",
        (
            p(
                "kwame",
                """
                A cheat sheet of the search filters I actually use:

                | Filter | What it does |
                |---|---|
                | `in:title` | only match topic titles |
                | `@username` | posts by that user |
                | `#category` | only that category |
                | `tags:a,b` | topics with either tag |
                | `order:latest` | newest first |
                | `status:solved` | only solved topics |
                | `after:2025-01-01` | recent only |

                Combine them: `rate limit in:title order:latest #tools-terminal`.
                """,
                likes=13,
            ),
            p(
                "tom_h",
                """
                Did not know about `in:title`. That alone removes half of the noise.
                """,
            ),
            p(
                "jonas",
                """
                `order:latest` is my default now. Old answers are often wrong answers.
                """,
            ),
            p(
                "elena",
                """
                Note that the API accepts the same filters: `GET /search.json?q=...` with the
                whole query in `q`.
                """,
                likes=3,
            ),
            p(
                "kwame",
                """
                Good point, @elena. Updated my notes.
                """,
                reply_to=4,
            ),
        ),
        tags=("search", "cheatsheet"),
    ),
    TopicSpec(
        "search-techniques",
        "Finding the original source of a quoted snippet",
        (
            p(
                "bea",
                """
                Someone pasted a paragraph in a thread as "common wisdom", without a source.
                How do you find where a quote originally came from?
                """,
            ),
            p(
                "priya",
                """
                Put a distinctive phrase in double quotes in the search. Pick the oddest five or
                six words, not the first sentence.
                """,
            ),
            p(
                "sam_ops",
                """
                If it came from this forum, the quote box links back to the post: the little
                arrow in the quote header jumps to the original.
                """,
            ),
            p(
                "bea",
                """
                Found it: a post from 2019, with more nuance than the version going around.
                Classic.
                """,
                likes=4,
            ),
        ),
        tags=("search", "sources"),
    ),
    TopicSpec(
        "search-techniques",
        "grep-ing your own forum archive",
        (
            p(
                "jonas",
                """
                I keep a local archive of the groups I follow, one JSON file per topic. Searching
                it with `jq` and `grep` is instant:

                ```bash
                # titles of every topic that mentions "retry"
                grep -l -i 'retry' archive/*.json \\
                  | xargs -n1 jq -r '.title'
                ```
                """,
                likes=5,
            ),
            p(
                "marco_dev",
                """
                How do you keep the archive up to date without hammering the server?
                """,
            ),
            p(
                "jonas",
                """
                Once a day, only topics whose `bumped_at` changed, and a pause between
                requests:

                ```python
                import time

                for topic in changed_topics:
                    save(fetch(topic["id"]))
                    time.sleep(3)  # stay well under the rate limit
                ```
                """,
                reply_to=2,
                likes=6,
            ),
            p(
                "sam_ops",
                """
                Polite and effective. :+1:
                """,
            ),
        ),
        tags=("search", "archive", "jq"),
    ),
    # ------------------------------------------------------------------ Trends
    TopicSpec(
        "trends",
        "What changed in how teams use forums vs. chat",
        (
            p(
                "kwame",
                """
                Five years ago every community I knew moved to chat. Now several are moving
                back to forums, at least for questions. What are you seeing?
                """,
            ),
            p(
                "fede",
                """
                Chat is great for "right now", terrible for "next year". Teams noticed they were
                answering the same questions every month because nothing was findable.
                """,
                likes=9,
            ),
            p(
                "marco_dev",
                """
                In our group the rule became: questions in the forum, chat for coordination.
                Chat messages that turn into an answer get copied to a topic.
                """,
                likes=4,
            ),
            p(
                "noor",
                """
                From the product side: search is the feature people ask for most, and it's the
                one chat is worst at.
                """,
            ),
            p(
                "kwame",
                """
                [quote="fede, post:2, topic:%TOPIC%"]
                Chat is great for "right now", terrible for "next year".
                [/quote]

                Stealing this line for my next talk. With credit. :slight_smile:
                """,
                reply_to=2,
            ),
            p(
                "fede",
                """
                Go ahead!
                """,
                reply_to=5,
            ),
        ),
        tags=("trends", "chat", "forums"),
    ),
    TopicSpec(
        "trends",
        "Are long-form technical forums coming back?",
        (
            p(
                "marco_dev",
                """
                Anecdotally, three of the projects I follow opened a forum this year. Is it a
                trend or just my bubble?
                """,
            ),
            p(
                "priya",
                """
                Some of it is search engines getting worse at surfacing answers. A forum you own
                is a knowledge base you control.
                """,
            ),
            p(
                "sam_ops",
                """
                And moderation tools got much better. Running a forum used to be a part-time
                job; now it's a few minutes a day for a small group.
                """,
            ),
            p(
                "elena",
                """
                I'd also say people are tired of feeds. A forum has an end: you can read what's
                new and be done.
                """,
                likes=7,
            ),
            p(
                "marco_dev",
                """
                "A forum has an end" is a good way to put it.
                """,
                reply_to=4,
            ),
        ),
        tags=("trends", "forums"),
        recent=True,
    ),
    TopicSpec(
        "trends",
        "Tracking a field: RSS, digests or alerts?",
        (
            p(
                "priya",
                """
                How do you keep up with your field without drowning? I tried alerts for
                keywords and got forty emails a day.
                """,
            ),
            p(
                "jonas",
                """
                RSS for blogs, a weekly digest for forums, and nothing real-time. Anything truly
                urgent reaches me anyway.
                """,
                likes=6,
            ),
            p(
                "aiko",
                """
                I follow *people* rather than topics. Ten people who read a lot and share the
                best of it is a better filter than any keyword.
                """,
                likes=5,
            ),
            p(
                "kwame",
                """
                Most forums have per-category feeds: add `.rss` to a category or topic URL. A
                feed per category you care about, read once a week, works well. I wrote up my
                setup here:

                https://example.com/notes/weekly-reading-routine-for-busy-people
                """,
            ),
            p(
                "priya",
                """
                Switched to a weekly digest plus five people. Inbox is quiet again. :tada:
                """,
            ),
        ),
        tags=("trends", "rss", "notifications"),
    ),
    TopicSpec(
        "trends",
        "Trend report: terminal tools are having a moment",
        (
            p(
                "jonas",
                """
                Is it me, or are terminal UIs everywhere lately? Git clients, database
                browsers, chat clients, now forum readers.
                """,
            ),
            p(
                "marco_dev",
                """
                Better libraries made them pleasant to build: mouse support, colours, layout
                engines. And they work over SSH, which matters more than people admit.
                """,
                likes=5,
            ),
            p(
                "bea",
                """
                From a UX angle: they are fast and keyboard-first, and they don't send
                notifications. People love that.
                """,
            ),
            p(
                "tom_h",
                """
                And they start instantly. My laptop fan agrees.
                """,
            ),
        ),
        tags=("trends", "terminal"),
        recent=True,
    ),
    # ------------------------------------------------------------------ Asking for Help
    TopicSpec(
        "asking-for-help",
        "How to ask a question that gets answered",
        (
            p(
                "elena",
                """
                ## The short version

                A good question has a **specific title**, says what you **tried**, what you
                **expected**, and what **happened** instead.

                ## The template

                ```markdown
                **Goal:** what I'm trying to do, in one sentence.
                **Tried:** the commands or steps, in code blocks.
                **Expected:** what should have happened.
                **Got:** what happened (exact error message).
                **Versions:** OS, tool versions.
                ```

                ## Titles

                - Bad: *Help!!!*
                - Bad: *Problem with the API*
                - Good: *`/latest.json` returns 429 after 20 requests with a user API key*

                The good title is already half of the answer: someone who knows will recognise
                it at a glance.
                """,
                likes=18,
            ),
            p(
                "luca.b",
                """
                Saving the template. Should I use it even for small questions?
                """,
            ),
            p(
                "elena",
                """
                Use the parts that apply. For a small question, a good title and one sentence
                of context is enough.
                """,
                reply_to=2,
            ),
            p(
                "sam_ops",
                """
                I'd add: **say what you'll do with the answer**. Half the time the real problem
                is one step earlier than the question.
                """,
                likes=8,
            ),
            p(
                "kwame",
                """
                [quote="sam_ops, post:4, topic:%TOPIC%"]
                Half the time the real problem is one step earlier than the question.
                [/quote]

                The famous XY problem. Asking about your attempted solution instead of your
                actual goal.
                """,
                reply_to=4,
                likes=4,
            ),
            p(
                "noor",
                """
                This should be pinned. :pray:
                """,
            ),
            p(
                "elena",
                """
                It's linked from the welcome topic now. Thanks!
                """,
                reply_to=6,
            ),
        ),
        tags=("questions", "template", "beginners"),
    ),
    TopicSpec(
        "asking-for-help",
        "Minimal reproducible examples for non-code problems",
        (
            p(
                "bea",
                """
                Everyone asks for a "minimal reproducible example", but my problems are about
                processes and people, not code. What is the equivalent?
                """,
            ),
            p(
                "fede",
                """
                A short, anonymised sequence of events: who did what, in what order, and where
                it went wrong. Three to five steps. Remove everything that doesn't change the
                outcome.
                """,
                likes=6,
            ),
            p(
                "elena",
                """
                And the constraint you can't change. "We can't add headcount" or "the client
                insists on email" saves people from suggesting it.
                """,
                likes=4,
            ),
            p(
                "bea",
                """
                That second point is gold. Every answer I got last time was "just hire
                someone".
                """,
                reply_to=3,
            ),
            p(
                "kwame",
                """
                Same principle as code: the smaller the example, the more people will read it.
                """,
            ),
        ),
        tags=("questions", "examples"),
    ),
    TopicSpec(
        "asking-for-help",
        "My question got zero replies — what now?",
        (
            p(
                "olly",
                """
                I posted a question four days ago and nobody replied. Did I do something wrong?
                """,
            ),
            p(
                "kwame",
                """
                Not necessarily. Some questions are just hard, or the people who know are busy.
                Three things to try:

                1. Re-read the title. Would *you* click it?
                2. Add what you tried since posting.
                3. Ask whether anyone knows where else to look. That's easier to answer than
                   the question itself.
                """,
                likes=7,
            ),
            p(
                "elena",
                """
                Editing the first post with new information is better than replying "bump".
                """,
                likes=3,
            ),
            p(
                "olly",
                """
                Rewrote the title and added my attempts. Got two replies within the hour.
                :open_mouth:
                """,
            ),
            p(
                "kwame",
                """
                Titles are magic. :sparkles:
                """,
                reply_to=4,
            ),
        ),
        tags=("questions", "no-replies"),
        recent=True,
    ),
    TopicSpec(
        "asking-for-help",
        "Is it rude to bump your own topic?",
        (
            p(
                "luca.b",
                """
                How long should I wait before bumping my own question?
                """,
            ),
            p(
                "elena",
                """
                At least a couple of days, and only with new information. A bump that says
                "still stuck, I also tried X and Y" is welcome. A bare "bump" is not.
                """,
                likes=6,
            ),
            p(
                "sam_ops",
                """
                Also check the time zones. A question posted on Friday night in Europe is
                posted on Saturday morning in Asia and on Friday afternoon in America. Weekends
                are quiet everywhere.
                """,
            ),
            p(
                "luca.b",
                """
                Will wait until Monday then. Thanks.
                """,
            ),
        ),
        tags=("etiquette", "bumping"),
    ),
    TopicSpec(
        "asking-for-help",
        "Posting logs: how much is too much?",
        (
            p(
                "tom_h",
                """
                My service fails at startup. The log is 4,000 lines. Do I paste all of it?
                """,
            ),
            p(
                "sam_ops",
                """
                Paste the first error and the twenty lines before it, in a code block. Put the
                full log behind a details tag if you want to include it:

                [details="Full startup log (4,000 lines, trimmed)"]
                ```
                2025-10-02T08:14:03Z INFO  starting worker pool size=8
                2025-10-02T08:14:03Z INFO  loading config from /etc/app/config.toml
                2025-10-02T08:14:04Z WARN  cache dir not writable, falling back to /tmp
                2025-10-02T08:14:04Z ERROR failed to bind 0.0.0.0:8080: address already in use
                ```
                [/details]
                """,
                likes=8,
            ),
            p(
                "tom_h",
                """
                Oh. `address already in use`. Another instance was still running. :man_facepalming:
                """,
                reply_to=2,
            ),
            p(
                "jonas",
                """
                The classic. For next time:

                ```bash
                ss -ltnp 'sport = :8080'
                ```

                shows which process holds the port.
                """,
                reply_to=3,
                likes=5,
            ),
            p(
                "elena",
                """
                And that's why the first error is worth finding: it is often the whole story.
                """,
            ),
        ),
        tags=("logs", "questions"),
    ),
    TopicSpec(
        "asking-for-help",
        "Thanking people after the problem is solved",
        (
            p(
                "noor",
                """
                When someone solves my problem, is a "thanks!" reply enough, or is that noise?
                """,
            ),
            p(
                "kwame",
                """
                A like plus a reply that says **what** worked is ideal. "Thanks, the second
                suggestion fixed it, the first one didn't apply because of X" helps the next
                reader.
                """,
                likes=9,
            ),
            p(
                "elena",
                """
                And mark the solution if the category supports it. It's how the topic shows up
                as solved in searches.
                """,
            ),
        ),
        tags=("etiquette", "thanks"),
    ),
    # ------------------------------------------------------------------ Group Etiquette
    TopicSpec(
        "etiquette",
        "Quoting vs. replying: when to use which",
        (
            p(
                "elena",
                """
                A reminder of how replies work here, because it confuses newcomers:

                - **Reply to the topic** when you answer the original question.
                - **Reply to a post** when you answer one person's point.
                - **Quote** when you answer one *sentence*, or when the post you answer is far
                  up the thread.

                Don't quote a whole post that is directly above yours. Everyone just read it.
                """,
                likes=10,
            ),
            p(
                "marco_dev",
                """
                [quote="elena, post:1, topic:%TOPIC%"]
                Don't quote a whole post that is directly above yours.
                [/quote]

                Guilty. :see_no_evil:
                """,
                reply_to=1,
            ),
            p(
                "aiko",
                """
                Multiple short quotes are fine too, answering each point in turn. Much easier
                to follow than one long reply.
                """,
            ),
            p(
                "priya",
                """
                [quote="aiko, post:3, topic:%TOPIC%"]
                Multiple short quotes are fine too
                [/quote]

                Agreed, like this.

                [quote="elena, post:1, topic:%TOPIC%"]
                Reply to a post when you answer one person's point.
                [/quote]

                And like this. :slight_smile:
                """,
                reply_to=3,
                likes=6,
            ),
            p(
                "tom_h",
                """
                Very clear, thanks. The interleaved quotes make it obvious.
                """,
            ),
        ),
        tags=("quoting", "etiquette"),
    ),
    TopicSpec(
        "etiquette",
        "Disagreeing without derailing the thread",
        (
            p(
                "fede",
                """
                How do you disagree with a popular answer without turning the thread into a
                fight?
                """,
            ),
            p(
                "elena",
                """
                State what you agree with first, then the specific point you disagree with, and
                why. Give your evidence. Then stop: you don't need the last word.
                """,
                likes=9,
            ),
            p(
                "sam_ops",
                """
                And if the disagreement grows, move it to a new topic and link it. The person
                who asked the original question still needs an answer, not a debate.
                """,
                likes=6,
            ),
            p(
                "jonas",
                """
                "I'd do it differently, here's why" reads very differently from "this is wrong".
                Same content.
                """,
            ),
            p(
                "fede",
                """
                [quote="sam_ops, post:3, topic:%TOPIC%"]
                The person who asked the original question still needs an answer, not a debate.
                [/quote]

                Good reminder. It's easy to forget the asker.
                """,
                reply_to=3,
            ),
            p(
                "noor",
                """
                Taking notes for my team's chat, honestly.
                """,
            ),
        ),
        tags=("disagreement", "etiquette"),
    ),
    TopicSpec(
        "etiquette",
        "Tabs vs. spaces, round 47",
        (
            p(
                "olly",
                """
                Settling this once and for all: tabs or spaces?
                """,
            ),
            p(
                "marco_dev",
                """
                Spaces. Four. Next question.
                """,
            ),
            p(
                "jonas",
                """
                Tabs for indentation, spaces for alignment, and a formatter so nobody has to
                think about it. Spoiler for rounds 48 to 100: [spoiler]use a formatter[/spoiler].
                """,
                likes=5,
            ),
            p(
                "tom_h",
                """
                Whatever the project's formatter says. I have not configured indentation by
                hand in years.
                """,
                likes=4,
            ),
            p(
                "olly",
                """
                But which is *better*?
                """,
            ),
            p(
                "elena",
                """
                Closing this one: it has been discussed in 46 previous topics, and the answer
                is "use a formatter". Thanks all. :lock:
                """,
                likes=8,
            ),
        ),
        tags=("flamewar", "formatting"),
        closed=True,
    ),
    TopicSpec(
        "etiquette",
        "Language etiquette in a bilingual group",
        (
            p(
                "giulia",
                """
                Since we have both English and Italian speakers: write in the language of the
                category. In English categories, it is fine to add a short Italian summary if
                it helps, and the other way round.
                """,
            ),
            p(
                "fede",
                """
                E se qualcuno risponde in inglese in una discussione italiana? Lo lasciamo
                fare?
                """,
            ),
            p(
                "giulia",
                """
                Sì, nessun problema, basta che la risposta sia utile. Non correggiamo la lingua
                degli altri: correggiamo solo i fatti. :slight_smile:
                """,
                reply_to=2,
                likes=6,
            ),
            p(
                "bea",
                """
                Nice policy. Machine translation is good enough now that mixing is not a big
                problem anyway.
                """,
            ),
        ),
        tags=("language", "etiquette"),
    ),
    TopicSpec(
        "moderation",
        "How we handle flags in this group",
        (
            p(
                "elena",
                """
                A short note on what happens when you flag a post:

                1. A moderator looks at it, usually within a day.
                2. If it breaks the guidelines, it is hidden and the author gets a private
                   message explaining why.
                3. If it doesn't, the flag is dismissed. No penalty for flagging in good faith.

                Flags are anonymous to the author. Please use them instead of replying to
                spam.
                """,
                likes=7,
            ),
            p(
                "tom_h",
                """
                What counts as "breaking the guidelines"? Is off-topic flaggable?
                """,
            ),
            p(
                "elena",
                """
                Off-topic is flaggable, but mostly we just move the post to a new topic. Flags
                are for spam, insults, and personal information.
                """,
                reply_to=2,
            ),
        ),
        tags=("moderation", "flags"),
        padding=False,
    ),
    TopicSpec(
        "moderation",
        "Moderator note: please don't cross-post",
        (
            p(
                "elena",
                """
                We have seen a few questions posted in three categories at once. Please pick
                one. If nobody answers in a few days, ask a moderator to move it instead of
                posting it again.
                """,
                likes=5,
            ),
            p(
                "olly",
                """
                Sorry, that was me. I didn't know which category was right.
                """,
            ),
            p(
                "elena",
                """
                No worries! When in doubt, pick the closest one. Moving topics is easy for us.
                """,
                reply_to=2,
                likes=3,
            ),
        ),
        tags=("moderation", "cross-posting"),
        padding=False,
    ),
    # ------------------------------------------------------------------ Tools & Terminal
    TopicSpec(
        "tools-terminal",
        "Reading forums from the terminal: my setup",
        (
            p(
                "jonas",
                """
                My setup for following groups without a browser:

                - a terminal client for reading and replying,
                - `$EDITOR` for writing anything longer than two lines,
                - `tmux` with one window per group I follow,
                - notifications off; I check twice a day.

                The biggest win is speed: opening a topic is instant, and the keyboard never
                leaves the home row.
                """,
                likes=8,
            ),
            p(
                "marco_dev",
                """
                Do you keep anything offline?
                """,
            ),
            p(
                "jonas",
                """
                The client caches what I have read, so I can read on the train. Replies written
                offline wait in a queue until I'm back online.
                """,
                reply_to=2,
                likes=4,
            ),
            p(
                "aiko",
                """
                How do you deal with images?
                """,
            ),
            p(
                "jonas",
                """
                Mostly I don't. Links open in the browser when I really need to see one.
                Terminals that support image protocols can show them inline, but I like the
                calm of text. This is what my screen looks like, for the curious:

                ![Three tmux panes: topic list, thread, notes](https://example.com/img/terminal-setup.png)
                """,
                reply_to=4,
            ),
            p(
                "bea",
                """
                "The calm of text" :heart:
                """,
                reply_to=5,
            ),
        ),
        tags=("terminal", "setup", "tmux"),
    ),
    TopicSpec(
        "tools-terminal",
        "tmux layout for following several groups",
        (
            p(
                "sam_ops",
                """
                Sharing my tmux session script. One window per group, a notes pane on the
                right:

                ```bash
                #!/bin/sh
                tmux new-session -d -s groups -n work 'termforum --forum work'
                tmux split-window -h -l 40% -t groups:work 'vim ~/notes/groups.md'
                tmux new-window -t groups -n demo 'termforum --demo'
                tmux attach -t groups
                ```
                """,
                likes=7,
            ),
            p(
                "luca.b",
                """
                What's the `-l 40%` for?
                """,
            ),
            p(
                "sam_ops",
                """
                The size of the new pane: 40% of the window width for the notes.
                """,
                reply_to=2,
            ),
            p(
                "jonas",
                """
                I use a similar layout but with `synchronize-panes` off, obviously. Learned that
                one the hard way. :sweat_smile:
                """,
            ),
            p(
                "kwame",
                """
                Stealing this for my conference demo setup, thanks @sam_ops.
                """,
            ),
        ),
        tags=("tmux", "terminal"),
    ),
    TopicSpec(
        "tools-terminal",
        "Using the Discourse API with curl and jq",
        (
            p(
                "marco_dev",
                """
                Quick reference for reading a Discourse forum from the shell. Every page has a
                JSON version: add `.json` to the path.

                ```bash
                FORUM=https://forum.example.org

                # latest topics
                curl -s "$FORUM/latest.json" | jq -r '.topic_list.topics[] | "\\(.id)\\t\\(.title)"'

                # one topic, first 20 posts
                curl -s "$FORUM/t/1234.json" | jq -r '.post_stream.posts[].username'
                ```
                """,
                likes=12,
            ),
            p(
                "priya",
                """
                And for topics with more than 20 posts, ask for the missing ones by id:

                ```bash
                curl -s -G "$FORUM/t/1234/posts.json" \\
                  --data-urlencode 'post_ids[]=5001' \\
                  --data-urlencode 'post_ids[]=5002'
                ```

                The full list of ids is in `post_stream.stream` of the topic.
                """,
                reply_to=1,
                likes=9,
            ),
            p(
                "tom_h",
                """
                Why `-G`?
                """,
            ),
            p(
                "priya",
                """
                It makes curl put the `--data` parameters in the query string of a GET instead
                of sending a POST body. The ids must be in the query string.
                """,
                reply_to=3,
                likes=4,
            ),
            p(
                "jonas",
                """
                Pagination tip: topic lists have `more_topics_url` while there are more pages,
                and pages start at 0. Stop when the key is missing.
                """,
                likes=5,
            ),
            p(
                "marco_dev",
                """
                [quote="jonas, post:5, topic:%TOPIC%"]
                Stop when the key is missing.
                [/quote]

                Important, because the URL it gives has no `.json`. Send
                `Accept: application/json` when you follow it.
                """,
                reply_to=5,
                likes=3,
            ),
        ),
        tags=("api", "curl", "jq"),
    ),
    TopicSpec(
        "tools-terminal",
        "Rate limits: why my script got 429s",
        (
            p(
                "tom_h",
                """
                My script fetches every topic in a category and after about twenty requests I
                only get `429 Too Many Requests`. What am I doing wrong?
                """,
            ),
            p(
                "sam_ops",
                """
                Nothing wrong, you hit the limit. Forums limit requests per minute, per user
                key and per IP. The 429 answer has a `Retry-After` header with the number of
                seconds to wait. Respect it:

                ```python
                import time

                import httpx

                def get(client: httpx.Client, url: str) -> httpx.Response:
                    while True:
                        r = client.get(url)
                        if r.status_code != 429:
                            return r
                        time.sleep(float(r.headers.get("Retry-After", "10")))
                ```
                """,
                likes=10,
            ),
            p(
                "jonas",
                """
                Also: don't assume the 429 body is JSON. Sometimes it's plain text.
                """,
                likes=5,
            ),
            p(
                "tom_h",
                """
                [quote="jonas, post:3, topic:%TOPIC%"]
                don't assume the 429 body is JSON
                [/quote]

                That explains the JSON decode error I got before the 429s even showed up in my
                logs. Thanks both!
                """,
                reply_to=3,
            ),
            p(
                "kwame",
                """
                And batch: one request for 20 posts instead of 20 requests for one post each.
            """,
            ),
        ),
        tags=("api", "rate-limits", "python"),
    ),
    TopicSpec(
        "tools-terminal",
        "Notifications without a browser",
        (
            p(
                "aiko",
                """
                Is there a way to get notified of replies without keeping a browser tab open?
                """,
            ),
            p(
                "jonas",
                """
                Email is the boring, reliable option. Set it to "only when away" and mentions
                reach you without noise.
                """,
            ),
            p(
                "marco_dev",
                """
                A terminal client can poll the notifications endpoint every few minutes and
                show a counter in the status bar. Don't poll faster than that; it's not a
                chat.
                """,
                likes=4,
            ),
            p(
                "aiko",
                """
                Every few minutes is plenty for me. Thanks!
                """,
            ),
        ),
        tags=("notifications", "terminal"),
    ),
    TopicSpec(
        "shell-editors",
        "Writing long replies in $EDITOR",
        (
            p(
                "jonas",
                """
                I never write long posts in a text box any more. I write in my editor and the
                client picks up the file when I close it. Spell check, undo history, and no
                lost work when the connection drops.
                """,
                likes=6,
            ),
            p(
                "tom_h",
                """
                How does the client know which editor to use?
                """,
            ),
            p(
                "jonas",
                """
                The `EDITOR` (or `VISUAL`) environment variable, like git does:

                ```bash
                export VISUAL="nvim"
                export EDITOR="$VISUAL"
                ```
                """,
                reply_to=2,
                likes=3,
            ),
            p(
                "bea",
                """
                What happens if the editor crashes?
                """,
            ),
            p(
                "jonas",
                """
                The draft file stays on disk until the post is sent, so you can pick it up
                again. That's the whole point.
                """,
                reply_to=4,
                likes=4,
            ),
        ),
        tags=("editor", "drafts"),
    ),
    TopicSpec(
        "shell-editors",
        "Vim keybindings everywhere — worth it?",
        (
            p(
                "luca.b",
                """
                Learning vim keys. Is it worth using them in every app, or only in the editor?
                """,
            ),
            p(
                "marco_dev",
                """
                `j`/`k` for moving, `/` for search and `g`/`G` for top and bottom cover 90% of
                the value. Those work in a surprising number of tools.
                """,
                likes=5,
            ),
            p(
                "bea",
                """
                From a UX point of view: keep the basics consistent, and show the keys on
                screen. Nobody remembers more than a handful.
                """,
            ),
            p(
                "olly",
                """
                I still can't exit vim. :sweat_smile:
                """,
                likes=9,
            ),
        ),
        tags=("vim", "keyboard"),
    ),
    TopicSpec(
        "shell-editors",
        "A tiny shell function to open topics by id",
        (
            p(
                "sam_ops",
                """
                I paste topic ids into chat all the time, so I made this:

                ```bash
                t() {
                  # usage: t 1234  -> opens topic 1234 in the terminal client
                  termforum open "https://forum.example.org/t/$1"
                }
                ```
                """,
                likes=4,
            ),
            p(
                "jonas",
                """
                Add a default for the forum so it works with other sites too:

                ```bash
                t() {
                  termforum open "${FORUM:-https://forum.example.org}/t/$1"
                }
                ```
                """,
                reply_to=1,
                likes=3,
            ),
            p(
                "sam_ops",
                """
                Nice, updated.
                """,
                reply_to=2,
            ),
            p(
                "tom_h",
                """
                Small things like this are why I follow this category. :+1:
                """,
            ),
        ),
        tags=("shell", "functions"),
    ),
    TopicSpec(
        "uncategorized",
        "Introductions: who are you and what do you work on?",
        (
            p(
                "kwame",
                """
                Let's get to know each other. I'm Kwame, developer advocate, based in Accra.
                I collect good questions and the answers that made them good.
                """,
            ),
            p(
                "noor",
                """
                Noor, product manager at a developer-tools company. Here to learn how
                developer communities actually work. :wave:
                """,
            ),
            p(
                "olly",
                """
                Oliver, junior developer. Mostly reading for now.
                """,
            ),
            p(
                "priya",
                """
                Priya, data engineer. Ask me about file formats and pipelines that break at
                3 a.m.
                """,
            ),
            p(
                "tom_h",
                """
                Tom, support engineer. I answer questions for a living, so I'm here to learn
                how to ask them. :slight_smile:
                """,
            ),
        ),
        tags=("introductions",),
    ),
    TopicSpec(
        "uncategorized",
        "Which tags do you follow, and why?",
        (
            p(
                "aiko",
                """
                I only follow three tags and mute everything else. Curious how others do it.
                Vote below!

                [poll type=regular]
                * One or two tags
                * Three to ten tags
                * Whole categories instead
                * Everything, I read it all
                [/poll]
                """,
            ),
            p(
                "sam_ops",
                """
                Whole categories for the two areas I answer in, tags for everything else.
                """,
            ),
            p(
                "fede",
                """
                Two tags. Anything more and I stop reading.
                """,
            ),
        ),
        tags=("tags", "poll"),
        recent=True,
    ),
)

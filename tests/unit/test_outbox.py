"""Sending exactly once: every failure keeps the text, an ambiguous one is checked, never resent."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from termforum.errors import NetworkError, PostQueued, RateLimited, Rejected, ServerError
from termforum.models import Post, Topic, TopicPage
from termforum.outbox import OutgoingPost, reconcile, same_text, send_post

BODY = "Thanks, the journalctl tip saved my afternoon.\n"


def _post(raw: str, number: int = 7) -> Post:
    return Post(str(100 + number), "5", number, "you", datetime.now(UTC), "<p/>", raw=raw)


class FakeForum:
    """Records every call; ``reply`` does what the test says."""

    def __init__(self, reply_result: object, recent: list[Post] | None = None) -> None:
        self.reply_result = reply_result
        self.recent = recent or []
        self.calls: list[str] = []

    async def reply(self, topic_id: str, body: str, *, reply_to: int | None = None) -> Post:
        self.calls.append("reply")
        if isinstance(self.reply_result, Exception):
            raise self.reply_result
        return self.reply_result  # type: ignore[return-value]

    async def my_recent_posts(self, topic_id: str, *, limit: int = 20) -> list[Post]:
        self.calls.append("my_recent_posts")
        if isinstance(self.recent, Exception):
            raise self.recent
        return self.recent

    async def raw(self, post_id: str) -> str:
        self.calls.append("raw")
        return BODY

    async def topics(self, group_id: str | None = None, *, view: str = "latest") -> TopicPage:
        self.calls.append("topics")
        topic = Topic("9", group_id, "A careful question", "you", 1, None, None)
        return TopicPage((topic,))


REPLY = OutgoingPost("reply", BODY, topic_id="5")


async def test_confirmed_reply_is_posted_once() -> None:
    forum = FakeForum(_post(BODY))
    outcome = await send_post(forum, REPLY, "you")
    assert (outcome.status, outcome.done, forum.calls) == ("posted", True, ["reply"])


@pytest.mark.parametrize(
    "error",
    [
        NetworkError("Cannot reach forum.test: connection refused."),
        ServerError("The forum failed (HTTP 502)."),
        RateLimited("Too many requests; try again in 9 seconds.", retry_after=9),
        Rejected("Body is too short (minimum is 20 characters)"),
    ],
)
async def test_failures_keep_the_text_and_do_not_retry(error: Exception) -> None:
    forum = FakeForum(error)
    outcome = await send_post(forum, REPLY, "you")
    assert outcome.status == "failed" and not outcome.done
    assert forum.calls == ["reply"]  # never sent twice, never "checked" for a clear failure
    assert "\n" not in outcome.message


async def test_the_servers_reason_is_shown_as_written() -> None:
    outcome = await send_post(FakeForum(Rejected("Body is too short (minimum is 20)")), REPLY, "u")
    assert outcome.message.endswith("Body is too short (minimum is 20)")


async def test_queued_post_is_not_an_error_and_not_posted() -> None:
    outcome = await send_post(FakeForum(PostQueued("Waiting for approval.")), REPLY, "you")
    assert (outcome.status, outcome.done) == ("queued", True)


async def test_timeout_after_sending_checks_and_finds_the_post() -> None:
    landed = _post(BODY.strip() + "\n\n")
    forum = FakeForum(NetworkError("Timed out.", sent=True), recent=[_post("other"), landed])
    outcome = await send_post(forum, REPLY, "you")
    assert outcome.status == "posted" and outcome.post is landed
    assert forum.calls == ["reply", "my_recent_posts"]


async def test_timeout_after_sending_and_not_found_is_safe_to_resend() -> None:
    forum = FakeForum(NetworkError("Timed out.", sent=True), recent=[_post("something else")])
    outcome = await send_post(forum, REPLY, "you")
    assert outcome.status == "failed" and "safe to send it again" in outcome.message


async def test_timeout_and_check_impossible_is_unconfirmed_then_checked_before_resending() -> None:
    forum = FakeForum(NetworkError("Timed out.", sent=True), recent=NetworkError("offline"))
    outcome = await send_post(forum, REPLY, "you")
    assert outcome.status == "unconfirmed"
    # The next attempt checks first, finds the post, and does not send again.
    forum.recent = [_post(BODY)]
    again = await send_post(
        forum, OutgoingPost("reply", BODY, topic_id="5", unconfirmed=True), "you"
    )
    assert again.status == "posted"
    assert forum.calls.count("reply") == 1


async def test_too_similar_after_a_lost_answer_is_recognised_as_posted() -> None:
    forum = FakeForum(Rejected("Body is too similar to what you recently posted"), [_post(BODY)])
    outcome = await send_post(forum, REPLY, "you")
    assert outcome.status == "posted"


async def test_new_topic_is_reconciled_by_title_and_author() -> None:
    item = OutgoingPost("topic", BODY, group_id="3", title="A careful question")
    outcome = await reconcile(FakeForum(None), item, "you")
    assert outcome is not None and outcome.status == "posted" and outcome.topic is not None


def test_same_text_ignores_trailing_space_and_line_endings() -> None:
    assert same_text("a  \r\nb\n\n", "a\nb")
    assert not same_text("a\nb", "a\nc")


async def test_a_gateway_error_is_checked_because_the_post_may_have_landed() -> None:
    forum = FakeForum(ServerError("Bad gateway.", status=502), recent=[_post(BODY)])
    outcome = await send_post(forum, REPLY, "you")
    assert outcome.status == "posted"
    assert forum.calls == ["reply", "my_recent_posts"]


async def test_a_gateway_error_with_nothing_landed_is_a_plain_failure() -> None:
    forum = FakeForum(ServerError("Gateway time-out.", status=504), recent=[])
    outcome = await send_post(forum, REPLY, "you")
    assert outcome.status == "failed"
    assert forum.calls.count("reply") == 1

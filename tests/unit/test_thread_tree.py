"""The reply tree of a topic: order, guides, folded branches, and bad data that must not loop."""

from __future__ import annotations

from termforum.thread_tree import MAX_GUIDE_DEPTH, build_tree


def _thread(replies: dict[int, int | None]) -> tuple[list[str], dict, dict]:
    """Posts numbered 1..n (ids "p1".."pn"); ``replies`` maps number → number it answers."""
    stream = [f"p{number}" for number in sorted(replies)]
    reply_to = {f"p{number}": target for number, target in replies.items()}
    numbers = {f"p{number}": number for number in replies}
    return stream, reply_to, numbers


def _drawn(tree) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{row.head}{row.post_id}" for row in tree.rows]


def test_replies_hang_under_what_they_answer_in_the_order_written() -> None:
    # 2 and 4 answer the topic; 3 and 5 answer 2; 6 answers 3.
    tree = build_tree(*_thread({1: None, 2: None, 3: 2, 4: None, 5: 2, 6: 3}))
    assert _drawn(tree) == [
        "p1",
        "├─p2",
        "│ ├─p3",
        "│ │ └─p6",
        "│ └─p5",
        "└─p4",
    ]
    bodies = {row.post_id: row.body for row in tree.rows}
    assert bodies["p3"] == "│ │ " and bodies["p5"] == "│   " and bodies["p4"] == "  "
    assert tree.parent["p6"] == "p3" and tree.siblings("p5") == ("p3", "p5")


def test_a_folded_branch_hides_its_replies_and_says_how_many() -> None:
    stream, reply_to, numbers = _thread({1: None, 2: None, 3: 2, 4: None, 5: 2, 6: 3})
    tree = build_tree(stream, reply_to, numbers, collapsed={"p2"})
    assert _drawn(tree) == ["p1", "├─p2", "└─p4"]
    assert [row.hidden for row in tree.rows] == [0, 3, 0]
    # Folding a post without replies changes nothing.
    assert _drawn(build_tree(stream, reply_to, numbers, collapsed={"p4"}))[-1] == "└─p4"


def test_unknown_later_or_looping_parents_fall_back_to_the_first_post() -> None:
    # 3 answers a post that is not loaded (9); 4 answers a later post (5), which answers 4.
    tree = build_tree(*_thread({1: None, 2: 1, 3: 9, 4: 5, 5: 4}))
    assert {row.post_id: row.depth for row in tree.rows} == {
        "p1": 0,
        "p2": 1,
        "p3": 1,
        "p4": 1,
        "p5": 2,
    }
    assert len(tree.rows) == 5


def test_a_very_long_chain_neither_recurses_nor_indents_past_the_limit() -> None:
    chain = {1: None, **{number: number - 1 for number in range(2, 3001)}}
    tree = build_tree(*_thread(chain))
    assert len(tree.rows) == 3000
    widths = {len(row.head) for row in tree.rows}
    assert max(widths) == 2 * MAX_GUIDE_DEPTH
    assert tree.rows[-1].depth == 2999
    assert tree.branch_size("p1") == 2999

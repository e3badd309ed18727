"""A topic's posts as a reply tree: who answered whom, for reading by structure.

Discourse gives every post the number of the post it answers (``reply_to_post_number``) or
none, which means it answers the topic, i.e. the first post. The tree here has the first post
as its root; every other post hangs under the post it answers, in the order they were written.
A post whose parent is unknown (not loaded yet, deleted, or moved) or not written before it
(bad data) hangs under the root, so nothing is ever lost from view and no loop can form; once
its parent arrives, the tree is built again.

Pure data, no Textual: :func:`build_tree` gives the reading order, each post's depth and the
tree guides drawn left of it (like mutt's thread index), honouring collapsed branches.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

__all__ = ["MAX_GUIDE_DEPTH", "ThreadTree", "TreeRow", "build_tree"]

MAX_GUIDE_DEPTH = 8
"""Levels drawn as guides; deeper replies are indented no further (their header still says
whom they answer)."""


@dataclass(frozen=True, slots=True)
class TreeRow:
    """One shown post of the tree."""

    post_id: str
    depth: int
    """0 for the root (the first post), 1 for direct replies to the topic, and so on."""
    head: str
    """Guide drawn left of the post's first line, e.g. ``"│ ├─"``."""
    body: str
    """Guide drawn left of its other lines, e.g. ``"│ │ "`` (same width as ``head``)."""
    hidden: int = 0
    """Posts folded away under this one (its branch is collapsed)."""


@dataclass(frozen=True, slots=True)
class ThreadTree:
    """The reply structure of a thread, and the rows to show for it."""

    rows: tuple[TreeRow, ...]
    """Shown posts in reading order (depth first, replies in the order written)."""
    parent: Mapping[str, str]
    """Post id → id of the post it hangs under (every post but the root)."""
    children: Mapping[str, tuple[str, ...]]
    """Post id → ids of the posts hanging under it, in the order written."""

    def branch_size(self, post_id: str) -> int:
        """How many posts hang (directly or not) under ``post_id``."""
        total, stack = 0, list(self.children.get(post_id, ()))
        while stack:
            child = stack.pop()
            total += 1
            stack.extend(self.children.get(child, ()))
        return total

    def siblings(self, post_id: str) -> tuple[str, ...]:
        """The posts under the same parent as ``post_id`` (itself included), in order."""
        parent = self.parent.get(post_id)
        return (post_id,) if parent is None else self.children.get(parent, (post_id,))


def build_tree(
    stream: Sequence[str],
    reply_to: Mapping[str, int | None],
    numbers: Mapping[str, int],
    collapsed: Collection[str] = (),
) -> ThreadTree:
    """The tree of ``stream`` (post ids in the order written).

    ``reply_to`` and ``numbers`` know the loaded posts: the number each answers and its own
    number. Posts in ``collapsed`` show with their branch folded away."""
    if not stream:
        return ThreadTree((), {}, {})
    root = stream[0]
    by_number = {number: pid for pid, number in numbers.items()}
    position = {pid: index for index, pid in enumerate(stream)}
    parent: dict[str, str] = {}
    children: dict[str, list[str]] = {}
    for index, pid in enumerate(stream[1:], 1):
        target = reply_to.get(pid)
        up = by_number.get(target) if target is not None else None
        if up is None or position.get(up, index) >= index:
            up = root  # answers the topic, or its parent is not (yet) here: under the first post
        parent[pid] = up
        children.setdefault(up, []).append(pid)
    frozen_children = {pid: tuple(kids) for pid, kids in children.items()}
    tree = ThreadTree((), parent, frozen_children)
    rows: list[TreeRow] = []
    # Depth-first, iteratively (a long chain of replies must not hit the recursion limit).
    # Each entry: (post id, depth, guides of its ancestors, whether it is its parent's last).
    stack: list[tuple[str, int, str, bool]] = [(root, 0, "", True)]
    while stack:
        pid, depth, above, last = stack.pop()
        if depth == 0:
            head = body = ""
            below = ""
        elif depth <= MAX_GUIDE_DEPTH:
            head = above + ("└─" if last else "├─")
            body = above + ("  " if last else "│ ")
            below = body
        else:  # too deep to indent further: keep the guides of the deepest drawn level
            head = body = below = above
        kids = frozen_children.get(pid, ())
        folded = pid in collapsed and bool(kids)
        hidden = tree.branch_size(pid) if folded else 0
        rows.append(TreeRow(pid, depth, head, body, hidden))
        if kids and not folded:
            for index in range(len(kids) - 1, -1, -1):
                stack.append((kids[index], depth + 1, below, index == len(kids) - 1))
    return ThreadTree(tuple(rows), parent, frozen_children)

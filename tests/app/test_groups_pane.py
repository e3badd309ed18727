"""The groups pane as a reader meets it, against the demo forum over loopback HTTP:
subgroups nested and folded with keys (the folds come back on the next run), and a group's
notification level changed with ``w``: muted groups are dimmed, marked and left out of
"All groups" until they are back to normal. Anonymous readers are told to log in."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from termforum.demo import DemoServer
from termforum.ui.app import TermforumApp
from termforum.ui.screens.group_level import GroupLevelScreen
from termforum.ui.screens.main import MainScreen
from termforum.ui.widgets.group_list import ALL_GROUPS, GroupList
from tests.app.conftest import app_as_demo_user, settle

PARENT, FIRST_CHILD, LAST_CHILD = "3", "11", "12"
"""Seed group "Visibility & Reputation" and its two subgroups."""


@pytest.fixture(scope="module")
def own_forum(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoServer]:
    """A demo forum of this module's own: the demo account mutes groups in it."""
    with DemoServer(data_dir=tmp_path_factory.mktemp("groups-forum")) as server:
        yield server


def logged_in_app(forum: DemoServer) -> TermforumApp:
    return app_as_demo_user(forum)


def rows(pane: GroupList, width: int = 40) -> dict[str, str]:
    """Option id → the row as shown, for every option of the list."""
    shown = {}
    for index in range(pane.option_count):
        option = pane.get_option_at_index(index)
        prompt = option.prompt
        line = prompt.layout(width)[0] if hasattr(prompt, "layout") else prompt
        shown[option.id] = line.plain.rstrip()
    return shown


def name_is_dim(pane: GroupList, group_id: str, width: int = 40) -> bool:
    """Whether the group's name (not its guide or count) is shown dimmed."""
    line = pane.get_option(group_id).prompt.layout(width)[0]
    start = line.plain.index(pane.group(group_id).name[:8])
    return any(span.start <= start < span.end and "dim" in str(span.style) for span in line.spans)


def toasts(app: TermforumApp) -> list[str]:
    return [str(note.message) for note in app._notifications]  # noqa: SLF001


async def highlight(pilot, pane: GroupList, group_id: str) -> None:  # type: ignore[no-untyped-def]
    pane.focus()
    pane.highlighted = pane.get_option_index(group_id)
    await pilot.pause()


async def test_subgroups_nest_under_their_parent_and_fold_with_keys(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        pane = screen.groups_pane
        await settle(pilot, lambda: pane.option_count > 10)
        shown = rows(pane)
        ids = list(shown)
        assert ids.index(PARENT) + 1 == ids.index(FIRST_CHILD)
        assert ids.index(FIRST_CHILD) + 1 == ids.index(LAST_CHILD)
        assert shown[PARENT].startswith("▾ Visibility & Reputation")
        assert shown[FIRST_CHILD].startswith("├ Portfolios")
        assert shown[LAST_CHILD].startswith("└ Writing in Public")
        assert shown["6"].startswith("  Asking for Help")  # no subgroups: no marker

        await highlight(pilot, pane, PARENT)
        await pilot.press("z")
        shown = rows(pane)
        assert FIRST_CHILD not in shown and LAST_CHILD not in shown
        assert shown[PARENT].startswith("▸ Visibility & Reputation")
        await pilot.press("z")
        assert FIRST_CHILD in rows(pane)

        # Like a tree: right goes into the subgroups, left comes back and then folds.
        await pilot.press("right")
        assert pane.highlighted_option.id == FIRST_CHILD
        await pilot.press("left")
        assert pane.highlighted_option.id == PARENT
        await pilot.press("left")
        assert FIRST_CHILD not in rows(pane)
        await pilot.press("right")
        assert FIRST_CHILD in rows(pane) and pane.highlighted_option.id == PARENT

        # Folding from a subgroup folds its parent and keeps the highlight in sight.
        await highlight(pilot, pane, LAST_CHILD)
        await pilot.press("z")
        assert pane.highlighted_option.id == PARENT
        await pilot.press("Z")  # not all folded yet: fold every parent
        parents = {g.parent_id for g in pane.groups if g.parent_id}
        assert pane.folded == parents
        assert not {g.id for g in pane.groups if g.parent_id} & set(rows(pane))
        await pilot.press("Z")
        assert pane.folded == frozenset()
        assert len(rows(pane)) == len(pane.groups) + 1


async def test_folds_are_remembered_for_the_next_run(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.screen.groups_pane  # type: ignore[attr-defined]
        await settle(pilot, lambda: pane.option_count > 10)
        await highlight(pilot, pane, "9")
        await pilot.press("z")
        assert app.state.folded_groups == {"demo": ["9"]}

    again = make_app()
    async with again.run_test(size=(100, 40)) as pilot:
        pane = again.screen.groups_pane  # type: ignore[attr-defined]
        await settle(pilot, lambda: pane.option_count > 10)
        shown = rows(pane)
        assert pane.folded == {"9"}
        assert shown["9"].startswith("▸ Comunità italiana")
        assert "16" not in shown and "17" not in shown
        assert FIRST_CHILD in shown


async def test_anonymous_readers_are_told_to_log_in(
    make_app: Callable[..., TermforumApp],
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 40)) as pilot:
        pane = app.screen.groups_pane  # type: ignore[attr-defined]
        await settle(pilot, lambda: pane.option_count > 10)
        assert {g.notification_level for g in pane.groups} == {None}
        await highlight(pilot, pane, "6")
        await pilot.press("w")
        await pilot.pause()
        assert not isinstance(app.screen, GroupLevelScreen)
        # This app cannot log in (no config): it says so instead of offering the key.
        told = [t for t in toasts(app) if t.startswith("To change how a group notifies you, ")]
        assert told and ("press L to log in" in told[0] or "need an account" in told[0])


async def choose_level(pilot, app: TermforumApp, level: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.press("w")
    await settle(pilot, lambda: isinstance(app.screen, GroupLevelScreen))
    chooser = app.screen.query_one("#group-level-box")
    chooser.highlighted = chooser.get_option_index(level)  # type: ignore[attr-defined]
    await pilot.press("enter")
    await settle(pilot, lambda: isinstance(app.screen, MainScreen))


async def test_muting_a_group_dims_it_and_leaves_it_out_of_all_groups_until_undone(
    own_forum: DemoServer,
) -> None:
    app = logged_in_app(own_forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        pane, topics = screen.groups_pane, screen.topics_pane
        await settle(pilot, lambda: pane.option_count > 10 and topics.topics != [])
        assert pane.highlighted_option.id == ALL_GROUPS
        target = next(t.group_id for t in topics.topics if not t.pinned and t.group_id)
        assert target is not None and pane.group(target).notification_level == "normal"
        assert "⊘" not in rows(pane)[target]

        await highlight(pilot, pane, target)
        await choose_level(pilot, app, "muted")
        await settle(pilot, lambda: pane.group(target).notification_level == "muted")
        assert "⊘" in rows(pane)[target] and name_is_dim(pane, target)
        await settle(
            pilot,
            lambda: topics.topics != [] and target not in {t.group_id for t in topics.topics},
        )
        assert any("Muted" in toast and "left out of All groups" in toast for toast in toasts(app))

        # The chooser marks the level the group has now; back to normal brings them back.
        await pilot.press("w")
        await settle(pilot, lambda: isinstance(app.screen, GroupLevelScreen))
        chooser = app.screen.query_one("#group-level-box")
        assert chooser.highlighted_option.id == "muted"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(pilot, lambda: isinstance(app.screen, MainScreen))
        await choose_level(pilot, app, "normal")
        await settle(pilot, lambda: target in {t.group_id for t in topics.topics})
        assert "⊘" not in rows(pane)[target] and not name_is_dim(pane, target)


async def test_a_refused_change_is_said_and_changes_nothing(own_forum: DemoServer) -> None:
    app = logged_in_app(own_forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        pane = screen.groups_pane
        await settle(pilot, lambda: pane.option_count > 10)
        await highlight(pilot, pane, "7")
        own_forum.app.faults.fail_next(status=500, path_prefix="/category/7/notifications")
        try:
            await choose_level(pilot, app, "watching")
            await settle(pilot, lambda: any("HTTP 500" in toast for toast in toasts(app)))
        finally:
            own_forum.app.faults.reset()
        assert pane.group("7").notification_level == "normal"
        assert "◉" not in rows(pane)["7"]
        assert screen.service._groups is not None  # noqa: SLF001
        assert {g.id: g for g in screen.service._groups}["7"].notification_level == "normal"  # noqa: SLF001


async def test_subgroups_of_a_muted_group_are_dimmed_unless_given_a_level_of_their_own(
    own_forum: DemoServer,
) -> None:
    app = logged_in_app(own_forum)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        pane = screen.groups_pane
        await settle(pilot, lambda: pane.option_count > 10)
        assert not name_is_dim(pane, FIRST_CHILD)
        await highlight(pilot, pane, PARENT)
        await choose_level(pilot, app, "muted")
        await settle(pilot, lambda: pane.group(PARENT).notification_level == "muted")
        await settle(pilot, lambda: name_is_dim(pane, FIRST_CHILD))
        assert name_is_dim(pane, LAST_CHILD)
        assert "⊘" not in rows(pane)[FIRST_CHILD]  # muted through its parent, not by choice

        await highlight(pilot, pane, FIRST_CHILD)
        await choose_level(pilot, app, "watching")
        await settle(pilot, lambda: pane.group(FIRST_CHILD).notification_level == "watching")
        assert not name_is_dim(pane, FIRST_CHILD) and name_is_dim(pane, LAST_CHILD)

        for group_id in (FIRST_CHILD, PARENT):  # as it was, for the other tests
            await highlight(pilot, pane, group_id)
            await choose_level(pilot, app, "normal")
            await settle(pilot, lambda g=group_id: pane.group(g).notification_level == "normal")
        assert not name_is_dim(pane, LAST_CHILD)

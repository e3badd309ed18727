"""Start-up without cycle-collector pauses: held until the first frame, then frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from termforum import gcpause


@pytest.fixture(autouse=True)
def collector_restored() -> Iterator[None]:
    was_enabled = gc.isenabled()
    yield
    gcpause.release()
    gc.unfreeze()
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


def test_hold_turns_the_collector_off_and_release_freezes_and_turns_it_back_on() -> None:
    gc.enable()
    gc.unfreeze()

    gcpause.hold()
    assert not gc.isenabled()
    survivor = [object() for _ in range(10)]  # made during start-up, alive afterwards

    gcpause.release()
    assert gc.isenabled()
    assert gc.get_freeze_count() > 0  # start-up's objects are no longer walked
    assert survivor

    gcpause.release()  # a second release changes nothing
    assert gc.isenabled()


def test_release_leaves_a_collector_someone_else_turned_off_alone() -> None:
    gc.disable()
    gcpause.hold()
    gcpause.release()
    assert not gc.isenabled()

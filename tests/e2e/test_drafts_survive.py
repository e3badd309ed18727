"""A reply being typed survives kill -9, a dropped SSH connection (SIGHUP), SIGTERM and a
terminal that hangs up without any signal."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from tests.e2e.ptyrun import PtyProcess, termforum

pytestmark = pytest.mark.slow

SIZE = (100, 30)


def _start_reply() -> PtyProcess:
    proc = termforum("--demo", size=SIZE)
    assert proc.wait_for_text("All groups", timeout=60), proc.text()
    assert proc.wait_for_text("replies", timeout=30), proc.text()
    proc.send(b"\r")  # open the first topic (after what was read there before)
    assert proc.wait_for_text("Previous post", timeout=30), proc.text()
    assert proc.wait_for_text("  #", timeout=30), proc.text()
    proc.send(b"R")  # reply to the topic
    assert proc.wait_for_text("Markdown", timeout=30), proc.text()
    return proc


@pytest.mark.parametrize(
    ("signum", "settle_seconds"),
    [
        pytest.param(signal.SIGKILL, 2.5, id="kill-9-after-autosave"),
        pytest.param(signal.SIGHUP, 0.0, id="sighup-before-autosave"),
        pytest.param(signal.SIGTERM, 0.0, id="sigterm-before-autosave"),
    ],
)
def test_typed_reply_is_offered_back_after_the_process_dies(
    signum: int, settle_seconds: float
) -> None:
    text = f"Draft that must survive signal {signum}, typed into the reply box."
    proc = _start_reply()
    proc.send(text.encode())
    assert proc.wait_for_text(text[:40], timeout=20), proc.text()
    proc.read(settle_seconds)
    proc.process.send_signal(signum)
    proc.finish(timeout=20)

    again = _start_reply()
    try:
        assert again.wait_for_text(text[:40], timeout=20), again.text()
        assert again.wait_for_text("draft is back", timeout=10), again.text()
    finally:
        again.send(b"\x11")  # ctrl+q
        again.finish(timeout=20)


def test_a_terminal_that_hangs_up_without_a_signal_ends_termforum_and_keeps_the_draft() -> None:
    # The pty is not termforum's controlling terminal (as under nohup or setsid): closing it
    # sends no SIGHUP. termforum must notice, save the draft and exit, not spin forever.
    text = "Draft that must survive a terminal that silently hangs up."
    proc = _start_reply()
    proc.send(text.encode())
    assert proc.wait_for_text(text[:40], timeout=20), proc.text()
    os.close(proc.master)
    try:
        proc.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.process.kill()
        proc.process.wait()
        pytest.fail("termforum kept running after its terminal hung up")

    again = _start_reply()
    try:
        assert again.wait_for_text(text[:40], timeout=20), again.text()
    finally:
        again.send(b"\x11")  # ctrl+q
        again.finish(timeout=20)

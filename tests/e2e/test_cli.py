"""The command line as a newcomer meets it: help, version, and one sentence for every mistake."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.ptyrun import termforum


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "termforum", *args], capture_output=True, text=True, timeout=60
    )


def one_sentence(stream: str) -> str:
    lines = [line for line in stream.splitlines() if line.strip()]
    assert len(lines) == 1, stream
    assert "Traceback" not in stream
    return lines[0]


def test_version_and_help() -> None:
    from termforum import __version__

    assert run("--version").stdout.strip() == f"termforum {__version__}"
    help_text = run("--help").stdout
    for option in ("--demo", "--forum", "--config", "--version", "demo-server"):
        assert option in help_text


def test_bad_argument_is_one_sentence_and_exit_2() -> None:
    result = run("--frobnicate")
    assert result.returncode == 2
    assert "--frobnicate" in one_sentence(result.stderr)


@pytest.mark.parametrize("url", ["ftp://example.org", "http://", "https://exa mple.org"])
def test_bad_url_is_one_sentence_and_exit_2(url: str) -> None:
    result = run("--forum", url)
    assert result.returncode == 2
    line = one_sentence(result.stderr)
    assert line.startswith("termforum: ")


def test_bad_config_file_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[forums.work]\nulr = "https://forum.example.org"\n')
    result = run("--config", str(config))
    assert result.returncode == 2
    line = one_sentence(result.stderr)
    assert str(config) in line and "line 2" in line and '"url"' in line


def test_unknown_keymap_id_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\ncursor_dwn = "n"\n')
    result = run("--config", str(config), "--demo")
    assert result.returncode == 2
    assert '"cursor_down"' in one_sentence(result.stderr)


def test_a_keymap_that_puts_one_key_on_two_bindings_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[keymap]\nnext_unread = "j"\n')  # j already moves to the next post
    result = run("--config", str(config), "--demo")
    assert result.returncode == 2
    sentence = one_sentence(result.stderr)
    assert '"j"' in sentence and "cursor_down" in sentence and "next_unread" in sentence


def test_no_forum_configured_says_what_to_do() -> None:
    result = run()
    assert result.returncode == 2
    assert "--demo" in one_sentence(result.stderr)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_unreachable_forum_exits_2_with_one_sentence() -> None:
    port = _closed_port()
    proc = termforum("--forum", f"http://127.0.0.1:{port}")
    code = proc.finish(timeout=30)
    shown = proc.output.decode(errors="replace")
    assert code == 2
    assert "Traceback" not in shown
    assert re.search(rf"termforum: [^\r\n]*127\.0\.0\.1:{port}[^\r\n]*\.", shown), shown[-500:]

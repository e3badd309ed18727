"""What termforum writes to a real terminal: only ANSI colours with an ANSI theme, no colour
under NO_COLOR, and no mouse tracking with ``mouse = false``.

Each run starts the real program in a pseudo-terminal on the demo forum, opens a topic and
the help screen (so lists, the reader, borders, the footer and a modal are all drawn) and
reads every byte it wrote. The terminal claims truecolour, so a theme that is not ANSI-only
would send ``38;2`` codes: the first test checks that it does, so the others can fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyte
import pytest

from tests.e2e.ptyrun import PtyProcess, termforum

SGR = re.compile(rb"\x1b\[([0-9;:]*)m")
MOUSE_ON = re.compile(rb"\x1b\[\?(1000|1002|1003|1005|1006|1015)h")

SIXTEEN = {*range(30, 38), *range(40, 48), *range(90, 98), *range(100, 108)}
"""SGR colour codes of the 16-colour set (39 and 49, the defaults, are not colours)."""


def colours(output: bytes) -> tuple[set[int], set[str]]:
    """The 16-colour codes used, and every extended colour (``38;5;n``, ``48;2;r;g;b``…)."""
    basic: set[int] = set()
    extended: set[str] = set()
    for match in SGR.finditer(output):
        params = [int(p) if p.isdigit() else -1 for p in re.split(rb"[;:]", match.group(1))]
        index = 0
        while index < len(params):
            code = params[index]
            if code in (38, 48, 58):
                kind = params[index + 1] if index + 1 < len(params) else -1
                width = 3 if kind == 5 else 5 if kind == 2 else 2
                extended.add(";".join(map(str, params[index : index + width])))
                index += width
                continue
            if code in SIXTEEN:
                basic.add(code)
            index += 1
    return basic, extended


def test_the_sgr_parser_tells_the_colour_sets_apart() -> None:
    basic, extended = colours(b"\x1b[1;31;49mA\x1b[38;2;1;2;3;48;5;17;97mB\x1b[0m\x1b[m")
    assert basic == {31, 97}
    assert extended == {"38;2;1;2;3", "48;5;17"}


FIRST_TOPIC = "Welcome to Working Groups"
"""The title of the topic the list highlights at start."""


def selected_row(proc: PtyProcess) -> list[pyte.screens.Char]:
    """The cells of the first topic's title as the terminal shows them (it is highlighted)."""
    for y, line in enumerate(proc.screen.display):
        x = line.find(FIRST_TOPIC)
        if x >= 0:
            row = proc.screen.buffer[y]
            return [row[column] for column in range(x, x + len(FIRST_TOPIC))]
    raise AssertionError(proc.text())


def browse(tmp_path: Path, config: str, env: dict[str, str] | None = None) -> PtyProcess:
    """Run termforum on the demo forum with ``config``: open a topic, move, show help, quit.
    ``proc.selected`` keeps the highlighted first topic's cells as first drawn."""
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    proc = termforum(
        "--config",
        str(path),
        "--demo",
        env={"COLORTERM": "truecolor", **(env or {})},
        size=(100, 30),
    )
    try:
        assert proc.wait_for_text(FIRST_TOPIC, timeout=40), proc.text()
        proc.read(0.5)
        proc.selected = selected_row(proc)  # type: ignore[attr-defined]
        proc.send(b"\r")  # open the highlighted topic
        assert proc.wait_for_text("#1", timeout=20), proc.text()
        proc.send(b"j")
        proc.read(0.5)
        proc.send(b"?")
        assert proc.wait_for_text("Compact layout", timeout=20), proc.text()
        proc.send(b"\x1b")
        proc.read(0.5)
        proc.send(b"\x11")  # ctrl+q
        assert proc.finish(timeout=20) == 0, proc.text()
    finally:
        if proc.process.poll() is None:
            proc.finish(timeout=5)
    return proc


def test_a_truecolour_theme_sends_extended_colours_and_the_mouse_is_on_by_default(
    tmp_path: Path,
) -> None:
    proc = browse(tmp_path, 'theme = "termforum-dark"\n')
    _, extended = colours(bytes(proc.output))
    assert any(code.startswith("38;2;") for code in extended)
    assert MOUSE_ON.search(proc.output)


@pytest.mark.parametrize("theme", ["termforum-ansi", "ansi-dark"])
def test_an_ansi_theme_sends_only_the_16_colours_and_mouse_false_never_tracks(
    tmp_path: Path, theme: str
) -> None:
    proc = browse(tmp_path, f'theme = "{theme}"\nmouse = false\n')
    basic, extended = colours(bytes(proc.output))
    assert not extended, sorted(extended)[:10]
    assert len(basic) >= 3  # it is in colour: the terminal's own
    # The highlighted row is marked by a background from the palette.
    expected = {"termforum-ansi": "blue", "ansi-dark": "white"}[theme]
    assert {cell.bg for cell in proc.selected} == {expected}
    assert not MOUSE_ON.search(proc.output), MOUSE_ON.search(proc.output)


def test_no_color_sends_no_colour_at_all_and_still_marks_the_selection(tmp_path: Path) -> None:
    proc = browse(tmp_path, 'theme = "termforum-dark"\n', env={"NO_COLOR": "1"})
    basic, extended = colours(bytes(proc.output))
    assert not basic and not extended, (sorted(basic), sorted(extended)[:10])
    # The selected row is still marked: by text styles instead of colour.
    assert all(cell.underscore and cell.bold for cell in proc.selected)
    assert {(cell.fg, cell.bg) for cell in proc.selected} == {("default", "default")}

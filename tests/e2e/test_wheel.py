"""A built wheel installs into a fresh virtualenv and starts headless with its styles.

This proves that ``styles/`` (top level in the repository) ships inside the wheel and is found at
run time; the editable checkout finding it is covered by every other app test.
"""

from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

pytestmark = pytest.mark.slow

CHECK = r"""
import asyncio, sys
from pathlib import Path
import termforum
from termforum.ui.app import TermforumApp, styles_dir

package = Path(termforum.__file__).resolve().parent
assert styles_dir() == package / "styles", styles_dir()
assert (styles_dir() / "app.tcss").is_file()

from termforum.backends import create_backend
from termforum.net import make_client
from termforum.service import ForumService
from termforum.demo import DemoServer

async def main() -> None:
    with DemoServer() as server:
        url = server.url
        service = ForumService("demo", url, create_backend("discourse", url, http=make_client(url)))
        app = TermforumApp(service)
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(50):
                await pilot.pause(0.05)
                if app.screen.query("#groups") and app.screen.query_one("#groups").option_count > 1:
                    break
            groups = app.screen.query_one("#groups")
            assert groups.option_count > 1, "no groups loaded"
            # A rule from styles/app.tcss applied: the group pane is 28 columns wide.
            assert groups.outer_size.width == 28, groups.outer_size
    print("OK", groups.option_count)

asyncio.run(main())
"""


def test_wheel_installs_and_starts_headless(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO_ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("termforum-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", str(wheel)],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [str(python), "-c", CHECK], capture_output=True, text=True, cwd=tmp_path, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.startswith("OK")

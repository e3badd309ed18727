"""The non-UI layers never import Textual or Rich (a house rule of the design).

At run time only Textual is checked: importing httpx loads its optional command-line module,
which pulls in rich when rich is installed, so rich is checked in the source instead.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "termforum"

NON_UI_MODULES = [
    "termforum.models",
    "termforum.errors",
    "termforum.paths",
    "termforum.config",
    "termforum.state",
    "termforum.net",
    "termforum.service",
    "termforum.sanitize",
    "termforum.backends",
    "termforum.backends.discourse",
    "termforum.demo",
    "termforum.drafts",
    "termforum.files",
    "termforum.auth",
    "termforum.outbox",
    "termforum.preflight",
    "termforum.redact",
    "termforum.login",
    "termforum.credstore",
    "termforum.accounts",
    "termforum.account_commands",
    "termforum.debuglog",
    "termforum.netpolicy",
    "termforum.policy_transport",
    "termforum.priority",
    "termforum.store",
    "termforum.model_codec",
    "termforum.sync",
    "termforum.cli",
]

NON_UI_SOURCES = [
    "drafts.py",
    "files.py",
    "auth.py",
    "outbox.py",
    "preflight.py",
    "models.py",
    "errors.py",
    "paths.py",
    "config.py",
    "state.py",
    "net.py",
    "service.py",
    "sanitize.py",
    "backends",
    "demo",
    "redact.py",
    "login.py",
    "credstore.py",
    "accounts.py",
    "account_commands.py",
    "debuglog.py",
    "netpolicy.py",
    "policy_transport.py",
    "priority.py",
    "store.py",
    "model_codec.py",
    "sync.py",
]

UI_IMPORT = re.compile(r"^\s*(import|from)\s+(textual|rich)\b", re.MULTILINE)


@pytest.mark.parametrize("module", NON_UI_MODULES)
def test_module_does_not_load_textual(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} pulls in: {result.stdout.strip()}"


@pytest.mark.parametrize("name", NON_UI_SOURCES)
def test_source_does_not_import_textual_or_rich(name: str) -> None:
    path = SRC / name
    files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
    assert files, f"nothing found at {path}"
    offenders = [str(f.relative_to(SRC)) for f in files if UI_IMPORT.search(f.read_text())]
    assert offenders == []


def test_starting_from_the_cache_loads_no_http_stack_until_the_first_request() -> None:
    # Start-up paints the first screen from the cache: the HTTP stack, the post renderer, the
    # highlighter, drafts, the outbox and the demo forum load later (at the first request,
    # post shown, composer opened, --demo).
    code = (
        "import sys\n"
        "from termforum.accounts import Accounts\n"
        "from termforum.auth import ANONYMOUS\n"
        "from termforum.config import ForumConfig\n"
        "import termforum.ui.app, termforum.ui.screens.main\n"
        "forum = ForumConfig(name='f', url='http://127.0.0.1:9')\n"
        "accounts = Accounts.single(forum, ANONYMOUS, use_cache=False)\n"
        "service = accounts.open(forum)\n"
        "late = ('httpx', 'pygments', 'termforum.render', 'termforum.drafts', 'termforum.outbox',"
        " 'tomli_w', 'termforum.demo')\n"
        "early = [m for m in late if m in sys.modules]\n"
        "service.backend\n"
        "print(early, service.connected, 'httpx' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "[] True True"

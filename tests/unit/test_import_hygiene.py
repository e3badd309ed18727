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

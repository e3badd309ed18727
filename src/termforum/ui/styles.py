"""Where termforum's Textual CSS lives, and which file each screen loads."""

from __future__ import annotations

from pathlib import Path

__all__ = ["APP_CSS", "SCREENS_CSS", "styles_dir"]


def styles_dir() -> Path:
    """The folder of termforum's Textual CSS.

    A wheel ships it inside the package (``termforum/styles``); an editable checkout keeps it
    at the top of the repository (``styles/``).
    """
    package = Path(__file__).resolve().parent.parent
    installed = package / "styles"
    if installed.is_dir():
        return installed
    return package.parent.parent / "styles"


APP_CSS = [styles_dir() / "app.tcss"]
"""The main screen's look: parsed at start-up."""
SCREENS_CSS = [styles_dir() / "screens.tcss"]
"""The other screens' look (search, help, composer, login…): parsed when the first of them
opens, so start-up does not pay for it."""

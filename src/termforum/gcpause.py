"""No garbage-collection pauses while termforum starts.

Start-up allocates hundreds of thousands of objects (imports, styles, widgets) and almost
none of them are garbage, yet each allocation burst triggers the cycle collector, which
walks them again and again: about 40 ms of a 300 ms start on the reference machine
(``make bench``). ``hold()`` turns the collector off before the imports; ``release()``,
once the first frame is drawn, moves every object alive at that point into the permanent
generation (``gc.freeze()``: later collections no longer walk them, so reading stays smooth)
and turns the collector back on. Reference counting frees memory as usual in between.
"""

from __future__ import annotations

import gc

__all__ = ["hold", "release"]

_held = False


def hold() -> None:
    """Turn the cycle collector off until :func:`release` (nothing when already off)."""
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def release() -> None:
    """Freeze what start-up made and turn the collector back on, if :func:`hold` turned it
    off; safe to call more than once."""
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()

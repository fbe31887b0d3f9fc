"""A guard against a reference-count bug in the PySide6 6.12 wheels on Python 3.11.

Every call of a C++ method that returns void hands Python back `None` without taking a new
reference to it, so each call lowers None's reference count by one. On Python 3.12+ None is
immortal and nothing happens; on 3.11 the count reaches zero after a few thousand calls (one busy
repaint of the canvas makes tens of thousands) and the interpreter aborts with "none_dealloc:
deallocating None". Until the pinned PySide6 or Python changes, `protect_none()` raises None's
count so far that it cannot run out. It only acts where the leak is actually seen.
"""

from __future__ import annotations

import ctypes
import sys

_HEADROOM = 1 << 50  # ~10^15 leaked references: centuries of repainting


def leaks_none() -> bool:
    """True if void PySide6 calls lower None's reference count in this interpreter."""
    from PySide6.QtCore import QPointF

    point = QPointF()
    before = sys.getrefcount(None)
    for _ in range(64):
        point.setX(1.0)
    return sys.getrefcount(None) < before - 32


def protect_none() -> bool:
    """Make None's reference count unreachable for the leak; True if it was needed."""
    if sys.implementation.name != "cpython" or sys.version_info >= (3, 12):
        return False
    if not leaks_none():
        return False
    ctypes.c_ssize_t.from_address(id(None)).value += _HEADROOM
    return True

"""Guard against a PySide6 bug on Python 3.11: void Qt calls hand back None without a new reference.

Measured here with PySide6 6.12.0 / CPython 3.11.7: every call of a Qt method that returns nothing
(`setText`, `update`, `processEvents`, ...) and every empty QVariant read (`currentData()` with no data)
lowers None's reference count by one. After a few tens of thousands of such calls — minutes of normal use —
the count reaches zero and the interpreter aborts ("Fatal Python error: none_dealloc"). Python 3.12 made
None immortal (PEP 683), which is why the bindings no longer count it.

The fix gives None (and, defensively, True/False) the same effective immortality on 3.11: a one-time
large reference bump, applied only when a probe shows the leak. Nothing else changes.
"""

from __future__ import annotations

import ctypes
import sys

_BUMP = 1 << 40  # far more calls than any session makes; refcounts are 64-bit
_applied = False


def leaks_none() -> bool:
    """Probe: does a void Qt call lower None's reference count?"""
    if sys.version_info >= (3, 12):
        return False
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(200):
        probe.setObjectName("probe")
    return sys.getrefcount(None) <= before - 150


def apply() -> bool:
    """Make None/True/False effectively immortal when the leak is present; returns whether it was applied."""
    global _applied
    if _applied or not leaks_none():
        return _applied
    for obj in (None, True, False):
        ctypes.c_ssize_t.from_address(id(obj)).value += _BUMP
    _applied = True
    return True

"""What the console saves between runs in QSettings (window geometry, page, period), under a settings version.

As Orange's settings do: the file records the ``settings_version`` it was written with, and migrate_settings
brings a file written by an older release up to SETTINGS_VERSION before anything reads it. Keys this release
does not know are left as they are: QSettings rewrites only the keys it is given.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

SETTINGS_VERSION = 2
VERSION_KEY = "settings_version"
GEOMETRY_KEY = "window/geometry"  # QMainWindow.saveGeometry()
PAGE_KEY = "window/page"  # name of the page shown last (PAGE_NAMES); an index up to version 1
# The pages of version 1, by index: a saved index is read through this list (later releases insert pages).
V1_PAGES = ("imports", "dashboard", "scores", "overdue", "cases", "exports", "settings")
PERIOD_KEY = "period"  # label of the period shown last (2021-11, 2021-Q4, 2021-11-01..2021-11-10)


def settings_version(settings: QSettings) -> int:
    """The version the settings were written with; 0 for a file from before versions were recorded."""
    try:
        return int(settings.value(VERSION_KEY, 0))
    except (TypeError, ValueError):
        return 0


def migrate_settings(settings: QSettings) -> QSettings:
    """Bring `settings` up to SETTINGS_VERSION in place; a newer release's file is left as it is.

    Version 0 (a file from before versions were recorded) has the keys of version 1. Version 2 saves the page
    by name instead of by index, so that pages added later do not shift what a saved index meant."""
    version = settings_version(settings)
    if version >= SETTINGS_VERSION:
        return settings
    if version < 2:
        page = settings.value(PAGE_KEY)
        try:
            settings.setValue(PAGE_KEY, V1_PAGES[int(page)])
        except (TypeError, ValueError, IndexError):
            settings.remove(PAGE_KEY)
    settings.setValue(VERSION_KEY, SETTINGS_VERSION)
    return settings


def saved_period(settings: QSettings) -> str | None:
    saved = settings.value(PERIOD_KEY)
    return str(saved) if saved else None

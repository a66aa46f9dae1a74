"""Settings stored in the database (the ``settings`` table: one JSON value per key), each with a version.

As Orange's widget settings do (``settings_version``, ``migrate_settings``): every setting declares the version
its code writes and how to bring a value stored by an older release up to it. A row holds
``{"settings_version": N, "value": …}``; a row written before settings carried a version holds the bare value
and counts as version 0. Saving an object keeps the stored keys the new value does not set (a newer release's,
a hand edit), so a save by this release never drops them.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from models.store import transaction

VERSION_KEY = "settings_version"


def unchanged(value: Any, version: int) -> Any:
    """The migration of a setting whose stored shape has not changed since `version`."""
    return value


@dataclass(frozen=True)
class Setting:
    """One stored setting. `migrate(value, version)` turns a value stored at an older `version` into this one's."""

    key: str
    default: Any = None
    version: int = 1
    migrate: Callable[[Any, int], Any] = unchanged

    def read(self, db) -> Any:
        """The stored value brought up to this version, or a copy of the default when none is stored."""
        row = db.execute("SELECT value FROM settings WHERE key = ?", (self.key,)).fetchone()
        if row is None:
            return copy.deepcopy(self.default)
        value, version = unwrap(json.loads(row[0]))
        return self.migrate(value, version) if version < self.version else value

    def write(self, db, value: Any) -> None:
        """Store `value` at this version; keys of a stored object that `value` does not set are kept."""
        with transaction(db):
            stored = self.read(db)
            if isinstance(value, dict) and isinstance(stored, dict):
                value = stored | value
            db.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (self.key, json.dumps({VERSION_KEY: self.version, "value": value}, ensure_ascii=False)),
            )


def unwrap(stored: Any) -> tuple[Any, int]:
    """(value, version) of a stored row's JSON; a bare value (written before versions) is version 0."""
    if isinstance(stored, dict) and set(stored) == {VERSION_KEY, "value"} and isinstance(stored[VERSION_KEY], int):
        return stored["value"], stored[VERSION_KEY]
    return stored, 0

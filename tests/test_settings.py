"""Settings stored in the database carry a version: old rows are migrated when read, unknown keys survive a save."""

from __future__ import annotations

import json

from models.definitions import SETTING, load_definitions, save_definitions
from models.rule_files import chosen_rule_set
from models.settings import VERSION_KEY, Setting


def _row(db, key: str):
    row = db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else json.loads(row[0])


def _store_raw(db, key: str, value) -> None:
    """A row as a release before settings versions wrote it: the bare JSON value."""
    db.execute("INSERT INTO settings(key, value) VALUES (?, ?)", (key, json.dumps(value, ensure_ascii=False)))


def test_an_unversioned_definitions_row_is_read_and_saved_with_its_version_keeping_unknown_keys(db):
    _store_raw(db, "definitions", {"due_to_close": "disposed_plus_overdue_open", "top_parts": 5, "chart_style": "flat"})
    _store_raw(db, "rule_set", "gb_composite")
    defs = load_definitions(db)
    assert (defs.due_to_close, defs.top_parts, defs.top_events) == ("disposed_plus_overdue_open", 5, 8)
    assert chosen_rule_set(db) == "gb_composite"

    save_definitions(db, defs)
    stored = _row(db, "definitions")
    assert stored[VERSION_KEY] == SETTING.version == 1
    assert stored["value"]["chart_style"] == "flat"  # a key this release does not know is kept
    assert stored["value"]["due_to_close"] == "disposed_plus_overdue_open"
    assert load_definitions(db) == defs


def test_a_setting_migrates_each_older_version_and_reads_a_newer_one_as_it_is(db):
    def migrate(value, version):
        if version < 1:  # version 0 stored the hours as one "08:00-12:00" string per period
            value = {"periods": [p.split("-") for p in value]}
        if version < 2:  # version 2 renamed periods to hours
            value = {"hours": value.pop("periods"), **value}
        return value

    hours = Setting("test_hours", {"hours": []}, version=2, migrate=migrate)
    assert hours.read(db) == {"hours": []}
    _store_raw(db, "test_hours", ["08:00-12:00", "14:30-17:30"])
    assert hours.read(db) == {"hours": [["08:00", "12:00"], ["14:30", "17:30"]]}

    db.execute(
        "UPDATE settings SET value = ? WHERE key = 'test_hours'",
        (json.dumps({VERSION_KEY: 1, "value": {"periods": [], "note": "x"}}),),
    )
    assert hours.read(db) == {"hours": [], "note": "x"}
    hours.write(db, {"hours": [["09:00", "17:00"]]})
    assert _row(db, "test_hours") == {VERSION_KEY: 2, "value": {"hours": [["09:00", "17:00"]], "note": "x"}}

    newer = {VERSION_KEY: 3, "value": {"hours": [], "days": "weekdays"}}
    db.execute("UPDATE settings SET value = ? WHERE key = 'test_hours'", (json.dumps(newer),))
    assert hours.read(db) == {"hours": [], "days": "weekdays"}
